//! Splitting a resource file into YAML front matter and Markdown body.
//!
//! The front matter sits between a first line `---` and the next line `---`
//! (the Jekyll / Hugo convention). It is parsed into a JSON-like map so the
//! same field validation serves files and API submissions alike.

use serde_json::{Map, Value};

/// A resource file cut into its two parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML text between the fences.
    pub yaml: &'a str,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based line number of the first body line.
    pub body_line: usize,
}

/// Why front matter could not be read; `line` is 1-based within the file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct FrontMatterError {
    /// Line in the file where the problem is, when known.
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Cut a file into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(FrontMatterError {
            line: Some(1),
            message: "the file must start with a line `---` that opens the YAML front matter"
                .into(),
        });
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (index, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[offset + line.len()..],
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(FrontMatterError {
        line: Some(1),
        message: "the front matter opened on line 1 is never closed: add a line `---` after the last field".into(),
    })
}

/// Parse front matter YAML into a map of field name to value.
///
/// `first_line` is the file line of the first YAML line, so errors point into the file.
pub fn parse(yaml: &str, first_line: usize) -> Result<Map<String, Value>, FrontMatterError> {
    if yaml.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: Value = serde_saphyr::from_str(yaml).map_err(|e| {
        let line = e.location().map(|loc| loc.line() as usize + first_line - 1);
        let detail = e.to_string();
        let detail = detail.lines().next().unwrap_or("invalid YAML");
        FrontMatterError {
            line,
            message: format!(
                "the front matter is not valid YAML ({detail}); check quoting: values containing `: ` or starting with `[`, `{{`, `*`, `&` or `#` need quotes"
            ),
        }
    })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(FrontMatterError {
            line: Some(first_line),
            message: "the front matter must be a list of `field: value` lines".into(),
        }),
    }
}

/// The 1-based file line on which a top-level field is written, if it is.
pub fn field_line(yaml: &str, first_line: usize, field: &str) -> Option<usize> {
    yaml.lines()
        .position(|line| {
            line.strip_prefix(field)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|index| index + first_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fences are found and the body starts on the line after the closing one.
    #[test]
    fn splits_front_matter_and_body() {
        let text = "---\ntitle: A\n---\nBody\n";
        let split = split(text).expect("valid");
        assert_eq!(split.yaml, "title: A\n");
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 4);
    }

    /// Files without an opening or closing fence are refused with a fix.
    #[test]
    fn missing_fences_are_reported() {
        assert!(
            split("title: A\n")
                .expect_err("invalid")
                .message
                .contains("must start")
        );
        assert!(
            split("---\ntitle: A\n")
                .expect_err("invalid")
                .message
                .contains("never closed")
        );
    }

    /// YAML errors carry the line number in the file, not in the YAML block.
    #[test]
    fn yaml_errors_point_into_the_file() {
        let yaml = "title: ok\nsummary: [unclosed\n";
        let err = parse(yaml, 2).expect_err("bad yaml");
        assert!(err.line.is_some_and(|l| l >= 3), "{err:?}");
        assert!(err.message.contains("not valid YAML"));
    }

    /// Dates stay strings and lists stay lists, as the validator expects.
    #[test]
    fn values_keep_their_shape() {
        let map = parse(
            "published: 2019-06-14\noffers: [reading, health]\nyear: 2019\n",
            2,
        )
        .expect("valid");
        assert_eq!(map["published"], Value::String("2019-06-14".into()));
        assert!(map["offers"].is_array());
        assert_eq!(map["year"], Value::from(2019));
        assert_eq!(field_line("title: x\noffers: [a]\n", 2, "offers"), Some(3));
    }
}
