//! One pass over the matching documents that yields the page of hits, the
//! exact total and disjunctive facet counts together.
//!
//! For each document matching the text query, every facet filter is checked
//! against the document's fast-field ordinals. A document that passes all
//! filters is a hit and counts in every facet. A document that fails exactly
//! one filter counts only in that filter's facet: that is precisely the count
//! the facet would show if its own selection were dropped, which is what
//! disjunctive facets mean. Documents failing two or more filters are skipped.
//! So N facets cost one pass, not N + 1 queries.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};

use tantivy::columnar::StrColumn;

use super::flat::{FacetCache, SegmentFacets};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// Keyword facet dimensions, in API order (year is handled apart).
pub const KEYWORD_FACETS: [&str; 6] =
    ["offer", "type", "region", "organisation", "language", "tag"];
/// First year counted; resources are dated from 1850 on.
const YEAR_BASE: u64 = 1850;
/// Years counted, 1850 to 2105 (later years share the last slot).
const YEAR_SLOTS: usize = 256;
/// Bit index used for the year filter.
const YEAR_BIT: usize = KEYWORD_FACETS.len();

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
    /// Selected values per keyword facet (index into [`KEYWORD_FACETS`]); empty = no filter.
    pub keyword: [Vec<String>; 6],
    /// Inclusive year range.
    pub year_from: Option<u64>,
    /// Inclusive year range.
    pub year_to: Option<u64>,
}

/// A comparable sort key; larger is better.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Score(Score),
    Int(i64),
    /// Title ordinal within the segment, turned into text at harvest.
    Ord(u64),
    Text(String),
}

impl Key {
    fn cmp(&self, other: &Key) -> Ordering {
        match (self, other) {
            (Key::Score(a), Key::Score(b)) => a.total_cmp(b),
            (Key::Int(a), Key::Int(b)) => a.cmp(b),
            // Titles sort A to Z, so the smaller text is the better key.
            (Key::Ord(a), Key::Ord(b)) => b.cmp(a),
            (Key::Text(a), Key::Text(b)) => b.cmp(a),
            _ => Ordering::Equal,
        }
    }
}

#[derive(Debug)]
struct Ranked {
    key: Key,
    /// Tie-break: newer first, then lower address first.
    date: i64,
    address: DocAddress,
}

impl Ranked {
    fn better(&self, other: &Ranked) -> Ordering {
        self.key
            .cmp(&other.key)
            .then(self.date.cmp(&other.date))
            .then(other.address.cmp(&self.address))
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

/// What the collector returns.
#[derive(Debug, Default)]
pub struct Collected {
    /// Documents passing every filter.
    pub total: u64,
    /// The best `limit` hits, best first, with their score (0 when not ranked by score).
    pub top: Vec<(DocAddress, Score)>,
    /// Counts per keyword facet value.
    pub keyword_counts: [HashMap<String, u64>; 6],
    /// Counts per year.
    pub year_counts: HashMap<u64, u64>,
}

/// The collector; see the module documentation.
pub struct SearchCollector {
    /// Filters to apply.
    pub filters: Filters,
    /// How many top hits to keep (page × per_page).
    pub limit: usize,
    /// Order of hits.
    pub sort: Sort,
    /// Whether to count facets at all.
    pub facets: bool,
    /// Flat facet arrays per segment, shared across searches.
    pub cache: Arc<FacetCache>,
}

/// Per-segment state.
pub struct SegmentSearch {
    segment: SegmentOrdinal,
    flat: Arc<SegmentFacets>,
    /// Selected ordinals per keyword facet; `None` = no filter on it.
    selected: Vec<Option<Vec<u32>>>,
    title: Option<StrColumn>,
    year_range: Option<(u64, u64)>,
    counts: Vec<Vec<u32>>,
    /// Counts per year from [`YEAR_BASE`]; a plain array, as hashing a year
    /// per matching document showed up in profiles.
    year_slots: Vec<u64>,
    total: u64,
    heap: BinaryHeap<Ranked>,
    limit: usize,
    sort: Sort,
    facets: bool,
}

impl Collector for SearchCollector {
    type Fruit = Collected;
    type Child = SegmentSearch;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentSearch> {
        let fast = reader.fast_fields();
        let flat = self.cache.get(reader)?;
        let selected = (0..KEYWORD_FACETS.len())
            .map(|i| {
                let wanted = &self.filters.keyword[i];
                (!wanted.is_empty()).then(|| {
                    let mut ords: Vec<u32> = wanted
                        .iter()
                        .filter_map(|v| flat.keyword[i].ord(v))
                        .collect();
                    ords.sort_unstable();
                    ords
                })
            })
            .collect();
        let counts = if self.facets {
            flat.keyword
                .iter()
                .map(|f| vec![0u32; f.names.len()])
                .collect()
        } else {
            Vec::new()
        };
        let year_range = match (self.filters.year_from, self.filters.year_to) {
            (None, None) => None,
            (from, to) => Some((from.unwrap_or(0), to.unwrap_or(u64::MAX))),
        };
        Ok(SegmentSearch {
            segment,
            flat,
            selected,
            title: if self.sort == Sort::Title {
                fast.str("title_sort")?
            } else {
                None
            },
            year_range,
            counts,
            year_slots: vec![0; YEAR_SLOTS],
            total: 0,
            heap: BinaryHeap::with_capacity(self.limit + 1),
            limit: self.limit,
            sort: self.sort,
            facets: self.facets,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Collected> {
        let mut out = Collected::default();
        let mut ranked: Vec<(Key, i64, DocAddress, Score)> = Vec::new();
        for fruit in fruits {
            out.total += fruit.total;
            for (i, counts) in fruit.keyword_counts.into_iter().enumerate() {
                for (value, n) in counts {
                    *out.keyword_counts[i].entry(value).or_default() += n;
                }
            }
            for (year, n) in fruit.year_counts {
                *out.year_counts.entry(year).or_default() += n;
            }
            ranked.extend(fruit.top_keys);
        }
        ranked.sort_by(|a, b| {
            let x = Ranked {
                key: a.0.clone(),
                date: a.1,
                address: a.2,
            };
            let y = Ranked {
                key: b.0.clone(),
                date: b.1,
                address: b.2,
            };
            y.better(&x)
        });
        ranked.truncate(self.limit);
        out.top = ranked
            .into_iter()
            .map(|(_, _, address, score)| (address, score))
            .collect();
        Ok(out)
    }
}

/// A segment's result before merging (keys kept for the global sort).
#[derive(Debug, Default)]
pub struct SegmentFruit {
    total: u64,
    top_keys: Vec<(Key, i64, DocAddress, Score)>,
    keyword_counts: [HashMap<String, u64>; 6],
    year_counts: HashMap<u64, u64>,
}

impl SegmentSearch {
    #[inline]
    fn passes(&self, facet: usize, doc: DocId) -> bool {
        let Some(wanted) = &self.selected[facet] else {
            return true;
        };
        self.flat.keyword[facet]
            .values(doc)
            .iter()
            .any(|ord| wanted.binary_search(ord).is_ok())
    }

    #[inline]
    fn count(&mut self, facet: usize, doc: DocId) {
        let counts = &mut self.counts[facet];
        for &ord in self.flat.keyword[facet].values(doc) {
            if let Some(slot) = counts.get_mut(ord as usize) {
                *slot += 1;
            }
        }
    }
}

impl SegmentCollector for SegmentSearch {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let mut failed: Option<usize> = None;
        let year = u64::from(self.flat.year.get(doc as usize).copied().unwrap_or(0));
        for facet in 0..=YEAR_BIT {
            let ok = if facet == YEAR_BIT {
                self.year_range
                    .is_none_or(|(from, to)| (from..=to).contains(&year))
            } else {
                self.passes(facet, doc)
            };
            if !ok {
                if failed.is_some() {
                    return;
                }
                failed = Some(facet);
            }
        }
        if self.facets {
            for facet in 0..=YEAR_BIT {
                if failed.is_none_or(|f| f == facet) {
                    if facet == YEAR_BIT {
                        let slot = year.saturating_sub(YEAR_BASE) as usize;
                        if let Some(n) = self.year_slots.get_mut(slot.min(YEAR_SLOTS - 1)) {
                            *n += 1;
                        }
                    } else {
                        self.count(facet, doc);
                    }
                }
            }
        }
        if failed.is_some() {
            return;
        }
        self.total += 1;
        if self.limit == 0 {
            return;
        }
        let date = self.flat.date.get(doc as usize).copied().unwrap_or(0);
        let key = match self.sort {
            Sort::Relevance => Key::Score(score),
            Sort::Newest => Key::Int(date),
            Sort::Oldest => Key::Int(-date),
            Sort::Title => Key::Ord(
                self.title
                    .as_ref()
                    .and_then(|t| t.term_ords(doc).next())
                    .unwrap_or(u64::MAX),
            ),
        };
        let candidate = Ranked {
            key,
            date,
            address: DocAddress::new(self.segment, doc),
        };
        if self.heap.len() < self.limit {
            self.heap.push(candidate);
        } else if let Some(worst) = self.heap.peek()
            && candidate.better(worst) == Ordering::Greater
        {
            self.heap.pop();
            self.heap.push(candidate);
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut keyword_counts: [HashMap<String, u64>; 6] = Default::default();
        if self.facets {
            for (i, counts) in self.counts.iter().enumerate() {
                for (ord, &n) in counts.iter().enumerate() {
                    if n > 0
                        && let Some(name) = self.flat.keyword[i].names.get(ord)
                    {
                        keyword_counts[i].insert(name.clone(), u64::from(n));
                    }
                }
            }
        }
        let title = self.title;
        let top_keys = self
            .heap
            .into_vec()
            .into_iter()
            .map(|r| {
                let score = if let Key::Score(s) = r.key { s } else { 0.0 };
                let key = match (r.key, &title) {
                    (Key::Ord(ord), Some(column)) => {
                        let mut text = String::new();
                        let _ = column.ord_to_str(ord, &mut text);
                        Key::Text(text)
                    }
                    (key, _) => key,
                };
                (key, r.date, r.address, score)
            })
            .collect();
        SegmentFruit {
            total: self.total,
            top_keys,
            keyword_counts,
            year_counts: self
                .year_slots
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (YEAR_BASE + i as u64, *n))
                .collect(),
        }
    }
}
