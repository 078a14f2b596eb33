# equalize 的简体中文信息，按标识符排列。每个标识符在 en.ftl 中也有，参数相同
# （测试：i18n::tests::catalogues_have_the_same_messages_and_arguments）。

## 诊断信息
severity-error = 错误
severity-warning = 警告
diag-summary = { $errors } 个错误，{ $warnings } 个警告
diag-summary-files = { $counts }，涉及 { $files } 个文件
diag-unit = 地区 { $key }
check-unknown-name = 未知名称 '{ $name }'
check-unknown-name-hint = 未知名称 '{ $name }'（您是不是想写 '{ $hint }'？）
check-unknown-name-note = 可用的名称有：输入、参数、变量和之前的分配阶段
check-unknown-name-function = '{ $name }' 是一个函数：请写成 { $name }(...)

## 运行结果摘要
run-units = { $formula }：{ $units } 个地区
run-formula = 公式
run-data = 数据
run-no-stages = 没有分配阶段：各地区的变量见 audit.csv
run-wrote = 已写入 { $files }
run-groups = { $groups } 组
table-stage = 阶段
table-pool = 资金总额
table-k = 系数 k
table-at-floor = 取保底
table-at-cap = 取封顶
table-sum = 合计
table-total = 总计

## 均等化指标
metrics-heading = 按 { $population } 计的人均 { $capacity }（{ $units } 个地区），转移支付前 -> 后
metric-gini = 基尼系数
metric-gini-weighted = 基尼系数（人口加权）
metric-cv = 变异系数
metric-cv-weighted = 变异系数（人口加权）
metric-theil = 泰尔指数
metric-theil-weighted = 泰尔指数（人口加权）
metric-max-min = 最大值 / 最小值
metric-min-mean = 最小值 / 平均值
metric-poorest-fifth = 最贫困 20% 人口所得转移支付占比
metric-undefined = 无定义

## 计数（diag::plural）
count-argument = { $n } 个参数
count-cell = { $n } 个单元格
count-check = { $n } 项检查
count-extra-rounding-unit = { $n } 个额外取整单位
count-input = { $n } 个输入
count-key = { $n } 个键
count-problem = { $n } 个问题
count-row = { $n } 行
count-scenario = { $n } 个情景
count-shard = { $n } 个分片
count-stage = { $n } 个分配阶段
count-unit = { $n } 个地区
count-value = { $n } 个值
count-var = { $n } 个变量
diag-did-you-mean-suffix = （您是不是想写 '{ $hint }'？）

## 命令行
cli-check-ok = 通过：{ $formula }（{ $origin }），数据 { $data }：{ $units }，{ $inputs }，{ $vars }，{ $stages }；{ $problems }
cli-no-problems = 未发现问题
cli-wrote = 已写入 { $path }
cli-asked-twice = { $name } 被要求了两次（--out 和 --report）
cli-no-var-or-stage = 公式中没有名为 '{ $name }' 的变量或分配阶段{ $hint }
cli-unknown-encoding = 未知编码 '{ $text }'（可用：utf-8、utf-16le、utf-16be、gb18030 或 gbk）
cli-bad-lang = --lang { $lang }：可用的语言为 en 和 zh
cli-jobs-zero = --jobs 至少为 1
cli-jobs-too-many = --jobs { $jobs } 超过了 equalize 可启动的 { $max } 个线程；线程数不影响结果
cli-scenario-collision = --scenario { $first } 和 --scenario { $second } 都会写入 { $folder }；请将其中一个文件改名
cli-scenario-line = 情景：{ $name }（{ $file }）
cli-sweep-failed = { $total } 个情景中有 { $failed } 个无法计算（状态 error）；原因见 scenarios.{ $extension } 中对应的行
cli-sweep-unsolved = { $total } 个情景中有 { $unsolved } 个无解（{ $counts }）；原因见 scenarios.{ $extension } 中对应的行
cli-sweep-counts = { $ok } 个成功，{ $infeasible } 个无解，{ $failed } 个出错
cli-merge-into-shard = --out { $out } 是正在合并的分片之一；请把合并结果写到单独的文件夹
cli-merged = 已合并 { $shards }：共 { $scenarios } 个情景（{ $counts }），写入 { $out }
cli-sweep-progress = 扫描：{ $done }/{ $total } 个情景，每秒 { $rate } 个
cli-tests-summary = { $passed } 个通过，{ $failed } 个失败

## 命令行帮助（clap）
help-usage = 用法：
help-commands = 命令
help-arguments = 参数
help-options = 选项
help-heading-published-table = 公开发布的表格
help = 精确、可审计的财政转移支付分配计算
help-jobs = 工作线程数（默认：全部 CPU 核心）。无论取何值，结果都完全相同
help-quiet = 成功时不输出任何内容（错误仍输出到 stderr）
help-no_warnings = 不报告关于可疑数据的警告
help-lang = 提示信息和汇总的语言：en 或 zh（中文）。默认：取 EQUALIZE_LANG，否则按区域设置（LC_ALL、LC_MESSAGES、LANG 以 zh 开头），否则为英文
help-run = 计算分配结果，并写出 allocations.csv、audit.csv 和 summary.json
help-check = 加载数据并计算，但不写出任何文件；报告发现的全部问题
help-sweep = 按扫描文件批量运行多个情景（网格与蒙特卡洛），或合并分片
help-sweep-merge = 将各分片文件夹合并为与不分片运行相同的输出
help-compare = 比较两次运行（输出文件夹或情景文件）：哪些地区增加，哪些地区减少
help-explain = 逐步展示某一地区的金额是如何得出的
help-verify = 根据已发布运行的文件夹重现该运行，并逐项比对全部输出
help-formulas = 列出内置公式
help-test = 运行与公式放在一起的测试用例（*.test.toml）
help-completions = 输出 shell 补全脚本（bash、zsh、fish、elvish、powershell）
help-manpage = 输出 man 手册页（roff）
help-arg-formula = 公式文件（TOML），或内置公式的简称（见 `equalize formulas`）。默认：内置示例公式
help-arg-data = 数据：CSV 或工作簿文件（指定工作表用 book.xlsx#Sheet），或含有 dataset.toml 的文件夹。可重复指定，按主键连接多张表。默认：示例数据；使用 --formula 时必须指定
help-arg-sheet = 通过 --data 指定的工作簿所用的工作表（默认：第一张工作表）
help-arg-encoding = 通过 --data 指定的 CSV 文件的编码：utf-8、utf-16le、utf-16be、gb18030（gbk）。默认：自动检测（先看字节顺序标记，再试 UTF-8，否则为 GB18030）
help-arg-allow_outside = 允许 dataset.toml 引用其所在文件夹之外的表
help-verify-allow_outside = 允许记录的输入（及数据集中的表）位于输入文件夹之外。清单文件不能要求这样做；只有审计人员可以
help-arg-filter = 只保留第一个 --data 文件中满足此条件的行，条件用公式语言按该文件的列书写：--where "starts_with(区划代码, '62')"（docs/data.md）
help-arg-set = 为本次运行精确覆盖某个参数：--set pool=1050000 --set per_capita.health=0.9
help-arg-prior = 上年运行的文件夹（即 `equalize run` 写出的文件夹），供公式中的 `prior(name)` 使用：--prior runs/2025
help-arg-date = 按日期取值的参数（`[params.X] dated = {"{"}...{"}"}`）所取的日期，优先于公式的 `[formula] date`：--date 2020-06-30
help-arg-scenario = 情景文件：指定基础公式、数据集及要改动的内容（docs/scenarios.md）。`run` 可接受多个情景文件，每个情景写出一个输出文件夹
help-sweep-scenario = 改为将第 N 个情景（即其在 scenarios.csv 中的序号）作为完整运行写出：分配结果、审计表、汇总以及 `equalize verify` 可接受的清单文件
help-arg-title = 发布表的标题（优先于公式和情景中的 `[report] title`）
help-arg-group_by = 按此文本输入对发布表分组，并给出各组小计（`[report] group_by`）：--group-by 市州
help-arg-compare_with = 根据此数值输入或变量显示上年金额、增减额和增长率（`[report] compare_with`）：--compare-with last_year
help-arg-columns = 发布表的金额列及其顺序：各分配阶段、合计、对比金额、增减额、增长率、保底/封顶（`[report] columns`）：--columns total,last_transfer,change
help-arg-out = 输出文件夹
help-run-out = 输出文件夹；不存在时自动创建。只替换 equalize 写出的文件
help-compare-out = 同时将每个地区写入 FILE：.csv、.json、.xlsx 或 .html
help-run-trace = 同时写出 trace.jsonl：每个地区的推导树（同 `explain --format json`）
help-sweep-trace = 与 --scenario 一起使用：同时写出 trace.jsonl
help-run-csv_raw = 将主键、标签和文本输入原样写入 CSV 输出，即使电子表格会将其当作公式执行（`=...`、`+...`、`-...`、`@...`）；默认在此类文本前加 '
help-compare-csv_raw = 将主键和标签原样写入 .csv，即使电子表格会将其当作公式执行（`=...`、`+...`、`-...`、`@...`）；默认在其前加 '
help-run-labels = 在 allocations.csv 和 audit.csv 中增加第二行表头，内容为公式的标签（`[labels]`）；第一行保留供脚本读取的机器名称
help-run-report = 同时写出报表：xlsx（report.xlsx）或 html（report.html）；可重复指定
help-compare-report = 同时将比较结果写成报表：xlsx（comparison.xlsx）或 html（comparison.html），写入当前文件夹；可重复指定。等同于以该文件名使用 --out
help-arg-format = 报表的输出格式
help-sweep-format = 各表的输出格式
help-explain-format = 输出格式：以文本或 JSON 表示的取值树，或供阅读的 Markdown 说明（含标签、为便于阅读而舍入的数值，以及公式与上年对比时的上年数）
help-check-strict = 将警告视为错误（存在警告时以退出码 2 退出）
help-sweep-file = 扫描文件
help-sweep-shard = 只运行情景列表 N 等分后的第 I 份（从 1 开始计数），例如 3/8
help-sweep-fail_on_infeasible = 任一情景无解或失败时以退出码 3 退出（默认：全部情景计算完毕后以退出码 0 退出；各情景的结束情况见其 status 列）
help-sweep-merge-fail_on_infeasible = 任一合并后的情景无解或失败时以退出码 3 退出，与不分片运行一致
help-sweep-resume = 对于同一扫描（及分片）写入同一 --out 后中途被终止的运行，沿用其已完成的情景，只计算其余情景。结果逐字节相同
help-sweep-merge-dirs = 各分片的输出文件夹，顺序不限
help-compare-runs = 要比较的运行：输出文件夹或情景文件。两个时：A 与 B。多于两个时：第一个为基准，其余各个都与它比较，结果列在同一张表中
help-compare-by_stage = 两次运行时：同时逐个分配阶段比较（终端中显示各阶段的合计；使用 --out .csv 时给出每个地区在 A 和 B 中各阶段的金额；使用 .xlsx 时增加 By stage 工作表）
help-compare-rows = 增加最多和减少最多的地区各显示的行数
help-explain-key = 要解释的地区：其主键，或与其完全一致的标签（如县名）
help-explain-var = 只解释一个变量（或分配阶段、输入），而不是整个合计
help-explain-exact = 与 --format markdown 一起使用：显示全部位数，而不是为便于阅读而舍入的数值
help-explain-run = 依据已发布的运行进行解释：使用其清单文件中的公式、数据、情景和覆盖参数（代替 --formula、--data、--set）
help-explain-inputs = 与 --run 一起使用：若输入已迁移，指定该运行启动时所在文件夹的新位置
help-verify-inputs = 原运行启动时所在的文件夹，用于输入已整体迁移到此处的情况（清单文件中记录的输入路径是相对于该文件夹的）
help-verify-dir = 该运行的输出文件夹（含 manifest.json）
help-test-files = 测试文件（默认：全部 formulas/*.test.toml）
help-completions-shell = 要生成补全脚本的 shell
help-help = 显示帮助
help-version = 显示版本
cli-explain-unverified = 无法按已发布的结果说明 { $folder }：{ $why }；运行 `equalize verify { $folder }` 查看具体问题
cli-sweep-no-file = 请给出扫描文件，或使用 `sweep merge DIR... --out DIR`
cli-sweep-resume-afresh = 续算：--out 中的检查点属于另一次扫描（或输入、分片、格式、版本不同）；从头开始
cli-sweep-resumed = 续算：{ $total } 个情景中已完成 { $done } 个
cli-sweep-done = 扫描 { $title }：共 { $scenarios } 个情景，本次计算 { $ran } 个（分片 { $shard }）：{ $counts }；已写入 { $out }
cli-sweep-one = { $file } 的第 { $index } 个情景：{ $formula }，合计 { $total }
cli-compare-by-stage-many = --by-stage 只比较两次运行；多于两次时，请把基准与每个情景分别比较
cli-compare-not-a-run = { $path }：应为 `equalize run` 的输出文件夹或情景 .toml 文件
help-long =
    按写在文本文件中的公式，把一笔固定的资金精确地分配给各地区（县、省）：金额均为十进制数，从不使用浮点数，取整后的金额之和与资金总额分毫不差。

    退出码：0 成功；1 其他失败（读写文件）；2 用法或输入有误（公式或数据）；3 分配无解；4 公式测试未通过；5 verify 发现不一致。
