//! Small schema builders for the document, and the schema of the submission
//! body: the one shape built by hand (it accepts looser values than the
//! resource it becomes).

use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};

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

pub(super) fn reference(name: &str) -> RefOr<Schema> {
    Ref::from_schema_name(name).into()
}

pub(super) fn array_of(name: &str, description: &str) -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(reference(name))
        .description(Some(description))
        .into()
}

/// A value the submission rules read as text: a string, or a number
/// (written out), or null for "not given".
fn text_value(description: &str, max_chars: Option<usize>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![
            Type::String,
            Type::Number,
            Type::Null,
        ]))
        .max_length(max_chars)
        .description(Some(description))
        .into()
}

/// A list the submission rules read: an array of words (strings or
/// numbers), a comma-separated string, or null for "not given".
fn list_value(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![
            Type::Array,
            Type::String,
            Type::Null,
        ]))
        .description(Some(description))
        .into()
}

/// The body of `POST /api/v1/submissions`: the fields of a corpus file's
/// front matter plus the Markdown `body`, checked by the same rules
/// (`kb_indexer::resource::validate`), which name every bad field in a `422`.
pub(super) fn submission() -> Schema {
    use kb_indexer::resource::{
        FIELDS, MAX_SUMMARY_CHARS, MAX_TAG_CHARS, MAX_TAGS, MAX_TITLE_CHARS, REQUIRED_FIELDS,
    };
    let mut b = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "A resource to review: the fields of a corpus file plus its Markdown body. \
             Values are checked against the site's vocabularies; every problem is named in a 422.",
        ))
        // Unknown fields are refused with a suggestion of the closest known one.
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for field in FIELDS {
        let schema = match *field {
            "title" => text_value("Title", Some(MAX_TITLE_CHARS)),
            "summary" => text_value("One or two sentences", Some(MAX_SUMMARY_CHARS)),
            "offers" => list_value("Offer slugs, e.g. [\"reading\"]"),
            "tags" => list_value(&format!(
                "Tag slugs: at most {MAX_TAGS}, each at most {MAX_TAG_CHARS} characters"
            )),
            "year" => text_value("Publication year, when the exact date is not known", None),
            "published" => text_value("Publication date YYYY-MM-DD", None),
            other => text_value(&format!("`{other}` as in a corpus file"), None),
        };
        b = b.property(*field, schema);
    }
    b = b.property(
        "body",
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("The resource's text in Markdown")),
    );
    for required in REQUIRED_FIELDS.iter().chain(&["body"]) {
        b = b.required(*required);
    }
    b.into()
}
