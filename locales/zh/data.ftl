# Chinese messages: data. Every identifier here is in the other language's data.ftl with the same arguments.

## CSV files (src/data/csv.rs)
data-bad-byte = 文件不是有效的 { $encoding } 编码：偏移 { $offset } 处（第 { $line } 行）有无效字节 { $byte }
data-bad-byte-forced-note = 请检查 --encoding（或 dataset.toml 中该表的 encoding）
data-bad-byte-utf8-note = 文件除这个字节外都是 UTF-8：请修正或删除该字节
data-bad-byte-gb18030-note = 文件不是 UTF-8，因此按 GB18030 读取；如果它是其他编码，请先转换为 UTF-8
data-utf16-without-bom = 文件看起来是没有字节顺序标记（BOM）的 { $encoding } 文本
data-utf16-without-bom-note = 请指定 --encoding { $name }（或在 dataset.toml 中写 encoding = "{ $name }"）
data-nul-character = 文件在偏移 { $offset } 处含有 NUL 字符；它不是 { $encoding } 文本文件
data-nul-character-note = 这是不是一个以 .csv 为扩展名保存的电子表格或二进制文件？
data-csv-empty = 文件为空；应有一个表头行，且每个地区一行
data-csv-header-unreadable = 无法读取表头行：{ $error }
data-csv-row-unreadable = 无法读取此行：{ $error }
# Where a row is, in a message ("first seen at line 5").
data-place-line = 第 { $line } 行

## Where the header is (src/data/header.rs). $explicit is the dataset.toml setting, such as "header_row = 3, header_rows = 2".
data-header-taken-two-levels = 已将第 { $row } 行作为表头，并将其下的第 { $second } 行作为第二级表头（该行没有数字，且有单元格位于上一行合并单元格之下）；如需明确指定，请在 dataset.toml 中写 { $explicit }
data-header-below-title = 已将第 { $row } 行作为表头；其上方的行看起来是标题（{ $above }）；如需明确指定，请在 dataset.toml 中写 { $explicit }
data-header-below-title-two-levels = 已将第 { $row } 行作为表头，并将其下的第 { $second } 行作为第二级表头（该行没有数字，且有单元格位于上一行合并单元格之下）；其上方的行看起来是标题（{ $above }）；如需明确指定，请在 dataset.toml 中写 { $explicit }
data-header-title-empty = 空
data-header-row-zero = header_row 从 1 开始计数
data-header-row-not-read = header_row = { $row } 不是表中的一行（它是空行、引号单元格内的一行，或超出了已读取的行：第 { $first } 行至第 { $last } 行）
data-header-row-no-rows = header_row = { $row } 不是表中的一行（它是空行、引号单元格内的一行，或超出了已读取的行：无）
data-header-no-room = header_row = { $row } 之后没有足够的行容纳 header_rows = { $rows }

## Workbooks (src/data/xlsx.rs)
data-workbook-unreadable = 无法打开工作簿：{ $error }
data-workbook-unreadable-note = 文件是否完整？它确实是电子表格（XLSX、XLS、XLSB 或 ODS）吗？
data-no-such-sheet = 工作簿中没有工作表 '{ $sheet }'
data-no-such-sheet-hint = 您是不是想写 '{ $hint }'？工作表有：{ $sheets }
data-no-such-sheet-note = 工作表有：{ $sheets }
data-workbook-no-sheets = 工作簿中没有任何工作表
data-sheet-unreadable = 无法读取工作表 '{ $sheet }'：{ $error }
data-sheet-empty = 工作表 '{ $sheet }' 为空；应有一个表头行，且每个地区一行

## Reading a table's rows (src/data/table.rs)
data-rename-no-column = dataset.toml 重命名了列 '{ $column }'，但表中没有这一列
data-did-you-mean = 您是不是想写 '{ $hint }'？
data-rename-no-column-others = 以下列也没有：{ $columns }
data-more-problems = ……另有 { $count } 个问题未列出
data-row-width = 此行有 { $fields } 个字段；表头有 { $width } 个
data-row-width-note = 请检查是否缺少或多出逗号，或值中有未加引号的逗号
data-filter-row-error = 筛选条件 where = "{ $filter }" 无法对此行求值：{ $message }
data-key-not-a-value = 列 '{ $column }' 中的主键不是一个值
data-key-not-a-value-note = 每个地区都需要主键
data-key-hidden-character = 主键 '{ $key }' 含有不可见字符或控制字符（{ $code }）
data-key-hidden-character-note = 仅差这样一个字符的两个主键看起来完全相同；请删除该字符
data-duplicate-key = 主键 '{ $key }' 重复
# $first: where the key was first seen (line 12, B7).
data-duplicate-key-note = 首次出现于 { $first }；每个地区只能出现一次
data-duplicate-key-not-units-note = 首次出现于 { $first }；主键为 '{ $key }' 的行不是地区：请在 dataset.toml 中用 skip_keys = ["{ $key }"]（或 where 筛选条件）将其排除
data-cell-problem = 列 '{ $column }'：{ $problem }
data-same-problem-more = 列 '{ $column }'：另有 { $count } 个单元格存在同样的问题，从 { $first } 起
data-skip-keys-no-match = { $table }：skip_keys 条目 '{ $entry }' 没有匹配任何主键
data-skip-keys-no-match-note = 请对照表中的主键检查它（模式可使用 * 和 ?）

## Problems of one cell (src/data/table.rs): the problem, then its hint.
data-cell-missing-value = 缺失值 '{ $value }'
data-cell-empty = 单元格为空
data-cell-no-default-number = 应为十进制数，如 1234.5 或 1,234.5；或为输入 '{ $input }' 声明默认值（default）
data-cell-no-default-bool = 应为 true/false、yes/no、1/0 或 是/否；或为输入 '{ $input }' 声明默认值（default）
data-cell-no-default-text = 应为文本；或为输入 '{ $input }' 声明默认值（default）
data-cell-error = 单元格中是错误值 { $error }
data-cell-error-hint = 请修正电子表格中的公式，或直接填入数值
data-cell-out-of-range = 数值 { $number } 超出范围：数字最多 28 位有效数字（约 ±7.9e28）
data-cell-out-of-range-hint = 请检查该单元格：金额单位是否正确？
data-cell-date-not-number = 这是一个日期（{ $date }），不是十进制数（如 1234.5 或 1,234.5）
data-cell-date-not-bool = 这是一个日期（{ $date }），不是 true/false、yes/no、1/0 或 是/否
data-cell-date-hint = 请将单元格格式设为数字或文本
data-cell-not-bool = { $value } 不是 true 或 false
data-expected-bool = 应为 true/false、yes/no、1/0 或 是/否
data-cell-bool-not-number = 这是一个真/假值单元格，不是数字
data-expected-number = 应为十进制数，如 1234.5 或 1,234.5
data-cell-missing-marker-hint = 如果 '{ $value }' 表示缺失值，请在公式中声明：missing = ["{ $value }"]，并为输入 '{ $input }' 设置默认值（default）
data-number-empty = '{ $value }' 为空值
data-number-not-a-number = '{ $value }' 不是数字
data-number-not-finite = '{ $value }' 不是有限数（NaN 和无穷大不能作为金额）
data-number-bad-grouping = '{ $value }' 不是数字：逗号只能用于整数部分每三位一组的分隔，如 1,234,567.5
data-number-out-of-range = '{ $value }' 超出范围：数字最多 28 位有效数字（约 ±7.9e28）
data-cell-below-min = { $value } 低于输入 '{ $input }' 的最小值 { $min }
data-cell-below-min-hint = 请更正该值，或修改公式 [inputs] 中的 min
data-cell-above-max = { $value } 高于输入 '{ $input }' 的最大值 { $max }
data-cell-above-max-hint = 请更正该值，或修改公式 [inputs] 中的 max
data-cell-unit-overflow = { $value } 太大，无法换算为公式的金额单位
data-cell-unit-overflow-hint = 数字最多 28 位有效数字

## where filters (src/data/filter.rs)
data-filter-not-true-or-false = 筛选条件对每一行都必须得出真或假（一个比较，或用 and/or/not 组合的比较）
data-filter-minus-needs-number = '-' 需要一个数字
data-filter-unknown-column = 筛选条件读取了 '{ $name }'，但它不是表中的列
# $names: one to three quoted column names, joined by commas.
data-filter-unknown-column-hint = 您是不是想写 { $names }？
data-filter-unknown-column-note = 筛选条件中的文本用单引号括起：starts_with(code, '62')
data-filter-unknown-function = '{ $function }' 不是筛选条件可用的函数
data-filter-unknown-function-note = 筛选条件可用的函数有：{ $functions }
data-filter-arity = { $function } 需要 { $expected } 个参数，实际给了 { $given } 个
data-filter-arity-two-or-more = { $function } 需要两个或更多参数，实际给了 { $given } 个
data-filter-logic-needs-bool = and、or 和 not 需要真/假值（比较）
data-filter-needs-numbers = '{ $op }' 需要数字，实际为 '{ $left }' 和 '{ $right }'
data-filter-cannot-compute = 无法计算 { $left } { $op } { $right }

## Data that loads but looks wrong (src/data/warnings.rs)
data-warn-outliers = 输入 '{ $input }'：有 { $units } 个地区偏离均值超过 { $limit } 个标准差
data-warn-outliers-note = 请检查这些值；可在 [inputs.{ $input }] 中设置 outlier_sd 以调整阈值（设为 0 则关闭此检查）
data-warn-far-from-median = 输入 '{ $input }'：有 { $units } 个地区超过中位数 { $median } 的 { $factor } 倍
data-warn-far-from-median-note = 这些值是否使用了另一种金额单位（元与万元）？在 [inputs.{ $input }] 中设置 outlier_sd = "0" 可关闭此检查
data-warn-changed = 输入 '{ $input }'：有 { $units } 个地区与 '{ $other }' 相比变化超过 { $ratio } 倍
# $units: the first units listed with their values ("620102 城关区 = 11601, ...").
data-warn-units-and-more = { $units }，另有 { $more } 个

## dataset.toml (src/data/dataset.rs)
data-unknown-join = 未知的连接方式 '{ $join }'
data-unknown-join-note = 应为 "left"（由第一张表确定地区）或 "exact"（每张表的主键完全相同）
data-no-tables = dataset.toml 中没有列出任何表
data-no-tables-note = 请添加 [[table]] 条目，并写明 file = "..."
data-table-needs-file = [[table]] 需要 'file'
data-unknown-encoding = 未知的编码 '{ $name }'
data-unknown-encoding-note = 应为 utf-8、utf-16le、utf-16be、gb18030 或 gbk
# What a value is, in messages such as "... must be a string, found a number".
data-what-new-column-name = 列 '{ $column }' 的新名称
data-header-row-from-one = header_row 从 1 开始计数（工作表或文件的第一行）
data-where-syntax = table.where：{ $message }
data-where-not-string = table.where 必须是写在字符串中的表达式，例如 "starts_with(code, '62')"
data-header-rows-range = header_rows 只能为 1 或 2（两级表头）
data-table-outside-folder = '{ $file }' 位于数据集文件夹之外；表必须放在该文件夹下（或使用 --allow-outside，或在 dataset.toml 的 [dataset] 下写 allow_outside = true）
data-table-symlink-outside = '{ $file }' 通过符号链接指向数据集文件夹之外（或使用 --allow-outside，或在 dataset.toml 的 [dataset] 下写 allow_outside = true）

## Datasets (src/data/mod.rs)
data-recorded-elsewhere = 记录的输入指向 { $name }（{ $kind ->
        [disk] 磁盘上的文件
        [embedded] 内置于 equalize 的文件
       *[builtin] 内置公式
    }），而清单（manifest）记录它为{ $recorded ->
        [disk] 磁盘上的文件
        [embedded] 内置于 equalize 的文件
       *[builtin] 内置公式
    }；不予读取
data-not-recorded = 记录的输入指向 { $name }，但清单（manifest）中没有记录该文件；不予读取
data-recorded-note = 清单（manifest）的输入与其文件记录不一致：它被修改过，或是由其他程序写出的
# $names: up to three quoted keys or labels; $left_out: the summary's lines about rows left out.
data-no-such-unit = { $data } 中没有主键或标签为 '{ $key }' 的地区
data-no-such-unit-hint = { $data } 中没有主键或标签为 '{ $key }' 的地区（您是不是想写 { $names }？）
data-no-such-unit-left-out = { $data } 中没有主键或标签为 '{ $key }' 的地区；数据中有行被排除：{ $left_out }
data-no-such-unit-hint-left-out = { $data } 中没有主键或标签为 '{ $key }' 的地区（您是不是想写 { $names }？）；数据中有行被排除：{ $left_out }
data-label-shared = 有 { $count } 个地区的标签为 '{ $label }'：{ $keys }；请用主键指定其中一个

## Reading files (src/files.rs). $what is the file's role, one of the data-role-* messages.
data-role-data-file = 数据文件
data-role-formula-file = 公式文件
data-role-manifest = 清单文件（manifest）
data-role-published-output = 已发布的输出文件
data-role-input = 输入文件
data-role-scenario-file = 情景文件
data-role-sweep-file = 参数扫描文件
data-role-sweep-record = 参数扫描记录
data-role-sweep-table = 参数扫描表
data-role-test-file = 测试文件
data-role-prior-summary = 上一次运行的汇总
data-role-prior-audit = 上一次运行的审计表
data-file-is-folder = 该{ $what }是一个文件夹
data-file-not-regular = 该{ $what }不是普通文件（而是管道、套接字或设备）
data-file-give-path = 请给出{ $what }本身的路径
data-file-too-big = 该{ $what }大小为 { $size } 字节；{ $what }的上限为 { $limit } 字节
data-file-grew = 该{ $what }超过 { $limit } 字节（读取过程中文件在增长）；{ $what }的上限为 { $limit } 字节
data-file-too-big-note = 请确认这是正确的文件，或将其拆分
data-file-changed-while-opened = 该{ $what }不是普通文件（打开过程中文件发生了变化）
data-file-not-utf8 = 该{ $what }不是有效的 UTF-8（偏移 { $offset } 处有无效字节）
data-out-holds-input = --out { $out } 中含有输入 { $input }；请将结果写入单独的文件夹
data-out-over-input = { $out } 将会覆盖输入 { $input }；请写到其他位置
data-out-into-results-folder = { $out } 将会写入结果文件夹 { $folder }，而本命令只读取该文件夹；请写到其他位置（--out DIR/NAME）

## Joining tables (src/data/load/join.rs). $table is the first table, which defines the units.
data-no-data-rows = 该表有表头，但没有数据行
data-every-row-left-out = 没有剩下任何地区：表中的每一行都被排除了
data-every-row-left-out-note = 请对照表中的主键检查 where 筛选条件和 skip_keys
data-bad-default = 输入 '{ $input }' 的默认值 '{ $default }' 无法使用：{ $problem }
data-bad-default-note = 请更正公式 [inputs] 中的 default
data-units-missing = { $table } 中有 { $units } 个地区在此表中缺失
data-units-missing-most-note = 超过一半的地区缺失：这是正确的表吗？主键的写法是否一致？
data-units-missing-note = 请补上这些地区的行；只有当这些地区在此表中确实没有数据时，才在公式的 [inputs] 中为 { $inputs } 声明默认值（default）
data-units-missing-defaults = { $table } 中有 { $units } 个地区在此表中缺失，将使用输入的默认值
data-keys-extra = 此表中有 { $keys } 个主键不在 { $table } 中
data-keys-extra-left-out = 此表中有 { $keys } 个主键不是 { $table } 的地区，已被排除
data-label-differs-one = { $key }：此表为 '{ $here }'，{ $table } 中为 '{ $there }'
data-labels-differ = 有 { $units } 个地区的标签与 { $table } 不同；采用 { $table } 的标签
data-labels-differ-more = 另有 { $more } 个
data-labels-differ-note = 名称不一致的两张表，主键也可能不一致：请核对这些行是否为同一批地区
data-key-mismatch-cause = 其中 { $matched } 个主键与另一张表的主键仅相差{ $cause ->
        [leading-zero] 一个前导零
        [trailing-zero] 电子表格数字带来的末尾 '.0'
        [separators] 千位分隔符
       *[scientific] 电子表格的科学计数法
    }（'{ $key }' 对 '{ $other }'）：请修正其中一张表的主键列
data-units-list = 地区：{ $units }
data-units-list-more = 地区：{ $units }，另有 { $more } 个
data-keys-list = 主键：{ $keys }
data-keys-list-more = 主键：{ $keys }，另有 { $more } 个

## Columns for the key and the inputs (src/data/load/plan.rs)
data-key-column-repeated = 主键列 '{ $key }' 在表头中出现了 { $times } 次
data-key-column-repeated-note = 请重命名或删除多余的列，以明确哪一列用于标识地区
data-skip-keys-bad-pattern = skip_keys 条目 '{ $entry }' 不是有效的模式：{ $error }
data-skip-keys-bad-pattern-note = 模式可使用 *（任意文本）和 ?（单个字符）；[ 需要对应的 ]
data-missing-key-column = 缺少主键列 '{ $key }'
data-column-in-table = { $table } 中的 '{ $column }'
data-input-several-columns = 有多个列可以为输入 '{ $input }' 提供数据：{ $columns }
data-input-several-columns-note = 请只保留其中一列（或在 dataset.toml 中重命名其中一列），或从公式中删除该别名
data-missing-input-column = 缺少列 '{ $name }'（类型为 { $kind } 的输入）
data-missing-label-column = 缺少列 '{ $name }'（标签列）
data-also-accepted-as = 也接受以下列名：{ $aliases }
# A close header: $how says how it differs from what was written when it reads the same.
data-suggest-column = 您是不是想写 '{ $header }'？
data-suggest-column-differs = 您是不是想写 '{ $header }'？（{ $how }）
data-suggest-column-in-table = 您是不是想写 { $table } 中的 '{ $header }'？
data-suggest-column-in-table-differs = 您是不是想写 { $table } 中的 '{ $header }'？（{ $how }）
# One of several close headers, listed in data-suggest-one-of.
data-suggested-column = '{ $header }'
data-suggested-column-differs = '{ $header }'（{ $how }）
data-suggested-column-in-table = { $table } 中的 '{ $header }'
data-suggested-column-in-table-differs = { $table } 中的 '{ $header }'（{ $how }）
data-suggest-one-of = 您是不是想写以下之一：{ $columns }？
data-table-has = { $table } 中的列有：{ $columns }
data-table-searched = 已搜索 { $table }（共 { $count } 列：{ $columns }……）

## Finding the data (src/data/load/mod.rs, src/data/load/sources.rs)
data-no-data-given = 未提供数据
data-imprecise-cells = 有 { $cells } 个单元格中的数字超过 15 位有效数字，Excel 无法精确存储
data-imprecise-cells-note = 请在工作簿中将这类数字存为文本，以保留每一位
data-folder-without-toml = { $folder } 是一个没有 dataset.toml 的文件夹
data-folder-without-toml-note = 数据集文件夹在 dataset.toml 中描述它的表；参见 docs/data.md
data-sheet-not-workbook = sheet = "{ $sheet }" 指定了工作表，但 { $file } 不是工作簿
data-encoding-for-workbook = encoding = "{ $encoding }" 只适用于 CSV 文件，但 { $file } 是工作簿
data-hash-sheet-not-workbook = '#{ $sheet }' 指定了工作表，但 { $file } 不是工作簿
data-hash-sheet-not-workbook-note = 工作表只存在于 .xlsx、.xlsm、.xlsb、.xls 和 .ods 文件中；对 CSV 文件请去掉 '#...'
data-sheet-flag-unused = --sheet 适用于用 --data 给出的工作簿，但没有给出任何工作簿（数据集文件夹在 dataset.toml 中指定工作表）
data-encoding-flag-unused = --encoding 适用于用 --data 给出的 CSV 文件，但没有给出任何 CSV 文件（数据集文件夹在 dataset.toml 中指定编码）
data-where-flag-unused = --where 适用于用 --data 给出的文件，但没有给出任何文件（数据集文件夹在 dataset.toml 中为表写 where = "..."）
data-where-flag-folder = --where 筛选的是确定地区的表，即第一个 --data，而它是一个数据集文件夹：请把文件放在最前面，或在 dataset.toml 中为该表写 where = "..."
data-where-flag-syntax = --where：{ $message }
data-toml-not-utf8 = dataset.toml 不是有效的 UTF-8

## Workbooks refused before they are read (src/data/workbook_limits.rs). $part is a part of the workbook file (xl/worksheets/sheet1.xml) or data-xls-sheet.
data-workbook-refused-note = 请用电子表格软件重新保存该工作表，或将其导出为 CSV
data-workbook-part-unreadable = 无法读取工作簿的第 { $part } 部分：{ $error }
data-workbook-part-damaged = 工作簿的部件 { $part } 已损坏：{ $error }
data-workbook-too-large = 工作簿解压后超过 { $limit } 字节（部件 { $part }）；这是工作簿的上限
data-workbook-shared-strings = { $part } 声明了 uniqueCount 为 { $count } 个共享字符串，但只有 { $bytes } 字节
data-sheet-too-many-cells = { $part } 跨越 { $rows } 行 × { $columns } 列（{ $cells } 个单元格）；工作表的上限为 { $limit } 个单元格
data-workbook-compound-unreadable = 无法读取工作簿的复合文件：{ $error }
data-workbook-stream-damaged = 工作簿数据流已损坏：{ $error }
data-workbook-stream-too-large = 工作簿数据流超过 { $limit } 字节；这是工作簿的上限
data-xls-sheet = 工作表 { $number }
data-xls-sheet-start = { $part } 起始于第 { $start } 字节，而工作簿数据流只有 { $bytes } 字节；工作簿已损坏
data-xlsb-row-record-short = { $part } 中有一条 { $length } 字节的行记录，长度不足；工作簿已损坏
data-xlsb-cell-record-short = { $part } 中有一条 { $length } 字节的单元格记录，长度不足；工作簿已损坏
data-ods-too-many-cells = content.xml 跨越 { $rows } 行 × { $columns } 列（{ $cells } 个单元格，含重复计数）；工作表的上限为 { $limit } 个单元格
data-cell-citation = { $file }:{ $line }，'{ $column }' 列
