"""The breakpoint solve and largest-remainder rounding in float64, shared by the pandas and
polars baselines (benches/baseline/baseline.py, baseline_polars.py)."""
import numpy as np


def solve(base, weight, floor, cap, pool):
    """x = clip(base + k w, floor, cap) with sum x = pool; weights >= 0."""
    base, weight = np.asarray(base, float), np.asarray(weight, float)
    n = len(base)
    floor = np.full(n, -np.inf) if floor is None else np.asarray(floor, float)
    cap = np.full(n, np.inf) if cap is None else np.asarray(cap, float)
    active = weight > 0
    fixed_sum = np.clip(base[~active], floor[~active], cap[~active]).sum()
    b, w, f, c = base[active], weight[active], floor[active], cap[active]
    has_floor, has_cap = np.isfinite(f), np.isfinite(c)
    constant = fixed_sum + f[has_floor].sum()
    linear_b, linear_w = b[~has_floor].sum(), w[~has_floor].sum()
    k_enter = (f[has_floor] - b[has_floor]) / w[has_floor]
    k_leave = (c[has_cap] - b[has_cap]) / w[has_cap]
    ks = np.concatenate([k_enter, k_leave])
    kind = np.concatenate([np.zeros(len(k_enter)), np.ones(len(k_leave))])
    d_const = np.concatenate([-f[has_floor], c[has_cap]])
    d_b = np.concatenate([b[has_floor], -b[has_cap]])
    d_w = np.concatenate([w[has_floor], -w[has_cap]])
    order = np.lexsort((kind, ks))
    ks, d_const, d_b, d_w = ks[order], d_const[order], d_b[order], d_w[order]
    const_before = constant + np.concatenate([[0.0], np.cumsum(d_const)[:-1]]) if len(ks) else np.array([])
    b_before = linear_b + np.concatenate([[0.0], np.cumsum(d_b)[:-1]]) if len(ks) else np.array([])
    w_before = linear_w + np.concatenate([[0.0], np.cumsum(d_w)[:-1]]) if len(ks) else np.array([])
    at_event = const_before + b_before + ks * w_before
    hit = np.nonzero(at_event >= pool)[0]
    if len(hit):
        j = hit[0]
        k = ks[j] if w_before[j] == 0 else (pool - const_before[j] - b_before[j]) / w_before[j]
    else:
        total_const = constant + d_const.sum()
        total_b, total_w = linear_b + d_b.sum(), linear_w + d_w.sum()
        k = (pool - total_const - total_b) / total_w if total_w > 0 else (ks[-1] if len(ks) else 0.0)
    return np.clip(base + k * weight, floor, cap), k


def apportion(exact, unit, pool):
    down = np.floor(exact / unit) * unit
    short = int(round((pool - down.sum()) / unit))
    remainder = exact - down
    order = np.lexsort((np.arange(len(exact)), -remainder))
    down[order[:short]] += unit
    return down
