//! Test PDFs written byte by byte: a few pages of text, none, many pages,
//! encrypted, cut short, and a deflate bomb in a content stream. No binary
//! fixtures: each is made where it is used.

use std::io::Write;

/// A PDF from its objects (numbered from 1), with a correct cross-reference
/// table and `trailer_extra` added to the trailer dictionary.
fn assemble(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).expect("write");
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).expect("write");
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").expect("write");
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .expect("write");
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// Catalog, page tree and font; the page tree lists `kids`.
fn head(kids: &[usize]) -> Vec<Vec<u8>> {
    let refs: Vec<String> = kids.iter().map(|k| format!("{k} 0 R")).collect();
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            refs.join(" "),
            kids.len()
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ]
}

fn page(contents: usize) -> Vec<u8> {
    format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {contents} 0 R >>"
    )
    .into_bytes()
}

/// A PDF with one page per text (an empty text makes a page with no text).
pub fn with_pages(texts: &[&str]) -> Vec<u8> {
    let kids: Vec<usize> = (0..texts.len()).map(|i| 4 + 2 * i).collect();
    let mut objects = head(&kids);
    for (i, text) in texts.iter().enumerate() {
        objects.push(page(5 + 2 * i));
        let ops = if text.is_empty() {
            // A drawn rectangle: a page as a scan would be, without text.
            "0 0 1 rg 72 72 200 200 re f".to_string()
        } else {
            format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET")
        };
        objects.push(stream("", ops.as_bytes()));
    }
    assemble(&objects, "")
}

/// `pages` pages sharing one content stream.
pub fn many_pages(pages: usize) -> Vec<u8> {
    let kids: Vec<usize> = (0..pages).map(|i| 5 + i).collect();
    let mut objects = head(&kids);
    objects.push(stream("", b"BT /F1 12 Tf 72 720 Td (page) Tj ET"));
    for _ in 0..pages {
        objects.push(page(4));
    }
    assemble(&objects, "")
}

/// A PDF protected by a user password (standard security handler, RC4
/// 40-bit), which no reader opens without the password.
pub fn encrypted() -> Vec<u8> {
    let kids = [4];
    let mut objects = head(&kids);
    objects.push(page(5));
    objects.push(stream("", b"BT /F1 12 Tf 72 720 Td (secret) Tj ET"));
    objects.push(
        format!(
            "<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P -44 >>",
            "7a".repeat(32),
            "3c".repeat(32)
        )
        .into_bytes(),
    );
    assemble(
        &objects,
        "/Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
    )
}

/// The opening bytes of a PDF, cut before its first object ends.
pub fn truncated() -> Vec<u8> {
    let whole = with_pages(&["cut short"]);
    whole[..40].to_vec()
}

/// A page whose content stream inflates to `gigabytes` GB of spaces: the
/// same independently compressed 64 MiB block repeated, so the file stays
/// small while a reader must inflate and scan all of it.
pub fn deflate_bomb(gigabytes: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let block = vec![b' '; 64 * 1024 * 1024];
    // The default level: every backend reaches deflate's limit on a run of
    // spaces there, where a fast level may not (zlib-rs's level 1 writes
    // fixed codes, about twice the size).
    let mut c = Compress::new(Compression::default(), false);
    let mut piece = Vec::with_capacity(128 * 1024);
    // A full flush ends the block on a byte boundary with no back
    // references into it, so copies of it follow one another validly.
    c.compress_vec(&block, &mut piece, FlushCompress::Full)
        .expect("deflate");
    while c.total_in() < block.len() as u64 {
        let at = usize::try_from(c.total_in()).expect("size");
        piece.reserve(64 * 1024);
        c.compress_vec(&block[at..], &mut piece, FlushCompress::Full)
            .expect("deflate");
    }
    let mut data = vec![0x78, 0x01];
    for _ in 0..gigabytes * 16 {
        data.extend_from_slice(&piece);
    }
    // The final empty stored block, then a checksum readers do not reach.
    data.extend_from_slice(&[0x03, 0x00, 0, 0, 0, 0]);
    let kids = [4];
    let mut objects = head(&kids);
    objects.push(page(5));
    objects.push(stream("/Filter /FlateDecode", &data));
    assemble(&objects, "")
}
