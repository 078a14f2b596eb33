//! Reading a formula file's tables: `[formula]`, `[inputs.*]`, `[params]`, `[vars]`,
//! `[[allocation]]` and `[metrics]`, on the typed TOML reader.

use rust_decimal::Decimal;

use super::*;
use crate::diag::{Diagnostic, FileId, Sources, Span};
use crate::formula::lexer::Placement;
use crate::formula::parser::parse_expression;
use crate::money::MoneyUnit;
use crate::tomlspan::{self, Entry, Node, NodeKind};

const TOP_KEYS: &[&str] = &[
    "formula",
    "inputs",
    "params",
    "vars",
    "allocation",
    "metrics",
    "labels",
    "report",
];
const FORMULA_KEYS: &[&str] = &["name", "description", "key", "label", "unit", "output_unit", "date"];
const INPUT_KEYS: &[&str] = &[
    "type",
    "min",
    "max",
    "aliases",
    "default",
    "description",
    "unit",
    "missing",
    "compare_with",
    "max_ratio",
    "outlier_sd",
];
const STAGE_KEYS: &[&str] = &[
    "name",
    "description",
    "pool",
    "base",
    "weight",
    "floor",
    "cap",
    "round",
    "within",
    "in_total",
];

/// Read a registered formula file: the spec of everything that could be read,
/// and the problems found. Fails outright only when the file is not valid TOML.
pub fn read(sources: &Sources, file: FileId) -> Result<(FormulaSpec, Vec<Diagnostic>), Vec<Diagnostic>> {
    let root = tomlspan::parse(sources, file).map_err(|d| vec![d])?;
    let mut reader = Reader {
        toml: tomlspan::Reader::new(sources, file),
    };
    let spec = reader.formula(&root);
    Ok((spec, reader.toml.diagnostics))
}

/// The formula and scenario reader: the typed TOML reader, plus money units and
/// expressions.
pub(super) struct Reader<'a> {
    pub(super) toml: tomlspan::Reader<'a>,
}

impl<'a> std::ops::Deref for Reader<'a> {
    type Target = tomlspan::Reader<'a>;
    fn deref(&self) -> &Self::Target {
        &self.toml
    }
}

impl std::ops::DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.toml
    }
}

impl Reader<'_> {
    fn unit(&mut self, entry: &Entry, what: &str) -> Option<MoneyUnit> {
        let text = self.string(entry, what)?;
        let unit = MoneyUnit::parse(&text);
        if unit.is_none() {
            self.error_t(
                entry.value.span,
                "formula-unknown-unit",
                crate::args![what = what, text = &text],
            )
            .notes
            .push(crate::tr!("formula-unknown-unit-note"));
        }
        unit
    }

    pub(super) fn expression(&mut self, entry: &Entry, what: &str) -> Option<Source> {
        let (text, content_start) = match &entry.value.kind {
            NodeKind::Str { value, content_start } => (value.clone(), *content_start),
            // A bare number is a valid (constant) expression.
            NodeKind::Number(raw) => (raw.clone(), Some(entry.value.span.start)),
            _ => {
                let found = entry.value.kind_name();
                self.error_t(
                    entry.value.span,
                    "formula-expression-not-string",
                    crate::args![what = what, found = found],
                );
                return None;
            }
        };
        let placement = Placement {
            file: self.file,
            start: content_start,
            whole: entry.value.span,
        };
        match parse_expression(&text, placement) {
            Ok(expr) => Some(Source { text, expr }),
            Err(err) => {
                // The parser's own identifier is the code: the context is only framing.
                let d = self.error_t(
                    err.span,
                    "formula-expression-error",
                    crate::args![what = what, message = &err.message],
                );
                d.code = Some(err.code);
                None
            }
        }
    }

    fn formula(&mut self, root: &Node) -> FormulaSpec {
        self.check_keys(root, TOP_KEYS, &crate::tr!("formula-what-file"));
        let mut spec = FormulaSpec {
            file: self.file,
            name: String::new(),
            description: String::new(),
            key: String::new(),
            label: None,
            date: None,
            unit: None,
            output_unit: None,
            inputs: Vec::new(),
            params: Vec::new(),
            vars: Vec::new(),
            stages: Vec::new(),
            broken: Vec::new(),
            input_overrides: Vec::new(),
            metrics_capacity: None,
            metrics_population: None,
            labels: Vec::new(),
            report: Default::default(),
        };
        match root.get("formula") {
            Some(entry) => {
                if let Some(table) = self.table(entry, "[formula]") {
                    self.check_keys(table, FORMULA_KEYS, "[formula]");
                    for e in table.entries().unwrap_or_default() {
                        match e.key.as_str() {
                            "name" => spec.name = self.string(e, "formula.name").unwrap_or_default(),
                            "description" => {
                                spec.description = self.string(e, "formula.description").unwrap_or_default()
                            }
                            "key" => spec.key = self.string(e, "formula.key").unwrap_or_default(),
                            "label" => spec.label = self.string(e, "formula.label"),
                            "unit" => spec.unit = self.unit(e, "formula.unit"),
                            "output_unit" => spec.output_unit = self.unit(e, "formula.output_unit"),
                            "date" => spec.date = self.date(e, "formula.date"),
                            _ => {}
                        }
                    }
                    for (field, value) in [("name", &spec.name), ("key", &spec.key)] {
                        if value.trim().is_empty() && table.get(field).is_none() {
                            self.error_t(entry.key_span, "formula-needs-field", crate::args![field = field])
                                .notes
                                .push(match field {
                                    "name" => crate::tr!("formula-needs-name-note"),
                                    _ => crate::tr!("formula-needs-key-note"),
                                });
                        }
                    }
                }
            }
            None => {
                let span = self.file_start();
                self.error_t(span, "formula-no-formula-table", crate::args![])
                    .notes
                    .push(crate::tr!("formula-no-formula-table-note"));
            }
        }
        if let Some(entry) = root.get("inputs") {
            if let Some(table) = self.table(entry, "[inputs]") {
                for input in table.entries().unwrap_or_default() {
                    if let Some(spec_input) = self.input(input) {
                        spec.inputs.push(spec_input);
                    }
                }
            }
        }
        if let Some(entry) = root.get("metrics") {
            if let Some(table) = self.table(entry, "[metrics]") {
                self.check_keys(table, &["capacity", "population"], "[metrics]");
                for e in table.entries().unwrap_or_default() {
                    let value = self.string(e, &format!("metrics.{}", e.key)).map(|v| (v, e.value.span));
                    match e.key.as_str() {
                        "capacity" => spec.metrics_capacity = value,
                        "population" => spec.metrics_population = value,
                        _ => {}
                    }
                }
            }
        }
        if let Some(entry) = root.get("report") {
            self.report(entry, &mut spec.report);
        }
        if let Some(entry) = root.get("labels") {
            self.labels(entry, &mut spec.labels);
        }
        let mut parts = Parts::default();
        self.sections(root, &mut parts);
        spec.params = parts.params;
        spec.vars = parts.vars;
        spec.stages = parts.stages;
        spec.broken = parts.broken;
        spec
    }

    /// `[report]`, shared by formula and scenario files: each key given replaces the
    /// one already in `report`.
    pub(super) fn report(&mut self, entry: &Entry, report: &mut ReportSpec) {
        if let Some(table) = self.table(entry, "[report]") {
            self.check_keys(
                table,
                &["title", "group_by", "compare_with", "language", "columns"],
                "[report]",
            );
            for e in table.entries().unwrap_or_default() {
                if e.key == "columns" {
                    let columns = self.toml.spanned_strings(e, "report.columns");
                    if columns.is_empty() {
                        self.error_t(e.value.span, "formula-report-columns-empty", crate::args![]);
                    }
                    report.columns = Some(columns);
                    continue;
                }
                let value = self.string(e, &format!("report.{}", e.key));
                let spanned = value.clone().map(|v| (v, e.value.span));
                match e.key.as_str() {
                    "title" => {
                        if value.as_deref().is_some_and(|t| t.trim().is_empty()) {
                            self.error_t(e.value.span, "formula-report-title-empty", crate::args![]);
                        }
                        report.title = value
                    }
                    "group_by" => report.group_by = spanned,
                    "compare_with" => report.compare_with = spanned,
                    "language" => report.language = spanned,
                    _ => {}
                }
            }
        }
    }

    /// `[labels]`, shared by formula and scenario files.
    pub(super) fn labels(&mut self, entry: &Entry, labels: &mut Vec<(String, String, Span)>) {
        if let Some(table) = self.table(entry, "[labels]") {
            for e in table.entries().unwrap_or_default() {
                if let Some(label) = self.string(e, &crate::tr!("formula-what-label", name = &e.key)) {
                    labels.push((e.key.clone(), label, e.key_span));
                }
            }
        }
    }

    /// `[params]`, `[vars]` and `[[allocation]]`, shared by formula and scenario files.
    pub(super) fn sections(&mut self, root: &Node, parts: &mut Parts) {
        if let Some(entry) = root.get("params") {
            if let Some(table) = self.table(entry, "[params]") {
                self.params(table, "", &mut parts.params);
            }
        }
        if let Some(entry) = root.get("vars") {
            if let Some(table) = self.table(entry, "[vars]") {
                for var in table.entries().unwrap_or_default() {
                    match self.expression(var, &crate::tr!("formula-what-var", name = &var.key)) {
                        Some(source) => parts.vars.push(VarSpec {
                            name: var.key.clone(),
                            span: var.key_span,
                            source,
                        }),
                        None => parts.broken.push(var.key.clone()),
                    }
                }
            }
        }
        // No [[allocation]]: a formula of vars only (an index, an eligibility test).
        if let Some(entry) = root.get("allocation") {
            match &entry.value.kind {
                NodeKind::Array(items) if items.iter().all(|i| i.entries().is_some()) => {
                    for (index, item) in items.iter().enumerate() {
                        match self.stage(item, index, entry.key_span) {
                            Some(stage) => parts.stages.push(stage),
                            None => {
                                if let Some(NodeKind::Str { value, .. }) = item.get("name").map(|e| &e.value.kind) {
                                    parts.broken.push(value.clone());
                                }
                            }
                        }
                    }
                }
                _ => {
                    self.error_t(entry.value.span, "formula-allocation-not-tables", crate::args![]);
                }
            }
        }
    }

    fn input(&mut self, entry: &Entry) -> Option<InputSpec> {
        let table = self.table(entry, &crate::tr!("formula-what-input", name = &entry.key))?;
        self.check_keys(table, INPUT_KEYS, &format!("[inputs.{}]", entry.key));
        let mut input = InputSpec::new(entry.key.clone(), entry.key_span, InputKind::Number);
        let what = |field: &str| format!("inputs.{}.{field}", entry.key);
        for e in table.entries().unwrap_or_default() {
            match e.key.as_str() {
                "type" => match self.string(e, &what("type")).as_deref() {
                    Some("number") => input.kind = InputKind::Number,
                    Some("text") => input.kind = InputKind::Text,
                    Some("bool") => input.kind = InputKind::Bool,
                    Some(other) => {
                        self.error_t(e.value.span, "formula-unknown-input-type", crate::args![kind = other])
                            .notes
                            .push(crate::tr!("formula-unknown-input-type-note"));
                    }
                    None => {}
                },
                "min" => input.min = self.number(e, &what("min")),
                "max" => input.max = self.number(e, &what("max")),
                "default" => {
                    input.default = match &e.value.kind {
                        NodeKind::Number(raw) => Some(raw.replace('_', "")),
                        NodeKind::Bool(b) => Some(b.to_string()),
                        _ => self.string(e, &what("default")),
                    }
                }
                "description" => input.description = self.string(e, &what("description")).unwrap_or_default(),
                "unit" => input.unit = self.unit(e, &what("unit")),
                "missing" => input.missing = self.strings(e, &what("missing")),
                "compare_with" => input.compare_with = self.string(e, &what("compare_with")).map(|s| (s, e.value.span)),
                "max_ratio" => input.max_ratio = self.number(e, &what("max_ratio")),
                "outlier_sd" => input.outlier_sd = self.number(e, &what("outlier_sd")),
                "aliases" => match &e.value.kind {
                    NodeKind::Array(items) => {
                        for item in items {
                            match &item.kind {
                                NodeKind::Str { value, .. } => input.aliases.push(value.clone()),
                                _ => {
                                    self.error_t(
                                        item.span,
                                        "formula-aliases-strings",
                                        crate::args![what = what("aliases")],
                                    );
                                }
                            }
                        }
                    }
                    _ => {
                        self.error_t(
                            e.value.span,
                            "formula-aliases-array",
                            crate::args![what = what("aliases")],
                        );
                    }
                },
                _ => {}
            }
        }
        if let (Some(min), Some(max)) = (input.min, input.max) {
            if min > max {
                self.error_t(
                    entry.key_span,
                    "formula-input-min-above-max",
                    crate::args![name = &entry.key, min = min.to_string(), max = max.to_string()],
                );
            }
        }
        if input.kind != InputKind::Number && (input.min.is_some() || input.max.is_some()) {
            self.error_t(
                entry.key_span,
                "formula-input-min-max-number",
                crate::args![name = &entry.key],
            );
        }
        Some(input)
    }

    fn params(&mut self, table: &Node, prefix: &str, out: &mut Vec<ParamSpec>) {
        // `[params.X]` with `dated` or `brackets` is that one param: nothing else goes in it.
        let special = ["dated", "brackets"]
            .into_iter()
            .find(|k| !prefix.is_empty() && table.get(k).is_some());
        if let Some(special) = special {
            let name = prefix.trim_end_matches('.');
            for e in table.entries().unwrap_or_default() {
                if e.key != special {
                    self.error_t(
                        e.key_span,
                        "formula-param-special-beside",
                        crate::args![name = name, special = special, key = &e.key],
                    )
                    .notes
                    .push(crate::tr!(
                        "formula-param-special-beside-note",
                        name = name,
                        special = special
                    ));
                }
            }
            if let Some(e) = table.get(special) {
                match special {
                    "dated" => self.dated(e, name, out),
                    _ => self.brackets(e, name, out),
                }
            }
            return;
        }
        for e in table.entries().unwrap_or_default() {
            let name = format!("{prefix}{}", e.key);
            if e.value.entries().is_some() {
                self.params(&e.value, &format!("{name}."), out);
            } else if let Some(value) = self.number(e, &crate::tr!("formula-what-param", name = &name)) {
                out.push(ParamSpec {
                    name,
                    span: e.key_span,
                    value,
                    dated: Vec::new(),
                });
            }
        }
    }

    /// `[params.stratum] brackets = [["0", "1"], ["500", "2"]]`: rows of (lower bound, value),
    /// bounds strictly increasing. Each row becomes two params, `stratum.from.N` and
    /// `stratum.N` (N from 1), so `--set stratum.2=...` and scenarios change a row by name.
    fn brackets(&mut self, entry: &Entry, table: &str, out: &mut Vec<ParamSpec>) {
        let what = crate::tr!("formula-what-brackets", name = table);
        let NodeKind::Array(rows) = &entry.value.kind else {
            self.error_t(
                entry.value.span,
                "formula-brackets-not-array",
                crate::args![what = &what],
            );
            return;
        };
        if rows.is_empty() {
            self.error_t(entry.value.span, "formula-brackets-no-rows", crate::args![what = &what]);
            return;
        }
        let mut previous: Option<Decimal> = None;
        for (i, row) in rows.iter().enumerate() {
            let cells = match &row.kind {
                NodeKind::Array(cells) if cells.len() == 2 => cells,
                _ => {
                    self.error_t(
                        row.span,
                        "formula-brackets-row-shape",
                        crate::args![what = &what, row = i + 1],
                    );
                    continue;
                }
            };
            let bound = self.toml.number_node(
                &cells[0],
                &crate::tr!("formula-what-bracket-bound", what = &what, row = i + 1),
            );
            let value = self.toml.number_node(
                &cells[1],
                &crate::tr!("formula-what-bracket-value", what = &what, row = i + 1),
            );
            let (Some(bound), Some(value)) = (bound, value) else {
                continue;
            };
            if previous.is_some_and(|p| bound <= p) {
                self.error_t(
                    cells[0].span,
                    "formula-brackets-not-increasing",
                    crate::args![what = &what, row = i + 1, bound = bound.to_string()],
                )
                .notes
                .push(crate::tr!("formula-brackets-not-increasing-note"));
            }
            previous = Some(bound);
            out.push(ParamSpec {
                name: format!("{table}.from.{}", i + 1),
                span: cells[0].span,
                value: bound,
                dated: Vec::new(),
            });
            out.push(ParamSpec {
                name: format!("{table}.{}", i + 1),
                span: cells[1].span,
                value,
                dated: Vec::new(),
            });
        }
    }

    /// A date written `"YYYY-MM-DD"` (a TOML date without quotes is accepted too).
    fn date(&mut self, entry: &Entry, what: &str) -> Option<(String, Span)> {
        self.date_text(&entry.value, what).map(|d| (d, entry.value.span))
    }

    fn date_text(&mut self, node: &Node, what: &str) -> Option<String> {
        let text = match &node.kind {
            NodeKind::Str { value, .. } => value.clone(),
            NodeKind::Datetime => self
                .sources
                .get(self.file)
                .text
                .get(node.span.start..node.span.end)
                .unwrap_or("")
                .trim()
                .to_string(),
            _ => {
                let found = node.kind_name();
                self.error_t(
                    node.span,
                    "formula-date-not-date",
                    crate::args![what = what, found = found],
                );
                return None;
            }
        };
        match crate::civil::parse_date(&text) {
            Ok(date) => Some(date),
            Err(message) => {
                self.error_t(
                    node.span,
                    "formula-date-invalid",
                    crate::args![what = what, message = message],
                );
                None
            }
        }
    }

    /// `[params.increase] dated = { "2015-01-01" = "117000000", "2019-01-01" = "90000000" }`:
    /// values by the date they come into force. One param, `increase`, whose value is
    /// the row in force at the run's date (chosen when the run is loaded).
    fn dated(&mut self, entry: &Entry, name: &str, out: &mut Vec<ParamSpec>) {
        let what = crate::tr!("formula-what-dated", name = name);
        let Some(rows) = entry.value.entries() else {
            self.error_t(entry.value.span, "formula-dated-not-table", crate::args![what = &what]);
            return;
        };
        let mut dated: Vec<(String, Decimal, Span)> = Vec::new();
        for row in rows {
            let date = match crate::civil::parse_date(&row.key) {
                Ok(date) => date,
                Err(message) => {
                    self.error_t(
                        row.key_span,
                        "formula-date-invalid",
                        crate::args![what = &what, message = message],
                    );
                    continue;
                }
            };
            if let Some(value) = self.number(row, &crate::tr!("formula-what-dated-from", what = &what, date = &date)) {
                dated.push((date, value, row.key_span));
            }
        }
        if rows.is_empty() {
            self.error_t(entry.value.span, "formula-dated-no-dates", crate::args![what = &what]);
        }
        dated.sort_by(|a, b| a.0.cmp(&b.0));
        let Some(first) = dated.first() else { return };
        out.push(ParamSpec {
            name: name.to_string(),
            span: entry.key_span,
            value: first.1,
            dated,
        });
    }

    fn stage(&mut self, table: &Node, index: usize, fallback: Span) -> Option<StageSpec> {
        let what = crate::tr!("formula-what-allocation", number = index + 1);
        self.check_keys(table, STAGE_KEYS, &what);
        let get = |key: &str| table.get(key);
        let span = if table.span.end > table.span.start {
            table.span
        } else {
            fallback
        };
        let name = match get("name") {
            Some(e) => self.string(
                e,
                &crate::tr!("formula-what-allocation-key", what = &what, key = "name"),
            )?,
            None => {
                self.error_t(span, "formula-stage-needs-name", crate::args![what = &what]);
                return None;
            }
        };
        let name_span = get("name").map_or(span, |e| e.value.span);
        let stage = name.as_str();
        let what = |key: &str| crate::tr!("check-what-stage-key", stage = stage, key = key);
        let required = |reader: &mut Self, key: &str| match get(key) {
            Some(e) => reader.expression(e, &what(key)),
            None => {
                reader.error_t(
                    name_span,
                    "formula-stage-needs-expression",
                    crate::args![stage = stage, key = key],
                );
                None
            }
        };
        let pool = required(self, "pool");
        let weight = required(self, "weight");
        let optional = |reader: &mut Self, key: &str| get(key).and_then(|e| reader.expression(e, &what(key)));
        let base = optional(self, "base");
        let floor = optional(self, "floor");
        let cap = optional(self, "cap");
        let round = match get("round") {
            Some(e) => {
                let value = self.number(e, &what("round"))?;
                if value <= Decimal::ZERO {
                    self.error_t(
                        e.value.span,
                        "formula-round-not-positive",
                        crate::args![stage = stage, value = value.to_string()],
                    );
                    return None;
                }
                Some((value, e.value.span))
            }
            None => None,
        };
        let description = match get("description") {
            Some(e) => self.string(e, &what("description")).unwrap_or_default(),
            None => String::new(),
        };
        let within = get("within").and_then(|e| self.string(e, &what("within")).map(|s| (s, e.value.span)));
        let in_total = match get("in_total") {
            Some(e) => self.boolean(e, &what("in_total")).unwrap_or(true),
            None => true,
        };
        Some(StageSpec {
            name,
            span: name_span,
            description,
            pool: pool?,
            base,
            weight: weight?,
            floor,
            cap,
            round,
            within,
            in_total,
        })
    }
}
