//! Pseudo-relevance feedback (RM3, after Lavrenko and Croft's relevance
//! model as Anserini's `bm25+rm3` applies it): a query of several words is
//! widened with the words that weigh most in its best first hits.
//!
//! Each of the first `feedback_docs` hits gives its words' frequencies
//! (title and body, analysed as the document's language), weighted by the
//! hit's share of their scores; the `feedback_terms` heaviest words form the
//! relevance model. A word's weight in the expanded query is its count in
//! the query plus `(1 − λ)/λ · n · P(word | model)`, with `n` the query's
//! distinct words and `λ = feedback_original`: the query keeps the scale of
//! its own scores (so the proximity bonus weighs as before) and the added
//! words together weigh `(1 − λ)/λ` of it.
//!
//! The expanded query only re-scores: the hits, their number and the facet
//! counts stay those of the words the user typed.

use std::collections::{BTreeMap, HashMap};

use tantivy::query::{Occur, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Score, Searcher, TantivyDocument, Term};

use super::compile::{Compiled, QueryBuilder, boost, boxed};
use super::parse::Node;
use crate::schema::{Analysis, analyse};

/// The two stored fields feedback reads.
#[derive(serde::Deserialize)]
struct TitleAndLanguage {
    #[serde(default)]
    title: String,
    #[serde(default)]
    language: String,
}

impl QueryBuilder {
    /// Whether the query gets feedback: plain words only (no phrases,
    /// operators or fields, which state exactly what is wanted), at least
    /// `feedback_min_words` distinct words typed (stop words and synonyms
    /// not counted), feedback switched on.
    pub fn wants_feedback(&self, nodes: &[Node], compiled: &Compiled) -> bool {
        let min = self.weights.feedback_min_words as usize;
        self.weights.feedback_docs > 0
            && compiled.prunable
            && !compiled.match_all
            // Most queries are a few words: turned down before any analysis.
            && nodes.iter().filter(|n| matches!(n, Node::Word(_))).count() >= min
            && self.typed_words(nodes) >= min
    }

    /// Distinct words the user typed, as the English analysis sees them
    /// (a run of text without spaces is one word).
    fn typed_words(&self, nodes: &[Node]) -> usize {
        // Only the English analyzer is needed (cloning all of them, the
        // Japanese one included, on every search would be wasted).
        let Some(mut english) = self
            .analyzers
            .iter()
            .find(|(a, _)| *a == Analysis::English)
            .map(|(_, analyzer)| analyzer.clone())
        else {
            return 0;
        };
        let mut words: Vec<String> = nodes
            .iter()
            .filter_map(|node| match node {
                Node::Word(w) => analyse(&mut english, w).into_iter().next(),
                _ => None,
            })
            .collect();
        words.sort_unstable();
        words.dedup();
        words.len()
    }

    /// The query expanded with feedback from its `first` hits (best first),
    /// or `None` when it gets none (see [`QueryBuilder::wants_feedback`]).
    /// `nodes` are the parsed query `compiled` was compiled from.
    pub fn expand(
        &self,
        searcher: &Searcher,
        nodes: &[Node],
        compiled: &Compiled,
        first: &[(DocAddress, Score)],
    ) -> tantivy::Result<Option<Compiled>> {
        if !self.wants_feedback(nodes, compiled) {
            return Ok(None);
        }
        let docs = &first[..first.len().min(self.weights.feedback_docs as usize)];
        let total: f64 = docs.iter().map(|(_, s)| f64::from(s.max(0.0))).sum();
        if docs.is_empty() || total <= 0.0 {
            return Ok(None);
        }
        let mut analyzers = self.analyzers.clone();
        // Relevance model: P(w | R) = Σ_d P(w | d) · P(d | q). Ordered maps
        // keep the sums, and so the chosen words, the same on every run.
        let mut model: BTreeMap<(Analysis, String), f64> = BTreeMap::new();
        for (address, score) in docs {
            let doc: TantivyDocument = searcher.doc(*address)?;
            let Some(meta) = doc
                .get_first(self.schema.stored)
                .and_then(|v| v.as_str())
                .and_then(|json| serde_json::from_str::<TitleAndLanguage>(json).ok())
            else {
                continue;
            };
            // The document's words, analysed as its language.
            let analysis = Analysis::for_language(&meta.language);
            let Some((_, analyzer)) = analyzers.iter_mut().find(|(a, _)| *a == analysis) else {
                continue;
            };
            let text = self.schema.hit_text(searcher, *address, &doc);
            let mut counts: HashMap<String, u32> = HashMap::new();
            let mut length = 0u32;
            for term in analyse(analyzer, &meta.title)
                .into_iter()
                .chain(analyse(analyzer, &text.body))
            {
                length += 1;
                if useful(&term) {
                    *counts.entry(term).or_default() += 1;
                }
            }
            let share = f64::from(score.max(0.0)) / total;
            for (term, count) in counts {
                *model.entry((analysis, term)).or_default() +=
                    f64::from(count) / f64::from(length.max(1)) * share;
            }
        }
        let mut heaviest: Vec<((Analysis, String), f64)> = model.into_iter().collect();
        heaviest.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        heaviest.truncate(self.weights.feedback_terms as usize);
        let mass: f64 = heaviest.iter().map(|(_, p)| p).sum();
        if mass <= 0.0 {
            return Ok(None);
        }
        let lambda = f64::from(self.weights.feedback_original.clamp(0.01, 1.0));
        let scale = (1.0 - lambda) / lambda * query_words(compiled) as f64 / mass;
        let mut extra = Vec::new();
        for ((analysis, term), p) in heaviest {
            let weight = (p * scale) as f32;
            for (part, a, field) in self.schema.text_fields() {
                if a != analysis {
                    continue;
                }
                let term = Term::from_field_text(field, &term);
                if searcher.doc_freq(&term)? == 0 {
                    continue;
                }
                let clause = boxed(TermQuery::new(term, IndexRecordOption::WithFreqs));
                extra.push((Occur::Should, boost(clause, weight * self.weights.of(part))));
            }
        }
        let mut expanded = self.compile_with(searcher, nodes, extra);
        // The words the user typed decide what matches; feedback only re-scores.
        expanded.prunable = compiled.prunable;
        Ok(Some(expanded))
    }
}

/// Distinct words (terms, whatever their field) the compiled query searches.
fn query_words(compiled: &Compiled) -> usize {
    let mut words: Vec<Vec<u8>> = Vec::new();
    compiled.query.query_terms(&mut |term, _| {
        words.push(term.serialized_value_bytes().to_vec());
    });
    words.sort_unstable();
    words.dedup();
    words.len()
}

/// Words worth adding: not a lone letter, not a number.
fn useful(term: &str) -> bool {
    term.chars().count() >= 2 && !term.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{QueryBuilder, parse};
    use crate::rank::IdRanks;
    use crate::resource::Resource;
    use crate::schema::KbSchema;
    use crate::synonyms::Synonyms;
    use crate::vocabulary::Vocabularies;

    fn resource(id: &str, title: &str, body: &str) -> Resource {
        crate::eval::as_resource(id.into(), title.into(), body.into(), "en")
    }

    /// Feedback re-scores the hits of the words typed and never adds a
    /// document they do not match, even one full of the feedback words;
    /// short queries get none.
    #[test]
    fn feedback_reorders_but_never_adds_hits() {
        let schema = KbSchema::new();
        let index = schema.create_in_ram();
        let vocab = Vocabularies::default();
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, crate::builder::WRITER_HEAP_BYTES)
            .expect("writer");
        let docs = [
            (
                "a",
                "Dementia reading groups",
                "Weekly reading groups for people living with dementia and their carers in branch libraries, with volunteers.",
            ),
            (
                "b",
                "Carers and volunteers",
                "Carers volunteers branch libraries weekly sessions carers volunteers carers volunteers.",
            ),
            (
                "c",
                "Reading groups for carers",
                "Reading groups run by volunteers for carers of people with dementia.",
            ),
            (
                "d",
                "Coding clubs",
                "Children learn to code in weekly library sessions.",
            ),
        ];
        for (id, title, body) in docs {
            writer
                .add_document(schema.document(&resource(id, title, body), id, "", &vocab))
                .expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let ranks = IdRanks::new(&searcher).expect("ranks");
        let builder = QueryBuilder::new(schema.clone(), Synonyms::default(), None);
        let id_of = |c: &crate::rank::Candidate| -> String {
            let doc: TantivyDocument = searcher.doc(c.address).expect("doc");
            schema.stored_id(&doc).unwrap_or_default()
        };

        let long = parse("dementia reading groups people living").expect("query");
        let compiled = builder.compile(&searcher, &long);
        assert!(builder.wants_feedback(&long, &compiled));
        let first: Vec<(DocAddress, Score)> = crate::eval::rank_query(
            &searcher,
            &builder.clone().with_weights(crate::query::Weights {
                feedback_docs: 0,
                ..crate::query::Weights::default()
            }),
            &ranks,
            &long,
            10,
        )
        .expect("rank")
        .iter()
        .map(|c| (c.address, c.score))
        .collect();
        let expanded = builder
            .expand(&searcher, &long, &compiled, &first)
            .expect("expand")
            .expect("expanded");
        // The expansion searches more words than were typed...
        let mut typed = 0;
        compiled.query.query_terms(&mut |_, _| typed += 1);
        let mut widened = 0;
        expanded.query.query_terms(&mut |_, _| widened += 1);
        assert!(widened > typed, "{widened} <= {typed}");
        // ...but the hits are those of the words typed: `b` (only feedback
        // words: carers, volunteers) and `d` stay out.
        let with: Vec<String> = crate::eval::rank_query(&searcher, &builder, &ranks, &long, 10)
            .expect("rank")
            .iter()
            .map(id_of)
            .collect();
        let mut sorted = with.clone();
        sorted.sort();
        assert_eq!(sorted, vec!["a", "c"], "{with:?}");

        let short = parse("dementia reading").expect("query");
        assert!(!builder.wants_feedback(&short, &builder.compile(&searcher, &short)));
    }
}
