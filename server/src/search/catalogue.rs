//! The whole catalogue in id order, for harvesting, feeds, sitemaps and exports.
//!
//! Listing reads only fast fields (id, path, offers, type), so it stays cheap
//! on a large index; stored resources are loaded page by page afterwards from
//! the same [`Searcher`], so one request sees one consistent commit.
//!
//! A resource's *datestamp* (the OAI-PMH datestamp, the sitemap `lastmod` and
//! the Atom `updated`) is the modification time of its corpus file: the corpus
//! is the store of record, so a change to the file is a change to the record.

use std::time::SystemTime;

use kb_indexer::resource::Resource;
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, Searcher, TantivyDocument};
use time::OffsetDateTime;

use super::{Engine, SearchError, stored_resource};

/// One published resource, as listed from fast fields.
#[derive(Debug, Clone)]
pub struct CatalogueItem {
    /// Resource id.
    pub id: String,
    /// Offer slugs.
    pub offers: Vec<String>,
    /// Type slug.
    pub resource_type: String,
    /// Modification time of the corpus file, to the second, in UTC.
    pub modified: OffsetDateTime,
    address: DocAddress,
}

/// Every searchable resource at one commit, sorted by id.
pub struct Catalogue {
    searcher: Searcher,
    schema: kb_indexer::schema::KbSchema,
    /// Items sorted by id.
    pub items: Vec<CatalogueItem>,
}

impl Catalogue {
    /// The full stored resource behind an item.
    pub fn resource(&self, item: &CatalogueItem) -> Result<Option<Resource>, SearchError> {
        let doc: TantivyDocument = self.searcher.doc(item.address)?;
        Ok(stored_resource(&doc, &self.schema))
    }

    /// The item with this id.
    pub fn get(&self, id: &str) -> Option<&CatalogueItem> {
        self.items
            .binary_search_by(|item| item.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.items[i])
    }

    /// The oldest datestamp, or `None` for an empty catalogue.
    pub fn earliest(&self) -> Option<OffsetDateTime> {
        self.items.iter().map(|i| i.modified).min()
    }

    /// The newest datestamp, or `None` for an empty catalogue.
    pub fn latest(&self) -> Option<OffsetDateTime> {
        self.items.iter().map(|i| i.modified).max()
    }
}

fn read_all(column: &StrColumn, doc: u32) -> Vec<String> {
    let mut out = Vec::new();
    for ord in column.term_ords(doc) {
        let mut value = String::new();
        if column.ord_to_str(ord, &mut value).unwrap_or(false) {
            out.push(value);
        }
    }
    out
}

fn to_utc_second(time: SystemTime) -> OffsetDateTime {
    let t = OffsetDateTime::from(time);
    t.replace_nanosecond(0).unwrap_or(t)
}

impl Engine {
    /// Every searchable resource, sorted by id, with its datestamp.
    pub fn catalogue(&self) -> Result<Catalogue, SearchError> {
        let searcher = self.searcher();
        let name = |f| self.schema.schema.get_field_name(f).to_string();
        let (id_name, path_name, offer_name, type_name) = (
            name(self.schema.id),
            name(self.schema.path),
            name(self.schema.offer),
            name(self.schema.resource_type),
        );
        let mut items = Vec::new();
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let fast = segment.fast_fields();
            let (Some(ids), Some(paths), Some(offers), Some(types)) = (
                fast.str(&id_name)?,
                fast.str(&path_name)?,
                fast.str(&offer_name)?,
                fast.str(&type_name)?,
            ) else {
                continue;
            };
            for doc in segment.doc_ids_alive() {
                let Some(id) = read_all(&ids, doc).into_iter().next() else {
                    continue;
                };
                let path = read_all(&paths, doc).into_iter().next().unwrap_or_default();
                items.push(CatalogueItem {
                    modified: self.file_modified(&path),
                    id,
                    offers: read_all(&offers, doc),
                    resource_type: read_all(&types, doc).into_iter().next().unwrap_or_default(),
                    address: DocAddress::new(segment_ord as u32, doc),
                });
            }
        }
        items.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Catalogue {
            searcher,
            schema: self.schema.clone(),
            items,
        })
    }

    /// Modification time of a corpus file; the Unix epoch when it cannot be
    /// read (the file vanished since indexing), so the record still harvests.
    fn file_modified(&self, path: &str) -> OffsetDateTime {
        std::fs::metadata(self.corpus_dir.join(path))
            .and_then(|m| m.modified())
            .map_or(OffsetDateTime::UNIX_EPOCH, to_utc_second)
    }

    /// The datestamp of one resource (see the module docs), if it exists.
    pub fn modified(&self, id: &str) -> Result<Option<OffsetDateTime>, SearchError> {
        let searcher = self.searcher();
        let Some(address) = self.address_of(&searcher, id)? else {
            return Ok(None);
        };
        let segment = searcher.segment_reader(address.segment_ord);
        let path_name = self.schema.schema.get_field_name(self.schema.path);
        let Some(paths) = segment.fast_fields().str(path_name)? else {
            return Ok(None);
        };
        let path = read_all(&paths, address.doc_id)
            .into_iter()
            .next()
            .unwrap_or_default();
        Ok(Some(self.file_modified(&path)))
    }
}
