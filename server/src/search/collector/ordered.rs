//! The best hits by date or by title, kept while the counting pass walks
//! the hits (relevance order is [`kb_indexer::rank`]'s).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::DocAddress;

/// A comparable sort key; larger is better.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Key {
    Int(i64),
    /// Title ordinal within the segment, turned into text at harvest.
    Ord(u64),
    Text(String),
}

impl Key {
    fn cmp(&self, other: &Key) -> Ordering {
        match (self, other) {
            (Key::Int(a), Key::Int(b)) => a.cmp(b),
            // Titles sort A to Z, so the smaller text is the better key.
            (Key::Ord(a), Key::Ord(b)) => b.cmp(a),
            (Key::Text(a), Key::Text(b)) => b.cmp(a),
            _ => Ordering::Equal,
        }
    }
}

#[derive(Debug)]
pub(super) struct Ranked {
    pub(super) key: Key,
    /// Tie-breaks: newer first, then the greater id (as in [`rank`]).
    pub(super) date: i64,
    pub(super) id_rank: u32,
    pub(super) address: DocAddress,
}

impl Ranked {
    pub(super) fn better(&self, other: &Ranked) -> Ordering {
        self.key.cmp(&other.key).then_with(|| {
            kb_indexer::rank::break_tie(
                (self.date, self.id_rank, self.address),
                (other.date, other.id_rank, other.address),
            )
        })
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.better(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    // Reversed, so BinaryHeap's top is the worst kept hit.
    fn cmp(&self, other: &Self) -> Ordering {
        other.better(self)
    }
}

/// The best `limit` entries seen so far.
pub(super) struct Top {
    pub(super) heap: BinaryHeap<Ranked>,
    limit: usize,
}

impl Top {
    pub(super) fn new(limit: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(limit + 1),
            limit,
        }
    }

    pub(super) fn offer(&mut self, candidate: Ranked) {
        if self.heap.len() < self.limit {
            self.heap.push(candidate);
        } else if let Some(worst) = self.heap.peek()
            && candidate.better(worst) == Ordering::Greater
        {
            self.heap.pop();
            self.heap.push(candidate);
        }
    }
}
