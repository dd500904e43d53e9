//! What is kept of a query: lower-cased, trimmed, spaces collapsed, personal
//! details (e-mail addresses, phone numbers, UK postcodes) replaced by a
//! placeholder, then cut to [`MAX_QUERY_CHARS`] characters.
//!
//! Redaction runs before the cut, so a detail straddling the limit is never
//! kept in part.

use std::sync::LazyLock;

use regex::Regex;

/// Longest normalised query kept, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\s@]+@[^\s@]+").expect("e-mail pattern"));
/// A UK postcode, lower-cased: outward code (`sw1a`, `m1`, `b33`), optional
/// space, inward code (`1aa`).
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[a-z]{1,2}[0-9][a-z0-9]?\s?[0-9][a-z]{2}\b").expect("postcode pattern")
});
/// A run of digits with the separators phone numbers are written with;
/// only runs of [`PHONE_DIGITS`] digits or more are redacted, so years and
/// small numbers stay.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?[0-9][0-9 ()\-.]{6,}[0-9]").expect("phone pattern"));
const PHONE_DIGITS: usize = 9;

/// The query as recorded.
pub fn normalise(query: &str) -> String {
    let lowered = query.to_lowercase();
    let collapsed = lowered.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = EMAIL.replace_all(&collapsed, "[email]");
    let text = PHONE.replace_all(&text, |m: &regex::Captures| {
        let digits = m[0].chars().filter(char::is_ascii_digit).count();
        if digits >= PHONE_DIGITS {
            "[phone]".to_string()
        } else {
            m[0].to_string()
        }
    });
    let text = POSTCODE.replace_all(&text, "[postcode]");
    text.chars()
        .take(MAX_QUERY_CHARS)
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Case, outer and inner spacing are normalised; words stay as typed.
    #[test]
    fn case_and_spacing() {
        assert_eq!(
            normalise("  Dementia   READING\tgroups "),
            "dementia reading groups"
        );
    }

    /// Personal details never reach the store; years and ordinary numbers do.
    #[test]
    fn personal_details_are_redacted() {
        assert_eq!(
            normalise("ask Jo.Bloggs@Example.org about it"),
            "ask [email] about it"
        );
        assert_eq!(normalise("call 020 7946 0958 today"), "call [phone] today");
        assert_eq!(normalise("ring +44 (0)7700-900123"), "ring [phone]");
        assert_eq!(
            normalise("library near SW1A 1AA"),
            "library near [postcode]"
        );
        assert_eq!(normalise("m1 1ae and b338th"), "[postcode] and [postcode]");
        assert_eq!(normalise("reading 2018 to 2020"), "reading 2018 to 2020");
        assert_eq!(normalise("top 10 toolkits"), "top 10 toolkits");
    }

    /// The cut is by characters (never inside a UTF-8 sequence) and comes
    /// after redaction, so a detail at the limit is not half kept.
    #[test]
    fn cut_after_redaction() {
        let long = "ü".repeat(150);
        assert_eq!(normalise(&long).chars().count(), MAX_QUERY_CHARS);
        let near = format!("{} someone@example.org", "a".repeat(90));
        assert!(normalise(&near).ends_with("[email]"));
        assert!(!normalise(&near).contains("someone"));
    }
}
