# equalize 的简体中文信息，按标识符排列。每个标识符在 en.ftl 中也有，参数相同
# （测试：i18n::tests::catalogues_have_the_same_messages_and_arguments）。

## 诊断信息
severity-error = 错误
severity-warning = 警告
diag-summary = { $errors } 个错误，{ $warnings } 个警告
diag-summary-files = { $counts }，涉及 { $files } 个文件
diag-unit = 单位 { $key }
check-unknown-name = 未知名称 '{ $name }'
check-unknown-name-hint = 未知名称 '{ $name }'（您是不是想写 '{ $hint }'？）
check-unknown-name-note = 可用的名称有：输入、参数、变量和之前的分配阶段
check-unknown-name-function = '{ $name }' 是一个函数：请写成 { $name }(...)

## 运行结果摘要
run-units = { $formula }：{ $units } 个单位
run-formula = 公式
run-data = 数据
run-no-stages = 没有分配阶段：各单位的变量见 audit.csv
run-wrote = 已写入 { $files }
run-groups = { $groups } 组
table-stage = 阶段
table-pool = 资金总额
table-k = 系数 k
table-at-floor = 触及下限
table-at-cap = 触及上限
table-sum = 合计
table-total = 总计

## 均等化指标
metrics-heading = 按 { $population } 计的人均 { $capacity }（{ $units } 个单位），转移支付前 -> 后
metric-gini = 基尼系数
metric-gini-weighted = 基尼系数（人口加权）
metric-cv = 变异系数
metric-cv-weighted = 变异系数（人口加权）
metric-theil = 泰尔指数
metric-theil-weighted = 泰尔指数（人口加权）
metric-max-min = 最大值 / 最小值
metric-min-mean = 最小值 / 平均值
metric-poorest-fifth = 最贫困五分之一的份额
metric-undefined = 无定义
