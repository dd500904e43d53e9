//! The API reference page, rendered from the OpenAPI document itself.

use serde_json::Value;

fn esc(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

fn esc_attr(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

fn schema_name(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{}\">{}</a>", esc_attr(name), esc(name));
    }
    // An optional named schema (`Option<T>`) is one of it or null.
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        return options
            .iter()
            .map(schema_name)
            .collect::<Vec<_>>()
            .join(" or ");
    }
    match schema.get("type") {
        Some(Value::String(t)) if t == "array" => {
            format!("array of {}", schema_name(&schema["items"]))
        }
        Some(Value::String(t)) => esc(t),
        Some(Value::Array(ts)) => esc(&ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or ")),
        _ => "any".into(),
    }
}

/// A property's meaning: its description, or that of the first of its
/// `oneOf` options that has one (an optional named schema).
fn description(schema: &Value) -> &str {
    schema["description"]
        .as_str()
        .or_else(|| {
            schema["oneOf"]
                .as_array()?
                .iter()
                .find_map(|option| option["description"].as_str())
        })
        .unwrap_or_default()
}

/// The parts of an object schema: the inline ones, whose properties it
/// lists, and the named schemas it includes through `allOf` (a hit is the
/// resource metadata plus its own fields), as links.
fn object_parts<'a>(schema: &'a Value, inline: &mut Vec<&'a Value>, named: &mut Vec<String>) {
    match schema["allOf"].as_array() {
        Some(parts) => {
            for part in parts {
                if part.get("$ref").is_some() {
                    named.push(schema_name(part));
                } else {
                    object_parts(part, inline, named);
                }
            }
        }
        None => inline.push(schema),
    }
}

/// The reference page: every operation with its parameters and responses,
/// then every schema, rendered from the OpenAPI document itself.
pub fn docs_html(spec: &Value) -> String {
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    );
    let title = spec["info"]["title"].as_str().unwrap_or("API");
    // The site's CSP refuses inline styles: the page's rules live in the
    // site stylesheet under `.api-docs`.
    out.push_str(&format!(
        "<title>{}</title><link rel=\"stylesheet\" href=\"{}\"></head><body class=\"api-docs\"><main>",
        esc(title),
        esc_attr(&crate::web::assets::css_url())
    ));
    out.push_str(&format!(
        "<h1>{}</h1><p>{}</p><p>Machine-readable: <a href=\"/api/v1/openapi.json\">OpenAPI 3.1 document</a>.</p><h2>Operations</h2>",
        esc(title),
        esc(spec["info"]["description"].as_str().unwrap_or_default())
    ));
    if let Some(paths) = spec["paths"].as_object() {
        for (path, item) in paths {
            let Some(ops) = item.as_object() else {
                continue;
            };
            for (method, op) in ops {
                out.push_str(&format!(
                    "<section><h3><code>{} {}</code></h3><p>{}</p>",
                    esc(&method.to_uppercase()),
                    esc(path),
                    esc(op["summary"].as_str().unwrap_or_default())
                ));
                if let Some(d) = op["description"].as_str() {
                    out.push_str(&format!("<p>{}</p>", esc(d)));
                }
                if let Some(params) = op["parameters"].as_array() {
                    out.push_str("<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th><th>meaning</th></tr>");
                    for p in params {
                        out.push_str(&format!(
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                            esc(p["name"].as_str().unwrap_or_default()),
                            esc(p["in"].as_str().unwrap_or_default()),
                            schema_name(&p["schema"]),
                            if p["required"].as_bool().unwrap_or(false) { "yes" } else { "no" },
                            esc(p["description"].as_str().unwrap_or_default()),
                        ));
                    }
                    out.push_str("</table>");
                }
                if let Some(responses) = op["responses"].as_object() {
                    out.push_str("<table><tr><th>status</th><th>meaning</th><th>body</th></tr>");
                    for (status, r) in responses {
                        let body = r["content"]
                            .as_object()
                            .map(|c| {
                                c.iter()
                                    .map(|(kind, content)| {
                                        format!("{} {}", esc(kind), schema_name(&content["schema"]))
                                    })
                                    .collect::<Vec<_>>()
                                    .join("<br>")
                            })
                            .unwrap_or_default();
                        out.push_str(&format!(
                            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                            esc(status),
                            esc(r["description"].as_str().unwrap_or_default()),
                            body
                        ));
                    }
                    out.push_str("</table>");
                }
                out.push_str("</section>");
            }
        }
    }
    out.push_str("<h2>Schemas</h2>");
    if let Some(schemas) = spec["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            out.push_str(&format!(
                "<section id=\"schema-{}\"><h3>{}</h3><p>{}</p>",
                esc_attr(name),
                esc(name),
                esc(schema["description"].as_str().unwrap_or_default())
            ));
            let (mut inline, mut named) = (Vec::new(), Vec::new());
            object_parts(schema, &mut inline, &mut named);
            if !named.is_empty() {
                out.push_str(&format!(
                    "<p>Every property of {}, and:</p>",
                    named.join(", ")
                ));
            }
            let required: Vec<&str> = inline
                .iter()
                .filter_map(|part| part["required"].as_array())
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let props: Vec<(&String, &Value)> = inline
                .iter()
                .filter_map(|part| part["properties"].as_object())
                .flatten()
                .collect();
            if !props.is_empty() {
                out.push_str("<table><tr><th>property</th><th>type</th><th>always present</th><th>meaning</th></tr>");
                for (prop, s) in props {
                    out.push_str(&format!(
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(prop),
                        schema_name(s),
                        if required.contains(&prop.as_str()) {
                            "yes"
                        } else {
                            "no"
                        },
                        esc(description(s)),
                    ));
                }
                out.push_str("</table>");
            }
            out.push_str("</section>");
        }
    }
    out.push_str("</main></body></html>\n");
    out
}
