# English messages of equalize, by identifier. Every identifier here is in zh.ftl too, with
# the same arguments (tests: i18n::tests::catalogues_have_the_same_messages_and_arguments).

## Diagnostics
severity-error = error
severity-warning = warning
diag-summary = { $errors ->
        [one] 1 error
       *[other] { $errors } errors
    }, { $warnings ->
        [one] 1 warning
       *[other] { $warnings } warnings
    }
diag-summary-files = { $counts } in { $files ->
        [one] 1 file
       *[other] { $files } files
    }
diag-unit = unit { $key }
check-unknown-name = unknown name '{ $name }'
check-unknown-name-hint = unknown name '{ $name }' (did you mean '{ $hint }'?)
check-unknown-name-note = names are inputs, params, vars and earlier allocation stages
check-unknown-name-function = '{ $name }' is a function: call it as { $name }(...)

## The terminal summary of a run
run-units = { $formula }: { $units } units
run-formula = formula
run-data = data
run-no-stages = no allocation stages: each unit's vars are in audit.csv
run-wrote = wrote { $files }
run-groups = { $groups } groups
table-stage = stage
table-pool = pool
table-k = k
table-at-floor = at floor
table-at-cap = at cap
table-sum = sum
table-total = total

## Equalization metrics
metrics-heading = { $capacity } per { $population } ({ $units } units), before -> after transfers
metric-gini = Gini
metric-gini-weighted = Gini, population-weighted
metric-cv = coefficient of variation
metric-cv-weighted = CV, population-weighted
metric-theil = Theil
metric-theil-weighted = Theil, population-weighted
metric-max-min = max / min
metric-min-mean = lowest / mean
metric-poorest-fifth = poorest fifth's share
metric-undefined = undefined

## Counts (diag::plural)
count-argument = { $n ->
        [one] 1 argument
       *[other] { $n } arguments
    }
count-cell = { $n ->
        [one] 1 cell
       *[other] { $n } cells
    }
count-check = { $n ->
        [one] 1 check
       *[other] { $n } checks
    }
count-extra-rounding-unit = { $n ->
        [one] 1 extra rounding unit
       *[other] { $n } extra rounding units
    }
count-input = { $n ->
        [one] 1 input
       *[other] { $n } inputs
    }
count-key = { $n ->
        [one] 1 key
       *[other] { $n } keys
    }
count-problem = { $n ->
        [one] 1 problem
       *[other] { $n } problems
    }
count-row = { $n ->
        [one] 1 row
       *[other] { $n } rows
    }
count-scenario = { $n ->
        [one] 1 scenario
       *[other] { $n } scenarios
    }
count-shard = { $n ->
        [one] 1 shard
       *[other] { $n } shards
    }
count-stage = { $n ->
        [one] 1 stage
       *[other] { $n } stages
    }
count-unit = { $n ->
        [one] 1 unit
       *[other] { $n } units
    }
count-value = { $n ->
        [one] 1 value
       *[other] { $n } values
    }
count-var = { $n ->
        [one] 1 var
       *[other] { $n } vars
    }
diag-did-you-mean-suffix = {" "}(did you mean '{ $hint }'?)

## The command line
cli-check-ok = ok: { $formula } ({ $origin }) on { $data }: { $units }, { $inputs }, { $vars }, { $stages }; { $problems }
cli-no-problems = no problems found
cli-wrote = wrote { $path }
cli-asked-twice = { $name } is asked for twice (--out and --report)
cli-no-var-or-stage = the formula has no var or stage '{ $name }'{ $hint }
cli-unknown-encoding = unknown encoding '{ $text }' (expected utf-8, utf-16le, utf-16be, gb18030 or gbk)
cli-bad-lang = --lang { $lang }: the languages are en and zh
cli-jobs-zero = --jobs must be at least 1
cli-jobs-too-many = --jobs { $jobs } is more than the { $max } threads equalize starts; results are the same for any number
cli-scenario-collision = --scenario { $first } and --scenario { $second } would both write to { $folder }; rename one of the files
cli-scenario-line = scenario: { $name } ({ $file })
cli-sweep-failed = { $failed } of { $total } scenarios could not be computed (status error); their rows in scenarios.{ $extension } say why
cli-sweep-unsolved = { $unsolved } of { $total } scenarios did not solve ({ $counts }); their rows in scenarios.{ $extension } say why
cli-sweep-counts = { $ok } ok, { $infeasible } infeasible, { $failed } failed
cli-merge-into-shard = --out { $out } is one of the shards being merged; write the merged sweep to a folder of its own
cli-merged = merged { $shards }: { $scenarios } scenarios ({ $counts }) into { $out }
cli-sweep-progress = sweep: { $done }/{ $total } scenarios, { $rate }/s
cli-tests-summary = { $passed } passed, { $failed } failed

## Command-line help (clap). English here must equal the help clap shows (a test checks); Chinese help is built from the zh catalogue.
help-usage = Usage:{" "}
help-commands = Commands
help-arguments = Arguments
help-options = Options
help-heading-published-table = Published table
help = Exact, auditable fiscal transfer allocation
help-jobs = Worker threads (default: all cores). Results are identical for any value
help-quiet = Print nothing on success (errors still go to stderr)
help-no_warnings = Do not report warnings about suspicious data
help-lang = The language of messages and summaries: en or zh (中文). Default: EQUALIZE_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG starting with zh), else English
help-run = Compute allocations and write allocations.csv, audit.csv and summary.json
help-check = Load and compute without writing anything; report every problem found
help-sweep = Run many scenarios from a sweep file (grid and Monte Carlo), or merge shards
help-sweep-merge = Combine shard folders into the output one unsharded run gives
help-compare = Compare two runs (output folders or scenario files): who gains, who loses
help-explain = Show how one unit's amount came about, step by step
help-verify = Reproduce a published run from its folder and compare every output
help-formulas = List the shipped formulas
help-test = Run the test cases written beside formulas (*.test.toml)
help-completions = Print shell completions (bash, zsh, fish, elvish, powershell)
help-manpage = Print the man page (roff)
help-arg-formula = Formula file (TOML), or a shipped formula's short name (see `equalize formulas`). Default: the shipped demo formula
help-arg-data = Data: a CSV or workbook file (book.xlsx#Sheet for a sheet), or a folder with dataset.toml. Repeat to join several tables on the key. Default: the demo data; required with --formula
help-arg-sheet = Sheet of workbooks given with --data (default: the first sheet)
help-arg-encoding = Encoding of CSV files given with --data: utf-8, utf-16le, utf-16be, gb18030 (gbk). Default: detected (byte-order mark, then UTF-8, else GB18030)
help-arg-allow_outside = Let dataset.toml name tables outside its folder
help-verify-allow_outside = Let recorded inputs (and dataset tables) lie outside the inputs folder. The manifest cannot ask for this; only the auditor can
help-arg-filter = Keep only the rows of the first --data file for which this is true, in the formula language over the file's columns: --where "starts_with(区划代码, '62')" (docs/data.md)
help-arg-set = Override a param for this run, exactly: --set pool=1050000 --set per_capita.health=0.9
help-arg-prior = Last year's run folder (as `equalize run` wrote it), for `prior(name)` in the formula: --prior runs/2025
help-arg-date = The date dated params are taken at (`[params.X] dated = {"{"}...{"}"}`), over the formula's `[formula] date`: --date 2020-06-30
help-arg-scenario = A scenario file: a base formula and dataset and what to change (docs/scenarios.md). `run` accepts several and writes one output folder per scenario
help-sweep-scenario = Write scenario N (its index in scenarios.csv) as a complete run instead: allocations, audit, summary and a manifest that `equalize verify` accepts
help-arg-title = The published table's title (over the formula's and scenario's `[report] title`)
help-arg-group_by = Group the published table by this text input, with a subtotal per group (`[report] group_by`): --group-by 市州
help-arg-compare_with = Show last year's amount, the change and the growth from this number input or var (`[report] compare_with`): --compare-with last_year
help-arg-columns = The published table's amount columns, in order: stages, total, the compare-with amount, change, growth, bound (`[report] columns`): --columns total,last_transfer,change
help-arg-out = Output folder
help-run-out = Output folder; created if missing. Only the files equalize writes are replaced
help-compare-out = Also write every unit to FILE: .csv, .json, .xlsx or .html
help-run-trace = Also write trace.jsonl: every unit's derivation tree (as `explain --format json`)
help-sweep-trace = With --scenario: also write trace.jsonl
help-run-csv_raw = Write keys, labels and text inputs into the CSV outputs as they are, even those a spreadsheet would run as formulas (`=...`, `+...`, `-...`, `@...`); by default such text is prefixed with '
help-compare-csv_raw = Write keys and labels into a .csv as they are, even those a spreadsheet would run as formulas (`=...`, `+...`, `-...`, `@...`); by default they are prefixed with '
help-run-labels = Add a second header row to allocations.csv and audit.csv with the formula's labels (`[labels]`); the first row keeps the machine names scripts read
help-run-report = Also write a report: xlsx (report.xlsx) or html (report.html); repeatable
help-compare-report = Also write the comparison as a report: xlsx (comparison.xlsx) or html (comparison.html) in the current folder; repeatable. The same as --out with that file name
help-arg-format = Output format of the report
help-sweep-format = Output format of the tables
help-explain-format = Output format: the value tree as text or JSON, or a memo in Markdown for a reader (labels, values rounded for reading, last year when the formula compares with it)
help-check-strict = Treat warnings as errors (exit 2 when there are any)
help-sweep-file = The sweep file
help-sweep-shard = Run only the I-th of N equal slices of the scenario list (1-based), e.g. 3/8
help-sweep-fail_on_infeasible = Exit 3 when any scenario is infeasible or failed (default: exit 0 once every scenario has been evaluated; their status column says how each ended)
help-sweep-merge-fail_on_infeasible = Exit 3 when any merged scenario is infeasible or failed, as the unsharded run would
help-sweep-resume = Take the scenarios a killed run of the same sweep (and shard) into the same --out already finished, and compute only the rest. The result is the same bytes
help-sweep-merge-dirs = The shards' output folders, in any order
help-compare-runs = The runs: output folders or scenario files. Two: A and B. More: the first is the base, each other is compared with it, in one table
help-compare-by_stage = Two runs: also compare stage by stage (each stage's sums in the terminal; with --out .csv each unit's amount in A and B per stage; with .xlsx a By stage sheet)
help-compare-rows = Rows shown for the largest gains and losses
help-explain-key = The unit to explain: its key, or its exact label (a county name)
help-explain-var = Explain one var (or stage, or input) instead of the whole total
help-explain-exact = With --format markdown: every digit instead of values rounded for reading
help-explain-run = Explain against a published run: its manifest's formula, data, scenario and overrides (instead of --formula, --data, --set)
help-explain-inputs = With --run: the folder the run was started from, if its inputs have moved
help-verify-inputs = The folder the original run was started from, if the inputs have moved there (the manifest records input paths relative to it)
help-verify-dir = The output folder of the run (with its manifest.json)
help-test-files = Test files (default: every formulas/*.test.toml)
help-completions-shell = The shell to complete for
help-help = Print help
help-version = Print version
cli-explain-unverified = { $folder } cannot be explained as published: { $why }; run `equalize verify { $folder }` to see the findings
cli-sweep-no-file = give a sweep file, or `sweep merge DIR... --out DIR`
cli-sweep-resume-afresh = resuming: the checkpoint in --out is of another sweep, input, shard, format or version; starting afresh
cli-sweep-resumed = resuming: { $done } of { $total } scenarios already done
cli-sweep-done = sweep { $title }: { $ran } of { $scenarios } scenarios (shard { $shard }): { $counts }; wrote { $out }
cli-sweep-one = scenario { $index } of { $file }: { $formula }, total { $total }
cli-compare-by-stage-many = --by-stage compares two runs; with more, compare the base with each scenario in turn
cli-compare-not-a-run = { $path }: expected an output folder of `equalize run` or a scenario .toml file
help-long =
    Splits a fixed pool of money among units (counties, provinces) by a formula written in a text file, exactly: amounts are decimals, never floats, and rounded amounts add up to the pool to the last unit.

    Exit codes: 0 success, 1 other failure (I/O), 2 bad usage or bad input (formula or data), 3 infeasible allocation, 4 formula tests failed, 5 verify found differences.
