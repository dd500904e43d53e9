//! The query language: words, `"phrases"`, `AND` / `OR` / `NOT`, `-word`,
//! `+word`, `field:value`, `prefix*` and parentheses.
//!
//! Parsing is forgiving: an unclosed quote or parenthesis is closed at the
//! end, a stray operator is read as a word, and `unknown:thing` is two words.
//! Only the safety limits (length, words, nesting) refuse a query.

use serde::Serialize;

/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 1024;
/// Most words, phrases and operators in one query.
pub const MAX_CLAUSES: usize = 64;
/// Deepest nesting of parentheses and operators.
pub const MAX_DEPTH: usize = 8;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Node {
    /// A plain word.
    Word(String),
    /// Words that must appear together, in order.
    Phrase(String),
    /// A word prefix, from `word*`.
    Prefix(String),
    /// A clause restricted to one field: `title:dementia`.
    Field(String, Box<Node>),
    /// `+clause`: must match.
    Required(Box<Node>),
    /// `-clause` or `NOT clause`: must not match.
    Excluded(Box<Node>),
    /// `a AND b`.
    All(Vec<Node>),
    /// `a OR b`.
    Any(Vec<Node>),
    /// Clauses side by side: any may match, more matches rank higher.
    Group(Vec<Node>),
}

/// A query refused for safety, with the limit it broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// The text is too long.
    #[error(
        "the query is {0} characters long; the limit is {MAX_QUERY_BYTES}. Shorten it to the words that matter."
    )]
    TooLong(usize),
    /// Too many words or operators.
    #[error("the query has more than {MAX_CLAUSES} words and operators; use fewer words.")]
    TooManyClauses,
    /// Too deeply nested.
    #[error("the query nests parentheses or operators more than {MAX_DEPTH} deep; simplify it.")]
    TooDeep,
}

/// Field names the query language accepts before `:`, with their canonical name.
pub const FIELD_NAMES: &[(&str, &str)] = &[
    ("title", "title"),
    ("summary", "summary"),
    ("body", "body"),
    ("text", "body"),
    ("organisation", "organisation"),
    ("organization", "organisation"),
    ("org", "organisation"),
    ("attachment", "attachment"),
    ("pdf", "attachment"),
    ("tag", "tag"),
    ("tags", "tag"),
    ("offer", "offer"),
    ("offers", "offer"),
    ("type", "type"),
    ("region", "region"),
    ("language", "language"),
    ("lang", "language"),
    ("year", "year"),
    ("id", "id"),
];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Phrase(String),
    Field(String, Box<Token>),
    Open,
    Close,
    And,
    Or,
    Not,
    Plus,
    Minus,
}

fn canonical_field(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    FIELD_NAMES
        .iter()
        .find(|(n, _)| *n == lower)
        .map(|(_, c)| *c)
}

fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    // Operators are told from words by their capitals. Text written all in
    // capitals (a pasted catalogue record, caps lock) cannot make that
    // distinction: there `AND`, `OR` and `NOT` are words like any other.
    let shouted = !chars.iter().any(|c| c.is_lowercase());
    let mut tokens = Vec::new();
    let mut i = 0;
    let read_phrase = |i: &mut usize| -> String {
        *i += 1;
        let start = *i;
        while *i < chars.len() && chars[*i] != '"' {
            *i += 1;
        }
        let phrase: String = chars[start..*i].iter().collect();
        *i += 1;
        phrase
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c.is_control() {
            i += 1;
        } else if c == '(' {
            tokens.push(Token::Open);
            i += 1;
        } else if c == ')' {
            tokens.push(Token::Close);
            i += 1;
        } else if c == '"' {
            tokens.push(Token::Phrase(read_phrase(&mut i)));
        } else if (c == '-' || c == '+')
            && chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && *n != '-' && *n != '+')
        {
            tokens.push(if c == '-' { Token::Minus } else { Token::Plus });
            i += 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '"')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match word.as_str() {
                "&&" => tokens.push(Token::And),
                "||" => tokens.push(Token::Or),
                "AND" if !shouted => tokens.push(Token::And),
                "OR" if !shouted => tokens.push(Token::Or),
                "NOT" if !shouted => tokens.push(Token::Not),
                _ => match word
                    .split_once(':')
                    .and_then(|(f, v)| canonical_field(f).map(|f| (f, v)))
                {
                    Some((field, "")) if chars.get(i) == Some(&'"') => {
                        let phrase = read_phrase(&mut i);
                        tokens.push(Token::Field(field.into(), Box::new(Token::Phrase(phrase))));
                    }
                    Some((field, value)) if !value.is_empty() => {
                        tokens.push(Token::Field(
                            field.into(),
                            Box::new(Token::Word(value.into())),
                        ));
                    }
                    _ => tokens.push(Token::Word(word)),
                },
            }
        }
    }
    tokens
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn group(&mut self, depth: usize) -> Result<Vec<Node>, QueryError> {
        let mut items = Vec::new();
        while let Some(token) = self.peek() {
            if *token == Token::Close {
                if depth > 0 {
                    break;
                }
                self.pos += 1; // stray `)` at top level: ignore it
                continue;
            }
            if let Some(node) = self.or_expr(depth)? {
                items.push(node);
            }
        }
        Ok(items)
    }

    fn or_expr(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        let Some(first) = self.and_expr(depth)? else {
            return Ok(None);
        };
        let mut items = vec![first];
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            if let Some(next) = self.and_expr(depth)? {
                items.push(next);
            }
        }
        Ok(Some(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Any(items)
        }))
    }

    fn and_expr(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        let Some(first) = self.unary(depth)? else {
            return Ok(None);
        };
        let mut items = vec![first];
        while self.peek() == Some(&Token::And) {
            self.pos += 1;
            if let Some(next) = self.unary(depth)? {
                items.push(next);
            }
        }
        Ok(Some(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::All(items)
        }))
    }

    fn unary(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        if depth > MAX_DEPTH {
            return Err(QueryError::TooDeep);
        }
        let Some(token) = self.peek().cloned() else {
            return Ok(None);
        };
        self.pos += 1;
        Ok(match token {
            Token::Minus | Token::Not => {
                self.unary(depth + 1)?.map(|n| Node::Excluded(Box::new(n)))
            }
            Token::Plus => self.unary(depth + 1)?.map(|n| Node::Required(Box::new(n))),
            Token::Open => {
                let items = self.group(depth + 1)?;
                if self.peek() == Some(&Token::Close) {
                    self.pos += 1;
                }
                match items.len() {
                    0 => None,
                    1 => items.into_iter().next(),
                    _ => Some(Node::Group(items)),
                }
            }
            // An operator with nothing usable before it is read as a word.
            Token::And | Token::Or => Some(Node::Word(
                if token == Token::And { "and" } else { "or" }.into(),
            )),
            Token::Close => None,
            other => Some(leaf(other)),
        })
    }
}

fn leaf(token: Token) -> Node {
    match token {
        Token::Word(w) => match w.strip_suffix('*') {
            Some(prefix) if !prefix.trim_end_matches('*').is_empty() => {
                Node::Prefix(prefix.trim_end_matches('*').into())
            }
            _ => Node::Word(w.trim_end_matches('*').into()),
        },
        Token::Phrase(p) => Node::Phrase(p),
        Token::Field(f, inner) => Node::Field(f, Box::new(leaf(*inner))),
        _ => Node::Word(String::new()),
    }
}

/// Parse query text into clauses; an empty query gives an empty list.
pub fn parse(text: &str) -> Result<Vec<Node>, QueryError> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong(text.chars().count()));
    }
    let tokens = lex(text);
    if tokens.len() > MAX_CLAUSES {
        return Err(QueryError::TooManyClauses);
    }
    let mut parser = Parser { tokens, pos: 0 };
    parser.group(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Node {
        Node::Word(s.into())
    }

    /// Each piece of syntax in DESIGN.md parses to the clause it names.
    #[test]
    fn parses_the_documented_syntax() {
        assert_eq!(
            parse("dementia reading").expect("ok"),
            vec![w("dementia"), w("reading")]
        );
        assert_eq!(
            parse("\"reading groups\"").expect("ok"),
            vec![Node::Phrase("reading groups".into())]
        );
        assert_eq!(
            parse("a AND b").expect("ok"),
            vec![Node::All(vec![w("a"), w("b")])]
        );
        assert_eq!(
            parse("a OR b c").expect("ok"),
            vec![Node::Any(vec![w("a"), w("b")]), w("c")]
        );
        assert_eq!(
            parse("a NOT b").expect("ok"),
            vec![w("a"), Node::Excluded(Box::new(w("b")))]
        );
        assert_eq!(
            parse("a -b +c").expect("ok"),
            vec![
                w("a"),
                Node::Excluded(Box::new(w("b"))),
                Node::Required(Box::new(w("c")))
            ]
        );
        assert_eq!(
            parse("title:dementia").expect("ok"),
            vec![Node::Field("title".into(), Box::new(w("dementia")))]
        );
        assert_eq!(
            parse("title:\"reading friends\"").expect("ok"),
            vec![Node::Field(
                "title".into(),
                Box::new(Node::Phrase("reading friends".into()))
            )]
        );
        assert_eq!(
            parse("read*").expect("ok"),
            vec![Node::Prefix("read".into())]
        );
        assert_eq!(
            parse("(a OR b) AND c").expect("ok"),
            vec![Node::All(vec![Node::Any(vec![w("a"), w("b")]), w("c")])]
        );
    }

    /// In text all in capitals `AND`, `OR` and `NOT` are words: a long
    /// pasted statement ("NON-USERS AND WHY") must not turn into a
    /// conjunction of everything. In mixed case they stay operators.
    #[test]
    fn capitals_only_text_has_no_operators() {
        assert_eq!(
            parse("USERS AND NON-USERS NOT LIBRARIANS").expect("ok"),
            vec![
                w("USERS"),
                w("AND"),
                w("NON-USERS"),
                w("NOT"),
                w("LIBRARIANS")
            ]
        );
        assert_eq!(
            parse("users AND librarians").expect("ok"),
            vec![Node::All(vec![w("users"), w("librarians")])]
        );
    }

    /// Broken syntax is read leniently instead of failing.
    #[test]
    fn broken_syntax_is_forgiven() {
        assert_eq!(
            parse("\"unclosed phrase").expect("ok"),
            vec![Node::Phrase("unclosed phrase".into())]
        );
        assert_eq!(
            parse("(a b").expect("ok"),
            vec![Node::Group(vec![w("a"), w("b")])]
        );
        assert_eq!(parse("a) b").expect("ok"), vec![w("a"), w("b")]);
        assert_eq!(parse("AND").expect("ok"), vec![w("AND")]);
        assert_eq!(parse("foo:bar").expect("ok"), vec![w("foo:bar")]);
        assert_eq!(parse("well-being").expect("ok"), vec![w("well-being")]);
        assert!(parse("").expect("ok").is_empty());
        assert!(
            parse("***")
                .expect("ok")
                .iter()
                .all(|n| matches!(n, Node::Word(_)))
        );
    }

    /// The safety limits refuse oversized queries with a clear reason.
    #[test]
    fn limits_are_enforced() {
        assert!(matches!(
            parse(&"a ".repeat(600)),
            Err(QueryError::TooLong(_))
        ));
        assert_eq!(parse(&"a ".repeat(65)), Err(QueryError::TooManyClauses));
        assert_eq!(
            parse(&format!("{}a{}", "(".repeat(12), ")".repeat(12))),
            Err(QueryError::TooDeep)
        );
        assert_eq!(parse(&"-".repeat(20)).map(|n| n.len()), Ok(1));
    }
}
