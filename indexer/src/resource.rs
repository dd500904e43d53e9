//! The resource model and the field rules every resource must satisfy.
//!
//! Validation works on a JSON-like map of fields so that a corpus file's front
//! matter and a contributor's API submission go through exactly the same
//! rules and get the same messages. All problems are collected, never just
//! the first.
//!
//! [`Metadata`] is the one declaration of the descriptive fields: the
//! [`Resource`] flattens it, and so do the server's search hit and export
//! row; its `utoipa` schema is the OpenAPI document's `ResourceMetadata`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::problem::{Problem, ValueKind, VocabularyKind};
use crate::vocabulary::{Vocabularies, Vocabulary};

/// Longest accepted title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest accepted summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 600;
/// Most tags a resource may carry.
pub const MAX_TAGS: usize = 20;
/// Longest accepted tag, in characters.
pub const MAX_TAG_CHARS: usize = 50;
/// Earliest year accepted for `published` or `year`.
pub const MIN_YEAR: i32 = 1850;

/// Every front-matter field the product knows, in the order files use them.
pub const FIELDS: &[&str] = &[
    "id",
    "title",
    "summary",
    "offers",
    "type",
    "published",
    "year",
    "region",
    "organisation",
    "tags",
    "language",
    "source_url",
    "contributor",
    "licence",
    "sample",
];

/// The fields a contributor writes (the submission form's fields, in
/// order): every field of [`FIELDS`] but the first, `id` (made from the
/// title and year when not given), and the last, `sample` (the demo
/// catalogue's own flag).
pub const CONTRIBUTED_FIELDS: &[&str] = match FIELDS.split_first() {
    Some((_, rest)) => match rest.split_last() {
        Some((_, middle)) => middle,
        None => &[],
    },
    None => &[],
};

/// The fields every resource must have (besides its body): validation
/// names each one missing, and the API's submission schema marks them
/// required.
pub const REQUIRED_FIELDS: &[&str] = &[
    "title",
    "summary",
    "offers",
    "type",
    "region",
    "organisation",
];

// The resource, a search hit (`kb_server::search::Hit`) and an export row
// each flatten this type (`#[serde(flatten)]`), so the fields, their JSON
// names, their documentation (which is also the OpenAPI document's and the
// CSV export's data package's: one line each) and their schema are declared
// once, here. The fields are in the export's column order: the CSV columns
// are read from this schema, and the JSON export writes its keys in this
// order. A hit leaves out an unknown `published` where the others write
// `null`.
/// A resource's descriptive fields, as a resource, a search hit and an
/// export row all carry them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ResourceMetadata)]
pub struct Metadata {
    /// Stable resource id, the path of its page under /resources/.
    pub id: String,
    /// Title.
    pub title: String,
    /// One or two sentences.
    pub summary: String,
    /// Universal Library Offer slugs.
    #[schema(min_items = 1)]
    pub offers: Vec<String>,
    /// Resource type slug.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Publication year.
    pub year: i32,
    /// Publication date, when known to the day.
    #[schema(format = Date)]
    pub published: Option<String>,
    /// Region slug.
    pub region: String,
    /// Library service or body that wrote it.
    pub organisation: String,
    /// ISO 639-1 language code.
    pub language: String,
    /// Tag slugs.
    pub tags: Vec<String>,
}

// Its [`Metadata`] reads through `Deref`: `resource.title`.
/// A validated resource, ready to index or display: its descriptive fields,
/// then what only the full resource has (its front matter's other fields
/// and the Markdown body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ResourceFields)]
pub struct Resource {
    /// The descriptive fields.
    #[serde(flatten)]
    pub meta: Metadata,
    /// Link to the original, if any.
    pub source_url: Option<String>,
    /// Person who sent it, if given.
    pub contributor: Option<String>,
    /// Licence, e.g. `CC-BY-4.0`.
    pub licence: Option<String>,
    /// An illustrative example written for the demo, with invented figures
    /// and sources: pages say so, so no one quotes it as research.
    #[serde(default)]
    pub sample: bool,
    /// The Markdown body.
    pub body: String,
}

// A resource is its metadata plus a few fields: reading `resource.title`
// rather than `resource.meta.title` keeps the many readers of the model as
// they were.
impl std::ops::Deref for Resource {
    type Target = Metadata;

    fn deref(&self) -> &Metadata {
        &self.meta
    }
}

impl std::ops::DerefMut for Resource {
    fn deref_mut(&mut self) -> &mut Metadata {
        &mut self.meta
    }
}

/// One problem with one field; `field` is `None` for whole-resource problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Front-matter field name, or `body`.
    pub field: Option<String>,
    /// What is wrong and how to fix it, in words a contributor understands.
    pub message: String,
    /// Closest valid values, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// The same problem as a stable kind with its arguments, for wording
    /// it in another language.
    #[serde(skip)]
    pub problem: Problem,
}

impl FieldError {
    fn new(field: &str, problem: Problem) -> Self {
        Self {
            field: Some(field.to_string()),
            message: problem.english(field),
            suggestions: Vec::new(),
            problem,
        }
    }
}

impl Resource {
    /// Sort key for "newest first": `YYYYMMDD`, with `0000` for year-only dates.
    pub fn date_key(&self) -> i64 {
        match self.published.as_deref().and_then(parse_date) {
            Some((y, m, d)) => i64::from(y) * 10_000 + i64::from(m) * 100 + i64::from(d),
            None => i64::from(self.year) * 10_000,
        }
    }

    /// Front matter and body as a Markdown file, the corpus format.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("---\n");
        let mut line = |key: &str, value: String| {
            out.push_str(key);
            out.push_str(": ");
            out.push_str(&value);
            out.push('\n');
        };
        line("title", yaml_string(&self.title));
        line("summary", yaml_string(&self.summary));
        line("offers", yaml_list(&self.offers));
        line("type", self.resource_type.clone());
        match &self.published {
            Some(date) => line("published", date.clone()),
            None => line("year", self.year.to_string()),
        }
        line("region", self.region.clone());
        line("organisation", yaml_string(&self.organisation));
        line("tags", yaml_list(&self.tags));
        line("language", self.language.clone());
        if let Some(url) = &self.source_url {
            line("source_url", yaml_string(url));
        }
        if let Some(who) = &self.contributor {
            line("contributor", yaml_string(who));
        }
        if let Some(licence) = &self.licence {
            line("licence", yaml_string(licence));
        }
        if self.sample {
            line("sample", "true".to_string());
        }
        out.push_str("---\n");
        out.push_str(self.body.trim_end());
        out.push('\n');
        out
    }
}

fn yaml_string(value: &str) -> String {
    // JSON strings are valid YAML double-quoted scalars.
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
}

fn yaml_list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| yaml_string(v)).collect();
    format!("[{}]", items.join(", "))
}

/// Parse `YYYY-MM-DD` into its parts, checking the day exists.
pub fn parse_date(value: &str) -> Option<(i32, u8, u8)> {
    let mut parts = value.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month: u8 = m.parse().ok()?;
    let day: u8 = d.parse().ok()?;
    let month_enum = time::Month::try_from(month).ok()?;
    time::Date::from_calendar_date(year, month_enum, day).ok()?;
    Some((year, month, day))
}

fn current_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

/// Make a tag slug: lowercase words joined by hyphens.
pub fn tag_slug(tag: &str) -> String {
    let lowered = tag.trim().to_lowercase();
    let words: Vec<&str> = lowered
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join("-")
}

/// Check an id: lowercase slug segments separated by `/`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id.split('/').all(|segment| {
            !segment.is_empty()
                && segment
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        })
}

struct Reader<'a> {
    map: &'a Map<String, Value>,
    errors: Vec<FieldError>,
}

impl Reader<'_> {
    /// A text field of at most `max` characters; a missing or empty one is
    /// a problem when the field is one of [`REQUIRED_FIELDS`].
    fn text(&mut self, field: &str, max: usize) -> Option<String> {
        let required = REQUIRED_FIELDS.contains(&field);
        match self.map.get(field) {
            None | Some(Value::Null) => {
                if required {
                    self.errors.push(FieldError::new(field, Problem::Missing));
                }
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                if required {
                    self.errors.push(FieldError::new(field, Problem::Empty));
                }
                None
            }
            Some(Value::String(s)) => {
                let s = s.trim();
                if s.chars().count() > max {
                    self.errors.push(FieldError::new(
                        field,
                        Problem::TooLong {
                            chars: s.chars().count(),
                            max,
                        },
                    ));
                    return None;
                }
                if s.chars().any(|c| c.is_control() && c != '\t') {
                    self.errors
                        .push(FieldError::new(field, Problem::ControlCharacters));
                    return None;
                }
                Some(s.to_string())
            }
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(other) => {
                self.errors.push(FieldError::new(
                    field,
                    Problem::NotText {
                        found: ValueKind::of(other),
                    },
                ));
                None
            }
        }
    }

    /// A yes/no field: `true`/`false` (also as text); absent is `false`.
    fn flag(&mut self, field: &str) -> bool {
        match self.map.get(field) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("true") => true,
            Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("false") => false,
            Some(other) => {
                self.errors.push(FieldError::new(
                    field,
                    Problem::NotFlag {
                        found: ValueKind::of(other),
                    },
                ));
                false
            }
        }
    }

    fn list(&mut self, field: &str) -> Option<Vec<String>> {
        match self.map.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(
                s.split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(String::from)
                    .collect(),
            ),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Value::Number(n) => out.push(n.to_string()),
                        other => {
                            self.errors.push(FieldError::new(
                                field,
                                Problem::ListItemNotWord {
                                    found: ValueKind::of(other),
                                },
                            ));
                            return None;
                        }
                    }
                }
                Some(out)
            }
            Some(other) => {
                self.errors.push(FieldError::new(
                    field,
                    Problem::NotList {
                        found: ValueKind::of(other),
                    },
                ));
                None
            }
        }
    }

    fn controlled(
        &mut self,
        field: &str,
        value: &str,
        vocabulary: &Vocabulary,
        what: VocabularyKind,
    ) -> Option<String> {
        if let Some(term) = vocabulary.resolve(value) {
            return Some(term.slug.clone());
        }
        let suggestions: Vec<String> = vocabulary
            .closest(value)
            .into_iter()
            .map(String::from)
            .collect();
        let problem = Problem::UnknownValue {
            value: value.to_string(),
            vocabulary: what,
            suggestion: suggestions.first().cloned(),
            valid: vocabulary.terms().iter().map(|t| t.slug.clone()).collect(),
        };
        self.errors.push(FieldError {
            suggestions,
            ..FieldError::new(field, problem)
        });
        None
    }
}

/// Validate a resource given as fields plus a Markdown body.
///
/// `default_id` is used when the fields carry no `id` (corpus files use their path).
pub fn validate(
    fields: &Map<String, Value>,
    body: &str,
    default_id: &str,
    vocab: &Vocabularies,
) -> Result<Resource, Vec<FieldError>> {
    let mut r = Reader {
        map: fields,
        errors: Vec::new(),
    };

    for key in fields.keys() {
        if !FIELDS.contains(&key.as_str()) && key != "body" {
            let closest = FIELDS
                .iter()
                .map(|f| (strsim::jaro_winkler(key, f), *f))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .filter(|(score, _)| *score > 0.75)
                .map(|(_, f)| f);
            r.errors.push(FieldError {
                suggestions: closest.map(|f| vec![f.to_string()]).unwrap_or_default(),
                ..FieldError::new(
                    key,
                    Problem::UnknownField {
                        closest: closest.map(String::from),
                    },
                )
            });
        }
    }

    let id = match r.text("id", 200) {
        Some(id) if !valid_id(&id) => {
            r.errors
                .push(FieldError::new("id", Problem::InvalidId { id: id.clone() }));
            String::new()
        }
        Some(id) => id,
        None => default_id.to_string(),
    };
    let title = r.text("title", MAX_TITLE_CHARS);
    let summary = r.text("summary", MAX_SUMMARY_CHARS);

    let offers = match r.list("offers") {
        None if !r
            .errors
            .iter()
            .any(|e| e.field.as_deref() == Some("offers")) =>
        {
            r.errors
                .push(FieldError::new("offers", Problem::OffersMissing));
            None
        }
        Some(list) if list.is_empty() => {
            r.errors
                .push(FieldError::new("offers", Problem::OffersEmpty));
            None
        }
        Some(list) => {
            let mut slugs = Vec::new();
            for value in list {
                if let Some(slug) =
                    r.controlled("offers", &value, &vocab.offers, VocabularyKind::Offer)
                    && !slugs.contains(&slug)
                {
                    slugs.push(slug);
                }
            }
            Some(slugs)
        }
        None => None,
    };

    let resource_type = r
        .text("type", 100)
        .and_then(|v| r.controlled("type", &v, &vocab.types, VocabularyKind::ResourceType));
    let region = r
        .text("region", 100)
        .and_then(|v| r.controlled("region", &v, &vocab.regions, VocabularyKind::Region));
    let language = match r.text("language", 50) {
        Some(v) => r.controlled("language", &v, &vocab.languages, VocabularyKind::Language),
        None => Some("en".to_string()),
    };
    let organisation = r.text("organisation", 200);

    let (published, year) = read_date(&mut r);

    let tags = match r.list("tags") {
        Some(list) => {
            if list.len() > MAX_TAGS {
                r.errors.push(FieldError::new(
                    "tags",
                    Problem::TooManyTags {
                        count: list.len(),
                        max: MAX_TAGS,
                    },
                ));
            }
            let mut slugs: Vec<String> = Vec::new();
            for tag in list.iter().take(MAX_TAGS) {
                let slug = tag_slug(tag);
                if slug.is_empty() || slug.chars().count() > MAX_TAG_CHARS {
                    r.errors.push(FieldError::new(
                        "tags",
                        Problem::BadTag {
                            tag: tag.clone(),
                            max: MAX_TAG_CHARS,
                        },
                    ));
                } else if !slugs.contains(&slug) {
                    slugs.push(slug);
                }
            }
            slugs
        }
        None => Vec::new(),
    };

    let source_url = r.text("source_url", 2000);
    if let Some(url) = &source_url {
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() > 10
            && !url.chars().any(char::is_whitespace);
        if !ok {
            r.errors.push(FieldError::new(
                "source_url",
                Problem::NotWebAddress { url: url.clone() },
            ));
        }
    }
    let contributor = r.text("contributor", 200);
    let licence = r.text("licence", 100);
    let sample = r.flag("sample");

    if body.trim().is_empty() {
        r.errors.push(FieldError::new("body", Problem::BodyEmpty));
    }

    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    match (
        title,
        summary,
        offers,
        resource_type,
        year,
        region,
        organisation,
        language,
    ) {
        (
            Some(title),
            Some(summary),
            Some(offers),
            Some(resource_type),
            Some(year),
            Some(region),
            Some(organisation),
            Some(language),
        ) => Ok(Resource {
            meta: Metadata {
                id,
                title,
                summary,
                offers,
                resource_type,
                year,
                published,
                region,
                organisation,
                language,
                tags,
            },
            source_url,
            contributor,
            licence,
            sample,
            body: body.to_string(),
        }),
        // Every `None` above pushed an error, so this arm is unreachable in
        // practice; answer with an error rather than panic all the same.
        _ => Err(vec![FieldError {
            field: None,
            message: Problem::Incomplete.english("resource"),
            suggestions: Vec::new(),
            problem: Problem::Incomplete,
        }]),
    }
}

fn read_date(r: &mut Reader<'_>) -> (Option<String>, Option<i32>) {
    let max_year = current_year() + 1;
    let check_year = |r: &mut Reader<'_>, field: &str, year: i32| {
        if (MIN_YEAR..=max_year).contains(&year) {
            Some(year)
        } else {
            r.errors.push(FieldError::new(
                field,
                Problem::YearOutOfRange {
                    year,
                    min: MIN_YEAR,
                    max: max_year,
                },
            ));
            None
        }
    };
    let published = r.text("published", 40);
    let year_value = r.text("year", 10);
    match (published, year_value) {
        (Some(date), year_value) => match parse_date(&date) {
            Some((y, _, _)) => {
                let year = check_year(r, "published", y);
                if let Some(given) = year_value.and_then(|v| v.parse::<i32>().ok())
                    && Some(given) != year
                {
                    r.errors.push(FieldError::new(
                        "year",
                        Problem::YearDisagrees {
                            year: given,
                            date: date.clone(),
                        },
                    ));
                }
                (Some(date), year)
            }
            None => {
                r.errors.push(FieldError::new(
                    "published",
                    Problem::NotDate {
                        value: date.clone(),
                    },
                ));
                (None, None)
            }
        },
        (None, Some(value)) => match value.parse::<i32>() {
            Ok(year) => (None, check_year(r, "year", year)),
            Err(_) => {
                r.errors
                    .push(FieldError::new("year", Problem::NotYear { value }));
                (None, None)
            }
        },
        (None, None) => {
            if !r
                .errors
                .iter()
                .any(|e| matches!(e.field.as_deref(), Some("published" | "year")))
            {
                r.errors
                    .push(FieldError::new("published", Problem::DateMissing));
            }
            (None, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vocab() -> Vocabularies {
        Vocabularies::from_toml(include_str!("../../corpus/vocabularies.toml"), "v").expect("vocab")
    }

    fn fields(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    fn good() -> Value {
        json!({
            "title": "Reading Friends", "summary": "Groups.", "offers": ["Reading", "Health and Well-being"],
            "type": "Case studies", "published": "2019-06-14", "region": "North West England",
            "organisation": "A county library service", "tags": ["Reading Groups", "dementia"], "language": "English"
        })
    }

    /// Aliases are stored as slugs and tags become slugs, so facets stay clean.
    #[test]
    fn valid_resource_is_normalised() {
        let r = validate(&fields(good()), "Body", "2019/x", &vocab()).expect("valid");
        assert_eq!(r.offers, vec!["reading", "health-and-wellbeing"]);
        assert_eq!(r.resource_type, "case-study");
        assert_eq!(r.region, "north-west");
        assert_eq!(r.language, "en");
        assert_eq!(r.tags, vec!["reading-groups", "dementia"]);
        assert_eq!(r.year, 2019);
        assert_eq!(r.date_key(), 20190614);
        assert_eq!(r.id, "2019/x");
    }

    /// Exactly the required fields are named when missing: removing any one
    /// of them is refused with that field's name, removing any other
    /// contributed field is not. (The date is `published` or `year`: with
    /// both given, either may go.)
    #[test]
    fn required_fields_are_the_ones_refused_when_missing() {
        for field in CONTRIBUTED_FIELDS {
            let mut f = fields(good());
            f.insert("year".into(), json!("2019"));
            f.remove(*field);
            let missing = match validate(&f, "Body", "2019/x", &vocab()) {
                Ok(_) => false,
                Err(errors) => errors.iter().any(|e| e.field.as_deref() == Some(*field)),
            };
            assert_eq!(missing, REQUIRED_FIELDS.contains(field), "{field}");
        }
    }

    /// The contributed fields are every field but the derived `id` and the
    /// demo's `sample` flag, in the same order.
    #[test]
    fn contributed_fields_leave_out_id_and_sample() {
        assert_eq!(CONTRIBUTED_FIELDS.len(), FIELDS.len() - 2);
        assert_eq!(FIELDS.first(), Some(&"id"));
        assert_eq!(FIELDS.last(), Some(&"sample"));
        assert_eq!(CONTRIBUTED_FIELDS, &FIELDS[1..FIELDS.len() - 1]);
        assert!(
            REQUIRED_FIELDS
                .iter()
                .all(|f| CONTRIBUTED_FIELDS.contains(f))
        );
    }

    /// The front-matter field list and the resource model agree: a
    /// resource's JSON keys are exactly [`FIELDS`] and its body, so a field
    /// added to the model and not to the list (or the reverse) fails here.
    #[test]
    fn fields_are_the_models_keys() {
        let r = validate(&fields(good()), "Body", "2019/x", &vocab()).expect("valid");
        let json = serde_json::to_value(&r).expect("json");
        let mut keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected: Vec<&str> = FIELDS.iter().copied().chain(["body"]).collect();
        keys.sort_unstable();
        expected.sort_unstable();
        assert_eq!(keys, expected);
    }

    /// A resource read back from its stored JSON (the flattened metadata
    /// included) is the same resource; stored JSON without `sample` reads
    /// as not a sample.
    #[test]
    fn stored_json_round_trip() {
        let mut f = fields(good());
        f.insert("sample".into(), json!(true));
        f.insert("source_url".into(), json!("https://example.org/report"));
        let r = validate(&f, "Body", "2019/x", &vocab()).expect("valid");
        let text = serde_json::to_string(&r).expect("json");
        let again: Resource = serde_json::from_str(&text).expect("reads back");
        assert_eq!(again, r);
        let mut older = serde_json::to_value(&r).expect("json");
        older.as_object_mut().expect("object").remove("sample");
        let again: Resource = serde_json::from_value(older).expect("reads back");
        assert!(!again.sample);
        assert_eq!(again.meta, r.meta);
    }

    /// Every bad field is reported in one pass, each with its own fix.
    #[test]
    fn all_errors_are_reported_at_once() {
        let mut f = fields(good());
        f.remove("title");
        f.insert("offers".into(), json!(["helth-and-wellbeing"]));
        f.insert("published".into(), json!("14/06/2019"));
        f.insert("regoin".into(), json!("x"));
        let errors = validate(&f, "  ", "x", &vocab()).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
        for expected in ["title", "offers", "published", "regoin", "body"] {
            assert!(
                fields.contains(&expected),
                "{expected} missing from {errors:?}"
            );
        }
        let offer = errors
            .iter()
            .find(|e| e.field.as_deref() == Some("offers"))
            .expect("offer error");
        assert!(
            offer
                .message
                .contains("did you mean `health-and-wellbeing`"),
            "{}",
            offer.message
        );
        let unknown = errors
            .iter()
            .find(|e| e.field.as_deref() == Some("regoin"))
            .expect("unknown");
        assert!(
            unknown.message.contains("did you mean `region`"),
            "{}",
            unknown.message
        );
    }

    /// Each problem carries a stable kind and its arguments, and its
    /// English message is worded from them, so other languages can word the
    /// same problem.
    #[test]
    fn problems_have_kinds_and_arguments() {
        let mut f = fields(good());
        f.remove("summary");
        f.insert("title".into(), json!("x".repeat(MAX_TITLE_CHARS + 1)));
        f.insert("type".into(), json!("case-stduy"));
        let errors = validate(&f, "", "x", &vocab()).expect_err("invalid");
        let kind = |field: &str| {
            errors
                .iter()
                .find(|e| e.field.as_deref() == Some(field))
                .map(|e| (e.problem.clone(), e.message.clone()))
                .expect(field)
        };
        assert_eq!(kind("summary").0, Problem::Missing);
        assert_eq!(kind("body").0, Problem::BodyEmpty);
        assert_eq!(
            kind("title").0,
            Problem::TooLong {
                chars: MAX_TITLE_CHARS + 1,
                max: MAX_TITLE_CHARS
            }
        );
        let (problem, message) = kind("type");
        assert_eq!(problem.code(), "unknown-value");
        match problem {
            Problem::UnknownValue {
                value,
                vocabulary,
                suggestion,
                valid,
            } => {
                assert_eq!(value, "case-stduy");
                assert_eq!(vocabulary, VocabularyKind::ResourceType);
                assert_eq!(suggestion.as_deref(), Some("case-study"));
                assert!(valid.contains(&"toolkit".to_string()));
            }
            other => panic!("{other:?}"),
        }
        assert!(message.contains("did you mean `case-study`"), "{message}");
        for e in &errors {
            assert_eq!(
                e.message,
                e.problem.english(e.field.as_deref().unwrap_or("resource"))
            );
        }
    }

    /// Impossible dates and out-of-range years are refused.
    #[test]
    fn bad_dates_are_refused() {
        assert!(parse_date("2019-02-30").is_none());
        assert!(parse_date("2019-2-3").is_none());
        let mut f = fields(good());
        f.remove("published");
        f.insert("year".into(), json!(3020));
        let errors = validate(&f, "Body", "x", &vocab()).expect_err("bad year");
        assert!(errors[0].message.contains("out of range"));
    }

    /// Writing a resource back to Markdown and reading it again gives the same resource.
    #[test]
    fn markdown_round_trip() {
        let mut f = fields(good());
        f.insert("title".into(), json!("Quotes \"and\": colons"));
        let r = validate(&f, "Body text\n", "2019/x", &vocab()).expect("valid");
        let text = r.to_markdown();
        let split = crate::front_matter::split(&text).expect("split");
        let map = crate::front_matter::parse(split.yaml, 2).expect("yaml");
        let again = validate(&map, split.body, "2019/x", &vocab()).expect("valid again");
        assert_eq!(again, r);
    }
}
