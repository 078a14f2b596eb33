//! The order of evaluation: vars and stages by dependency; a cycle is reported with its path.

use super::*;

impl Checker<'_> {
    /// Vars and stages in an order where everything comes after what it uses.
    /// Nodes are vars `0..V` then stages `V..V+S`; each stage follows the one before it.
    pub(super) fn dependency_order(&mut self, spec: &FormulaSpec) -> Vec<usize> {
        let var_count = spec.vars.len();
        let node_count = var_count + spec.stages.len();
        let mut edges: Vec<Vec<(usize, Span)>> = vec![Vec::new(); node_count];
        let resolve = |names: &HashMap<String, Binding>, refs: Vec<(String, Span)>| -> Vec<(usize, Span)> {
            refs.into_iter()
                .filter_map(|(name, span)| match names.get(&name) {
                    Some(Binding::Var(i)) => Some((*i, span)),
                    Some(Binding::Stage(i)) => Some((var_count + i, span)),
                    _ => None,
                })
                .collect()
        };
        for (i, var) in spec.vars.iter().enumerate() {
            let mut refs = Vec::new();
            var.source.expr.names(&mut refs);
            edges[i] = resolve(&self.names, refs);
        }
        for (i, stage) in spec.stages.iter().enumerate() {
            let mut refs = Vec::new();
            for source in stage_sources(stage) {
                source.expr.names(&mut refs);
            }
            // `within` a computed group: after the var that computes it.
            refs.extend(stage.within.clone());
            let mut deps = resolve(&self.names, refs);
            if i > 0 {
                deps.push((var_count + i - 1, stage.span));
            }
            edges[var_count + i] = deps;
        }

        let node_name = |n: usize| {
            if n < var_count {
                spec.vars[n].name.clone()
            } else {
                spec.stages[n - var_count].name.clone()
            }
        };
        // Iterative depth-first search: 0 = new, 1 = on the stack, 2 = done.
        let mut state = vec![0u8; node_count];
        let mut order = Vec::with_capacity(node_count);
        for root in 0..node_count {
            if state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&(dep, span)) = edges[node].get(*next) {
                    *next += 1;
                    match state[dep] {
                        0 => {
                            state[dep] = 1;
                            stack.push((dep, 0));
                        }
                        1 => {
                            let start = stack.iter().position(|&(n, _)| n == dep).unwrap_or(0);
                            let mut path: Vec<String> = stack[start..].iter().map(|&(n, _)| node_name(n)).collect();
                            path.push(node_name(dep));
                            let d = if path.len() == 2 {
                                self.error_t(span, "check-refers-to-itself", crate::args![name = &path[0]])
                            } else if path.len() > 12 {
                                // A long cycle is shown by its ends, not on a line of a megabyte.
                                self.error_t(
                                    span,
                                    "check-long-cycle",
                                    crate::args![
                                        count = path.len() - 1,
                                        first = path[..5].join(" -> "),
                                        last = path[path.len() - 5..].join(" -> ")
                                    ],
                                )
                            } else {
                                self.error_t(span, "check-cycle", crate::args![path = path.join(" -> ")])
                            };
                            d.notes.push(crate::tr!("check-cycle-note"));
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    order.push(node);
                    stack.pop();
                }
            }
        }
        // How deep each chain of definitions goes: explaining a unit walks it.
        let mut depth = vec![0usize; node_count];
        for &node in &order {
            depth[node] = 1 + edges[node].iter().map(|&(d, _)| depth[d]).max().unwrap_or(0);
            if depth[node] > MAX_DEPTH {
                let span = if node < var_count {
                    spec.vars[node].span
                } else {
                    spec.stages[node - var_count].span
                };
                self.error_t(
                    span,
                    "check-chain-too-deep",
                    crate::args![name = node_name(node), depth = depth[node], limit = MAX_DEPTH],
                )
                .notes
                .push(crate::tr!("check-chain-too-deep-note"));
                break;
            }
        }
        order
    }
}

/// Longest chain of vars and stages, each using the one before (explanations walk it).
pub const MAX_DEPTH: usize = 200;

pub(super) fn stage_sources(stage: &spec::StageSpec) -> impl Iterator<Item = &Source> {
    [
        Some(&stage.pool),
        stage.base.as_ref(),
        Some(&stage.weight),
        stage.floor.as_ref(),
        stage.cap.as_ref(),
    ]
    .into_iter()
    .flatten()
}
