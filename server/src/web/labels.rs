//! Human labels for facet values: vocabulary labels, region paths, tags.

use kb_indexer::vocabulary::Vocabularies;

/// Name of a facet for people ("Offer", "Type", ...).
pub fn facet_name(facet: &str) -> &'static str {
    match facet {
        "offer" => "Offer",
        "type" => "Type",
        "region" => "Region",
        "organisation" => "Organisation",
        "language" => "Language",
        "tag" => "Tag",
        "year" => "Year",
        _ => "Filter",
    }
}

/// A region with its ancestors, e.g. "England › North West".
pub fn region_path(vocab: &Vocabularies, slug: &str) -> String {
    vocab
        .regions
        .path(slug)
        .iter()
        .map(|s| vocab.regions.label(s).to_string())
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
        "offer" => vocab.offers.label(value).to_string(),
        "type" => vocab.types.label(value).to_string(),
        "region" => region_path(vocab, value),
        "language" => vocab.languages.label(value).to_string(),
        "tag" => tag(value),
        _ => value.to_string(),
    }
}
