//! What can be wrong with a resource's fields, as a stable kind with its
//! arguments.
//!
//! The field rules ([`crate::resource::validate`]) report each problem as a
//! [`Problem`]. Its English wording for corpus authors (the `kb-index check`
//! messages, and the API's `422` details) is written here, once; the web
//! pages word the same problem from their message catalogues, in the page's
//! language, from [`Problem::code`] and the arguments.

use crate::resource::FIELDS;

/// The kind of a value that had the wrong shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `null` or nothing.
    Empty,
    /// `true` or `false`.
    Flag,
    /// A number.
    Number,
    /// A string.
    Text,
    /// A list.
    List,
    /// A nested map.
    Map,
}

impl ValueKind {
    /// The kind of a JSON value.
    pub fn of(value: &serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => ValueKind::Empty,
            Value::Bool(_) => ValueKind::Flag,
            Value::Number(_) => ValueKind::Number,
            Value::String(_) => ValueKind::Text,
            Value::Array(_) => ValueKind::List,
            Value::Object(_) => ValueKind::Map,
        }
    }

    /// Stable name, e.g. `list`.
    pub fn code(self) -> &'static str {
        match self {
            ValueKind::Empty => "empty",
            ValueKind::Flag => "flag",
            ValueKind::Number => "number",
            ValueKind::Text => "text",
            ValueKind::List => "list",
            ValueKind::Map => "map",
        }
    }

    fn english(self) -> &'static str {
        match self {
            ValueKind::Empty => "empty",
            ValueKind::Flag => "true/false",
            ValueKind::Number => "a number",
            ValueKind::Text => "text",
            ValueKind::List => "a list",
            ValueKind::Map => "a nested map",
        }
    }
}

/// Which controlled vocabulary a value was checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VocabularyKind {
    /// Universal Library Offers and promises.
    Offer,
    /// Resource types.
    ResourceType,
    /// Regions.
    Region,
    /// Languages.
    Language,
}

impl VocabularyKind {
    /// Stable name, e.g. `resource-type`.
    pub fn code(self) -> &'static str {
        match self {
            VocabularyKind::Offer => "offer",
            VocabularyKind::ResourceType => "resource-type",
            VocabularyKind::Region => "region",
            VocabularyKind::Language => "language",
        }
    }

    fn english(self) -> &'static str {
        match self {
            VocabularyKind::Offer => "offer",
            VocabularyKind::ResourceType => "resource type",
            VocabularyKind::Region => "region",
            VocabularyKind::Language => "language",
        }
    }
}

/// One problem with one field (or with the whole resource).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required field is not there.
    Missing,
    /// A required field is there but blank.
    Empty,
    /// Longer than the field allows.
    TooLong {
        /// Characters given.
        chars: usize,
        /// Most allowed.
        max: usize,
    },
    /// Contains control characters.
    ControlCharacters,
    /// Should be one piece of text.
    NotText {
        /// What it was instead.
        found: ValueKind,
    },
    /// Should be `true` or `false`.
    NotFlag {
        /// What it was instead.
        found: ValueKind,
    },
    /// A list item is not a word.
    ListItemNotWord {
        /// What the item was instead.
        found: ValueKind,
    },
    /// Should be a list.
    NotList {
        /// What it was instead.
        found: ValueKind,
    },
    /// Not a term of the field's vocabulary.
    UnknownValue {
        /// The value as given.
        value: String,
        /// The vocabulary.
        vocabulary: VocabularyKind,
        /// The closest known value, if any is close.
        suggestion: Option<String>,
        /// Every valid value.
        valid: Vec<String>,
    },
    /// Not a field a resource has.
    UnknownField {
        /// The closest known field, if any is close.
        closest: Option<String>,
    },
    /// The `id` is not a slug path.
    InvalidId {
        /// The id as given.
        id: String,
    },
    /// No `offers` at all.
    OffersMissing,
    /// `offers` is an empty list.
    OffersEmpty,
    /// More tags than allowed.
    TooManyTags {
        /// Tags given.
        count: usize,
        /// Most allowed.
        max: usize,
    },
    /// A tag with no letters or digits, or too long.
    BadTag {
        /// The tag as given.
        tag: String,
        /// Longest allowed.
        max: usize,
    },
    /// `source_url` is not an http(s) address.
    NotWebAddress {
        /// The value as given.
        url: String,
    },
    /// No Markdown body.
    BodyEmpty,
    /// A year outside the accepted range.
    YearOutOfRange {
        /// The year given.
        year: i32,
        /// Earliest accepted.
        min: i32,
        /// Latest accepted.
        max: i32,
    },
    /// `year` and `published` name different years.
    YearDisagrees {
        /// The year given.
        year: i32,
        /// The date given.
        date: String,
    },
    /// `published` is not a `YYYY-MM-DD` date.
    NotDate {
        /// The value as given.
        value: String,
    },
    /// `year` is not a number.
    NotYear {
        /// The value as given.
        value: String,
    },
    /// Neither `published` nor `year`.
    DateMissing,
    /// Whole-resource fallback (should not happen: every missing part has
    /// its own problem).
    Incomplete,
}

impl Problem {
    /// Stable machine-readable kind, e.g. `too-long`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Missing => "missing",
            Problem::Empty => "empty",
            Problem::TooLong { .. } => "too-long",
            Problem::ControlCharacters => "control-characters",
            Problem::NotText { .. } => "not-text",
            Problem::NotFlag { .. } => "not-flag",
            Problem::ListItemNotWord { .. } => "list-item-not-word",
            Problem::NotList { .. } => "not-list",
            Problem::UnknownValue { .. } => "unknown-value",
            Problem::UnknownField { .. } => "unknown-field",
            Problem::InvalidId { .. } => "invalid-id",
            Problem::OffersMissing => "offers-missing",
            Problem::OffersEmpty => "offers-empty",
            Problem::TooManyTags { .. } => "too-many-tags",
            Problem::BadTag { .. } => "bad-tag",
            Problem::NotWebAddress { .. } => "not-web-address",
            Problem::BodyEmpty => "body-empty",
            Problem::YearOutOfRange { .. } => "year-out-of-range",
            Problem::YearDisagrees { .. } => "year-disagrees",
            Problem::NotDate { .. } => "not-date",
            Problem::NotYear { .. } => "not-year",
            Problem::DateMissing => "date-missing",
            Problem::Incomplete => "incomplete",
        }
    }

    /// The English message for corpus authors, about `field`: what is wrong
    /// and how to fix it in a file's front matter.
    pub fn english(&self, field: &str) -> String {
        match self {
            Problem::Missing => {
                format!("`{field}` is missing: add a line `{field}: ...` to the front matter")
            }
            Problem::Empty => format!("`{field}` is empty: write a value after `{field}:`"),
            Problem::TooLong { chars, max } => {
                format!("`{field}` is {chars} characters long; shorten it to at most {max}")
            }
            Problem::ControlCharacters => {
                format!("`{field}` contains control characters; remove them")
            }
            Problem::NotText { found } => format!(
                "`{field}` must be a single piece of text, not {}",
                found.english()
            ),
            Problem::NotFlag { found } => {
                format!("`{field}` must be true or false, not {}", found.english())
            }
            Problem::ListItemNotWord { found } => format!(
                "`{field}` must be a list of words, but one item is {}",
                found.english()
            ),
            Problem::NotList { found } => format!(
                "`{field}` must be a list like `[a, b]`, not {}",
                found.english()
            ),
            Problem::UnknownValue {
                value,
                vocabulary,
                suggestion,
                valid,
            } => {
                let hint = match suggestion {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "see corpus/vocabularies.toml for the list".to_string(),
                };
                format!(
                    "`{value}` is not a known {}; {hint} Valid values: {}",
                    vocabulary.english(),
                    valid.join(", ")
                )
            }
            Problem::UnknownField { closest } => {
                let hint = match closest {
                    Some(f) => format!("did you mean `{f}`?"),
                    None => format!("known fields are {}", FIELDS.join(", ")),
                };
                format!("unknown field `{field}`; {hint}")
            }
            Problem::InvalidId { id } => format!(
                "`{id}` is not a valid id: use lowercase letters, digits and hyphens, with `/` between parts"
            ),
            Problem::OffersMissing => {
                "`offers` is missing: add at least one offer, e.g. `offers: [reading]`".into()
            }
            Problem::OffersEmpty => {
                "`offers` is empty: add at least one offer, e.g. `offers: [reading]`".into()
            }
            Problem::TooManyTags { count, max } => {
                format!("{count} tags given; keep the {max} most useful")
            }
            Problem::BadTag { tag, max } => {
                format!("tag `{tag}` must be 1 to {max} letters or digits")
            }
            Problem::NotWebAddress { url } => format!(
                "`{url}` is not a web address: it must start with https:// and contain no spaces"
            ),
            Problem::BodyEmpty => {
                "the body is empty: write the resource's text in Markdown below the front matter"
                    .into()
            }
            Problem::YearOutOfRange { year, min, max } => {
                format!("year {year} is out of range; use a year from {min} to {max}")
            }
            Problem::YearDisagrees { year, date } => {
                format!("`year: {year}` disagrees with `published: {date}`; keep only `published`")
            }
            Problem::NotDate { value } => format!(
                "`{value}` is not a date: write it as YYYY-MM-DD, e.g. 2019-06-14, or use `year: 2019`"
            ),
            Problem::NotYear { value } => {
                format!("`{value}` is not a year: write four digits, e.g. `year: 2019`")
            }
            Problem::DateMissing => {
                "the date is missing: add `published: YYYY-MM-DD` or `year: YYYY`".into()
            }
            Problem::Incomplete => "the resource is incomplete".into(),
        }
    }
}
