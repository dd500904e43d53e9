//! A resource's PDF attachment as the corpus keeps it: beside
//! `<year>/<slug>.md`, its extracted text in `<slug>.pdf.txt` (indexed in the
//! attachment field, so a rebuild finds it again) and what is known of the
//! file in `<slug>.pdf.json`. The file itself lives in the server's data
//! folder, named by its SHA-256.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What is known of an attached PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentMeta {
    /// SHA-256 of the file, in hex: its name in the data folder.
    pub sha256: String,
    /// The file name the contributor gave.
    pub name: String,
    /// Media type (`application/pdf`).
    #[serde(rename = "type")]
    pub media_type: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Number of pages.
    pub pages: u32,
    /// Characters of extracted text (not counting spaces).
    pub text_chars: u64,
    /// Whether any page has text; a scanned PDF has none.
    pub has_text_layer: bool,
}

/// `<slug>.pdf.txt` beside the resource file `md`.
pub fn text_path(md: &Path) -> PathBuf {
    md.with_extension("pdf.txt")
}

/// `<slug>.pdf.json` beside the resource file `md`.
pub fn meta_path(md: &Path) -> PathBuf {
    md.with_extension("pdf.json")
}

/// The attachment text of the resource file `md`, when it has one.
pub fn read_text(md: &Path) -> Option<String> {
    std::fs::read_to_string(text_path(md)).ok()
}

/// What is known of the attachment of the resource file `md`, when it has one.
pub fn read_meta(md: &Path) -> Option<AttachmentMeta> {
    let text = std::fs::read_to_string(meta_path(md)).ok()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sidecars sit beside the resource file, named after it.
    #[test]
    fn sidecars_beside_the_resource() {
        let md = Path::new("corpus/2024/chess-club.md");
        assert_eq!(text_path(md), Path::new("corpus/2024/chess-club.pdf.txt"));
        assert_eq!(meta_path(md), Path::new("corpus/2024/chess-club.pdf.json"));
    }
}
