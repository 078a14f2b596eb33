//! Messages by identifier, in English and Simplified Chinese (Fluent catalogues).
//!
//! `locales/en/*.ftl` and `locales/zh/*.ftl` (one file per area: core, data, formula,
//! pipeline, report) are compiled in; [`t`] looks a message up by its
//! identifier with named arguments, in the language of the process, which the command
//! line sets once from `--lang`, `EQUALIZE_LANG` or the locale ([`Lang::detect`]); a
//! library caller that sets nothing gets English. Both catalogues hold the same
//! identifiers with the same arguments (a test fails otherwise), and an identifier
//! missing at run time falls back to English, then to the identifier itself.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// Each area's catalogue in English and in Chinese. A new area is one line here.
const CATALOGUES: &[(&str, &str, &str)] = &[
    (
        "core",
        include_str!("../locales/en/core.ftl"),
        include_str!("../locales/zh/core.ftl"),
    ),
    (
        "data",
        include_str!("../locales/en/data.ftl"),
        include_str!("../locales/zh/data.ftl"),
    ),
    (
        "formula",
        include_str!("../locales/en/formula.ftl"),
        include_str!("../locales/zh/formula.ftl"),
    ),
    (
        "pipeline",
        include_str!("../locales/en/pipeline.ftl"),
        include_str!("../locales/zh/pipeline.ftl"),
    ),
    (
        "report",
        include_str!("../locales/en/report.ftl"),
        include_str!("../locales/zh/report.ftl"),
    ),
];

/// A language equalize speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The language's code as files record it: `en`, `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// `en`, `zh` (and `zh-CN`, `zh_CN.UTF-8`, `chinese`...), case-insensitive.
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.trim().to_ascii_lowercase();
        if lower.starts_with("zh") || lower == "chinese" {
            Some(Lang::Zh)
        } else if lower.starts_with("en") || lower == "c" || lower == "posix" || lower.starts_with("c.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language asked for: the flag, else `EQUALIZE_LANG`, else the locale
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set: Chinese when it starts with
    /// `zh`), else English.
    pub fn detect(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(lang) = flag.and_then(Lang::parse) {
            return lang;
        }
        if let Some(lang) = env("EQUALIZE_LANG").as_deref().and_then(Lang::parse) {
            return lang;
        }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(value) = env(name).filter(|v| !v.is_empty()) {
                return if value.to_ascii_lowercase().starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                };
            }
        }
        Lang::En
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Set the language of every message from now on (the command line does, once).
pub fn set_language(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language messages are in.
pub fn language() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    // Each language's catalogue is parsed the first time one of its messages is asked
    // for: a run in English never parses the Chinese one (a few milliseconds a process).
    static EN: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    static ZH: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| make("en", CATALOGUES.iter().map(|c| c.1))),
        Lang::Zh => ZH.get_or_init(|| make("zh", CATALOGUES.iter().map(|c| c.2))),
    }
}

fn make<'a>(tag: &str, texts: impl Iterator<Item = &'a str>) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: they show as stray bytes in terminals
    // and CSV files.
    bundle.set_use_isolating(false);
    // The catalogues are compiled in and checked by the tests: a syntax error cannot ship.
    for text in texts {
        let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(partial, _)| partial);
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// An argument of a message: text or a count (counts choose plural forms).
pub enum Arg<'a> {
    Text(std::borrow::Cow<'a, str>),
    Count(usize),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Arg<'a> {
        Arg::Text(text.into())
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Arg<'a> {
        Arg::Text(text.into())
    }
}

impl From<String> for Arg<'_> {
    fn from(text: String) -> Self {
        Arg::Text(text.into())
    }
}

impl<'a> From<std::borrow::Cow<'a, str>> for Arg<'a> {
    fn from(text: std::borrow::Cow<'a, str>) -> Self {
        Arg::Text(text)
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Count(n)
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Count(n as usize)
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        usize::try_from(n).map_or_else(|_| Arg::Text(n.to_string().into()), Arg::Count)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        usize::try_from(n).map_or_else(|_| Arg::Text(n.to_string().into()), Arg::Count)
    }
}

impl From<i32> for Arg<'_> {
    fn from(n: i32) -> Self {
        i64::from(n).into()
    }
}

/// A message's named arguments: `args![name = value, count = n]` for
/// [`t`] and [`crate::diag::Diagnostic::error_t`] (names as the catalogue's `$name`).
#[macro_export]
macro_rules! args {
    ($($name:ident = $value:expr),* $(,)?) => {
        &[$((stringify!($name), $crate::i18n::Arg::from($value))),*]
    };
}

/// The message `id` in the current language with named arguments:
/// `tr!("run-units", formula = name, units = n)`.
#[macro_export]
macro_rules! tr {
    ($id:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::t($id, $crate::args![$($name = $value),*])
    };
}

/// The message `id` in the current language, with its named arguments.
pub fn t(id: &str, args: &[(&str, Arg)]) -> String {
    text_in(language(), id, args)
}

/// The message `id` in `lang`.
pub fn text_in(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.as_ref())),
            Arg::Count(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    for candidate in [lang, Lang::En] {
        let bundle = bundle(candidate);
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned();
        }
    }
    id.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;
    use std::collections::{BTreeMap, BTreeSet};

    /// Each message's identifier and the variables it refers to.
    fn messages(text: &str) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(_, errors)| panic!("{errors:?}"));
        let mut out = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut vars = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    pattern_vars(pattern, &mut vars);
                }
                out.insert(message.id.name.to_string(), vars);
            }
        }
        out
    }

    fn pattern_vars(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_vars(expression, vars);
            }
        }
    }

    fn expression_vars(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                inline_vars(selector, vars);
                for v in variants {
                    pattern_vars(&v.value, vars);
                }
            }
            ast::Expression::Inline(inline) => inline_vars(inline, vars),
        }
    }

    fn inline_vars(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_string());
            }
            ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
            _ => {}
        }
    }

    #[test]
    fn diagnostics_from_the_catalogue_carry_their_code() {
        let units = 3usize;
        let d = crate::diag::Diagnostic::error_t("check-unknown-name", crate::args![name = format!("pop{units}")])
            .note_t("check-unknown-name-note", crate::args![]);
        assert_eq!(d.code, Some("check-unknown-name"));
        assert_eq!(d.message, "unknown name 'pop3'");
        assert_eq!(d.to_json()["code"], "check-unknown-name");
        assert_eq!(
            crate::tr!("run-units", formula = "cn", units = 2943usize),
            text_in(Lang::En, "run-units", crate::args![formula = "cn", units = 2943usize])
        );
    }

    #[test]
    fn catalogues_have_the_same_messages_and_arguments() {
        let mut seen = BTreeSet::new();
        for (area, en, zh) in CATALOGUES {
            let (en, zh) = (messages(en), messages(zh));
            let missing: Vec<&String> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
            let extra: Vec<&String> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(
                missing.is_empty(),
                "in en/{area}.ftl, not in zh/{area}.ftl: {missing:?}"
            );
            assert!(extra.is_empty(), "in zh/{area}.ftl, not in en/{area}.ftl: {extra:?}");
            for (id, vars) in &en {
                assert_eq!(
                    vars, &zh[id],
                    "'{id}' takes different arguments in en/{area}.ftl and zh/{area}.ftl"
                );
                assert!(seen.insert(id.clone()), "'{id}' is in two areas' catalogues");
            }
        }
        assert!(seen.len() >= 30);
    }

    #[test]
    fn messages_take_their_arguments_in_each_language() {
        let args = [("name", Arg::from("populaton")), ("hint", Arg::from("population"))];
        assert_eq!(
            text_in(Lang::En, "check-unknown-name-hint", &args),
            "unknown name 'populaton' (did you mean 'population'?)"
        );
        assert_eq!(
            text_in(Lang::Zh, "check-unknown-name-hint", &args),
            "未知名称 'populaton'（您是不是想写 'population'？）"
        );
        let counts = [("errors", Arg::from(1)), ("warnings", Arg::from(2))];
        assert_eq!(text_in(Lang::En, "diag-summary", &counts), "1 error, 2 warnings");
        assert_eq!(text_in(Lang::Zh, "diag-summary", &counts), "1 个错误，2 个警告");
        assert_eq!(text_in(Lang::Zh, "no-such-message", &[]), "no-such-message");
    }

    #[test]
    fn the_language_comes_from_the_flag_then_equalize_lang_then_the_locale() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::detect(None, env(&[])), Lang::En);
        assert_eq!(Lang::detect(None, env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(
            Lang::detect(None, env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::detect(None, env(&[("EQUALIZE_LANG", "zh"), ("LANG", "en_US")])),
            Lang::Zh
        );
        assert_eq!(Lang::detect(Some("en"), env(&[("EQUALIZE_LANG", "zh")])), Lang::En);
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr"), None);
    }
}
