//! JSON answers with every object's keys in alphabetical order, written
//! straight from the answer's types.
//!
//! The search and resource answers have always gone out with sorted keys
//! (they were built as a `serde_json::Value`, whose maps sort). Building
//! that tree cost an allocation per key and per value on every answer;
//! [`to_vec`] gives the same bytes by buffering each object's entries and
//! writing them sorted when the object ends. One difference: an `f32` is
//! written as itself (`15.802`), not widened to `f64` (`15.802000045776367`).

use std::io;
use std::ops::Range;

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};

/// Room an answer's bytes start with: a page of search hits takes tens of
/// kilobytes, so growing it seldom copies what is written.
const ANSWER_BYTES: usize = 32 * 1024;

/// `value` as compact JSON whose objects list their keys in the order a
/// `serde_json::Value` would (sorted by the unescaped key; a repeated key
/// keeps its last value).
pub fn to_vec(value: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(ANSWER_BYTES);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SortedKeys::default());
    value.serialize(&mut ser)?;
    Ok(out)
}

/// `value` as compact JSON, written in the order its type gives: for
/// types that already write every object's keys in order (the search
/// answer does), this is [`to_vec`]'s bytes without the cost of holding
/// and sorting each object. It is written by `sonic-rs`, whose string
/// escaping scans 16 bytes at a time: a page of hits is mostly text, and
/// `serde_json`'s byte-by-byte escaping was 14 % of the example query's
/// instructions (the answer now costs 5 % fewer in all).
/// Builds with debug assertions (the tests) check it against [`to_vec`]
/// (`serde_json`) on every call, so both write the same bytes.
pub fn to_vec_in_key_order(value: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(ANSWER_BYTES);
    sonic_rs::to_writer(&mut out, value).map_err(serde::ser::Error::custom)?;
    debug_assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&to_vec(value)?),
        "a type written by to_vec_in_key_order wrote a key out of order"
    );
    Ok(out)
}

/// One open object: its entries' bytes (`"key":value`) and their keys.
#[derive(Default)]
struct Frame {
    /// The entries' bytes, one after another, without separators.
    bytes: Vec<u8>,
    /// The entries' keys, unescaped, one after another.
    keys: String,
    /// Each entry: its key in `keys` and its bytes in `bytes`.
    entries: Vec<(Range<usize>, Range<usize>)>,
    /// Where the entry being written starts, in `keys` and `bytes`.
    open: (usize, usize),
    /// Whether a key is being written.
    in_key: bool,
    /// Whether some key came before a key that sorts before it (or equal
    /// to it): only then are the entries sorted when the object ends.
    unsorted: bool,
}

/// A formatter that holds each object until it ends, then writes its
/// entries in key order; arrays and scalars pass through to whatever
/// encloses them.
#[derive(Default)]
struct SortedKeys {
    /// Open objects, innermost last.
    open: Vec<Frame>,
    /// Finished frames kept for reuse, so an answer allocates per depth,
    /// not per object.
    spare: Vec<Frame>,
}

impl SortedKeys {
    /// Write through `f` into the innermost open object, or to `writer`
    /// when none is open. Text written inside a key is also kept as the
    /// key's sorting text.
    fn emit<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        f: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        match self.open.last_mut() {
            None => f(&mut Through(writer)),
            Some(frame) => {
                let start = frame.bytes.len();
                f(&mut frame.bytes)?;
                if frame.in_key {
                    // Numbers as keys (integer map keys) sort by their text.
                    let text = String::from_utf8_lossy(&frame.bytes[start..]);
                    frame.keys.push_str(text.trim_matches('"'));
                }
                Ok(())
            }
        }
    }
}

/// A writer of unknown size, behind a pointer that can be `dyn Write`.
struct Through<'a, W: ?Sized>(&'a mut W);

impl<W: ?Sized + io::Write> io::Write for Through<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

macro_rules! numbers {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: $ty) -> io::Result<()> {
            self.emit(writer, |w| CompactFormatter.$method(w, value))
        }
    )*};
}

impl Formatter for SortedKeys {
    numbers!(
        write_bool: bool,
        write_i8: i8, write_i16: i16, write_i32: i32, write_i64: i64, write_i128: i128,
        write_u8: u8, write_u16: u16, write_u32: u32, write_u64: u64, write_u128: u128,
        write_f32: f32, write_f64: f64,
    );

    fn write_null<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.emit(writer, |w| CompactFormatter.write_null(w))
    }

    fn write_number_str<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        value: &str,
    ) -> io::Result<()> {
        self.emit(writer, |w| w.write_all(value.as_bytes()))
    }

    fn begin_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        match self.open.last_mut() {
            None => writer.write_all(b"\""),
            Some(frame) => {
                frame.bytes.push(b'"');
                Ok(())
            }
        }
    }

    fn end_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin_string(writer)
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        match self.open.last_mut() {
            None => writer.write_all(fragment.as_bytes()),
            Some(frame) => {
                frame.bytes.extend_from_slice(fragment.as_bytes());
                if frame.in_key {
                    frame.keys.push_str(fragment);
                }
                Ok(())
            }
        }
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        let unescaped = match escape {
            CharEscape::Quote => '"',
            CharEscape::ReverseSolidus => '\\',
            CharEscape::Solidus => '/',
            CharEscape::Backspace => '\u{8}',
            CharEscape::FormFeed => '\u{c}',
            CharEscape::LineFeed => '\n',
            CharEscape::CarriageReturn => '\r',
            CharEscape::Tab => '\t',
            CharEscape::AsciiControl(byte) => char::from(byte),
        };
        match self.open.last_mut() {
            None => CompactFormatter.write_char_escape(writer, escape),
            Some(frame) => {
                if frame.in_key {
                    frame.keys.push(unescaped);
                }
                CompactFormatter.write_char_escape(&mut frame.bytes, escape)
            }
        }
    }

    fn write_byte_array<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        value: &[u8],
    ) -> io::Result<()> {
        self.emit(writer, |w| CompactFormatter.write_byte_array(w, value))
    }

    fn write_raw_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        self.emit(writer, |w| w.write_all(fragment.as_bytes()))
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.emit(writer, |w| w.write_all(b"["))
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.emit(writer, |w| w.write_all(b"]"))
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            self.emit(writer, |w| w.write_all(b","))
        }
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        let frame = self.spare.pop().unwrap_or_default();
        self.open.push(frame);
        Ok(())
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        let Some(mut frame) = self.open.pop() else {
            return Err(io::Error::other("an object ended that never began"));
        };
        let Frame {
            bytes,
            keys,
            entries,
            unsorted,
            ..
        } = &mut frame;
        let unsorted = std::mem::take(unsorted);
        // Keys compare as bytes, which is how `str` orders them.
        let key = |range: &Range<usize>| &keys.as_bytes()[range.clone()];
        if unsorted {
            // Stable: of repeated keys, the last written stays last.
            entries.sort_by(|a, b| key(&a.0).cmp(key(&b.0)));
        }
        let result = self.emit(writer, |w| {
            w.write_all(b"{")?;
            let mut first = true;
            for (i, (this, entry)) in entries.iter().enumerate() {
                // Keys that came in order are all different.
                let repeated = unsorted
                    && entries
                        .get(i + 1)
                        .is_some_and(|(next, _)| key(next) == key(this));
                if repeated {
                    continue;
                }
                if !first {
                    w.write_all(b",")?;
                }
                first = false;
                w.write_all(&bytes[entry.clone()])?;
            }
            w.write_all(b"}")
        });
        bytes.clear();
        keys.clear();
        entries.clear();
        self.spare.push(frame);
        result
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        _writer: &mut W,
        _first: bool,
    ) -> io::Result<()> {
        let frame = self.open.last_mut().ok_or_else(outside_object)?;
        frame.open = (frame.keys.len(), frame.bytes.len());
        frame.in_key = true;
        Ok(())
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        let frame = self.open.last_mut().ok_or_else(outside_object)?;
        frame.in_key = false;
        Ok(())
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        let frame = self.open.last_mut().ok_or_else(outside_object)?;
        frame.bytes.push(b':');
        Ok(())
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        let frame = self.open.last_mut().ok_or_else(outside_object)?;
        let (key_start, bytes_start) = frame.open;
        let key = key_start..frame.keys.len();
        if let Some((previous, _)) = frame.entries.last() {
            let keys = frame.keys.as_bytes();
            frame.unsorted |= keys[previous.clone()] >= keys[key.clone()];
        }
        frame.entries.push((key, bytes_start..frame.bytes.len()));
        Ok(())
    }
}

fn outside_object() -> io::Error {
    io::Error::other("an object key or value outside any object")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde::Serialize;

    use super::to_vec;

    #[derive(Serialize)]
    struct Inner {
        zebra: u8,
        #[serde(rename = "type")]
        kind: &'static str,
        apple: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    #[derive(Serialize)]
    struct Outer {
        total: u64,
        hits: Vec<Inner>,
        empty: Vec<Inner>,
        map: HashMap<String, String>,
        numbers: HashMap<u32, bool>,
        #[serde(flatten)]
        extra: HashMap<&'static str, i64>,
        text: String,
        nothing: Option<()>,
        score: f64,
    }

    /// The writer gives exactly the bytes of going through a
    /// `serde_json::Value`: keys sorted at every depth (structs, maps,
    /// flattened fields, integer keys, keys needing escapes), arrays in
    /// their order, strings escaped and numbers written the same way.
    #[test]
    fn same_bytes_as_a_value() {
        let value = Outer {
            total: 3,
            hits: vec![
                Inner {
                    zebra: 1,
                    kind: "case-study",
                    apple: Some(0.1),
                    skipped: None,
                },
                Inner {
                    zebra: 2,
                    kind: "quote \" and \\ and \n",
                    apple: None,
                    skipped: Some(4),
                },
            ],
            empty: Vec::new(),
            map: [
                ("b\"q".to_string(), "x".to_string()),
                ("a\tb".to_string(), "<mark>y</mark> é".to_string()),
                ("a".to_string(), String::new()),
                ("Z".to_string(), "upper".to_string()),
            ]
            .into_iter()
            .collect(),
            numbers: [(10, true), (9, false), (100, true)].into_iter().collect(),
            extra: [("middle", -5), ("aaa", 7)].into_iter().collect(),
            text: "Cymraeg: ŵ ŷ, 日本語".to_string(),
            nothing: None,
            score: 12.345,
        };
        let expected =
            serde_json::to_vec(&serde_json::to_value(&value).expect("a value")).expect("bytes");
        let written = to_vec(&value).expect("written");
        assert_eq!(
            String::from_utf8(written).expect("written"),
            String::from_utf8(expected).expect("written")
        );
    }

    /// Objects whose keys come in order are written as they came; a key
    /// out of order, or one key twice, anywhere in an object still sorts it.
    #[test]
    fn keys_in_order_stay_in_order() {
        #[derive(Serialize)]
        struct Ordered {
            a: u8,
            b: Vec<std::collections::BTreeMap<&'static str, u8>>,
            c: &'static str,
        }
        let value = Ordered {
            a: 1,
            b: vec![
                [("x", 1), ("y", 2)].into_iter().collect(),
                std::collections::BTreeMap::new(),
            ],
            c: "z",
        };
        let written = to_vec(&value).expect("written");
        assert_eq!(
            String::from_utf8(written).expect("written"),
            r#"{"a":1,"b":[{"x":1,"y":2},{}],"c":"z"}"#
        );
        #[derive(Serialize)]
        struct LastOutOfOrder {
            a: u8,
            b: u8,
            c: u8,
            #[serde(flatten)]
            more: std::collections::BTreeMap<&'static str, u8>,
        }
        let value = LastOutOfOrder {
            a: 1,
            b: 2,
            c: 3,
            more: [("b", 9), ("ab", 4)].into_iter().collect(),
        };
        let written = to_vec(&value).expect("written");
        assert_eq!(
            String::from_utf8(written).expect("written"),
            r#"{"a":1,"ab":4,"b":9,"c":3}"#
        );
    }

    /// An `f32` is written in its own shortest form (a hit's score rounded
    /// to 0.001 reads `15.802`), where a `Value` widened it to `f64` first
    /// (`15.802000045776367`).
    #[test]
    fn an_f32_is_written_short() {
        #[derive(Serialize)]
        struct Scored {
            score: f32,
        }
        let written = to_vec(&Scored { score: 15.802 }).expect("written");
        assert_eq!(
            String::from_utf8(written).expect("written"),
            r#"{"score":15.802}"#
        );
    }

    /// A repeated key keeps its last value, as a `Value` map would.
    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        #[derive(Serialize)]
        struct Twice {
            b: u8,
            a: u8,
            #[serde(flatten)]
            more: std::collections::BTreeMap<&'static str, u8>,
        }
        let value = Twice {
            b: 1,
            a: 2,
            more: [("a", 9)].into_iter().collect(),
        };
        let expected =
            serde_json::to_vec(&serde_json::to_value(&value).expect("a value")).expect("bytes");
        let written = to_vec(&value).expect("written");
        assert_eq!(written, expected);
        assert_eq!(
            String::from_utf8(written).expect("written"),
            r#"{"a":9,"b":1}"#
        );
    }
}
