//! A query's matching documents per segment, unscored, as a bitset.

use fixedbitset::FixedBitSet;
use kb_indexer::query::Compiled;
use tantivy::query::{EnableScoring, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Searcher, SegmentReader, Term};

/// How a query's matching documents are found, decided once per search.
pub(super) enum Matching {
    /// A flat disjunction of words: the union of the words' document lists.
    Words(Vec<Term>),
    /// Anything else: Tantivy's unscored evaluation of the query.
    Query(Box<dyn Weight>),
}

impl Matching {
    pub(super) fn new(compiled: &Compiled, searcher: &Searcher) -> tantivy::Result<Self> {
        if compiled.prunable {
            let mut terms: Vec<Term> = Vec::new();
            compiled
                .query
                .query_terms(&mut |term, _| terms.push(term.clone()));
            Ok(Matching::Words(terms))
        } else {
            Ok(Matching::Query(
                compiled
                    .query
                    .weight(EnableScoring::disabled_from_searcher(searcher))?,
            ))
        }
    }
}

/// The live documents of a segment matching the query, as a bitset, and
/// their number. A flat disjunction of words is read block by block straight
/// into the set.
pub(super) fn match_set(
    matching: &Matching,
    reader: &SegmentReader,
) -> tantivy::Result<(FixedBitSet, usize)> {
    let max_doc = reader.max_doc() as usize;
    let alive = reader.alive_bitset();
    let mut matches = FixedBitSet::with_capacity(max_doc);
    match matching {
        Matching::Words(terms) => {
            for term in terms {
                let inverted = reader.inverted_index(term.field())?;
                if let Some(mut postings) =
                    inverted.read_block_postings(term, IndexRecordOption::Basic)?
                {
                    while !postings.docs().is_empty() {
                        for &doc in postings.docs() {
                            matches.insert(doc as usize);
                        }
                        postings.advance();
                    }
                }
            }
            if let Some(alive) = alive {
                let dead: Vec<usize> = matches
                    .ones()
                    .filter(|&doc| !alive.is_alive(doc as DocId))
                    .collect();
                for doc in dead {
                    matches.set(doc, false);
                }
            }
        }
        Matching::Query(weight) => weight.for_each_no_score(reader, &mut |docs| {
            for &doc in docs {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    matches.insert(doc as usize);
                }
            }
        })?,
    }
    let matched = matches.count_ones(..);
    Ok((matches, matched))
}
