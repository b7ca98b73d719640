//! `policybook serve`: builds the site into memory, serves it on 127.0.0.1, rebuilds when
//! `content/` or `themes/` change, and reloads the open pages.
//!
//! - **Nothing is written to disk.** The site is rendered with the same code as `build`
//!   ([`site::render_site`]: load, render, link check) and kept in memory; `site/` is never
//!   touched, and stopping the server (Ctrl-C) leaves nothing behind to clean up.
//! - **Only the built files are served.** A request path is percent-decoded segment by segment and
//!   looked up in the in-memory map of the build; nothing is ever read from the file system. A
//!   `..` or `.` segment, an encoded `/` or `\` (`%2f`, `%5c`), a raw `\`, a NUL or another control
//!   character, or a malformed `%` escape is refused with 400; anything else not in the build is 404.
//! - **Live reload keeps the pages' Content-Security-Policy as built.** Each served page gets one
//!   extra tag, `<script src="/__policybook/live.js" data-build="ID" defer>` (a file, allowed by
//!   `script-src 'self'`). The script loads `/__policybook/status.js` as a script once a second —
//!   no `fetch`, so no `connect-src` is needed — and reloads the page when the build id changes.
//! - **A failed rebuild keeps the last good site.** The error is printed in the terminal and
//!   reported at `/__policybook/status.json` (and `status.js`), and `live.js` shows it over the page.
//! - The offline service worker (`/sw.js`) is replaced by one that removes itself and its caches,
//!   so that no cached copy hides an edit.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use crate::error::{Diagnostic, Error, Result};
use crate::output::Files;
use crate::site::{self, BuildOptions};

const LIVE_JS: &str = include_str!("serve/live.js");
const LIVE_CSS: &str = include_str!("serve/live.css");
const SERVE_SW: &str = include_str!("serve/sw.js");
/// Requests under this prefix are the server's own, never the site's.
const PREFIX: &str = "/__policybook/";
/// How often the watcher looks at the files' modification times.
const POLL: Duration = Duration::from_millis(300);
/// After a change, the files must stay unchanged this long before a rebuild, so that a file an
/// editor saves in two steps is never built half-written.
const QUIET: Duration = Duration::from_millis(1000);
/// A rebuild happens at the latest this long after a change, even while files keep changing.
const MAX_SETTLE: Duration = Duration::from_secs(10);
/// The whole request head must arrive within this time; a connection that trickles it in byte
/// by byte is closed (408), so slow connections cannot hold all [`MAX_CONNECTIONS`] places.
const HEADER_DEADLINE: Duration = Duration::from_secs(5);
/// Connections handled at once; more are answered 503.
const MAX_CONNECTIONS: usize = 64;
/// The largest request head accepted.
const MAX_HEAD: usize = 16 * 1024;

/// What the server knows about the latest build, as `/__policybook/status.json` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The id of the build being served (`none` before the first good build).
    pub build: String,
    /// `false` when the latest build failed; the last good build is still served.
    pub ok: bool,
    /// Pages in the build being served.
    pub pages: usize,
    /// The latest build's error, as printed in the terminal.
    pub error: Option<String>,
    /// The latest build's problems, one by one.
    pub problems: Vec<Diagnostic>,
}

/// The site being served and the state of the latest build.
struct State {
    site: RwLock<Option<Arc<Files>>>,
    /// The last good build as `render_site` made it, to tell whether a rebuild changed anything.
    raw: RwLock<Option<Files>>,
    status: RwLock<Status>,
    /// Distinguishes this server's builds from an earlier server's on the same port.
    instance: u128,
    builds: AtomicUsize,
}

/// Runs the server until the process is stopped.
pub fn run(content: PathBuf, port: u16) -> Result<ExitCode> {
    let opts = BuildOptions {
        content,
        out: PathBuf::from("(memory)"),
        themes: None,
    };
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        Error::failed(
            format!("cannot listen on 127.0.0.1:{port}: {e}"),
            Some("another program may use this port; pass --port with another number, or --port 0 for a free one"),
        )
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::failed(format!("cannot read the server's address: {e}"), None))?;
    let state = Arc::new(State {
        site: RwLock::new(None),
        raw: RwLock::new(None),
        status: RwLock::new(Status {
            build: "none".into(),
            ok: false,
            pages: 0,
            error: Some("the first build has not finished".into()),
            problems: Vec::new(),
        }),
        instance: SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0),
        builds: AtomicUsize::new(0),
    });
    let watched = watched_dirs(&opts);
    // Taken before the first build, so that an edit made while it runs is seen.
    let initial = fingerprint(&watched);
    rebuild(&opts, &state, None);
    println!("serving http://{addr}/ (only on this computer; Ctrl-C stops the server)");
    println!(
        "watching {} for changes; open pages reload after each build",
        watched
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    );
    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || watch(&opts, &watched, initial, &state));
    }
    let active = Arc::new(AtomicUsize::new(0));
    let port = addr.port();
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_read_timeout(Some(HEADER_DEADLINE));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            refuse_busy(&mut stream);
            continue;
        }
        let state = Arc::clone(&state);
        let active = Arc::clone(&active);
        std::thread::spawn(move || {
            handle(&mut stream, &state, port);
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(ExitCode::SUCCESS)
}

/// Answers 503 without waiting: what has arrived of the request is read first and the connection
/// is closed for writing, so that the client reads the answer rather than a reset connection.
fn refuse_busy(stream: &mut TcpStream) {
    let mut sink = [0u8; 4096];
    let drain = |stream: &mut TcpStream, sink: &mut [u8]| {
        if stream.set_nonblocking(true).is_ok() {
            for _ in 0..4 {
                if !matches!(stream.read(sink), Ok(n) if n > 0) {
                    break;
                }
            }
            let _ = stream.set_nonblocking(false);
        }
    };
    drain(stream, &mut sink);
    let _ = respond(stream, false, &Response::text(503, "too many connections; try again"));
    let _ = stream.shutdown(std::net::Shutdown::Write);
    drain(stream, &mut sink);
}

/// `content/` and `themes/` (beside it).
fn watched_dirs(opts: &BuildOptions) -> Vec<PathBuf> {
    let themes = opts
        .themes
        .clone()
        .unwrap_or_else(|| opts.content.parent().unwrap_or(Path::new(".")).join("themes"));
    vec![opts.content.clone(), themes]
}

/// What the watcher compares: each file's modification time, size and a hash of its contents.
type Fingerprint = BTreeMap<PathBuf, (Option<SystemTime>, u64, u64)>;

/// Every file below `dirs`; a folder that does not exist has no files. The contents are hashed
/// too (the whole guide is a few hundred KB), so that an edit is seen even where the file system
/// keeps coarse modification times (FAT on a USB stick: 2 seconds) and the size did not change.
fn fingerprint(dirs: &[PathBuf]) -> Fingerprint {
    let mut out = BTreeMap::new();
    for dir in dirs {
        for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(|e| e.ok()) {
            if let Ok(meta) = entry.metadata() {
                if meta.is_file() {
                    let hash = if meta.len() <= crate::source::MAX_FILE_BYTES {
                        std::fs::read(entry.path()).map_or(0, |b| crate::output::fnv1a64(&b))
                    } else {
                        0
                    };
                    out.insert(entry.into_path(), (meta.modified().ok(), meta.len(), hash));
                }
            }
        }
    }
    out
}

/// Polls the watched folders and rebuilds after a change (once the files stop changing).
fn watch(opts: &BuildOptions, dirs: &[PathBuf], mut last: Fingerprint, state: &State) {
    loop {
        std::thread::sleep(POLL);
        let mut now = fingerprint(dirs);
        if now == last {
            continue;
        }
        now = settle(dirs, now);
        let changed = now
            .iter()
            .find(|(p, v)| last.get(*p) != Some(*v))
            .map(|(p, _)| p.clone())
            .or_else(|| last.keys().find(|p| !now.contains_key(*p)).cloned());
        last = now;
        rebuild(opts, state, changed.as_deref());
    }
}

/// Waits until the files have stayed unchanged for [`QUIET`] (an editor may save several files, or
/// write a file in two steps), or [`MAX_SETTLE`] has passed; returns their fingerprint then.
fn settle(dirs: &[PathBuf], mut now: Fingerprint) -> Fingerprint {
    let start = Instant::now();
    let mut stable_since = Instant::now();
    while stable_since.elapsed() < QUIET && start.elapsed() < MAX_SETTLE {
        std::thread::sleep(Duration::from_millis(100));
        let again = fingerprint(dirs);
        if again != now {
            now = again;
            stable_since = Instant::now();
        }
    }
    now
}

/// Builds into memory; on success swaps the served site, on failure keeps it and reports why.
fn rebuild(opts: &BuildOptions, state: &State, changed: Option<&Path>) {
    let start = Instant::now();
    let cause = changed
        .map(|p| format!("{} changed: ", p.display()))
        .unwrap_or_default();
    match site::render_site(opts) {
        Ok((guide, files)) => {
            let pages = files.keys().filter(|k| k.ends_with(".html")).count();
            let unchanged = read(&state.status).ok && read(&state.raw).as_ref() == Some(&files);
            if unchanged {
                println!("{cause}the site is unchanged");
                return;
            }
            let n = state.builds.fetch_add(1, Ordering::SeqCst) + 1;
            let id = format!("{}-{n}", state.instance);
            let served = for_serving(files.clone(), &id);
            *write(&state.raw) = Some(files);
            *write(&state.site) = Some(Arc::new(served));
            *write(&state.status) = Status {
                build: id,
                ok: true,
                pages,
                error: None,
                problems: Vec::new(),
            };
            let warnings = crate::lint::glossary(&guide).len();
            println!(
                "{cause}built {pages} pages in 2 languages in {} ms{}",
                start.elapsed().as_millis(),
                if warnings > 0 {
                    format!(" ({warnings} warnings: policybook validate shows them)")
                } else {
                    String::new()
                }
            );
        }
        Err(e) => {
            let text = e.report();
            let problems = e.problems();
            let has_site = read(&state.site).is_some();
            eprintln!(
                "{cause}the build failed; {}\n{text}",
                if has_site {
                    "the last good build is still served"
                } else {
                    "nothing to serve until it is fixed"
                }
            );
            let mut status = write(&state.status);
            status.ok = false;
            status.error = Some(text);
            status.problems = problems;
        }
    }
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The tag added to every served page.
fn live_tag(build: &str) -> String {
    format!("<script src=\"{PREFIX}live.js\" data-build=\"{build}\" defer></script>")
}

/// The build as served: the live-reload tag in every page, the self-removing service worker.
fn for_serving(mut files: Files, build: &str) -> Files {
    let tag = live_tag(build);
    for (path, bytes) in files.iter_mut() {
        if path.ends_with(".html") {
            *bytes = inject(bytes, &tag);
        }
    }
    if files.contains_key(crate::offline::SERVICE_WORKER) {
        files.insert(crate::offline::SERVICE_WORKER.into(), SERVE_SW.as_bytes().to_vec());
    }
    files
}

/// Inserts `tag` before the last `</body>` (or at the end).
fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    let at = rfind(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The media type of a served file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Where a request path leads inside the build.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the build, by its relative path (`zh/q/3/index.html`).
    File(String),
    /// The request is refused: 400 (malformed or a traversal attempt).
    Bad(&'static str),
}

/// Maps a request path (without the query) to a file of the build. Percent-escapes are decoded
/// segment by segment; `.`/`..` segments, encoded separators, backslashes and control characters
/// are refused, so a path can only name a key of the in-memory map.
pub fn resolve(raw: &str) -> Target {
    let Some(rest) = raw.strip_prefix('/') else {
        return Target::Bad("the path must start with /");
    };
    if raw.contains('\\') {
        return Target::Bad("backslashes are not allowed in a path");
    }
    let mut parts: Vec<String> = Vec::new();
    for segment in rest.split('/') {
        let Some(decoded) = percent_decode(segment) else {
            return Target::Bad("malformed percent-escape");
        };
        if decoded.contains(['/', '\\']) {
            return Target::Bad("encoded path separators are not allowed");
        }
        if decoded.chars().any(char::is_control) {
            return Target::Bad("control characters are not allowed in a path");
        }
        if decoded == "." || decoded == ".." {
            return Target::Bad("`.` and `..` are not allowed in a path");
        }
        if !decoded.is_empty() {
            parts.push(decoded);
        }
    }
    let mut key = parts.join("/");
    if key.is_empty() {
        key = "index.html".into();
    } else if raw.ends_with('/') {
        key.push_str("/index.html");
    }
    Target::File(key)
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A response before it is written.
struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Response {
            status,
            content_type,
            body,
            location: None,
        }
    }

    fn text(status: u16, message: &str) -> Self {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            format!("{status} {message}\n").into_bytes(),
        )
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

fn respond(stream: &mut TcpStream, head_only: bool, r: &Response) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    if let Some(location) = &r.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    if r.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&r.body)?;
    }
    stream.flush()
}

/// Reads one request and answers it; the connection is then closed. `port` is the port the
/// server listens on: only requests for `127.0.0.1:PORT` or `localhost:PORT` are answered.
fn handle(stream: &mut TcpStream, state: &State, port: u16) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    let deadline = Instant::now() + HEADER_DEADLINE;
    let head_end = loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            break end;
        }
        if buf.len() > MAX_HEAD {
            let _ = respond(stream, false, &Response::text(431, "request head too large"));
            return;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            let _ = respond(
                stream,
                false,
                &Response::text(408, "the request took too long to arrive"),
            );
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                let _ = respond(
                    stream,
                    false,
                    &Response::text(408, "the request took too long to arrive"),
                );
                return;
            }
            Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]);
    let mut words = head.lines().next().unwrap_or("").split(' ');
    let (method, target, version) = (words.next(), words.next(), words.next());
    let (Some(method), Some(target), Some(version)) = (method, target, version) else {
        let _ = respond(stream, false, &Response::text(400, "malformed request line"));
        return;
    };
    if !version.starts_with("HTTP/1.") {
        let _ = respond(stream, false, &Response::text(400, "only HTTP/1.x is served"));
        return;
    }
    let head_only = method == "HEAD";
    let response = if method != "GET" && !head_only {
        Response::text(405, "only GET and HEAD are served")
    } else if let Err(why) = check_host(&head, version, port) {
        Response::text(421, &why)
    } else {
        answer(target, state)
    };
    let _ = respond(stream, head_only, &response);
}

/// Only the address the server listens on may be named in `Host`: a page of another site that
/// makes its name resolve to 127.0.0.1 (DNS rebinding) is refused, so it can read nothing here.
/// An HTTP/1.0 request may leave `Host` out.
fn check_host(head: &str, version: &str, port: u16) -> Result<(), String> {
    let hosts: Vec<&str> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.trim())
        .collect();
    let expected =
        format!("this server answers only requests for http://127.0.0.1:{port}/ or http://localhost:{port}/");
    match hosts.as_slice() {
        [] if version == "HTTP/1.0" => Ok(()),
        [host] => {
            let host = host.to_ascii_lowercase();
            let bare = port == 80 && (host == "127.0.0.1" || host == "localhost");
            if bare || host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}") {
                Ok(())
            } else {
                Err(expected)
            }
        }
        _ => Err(expected),
    }
}

/// The response to a GET of `target` (path and query).
fn answer(target: &str, state: &State) -> Response {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if let Some(name) = path.strip_prefix(PREFIX) {
        return match name {
            "live.js" => Response::new(200, content_type(name), LIVE_JS.as_bytes().to_vec()),
            "live.css" => Response::new(200, content_type(name), LIVE_CSS.as_bytes().to_vec()),
            "status.json" => {
                let status = read(&state.status).clone();
                let json = serde_json::to_string_pretty(&status).unwrap_or_default();
                Response::new(200, content_type(name), json.into_bytes())
            }
            "status.js" => {
                let status = read(&state.status).clone();
                let json = serde_json::to_string(&status).unwrap_or_default();
                let js = format!("window.__policybookStatus && window.__policybookStatus({json});\n");
                Response::new(200, content_type(name), js.into_bytes())
            }
            _ => Response::text(404, "not found"),
        };
    }
    let key = match resolve(path) {
        Target::File(key) => key,
        Target::Bad(why) => return Response::text(400, why),
    };
    let Some(site) = read(&state.site).clone() else {
        return no_site_yet(state);
    };
    if let Some(bytes) = site.get(&key) {
        return Response::new(200, content_type(&key), bytes.clone());
    }
    // `/zh/q/3` → `/zh/q/3/`, so that the page's relative links resolve. The location is built
    // from the resolved key, which has no empty segment: never `//zh/`, an address on a host "zh".
    if !path.ends_with('/') && site.contains_key(&format!("{key}/index.html")) {
        let mut r = Response::text(301, "moved");
        r.location = Some(format!("/{key}/"));
        return r;
    }
    Response::text(404, "not found in the built site")
}

/// The page served while there is no good build yet: the error, and live reload.
fn no_site_yet(state: &State) -> Response {
    let status = read(&state.status).clone();
    let error = status.error.unwrap_or_default();
    let escaped = error.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'\"><title>policybook serve: the build failed</title></head><body><h1>The build failed</h1><p>Nothing can be shown until the problem below is fixed; this page reloads by itself.</p><pre>{escaped}</pre>{}</body></html>",
        live_tag(&status.build)
    );
    Response::new(503, "text/html; charset=utf-8", html.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_of_the_build() {
        assert_eq!(resolve("/"), Target::File("index.html".into()));
        assert_eq!(resolve("/zh/q/3/"), Target::File("zh/q/3/index.html".into()));
        assert_eq!(resolve("/zh/q/3"), Target::File("zh/q/3".into()));
        assert_eq!(
            resolve("/assets/style.1a2b.css"),
            Target::File("assets/style.1a2b.css".into())
        );
        assert_eq!(resolve("/zh//index.html"), Target::File("zh/index.html".into()));
        assert_eq!(resolve("/%7a%68/index.html"), Target::File("zh/index.html".into()));
    }

    #[test]
    fn traversal_and_odd_bytes_are_refused() {
        for path in [
            "/../Cargo.toml",
            "/zh/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/secret",
            "/zh/%2e/index.html",
            "/assets/..%2f..%2fsecret",
            "/assets/%2fetc%2fpasswd",
            "/..%5c..%5csecret",
            "/..\\secret",
            "/a%00b",
            "/a%0ab",
            "/bad%zz",
            "/bad%",
            "/%ff%fe",
            "relative/path",
        ] {
            assert!(matches!(resolve(path), Target::Bad(_)), "{path} was not refused");
        }
    }

    #[test]
    fn only_the_listening_address_is_accepted_as_host() {
        let head = |host: &str| format!("GET / HTTP/1.1\r\nHost: {host}\r\nAccept: */*");
        assert_eq!(check_host(&head("127.0.0.1:8080"), "HTTP/1.1", 8080), Ok(()));
        assert_eq!(check_host(&head("LOCALHOST:8080"), "HTTP/1.1", 8080), Ok(()));
        for bad in [
            "evil.example:8080",
            "127.0.0.1:8081",
            "127.0.0.1",
            "localhost.evil.example:8080",
        ] {
            assert!(check_host(&head(bad), "HTTP/1.1", 8080).is_err(), "{bad}");
        }
        assert!(check_host("GET / HTTP/1.1", "HTTP/1.1", 8080).is_err());
        assert_eq!(check_host("GET / HTTP/1.0", "HTTP/1.0", 8080), Ok(()));
        let twice = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nHost: evil.example";
        assert!(check_host(twice, "HTTP/1.1", 8080).is_err());
    }

    #[test]
    fn content_types() {
        for (name, ty) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.wasm", "application/wasm"),
            ("a.json", "application/json"),
            ("a.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.txt", "text/plain; charset=utf-8"),
            ("A.PNG", "image/png"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(name), ty, "{name}");
        }
    }

    #[test]
    fn the_live_tag_goes_before_the_end_of_the_body() {
        let mut files = Files::new();
        files.insert("a/index.html".into(), b"<html><body><p>x</p></body></html>".to_vec());
        files.insert("assets/app.js".into(), b"</body>".to_vec());
        let served = for_serving(files.clone(), "7-1");
        assert_eq!(
            String::from_utf8_lossy(&served["a/index.html"]),
            "<html><body><p>x</p><script src=\"/__policybook/live.js\" data-build=\"7-1\" defer></script></body></html>"
        );
        assert_eq!(served["assets/app.js"], b"</body>");
    }
}
