//! The facets a search counts and filters by, named by [`Facet`] rather
//! than by position, and the values a request selects per keyword facet
//! ([`Selected`]).

use std::ops::{Index, IndexMut};

/// A facet dimension: the six keyword facets, in the API's order, then the
/// year. Its position ([`Facet::index`]) numbers it in the facet dictionary
/// and its bit ([`Facet::bit`]) marks it in a selection mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// Universal Library Offers.
    Offer,
    /// Resource type.
    Type,
    /// Region (hierarchical).
    Region,
    /// Organisation.
    Organisation,
    /// Language.
    Language,
    /// Tag.
    Tag,
    /// Publication year (selected as a range, not as values).
    Year,
}

impl Facet {
    /// The facets selected by value, in the API's order.
    pub const KEYWORD: [Facet; 6] = [
        Facet::Offer,
        Facet::Type,
        Facet::Region,
        Facet::Organisation,
        Facet::Language,
        Facet::Tag,
    ];

    /// Every facet: the keyword facets, then the year.
    pub const ALL: [Facet; 7] = [
        Facet::Offer,
        Facet::Type,
        Facet::Region,
        Facet::Organisation,
        Facet::Language,
        Facet::Tag,
        Facet::Year,
    ];

    /// Its position in [`Facet::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Its bit in a mask of facets.
    pub const fn bit(self) -> u8 {
        1 << self as u8
    }

    /// Its name: the URL parameter, the index field and the JSON key.
    pub const fn name(self) -> &'static str {
        match self {
            Facet::Offer => "offer",
            Facet::Type => "type",
            Facet::Region => "region",
            Facet::Organisation => "organisation",
            Facet::Language => "language",
            Facet::Tag => "tag",
            Facet::Year => "year",
        }
    }

    /// The keyword facet of this name (`offer`, `type`, ...); not the year.
    pub fn keyword(name: &str) -> Option<Facet> {
        Facet::KEYWORD.into_iter().find(|f| f.name() == name)
    }
}

/// The values selected per keyword facet; an empty list is no filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selected([Vec<String>; 6]);

impl Selected {
    /// Each keyword facet with its selected values, in the API's order.
    pub fn iter(&self) -> impl Iterator<Item = (Facet, &[String])> {
        Facet::KEYWORD
            .into_iter()
            .zip(self.0.iter().map(Vec::as_slice))
    }

    /// How many values are selected, over every facet.
    pub fn count(&self) -> usize {
        self.0.iter().map(Vec::len).sum()
    }
}

impl Index<Facet> for Selected {
    type Output = Vec<String>;

    /// The values selected for a keyword facet. The year has none: it is
    /// selected as a range (`year_from`, `year_to`), and asking for its
    /// values is a mistake in the caller.
    fn index(&self, facet: Facet) -> &Vec<String> {
        self.0
            .get(facet.index())
            .unwrap_or_else(|| panic!("the {} facet has no values to select", facet.name()))
    }
}

impl IndexMut<Facet> for Selected {
    fn index_mut(&mut self, facet: Facet) -> &mut Vec<String> {
        self.0
            .get_mut(facet.index())
            .unwrap_or_else(|| panic!("the {} facet has no values to select", facet.name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Positions, bits and names agree with the order of `ALL`, and only
    /// keyword facets are found by name.
    #[test]
    fn facets_are_numbered_in_order() {
        for (i, facet) in Facet::ALL.into_iter().enumerate() {
            assert_eq!(facet.index(), i);
            assert_eq!(facet.bit(), 1 << i);
        }
        assert_eq!(Facet::KEYWORD, Facet::ALL[..6]);
        assert_eq!(Facet::keyword("organisation"), Some(Facet::Organisation));
        assert_eq!(Facet::keyword("year"), None);
        assert_eq!(Facet::keyword("Offer"), None, "names are exact");
    }

    /// Selections are kept per facet and listed in the API's order.
    #[test]
    fn selections_are_kept_per_facet() {
        let mut selected = Selected::default();
        selected[Facet::Tag].push("sensory".into());
        selected[Facet::Offer].push("reading".into());
        selected[Facet::Offer].push("health-and-wellbeing".into());
        assert_eq!(selected.count(), 3);
        let listed: Vec<(Facet, usize)> = selected.iter().map(|(f, v)| (f, v.len())).collect();
        assert_eq!(listed[0], (Facet::Offer, 2));
        assert_eq!(listed[5], (Facet::Tag, 1));
        assert!(listed[1..5].iter().all(|(_, n)| *n == 0));
    }
}
