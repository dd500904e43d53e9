//! The page of hits, the exact total and disjunctive facet counts of a query.
//!
//! Two passes per segment, each doing only what it must:
//!
//! 1. **Counting** gathers the matching documents into a bitset without
//!    scoring ([`match_set`]: a words-only query ORs its words' postings
//!    straight in) and counts facet values ([`count_segment`]). A document
//!    passing every selection is a hit and counts in every facet. A document
//!    failing exactly one selection counts only in that selection's facet:
//!    precisely the count that facet would show if its own selection were
//!    dropped, which is what disjunctive facets mean. Documents failing two
//!    or more are skipped. So N facets cost one pass, not N + 1 queries.
//!    Orders by date or title keep their best hits here too.
//! 2. **Ranking** (relevance order only) keeps the best word scores with
//!    Tantivy's block-max WAND, which skips blocks of postings that cannot
//!    beat the current top, counting only the hits; when the selections leave
//!    few hits, or the query has phrases and cannot skip, the hits are scored
//!    one by one instead. The proximity bonus is then added to the head of
//!    the list ([`Compiled::add_bonus`]) and the list re-sorted.
//!
//! Segments can be shared out over several threads ([`collect`]'s
//! `threads`); the results do not depend on how many.

mod counting;
mod matching;
mod ordered;

use std::sync::Arc;

use kb_indexer::query::Compiled;
use kb_indexer::rank::{self, IdRanks};
use tantivy::columnar::StrColumn;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal};

use fixedbitset::FixedBitSet;

use super::facet::Selected;
use super::flat::{Dictionary, FacetCache, SegmentFacets};
use counting::{Selection, count_segment};
use matching::{Matching, match_set};
use ordered::{Key, Ranked, Top};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// BM25 score, best first.
    Relevance,
    /// Publication date, newest first.
    Newest,
    /// Publication date, oldest first.
    Oldest,
    /// Title A to Z.
    Title,
}

/// The selections that restrict hits, per facet.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Selected values per keyword facet; empty = no filter.
    pub keyword: Selected,
    /// Inclusive year range.
    pub year_from: Option<u64>,
    /// Inclusive year range.
    pub year_to: Option<u64>,
}

/// What a search collects.
#[derive(Debug)]
pub struct Collected {
    /// Documents passing every filter.
    pub total: u64,
    /// The best `limit` hits, best first, with their score (0 when not ranked by score).
    pub top: Vec<(DocAddress, Score)>,
    /// Count per facet value id of `dict`.
    pub counts: Vec<u32>,
    /// The facet values counted.
    pub dict: Arc<Dictionary>,
}

/// Re-ranks a query from its first hits (pseudo-relevance feedback), or
/// declines; see [`kb_indexer::query::QueryBuilder::expand`].
pub type Feedback<'a> =
    &'a (dyn Fn(&[(DocAddress, Score)]) -> tantivy::Result<Option<Compiled>> + Sync);

/// What to collect.
pub struct Search<'a> {
    /// Filters to apply.
    pub filters: &'a Filters,
    /// How many top hits to keep (page × per_page).
    pub limit: usize,
    /// Order of hits.
    pub sort: Sort,
    /// Feedback for relevance order, when the query gets it.
    pub feedback: Option<Feedback<'a>>,
}

/// What one thread of a search collects over its segments.
struct Gathered {
    counts: Vec<u32>,
    total: u64,
    /// Best hits by date or title, with their keys.
    ordered: Vec<Ranked>,
    /// Best hits by word score.
    top: rank::Top,
    /// The hits of each segment, kept for a second ranking with feedback.
    hits: Vec<(SegmentOrdinal, FixedBitSet)>,
}

/// A search's shared state, run over groups of segments.
struct Pass<'a> {
    searcher: &'a Searcher,
    compiled: &'a Compiled,
    search: &'a Search<'a>,
    segments: &'a [Arc<SegmentFacets>],
    dict: &'a Dictionary,
    selection: Selection,
    matching: Matching,
    scoring: Option<Box<dyn Weight>>,
    ranks: &'a IdRanks,
    depth: usize,
}

impl Pass<'_> {
    /// Facet counts, totals and best hits of some segments, in order.
    fn run(&self, ords: &[usize]) -> tantivy::Result<Gathered> {
        let relevance = self.search.sort == Sort::Relevance;
        let mut out = Gathered {
            counts: vec![0u32; self.dict.len()],
            total: 0,
            ordered: Vec::new(),
            top: rank::Top::new(self.depth),
            hits: Vec::new(),
        };
        for &ord in ords {
            let reader = self.searcher.segment_reader(ord as SegmentOrdinal);
            let segment = ord as SegmentOrdinal;
            let flat: &SegmentFacets = &self.segments[ord];
            let title: Option<StrColumn> = if self.search.sort == Sort::Title && self.depth > 0 {
                reader.fast_fields().str("title_sort")?
            } else {
                None
            };
            let (matches, matched) = match_set(&self.matching, reader)?;
            // Those passing every selection: the hits.
            let hits = count_segment(
                &self.selection,
                self.dict,
                flat,
                &matches,
                matched,
                &mut out.counts,
                None,
            );
            let passing = hits.count_ones(..);
            out.total += passing as u64;
            if !relevance && self.depth > 0 {
                let ranks = self.ranks.segment(segment);
                let mut by_key = Top::new(self.depth);
                for doc in hits.ones() {
                    let doc = doc as DocId;
                    let date = flat.date.get(doc as usize).copied().unwrap_or(0);
                    let key = match self.search.sort {
                        Sort::Newest => Key::Int(date),
                        Sort::Oldest => Key::Int(-date),
                        _ => Key::Ord(
                            title
                                .as_ref()
                                .and_then(|t| t.term_ords(doc).next())
                                .unwrap_or(u64::MAX),
                        ),
                    };
                    by_key.offer(Ranked {
                        key,
                        date,
                        id_rank: ranks.get(doc as usize).copied().unwrap_or(0),
                        address: DocAddress::new(segment, doc),
                    });
                }
                for r in by_key.heap.into_vec() {
                    let key = match (r.key, &title) {
                        (Key::Ord(ord), Some(column)) => {
                            let mut text = String::new();
                            let _ = column.ord_to_str(ord, &mut text);
                            Key::Text(text)
                        }
                        (key, _) => key,
                    };
                    out.ordered.push(Ranked { key, ..r });
                }
            }
            let Some(scoring) = &self.scoring else {
                continue;
            };
            if passing == 0 {
                continue;
            }
            // Phrases and the like cannot skip, and few may pass the
            // selections: then score just the hits.
            let exhaustive =
                !self.compiled.prunable || (self.selection.required != 0 && passing * 4 <= matched);
            rank::rank_segment(
                scoring.as_ref(),
                reader,
                segment,
                &rank::Within::Docs(&hits),
                exhaustive,
                &flat.date,
                self.ranks.segment(segment),
                &mut out.top,
            )?;
            if self.search.feedback.is_some() {
                out.hits.push((segment, hits));
            }
        }
        Ok(out)
    }
}

/// A second ranking of the same hits with an expanded query.
fn rerank(
    searcher: &Searcher,
    expanded: &Compiled,
    ranks: &IdRanks,
    segments: &[Arc<SegmentFacets>],
    hits: &[(SegmentOrdinal, FixedBitSet)],
    depth: usize,
) -> tantivy::Result<Vec<rank::Candidate>> {
    let weight = expanded.query.weight(expanded.scoring())?;
    let mut top = rank::Top::new(depth);
    for (segment, set) in hits {
        rank::rank_segment(
            weight.as_ref(),
            searcher.segment_reader(*segment),
            *segment,
            &rank::Within::Docs(set),
            !expanded.prunable,
            segments.get(*segment as usize).map_or(&[][..], |s| &s.date),
            ranks.segment(*segment),
            &mut top,
        )?;
    }
    rank::finish(searcher, expanded, top, depth)
}

/// Segments shared out over `threads` groups of about equal size, largest first.
fn share(searcher: &Searcher, threads: usize) -> Vec<Vec<usize>> {
    let mut ords: Vec<usize> = (0..searcher.segment_readers().len()).collect();
    let size = |ord: usize| searcher.segment_reader(ord as SegmentOrdinal).max_doc();
    ords.sort_by_key(|&ord| std::cmp::Reverse(size(ord)));
    let mut groups: Vec<(u64, Vec<usize>)> =
        vec![(0, Vec::new()); threads.clamp(1, ords.len().max(1))];
    for ord in ords {
        if let Some(lightest) = groups.iter_mut().min_by_key(|(docs, _)| *docs) {
            lightest.0 += u64::from(size(ord));
            lightest.1.push(ord);
        }
    }
    groups
        .into_iter()
        .map(|(_, mut group)| {
            // In index order, so each thread's scorers move forward.
            group.sort_unstable();
            group
        })
        .filter(|group| !group.is_empty())
        .collect()
}

/// Run a compiled query over the searcher's segments, shared out over
/// `threads` threads (a search alone on an idle machine may use every
/// core; under load each search runs on one): see the module documentation.
pub fn collect(
    searcher: &Searcher,
    compiled: &Compiled,
    cache: &FacetCache,
    search: &Search<'_>,
    threads: usize,
) -> tantivy::Result<Collected> {
    let prepared = cache.prepare(searcher)?;
    let dict = prepared.dict;
    let relevance = search.sort == Sort::Relevance;
    // Relevance keeps extra candidates for the proximity bonus to reorder.
    let depth = if relevance {
        rank::depth(search.limit)
    } else {
        search.limit
    };
    let pass = Pass {
        searcher,
        compiled,
        search,
        segments: &prepared.segments,
        dict: &dict,
        selection: Selection::new(search.filters, &dict),
        matching: Matching::new(compiled, searcher)?,
        scoring: if relevance && depth > 0 {
            Some(compiled.query.weight(compiled.scoring())?)
        } else {
            None
        },
        ranks: &prepared.ranks,
        depth,
    };
    let groups = share(searcher, threads);
    let gathered: Vec<Gathered> = if groups.len() <= 1 {
        vec![pass.run(groups.first().map_or(&[][..], Vec::as_slice))?]
    } else {
        use rayon::prelude::*;
        groups
            .par_iter()
            .map(|group| pass.run(group))
            .collect::<tantivy::Result<Vec<_>>>()?
    };
    let mut counts = vec![0u32; dict.len()];
    let mut total = 0;
    let mut top = rank::Top::new(depth);
    let mut ordered = Vec::new();
    let mut kept = Vec::new();
    for part in gathered {
        for (sum, n) in counts.iter_mut().zip(&part.counts) {
            *sum += n;
        }
        total += part.total;
        ordered.extend(part.ordered);
        top.merge(part.top);
        kept.extend(part.hits);
    }
    let top = if relevance {
        let mut ranked = rank::finish(searcher, compiled, top, search.limit.max(depth))?;
        if let Some(feedback) = search.feedback {
            let first: Vec<(DocAddress, Score)> =
                ranked.iter().map(|c| (c.address, c.score)).collect();
            if let Some(expanded) = feedback(&first)? {
                ranked = rerank(
                    searcher,
                    &expanded,
                    &prepared.ranks,
                    &prepared.segments,
                    &kept,
                    depth,
                )?;
            }
        }
        ranked
            .into_iter()
            .take(search.limit)
            .map(|c| (c.address, c.score))
            .collect()
    } else {
        ordered.sort_by(|a, b| b.better(a));
        ordered
            .into_iter()
            .take(search.limit)
            .map(|r| (r.address, 0.0))
            .collect()
    };
    Ok(Collected {
        total,
        top,
        counts,
        dict,
    })
}

#[cfg(test)]
mod tests {
    use super::counting::{Way, visit};
    use super::*;
    use crate::search::Facet;
    use crate::search::flat::YEAR;

    /// A small pseudo-random generator, so the test needs no seed crate.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// Every way of counting gives the counts and hits of the definition:
    /// a document passing all selections counts everywhere, one failing a
    /// single selection counts only in that facet.
    #[test]
    fn every_way_counts_the_same() {
        let mut dict = Dictionary::default();
        let mut rng = Lcg(7);
        let docs = 3000;
        let mut offsets = vec![0u32];
        let mut ids = Vec::new();
        let mut rows: Vec<Vec<u32>> = Vec::new();
        for _ in 0..docs {
            let mut row = vec![dict.intern(0, &format!("offer{}", rng.below(4)))];
            // Organisations: a few large, many with a handful of documents.
            let org = if rng.below(2) == 0 {
                rng.below(3)
            } else {
                3 + rng.below(400)
            };
            row.push(dict.intern(3, &format!("org{org}")));
            for _ in 0..rng.below(4) {
                let tag = dict.intern(5, &format!("tag{}", rng.below(60)));
                if !row.contains(&tag) {
                    row.push(tag);
                }
            }
            row.push(dict.intern(YEAR, &(2015 + rng.below(10)).to_string()));
            ids.extend(&row);
            offsets.push(ids.len() as u32);
            rows.push(row);
        }
        let flat = SegmentFacets::from_rows(offsets, ids, vec![0; docs], dict.len());
        assert!(!flat.common.is_empty() && !flat.rare.is_empty());
        let mut filters = Filters::default();
        filters.keyword[Facet::Offer] = vec!["offer1".into(), "offer2".into()];
        filters.keyword[Facet::Tag] = vec!["tag3".into(), "tag40".into()];
        filters.year_from = Some(2018);
        let unfiltered = Filters::default();
        for filters in [&filters, &unfiltered] {
            let selection = Selection::new(filters, &dict);
            for density in [2, 30, 100] {
                let mut matches = FixedBitSet::with_capacity(docs);
                for doc in 0..docs {
                    if rng.below(100) < density {
                        matches.insert(doc);
                    }
                }
                let matched = matches.count_ones(..);
                let mut expected = vec![0u32; dict.len()];
                let mut expected_hits = Vec::new();
                for doc in matches.ones() {
                    if visit(&selection, &dict, &mut expected, &rows[doc]) {
                        expected_hits.push(doc);
                    }
                }
                for way in [Way::PerDoc, Way::PerDocInScope, Way::ByList, Way::ByDoc] {
                    let mut counts = vec![0u32; dict.len()];
                    let hits = count_segment(
                        &selection,
                        &dict,
                        &flat,
                        &matches,
                        matched,
                        &mut counts,
                        Some(way),
                    );
                    assert_eq!(counts, expected, "{way:?} at {density}%");
                    assert_eq!(hits.ones().collect::<Vec<_>>(), expected_hits, "{way:?}");
                }
            }
        }
    }

    /// A search shared out over several threads finds what it finds on one:
    /// the same total, facet counts and hits in the same order.
    #[test]
    fn threads_change_nothing() {
        use kb_indexer::corpus::Corpus;
        use kb_indexer::query::{QueryBuilder, parse};
        use kb_indexer::schema::KbSchema;
        use kb_indexer::synonyms::{SYNONYMS_FILE, Synonyms};

        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
        let corpus = Corpus::load(&root).expect("corpus");
        let schema = KbSchema::new();
        let index = schema.create_in_ram();
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 50_000_000)
            .expect("writer");
        // Four commits: four segments.
        for chunk in corpus.entries.chunks(corpus.entries.len() / 4 + 1) {
            for entry in chunk {
                writer
                    .add_document(schema.document(
                        &entry.resource,
                        &entry.path,
                        &entry.hash,
                        &corpus.vocab,
                    ))
                    .expect("add");
            }
            writer.commit().expect("commit");
        }
        let searcher = index.reader().expect("reader").searcher();
        assert!(searcher.segment_readers().len() >= 3);
        let synonyms = Synonyms::load(&root.join(SYNONYMS_FILE)).expect("synonyms");
        let builder = QueryBuilder::new(schema, synonyms, Some(corpus.vocab.clone()));
        let cache = FacetCache::default();
        let mut filtered = Filters::default();
        filtered.keyword[Facet::Offer] = vec!["reading".into()];
        filtered.year_from = Some(2018);
        let none = Filters::default();
        for q in [
            "",
            "reading groups",
            "\"digital skills\"",
            "library -dementia",
        ] {
            let compiled = builder.compile(&searcher, &parse(q).expect("query"));
            for filters in [&none, &filtered] {
                for sort in [Sort::Relevance, Sort::Newest, Sort::Title] {
                    let search = Search {
                        filters,
                        limit: 30,
                        sort,
                        feedback: None,
                    };
                    let one = collect(&searcher, &compiled, &cache, &search, 1).expect("one");
                    let three = collect(&searcher, &compiled, &cache, &search, 3).expect("three");
                    assert_eq!(one.total, three.total, "{q} {sort:?}");
                    assert_eq!(one.counts, three.counts, "{q} {sort:?}");
                    assert_eq!(one.top, three.top, "{q} {sort:?}");
                    assert!(one.total > 0, "{q} finds something");
                }
            }
        }
    }
}
