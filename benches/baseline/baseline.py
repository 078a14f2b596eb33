#!/usr/bin/env python3
"""The same work done the way an analyst would without equalize: pandas and numpy, float64.

Used by `cargo bench` (benches/engine.rs) as the baseline its speed is measured against:

    python3 benches/baseline/baseline.py demo DATA.csv OUT_DIR        # the demo formula
    python3 benches/baseline/baseline.py cn datasets/cn-national OUT   # the China formula
    python3 benches/baseline/baseline.py cn-sweep datasets/cn-national N   # N scenarios, a numpy loop
    python3 benches/baseline/baseline.py townships datasets/cn-townships OUT   # three levels

Same formulas, same breakpoint solve (sort the breakpoints, cumulative sums, one division),
same largest-remainder rounding; floats instead of exact decimals. Prints its own wall time
and peak memory (ru_maxrss).
"""
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from baseline_solve import apportion, solve  # noqa: E402


def demo(data, out):
    df = pd.read_csv(data, dtype={"county_code": str})
    df = df.sort_values("county_code", kind="stable").reset_index(drop=True)
    p = df
    area_pc = p.area_km2 / p.population
    area_factor = np.clip(area_pc / area_pc.mean(), 0.5, 3)
    cost = 0.85 + 0.15 * area_factor
    need = (p.population * 3500 + p.population * 3500 * (1 + 0.03 * p.teacher_gap)
            + p.population * 2000 * (1 + 0.05 * p.bed_gap)) * cost
    gap = np.maximum(need - p.revenue, 0)
    eligible = gap > 0
    unit = 10000.0
    floor = np.where(eligible, np.floor(np.minimum(p.last_year * 0.5, gap) / unit) * unit, 0)
    cap = np.where(eligible, np.floor(np.minimum(p.last_year * 3, gap) / unit) * unit, 0)
    pool = float(sys.argv[4]) if len(sys.argv) > 4 else len(df) * 200_000_000.0
    exact, _ = solve(np.zeros(len(df)), gap.to_numpy(), floor, cap, pool)
    amount = apportion(exact, unit, pool)
    Path(out).mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"county_code": df.county_code, "county_name": df.county_name, "equalization": amount,
                  "total": amount}).to_csv(Path(out) / "allocations.csv", index=False)
    audit = df.assign(area_factor=area_factor, cost_coefficient=cost, need=need, gap=gap, floor=floor, cap=cap,
                      exact=exact, equalization=amount)
    audit.to_csv(Path(out) / "audit.csv", index=False)


def cn_load(folder):
    folder = Path(folder)
    frames = [pd.read_csv(folder / f, dtype={"county_code": str}) for f in ("census.csv", "fiscal.csv", "geography.csv", "areas.csv")]
    df = frames[0]
    for frame in frames[1:]:
        df = df.merge(frame, on="county_code")
    return df.sort_values("county_code", kind="stable").reset_index(drop=True)


def wmean(x, w):
    return (x * w).sum() / w.sum()


def zscore(x, mask):
    m, s = x[mask].mean(), x[mask].std(ddof=0)
    return np.where(mask, (x - m) / s if s > 0 else 0, 0)


def cn_vars(d):
    v = {}
    pop = d.population
    v["sr"] = (d.vat_base * 0.035 + d.cit_base * 0.10 + d.pit_base * 0.012 + d.other_base * 0.30
               + d.tax_rebates + d.fixed_subsidy)
    child, old = wmean(d.age0_14_share, pop), wmean(d.age65_share, pop)
    school, illit = wmean(d.schooling_years, pop), wmean(d.illiteracy_rate, pop)
    need = (pop * 1300 + pop * 500
            + pop * 1800 * d.age0_14_share / child * (1 + 0.06 * np.maximum(school - d.schooling_years, 0))
            + pop * 1000 * (1 + 0.5 * (d.age65_share / old - 1))
            + pop * 1500 * d.age65_share / old
            + pop * 180 * (1 + 0.10 * d.illiteracy_rate / illit)
            + pop * 450 + d.area_km2 * 9000
            + d.rural_population * 2000
            + pop * 450 * (1 + 0.8 * d.no_piped_water_share / 100 + 0.3 * d.no_bath_share.fillna(0) / 100))
    med = pop.median()
    scale = np.clip(1 + 0.15 * (med - pop) / med, 0.9, 1.3)
    area = np.clip((d.area_km2 / pop) / (d.area_km2 / pop).mean(), 0.5, 3)
    cost = ((0.85 * scale + 0.15 * area) * (1 + 0.08 * np.maximum(d.altitude_m - 1500, 0) / 1000)
            * (1 + 0.05 * np.maximum(-d.january_temp_c, 0) / 10) * (1 + 0.10 * d.remoteness)
            * np.clip(1 + 0.30 * (d.staff_per_1000 / d.staff_per_1000.mean() - 1), 0.9, 1.15)
            * (1 + 0.10 * d.minority_share / 100) * np.where(d.formerly_poor == 1, 1.05, 1.0))
    v["se"] = need * cost
    v["gap"] = np.maximum(v["se"] - v["sr"], 0)
    v["eligible"] = v["gap"] > 0
    v["mandatory"] = d.wages_need + d.operations_need + d.welfare_need
    e = v["eligible"]
    ratio = np.where(e, v["mandatory"] / v["sr"], 0)
    rate = np.where(e, v["gap"] / v["se"], 0)
    score = 0.55 * zscore(ratio, e) + 0.45 * zscore(rate, e)
    lo, hi = score[e].min(), score[e].max()
    v["difficulty"] = np.where(e & (hi > lo), 0.6 + 0.8 * (score - lo) / (hi - lo), 1)
    v["ethnic"] = d.minority_share >= 30
    return v


def cn_allocate(d, v, pool, growth_max=0.12, growth_min=-0.03):
    unit = 10000.0
    gap, e, last = v["gap"].to_numpy(), v["eligible"].to_numpy(), d.last_year_transfer.to_numpy()
    base_rate = pool / gap[e].sum()
    prelim = gap * (0.5 * base_rate + 0.5 * base_rate * v["difficulty"])
    cap = np.where(e, np.floor(np.where(last > 0, np.minimum(last * (1 + growth_max), gap), gap) / unit) * unit, 0)
    floor = np.where(e & (last > 0), np.minimum(np.floor(last * (1 + growth_min) / unit) * unit, cap), 0)
    exact, _ = solve(np.zeros(len(d)), prelim, floor, cap, pool)
    central = apportion(exact, unit, pool)
    provincial = np.zeros(len(d))
    pweight = gap * (1 + 0.2 * v["ethnic"].to_numpy() + 0.1 * (d.formerly_poor.to_numpy() == 1))
    for _, idx in d.groupby("province", sort=True).indices.items():
        ppool = central[idx].sum()
        if pweight[idx].sum() == 0:
            continue
        ex, _ = solve(np.zeros(len(idx)), pweight[idx], floor[idx], None, ppool)
        provincial[idx] = apportion(ex, unit, ppool)
    topups = np.zeros(len(d))
    for pool_t, weight in ((24e9, np.where(d.old_revolutionary == 1, d.population, 0)),
                           (110e9, np.where(v["ethnic"], d.population * d.minority_share / 100, 0)),
                           (25e9, np.where(d.border == 1, d.area_km2, 0)),
                           (60e9, np.where(d.formerly_poor == 1, d.population, 0)),
                           (110e9, np.where(d.key_ecological == 1, d.area_km2, 0)),
                           (48e9, np.where(d.grain_output_t >= 200000, d.grain_output_t, 0)),
                           (22e9, np.where((d.resource_exhausted == 1) | (d.mining_output >= 5000 * d.population),
                                           d.population, 0)),
                           (3e9, np.where(d.small_population_ethnic == 1, d.population * d.minority_share / 100, 0))):
        topups += apportion(pool_t * weight / weight.sum(), unit, pool_t)
    shortfall = np.floor(np.maximum(v["mandatory"] - (v["sr"] + provincial + topups), 0) / unit) * unit
    gpool = np.floor(min(60e9, shortfall.sum()) / unit) * unit
    guarantee = apportion(gpool * shortfall / shortfall.sum(), unit, gpool) if gpool > 0 else np.zeros(len(d))
    return central, provincial + topups + guarantee


def gini(x, w):
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cw = np.cumsum(w)
    before, after = cw - w, cw[-1] - cw
    mean = (x * w).sum() / w.sum()
    return (w * x * (before - after)).sum() / (w.sum() ** 2 * mean)


def townships(folder, out):
    """formulas/cn-townships.toml: the national pool to townships through provinces and counties."""
    d = pd.read_csv(Path(folder) / "townships.csv", dtype={"township_code": str, "county_code": str})
    d = d.sort_values("township_code", kind="stable").reset_index(drop=True)
    need = d.population * 2600.0 + d.rural_population * 900.0 + d.area_km2 * 6000.0
    gap = np.maximum(need - d.own_revenue, 0).to_numpy()
    rural_share = np.where(d.population > 0, d.rural_population / d.population.clip(lower=1), 0)
    pool = 2834e9
    central = apportion(pool * gap / gap.sum(), 1e4, pool)
    provincial = np.zeros(len(d))
    weight = gap * (1 + 0.3 * rural_share)
    for _, idx in d.groupby("province", sort=True).indices.items():
        ppool = central[idx].sum()
        if weight[idx].sum() == 0:  # no gap in the province: it received nothing
            continue
        provincial[idx] = apportion(ppool * weight[idx] / weight[idx].sum(), 1e4, ppool)
    township = np.zeros(len(d))
    basic = (d.population + d.area_km2 * 20.0).to_numpy()
    for _, idx in d.groupby("county_code", sort=True).indices.items():
        cpool = provincial[idx].sum()
        if cpool == 0:
            continue
        township[idx] = apportion(cpool * basic[idx] / basic[idx].sum(), 100, cpool)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"township_code": d.township_code, "central": central / 1e4, "provincial": provincial / 1e4,
                  "township": township / 1e4, "total": township / 1e4}).to_csv(out / "allocations.csv", index=False)


def main():
    start = time.perf_counter()
    mode = sys.argv[1]
    if mode == "demo":
        demo(sys.argv[2], sys.argv[3])
    elif mode == "cn":
        d = cn_load(sys.argv[2])
        v = cn_vars(d)
        central, total = cn_allocate(d, v, 2834e9)
        out = Path(sys.argv[3])
        out.mkdir(parents=True, exist_ok=True)
        pd.DataFrame({"county_code": d.county_code, "central": central / 1e4, "total": total / 1e4}).to_csv(
            out / "allocations.csv", index=False)
        pd.DataFrame({**{k: val for k, val in v.items()}, "county_code": d.county_code}).to_csv(out / "audit.csv", index=False)
    elif mode == "townships":
        townships(sys.argv[2], sys.argv[3])
    elif mode == "cn-sweep":
        d = cn_load(sys.argv[2])
        v = cn_vars(d)
        n = int(sys.argv[3])
        pools = np.linspace(2700e9, 2980e9, 100)
        caps = np.linspace(0.08, 0.14, 100)
        pop = d.population.to_numpy(float)
        rows = []
        for i in range(n):
            pool = np.round(pools[(i // 100) % 100] / 1e4) * 1e4
            try:
                _, total = cn_allocate(d, v, pool, growth_max=caps[i % 100])
                after = (v["sr"].to_numpy() + total) / pop
                rows.append((i, total.sum(), gini(after, np.ones(len(after))), gini(after, pop)))
            except Exception as exc:  # an infeasible grid point
                rows.append((i, float("nan"), str(exc), ""))
        pd.DataFrame(rows).to_csv("/dev/null", index=False)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"baseline {mode}: {elapsed:.3f} s, peak {peak:.1f} MiB")


main()
