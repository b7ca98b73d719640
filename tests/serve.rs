//! `policybook serve` as a trainer runs it, on 127.0.0.1 only: it starts on a free port, serves
//! pages and assets with their content types, refuses traversal (raw and percent-encoded),
//! rebuilds after an edit, and after a breaking edit reports the error and keeps serving the last
//! good site. Every wait is bounded; the server is killed at the end.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{assert_contains, copy_tree, repo, TempDir};

/// The server process; killed when dropped, so a failing test never leaves it running.
struct Server {
    child: Child,
    addr: String,
    /// What the server printed (standard output and error), for failure messages.
    output: mpsc::Receiver<String>,
}

impl Server {
    /// Everything printed since the last call.
    fn log(&self) -> String {
        self.output.try_iter().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .current_dir(root)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start policybook serve");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    let tx_err = tx.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx_err.send(format!("stderr: {line}")).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let addr = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx.recv_timeout(left).expect("serve printed its address in time");
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().expect("address").to_string();
        }
    };
    assert!(addr.starts_with("127.0.0.1:"), "listens on loopback only: {addr}");
    Server {
        child,
        addr,
        output: rx,
    }
}

/// A response: status, headers (lower-case names), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends a raw request target (nothing is normalised on the way) and reads the whole reply.
fn get(server: &Server, target: &str) -> Reply {
    request(
        server,
        &format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        ),
    )
}

/// Sends `raw` as the whole request and reads the whole reply.
fn request(server: &Server, raw_request: &str) -> Reply {
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    stream.write_all(raw_request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read reply");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// Asks `get` until `done` holds, for at most `secs` seconds.
fn wait_for(server: &Server, target: &str, secs: u64, done: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let reply = get(server, target);
        if done(&reply) || Instant::now() > deadline {
            return reply;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The build status once its `ok` is `ok`, or after 15 seconds, whatever it is then.
fn status_when(server: &Server, ok: bool) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let s = status(server);
        if s["ok"] == ok || Instant::now() > deadline {
            return s;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn status(server: &Server) -> serde_json::Value {
    serde_json::from_slice(&get(server, "/__policybook/status.json").body).expect("status is JSON")
}

/// A project folder: the mini content, a theme with one static file of each served type, and a
/// secret beside the content that must never be served.
fn project(tag: &str) -> TempDir {
    let dir = TempDir::new(tag);
    copy_tree(&repo().join("tests/fixtures/mini/content"), &dir.path().join("content"));
    let statics = dir.path().join("themes/default/static");
    std::fs::create_dir_all(&statics).expect("mkdir");
    for (name, bytes) in [
        ("probe.wasm", &b"\0asm\x01\0\0\0"[..]),
        ("probe.json", b"{\"probe\": true}"),
        ("probe.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("probe.png", b"\x89PNG\r\n\x1a\n"),
        ("probe.txt", b"probe"),
    ] {
        std::fs::write(statics.join(name), bytes).expect("write probe");
    }
    std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET-NOT-SERVED").expect("secret");
    dir
}

/// The hashed asset whose name starts with `prefix`, from a served page.
fn asset(page: &str, prefix: &str) -> String {
    let start = page
        .find(&format!("assets/{prefix}"))
        .unwrap_or_else(|| panic!("{prefix} linked"));
    let end = page[start..].find(['"', ' ', '>']).expect("end of the name") + start;
    format!("/{}", &page[start..end])
}

#[test]
fn serves_the_site_with_content_types_and_only_its_files() {
    let dir = project("serve-types");
    let server = start(dir.path());

    let home = get(&server, "/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(home.header("cache-control"), Some("no-store"));
    let html = home.text();
    assert!(
        html.contains("<script src=\"/__policybook/live.js\" data-build=\""),
        "live reload tag"
    );
    assert!(
        html.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "the CSP is the built one"
    );
    assert!(
        !html.contains("connect-src"),
        "no connect-src is needed for live reload"
    );

    for (target, ty) in [
        ("/zh/q/1/", "text/html; charset=utf-8"),
        ("/en/q/2/index.html", "text/html; charset=utf-8"),
        ("/zh/changes/", "text/html; charset=utf-8"),
        ("/__policybook/live.js", "text/javascript; charset=utf-8"),
        ("/__policybook/live.css", "text/css; charset=utf-8"),
        ("/__policybook/status.json", "application/json"),
    ] {
        let r = get(&server, target);
        assert_eq!((r.status, r.header("content-type")), (200, Some(ty)), "{target}");
    }
    let check = get(&server, "/zh/check/").text();
    for (prefix, ty) in [
        ("style.", "text/css; charset=utf-8"),
        ("app.", "text/javascript; charset=utf-8"),
        ("engine-check-zh.", "text/javascript; charset=utf-8"),
    ] {
        let target = asset(&check, prefix);
        let r = get(&server, &target);
        assert_eq!((r.status, r.header("content-type")), (200, Some(ty)), "{target}");
    }
    // The theme's probes of each type are hashed assets like the stylesheet.
    let listing: Vec<String> = ["probe.wasm", "probe.json", "probe.svg", "probe.png", "probe.txt"]
        .iter()
        .map(|name| {
            let bytes = std::fs::read(dir.path().join("themes/default/static").join(name)).expect("probe");
            policybook::output::hashed_name(name, &bytes)
        })
        .collect();
    for (path, ty) in listing.iter().zip([
        "application/wasm",
        "application/json",
        "image/svg+xml",
        "image/png",
        "text/plain; charset=utf-8",
    ]) {
        let r = get(&server, &format!("/{path}"));
        assert_eq!((r.status, r.header("content-type")), (200, Some(ty)), "{path}");
    }
    assert_eq!(
        get(&server, "/assets/probe.wasm").status,
        404,
        "only the hashed name exists"
    );

    // A folder without its slash is redirected, so that the page's relative links work.
    let r = get(&server, "/zh/q/1");
    assert_eq!((r.status, r.header("location")), (301, Some("/zh/q/1/")));
    assert_eq!(get(&server, "/zh/q/99/").status, 404);
    assert_eq!(get(&server, "/secret.txt").status, 404);

    // Traversal, raw and encoded, and odd bytes: refused, and the secret never leaks.
    for target in [
        "/../secret.txt",
        "/zh/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/zh/%2e%2e/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/%2fetc%2fpasswd",
        "/..%5c..%5csecret.txt",
        "/..\\secret.txt",
        "/zh%5c..%5c..%5csecret.txt",
        "/secret.txt%00.html",
        "/%00",
        "/bad%zz",
        "/%c0%ae%c0%ae/secret.txt",
    ] {
        let r = get(&server, target);
        assert!(r.status == 400 || r.status == 404, "{target}: {}", r.status);
        assert!(!r.text().contains("TOP-SECRET"), "{target} leaked the secret");
    }
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream.write_all(b"POST / HTTP/1.1\r\n\r\n").expect("send");
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    assert!(reply.starts_with("HTTP/1.1 405"), "{reply}");
}

#[test]
fn rebuilds_after_an_edit_and_keeps_the_last_good_site_when_a_build_fails() {
    let dir = project("serve-live");
    let server = start(dir.path());
    let first = status(&server);
    assert_eq!(first["ok"], true, "{first}");
    let first_build = first["build"].as_str().expect("build id").to_string();

    // An edit shows up within a few seconds, with a new build id.
    let q1 = dir.path().join("content/zh/q/01.md");
    let text = std::fs::read_to_string(&q1).expect("read");
    std::fs::write(&q1, format!("{text}\n编辑后的新段落 LIVE-EDIT-1。\n")).expect("edit");
    let page = wait_for(&server, "/zh/q/1/", 15, |r| r.text().contains("LIVE-EDIT-1"));
    assert!(
        page.text().contains("LIVE-EDIT-1"),
        "the edit was not served within 15 s"
    );
    let after_edit = status(&server);
    assert_eq!(after_edit["ok"], true);
    assert_ne!(after_edit["build"], first_build.as_str(), "a new build id");
    assert!(page.text().contains(&format!(
        "data-build=\"{}\"",
        after_edit["build"].as_str().unwrap_or("")
    )));

    // A breaking edit: the error endpoint names the file and line; the last good site stays.
    let q2 = dir.path().join("content/zh/q/02.md");
    let good = std::fs::read_to_string(&q2).expect("read");
    std::fs::write(&q2, good.replace("topic:", "tpoic:")).expect("break");
    let broken = status_when(&server, false);
    assert_eq!(
        broken["ok"],
        false,
        "the failed build was not reported: {broken}\n{}",
        server.log()
    );
    let error = broken["error"].as_str().unwrap_or_default();
    assert_contains(error, &["zh/q/02.md:4:1: unknown field `tpoic`"]);
    assert_eq!(broken["problems"][0]["line"], 4);
    assert_eq!(
        broken["build"], after_edit["build"],
        "the served build is the last good one"
    );
    let script = get(&server, "/__policybook/status.js?n=1");
    assert_eq!(script.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert!(script
        .text()
        .starts_with("window.__policybookStatus && window.__policybookStatus({"));
    assert!(script.text().contains("unknown field"));
    let page = get(&server, "/zh/q/1/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("LIVE-EDIT-1"),
        "the last good page is still served"
    );
    assert_eq!(get(&server, "/zh/q/2/").status, 200, "the page of the broken file too");

    // Fixed: a new good build.
    std::fs::write(&q2, good).expect("fix");
    let fixed = status_when(&server, true);
    assert_eq!(fixed["ok"], true, "{fixed}");
    assert!(fixed["error"].is_null());
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let dir = project("serve-port");
    let out = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .current_dir(dir.path())
        .args(["serve", "--port", &port])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("error: cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert_contains(&stderr, &["--port 0"]);
}

#[test]
fn ctrl_c_stops_the_server_and_leaves_nothing_behind() {
    let dir = project("serve-ctrl-c");
    let before = common::read_tree(dir.path());
    let mut server = start(dir.path());
    assert_eq!(get(&server, "/").status, 200);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().expect("run kill");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exited = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break Some(status);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        exited.is_some(),
        "the server did not stop on Ctrl-C (SIGINT) within 10 s"
    );
    // Nothing was written: no site/, no temporary folder, the content untouched.
    assert_eq!(common::read_tree(dir.path()), before);
    assert!(TcpStream::connect(&server.addr).is_err(), "the port is closed");
}

#[test]
fn a_first_build_that_fails_serves_its_error_until_the_file_is_fixed() {
    let dir = project("serve-first-fails");
    let q2 = dir.path().join("content/zh/q/02.md");
    let good = std::fs::read_to_string(&q2).expect("read");
    std::fs::write(&q2, good.replace("topic:", "tpoic:")).expect("break");
    let server = start(dir.path());
    let page = get(&server, "/zh/q/1/");
    assert_eq!(page.status, 503);
    assert!(page.text().contains("unknown field `tpoic`"), "{}", page.text());
    assert!(
        page.text().contains("data-build=\"none\""),
        "live reload on the error page"
    );
    assert_eq!(status(&server)["ok"], false);
    std::fs::write(&q2, good).expect("fix");
    let fixed = wait_for(&server, "/zh/q/1/", 15, |r| r.status == 200);
    assert_eq!(fixed.status, 200, "not served after the fix\n{}", server.log());
}

#[test]
fn only_requests_for_its_own_address_are_answered_and_redirects_stay_on_it() {
    let dir = project("serve-host");
    let server = start(dir.path());
    let port = server.addr.rsplit(':').next().expect("port").to_string();
    // DNS rebinding: a page of another site whose name now resolves to 127.0.0.1.
    for host in [
        format!("evil.example:{port}"),
        "127.0.0.1:1".to_string(),
        "localhost".to_string(),
    ] {
        let reply = request(
            &server,
            &format!("GET /__policybook/status.json HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(reply.status, 421, "Host: {host}");
        assert!(!reply.text().contains("\"build\""), "{}", reply.text());
    }
    let missing = request(&server, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(missing.status, 421);
    let local = request(
        &server,
        &format!("GET /zh/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(local.status, 200);

    // `//zh` must not redirect to `//zh/`, which a browser reads as the host "zh".
    for (target, location) in [("//zh", "/zh/"), ("/zh//q//1", "/zh/q/1/"), ("/zh/q/1", "/zh/q/1/")] {
        let reply = get(&server, target);
        assert_eq!(reply.status, 301, "{target}");
        assert_eq!(reply.header("location"), Some(location), "{target}");
    }
}

#[test]
fn slow_connections_are_closed_and_extra_ones_are_answered_503() {
    let dir = project("serve-slow");
    let server = start(dir.path());
    let addr = server.addr.clone();
    // 64 connections that send their request one byte a second, for longer than any deadline.
    let tricklers: Vec<_> = (0..64)
        .map(|_| {
            let mut stream = TcpStream::connect(&addr).expect("connect");
            std::thread::spawn(move || {
                for byte in b"GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaa".iter() {
                    if stream.write_all(&[*byte]).is_err() {
                        return true; // closed by the server
                    }
                    std::thread::sleep(Duration::from_millis(500));
                }
                false
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    // While all places are taken: a readable 503, not a reset connection.
    let busy = get(&server, "/");
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert!(busy.text().contains("too many connections"));
    // The header deadline frees the places: a request is served again long before the
    // trickling requests would have ended (20 s).
    let served = wait_for(&server, "/", 12, |r| r.status == 200);
    assert_eq!(served.status, 200, "still refused: {}", served.text());
    let closed = tricklers
        .into_iter()
        .filter_map(|t| t.join().ok())
        .filter(|c| *c)
        .count();
    assert_eq!(closed, 64, "every trickling connection was closed by the server");
}

#[test]
fn a_file_saved_in_two_steps_is_built_only_once_whole() {
    let dir = project("serve-two-steps");
    let server = start(dir.path());
    assert_eq!(status(&server)["ok"], true);
    let q1 = dir.path().join("content/zh/q/01.md");
    let text = std::fs::read_to_string(&q1).expect("read");
    let edited = format!("{text}\n两步保存的段落 TWO-STEP-SAVE。\n");
    // First half: the front matter is not closed yet, so a build of it would fail.
    let cut = edited.find("\n---\n").expect("end of front matter");
    std::fs::write(&q1, &edited[..cut]).expect("first half");
    // Watch the status through both steps and until the edit is served: no build may fail.
    let failure = std::cell::RefCell::new(None);
    let watch = |s: serde_json::Value| {
        if s["ok"] == false {
            failure.borrow_mut().get_or_insert(s);
        }
    };
    let deadline = Instant::now() + Duration::from_millis(600);
    while Instant::now() < deadline {
        watch(status(&server));
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::write(&q1, &edited).expect("second half");
    let page = wait_for(&server, "/zh/q/1/", 15, |r| {
        watch(status(&server));
        r.text().contains("TWO-STEP-SAVE")
    });
    watch(status(&server));
    assert!(
        failure.borrow().is_none(),
        "the half-written file was built: {:?}",
        failure.borrow()
    );
    assert!(page.text().contains("TWO-STEP-SAVE"), "the whole edit is served");
}
