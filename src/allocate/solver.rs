//! The exact breakpoint solver for one allocation stage.
//!
//! With all weights of one sign, `S(k) = sum_i clamp(base_i + k w_i, floor_i, cap_i)`
//! is continuous, piecewise linear and monotone in `k`. Each unit with a
//! non-zero weight has at most two breakpoints: where it leaves its floor and
//! where it reaches its cap. Sorting them and sweeping left to right keeps the
//! sums of the constant and linear parts, so the segment holding the pool is
//! found in O(n log n) and `k` comes from one division in it.
//!
//! Division is the one inexact step (28 significant digits); the amounts it
//! gives are within ~1e-20 of exact, and [`super::rounding`] then fixes the
//! total to the pool exactly.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// One stage's numbers, one entry per unit in key order.
pub struct Problem<'a> {
    pub base: &'a [Decimal],
    pub weight: &'a [Decimal],
    pub floor: Option<&'a [Decimal]>,
    pub cap: Option<&'a [Decimal]>,
    pub pool: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The solved scalar (in the sign convention of the weights as given).
    pub k: Decimal,
    /// Each unit's amount before rounding.
    pub exact: Vec<Decimal>,
    pub at_floor: Vec<bool>,
    pub at_cap: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SolveError {
    /// Weights of both signs: the sum is not monotone in k.
    MixedSigns {
        positive: usize,
        negative: usize,
    },
    /// A unit's floor is above its cap.
    FloorAboveCap {
        unit: usize,
        floor: Decimal,
        cap: Decimal,
    },
    /// Even with every unit at its floor the pool is exceeded.
    FloorsAbovePool {
        floors: Decimal,
        pool: Decimal,
    },
    /// Even with every unit at its cap the pool is not reached.
    CapsBelowPool {
        caps: Decimal,
        pool: Decimal,
    },
    /// No unit has a weight, and the fixed amounts do not add up to the pool.
    NoWeight {
        fixed: Decimal,
        pool: Decimal,
    },
    Overflow,
}

/// Solve one stage exactly (up to division at 28 significant digits).
pub fn solve(p: &Problem) -> Result<Solution, SolveError> {
    solve_from(p, &Breakpoints::of(p)?)
}

/// A breakpoint: where a unit leaves its floor (enter) or reaches its cap (leave).
///
/// Its k is `numerator / weight`, divided only where the order or the walk needs the exact
/// value (near ties, and the events near the pool): two divisions a unit were the costliest
/// part of finding the breakpoints, in every scenario of a sweep.
#[derive(Clone, Copy, Debug)]
struct Event {
    /// The unit's floor or cap less its base.
    numerator: Decimal,
    /// k as a float, within [`K_RELATIVE`] and [`K_ABSOLUTE`] of the exact k: the first
    /// ordering and the float walk's k; never a result.
    approx: f64, // float-ok: ordering only
    /// The unit's position (u32 keeps an event at 32 bytes: a million units' events are 64 MB).
    unit: u32,
    leave: bool,
}

/// A unit's weight, and as a float for the events' float k.
type WeightAndFloat = (Decimal, f64); // float-ok: ordering only

/// How far an event's float k may be from its exact k: the float quotient of two floats each
/// within 3.3e-16 of its decimal (`sorting::approx`) is within 8e-16 of the true quotient,
/// and the exact k is that quotient to 28 significant digits or 28 decimal places (within
/// 5e-29). Both bounds are taken ten times larger and more.
const K_RELATIVE: f64 = 1e-14; // float-ok: error bound
const K_ABSOLUTE: f64 = 1e-27; // float-ok: error bound

/// Floats further apart than this come from events whose exact k are in the same order
/// (each float within [`K_RELATIVE`] and [`K_ABSOLUTE`] of its k, with a hundredfold and
/// tenfold margin).
fn surely_apart(a: f64, b: f64 /* float-ok */) -> bool {
    b - a > 100.0 * K_RELATIVE * a.abs().max(b.abs()) + 10.0 * K_ABSOLUTE
}

/// Everything the solve computes before it looks at the pool, from base, weight, floor and
/// cap alone: the sorted breakpoints and the sums at k = -infinity. A sweep whose scenarios
/// change only a stage's pool computes these once ([`solve_from`] then walks them).
#[derive(Clone, Debug)]
pub struct Breakpoints {
    /// The weights are negative: the walk uses their opposites and flips k at the end.
    flip: bool,
    /// Units with weight 0 (fixed at clamp(base)), and whether any unit has a weight.
    fixed: Decimal,
    any_weight: bool,
    /// The total with every weighted unit at its floor, at its cap (None: some unit has none).
    floors: Option<Decimal>,
    caps: Option<Decimal>,
    /// At k = -infinity: the amounts held at floors, and the sums of base and weight of the
    /// units without a floor.
    constant: Decimal,
    linear_base: Decimal,
    linear_weight: Decimal,
    /// Sorted: by k, units entering before others leave, then by row. An overflow computing
    /// them is reported after the pool's own checks, as the solve always did.
    events: Result<Vec<Event>, SolveError>,
}

impl Breakpoints {
    /// The pool-independent part of [`solve`] (`p.pool` is not read).
    pub fn of(p: &Problem) -> Result<Breakpoints, SolveError> {
        let n = p.base.len();
        let floor = |i: usize| p.floor.map(|f| f[i]);
        let cap = |i: usize| p.cap.map(|c| c[i]);
        for i in 0..n {
            if let (Some(f), Some(c)) = (floor(i), cap(i)) {
                if f > c {
                    return Err(SolveError::FloorAboveCap {
                        unit: i,
                        floor: f,
                        cap: c,
                    });
                }
            }
        }
        let positive = p.weight.iter().position(|w| w.is_sign_positive() && !w.is_zero());
        let negative = p.weight.iter().position(|w| w.is_sign_negative() && !w.is_zero());
        if let (Some(positive), Some(negative)) = (positive, negative) {
            return Err(SolveError::MixedSigns { positive, negative });
        }
        // Work with non-negative weights; flip k back at the end.
        let flip = negative.is_some();
        let weight = |i: usize| if flip { -p.weight[i] } else { p.weight[i] };
        let add = |a: Decimal, b: Decimal| a.checked_add(b).ok_or(SolveError::Overflow);

        // Units with zero weight are fixed at clamp(base).
        let mut fixed = Decimal::ZERO;
        let mut lowest = Decimal::ZERO;
        let mut highest = Decimal::ZERO;
        let (mut unbounded_below, mut unbounded_above) = (false, false);
        let mut active = Vec::new();
        for i in 0..n {
            if weight(i).is_zero() {
                fixed = add(fixed, clamp(p, i, p.base[i]))?;
            } else {
                active.push(i);
                match floor(i) {
                    Some(f) => lowest = add(lowest, f)?,
                    None => unbounded_below = true,
                }
                match cap(i) {
                    Some(c) => highest = add(highest, c)?,
                    None => unbounded_above = true,
                }
            }
        }
        let mut b = Breakpoints {
            flip,
            fixed,
            any_weight: !active.is_empty(),
            floors: None,
            caps: None,
            constant: fixed,
            linear_base: Decimal::ZERO,
            linear_weight: Decimal::ZERO,
            events: Ok(Vec::new()),
        };
        if active.is_empty() {
            return Ok(b);
        }
        // Both sums are formed even when unbounded: an overflow there is an error, as before.
        let (floors, caps) = (add(fixed, lowest)?, add(fixed, highest)?);
        b.floors = (!unbounded_below).then_some(floors);
        b.caps = (!unbounded_above).then_some(caps);

        let div = |a: Decimal, b: Decimal| a.checked_div(b).ok_or(SolveError::Overflow);
        let sub = |a: Decimal, b: Decimal| a.checked_sub(b).ok_or(SolveError::Overflow);
        let event = |numerator: Decimal, weight: WeightAndFloat, leave: bool, unit: usize| {
            let approx = crate::sorting::approx(numerator) / weight.1;
            // Near Decimal's limit the division may overflow: found here, as it was when
            // every k was computed. (Below 1e27 the exact k cannot reach 7.9e28.)
            if approx.abs() >= 1e27 {
                div(numerator, weight.0)?;
            }
            Ok(Event {
                numerator,
                approx,
                unit: u32::try_from(unit).map_err(|_| SolveError::Overflow)?,
                leave,
            })
        };
        // State at k = -infinity: units with a floor sit on it, the others are linear. The
        // sums run in unit order (a sum of decimals can round, so the order is kept).
        let mut sums = || -> Result<(), SolveError> {
            for &i in &active {
                match floor(i) {
                    Some(f) => b.constant = add(b.constant, f)?,
                    None => {
                        b.linear_base = add(b.linear_base, p.base[i])?;
                        b.linear_weight = add(b.linear_weight, weight(i))?;
                    }
                }
            }
            Ok(())
        };
        // The breakpoints, each unit's in its own slots (floor and cap are whole columns, so
        // every unit has as many): two divisions a unit, in parallel for a large stage.
        // Their order before the sort does not matter, as the sort's order is total; every
        // failure is the same `Overflow`, so neither does which unit fails first.
        let per = usize::from(p.floor.is_some()) + usize::from(p.cap.is_some());
        let zero = Event {
            numerator: Decimal::ZERO,
            approx: 0.0,
            unit: 0,
            leave: false,
        };
        let mut events = vec![zero; per * active.len()];
        let fill = |(slots, &i): (&mut [Event], &usize)| -> Result<(), SolveError> {
            let w = weight(i);
            let w = (w, crate::sorting::approx(w));
            let mut slot = 0;
            if let Some(f) = floor(i) {
                slots[slot] = event(sub(f, p.base[i])?, w, false, i)?;
                slot += 1;
            }
            if let Some(c) = cap(i) {
                slots[slot] = event(sub(c, p.base[i])?, w, true, i)?;
            }
            Ok(())
        };
        let filled = if per == 0 {
            Ok(())
        } else if crate::threads::worth_parallel(active.len()) {
            use rayon::prelude::*;
            events.par_chunks_mut(per).zip(active.par_iter()).try_for_each(fill)
        } else {
            events.chunks_mut(per).zip(&active).try_for_each(fill)
        };
        if let Err(e) = sums().and(filled) {
            b.events = Err(e);
            return Ok(b);
        }
        b.events = order(events, p, flip);
        Ok(b)
    }

    /// An event's exact k.
    fn k(&self, event: &Event, p: &Problem) -> Result<Decimal, SolveError> {
        exact_k(event, p, self.flip)
    }
}

fn exact_k(event: &Event, p: &Problem, flip: bool) -> Result<Decimal, SolveError> {
    let w = p.weight[event.unit as usize];
    let w = if flip { -w } else { w };
    event.numerator.checked_div(w).ok_or(SolveError::Overflow)
}

/// The events in the exact order: by k, units entering before others leave at equal k, then
/// by row. Sorted by their floats first (ties the same way); then each run of neighbours
/// whose floats are not [`surely_apart`] is sorted again by exact k, the only events whose
/// k is divided out here. Events in different runs are in exact order already.
fn order(mut events: Vec<Event>, p: &Problem, flip: bool) -> Result<Vec<Event>, SolveError> {
    let by_float = |a: &Event, b: &Event| {
        a.approx
            .total_cmp(&b.approx)
            .then(a.leave.cmp(&b.leave))
            .then(a.unit.cmp(&b.unit))
    };
    if crate::threads::worth_parallel(events.len()) {
        use rayon::prelude::*;
        events.par_sort_unstable_by(by_float);
    } else {
        events.sort_unstable_by(by_float);
    }
    let mut start = 0;
    for end in 1..=events.len() {
        if end < events.len() && !surely_apart(events[end - 1].approx, events[end].approx) {
            continue;
        }
        if end - start > 1 {
            let run = &mut events[start..end];
            let mut exact: Vec<(Decimal, Event)> = run
                .iter()
                .map(|e| Ok((exact_k(e, p, flip)?, *e)))
                .collect::<Result<_, SolveError>>()?;
            exact.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then(a.1.leave.cmp(&b.1.leave))
                    .then(a.1.unit.cmp(&b.1.unit))
            });
            for (slot, (_, e)) in run.iter_mut().zip(exact) {
                *slot = e;
            }
        }
        start = end;
    }
    Ok(events)
}

fn clamp(p: &Problem, i: usize, x: Decimal) -> Decimal {
    let x = p.floor.map_or(x, |f| x.max(f[i]));
    p.cap.map_or(x, |c| x.min(c[i]))
}

/// Solve one stage from its breakpoints (computed by [`Breakpoints::of`] from the same base,
/// weight, floor and cap; the pool may differ).
pub fn solve_from(p: &Problem, b: &Breakpoints) -> Result<Solution, SolveError> {
    solve_walking(p, b, true)
}

/// [`solve_from`], passing events by floats where they can tell (`by_floats`) or computing
/// the exact total at every event (the reference the tests hold it to).
fn solve_walking(p: &Problem, b: &Breakpoints, by_floats: bool) -> Result<Solution, SolveError> {
    let n = p.base.len();
    let weight = |i: usize| if b.flip { -p.weight[i] } else { p.weight[i] };
    let add = |a: Decimal, b: Decimal| a.checked_add(b).ok_or(SolveError::Overflow);
    let div = |a: Decimal, b: Decimal| a.checked_div(b).ok_or(SolveError::Overflow);
    let sub = |a: Decimal, b: Decimal| a.checked_sub(b).ok_or(SolveError::Overflow);
    if !b.any_weight {
        if b.fixed != p.pool {
            return Err(SolveError::NoWeight {
                fixed: b.fixed,
                pool: p.pool,
            });
        }
        let exact: Vec<Decimal> = (0..n).map(|i| clamp(p, i, p.base[i])).collect();
        return Ok(finish(p, Decimal::ZERO, exact));
    }
    if let Some(floors) = b.floors.filter(|f| *f > p.pool) {
        return Err(SolveError::FloorsAbovePool { floors, pool: p.pool });
    }
    if let Some(caps) = b.caps.filter(|c| *c < p.pool) {
        return Err(SolveError::CapsBelowPool { caps, pool: p.pool });
    }
    let events = b.events.as_ref().map_err(Clone::clone)?;
    let (mut constant, mut linear_base, mut linear_weight) = (b.constant, b.linear_base, b.linear_weight);
    let mut k = None;
    let mut floats = FloatWalk::new(constant, linear_base, linear_weight);
    let pool_f = crate::sorting::approx(p.pool); // float-ok: decided with a margin
    for event in events {
        // Far below the pool by floats: the exact total at this event is below it too, and
        // the exact product (the walk's costly step) is not needed. Near it, exactly.
        let far_below = by_floats && floats.surely_below(event.approx, pool_f);
        let i = event.unit as usize;
        if far_below {
            if event.leave {
                floats.leave(p.base[i], weight(i), p.cap.map(|c| c[i]).unwrap_or_default());
            } else {
                floats.enter(p.floor.map(|f| f[i]).unwrap_or_default(), p.base[i], weight(i));
            }
        }
        let at_event = if far_below {
            None
        } else {
            let k = b.k(event, p)?;
            Some((
                add(
                    add(constant, linear_base)?,
                    crate::multiply::mul(k, linear_weight).ok_or(SolveError::Overflow)?,
                )?,
                k,
            ))
        };
        if let Some((_, k_here)) = at_event.filter(|(at, _)| *at >= p.pool) {
            k = Some(if linear_weight.is_zero() {
                k_here
            } else {
                div(sub(sub(p.pool, constant)?, linear_base)?, linear_weight)?
            });
            break;
        }
        if event.leave {
            linear_base = sub(linear_base, p.base[i])?;
            linear_weight = sub(linear_weight, weight(i))?;
            constant = add(constant, p.cap.map(|c| c[i]).unwrap_or_default())?;
        } else {
            constant = sub(constant, p.floor.map(|f| f[i]).unwrap_or_default())?;
            linear_base = add(linear_base, p.base[i])?;
            linear_weight = add(linear_weight, weight(i))?;
        }
        if !far_below {
            floats = FloatWalk::new(constant, linear_base, linear_weight);
        }
    }
    let k = match k {
        Some(k) => k,
        None if !linear_weight.is_zero() => div(sub(sub(p.pool, constant)?, linear_base)?, linear_weight)?,
        // Every unit capped and the pool equals the sum of caps.
        None => match events.last() {
            Some(e) => b.k(e, p)?,
            None => Decimal::ZERO,
        },
    };
    let amount = |i: usize| {
        let x = p.base[i].checked_add(crate::multiply::mul(k, weight(i))?)?;
        Some(clamp(p, i, x))
    };
    let exact = if crate::threads::worth_parallel(n) {
        use rayon::prelude::*;
        (0..n).into_par_iter().map(amount).collect::<Option<Vec<_>>>()
    } else {
        (0..n).map(amount).collect::<Option<Vec<_>>>()
    }
    .ok_or(SolveError::Overflow)?;
    Ok(finish(p, if b.flip { -k } else { k }, exact))
}

/// The walk's sums in floats beside the exact ones, with a bound on how far they may be from
/// them, to tell when the total at an event is surely below the pool.
///
/// Each term is within 1e-14 of its magnitude (`sorting::approx`) and each float addition
/// adds at most 2⁻⁵² of the running magnitude, so after n additions a sum is within
/// (1e-14 + (n + 4) × 2⁻⁵²) of the sum of its terms' magnitudes; the event's float k is
/// within [`K_RELATIVE`] and [`K_ABSOLUTE`] of its k. A decision is taken by
/// floats only with four times that margin, and only for totals far from overflow, so an
/// event the floats pass over is one whose exact total is below the pool and representable:
/// the walk stops where the exact walk stops and fails where it fails. Only time depends on it.
struct FloatWalk {
    /// constant, linear base, linear weight
    sums: [f64; 3], // float-ok: decided with a margin, never a result
    /// The sums of the magnitudes of their terms.
    magnitudes: [f64; 3], // float-ok
    additions: f64, // float-ok
}

impl FloatWalk {
    /// Floats for exact sums: restarted from them after every exact step.
    fn new(constant: Decimal, linear_base: Decimal, linear_weight: Decimal) -> FloatWalk {
        let sums = [constant, linear_base, linear_weight].map(crate::sorting::approx);
        FloatWalk {
            sums,
            magnitudes: sums.map(f64::abs), // float-ok: error bound
            additions: 0.0,
        }
    }

    fn add(&mut self, slot: usize, term: Decimal, sign: f64 /* float-ok */) {
        let term = crate::sorting::approx(term);
        self.sums[slot] += sign * term;
        self.magnitudes[slot] += term.abs();
    }

    /// A unit leaves the linear part at its cap.
    fn leave(&mut self, base: Decimal, weight: Decimal, cap: Decimal) {
        self.add(1, base, -1.0);
        self.add(2, weight, -1.0);
        self.add(0, cap, 1.0);
        self.additions += 1.0;
    }

    /// A unit leaves its floor for the linear part.
    fn enter(&mut self, floor: Decimal, base: Decimal, weight: Decimal) {
        self.add(0, floor, -1.0);
        self.add(1, base, 1.0);
        self.add(2, weight, 1.0);
        self.additions += 1.0;
    }

    /// Whether constant + linear base + k × linear weight is surely below the pool at `k`
    /// (both as floats), and far from overflow.
    fn surely_below(&self, k: f64 /* float-ok */, pool: f64 /* float-ok */) -> bool {
        const FAR_FROM_OVERFLOW: f64 = 1e27; // float-ok: Decimal::MAX is 7.9e28
        let [constant, base, weight] = self.sums;
        let [m_constant, m_base, m_weight] = self.magnitudes;
        let product = k * weight;
        let total = constant + base + product;
        let relative = 1e-14 + (self.additions + 4.0) * f64::EPSILON; // float-ok: error bound
                                                                      // The event's float k is within K_RELATIVE (in `relative`) and K_ABSOLUTE of its k.
        let error = relative * (m_constant + m_base + k.abs() * (m_weight + weight.abs()) + total.abs())
            + K_ABSOLUTE * (m_weight + weight.abs());
        let moderate = [constant, base, product, total, m_constant, m_base, k.abs() * m_weight]
            .iter()
            .all(|v| v.abs() < FAR_FROM_OVERFLOW);
        moderate && total + 4.0 * error < pool - pool.abs() * 1e-14
    }
}

/// Mark the units held at a bound. Units with weight 0 take no part in the fit and
/// are counted at neither bound.
fn finish(p: &Problem, k: Decimal, exact: Vec<Decimal>) -> Solution {
    let bound =
        |bounds: Option<&[Decimal]>, i: usize, x: Decimal| bounds.is_some_and(|b| b[i].cmp(&x) == Ordering::Equal);
    let takes_part = |i: usize| !p.weight[i].is_zero();
    let at_floor = |(i, &x): (usize, &Decimal)| takes_part(i) && bound(p.floor, i, x);
    let at_cap = |(i, &x): (usize, &Decimal)| takes_part(i) && bound(p.cap, i, x) && !bound(p.floor, i, x);
    let (at_floor, at_cap) = if crate::threads::worth_parallel(exact.len()) {
        use rayon::prelude::*;
        rayon::join(
            || exact.par_iter().enumerate().map(at_floor).collect(),
            || exact.par_iter().enumerate().map(at_cap).collect(),
        )
    } else {
        (
            exact.iter().enumerate().map(at_floor).collect(),
            exact.iter().enumerate().map(at_cap).collect(),
        )
    };
    Solution {
        k,
        exact,
        at_floor,
        at_cap,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn ds(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| d(s)).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]
        /// Passing events by floats finds the exact walk's k, amounts and errors: for random
        /// stages, and for pools that equal the exact total at one of the events, where the
        /// floats must give way.
        #[test]
        fn the_walk_by_floats_stops_where_the_exact_walk_stops(
            units in proptest::collection::vec(
                (-50i64..500, 0i64..40, 0u32..4, proptest::option::of(0i64..300), proptest::option::of(0i64..900)),
                1..60,
            ),
            pool in 0i64..20_000,
            negative in proptest::bool::ANY,
            at_event in 0usize..200,
        ) {
            let sign = if negative { -1 } else { 1 };
            let base: Vec<Decimal> = units.iter().map(|u| Decimal::new(u.0, u.2)).collect();
            let weight: Vec<Decimal> = units.iter().map(|u| Decimal::new(sign * u.1 * 7, u.2 % 3)).collect();
            let floor: Vec<Decimal> = units.iter().map(|u| Decimal::new(u.3.unwrap_or(0), 1)).collect();
            let cap: Vec<Decimal> = units.iter().map(|u| Decimal::new(u.4.unwrap_or(0) + 300, 0)).collect();
            let has_floor = units.iter().any(|u| u.3.is_some());
            let has_cap = units.iter().any(|u| u.4.is_some());
            let mut problem = Problem {
                base: &base,
                weight: &weight,
                floor: has_floor.then_some(&floor[..]),
                cap: has_cap.then_some(&cap[..]),
                pool: Decimal::from(pool),
            };
            let Ok(points) = Breakpoints::of(&problem) else { return Ok(()) };
            let mut pools = vec![problem.pool];
            if let Ok(events) = &points.events {
                if !events.is_empty() {
                    // The exact total of the amounts at one event's k.
                    let k = points.k(&events[at_event % events.len()], &problem).unwrap();
                    let k = if points.flip { -k } else { k };
                    let total: Option<Decimal> = (0..base.len()).try_fold(Decimal::ZERO, |acc, i| {
                        acc.checked_add(clamp(&problem, i, base[i].checked_add(k.checked_mul(weight[i])?)?))
                    });
                    pools.extend(total);
                }
            }
            for pool in pools {
                problem.pool = pool;
                proptest::prop_assert_eq!(
                    solve_walking(&problem, &points, true),
                    solve_walking(&problem, &points, false),
                    "pool {}", pool
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]
        /// The events come out in the exact order (by exact k, entering before leaving, then
        /// by row) although most k are never divided out: equal k (a cap equal to the
        /// weight), k equal to the 20th digit, k so small that 28 decimal places round them
        /// together, and ordinary ones; weights of every scale, positive or negative.
        #[test]
        fn events_come_out_in_the_exact_order_of_their_k(
            units in proptest::collection::vec((1i64..1_000_000, 0u32..26, 0i64..1000, 0u32..4, 0u8..4), 1..80),
            negative in proptest::bool::ANY,
            floors in proptest::bool::ANY,
        ) {
            let sign = if negative { -1 } else { 1 };
            let weight: Vec<Decimal> = units.iter().map(|u| Decimal::new(sign * u.0, u.1)).collect();
            let cap: Vec<Decimal> = units
                .iter()
                .zip(&weight)
                .map(|(u, w)| match u.4 {
                    0 => w.abs(),
                    1 => w.abs() * (Decimal::ONE + Decimal::new(u.2, 20)),
                    2 => Decimal::new(u.2, 28),
                    _ => Decimal::new(u.2 * 1000 + 1, u.3),
                })
                .collect();
            let floor: Vec<Decimal> = cap.iter().map(|c| *c / Decimal::from(3)).collect();
            let base = vec![Decimal::ZERO; units.len()];
            let problem = Problem {
                base: &base,
                weight: &weight,
                floor: floors.then_some(&floor[..]),
                cap: Some(&cap),
                pool: Decimal::ZERO,
            };
            let Ok(points) = Breakpoints::of(&problem) else { return Ok(()) };
            let Ok(events) = &points.events else { return Ok(()) };
            let exact: Vec<(Decimal, bool, u32)> = events
                .iter()
                .map(|e| (points.k(e, &problem).unwrap(), e.leave, e.unit))
                .collect();
            let mut expected = exact.clone();
            expected.sort();
            proptest::prop_assert_eq!(exact, expected);
        }
    }

    #[test]
    fn the_walk_by_floats_gives_way_near_the_pool_and_near_overflow() {
        // 3 units, weight 1, no bounds but caps: the total at the second event is 2 + 2 + x.
        let base = ds(&["0", "0", "0"]);
        let weight = ds(&["1", "1", "1"]);
        let cap = ds(&["1", "2", "3"]);
        let mut problem = Problem {
            base: &base,
            weight: &weight,
            floor: None,
            cap: Some(&cap),
            pool: d("5"),
        };
        let points = Breakpoints::of(&problem).unwrap();
        let walk = FloatWalk::new(points.constant, points.linear_base, points.linear_weight);
        // At k = 1 the total is 3: surely below 5 and 3.0000000001, not 3 (equal) or 3 + 1e-15.
        assert!(walk.surely_below(1.0, 5.0));
        assert!(!walk.surely_below(1.0, 3.0));
        assert!(walk.surely_below(1.0, 3.000_000_000_1));
        assert!(!walk.surely_below(1.0, 3.000_000_000_000_001));
        // Totals near Decimal's limit are left to the exact walk, which reports the overflow.
        assert!(!walk.surely_below(1e28, 7.9e28));
        for pool in ["3", "5", "6"] {
            problem.pool = d(pool);
            assert_eq!(
                solve_walking(&problem, &points, true),
                solve_walking(&problem, &points, false)
            );
        }
    }

    #[test]
    fn a_large_stage_solved_in_parallel_fits_the_pool_within_every_bound() {
        // 20,000 units (past the parallel threshold), with floors, caps or both.
        let n = 20_000i64;
        let base: Vec<Decimal> = (0..n).map(|i| Decimal::from(i % 13)).collect();
        let weight: Vec<Decimal> = (0..n).map(|i| Decimal::from(1 + (i * 7) % 11)).collect();
        let floor: Vec<Decimal> = (0..n).map(|i| Decimal::from(20 + i % 17)).collect();
        let cap: Vec<Decimal> = (0..n).map(|i| Decimal::from(60 + (i * 3) % 50)).collect();
        let pool = Decimal::from(1_100_000);
        for (floors_set, caps_set) in [(true, true), (false, true), (true, false)] {
            let problem = Problem {
                base: &base,
                weight: &weight,
                floor: floors_set.then_some(&floor[..]),
                cap: caps_set.then_some(&cap[..]),
                pool,
            };
            let on = |threads: usize| {
                let threads = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                threads.install(|| solve(&problem).unwrap())
            };
            let (s, one) = (on(2), on(1));
            assert_eq!((s.k, &s.exact), (one.k, &one.exact));
            let total: Decimal = s.exact.iter().sum();
            assert!((total - pool).abs() < Decimal::new(1, 12), "sum {total}");
            let (mut floors, mut caps) = (0, 0);
            for i in 0..n as usize {
                let mut expected = base[i] + s.k * weight[i];
                if floors_set {
                    expected = expected.max(floor[i]);
                }
                if caps_set {
                    expected = expected.min(cap[i]);
                }
                assert_eq!(s.exact[i], expected, "unit {i}");
                floors += usize::from(s.at_floor[i]);
                caps += usize::from(s.at_cap[i]);
            }
            assert_eq!(
                (floors > 0, caps > 0),
                (floors_set, caps_set),
                "{floors} at floor, {caps} at cap"
            );
        }
    }

    #[test]
    fn proportional_split_without_bounds() {
        let (base, weight) = (ds(&["0", "0", "0"]), ds(&["1", "3", "6"]));
        let s = solve(&Problem {
            base: &base,
            weight: &weight,
            floor: None,
            cap: None,
            pool: d("1000"),
        })
        .unwrap();
        assert_eq!(s.k, d("100"));
        assert_eq!(s.exact, ds(&["100", "300", "600"]));
    }

    #[test]
    fn caps_bind_and_the_rest_is_shared_again() {
        // Hand computation: weights 1, 1, 2; pool 100; unit 2 capped at 30.
        // Unconstrained k = 25 gives 25, 25, 50: unit 2 over its cap. With it fixed at 30,
        // the other two share 70 equally: k = 35, amounts 35, 35, 30.
        let (base, weight, cap) = (ds(&["0", "0", "0"]), ds(&["1", "1", "2"]), ds(&["100", "100", "30"]));
        let s = solve(&Problem {
            base: &base,
            weight: &weight,
            floor: None,
            cap: Some(&cap),
            pool: d("100"),
        })
        .unwrap();
        assert_eq!(s.k, d("35"));
        assert_eq!(s.exact, ds(&["35", "35", "30"]));
        assert_eq!(s.at_cap, vec![false, false, true]);
    }

    #[test]
    fn floors_bind_and_the_rest_is_scaled_down() {
        // Weights 1, 9; pool 100; floor 20 each. Unconstrained: 10, 90; unit 0 lifts to 20,
        // unit 1 gets 80 (k = 80/9).
        let (base, weight, floor) = (ds(&["0", "0"]), ds(&["1", "9"]), ds(&["20", "20"]));
        let s = solve(&Problem {
            base: &base,
            weight: &weight,
            floor: Some(&floor),
            cap: None,
            pool: d("100"),
        })
        .unwrap();
        assert_eq!(s.exact[0], d("20"));
        assert!((s.exact[1] - d("80")).abs() < d("1e-20"));
        assert_eq!(s.at_floor, vec![true, false]);
    }

    #[test]
    fn negative_weights_cut_in_proportion_like_japan() {
        // Japan: grant = shortfall - need * r. Shortfalls 50, 30; needs 100, 200; pool 50.
        // r = (80 - 50) / 300 = 0.1 → grants 40, 10. In the general form k = r with weight = -need.
        let (base, weight, floor) = (ds(&["50", "30"]), ds(&["-100", "-200"]), ds(&["0", "0"]));
        let s = solve(&Problem {
            base: &base,
            weight: &weight,
            floor: Some(&floor),
            cap: None,
            pool: d("50"),
        })
        .unwrap();
        assert_eq!(s.k, d("0.1"));
        assert_eq!(s.exact, ds(&["40", "10"]));
    }

    #[test]
    fn japan_unit_pushed_below_zero_gets_nothing_and_rate_is_solved_again() {
        // Shortfalls 50, 5; needs 100, 200; pool 30. First r = 25/300 gives unit 1 a negative grant;
        // with unit 1 at 0, unit 0 alone: 50 - 100 r = 30 → r = 0.2.
        let (base, weight, floor) = (ds(&["50", "5"]), ds(&["-100", "-200"]), ds(&["0", "0"]));
        let s = solve(&Problem {
            base: &base,
            weight: &weight,
            floor: Some(&floor),
            cap: None,
            pool: d("30"),
        })
        .unwrap();
        assert_eq!(s.k, d("0.2"));
        assert_eq!(s.exact, ds(&["30", "0"]));
    }

    #[test]
    fn infeasible_pools_name_both_sums() {
        let (base, weight, floor, cap) = (ds(&["0", "0"]), ds(&["1", "1"]), ds(&["60", "60"]), ds(&["70", "70"]));
        let too_small = solve(&Problem {
            base: &base,
            weight: &weight,
            floor: Some(&floor),
            cap: Some(&cap),
            pool: d("100"),
        });
        assert_eq!(
            too_small,
            Err(SolveError::FloorsAbovePool {
                floors: d("120"),
                pool: d("100")
            })
        );
        let too_big = solve(&Problem {
            base: &base,
            weight: &weight,
            floor: Some(&floor),
            cap: Some(&cap),
            pool: d("150"),
        });
        assert_eq!(
            too_big,
            Err(SolveError::CapsBelowPool {
                caps: d("140"),
                pool: d("150")
            })
        );
    }

    #[test]
    fn mixed_signs_and_bad_bounds_are_errors() {
        let (base, weight) = (ds(&["0", "0"]), ds(&["1", "-1"]));
        assert_eq!(
            solve(&Problem {
                base: &base,
                weight: &weight,
                floor: None,
                cap: None,
                pool: d("1")
            }),
            Err(SolveError::MixedSigns {
                positive: 0,
                negative: 1
            })
        );
        let (weight, floor, cap) = (ds(&["1", "1"]), ds(&["5", "0"]), ds(&["4", "9"]));
        assert_eq!(
            solve(&Problem {
                base: &base,
                weight: &weight,
                floor: Some(&floor),
                cap: Some(&cap),
                pool: d("1")
            }),
            Err(SolveError::FloorAboveCap {
                unit: 0,
                floor: d("5"),
                cap: d("4")
            })
        );
    }

    #[test]
    fn all_zero_weights_only_fit_when_fixed_amounts_equal_the_pool() {
        let (base, weight) = (ds(&["3", "4"]), ds(&["0", "0"]));
        assert!(solve(&Problem {
            base: &base,
            weight: &weight,
            floor: None,
            cap: None,
            pool: d("7")
        })
        .is_ok());
        assert_eq!(
            solve(&Problem {
                base: &base,
                weight: &weight,
                floor: None,
                cap: None,
                pool: d("8")
            }),
            Err(SolveError::NoWeight {
                fixed: d("7"),
                pool: d("8")
            })
        );
    }

    #[test]
    fn pool_exactly_at_sum_of_caps_puts_everyone_at_cap() {
        let (base, weight, cap) = (ds(&["0", "0"]), ds(&["1", "2"]), ds(&["10", "10"]));
        let s = solve(&Problem {
            base: &base,
            weight: &weight,
            floor: None,
            cap: Some(&cap),
            pool: d("20"),
        })
        .unwrap();
        assert_eq!(s.exact, ds(&["10", "10"]));
        assert_eq!(s.at_cap, vec![true, true]);
    }
}
