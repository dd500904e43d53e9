//! Caller mistakes get a 4xx JSON error with a stable code; nothing gets a 5xx.

use axum::http::StatusCode;

use crate::helpers::get_json;

/// Every bad parameter answers 400 with `invalid_parameter` and names the parameter.
#[tokio::test]
async fn bad_parameters_are_400() {
    for (query, param) in [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("per_page=101", "per_page"),
        ("per_page=abc", "per_page"),
        ("sort=random", "sort"),
        ("year_from=2022&year_to=2019", "year_from"),
        ("year_from=last", "year_from"),
        ("page=500&per_page=100", "page"),
    ] {
        let (status, v) = get_json(&format!("/api/v1/search?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {v}");
        assert_eq!(v["error"]["code"], "invalid_parameter", "{query}");
        assert_eq!(v["error"]["param"], param, "{query}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
}

/// Queries past the safety limits are refused with `invalid_query`.
#[tokio::test]
async fn oversized_queries_are_400() {
    let long = "a".repeat(2000);
    let many = "word ".repeat(100);
    let deep = format!("{}x{}", "(".repeat(30), ")".repeat(30));
    for q in [long, many, deep] {
        let (status, v) = get_json(&format!("/api/v1/search?q={}", q.replace(' ', "%20"))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        assert_eq!(v["error"]["code"], "invalid_query");
    }
}

/// Odd and hostile query text never causes a server error.
#[tokio::test]
async fn hostile_queries_never_fail() {
    for q in [
        "%22",
        "(",
        ")",
        "AND",
        "OR%20OR",
        "NOT",
        "-",
        "*",
        "title:",
        ":",
        "year:abc",
        "id:",
        "%00%01",
        "%E2%80%8B",
        "%F0%9F%93%9A",
        "a%20AND%20(b%20OR",
        "\\",
        "%5C%22",
        "field:%22unclosed",
        "%25",
        "%2B%2B%2B",
        "--x",
        "%E6%97%A5%E6%9C%AC",
        "tag:",
        "offer:nothing",
    ] {
        let (status, v) = get_json(&format!("/api/v1/search?q={q}")).await;
        assert!(status.is_success(), "{q}: {status} {v}");
    }
    let (status, _) = get_json("/api/v1/search?q=%FF%FE").await;
    assert!(status.is_success() || status.is_client_error(), "{status}");
}
