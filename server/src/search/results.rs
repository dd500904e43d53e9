//! The shapes search answers come in (serialised as the JSON API contract).
//! A hit and a resource view carry the indexer's `resource::Metadata`
//! flattened, as the export row does, so the shared fields are declared once.

use std::collections::BTreeMap;
use std::sync::Arc;

use kb_indexer::markdown;
use kb_indexer::resource::{Metadata, Resource};
use kb_indexer::vocabulary::Vocabularies;
use serde::Serialize;

use super::collector::Collected;
use super::facet::Facet;
use super::flat::{FACETS, YEAR};
use super::request::SearchRequest;

/// Most values listed for open-ended facets (organisation, tag), besides selected ones.
pub const MAX_OPEN_FACET_VALUES: usize = 40;

// Its [`Metadata`] reads through `Deref`: `hit.title`.
/// One search result: the resource's descriptive fields (without
/// `published` when the date is not known to the day), its page, score and
/// highlights.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    // Shared with the engine's parsed hits: showing a hit copies no field.
    /// The resource's descriptive fields; an unknown date is left out.
    #[serde(flatten, serialize_with = "without_unknown_date")]
    #[schema(value_type = Metadata)]
    pub meta: Arc<Metadata>,
    /// Page URL (path).
    pub url: String,
    /// An illustrative example with invented figures, not real research.
    pub sample: bool,
    /// Relevance score (0 when sorted otherwise).
    pub score: f32,
    /// HTML fragments with `<mark>` around matches; everything else escaped.
    pub highlights: BTreeMap<&'static str, String>,
    /// With `?lang=`: labels of the offers, type, region and language in
    /// that language, keyed by their codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
}

/// A hit's metadata as [`Metadata`] writes it, but without `published`
/// when the date is not known to the day: hits have always left it out,
/// where resources and exports write `null`. Only undated hits take the
/// detour through a JSON map (whose keys are in alphabetical order, as the
/// API writes them anyway).
fn without_unknown_date<S: serde::Serializer>(
    meta: &Arc<Metadata>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if meta.published.is_some() {
        return meta.serialize(serializer);
    }
    let mut fields = serde_json::to_value(&**meta).map_err(serde::ser::Error::custom)?;
    if let Some(map) = fields.as_object_mut() {
        map.remove("published");
    }
    fields.serialize(serializer)
}

// A hit is a resource's metadata plus a few fields: readers write
// `hit.title`, as they do for a resource.
impl std::ops::Deref for Hit {
    type Target = Metadata;

    fn deref(&self) -> &Metadata {
        &self.meta
    }
}

impl std::ops::DerefMut for Hit {
    fn deref_mut(&mut self) -> &mut Metadata {
        Arc::make_mut(&mut self.meta)
    }
}

impl Hit {
    /// A hit from a stored resource.
    pub fn new(r: &Resource, score: f32, highlights: BTreeMap<&'static str, String>) -> Self {
        Self::shown(Arc::new(r.meta.clone()), r.sample, score, highlights)
    }

    /// A hit from a resource's shared descriptive fields and sample flag.
    pub fn shown(
        meta: Arc<Metadata>,
        sample: bool,
        score: f32,
        highlights: BTreeMap<&'static str, String>,
    ) -> Self {
        Self {
            url: format!("/resources/{}", meta.id),
            sample,
            meta,
            score: (score * 1000.0).round() / 1000.0,
            highlights,
            labels: None,
        }
    }
}

/// A page of hits, each written by [`HitInKeyOrder`].
fn hits_in_key_order<S: serde::Serializer>(hits: &[Hit], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(hits.iter().map(HitInKeyOrder))
}

/// A hit written with its keys in order: the same keys and values as
/// [`Hit`]'s own serialisation (its metadata flattened, an unknown date
/// left out), which a writer must otherwise sort. Naming every field of
/// [`Metadata`] below makes a new field a compile error here; a test
/// compares the two writings.
struct HitInKeyOrder<'a>(&'a Hit);

impl Serialize for HitInKeyOrder<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let hit = self.0;
        let Metadata {
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
        } = &*hit.meta;
        let mut out = serializer.serialize_struct("Hit", 16)?;
        out.serialize_field("highlights", &hit.highlights)?;
        out.serialize_field("id", id)?;
        if let Some(labels) = &hit.labels {
            out.serialize_field("labels", labels)?;
        }
        out.serialize_field("language", language)?;
        out.serialize_field("offers", offers)?;
        out.serialize_field("organisation", organisation)?;
        if let Some(published) = published {
            out.serialize_field("published", published)?;
        }
        out.serialize_field("region", region)?;
        out.serialize_field("sample", &hit.sample)?;
        out.serialize_field("score", &hit.score)?;
        out.serialize_field("summary", summary)?;
        out.serialize_field("tags", tags)?;
        out.serialize_field("title", title)?;
        out.serialize_field("type", resource_type)?;
        out.serialize_field("url", &hit.url)?;
        out.serialize_field("year", year)?;
        out.end()
    }
}

/// The schema of [`FacetValue::value`]: a slug, or a number for years.
fn string_or_integer() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![Type::String, Type::Integer]))
        .description(Some(
            "The value to pass back as a filter (a number for years)",
        ))
        .build()
}

/// One facet value with its count.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct FacetValue {
    // In key order, as answers write them: the JSON writer then has
    // nothing to sort (`crate::json`).
    /// Matching resources if this value were (also) selected.
    pub count: u64,
    /// Human-readable label.
    pub label: String,
    /// Parent value, for hierarchical facets (regions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Whether the request selects it.
    pub selected: bool,
    /// The value to pass back as a filter (a number for years).
    #[schema(schema_with = string_or_integer)]
    pub value: serde_json::Value,
}

/// All facets, in the contract's order.
#[derive(Debug, Clone, Serialize, Default, utoipa::ToSchema)]
pub struct Facets {
    // In key order, as answers write them (see `SearchResults`).
    /// Languages.
    pub language: Vec<FacetValue>,
    /// Offers.
    pub offer: Vec<FacetValue>,
    /// Organisations.
    pub organisation: Vec<FacetValue>,
    /// Regions, with parents.
    pub region: Vec<FacetValue>,
    /// Tags.
    pub tag: Vec<FacetValue>,
    /// Types.
    #[serde(rename = "type")]
    pub resource_type: Vec<FacetValue>,
    /// Years, newest first.
    pub year: Vec<FacetValue>,
}

impl Facets {
    /// Label the vocabulary facets (offer, type, region, language) in an
    /// interface language (`en`, `cy`); values stay the English codes.
    pub fn relabel(&mut self, vocab: &Vocabularies, lang: &str) {
        for (values, vocabulary) in [
            (&mut self.offer, &vocab.offers),
            (&mut self.resource_type, &vocab.types),
            (&mut self.region, &vocab.regions),
            (&mut self.language, &vocab.languages),
        ] {
            for v in values.iter_mut() {
                if let Some(code) = v.value.as_str() {
                    v.label = vocabulary.label_in(code, lang).to_string();
                }
            }
        }
    }
}

/// A search answer.
// Fields in key order, as answers write them: every object of a search
// answer is, so it is written without sorting (`crate::json::to_vec_in_key_order`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// The query with misspelt words corrected, when any were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
    /// Disjunctive facet counts.
    pub facets: Facets,
    /// This page of hits.
    #[serde(serialize_with = "hits_in_key_order")]
    pub hits: Vec<Hit>,
    /// With `?lang=`: the language of the labels (`en` or `cy`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<&'static str>,
    /// 1-based page.
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
    /// Time spent searching, in milliseconds.
    pub took_ms: f64,
    /// Resources matching query and filters.
    pub total: u64,
}

/// A completion for the search box.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// Text to show (and search for).
    pub text: String,
    /// `title` (a resource) or `term` (a word).
    pub kind: &'static str,
    /// The resource page, for titles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

// The answer of `/api/v1/resources/{id}`, named `Resource` in the OpenAPI
// document (where the indexer's `Resource` is `ResourceFields`).
/// A full resource for display: its fields, Markdown body included, its
/// page, the body as HTML, labels and related resources.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = Resource)]
pub struct ResourceView {
    /// The resource's fields (including the Markdown `body`).
    #[serde(flatten)]
    pub resource: Resource,
    /// Page URL (path).
    pub url: String,
    /// Sanitised HTML of the body.
    pub body_html: String,
    /// Labels of the offers, type, region and language.
    pub labels: BTreeMap<String, String>,
    /// Similar resources.
    pub related: Vec<Hit>,
    /// The attached PDF, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment: Option<AttachmentView>,
}

/// A resource's attached file, for pages and partners.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    /// Path of the file on this site.
    pub url: String,
    /// Media type.
    #[serde(rename = "type")]
    pub media_type: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Number of pages.
    pub pages: u32,
    /// Whether it has a text layer (readable by screen readers, searchable).
    pub has_text_layer: bool,
}

impl ResourceView {
    /// Path of the attached file, when there is one.
    pub fn attachment_url(&self) -> Option<String> {
        self.attachment.as_ref().map(|a| a.url.clone())
    }
}

/// Labels of a resource's offers, type, region and language in an
/// interface language (`en`, `cy`), keyed by their codes.
pub fn labels_in(
    offers: &[String],
    resource_type: &str,
    region: &str,
    language: &str,
    vocab: &Vocabularies,
    lang: &str,
) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    for offer in offers {
        labels.insert(
            offer.clone(),
            vocab.offers.label_in(offer, lang).to_string(),
        );
    }
    for (code, vocabulary) in [
        (resource_type, &vocab.types),
        (region, &vocab.regions),
        (language, &vocab.languages),
    ] {
        labels.insert(
            code.to_string(),
            vocabulary.label_in(code, lang).to_string(),
        );
    }
    labels
}

impl ResourceView {
    /// Render a resource for display.
    pub fn new(resource: Resource, vocab: &Vocabularies, related: Vec<Hit>) -> Self {
        let labels = labels_in(
            &resource.offers,
            &resource.resource_type,
            &resource.region,
            &resource.language,
            vocab,
            "en",
        );
        Self {
            url: format!("/resources/{}", resource.id),
            body_html: markdown::to_html(&resource.body),
            resource,
            labels,
            related,
            attachment: None,
        }
    }
}

/// Turn raw counts into facet lists, keeping every selected value.
pub(super) fn facets(req: &SearchRequest, collected: &Collected, vocab: &Vocabularies) -> Facets {
    let dict = &collected.dict;
    // Counted values per facet, in one pass over the ids.
    let mut counted: Vec<Vec<(&str, u64)>> = vec![Vec::new(); FACETS];
    for (id, &n) in collected.counts.iter().enumerate() {
        if n > 0 {
            counted[dict.facet(id)].push((dict.names[id].as_str(), u64::from(n)));
        }
    }
    let mut lists: Vec<Vec<FacetValue>> = Vec::new();
    for (facet, selected) in req.filters.iter() {
        let counts = &counted[facet.index()];
        let vocabulary = match facet {
            Facet::Offer => Some(&vocab.offers),
            Facet::Type => Some(&vocab.types),
            Facet::Region => Some(&vocab.regions),
            Facet::Language => Some(&vocab.languages),
            Facet::Organisation | Facet::Tag | Facet::Year => None,
        };
        let value_of = |value: &str, count: u64, selected: bool| FacetValue {
            value: serde_json::Value::String(value.to_string()),
            label: vocabulary.map_or_else(|| value.to_string(), |v| v.label(value).to_string()),
            count,
            selected,
            parent: vocabulary
                .and_then(|v| v.get(value))
                .and_then(|t| t.parent.clone()),
        };
        let mut values: Vec<FacetValue> = if vocabulary.is_none() {
            // Open lists (organisations, tags) can be long: label only what is shown.
            let order =
                |a: &&(&str, u64), b: &&(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
            let mut top: Vec<&(&str, u64)> = counts.iter().collect();
            if top.len() > MAX_OPEN_FACET_VALUES {
                top.select_nth_unstable_by(MAX_OPEN_FACET_VALUES, order);
                let (head, rest) = top.split_at_mut(MAX_OPEN_FACET_VALUES);
                // Selected values stay listed wherever they rank.
                let mut kept: Vec<&(&str, u64)> = head.to_vec();
                kept.extend(rest.iter().filter(|(v, _)| selected.iter().any(|s| s == v)));
                top = kept;
            }
            top.sort_by(order);
            top.into_iter()
                .map(|&(value, count)| value_of(value, count, selected.iter().any(|s| s == value)))
                .collect()
        } else {
            let mut all: Vec<FacetValue> = counts
                .iter()
                .map(|&(value, count)| value_of(value, count, selected.iter().any(|s| s == value)))
                .collect();
            all.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
            all
        };
        for value in selected {
            if !counts.iter().any(|(v, _)| v == value) {
                values.push(value_of(value, 0, true));
            }
        }
        lists.push(values);
    }
    let mut years: Vec<FacetValue> = counted[YEAR]
        .iter()
        .filter_map(|&(name, count)| {
            let year: u64 = name.parse().ok()?;
            Some(FacetValue {
                value: serde_json::Value::from(year),
                label: year.to_string(),
                count,
                selected: (req.year_from.is_some() || req.year_to.is_some())
                    && req.year_from.is_none_or(|f| year >= f)
                    && req.year_to.is_none_or(|t| year <= t),
                parent: None,
            })
        })
        .collect();
    years.sort_by(|a, b| b.label.cmp(&a.label));
    let mut lists = lists.into_iter();
    let mut next = || lists.next().unwrap_or_default();
    Facets {
        offer: next(),
        resource_type: next(),
        region: next(),
        organisation: next(),
        language: next(),
        tag: next(),
        year: years,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(published: Option<&str>) -> Hit {
        let mut r = kb_indexer::eval::as_resource(
            "2019/reading-friends".into(),
            "Reading Friends".into(),
            String::new(),
            "en",
        );
        r.published = published.map(String::from);
        Hit::new(&r, 1.0, BTreeMap::new())
    }

    fn keys(hit: &Hit) -> Vec<String> {
        let json = serde_json::to_value(hit).expect("json");
        let mut keys: Vec<String> = json.as_object().expect("object").keys().cloned().collect();
        keys.sort_unstable();
        keys
    }

    /// A hit writes the metadata's fields and its own, and leaves
    /// `published` out when the date is not known to the day (a resource
    /// and an export row write `null` there).
    #[test]
    fn undated_hits_leave_out_published() {
        let dated = keys(&hit(Some("2019-06-14")));
        assert!(dated.iter().any(|k| k == "published"));
        let undated = keys(&hit(None));
        let without: Vec<String> = dated.into_iter().filter(|k| k != "published").collect();
        assert_eq!(undated, without);
        let json = serde_json::to_value(hit(Some("2019-06-14"))).expect("json");
        assert_eq!(json["published"], "2019-06-14");
        assert_eq!(json["title"], "Reading Friends");
        assert_eq!(json["url"], "/resources/2019/reading-friends");
    }

    /// Written in key order, a hit has the same keys and values as its own
    /// serialisation, dated or not, with labels and highlights or without;
    /// and the JSON writer's two ways give the same bytes.
    #[test]
    fn hits_in_key_order_write_what_hits_write() {
        let mut labelled = hit(Some("2019-06-14"));
        labelled.labels = Some(BTreeMap::from([("en".into(), "Saesneg".into())]));
        labelled.highlights = BTreeMap::from([
            ("title", "<mark>Reading</mark> Friends".into()),
            ("body", "\"quoted\" \\ text".into()),
        ]);
        labelled.tags = vec!["reading-groups".into(), "older-people".into()];
        for one in [hit(None), hit(Some("2019-06-14")), labelled] {
            assert_eq!(
                serde_json::to_value(HitInKeyOrder(&one)).expect("json"),
                serde_json::to_value(&one).expect("json")
            );
            let page = SearchResults {
                did_you_mean: Some("reading".into()),
                facets: Facets::default(),
                hits: vec![one],
                lang: Some("cy"),
                page: 1,
                per_page: 20,
                took_ms: 1.5,
                total: 1,
            };
            assert_eq!(
                crate::json::to_vec_in_key_order(&page).expect("written"),
                crate::json::to_vec(&page).expect("written")
            );
        }
    }
}
