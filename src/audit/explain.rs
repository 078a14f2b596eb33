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
use crate::i18n::{text_in, Lang};
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
    cells: Cells,
    /// The language of the notes: English in trace.jsonl (an output file, the same
    /// whatever the terminal's language), the process language for a person.
    lang: Lang,
}

/// The language of an explanation's notes for `cells` (see [`Builder::lang`]).
fn language_for(cells: Cells) -> Lang {
    match cells {
        Cells::FileOnly => Lang::En,
        Cells::Cited => crate::i18n::language(),
    }
}

impl Builder<'_> {
    fn tr(&self, id: &str, args: &[(&str, crate::i18n::Arg)]) -> String {
        text_in(self.lang, id, args)
    }
}

/// Whether an input names the file it was read from, or also its cell (`fiscal.csv:12`,
/// `表1!F123`). A cell depends on where the row sits in its file, so trace.jsonl, which is
/// byte-identical whatever the row order, names files only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cells {
    FileOnly,
    Cited,
}

/// The whole derivation of one unit's total.
pub fn unit(values: &Values, row: usize, cells: Cells) -> Node {
    let mut b = Builder {
        values,
        row,
        expanded: Vec::new(),
        cells,
        lang: language_for(cells),
    };
    let f = values.formula;
    if f.stages.is_empty() {
        // A formula of vars only (an index, an eligibility test): its results are the
        // vars no other var reads, each with its derivation.
        let mut read = Vec::new();
        for var in &f.vars {
            read.extend(var.expr.refs());
        }
        let children = (0..f.vars.len())
            .filter(|i| !read.contains(&Ref::Var(*i)))
            .map(|i| b.reference(Ref::Var(i)))
            .collect();
        return Node {
            name: "total".into(),
            kind: "total",
            expression: Some(b.tr("explain-no-stages", &[])),
            value: values.text(Named::Total, row),
            note: Some(b.tr("explain-unit", crate::args![unit = values.data.describe_unit(row)])),
            children,
        };
    }
    let children = (0..f.stages.len()).map(|i| b.stage(i)).collect();
    Node {
        name: "total".into(),
        kind: "total",
        expression: Some(b.tr("explain-total", &[])),
        value: values.text(Named::Total, row),
        note: Some(b.tr("explain-unit", crate::args![unit = values.data.describe_unit(row)])),
        children,
    }
}

/// The derivation of one var, stage or input of one unit.
pub fn named(values: &Values, row: usize, named: Named, cells: Cells) -> Node {
    let mut b = Builder {
        values,
        row,
        expanded: Vec::new(),
        cells,
        lang: language_for(cells),
    };
    match named {
        Named::Total => unit(values, row, cells),
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
                let data = self.values.data;
                let file = data.input_files.get(i).filter(|f| !f.is_empty());
                let transform = f.input_transforms.iter().find(|(input, _, _)| *input == i);
                let note = match (transform, file) {
                    (Some((_, _, text)), _) => self.tr("explain-input-recomputed", crate::args![expression = text]),
                    (None, None) => self.tr("explain-input", &[]),
                    (None, Some(file)) if self.cells == Cells::FileOnly => {
                        self.tr("explain-input-from", crate::args![place = file])
                    }
                    (None, Some(file)) => match data.cell_of(i, self.row) {
                        Some(cell) => self.tr("explain-input-from", crate::args![place = cell]),
                        None => self.tr("explain-input-default", crate::args![file = file]),
                    },
                };
                Node::leaf(name, "input", value, Some(note))
            }
            Ref::Param(i) => {
                let param = &f.params[i];
                let note = (!param.dated.is_empty()).then(|| {
                    let value = self.values.result.params.get(i).copied().unwrap_or(param.value);
                    match (param.dated_origin(value, f.date.as_deref()), f.date.as_deref()) {
                        (Some(from), Some(date)) => {
                            self.tr("explain-param-in-force", crate::args![from = from, date = date])
                        }
                        (_, Some(date)) => self.tr("explain-param-set-dated", crate::args![date = date]),
                        (_, None) => self.tr("explain-param-set-undated", &[]),
                    }
                });
                Node::leaf(name, "param", value, note)
            }
            Ref::Stage(i) => Node::leaf(
                name,
                "stage",
                value,
                Some(self.tr("explain-stage-ref", crate::args![stage = &f.stages[i].name])),
            ),
            Ref::Aggregate(i) => {
                let aggregate = &f.aggregates[i];
                let over = match (&aggregate.filter, aggregate.group) {
                    (Some(_), Some(g)) => self.tr("explain-over-group-where", crate::args![group = f.group_name(g)]),
                    (None, Some(g)) => self.tr("explain-over-group", crate::args![group = f.group_name(g)]),
                    (Some(_), None) => self.tr("explain-over-where", &[]),
                    (None, None) => self.tr("explain-over-all", &[]),
                };
                let note = match (aggregate.kind, self.values.result.aggregates.get(i)) {
                    (
                        crate::formula::program::AggKind::ZScore,
                        Some(crate::formula::eval::AggValue::Scores { mean, sd, count, .. }),
                    ) => self.tr(
                        if sd.is_zero() {
                            "explain-zscore-all-equal"
                        } else {
                            "explain-zscore"
                        },
                        crate::args![
                            over = over.as_str(),
                            mean = money::format_plain(*mean),
                            sd = money::format_plain(*sd),
                            count = *count
                        ],
                    ),
                    (crate::formula::program::AggKind::ZScore, _) => {
                        self.tr("explain-zscore-short", crate::args![over = over.as_str()])
                    }
                    (crate::formula::program::AggKind::Rank { .. }, _) => {
                        self.tr("explain-rank", crate::args![over = over.as_str()])
                    }
                    (crate::formula::program::AggKind::ByGroup(_) | crate::formula::program::AggKind::Scalar(_), _) => {
                        self.tr("explain-aggregate", crate::args![over = over.as_str()])
                    }
                };
                // What it aggregates, with this unit's values of it.
                let mut refs = Vec::new();
                for part in [&aggregate.value, &aggregate.weight].into_iter().flatten() {
                    part.refs(&mut refs);
                }
                refs.sort();
                refs.dedup();
                let children = refs
                    .into_iter()
                    .filter(|r| !matches!(r, Ref::Aggregate(j) if *j == i))
                    .map(|r| {
                        let mut node = self.reference(r);
                        node.note = Some(match node.note {
                            Some(n) => self.tr("explain-own-value-note", crate::args![note = n]),
                            None => self.tr("explain-own-value", &[]),
                        });
                        node
                    })
                    .collect();
                Node {
                    name,
                    kind: "aggregate",
                    expression: None,
                    value,
                    note: Some(note),
                    children,
                }
            }
            Ref::Var(i) => {
                let var = &f.vars[i];
                if self.expanded.contains(&r) {
                    return Node {
                        name,
                        kind: "var",
                        expression: Some(var.source.clone()),
                        value,
                        note: Some(self.tr("explain-shown-above", &[])),
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
        let groups = stage.within.and_then(|g| self.values.group_keys(g));
        let group = groups
            .as_ref()
            .and_then(|groups| solved.groups.iter().find(|r| r.group == groups[row]));
        let (pool, k) = match group {
            Some(g) => (g.pool, g.k),
            None => (solved.pool, solved.k),
        };
        let mut children = Vec::new();
        let pool_note = group.map(|g| self.tr("explain-group-pool", crate::args![group = &g.group]));
        let mut pool_node = self.part("pool", &stage.sources.pool, &stage.pool, plain(pool));
        pool_node.note = pool_note;
        children.push(pool_node);
        children.push(Node::leaf(
            "k",
            "k",
            plain(k),
            Some(match group {
                Some(g) => self.tr("explain-k-group", crate::args![group = &g.group]),
                None => self.tr("explain-k", &[]),
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
        // At a bound, what the fit alone would give, so the bound can be seen to bind.
        let unclamped = k
            .checked_mul(solved.weight[row])
            .and_then(|kw| kw.checked_add(solved.base[row]))
            .map(plain)
            .unwrap_or_default();
        let position = if solved.weight[row].is_zero() {
            self.tr("explain-weight-zero", &[])
        } else if solved.at_floor[row] {
            self.tr("explain-at-floor", crate::args![unclamped = unclamped])
        } else if solved.at_cap[row] {
            self.tr("explain-at-cap", crate::args![unclamped = unclamped])
        } else {
            self.tr("explain-between", &[])
        };
        children.push(Node {
            name: "exact".into(),
            kind: "exact",
            expression: Some("clamp(base + k * weight, floor, cap)".into()),
            value: plain(solved.exact[row]),
            note: Some(position),
            children: Vec::new(),
        });
        let unit = plain(solved.unit);
        children.push(Node::leaf(
            "rounded",
            "rounded",
            plain(solved.amounts[row]),
            Some(self.tr("explain-rounded", crate::args![unit = unit])),
        ));
        children.push(Node::leaf(
            "remainder",
            "remainder",
            plain(solved.amounts[row] - solved.exact[row]),
            Some(self.tr("explain-remainder", &[])),
        ));
        children.push(self.rounding_rank(index));
        let note = if stage.in_total {
            None
        } else {
            Some(self.tr("explain-not-in-total", &[]))
        };
        Node {
            name: stage.name.clone(),
            kind: "stage",
            expression: Some(match stage.within {
                Some(g) => self.tr("explain-fitted-within", crate::args![group = f.group_name(g)]),
                None => self.tr("explain-fitted", &[]),
            }),
            value: self.values.text(Named::Ref(Ref::Stage(index)), row),
            note,
            children,
        }
    }
}

impl Builder<'_> {
    /// Where this unit stood in the largest-remainder step of its stage (or group): its
    /// remainder after flooring, its rank among the units fitted with it (largest first,
    /// ties by key), and how many extra units there were: so whether it got one can be
    /// checked from its own explanation.
    fn rounding_rank(&self, index: usize) -> Node {
        let solved = &self.values.result.stages[index];
        let row = self.row;
        let unit = solved.unit;
        let down = money::floor_to_unit(solved.exact[row], unit).unwrap_or(solved.exact[row]);
        let mine = solved.exact[row] - down;
        let (rank, peers, extra) = self
            .values
            .rounding(index)
            .map_or((0, 0, 0), |s| (s.rank[row], s.peers[row], s.extra[row]));
        let got = solved.amounts[row] > down;
        Node::leaf(
            "rounding",
            "rank",
            self.tr("explain-rank-of", crate::args![rank = rank, peers = peers]),
            Some(self.tr(
                if got {
                    "explain-rounding-received"
                } else {
                    "explain-rounding-not-received"
                },
                crate::args![
                    down = money::format_plain(down),
                    left = money::format_plain(mine),
                    extra = crate::diag::plural_in(self.lang, extra as usize, "extra rounding unit"),
                    unit = money::format_plain(unit)
                ],
            )),
        )
    }
}

/// The explanation as a memo in Markdown, for a person: names shown with the formula's
/// labels, values rounded for reading (to 4 decimal places, thousands separated) unless
/// `exact`, amounts in the formula's unit, each line with its expression and note.
pub fn markdown(node: &Node, values: &Values, row: usize, exact: bool, scenario: Option<&str>) -> String {
    let f = values.formula;
    let unit = match f.unit.name.as_str() {
        "1" => String::new(),
        name => format!(" {name}"),
    };
    // A single var, input or stage (`--var`): headed by its name, its value without a
    // money unit (a share or a flag is not money), and the change from last year left out:
    // that is about the total.
    let whole = node.kind == "total";
    let mut out = if whole {
        format!(
            "# {}: {}{unit}\n\n",
            values.data.describe_unit(row),
            readable(&node.value, exact)
        )
    } else {
        format!(
            "# {}: {}\n\n",
            values.data.describe_unit(row),
            memo_name(&node.name, node.kind, f)
        )
    };
    if let Some(s) = scenario {
        out.push_str(&crate::tr!("explain-memo-scenario", scenario = s));
    }
    out.push_str(&crate::tr!("explain-memo-formula", formula = &f.name));
    let unit_name = unit.trim();
    out.push_str(&match (unit_name.is_empty(), exact) {
        (true, true) => crate::tr!("explain-memo-formula-unit-exact"),
        (true, false) => crate::tr!("explain-memo-formula-unit-rounded"),
        (false, true) => crate::tr!("explain-memo-unit-exact", unit = unit_name),
        (false, false) => crate::tr!("explain-memo-unit-rounded", unit = unit_name),
    });
    out.push('\n');
    if let Some(name) = f.report.compare_with.as_ref().filter(|_| whole) {
        if let (Some(named), Some(total)) = (values.find(name), values.number(Named::Total, row)) {
            if let Some(last) = values.number(named, row) {
                let change = total - last;
                let growth = if last.is_zero() {
                    String::new()
                } else {
                    format!(
                        " ({}%)",
                        money::format_fixed(change / last * rust_decimal::Decimal::ONE_HUNDRED, 2)
                    )
                };
                let line = crate::tr!(
                    "explain-memo-compare",
                    name = f.label(name),
                    last = format!("{}{unit}", readable(&money::format_plain(last), exact)),
                    change = format!("{}{unit}", readable(&money::format_plain(change), exact)),
                    growth = growth
                );
                out.push_str(&format!("\n{line}\n"));
            }
        }
    }
    out.push('\n');
    if whole {
        for child in &node.children {
            memo_line(child, 0, f, exact, &mut out);
        }
    } else {
        memo_line(node, 0, f, exact, &mut out);
    }
    out
}

/// A name as the memo shows it: bold label, with the machine name beside it when they differ.
/// The parts of a stage (pool, k, base, weight, floor, cap, exact, rounded, remainder,
/// rounding) without a label of the formula's are named in the memo's language.
fn memo_name(name: &str, kind: &str, f: &crate::formula::Formula) -> String {
    let mut label = f.label(name).to_string();
    if label == name && matches!(kind, "part" | "k" | "exact" | "rounded" | "remainder" | "rank") {
        let id = format!("explain-name-{name}");
        let text = crate::i18n::t(&id, &[]);
        if text != id {
            label = text;
        }
    }
    if label == name {
        format!("**{name}**")
    } else {
        format!("**{label}** (`{name}`)")
    }
}

fn memo_line(node: &Node, depth: usize, f: &crate::formula::Formula, exact: bool, out: &mut String) {
    let indent = "  ".repeat(depth);
    let name = memo_name(&node.name, node.kind, f);
    let expression = match &node.expression {
        Some(e) if *e != node.value => format!(" = `{e}`"),
        _ => String::new(),
    };
    let value = if node.kind == "rank" {
        node.value.clone()
    } else {
        readable(&node.value, exact)
    };
    let note = node
        .note
        .as_ref()
        .map(|n| format!(" ({})", readable_numbers(n, exact)))
        .unwrap_or_default();
    out.push_str(&format!("{indent}- {name}{expression} = {value}{note}\n"));
    for child in &node.children {
        memo_line(child, depth + 1, f, exact, out);
    }
}

/// A value for reading: numbers to 4 decimal places with thousands separators, and those
/// under 1 (a k, a rate) to 8, so that multiplying the figures shown gives the amount shown
/// (exact: as they are); text as it is.
fn readable(value: &str, exact: bool) -> String {
    match money::parse_decimal(value) {
        Ok(d) if !exact && d.abs() < rust_decimal::Decimal::ONE => money::format_grouped(d.round_dp(8)),
        Ok(d) if !exact => money::format_grouped(d.round_dp(4)),
        Ok(d) => money::format_grouped(d),
        Err(_) => value.to_string(),
    }
}

/// A note for reading: each number in it with more than 8 decimal places (a mean, a
/// standard deviation, an unclamped amount) rounded as [`readable`] rounds values.
fn readable_numbers(note: &str, exact: bool) -> String {
    if exact {
        return note.to_string();
    }
    let mut out = String::with_capacity(note.len());
    let mut rest = note;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(tail.len());
        let number = tail[..end].trim_end_matches('.');
        let places = number.split_once('.').map_or(0, |(_, f)| f.len());
        // A minus sign just before the number belongs to it.
        let negative = out.ends_with('-') && !out.ends_with(" - ");
        if places > 8 {
            if negative {
                out.pop();
            }
            out.push_str(&readable(
                &format!("{}{number}", if negative { "-" } else { "" }),
                false,
            ));
        } else {
            out.push_str(number);
        }
        rest = &tail[number.len()..];
    }
    out.push_str(rest);
    out
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

#[cfg(test)]
mod tests {
    use super::readable_numbers;

    #[test]
    fn long_numbers_in_notes_are_rounded_for_reading_and_short_ones_kept() {
        assert_eq!(
            readable_numbers(
                "mean 1.6814832887283527163687854594 and sd 0.6189362046218082321642764716 over 2367 units",
                false
            ),
            "mean 1.6815 and sd 0.6189362 over 2367 units"
        );
        assert_eq!(
            readable_numbers(
                "base + k * weight = -116722.16184156168944276934317; rank 26 of 87",
                false
            ),
            "base + k * weight = -116,722.1618; rank 26 of 87"
        );
        let exact = "mean 1.6814832887283527163687854594";
        assert_eq!(readable_numbers(exact, true), exact);
    }
}
