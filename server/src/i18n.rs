//! The interface in English and Welsh: message catalogues, the language of
//! each request, and the switch between the two.
//!
//! Interface text comes from Fluent catalogues, one file per language
//! (`server/locales/en/main.ftl`, `server/locales/cy/main.ftl`), compiled
//! into the binary. A resource's own text is never translated: it keeps its
//! language and says so with `lang` on its element.
//!
//! Which language a request gets, first match wins:
//! 1. `?lang=cy` or `?lang=en` in the address (the switch's links). On a
//!    page, the choice is kept in a `kb_lang` cookie (a year, `SameSite=Lax`;
//!    a preference, not tracking), so links without `lang` keep it.
//! 2. The `kb_lang` cookie (pages only; the JSON API never reads cookies).
//! 3. `Accept-Language` on a first visit (pages only), the higher `q` of
//!    `cy` and `en`; English when neither is named.
//!
//! [`negotiate`] runs on every request and sets the language for the
//! request's task, so every page, error page and fallback renders in it
//! without each render function taking it; [`t`] reads it. Rendering
//! outside a request (unit tests) is in English.

use std::sync::LazyLock;

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// Name of the cookie that keeps a visitor's choice of language.
pub const COOKIE: &str = "kb_lang";

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Welsh.
    Cy,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Cy];

    /// The ISO 639-1 code, as in `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
        }
    }

    /// The BCP 47 tag for `<html lang>` and `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::Cy => "cy-GB",
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Cy,
            Lang::Cy => Lang::En,
        }
    }

    /// The language's own name, as the switch shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Cy => "Cymraeg",
        }
    }

    /// A language from its code (`en`, `cy`, `en-GB`, `CY`...).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "cy" => Some(Lang::Cy),
            _ => None,
        }
    }
}

/// What the current request asked for: its language and its address.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The interface language.
    pub lang: Lang,
    /// Path and query of the request, without any `lang` parameter.
    pub path_and_query: String,
}

tokio::task_local! {
    static CURRENT: Context;
}

/// The current request's language (English outside a request).
pub fn lang() -> Lang {
    CURRENT.try_with(|c| c.lang).unwrap_or_default()
}

/// The current request's path and query without `lang` (`/` outside a request).
pub fn path_and_query() -> String {
    CURRENT
        .try_with(|c| c.path_and_query.clone())
        .unwrap_or_else(|_| "/".to_string())
}

/// Run `f` as if in a request in `lang` (for code outside a request, and tests).
pub fn scope<F: std::future::Future>(
    lang: Lang,
    path_and_query: String,
    f: F,
) -> impl std::future::Future<Output = F::Output> {
    CURRENT.scope(
        Context {
            lang,
            path_and_query,
        },
        f,
    )
}

/// Run a synchronous closure as if in a request in `lang`.
pub fn sync_scope<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    CURRENT.sync_scope(
        Context {
            lang,
            path_and_query: "/".to_string(),
        },
        f,
    )
}

const EN_FTL: &str = include_str!("../locales/en/main.ftl");
const CY_FTL: &str = include_str!("../locales/cy/main.ftl");

/// The catalogue text of a language.
pub fn catalogue_source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => EN_FTL,
        Lang::Cy => CY_FTL,
    }
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let langid = match lang {
        Lang::En => unic_langid::langid!("en-GB"),
        Lang::Cy => unic_langid::langid!("cy"),
    };
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Unicode isolation marks would show up in titles and attribute values.
    bundle.set_use_isolating(false);
    let resource = match FluentResource::try_new(catalogue_source(lang).to_string()) {
        Ok(r) => r,
        Err((r, errors)) => {
            tracing::error!(?errors, lang = lang.code(), "catalogue has syntax errors");
            r
        }
    };
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(
            ?errors,
            lang = lang.code(),
            "catalogue has duplicate messages"
        );
    }
    bundle
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 2]> =
    LazyLock::new(|| [bundle(Lang::En), bundle(Lang::Cy)]);

/// A message in a language, with arguments. A message missing from the
/// catalogue is logged and shown as its key (tests check none is missing).
pub fn message_in(lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundle = &BUNDLES[lang as usize];
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        tracing::warn!(key, lang = lang.code(), "missing interface message");
        return key.to_string();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(key, ?errors, "interface message failed to format");
    }
    text.into_owned()
}

/// A message in the current request's language.
pub fn t(key: &str) -> String {
    message_in(lang(), key, None)
}

/// A message with arguments in the current request's language.
pub fn t_args<'a>(key: &str, args: &[(&'a str, FluentValue<'a>)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    message_in(lang(), key, Some(&fluent))
}

/// A number as the interface writes it (`1,240` in both languages).
pub fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A `YYYY-MM-DD` date written out ("14 June 2019", "14 Mehefin 2019").
pub fn long_date(date: &str) -> String {
    match kb_indexer::resource::parse_date(date) {
        Some((y, m, d)) if (1..=12).contains(&m) => {
            format!("{d} {} {y}", t(&format!("month-{m}")))
        }
        _ => date.to_string(),
    }
}

/// A moment (Unix seconds) written out in UTC, to the minute
/// ("14 June 2019, 09:30 UTC", "14 Mehefin 2019 am 09:30 UTC").
pub fn date_time(at: i64) -> String {
    let Ok(moment) = time::OffsetDateTime::from_unix_timestamp(at) else {
        return at.to_string();
    };
    let date = format!(
        "{} {} {}",
        moment.day(),
        t(&format!("month-{}", u8::from(moment.month()))),
        moment.year()
    );
    let clock = format!("{:02}:{:02}", moment.hour(), moment.minute());
    t_args(
        "date-time",
        &[("date", date.into()), ("time", clock.into())],
    )
}

/// A moment (Unix seconds) as RFC 3339, for `<time datetime>`.
pub fn rfc3339(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// `path_and_query` with `lang=<code>` in place of any `lang` it had.
pub fn with_lang(path_and_query: &str, lang: Lang) -> String {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if k != "lang" {
            pairs.append_pair(&k, &v);
        }
    }
    pairs.append_pair("lang", lang.code());
    format!("{path}?{}", pairs.finish())
}

/// `path_and_query` without its `lang` parameter.
pub fn without_lang(path_and_query: &str) -> String {
    let Some((path, query)) = path_and_query.split_once('?') else {
        return path_and_query.to_string();
    };
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if k != "lang" {
            pairs.append_pair(&k, &v);
            any = true;
        }
    }
    if any {
        format!("{path}?{}", pairs.finish())
    } else {
        path.to_string()
    }
}

/// The language `?lang=` asks for, if any.
pub fn query_lang(query: Option<&str>) -> Option<Lang> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(&v))
}

fn cookie_lang(req: &Request) -> Option<Lang> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| Lang::parse(value))
}

/// The preferred of English and Welsh in an `Accept-Language` header.
pub fn accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, usize, Lang)> = None;
    for (position, item) in header.split(',').enumerate() {
        let mut parts = item.split(';');
        let Some(lang) = parts.next().and_then(Lang::parse) else {
            continue;
        };
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        // Higher q wins; on a tie, the one listed first.
        let better = best.is_none_or(|(bq, bp, _)| q > bq || (q == bq && position < bp));
        if better {
            best = Some((q, position, lang));
        }
    }
    best.map(|(_, _, lang)| lang)
}

/// Middleware: pick the request's language, run the rest of the stack in
/// it, and say which language the answer is in.
pub async fn negotiate(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let api = path.starts_with("/api/");
    let asked = query_lang(req.uri().query());
    let lang = asked
        .or_else(|| (!api).then(|| cookie_lang(&req)).flatten())
        .or_else(|| {
            (!api)
                .then(|| {
                    req.headers()
                        .get(header::ACCEPT_LANGUAGE)
                        .and_then(|v| v.to_str().ok())
                        .and_then(accept_language)
                })
                .flatten()
        })
        .unwrap_or_default();
    let path_and_query = without_lang(
        req.uri()
            .path_and_query()
            .map_or(path.as_str(), |p| p.as_str()),
    );
    let mut response = CURRENT
        .scope(
            Context {
                lang,
                path_and_query,
            },
            next.run(req),
        )
        .await;
    let headers = response.headers_mut();
    if !api {
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.code()),
        );
        headers.append(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
        if let Some(lang) = asked {
            let cookie = format!(
                "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            );
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                headers.append(header::SET_COOKIE, value);
            }
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(source: &str) -> std::collections::BTreeSet<String> {
        source
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
            .collect()
    }

    /// Both catalogues define exactly the same messages, so no Welsh page
    /// falls back to a key or to English.
    #[test]
    fn catalogues_have_the_same_keys() {
        let en = keys(EN_FTL);
        let cy = keys(CY_FTL);
        assert!(en.len() > 100, "{}", en.len());
        let only_en: Vec<_> = en.difference(&cy).collect();
        let only_cy: Vec<_> = cy.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_cy.is_empty(),
            "{only_en:?} {only_cy:?}"
        );
        for key in &en {
            for lang in Lang::ALL {
                assert!(
                    BUNDLES[lang as usize].has_message(key),
                    "{key} in {}",
                    lang.code()
                );
            }
        }
    }

    /// The higher-q of English and Welsh wins; other languages are ignored.
    #[test]
    fn accept_language_picks_the_preferred() {
        assert_eq!(accept_language("cy-GB,cy;q=0.9,en;q=0.8"), Some(Lang::Cy));
        assert_eq!(accept_language("en-GB,en;q=0.9,cy;q=0.8"), Some(Lang::En));
        assert_eq!(accept_language("fr, cy;q=0.5"), Some(Lang::Cy));
        assert_eq!(accept_language("fr, de"), None);
        assert_eq!(accept_language("cy;q=0"), None);
    }

    /// The switch keeps every other parameter and replaces `lang`.
    #[test]
    fn switch_keeps_the_query() {
        assert_eq!(
            with_lang("/?q=dementia&offer=reading&lang=en", Lang::Cy),
            "/?q=dementia&offer=reading&lang=cy"
        );
        assert_eq!(with_lang("/browse", Lang::Cy), "/browse?lang=cy");
        assert_eq!(without_lang("/browse?lang=cy"), "/browse");
        assert_eq!(number(1240), "1,240");
        assert_eq!(number(999), "999");
        assert_eq!(
            sync_scope(Lang::Cy, || long_date("2019-06-14")),
            "14 Mehefin 2019"
        );
        // 2019-06-14 09:05:00 UTC.
        assert_eq!(
            sync_scope(Lang::En, || date_time(1_560_503_100)),
            "14 June 2019, 09:05 UTC"
        );
        assert_eq!(
            sync_scope(Lang::Cy, || date_time(1_560_503_100)),
            "14 Mehefin 2019 am 09:05 UTC"
        );
        assert_eq!(rfc3339(1_560_503_100), "2019-06-14T09:05:00Z");
    }
}
