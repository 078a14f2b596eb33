//! Tokens of the expression language, each with the span of its text.
//!
//! Expressions live inside TOML strings. The lexer is given the expression and
//! where its first character sits in the file, so every token's span points at
//! the right line and column of the formula file. When the string could not be
//! mapped character by character (it contains escapes), every token gets the
//! span of the whole string instead: less precise, never wrong.

use crate::diag::{FileId, Span};
use crate::money;

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Number(String),
    Name(String),
    Text(String),
    LParen,
    RParen,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    NotEq,
    And,
    Or,
    Not,
    True,
    False,
    End,
}

impl Token {
    pub fn describe(&self) -> String {
        match self {
            Token::Number(n) => crate::tr!("formula-token-number", number = n),
            Token::Name(n) => crate::tr!("formula-token-name", name = n),
            Token::Text(t) => crate::tr!("formula-token-text", text = t),
            Token::End => crate::tr!("formula-token-end"),
            other => format!("'{}'", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Token::LParen => "(",
            Token::RParen => ")",
            Token::Comma => ",",
            Token::Plus => "+",
            Token::Minus => "-",
            Token::Star => "*",
            Token::Slash => "/",
            Token::Lt => "<",
            Token::Le => "<=",
            Token::Gt => ">",
            Token::Ge => ">=",
            Token::EqEq => "==",
            Token::NotEq => "!=",
            Token::And => "and",
            Token::Or => "or",
            Token::Not => "not",
            Token::True => "true",
            Token::False => "false",
            _ => "",
        }
    }
}

/// Where an expression's text sits in its file.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    pub file: FileId,
    /// Byte offset of the expression's first character, when mapped verbatim.
    pub start: Option<usize>,
    /// The span of the whole TOML value, used when `start` is unknown.
    pub whole: Span,
}

impl Placement {
    pub fn span(&self, from: usize, to: usize) -> Span {
        match self.start {
            Some(start) => Span::new(self.file, start + from, start + to),
            None => self.whole,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LexError {
    pub message: String,
    pub span: Span,
    /// The message's identifier in the catalogues (`locales/*/formula.ftl`).
    pub code: &'static str,
}

impl LexError {
    /// The catalogue's message `id` in the current language, at `span`.
    pub fn new(id: &'static str, args: &[(&str, crate::i18n::Arg)], span: Span) -> LexError {
        LexError {
            message: crate::i18n::t(id, args),
            span,
            code: id,
        }
    }
}

/// Split an expression into tokens; the last token is always [`Token::End`].
pub fn tokenize(text: &str, placement: Placement) -> Result<Vec<(Token, Span)>, LexError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let single = |t: Token| (t, placement.span(start, start + c.len_utf8()));
        let token = match c {
            '(' => single(Token::LParen),
            ')' => single(Token::RParen),
            ',' => single(Token::Comma),
            '+' => single(Token::Plus),
            '-' => single(Token::Minus),
            '*' => single(Token::Star),
            '/' => single(Token::Slash),
            '<' | '>' | '=' | '!' => {
                chars.next();
                let followed_by_eq = chars.peek().is_some_and(|&(_, n)| n == '=');
                if followed_by_eq {
                    chars.next();
                }
                let token = match (c, followed_by_eq) {
                    ('<', false) => Token::Lt,
                    ('<', true) => Token::Le,
                    ('>', false) => Token::Gt,
                    ('>', true) => Token::Ge,
                    ('=', true) => Token::EqEq,
                    ('!', true) => Token::NotEq,
                    ('=', false) => {
                        return Err(LexError::new(
                            "formula-lex-single-equals",
                            crate::args![],
                            placement.span(start, start + 1),
                        ))
                    }
                    _ => {
                        return Err(LexError::new(
                            "formula-lex-bang",
                            crate::args![],
                            placement.span(start, start + 1),
                        ))
                    }
                };
                let end = start + if followed_by_eq { 2 } else { 1 };
                tokens.push((token, placement.span(start, end)));
                continue;
            }
            '\'' => {
                chars.next();
                let mut value = String::new();
                let mut end = None;
                for (i, ch) in chars.by_ref() {
                    if ch == '\'' {
                        end = Some(i + 1);
                        break;
                    }
                    value.push(ch);
                }
                let Some(end) = end else {
                    return Err(LexError::new(
                        "formula-lex-unterminated-text",
                        crate::args![],
                        placement.span(start, text.len()),
                    ));
                };
                tokens.push((Token::Text(value), placement.span(start, end)));
                continue;
            }
            c if c.is_ascii_digit() || c == '.' => {
                let end = scan_number(text, start);
                let literal = &text[start..end];
                while chars.peek().is_some_and(|&(i, _)| i < end) {
                    chars.next();
                }
                let span = placement.span(start, end);
                match money::parse_decimal(&literal.replace('_', "")) {
                    Err(money::NumberError::OutOfRange) => {
                        return Err(LexError::new(
                            "formula-lex-number-out-of-range",
                            crate::args![literal = literal, problem = money::NumberError::OutOfRange.describe()],
                            span,
                        ));
                    }
                    Err(_) => {
                        return Err(LexError::new(
                            "formula-lex-bad-number",
                            crate::args![literal = literal],
                            span,
                        ))
                    }
                    Ok(_) => {}
                }
                tokens.push((Token::Number(literal.to_string()), span));
                continue;
            }
            c if is_name_start(c) => {
                let mut end = start;
                let mut last_was_dot = false;
                while let Some(&(i, ch)) = chars.peek() {
                    // Dotted names (per_capita.education) are one token.
                    if is_name_char(ch) || (ch == '.' && !last_was_dot) {
                        last_was_dot = ch == '.';
                        end = i + ch.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &text[start..end];
                let span = placement.span(start, end);
                if word.ends_with('.') {
                    return Err(LexError::new(
                        "formula-lex-ends-with-dot",
                        crate::args![word = word],
                        span,
                    ));
                }
                let token = match word {
                    "and" => Token::And,
                    "or" => Token::Or,
                    "not" => Token::Not,
                    "true" => Token::True,
                    "false" => Token::False,
                    _ => Token::Name(word.to_string()),
                };
                tokens.push((token, span));
                continue;
            }
            other => {
                let span = placement.span(start, start + other.len_utf8());
                let id = match other {
                    '"' => "formula-lex-double-quote",
                    '^' => "formula-lex-caret",
                    '%' => "formula-lex-percent",
                    '&' | '|' => "formula-lex-and-or",
                    c if c.is_alphanumeric() => {
                        let code = format!("{:04X}", u32::from(c));
                        return Err(LexError::new(
                            "formula-lex-name-character",
                            crate::args![character = other.to_string(), code = code],
                            span,
                        ));
                    }
                    _ => "formula-lex-unexpected-character",
                };
                return Err(LexError::new(id, crate::args![character = other.to_string()], span));
            }
        };
        chars.next();
        tokens.push(token);
    }
    tokens.push((Token::End, placement.span(text.len(), text.len())));
    Ok(tokens)
}

/// Chinese (CJK unified and compatibility) ideographs.
fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2fa1f}' | '\u{3007}')
}

/// The first character of a name: an ASCII letter, `_` or a Chinese character. Letters
/// of other scripts are refused: a Cyrillic `е` looks like a Latin `e` and would make two
/// names that cannot be told apart.
pub fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || is_ideograph(c)
}

/// A later character of a name: also ASCII digits.
pub fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit()
}

/// End of a numeric literal starting at `start`: digits, `_`, one `.`, an exponent.
fn scan_number(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'_' || bytes[i] == b'.') {
        i += 1;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    // Swallow trailing identifier characters so `12abc` is reported as one bad literal.
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric()) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(text: &str) -> Result<Vec<Token>, LexError> {
        let placement = Placement {
            file: 0,
            start: Some(10),
            whole: Span::new(0, 9, 11 + text.len()),
        };
        tokenize(text, placement).map(|ts| ts.into_iter().map(|(t, _)| t).collect())
    }

    #[test]
    fn splits_operators_names_and_numbers() {
        assert_eq!(
            lex("a.b >= 1.5e3 and not x != 'A'").unwrap(),
            vec![
                Token::Name("a.b".into()),
                Token::Ge,
                Token::Number("1.5e3".into()),
                Token::And,
                Token::Not,
                Token::Name("x".into()),
                Token::NotEq,
                Token::Text("A".into()),
                Token::End
            ]
        );
    }

    #[test]
    fn spans_are_offsets_into_the_file() {
        let placement = Placement {
            file: 0,
            start: Some(10),
            whole: Span::new(0, 9, 20),
        };
        let tokens = tokenize("ab + 1", placement).unwrap();
        assert_eq!(tokens[0].1, Span::new(0, 10, 12));
        assert_eq!(tokens[2].1, Span::new(0, 15, 16));
    }

    #[test]
    fn reports_bad_characters_with_a_hint() {
        let err = lex("a ^ 2").unwrap_err();
        assert_eq!(err.message, "unexpected character '^' (use pow(x, y) for powers)");
    }

    #[test]
    fn names_are_ascii_or_chinese_and_look_alikes_are_refused() {
        assert!(lex("人口 * need_2").is_ok());
        // A Cyrillic 'е' in "nеed".
        let err = lex("n\u{435}ed + 1").unwrap_err();
        assert!(
            err.message
                .starts_with("the character 'е' (U+0435) is not allowed in names"),
            "{}",
            err.message
        );
        assert_eq!(err.span, Span::new(0, 11, 13));
        let err = lex("a ^ 2").unwrap_err();
        assert_eq!(err.span, Span::new(0, 12, 13));
        assert_eq!(
            lex("a = 1").unwrap_err().message,
            "'=' is not an operator here; write '==' to compare"
        );
        assert_eq!(lex("12abc").unwrap_err().message, "'12abc' is not a valid number");
    }

    #[test]
    fn chinese_names_are_names() {
        assert_eq!(lex("人口 * 2").unwrap()[0], Token::Name("人口".into()));
    }
}
