//! Messages by identifier, in English and Simplified Chinese (Fluent catalogues).
//!
//! `locales/en.ftl` and `locales/zh.ftl` are compiled in; [`t`] looks a message up by its
//! identifier with named arguments, in the language of the process, which the command
//! line sets once from `--lang`, `EQUALIZE_LANG` or the locale ([`Lang::detect`]); a
//! library caller that sets nothing gets English. Both catalogues hold the same
//! identifiers with the same arguments (a test fails otherwise), and an identifier
//! missing at run time falls back to English, then to the identifier itself.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

const EN: &str = include_str!("../locales/en.ftl");
const ZH: &str = include_str!("../locales/zh.ftl");

/// A language equalize speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
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
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| [make("en", EN), make("zh", ZH)]);
    &bundles[lang as usize]
}

fn make(tag: &str, text: &str) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: they show as stray bytes in terminals
    // and CSV files.
    bundle.set_use_isolating(false);
    // The catalogues are compiled in and checked by the tests: a syntax error cannot ship.
    let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(partial, _)| partial);
    let _ = bundle.add_resource(resource);
    bundle
}

/// An argument of a message: text or a number.
pub enum Arg<'a> {
    Text(&'a str),
    Count(usize),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Arg<'a> {
        Arg::Text(text)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Arg<'a> {
        Arg::Text(text)
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Count(n)
    }
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
            Arg::Text(text) => fluent_args.set(*name, FluentValue::from(*text)),
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
    fn catalogues_have_the_same_messages_and_arguments() {
        let (en, zh) = (messages(EN), messages(ZH));
        let missing: Vec<&String> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        let extra: Vec<&String> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "in en.ftl, not in zh.ftl: {missing:?}");
        assert!(extra.is_empty(), "in zh.ftl, not in en.ftl: {extra:?}");
        for (id, vars) in &en {
            assert_eq!(vars, &zh[id], "'{id}' takes different arguments in en.ftl and zh.ftl");
        }
        assert!(en.len() >= 30);
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
