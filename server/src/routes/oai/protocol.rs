//! OAI-PMH request checking: verbs and their arguments, datestamp bounds,
//! and resumption tokens. Every mistake maps to the protocol's error code.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// An OAI-PMH error code with its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiError {
    /// One of the protocol's codes (`badArgument`, `badVerb`...).
    pub code: &'static str,
    /// What was wrong, for a person reading the harvester's log.
    pub message: String,
}

pub(super) fn err(code: &'static str, message: impl Into<String>) -> OaiError {
    OaiError {
        code,
        message: message.into(),
    }
}

const VERBS: [&str; 6] = [
    "Identify",
    "ListMetadataFormats",
    "ListSets",
    "ListIdentifiers",
    "ListRecords",
    "GetRecord",
];

/// Arguments each verb accepts besides `verb`: (required, optional, exclusive).
fn allowed(verb: &str) -> (&'static [&'static str], &'static [&'static str], bool) {
    match verb {
        "Identify" => (&[], &[], false),
        "ListMetadataFormats" => (&[], &["identifier"], false),
        "ListSets" => (&[], &[], true),
        "GetRecord" => (&["identifier", "metadataPrefix"], &[], false),
        _ => (&["metadataPrefix"], &["from", "until", "set"], true),
    }
}

/// Checked arguments: the verb and its arguments, each given once.
#[derive(Debug)]
pub(super) struct Request {
    pub(super) verb: &'static str,
    pub(super) args: Vec<(String, String)>,
}

impl Request {
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

pub(super) fn parse_request(query: &str) -> Result<Request, OaiError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let verbs: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "verb")
        .map(|(_, v)| v.as_str())
        .collect();
    let verb = match verbs.as_slice() {
        [] => return Err(err("badVerb", "the verb argument is missing")),
        [one] => VERBS
            .iter()
            .find(|v| *v == one)
            .copied()
            .ok_or_else(|| err("badVerb", format!("`{one}` is not an OAI-PMH verb")))?,
        _ => return Err(err("badVerb", "the verb argument is repeated")),
    };
    let args: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != "verb").collect();
    for (i, (key, _)) in args.iter().enumerate() {
        if args[..i].iter().any(|(k, _)| k == key) {
            return Err(err("badArgument", format!("`{key}` is repeated")));
        }
    }
    let (required, optional, exclusive) = allowed(verb);
    let has_token = args.iter().any(|(k, _)| k == "resumptionToken");
    for (key, _) in &args {
        let known = required.contains(&key.as_str())
            || optional.contains(&key.as_str())
            || (exclusive && key == "resumptionToken");
        if !known {
            return Err(err(
                "badArgument",
                format!("{verb} does not take the argument `{key}`"),
            ));
        }
    }
    if has_token {
        if args.len() > 1 {
            return Err(err(
                "badArgument",
                "resumptionToken is an exclusive argument: send it with the verb only",
            ));
        }
    } else {
        for key in required {
            if !args.iter().any(|(k, _)| k == key) {
                return Err(err(
                    "badArgument",
                    format!("{verb} needs the argument `{key}`"),
                ));
            }
        }
    }
    Ok(Request { verb, args })
}

/// A `from` or `until` bound, with the granularity it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Bound {
    pub(super) time: OffsetDateTime,
    pub(super) day_granularity: bool,
}

pub(super) fn parse_bound(value: &str, is_until: bool) -> Result<Bound, OaiError> {
    let bad = || {
        err(
            "badArgument",
            format!("`{value}` is not a datestamp: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"),
        )
    };
    if value.len() == 10 {
        let date = time::Date::parse(value, format_description!("[year]-[month]-[day]"))
            .map_err(|_| bad())?;
        let time = if is_until {
            date.with_hms(23, 59, 59).map_err(|_| bad())?.assume_utc()
        } else {
            date.midnight().assume_utc()
        };
        return Ok(Bound {
            time,
            day_granularity: true,
        });
    }
    // Only the repository's granularity (seconds, UTC, `Z`) is accepted.
    if value.len() != 20 || !value.ends_with('Z') {
        return Err(bad());
    }
    let time = OffsetDateTime::parse(value, &Rfc3339).map_err(|_| bad())?;
    Ok(Bound {
        time,
        day_granularity: false,
    })
}

/// The arguments of a list request, whether given directly or in a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ListArgs {
    pub(super) prefix: String,
    pub(super) set: Option<String>,
    pub(super) from: Option<String>,
    pub(super) until: Option<String>,
    pub(super) offset: usize,
}

impl ListArgs {
    pub(super) fn token(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("o", &self.offset.to_string());
        s.append_pair("m", &self.prefix);
        for (k, v) in [("s", &self.set), ("f", &self.from), ("u", &self.until)] {
            if let Some(v) = v {
                s.append_pair(k, v);
            }
        }
        // Hex keeps the token free of characters harvesters might mangle.
        s.finish().bytes().map(|b| format!("{b:02x}")).collect()
    }

    pub(super) fn from_token(token: &str) -> Option<ListArgs> {
        if !token.len().is_multiple_of(2) || token.len() > 4000 {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..token.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(token.get(i..i + 2)?, 16).ok())
            .collect();
        let text = String::from_utf8(bytes?).ok()?;
        let mut args = ListArgs {
            prefix: String::new(),
            set: None,
            from: None,
            until: None,
            offset: usize::MAX,
        };
        for (k, v) in form_urlencoded::parse(text.as_bytes()).into_owned() {
            match k.as_str() {
                "o" => args.offset = v.parse().ok()?,
                "m" => args.prefix = v,
                "s" => args.set = Some(v),
                "f" => args.from = Some(v),
                "u" => args.until = Some(v),
                _ => return None,
            }
        }
        (args.offset != usize::MAX && !args.prefix.is_empty()).then_some(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::utc_seconds;

    /// A token carries offset and arguments through a round trip, and
    /// tampered tokens are refused rather than misread.
    #[test]
    fn tokens_round_trip() {
        let args = ListArgs {
            prefix: super::super::OAI_DC.into(),
            set: Some("offer:reading".into()),
            from: Some("2020-01-01".into()),
            until: None,
            offset: 50,
        };
        assert_eq!(ListArgs::from_token(&args.token()), Some(args.clone()));
        for bad in ["", "zz", "abc", &args.token()[2..], "6f3d"] {
            assert_eq!(ListArgs::from_token(bad), None, "{bad}");
        }
    }

    /// Both granularities parse; a day `until` covers the whole day.
    #[test]
    fn bounds() {
        let until = parse_bound("2024-05-01", true).expect("day");
        assert_eq!(utc_seconds(until.time), "2024-05-01T23:59:59Z");
        let from = parse_bound("2024-05-01T10:00:00Z", false).expect("seconds");
        assert!(!from.day_granularity);
        for bad in [
            "2024-5-1",
            "2024-05-01T10:00Z",
            "2024-05-01T10:00:00+01:00",
            "x",
        ] {
            assert!(parse_bound(bad, false).is_err(), "{bad}");
        }
    }
}
