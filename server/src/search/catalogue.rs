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

use super::{Engine, SearchError, stored_meta};

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
    /// The stored resource behind an item, without its body (harvesting,
    /// feeds and exports describe resources; they never carry the body).
    pub fn resource(&self, item: &CatalogueItem) -> Result<Option<Resource>, SearchError> {
        let doc: TantivyDocument = self.searcher.doc(item.address)?;
        Ok(stored_meta(&doc, &self.schema))
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

/// Every term of a column's dictionary, indexed by ordinal: one sequential
/// pass, much cheaper than looking each document's ordinal up on its own.
fn dictionary_terms(column: &StrColumn) -> std::io::Result<Vec<String>> {
    let mut terms = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
}

/// The values of one document, through a table from [`dictionary_terms`].
fn values<'t>(
    column: &StrColumn,
    terms: &'t [String],
    doc: u32,
) -> impl Iterator<Item = &'t String> {
    column
        .term_ords(doc)
        .filter_map(move |ord| terms.get(usize::try_from(ord).ok()?))
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
            let io = |e: std::io::Error| tantivy::TantivyError::from(e);
            let id_terms = dictionary_terms(&ids).map_err(io)?;
            let path_terms = dictionary_terms(&paths).map_err(io)?;
            let offer_terms = dictionary_terms(&offers).map_err(io)?;
            let type_terms = dictionary_terms(&types).map_err(io)?;
            for doc in segment.doc_ids_alive() {
                let Some(id) = values(&ids, &id_terms, doc).next() else {
                    continue;
                };
                let path = values(&paths, &path_terms, doc).next();
                items.push(CatalogueItem {
                    modified: self.file_modified(path.map_or("", String::as_str)),
                    id: id.clone(),
                    offers: values(&offers, &offer_terms, doc).cloned().collect(),
                    resource_type: values(&types, &type_terms, doc)
                        .next()
                        .cloned()
                        .unwrap_or_default(),
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
