#!/usr/bin/env python3
"""Build datasets/cn-national/ (and datasets/cn-province-demo/) from the 2020 census workbook.

Real columns come straight from China's 2020 county census (datasets/cn-census-2020,
MIT, Lei Dong et al.): division codes, names, province and prefecture, population and the
service-gap indicators. Fiscal figures and cost factors are SYNTHETIC, drawn by a seeded
generator (Python's random.Random, Mersenne Twister, the same on every platform) and
scaled by approximate 2020 provincial GDP per resident so that they are plausible.
Nothing synthetic should be read as a real county's finances.

    python3 datasets/cn-national/generate.py [path/to/census_county_2020_v1.xlsx]

needs openpyxl (pip install openpyxl). Output is committed; CI does not run this.
"""
import csv
import math
import random
import sys
from pathlib import Path

import openpyxl

SEED = 20260101
HERE = Path(__file__).parent
ROOT = HERE.parent.parent
CENSUS = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "datasets/cn-census-2020/census_county_2020_v1.xlsx"

# Approximate 2020 GDP per resident by province (yuan, rounded), used ONLY to scale
# the synthetic tax bases. Province codes are the first two digits of a division code.
GDP_PER_RESIDENT = {
    "11": 164000, "12": 90000, "13": 48000, "14": 51000, "15": 72000, "21": 58000, "22": 51000,
    "23": 43000, "31": 156000, "32": 121000, "33": 100000, "34": 63000, "35": 105000, "36": 57000,
    "37": 72000, "41": 55000, "42": 74000, "43": 62000, "44": 88000, "45": 44000, "46": 55000,
    "50": 78000, "51": 58000, "52": 46000, "53": 52000, "54": 52000, "61": 66000, "62": 36000,
    "63": 50000, "64": 54000, "65": 53000,
}
NATIONAL_GDP_PER_RESIDENT = 72000
# Rough provincial climate and terrain, to draw plausible synthetic cost factors.
JANUARY_C = {
    "11": -3, "12": -3, "13": -4, "14": -6, "15": -14, "21": -9, "22": -15, "23": -19, "31": 5, "32": 3,
    "33": 6, "34": 3, "35": 11, "36": 6, "37": -1, "41": 1, "42": 4, "43": 5, "44": 14, "45": 12,
    "46": 19, "50": 7, "51": 5, "52": 5, "53": 9, "54": -6, "61": -1, "62": -7, "63": -10, "64": -8, "65": -12,
}
ALTITUDE_M = {
    "54": 4200, "63": 3200, "53": 1800, "52": 1100, "62": 1600, "64": 1300, "51": 900, "65": 1000,
    "15": 1100, "14": 900, "61": 800, "50": 500, "43": 300, "45": 300, "42": 300, "13": 400, "22": 400,
}
WEST = {"15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
LAND_BORDER = {"15", "21", "22", "23", "45", "53", "54", "62", "65"}
OLD_REVOLUTIONARY = {"36", "35", "61", "13", "37", "41", "42", "34", "43", "52", "50", "51", "44", "45"}
POOR_HEAVY = {"52": 0.75, "53": 0.7, "62": 0.65, "54": 1.0, "63": 0.6, "65": 0.45, "64": 0.4, "45": 0.45,
              "51": 0.35, "61": 0.45, "14": 0.35, "15": 0.3, "43": 0.3, "36": 0.25, "41": 0.3, "42": 0.25,
              "13": 0.25, "22": 0.12, "23": 0.25, "34": 0.2, "50": 0.35, "46": 0.2}

rng = random.Random(SEED)


def lognormal(median, sigma):
    return median * math.exp(rng.gauss(0, sigma))


book = openpyxl.load_workbook(CENSUS, read_only=True)
rows = list(book.active.iter_rows(values_only=True))
header = {name: i for i, name in enumerate(rows[0])}


def col(row, name):
    return row[header[name]]


# Province code by province name, from the province rows (a few special units, such as
# 170971 五台山风景名胜区 in Shanxi, have codes outside their province's range).
PROVINCE_CODE = {col(r, "省"): str(col(r, "区划代码"))[:2] for r in rows[1:] if str(col(r, "区划代码")).endswith("0000")}

counties = []
for row in rows[1:]:
    code = col(row, "区划代码")
    if code == "NA" or str(code).endswith("00"):
        continue  # the nation, special zones, provinces and prefectures
    code = str(code)
    households = col(row, "家庭户户数_长表")
    bath = col(row, "住房内有洗澡设施")
    counties.append({
        "county_code": code,
        "county_name": col(row, "区县"),
        "province": col(row, "省"),
        "prefecture": col(row, "市"),
        "population": col(row, "人口数_合计"),
        "urban_population": col(row, "城镇人口"),
        "rural_population": col(row, "乡村人口"),
        "minority_share": col(row, "少数民族人口比重（%）"),
        "age65_share": col(row, "人口比重_65岁及以上"),
        "age0_14_share": col(row, "人口比重_0-14岁"),
        "schooling_years": col(row, "平均受教育年限_合计"),
        "illiteracy_rate": col(row, "文盲占15岁及以上人口比重"),
        "no_piped_water_share": round(100 * (1 - col(row, "住房內有管道自来水") / households), 2) if households else 0,
        # One county lacks the bathing figure in the census (NA): left empty, the formula declares a default.
        "no_bath_share": round(100 * (1 - bath / households), 2) if households and bath != "NA" else "",
    })
counties.sort(key=lambda c: c["county_code"])

fiscal, geography = [], []
for c in counties:
    prov = PROVINCE_CODE[c["province"]]
    pop = c["population"]
    urban_share = c["urban_population"] / pop if pop else 0
    district = c["county_name"].endswith("区")
    income = GDP_PER_RESIDENT[prov] / NATIONAL_GDP_PER_RESIDENT * (0.55 + 0.9 * urban_share)
    income *= lognormal(1.0, 0.25) * (1.2 if district else 1.0)
    vat_base = round(pop * income * lognormal(45000, 0.15), -4)
    cit_base = round(vat_base * rng.uniform(0.15, 0.30), -4)
    pit_base = round(pop * urban_share * income * lognormal(30000, 0.15), -4)
    other_base = round(pop * income * lognormal(5000, 0.2), -4)
    rebates = round(pop * rng.uniform(150, 450), -4)
    fixed_subsidy = round(pop * (rng.uniform(200, 900) if prov in WEST else rng.uniform(50, 300)), -4)

    west = prov in WEST
    area = round(lognormal(300 if district else (6000 if west else 1800), 0.7))
    if prov in {"65", "54", "63", "15"} and not district:
        area = round(area * 2.5)
    altitude = max(0, round(ALTITUDE_M.get(prov, 100) + rng.gauss(0, 400 if west else 80)))
    january = round(JANUARY_C[prov] + rng.gauss(0, 2.5), 1)
    remoteness = round(min(1.0, max(0.0, rng.gauss(0.55 if west else 0.2, 0.2) + (0 if not district else -0.15))), 2)
    staff = round(min(80, max(15, lognormal(28, 0.2) * (1.3 if west else 1.0) * (1.25 if pop < 150000 else 1.0))), 1)

    wages_need = round(pop * staff / 1000 * rng.uniform(110000, 140000), -4)
    operations_need = round(pop * rng.uniform(500, 800), -4)
    welfare_need = round(pop * (c["age65_share"] / 100 * 6000 + 800), -4)

    # Last year's transfer is filled in below, from the formula itself.
    last_year = 0

    poor_p = POOR_HEAVY.get(prov, 0.03) * (0.3 if district else 1.0)
    fiscal.append({
        "county_code": c["county_code"],
        "vat_base": int(vat_base), "cit_base": int(cit_base), "pit_base": int(pit_base), "other_base": int(other_base),
        "tax_rebates": int(rebates), "fixed_subsidy": int(fixed_subsidy),
        "wages_need": int(wages_need), "operations_need": int(operations_need), "welfare_need": int(welfare_need),
        "last_year_transfer": int(last_year),
    })
    geography.append({
        "county_code": c["county_code"],
        "area_km2": area, "altitude_m": altitude, "january_temp_c": january, "remoteness": remoteness,
        "staff_per_1000": staff,
        "old_revolutionary": int(prov in OLD_REVOLUTIONARY and rng.random() < 0.3),
        "border": int(prov in LAND_BORDER and not district and rng.random() < 0.18),
        "formerly_poor": int(rng.random() < poor_p),
        "key_ecological": int(not district and rng.random() < (0.35 if west else 0.12)),
    })


def write(folder, name, records):
    with (folder / name).open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(records[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(records)


write(HERE, "census.csv", counties)
write(HERE, "fiscal.csv", fiscal)
write(HERE, "geography.csv", geography)

# Last year's transfer: what formulas/cn-equalization.toml gives without growth control
# for last year's pool (this year's 28,340亿 / 1.037, the published growth), times a
# seeded +-8% drift, in whole 万元. Needs the equalize binary (cargo build --release).
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

binary = os.environ.get("EQUALIZE", str(ROOT / "target/release/equalize"))
with tempfile.TemporaryDirectory() as out:
    subprocess.run(
        [binary, "run", "-q", "--no-warnings", "-f", str(ROOT / "formulas/cn-equalization.toml"), "-d", str(HERE),
         "--set", "pool=2732900000000", "--set", "growth.min=-1", "--set", "growth.max=1000000", "--out", out],
        check=True,
    )
    with open(Path(out) / "audit.csv", encoding="utf-8") as f:
        central = {r["county_code"]: float(r["central"]) for r in csv.DictReader(f)}
for r in fiscal:
    r["last_year_transfer"] = int(round(central[r["county_code"]] * rng.uniform(0.92, 1.08), -4))
write(HERE, "fiscal.csv", fiscal)

# One province, small enough to read: Ningxia (code 64).
demo = HERE.parent / "cn-province-demo"
ningxia = {c["county_code"] for c in counties if c["province"] == "宁夏回族自治区"}
pick = lambda records: [r for r in records if r["county_code"] in ningxia]
write(demo, "census.csv", pick(counties))
write(demo, "fiscal.csv", pick(fiscal))
write(demo, "geography.csv", pick(geography))
print(f"{len(counties)} county-level units; Ningxia: {len(pick(counties))}")
