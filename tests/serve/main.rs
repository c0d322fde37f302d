//! `bascule serve` end to end, over real HTTP: the page with its reload script (only in the
//! response), a rebuild after an edit, the event stream, paths outside the site refused,
//! the error overlay, a clean stop on Ctrl-C, and a headless Chromium that reloads by itself.
#![cfg(feature = "serve")]

#[path = "../common/mod.rs"]
mod common;

mod cdp;
mod hostile;
mod served;

use served::{Served, staging_left};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A role of the seed, as the inventory writes it, and the page shows it.
const ROLE: &str = "role: Serveur BD de production Campus";
const ROLE_SHOWN: &str = "Serveur BD de production Campus";
const NEW_ROLE: &str = "role: Serveur BD de production rebaptisé";
const NEW_ROLE_SHOWN: &str = "Serveur BD de production rebaptisé";
/// Long enough for any rebuild on a busy machine; the delay is asserted separately.
const PATIENCE: Duration = Duration::from_secs(120);

#[test]
fn the_page_is_served_with_the_script_that_is_not_on_disk() {
    let s = Served::start();
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    assert!(
        page.body.contains("<script src=\"/__bascule/live.js\""),
        "{}",
        page.body
    );
    let script_at = page.body.find("/__bascule/live.js").unwrap();
    assert!(script_at < page.body.rfind("</body>").unwrap());
    assert!(page.body.contains("<html lang=\"fr\">"));
    let on_disk = std::fs::read_to_string(s.path("out/site/index.html")).unwrap();
    assert!(
        !on_disk.contains("__bascule"),
        "the script was written into out/"
    );
    assert_eq!(s.get("/index.html").body, page.body);

    let script = s.get("/__bascule/live.js");
    assert_eq!(script.content_type, "text/javascript; charset=utf-8");
    assert!(
        script
            .body
            .contains("new EventSource(\"/__bascule/events\")")
    );
    assert!(script.body.contains("location.reload()"));
    for (path, ctype) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/annexes/annexe-1.svg", "image/svg+xml"),
        ("/annexes/annexe-1.png", "image/png"),
        (
            "/document.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ] {
        let r = s.get(path);
        assert_eq!((r.status, r.content_type.as_str()), (200, ctype), "{path}");
    }
    let head = s.raw("HEAD", "/");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(!head.contains("<html"), "HEAD sent a body: {head}");
    for method in ["POST", "PUT", "DELETE"] {
        let r = s.raw(method, "/");
        assert!(r.starts_with("HTTP/1.1 405"), "{method}: {r}");
        assert!(r.contains("Allow: GET, HEAD"), "{r}");
    }
    let folder = s.get("/annexes/");
    assert_eq!(
        folder.status, 404,
        "a folder without index.html is never listed"
    );
    assert!(s.raw("GET", "/annexes").contains("Location: /annexes/"));
}

/// How long serve's builds took, as it reports them (`built N files into out in X ms`).
fn build_times(log: &str) -> Vec<Duration> {
    log.lines()
        .filter_map(|l| {
            l.strip_prefix("built ")?
                .split(" in ")
                .nth(1)?
                .strip_suffix(" ms")
        })
        .filter_map(|ms| ms.parse().ok())
        .map(Duration::from_millis)
        .collect()
}

/// The page changes within a second of the edit. What serve adds to the build (watching,
/// debouncing, swapping, serving) is always held to that second; the whole delay, build
/// included, only with a binary named by `BASCULE_BIN` (`.ci/run` runs this test alone with
/// the dev build, which the dev profile optimises): with other tests beside it on two cores,
/// or an unoptimised build, the delay says more about the machine than about serve.
#[test]
fn an_edit_changes_the_served_page_within_a_second() {
    let s = Served::start();
    assert!(!s.get("/").body.contains(NEW_ROLE_SHOWN));
    s.edit(ROLE, NEW_ROLE);
    let delay = s
        .wait_until(PATIENCE, || s.get("/").body.contains(NEW_ROLE_SHOWN))
        .unwrap_or_else(|| panic!("the page never changed:\n{}", s.log()));
    let svg = std::fs::read_to_string(s.path("out/site/annexes/annexe-1.svg")).unwrap();
    assert!(svg.contains(NEW_ROLE_SHOWN), "the annexe was not rebuilt");
    s.wait_until(PATIENCE, || build_times(&s.log()).len() >= 2);
    let times = build_times(&s.log());
    let build = *times
        .get(1)
        .unwrap_or_else(|| panic!("no rebuild:\n{}", s.log()));
    let own = delay.saturating_sub(build);
    eprintln!("page changed {delay:?} after the edit, {build:?} of it building");
    assert!(
        own < Duration::from_secs(1),
        "serve took {own:?} besides the build ({build:?}):\n{}",
        s.log()
    );
    if served::optimised() {
        assert!(
            delay < Duration::from_secs(1),
            "the page changed {delay:?} after the edit:\n{}",
            s.log()
        );
    }
}

/// The next `reload` event's data on an event stream.
fn next_reload(lines: &mut impl BufRead) -> String {
    let mut event = String::new();
    loop {
        let mut line = String::new();
        assert!(lines.read_line(&mut line).unwrap() > 0, "the stream ended");
        let line = line.trim_end();
        if let Some(name) = line.strip_prefix("event: ") {
            event = name.to_string();
        } else if let Some(data) = line.strip_prefix("data: ")
            && event == "reload"
        {
            return data.to_string();
        }
    }
}

#[test]
fn the_event_stream_announces_each_build() {
    let s = Served::start();
    let mut sock = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    sock.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        sock,
        "GET /__bascule/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut lines = BufReader::new(sock);
    let mut status = String::new();
    lines.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    let mut head = String::new();
    loop {
        let mut line = String::new();
        lines.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    assert!(head.contains("Content-Type: text/event-stream"), "{head}");
    let first = next_reload(&mut lines);
    s.edit(ROLE, NEW_ROLE);
    let second = next_reload(&mut lines);
    assert_ne!(first, second, "a build must change the tag");
    assert!(
        s.get("/").body.contains(NEW_ROLE_SHOWN),
        "the event came before the page changed"
    );
    assert!(s.get("/").body.contains(&format!("data-tag=\"{second}\"")));
}

#[cfg(unix)]
#[test]
fn nothing_outside_the_site_folder_is_served() {
    let s = Served::start();
    std::fs::write(s.path("secret.txt"), "SECRET-OUTSIDE").unwrap();
    std::fs::create_dir(s.path("elsewhere")).unwrap();
    std::fs::write(s.path("elsewhere/x.html"), "SECRET-OUTSIDE").unwrap();
    std::os::unix::fs::symlink(s.path("secret.txt"), s.path("out/site/leak.txt")).unwrap();
    std::os::unix::fs::symlink(s.path("elsewhere"), s.path("out/site/up")).unwrap();
    std::os::unix::fs::symlink("../../secret.txt", s.path("out/site/rel.txt")).unwrap();
    let secret = s.path("secret.txt").display().to_string();
    for target in [
        "/../secret.txt",
        "/../../Cargo.toml",
        "/../inv.yaml",
        "/%2e%2e/inv.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2fCargo.toml",
        "/..%2finv.yaml",
        "/..\\inv.yaml",
        "/..%5cinv.yaml",
        "/./../inv.yaml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        &format!("/{secret}"),
        &format!("/{}", secret.trim_start_matches('/')),
        "/etc/passwd",
        "/leak.txt",
        "/rel.txt",
        "/up/x.html",
        "/up/",
        "http://127.0.0.1/../inv.yaml",
    ] {
        let answer = s.raw("GET", target);
        assert!(answer.starts_with("HTTP/1.1 404"), "{target}: {answer}");
        assert!(!answer.contains("SECRET-OUTSIDE"), "{target}");
        assert!(!answer.contains("root:"), "{target}");
        assert!(
            !answer.contains("[package]") && !answer.contains("instances:"),
            "{target}"
        );
    }
    assert!(s.raw("GET", "/style.css").starts_with("HTTP/1.1 200"));
}

/// DNS rebinding: a page of `attacker.example` whose name now resolves to 127.0.0.1 asks
/// the preview with its own name in `Host:`; it gets 421 and nothing of the site.
#[test]
fn only_its_own_host_names_read_the_preview() {
    let s = Served::start_in(
        {
            let dir = tempfile::tempdir().unwrap();
            std::fs::copy(common::seed_inventory(), dir.path().join("inv.yaml")).unwrap();
            dir
        },
        &["--allow-host", "preview.example"],
    );
    let port = s.port;
    for host in [
        "attacker.example".to_string(),
        format!("attacker.example:{port}"),
        format!("localhost.attacker.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        for target in ["/", "/tickets.html", "/__bascule/events"] {
            let answer = s.raw_host("GET", target, &host);
            assert!(
                answer.starts_with("HTTP/1.1 421"),
                "{host} {target}: {answer}"
            );
            assert!(!answer.contains("10.88.0"), "{host} {target}");
        }
    }
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
        format!("preview.example:{port}"),
    ] {
        let answer = s.raw_host("GET", "/style.css", &host);
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
    }
}

/// A checkout or an editor that replaces the inventory's folder (renamed away, another put
/// in its place): the watch follows the new folder, and later edits are seen too.
#[test]
fn the_inventory_folder_replaced_is_watched_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inventaire")).unwrap();
    std::fs::copy(
        common::seed_inventory(),
        dir.path().join("inventaire/inv.yaml"),
    )
    .unwrap();
    let s = Served::start_with(dir, "inventaire/inv.yaml", &["--out", "out"], &[]);
    assert!(s.get("/").body.contains(ROLE_SHOWN));
    std::fs::rename(s.path("inventaire"), s.path("inventaire.old")).unwrap();
    std::fs::create_dir(s.path("inventaire")).unwrap();
    let text = std::fs::read_to_string(s.path("inventaire.old/inv.yaml")).unwrap();
    std::fs::write(
        s.path("inventaire/inv.yaml"),
        text.replacen(ROLE, NEW_ROLE, 1),
    )
    .unwrap();
    s.wait_until(PATIENCE, || s.get("/").body.contains(NEW_ROLE_SHOWN))
        .unwrap_or_else(|| panic!("the new folder was never read:\n{}", s.log()));
    s.edit_at(
        "inventaire/inv.yaml",
        NEW_ROLE,
        "role: Serveur BD de production remplacé",
    );
    s.wait_until(PATIENCE, || {
        s.get("/")
            .body
            .contains("Serveur BD de production remplacé")
    })
    .unwrap_or_else(|| panic!("an edit in the new folder was not seen:\n{}", s.log()));
    std::fs::write(s.path("inventaire.old/inv.yaml"), "broken: [").unwrap();
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        !s.get("/").body.contains("bascule-overlay"),
        "the old folder is still watched:\n{}",
        s.log()
    );
}

/// A template edited into a loop without end cannot be interrupted: serve ends (exit 1)
/// with `E0409` naming it, within the render budget, and the last good output stays.
#[test]
fn a_template_that_never_ends_stops_serve_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::seed_inventory(), dir.path().join("inv.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    let mut s = Served::start_with(dir, "inv.yaml", &[], &[("BASCULE_RENDER_SECONDS", "3")]);
    let good = std::fs::read(s.path("out/site/index.html")).unwrap();
    let endless =
        "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}";
    std::fs::write(s.path("templates/document.md.tera"), endless).unwrap();
    let status = s
        .ended_within(PATIENCE)
        .unwrap_or_else(|| panic!("serve still runs:\n{}", s.log()));
    assert_eq!(status.code(), Some(1), "{}", s.log());
    assert!(s.log().contains("error[E0409]"), "{}", s.log());
    assert!(s.log().contains("--> document.md.tera"), "{}", s.log());
    assert_eq!(std::fs::read(s.path("out/site/index.html")).unwrap(), good);
}

#[test]
fn a_broken_inventory_shows_the_overlay_over_the_last_good_page() {
    let s = Served::start();
    let good = std::fs::read(s.path("out/site/index.html")).unwrap();
    s.edit("\nstates:", "\nstatez:");
    let text = std::fs::read_to_string(s.path("inv.yaml")).unwrap();
    let line = text.lines().position(|l| l == "statez:").unwrap() + 1;
    let at = format!("inv.yaml:{line}:1");
    s.wait_until(PATIENCE, || s.get("/").body.contains("bascule-overlay"))
        .unwrap_or_else(|| panic!("no overlay:\n{}", s.log()));
    let page = s.get("/").body;
    assert!(page.contains(&at), "the overlay does not say {at}:\n{page}");
    assert!(page.contains("unknown key `statez`"), "{page}");
    assert!(page.contains(ROLE_SHOWN), "the last good page is gone");
    assert_eq!(std::fs::read(s.path("out/site/index.html")).unwrap(), good);
    assert!(
        s.log().contains(&format!("--> {at}")),
        "terminal:\n{}",
        s.log()
    );
    assert!(s.log().contains("error[E0010]"), "{}", s.log());

    s.edit("\nstatez:", "\nstates:");
    s.wait_until(PATIENCE, || {
        let page = s.get("/");
        page.status == 200
            && page.body.contains(ROLE_SHOWN)
            && !page.body.contains("bascule-overlay")
    })
    .unwrap_or_else(|| panic!("the overlay stayed:\n{}", s.log()));
}

#[test]
fn templates_are_watched_and_their_errors_shown_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::seed_inventory(), dir.path().join("inv.yaml")).unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let page =
        std::fs::read_to_string(common::repo().join("templates/site-index.html.tera")).unwrap();
    std::fs::write(templates.join("site-index.html.tera"), &page).unwrap();
    let s = Served::start_in(dir, &[]);
    let edited = page.replace(
        "<main id=\"page_main\"",
        "<main data-edited=\"yes\" id=\"page_main\"",
    );
    std::fs::write(templates.join("site-index.html.tera"), &edited).unwrap();
    s.wait_until(PATIENCE, || s.get("/").body.contains("data-edited=\"yes\""))
        .unwrap_or_else(|| panic!("a template edit was not rebuilt:\n{}", s.log()));

    std::fs::write(
        templates.join("site-index.html.tera"),
        "<p>\n{{ title </p>\n",
    )
    .unwrap();
    s.wait_until(PATIENCE, || s.get("/").body.contains("bascule-overlay"))
        .unwrap_or_else(|| panic!("no overlay for a template error:\n{}", s.log()));
    let shown = s.get("/").body;
    assert!(shown.contains("error[E0402]"), "{shown}");
    assert!(shown.contains("site-index.html.tera:2:"), "{shown}");
    assert!(
        shown.contains("data-edited=\"yes\""),
        "the last good page is gone"
    );
    assert!(s.log().contains("error[E0402]"), "{}", s.log());
}

#[test]
fn an_error_is_escaped_in_the_overlay() {
    let s = Served::start();
    s.edit("\nstates:", "\n<script>alert(1)</script>:");
    s.wait_until(PATIENCE, || s.get("/").body.contains("bascule-overlay"))
        .unwrap_or_else(|| panic!("no overlay:\n{}", s.log()));
    let page = s.get("/").body;
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert(1)"), "{page}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_server_and_watcher_and_leaves_no_staging_folder() {
    let mut s = Served::start();
    let status = s.interrupt().expect("serve did not stop on SIGINT");
    assert!(status.success(), "{status:?}:\n{}", s.log());
    assert!(s.log().contains("bascule serve: stopped"), "{}", s.log());
    assert_eq!(staging_left(s.dir.path()), Vec::<String>::new());
    assert!(
        TcpStream::connect(("127.0.0.1", s.port)).is_err(),
        "still listening"
    );
}

/// An output folder inside the templates folder would rebuild without end: refused.
#[test]
fn an_output_folder_inside_the_templates_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::seed_inventory(), dir.path().join("inv.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    let o = std::process::Command::new(served::binary())
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(dir.path())
        .args([
            "serve",
            "--inventory",
            "inv.yaml",
            "--port",
            "0",
            "--out",
            "templates/./out",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("inside the templates folder"), "{err}");
    assert!(!dir.path().join("templates/out").exists());
}

#[test]
fn a_busy_port_is_a_usage_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::seed_inventory(), dir.path().join("inv.yaml")).unwrap();
    let o = std::process::Command::new(served::binary())
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(dir.path())
        .args(["serve", "--inventory", "inv.yaml", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
    let err = common::stderr(&o);
    assert!(
        err.contains(&format!("port {port} is already in use")),
        "{err}"
    );
    assert!(err.contains("--port 0"), "{err}");
    assert!(
        !dir.path().join("out").exists(),
        "nothing is built before the port is ours"
    );
}

#[test]
fn chromium_reloads_the_page_by_itself_after_an_edit() {
    let Some(exe) = cdp::chromium() else {
        common::tool_missing("chromium (apt-get install chromium)");
        return;
    };
    let s = Served::start();
    let mut browser = cdp::Browser::start(&exe);
    browser.navigate(&s.url("/"));
    let loaded = s.wait_until(PATIENCE, || {
        browser.eval("document.readyState === 'complete' && document.documentElement.lang") == "fr"
    });
    assert!(loaded.is_some(), "the page never loaded in Chromium");
    // A mark the page loses when it reloads: only the page's own script can reload it.
    browser.eval("window.__mark = 'before'; 1");
    s.edit(ROLE, NEW_ROLE);
    let probe = format!(
        "[window.__mark === undefined, document.body.innerText.includes({NEW_ROLE_SHOWN:?})]"
    );
    let reloaded = s.wait_until(PATIENCE, || {
        browser.eval(&probe) == serde_json::json!([true, true])
    });
    assert!(reloaded.is_some(), "Chromium never reloaded:\n{}", s.log());
}
