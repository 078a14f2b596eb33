"""Write fiscal.csv for datasets/cn-gansu: a SYNTHETIC county fiscal table laid out the way a
provincial finance department's workbook is exported (GB18030, a title row, a units row, a
two-level header, thousands separators, a 合计 row), for the 87 counties of Gansu in the 2020
census workbook (../cn-census-2020). Figures are drawn with a seeded generator and scaled by
population; they are not any county's real finances.

    python3 datasets/cn-gansu/generate.py      # needs openpyxl; rewrites fiscal.csv
"""
import csv
import io
import math
import pathlib
import random

import openpyxl

HERE = pathlib.Path(__file__).parent
WORKBOOK = HERE.parent / "cn-census-2020" / "census_county_2020_v1.xlsx"

rng = random.Random(20260620)
sheet = openpyxl.load_workbook(WORKBOOK, read_only=True).worksheets[0]
rows = sheet.iter_rows(values_only=True)
header = next(rows)
col = {name: i for i, name in enumerate(header)}
counties = [
    (str(r[col["区划代码"]]), r[col["区县"]], int(r[col["人口数_合计"]]))
    for r in rows
    if str(r[col["区划代码"]]).startswith("62") and not str(r[col["区划代码"]]).endswith("00")
]
assert len(counties) == 87, len(counties)


def lognormal(median, sigma):
    return median * math.exp(rng.gauss(0, sigma))


def grouped(value):
    return f"{value:,}"


out = io.StringIO()
writer = csv.writer(out, lineterminator="\r\n")
writer.writerow(["2025年甘肃省县级财政收支情况表", "", "", "", ""])
writer.writerow(["单位：万元", "", "", "", ""])
writer.writerow(["县代码", "县名", "一般公共预算收入", "", "均衡性转移支付"])
writer.writerow(["", "", "本年", "上年", "上年"])
totals = [0, 0, 0]
for code, name, population in counties:
    district = name.endswith("区")
    per_person = lognormal(0.28 if district else 0.09, 0.45)  # 万元 per resident
    revenue = max(round(population * per_person), 300)
    last_revenue = round(revenue * lognormal(0.96, 0.05))
    # Last year's transfer: roughly the gap's share of a 200亿 pool, with noise.
    need = population * 0.75 * (1.0 if district else 1.25)
    last_transfer = max(round(max(need - revenue, 0) * 0.112 * lognormal(1.0, 0.12)), 0)
    writer.writerow([code, name, grouped(revenue), grouped(last_revenue), grouped(last_transfer)])
    totals = [t + v for t, v in zip(totals, (revenue, last_revenue, last_transfer))]
writer.writerow(["", "合计", *(grouped(t) for t in totals)])
(HERE / "fiscal.csv").write_bytes(out.getvalue().encode("gb18030"))
print(f"wrote fiscal.csv: {len(counties)} counties; revenue {totals[0]:,} 万元, last transfers {totals[2]:,} 万元")
