//! Facet values of each segment as flat arrays of value ids, built once per
//! segment and shared by every search.
//!
//! Every facet value in the index (offer, type, region, organisation,
//! language, tag and year) gets one id in a [`Dictionary`] shared by all
//! segments, so a search counts into one array indexed by id: no per-segment
//! tables to merge, no text hashed per query. A segment's documents keep
//! their value ids side by side (`values(doc)`), so the facet pass reads one
//! short contiguous run per matching document instead of a column per facet,
//! in document order. A segment never changes once written; its arrays are
//! built when it first appears and dropped with it.
//!
//! When a query matches a large share of a segment, reading every matching
//! document's values costs more than reading each value's documents, so a
//! segment also keeps its common values as bitsets (counted against the
//! match set with a popcount) and its rare values as document lists (each
//! document tested in the match set). The collector picks the cheaper way
//! per segment and query.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use fixedbitset::FixedBitSet;

use kb_indexer::rank::IdRanks;
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SegmentReader};

use super::facet::Facet;

/// Facet dimensions with ids: the keyword facets, then the year ([`Facet::ALL`]).
pub const FACETS: usize = Facet::ALL.len();
/// The year's position among [`FACETS`].
pub const YEAR: usize = Facet::Year.index();

/// Every facet value seen in the index, each numbered once.
#[derive(Debug, Default, Clone)]
pub struct Dictionary {
    /// Value text per id (a year as its digits).
    pub names: Vec<String>,
    /// `1 << facet` per id, facets in [`FACETS`] order.
    pub bit: Vec<u8>,
    ids: [HashMap<String, u32>; FACETS],
}

impl Dictionary {
    pub(super) fn intern(&mut self, facet: usize, name: &str) -> u32 {
        if let Some(&id) = self.ids[facet].get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 facet values");
        self.names.push(name.to_string());
        self.bit.push(1 << facet);
        self.ids[facet].insert(name.to_string(), id);
        id
    }

    /// The id of a value of a facet, if some document has had it.
    pub fn id(&self, facet: usize, name: &str) -> Option<u32> {
        self.ids[facet].get(name).copied()
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// The facet of an id.
    pub fn facet(&self, id: usize) -> usize {
        self.bit[id].trailing_zeros() as usize
    }
}

/// A value is common in a segment when at least one document in this many has it.
const COMMON: u32 = 32;

/// One segment's facet values and dates per document.
#[derive(Debug)]
pub struct SegmentFacets {
    /// `ids[offsets[doc]..offsets[doc + 1]]` are the document's value ids.
    offsets: Vec<u32>,
    ids: Vec<u32>,
    /// Publication date `YYYYMMDD` per document.
    pub date: Vec<i64>,
    /// Common values and the documents that have them.
    pub common: Vec<(u32, FixedBitSet)>,
    /// Rare values: `rare[i]` is had by `rare_docs[rare_starts[i]..rare_starts[i + 1]]`.
    pub rare: Vec<u32>,
    rare_starts: Vec<u32>,
    rare_docs: Vec<u32>,
    /// The rare value ids of each document: `rare_ids[rare_offsets[doc]..rare_offsets[doc + 1]]`.
    rare_offsets: Vec<u32>,
    rare_ids: Vec<u32>,
}

impl SegmentFacets {
    fn build(reader: &SegmentReader, dict: &mut Dictionary) -> tantivy::Result<Self> {
        let fast = reader.fast_fields();
        let max_doc = reader.max_doc();
        // Each column's own ordinals, mapped to dictionary ids.
        let mut columns = Vec::with_capacity(Facet::KEYWORD.len());
        for facet in Facet::KEYWORD {
            let Some(column) = fast.str(facet.name())? else {
                continue;
            };
            let mut global = Vec::with_capacity(column.num_terms());
            let mut stream = column.dictionary().stream()?;
            while stream.advance() {
                global.push(dict.intern(facet.index(), &String::from_utf8_lossy(stream.key())));
            }
            columns.push((column, global));
        }
        let year_column = fast.u64("year")?;
        let date_column = fast.i64("date")?;
        let mut years: HashMap<u64, u32> = HashMap::new();
        let mut offsets = Vec::with_capacity(max_doc as usize + 1);
        let mut ids = Vec::with_capacity(max_doc as usize * 8);
        let mut date = Vec::with_capacity(max_doc as usize);
        offsets.push(0);
        for doc in 0..max_doc {
            for (column, global) in &columns {
                ids.extend(
                    column
                        .ords()
                        .values_for_doc(doc)
                        .filter_map(|o| global.get(o as usize).copied()),
                );
            }
            if let Some(year) = year_column.first(doc) {
                let id = *years
                    .entry(year)
                    .or_insert_with(|| dict.intern(YEAR, &year.to_string()));
                ids.push(id);
            }
            offsets.push(u32::try_from(ids.len()).expect("fewer than 2^32 facet values"));
            date.push(date_column.first(doc).unwrap_or(0));
        }
        Ok(Self::from_rows(offsets, ids, date, dict.len()))
    }

    /// A segment from its documents' value ids (`ids[offsets[doc]..offsets[doc + 1]]`)
    /// and dates, for a dictionary of `values` ids.
    pub(super) fn from_rows(
        offsets: Vec<u32>,
        ids: Vec<u32>,
        date: Vec<i64>,
        values: usize,
    ) -> Self {
        let max_doc = u32::try_from(offsets.len().saturating_sub(1)).unwrap_or(u32::MAX);
        // Documents per value, then the common ones as bitsets and the rare
        // ones as lists, all in document order.
        let mut freq = vec![0u32; values];
        for &id in &ids {
            freq[id as usize] += 1;
        }
        let common_at = (max_doc / COMMON).max(1);
        let mut slot = vec![usize::MAX; values];
        let mut common = Vec::new();
        let mut rare = Vec::new();
        let mut rare_starts = vec![0u32];
        for (id, &n) in freq.iter().enumerate() {
            if n >= common_at {
                slot[id] = common.len();
                common.push((id as u32, FixedBitSet::with_capacity(max_doc as usize)));
            } else if n > 0 {
                slot[id] = rare.len();
                rare.push(id as u32);
                let last = rare_starts.last().copied().unwrap_or(0);
                rare_starts.push(last + n);
            }
        }
        let mut rare_docs = vec![0u32; rare_starts.last().copied().unwrap_or(0) as usize];
        let mut fill: Vec<u32> = rare_starts.clone();
        let mut rare_offsets = Vec::with_capacity(max_doc as usize + 1);
        let mut rare_ids = Vec::with_capacity(rare_docs.len());
        rare_offsets.push(0);
        for doc in 0..max_doc {
            let (a, b) = (offsets[doc as usize], offsets[doc as usize + 1]);
            for &id in &ids[a as usize..b as usize] {
                let i = slot[id as usize];
                if freq[id as usize] >= common_at {
                    common[i].1.insert(doc as usize);
                } else {
                    rare_docs[fill[i] as usize] = doc;
                    fill[i] += 1;
                    rare_ids.push(id);
                }
            }
            rare_offsets.push(rare_ids.len() as u32);
        }
        Self {
            offsets,
            ids,
            date,
            common,
            rare,
            rare_starts,
            rare_docs,
            rare_offsets,
            rare_ids,
        }
    }

    /// The rare value ids of a document.
    #[inline]
    pub fn rare_values(&self, doc: DocId) -> &[u32] {
        row(&self.rare_offsets, &self.rare_ids, doc)
    }

    /// The documents of the `i`-th rare value.
    #[inline]
    pub fn rare_docs(&self, i: usize) -> &[u32] {
        &self.rare_docs[self.rare_starts[i] as usize..self.rare_starts[i + 1] as usize]
    }

    /// Value ids stored per document, on average.
    pub fn values_per_doc(&self) -> f64 {
        self.ids.len() as f64 / (self.offsets.len().max(2) - 1) as f64
    }

    /// Documents in all rare values' lists.
    pub fn rare_total(&self) -> usize {
        self.rare_docs.len()
    }

    /// The value ids of a document, all facets together.
    #[inline]
    pub fn values(&self, doc: DocId) -> &[u32] {
        row(&self.offsets, &self.ids, doc)
    }
}

/// A document's entries in a table stored as offsets and entries.
#[inline]
fn row<'a>(offsets: &[u32], entries: &'a [u32], doc: DocId) -> &'a [u32] {
    let d = doc as usize;
    match (offsets.get(d), offsets.get(d + 1)) {
        (Some(&a), Some(&b)) => entries.get(a as usize..b as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// The facet arrays a search needs: the dictionary and each segment's values,
/// by segment ordinal.
pub struct Prepared {
    /// Every value's id, covering all of `segments`.
    pub dict: Arc<Dictionary>,
    /// Per segment of the searcher, in order.
    pub segments: Vec<Arc<SegmentFacets>>,
    /// Each document's id rank, the relevance tie-break.
    pub ranks: Arc<IdRanks>,
}

#[derive(Default)]
struct State {
    dict: Arc<Dictionary>,
    segments: HashMap<SegmentId, Arc<SegmentFacets>>,
    /// Id ranks of the last set of segments seen (they change with any segment).
    ranks: Option<(Vec<SegmentId>, Arc<IdRanks>)>,
}

/// Flat facets per segment, built on first use and dropped with their segment.
#[derive(Default)]
pub struct FacetCache {
    state: Mutex<State>,
}

impl FacetCache {
    /// The facet arrays of the searcher's segments, building those of new
    /// segments (under the lock: that happens once per segment, and a
    /// search waiting for it would otherwise build it again) and forgetting
    /// segments merged away.
    pub fn prepare(&self, searcher: &Searcher) -> tantivy::Result<Prepared> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        state.segments.retain(|id, _| live.contains(id));
        let mut segments = Vec::with_capacity(live.len());
        for reader in searcher.segment_readers() {
            let id = reader.segment_id();
            let flat = match state.segments.get(&id) {
                Some(found) => found.clone(),
                None => {
                    let State { dict, segments, .. } = &mut *state;
                    let built = Arc::new(SegmentFacets::build(reader, Arc::make_mut(dict))?);
                    segments.insert(id, built.clone());
                    built
                }
            };
            segments.push(flat);
        }
        let ranks = match &state.ranks {
            Some((ids, ranks)) if *ids == live => ranks.clone(),
            _ => {
                let ranks = Arc::new(IdRanks::new(searcher)?);
                state.ranks = Some((live, ranks.clone()));
                ranks
            }
        };
        Ok(Prepared {
            dict: state.dict.clone(),
            segments,
            ranks,
        })
    }
}
