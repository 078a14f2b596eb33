# Chinese messages: formula. Every identifier here is in the other language's formula.ftl with the same arguments.

## TOML files (tomlspan)
formula-toml-kind-string = 字符串
formula-toml-kind-number = 数字
formula-toml-kind-boolean = 布尔值
formula-toml-kind-table = 表
formula-toml-kind-array = 数组
formula-toml-kind-date = 日期
formula-toml-invalid = TOML 格式无效：{ $message }
formula-toml-unknown-key = { $what } 中有未知的键 '{ $key }'
formula-did-you-mean = 您是不是想写 '{ $hint }'？
formula-toml-expected-one-of = 应为以下之一：{ $keys }
formula-toml-must-be-table = { $what } 必须是表，实际是{ $found }
formula-toml-must-be-tables = { $what } 必须是表，实际是{ $found }
formula-toml-must-be-string = { $what } 必须是字符串，实际是{ $found }
formula-toml-expected-strings = { $what }：应为字符串
formula-toml-must-be-strings = { $what } 必须是字符串或字符串数组
formula-toml-must-be-number = { $what } 必须是数字，实际是{ $found }
formula-toml-not-decimal = { $what }：数字请用十进制书写，不要写 '{ $text }'
formula-toml-bad-number = { $what }：'{ $text }' { $problem }
formula-toml-must-be-count = { $what } 必须是 0 到 { $max } 之间的整数，实际是 { $value }
formula-toml-must-be-boolean = { $what } 必须是 true 或 false，实际是{ $found }

## The checker
check-type-number = 数字
check-type-condition = 条件（true/false）
check-type-text = 文本
check-compare-with-not-number = 输入 '{ $input }'：compare_with 指定的 '{ $name }' 不是数字输入
check-compare-with-unknown = 输入 '{ $input }'：compare_with 指定的输入 '{ $name }' 不存在
check-compare-with-unknown-hint = 输入 '{ $input }'：compare_with 指定的输入 '{ $name }' 不存在（您是不是想写 '{ $hint }'？）
check-input-override-uses = 输入覆盖 '{ $name }' 只能使用输入、参数和数字
check-input-override-uses-note = 它在计算任何变量或汇总值之前就作用于数据
check-what-input-override = 输入覆盖 '{ $name }'
check-label-empty = [labels] 给 '{ $name }' 的标签为空
check-label-unknown = [labels] 中的 '{ $name }' 不是输入、变量、分配阶段、主键或标签列
check-label-unknown-hint = [labels] 中的 '{ $name }' 不是输入、变量、分配阶段、主键或标签列（您是不是想写 '{ $hint }'？）
check-key-is-input = '{ $key }' 是主键列，不能声明为输入
check-group-by-not-text = report.group_by：'{ $name }' 不是文本输入
check-group-by-not-text-hint = report.group_by：'{ $name }' 不是文本输入（您是不是想写 '{ $hint }'？）
check-group-by-not-text-note = 请按声明为 type = "text" 的输入分组（写它的名称、标签或列名）
check-report-compare-with = report.compare_with：'{ $name }' 不是数字输入或变量
check-report-compare-with-hint = report.compare_with：'{ $name }' 不是数字输入或变量（您是不是想写 '{ $hint }'？）
check-report-language = report.language：报告不支持语言 '{ $language }'
check-report-language-note = 应为 "en" 或 "zh"
check-report-column-needs-compare = report.columns：'{ $name }' 需要设置 report.compare_with
check-report-column-needs-compare-note = 请指定上年金额：compare_with = "last_transfer"
check-report-column-unknown = report.columns：'{ $name }' 不是表中的列
check-report-column-unknown-hint = report.columns：'{ $name }' 不是表中的列（您是不是想写 '{ $hint }'？）
check-report-column-unknown-note = 列可以是分配阶段、total、compare_with 指定的金额、change、growth 或 bound
check-report-column-twice = report.columns：'{ $name }' 重复列出
check-metrics-not-number = metrics：'{ $name }' 不是数字输入或变量
check-var-is-text = 变量 '{ $name }' 是文本；变量必须是数字或条件
check-var-is-text-note = 文本输入可以用于比较（region == 'west'）或分组（sum_by(region, x)）
check-group-not-name = { $what } 必须写出用于分组的输入或变量，实际是 '{ $name }'
check-group-not-name-hint = { $what } 必须写出用于分组的输入或变量，实际是 '{ $name }'（您是不是想写 '{ $hint }'？）
check-group-not-name-note = 分组依据是文本、整数或 true/false 类型的输入或变量：每个取值为一组
check-what-stage-key = 分配阶段 '{ $stage }' 的 { $key }
check-what-stage-within = 分配阶段 '{ $stage }' 的 within
check-expected-number = { $context }：应为数字，实际是{ $found }
check-expected-condition = { $context }：应为条件（true/false），实际是{ $found }
check-expected-condition-note = 请把它与某个值比较，例如 x > 0
check-param-group = '{ $name }' 是一组参数，不是一个值
check-param-group-note = 请使用其中之一：{ $members }
check-cannot-compare-same = { $context } 不能比较{ $left }和{ $right }；只能用 == 和 !=
check-cannot-compare = { $context } 不能比较{ $left }和{ $right }
check-unknown-function = 未知函数 '{ $function }'
check-unknown-function-hint = 未知函数 '{ $function }'（您是不是想写 '{ $hint }'？）
check-unknown-function-note = 可用的函数见 docs/formula-language.md
check-arity-exact = { $function } 需要 { $min } 个参数，实际有 { $found } 个
check-arity-at-least = { $function } 至少需要 { $min } 个参数，实际有 { $found } 个
check-arity-range = { $function } 需要 { $min } 到 { $max } 个参数，实际有 { $found } 个
check-usage = 用法：{ $signature }
check-min-over-all-note = 要取所有地区中的最小值，请用 { $function }_of(x)
check-max-over-all-note = 要取所有地区中的最大值，请用 { $function }_of(x)
check-what-if-condition = { $call } 的条件
check-if-branches = if() 的两个分支类型必须相同；实际是{ $left }和{ $right }
check-bracket-table = { $function } 的第一个参数必须是 [params] 中的分档表
check-bracket-table-note = 声明方式：[params.stratum] brackets = [["0", "1"], ["500", "2"]]
check-what-first-argument = { $function } 的第一个参数
check-group-argument = { $function } 的第一个参数必须写出分组依据：一个输入或变量
check-group-argument-note = 请先在变量中算出分组：stratum = "bracket(strata, population)"
check-what-where-argument = { $call } 的 'where' 参数
check-kind-input = 输入
check-kind-param-group = 参数组
check-kind-param = 参数
check-kind-var = 变量
check-kind-stage = 分配阶段
check-existing-input = 一个输入
check-existing-param = 一个参数
check-existing-var = 一个变量
check-existing-stage = 一个分配阶段
check-name-is-function = { $what } '{ $name }' 与内置函数同名
check-name-is-function-note = 请换一个名称；函数名不能被覆盖
check-name-reserved = { $what } '{ $name }' 使用了保留字
check-name-invalid = { $what } '{ $name }' 不是有效的名称
check-name-invalid-note = 名称以 ASCII 字母、'_' 或汉字开头，后接这些字符或数字；其他文字的字母因与拉丁字母形似而不被接受
check-name-taken = { $what } '{ $name }' 与{ $existing }同名
check-name-taken-note = 每个输入、参数、变量和分配阶段都需要有自己的名称
check-param-twice = 参数 '{ $name }' 被定义了两次
check-param-invalid = 参数 '{ $name }' 不是有效的名称
check-refers-to-itself = '{ $name }' 引用了自身
check-long-cycle = { $count } 个名称构成循环定义：{ $first } -> ... -> { $last }
check-cycle = 循环定义：{ $path }
check-cycle-note = 变量不能直接或间接地依赖自身的值
check-chain-too-deep = '{ $name }' 位于一条由 { $depth } 个定义组成的链的末端，每个定义都引用前一个；上限为 { $limit }
check-chain-too-deep-note = 请用更少的步骤计算这条链（用一个汇总值，或写成一个表达式）
