#!/usr/bin/env bash
# An independent implementation of the China formula (pandas/numpy, floats) must give the
# same national allocations as equalize: every county's central and total amount.
#   scripts/check-baseline.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/debug/equalize}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" run -q --formula cn --data datasets/cn-national --out "$work/ours"
python3 benches/baseline/baseline.py cn datasets/cn-national "$work/theirs" >/dev/null
python3 - "$work" <<'PY'
import sys
import pandas as pd
work = sys.argv[1]
ours = pd.read_csv(f"{work}/ours/allocations.csv", dtype={"county_code": str}).set_index("county_code")
theirs = pd.read_csv(f"{work}/theirs/allocations.csv", dtype={"county_code": str}).set_index("county_code")
bad = [c for c in ("central", "total") if not (ours[c] - theirs[c]).abs().max() == 0]
print(f"baseline: {2 - len(bad)} passed, {len(bad)} failed")
sys.exit(1 if bad else 0)
PY
