//! Record headers and `oai_dc` metadata.

use kb_indexer::resource::Resource;
use kb_indexer::vocabulary::Vocabularies;

use super::{Context, DC_NS, OAI_DC_NS, OAI_DC_XSD, XSI_NS};
use crate::search::CatalogueItem;
use crate::xml::{Xml, utc_seconds};

pub(super) fn header(x: &mut Xml, ctx: &Context, item: &CatalogueItem) {
    x.open("header", &[]);
    x.text("identifier", &[], &ctx.identifier(&item.id));
    x.text("datestamp", &[], &utc_seconds(item.modified));
    for offer in &item.offers {
        x.text("setSpec", &[], &format!("offer:{offer}"));
    }
    x.text("setSpec", &[], &format!("type:{}", item.resource_type));
    x.close("header");
}

/// The DCMI Type Vocabulary term for a resource type.
fn dcmi_type(resource_type: &str) -> &'static str {
    match resource_type {
        "video" => "MovingImage",
        "event" => "Event",
        _ => "Text",
    }
}

pub(super) fn record(
    x: &mut Xml,
    ctx: &Context,
    item: &CatalogueItem,
    r: &Resource,
    vocab: &Vocabularies,
) {
    x.open("record", &[]);
    header(x, ctx, item);
    x.open("metadata", &[]);
    x.open(
        "oai_dc:dc",
        &[
            ("xmlns:oai_dc", OAI_DC_NS),
            ("xmlns:dc", DC_NS),
            ("xmlns:xsi", XSI_NS),
            ("xsi:schemaLocation", &format!("{OAI_DC_NS} {OAI_DC_XSD}")),
        ],
    );
    // oai_dc.xsd takes the fifteen elements in any order; keep a readable one.
    x.text("dc:title", &[], &r.title);
    x.text("dc:creator", &[], &r.organisation);
    for offer in &r.offers {
        x.text("dc:subject", &[], vocab.offers.label(offer));
    }
    for tag in &r.tags {
        x.text("dc:subject", &[], tag);
    }
    x.text("dc:description", &[], &r.summary);
    x.text("dc:publisher", &[], &r.organisation);
    let date = r.published.clone().unwrap_or_else(|| r.year.to_string());
    x.text("dc:date", &[], &date);
    x.text("dc:type", &[], dcmi_type(&r.resource_type));
    x.text("dc:type", &[], vocab.types.label(&r.resource_type));
    x.text("dc:format", &[], "text/html");
    x.text(
        "dc:identifier",
        &[],
        &format!("{}/resources/{}", ctx.base_url, r.id),
    );
    // The attached document: its type and size, and where to get it.
    let md = kb_indexer::corpus::Corpus::path_for_id(&ctx.corpus, &r.id);
    if let Some(a) = kb_indexer::attachment::read_meta(&md) {
        x.text(
            "dc:format",
            &[],
            &format!("{} ({} bytes, {} pages)", a.media_type, a.bytes, a.pages),
        );
        x.text(
            "dc:relation",
            &[],
            &format!("{}/attachments/{}.pdf", ctx.base_url, a.sha256),
        );
    }
    if let Some(source) = &r.source_url {
        x.text("dc:source", &[], source);
    }
    x.text("dc:language", &[], &r.language);
    x.text("dc:coverage", &[], vocab.regions.label(&r.region));
    if let Some(licence) = &r.licence {
        x.text("dc:rights", &[], licence);
    }
    x.close("oai_dc:dc");
    x.close("metadata");
    x.close("record");
}
