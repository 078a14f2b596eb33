# Chinese messages: pipeline. Every identifier here is in the other language's pipeline.ftl with the same arguments.

## 读取运行输入（pipeline/load.rs）
pipeline-title-empty = --title 为空：请给出表格标题
pipeline-date-option = --date：{ $problem }
pipeline-data-required-builtin = 需要 --data：{ $formula } 是为 { $data } 编写的，而当前目录中没有它
pipeline-data-required = 使用 --formula { $formula } 时需要 --data（演示数据只适用于演示公式）
pipeline-prior-not-given = { $formula } 使用了 prior(...)，但未给出 --prior：每个地区都取 prior(name, default) 的默认值
pipeline-prior-not-given-note = 除非这是连续年度计算的第一年，否则请用 --prior DIR 给出上一次运行的文件夹
pipeline-prior-required = { $formula } 使用了没有默认值的 prior(...)：请用 --prior DIR 给出上一次运行的文件夹
pipeline-prior-unused = --prior { $folder }：{ $formula } 没有使用 prior(...)，因此不会读取上一次运行
pipeline-sweep-scenario-alone = 参数扫描中的单个情景完全由扫描文件设定：请不要给出 --formula、--data、--scenario、--set、--date 或 --prior
pipeline-sweep-no-scenario = { $file } 的情景编号为 0 到 { $last }；没有情景 { $index }
pipeline-sweep-scenario-failed = 情景 { $index }：{ $problem }
pipeline-scenario-with-formula = 情景文件自己指定公式和数据：使用 --scenario 时请不要给出 --formula 和 --data
pipeline-scenario-formula-missing = 情景的公式 '{ $formula }' 不存在（路径相对于情景文件）
pipeline-scenario-no-formula = 情景没有指定公式
pipeline-scenario-no-formula-note = 请在 [scenario] 中加上 formula = "..."
pipeline-param-set-twice = 参数 '{ $name }' 被设置了两次（{ $first } 和 { $second }）；请只设置一次
pipeline-set-malformed = --set '{ $text }'：应写成 NAME=VALUE
pipeline-param-label = 参数 '{ $name }'
pipeline-param-unknown = { $setting }：公式中没有参数 '{ $name }'
pipeline-param-unknown-hint = { $setting }：公式中没有参数 '{ $name }'（您是不是想写 '{ $hint }'？）
pipeline-param-empty = { $setting }：值为空
pipeline-param-not-a-number = { $setting }：'{ $value }' { $problem }
pipeline-param-not-a-number-note = 请按公式的金额单位写纯数字，如 52500000000 或 5.25e10；不要带单位文字

## 无法读写文件（error.rs）
error-io = 无法{ $action } { $path }：{ $reason }
error-io-read = 无法读取 { $path }：{ $reason }
error-io-write = 无法写入 { $path }：{ $reason }
error-io-write-to = 无法写入 { $path }：{ $reason }
error-io-create = 无法创建 { $path }：{ $reason }
error-io-flush = 无法将 { $path } 写入磁盘：{ $reason }
error-io-find = 无法找到 { $path }：{ $reason }
error-io-list = 无法列出 { $path }：{ $reason }
error-io-lock = 无法锁定 { $path }：{ $reason }
error-io-remove = 无法删除 { $path }：{ $reason }
error-io-replace = 无法替换 { $path }：{ $reason }
error-io-create-folder = 无法创建文件夹 { $path }：{ $reason }
error-io-create-output-folder = 无法创建输出文件夹 { $path }：{ $reason }
error-io-create-temporary = 无法在 { $path } 中创建临时文件：{ $reason }
error-io-open-lock = 无法打开锁文件 { $path }：{ $reason }
error-io-read-checkpoint = 无法读取检查点文件 { $path }：{ $reason }
error-io-open-checkpoint = 无法打开检查点文件 { $path }：{ $reason }
error-io-create-checkpoint = 无法创建检查点文件 { $path }：{ $reason }
error-io-remove-checkpoint = 无法删除旧的检查点文件 { $path }：{ $reason }
error-io-standard-output = 标准输出
# 系统给出的原因（英文界面直接显示系统原文）。
error-io-reason-os = { $reason }（os error { $code }）
error-io-reason-not-found = 文件或目录不存在
error-io-reason-permission-denied = 权限不足
error-io-reason-already-exists = 文件已存在
error-io-reason-is-a-directory = 这是一个文件夹
error-io-reason-not-a-directory = 不是文件夹
error-io-reason-directory-not-empty = 文件夹不为空
error-io-reason-storage-full = 磁盘空间不足
error-io-reason-read-only = 文件系统为只读
error-io-reason-broken-pipe = 管道已关闭

## 数字与日期（money.rs、civil.rs），内置公式（shipped.rs）
# 数字的问题紧跟在所说的文本之后："'12a' 不是数字"。
pipeline-number-empty = 值为空
pipeline-number-not-a-number = 不是数字
pipeline-number-not-finite = 不是有限数（NaN 和无穷大不能作为金额）
pipeline-number-bad-grouping = 不是数字：逗号只能用于整数部分每三位数字分组，如 1,234,567.5
pipeline-number-out-of-range = 超出范围：数字必须在 28 位有效数字以内（约 ±7.9e28）
pipeline-date-shape = '{ $date }' 不是 YYYY-MM-DD 格式的日期（如 2020-01-01）
pipeline-date-month = '{ $date }' 中没有第 { $month } 月
pipeline-date-day = '{ $date }' 不是日历上存在的日期
pipeline-no-builtin = 没有名为 '{ $name }' 的内置公式；内置公式有 { $names }；公式文件请用路径指定（./{ $name }.toml）
pipeline-no-builtin-hint = 没有名为 '{ $name }' 的内置公式（您是不是想写 '{ $hint }'？）；内置公式有 { $names }；公式文件请用路径指定（./{ $name }.toml）

## verify：审核人员阅读的核验报告（pipeline/verify.rs）
verify-heading = 正在核验 { $folder }
verify-verified = 核验通过：运行的每个部分都与记录一致，每个输出都完全相同
verify-not-verified = 核验未通过：{ $reason }
verify-reason-differ = { $differing } 项结果不一致（标记为 !）
verify-reason-outside = 有 { $outside } 个输入位于输入文件夹之外，未读取，因此无法核验此次运行（标记为 !；未发现不一致）：请给出 --allow-outside 或 --inputs DIR
verify-reason-both = { $differing } 项结果不一致，另有 { $outside } 个位于输入文件夹之外的输入未读取（标记为 !）
verify-part-tool = 工具
verify-part-sweep = 扫描
verify-part-scenario = 情景
verify-part-formula = 公式
verify-part-input = 输入
verify-part-override = 覆盖
verify-part-data = 数据
verify-part-param = 参数
verify-part-output = 输出
verify-part-recompute = 重算
verify-part-prior = 上期
verify-not-a-folder = { $folder } 不是文件夹
verify-sweep-folder = { $folder } 是参数扫描的文件夹：请把其中的某个情景当作一次运行来核验，该运行用 `equalize sweep FILE --scenario N --out DIR` 写出
verify-no-manifest = { $folder } 中没有 manifest.json：它不是由 `equalize run` 写出的
verify-bad-manifest = { $file } 不是 equalize 能读取的运行清单：{ $problem }
verify-prior-unchanged = 运行清单未变（sha256 { $sha256 }）
verify-prior-changed = 其运行清单在本次运行读取后已被【修改】（记录的 sha256 为 { $recorded }，现为 { $now }）
verify-prior-missing = 【缺失】：{ $problem }（请用 --inputs 给出运行这一连续计算时所在的文件夹）
verify-chain-too-long = 连续计算超过 { $limit } 次运行：请逐个核验更早的运行
verify-prior-verified = 已作为独立运行核验通过
verify-failed = 【失败】：{ $problem }
verify-no-commit = 无提交记录
verify-tool-same = 即本程序
verify-tool-differs = 与本程序 { $tool }【不同】：请用生成该运行的版本来核验
verify-name-builtin = { $tool } 的内置公式 { $formula }
verify-name-embedded = { $file }（内置于 { $tool }）
verify-outside = 位于输入文件夹 { $folder } 之外：未读取（如需读取请给出 --allow-outside，或使用 --inputs）
verify-unchanged = 未变（sha256 { $sha256 }）
verify-size-differs = 记录的大小为 { $recorded } 字节，但现在是 { $now } 字节
verify-changed = 运行后已被【修改】（记录的 sha256 为 { $recorded }，现为 { $now }）
verify-missing = 【缺失】：{ $problem }
verify-unreadable = 【无法读取】：{ $problem }；未读取
verify-sweep-scenario = 此次运行是其中的情景 { $index }，包括随机抽样
verify-override = 此次运行中设为 { $value }（--set）
verify-output-manifest = 运行清单无法记录自身的哈希值
verify-output-unknown = 不是 equalize 写出的文件：无法核验
verify-cannot-recompute = 无法重算此次运行：有 { $count } 个记录的输入缺失：{ $files }
verify-cannot-recompute-not-under = 在 { $folder } 下也找不到它们
verify-cannot-recompute-give-inputs = 请给出 --inputs FOLDER：即当初启动运行的文件夹，也就是输入文件现在所在的位置
verify-cannot-recompute-cause = （{ $problem }）
verify-recompute-does-not-load = 【失败】：输入文件按现状无法读取（{ $count } 个问题）；请对它们运行 `equalize check` 查看原因
verify-name-the-run = 此次运行
verify-not-read-by-run = 被记录为输入，但此次运行并不读取它
verify-recorded-twice = 被记录了两次
verify-name-content = 内容
verify-identical = 完全相同（sha256 { $sha256 }）
verify-data-identical-reordered = 完全相同（文件的改动不影响结果：只是行或列的顺序、编码不同）（sha256 { $sha256 }）
verify-data-changed = 已被【修改】（记录的 sha256 为 { $recorded }，现为 { $now }）
verify-data-changed-units = 已被【修改】：新增 { $added } 个地区，删除 { $removed } 个，{ $changed } 个的输入有变化（记录的 sha256 为 { $recorded }，现为 { $now }）
verify-param-differs = 记录值 { $recorded }，重算值 { $now }
verify-param-not-recorded = 未记录（重算值 { $now }）
verify-param-unknown = 记录值 { $recorded }，但公式中没有这个参数
verify-none = 无
verify-prior-record = { $folder }（运行清单 sha256 { $sha256 }）
verify-name-run-prior = 此次运行的上期运行
verify-prior-mismatch = 记录的是 { $recorded }，但按记录的输入读取到的是 { $read }
verify-output-symlink = 是符号链接，不是运行写出的文件：未读取
verify-output-missing = 文件夹中【缺失】
verify-output-edited = 运行后被编辑过：其 sha256 { $sha256 } 与运行清单中的 { $recorded } 不符
verify-output-differs = 与重算结果【不同】（sha256 { $sha256 }）
verify-trace-differs = 与重算结果【不同】（sha256 { $sha256 }，重算为 { $recomputed }）
verify-output-not-regular = 不是普通文件（是链接、管道或设备）：未读取
verify-output-unlisted = 在文件夹中但不在运行清单中：不属于此次运行（是否是其他运行留下的？）
verify-no-builtin = 本程序没有内置公式 '{ $formula }'
verify-no-embedded = 本程序没有这个内置文件
verify-no-such-file = 文件不存在（请用 --inputs 说明输入文件现在所在的位置）
verify-columns-differ = 列不同：{ $old } -> { $new }
verify-unit-gone = { $key } { $unit }：已不在数据中
verify-unit-new = { $key } { $unit }：数据中新增
verify-more-units = ……另有 { $count } 个地区
verify-units-differ = { $count } 个地区不同：
verify-input-changed = 输入有变化：地区 { $unit }：{ $name } { $old } -> { $new }（来自 { $file }）
verify-more-inputs = ……另有 { $count } 个输入值有变化

## 计算：资金总额、保底、封顶、取整（engine.rs）
engine-rounding-below-floor = 分配阶段 '{ $stage }'：按 { $rounding } 取整后，有 { $count } 个地区低于保底（地区 { $unit }：{ $amount }，保底为 { $bound }）
engine-rounding-below-floor-note = 请把保底设为取整单位的整数倍，或使用更细的取整单位；audit.csv 中这些地区标记为 bound=floor，并给出精确金额
engine-rounding-above-cap = 分配阶段 '{ $stage }'：按 { $rounding } 取整后，有 { $count } 个地区高于封顶（地区 { $unit }：{ $amount }，封顶为 { $bound }）
engine-rounding-above-cap-note = 请把封顶设为取整单位的整数倍，或使用更细的取整单位；audit.csv 中这些地区标记为 bound=cap，并给出精确金额
engine-no-units = 数据中没有任何地区
engine-what-input-override = 输入覆盖 '{ $name }'
engine-what-aggregate = 汇总 { $source }
engine-what-var = 变量 '{ $name }'
engine-what-stage-part = 分配阶段 '{ $stage }' 的 { $part }
engine-what-stage-within = 分配阶段 '{ $stage }' 的 within
engine-eval-error-unit = { $what } 中出现{ $problem }（地区 { $unit }）
engine-eval-error = { $what } 中出现{ $problem }
engine-units-affected = 受影响的地区有 { $count } 个：{ $units }
engine-units-affected-more = 受影响的地区有 { $count } 个：{ $units }，另有 { $more } 个
engine-division-note = 请对除法加以保护，如 if(x > 0, y / x, 0)
engine-pool-not-one = 分配阶段 '{ $stage }'：资金总额必须对每个地区都相同，但地区 { $first } 为 { $pool }，地区 { $other } 为 { $other_pool }
engine-pool-not-one-note = 资金总额是一个金额：参数、sum(...) 之类的汇总，或每行取值都相同的列
engine-group-pool-not-one = 分配阶段 '{ $stage }'：组 '{ $group }' 内每个地区的资金总额必须相同，但地区 { $first } 为 { $pool }，地区 { $other } 为 { $other_pool }
engine-group-pool-not-one-note = 按组求解的分配阶段需要按组给出资金总额，如 sum_by(province, earlier_stage)
engine-unit-mix-up = 其中一个是另一个的 { $times } 倍：它们的金额单位是否一致（元与万元）？公式的金额单位同时适用于资金总额、数据和每个 --set
engine-stage-in-group = '{ $stage }'（组 '{ $group }'）
engine-floors-above-pool = 分配阶段 { $stage } 无解：保底合计 { $floors }{ $unit }，超过资金总额 { $pool }{ $unit }
engine-floors-above-pool-note = 请降低保底或增加资金总额
engine-caps-below-pool = 分配阶段 { $stage } 无解：封顶合计 { $caps }{ $unit }，低于资金总额 { $pool }{ $unit }
engine-caps-below-pool-note = 请提高封顶或减少资金总额
engine-no-weight = 分配阶段 { $stage } 无解：所有权重都为零，金额固定为 { $fixed }，但资金总额为 { $pool }
engine-mixed-signs = 分配阶段 { $stage }：权重必须全部 >= 0 或全部 <= 0，但地区 { $positive } 为 { $positive_weight }，地区 { $negative } 为 { $negative_weight }
engine-mixed-signs-note = 权重有正有负时，总额不随 k 单调变化，拟合结果不唯一
engine-floor-above-cap = 分配阶段 { $stage }：地区 { $unit } 的保底 { $floor } 高于其封顶 { $cap }
engine-floor-above-cap-note = 请把封顶写成 max(cap, floor) 或把保底写成 min(floor, cap)，以说明以哪个为准
engine-solve-overflow = 分配阶段 { $stage }：数字过大，无法在 28 位有效数字内求解
engine-pool-not-multiple = 分配阶段 { $stage }：资金总额 { $pool } 不是取整单位（{ $rounding }）的整数倍
engine-pool-not-multiple-note = 请把资金总额的表达式取整到该单位，如 10,000 用 round(x, -4)，或修改 'round'
engine-round-overflow = 分配阶段 { $stage }：金额过大，无法取整

## 上期运行，--prior（pipeline/prior.rs）
pipeline-prior-folder = --prior { $folder }：{ $problem }
pipeline-prior-output-changed = --prior { $folder }：{ $file } 在运行写出后已被修改（记录的 sha256 为 { $recorded }，现为 { $now }）
pipeline-prior-output-changed-note = 上期运行只能按写出时的原样使用：请给出 `equalize run` 写出后未经改动的文件夹
pipeline-prior-output-unreadable = --prior { $folder }：无法读取 { $file }：{ $problem }
pipeline-prior-no-audit = --prior { $folder }：其运行清单中没有 { $file }，而上期数值要从该文件读取
pipeline-prior-audit-not-csv = { $file }：不是 equalize 写出的 CSV：{ $problem }
pipeline-prior-audit-empty = { $file } 为空
pipeline-prior-other-unit = --prior { $folder }：其金额单位为 { $unit }，而本公式为 { $formula_unit }：上期数值会按错误的地区读取
pipeline-prior-other-unit-note = 请让两个年度的公式使用相同的 [formula] unit
pipeline-prior-no-name = prior({ $name })：上期运行中没有 '{ $name }'
pipeline-prior-no-name-hint = prior({ $name })：上期运行中没有 '{ $name }'（您是不是想写 '{ $hint }'？）
pipeline-prior-no-name-note = prior(...) 读取上期运行 audit.csv 中的输入、变量、分配阶段或合计
pipeline-prior-units-absent = prior({ $name })：有 { $count } 个地区不在上期运行 { $folder } 中：{ $units }
pipeline-prior-units-absent-more = prior({ $name })：有 { $count } 个地区不在上期运行 { $folder } 中：{ $units }，另有 { $more } 个
pipeline-prior-units-absent-note = 请给新地区一个取值：prior({ $name }, 0) 或 prior({ $name }, 表达式)
pipeline-prior-not-numbers = prior({ $name })：上期运行中有 { $count } 个值不是数字：{ $values }
pipeline-prior-not-numbers-note = prior(...) 读取的是数字；上一年的条件可以用上期输入重新计算

## 参数扫描：扫描文件、计划、分片与合并（sweep/）
sweep-grid-and-draw = '{ $name }' 既是网格轴又是蒙特卡洛抽样；请只用一种方式改变它
sweep-grid-and-draw-note = 网格轴位于 { $at }
sweep-too-many-scenarios = 扫描的情景超过 { $limit } 个（网格点数乘以抽样次数）；请拆分为多个扫描文件
sweep-label-grid-axis = 网格轴 '{ $name }'
sweep-label-draw = 抽样 '{ $name }'
sweep-no-sweep-table = 扫描文件中没有 [sweep] 表
sweep-no-sweep-table-note = 请以 [sweep]、name = "..." 和 scenario = "..." 开头
sweep-needs-scenario = [sweep] 需要一个情景，或者公式和数据
sweep-axis-no-values = 网格轴 '{ $name }' 没有取值
sweep-needs-draws = [montecarlo] 需要 draws = N（至少为 1）
sweep-draws-zero = montecarlo.draws 至少为 1
sweep-unit-key-not-string = 地区主键必须是字符串，实际为 { $found }
sweep-units-shape = sweep.units 必须是 "all" 或地区主键的列表
sweep-range-incomplete = 网格轴 '{ $name }'：范围需要 from、to 和 step
sweep-range-backwards = 网格轴 '{ $name }'：step 必须为正，且 to 不小于 from
sweep-range-step-too-fine = 网格轴 '{ $name }'：在 { $from } 处，步长 { $step } 低于 28 位有效数字的精度
sweep-range-too-long = 网格轴 '{ $name }'：范围内的取值超过 { $limit } 个；请使用更大的步长
sweep-draw-needs = 抽样 '{ $name }' 需要 '{ $key }'
sweep-draw-unknown-distribution = 抽样 '{ $name }'：未知分布 '{ $distribution }'；应为 uniform、normal 或 triangular
sweep-draw-uniform-order = 抽样 '{ $name }'：low 不能大于 high
sweep-draw-normal-sd = 抽样 '{ $name }'：sd 不能为负
sweep-draw-triangular-order = 抽样 '{ $name }'：需要 low <= mode <= high，且 low 小于 high
sweep-no-param = 公式中没有参数 '{ $name }'
sweep-no-param-hint = 公式中没有参数 '{ $name }'（您是不是想写 '{ $hint }'？）
sweep-no-input = 公式中没有可供抽样的数值输入 '{ $name }'
sweep-no-unit = { $data } 中没有主键为 '{ $key }' 的地区
sweep-draw-overflow = '{ $name }' 的抽样值超出 28 位有效数字
sweep-shard-shape = 应写成 I/N，如 3/8
sweep-shard-index = I 必须是整数
sweep-shard-count = N 必须是整数
sweep-shard-range = 分片 { $index }/{ $count }：需要 1 <= I <= N
sweep-merge-no-shards = sweep merge 需要给出各分片的文件夹
sweep-merge-not-a-shard = { $folder } 不是扫描分片：其中没有 sweep.json（分片是 `equalize sweep` 的 --out 文件夹）
sweep-merge-bad-record = { $file }：不是此版本 equalize 能读取的扫描记录：{ $problem }
sweep-merge-tools-differ = { $first } 和 { $second } 不是同一扫描的分片：它们的工具版本不同
sweep-merge-sweeps-differ = { $first } 和 { $second } 不是同一扫描的分片：它们的扫描文件不同
sweep-merge-formats-differ = { $first } 和 { $second } 不是同一扫描的分片：它们的格式不同
sweep-merge-inputs-differ = { $first } 和 { $second } 不是同一扫描的分片：它们的输入（{ $files }）不同
sweep-merge-overlap = 情景 { $from }..{ $to } 出现在两个分片中：{ $folder }（分片 { $shard }）与前一个分片重叠
sweep-merge-gap = 分片没有覆盖全部情景：{ $folder }（分片 { $shard }）之前缺少情景 { $from }..{ $to }
sweep-merge-short = 分片覆盖了 { $total } 个情景中的 0..{ $covered }：缺少情景 { $covered }..{ $total }
sweep-merge-unrecorded-file = { $file }：其 sweep.json 没有记录这个文件
sweep-merge-file-changed = { $file }：该文件不是其分片写出的那个（其 SHA-256 与 sweep.json 中的不同）；请重新运行该分片
sweep-merge-no-scenarios = { $folder } 中没有 { $file }
sweep-merge-rows-out-of-order = { $folder }：其情景行不是按顺序排列的情景 { $from }..{ $to }
sweep-merge-units-mixed = { $folder }：有些分片保留了地区取值，有些没有
sweep-merge-columns-differ = { $folder }：其情景列与 { $first } 的不同
sweep-merge-units-columns = { $folder }：地区表需要 scenario、key 和 total 列
sweep-merge-bad-index = { $folder }：'{ $value }' 不是情景编号
sweep-merge-bad-total = { $folder }：total '{ $value }' { $problem }
