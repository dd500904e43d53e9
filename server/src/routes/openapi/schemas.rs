//! The component schemas of the API's answers.

use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ArrayItems, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};

use crate::search::KEYWORD_FACETS;

pub(super) fn string(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .into()
}

pub(super) fn typed(kind: Type, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(kind)
        .description(Some(description))
        .into()
}

pub(super) fn nullable_string(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
        .description(Some(description))
        .into()
}

pub(super) fn strings(description: &str) -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(description))
        .into()
}

pub(super) fn reference(name: &str) -> RefOr<Schema> {
    Ref::from_schema_name(name).into()
}

pub(super) fn array_of(name: &str, description: &str) -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(reference(name))
        .description(Some(description))
        .into()
}

pub(super) fn string_map(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(
            ObjectBuilder::new().schema_type(Type::String).into(),
        )))
        .description(Some(description))
        .into()
}

/// An object schema from (name, schema, required) triples.
pub(super) fn object(description: &str, properties: Vec<(&str, RefOr<Schema>, bool)>) -> Schema {
    let mut b = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(description));
    for (name, schema, required) in properties {
        b = b.property(name, schema);
        if required {
            b = b.required(name);
        }
    }
    b.into()
}

pub(super) fn hit_properties() -> Vec<(&'static str, RefOr<Schema>, bool)> {
    vec![
        (
            "id",
            string("Stable resource id, e.g. `2019/reading-friends`"),
            true,
        ),
        ("title", string("Title"), true),
        ("summary", string("One or two sentences"), true),
        ("offers", strings("Universal Library Offer slugs"), true),
        ("type", string("Resource type slug"), true),
        ("year", typed(Type::Integer, "Publication year"), true),
        (
            "published",
            nullable_string("Publication date YYYY-MM-DD, when known to the day"),
            false,
        ),
        ("region", string("Region slug"), true),
        (
            "organisation",
            string("Library service or body that wrote it"),
            true,
        ),
        ("language", string("ISO 639-1 language code"), true),
        ("tags", strings("Tag slugs"), true),
    ]
}

pub(super) fn schemas() -> Vec<(&'static str, Schema)> {
    let mut hit = hit_properties();
    hit.extend([
        (
            "url",
            string("Page path, e.g. `/resources/2019/reading-friends`"),
            true,
        ),
        (
            "score",
            typed(Type::Number, "Relevance score (0 when sorted otherwise)"),
            true,
        ),
        (
            "highlights",
            string_map("HTML fragments with <mark> around matches, by field; all else escaped"),
            true,
        ),
    ]);
    let mut resource = hit_properties();
    resource.extend([
        ("source_url", nullable_string("Link to the original"), false),
        ("contributor", nullable_string("Person who sent it"), false),
        ("licence", nullable_string("Licence, e.g. CC-BY-4.0"), false),
        ("body", string("The Markdown body"), true),
        ("url", string("Page path"), true),
        ("body_html", string("Sanitised HTML of the body"), true),
        (
            "labels",
            string_map("Labels of the offer, type, region and language slugs"),
            true,
        ),
        ("related", array_of("Hit", "Similar resources"), true),
    ]);
    let mut export = hit_properties();
    export.extend([
        ("source_url", nullable_string("Link to the original"), true),
        ("licence", nullable_string("Licence"), true),
        ("url", string("Absolute URL of the resource page"), true),
    ]);
    let facets = KEYWORD_FACETS
        .iter()
        .copied()
        .chain(["year"])
        .map(|f| (f, array_of("FacetValue", "Values with counts"), true))
        .collect();
    vec![
        (
            "Error",
            object(
                "Every error answer",
                vec![(
                    "error",
                    object(
                        "What went wrong",
                        vec![
                            (
                                "code",
                                ObjectBuilder::new()
                                    .schema_type(Type::String)
                                    .enum_values(Some([
                                        "invalid_parameter",
                                        "invalid_query",
                                        "not_found",
                                        "invalid_submission",
                                        "invalid_api_key",
                                        "rate_limited",
                                        "internal_error",
                                    ]))
                                    .description(Some("Stable machine-readable code"))
                                    .into(),
                                true,
                            ),
                            ("message", string("What is wrong and how to fix it"), true),
                            (
                                "param",
                                string("The parameter at fault, for invalid_parameter"),
                                false,
                            ),
                            (
                                "fields",
                                string_map("Per-field problems, for invalid_submission"),
                                false,
                            ),
                        ],
                    )
                    .into(),
                    true,
                )],
            ),
        ),
        ("Hit", object("One search result", hit)),
        (
            "FacetValue",
            object(
                "One facet value with its count",
                vec![
                    (
                        "value",
                        ObjectBuilder::new()
                            .schema_type(SchemaType::Array(vec![Type::String, Type::Integer]))
                            .description(Some(
                                "Value to pass back as a filter (a number for years)",
                            ))
                            .into(),
                        true,
                    ),
                    ("label", string("Human-readable label"), true),
                    (
                        "count",
                        typed(Type::Integer, "Matches if this value were (also) selected"),
                        true,
                    ),
                    (
                        "selected",
                        typed(Type::Boolean, "Whether the request selects it"),
                        true,
                    ),
                    ("parent", string("Parent value, for regions"), false),
                ],
            ),
        ),
        ("Facets", object("Disjunctive facet counts", facets)),
        (
            "SearchResults",
            object(
                "A page of search results",
                vec![
                    (
                        "total",
                        typed(Type::Integer, "Resources matching query and filters"),
                        true,
                    ),
                    ("page", typed(Type::Integer, "1-based page"), true),
                    ("per_page", typed(Type::Integer, "Hits per page"), true),
                    (
                        "took_ms",
                        typed(Type::Number, "Search time in milliseconds"),
                        true,
                    ),
                    (
                        "did_you_mean",
                        string("The query with misspellings corrected"),
                        false,
                    ),
                    ("hits", array_of("Hit", "This page of hits"), true),
                    ("facets", reference("Facets"), true),
                ],
            ),
        ),
        ("Resource", object("A full resource", resource)),
        (
            "FacetsOnly",
            object(
                "Facet counts without hits",
                vec![
                    ("total", typed(Type::Integer, "Matching resources"), true),
                    ("facets", reference("Facets"), true),
                ],
            ),
        ),
        (
            "Suggestions",
            object(
                "Completions for the search box",
                vec![
                    ("query", string("The text completed"), true),
                    (
                        "suggestions",
                        ArrayBuilder::new()
                            .items(ArrayItems::RefOrSchema(Box::new(RefOr::T(object(
                                "One completion",
                                vec![
                                    ("text", string("Text to show and search for"), true),
                                    (
                                        "kind",
                                        string("`title` (a resource) or `term` (a word)"),
                                        true,
                                    ),
                                    ("url", string("The resource page, for titles"), false),
                                ],
                            )))))
                            .into(),
                        true,
                    ),
                ],
            ),
        ),
        (
            "ExportRow",
            object("One resource's metadata in the JSON export", export),
        ),
    ]
}
