//! Property tests: the parsers and the sanitiser hold their promises for any input.

use kb_indexer::front_matter;
use kb_indexer::markdown;
use kb_indexer::query::{self, Node, QueryError};
use proptest::prelude::*;

fn words(nodes: &[Node], out: &mut Vec<String>) {
    for n in nodes {
        match n {
            Node::Word(w) | Node::Prefix(w) | Node::Phrase(w) => out.push(w.clone()),
            Node::Field(_, inner) | Node::Required(inner) | Node::Excluded(inner) => {
                words(std::slice::from_ref(inner), out)
            }
            Node::All(items) | Node::Any(items) | Node::Group(items) => words(items, out),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The query parser never panics, and refuses only with a limit error.
    #[test]
    fn query_parser_never_panics(text in "\\PC{0,300}") {
        match query::parse(&text) {
            Ok(_) | Err(QueryError::TooLong(_) | QueryError::TooManyClauses | QueryError::TooDeep) => {}
        }
    }

    /// Queries built from the grammar's own pieces parse, and plain words come back unchanged.
    #[test]
    fn plain_words_round_trip(ws in proptest::collection::vec("[a-z]{1,12}", 1..10)) {
        let text = ws.join(" ");
        let nodes = query::parse(&text).expect("plain words parse");
        let mut found = Vec::new();
        words(&nodes, &mut found);
        prop_assert_eq!(found, ws);
    }

    /// Syntax soup from the query language's own symbols never panics.
    #[test]
    fn operator_soup_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("AND"), Just("OR"), Just("NOT"), Just("("), Just(")"), Just("\""), Just("-"), Just("+"),
        Just("*"), Just("title:"), Just("year:"), Just("word"), Just("x*"), Just(":"), Just(" ")
    ], 0..80)) {
        let text: String = parts.concat();
        let _ = query::parse(&text);
    }

    /// Front matter splitting and YAML parsing never panic on any text.
    #[test]
    fn front_matter_never_panics(text in "\\PC{0,400}") {
        if let Ok(split) = front_matter::split(&text) {
            let _ = front_matter::parse(split.yaml, 2);
        }
        let _ = front_matter::split(&format!("---\n{text}\n---\nbody"));
        let _ = front_matter::parse(&text, 2);
    }

    /// Sanitised HTML never contains scripts, event handlers or `javascript:` URLs,
    /// whatever mix of tags, attributes and Markdown goes in.
    #[test]
    fn sanitiser_output_is_inert(parts in proptest::collection::vec(prop_oneof![
        proptest::sample::select(vec![
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "<svg><script>1</script></svg>", "<div onclick=\"x\">",
            "<iframe src=//x>", "<style>*{}</style>", "**bold**", "\n\n# h\n", "<", ">",
            "\"", "'", "`", "<a href='java\nscript:x'>", "<ScRiPt>", "on", "load=",
        ]).prop_map(String::from),
        "\\PC{0,20}",
    ], 0..30)) {
        let input: String = parts.concat();
        let html = markdown::to_html(&input);
        // Read the output as a browser would, and look at what it would act on.
        let document = scraper::Html::parse_fragment(&html);
        for element in document.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            let name = element.value().name();
            prop_assert!(!["script", "iframe", "style", "object", "embed", "form"].contains(&name), "{} in {}", name, html);
            for (attr, value) in element.value().attrs() {
                prop_assert!(!attr.to_lowercase().starts_with("on"), "{} in {}", attr, html);
                let url: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
                prop_assert!(!url.starts_with("javascript:") && !url.starts_with("data:") && !url.starts_with("vbscript:"), "{} in {}", value, html);
            }
        }
    }
}
