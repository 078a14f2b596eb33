#!/usr/bin/env python3
"""The demo formula done the way an analyst with polars would: polars for the data and the
per-unit formula (float64), numpy for the breakpoint solve and the rounding (the same
functions as baseline.py). Used by `cargo bench` as the second baseline:

    python3 benches/baseline/baseline_polars.py demo DATA.csv OUT_DIR [POOL]

Prints its own wall time and peak memory (ru_maxrss).
"""
import resource
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from baseline_solve import apportion, solve  # noqa: E402


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


def main():
    start = time.perf_counter()
    mode = sys.argv[1]
    if mode != "demo":
        sys.exit(f"unknown mode {mode}: the polars baseline does the demo formula")
    pool = float(sys.argv[4]) if len(sys.argv) > 4 else None
    data = sys.argv[2]
    if pool is None:
        pool = pl.scan_csv(data).select(pl.len()).collect().item() * 200_000_000.0
    demo(data, sys.argv[3], pool)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"baseline-polars {mode}: {elapsed:.3f} s, peak {peak:.1f} MiB")


main()
