//! PDF attachments: checked and their text extracted by Debian
//! poppler-utils' `pdfinfo` and `pdftotext`, never in the server process.
//!
//! Each tool runs as a child process under `prlimit` (util-linux), which sets
//! the address-space and CPU-time limits (`setrlimit`) before it starts the
//! tool, so a hostile file (a zip bomb in a stream, a page tree of thousands
//! of pages) can exhaust neither the server's memory nor its cores. A
//! wall-clock timeout kills a tool that still runs, and its output is read
//! only up to a cap. Waiting for the child is asynchronous: no server thread
//! is held while a PDF is read.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tokio::process::Command;

/// Largest accepted attachment: 20 MB.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// Most pages read from an attachment; a longer one is refused.
pub const MAX_PAGES: u32 = 2000;
/// Most extracted text kept, in bytes.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// Wall-clock time a tool may run (two run per attachment, well inside
/// the request timeout).
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// CPU seconds a tool may use.
const CPU_SECONDS: u64 = 4;
/// Address space a tool may map.
const MEMORY_BYTES: u64 = 512 * 1024 * 1024;

/// What was learnt from a PDF, kept with its submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttachmentInfo {
    /// Number of pages.
    pub pages: u32,
    /// Characters of extracted text.
    pub text_chars: usize,
    /// Whether any page has text (a scanned PDF has none and is
    /// inaccessible to screen-reader users).
    pub has_text_layer: bool,
}

/// A checked PDF with its text.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// Pages and text summary.
    pub info: AttachmentInfo,
    /// The text, at most [`MAX_TEXT_BYTES`].
    pub text: String,
    /// SHA-256 of the file, in hex: its name in the store.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: usize,
}

/// Why an attachment was refused: each says what to do.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum AttachmentError {
    /// Not a PDF at all.
    #[error(
        "the attachment is not a PDF (it does not start with `%PDF-`); attach the report as a PDF file"
    )]
    NotPdf,
    /// Over [`MAX_BYTES`].
    #[error(
        "the attachment is {0} bytes, over the 20 MB limit; attach a smaller PDF, or link to it in `source_url`"
    )]
    TooBig(usize),
    /// Protected by a password.
    #[error("the attachment is an encrypted PDF; save it without a password and attach it again")]
    Encrypted,
    /// Over [`MAX_PAGES`].
    #[error("the attachment has {0} pages, over the limit of 2000; attach the part that matters")]
    TooManyPages(u32),
    /// The tools could not read it.
    #[error(
        "the attachment is a damaged PDF that cannot be read ({0}); export it again from the program that made it"
    )]
    Malformed(String),
    /// Reading it took too long or used too much memory.
    #[error(
        "the attachment took too long to read and was given up; attach a simpler PDF (for example saved with \"reduce file size\")"
    )]
    TooSlow,
    /// The PDF tools are not installed on the server.
    #[error(
        "attachments cannot be read on this server just now; send the submission without the attachment"
    )]
    Unavailable,
}

/// Whether the PDF tools are installed.
pub fn tools_available() -> bool {
    ["pdfinfo", "pdftotext", "prlimit"]
        .iter()
        .all(|tool| find_tool(tool).is_some())
}

fn find_tool(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.is_file())
}

/// What a tool run gave: exit success, stdout (capped), stderr's first line.
struct Run {
    ok: bool,
    stdout: Vec<u8>,
    stderr: String,
}

/// Run `tool args` under the limits; `None` when it ran out of time, CPU or memory.
async fn run_limited(
    tool: &str,
    args: &[&str],
    cap: usize,
) -> Result<Option<Run>, AttachmentError> {
    let mut child = Command::new("prlimit")
        .arg(format!("--as={MEMORY_BYTES}"))
        .arg(format!("--cpu={CPU_SECONDS}"))
        .arg("--")
        .arg(tool)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            tracing::error!(tool, error = %e, "PDF tool could not start");
            AttachmentError::Unavailable
        })?;
    let mut stdout = child.stdout.take().ok_or(AttachmentError::Unavailable)?;
    let mut stderr = child.stderr.take().ok_or(AttachmentError::Unavailable)?;
    let work = async {
        let mut out = Vec::new();
        // Read one byte past the cap, to know the output was cut.
        let limit = u64::try_from(cap).unwrap_or(u64::MAX) + 1;
        let mut out_reader = (&mut stdout).take(limit);
        let read = out_reader.read_to_end(&mut out);
        let mut err = Vec::new();
        let mut err_reader = (&mut stderr).take(64 * 1024);
        let read_err = err_reader.read_to_end(&mut err);
        let (a, b) = tokio::join!(read, read_err);
        a.and(b).map_err(|_| AttachmentError::Unavailable)?;
        out.truncate(cap);
        // Past the cap the tool is not waited for: it is killed below.
        let status = if out.len() >= cap {
            None
        } else {
            Some(
                child
                    .wait()
                    .await
                    .map_err(|_| AttachmentError::Unavailable)?,
            )
        };
        Ok::<_, AttachmentError>((out, err, status))
    };
    let Ok(result) = tokio::time::timeout(TIMEOUT, work).await else {
        return Ok(None);
    };
    let (stdout, err, status) = result?;
    let _ = child.start_kill();
    let stderr = String::from_utf8_lossy(&err)
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string();
    match status {
        None => Ok(Some(Run {
            ok: true,
            stdout,
            stderr,
        })),
        Some(s) => {
            // Killed by a signal: the CPU limit (SIGXCPU/SIGKILL) or memory.
            use std::os::unix::process::ExitStatusExt;
            if s.signal().is_some() {
                return Ok(None);
            }
            Ok(Some(Run {
                ok: s.success(),
                stdout,
                stderr,
            }))
        }
    }
}

/// Check a PDF and extract its text, using `scratch` for a temporary copy.
pub async fn extract(bytes: &[u8], scratch: &Path) -> Result<Extracted, AttachmentError> {
    if bytes.len() > MAX_BYTES {
        return Err(AttachmentError::TooBig(bytes.len()));
    }
    // The header may follow a little junk, as readers allow.
    if !bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Err(AttachmentError::NotPdf);
    }
    if !tools_available() {
        return Err(AttachmentError::Unavailable);
    }
    let sha256 = hex(&Sha256::digest(bytes));
    std::fs::create_dir_all(scratch).map_err(|_| AttachmentError::Unavailable)?;
    let file = tempfile::Builder::new()
        .prefix("upload-")
        .suffix(".pdf")
        .tempfile_in(scratch)
        .map_err(|_| AttachmentError::Unavailable)?;
    std::fs::write(file.path(), bytes).map_err(|_| AttachmentError::Unavailable)?;
    let path = file.path().to_string_lossy().to_string();

    let info = run_limited("pdfinfo", &[&path], 64 * 1024)
        .await?
        .ok_or(AttachmentError::TooSlow)?;
    let text = String::from_utf8_lossy(&info.stdout);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim_start_matches(':').trim().to_string())
    };
    if info.stderr.to_lowercase().contains("incorrect password")
        || field("Encrypted").is_some_and(|v| v.starts_with("yes"))
    {
        return Err(AttachmentError::Encrypted);
    }
    if !info.ok {
        return Err(AttachmentError::Malformed(plain(&info.stderr)));
    }
    let pages: u32 = field("Pages")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AttachmentError::Malformed("no page count".into()))?;
    if pages > MAX_PAGES {
        return Err(AttachmentError::TooManyPages(pages));
    }
    let last = pages.max(1).to_string();
    let run = run_limited(
        "pdftotext",
        &["-q", "-enc", "UTF-8", "-l", &last, &path, "-"],
        MAX_TEXT_BYTES,
    )
    .await?
    .ok_or(AttachmentError::TooSlow)?;
    if !run.ok {
        return Err(AttachmentError::Malformed(plain(&run.stderr)));
    }
    let mut text = String::from_utf8_lossy(&run.stdout).into_owned();
    // Page breaks are form feeds; words are what is searched.
    text = text.replace('\u{c}', "\n");
    let text_chars = text.chars().filter(|c| !c.is_whitespace()).count();
    Ok(Extracted {
        info: AttachmentInfo {
            pages,
            text_chars,
            has_text_layer: text_chars > 0,
        },
        text,
        sha256,
        bytes: bytes.len(),
    })
}

/// A tool's message without the file's temporary path.
fn plain(message: &str) -> String {
    let cut: String = message.chars().take(160).collect();
    let cut = cut
        .split_whitespace()
        .filter(|w| !w.contains("upload-"))
        .collect::<Vec<_>>()
        .join(" ");
    if cut.is_empty() {
        "the PDF tools found no readable document".into()
    } else {
        cut
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a pending attachment and its text are kept until a decision.
pub fn pending_dir(data: &Path) -> PathBuf {
    data.join("attachments").join("pending")
}

/// Keep a checked attachment (file and text) under `<data>/attachments/pending`,
/// named by its hash, durably, before the submission that names it is acknowledged.
pub fn keep_pending(data: &Path, bytes: &[u8], extracted: &Extracted) -> std::io::Result<()> {
    let dir = pending_dir(data);
    std::fs::create_dir_all(&dir)?;
    for (name, content) in [
        (format!("{}.pdf", extracted.sha256), bytes),
        (
            format!("{}.txt", extracted.sha256),
            extracted.text.as_bytes(),
        ),
    ] {
        let target = dir.join(&name);
        if target.exists() {
            continue;
        }
        let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
        std::io::Write::write_all(&mut tmp, content)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&target).map_err(|e| e.error)?;
    }
    std::fs::File::open(&dir)?.sync_all()
}

/// Where approved attachments are kept, named by their SHA-256.
pub fn approved_path(data: &Path, sha256: &str) -> PathBuf {
    data.join("attachments").join(format!("{sha256}.pdf"))
}

/// The attachment a submission's fields name, if any.
pub fn of_fields(
    fields: &serde_json::Map<String, serde_json::Value>,
) -> Option<kb_indexer::attachment::AttachmentMeta> {
    let meta: kb_indexer::attachment::AttachmentMeta =
        serde_json::from_value(fields.get("attachment")?.clone()).ok()?;
    // The hash names files: only hex is ever used as one.
    (meta.sha256.len() == 64 && meta.sha256.bytes().all(|b| b.is_ascii_hexdigit())).then_some(meta)
}

/// Move a pending attachment to `<data>/attachments/<sha256>.pdf` (durably)
/// and give back its text.
pub fn approve(data: &Path, sha256: &str) -> std::io::Result<String> {
    let pending = pending_dir(data);
    let text = std::fs::read_to_string(pending.join(format!("{sha256}.txt")))?;
    let target = approved_path(data, sha256);
    if !target.exists() {
        std::fs::copy(pending.join(format!("{sha256}.pdf")), &target)?;
        std::fs::File::open(&target)?.sync_all()?;
        if let Some(dir) = target.parent() {
            std::fs::File::open(dir)?.sync_all()?;
        }
    }
    Ok(text)
}
