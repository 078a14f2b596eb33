#!/usr/bin/env python3
"""The same work done the way an analyst with polars would: polars for the data (loading,
joins, sorting, grouping) and every per-unit formula column (float64), numpy for the breakpoint
solve and the rounding (the same functions as baseline.py, from baseline_solve.py). Used by
`cargo bench` as the second baseline:

    python3 benches/baseline/baseline_polars.py demo DATA.csv OUT_DIR [POOL]      # the demo formula
    python3 benches/baseline/baseline_polars.py cn datasets/cn-national OUT       # the China formula
    python3 benches/baseline/baseline_polars.py cn-sweep datasets/cn-national N [RESULTS.csv]
    python3 benches/baseline/baseline_polars.py townships datasets/cn-townships OUT   # three levels

The arguments and the files written are those of baseline.py (cn-sweep writes its results
table to /dev/null unless RESULTS.csv is given). Prints its own wall time and peak memory
(ru_maxrss).
"""
import resource
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from baseline_solve import apportion, solve  # noqa: E402

c = pl.col


def demo(data, out, pool):
    df = pl.read_csv(data, schema_overrides={"county_code": pl.Utf8}).sort("county_code")
    area_pc = pl.col("area_km2") / pl.col("population")
    df = df.with_columns((area_pc / area_pc.mean()).clip(0.5, 3).alias("area_factor"))
    df = df.with_columns((0.85 + 0.15 * pl.col("area_factor")).alias("cost_coefficient"))
    p = pl.col("population")
    need = (p * 3500 + p * 3500 * (1 + 0.03 * pl.col("teacher_gap"))
            + p * 2000 * (1 + 0.05 * pl.col("bed_gap"))) * pl.col("cost_coefficient")
    df = df.with_columns(need.alias("need"))
    df = df.with_columns(pl.max_horizontal(pl.col("need") - pl.col("revenue"), pl.lit(0.0)).alias("gap"))
    unit = 10000.0
    eligible = pl.col("gap") > 0
    df = df.with_columns(
        pl.when(eligible).then((pl.min_horizontal(pl.col("last_year") * 0.5, pl.col("gap")) / unit).floor() * unit)
        .otherwise(0.0).alias("floor"),
        pl.when(eligible).then((pl.min_horizontal(pl.col("last_year") * 3, pl.col("gap")) / unit).floor() * unit)
        .otherwise(0.0).alias("cap"),
    )
    gap, floor, cap = (df[c].to_numpy() for c in ("gap", "floor", "cap"))
    exact, _ = solve(np.zeros(len(gap)), gap, floor, cap, pool)
    amount = apportion(exact, unit, pool)
    df = df.with_columns(pl.Series("exact", exact), pl.Series("equalization", amount))
    Path(out).mkdir(parents=True, exist_ok=True)
    df.select("county_code", "county_name", "equalization", pl.col("equalization").alias("total")).write_csv(
        Path(out) / "allocations.csv")
    df.write_csv(Path(out) / "audit.csv")


# ---------------------------------------------------------------- shared helpers


def group_indices(df, key):
    """Row positions of each group of `key` (groups in sorted key order, rows in frame order)."""
    g = (df.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"), c(key))
         .sort(key, maintain_order=True))
    rows = g["_row"].to_numpy()
    sizes = g.group_by(key, maintain_order=True).len()["len"].to_numpy()
    return np.split(rows, np.cumsum(sizes)[:-1])


def to_unit(x, unit):
    """floor(x / unit) * unit. Not written `(x / unit).floor() * unit`: polars divides a column by a
    scalar as a multiplication by the scalar's reciprocal (pola-rs/polars#23741), up to one ulp off,
    and just under a multiple of the unit that ulp moves a whole unit (528599999.99999994 / 1e4 floors
    to 52860, not 52859). Flooring to whole yuan first and dividing integers is exact."""
    return (x.floor().cast(pl.Int64) // int(unit) * int(unit)).cast(pl.Float64)


def share(pool, weight):
    """The pool in proportion to the weights: a stage's exact amounts, before the rounding. In numpy,
    with the solve: polars would divide by the scalar sum through its reciprocal (see to_unit), and
    that ulp decides the largest remainder when two of them tie in exact arithmetic."""
    weight = np.asarray(weight)
    return pool * weight / weight.sum()


def wmean(x, w):
    return (x * w).sum() / w.sum()


def zscore(x, mask):
    m, s = x.filter(mask).mean(), x.filter(mask).std(ddof=0)
    return pl.when(mask).then(pl.when(s > 0).then((x - m) / s).otherwise(0.0)).otherwise(0.0)


# ---------------------------------------------------------------- the China formula


def cn_load(folder):
    folder = Path(folder)
    frames = [pl.scan_csv(folder / f, schema_overrides={"county_code": pl.Utf8})
              for f in ("census.csv", "fiscal.csv", "geography.csv", "areas.csv")]
    df = frames[0]
    for frame in frames[1:]:
        df = df.join(frame, on="county_code", how="inner")
    return df.sort("county_code", maintain_order=True).collect()


def cn_vars(d):
    """Adds the formula's vars as columns: sr, se, gap, eligible, mandatory, difficulty, ethnic."""
    pop = c("population")
    sr = (c("vat_base") * 0.035 + c("cit_base") * 0.10 + c("pit_base") * 0.012 + c("other_base") * 0.30
          + c("tax_rebates") + c("fixed_subsidy"))
    child, old = wmean(c("age0_14_share"), pop), wmean(c("age65_share"), pop)
    school, illit = wmean(c("schooling_years"), pop), wmean(c("illiteracy_rate"), pop)
    need = (pop * 1300 + pop * 500
            + pop * 1800 * c("age0_14_share") / child * (1 + 0.06 * (school - c("schooling_years")).clip(lower_bound=0))
            + pop * 1000 * (1 + 0.5 * (c("age65_share") / old - 1))
            + pop * 1500 * c("age65_share") / old
            + pop * 180 * (1 + 0.10 * c("illiteracy_rate") / illit)
            + pop * 450 + c("area_km2") * 9000
            + c("rural_population") * 2000
            + pop * 450 * (1 + 0.8 * c("no_piped_water_share") / 100 + 0.3 * c("no_bath_share").fill_null(0) / 100))
    med = pop.median()
    scale = (1 + 0.15 * (med - pop) / med).clip(0.9, 1.3)
    area_pc = c("area_km2") / pop
    area = (area_pc / area_pc.mean()).clip(0.5, 3)
    cost = ((0.85 * scale + 0.15 * area) * (1 + 0.08 * (c("altitude_m") - 1500).clip(lower_bound=0) / 1000)
            * (1 + 0.05 * (-c("january_temp_c")).clip(lower_bound=0) / 10) * (1 + 0.10 * c("remoteness"))
            * (1 + 0.30 * (c("staff_per_1000") / c("staff_per_1000").mean() - 1)).clip(0.9, 1.15)
            * (1 + 0.10 * c("minority_share") / 100) * pl.when(c("formerly_poor") == 1).then(1.05).otherwise(1.0))
    d = d.with_columns(sr=sr, se=need * cost, mandatory=c("wages_need") + c("operations_need") + c("welfare_need"),
                       ethnic=c("minority_share") >= 30)
    d = d.with_columns(gap=(c("se") - c("sr")).clip(lower_bound=0))
    e = c("gap") > 0
    d = d.with_columns(eligible=e,
                       ratio=pl.when(e).then(c("mandatory") / c("sr")).otherwise(0.0),
                       rate=pl.when(e).then(c("gap") / c("se")).otherwise(0.0))
    e = c("eligible")
    d = d.with_columns(score=0.55 * zscore(c("ratio"), e) + 0.45 * zscore(c("rate"), e))
    lo, hi = c("score").filter(e).min(), c("score").filter(e).max()
    return d.with_columns(
        difficulty=pl.when(e & (hi > lo)).then(0.6 + 0.8 * (c("score") - lo) / (hi - lo)).otherwise(1.0)
    ).drop("ratio", "rate", "score")


TOPUPS = (
    (24e9, pl.when(c("old_revolutionary") == 1).then(c("population")).otherwise(0)),
    (110e9, pl.when(c("ethnic")).then(c("population") * c("minority_share") / 100).otherwise(0)),
    (25e9, pl.when(c("border") == 1).then(c("area_km2")).otherwise(0)),
    (60e9, pl.when(c("formerly_poor") == 1).then(c("population")).otherwise(0)),
    (110e9, pl.when(c("key_ecological") == 1).then(c("area_km2")).otherwise(0)),
    (48e9, pl.when(c("grain_output_t") >= 200000).then(c("grain_output_t")).otherwise(0)),
    (22e9, pl.when((c("resource_exhausted") == 1) | (c("mining_output") >= 5000 * c("population")))
     .then(c("population")).otherwise(0)),
    (3e9, pl.when(c("small_population_ethnic") == 1).then(c("population") * c("minority_share") / 100).otherwise(0)),
)


def cn_allocate(d, pool, growth_max=0.12, growth_min=-0.03):
    unit = 10000.0
    gap, e, last = c("gap"), c("eligible"), c("last_year_transfer")
    base_rate = pool / gap.filter(e).sum()
    cap = pl.when(e).then(
        to_unit(pl.when(last > 0).then(pl.min_horizontal(last * (1 + float(growth_max)), gap)).otherwise(gap), unit)
    ).otherwise(0.0)
    cols = d.select(
        prelim=gap * (0.5 * base_rate + 0.5 * base_rate * c("difficulty")),
        cap=cap,
        floor=pl.when(e & (last > 0)).then(pl.min_horizontal(to_unit(last * (1 + growth_min), unit), cap))
        .otherwise(0.0),
        pweight=gap * (1 + 0.2 * c("ethnic").cast(pl.Float64) + 0.1 * (c("formerly_poor") == 1).cast(pl.Float64)),
        **{f"topup{i}": w for i, (_, w) in enumerate(TOPUPS)},
    )
    prelim, cap, floor, pweight = (cols[k].to_numpy() for k in ("prelim", "cap", "floor", "pweight"))
    exact, _ = solve(np.zeros(len(d)), prelim, floor, cap, pool)
    central = apportion(exact, unit, pool)
    provincial = np.zeros(len(d))
    for idx in group_indices(d, "province"):
        ppool = central[idx].sum()
        if pweight[idx].sum() == 0:
            continue
        ex, _ = solve(np.zeros(len(idx)), pweight[idx], floor[idx], None, ppool)
        provincial[idx] = apportion(ex, unit, ppool)
    topups = np.zeros(len(d))
    for i, (pool_t, _) in enumerate(TOPUPS):
        topups += apportion(share(pool_t, cols[f"topup{i}"].to_numpy()), unit, pool_t)
    sg = d.select(c("mandatory"), c("sr"), provincial=pl.Series(provincial), topups=pl.Series(topups)).select(
        shortfall=to_unit((c("mandatory") - (c("sr") + c("provincial") + c("topups"))).clip(lower_bound=0), unit))
    shortfall = sg["shortfall"].to_numpy()
    gpool = np.floor(min(60e9, shortfall.sum()) / unit) * unit
    guarantee = apportion(share(gpool, shortfall), unit, gpool) if gpool > 0 else np.zeros(len(d))
    return central, provincial + topups + guarantee


def gini(x, w):
    """On a frame sorted by x (stable), as baseline.py's gini."""
    cw = w.cum_sum()
    before, after = cw - w, cw.last() - cw
    mean = (x * w).sum() / w.sum()
    return (w * x * (before - after)).sum() / (w.sum() ** 2 * mean)


def cn(folder, out):
    d = cn_vars(cn_load(folder))
    central, total = cn_allocate(d, 2834e9)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # the amounts in 10,000s divided in numpy: polars divides by a scalar as a multiplication by its
    # reciprocal (pola-rs/polars#23741), which can move the written figure by one ulp
    d.select("county_code", central=pl.Series(central / 1e4), total=pl.Series(total / 1e4)).write_csv(
        out / "allocations.csv")
    d.select("sr", "se", "gap", "eligible", "mandatory", "difficulty", "ethnic", "county_code").write_csv(
        out / "audit.csv")


def cn_sweep(folder, n, results="/dev/null"):
    d = cn_vars(cn_load(folder))
    pools = np.linspace(2700e9, 2980e9, 100)
    caps = np.linspace(0.08, 0.14, 100)
    base = d.select("sr", pop=c("population").cast(pl.Float64))
    rows = []
    for i in range(n):
        pool = np.round(pools[(i // 100) % 100] / 1e4) * 1e4
        try:
            _, total = cn_allocate(d, pool, growth_max=caps[i % 100])
            r = (base.with_columns(total=pl.Series(total))
                 .with_columns(after=(c("sr") + c("total")) / c("pop"), one=pl.lit(1.0))
                 .sort("after", maintain_order=True)
                 .select(c("total").sum(), gini(c("after"), c("one")), gini(c("after"), c("pop")).alias("w"))
                 .row(0))
            rows.append((i, *r))
        except Exception as exc:  # an infeasible grid point
            rows.append((i, float("nan"), str(exc), ""))
    pl.DataFrame(rows, schema=["0", "1", "2", "3"], orient="row", strict=False).write_csv(results)


# ---------------------------------------------------------------- three levels


def townships(folder, out):
    """formulas/cn-townships.toml: the national pool to townships through provinces and counties."""
    pool = 2834e9
    pop = c("population")
    d = (pl.scan_csv(Path(folder) / "townships.csv",
                     schema_overrides={"township_code": pl.Utf8, "county_code": pl.Utf8})
         .sort("township_code", maintain_order=True)
         .with_columns(gap=(pop * 2600.0 + c("rural_population") * 900.0 + c("area_km2") * 6000.0
                            - c("own_revenue")).clip(lower_bound=0),
                       rural_share=pl.when(pop > 0).then(c("rural_population") / pop.clip(lower_bound=1))
                       .otherwise(0.0),
                       basic=pop + c("area_km2") * 20.0)
         .with_columns(weight=c("gap") * (1 + 0.3 * c("rural_share")))
         .collect())
    gap, weight, basic = (d[k].to_numpy() for k in ("gap", "weight", "basic"))
    central = apportion(share(pool, gap), 1e4, pool)
    provincial = np.zeros(len(d))
    for idx in group_indices(d, "province"):
        ppool = central[idx].sum()
        if weight[idx].sum() == 0:  # no gap in the province: it received nothing
            continue
        provincial[idx] = apportion(share(ppool, weight[idx]), 1e4, ppool)
    township = np.zeros(len(d))
    for idx in group_indices(d, "county_code"):
        cpool = provincial[idx].sum()
        if cpool == 0:
            continue
        township[idx] = apportion(share(cpool, basic[idx]), 100, cpool)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # in 10,000s, divided in numpy (see cn)
    d.select("township_code", central=pl.Series(central / 1e4), provincial=pl.Series(provincial / 1e4),
             township=pl.Series(township / 1e4), total=pl.Series(township / 1e4)).write_csv(out / "allocations.csv")


def main():
    start = time.perf_counter()
    mode = sys.argv[1]
    if mode == "demo":
        pool = float(sys.argv[4]) if len(sys.argv) > 4 else None
        data = sys.argv[2]
        if pool is None:
            pool = pl.scan_csv(data).select(pl.len()).collect().item() * 200_000_000.0
        demo(data, sys.argv[3], pool)
    elif mode == "cn":
        cn(sys.argv[2], sys.argv[3])
    elif mode == "cn-sweep":
        cn_sweep(sys.argv[2], int(sys.argv[3]), *sys.argv[4:5])
    elif mode == "townships":
        townships(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f"unknown mode {mode}: demo, cn, cn-sweep or townships")
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"baseline-polars {mode}: {elapsed:.3f} s, peak {peak:.1f} MiB")


main()
