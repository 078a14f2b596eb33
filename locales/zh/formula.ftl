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

## Expressions: lexer and parser
formula-token-number = 数字 { $number }
formula-token-name = 名称 '{ $name }'
formula-token-text = 文本 '{ $text }'
formula-token-end = 表达式结尾
formula-lex-single-equals = '=' 在这里不是运算符；比较请写 '=='
formula-lex-bang = '!' 不是运算符；请写 'not' 或 '!='
formula-lex-unterminated-text = 文本未结束：缺少结尾的 '
formula-lex-number-out-of-range = '{ $literal }'：{ $problem }
formula-lex-bad-number = '{ $literal }' 不是有效的数字
formula-lex-ends-with-dot = '{ $word }' 以点号结尾
formula-lex-double-quote = 意外的字符 '{ $character }'（表达式中的文本用单引号：'like this'）
formula-lex-caret = 意外的字符 '{ $character }'（乘方请用 pow(x, y)）
formula-lex-percent = 意外的字符 '{ $character }'（百分比请写成小数：0.05）
formula-lex-and-or = 意外的字符 '{ $character }'（请写 'and' / 'or'）
formula-lex-unexpected-character = 意外的字符 '{ $character }'
formula-lex-name-character = 名称中不允许使用字符 '{ $character }'（U+{ $code }）（名称只能使用 ASCII 字母、数字、'_' 和汉字，以免两个看起来相同的名称实际不同）
formula-parse-too-long = 表达式长 { $length } 字节，上限为 { $limit }：请拆分成几个变量
formula-parse-empty = 表达式为空
formula-parse-expected-operator = 应为运算符或表达式结尾，实际是{ $found }
formula-parse-too-deep = 表达式嵌套超过 { $limit } 层：请拆分成几个变量
formula-parse-chained-comparison = 比较不能连写；请写成 'a < b and b < c'
formula-parse-bad-number = '{ $literal }'：{ $problem }
formula-parse-expected-value = 应为一个值，实际是{ $found }
formula-parse-expected-close = 应为 ')' 以闭合前面的 '('，实际是{ $found }

## Formula files (spec reader)
formula-unknown-unit = { $what }：未知的金额单位 '{ $text }'
formula-unknown-unit-note = 应为 yuan（元）、10k yuan（万元）、100m yuan（亿元），或 10 的幂，如 1、1e3、1e6
formula-expression-not-string = { $what } 必须是写在字符串中的表达式，实际是{ $found }
formula-expression-error = { $what }：{ $message }
formula-what-file = 公式文件
formula-needs-field = [formula] 缺少 '{ $field }'
formula-needs-name-note = 请添加：name = "..."
formula-needs-key-note = 请添加：key = "county_code"（用于标识地区的列）
formula-no-formula-table = 公式文件中没有 [formula] 表
formula-no-formula-table-note = 请在文件开头写 [formula]，以及 name = "..." 和 key = "..."
formula-report-columns-empty = report.columns 为空：请写出金额列，或删去这个键
formula-report-title-empty = report.title 为空：请为表格指定标题，或删去这个键
formula-what-label = '{ $name }' 的标签
formula-what-var = 变量 '{ $name }'
formula-allocation-not-tables = 分配阶段应写成 [[allocation]] 表
formula-what-input = 输入 '{ $name }'
formula-unknown-input-type = 未知的输入类型 '{ $kind }'
formula-unknown-input-type-note = 应为以下之一：number、text、bool
formula-aliases-strings = { $what }：别名必须是字符串
formula-aliases-array = { $what } 必须是字符串数组
formula-input-min-above-max = 输入 '{ $name }' 的最小值 { $min } 大于最大值 { $max }
formula-input-min-max-number = 输入 '{ $name }'：min 和 max 只适用于数字输入
formula-param-special-beside = '{ $name }' 由其 { $special } 值给出：'{ $key }' 不能与之并列
formula-param-special-beside-note = [params.{ $name }] 中只能有 { $special } = ...；说明文字请写成注释
formula-what-param = 参数 '{ $name }'
formula-what-brackets = '{ $name }' 的分档表
formula-brackets-not-array = { $what } 必须是由 [下限, 值] 行组成的数组
formula-brackets-no-rows = { $what } 没有任何行
formula-brackets-row-shape = { $what }：第 { $row } 行必须是 [下限, 值]
formula-what-bracket-bound = { $what } 第 { $row } 行的下限
formula-what-bracket-value = { $what } 第 { $row } 行的值
formula-brackets-not-increasing = { $what }：第 { $row } 行从 { $bound } 开始，没有高于上一行
formula-brackets-not-increasing-note = 请按下限从小到大的顺序书写各行
formula-date-not-date = { $what } 必须是形如 "2020-01-01" 的日期，实际是{ $found }
formula-date-invalid = { $what }：{ $message }
formula-what-dated = '{ $name }' 的分日期取值
formula-dated-not-table = { $what } 应写成表：dated = {"{"} "2015-01-01" = "117000000" {"}"}
formula-what-dated-from = { $what }（自 { $date } 起）
formula-dated-no-dates = { $what }：表中没有日期
formula-what-allocation = [[allocation]] 第 { $number } 个
formula-what-allocation-key = { $what } 的 { $key }
formula-stage-needs-name = { $what } 缺少名称
formula-stage-needs-expression = 分配阶段 '{ $stage }' 缺少 '{ $key }' 表达式
formula-round-not-positive = 分配阶段 '{ $stage }'：取整单位必须为正数，实际是 { $value }

## Scenario files
formula-what-scenario-file = 情景文件
formula-no-scenario-table = 情景文件中没有 [scenario] 表
formula-no-scenario-table-note = 请在文件开头写 [scenario]，以及 name = "..."、formula = "..." 和 data = "..."
formula-scenario-no-param = 公式中没有参数 '{ $name }'
formula-scenario-no-param-hint = 公式中没有参数 '{ $name }'（您是不是想写 '{ $hint }'？）
formula-scenario-no-param-note = 情景只能修改公式中已有的参数
formula-scenario-input-not-number = 输入 '{ $name }' 不是数字输入；只有数字输入可以被覆盖
formula-scenario-no-input = 公式中没有输入 '{ $name }'
formula-scenario-no-input-hint = 公式中没有输入 '{ $name }'（您是不是想写 '{ $hint }'？）

## prior(...)
formula-prior-not-name = prior(...) 的参数应为上期运行中的变量、分配阶段、输入或 total 的名称
formula-prior-not-name-note = 请写 prior(total) 或 prior(total, 0)，不要写表达式
formula-prior-arguments = prior(...) 接受一个名称和一个可选的默认值，实际有 { $count } 个参数

## Evaluation, per unit
formula-eval-division-by-zero = 除以零
formula-eval-overflow = 数值过大（超出 28 位有效数字）
formula-eval-sqrt-negative = 对负数开平方
formula-eval-log-non-positive = 对零或负数取对数
formula-eval-pow-domain = pow() 对负数取小数次幂，或结果超出范围
formula-eval-bad-places = round() 的位数必须是 -28 到 28 之间的整数
formula-eval-empty-aggregate = 汇总范围内没有任何地区
formula-eval-below-brackets = 该值低于分档表的第一个下限
formula-eval-bracket-order = 分档表各行的下限没有逐行递增
formula-eval-group-not-whole = 分组依据应为文本或整数，而该值带有小数
formula-eval-not-ready = 值在计算之前就被使用了（内部错误）

## Formula test files (equalize test)
formula-what-test-file = 测试文件
formula-what-formula-file = 公式文件
formula-test-ok = 通过  { $name }（{ $checks } 项检查）
formula-test-fail = 失败  { $name }
formula-what-the-test-file = 测试文件
formula-test-no-cases = 测试文件中没有 [[case]]
formula-test-no-cases-note = 请添加 [[case]] 表，写明名称、地区和预期值
formula-what-test-case = 测试用例
formula-what-case-name = 用例名称
formula-test-case-default = 用例 { $number }
formula-test-param-number = 参数 '{ $name }' 必须是数字
formula-test-unit-field = 地区字段 '{ $field }' 必须是数字、文本或 true/false，实际是{ $found }
formula-test-expected-value = 预期值必须是数字或 true/false
formula-test-expected-k = 预期的 k 必须是数字
formula-test-checks-nothing = 测试用例 '{ $name }' 没有检查任何内容
formula-test-checks-nothing-note = 请添加预期值（[case.expect.KEY]）或 k（[case.k]）；没有它们的用例总是通过
formula-test-at-line = 第 { $line } 行：{ $message }
formula-test-unknown-field = 地区 { $unit }：未知字段 '{ $field }'：它不是公式的输入、数据列名或变量
formula-test-unknown-field-hint = 地区 { $unit }：未知字段 '{ $field }'（您是不是想写 '{ $hint }'？）：它不是公式的输入、数据列名或变量
formula-test-var-not-set = 地区 { $unit }：变量 '{ $name }' 在本用例的其他地区中已设置，但这里没有；请为每个地区都设置
formula-test-set-by-case = 由测试用例设定
formula-test-input-problem = 地区 { $unit }：输入 '{ $input }'：{ $problem }
formula-test-input-unreadable = 地区 { $unit }：无法读取输入 '{ $input }'
formula-test-case-origin = 用例 '{ $name }'
formula-test-no-unit = 本用例中没有地区 '{ $unit }'
formula-test-no-name = 公式中没有变量、分配阶段或输入 '{ $name }'
formula-test-expected-got = 地区 { $unit }：{ $name }：预期 { $expected }，实际 { $got }
formula-test-no-stage = 公式中没有分配阶段 '{ $stage }'
formula-test-k-expected-got = 分配阶段 { $stage }：k 预期 { $expected }，实际 { $got }
formula-dated-no-date = 参数 '{ $param }' 按日期取值，但本次测算没有日期：请在 [formula] 中加上 date = "YYYY-MM-DD"，或给出 --date
formula-dated-not-in-force = 参数 '{ $param }' 在 { $date } 没有施行中的取值：其最早的取值自 { $first } 起施行
