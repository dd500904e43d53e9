//! What is wrong with a submission's fields: the shared resource rules'
//! problems ([`kb_indexer::problem::Problem`]) and the server's own (the PDF
//! attachment), each a stable kind with its arguments.
//!
//! The JSON API words them in English ([`english`]); the web forms word
//! them from the message catalogues in the page's language
//! ([`crate::web::forms::problem_text`]).

use std::collections::BTreeMap;

use kb_indexer::problem::Problem;

use crate::attachments::AttachmentError;

/// One problem with one field of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// A resource rule, as corpus files are checked.
    Rule(Problem),
    /// The PDF attachment was refused.
    Attachment {
        /// The file's name as sent (at most 100 characters).
        name: String,
        /// Why.
        error: AttachmentError,
    },
    /// This site does not keep attachments (cluster mode).
    AttachmentsOff,
    /// `body` was sent as something other than text (API).
    BodyNotText,
    /// An attachment was sent inside the JSON (API).
    AttachmentInline,
}

/// Field name (`resource` for the whole resource) to its problems, in order.
pub type FieldProblems = BTreeMap<String, Vec<FieldProblem>>;

/// Add a problem to a field.
pub fn add(problems: &mut FieldProblems, field: &str, problem: FieldProblem) {
    problems.entry(field.to_string()).or_default().push(problem);
}

impl FieldProblem {
    /// The API's English message for this problem with `field`.
    pub fn english(&self, field: &str) -> String {
        match self {
            FieldProblem::Rule(p) => for_contributors(field, &p.english(field)),
            FieldProblem::Attachment { name, error } => format!("“{name}”: {error}"),
            FieldProblem::AttachmentsOff => "this site does not take attachments yet; send the submission without it and link to the PDF in `source_url`".into(),
            FieldProblem::BodyNotText => {
                "`body` must be the resource's text in Markdown, as a string".into()
            }
            FieldProblem::AttachmentInline => "an attachment cannot be sent inside the JSON: send `multipart/form-data` with the JSON in a `resource` part and the PDF in an `attachment` part".into(),
        }
    }
}

/// Field name to its problems in English, several joined by a space: the
/// `fields` of the API's `invalid_submission` answer.
pub fn english(problems: &FieldProblems) -> BTreeMap<String, String> {
    problems
        .iter()
        .map(|(field, list)| {
            let words: Vec<String> = list.iter().map(|p| p.english(field)).collect();
            (field.clone(), words.join(" "))
        })
        .collect()
}

/// The shared rules speak of front matter, which is what corpus authors
/// write; contributors fill in fields, so say it their way.
fn for_contributors(field: &str, message: &str) -> String {
    message
        .replace(
            &format!("add a line `{field}: ...` to the front matter"),
            &format!("fill in `{field}`"),
        )
        .replace(
            "write the resource's text in Markdown below the front matter",
            "send the resource's text in Markdown as `body`",
        )
        .replace(
            &format!("write a value after `{field}:`"),
            &format!("fill in `{field}`"),
        )
}
