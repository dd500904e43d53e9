//! The order of hits by relevance, shared by the server and `kb-index eval`.
//!
//! A hit's place is decided by its score (word scores, then the proximity
//! bonus on the best [`RESCORE_DEPTH`]), then by its date (newer first), then
//! by its id (greater first, which is `trec_eval`'s order for equal scores).
//! Nothing depends on how documents fall into segments, so a rebuilt or
//! merged index, an evaluation run and the server all give the same order.
//!
//! The id tie-break needs the ids' global order: [`IdRanks`] gives each
//! document the rank of its id among all ids of the searcher, built once per
//! set of segments.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use fixedbitset::FixedBitSet;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::query::{Compiled, RESCORE_DEPTH};

/// Each document's rank of its id among every id of a searcher, per segment.
#[derive(Debug, Default)]
pub struct IdRanks {
    segments: Vec<Vec<u32>>,
}

impl IdRanks {
    /// Read the ids of every segment (the `id` fast column) and rank them.
    pub fn new(searcher: &Searcher) -> tantivy::Result<Self> {
        let mut terms: Vec<(Vec<u8>, usize, u64)> = Vec::new();
        let mut columns = Vec::with_capacity(searcher.segment_readers().len());
        for (segment, reader) in searcher.segment_readers().iter().enumerate() {
            let column = reader.fast_fields().str("id")?;
            if let Some(column) = &column {
                let mut stream = column.dictionary().stream()?;
                let mut ord = 0u64;
                while stream.advance() {
                    terms.push((stream.key().to_vec(), segment, ord));
                    ord += 1;
                }
            }
            columns.push(column);
        }
        terms.sort_unstable();
        let mut by_ord: Vec<Vec<u32>> = columns
            .iter()
            .map(|c| vec![0; c.as_ref().map_or(0, |c| c.num_terms())])
            .collect();
        let mut rank = 0u32;
        for (i, (term, segment, ord)) in terms.iter().enumerate() {
            // Equal ids (an old and a new version across segments) share a rank.
            if i > 0 && terms[i - 1].0 != *term {
                rank += 1;
            }
            by_ord[*segment][*ord as usize] = rank;
        }
        let segments = searcher
            .segment_readers()
            .iter()
            .zip(&columns)
            .zip(&by_ord)
            .map(|((reader, column), ranks)| {
                (0..reader.max_doc())
                    .map(|doc| {
                        column
                            .as_ref()
                            .and_then(|c| c.term_ords(doc).next())
                            .and_then(|ord| ranks.get(ord as usize).copied())
                            .unwrap_or(0)
                    })
                    .collect()
            })
            .collect();
        Ok(Self { segments })
    }

    /// The ranks of one segment's documents, by document id.
    pub fn segment(&self, segment: SegmentOrdinal) -> &[u32] {
        self.segments
            .get(segment as usize)
            .map_or(&[][..], Vec::as_slice)
    }
}

/// Scores are ranked in steps of this size (2^-12). A document's BM25 sum
/// is added up in an order that depends on how the index fell into segments
/// (block-max WAND sums its clauses as their postings line up), so a
/// rebuild can move a score by a few units in its last place; in steps,
/// such scores are equal and the tie-breaks (date, then id) decide, the
/// same way on every build.
pub const SCORE_STEP: Score = 1.0 / 4096.0;

/// `score` to the nearest [`SCORE_STEP`] (exact: the step is a power of two).
pub fn settle(score: Score) -> Score {
    (score / SCORE_STEP).round() * SCORE_STEP
}

/// A scored hit with its tie-breaks.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Relevance score, in steps of [`SCORE_STEP`].
    pub score: Score,
    /// Publication date as `YYYYMMDD` (0 when unknown).
    pub date: i64,
    /// Rank of the id among all ids.
    pub id_rank: u32,
    /// Where the document is.
    pub address: DocAddress,
}

impl Candidate {
    /// `Greater` when `self` ranks above `other`.
    pub fn better(&self, other: &Candidate) -> Ordering {
        self.score.total_cmp(&other.score).then_with(|| {
            break_tie(
                (self.date, self.id_rank, self.address),
                (other.date, other.id_rank, other.address),
            )
        })
    }
}

/// The one tie-break of every order (relevance, date, title), given each
/// hit's `(date, id rank, address)`; `Greater` when `a` goes first: the
/// later date, then the id's global rank ([`IdRanks`]), and only for two
/// copies of one id the earlier address.
pub fn break_tie(a: (i64, u32, DocAddress), b: (i64, u32, DocAddress)) -> Ordering {
    a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2))
}

struct Worst(Candidate);

impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.0.better(&other.0) == Ordering::Equal
    }
}
impl Eq for Worst {}
impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Worst {
    // Reversed, so the heap's top is the worst kept candidate.
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.better(&self.0)
    }
}

/// The best `limit` candidates seen so far.
pub struct Top {
    heap: BinaryHeap<Worst>,
    limit: usize,
}

impl Top {
    /// Keep at most `limit`.
    pub fn new(limit: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(limit + 1),
            limit,
        }
    }

    /// Keep `candidate` if it is among the best so far.
    pub fn offer(&mut self, candidate: Candidate) {
        if self.limit == 0 {
            return;
        }
        if self.heap.len() < self.limit {
            self.heap.push(Worst(candidate));
        } else if let Some(worst) = self.heap.peek()
            && candidate.better(&worst.0) == Ordering::Greater
        {
            self.heap.pop();
            self.heap.push(Worst(candidate));
        }
    }

    /// Take in another list's candidates.
    pub fn merge(&mut self, other: Top) {
        for Worst(c) in other.heap {
            self.offer(c);
        }
    }

    /// Raw scores above this may still enter: every score that settles to
    /// the worst kept one's step may win on date and id.
    pub fn threshold(&self) -> Score {
        match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.limit => {
                (worst.0.score - SCORE_STEP / 2.0).next_down()
            }
            _ => Score::NEG_INFINITY,
        }
    }

    /// The candidates, best first.
    pub fn into_sorted(self) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = self.heap.into_iter().map(|w| w.0).collect();
        out.sort_by(|a, b| b.better(a));
        out
    }
}

/// Which documents of a segment may be ranked.
pub enum Within<'a> {
    /// Every document the query matches.
    All,
    /// Only these (documents passing the filters), in a bitset by document id.
    Docs(&'a FixedBitSet),
}

/// Score one segment's matches into `top`.
///
/// `exhaustive` scores every hit one by one (phrases cannot skip, and it is
/// cheaper when filters leave few hits); otherwise block-max WAND skips
/// blocks that cannot enter the list. `dates` and `ranks` are per document.
#[allow(clippy::too_many_arguments)]
pub fn rank_segment(
    weight: &dyn Weight,
    reader: &SegmentReader,
    segment: SegmentOrdinal,
    within: &Within<'_>,
    exhaustive: bool,
    dates: &[i64],
    ranks: &[u32],
    top: &mut Top,
) -> tantivy::Result<()> {
    let candidate = |doc: DocId, score: Score| Candidate {
        score: settle(score),
        date: dates.get(doc as usize).copied().unwrap_or(0),
        id_rank: ranks.get(doc as usize).copied().unwrap_or(0),
        address: DocAddress::new(segment, doc),
    };
    match (within, exhaustive) {
        (Within::Docs(hits), true) => {
            let mut scorer = weight.scorer(reader, 1.0)?;
            for doc in hits.ones() {
                let doc = doc as DocId;
                if scorer.doc() < doc {
                    scorer.seek(doc);
                }
                if scorer.doc() == doc {
                    top.offer(candidate(doc, scorer.score()));
                }
            }
        }
        (Within::All, true) => {
            let alive = reader.alive_bitset();
            weight.for_each(reader, &mut |doc, score| {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    top.offer(candidate(doc, score));
                }
            })?;
        }
        (within, false) => {
            let alive = reader.alive_bitset();
            let threshold = top.threshold();
            weight.for_each_pruning(threshold, reader, &mut |doc, score| {
                let keep = match within {
                    Within::Docs(hits) => hits.contains(doc as usize),
                    Within::All => alive.is_none_or(|a| a.is_alive(doc)),
                };
                if keep {
                    top.offer(candidate(doc, score));
                }
                top.threshold()
            })?;
        }
    }
    Ok(())
}

/// The final order: the proximity bonus added to the best [`RESCORE_DEPTH`]
/// candidates, re-sorted, cut to `limit`.
pub fn finish(
    searcher: &Searcher,
    compiled: &Compiled,
    top: Top,
    limit: usize,
) -> tantivy::Result<Vec<Candidate>> {
    let mut ranked = top.into_sorted();
    let mut scored: Vec<(Score, DocAddress)> =
        ranked.iter().map(|c| (c.score, c.address)).collect();
    compiled.add_bonus(searcher, &mut scored)?;
    for (c, (score, _)) in ranked.iter_mut().zip(&scored) {
        c.score = settle(*score);
    }
    ranked.sort_by(|a, b| b.better(a));
    ranked.truncate(limit);
    Ok(ranked)
}

/// How many candidates a ranking keeps for a page ending at `limit`: the
/// bonus reorders the best [`RESCORE_DEPTH`], so at least that many.
pub fn depth(limit: usize) -> usize {
    if limit == 0 {
        0
    } else {
        limit.max(RESCORE_DEPTH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(score: Score, date: i64, id_rank: u32, doc: DocId) -> Candidate {
        Candidate {
            score,
            date,
            id_rank,
            address: DocAddress::new(0, doc),
        }
    }

    /// Equal scores are ordered by date, then by id, never by where the
    /// document sits in the index: the order survives a rebuild.
    #[test]
    fn ties_are_decided_by_date_then_id() {
        let mut top = Top::new(3);
        top.offer(c(1.0, 0, 5, 0));
        top.offer(c(1.0, 0, 9, 1));
        top.offer(c(1.0, 20200101, 1, 2));
        top.offer(c(0.5, 0, 99, 3));
        let order: Vec<u32> = top.into_sorted().iter().map(|c| c.id_rank).collect();
        assert_eq!(order, vec![1, 9, 5]);
    }

    /// Scores a few units apart in their last place (one build summing a
    /// document's clauses in another order than the next) settle to the
    /// same step, so the id decides between them on every build; scores a
    /// step apart keep their order, and the threshold lets in every raw
    /// score that settles to the worst kept step.
    #[test]
    fn scores_a_rounding_apart_tie() {
        let raw: Score = 12.345_678;
        let nudged = raw.next_up().next_up().next_up();
        assert_eq!(settle(raw), settle(nudged));
        let mut top = Top::new(1);
        top.offer(c(settle(nudged), 0, 1, 0));
        top.offer(c(settle(raw), 0, 2, 1));
        let kept: Vec<u32> = top.into_sorted().iter().map(|c| c.id_rank).collect();
        assert_eq!(kept, vec![2], "the id decides, not the last place");
        let mut apart = Top::new(2);
        apart.offer(c(settle(raw), 0, 1, 0));
        apart.offer(c(settle(raw + SCORE_STEP), 0, 0, 1));
        let order: Vec<u32> = apart.into_sorted().iter().map(|c| c.id_rank).collect();
        assert_eq!(order, vec![0, 1]);
        let mut full = Top::new(1);
        full.offer(c(settle(raw), 0, 0, 0));
        let lowest_same_step = settle(raw) - SCORE_STEP / 2.0;
        assert!(lowest_same_step > full.threshold());
        assert_eq!(settle(lowest_same_step), settle(raw));
        assert!(settle(full.threshold()) < settle(raw));
    }

    /// A full list keeps a tied candidate that wins the tie-break and drops one that loses it.
    #[test]
    fn a_full_list_admits_better_ties_only() {
        let mut top = Top::new(1);
        top.offer(c(1.0, 0, 5, 0));
        top.offer(c(1.0, 0, 4, 1));
        assert_eq!(top.threshold(), (1.0 - SCORE_STEP / 2.0).next_down());
        top.offer(c(1.0, 0, 6, 2));
        let kept: Vec<u32> = top.into_sorted().iter().map(|c| c.id_rank).collect();
        assert_eq!(kept, vec![6]);
    }
}
