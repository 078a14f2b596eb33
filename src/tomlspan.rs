//! TOML with spans and numbers as written.
//!
//! Formula, dataset and scenario files are TOML. Two things matter more here
//! than in ordinary config loading: every value must know where it sits in the
//! file (so a diagnostic can point at it, and an expression inside a string can
//! point at one token), and numbers must never pass through f64 (`0.1` stays 0.1). (float-ok)
//! `toml_edit`'s immutable document keeps byte spans on every value; this module
//! turns it into a small tree of [`Node`]s that keep the literal text of numbers,
//! and [`Reader`] reads typed values out of it for every file format equalize has
//! (formula, scenario, dataset.toml, sweep, formula tests): one set of rules for
//! strings, exact numbers, booleans, tables, lists and unknown keys, and every
//! problem collected with its file:line:col.

use rust_decimal::Decimal;

use crate::diag::{did_you_mean, Diagnostic, FileId, Location, Sources, Span};
use crate::money;

#[derive(Debug, Clone)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    /// A string; `content_start` is the byte offset of its first character in the
    /// file when the text is stored verbatim (no escapes), so tokens inside it
    /// can be located exactly.
    Str {
        value: String,
        content_start: Option<usize>,
    },
    /// An integer or float, as the literal text (`1_000`, `0.1`, `1e3`).
    Number(String),
    Bool(bool),
    Table(Vec<Entry>),
    Array(Vec<Node>),
    /// A date or time: never meaningful in these files.
    Datetime,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// What kind of value this is, as a noun phrase in the current language ("a string").
    pub fn kind_name(&self) -> String {
        match self.kind {
            NodeKind::Str { .. } => crate::tr!("formula-toml-kind-string"),
            NodeKind::Number(_) => crate::tr!("formula-toml-kind-number"),
            NodeKind::Bool(_) => crate::tr!("formula-toml-kind-boolean"),
            NodeKind::Table(_) => crate::tr!("formula-toml-kind-table"),
            NodeKind::Array(_) => crate::tr!("formula-toml-kind-array"),
            NodeKind::Datetime => crate::tr!("formula-toml-kind-date"),
        }
    }

    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Table(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries()?.iter().find(|e| e.key == key)
    }
}

/// Parse a registered TOML file into a [`Node`] tree (the root is a table).
pub fn parse(sources: &Sources, file: FileId) -> Result<Node, Diagnostic> {
    let text = &sources.get(file).text;
    let document = toml_edit::Document::parse(text.as_str()).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        let message = err.message().trim().to_string();
        Diagnostic::error_t("formula-toml-invalid", crate::args![message = message])
            .at(sources.locate(Span::new(file, span.start, span.end)))
    })?;
    let converter = Converter { file, text };
    Ok(converter.table(document.as_table(), 0..0))
}

struct Converter<'a> {
    file: FileId,
    text: &'a str,
}

impl Converter<'_> {
    fn span(&self, range: Option<std::ops::Range<usize>>, fallback: std::ops::Range<usize>) -> Span {
        let range = range.unwrap_or(fallback);
        Span::new(self.file, range.start, range.end)
    }

    fn table(&self, table: &toml_edit::Table, fallback: std::ops::Range<usize>) -> Node {
        let span = self.span(table.span(), fallback);
        let entries = table
            .iter()
            .map(|(key, item)| {
                let key_range = table.key(key).and_then(toml_edit::Key::span);
                let key_span = self.span(key_range.clone(), span.start..span.end);
                let value = self.item(item, key_range.unwrap_or(span.start..span.end));
                Entry {
                    key: key.to_string(),
                    key_span,
                    value,
                }
            })
            .collect();
        Node {
            span,
            kind: NodeKind::Table(entries),
        }
    }

    fn inline_table(&self, table: &toml_edit::InlineTable) -> Node {
        let span = self.span(table.span(), 0..0);
        let entries = table
            .iter()
            .map(|(key, value)| {
                let key_range = table.key(key).and_then(toml_edit::Key::span);
                let key_span = self.span(key_range, span.start..span.end);
                Entry {
                    key: key.to_string(),
                    key_span,
                    value: self.value(value),
                }
            })
            .collect();
        Node {
            span,
            kind: NodeKind::Table(entries),
        }
    }

    fn item(&self, item: &toml_edit::Item, fallback: std::ops::Range<usize>) -> Node {
        match item {
            toml_edit::Item::Value(value) => self.value(value),
            toml_edit::Item::Table(table) => self.table(table, fallback),
            toml_edit::Item::ArrayOfTables(array) => {
                let span = self.span(array.span(), fallback.clone());
                let items = array.iter().map(|t| self.table(t, fallback.clone())).collect();
                Node {
                    span,
                    kind: NodeKind::Array(items),
                }
            }
            toml_edit::Item::None => Node {
                span: self.span(None, fallback),
                kind: NodeKind::Table(Vec::new()),
            },
        }
    }

    fn value(&self, value: &toml_edit::Value) -> Node {
        let span = self.span(value.span(), 0..0);
        let raw = self.text.get(span.start..span.end).unwrap_or("");
        let kind = match value {
            toml_edit::Value::String(s) => {
                let value = s.value().clone();
                let content_start = verbatim_content_start(raw, &value).map(|o| span.start + o);
                NodeKind::Str { value, content_start }
            }
            toml_edit::Value::Integer(_) | toml_edit::Value::Float(_) => NodeKind::Number(raw.to_string()),
            toml_edit::Value::Boolean(b) => NodeKind::Bool(*b.value()),
            toml_edit::Value::Datetime(_) => NodeKind::Datetime,
            toml_edit::Value::Array(array) => NodeKind::Array(array.iter().map(|v| self.value(v)).collect()),
            toml_edit::Value::InlineTable(table) => return self.inline_table(table),
        };
        Node { span, kind }
    }
}

/// Where a string's content starts inside its raw TOML text, if stored verbatim.
fn verbatim_content_start(raw: &str, value: &str) -> Option<usize> {
    for delimiter in ["\"\"\"", "'''", "\"", "'"] {
        if raw.len() >= 2 * delimiter.len() && raw.starts_with(delimiter) && raw.ends_with(delimiter) {
            let inner = &raw[delimiter.len()..raw.len() - delimiter.len()];
            if inner == value {
                return Some(delimiter.len());
            }
            // A newline right after a multi-line string's opening delimiter is trimmed.
            if delimiter.len() == 3 {
                for newline in ["\r\n", "\n"] {
                    if inner.strip_prefix(newline) == Some(value) {
                        return Some(delimiter.len() + newline.len());
                    }
                }
            }
            return None;
        }
    }
    None
}

/// Reads typed values from a [`Node`] tree, collecting every problem at its place.
///
/// Each method names what it reads (`what`, like `stage 'grant' round`) in its
/// messages, returns `None` (or an empty value) after reporting a problem, and never
/// stops: the caller reads on and reports everything at once.
pub struct Reader<'a> {
    pub sources: &'a Sources,
    pub file: FileId,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub fn new(sources: &'a Sources, file: FileId) -> Reader<'a> {
        Reader {
            sources,
            file,
            diagnostics: Vec::new(),
        }
    }

    /// The location of a span, for diagnostics made elsewhere.
    pub fn locate(&self, span: Span) -> Location {
        self.sources.locate(span)
    }

    /// The start of the file: for problems with the file as a whole.
    pub fn file_start(&self) -> Span {
        Span::new(self.file, 0, 0)
    }

    /// Report an error at `span`; notes can be added to the returned diagnostic.
    pub fn error(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        let diagnostic = Diagnostic::error(message).at(self.sources.locate(span));
        self.diagnostics.push(diagnostic);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Report the catalogue's error `id` at `span`; the diagnostic keeps `id` as its code.
    pub fn error_t(&mut self, span: Span, id: &'static str, args: &[(&str, crate::i18n::Arg)]) -> &mut Diagnostic {
        let diagnostic = Diagnostic::error_t(id, args).at(self.sources.locate(span));
        self.diagnostics.push(diagnostic);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Report every key of `table` not in `allowed`, with a did-you-mean or the list.
    pub fn check_keys(&mut self, table: &Node, allowed: &[&str], what: &str) {
        for entry in table.entries().unwrap_or_default() {
            if !allowed.contains(&entry.key.as_str()) {
                let hint = did_you_mean(&entry.key, allowed.iter().copied());
                let d = self.error_t(
                    entry.key_span,
                    "formula-toml-unknown-key",
                    crate::args![key = &entry.key, what = what],
                );
                match hint {
                    Some(h) => d.notes.push(crate::tr!("formula-did-you-mean", hint = h)),
                    None => d
                        .notes
                        .push(crate::tr!("formula-toml-expected-one-of", keys = allowed.join(", "))),
                }
            }
        }
    }

    pub fn table<'n>(&mut self, entry: &'n Entry, what: &str) -> Option<&'n Node> {
        if entry.value.entries().is_some() {
            Some(&entry.value)
        } else {
            let found = entry.value.kind_name();
            self.error_t(
                entry.value.span,
                "formula-toml-must-be-table",
                crate::args![what = what, found = found],
            );
            None
        }
    }

    /// An array of tables (`[[case]]`), or one table written as `[case]`.
    pub fn tables<'n>(&mut self, entry: &'n Entry, what: &str) -> Vec<&'n Node> {
        match &entry.value.kind {
            NodeKind::Array(items) => items
                .iter()
                .filter(|item| {
                    let ok = item.entries().is_some();
                    if !ok {
                        let found = item.kind_name();
                        self.error_t(
                            item.span,
                            "formula-toml-must-be-tables",
                            crate::args![what = what, found = found],
                        );
                    }
                    ok
                })
                .collect(),
            NodeKind::Table(_) => vec![&entry.value],
            _ => {
                let found = entry.value.kind_name();
                self.error_t(
                    entry.value.span,
                    "formula-toml-must-be-tables",
                    crate::args![what = what, found = found],
                );
                Vec::new()
            }
        }
    }

    pub fn string(&mut self, entry: &Entry, what: &str) -> Option<String> {
        self.string_node(&entry.value, what)
    }

    pub fn string_node(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Str { value, .. } => Some(value.clone()),
            _ => {
                let found = node.kind_name();
                self.error_t(
                    node.span,
                    "formula-toml-must-be-string",
                    crate::args![what = what, found = found],
                );
                None
            }
        }
    }

    /// One string or an array of strings.
    pub fn strings(&mut self, entry: &Entry, what: &str) -> Vec<String> {
        self.spanned_strings(entry, what).into_iter().map(|(s, _)| s).collect()
    }

    /// One string or an array of strings, each with its span.
    pub fn spanned_strings(&mut self, entry: &Entry, what: &str) -> Vec<(String, Span)> {
        match &entry.value.kind {
            NodeKind::Str { value, .. } => vec![(value.clone(), entry.value.span)],
            NodeKind::Array(items) => items
                .iter()
                .filter_map(|item| match &item.kind {
                    NodeKind::Str { value, .. } => Some((value.clone(), item.span)),
                    _ => {
                        self.error_t(item.span, "formula-toml-expected-strings", crate::args![what = what]);
                        None
                    }
                })
                .collect(),
            _ => {
                self.error_t(
                    entry.value.span,
                    "formula-toml-must-be-strings",
                    crate::args![what = what],
                );
                Vec::new()
            }
        }
    }

    /// A number written bare (`0.1`) or quoted (`"0.1"`), read exactly: never through a
    /// float, and never in hexadecimal, octal or binary.
    pub fn number(&mut self, entry: &Entry, what: &str) -> Option<Decimal> {
        self.number_node(&entry.value, what)
    }

    pub fn number_node(&mut self, node: &Node, what: &str) -> Option<Decimal> {
        let (text, bare) = match &node.kind {
            NodeKind::Number(raw) => (raw.replace('_', ""), true),
            NodeKind::Str { value, .. } => (value.clone(), false),
            _ => {
                let found = node.kind_name();
                self.error_t(
                    node.span,
                    "formula-toml-must-be-number",
                    crate::args![what = what, found = found],
                );
                return None;
            }
        };
        let digits = text.trim_start_matches(['+', '-']);
        if bare && (digits.starts_with("0x") || digits.starts_with("0o") || digits.starts_with("0b")) {
            self.error_t(
                node.span,
                "formula-toml-not-decimal",
                crate::args![what = what, text = &text],
            );
            return None;
        }
        match money::parse_decimal(&text) {
            Ok(value) => Some(value),
            Err(err) => {
                self.error_t(
                    node.span,
                    "formula-toml-bad-number",
                    crate::args![what = what, text = &text, problem = err.describe()],
                );
                None
            }
        }
    }

    /// A whole number from 0 to `max`.
    pub fn count(&mut self, entry: &Entry, what: &str, max: u64) -> Option<u64> {
        let value = self.number(entry, what)?;
        match u64::try_from(value) {
            Ok(n) if value.fract().is_zero() && n <= max => Some(n),
            _ => {
                self.error_t(
                    entry.value.span,
                    "formula-toml-must-be-count",
                    crate::args![what = what, max = max, value = value.to_string()],
                );
                None
            }
        }
    }

    /// `true` or `false`, nothing else (not `"yes"`, not `1`).
    pub fn boolean(&mut self, entry: &Entry, what: &str) -> Option<bool> {
        match &entry.value.kind {
            NodeKind::Bool(b) => Some(*b),
            _ => {
                let found = entry.value.kind_name();
                self.error_t(
                    entry.value.span,
                    "formula-toml-must-be-boolean",
                    crate::args![what = what, found = found],
                );
                None
            }
        }
    }

    /// Everything read, or every problem found.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<Diagnostic>> {
        if self.diagnostics.is_empty() {
            Ok(value)
        } else {
            Err(self.diagnostics)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (Sources, Result<Node, Diagnostic>) {
        let mut sources = Sources::default();
        let id = sources.add("t.toml", text.to_string());
        let node = parse(&sources, id);
        (sources, node)
    }

    #[test]
    fn keeps_number_literals_and_string_offsets() {
        let text = "[params]\npool = 0.1\nbig = 1_000_000\nexpr = \"a + b\"\n";
        let (_, node) = parse_text(text);
        let root = node.unwrap();
        let params = &root.get("params").unwrap().value;
        let NodeKind::Number(pool) = &params.get("pool").unwrap().value.kind else {
            panic!()
        };
        assert_eq!(pool, "0.1");
        let NodeKind::Number(big) = &params.get("big").unwrap().value.kind else {
            panic!()
        };
        assert_eq!(big, "1_000_000");
        let NodeKind::Str { content_start, .. } = &params.get("expr").unwrap().value.kind else {
            panic!()
        };
        assert_eq!(&text[content_start.unwrap()..][..5], "a + b");
    }

    #[test]
    fn strings_with_escapes_have_no_verbatim_offset() {
        assert_eq!(verbatim_content_start("\"a\\tb\"", "a\tb"), None);
        assert_eq!(verbatim_content_start("'a + b'", "a + b"), Some(1));
        assert_eq!(verbatim_content_start("\"\"\"\nx\"\"\"", "x"), Some(4));
    }

    #[test]
    fn duplicate_keys_are_errors_with_a_location() {
        let (_, node) = parse_text("[params]\npool = 1\npool = 2\n");
        let err = node.unwrap_err();
        assert!(err.message.contains("invalid TOML"), "{}", err.message);
        assert!(matches!(err.location, crate::diag::Location::Source { line: 3, .. }));
    }

    fn read_with<T>(text: &str, f: impl FnOnce(&mut Reader, &Node) -> T) -> (T, Vec<String>) {
        let mut sources = Sources::default();
        let id = sources.add("t.toml", text.to_string());
        let root = parse(&sources, id).unwrap();
        let mut reader = Reader::new(&sources, id);
        let value = f(&mut reader, &root);
        let messages = reader.diagnostics.iter().map(|d| d.to_string()).collect();
        (value, messages)
    }

    #[test]
    fn numbers_are_exact_and_refuse_hex_and_infinity() {
        let text = "a = 0.1\nb = \"1_000\"\nc = 0x10\nd = inf\ne = \"x\"\nf = true\n";
        let (values, messages) = read_with(text, |r, root| {
            ["a", "b", "c", "d", "e", "f"].map(|k| r.number(root.get(k).unwrap(), k))
        });
        assert_eq!(values[0], Some("0.1".parse().unwrap()));
        assert_eq!(values[1], None, "quoted numbers keep their text: 1_000 is not a number");
        assert!(values[2..].iter().all(Option::is_none));
        assert!(
            messages[0].starts_with("t.toml:2:5: error: b: '1_000' is not a number"),
            "{}",
            messages[0]
        );
        assert!(messages[1].starts_with("t.toml:3:5: error: c: write numbers in decimal, not '0x10'"));
        assert!(
            messages[2].contains("d: 'inf' is not a finite number"),
            "{}",
            messages[2]
        );
        assert!(messages[4].starts_with("t.toml:6:5: error: f must be a number, found a boolean"));
    }

    #[test]
    fn booleans_are_strict() {
        let (values, messages) = read_with("a = true\nb = \"yes\"\nc = 1\n", |r, root| {
            ["a", "b", "c"].map(|k| r.boolean(root.get(k).unwrap(), k))
        });
        assert_eq!(values, [Some(true), None, None]);
        assert_eq!(
            messages[0].lines().next().unwrap(),
            "t.toml:2:5: error: b must be true or false, found a string"
        );
        assert!(messages[1].contains("c must be true or false, found a number"));
    }

    #[test]
    fn unknown_keys_get_a_suggestion_or_the_list() {
        let (_, messages) = read_with("nmae = 1\nzzz = 2\nname = 3\n", |r, root| {
            r.check_keys(root, &["name", "key"], "[x]")
        });
        assert_eq!(
            messages,
            [
                "t.toml:1:1: error: unknown key 'nmae' in [x]\n  |\n1 | nmae = 1\n  | ^^^^\n  = did you mean 'name'?\n",
                "t.toml:2:1: error: unknown key 'zzz' in [x]\n  |\n2 | zzz = 2\n  | ^^^\n  = expected one of: name, key\n",
            ]
        );
    }

    #[test]
    fn counts_are_whole_and_bounded() {
        let (values, messages) = read_with("a = 3\nb = 2.5\nc = -1\nd = 11\n", |r, root| {
            ["a", "b", "c", "d"].map(|k| r.count(root.get(k).unwrap(), k, 10))
        });
        assert_eq!(values, [Some(3), None, None, None]);
        assert_eq!(messages.len(), 3);
        assert!(messages[0].contains("b must be a whole number from 0 to 10, found 2.5"));
    }
}
