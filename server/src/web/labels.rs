//! Human labels for facet values, in the interface language: vocabulary
//! labels, region paths, tags.

use kb_indexer::vocabulary::{Vocabularies, Vocabulary};

use crate::i18n::{self, t};

/// Name of a facet for people ("Offer", "Cynnig", ...).
pub fn facet_name(facet: &str) -> String {
    match facet {
        "offer" | "type" | "region" | "organisation" | "language" | "tag" | "year" => {
            t(&format!("facet-{facet}"))
        }
        _ => t("facet-filter"),
    }
}

/// A vocabulary label in the interface language.
pub fn label<'a>(vocabulary: &'a Vocabulary, slug: &'a str) -> &'a str {
    vocabulary.label_in(slug, i18n::lang().code())
}

/// A region with its ancestors, e.g. "England › North West".
pub fn region_path(vocab: &Vocabularies, slug: &str) -> String {
    vocab
        .regions
        .path(slug)
        .iter()
        .map(|s| label(&vocab.regions, s).to_string())
        .collect::<Vec<_>>()
        .join(" › ")
}

/// A tag slug as words ("reading-groups" → "reading groups").
pub fn tag(slug: &str) -> String {
    slug.replace('-', " ")
}

/// The label of a value of a keyword facet.
pub fn value(vocab: &Vocabularies, facet: &str, value: &str) -> String {
    match facet {
        "offer" => label(&vocab.offers, value).to_string(),
        "type" => label(&vocab.types, value).to_string(),
        "region" => region_path(vocab, value),
        "language" => label(&vocab.languages, value).to_string(),
        "tag" => tag(value),
        _ => value.to_string(),
    }
}
