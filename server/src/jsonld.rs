//! schema.org JSON-LD for a resource page, so search engines and partner
//! crawlers read the same metadata the API gives.

use serde_json::{Value, json};

use crate::search::ResourceView;

/// The schema.org type for a resource type slug.
fn schema_type(resource_type: &str) -> &'static str {
    match resource_type {
        "article" | "case-study" => "Article",
        "report" | "evaluation" => "Report",
        "video" => "VideoObject",
        _ => "CreativeWork",
    }
}

/// A licence URL for common SPDX identifiers; schema.org prefers URLs.
fn licence_url(licence: &str) -> Option<String> {
    let lower = licence.to_ascii_lowercase();
    if lower == "cc0-1.0" {
        return Some("https://creativecommons.org/publicdomain/zero/1.0/".into());
    }
    if lower == "ogl-uk-3.0" {
        return Some(
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/".into(),
        );
    }
    let rest = lower.strip_prefix("cc-")?;
    let (kind, version) = rest.rsplit_once('-')?;
    let known = ["by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"];
    let version_ok = version.chars().all(|c| c.is_ascii_digit() || c == '.');
    (known.contains(&kind) && version_ok)
        .then(|| format!("https://creativecommons.org/licenses/{kind}/{version}/"))
}

/// The schema.org `CreativeWork` (or `Article`, `Report`, `VideoObject`)
/// describing a resource, with absolute URLs under `base_url`.
pub fn json_ld(view: &ResourceView, base_url: &str) -> Value {
    let base = base_url.trim_end_matches('/');
    let r = &view.resource;
    let label = |slug: &str| {
        view.labels
            .get(slug)
            .cloned()
            .unwrap_or_else(|| slug.to_string())
    };
    let url = format!("{base}{}", view.url);
    let organisation = json!({"@type": "Organization", "name": r.organisation});
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": schema_type(&r.resource_type),
        "@id": url,
        "url": url,
        "name": r.title,
        "headline": r.title,
        "description": r.summary,
        "about": r.offers.iter().map(|o| json!({
            "@type": "DefinedTerm",
            "name": label(o),
            "termCode": o,
        })).collect::<Vec<_>>(),
        "genre": label(&r.resource_type),
        "datePublished": r.published.clone().unwrap_or_else(|| r.year.to_string()),
        "author": organisation,
        "publisher": organisation,
        "spatialCoverage": {"@type": "Place", "name": label(&r.region)},
        "inLanguage": r.language,
        "keywords": r.tags,
    });
    if let Some(licence) = &r.licence {
        ld["license"] = json!(licence_url(licence).unwrap_or_else(|| licence.clone()));
    }
    if let Some(source) = &r.source_url {
        ld["isBasedOn"] = json!(source);
    }
    ld
}

/// [`json_ld`] as text safe inside `<script type="application/ld+json">`:
/// `<`, `>` and `&` are written as JSON escapes so no value can close the
/// script element.
pub fn json_ld_script(view: &ResourceView, base_url: &str) -> String {
    json_ld(view, base_url)
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use kb_indexer::resource::Resource;
    use kb_indexer::vocabulary::Vocabularies;

    fn view() -> ResourceView {
        let vocab = Vocabularies::from_toml(
            include_str!("../../corpus/vocabularies.toml"),
            "vocabularies.toml",
        )
        .expect("vocabularies");
        let resource = Resource {
            meta: kb_indexer::resource::Metadata {
                id: "2019/reading-friends".into(),
                title: "Reading Friends </script><b>".into(),
                summary: "Weekly groups.".into(),
                offers: vec!["reading".into(), "health-and-wellbeing".into()],
                resource_type: "case-study".into(),
                published: Some("2019-06-14".into()),
                year: 2019,
                region: "north-west".into(),
                organisation: "A county library service".into(),
                tags: vec!["dementia".into()],
                language: "en".into(),
            },
            source_url: Some("https://example.org/report".into()),
            contributor: None,
            licence: Some("CC-BY-4.0".into()),
            sample: false,
            body: "Body".into(),
        };
        ResourceView::new(resource, &vocab, Vec::new())
    }

    /// Every property the brief names is present, with labels rather than
    /// slugs and absolute URLs, so rich results show readable values.
    #[test]
    fn describes_the_resource() {
        let ld = json_ld(&view(), "https://kb.example.org/");
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(ld["@type"], "Article");
        assert_eq!(
            ld["url"],
            "https://kb.example.org/resources/2019/reading-friends"
        );
        assert_eq!(ld["description"], "Weekly groups.");
        assert_eq!(ld["about"][0]["name"], "Reading");
        assert_eq!(ld["about"][1]["name"], "Health and Wellbeing");
        assert_eq!(ld["datePublished"], "2019-06-14");
        assert_eq!(ld["publisher"]["@type"], "Organization");
        assert_eq!(ld["publisher"]["name"], "A county library service");
        assert_eq!(ld["spatialCoverage"]["@type"], "Place");
        assert_eq!(ld["spatialCoverage"]["name"], "North West");
        assert_eq!(ld["inLanguage"], "en");
        assert_eq!(
            ld["license"],
            "https://creativecommons.org/licenses/by/4.0/"
        );
        assert_eq!(ld["keywords"][0], "dementia");
    }

    /// Text that could close the script element is escaped, and the escaped
    /// text still parses to the same JSON.
    #[test]
    fn script_text_cannot_break_out() {
        let text = json_ld_script(&view(), "https://kb.example.org");
        assert!(!text.contains("</script>") && !text.contains('<'));
        let parsed: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(parsed["name"], "Reading Friends </script><b>");
    }
}
