//! TOML with spans and numbers as written.
//!
//! Formula, dataset and scenario files are TOML. Two things matter more here
//! than in ordinary config loading: every value must know where it sits in the
//! file (so a diagnostic can point at it, and an expression inside a string can
//! point at one token), and numbers must never pass through f64 (`0.1` stays 0.1). (float-ok)
//! `toml_edit`'s immutable document keeps byte spans on every value; this module
//! turns it into a small tree of [`Node`]s that keep the literal text of numbers.

use crate::diag::{Diagnostic, FileId, Sources, Span};

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
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Str { .. } => "a string",
            NodeKind::Number(_) => "a number",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Table(_) => "a table",
            NodeKind::Array(_) => "an array",
            NodeKind::Datetime => "a date",
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
        Diagnostic::error(format!("invalid TOML: {message}")).at(sources.locate(Span::new(file, span.start, span.end)))
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
}
