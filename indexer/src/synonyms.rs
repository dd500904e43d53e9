//! Synonym groups and spelling variants, applied to queries.
//!
//! `corpus/synonyms.toml` holds `groups = [["wellbeing", "well-being"], ...]`.
//! When a query contains any member of a group (a word or a run of words),
//! the query also matches every other member, scored as equals.

use std::path::Path;

use serde::Deserialize;

/// Name of the synonyms file at the corpus root.
pub const SYNONYMS_FILE: &str = "synonyms.toml";

/// Synonym groups, each member split into lowercase words.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymsFile {
    groups: Vec<Vec<String>>,
}

/// The synonyms file is unreadable or malformed.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SynonymsError {
    /// File path.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_lowercase).collect()
}

impl Synonyms {
    /// Load the synonyms file; a missing file means no synonyms.
    pub fn load(path: &Path) -> Result<Self, SynonymsError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::from_toml(&text).map_err(|message| SynonymsError {
                path: path.display().to_string(),
                message,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(SynonymsError {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }

    /// Parse synonyms from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let file: SynonymsFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut groups = Vec::new();
        for (index, group) in file.groups.into_iter().enumerate() {
            let members: Vec<Vec<String>> = group
                .iter()
                .map(|m| words(m))
                .filter(|w| !w.is_empty())
                .collect();
            if members.len() < 2 {
                return Err(format!("group {} needs at least two members", index + 1));
            }
            groups.push(members);
        }
        Ok(Self { groups })
    }

    /// The longest member starting at `words[start]`: its length in words and
    /// the other members of its group.
    pub fn match_at(&self, words: &[String], start: usize) -> Option<(usize, Vec<&[String]>)> {
        let longest = self
            .groups
            .iter()
            .flatten()
            .map(Vec::len)
            .max()
            .unwrap_or(0);
        // Lowercased once per call, not once per member compared.
        let lowered: Vec<String> = words
            .iter()
            .skip(start)
            .take(longest)
            .map(|w| w.to_lowercase())
            .collect();
        let mut best: Option<(usize, usize, usize)> = None;
        for (g, group) in self.groups.iter().enumerate() {
            for (m, member) in group.iter().enumerate() {
                if member.len() <= lowered.len()
                    && lowered.iter().zip(member).all(|(a, b)| a == b)
                    && best.is_none_or(|(len, _, _)| member.len() > len)
                {
                    best = Some((member.len(), g, m));
                }
            }
        }
        best.map(|(len, g, m)| {
            let others = self.groups[g]
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != m)
                .map(|(_, w)| w.as_slice())
                .collect();
            (len, others)
        })
    }

    /// True when there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled file loads, and the longest member wins.
    #[test]
    fn longest_member_matches() {
        let s = Synonyms::from_toml(include_str!("../../corpus/synonyms.toml"))
            .expect("bundled synonyms");
        let q: Vec<String> = ["older", "people", "reading"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let (len, others) = s.match_at(&q, 0).expect("match");
        assert_eq!(len, 2);
        assert!(others.iter().any(|o| o.join(" ") == "older adults"));
        assert!(s.match_at(&q, 2).is_none());
        let q = vec!["Well-Being".to_string()];
        let (_, others) = s.match_at(&q, 0).expect("variant");
        assert!(others.iter().any(|o| o.join(" ") == "wellbeing"));
    }
}
