"""Build townships.csv: a SYNTHETIC third level (乡镇) under the real 2,943 counties.

Each county of datasets/cn-national is split into townships: their number drawn from its
population and area, their populations drawn (lognormal shares) so that they add up to the
county's 2020 census population exactly, and likewise its rural population and area. Own
revenue is the county's synthetic tax revenue per resident (datasets/cn-national/fiscal.csv,
at the formula's average rates) times each township's population and a lognormal factor.
None of it is any real township. Standard library only; the same bytes on every platform:

    python3 datasets/cn-townships/generate.py
"""

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
NATIONAL = HERE.parent / "cn-national"
SEED = 20261128


def split(total, weights):
    """Whole shares of `total` in proportion to `weights`, adding up exactly (largest remainder)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(e) for e in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def main():
    rng = random.Random(SEED)
    census = list(csv.DictReader(open(NATIONAL / "census.csv", encoding="utf-8")))
    fiscal = {r["county_code"]: r for r in csv.DictReader(open(NATIONAL / "fiscal.csv", encoding="utf-8"))}
    geography = {r["county_code"]: r for r in csv.DictReader(open(NATIONAL / "geography.csv", encoding="utf-8"))}
    rows = []
    for county in census:
        code = county["county_code"]
        population = int(county["population"])
        rural = int(county["rural_population"])
        area = int(geography[code]["area_km2"])
        f = fiscal[code]
        tax = (int(f["vat_base"]) * 0.035 + int(f["cit_base"]) * 0.10 + int(f["pit_base"]) * 0.012
               + int(f["other_base"]) * 0.30)
        per_resident = tax / max(population, 1)
        count = max(1, min(60, round(population / 38000 * rng.lognormvariate(0, 0.3) + area / 6000)))
        weights = [rng.lognormvariate(0, 0.6) for _ in range(count)]
        populations = split(population, weights)
        rurals = split(rural, [w * rng.lognormvariate(0, 0.3) for w in weights])
        rurals = [min(r, p) for r, p in zip(rurals, populations)]
        areas = split(area, [rng.lognormvariate(0, 0.5) for _ in range(count)])
        for i in range(count):
            revenue = round(per_resident * populations[i] * rng.lognormvariate(0, 0.4) / 10000) * 10000
            rows.append((f"{code}{i + 1:03d}", code, county["province"], populations[i], rurals[i],
                         max(areas[i], 1), revenue))
    with open(HERE / "townships.csv", "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["township_code", "county_code", "province", "population", "rural_population", "area_km2",
                    "own_revenue"])
        w.writerows(rows)
    print(f"{len(rows)} townships under {len(census)} counties")


if __name__ == "__main__":
    main()
