//! Facet values of each segment as flat arrays, built once per segment and
//! shared by every search.
//!
//! Reading a multi-valued fast-field column goes through several layers of
//! indirection per document, and the facet pass reads six of them for every
//! matching document: in profiles that cost more than the query itself. A
//! segment never changes once written, so its values are copied once into
//! plain arrays (a few bytes per document) that the collector reads directly.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use super::collector::KEYWORD_FACETS;

/// The values of one keyword facet in one segment.
#[derive(Debug, Default)]
pub struct FlatFacet {
    /// `ords[offsets[doc]..offsets[doc + 1]]` are the document's value ordinals.
    offsets: Vec<u32>,
    ords: Vec<u32>,
    /// Value text per ordinal, in dictionary (sorted) order.
    pub names: Vec<String>,
}

impl FlatFacet {
    fn build(column: Option<StrColumn>, max_doc: DocId) -> tantivy::Result<Self> {
        let Some(column) = column else {
            return Ok(Self {
                offsets: vec![0; max_doc as usize + 1],
                ..Self::default()
            });
        };
        let mut names = Vec::with_capacity(column.num_terms());
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            names.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
        let mut offsets = Vec::with_capacity(max_doc as usize + 1);
        let mut ords = Vec::with_capacity(max_doc as usize);
        offsets.push(0);
        for doc in 0..max_doc {
            ords.extend(column.ords().values_for_doc(doc).map(|o| o as u32));
            offsets.push(ords.len() as u32);
        }
        Ok(Self {
            offsets,
            ords,
            names,
        })
    }

    /// The value ordinals of a document.
    #[inline]
    pub fn values(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        match (self.offsets.get(d), self.offsets.get(d + 1)) {
            (Some(&a), Some(&b)) => &self.ords[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The ordinal of a value, if any document in the segment has it.
    pub fn ord(&self, value: &str) -> Option<u32> {
        self.names
            .binary_search_by(|n| n.as_str().cmp(value))
            .ok()
            .map(|o| o as u32)
    }
}

/// Every facet of one segment, plus year and date per document.
#[derive(Debug)]
pub struct SegmentFacets {
    /// Keyword facets in [`KEYWORD_FACETS`] order.
    pub keyword: Vec<FlatFacet>,
    /// Publication year per document (0 when missing).
    pub year: Vec<u16>,
    /// Publication date `YYYYMMDD` per document.
    pub date: Vec<i64>,
}

impl SegmentFacets {
    fn build(reader: &SegmentReader) -> tantivy::Result<Self> {
        let fast = reader.fast_fields();
        let max_doc = reader.max_doc();
        let mut keyword = Vec::with_capacity(KEYWORD_FACETS.len());
        for name in KEYWORD_FACETS {
            keyword.push(FlatFacet::build(fast.str(name)?, max_doc)?);
        }
        let year_column = fast.u64("year")?;
        let date_column = fast.i64("date")?;
        let year = (0..max_doc)
            .map(|d| u16::try_from(year_column.first(d).unwrap_or(0)).unwrap_or(0))
            .collect();
        let date = (0..max_doc)
            .map(|d| date_column.first(d).unwrap_or(0))
            .collect();
        Ok(Self {
            keyword,
            year,
            date,
        })
    }
}

/// Flat facets per segment, built on first use and dropped with their segment.
#[derive(Default)]
pub struct FacetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetCache {
    /// The flat facets of a segment, building them the first time.
    pub fn get(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = reader.segment_id();
        if let Some(found) = self
            .segments
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&id)
        {
            return Ok(found.clone());
        }
        // Built outside the lock: two searches may both build a new segment's
        // arrays once, which is cheaper than making every search wait.
        let built = Arc::new(SegmentFacets::build(reader)?);
        let mut segments = self
            .segments
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok(segments.entry(id).or_insert(built).clone())
    }

    /// Forget segments that are no longer part of the index.
    pub fn retain(&self, live: &[SegmentId]) {
        self.segments
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|id, _| live.contains(id));
    }
}
