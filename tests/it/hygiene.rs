//! The repository keeps its promises: every diagnostic code is documented and tested,
//! nothing in the code or the default templates is tuned to the reference inventory, and
//! files stay small enough to read (functions: clippy's `too_many_lines`).

use crate::common::repo;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// The files of `src/` that are tests: `tests.rs`, and every file a `#[cfg(test)] mod NAME;`
/// declares (`NAME.rs` beside a `mod.rs`, `lib.rs` or `main.rs`, else under the folder of
/// the declaring file's stem). Each file is read once.
fn test_files(src: &[PathBuf]) -> std::collections::BTreeSet<PathBuf> {
    let mut tests: std::collections::BTreeSet<PathBuf> = src
        .iter()
        .filter(|p| p.ends_with("tests.rs"))
        .cloned()
        .collect();
    for parent in src {
        let dir = match parent.file_stem().and_then(|s| s.to_str()) {
            Some("mod" | "lib" | "main") => parent.parent().unwrap().to_path_buf(),
            Some(stem) => parent.parent().unwrap().join(stem),
            None => continue,
        };
        let text = read(parent);
        for after in text.split("#[cfg(test)]").skip(1) {
            if let Some((name, _)) = after
                .trim_start()
                .strip_prefix("mod ")
                .and_then(|d| d.split_once(';'))
            {
                tests.insert(dir.join(format!("{}.rs", name.trim())));
            }
        }
    }
    tests
}

/// The code of `src/` without its test modules (`#[cfg(test)]` to the end of the file, the
/// convention here) and without the files that are tests.
fn production_code() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    files_under(&repo().join("src"), "rs", &mut files);
    let tests = test_files(&files);
    files
        .into_iter()
        .filter(|p| !tests.contains(p))
        .map(|p| {
            let text = read(&p);
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
            (p, code)
        })
        .collect()
}

/// All test code: `tests/` and the test parts of `src/`.
fn test_code() -> String {
    let mut files = Vec::new();
    files_under(&repo().join("src"), "rs", &mut files);
    let tests = test_files(&files);
    files_under(&repo().join("tests"), "rs", &mut files);
    let mut all = String::new();
    for p in files {
        let text = read(&p);
        if p.starts_with(repo().join("tests")) || tests.contains(&p) {
            all.push_str(&text);
        } else if let Some((_, tests)) = text.split_once("#[cfg(test)]") {
            all.push_str(tests);
        }
    }
    all
}

/// Whether test code asserts `code` as a diagnostic, not only names it (in a comment, say):
/// as a value (`Code::E0101`), as printed (`error[E0101]`, `title=E0101`), or as a JSON or
/// string value compared (`"E0101"`), outside comments.
fn asserted(tests: &str, code: &str) -> bool {
    let forms = [
        format!("Code::{code}"),
        format!("[{code}]"),
        format!("title={code}"),
        format!("\"{code}\""),
    ];
    tests
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .any(|l| forms.iter().any(|f| l.contains(f.as_str())))
}

#[test]
fn a_code_named_in_a_comment_is_not_asserted() {
    assert!(!asserted("// E0999 is refused\nlet x = 1;\n", "E0999"));
    assert!(!asserted("let e = \"E09990\";", "E0999"));
    assert!(asserted("assert_eq!(d.code, Code::E0999);", "E0999"));
    assert!(asserted(
        "assert!(err.contains(\"error[E0999]\"));",
        "E0999"
    ));
    assert!(asserted(
        "assert_eq!(d[\"code\"], \"E0999\"); // why",
        "E0999"
    ));
}

#[test]
fn every_diagnostic_code_has_a_readme_row_and_a_test() {
    let readme = read(&repo().join("README.md"));
    let tests = test_code();
    let mut undocumented = Vec::new();
    let mut untested = Vec::new();
    for code in bascule::diag::Code::ALL {
        let c = code.as_str();
        if !readme.contains(&format!("| {c} |")) {
            undocumented.push(c);
        }
        if !asserted(&tests, c) {
            untested.push(c);
        }
    }
    assert!(
        undocumented.is_empty(),
        "codes without a README row: {undocumented:?}"
    );
    assert!(untested.is_empty(), "codes no test asserts: {untested:?}");
}

/// Words of the reference inventory that must not appear in code or default templates.
const REFERENCE_WORDS: &[&str] = &[
    "Campus",
    "campus",
    "Projets",
    "Moodle",
    "moodle",
    "Cégep",
    "cegepadistance",
    "SIPI",
];

/// Where any of `words` occurs in the production code of `src/` (less the files `skip`
/// names) and in the files of `dirs` with extensions `exts`: `path:line: word`.
fn occurrences(words: &[&str], dirs: &[&str], exts: &[&str], skip: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    for dir in dirs {
        for ext in exts {
            files_under(&repo().join(dir), ext, &mut files);
        }
    }
    let sources = production_code()
        .into_iter()
        .chain(files.into_iter().map(|p| {
            let t = read(&p);
            (p, t)
        }))
        .filter(|(p, _)| !skip.iter().any(|s| p.ends_with(s)));
    let mut found = Vec::new();
    for (path, text) in sources {
        for (n, line) in text.lines().enumerate() {
            for w in words.iter().filter(|w| line.contains(**w)) {
                found.push(format!("{}:{}: {w}", path.display(), n + 1));
            }
        }
    }
    found
}

#[test]
fn nothing_is_tuned_to_the_reference_inventory() {
    let exts = ["tera", "yaml", "css", "typ", "js", "html"];
    let found = occurrences(REFERENCE_WORDS, &["templates"], &exts, &[]);
    assert!(
        found.is_empty(),
        "reference words in code or templates:\n{}",
        found.join("\n")
    );
}

/// The language tag has one definition, `src/locale.rs`: no other code or default
/// template writes it (`"fr"`, `fr-CA`, `lang="fr"`), they read it from there.
#[test]
fn the_language_is_defined_once() {
    let forms = ["\"fr\"", "fr-CA", "lang=\"fr", "lang: \"fr", "lang=\\\"fr"];
    let exts = ["tera", "typ", "html", "xml"];
    let found = occurrences(&forms, &["templates", "src"], &exts, &["locale.rs"]);
    assert!(
        found.is_empty(),
        "the language written outside locale.rs:\n{}",
        found.join("\n")
    );
}

/// Functions stay short through clippy's `too_many_lines` (Cargo.toml's `[lints.clippy]`,
/// threshold in clippy.toml), which counts lines of code as rustc parses them. Held here:
/// the lint stays on, at 80.
#[test]
fn clippy_holds_functions_to_80_lines() {
    let cargo = read(&repo().join("Cargo.toml"));
    let lints = cargo.split("[lints.clippy]").nth(1).unwrap_or("");
    assert!(
        lints
            .lines()
            .any(|l| l.trim() == "too_many_lines = \"warn\""),
        "Cargo.toml: [lints.clippy] too_many_lines"
    );
    let clippy = read(&repo().join("clippy.toml"));
    assert!(
        clippy
            .lines()
            .any(|l| l.trim() == "too-many-lines-threshold = 80")
    );
}

#[test]
fn files_are_small_and_say_their_job() {
    let mut faults = Vec::new();
    for (path, code) in production_code() {
        let full = read(&path);
        if !full.trim_start().starts_with("//!") {
            faults.push(format!(
                "{}: no `//!` comment saying its job",
                path.display()
            ));
        }
        if code.lines().count() > 500 {
            faults.push(format!(
                "{}: {} lines",
                path.display(),
                full.lines().count()
            ));
        }
    }
    assert!(faults.is_empty(), "rooms too big:\n{}", faults.join("\n"));
}

/// The unit a file of `src/` belongs to: its top-level module, or, inside a folder module,
/// the folder's child (`render/annexe/emit.rs` → `render/annexe`).
fn unit_of(rel: &[String]) -> String {
    let mut parts: Vec<&str> = rel.iter().map(String::as_str).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs");
    }
    if parts.last() == Some(&"mod") {
        parts.pop();
    }
    parts.truncate(2);
    parts.join("/")
}

/// The unit a path `crate::a::b…` names: `a/b` when `a` is a folder with a module `b`.
fn unit_named(src: &Path, a: &str, b: Option<&str>) -> String {
    match b.filter(|b| !b.is_empty()) {
        Some(b)
            if src.join(a).join(format!("{b}.rs")).is_file() || src.join(a).join(b).is_dir() =>
        {
            format!("{a}/{b}")
        }
        _ => a.to_string(),
    }
}

/// Which units each unit's code (not its tests, not its comments) refers to.
fn import_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let src = repo().join("src");
    let mut graph: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for (path, code) in production_code() {
        let rel: Vec<String> = path
            .strip_prefix(&src)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let unit = unit_of(&rel);
        let folder = path.parent().unwrap();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            let mut named = Vec::new();
            for part in line.split("crate::").skip(1) {
                let mut seg = part.split("::").map(|s| {
                    s.split(|c: char| !(c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
                        .next()
                        .unwrap_or("")
                });
                let a = seg.next().unwrap_or("");
                named.push(unit_named(&src, a, seg.next()));
            }
            for part in line.split("super::").skip(1) {
                let b: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if folder.join(format!("{b}.rs")).is_file() {
                    let mut r = rel.clone();
                    r.pop();
                    r.push(format!("{b}.rs"));
                    named.push(unit_of(&r));
                }
            }
            for v in named {
                let related = v == unit
                    || unit.starts_with(&format!("{v}/"))
                    || v.starts_with(&format!("{unit}/"));
                if !v.is_empty() && !related {
                    graph.entry(unit.clone()).or_default().insert(v);
                }
            }
        }
    }
    graph
}

/// No two modules import each other, even through others (the pipeline's imports run one
/// way): every cycle of the import graph is listed.
#[test]
fn no_import_cycle() {
    let graph = import_graph();
    assert!(
        graph.contains_key("pipeline") && graph["pipeline"].contains("render"),
        "{graph:?}"
    );
    let mut cycles = Vec::new();
    for (from, tos) in &graph {
        for to in tos {
            // A path back from `to` to `from`?
            let mut seen = std::collections::BTreeSet::new();
            let mut stack = vec![to.clone()];
            while let Some(u) = stack.pop() {
                if u == *from {
                    cycles.push(format!("{from} -> {to} -> … -> {from}"));
                    break;
                }
                if seen.insert(u.clone()) {
                    stack.extend(graph.get(&u).into_iter().flatten().cloned());
                }
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}
