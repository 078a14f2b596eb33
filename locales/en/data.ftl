# English messages: data. Every identifier here is in the other language's data.ftl with the same arguments.

## CSV files (src/data/csv.rs)
data-bad-byte = the file is not valid { $encoding }: bad byte { $byte } at offset { $offset } (line { $line })
data-bad-byte-forced-note = check --encoding (or the table's encoding in dataset.toml)
data-bad-byte-utf8-note = the file is UTF-8 but for this byte: fix or remove it
data-bad-byte-gb18030-note = the file was read as GB18030 because it is not UTF-8; if it is another encoding, convert it to UTF-8
data-utf16-without-bom = the file looks like { $encoding } text without a byte-order mark
data-utf16-without-bom-note = give --encoding { $name } (or encoding = "{ $name }" in dataset.toml)
data-nul-character = the file contains a NUL character at offset { $offset }; it is not a { $encoding } text file
data-nul-character-note = is it a spreadsheet or a binary file saved with a .csv name?
data-csv-empty = the file is empty; expected a header row and one row per unit
data-csv-header-unreadable = cannot read the header row: { $error }
data-csv-row-unreadable = cannot read this row: { $error }
# Where a row is, in a message ("first seen at line 5").
data-place-line = line { $line }

## Where the header is (src/data/header.rs). $explicit is the dataset.toml setting, such as "header_row = 3, header_rows = 2".
data-header-taken-two-levels = took row { $row } as the header and row { $second } below it as its second level (it has no numbers, and cells under the merged cells of the row above); say { $explicit } in dataset.toml to make it explicit
data-header-below-title = took row { $row } as the header; the rows above look like a title ({ $above }); say { $explicit } in dataset.toml to make it explicit
data-header-below-title-two-levels = took row { $row } as the header and row { $second } below it as its second level (it has no numbers, and cells under the merged cells of the row above); the rows above look like a title ({ $above }); say { $explicit } in dataset.toml to make it explicit
data-header-title-empty = empty
data-header-row-zero = header_row counts from 1
data-header-row-not-read = header_row = { $row } is not a row of the table (a blank line, a line inside a quoted cell, or past the rows read: rows { $first } to { $last })
data-header-row-no-rows = header_row = { $row } is not a row of the table (a blank line, a line inside a quoted cell, or past the rows read: none)
data-header-no-room = header_row = { $row } leaves no room for header_rows = { $rows }

## Workbooks (src/data/xlsx.rs)
data-workbook-unreadable = cannot open the workbook: { $error }
data-workbook-unreadable-note = is the file complete and really a spreadsheet (XLSX, XLS, XLSB or ODS)?
data-no-such-sheet = the workbook has no sheet '{ $sheet }'
data-no-such-sheet-hint = did you mean '{ $hint }'? sheets: { $sheets }
data-no-such-sheet-note = sheets: { $sheets }
data-workbook-no-sheets = the workbook has no sheets
data-sheet-unreadable = cannot read sheet '{ $sheet }': { $error }
data-sheet-empty = sheet '{ $sheet }' is empty; expected a header row and one row per unit

## Reading a table's rows (src/data/table.rs)
data-rename-no-column = dataset.toml renames the column '{ $column }', but the table has no such column
data-did-you-mean = did you mean '{ $hint }'?
data-rename-no-column-others = nor these: { $columns }
data-more-problems = ... and { $count } more problems not shown
data-row-width = this row has { $fields } fields; the header has { $width }
data-row-width-note = check for a missing or extra comma, or an unquoted comma inside a value
data-filter-row-error = the filter where = "{ $filter }" cannot be computed for this row: { $message }
data-key-not-a-value = the key in column '{ $column }' is not a value
data-key-not-a-value-note = every unit needs a key
data-key-hidden-character = the key '{ $key }' holds an invisible or control character ({ $code })
data-key-hidden-character-note = two keys that differ only by such a character look the same; remove it
data-duplicate-key = duplicate key '{ $key }'
# $first: where the key was first seen (line 12, B7).
data-duplicate-key-note = first seen at { $first }; each unit may appear once
data-duplicate-key-not-units-note = first seen at { $first }; rows keyed '{ $key }' are not units: leave them out with skip_keys = ["{ $key }"] (or a where filter) in dataset.toml
data-cell-problem = column '{ $column }': { $problem }
data-same-problem-more = column '{ $column }': { $count } more { $count ->
        [one] cell
       *[other] cells
    } with the same problem, from { $first } on
data-skip-keys-no-match = { $table }: skip_keys entry '{ $entry }' matches no key
data-skip-keys-no-match-note = check it against the keys in the table (patterns take * and ?)

## Problems of one cell (src/data/table.rs): the problem, then its hint.
data-cell-missing-value = missing value '{ $value }'
data-cell-empty = empty cell
data-cell-no-default-number = expected a decimal number such as 1234.5 or 1,234.5; or declare a default for input '{ $input }'
data-cell-no-default-bool = expected true/false, yes/no, 1/0 or 是/否; or declare a default for input '{ $input }'
data-cell-no-default-text = expected text; or declare a default for input '{ $input }'
data-cell-error = the cell holds the error { $error }
data-cell-error-hint = fix the spreadsheet formula, or enter the value
data-cell-out-of-range = the number { $number } is out of range: numbers must fit in 28 significant digits (about ±7.9e28)
data-cell-out-of-range-hint = check the cell: is it in the right unit?
data-cell-date-not-number = a date ({ $date }), not a decimal number such as 1234.5 or 1,234.5
data-cell-date-not-bool = a date ({ $date }), not true/false, yes/no, 1/0 or 是/否
data-cell-date-hint = format the cell as a number or text
data-cell-not-bool = { $value } is not true or false
data-expected-bool = expected true/false, yes/no, 1/0 or 是/否
data-cell-bool-not-number = a true/false cell, not a number
data-expected-number = expected a decimal number such as 1234.5 or 1,234.5
data-cell-missing-marker-hint = if '{ $value }' marks a missing value, declare it in the formula: missing = ["{ $value }"] and a default for input '{ $input }'
data-number-empty = '{ $value }' is the value is empty
data-number-not-a-number = '{ $value }' is not a number
data-number-not-finite = '{ $value }' is not a finite number (NaN and infinity are not amounts)
data-number-bad-grouping = '{ $value }' is not a number: commas may only separate groups of three digits in the integer part, as in 1,234,567.5
data-number-out-of-range = '{ $value }' is out of range: numbers must fit in 28 significant digits (about ±7.9e28)
data-cell-below-min = { $value } is below the minimum { $min } of input '{ $input }'
data-cell-below-min-hint = correct the value, or change min in the formula's [inputs]
data-cell-above-max = { $value } is above the maximum { $max } of input '{ $input }'
data-cell-above-max-hint = correct the value, or change max in the formula's [inputs]
data-cell-unit-overflow = { $value } is too large to convert to the formula's unit
data-cell-unit-overflow-hint = numbers must fit in 28 significant digits

## where filters (src/data/filter.rs)
data-filter-not-true-or-false = the filter must be true or false for each row (a comparison, or and/or/not of them)
data-filter-minus-needs-number = '-' needs a number
data-filter-unknown-column = the filter reads '{ $name }', which is not a column of the table
# $names: one to three quoted column names, joined by commas.
data-filter-unknown-column-hint = did you mean { $names }?
data-filter-unknown-column-note = text in a filter is in single quotes: starts_with(code, '62')
data-filter-unknown-function = '{ $function }' is not a function a filter can use
data-filter-unknown-function-note = filters take { $functions }
data-filter-arity = { $function } takes { $expected } arguments, given { $given }
data-filter-arity-two-or-more = { $function } takes two or more arguments, given { $given }
data-filter-logic-needs-bool = and, or and not take true/false values (comparisons)
data-filter-needs-numbers = '{ $op }' needs numbers, found '{ $left }' and '{ $right }'
data-filter-cannot-compute = { $left } { $op } { $right } cannot be computed

## Data that loads but looks wrong (src/data/warnings.rs)
data-warn-outliers = input '{ $input }': { $units ->
        [one] 1 unit
       *[other] { $units } units
    } more than { $limit } standard deviations from the mean
data-warn-outliers-note = check the values; set outlier_sd in [inputs.{ $input }] to change the threshold (0 turns it off)
data-warn-far-from-median = input '{ $input }': { $units ->
        [one] 1 unit
       *[other] { $units } units
    } over { $factor } times the median { $median }
data-warn-far-from-median-note = is the value in another unit (元 against 万元, yuan against 10,000 yuan)? outlier_sd = "0" in [inputs.{ $input }] turns this check off
data-warn-changed = input '{ $input }': { $units ->
        [one] 1 unit
       *[other] { $units } units
    } changed by more than a factor { $ratio } from '{ $other }'
# $units: the first units listed with their values ("620102 城关区 = 11601, ...").
data-warn-units-and-more = { $units } and { $more } more

## dataset.toml (src/data/dataset.rs)
data-unknown-join = unknown join '{ $join }'
data-unknown-join-note = expected "left" (the first table defines the units) or "exact" (every table holds the same keys)
data-no-tables = dataset.toml lists no tables
data-no-tables-note = add [[table]] entries with file = "..."
data-table-needs-file = a [[table]] needs a 'file'
data-unknown-encoding = unknown encoding '{ $name }'
data-unknown-encoding-note = expected utf-8, utf-16le, utf-16be, gb18030 or gbk
# What a value is, in messages such as "... must be a string, found a number".
data-what-new-column-name = the new name of column '{ $column }'
data-header-row-from-one = header_row counts from 1 (the first row of the sheet or file)
data-where-syntax = table.where: { $message }
data-where-not-string = table.where must be an expression in a string, such as "starts_with(code, '62')"
data-header-rows-range = header_rows is 1 or 2 (a two-level header)
data-table-outside-folder = '{ $file }' is outside the dataset folder; tables must live under it (or pass --allow-outside, or write allow_outside = true under [dataset] in dataset.toml)
data-table-symlink-outside = '{ $file }' leads outside the dataset folder through a symbolic link (or pass --allow-outside, or write allow_outside = true under [dataset] in dataset.toml)

## Datasets (src/data/mod.rs)
data-recorded-elsewhere = the recorded inputs lead to { $name } ({ $kind ->
        [disk] a file on disk
        [embedded] a file built into equalize
       *[builtin] a built-in formula
    }), which the manifest records as { $recorded ->
        [disk] a file on disk
        [embedded] a file built into equalize
       *[builtin] a built-in formula
    }; it is not read
data-not-recorded = the recorded inputs lead to { $name }, which the manifest does not record; it is not read
data-recorded-note = the manifest's inputs and its file records disagree: it was edited, or written by another program
# $names: up to three quoted keys or labels; $left_out: the summary's lines about rows left out.
data-no-such-unit = no unit with key or label '{ $key }' in { $data }
data-no-such-unit-hint = no unit with key or label '{ $key }' in { $data } (did you mean { $names }?)
data-no-such-unit-left-out = no unit with key or label '{ $key }' in { $data }; rows were left out of the data: { $left_out }
data-no-such-unit-hint-left-out = no unit with key or label '{ $key }' in { $data } (did you mean { $names }?); rows were left out of the data: { $left_out }
data-label-shared = { $count } units have the label '{ $label }': { $keys }; name one by its key

## Reading files (src/files.rs). $what is the file's role, one of the data-role-* messages.
data-role-data-file = data file
data-role-formula-file = formula file
data-role-manifest = manifest
data-role-published-output = published output
data-role-input = input
data-role-scenario-file = scenario file
data-role-sweep-file = sweep file
data-role-sweep-record = sweep record
data-role-sweep-table = sweep table
data-role-test-file = test file
data-role-prior-summary = prior run's summary
data-role-prior-audit = prior run's audit
data-file-is-folder = the { $what } is a folder
data-file-not-regular = the { $what } is not a regular file (a pipe, socket or device)
data-file-give-path = give the path of the { $what } itself
data-file-too-big = the { $what } is { $size } bytes; the limit for a { $what } is { $limit } bytes
data-file-grew = the { $what } is over { $limit } bytes (it grew while being read); the limit for a { $what } is { $limit } bytes
data-file-too-big-note = check that this is the right file, or split it
data-file-changed-while-opened = the { $what } is not a regular file (it changed while being opened)
data-file-not-utf8 = the { $what } is not valid UTF-8 (bad byte at offset { $offset })
data-out-holds-input = --out { $out } holds the input { $input }; write the results to a folder of their own
data-out-over-input = { $out } would be written over the input { $input }; write it somewhere else
data-out-into-results-folder = { $out } would be written into the results folder { $folder }, which this command only reads; write it somewhere else (--out DIR/NAME)

## Joining tables (src/data/load/join.rs). $table is the first table, which defines the units.
data-no-data-rows = the table has a header but no data rows
data-every-row-left-out = no unit is left: every row of the table was left out
data-every-row-left-out-note = check the where filter and skip_keys against the table's keys
data-bad-default = the default '{ $default }' of input '{ $input }' cannot be used: { $problem }
data-bad-default-note = correct default in the formula's [inputs]
data-units-missing = { $units ->
        [one] 1 unit of { $table } is
       *[other] { $units } units of { $table } are
    } missing from this table
data-units-missing-most-note = more than half the units are missing: is this the right table, keyed the same way?
data-units-missing-note = add their rows; only if these units truly have no figures in this table, declare a default for { $inputs } in the formula's [inputs]
data-units-missing-defaults = { $units ->
        [one] 1 unit of { $table } is missing from this table and takes
       *[other] { $units } units of { $table } are missing from this table and take
    } the inputs' defaults
data-keys-extra = { $keys ->
        [one] 1 key of this table is
       *[other] { $keys } keys of this table are
    } not in { $table }
data-keys-extra-left-out = { $keys ->
        [one] 1 key of this table is not a unit of { $table }, and is
       *[other] { $keys } keys of this table are not units of { $table }, and are
    } left out
data-label-differs-one = { $key }: '{ $here }' here, '{ $there }' in { $table }
data-labels-differ = the label differs from { $table } for { $units ->
        [one] 1 unit
       *[other] { $units } units
    }; the labels of { $table } are used
data-labels-differ-more = and { $more } more
data-labels-differ-note = two tables that disagree on names may disagree on keys: check that the rows are the same units
data-key-mismatch-cause = { $matched ->
        [one] 1 of these keys differs
       *[other] { $matched } of these keys differ
    } from keys of the other table only by { $cause ->
        [leading-zero] a leading zero
        [trailing-zero] a trailing '.0' from a spreadsheet number
        [separators] thousands separators
       *[scientific] scientific notation from a spreadsheet
    } ('{ $key }' against '{ $other }'): fix the key column in one table
data-units-list = units: { $units }
data-units-list-more = units: { $units } and { $more } more
data-keys-list = keys: { $keys }
data-keys-list-more = keys: { $keys } and { $more } more

## Columns for the key and the inputs (src/data/load/plan.rs)
data-key-column-repeated = the key column '{ $key }' appears { $times } times in the header
data-key-column-repeated-note = rename or remove the extra columns, so it is clear which one identifies a unit
data-skip-keys-bad-pattern = skip_keys entry '{ $entry }' is not a valid pattern: { $error }
data-skip-keys-bad-pattern-note = patterns take * (any text) and ? (one character); [ ] needs its closing ]
data-missing-key-column = missing key column '{ $key }'
data-column-in-table = '{ $column }' in { $table }
data-input-several-columns = several columns can supply input '{ $input }': { $columns }
data-input-several-columns-note = keep one of them (or rename one in dataset.toml), or remove the alias from the formula
data-missing-input-column = missing column '{ $name }' (input of type { $kind })
data-missing-label-column = missing column '{ $name }' (the label)
data-also-accepted-as = also accepted as: { $aliases }
# A close header: $how says how it differs from what was written when it reads the same.
data-suggest-column = did you mean '{ $header }'?
data-suggest-column-differs = did you mean '{ $header }'? ({ $how })
data-suggest-column-in-table = did you mean '{ $header }' in { $table }?
data-suggest-column-in-table-differs = did you mean '{ $header }' in { $table }? ({ $how })
# One of several close headers, listed in data-suggest-one-of.
data-suggested-column = '{ $header }'
data-suggested-column-differs = '{ $header }' ({ $how })
data-suggested-column-in-table = '{ $header }' in { $table }
data-suggested-column-in-table-differs = '{ $header }' in { $table } ({ $how })
data-suggest-one-of = did you mean one of { $columns }?
data-table-has = { $table } has: { $columns }
data-table-searched = searched { $table } ({ $count } columns: { $columns }, ...)

## Finding the data (src/data/load/mod.rs, src/data/load/sources.rs)
data-no-data-given = no data given
data-imprecise-cells = { $cells ->
        [one] 1 cell
       *[other] { $cells } cells
    } hold numbers with more than 15 significant digits, which Excel cannot store exactly
data-imprecise-cells-note = store such numbers as text in the workbook to keep every digit
data-folder-without-toml = { $folder } is a folder without a dataset.toml
data-folder-without-toml-note = a dataset folder describes its tables in dataset.toml; see docs/data.md
data-sheet-not-workbook = sheet = "{ $sheet }" names a sheet, but { $file } is not a workbook
data-encoding-for-workbook = encoding = "{ $encoding }" applies to CSV files, but { $file } is a workbook
data-hash-sheet-not-workbook = '#{ $sheet }' names a sheet, but { $file } is not a workbook
data-hash-sheet-not-workbook-note = sheets belong to .xlsx, .xlsm, .xlsb, .xls and .ods files; drop the '#...' for a CSV
data-sheet-flag-unused = --sheet applies to workbooks given with --data, and none is given (a dataset folder names its sheets in dataset.toml)
data-encoding-flag-unused = --encoding applies to CSV files given with --data, and none is given (a dataset folder names encodings in dataset.toml)
data-where-flag-unused = --where applies to a file given with --data, and none is given (a dataset folder writes where = "..." for a table in dataset.toml)
data-where-flag-folder = --where filters the table that defines the units, the first --data, and that is a dataset folder: give the file first, or write where = "..." for its table in dataset.toml
data-where-flag-syntax = --where: { $message }
data-toml-not-utf8 = dataset.toml is not valid UTF-8

## Workbooks refused before they are read (src/data/workbook_limits.rs). $part is a part of the workbook file (xl/worksheets/sheet1.xml) or data-xls-sheet.
data-workbook-refused-note = save the sheet again from a spreadsheet program, or export it as CSV
data-workbook-part-unreadable = part { $part } of the workbook cannot be read: { $error }
data-workbook-part-damaged = part { $part } of the workbook is damaged: { $error }
data-workbook-too-large = the workbook unpacks to more than { $limit } bytes (part { $part }); that is the limit for a workbook
data-workbook-shared-strings = { $part } declares uniqueCount { $count } shared strings but holds only { $bytes } bytes
data-sheet-too-many-cells = { $part } spans { $rows } rows by { $columns } columns ({ $cells } cells); the limit for a sheet is { $limit } cells
data-workbook-compound-unreadable = the workbook's compound file cannot be read: { $error }
data-workbook-stream-damaged = the workbook stream is damaged: { $error }
data-workbook-stream-too-large = the workbook stream holds more than { $limit } bytes; that is the limit for a workbook
data-xls-sheet = sheet { $number }
data-xls-sheet-start = { $part } starts at byte { $start } of a workbook stream of { $bytes } bytes; the workbook is damaged
data-xlsb-row-record-short = { $part } holds a row record of { $length } bytes, too short to be one; the workbook is damaged
data-xlsb-cell-record-short = { $part } holds a cell record of { $length } bytes, too short to be one; the workbook is damaged
data-ods-too-many-cells = content.xml spans { $rows } rows by { $columns } columns ({ $cells } cells, repeats counted); the limit for a sheet is { $limit } cells
data-cell-citation = { $file }:{ $line }, column '{ $column }'
