//! Facet counting over a segment's matching documents: disjunctive counts
//! for every facet in one pass, and the documents passing every selection.

use fixedbitset::FixedBitSet;
use tantivy::DocId;

use super::Filters;
use crate::search::Facet;
use crate::search::flat::{Dictionary, FACETS, SegmentFacets, YEAR};

/// The selections as bits per value id.
pub(super) struct Selection {
    /// `1 << facet` for each selected value id, 0 for others.
    pub(super) bits: Vec<u8>,
    /// One bit per facet with a selection.
    pub(super) required: u8,
}

impl Selection {
    pub(super) fn new(filters: &Filters, dict: &Dictionary) -> Self {
        let mut bits = vec![0u8; dict.len()];
        let mut required = 0u8;
        for (facet, wanted) in filters.keyword.iter() {
            if wanted.is_empty() {
                continue;
            }
            required |= facet.bit();
            for value in wanted {
                if let Some(id) = dict.id(facet.index(), value) {
                    bits[id as usize] = facet.bit();
                }
            }
        }
        if filters.year_from.is_some() || filters.year_to.is_some() {
            required |= Facet::Year.bit();
            let range = filters.year_from.unwrap_or(0)..=filters.year_to.unwrap_or(u64::MAX);
            for (id, name) in dict.names.iter().enumerate() {
                if dict.facet(id) == YEAR && name.parse().is_ok_and(|y: u64| range.contains(&y)) {
                    bits[id] = Facet::Year.bit();
                }
            }
        }
        Self { bits, required }
    }

    /// The selections a document's values fail, one bit per facet.
    #[inline]
    pub(super) fn failed(&self, values: &[u32]) -> u8 {
        if self.required == 0 {
            return 0;
        }
        let mut passed = 0u8;
        for &id in values {
            passed |= self.bits.get(id as usize).copied().unwrap_or(0);
        }
        self.required & !passed
    }
}

/// Count one document's facet values; true when it passes every selection.
#[inline]
pub(super) fn visit(
    selection: &Selection,
    dict: &Dictionary,
    counts: &mut [u32],
    values: &[u32],
) -> bool {
    let failed = selection.failed(values);
    if failed == 0 {
        for &id in values {
            if let Some(n) = counts.get_mut(id as usize) {
                *n += 1;
            }
        }
        true
    } else {
        if failed.is_power_of_two() {
            for &id in values {
                if dict.bit.get(id as usize) == Some(&failed)
                    && let Some(n) = counts.get_mut(id as usize)
                {
                    *n += 1;
                }
            }
        }
        false
    }
}

/// How [`count_segment`] counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Way {
    /// Each matching document's values.
    PerDoc,
    /// Each value's of the documents that can count somewhere (failing at
    /// most one selection), found with bitsets first.
    PerDocInScope,
    /// Common values by popcount, rare values from their document lists.
    ByList,
    /// Common values by popcount, rare values from the documents in scope.
    ByDoc,
}

/// Count a segment's facet values over its matching documents and return
/// the documents passing every selection, whichever way is cheaper: reading
/// each matching document's values, or (when many match) intersecting each
/// value's documents with bitsets of the documents that count. `way` forces
/// a way (for tests); `None` picks the cheaper.
pub(super) fn count_segment(
    selection: &Selection,
    dict: &Dictionary,
    flat: &SegmentFacets,
    matches: &FixedBitSet,
    matched: usize,
    counts: &mut [u32],
    way: Option<Way>,
) -> FixedBitSet {
    let max_doc = matches.len();
    // Rough costs in one unit: a value read per document, a popcount per 64
    // documents per common value, a test per rare value's document.
    let values_per_doc = flat.values_per_doc();
    let popcounts = (flat.common.len() * max_doc.div_ceil(64)) as f64;
    let per_doc = |docs: usize| docs as f64 * values_per_doc * 4.0;
    if way == Some(Way::PerDoc) || (way.is_none() && per_doc(matched) <= popcounts) {
        let mut hits = FixedBitSet::with_capacity(max_doc);
        for doc in matches.ones() {
            if visit(selection, dict, counts, flat.values(doc as DocId)) {
                hits.insert(doc);
            }
        }
        return hits;
    }
    // Documents passing each facet's selection.
    let mut passes: Vec<(usize, FixedBitSet)> = Vec::new();
    for facet in Facet::ALL {
        let bit = facet.bit();
        if selection.required & bit == 0 {
            continue;
        }
        let mut set = FixedBitSet::with_capacity(max_doc);
        for (id, docs) in &flat.common {
            if selection.bits.get(*id as usize) == Some(&bit) {
                set.union_with(docs);
            }
        }
        for (i, id) in flat.rare.iter().enumerate() {
            if selection.bits.get(*id as usize) == Some(&bit) {
                for &doc in flat.rare_docs(i) {
                    set.insert(doc as usize);
                }
            }
        }
        passes.push((facet.index(), set));
    }
    let mut hits = matches.clone();
    for (_, set) in &passes {
        hits.intersect_with(set);
    }
    // What each facet counts over: the hits, or for a facet with a selection,
    // the matches passing every other selection. Together they are the
    // documents in scope: those failing at most one selection.
    let mut over: Vec<Option<FixedBitSet>> = vec![None; FACETS];
    let mut scope = hits.clone();
    for (facet, _) in &passes {
        let mut set = matches.clone();
        for (other, pass) in &passes {
            if other != facet {
                set.intersect_with(pass);
            }
        }
        scope.union_with(&set);
        over[*facet] = Some(set);
    }
    let in_scope = if passes.is_empty() {
        matched
    } else {
        scope.count_ones(..)
    };
    // Rare values are counted from their lists, or from the documents in
    // scope, whichever is shorter.
    let rare_per_doc = flat.rare_total() as f64 / max_doc.max(1) as f64;
    let by_list = flat.rare_total() as f64 * 2.0;
    let by_doc = in_scope as f64 * (1.0 + rare_per_doc * 3.0);
    let way = way.unwrap_or(if per_doc(in_scope) <= popcounts + by_list.min(by_doc) {
        Way::PerDocInScope
    } else if by_list <= by_doc {
        Way::ByList
    } else {
        Way::ByDoc
    });
    if way == Way::PerDocInScope {
        for doc in scope.ones() {
            visit(selection, dict, counts, flat.values(doc as DocId));
        }
        return hits;
    }
    let base =
        |id: u32| -> &FixedBitSet { over[dict.facet(id as usize)].as_ref().unwrap_or(&hits) };
    for (id, docs) in &flat.common {
        if let Some(n) = counts.get_mut(*id as usize) {
            *n += base(*id).intersection_count(docs) as u32;
        }
    }
    if way == Way::ByList {
        for (i, id) in flat.rare.iter().enumerate() {
            let set = base(*id);
            let found = flat
                .rare_docs(i)
                .iter()
                .filter(|&&doc| set.contains(doc as usize))
                .count();
            if let Some(n) = counts.get_mut(*id as usize) {
                *n += found as u32;
            }
        }
    } else if passes.is_empty() {
        // Without selections every document in scope is a hit and counts
        // every value it has: no test per value.
        for doc in scope.ones() {
            for &id in flat.rare_values(doc as DocId) {
                if let Some(n) = counts.get_mut(id as usize) {
                    *n += 1;
                }
            }
        }
    } else {
        for doc in scope.ones() {
            for &id in flat.rare_values(doc as DocId) {
                if base(id).contains(doc)
                    && let Some(n) = counts.get_mut(id as usize)
                {
                    *n += 1;
                }
            }
        }
    }
    hits
}
