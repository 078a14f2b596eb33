//! Diagnostics: every problem `equalize` reports, as a value with its origin.
//!
//! Loading never stops at the first problem: loaders push [`Diagnostic`]s into a
//! list and the caller decides when to give up. A diagnostic carries a resolved
//! [`Location`] (file, line, column and the source line itself), so it can be
//! rendered long after the source text is gone, compared in tests, and turned
//! into JSON for scripts. Source text is registered once in [`Sources`]; every
//! token, cell and expression carries a [`Span`] into it.

use std::fmt;
use std::sync::OnceLock;

use unicode_width::UnicodeWidthStr;

/// Index of a file registered in [`Sources`].
pub type FileId = u32;

/// A byte range inside one registered source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One source file's text, kept so that spans can be turned into line and column.
pub struct SourceFile {
    pub name: String,
    pub text: String,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts();
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let col = self.text[starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }

    fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let start = starts[line - 1];
        let end = starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Most bytes of a source line shown under a diagnostic.
const SNIPPET_BYTES: usize = 200;

/// Registry of source texts that spans point into.
#[derive(Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, name: impl Into<String>, text: String) -> FileId {
        self.files.push(SourceFile {
            name: name.into(),
            text,
            line_starts: OnceLock::new(),
        });
        FileId::try_from(self.files.len() - 1).unwrap_or(FileId::MAX)
    }

    /// Drop a file's text once nothing will point into it any more (a data table, once
    /// loaded): a large CSV is not kept twice. Locations into it then show no snippet.
    pub fn forget(&mut self, id: FileId) {
        if let Some(file) = self.files.get_mut(id as usize) {
            file.text = String::new();
            file.line_starts = OnceLock::new();
        }
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }

    pub fn text(&self, span: Span) -> &str {
        let file = self.get(span.file);
        file.text.get(span.start..span.end).unwrap_or("")
    }

    /// Resolve a span into a self-contained location with the source line.
    pub fn locate(&self, span: Span) -> Location {
        let file = self.get(span.file);
        let (line, column) = file.line_col(span.start);
        let full = file.line_text(line);
        // The caret covers the span's part of its first line.
        let line_start = file.line_starts()[line - 1];
        let from = span.start.max(line_start) - line_start;
        let to = (span.end.max(span.start) - line_start).min(full.len());
        let from = floor_char_boundary(full, from.min(full.len()));
        let to = floor_char_boundary(full, to.max(from));
        // A long line (a 400 KB CSV row) is shown as a window around the caret.
        let window_start = floor_char_boundary(full, from.saturating_sub(SNIPPET_BYTES / 2));
        let window_end = floor_char_boundary(full, (window_start + SNIPPET_BYTES).min(full.len())).max(from);
        let prefix = if window_start > 0 { "…" } else { "" };
        let suffix = if window_end < full.len() { "…" } else { "" };
        let line_text = format!("{prefix}{}{suffix}", &full[window_start..window_end]);
        let caret_offset = UnicodeWidthStr::width(prefix) + UnicodeWidthStr::width(&full[window_start..from]);
        let caret_width = UnicodeWidthStr::width(&full[from..to.min(window_end).max(from)]).max(1);
        Location::Source {
            file: file.name.clone(),
            line,
            column,
            snippet: Some(Snippet {
                text: line_text,
                caret_offset,
                caret_width,
            }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The source line shown under a diagnostic, with where the caret goes (in display columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub caret_offset: usize,
    pub caret_width: usize,
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Nowhere in particular (a command-line problem, say).
    None,
    /// A whole file.
    File(String),
    /// A place in a text file.
    Source {
        file: String,
        line: usize,
        column: usize,
        snippet: Option<Snippet>,
    },
    /// One unit of the data, named by its key (a run-time problem).
    Unit { key: String },
    /// A cell of a spreadsheet: `book.xlsx`, `Sheet1`, `B7`.
    Cell { file: String, sheet: String, cell: String },
}

/// One problem, with its origin and advice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// Further lines: context, the value found, what to do.
    pub notes: Vec<String>,
    /// For a line that stands for problems not listed one by one ("... and 2529 more"):
    /// how many; counted in summaries instead of the line itself.
    pub stands_for: usize,
    /// The message's identifier in the catalogues (`locales/`): a stable English code that
    /// scripts can match whatever the language (`--format json` writes it).
    pub code: Option<&'static str>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: Location::None,
            notes: Vec::new(),
            stands_for: 0,
            code: None,
        }
    }

    /// An error whose message is the catalogue's `id` in the current language.
    pub fn error_t(id: &'static str, args: &[(&str, crate::i18n::Arg)]) -> Diagnostic {
        Diagnostic {
            code: Some(id),
            ..Diagnostic::error(crate::i18n::t(id, args))
        }
    }

    /// A warning whose message is the catalogue's `id` in the current language.
    pub fn warning_t(id: &'static str, args: &[(&str, crate::i18n::Arg)]) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error_t(id, args)
        }
    }

    /// A note from the catalogue.
    pub fn note_t(self, id: &str, args: &[(&str, crate::i18n::Arg)]) -> Diagnostic {
        self.note(crate::i18n::t(id, args))
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = location;
        self
    }

    pub fn at_file(self, file: impl Into<String>) -> Diagnostic {
        self.at(Location::File(file.into()))
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The file name this diagnostic belongs to, for grouping.
    pub fn file(&self) -> Option<&str> {
        match &self.location {
            Location::File(f) | Location::Source { file: f, .. } | Location::Cell { file: f, .. } => Some(f),
            _ => None,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, false)
    }
}

impl Diagnostic {
    /// The diagnostic as text; with `colour`, its severity word (and nothing else: never
    /// the quoted source line) in red or yellow.
    pub fn render(&self, colour: bool) -> String {
        let mut out = String::new();
        let _ = self.write(&mut out, colour);
        out
    }

    fn write(&self, f: &mut dyn fmt::Write, colour: bool) -> fmt::Result {
        let word = match self.severity {
            Severity::Error => crate::i18n::t("severity-error", &[]),
            Severity::Warning => crate::i18n::t("severity-warning", &[]),
        };
        let severity = match (self.severity, colour) {
            (_, false) => word,
            (Severity::Error, true) => format!("\x1b[1;31m{word}\x1b[0m"),
            (Severity::Warning, true) => format!("\x1b[1;33m{word}\x1b[0m"),
        };
        let message = printable(&self.message);
        match &self.location {
            Location::None => writeln!(f, "{severity}: {message}")?,
            Location::File(file) => writeln!(f, "{}: {severity}: {message}", printable(file))?,
            Location::Unit { key } => writeln!(
                f,
                "{}: {severity}: {message}",
                crate::i18n::t("diag-unit", &[("key", printable(key).as_ref().into())])
            )?,
            Location::Cell { file, sheet, cell } => writeln!(
                f,
                "{}: {}!{cell}: {severity}: {message}",
                printable(file),
                printable(sheet)
            )?,
            Location::Source {
                file,
                line,
                column,
                snippet,
            } => {
                writeln!(f, "{}:{line}:{column}: {severity}: {message}", printable(file))?;
                if let Some(snippet) = snippet {
                    let number = line.to_string();
                    let pad = " ".repeat(number.len());
                    writeln!(f, "{pad} |")?;
                    writeln!(f, "{number} | {}", printable(&snippet.text))?;
                    writeln!(
                        f,
                        "{pad} | {}{}",
                        " ".repeat(snippet.caret_offset),
                        "^".repeat(snippet.caret_width)
                    )?;
                }
            }
        }
        for note in &self.notes {
            writeln!(f, "  = {}", printable(note))?;
        }
        Ok(())
    }
}

impl Diagnostic {
    /// The diagnostic as a JSON object, for `--format json`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut object = serde_json::Map::new();
        object.insert(
            "severity".into(),
            serde_json::to_value(self.severity).unwrap_or_default(),
        );
        if let Some(code) = self.code {
            object.insert("code".into(), code.into());
        }
        object.insert("message".into(), self.message.clone().into());
        match &self.location {
            Location::None => {}
            Location::File(file) => {
                object.insert("file".into(), file.clone().into());
            }
            Location::Source { file, line, column, .. } => {
                object.insert("file".into(), file.clone().into());
                object.insert("line".into(), (*line).into());
                object.insert("column".into(), (*column).into());
            }
            Location::Unit { key } => {
                object.insert("unit".into(), key.clone().into());
            }
            Location::Cell { file, sheet, cell } => {
                object.insert("file".into(), file.clone().into());
                object.insert("sheet".into(), sheet.clone().into());
                object.insert("cell".into(), cell.clone().into());
            }
        }
        object.insert("notes".into(), self.notes.clone().into());
        serde_json::Value::Object(object)
    }
}

/// Sort for reading: grouped by file (in order of first appearance), errors before
/// warnings is not imposed; within a file by line and column.
pub fn group_by_file(diagnostics: &mut [Diagnostic]) {
    let mut order: Vec<String> = Vec::new();
    for d in diagnostics.iter() {
        let file = d.file().unwrap_or("").to_string();
        if !order.contains(&file) {
            order.push(file);
        }
    }
    diagnostics.sort_by_key(|d| {
        let file = order.iter().position(|f| f == d.file().unwrap_or("")).unwrap_or(0);
        let (line, column) = match &d.location {
            Location::Source { line, column, .. } => (*line, *column),
            _ => (0, 0),
        };
        (file, line, column)
    });
}

/// Text safe to print to a terminal: control characters (ESC, BEL, CR, ...), and
/// invisible or direction-changing characters, are shown as `\u{1b}`, so a key or label
/// from a hostile file cannot retitle, recolour or clear the terminal, or hide text.
/// Line breaks and tabs are kept.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    fn hidden(c: char) -> bool {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    }
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Colours for a terminal: only when stderr is a terminal and NO_COLOR is not set.
pub fn use_colour() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Print text to stderr. A failed write to stderr has nowhere to be reported: ignored.
pub fn eprint_text(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Render a list of diagnostics followed by a one-line count.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    render_coloured(diagnostics, false)
}

/// [`render`], with severity words coloured when `colour` is set.
pub fn render_coloured(diagnostics: &[Diagnostic], colour: bool) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&diagnostic.render(colour));
        out.push('\n');
    }
    out.push_str(&summary_line(diagnostics));
    out.push('\n');
    out
}

/// `3 errors, 1 warning in 2 files`.
/// How many errors and warnings a list reports (a line standing for unlisted problems
/// counts as those problems).
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let weight = |d: &Diagnostic| if d.stands_for > 0 { d.stands_for } else { 1 };
    let errors = diagnostics.iter().filter(|d| d.is_error()).map(weight).sum();
    let warnings = diagnostics.iter().filter(|d| !d.is_error()).map(weight).sum();
    (errors, warnings)
}

pub fn summary_line(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = counts(diagnostics);
    let mut files: Vec<&str> = diagnostics.iter().filter_map(Diagnostic::file).collect();
    files.sort_unstable();
    files.dedup();
    use crate::i18n::t;
    let counts = t(
        "diag-summary",
        &[("errors", errors.into()), ("warnings", warnings.into())],
    );
    if files.is_empty() {
        counts
    } else {
        t(
            "diag-summary-files",
            &[("counts", (&counts).into()), ("files", files.len().into())],
        )
    }
}

pub fn plural(n: usize, word: &str) -> String {
    plural_in(crate::i18n::language(), n, word)
}

/// [`plural`] in `lang`: English for what goes into output files (summary.json's rows left
/// out), which must not depend on the language of the terminal.
pub fn plural_in(lang: crate::i18n::Lang, n: usize, word: &str) -> String {
    let id = format!("count-{}", word.replace(' ', "-"));
    let text = crate::i18n::text_in(lang, &id, crate::args![n = n]);
    if text != id {
        return text;
    }
    // A word the catalogues do not count yet: English.
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The words [`plural`] counts in every language (a test checks each is in the catalogues).
pub const COUNTED: &[&str] = &[
    "argument",
    "cell",
    "check",
    "extra rounding unit",
    "input",
    "key",
    "problem",
    "row",
    "scenario",
    "shard",
    "stage",
    "unit",
    "value",
    "var",
];

/// `B7` for zero-based row 6, column 1 (spreadsheet A1 notation).
pub fn a1(row: usize, column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// The closest candidate by edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest(wrong, candidates, 1).into_iter().next()
}

/// Traditional and variant characters seen in Chinese headers, with the simplified form
/// the other table usually has (`住房內有管道自来水` against `住房内有管道自来水`).
const VARIANTS: &[(char, char)] = &[
    ('內', '内'),
    ('臺', '台'),
    ('區', '区'),
    ('縣', '县'),
    ('數', '数'),
    ('國', '国'),
    ('戶', '户'),
    ('總', '总'),
    ('資', '资'),
    ('產', '产'),
    ('財', '财'),
    ('稅', '税'),
    ('學', '学'),
    ('醫', '医'),
    ('農', '农'),
    ('業', '业'),
    ('經', '经'),
    ('濟', '济'),
    ('齡', '龄'),
    ('歲', '岁'),
    ('書', '书'),
    ('貧', '贫'),
    ('錢', '钱'),
    ('這', '这'),
    ('個', '个'),
    ('們', '们'),
    ('鄉', '乡'),
    ('鎮', '镇'),
    ('廣', '广'),
    ('東', '东'),
    ('門', '门'),
    ('開', '开'),
    ('發', '发'),
    ('長', '长'),
    ('單', '单'),
    ('萬', '万'),
    ('億', '亿'),
    ('頭', '头'),
    ('無', '无'),
    ('與', '与'),
    ('為', '为'),
    ('衛', '卫'),
    ('廁', '厕'),
    ('熱', '热'),
    ('電', '电'),
    ('氣', '气'),
    ('營', '营'),
    ('專', '专'),
];

/// A name as a person reads it: NFKC (full-width letters and brackets to ASCII), lower case,
/// without spaces, underscores or hyphens, variant characters as simplified ones.
pub fn loose(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-'))
        .map(|c| VARIANTS.iter().find(|(from, _)| *from == c).map_or(c, |(_, to)| *to))
        .collect()
}

/// How `found` differs from `wrong` when the two read the same loosely ([`loose`]), so a
/// suggestion that looks identical says what to change: `the table writes 內 for 内`.
pub fn how_it_differs(wrong: &str, found: &str) -> Option<String> {
    if wrong == found || loose(wrong) != loose(found) {
        return None;
    }
    let (w, f): (Vec<char>, Vec<char>) = (wrong.chars().collect(), found.chars().collect());
    if w.len() == f.len() {
        let mut pairs: Vec<String> = w
            .iter()
            .zip(&f)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("{b} for {a}"))
            .collect();
        pairs.dedup();
        pairs.truncate(3);
        return Some(format!("the table writes {}", pairs.join(", ")));
    }
    Some("it differs only in spaces, underscores or hyphens".to_string())
}

/// Up to `n` candidates closest to `wrong`, nearest first: equal when read loosely
/// ([`loose`]) before any within a third of its length in edits (a swap of neighbours
/// counts one).
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let wrong_loose = loose(wrong);
    let limit = (wrong.chars().count() / 3).max(1);
    let mut near: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != wrong)
        .filter_map(|c| {
            let loose_distance = edit_distance(&wrong_loose, &loose(c));
            let distance = edit_distance(wrong, c).min(loose_distance);
            (loose_distance == 0 || distance <= limit).then_some((loose_distance, distance, c))
        })
        .collect();
    near.sort_by(|a, b| (a.0.min(1), a.1, a.2).cmp(&(b.0.min(1), b.1, b.2)));
    near.dedup_by(|a, b| a.2 == b.2);
    near.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// ` (did you mean 'x'?)` when a candidate is close, else nothing: for the end of a message.
pub fn did_you_mean_suffix<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(wrong, candidates)
        .map(|h| crate::tr!("diag-did-you-mean-suffix", hint = h))
        .unwrap_or_default()
}

/// Edit distance over characters, counting a swap of two neighbours as one edit
/// (optimal string alignment: `nmae` is one edit from `name`). Small inputs only.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, cell) in d.iter_mut().step_by(width).enumerate() {
        *cell = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_counted_word_is_in_the_catalogues() {
        for word in COUNTED {
            let id = format!("count-{}", word.replace(' ', "-"));
            for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Zh] {
                let text = crate::i18n::text_in(lang, &id, crate::args![n = 2usize]);
                assert!(text.starts_with('2') && text != id, "{id} in {lang:?}: {text}");
            }
        }
        assert_eq!(plural(1, "unit"), "1 unit");
        assert_eq!(plural(3, "extra rounding unit"), "3 extra rounding units");
    }

    #[test]
    fn renders_file_line_column_and_caret_under_the_span() {
        let mut sources = Sources::default();
        let text = "[vars]\ngap = \"max(need - populaton, 0)\"\n".to_string();
        let start = text.find("populaton").unwrap();
        let id = sources.add("formulas/x.toml", text);
        let d = Diagnostic::error("unknown name 'populaton'")
            .at(sources.locate(Span::new(id, start, start + 9)))
            .note("did you mean 'population'?");
        assert_eq!(
            d.to_string(),
            "formulas/x.toml:2:19: error: unknown name 'populaton'\n  |\n2 | gap = \"max(need - populaton, 0)\"\n  |                   ^^^^^^^^^\n  = did you mean 'population'?\n"
        );
    }

    #[test]
    fn caret_accounts_for_wide_chinese_characters() {
        let mut sources = Sources::default();
        let id = sources.add("d.csv", "县,人口\n北京,x1\n".to_string());
        let start = "县,人口\n北京,".len();
        let Location::Source { column, snippet, .. } = sources.locate(Span::new(id, start, start + 2)) else {
            panic!("expected a source location");
        };
        assert_eq!(column, 4);
        let snippet = snippet.unwrap();
        assert_eq!((snippet.caret_offset, snippet.caret_width), (5, 2));
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_caret() {
        let mut sources = Sources::default();
        let text = format!("{}BAD{}\n", "a,".repeat(100_000), ",b".repeat(100_000));
        let start = 200_000;
        let id = sources.add("wide.csv", text);
        let d = Diagnostic::error("not a number").at(sources.locate(Span::new(id, start, start + 3)));
        let rendered = d.to_string();
        assert!(rendered.len() < 700, "{} bytes", rendered.len());
        let lines: Vec<&str> = rendered.lines().collect();
        let (source, caret) = (lines[2], lines[3]);
        let at = caret.find('^').unwrap();
        assert_eq!(&source[source.char_indices().nth(at).unwrap().0..][..3], "BAD");
        assert!(source.contains('…'));
    }

    #[test]
    fn summary_counts_errors_warnings_and_files() {
        let ds = vec![
            Diagnostic::error("a").at_file("x.csv"),
            Diagnostic::error("b").at_file("y.csv"),
            Diagnostic::warning("c").at_file("x.csv"),
        ];
        assert_eq!(summary_line(&ds), "2 errors, 1 warning in 2 files");
        // A line standing for 2,529 unlisted problems counts as them, not as one more.
        let mut more = Diagnostic::error("... and 2529 more problems not shown").at_file("x.csv");
        more.stands_for = 2529;
        let listed: Vec<Diagnostic> = (0..100)
            .map(|_| Diagnostic::error("bad").at_file("x.csv"))
            .chain([more])
            .collect();
        assert_eq!(summary_line(&listed), "2629 errors, 0 warnings in 1 file");
    }

    #[test]
    fn colour_paints_the_severity_and_never_the_quoted_source() {
        let mut sources = Sources::default();
        let text = "[vars]\nx = \"error: warning: y\"\n".to_string();
        let id = sources.add("f.toml", text);
        let d = Diagnostic::error("unknown name 'y'").at(sources.locate(Span::new(id, 26, 27)));
        assert_eq!(d.render(false), d.to_string());
        let coloured = d.render(true);
        assert!(
            coloured.starts_with("f.toml:2:20: \x1b[1;31merror\x1b[0m: unknown name 'y'\n"),
            "{coloured}"
        );
        assert_eq!(coloured.matches('\x1b').count(), 2, "{coloured}");
        assert!(coloured.contains("2 | x = \"error: warning: y\"\n"));
    }

    #[test]
    fn a1_names_columns_like_spreadsheets() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 1), "B7");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(2, 152), "EW3");
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["population", "revenue", "pool"];
        assert_eq!(did_you_mean("populaton", names), Some("population"));
        assert_eq!(did_you_mean("zzz", names), None);
        assert_eq!(did_you_mean("nmae", ["name", "key"]), Some("name"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }
}
