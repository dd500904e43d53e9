//! OAI-PMH 2.0 at `/oai` (GET and form POST), with `oai_dc` records.
//!
//! - Identifiers are `oai:<host>:<resource id>`, host taken from the base URL.
//! - Sets: `offer` and `type`, with one subset per vocabulary value
//!   (`offer:reading`, `type:case-study`).
//! - Datestamps are the corpus files' modification times (see
//!   [`crate::search::Catalogue`]), granularity `YYYY-MM-DDThh:mm:ssZ`; `from`
//!   and `until` also accept `YYYY-MM-DD`.
//! - Lists are sorted by id and paged [`PAGE_SIZE`] at a time. A resumption
//!   token is opaque to harvesters but carries the offset and the original
//!   arguments, so the server keeps no harvest state.
//! - `deletedRecord` is `no`: removed resources simply disappear.
//!
//! Protocol errors are OAI-PMH `<error>` elements in a 200 answer, as the
//! protocol requires, never JSON.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Router, body::Bytes};
use kb_indexer::resource::Resource;
use kb_indexer::vocabulary::Vocabularies;
use time::OffsetDateTime;

use crate::search::{Catalogue, CatalogueItem};
use crate::state::AppState;
use crate::xml::{Xml, utc_seconds};

mod dc;
mod protocol;

use dc::{header, record};
pub use protocol::OaiError;
use protocol::{ListArgs, Request, err, parse_bound, parse_request};

/// Records or headers per list answer.
pub const PAGE_SIZE: usize = 50;
/// The only metadata format served.
pub const OAI_DC: &str = "oai_dc";

const OAI_NS: &str = "http://www.openarchives.org/OAI/2.0/";
const OAI_SCHEMA: &str =
    "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd";
const OAI_DC_NS: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
const OAI_DC_XSD: &str = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The `/oai` route.
pub fn router() -> Router<AppState> {
    Router::new().route("/oai", get(oai_get).post(oai_post))
}

async fn oai_get(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    answer(state, query.unwrap_or_default()).await
}

/// OAI-PMH allows `application/x-www-form-urlencoded` POST with the same arguments.
async fn oai_post(State(state): State<AppState>, body: Bytes) -> Response {
    answer(state, String::from_utf8_lossy(&body).into_owned()).await
}

async fn answer(state: AppState, query: String) -> Response {
    let context = Context {
        base_url: state.settings.base_url.trim_end_matches('/').to_string(),
        admin_email: state.settings.admin_email.clone(),
        corpus: state.settings.corpus.clone(),
    };
    let now = OffsetDateTime::now_utc();
    let result = state
        .blocking(move |engine| {
            let catalogue = engine.catalogue()?;
            Ok(respond(&context, &query, &catalogue, engine.vocab(), now))
        })
        .await;
    match result {
        Ok(xml) => xml.respond("text/xml; charset=utf-8"),
        Err(e) => axum::response::IntoResponse::into_response(e),
    }
}

/// What a response needs from the settings.
pub struct Context {
    /// Public base URL without a trailing slash.
    pub base_url: String,
    /// Contact address for `Identify`.
    pub admin_email: String,
    /// The corpus folder, where attachments are described beside resources.
    pub corpus: std::path::PathBuf,
}

impl Context {
    /// The host part of the base URL, used in identifiers.
    pub fn host(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or(rest);
        if let Some(v6) = authority.strip_prefix('[') {
            return v6.split(']').next().unwrap_or(v6);
        }
        authority.split(':').next().unwrap_or(authority)
    }

    /// `oai:<host>:<id>`.
    pub fn identifier(&self, id: &str) -> String {
        format!("oai:{}:{id}", self.host())
    }

    fn local_id<'a>(&self, identifier: &'a str) -> Option<&'a str> {
        identifier
            .strip_prefix("oai:")?
            .strip_prefix(self.host())?
            .strip_prefix(':')
    }
}

fn in_set(item: &CatalogueItem, set: &str) -> bool {
    match set.split_once(':') {
        None => match set {
            "offer" => !item.offers.is_empty(),
            "type" => true,
            _ => false,
        },
        Some(("offer", slug)) => item.offers.iter().any(|o| o == slug),
        Some(("type", slug)) => item.resource_type == slug,
        _ => false,
    }
}

/// The records a list request selects, checked, in id order.
fn select<'c>(
    catalogue: &'c Catalogue,
    args: &ListArgs,
) -> Result<Vec<&'c CatalogueItem>, OaiError> {
    if args.prefix != OAI_DC {
        return Err(err(
            "cannotDisseminateFormat",
            format!("`{}` is not served; use `{OAI_DC}`", args.prefix),
        ));
    }
    let from = args
        .from
        .as_deref()
        .map(|v| parse_bound(v, false))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|v| parse_bound(v, true))
        .transpose()?;
    if let (Some(f), Some(u)) = (from, until) {
        if f.day_granularity != u.day_granularity {
            return Err(err(
                "badArgument",
                "`from` and `until` must have the same granularity",
            ));
        }
        if f.time > u.time {
            return Err(err("badArgument", "`from` is later than `until`"));
        }
    }
    let selected: Vec<&CatalogueItem> = catalogue
        .items
        .iter()
        .filter(|item| from.is_none_or(|f| item.modified >= f.time))
        .filter(|item| until.is_none_or(|u| item.modified <= u.time))
        .filter(|item| args.set.as_deref().is_none_or(|s| in_set(item, s)))
        .collect();
    if selected.is_empty() {
        return Err(err("noRecordsMatch", "no records match these arguments"));
    }
    Ok(selected)
}

/// Build the whole OAI-PMH answer for a raw query string.
pub fn respond(
    ctx: &Context,
    query: &str,
    catalogue: &Catalogue,
    vocab: &Vocabularies,
    now: OffsetDateTime,
) -> Xml {
    let mut x = Xml::new();
    x.open(
        "OAI-PMH",
        &[
            ("xmlns", OAI_NS),
            ("xmlns:xsi", XSI_NS),
            ("xsi:schemaLocation", OAI_SCHEMA),
        ],
    );
    x.text("responseDate", &[], &utc_seconds(now));
    let base = format!("{}/oai", ctx.base_url);
    let request = match parse_request(query) {
        Ok(request) => request,
        Err(e) => {
            // After badVerb or badArgument the request element carries no attributes.
            x.text("request", &[], &base);
            write_errors(&mut x, &[e]);
            x.close("OAI-PMH");
            return x;
        }
    };
    let mut body = Xml::fragment();
    let result = match request.verb {
        "Identify" => {
            identify(&mut body, ctx, catalogue, now);
            Ok(())
        }
        "ListMetadataFormats" => list_metadata_formats(&mut body, ctx, &request, catalogue),
        "ListSets" => list_sets(&mut body, &request, vocab),
        "GetRecord" => get_record(&mut body, ctx, &request, catalogue, vocab),
        verb => list(
            &mut body,
            ctx,
            &request,
            catalogue,
            vocab,
            verb == "ListRecords",
        ),
    };
    let mut attrs: Vec<(&str, &str)> = vec![("verb", request.verb)];
    attrs.extend(request.args.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    match result {
        Ok(()) => {
            x.text("request", &attrs, &base);
            x.raw(body);
        }
        Err(e) => {
            // badArgument can also come from a value (a malformed date), found
            // only while answering; the request is still echoed bare.
            let bare = e.code == "badArgument" || e.code == "badVerb";
            x.text("request", if bare { &[] } else { &attrs }, &base);
            write_errors(&mut x, &[e]);
        }
    }
    x.close("OAI-PMH");
    x
}

fn write_errors(x: &mut Xml, errors: &[OaiError]) {
    for e in errors {
        x.text("error", &[("code", e.code)], &e.message);
    }
}

fn identify(x: &mut Xml, ctx: &Context, catalogue: &Catalogue, now: OffsetDateTime) {
    x.open("Identify", &[]);
    x.text(
        "repositoryName",
        &[],
        "Library good-practice knowledge base",
    );
    x.text("baseURL", &[], &format!("{}/oai", ctx.base_url));
    x.text("protocolVersion", &[], "2.0");
    x.text("adminEmail", &[], &ctx.admin_email);
    x.text(
        "earliestDatestamp",
        &[],
        &utc_seconds(catalogue.earliest().unwrap_or(now)),
    );
    x.text("deletedRecord", &[], "no");
    x.text("granularity", &[], "YYYY-MM-DDThh:mm:ssZ");
    x.close("Identify");
}

fn list_metadata_formats(
    x: &mut Xml,
    ctx: &Context,
    request: &Request,
    catalogue: &Catalogue,
) -> Result<(), OaiError> {
    if let Some(identifier) = request.get("identifier") {
        find(ctx, catalogue, identifier)?;
    }
    x.open("ListMetadataFormats", &[]);
    x.open("metadataFormat", &[]);
    x.text("metadataPrefix", &[], OAI_DC);
    x.text("schema", &[], OAI_DC_XSD);
    x.text("metadataNamespace", &[], OAI_DC_NS);
    x.close("metadataFormat");
    x.close("ListMetadataFormats");
    Ok(())
}

fn list_sets(x: &mut Xml, request: &Request, vocab: &Vocabularies) -> Result<(), OaiError> {
    if request.get("resumptionToken").is_some() {
        return Err(err(
            "badResumptionToken",
            "the set list is complete in one answer and takes no resumption token",
        ));
    }
    x.open("ListSets", &[]);
    let mut set = |spec: &str, name: &str| {
        x.open("set", &[]);
        x.text("setSpec", &[], spec);
        x.text("setName", &[], name);
        x.close("set");
    };
    set("offer", "Universal Library Offers and Promises");
    for term in vocab.offers.terms() {
        set(&format!("offer:{}", term.slug), &term.label);
    }
    set("type", "Resource types");
    for term in vocab.types.terms() {
        set(&format!("type:{}", term.slug), &term.label);
    }
    x.close("ListSets");
    Ok(())
}

fn find<'c>(
    ctx: &Context,
    catalogue: &'c Catalogue,
    identifier: &str,
) -> Result<&'c CatalogueItem, OaiError> {
    ctx.local_id(identifier)
        .and_then(|id| catalogue.get(id))
        .ok_or_else(|| {
            err(
                "idDoesNotExist",
                format!("`{identifier}` is not an identifier in this repository"),
            )
        })
}

fn get_record(
    x: &mut Xml,
    ctx: &Context,
    request: &Request,
    catalogue: &Catalogue,
    vocab: &Vocabularies,
) -> Result<(), OaiError> {
    let identifier = request.get("identifier").unwrap_or_default();
    let prefix = request.get("metadataPrefix").unwrap_or_default();
    let item = find(ctx, catalogue, identifier)?;
    if prefix != OAI_DC {
        return Err(err(
            "cannotDisseminateFormat",
            format!("`{prefix}` is not served; use `{OAI_DC}`"),
        ));
    }
    let resource = load(catalogue, item)?;
    x.open("GetRecord", &[]);
    record(x, ctx, item, &resource, vocab);
    x.close("GetRecord");
    Ok(())
}

fn load(catalogue: &Catalogue, item: &CatalogueItem) -> Result<Resource, OaiError> {
    // An unreadable stored document is our fault, but OAI-PMH has no code for
    // that; report it as a missing id rather than answer with broken XML.
    match catalogue.resource(item) {
        Ok(Some(r)) => Ok(r),
        Ok(None) | Err(_) => {
            tracing::error!(id = %item.id, "stored resource unreadable");
            Err(err(
                "idDoesNotExist",
                format!("`{}` cannot be read just now", item.id),
            ))
        }
    }
}

fn list(
    x: &mut Xml,
    ctx: &Context,
    request: &Request,
    catalogue: &Catalogue,
    vocab: &Vocabularies,
    records: bool,
) -> Result<(), OaiError> {
    let (args, resumed) = match request.get("resumptionToken") {
        Some(token) => {
            let args = ListArgs::from_token(token).ok_or_else(|| {
                err(
                    "badResumptionToken",
                    "this resumption token is invalid; start the list again",
                )
            })?;
            (args, true)
        }
        None => (
            ListArgs {
                prefix: request
                    .get("metadataPrefix")
                    .unwrap_or_default()
                    .to_string(),
                set: request.get("set").map(String::from),
                from: request.get("from").map(String::from),
                until: request.get("until").map(String::from),
                offset: 0,
            },
            false,
        ),
    };
    let selected = match select(catalogue, &args) {
        // Arguments inside a token were checked when it was issued; if they no
        // longer select anything the token, not the caller, is at fault.
        Err(e) if resumed && e.code != "noRecordsMatch" => {
            return Err(err("badResumptionToken", e.message));
        }
        other => other?,
    };
    if resumed && args.offset >= selected.len() {
        return Err(err(
            "badResumptionToken",
            "this resumption token points past the end of the list; start the list again",
        ));
    }
    let page: Vec<&CatalogueItem> = selected
        .iter()
        .skip(args.offset)
        .take(PAGE_SIZE)
        .copied()
        .collect();
    let element = if records {
        "ListRecords"
    } else {
        "ListIdentifiers"
    };
    x.open(element, &[]);
    for item in &page {
        if records {
            let resource = load(catalogue, item)?;
            record(x, ctx, item, &resource, vocab);
        } else {
            header(x, ctx, item);
        }
    }
    let next = args.offset + page.len();
    let size = selected.len().to_string();
    let cursor = args.offset.to_string();
    if next < selected.len() {
        let token = ListArgs {
            offset: next,
            ..args.clone()
        }
        .token();
        x.text(
            "resumptionToken",
            &[("completeListSize", &size), ("cursor", &cursor)],
            &token,
        );
    } else if resumed {
        // The last page of a resumed list ends with an empty token.
        x.empty(
            "resumptionToken",
            &[("completeListSize", &size), ("cursor", &cursor)],
        );
    }
    x.close(element);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identifier host drops scheme, port and path.
    #[test]
    fn host_of_base_url() {
        let ctx = |b: &str| Context {
            base_url: b.into(),
            admin_email: String::new(),
            corpus: std::path::PathBuf::new(),
        };
        assert_eq!(ctx("http://127.0.0.1:8080").host(), "127.0.0.1");
        assert_eq!(ctx("https://kb.example.org/x").host(), "kb.example.org");
        assert_eq!(ctx("http://[::1]:80").host(), "::1");
        assert_eq!(
            ctx("https://kb.example.org").local_id("oai:kb.example.org:2019/a"),
            Some("2019/a")
        );
    }
}
