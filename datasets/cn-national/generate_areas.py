"""Build areas.csv for datasets/cn-national and datasets/cn-province-demo.

The three kinds of areas the formula's last top-ups lean to:
  grain_output_t           SYNTHETIC  grain output, tonnes (seeded; see README.md)
  mining_output            SYNTHETIC  mining output, yuan (seeded)
  resource_exhausted       SYNTHETIC  0/1 (seeded)
  small_population_ethnic  REAL       1 for the autonomous counties named for one of the 28
                                      ethnic groups with small populations (人口较少民族)

Standard library only; the same bytes on every platform:
    python3 datasets/cn-national/generate_areas.py
"""

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "cn-province-demo"
SEED = 20261127

# The 13 major grain-producing provinces (粮食主产区), a published list.
GRAIN_PROVINCES = {"黑龙江省", "河南省", "山东省", "吉林省", "安徽省", "河北省", "江苏省",
                   "内蒙古自治区", "四川省", "湖南省", "湖北省", "江西省", "辽宁省"}
# Provinces with much mining (a choice for the synthetic draw, not a list).
MINING_PROVINCES = {"山西省", "内蒙古自治区", "陕西省", "新疆维吾尔自治区", "贵州省", "黑龙江省",
                    "河北省", "辽宁省", "河南省", "山东省", "安徽省", "宁夏回族自治区", "甘肃省"}
# The 28 ethnic groups with small populations (State Council plan 2011-2015), as they
# appear in county names.
SMALL_GROUPS = ["珞巴", "高山族", "赫哲", "塔塔尔", "独龙", "鄂伦春", "门巴", "乌孜别克", "裕固",
                "俄罗斯", "保安族", "德昂", "基诺", "京族", "怒族", "鄂温克", "普米", "阿昌",
                "塔吉克", "布朗", "撒拉", "毛南", "景颇", "锡伯", "仫佬", "土族", "达斡尔", "柯尔克孜"]


def main():
    rng = random.Random(SEED)
    rows = list(csv.DictReader(open(HERE / "census.csv", encoding="utf-8")))
    out = []
    for r in rows:
        province, name = r["province"], r["county_name"]
        rural = int(r["rural_population"])
        district = name.endswith("区")
        per_rural = (1.8 if province in GRAIN_PROVINCES else 0.6) * (0.3 if district else 1.0)
        grain = round(rural * per_rural * rng.lognormvariate(0, 0.35))
        mining = 0
        if rng.random() < (0.25 if province in MINING_PROVINCES else 0.05):
            mining = round(int(r["population"]) * rng.lognormvariate(8.5, 0.9) / 10000) * 10000
        exhausted = 1 if rng.random() < (0.04 if province in MINING_PROVINCES else 0.01) else 0
        small = 1 if any(g in name for g in SMALL_GROUPS) else 0
        out.append((r["county_code"], grain, mining, exhausted, small))
    header = ["county_code", "grain_output_t", "mining_output", "resource_exhausted", "small_population_ethnic"]
    write(HERE / "areas.csv", header, out)
    demo_codes = {r["county_code"] for r in csv.DictReader(open(DEMO / "census.csv", encoding="utf-8"))}
    write(DEMO / "areas.csv", header, [o for o in out if o[0] in demo_codes])


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


if __name__ == "__main__":
    main()
