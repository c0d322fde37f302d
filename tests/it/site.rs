//! The docs site as its readers get it: every local link, image, stylesheet and script of
//! every page leads to a file of the site (and to an element, for `#id`), nothing is loaded
//! from outside; and headless Chromium (tools/site-browser.mjs) loads each page from
//! `file://` without a console error or a failed request, draws every image, and axe-core
//! finds no serious or critical violation.

use crate::common::*;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use url::Url;

/// The seed's site, built once for the tests of this file.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("site-tests");
        std::fs::create_dir_all(&dir).unwrap();
        let inv = seed_inventory();
        let o = bascule(
            &dir,
            &["build", "--inventory", inv.to_str().unwrap(), "--force"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        dir.join("out/site")
    })
}

fn pages(site: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(site)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    pages
}

/// The ids of a page's elements.
fn ids(page: &Path) -> BTreeSet<String> {
    let html = Html::parse_document(&std::fs::read_to_string(page).unwrap());
    let sel = Selector::parse("[id]").unwrap();
    html.select(&sel)
        .filter_map(|e| e.value().attr("id").map(str::to_string))
        .collect()
}

/// What one reference of `page` (an `href` or a `src`) is wrong about, if anything.
fn fault(
    site: &Path,
    page: &Path,
    tag: &str,
    value: &str,
    ids_of: &mut BTreeMap<PathBuf, BTreeSet<String>>,
) -> Option<String> {
    let has_scheme = value
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
    if has_scheme {
        let link = tag == "a"
            && ["http:", "https:", "mailto:"]
                .iter()
                .any(|s| value.starts_with(s));
        // The icon is inline (a data: URI): nothing is loaded, from anywhere.
        let inline = tag == "link" && value.starts_with("data:image/svg+xml,");
        return (!link && !inline).then(|| format!("{value}: loaded from outside the site"));
    }
    if value.starts_with('/') {
        return Some(format!("{value}: absolute, breaks under a sub-path"));
    }
    let base = Url::from_file_path(page).unwrap();
    let target = base.join(value).ok()?;
    let file = target.to_file_path().ok()?;
    if !file.starts_with(site) {
        return Some(format!("{value}: outside the site"));
    }
    if !file.is_file() {
        return Some(format!("{value}: no such file"));
    }
    let fragment = target.fragment().filter(|f| !f.is_empty())?;
    let known = ids_of.entry(file.clone()).or_insert_with(|| ids(&file));
    (!known.contains(fragment)).then(|| format!("{value}: no element with id {fragment:?}"))
}

/// Every local link and picture of every page of `site`: how many, and the faults.
fn link_faults(site: &Path) -> (usize, Vec<String>) {
    let sel = Selector::parse("[href], [src]").unwrap();
    let site = site.canonicalize().unwrap();
    let mut ids_of = BTreeMap::new();
    let (mut count, mut faults) = (0, Vec::new());
    for page in pages(&site) {
        let html = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        for e in html.select(&sel) {
            let el = e.value();
            for value in [el.attr("href"), el.attr("src")].into_iter().flatten() {
                count += 1;
                if let Some(f) = fault(&site, &page, el.name(), value, &mut ids_of) {
                    let name = page.file_name().unwrap().to_string_lossy();
                    faults.push(format!("{name}: <{}> {f}", el.name()));
                }
            }
        }
    }
    (count, faults)
}

#[test]
fn every_local_link_and_picture_leads_to_a_file_of_the_site() {
    let site = site();
    let names: Vec<String> = pages(site)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "annexe-1.html",
            "annexe-2.html",
            "calendrier.html",
            "index.html",
            "tickets.html"
        ]
    );
    let (count, faults) = link_faults(site);
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    assert!(count > 60, "only {count} links: the walk missed the pages");
}

#[test]
fn the_link_walk_finds_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    let page = "<!DOCTYPE html><html lang=\"fr\"><head><title>t</title>\
        <link rel=\"stylesheet\" href=\"https://cdn.example/x.css\"></head><body>\
        <h2 id=\"a\">a</h2><a href=\"#a\">ok</a> <a href=\"b.html#zz\">bad id</a>\
        <a href=\"missing.pdf\">gone</a> <img src=\"/abs.png\" alt=\"\">\
        <a href=\"../outside.txt\">out</a> <a href=\"https://ok.example\">ok</a></body></html>";
    let site = dir.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("a.html"), page).unwrap();
    std::fs::write(site.join("b.html"), "<p id=\"b\">b</p>").unwrap();
    std::fs::write(dir.path().join("outside.txt"), "").unwrap();
    let (count, faults) = link_faults(&site);
    assert_eq!(count, 7);
    let text = faults.join("\n");
    for want in [
        "x.css: loaded from outside",
        "b.html#zz: no element with id \"zz\"",
        "missing.pdf: no such file",
        "/abs.png: absolute",
        "../outside.txt: outside the site",
    ] {
        assert!(text.contains(want), "{want} not in\n{text}");
    }
    assert_eq!(faults.len(), 5, "{text}");
}

/// Node, playwright-core and axe-core (npm) and Chromium (Debian), or why not.
fn browser_tools() -> Result<(), String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("node".into());
    }
    for module in ["playwright-core", "axe-core"] {
        if !repo().join("node_modules").join(module).is_dir() {
            return Err(format!("npm {module} (npm install {module})"));
        }
    }
    let chromium = std::env::var_os("CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into());
    if !Path::new(&chromium).is_file() {
        return Err("chromium (apt-get install chromium)".into());
    }
    Ok(())
}

#[test]
fn pages_load_cleanly_in_headless_chromium_and_pass_axe() {
    if let Err(what) = browser_tools() {
        return tool_missing(&what);
    }
    let o = Command::new("node")
        .arg(repo().join("tools/site-browser.mjs"))
        .arg("check")
        .arg(site())
        .current_dir(repo())
        .output()
        .expect("run node");
    let report = stdout(&o);
    assert!(
        o.status.success(),
        "Chromium found faults:\n{report}\n{}",
        stderr(&o)
    );
    let pages: serde_json::Value = serde_json::from_str(&report).expect("a JSON report");
    assert_eq!(pages.as_array().map(Vec::len), Some(5), "{report}");
}

/// Twelve instances: a table of contents with two-digit numbers, each drawn whole (a list
/// marker in the list's margin lost its first digit: « 0. Annexe 3 »).
#[test]
fn a_long_table_of_contents_shows_every_number_whole() {
    if let Err(what) = browser_tools() {
        return tool_missing(&what);
    }
    let dir = tempfile::tempdir().unwrap();
    let sample = bascule(
        dir.path(),
        &["sample", "--instances", "12", "--vms", "2", "--seed", "5"],
    );
    assert!(sample.status.success(), "{}", stderr(&sample));
    std::fs::write(dir.path().join("inv.yaml"), &sample.stdout).unwrap();
    let o = bascule(dir.path(), &["build", "--inventory", "inv.yaml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = Command::new("node")
        .arg(repo().join("tools/site-browser.mjs"))
        .arg("toc")
        .arg(dir.path().join("out/site"))
        .current_dir(repo())
        .output()
        .expect("run node");
    let report = stdout(&o);
    assert!(o.status.success(), "{report}\n{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&report).expect("a JSON report");
    assert!(report["entries"].as_u64().unwrap() >= 12, "{report}");
}

/// The site holds internal addresses: unless the inventory says it is public, every page
/// asks search engines not to index it.
#[test]
fn every_page_says_noindex_unless_the_site_is_public() {
    let robots = Selector::parse(r#"meta[name="robots"]"#).unwrap();
    let noindex = |page: &Path| {
        let html = Html::parse_document(&std::fs::read_to_string(page).unwrap());
        let metas: Vec<_> = html.select(&robots).collect();
        metas.len() == 1 && metas[0].value().attr("content") == Some("noindex, nofollow")
    };
    let all = pages(site());
    assert!(all.len() >= 4, "{all:?}");
    for page in &all {
        assert!(noindex(page), "{}", page.display());
    }
    let dir = tempfile::tempdir().unwrap();
    let inv = mutated(dir.path(), "  zones:", "  public_site: true\n  zones:");
    let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for page in pages(&dir.path().join("out/site")) {
        let html = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        assert_eq!(html.select(&robots).count(), 0, "{}", page.display());
    }
}
