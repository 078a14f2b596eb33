# English messages: formula. Every identifier here is in the other language's formula.ftl with the same arguments.

## TOML files (tomlspan)
formula-toml-kind-string = a string
formula-toml-kind-number = a number
formula-toml-kind-boolean = a boolean
formula-toml-kind-table = a table
formula-toml-kind-array = an array
formula-toml-kind-date = a date
formula-toml-invalid = invalid TOML: { $message }
formula-toml-unknown-key = unknown key '{ $key }' in { $what }
formula-did-you-mean = did you mean '{ $hint }'?
formula-toml-expected-one-of = expected one of: { $keys }
formula-toml-must-be-table = { $what } must be a table, found { $found }
formula-toml-must-be-tables = { $what } must be tables, found { $found }
formula-toml-must-be-string = { $what } must be a string, found { $found }
formula-toml-expected-strings = { $what }: expected strings
formula-toml-must-be-strings = { $what } must be a string or an array of strings
formula-toml-must-be-number = { $what } must be a number, found { $found }
formula-toml-not-decimal = { $what }: write numbers in decimal, not '{ $text }'
formula-toml-bad-number = { $what }: '{ $text }' is { $problem }
formula-toml-must-be-count = { $what } must be a whole number from 0 to { $max }, found { $value }
formula-toml-must-be-boolean = { $what } must be true or false, found { $found }

## The checker
check-type-number = a number
check-type-condition = a condition (true/false)
check-type-text = text
check-compare-with-not-number = input '{ $input }': compare_with '{ $name }' is not a number input
check-compare-with-unknown = input '{ $input }': compare_with names no input '{ $name }'
check-compare-with-unknown-hint = input '{ $input }': compare_with names no input '{ $name }' (did you mean '{ $hint }'?)
check-input-override-uses = input override '{ $name }' may use only inputs, params and numbers
check-input-override-uses-note = it is applied to the data before any var or aggregate is computed
check-what-input-override = input override '{ $name }'
check-label-empty = [labels] gives '{ $name }' an empty label
check-label-unknown = [labels] names '{ $name }', which is no input, var, stage, key or label column
check-label-unknown-hint = [labels] names '{ $name }', which is no input, var, stage, key or label column (did you mean '{ $hint }'?)
check-key-is-input = '{ $key }' is the key column; it is not declared as an input
check-group-by-not-text = report.group_by: '{ $name }' is not a text input
check-group-by-not-text-hint = report.group_by: '{ $name }' is not a text input (did you mean '{ $hint }'?)
check-group-by-not-text-note = group by an input declared with type = "text" (its name, label or column name)
check-report-compare-with = report.compare_with: '{ $name }' is not a number input or var
check-report-compare-with-hint = report.compare_with: '{ $name }' is not a number input or var (did you mean '{ $hint }'?)
check-report-language = report.language: '{ $language }' is not a language reports are written in
check-report-language-note = expected "en" or "zh"
check-report-column-needs-compare = report.columns: '{ $name }' needs report.compare_with
check-report-column-needs-compare-note = name last year's amount: compare_with = "last_transfer"
check-report-column-unknown = report.columns: '{ $name }' is not a column of the table
check-report-column-unknown-hint = report.columns: '{ $name }' is not a column of the table (did you mean '{ $hint }'?)
check-report-column-unknown-note = a column is a stage, total, the compare_with amount, change, growth or bound
check-report-column-twice = report.columns: '{ $name }' is listed twice
check-metrics-not-number = metrics: '{ $name }' is not a number input or var
check-var-is-text = var '{ $name }' is text; a var must be a number or a condition
check-var-is-text-note = text inputs can be compared (region == 'west') or grouped by (sum_by(region, x))
check-group-not-name = { $what } must name an input or a var to group by, found '{ $name }'
check-group-not-name-hint = { $what } must name an input or a var to group by, found '{ $name }' (did you mean '{ $hint }'?)
check-group-not-name-note = a group is a text, whole-number or true/false input or var: each value is one group
check-what-stage-key = stage '{ $stage }' { $key }
check-what-stage-within = stage '{ $stage }': within
check-expected-number = { $context }: expected a number, found { $found }
check-expected-condition = { $context }: expected a condition (true/false), found { $found }
check-expected-condition-note = compare it with something, e.g. x > 0
check-param-group = '{ $name }' is a group of params, not a value
check-param-group-note = use one of: { $members }
check-cannot-compare-same = { $context } cannot compare { $left } with { $right }; only == and != apply
check-cannot-compare = { $context } cannot compare { $left } with { $right }
check-unknown-function = unknown function '{ $function }'
check-unknown-function-hint = unknown function '{ $function }' (did you mean '{ $hint }'?)
check-unknown-function-note = see docs/formula-language.md for the functions available
check-arity-exact = { $function } takes { $min ->
        [one] 1 argument
       *[other] { $min } arguments
    }, found { $found }
check-arity-at-least = { $function } takes at least { $min ->
        [one] 1 argument
       *[other] { $min } arguments
    }, found { $found }
check-arity-range = { $function } takes { $min } to { $max } arguments, found { $found }
check-usage = usage: { $signature }
check-min-over-all-note = for the { $function }imum over all units use { $function }_of(x)
check-max-over-all-note = for the { $function }imum over all units use { $function }_of(x)
check-what-if-condition = the condition of { $call }
check-if-branches = both branches of if() must have the same type; found { $left } and { $right }
check-bracket-table = the first argument of { $function } must name a bracket table of [params]
check-bracket-table-note = declare it as: [params.stratum] brackets = [["0", "1"], ["500", "2"]]
check-what-first-argument = the first argument of { $function }
check-group-argument = the first argument of { $function } must name what to group by: an input or a var
check-group-argument-note = compute the group in a var first: stratum = "bracket(strata, population)"
check-what-where-argument = the 'where' argument of { $call }
check-kind-input = input
check-kind-param-group = param group
check-kind-param = param
check-kind-var = var
check-kind-stage = stage
check-existing-input = an input
check-existing-param = a param
check-existing-var = a var
check-existing-stage = an allocation stage
check-name-is-function = { $what } '{ $name }' has the name of a built-in function
check-name-is-function-note = choose another name; function names cannot be shadowed
check-name-reserved = { $what } '{ $name }' uses a reserved word
check-name-invalid = { $what } '{ $name }' is not a valid name
check-name-invalid-note = names start with an ASCII letter, '_' or a Chinese character and go on with those and digits; letters of other scripts are refused because they look like Latin ones
check-name-taken = { $what } '{ $name }' has the same name as { $existing }
check-name-taken-note = every input, param, var and stage needs its own name
check-param-twice = param '{ $name }' is defined twice
check-param-invalid = param '{ $name }' is not a valid name
check-refers-to-itself = '{ $name }' refers to itself
check-long-cycle = circular definition of { $count } names: { $first } -> ... -> { $last }
check-cycle = circular definition: { $path }
check-cycle-note = a var cannot depend on its own value, directly or through others
check-chain-too-deep = '{ $name }' sits at the end of a chain of { $depth } definitions, each using the one before; the limit is { $limit }
check-chain-too-deep-note = compute the chain in fewer steps (an aggregate, or one expression)
