//! Controlled vocabularies: offers, resource types, regions and languages.
//!
//! Loaded from `corpus/vocabularies.toml`. Every value in a resource's front
//! matter is resolved through [`Vocabulary::resolve`], which accepts the slug,
//! the label or any alias, ignoring case and punctuation, so "Digital and
//! Information" and "information-and-digital" name the same offer.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// One controlled value: a stable slug, a label for people, other spellings.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// Stable identifier used in URLs, the index and the API.
    pub slug: String,
    /// Human-readable name shown on pages and in facets.
    pub label: String,
    /// The name in Welsh, for the Welsh interface (the English label when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_cy: Option<String>,
    /// Other names that mean the same value.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Parent slug, for hierarchical vocabularies (regions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

impl Term {
    /// The label in an interface language (`en`, `cy`), English by default.
    pub fn label_for(&self, lang: &str) -> &str {
        match (lang, &self.label_cy) {
            ("cy", Some(label)) => label,
            _ => &self.label,
        }
    }
}

/// A list of terms with a lookup from every accepted spelling to its slug.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    terms: Vec<Term>,
    lookup: HashMap<String, usize>,
}

/// All vocabularies of a corpus.
#[derive(Debug, Clone, Default)]
pub struct Vocabularies {
    /// The Universal Library Offers and the two promises.
    pub offers: Vocabulary,
    /// Resource types (case study, toolkit, ...).
    pub types: Vocabulary,
    /// Regions, a hierarchy through `parent`.
    pub regions: Vocabulary,
    /// Languages by ISO 639-1 code.
    pub languages: Vocabulary,
    /// Hash of the source file, so index builds notice vocabulary changes.
    pub fingerprint: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    offers: Vec<Term>,
    types: Vec<Term>,
    regions: Vec<Term>,
    languages: Vec<Term>,
}

/// Why a vocabulary file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum VocabularyError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// File path.
        path: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The TOML is malformed or has unexpected keys.
    #[error("{path}: {message}")]
    Parse {
        /// File path.
        path: String,
        /// What the TOML parser said, with line and column.
        message: String,
    },
    /// Two terms claim the same spelling, or a parent does not exist.
    #[error("{path}: {message}")]
    Invalid {
        /// File path.
        path: String,
        /// What is inconsistent.
        message: String,
    },
}

/// Lowercase and drop everything but letters and digits, so that
/// "Children's Promise", "childrens-promise" and "CHILDRENS PROMISE" compare equal.
pub fn normalise(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Vocabulary {
    /// Build a vocabulary, rejecting spellings claimed by two different terms.
    pub fn new(terms: Vec<Term>) -> Result<Self, String> {
        let mut lookup: HashMap<String, usize> = HashMap::new();
        for (index, term) in terms.iter().enumerate() {
            let spellings = std::iter::once(&term.slug)
                .chain(std::iter::once(&term.label))
                .chain(term.aliases.iter());
            for spelling in spellings {
                let key = normalise(spelling);
                if let Some(&other) = lookup.get(&key)
                    && other != index
                {
                    return Err(format!(
                        "\"{spelling}\" is claimed by both `{}` and `{}`",
                        terms[other].slug, term.slug
                    ));
                }
                lookup.insert(key, index);
            }
        }
        Ok(Self { terms, lookup })
    }

    /// The term for a slug, label or alias.
    pub fn resolve(&self, value: &str) -> Option<&Term> {
        self.lookup.get(&normalise(value)).map(|&i| &self.terms[i])
    }

    /// The term with exactly this slug.
    pub fn get(&self, slug: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.slug == slug)
    }

    /// Label for a slug, or the slug itself when unknown.
    pub fn label<'a>(&'a self, slug: &'a str) -> &'a str {
        self.get(slug).map_or(slug, |t| t.label.as_str())
    }

    /// Label for a slug in an interface language (`en`, `cy`); the English
    /// label when the term has none in that language, the slug when unknown.
    pub fn label_in<'a>(&'a self, slug: &'a str, lang: &str) -> &'a str {
        match self.get(slug) {
            Some(term) => term.label_for(lang),
            None => slug,
        }
    }

    /// All terms in file order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Up to three slugs closest to a misspelt value, best first.
    pub fn closest(&self, value: &str) -> Vec<&str> {
        let wanted = normalise(value);
        let mut scored: Vec<(f64, &str)> = self
            .lookup
            .iter()
            .map(|(spelling, &i)| {
                let mut score = strsim::jaro_winkler(&wanted, spelling);
                if !wanted.is_empty()
                    && (spelling.contains(&wanted) || wanted.contains(spelling.as_str()))
                {
                    score += 0.2;
                }
                (score, self.terms[i].slug.as_str())
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let mut best: Vec<&str> = Vec::new();
        for (score, slug) in scored {
            if score < 0.6 || best.len() == 3 {
                break;
            }
            if !best.contains(&slug) {
                best.push(slug);
            }
        }
        best
    }

    /// The slug and all its ancestors, root first (`england`, `north-west`).
    pub fn path(&self, slug: &str) -> Vec<String> {
        let mut path = vec![slug.to_string()];
        let mut current = self.get(slug);
        // The hierarchy is checked for cycles on load, but stay bounded anyway.
        for _ in 0..8 {
            match current.and_then(|t| t.parent.as_deref()) {
                Some(parent) => {
                    path.push(parent.to_string());
                    current = self.get(parent);
                }
                None => break,
            }
        }
        path.reverse();
        path
    }

    /// Slugs of the direct children of a term.
    pub fn children(&self, slug: &str) -> Vec<&Term> {
        self.terms
            .iter()
            .filter(|t| t.parent.as_deref() == Some(slug))
            .collect()
    }
}

impl Vocabularies {
    /// Load and check `vocabularies.toml`.
    pub fn load(path: &Path) -> Result<Self, VocabularyError> {
        let text = std::fs::read_to_string(path).map_err(|source| VocabularyError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// Parse vocabularies from TOML text; `origin` names the source in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, VocabularyError> {
        let file: VocabularyFile = toml::from_str(text).map_err(|e| VocabularyError::Parse {
            path: origin.to_string(),
            message: e.to_string(),
        })?;
        let invalid = |section: &str, message: String| VocabularyError::Invalid {
            path: origin.to_string(),
            message: format!("[[{section}]]: {message}"),
        };
        let regions = Vocabulary::new(file.regions).map_err(|m| invalid("regions", m))?;
        for term in regions.terms() {
            if let Some(parent) = &term.parent {
                if regions.get(parent).is_none() {
                    return Err(invalid(
                        "regions",
                        format!(
                            "`{}` has parent `{parent}`, which is not a region slug",
                            term.slug
                        ),
                    ));
                }
                if regions.path(&term.slug).len() > 4 {
                    return Err(invalid(
                        "regions",
                        format!("`{}` is in a parent cycle", term.slug),
                    ));
                }
            }
        }
        Ok(Self {
            offers: Vocabulary::new(file.offers).map_err(|m| invalid("offers", m))?,
            types: Vocabulary::new(file.types).map_err(|m| invalid("types", m))?,
            regions,
            languages: Vocabulary::new(file.languages).map_err(|m| invalid("languages", m))?,
            fingerprint: blake3::hash(text.as_bytes()).to_hex().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabularies {
        let text = include_str!("../../corpus/vocabularies.toml");
        Vocabularies::from_toml(text, "vocabularies.toml").expect("bundled vocabularies load")
    }

    /// Aliases in any case and punctuation resolve to the one slug, as contributors type them.
    #[test]
    fn aliases_resolve_to_slugs() {
        let v = vocab();
        for spelling in [
            "Digital and Information",
            "Information and digital",
            "information-and-digital",
        ] {
            assert_eq!(
                v.offers.resolve(spelling).map(|t| t.slug.as_str()),
                Some("information-and-digital")
            );
        }
        assert_eq!(
            v.types.resolve("Articles").map(|t| t.slug.as_str()),
            Some("article")
        );
        assert_eq!(
            v.offers
                .resolve("Children's Promise")
                .map(|t| t.slug.as_str()),
            Some("childrens-promise")
        );
        assert!(v.offers.resolve("astronomy").is_none());
    }

    /// A misspelling gets the intended slug as its first suggestion.
    #[test]
    fn closest_suggests_the_intended_value() {
        let v = vocab();
        assert_eq!(
            v.offers.closest("health-and-welbeing").first(),
            Some(&"health-and-wellbeing")
        );
        assert_eq!(v.regions.closest("north wset").first(), Some(&"north-west"));
    }

    /// Regions form the England > region hierarchy the filters rely on.
    #[test]
    fn region_paths_include_ancestors() {
        let v = vocab();
        assert_eq!(v.regions.path("north-west"), vec!["england", "north-west"]);
        assert_eq!(v.regions.path("wales"), vec!["wales"]);
        assert_eq!(v.regions.children("england").len(), 9);
    }

    /// A spelling claimed by two terms is refused with both names.
    #[test]
    fn ambiguous_alias_is_rejected() {
        let text = r#"
offers = [{ slug = "a", label = "A", aliases = ["x"] }, { slug = "b", label = "B", aliases = ["X"] }]
types = []
regions = []
languages = []
"#;
        let err = Vocabularies::from_toml(text, "v.toml").expect_err("ambiguous");
        assert!(
            err.to_string().contains("`a`") && err.to_string().contains("`b`"),
            "{err}"
        );
    }
}
