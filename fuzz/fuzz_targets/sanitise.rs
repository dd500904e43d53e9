//! Rendered Markdown never carries a script element, an event handler or a
//! `javascript:` link, whatever the input: the output is parsed as a browser
//! would and every element and attribute checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let html = kb_indexer::markdown::to_html(text);
    let document = scraper::Html::parse_fragment(&html);
    for element in document.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
        let name = element.value().name();
        assert!(!["script", "iframe", "style", "object", "embed"].contains(&name), "{name} in {html}");
        for (attr, value) in element.value().attrs() {
            assert!(!attr.to_lowercase().starts_with("on"), "{attr} in {html}");
            let url: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
            assert!(!url.starts_with("javascript:"), "{value} in {html}");
        }
    }
});
