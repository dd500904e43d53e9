//! "More like this": a query made of a text's most distinctive words.
//!
//! A word's weight is its count in the text times its idf in the index.
//! The best [`MAX_TERMS`] words are kept, and words of equal weight are
//! taken in the order of their terms, so the same text gives the same query
//! on every call (Tantivy's own builder keeps equal words in the order of a
//! randomly seeded map, and the related list moved between requests).

use std::collections::BTreeMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Score, Searcher, Term};

/// Words kept in the query.
pub const MAX_TERMS: usize = 25;

/// Words shorter than this many bytes (after analysis) are left out.
const MIN_WORD_BYTES: usize = 3;

/// The distinctive words of `texts` (each analysed as its field is), with
/// their weights, best first; ties go to the smaller term.
///
/// A word in more than a third of the documents (at least 4) says little
/// about a resource and is left out, as are words no document has.
pub fn distinctive_terms(
    searcher: &Searcher,
    texts: &[(Field, &str)],
    max_terms: usize,
) -> tantivy::Result<Vec<(Term, Score)>> {
    let mut counts: BTreeMap<Term, u32> = BTreeMap::new();
    for &(field, text) in texts {
        let mut analyzer = searcher.index().tokenizer_for_field(field)?;
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if token.text.len() >= MIN_WORD_BYTES {
                *counts
                    .entry(Term::from_field_text(field, &token.text))
                    .or_insert(0) += 1;
            }
        }
    }
    let docs = searcher.num_docs();
    let max_df = docs.max(10) / 3 + 1;
    let mut weighted = Vec::with_capacity(counts.len());
    for (term, count) in counts {
        let df = searcher.doc_freq(&term)?;
        if df == 0 || df > max_df {
            continue;
        }
        weighted.push((term, count as Score * idf(df, docs)));
    }
    // Stable, over terms in order: equal weights keep the smaller term first.
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1));
    weighted.truncate(max_terms);
    Ok(weighted)
}

/// BM25's idf, as Tantivy scores: ln(1 + (N − df + ½) / (df + ½)).
fn idf(df: u64, docs: u64) -> Score {
    let (df, docs) = (df as f64, docs.max(df) as f64);
    (1.0 + (docs - df + 0.5) / (df + 0.5)).ln() as Score
}

/// Any of `terms`, each boosted by its weight over the best one's.
pub fn like_this(terms: Vec<(Term, Score)>) -> BooleanQuery {
    let best = terms.first().map_or(1.0, |t| t.1);
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|(term, weight)| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (
                Occur::Should,
                Box::new(BoostQuery::new(q, weight / best)) as Box<dyn Query>,
            )
        })
        .collect();
    BooleanQuery::new(clauses)
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{STRING, Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    use super::*;

    fn index(texts: &[&str]) -> (Index, Field) {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT);
        let _id = builder.add_text_field("id", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        for text in texts {
            let mut doc = TantivyDocument::new();
            doc.add_text(body, text);
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        (index, body)
    }

    fn words(terms: &[(Term, Score)]) -> Vec<String> {
        terms
            .iter()
            .map(|(t, _)| t.value().as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Words of equal weight are chosen by their text, whatever the order
    /// they come in; heavier words (repeated, rarer) come first; short
    /// words, words in too many documents and unknown words are left out.
    #[test]
    fn equal_words_are_chosen_by_their_text() {
        let mut texts = vec![
            "zebra yak xylophone walrus violin umbrella",
            "tiger tiger zebra",
            "rare rare ok",
        ];
        // "common" is in more than a third of the documents.
        texts.extend(std::iter::repeat_n("common filler", 12));
        let (index, body) = index(&texts);
        let searcher = index.reader().expect("reader").searcher();
        let mut seen = Vec::new();
        for text in [
            "umbrella violin walrus xylophone yak zebra common rare rare ok unknown",
            "zebra yak xylophone walrus violin umbrella rare ok common rare unknown",
        ] {
            let terms = distinctive_terms(&searcher, &[(body, text)], 4).expect("terms");
            seen.push(words(&terms));
        }
        assert_eq!(seen[0], seen[1]);
        assert_eq!(seen[0], vec!["rare", "umbrella", "violin", "walrus"]);
        let all =
            distinctive_terms(&searcher, &[(body, "tiger zebra ok common")], 25).expect("terms");
        assert_eq!(words(&all), vec!["tiger", "zebra"]);
        assert!(all[0].1 > all[1].1, "a rarer word weighs more");
        let query = like_this(all);
        assert_eq!(query.clauses().len(), 2);
    }
}
