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

## Expressions: lexer and parser
formula-token-number = number { $number }
formula-token-name = name '{ $name }'
formula-token-text = text '{ $text }'
formula-token-end = end of expression
formula-lex-single-equals = '=' is not an operator here; write '==' to compare
formula-lex-bang = '!' is not an operator; write 'not' or '!='
formula-lex-unterminated-text = unterminated text: a closing ' is missing
formula-lex-number-out-of-range = '{ $literal }': { $problem }
formula-lex-bad-number = '{ $literal }' is not a valid number
formula-lex-ends-with-dot = '{ $word }' ends with a dot
formula-lex-double-quote = unexpected character '{ $character }' (text in expressions uses single quotes: 'like this')
formula-lex-caret = unexpected character '{ $character }' (use pow(x, y) for powers)
formula-lex-percent = unexpected character '{ $character }' (write percentages as decimals: 0.05)
formula-lex-and-or = unexpected character '{ $character }' (write 'and' / 'or')
formula-lex-unexpected-character = unexpected character '{ $character }'
formula-lex-name-character = the character '{ $character }' (U+{ $code }) is not allowed in names (names use ASCII letters, digits, '_' and Chinese characters, so that two names that look alike are alike)
formula-parse-too-long = expression is { $length } bytes long; the limit is { $limit }: split it into several vars
formula-parse-empty = the expression is empty
formula-parse-expected-operator = expected an operator or the end of the expression, found { $found }
formula-parse-too-deep = expression nested more than { $limit } levels deep: split it into several vars
formula-parse-chained-comparison = comparisons cannot be chained; write 'a < b and b < c'
formula-parse-bad-number = '{ $literal }': { $problem }
formula-parse-expected-value = expected a value, found { $found }
formula-parse-expected-close = expected ')' to close the '(' opened earlier, found { $found }

## Formula files (spec reader)
formula-unknown-unit = { $what }: unknown money unit '{ $text }'
formula-unknown-unit-note = expected yuan (元), 10k yuan (万元), 100m yuan (亿元), or a power of ten such as 1, 1e3, 1e6
formula-expression-not-string = { $what } must be an expression in a string, found { $found }
formula-expression-error = { $what }: { $message }
formula-what-file = the formula file
formula-needs-field = [formula] needs a '{ $field }'
formula-needs-name-note = add: name = "..."
formula-needs-key-note = add: key = "county_code" (the column that identifies a unit)
formula-no-formula-table = the formula file has no [formula] table
formula-no-formula-table-note = start the file with [formula], name = "..." and key = "..."
formula-report-columns-empty = report.columns is empty: name the amount columns, or leave the key out
formula-report-title-empty = report.title is empty: give the table a title, or leave the key out
formula-what-label = the label of '{ $name }'
formula-what-var = var '{ $name }'
formula-allocation-not-tables = allocation stages are written as [[allocation]] tables
formula-what-input = input '{ $name }'
formula-unknown-input-type = unknown input type '{ $kind }'
formula-unknown-input-type-note = expected one of: number, text, bool
formula-aliases-strings = { $what }: aliases are strings
formula-aliases-array = { $what } must be an array of strings
formula-input-min-above-max = input '{ $name }' has min { $min } above max { $max }
formula-input-min-max-number = input '{ $name }': min and max apply to number inputs only
formula-param-special-beside = '{ $name }' is given by its { $special } values: '{ $key }' cannot go beside them
formula-param-special-beside-note = [params.{ $name }] holds only { $special } = ...; write a comment for a description
formula-what-param = param '{ $name }'
formula-what-brackets = the brackets of '{ $name }'
formula-brackets-not-array = { $what } must be an array of [bound, value] rows
formula-brackets-no-rows = { $what } has no rows
formula-brackets-row-shape = { $what }: row { $row } must be [lower bound, value]
formula-what-bracket-bound = { $what }, row { $row } bound
formula-what-bracket-value = { $what }, row { $row } value
formula-brackets-not-increasing = { $what }: row { $row } starts at { $bound }, not above the row before
formula-brackets-not-increasing-note = write the rows in increasing order of their lower bounds
formula-date-not-date = { $what } must be a date like "2020-01-01", found { $found }
formula-date-invalid = { $what }: { $message }
formula-what-dated = the dated values of '{ $name }'
formula-dated-not-table = { $what } are written as a table: dated = {"{"} "2015-01-01" = "117000000" {"}"}
formula-what-dated-from = { $what }, from { $date }
formula-dated-no-dates = { $what }: the table has no dates
formula-what-allocation = [[allocation]] #{ $number }
formula-what-allocation-key = { $what } { $key }
formula-stage-needs-name = { $what } needs a name
formula-stage-needs-expression = stage '{ $stage }' needs a '{ $key }' expression
formula-round-not-positive = stage '{ $stage }': the rounding unit must be positive, found { $value }

## Scenario files
formula-what-scenario-file = the scenario file
formula-no-scenario-table = the scenario file has no [scenario] table
formula-no-scenario-table-note = start it with [scenario], name = "...", formula = "..." and data = "..."
formula-scenario-no-param = the formula has no param '{ $name }'
formula-scenario-no-param-hint = the formula has no param '{ $name }' (did you mean '{ $hint }'?)
formula-scenario-no-param-note = a scenario can only change params the formula has
formula-scenario-input-not-number = input '{ $name }' is not a number input; only number inputs can be overridden
formula-scenario-no-input = the formula has no input '{ $name }'
formula-scenario-no-input-hint = the formula has no input '{ $name }' (did you mean '{ $hint }'?)

## prior(...)
formula-prior-not-name = prior(...) takes the name of a var, stage, input or total of the prior run
formula-prior-not-name-note = write prior(total) or prior(total, 0), not an expression
formula-prior-arguments = prior(...) takes a name and an optional default, found { $count } arguments

## Evaluation, per unit
formula-eval-division-by-zero = division by zero
formula-eval-overflow = number too large (overflow beyond 28 significant digits)
formula-eval-sqrt-negative = square root of a negative number
formula-eval-log-non-positive = logarithm of zero or a negative number
formula-eval-pow-domain = pow() of a negative number to a fractional power, or a result out of range
formula-eval-bad-places = round() places must be a whole number between -28 and 28
formula-eval-empty-aggregate = the aggregate covers no units
formula-eval-below-brackets = the value is below the first bound of the bracket table
formula-eval-bracket-order = the bracket table's lower bounds do not increase row by row
formula-eval-group-not-whole = a group is named by a text or a whole number, and this value has a fraction
formula-eval-not-ready = value used before it was computed (internal error)

## Formula test files (equalize test)
formula-what-test-file = test file
formula-what-formula-file = formula file
formula-test-ok = ok    { $name } ({ $checks ->
        [one] 1 check
       *[other] { $checks } checks
    })
formula-test-fail = FAIL  { $name }
formula-what-the-test-file = the test file
formula-test-no-cases = the test file has no [[case]]
formula-test-no-cases-note = add [[case]] tables with name, units and expected values
formula-what-test-case = a test case
formula-what-case-name = case name
formula-test-case-default = case { $number }
formula-test-param-number = param '{ $name }' must be a number
formula-test-unit-field = unit field '{ $field }' must be a number, text or true/false, found { $found }
formula-test-expected-value = an expected value must be a number or true/false
formula-test-expected-k = an expected k must be a number
formula-test-checks-nothing = test case '{ $name }' checks nothing
formula-test-checks-nothing-note = add expected values ([case.expect.KEY]) or k ([case.k]); a case without them always passes
formula-test-at-line = line { $line }: { $message }
formula-test-unknown-field = unit { $unit }: unknown field '{ $field }': not an input, a data column name or a var of the formula
formula-test-unknown-field-hint = unit { $unit }: unknown field '{ $field }' (did you mean '{ $hint }'?): not an input, a data column name or a var of the formula
formula-test-var-not-set = unit { $unit }: var '{ $name }' is set for other units of this case but not this one; set it for every unit
formula-test-set-by-case = set by the test case
formula-test-input-problem = unit { $unit }: input '{ $input }': { $problem }
formula-test-input-unreadable = unit { $unit }: input '{ $input }' could not be read
formula-test-case-origin = case '{ $name }'
formula-test-no-unit = no unit '{ $unit }' in this case
formula-test-no-name = the formula has no var, stage or input '{ $name }'
formula-test-expected-got = unit { $unit }: { $name }: expected { $expected }, got { $got }
formula-test-no-stage = the formula has no stage '{ $stage }'
formula-test-k-expected-got = stage { $stage }: k expected { $expected }, got { $got }
formula-dated-no-date = param '{ $param }' has values by date, and the run has no date: add date = "YYYY-MM-DD" to [formula] or give --date
formula-dated-not-in-force = param '{ $param }' has no value in force on { $date }: its first comes into force on { $first }
