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

/// Each resource field's documentation as the model declares it
/// (`kb_indexer::resource::Metadata` and `Resource`), by name.
fn field_docs() -> std::collections::HashMap<String, String> {
    use kb_indexer::resource::{Metadata, Resource};
    use utoipa::PartialSchema;
    fn collect(schema: RefOr<Schema>, docs: &mut std::collections::HashMap<String, String>) {
        match schema {
            RefOr::T(Schema::Object(object)) => {
                for (name, property) in object.properties {
                    let description = match property {
                        RefOr::T(Schema::Object(o)) => o.description,
                        RefOr::T(Schema::Array(a)) => a.description,
                        _ => None,
                    };
                    if let Some(description) = description {
                        docs.insert(name, description.replace('\n', " "));
                    }
                }
            }
            RefOr::T(Schema::AllOf(all)) => {
                for part in all.items {
                    collect(part, docs);
                }
            }
            _ => {}
        }
    }
    let mut docs = std::collections::HashMap::new();
    collect(Metadata::schema(), &mut docs);
    collect(Resource::schema(), &mut docs);
    docs
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
    // Each field's meaning is the model's documentation of it; what is
    // particular to a submission (the form of values accepted) is added.
    let docs = field_docs();
    for field in FIELDS {
        let doc = docs
            .get(*field)
            .cloned()
            .unwrap_or_else(|| format!("`{field}` as in a corpus file."));
        let schema = match *field {
            "title" => text_value(&doc, Some(MAX_TITLE_CHARS)),
            "summary" => text_value(&doc, Some(MAX_SUMMARY_CHARS)),
            "offers" => list_value(&format!(
                "{doc} A list or comma-separated words, e.g. [\"reading\"]; labels and aliases are accepted."
            )),
            "tags" => list_value(&format!(
                "{doc} At most {MAX_TAGS}, each at most {MAX_TAG_CHARS} characters."
            )),
            "year" => text_value(
                &format!("{doc} Not needed when `published` is given."),
                None,
            ),
            "published" => text_value(&format!("{doc} YYYY-MM-DD."), None),
            _ => text_value(&doc, None),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field a submission may carry is described in the model's own
    /// words (its documentation on `Metadata` and `Resource`), so a field's
    /// meaning is written once; a field the model leaves undocumented fails.
    #[test]
    fn submission_fields_are_documented_by_the_model() {
        let docs = field_docs();
        let schema = serde_json::to_value(submission()).expect("json");
        for field in kb_indexer::resource::FIELDS {
            let doc = docs.get(*field).unwrap_or_else(|| panic!("{field}"));
            let described = schema["properties"][field]["description"]
                .as_str()
                .unwrap_or_else(|| panic!("{field}"));
            assert!(described.starts_with(doc.as_str()), "{field}: {described}");
        }
    }
}
