#!/usr/bin/env python3
"""Generate datasets/demo/: 100 SYNTHETIC counties for the demo formula.

Writes the multi-table dataset that `equalize run` uses by default (dataset.toml
lists population.csv in UTF-8, revenue.xlsx written by openpyxl, and
service_gaps.csv in GB18030 with Chinese headers) and counties.csv, the same data
as one UTF-8 table. Needs openpyxl (pip install openpyxl) for the workbook.

Nothing here describes a real place: codes start with 99 (no such province), names
are made from common syllables. Magnitudes follow Chinese county finances: resident
population 30k-1.5m, standard revenue 800-12,000 yuan per resident, service gaps as
teachers per 1,000 pupils and hospital beds per 1,000 residents below standard.
Seeded, so `python3 datasets/demo/generate.py` always rebuilds the same file.
Floats are used only to draw the figures; every value is written as a decimal string.
"""
import csv
import random
from pathlib import Path

SEED = 20250101
rng = random.Random(SEED)

FIRST = "东西南北青白红石云龙金安平宁丰和长永新清"
SECOND = "山河水川林原江阳城乡"

names = [a + b + "县" for a in FIRST for b in SECOND]
rng.shuffle(names)

rows = []
for i in range(100):
    prefecture, county = divmod(i, 12)
    code = f"99{prefecture + 1:02d}{county + 21:02d}"
    population = int(round(rng.lognormvariate(12.7, 0.6) / 100)) * 100
    population = min(max(population, 30000), 1500000)
    area = round(rng.lognormvariate(7.8, 0.8))
    area = min(max(area, 300), 20000)
    revenue_per_capita = rng.triangular(800, 12000, 2500)
    revenue = int(round(population * revenue_per_capita / 1000)) * 1000
    teacher_gap = round(max(0.0, rng.gauss(2.0, 2.0)), 1)
    bed_gap = round(max(0.0, rng.gauss(0.8, 0.7)), 2)
    # A rough stand-in for the formula's gap, only to make last year's transfer plausible.
    need = population * 9000 * (0.85 + 0.15 * min(3.0, max(0.5, (area / population) / 0.004)))
    gap = max(need - revenue, 0)
    rows.append([code, names[i], population, area, revenue, teacher_gap, bed_gap, gap])

total_gap = sum(r[-1] for r in rows)
pool = 50_000_000_000
for r in rows:
    share = r[-1] / total_gap * pool / 1.04 * rng.uniform(0.85, 1.15)
    r[-1] = int(round(share / 10000)) * 10000

out = Path(__file__).with_name("counties.csv")
with out.open("w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["county_code", "county_name", "population", "area_km2", "revenue", "teacher_gap", "bed_gap", "last_year"])
    for r in sorted(rows):
        w.writerow(r)
# The same data split the way a bureau receives it.
folder = Path(__file__).parent
with (folder / "population.csv").open("w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["county_code", "county_name", "population", "area_km2"])
    for r in sorted(rows):
        w.writerow(r[:4])
with (folder / "service_gaps.csv").open("w", newline="", encoding="gb18030") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["区划代码", "区县", "教师缺口", "床位缺口"])
    for r in sorted(rows):
        w.writerow([r[0], r[1], r[5], r[6]])

import openpyxl  # noqa: E402  (only needed for the workbook)

book = openpyxl.Workbook()
sheet = book.active
sheet.title = "2025"
sheet.append(["county_code", "revenue", "last_year"])
for r in sorted(rows):
    # Codes as numbers, the way spreadsheets usually hold them; amounts as numbers.
    sheet.append([int(r[0]), r[4], r[7]])
# Fixed metadata so the file is byte-for-byte reproducible.
import datetime  # noqa: E402

stamp = datetime.datetime(2025, 1, 1)
book.properties.created = stamp
book.properties.modified = stamp
book.properties.creator = "equalize datasets/demo/generate.py"
book.save(folder / "revenue.xlsx")

print(f"wrote {out} ({len(rows)} counties, total gap ~{total_gap:.3e}, pool {pool})")
