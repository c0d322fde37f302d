//! The repository keeps its promises: every diagnostic code is documented and tested,
//! nothing in the code or the default templates is tuned to the reference inventory, and
//! functions and files stay small enough to read.

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
        if !tests.contains(c) {
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

#[test]
fn nothing_is_tuned_to_the_reference_inventory() {
    let mut found = Vec::new();
    let mut templates = Vec::new();
    for ext in ["tera", "yaml", "css", "typ", "js", "html"] {
        files_under(&repo().join("templates"), ext, &mut templates);
    }
    let sources = production_code()
        .into_iter()
        .chain(templates.into_iter().map(|p| {
            let t = read(&p);
            (p, t)
        }));
    for (path, text) in sources {
        for (n, line) in text.lines().enumerate() {
            for w in REFERENCE_WORDS.iter().filter(|w| line.contains(**w)) {
                found.push(format!("{}:{}: {w}", path.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "reference words in code or templates:\n{}",
        found.join("\n")
    );
}

/// Functions of `src/` (outside tests) and their length, by brace counting: rough, like the
/// before-stop hook, and enough to keep rooms small.
fn long_functions(text: &str, max: usize) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "async fn "]
            .iter()
            .any(|p| t.starts_with(p));
        if !is_fn || t.trim_end().ends_with(';') {
            i += 1;
            continue;
        }
        let (mut depth, mut j, mut opened) = (0i64, i, false);
        while j < lines.len() {
            let (open, close) = braces(lines[j]);
            depth += open - close;
            opened |= open > 0;
            if opened && depth <= 0 {
                break;
            }
            j += 1;
        }
        if j - i + 1 > max {
            out.push((i + 1, t.chars().take(60).collect(), j - i + 1));
        }
        i = if opened { j + 1 } else { i + 1 };
    }
    out
}

/// The braces of a line of code, outside string and character literals (`"{"`, `'{'`).
fn braces(line: &str) -> (i64, i64) {
    let (mut open, mut close, mut quoted) = (0, 0, false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                chars.next();
            }
            '"' => quoted = !quoted,
            '\'' if !quoted => {
                // A character literal `'{'` or `'\''`; a lifetime `'a` has no closing quote.
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with("\\") || rest.chars().nth(1) == Some('\'') {
                    let skip = if rest.starts_with("\\") { 3 } else { 2 };
                    for _ in 0..skip {
                        chars.next();
                    }
                }
            }
            '{' if !quoted => open += 1,
            '}' if !quoted => close += 1,
            '/' if !quoted && chars.peek() == Some(&'/') => break,
            _ => {}
        }
    }
    (open, close)
}

#[test]
fn functions_fit_on_a_screen_and_files_have_one_job() {
    let mut faults = Vec::new();
    for (path, code) in production_code() {
        let full = read(&path);
        if !full.trim_start().starts_with("//!") {
            faults.push(format!(
                "{}: no `//!` comment saying its job",
                path.display()
            ));
        }
        if code.lines().count() > 500 && !path.ends_with("diag.rs") {
            faults.push(format!(
                "{}: {} lines",
                path.display(),
                full.lines().count()
            ));
        }
        for (line, head, len) in long_functions(&code, 80) {
            faults.push(format!("{}:{line}: {head} ({len} lines)", path.display()));
        }
    }
    assert!(faults.is_empty(), "rooms too big:\n{}", faults.join("\n"));
}
