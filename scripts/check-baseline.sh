#!/usr/bin/env bash
# An independent implementation of the China formulas (pandas/numpy, floats) must give the
# same allocations as equalize: every county's central and total amount, and every
# township's amount at each of the three levels of cn-townships.
#   scripts/check-baseline.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/debug/equalize}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" run -q --formula cn --data datasets/cn-national --out "$work/ours"
python3 benches/baseline/baseline.py cn datasets/cn-national "$work/theirs" >/dev/null
"$binary" run -q --formula cn-townships --data datasets/cn-townships --out "$work/ours-townships"
python3 benches/baseline/baseline.py townships datasets/cn-townships "$work/theirs-townships" >/dev/null
python3 - "$work" <<'PY'
import sys
import pandas as pd
work = sys.argv[1]
ours = pd.read_csv(f"{work}/ours/allocations.csv", dtype={"county_code": str}).set_index("county_code")
theirs = pd.read_csv(f"{work}/theirs/allocations.csv", dtype={"county_code": str}).set_index("county_code")
bad = [c for c in ("central", "total") if not (ours[c] - theirs[c]).abs().max() == 0]
ours = pd.read_csv(f"{work}/ours-townships/allocations.csv", dtype={"township_code": str}).set_index("township_code")
theirs = pd.read_csv(f"{work}/theirs-townships/allocations.csv", dtype={"township_code": str}).set_index("township_code")
bad += [f"townships {c}" for c in ("central", "provincial", "township") if not (ours[c] - theirs[c]).abs().max() == 0]
print(f"baseline: {5 - len(bad)} passed, {len(bad)} failed {bad}")
sys.exit(1 if bad else 0)
PY
