//! The few SOQL shapes the fake answers, read as Salesforce reads them: `SELECT <fields> FROM
//! Account|Contact|Case WHERE Name LIKE|= '<literal>' | Id IN ('…', …) | Id = '…'`, then
//! optionally `ORDER BY <field> [ASC|DESC]` and `LIMIT n`. Keywords and field names in any case;
//! string literals with SOQL's escape sequences; `LIKE` with `%` and `_` as wildcards (literal
//! when escaped) and case-insensitive, like Salesforce's. Anything else is `MALFORMED_QUERY`.

use std::iter::Peekable;
use std::str::Chars;

pub(super) use super::sobject::SObject;

/// One piece of a `LIKE` pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Pat {
    Char(char),
    One,
    Any,
}

/// A `LIKE` pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Like(Vec<Pat>);

impl Like {
    /// Whether `text` matches, ignoring case.
    pub(super) fn matches(&self, text: &str) -> bool {
        let text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
        let pat = &self.0;
        let (mut t, mut p) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while t < text.len() {
            match pat.get(p) {
                Some(Pat::Any) => {
                    star = Some((p, t));
                    p += 1;
                }
                Some(Pat::One) => (t, p) = (t + 1, p + 1),
                Some(Pat::Char(c)) if *c == text[t] => (t, p) = (t + 1, p + 1),
                _ => match star {
                    Some((sp, st)) => {
                        star = Some((sp, st + 1));
                        (t, p) = (st + 1, sp + 1);
                    }
                    None => return false,
                },
            }
        }
        pat[p.min(pat.len())..].iter().all(|x| *x == Pat::Any)
    }
}

/// What a query keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Filter {
    NameLike(Like),
    NameIs(String),
    IdIn(Vec<String>),
}

/// A parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Query {
    pub object: SObject,
    pub fields: Vec<&'static str>,
    pub filter: Filter,
    /// The field to order by, and whether descending.
    pub order: Option<(&'static str, bool)>,
    pub limit: Option<usize>,
}

/// Why a query was refused: Salesforce's `errorCode` and words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct SoqlError {
    pub code: &'static str,
    pub message: String,
}

fn malformed(message: impl Into<String>) -> SoqlError {
    SoqlError {
        code: "MALFORMED_QUERY",
        message: message.into(),
    }
}

/// One character of a string literal: `wild` when it is an unescaped `%` or `_`, `escaped` when
/// it came from `\%` or `\_` (allowed in `LIKE` only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct LitChar {
    c: char,
    wild: bool,
    escaped_wild: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Str(Vec<LitChar>),
    Punct(char),
}

fn unescape(chars: &mut Peekable<Chars<'_>>) -> Result<Vec<LitChar>, SoqlError> {
    let mut out = Vec::new();
    let plain = |c| LitChar {
        c,
        wild: false,
        escaped_wild: false,
    };
    loop {
        let c = chars
            .next()
            .ok_or_else(|| malformed("unterminated string literal"))?;
        match c {
            '\'' => return Ok(out),
            '\\' => {
                let e = chars
                    .next()
                    .ok_or_else(|| malformed("unterminated string literal"))?;
                let c = match e {
                    'n' | 'N' => '\n',
                    'r' | 'R' => '\r',
                    't' | 'T' => '\t',
                    'b' | 'B' => '\u{8}',
                    'f' | 'F' => '\u{c}',
                    '"' | '\'' | '\\' => e,
                    '%' | '_' => {
                        out.push(LitChar {
                            c: e,
                            wild: false,
                            escaped_wild: true,
                        });
                        continue;
                    }
                    'u' => {
                        let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                        u32::from_str_radix(&hex, 16)
                            .ok()
                            .filter(|_| hex.len() == 4)
                            .and_then(char::from_u32)
                            .ok_or_else(|| malformed(format!("Invalid unicode escape: \\u{hex}")))?
                    }
                    other => {
                        return Err(malformed(format!(
                            "Invalid string literal: unknown escape \\{other}"
                        )))
                    }
                };
                out.push(plain(c));
            }
            '%' | '_' => out.push(LitChar {
                c,
                wild: true,
                escaped_wild: false,
            }),
            c => out.push(plain(c)),
        }
    }
}

fn tokens(q: &str) -> Result<Vec<Tok>, SoqlError> {
    let mut out = Vec::new();
    let mut chars = q.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '\'' {
            chars.next();
            out.push(Tok::Str(unescape(&mut chars)?));
        } else if matches!(c, ',' | '(' | ')' | '=') {
            chars.next();
            out.push(Tok::Punct(c));
        } else if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            let mut word = String::new();
            while let Some(&c) = chars
                .peek()
                .filter(|c| c.is_ascii_alphanumeric() || **c == '_' || **c == '.')
            {
                word.push(c);
                chars.next();
            }
            out.push(Tok::Word(word));
        } else {
            return Err(malformed(format!("unexpected token: '{c}'")));
        }
    }
    Ok(out)
}

/// A literal for `=` and `IN`, where `\%` and `\_` are not allowed.
fn plain_text(lit: &[LitChar]) -> Result<String, SoqlError> {
    if lit.iter().any(|l| l.escaped_wild) {
        return Err(malformed(
            "Invalid string literal: \\% and \\_ are allowed in LIKE only",
        ));
    }
    Ok(lit.iter().map(|l| l.c).collect())
}

fn like(lit: &[LitChar]) -> Like {
    let mut pats = Vec::new();
    for l in lit {
        match (l.wild, l.c) {
            (true, '%') => pats.push(Pat::Any),
            (true, _) => pats.push(Pat::One),
            (false, c) => pats.extend(c.to_lowercase().map(Pat::Char)),
        }
    }
    Like(pats)
}

/// The tokens of one query, read front to back.
struct Reader {
    toks: Peekable<std::vec::IntoIter<Tok>>,
}

impl Reader {
    /// Takes the next token when it is `keyword`.
    fn eat(&mut self, keyword: &str) -> bool {
        let found =
            matches!(self.toks.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(keyword));
        if found {
            self.toks.next();
        }
        found
    }

    fn next(&mut self) -> Result<Tok, SoqlError> {
        self.toks
            .next()
            .ok_or_else(|| malformed("unexpected end of query"))
    }

    fn word(&mut self) -> Result<String, SoqlError> {
        match self.next()? {
            Tok::Word(w) => Ok(w),
            other => Err(unexpected(&other)),
        }
    }

    fn keyword(&mut self, keyword: &str) -> Result<(), SoqlError> {
        let word = self.word()?;
        if word.eq_ignore_ascii_case(keyword) {
            Ok(())
        } else {
            Err(malformed(format!("unexpected token: '{word}'")))
        }
    }

    fn literal(&mut self) -> Result<Vec<LitChar>, SoqlError> {
        match self.next()? {
            Tok::Str(lit) => Ok(lit),
            other => Err(unexpected(&other)),
        }
    }

    fn punct(&mut self, p: char) -> Result<(), SoqlError> {
        match self.next()? {
            Tok::Punct(c) if c == p => Ok(()),
            other => Err(unexpected(&other)),
        }
    }
}

fn unexpected(tok: &Tok) -> SoqlError {
    let shown = match tok {
        Tok::Word(w) => w.clone(),
        Tok::Str(lit) => lit.iter().map(|l| l.c).collect(),
        Tok::Punct(c) => c.to_string(),
    };
    malformed(format!("unexpected token: '{shown}'"))
}

fn no_such_column(object: SObject, name: &str) -> SoqlError {
    SoqlError {
        code: "INVALID_FIELD",
        message: format!(
            "No such column '{name}' on entity '{}'. If you are attempting to use a custom \
             field, be sure to append the '__c' after the custom field name.",
            object.name()
        ),
    }
}

/// Reads one query of the shapes the fake knows.
pub(super) fn parse(q: &str) -> Result<Query, SoqlError> {
    let mut r = Reader {
        toks: tokens(q)?.into_iter().peekable(),
    };
    r.keyword("SELECT")?;
    let mut names = vec![r.word()?];
    let object = loop {
        match r.next()? {
            Tok::Punct(',') => names.push(r.word()?),
            Tok::Word(w) if w.eq_ignore_ascii_case("FROM") => {
                let name = r.word()?;
                break SObject::from_name(&name).ok_or_else(|| SoqlError {
                    code: "INVALID_TYPE",
                    message: format!("sObject type '{name}' is not supported."),
                })?;
            }
            other => return Err(unexpected(&other)),
        }
    };
    let field = |name: &str| {
        object
            .field(name)
            .ok_or_else(|| no_such_column(object, name))
    };
    let fields = names
        .iter()
        .map(|n| field(n))
        .collect::<Result<Vec<_>, _>>()?;
    r.keyword("WHERE")?;
    let subject = field(&r.word()?)?;
    let filter = match (subject, r.next()?) {
        ("Name", Tok::Word(op)) if op.eq_ignore_ascii_case("LIKE") => {
            Filter::NameLike(like(&r.literal()?))
        }
        ("Name", Tok::Punct('=')) => Filter::NameIs(plain_text(&r.literal()?)?),
        ("Id", Tok::Punct('=')) => Filter::IdIn(vec![plain_text(&r.literal()?)?]),
        ("Id", Tok::Word(op)) if op.eq_ignore_ascii_case("IN") => {
            r.punct('(')?;
            let mut ids = vec![plain_text(&r.literal()?)?];
            loop {
                match r.next()? {
                    Tok::Punct(',') => ids.push(plain_text(&r.literal()?)?),
                    Tok::Punct(')') => break Filter::IdIn(ids),
                    other => return Err(unexpected(&other)),
                }
            }
        }
        (_, other) => return Err(unexpected(&other)),
    };
    let mut order = None;
    if r.eat("ORDER") {
        r.keyword("BY")?;
        let by = field(&r.word()?)?;
        let desc = r.eat("DESC");
        if !desc {
            r.eat("ASC");
        }
        order = Some((by, desc));
    }
    let mut limit = None;
    if r.eat("LIMIT") {
        let n = r.word()?;
        limit = Some(
            n.parse()
                .map_err(|_| malformed(format!("unexpected token: '{n}'")))?,
        );
    }
    if let Some(tok) = r.toks.next() {
        return Err(unexpected(&tok));
    }
    let query = Query {
        object,
        fields,
        filter,
        order,
        limit,
    };
    Ok(query)
}

#[cfg(test)]
#[path = "soql_tests.rs"]
mod tests;
