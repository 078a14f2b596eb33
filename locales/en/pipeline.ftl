# English messages: pipeline. Every identifier here is in the other language's pipeline.ftl with the same arguments.

## Loading a run's inputs (pipeline/load.rs)
pipeline-title-empty = --title is empty: give the table its title
pipeline-date-option = --date: { $problem }
pipeline-data-required-builtin = --data is required: { $formula } is written for { $data }, which is not in this directory
pipeline-data-required = --data is required with --formula { $formula } (the demo data fits only the demo formula)
pipeline-prior-not-given = { $formula } uses prior(...) and no --prior was given: every unit takes the default of prior(name, default)
pipeline-prior-not-given-note = give --prior DIR, the folder of the prior run, unless this is the first year of a chain
pipeline-prior-required = { $formula } uses prior(...) without a default: give --prior DIR, the folder of the prior run
pipeline-prior-unused = --prior { $folder }: { $formula } does not use prior(...), so the prior run would not be read
pipeline-sweep-scenario-alone = one scenario of a sweep is set by the sweep file alone: give no --formula, --data, --scenario, --set, --date or --prior
pipeline-sweep-no-scenario = { $file } has scenarios 0 to { $last }; there is no scenario { $index }
pipeline-sweep-scenario-failed = scenario { $index }: { $problem }
pipeline-scenario-with-formula = a scenario names its own formula and data: give --scenario without --formula and --data
pipeline-scenario-formula-missing = the scenario's formula '{ $formula }' does not exist (paths are relative to the scenario file)
pipeline-scenario-no-formula = the scenario names no formula
pipeline-scenario-no-formula-note = add formula = "..." to [scenario]
pipeline-param-set-twice = param '{ $name }' is set twice ({ $first } and { $second }); set it once
pipeline-set-malformed = --set '{ $text }': expected NAME=VALUE
pipeline-param-label = param '{ $name }'
pipeline-param-unknown = { $setting }: the formula has no param '{ $name }'
pipeline-param-unknown-hint = { $setting }: the formula has no param '{ $name }' (did you mean '{ $hint }'?)
pipeline-param-empty = { $setting }: the value is empty
pipeline-param-not-a-number = { $setting }: '{ $value }' is { $problem }
pipeline-param-not-a-number-note = write plain numbers in the formula's money unit, like 52500000000 or 5.25e10; no unit words

## Files that cannot be read or written (error.rs)
error-io = cannot { $action } { $path }: { $reason }
error-io-read = cannot read { $path }: { $reason }
error-io-write = cannot write { $path }: { $reason }
error-io-write-to = cannot write to { $path }: { $reason }
error-io-create = cannot create { $path }: { $reason }
error-io-flush = cannot flush { $path }: { $reason }
error-io-find = cannot find { $path }: { $reason }
error-io-list = cannot list { $path }: { $reason }
error-io-lock = cannot lock { $path }: { $reason }
error-io-remove = cannot remove { $path }: { $reason }
error-io-replace = cannot replace { $path }: { $reason }
error-io-create-folder = cannot create the folder { $path }: { $reason }
error-io-create-output-folder = cannot create the output folder { $path }: { $reason }
error-io-create-temporary = cannot create a temporary file in { $path }: { $reason }
error-io-open-lock = cannot open the lock file { $path }: { $reason }
error-io-read-checkpoint = cannot read the checkpoint { $path }: { $reason }
error-io-open-checkpoint = cannot open the checkpoint { $path }: { $reason }
error-io-create-checkpoint = cannot create the checkpoint { $path }: { $reason }
error-io-remove-checkpoint = cannot remove the old checkpoint { $path }: { $reason }
error-io-standard-output = standard output
# The system's reason, in languages other than English (English shows the system's own words).
error-io-reason-os = { $reason } (os error { $code })
error-io-reason-not-found = No such file or directory
error-io-reason-permission-denied = Permission denied
error-io-reason-already-exists = File exists
error-io-reason-is-a-directory = Is a directory
error-io-reason-not-a-directory = Not a directory
error-io-reason-directory-not-empty = Directory not empty
error-io-reason-storage-full = No space left on device
error-io-reason-read-only = Read-only file system
error-io-reason-broken-pipe = Broken pipe

## Numbers and dates (money.rs, civil.rs), built-in formulas (shipped.rs)
# A number's problem follows the text it is about: "'12a' is not a number".
pipeline-number-empty = the value is empty
pipeline-number-not-a-number = not a number
pipeline-number-not-finite = not a finite number (NaN and infinity are not amounts)
pipeline-number-bad-grouping = not a number: commas may only separate groups of three digits in the integer part, as in 1,234,567.5
pipeline-number-out-of-range = out of range: numbers must fit in 28 significant digits (about ±7.9e28)
pipeline-date-shape = '{ $date }' is not a date written YYYY-MM-DD (like 2020-01-01)
pipeline-date-month = '{ $date }' has no month { $month }
pipeline-date-day = '{ $date }' is not a day of the calendar
pipeline-no-builtin = there is no built-in formula '{ $name }'; built-in formulas are { $names }; a formula file is named by its path (./{ $name }.toml)
pipeline-no-builtin-hint = there is no built-in formula '{ $name }' (did you mean '{ $hint }'?); built-in formulas are { $names }; a formula file is named by its path (./{ $name }.toml)

## verify: the report an auditor reads (pipeline/verify.rs)
verify-heading = verifying { $folder }
verify-verified = verified: every part of the run is as recorded and every output is identical
verify-not-verified = NOT verified: { $reason }
verify-reason-differ = { $differing ->
        [one] 1 finding differs
       *[other] { $differing } findings differ
    } (marked !)
verify-reason-outside = { $outside ->
        [one] 1 input
       *[other] { $outside } inputs
    } outside the inputs folder not read, so the run could not be checked (marked !; nothing was found to differ): give --allow-outside, or --inputs DIR
verify-reason-both = { $differing ->
        [one] 1 finding differs
       *[other] { $differing } findings differ
    }, and { $outside ->
        [one] 1 input
       *[other] { $outside } inputs
    } outside the inputs folder not read (marked !)
verify-part-tool = tool
verify-part-sweep = sweep
verify-part-scenario = scenario
verify-part-formula = formula
verify-part-input = input
verify-part-override = override
verify-part-data = data
verify-part-param = param
verify-part-output = output
verify-part-recompute = recompute
verify-part-prior = prior
verify-not-a-folder = { $folder } is not a folder
verify-sweep-folder = { $folder } is a sweep's folder: verify one of its scenarios as a run, written with `equalize sweep FILE --scenario N --out DIR`
verify-no-manifest = { $folder } has no manifest.json: it was not written by `equalize run`
verify-bad-manifest = { $file } is not a manifest equalize can read: { $problem }
verify-prior-unchanged = manifest unchanged (sha256 { $sha256 })
verify-prior-changed = its manifest CHANGED since this run read it (sha256 recorded { $recorded }, now { $now })
verify-prior-missing = MISSING: { $problem } (give --inputs, the folder the chain was run from)
verify-chain-too-long = the chain is longer than { $limit } runs: verify its earlier runs one by one
verify-prior-verified = verified as a run of its own
verify-failed = FAILED: { $problem }
verify-no-commit = no commit
verify-tool-same = this binary
verify-tool-differs = DIFFERS from this binary, { $tool }: verify with the version that made the run
verify-name-builtin = built-in { $formula } of { $tool }
verify-name-embedded = { $file } (built into { $tool })
verify-outside = outside the inputs folder { $folder }: not read (give --allow-outside to read it, or --inputs)
verify-unchanged = unchanged (sha256 { $sha256 })
verify-size-differs = its size is recorded as { $recorded } bytes, but it has { $now }
verify-changed = CHANGED since the run (sha256 recorded { $recorded }, now { $now })
verify-missing = MISSING: { $problem }
verify-unreadable = UNREADABLE: { $problem }; not read
verify-sweep-scenario = the run is its scenario { $index }, draws included
verify-override = set to { $value } for the run (--set)
verify-output-manifest = a manifest cannot record its own hash
verify-output-unknown = not a file equalize writes: it cannot be verified
verify-cannot-recompute = cannot recompute the run: { $count ->
        [one] 1 recorded input is
       *[other] { $count } recorded inputs are
    } missing: { $files }
verify-cannot-recompute-not-under = they are not under { $folder } either
verify-cannot-recompute-give-inputs = give --inputs FOLDER: the folder the run was started from, where the inputs now are
verify-cannot-recompute-cause = ({ $problem })
verify-recompute-does-not-load = FAILED: the inputs as they are now do not load ({ $count ->
        [one] 1 problem
       *[other] { $count } problems
    }); run `equalize check` on them to see why
verify-name-the-run = the run
verify-not-read-by-run = recorded as an input, but the run does not read it
verify-recorded-twice = recorded twice
verify-name-content = content
verify-identical = identical (sha256 { $sha256 })
verify-data-identical-reordered = identical (the files changed only in ways that do not matter: row or column order, encoding) (sha256 { $sha256 })
verify-data-changed = CHANGED (sha256 recorded { $recorded }, now { $now })
verify-data-changed-units = CHANGED: { $added } units added, { $removed } removed, { $changed } with changed inputs (sha256 recorded { $recorded }, now { $now })
verify-param-differs = recorded { $recorded }, recomputed { $now }
verify-param-not-recorded = not recorded (recomputed { $now })
verify-param-unknown = recorded { $recorded }, but the formula has no such param
verify-none = none
verify-prior-record = { $folder } (manifest sha256 { $sha256 })
verify-name-run-prior = the run's prior
verify-prior-mismatch = recorded { $recorded }, but the recorded inputs read { $read }
verify-output-symlink = a symbolic link, not a file the run wrote: not read
verify-output-missing = MISSING from the folder
verify-output-edited = edited after the run: its sha256 { $sha256 } is not the manifest's { $recorded }
verify-output-differs = DIFFERS from the recomputed run (sha256 { $sha256 })
verify-trace-differs = DIFFERS from the recomputed run (sha256 { $sha256 }, recomputed { $recomputed })
verify-output-not-regular = not a regular file (a link, pipe or device): not read
verify-output-unlisted = in the folder but not in the manifest: not part of this run (left by another?)
verify-no-builtin = this binary has no built-in formula '{ $formula }'
verify-no-embedded = this binary has no such embedded file
verify-no-such-file = no such file (use --inputs to say where the inputs are now)
verify-columns-differ = the columns differ: { $old } -> { $new }
verify-unit-gone = { $key } { $unit }: no longer in the data
verify-unit-new = { $key } { $unit }: new in the data
verify-more-units = ... and { $count } more units
verify-units-differ = { $count ->
        [one] 1 unit differs:
       *[other] { $count } units differ:
    }
verify-input-changed = input changed: unit { $unit }: { $name } { $old } -> { $new } (in { $file })
verify-more-inputs = ... and { $count } more changed input values

## Computing a run: pools, floors, caps, rounding (engine.rs)
engine-rounding-below-floor = stage '{ $stage }': rounding to { $rounding } leaves { $count ->
        [one] 1 unit
       *[other] { $count } units
    } below their floor (unit { $unit }: { $amount } against a floor of { $bound })
engine-rounding-below-floor-note = make the floors multiples of the rounding unit, or round more finely; audit.csv marks these units bound=floor for their exact amount
engine-rounding-above-cap = stage '{ $stage }': rounding to { $rounding } leaves { $count ->
        [one] 1 unit
       *[other] { $count } units
    } above their cap (unit { $unit }: { $amount } against a cap of { $bound })
engine-rounding-above-cap-note = make the caps multiples of the rounding unit, or round more finely; audit.csv marks these units bound=cap for their exact amount
engine-no-units = the data has no units
engine-what-input-override = input override '{ $name }'
engine-what-aggregate = aggregate { $source }
engine-what-var = var '{ $name }'
engine-what-stage-part = stage '{ $stage }' { $part }
engine-what-stage-within = stage '{ $stage }' within
engine-eval-error-unit = { $problem } in { $what } for unit { $unit }
engine-eval-error = { $problem } in { $what }
engine-units-affected = { $count ->
        [one] 1 unit
       *[other] { $count } units
    } affected: { $units }
engine-units-affected-more = { $count ->
        [one] 1 unit
       *[other] { $count } units
    } affected: { $units } and { $more } more
engine-division-note = guard the division, e.g. if(x > 0, y / x, 0)
engine-pool-not-one = stage '{ $stage }': the pool must be the same for every unit, but unit { $first } has { $pool } and unit { $other } has { $other_pool }
engine-pool-not-one-note = a pool is one amount: a param, an aggregate such as sum(...), or a column holding the same value on every row
engine-group-pool-not-one = stage '{ $stage }': the pool must be the same for every unit of group '{ $group }', but unit { $first } has { $pool } and unit { $other } has { $other_pool }
engine-group-pool-not-one-note = a stage solved within groups takes a per-group pool, e.g. sum_by(province, earlier_stage)
engine-unit-mix-up = one is { $times } times the other: are both in the same money unit (yuan against 10,000 yuan, 元 against 万元)? The formula's unit applies to the pool, the data and every --set
engine-stage-in-group = '{ $stage }' in group '{ $group }'
engine-floors-above-pool = stage { $stage } is infeasible: the floors add up to { $floors }{ $unit }, more than the pool { $pool }{ $unit }
engine-floors-above-pool-note = lower the floors or raise the pool
engine-caps-below-pool = stage { $stage } is infeasible: the caps add up to { $caps }{ $unit }, less than the pool { $pool }{ $unit }
engine-caps-below-pool-note = raise the caps or lower the pool
engine-no-weight = stage { $stage } is infeasible: every weight is zero, so the amounts are fixed at { $fixed } but the pool is { $pool }
engine-mixed-signs = stage { $stage }: weights must be all >= 0 or all <= 0, but unit { $positive } has { $positive_weight } and unit { $negative } has { $negative_weight }
engine-mixed-signs-note = with weights of both signs the total is not monotone in k and the fit is not unique
engine-floor-above-cap = stage { $stage }: unit { $unit } has floor { $floor } above its cap { $cap }
engine-floor-above-cap-note = write the cap as max(cap, floor) or the floor as min(floor, cap) to say which wins
engine-solve-overflow = stage { $stage }: numbers too large to solve within 28 significant digits
engine-pool-not-multiple = stage { $stage }: the pool { $pool } is not a whole number of rounding units ({ $rounding })
engine-pool-not-multiple-note = round the pool expression to the unit, e.g. round(x, -4) for 10,000, or change 'round'
engine-round-overflow = stage { $stage }: amounts too large to round

## The prior run, --prior (pipeline/prior.rs)
pipeline-prior-folder = --prior { $folder }: { $problem }
pipeline-prior-output-changed = --prior { $folder }: { $file } has changed since the run wrote it (sha256 recorded { $recorded }, now { $now })
pipeline-prior-output-changed-note = a prior run is used only as it was written: give the folder as `equalize run` left it
pipeline-prior-output-unreadable = --prior { $folder }: { $file } cannot be read: { $problem }
pipeline-prior-no-audit = --prior { $folder }: its manifest lists no { $file }, where prior values are read from
pipeline-prior-audit-not-csv = { $file }: not a CSV equalize wrote: { $problem }
pipeline-prior-audit-empty = { $file } is empty
pipeline-prior-other-unit = --prior { $folder }: its amounts are in { $unit }, this formula's in { $formula_unit }: prior values would be read in the wrong unit
pipeline-prior-other-unit-note = give both years' formulas the same [formula] unit
pipeline-prior-no-name = prior({ $name }): the prior run has no '{ $name }'
pipeline-prior-no-name-hint = prior({ $name }): the prior run has no '{ $name }' (did you mean '{ $hint }'?)
pipeline-prior-no-name-note = prior(...) reads an input, var, stage or total of the prior run's audit.csv
pipeline-prior-units-absent = prior({ $name }): { $count ->
        [one] 1 unit is
       *[other] { $count } units are
    } not in the prior run { $folder }: { $units }
pipeline-prior-units-absent-more = prior({ $name }): { $count ->
        [one] 1 unit is
       *[other] { $count } units are
    } not in the prior run { $folder }: { $units } and { $more } more
pipeline-prior-units-absent-note = give new units a value: prior({ $name }, 0), or prior({ $name }, an expression)
pipeline-prior-not-numbers = prior({ $name }): { $count ->
        [one] 1 value
       *[other] { $count } values
    } in the prior run not a number: { $values }
pipeline-prior-not-numbers-note = prior(...) reads numbers; a condition of last year can be recomputed from prior inputs

## Sweeps: the sweep file, the plan, shards and merging (sweep/)
sweep-grid-and-draw = '{ $name }' is both a grid axis and a Monte Carlo draw; vary it one way
sweep-grid-and-draw-note = the grid axis is at { $at }
sweep-too-many-scenarios = the sweep has more than { $limit } scenarios (grid points times draws); split it into several sweep files
sweep-label-grid-axis = grid axis '{ $name }'
sweep-label-draw = draw '{ $name }'
sweep-no-sweep-table = the sweep file has no [sweep] table
sweep-no-sweep-table-note = start it with [sweep], name = "..." and scenario = "..."
sweep-needs-scenario = [sweep] needs a scenario, or a formula and data
sweep-axis-no-values = grid axis '{ $name }' has no values
sweep-needs-draws = [montecarlo] needs draws = N (at least 1)
sweep-draws-zero = montecarlo.draws must be at least 1
sweep-unit-key-not-string = a unit key must be a string, found { $found }
sweep-units-shape = sweep.units must be "all" or a list of unit keys
sweep-range-incomplete = grid axis '{ $name }': a range needs from, to and step
sweep-range-backwards = grid axis '{ $name }': step must be positive and to at least from
sweep-range-step-too-fine = grid axis '{ $name }': the step { $step } is below the precision of 28 significant digits at { $from }
sweep-range-too-long = grid axis '{ $name }': the range has more than { $limit } values; use a larger step
sweep-draw-needs = draw '{ $name }' needs '{ $key }'
sweep-draw-unknown-distribution = draw '{ $name }': unknown distribution '{ $distribution }'; expected uniform, normal or triangular
sweep-draw-uniform-order = draw '{ $name }': low must not be above high
sweep-draw-normal-sd = draw '{ $name }': sd must not be negative
sweep-draw-triangular-order = draw '{ $name }': needs low <= mode <= high, with low below high
sweep-no-param = the formula has no param '{ $name }'
sweep-no-param-hint = the formula has no param '{ $name }' (did you mean '{ $hint }'?)
sweep-no-input = the formula has no number input '{ $name }' to draw
sweep-no-unit = no unit with key '{ $key }' in { $data }
sweep-draw-overflow = a draw of '{ $name }' overflows 28 digits
sweep-shard-shape = expected I/N, e.g. 3/8
sweep-shard-index = I must be a whole number
sweep-shard-count = N must be a whole number
sweep-shard-range = shard { $index }/{ $count }: need 1 <= I <= N
sweep-merge-no-shards = sweep merge needs the shard folders
sweep-merge-not-a-shard = { $folder } is not a sweep shard: it has no sweep.json (shards are the --out folders of `equalize sweep`)
sweep-merge-bad-record = { $file }: not a sweep record this version of equalize can read: { $problem }
sweep-merge-tools-differ = { $first } and { $second } are not shards of one sweep: their tool versions differ
sweep-merge-sweeps-differ = { $first } and { $second } are not shards of one sweep: their sweep files differ
sweep-merge-formats-differ = { $first } and { $second } are not shards of one sweep: their formats differ
sweep-merge-inputs-differ = { $first } and { $second } are not shards of one sweep: their inputs ({ $files }) differ
sweep-merge-overlap = scenarios { $from }..{ $to } are in two shards: { $folder } (shard { $shard }) overlaps the one before it
sweep-merge-gap = the shards do not cover the scenarios: scenarios { $from }..{ $to } are missing before { $folder } (shard { $shard })
sweep-merge-short = the shards cover scenarios 0..{ $covered } of { $total }: scenarios { $covered }..{ $total } are missing
sweep-merge-unrecorded-file = { $file }: its sweep.json does not record this file
sweep-merge-file-changed = { $file }: the file is not the one its shard wrote (its SHA-256 differs from sweep.json's); run the shard again
sweep-merge-no-scenarios = { $folder } has no { $file }
sweep-merge-rows-out-of-order = { $folder }: its scenario rows are not scenarios { $from }..{ $to } in order
sweep-merge-units-mixed = { $folder }: some shards keep unit values and some do not
sweep-merge-columns-differ = { $folder }: its scenario columns differ from { $first }'s
sweep-merge-units-columns = { $folder }: the units table needs scenario, key and total columns
sweep-merge-bad-index = { $folder }: '{ $value }' is not a scenario number
sweep-merge-bad-total = { $folder }: total '{ $value }' is { $problem }
