//! Search in Japanese, Chinese, Korean and Welsh, and English left undisturbed.

use std::sync::Arc;

use kb_server::search::{Engine, SearchRequest};

use crate::helpers::{corpus_dir, ids, search};

fn q(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Each language's distinctive word finds its resource first and does not
/// bring up an unrelated resource in another language on the same topic.
#[tokio::test]
async fn each_language_finds_its_resource() {
    for (query, expected, unrelated) in [
        (
            "認知症",
            "2024/japan-dementia-friendly-library-corner",
            "2019/reading-friends-dementia",
        ),
        (
            "読み聞かせ",
            "2018/japan-picture-book-read-aloud-sessions",
            "2022/uk-korea-picture-book-exchange",
        ),
        (
            "震災",
            "2017/japan-earthquake-library-recovery",
            "2023/japan-smartphone-classes-older-people",
        ),
        (
            "大活字本",
            "2021/japan-accessible-formats-daisy",
            "2021/large-print-audio-collection-review",
        ),
        (
            "读书会",
            "2019/chinese-reading-group-north-west",
            "2019/reading-friends-dementia",
        ),
        (
            "粤语",
            "2024/cantonese-mandarin-family-literacy-london",
            "2019/chinese-reading-group-north-west",
        ),
        (
            "작은도서관",
            "2018/korea-small-library-movement",
            "2021/china-library-partnership-childrens-reading",
        ),
        (
            "그림책",
            "2022/uk-korea-picture-book-exchange",
            "2018/japan-picture-book-read-aloud-sessions",
        ),
        (
            "Rhigwm",
            "2016/amser-rhigwm-cymraeg",
            "2024/grwp-darllen-dysgwyr-cymraeg",
        ),
        (
            "grŵp darllen dysgwyr",
            "2024/grwp-darllen-dysgwyr-cymraeg",
            "2016/amser-rhigwm-cymraeg",
        ),
    ] {
        let v = search(&format!("q={}&per_page=100", q(query))).await;
        let found = ids(&v);
        assert_eq!(
            found.first().map(String::as_str),
            Some(expected),
            "{query}: {found:?}"
        );
        assert!(
            !found.iter().any(|id| id == unrelated),
            "{query} also found {unrelated}"
        );
    }
}

/// A Japanese sentence query finds the resource by its words, and the
/// snippet marks the matched morphemes.
#[tokio::test]
async fn japanese_sentence_query_and_highlight() {
    let v = search(&format!("q={}", q("高齢者のスマートフォン講座"))).await;
    assert_eq!(
        ids(&v).first().map(String::as_str),
        Some("2023/japan-smartphone-classes-older-people"),
        "{v}"
    );
    let marked = v["hits"][0]["highlights"].to_string();
    // Search mode cuts the compound 高齢者 into 高齢 + 者; both are marked.
    assert!(
        marked.contains("<mark>高齢</mark><mark>者</mark>"),
        "{marked}"
    );
    // Full-width and half-width forms are the same word.
    let full = search(&format!("q={}", q("ＰＣ教室"))).await;
    let half = search(&format!("q={}", q("PC教室"))).await;
    assert_eq!(ids(&full), ids(&half));
    assert!(ids(&half).contains(&"2023/japan-smartphone-classes-older-people".to_string()));
}

/// English results are the same with and without the other-language
/// resources: the same hits and the same leaders. (BM25's idf counts every
/// document in the index, so near-ties further down may swap.)
#[tokio::test]
async fn english_results_are_not_disturbed() {
    let only_english = tempfile::tempdir().expect("tmp");
    let corpus = only_english.path();
    std::fs::copy(
        corpus_dir().join("vocabularies.toml"),
        corpus.join("vocabularies.toml"),
    )
    .expect("vocab");
    std::fs::copy(
        corpus_dir().join("synonyms.toml"),
        corpus.join("synonyms.toml"),
    )
    .expect("synonyms");
    let all = kb_indexer::corpus::Corpus::load(&corpus_dir()).expect("corpus");
    for entry in all.entries.iter().filter(|e| e.resource.language == "en") {
        let target = corpus.join(&entry.path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(corpus_dir().join(&entry.path), target).expect("copy");
    }
    let data = tempfile::tempdir().expect("data");
    let engine = Arc::new(Engine::open(corpus, data.path()).expect("engine"));
    for query in [
        "dementia reading groups",
        "digital inclusion older people",
        "library",
    ] {
        let req = SearchRequest::from_query_string(&format!("q={}", q(query))).expect("request");
        let english: Vec<String> = engine
            .search(&req)
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.meta.id.clone())
            .collect();
        // Other-language resources may rightly match an English word they
        // contain; what must not change is how the English ones rank.
        let mixed_answer = search(&format!("q={}&per_page=100&language=en", q(query))).await;
        let mixed = ids(&mixed_answer);
        let total = engine
            .search(&SearchRequest {
                per_page: 100,
                ..req.clone()
            })
            .expect("search")
            .total;
        assert_eq!(mixed_answer["total"].as_u64(), Some(total), "{query}");
        // The same five leaders. BM25's average field length counts every
        // resource, so the other languages' resources shift it a little and
        // neighbours a few per cent apart may swap; the set must not change.
        let mut top_english = english[..5].to_vec();
        let mut top_mixed = mixed[..5].to_vec();
        top_english.sort();
        top_mixed.sort();
        assert_eq!(top_english, top_mixed, "{query}");
        let mut a = english.clone();
        let mut b: Vec<String> = mixed.into_iter().take(english.len()).collect();
        a.sort();
        b.sort();
        assert!(
            a.len() < 20 || a.iter().filter(|id| b.contains(id)).count() >= 18,
            "{query}: {a:?} {b:?}"
        );
    }
}
