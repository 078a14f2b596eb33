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
