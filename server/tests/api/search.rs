//! Search behaviour: ranking, facets, filters, syntax, typos, synonyms, sorting, paging.

use std::collections::HashMap;

use kb_indexer::corpus::Corpus;
use kb_indexer::resource::Resource;
use kb_indexer::schema::FACETS;
use serde_json::Value;

use crate::helpers::{corpus_dir, ids, search};

fn facet_values(r: &Resource, facet: &str, corpus: &Corpus) -> Vec<String> {
    match facet {
        "offer" => r.offers.clone(),
        "type" => vec![r.resource_type.clone()],
        "region" => corpus.vocab.regions.path(&r.region),
        "organisation" => vec![r.organisation.clone()],
        "language" => vec![r.language.clone()],
        "tag" => r.tags.clone(),
        "year" => vec![r.year.to_string()],
        _ => Vec::new(),
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The example request from the issue answers in the contract's shape, with
/// dementia reading-group resources first and every hit inside the filters.
#[tokio::test]
async fn example_query_has_the_contract_shape() {
    let v = search("q=dementia%20reading%20groups&offer=health-and-wellbeing&year_from=2018").await;
    for key in ["total", "page", "per_page", "took_ms", "hits", "facets"] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    for facet in FACETS {
        assert!(v["facets"][facet].is_array(), "facet {facet} missing");
    }
    let hits = v["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    for hit in hits {
        for key in [
            "id",
            "title",
            "summary",
            "offers",
            "type",
            "year",
            "region",
            "organisation",
            "language",
            "url",
            "score",
            "highlights",
        ] {
            assert!(hit.get(key).is_some(), "hit lacks {key}: {hit}");
        }
        assert!(
            hit["offers"]
                .as_array()
                .expect("offers")
                .iter()
                .any(|o| o == "health-and-wellbeing")
        );
        assert!(hit["year"].as_i64().expect("year") >= 2018);
    }
    let top_title = hits[0]["title"].as_str().expect("title").to_lowercase();
    assert!(
        top_title.contains("dementia") && top_title.contains("reading"),
        "top hit: {top_title}"
    );
    assert!(
        hits[0]["highlights"]["title"]
            .as_str()
            .expect("title highlight")
            .contains("<mark>")
    );
}

/// Disjunctive facet counts equal counts computed by brute force over the
/// corpus: each facet counts with every filter except its own. Checked for
/// the whole corpus and for a few and some resources picked by id, as the
/// server counts a small match set document by document and a large one
/// value by value.
#[tokio::test]
async fn facet_counts_match_brute_force() {
    let corpus = Corpus::load(&corpus_dir()).expect("corpus");
    let all: Vec<&Resource> = corpus.entries.iter().map(|e| &e.resource).collect();
    let some: Vec<&Resource> = all.iter().step_by(4).take(18).copied().collect();
    let few: Vec<&Resource> = all.iter().step_by(9).take(4).copied().collect();
    for subset in [all.clone(), some, few] {
        let q = if subset.len() == all.len() {
            String::new()
        } else {
            subset
                .iter()
                .map(|r| format!("id:\"{}\"", r.id))
                .collect::<Vec<_>>()
                .join(" ")
        };
        check_facets(&corpus, &subset, &q).await;
    }
}

async fn check_facets(corpus: &Corpus, subset: &[&Resource], q: &str) {
    let filters: Vec<(&str, Vec<&str>)> = vec![
        ("offer", vec!["reading", "culture-and-creativity"]),
        ("region", vec!["england"]),
        ("type", vec!["case-study", "report", "guide"]),
    ];
    let (year_from, year_to) = (2017, 2024);
    let query = format!(
        "q={}&offer=reading&offer=culture-and-creativity&region=england&type=case-study&type=report&type=guide&year_from=2017&year_to=2024&per_page=100",
        percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
    );
    let v = search(&query).await;

    let passes = |r: &Resource, skip: &str| -> bool {
        filters
            .iter()
            .filter(|(f, _)| *f != skip)
            .all(|(f, wanted)| {
                facet_values(r, f, corpus)
                    .iter()
                    .any(|value| wanted.contains(&value.as_str()))
            })
            && (skip == "year" || (year_from..=year_to).contains(&r.year))
    };
    let total = subset.iter().filter(|r| passes(r, "")).count();
    assert_eq!(v["total"].as_u64(), Some(total as u64), "{q}");
    assert_eq!(ids(&v).len(), total.min(100));

    for facet in FACETS {
        let mut expected: HashMap<String, u64> = HashMap::new();
        for r in subset.iter().filter(|r| passes(r, facet)) {
            for value in facet_values(r, facet, corpus) {
                *expected.entry(value).or_default() += 1;
            }
        }
        let listed = v["facets"][facet].as_array().expect("facet list");
        for entry in listed {
            let value = value_text(&entry["value"]);
            let count = entry["count"].as_u64().expect("count");
            assert_eq!(
                count,
                expected.get(&value).copied().unwrap_or(0),
                "facet {facet} value {value} for {q:?}"
            );
        }
        if facet != "tag" && facet != "organisation" {
            assert_eq!(
                listed
                    .iter()
                    .filter(|e| e["count"].as_u64() > Some(0))
                    .count(),
                expected.len(),
                "facet {facet} lists every value for {q:?}"
            );
        }
    }
}

/// A selected value is listed even when nothing matches it.
#[tokio::test]
async fn selected_values_are_listed_at_zero() {
    let v =
        search("q=dementia&tag=no-such-tag&offer=vision-and-print-impaired&region=international")
            .await;
    let tag = v["facets"]["tag"].as_array().expect("tags");
    assert!(
        tag.iter()
            .any(|e| e["value"] == "no-such-tag" && e["selected"] == true && e["count"] == 0),
        "{tag:?}"
    );
    assert_eq!(v["total"], 0);
}

/// `region=england` matches resources tagged with any English region.
#[tokio::test]
async fn region_filter_includes_sub_regions() {
    let v = search("region=england&per_page=100").await;
    let regions: Vec<&str> = v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["region"].as_str())
        .collect();
    assert!(
        regions.contains(&"north-west") && regions.contains(&"london"),
        "{regions:?}"
    );
    assert!(!regions.iter().any(|r| {
        [
            "wales",
            "scotland",
            "northern-ireland",
            "national",
            "international",
        ]
        .contains(r)
    }));
    let nw = v["facets"]["region"]
        .as_array()
        .expect("regions")
        .iter()
        .find(|e| e["value"] == "north-west")
        .cloned()
        .expect("north-west listed");
    assert_eq!(nw["parent"], "england");
}

/// The query syntax: phrases, exclusion, fields, prefixes and boolean operators.
#[tokio::test]
async fn query_syntax_works() {
    let phrase = search("q=%22reading%20groups%22&per_page=100").await;
    assert!(phrase["total"].as_u64() > Some(0));
    let words = search("q=reading%20groups&per_page=100").await;
    assert!(
        phrase["total"].as_u64() < words["total"].as_u64(),
        "a phrase is narrower than its words"
    );

    let with = search("q=dementia&per_page=100").await;
    let without = search("q=dementia%20-carers&per_page=100").await;
    assert!(without["total"].as_u64() < with["total"].as_u64());
    let not = search("q=dementia%20NOT%20carers&per_page=100").await;
    assert_eq!(not["total"], without["total"]);

    let and = search("q=dementia%20AND%20volunteers&per_page=100").await;
    let or = search("q=dementia%20OR%20volunteers&per_page=100").await;
    assert!(and["total"].as_u64() < or["total"].as_u64());

    let field = search("q=title:dementia&per_page=100").await;
    for hit in field["hits"].as_array().expect("hits") {
        assert!(
            hit["title"]
                .as_str()
                .expect("title")
                .to_lowercase()
                .contains("dementia")
        );
    }
    let offer = search("q=offer:%22Children's%20Promise%22&per_page=100").await;
    assert!(offer["total"].as_u64() > Some(0));
    for hit in offer["hits"].as_array().expect("hits") {
        assert!(
            hit["offers"]
                .as_array()
                .expect("offers")
                .iter()
                .any(|o| o == "childrens-promise")
        );
    }
    let prefix = search("q=demen*").await;
    assert_eq!(prefix["total"], with["total"]);
}

/// Misspelt words still find what they meant, below exact matches, and the
/// answer says what was searched; correctly spelt queries are not widened.
#[tokio::test]
async fn typos_are_tolerated() {
    let typo = search("q=dementa").await;
    assert_eq!(typo["did_you_mean"], "dementia");
    let exact = search("q=dementia").await;
    assert_eq!(typo["total"], exact["total"]);
    assert!(exact.get("did_you_mean").is_none());
    let typo = search("q=wellbeeing").await;
    assert_eq!(typo["did_you_mean"], "wellbeing");
    assert!(typo["total"].as_u64() > Some(0));
    // An exact word outranks a corrected one.
    let mixed = search("q=dementa%20makerspace").await;
    let first = &mixed["hits"][0];
    assert!(
        first["title"]
            .as_str()
            .expect("title")
            .to_lowercase()
            .contains("makerspace"),
        "{first}"
    );
}

/// Synonym groups match spelling variants both ways.
#[tokio::test]
async fn synonyms_match_variants() {
    let hyphen = search("q=well-being&per_page=100").await;
    let joined = search("q=wellbeing&per_page=100").await;
    assert_eq!(hyphen["total"], joined["total"]);
    assert!(joined["total"].as_u64() > Some(5));
    let adults = search("q=%22older%20adults%22&per_page=100").await;
    let people = search("q=%22older%20people%22&per_page=100").await;
    assert_eq!(adults["total"], people["total"]);
    assert!(people["total"].as_u64() > Some(2));
}

/// Sorting by date and title orders hits as asked; paging never repeats a hit.
#[tokio::test]
async fn sorting_and_paging() {
    let newest = search("sort=newest&per_page=100").await;
    let dates: Vec<String> = newest["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            h["published"]
                .as_str()
                .map_or_else(|| format!("{}-00-00", h["year"]), String::from)
        })
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let oldest = search("sort=oldest&per_page=100").await;
    let total = newest["total"].as_u64().expect("total");
    let last = search(&format!("sort=newest&per_page=1&page={total}")).await;
    assert_eq!(ids(&oldest).first(), ids(&last).first());
    let titles = search("sort=title&per_page=100").await;
    let names: Vec<String> = titles["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["title"].as_str().expect("t").to_lowercase())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");

    let page1 = ids(&search("q=library&per_page=10&page=1").await);
    let page2 = ids(&search("q=library&per_page=10&page=2").await);
    assert_eq!(page1.len(), 10);
    assert!(page2.iter().all(|id| !page1.contains(id)));
    let all = ids(&search("q=library&per_page=20").await);
    assert_eq!([page1, page2].concat(), all);
}

/// Highlights escape the text around `<mark>`, so a hostile query stays inert.
#[tokio::test]
async fn highlights_are_escaped() {
    let v = search("q=%3Cscript%3Ealert(1)%3C/script%3E%20dementia").await;
    let text = v["hits"].to_string();
    assert!(!text.contains("<script"), "{text}");
    assert!(text.contains("<mark>"));
}

/// A quoted phrase with a stop word in it still matches: the gap the
/// dropped word leaves in the index is kept in the query.
#[tokio::test]
async fn phrases_with_stop_words_match() {
    let v = search("q=%22reading%20for%20pleasure%22&per_page=100").await;
    assert!(v["total"].as_u64() > Some(0), "{v}");
    let with_gap = v["total"].as_u64();
    let wrong = search("q=%22reading%20pleasure%22&per_page=100").await;
    assert!(
        wrong["total"].as_u64() < with_gap,
        "a phrase without the gap is a different phrase"
    );
}

/// A JSON value that remembers the order its objects' keys came in.
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Scalar,
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = a.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered::Object(entries))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// Every object's keys, at every depth, in the order written; the count of
/// objects seen.
fn assert_sorted_keys(value: &Ordered, path: &str) -> usize {
    match value {
        Ordered::Object(entries) => {
            let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            assert_eq!(keys, sorted, "keys of {path} are not in alphabetical order");
            1 + entries
                .iter()
                .map(|(k, v)| assert_sorted_keys(v, &format!("{path}.{k}")))
                .sum::<usize>()
        }
        Ordered::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| assert_sorted_keys(v, &format!("{path}[{i}]")))
            .sum(),
        Ordered::Scalar => 0,
    }
}

/// The search and resource answers list every object's keys in alphabetical
/// order, as partners have always received them (hits, highlights, facets,
/// labels, related resources), in English and in Welsh; a hit's score is
/// written rounded to 0.001 (`15.802`), not widened (`15.802000045776367`).
#[tokio::test]
async fn answers_keep_their_keys_in_alphabetical_order() {
    use crate::helpers::get;
    let mut first_id = String::new();
    for path in [
        "/api/v1/search?q=dementia%20reading&per_page=5",
        "/api/v1/search?q=dementia&offer=health-and-wellbeing&lang=cy&per_page=3",
        "/api/v1/search?region=wales&sort=newest",
    ] {
        let (status, body) = get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        let value: Ordered = serde_json::from_str(&body).expect("JSON");
        assert!(
            assert_sorted_keys(&value, path) > 10,
            "{path}: too few objects"
        );
        let parsed: Value = serde_json::from_str(&body).expect("JSON");
        for hit in parsed["hits"].as_array().expect("hits") {
            let score = hit["score"].as_f64().expect("score");
            let written = format!("\"score\":{score}");
            assert!(
                body.contains(&written) && written.split('.').nth(1).is_none_or(|d| d.len() <= 3),
                "{path}: score {score} not written as {written}"
            );
            if first_id.is_empty() {
                first_id = hit["id"].as_str().expect("id").to_string();
            }
        }
    }
    for path in [
        format!("/api/v1/resources/{first_id}"),
        format!("/api/v1/resources/{first_id}?lang=cy"),
    ] {
        let (status, body) = get(&path).await;
        assert_eq!(status, 200, "{path}: {body}");
        let value: Ordered = serde_json::from_str(&body).expect("JSON");
        assert!(
            assert_sorted_keys(&value, &path) > 1,
            "{path}: too few objects"
        );
    }
}

/// A served corpus keeps no body in its index: a hit's snippet is made from
/// the resource's corpus file the first time the document is shown (so a
/// sentence written into the file before that shows in the snippet), and it
/// stays the text read then; no stored document carries a body.
#[tokio::test]
async fn snippets_are_made_from_the_corpus_file_once() {
    use tantivy::schema::Value as _;

    let app = crate::queue_helpers::TestApp::new(1000);
    let file = app.corpus.path().join("2020/check-and-chat-calls.md");
    let original = std::fs::read_to_string(&file).expect("read");
    let rewrite = |from: &str, to: &str| {
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(text.contains(from), "{from}");
        std::fs::write(&file, text.replace(from, to)).expect("write");
    };
    let snippet = |answer: &crate::queue_helpers::Answer| {
        let hits = answer.json()["hits"].clone();
        let hit = hits
            .as_array()
            .expect("hits")
            .iter()
            .find(|h| h["id"] == "2020/check-and-chat-calls")
            .cloned()
            .unwrap_or_else(|| panic!("the resource is found: {hits}"));
        hit["highlights"]["body"]
            .as_str()
            .expect("a body snippet")
            .to_string()
    };
    assert!(original.contains("read the newspapers"));
    rewrite(
        "read the newspapers",
        "read the newspapers beside the aquarium",
    );
    let first = app.get("/api/v1/search?q=newspapers", &[]).await;
    assert!(snippet(&first).contains("aquarium"), "{}", snippet(&first));
    rewrite("aquarium", "planetarium");
    let again = app.get("/api/v1/search?q=newspapers", &[]).await;
    assert!(snippet(&again).contains("aquarium"), "{}", snippet(&again));

    let engine = &app.state.engine;
    let searcher = engine.searcher();
    let schema = searcher.schema();
    let stored_texts =
        ["body_text", "attachment_text"].map(|name| schema.get_field(name).expect("field"));
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(1).expect("store");
        for doc in store.iter::<tantivy::TantivyDocument>(segment.alive_bitset()) {
            let doc = doc.expect("doc");
            for field in stored_texts {
                assert!(doc.get_first(field).and_then(|v| v.as_str()).is_none());
            }
        }
    }
}

/// A resource edited in the corpus is a new document once the index is
/// refreshed: searches and completions show it as edited, never as it was
/// (nothing remembered per document may outlive its edit).
#[tokio::test]
async fn an_edited_resource_is_shown_as_edited() {
    let app = crate::queue_helpers::TestApp::new(1000);
    let file = app.corpus.path().join("2020/check-and-chat-calls.md");
    let title = |answer: &crate::queue_helpers::Answer| {
        let hits = answer.json()["hits"].clone();
        hits.as_array()
            .expect("hits")
            .iter()
            .find(|h| h["id"] == "2020/check-and-chat-calls")
            .map(|h| h["title"].as_str().expect("a title").to_string())
            .unwrap_or_else(|| panic!("the resource is found: {hits}"))
    };
    let before = app.get("/api/v1/search?q=befriending", &[]).await;
    assert_eq!(
        title(&before),
        "Check and chat - telephone befriending by library staff"
    );
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace(
            "title: Check and chat - telephone befriending by library staff",
            "title: Check and chat - telephone befriending by library volunteers",
        ),
    )
    .expect("write");
    app.state.engine.refresh().expect("refresh");
    let after = app.get("/api/v1/search?q=befriending", &[]).await;
    assert_eq!(
        title(&after),
        "Check and chat - telephone befriending by library volunteers"
    );
    let suggested = app.get("/api/v1/suggest?q=telephone+befriend", &[]).await;
    assert!(
        suggested.text.contains("by library volunteers")
            && !suggested.text.contains("by library staff"),
        "{}",
        suggested.text
    );
}
