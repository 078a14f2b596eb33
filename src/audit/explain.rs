//! `explain`: how one unit's amount came about, as a tree of values.
//!
//! Each stage shows its pool, the solved k, the unit's base, weight, floor and cap,
//! the exact amount, the rounded amount and the rounding remainder; each var shows
//! its expression, its value and the values of its operands, down to inputs and
//! params. A var already shown is not expanded again. Every value is printed as
//! in audit.csv, so the two always agree.

use serde::Serialize;

use super::values::{Named, Values};
use crate::formula::program::{Num, Ref};
use crate::money;

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub name: String,
    /// stage, var, input, param, aggregate, total, k, exact, rounded, remainder
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

impl Node {
    fn leaf(name: impl Into<String>, kind: &'static str, value: String, note: Option<String>) -> Node {
        Node {
            name: name.into(),
            kind,
            expression: None,
            value,
            note,
            children: Vec::new(),
        }
    }
}

struct Builder<'a> {
    values: &'a Values<'a>,
    row: usize,
    expanded: Vec<Ref>,
}

/// The whole derivation of one unit's total.
pub fn unit(values: &Values, row: usize) -> Node {
    let mut b = Builder {
        values,
        row,
        expanded: Vec::new(),
    };
    let children = (0..values.formula.stages.len()).map(|i| b.stage(i)).collect();
    Node {
        name: "total".into(),
        kind: "total",
        expression: Some("sum of the stages counted in the total".into()),
        value: values.text(Named::Total, row),
        note: Some(format!("unit {}", values.data.describe_unit(row))),
        children,
    }
}

/// The derivation of one var, stage or input of one unit.
pub fn named(values: &Values, row: usize, named: Named) -> Node {
    let mut b = Builder {
        values,
        row,
        expanded: Vec::new(),
    };
    match named {
        Named::Total => unit(values, row),
        Named::Ref(Ref::Stage(i)) => b.stage(i),
        Named::Ref(r) => b.reference(r),
    }
}

impl Builder<'_> {
    fn text(&self, r: Ref) -> String {
        self.values.text(Named::Ref(r), self.row)
    }

    fn operands(&mut self, e: &Num) -> Vec<Node> {
        let mut refs = Vec::new();
        e.refs(&mut refs);
        refs.into_iter().map(|r| self.reference(r)).collect()
    }

    fn reference(&mut self, r: Ref) -> Node {
        let f = self.values.formula;
        let name = self.values.name(r);
        let value = self.text(r);
        match r {
            Ref::Input(i) => {
                let from = self.values.data.input_files.get(i).filter(|f| !f.is_empty());
                Node::leaf(
                    name,
                    "input",
                    value,
                    Some(from.map_or("input".into(), |f| format!("input, from {f}"))),
                )
            }
            Ref::Param(_) => Node::leaf(name, "param", value, None),
            Ref::Stage(i) => Node::leaf(
                name,
                "stage",
                value,
                Some(format!("the amount of stage '{}' (shown below)", f.stages[i].name)),
            ),
            Ref::Aggregate(i) => {
                let per_unit = f.aggregates[i].kind.per_unit();
                let note = if per_unit {
                    "this unit's value of an aggregate over units"
                } else {
                    "aggregate over all units"
                };
                Node::leaf(name, "aggregate", value, Some(note.into()))
            }
            Ref::Var(i) => {
                let var = &f.vars[i];
                if self.expanded.contains(&r) {
                    return Node {
                        name,
                        kind: "var",
                        expression: Some(var.source.clone()),
                        value,
                        note: Some("shown above".into()),
                        children: Vec::new(),
                    };
                }
                self.expanded.push(r);
                let children = var.expr.refs().into_iter().map(|r| self.reference(r)).collect();
                Node {
                    name,
                    kind: "var",
                    expression: Some(var.source.clone()),
                    value,
                    note: None,
                    children,
                }
            }
        }
    }

    fn part(&mut self, name: &str, source: &str, e: &Num, value: String) -> Node {
        Node {
            name: name.into(),
            kind: "part",
            expression: Some(source.into()),
            value,
            note: None,
            children: self.operands(e),
        }
    }

    fn stage(&mut self, index: usize) -> Node {
        let f = self.values.formula;
        let stage = &f.stages[index];
        let solved = &self.values.result.stages[index];
        let row = self.row;
        let plain = money::format_plain;
        let group = stage.within.and_then(|g| match &self.values.data.columns[g] {
            crate::data::Column::Text(groups) => solved.groups.iter().find(|r| r.group == groups[row]),
            _ => None,
        });
        let (pool, k) = match group {
            Some(g) => (g.pool, g.k),
            None => (solved.pool, solved.k),
        };
        let mut children = Vec::new();
        let pool_note = group.map(|g| format!("the pool of group '{}'", g.group));
        let mut pool_node = self.part("pool", &stage.sources.pool, &stage.pool, plain(pool));
        pool_node.note = pool_note;
        children.push(pool_node);
        children.push(Node::leaf(
            "k",
            "k",
            plain(k),
            Some(match group {
                Some(g) => format!("solved so that group '{}' adds up to its pool", g.group),
                None => "solved so that the stage adds up to its pool".into(),
            }),
        ));
        children.push(self.part("base", &stage.sources.base, &stage.base, plain(solved.base[row])));
        children.push(self.part(
            "weight",
            &stage.sources.weight,
            &stage.weight,
            plain(solved.weight[row]),
        ));
        if let (Some(e), Some(values), Some(source)) = (&stage.floor, &solved.floor, &stage.sources.floor) {
            children.push(self.part("floor", source, e, plain(values[row])));
        }
        if let (Some(e), Some(values), Some(source)) = (&stage.cap, &solved.cap, &stage.sources.cap) {
            children.push(self.part("cap", source, e, plain(values[row])));
        }
        let position = if solved.weight[row].is_zero() {
            "weight 0: takes no part in the fit"
        } else if solved.at_floor[row] {
            "held at its floor"
        } else if solved.at_cap[row] {
            "held at its cap"
        } else {
            "between floor and cap"
        };
        children.push(Node {
            name: "exact".into(),
            kind: "exact",
            expression: Some("clamp(base + k * weight, floor, cap)".into()),
            value: plain(solved.exact[row]),
            note: Some(position.into()),
            children: Vec::new(),
        });
        let unit = plain(solved.unit);
        children.push(Node::leaf(
            "rounded",
            "rounded",
            plain(solved.amounts[row]),
            Some(format!("to a multiple of {unit}, largest remainder first, ties by key")),
        ));
        children.push(Node::leaf(
            "remainder",
            "remainder",
            plain(solved.amounts[row] - solved.exact[row]),
            Some("rounded − exact".into()),
        ));
        let note = if stage.in_total {
            None
        } else {
            Some("not counted in the total (redistributed by a later stage)".into())
        };
        Node {
            name: stage.name.clone(),
            kind: "stage",
            expression: Some(match stage.within {
                Some(g) => format!("fitted within each {}", f.inputs[g].name),
                None => "fitted to the pool".into(),
            }),
            value: self.values.text(Named::Ref(Ref::Stage(index)), row),
            note,
            children,
        }
    }
}

/// The tree as indented text.
pub fn render(node: &Node) -> String {
    let mut out = String::new();
    write(node, 0, &mut out);
    out
}

fn write(node: &Node, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let expression = match &node.expression {
        Some(e) if *e != node.value => format!(" = {e}"),
        _ => String::new(),
    };
    let note = node.note.as_ref().map(|n| format!("   ({n})")).unwrap_or_default();
    out.push_str(&format!("{indent}{}{expression} = {}{note}\n", node.name, node.value));
    for child in &node.children {
        write(child, depth + 1, out);
    }
}
