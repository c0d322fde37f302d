//! Diagnostics: one type for every fault bascule reports, every code it can carry (one
//! enum, documented in the README), and its three renderings (human rustc-style, JSON
//! lines, GitHub annotations). Their words are in `text.rs`: a diagnostic holds catalog keys,
//! rendered in the writer's language when printed.

mod codes;
mod text;

pub use codes::Code;

pub use text::{Arg, Catalog, Count, IntoArg, Lang, Text, english, french};

use serde::Serialize;

impl Code {
    /// A fault of the machine the command runs on (disk, permissions, another process),
    /// not of the inventory or the templates: the command exits with [`EXIT_ENVIRONMENT`].
    pub fn is_environment(self) -> bool {
        matches!(
            self,
            Code::E0702 | Code::E0703 | Code::E0704 | Code::E0705 | Code::E0706 | Code::E0707
        )
    }
}

/// The exit code of a command stopped by a fault of its environment ([`Code::is_environment`]).
pub const EXIT_ENVIRONMENT: u8 = 3;

/// The exit code of a command that reported `diags`: [`EXIT_ENVIRONMENT`] when one of its
/// errors is a fault of the machine (disk, permissions, another process), 1 for any other
/// error (or any warning with `deny_warnings`), 0 otherwise.
pub fn exit_code(diags: &[Diagnostic], deny_warnings: bool) -> u8 {
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    if errors.iter().any(|d| d.code.is_environment()) {
        EXIT_ENVIRONMENT
    } else if !errors.is_empty() || (deny_warnings && !diags.is_empty()) {
        1
    } else {
        0
    }
}

/// The code of an I/O fault met while writing outputs, whichever file met it.
pub fn io_code(e: &std::io::Error) -> Code {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Code::E0703,
        ErrorKind::PermissionDenied => Code::E0704,
        ErrorKind::ReadOnlyFilesystem => Code::E0705,
        _ => Code::E0702,
    }
}

/// How to get past an I/O fault met while writing outputs.
pub fn io_help(e: &std::io::Error) -> Text {
    match io_code(e) {
        Code::E0703 => crate::msg!("io.full.help"),
        Code::E0704 => crate::msg!("io.permission.help"),
        Code::E0705 => crate::msg!("io.read_only.help"),
        _ => crate::msg!("io.other.help"),
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

/// Whether a diagnostic stops the command, or only warns (serialized lowercase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A fault: the command fails (exit 1, or 3 for a fault of the environment).
    Error,
    /// Worth a look, but the command goes on (it fails only with `--deny-warnings`).
    Warning,
}

/// A position in a source file (1-based line and column; 0 when unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pos {
    /// Line, from 1; 0 when unknown or the whole file.
    pub line: u32,
    /// Column, in characters from 1; 0 when unknown.
    pub col: u32,
}

impl Pos {
    /// The position at `line` and `col` (both from 1, 0 when unknown).
    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
}

impl<T> From<&serde_saphyr::Spanned<T>> for Pos {
    fn from(s: &serde_saphyr::Spanned<T>) -> Self {
        // `referenced` is where the value is used (an alias, or the value itself).
        let l = s.referenced;
        Pos::new(
            u32::try_from(l.line()).unwrap_or(u32::MAX),
            u32::try_from(l.column()).unwrap_or(u32::MAX),
        )
    }
}

/// One fault or warning bascule reports: code, message and where, with optional help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether it is an error or a warning.
    pub severity: Severity,
    /// Stable code, e.g. `E0101`; documented in the README.
    pub code: Code,
    /// What is wrong, rendered in the writer's language when printed.
    pub message: Text,
    /// The file it is about (inventory, template, output), as shown; empty when none.
    pub file: String,
    /// Line in `file`, from 1; 0 when unknown or about the whole file.
    pub line: u32,
    /// Column in `line`, in characters from 1; 0 when unknown.
    pub col: u32,
    /// How to fix it.
    pub help: Option<Text>,
}

impl Diagnostic {
    /// An error with `code` at `pos` of `file`, without help.
    pub fn error(code: Code, file: &str, pos: Pos, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message,
            file: file.to_string(),
            line: pos.line,
            col: pos.col,
            help: None,
        }
    }

    /// A warning with `code` at `pos` of `file`, without help.
    pub fn warning(code: Code, file: &str, pos: Pos, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, pos, message)
        }
    }

    /// The same diagnostic, with `help` saying how to fix it.
    pub fn with_help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
    }

    /// Whether its severity is [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `FILE:LINE:COL` (or just `FILE` when the position is unknown).
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.col)
        }
    }

    /// One line: `FILE:LINE:COL: error[CODE]: message`, in `words`' language.
    pub fn short(&self, words: &Catalog) -> String {
        format!(
            "{}: {}[{}]: {}",
            self.location(),
            words.render(&self.severity_word()),
            self.code,
            words.render(&self.message)
        )
    }

    /// The GitHub workflow command of its severity (a protocol word, never translated).
    fn severity_command(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    fn severity_word(&self) -> Text {
        match self.severity {
            Severity::Error => crate::msg!("severity.error"),
            Severity::Warning => crate::msg!("severity.warning"),
        }
    }

    /// rustc-style, with the source line and a caret when `source` is given.
    pub fn human(&self, source: Option<&str>, words: &Catalog) -> String {
        self.human_quoting(source.and_then(|s| nth_line(s, self.line)), words)
    }

    /// rustc-style, quoting `line` (the diagnostic's own line of the source) under a caret.
    /// For many diagnostics of one source, split its lines once: finding each line again
    /// would read the source once per diagnostic. Laid out by annotate-snippets (rustc's
    /// own), which places the caret by display width (a wide character takes two columns)
    /// and cuts a long line around the caret.
    pub fn human_quoting(&self, line: Option<&str>, words: &Catalog) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        }
        .with_name(Some(words.render(&self.severity_word())));
        let message = words.render(&self.message);
        let title = level.primary_title(&message).id(self.code.as_str());
        let shown: Option<String> = line.map(|l| l.chars().map(printable).collect());
        let group = match &shown {
            Some(text) => {
                let at = caret_byte(text, self.col);
                let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                title.element(
                    Snippet::source(text.as_str())
                        .line_start(self.line as usize)
                        .path(self.file.as_str())
                        .annotation(AnnotationKind::Primary.span(at..end)),
                )
            }
            None => title.element(annotate_snippets::Origin::path(self.location())),
        };
        let help = self.help.as_ref().map(|h| words.render(h));
        let group = match &help {
            Some(h) => group.element(
                Level::HELP
                    .with_name(Some(words.render(&crate::msg!("severity.help"))))
                    .message(h.as_str()),
            ),
            None => group,
        };
        let report: &[Group] = &[group];
        let mut out = Renderer::plain().render(report);
        out.push('\n');
        out
    }

    /// A GitHub Actions workflow command. GitHub counts lines from 1: a diagnostic about a
    /// whole file (line 0) is a file-level annotation, without `line` or `col`.
    pub fn github(&self, words: &Catalog) -> String {
        let kind = self.severity_command();
        let message = words.render(&self.message);
        let msg = match &self.help {
            Some(h) => format!("{message} ({})", words.render(h)),
            None => message,
        };
        let mut props = Vec::new();
        if !self.file.is_empty() {
            props.push(format!("file={}", gh_prop(&self.file)));
        }
        if self.line > 0 {
            props.push(format!("line={}", self.line));
            if self.col > 0 {
                props.push(format!("col={}", self.col));
            }
        }
        props.push(format!("title={}", gh_prop(self.code.as_str())));
        format!("::{kind} {}::{}", props.join(","), gh_data(&msg))
    }

    /// One JSON record (see [`JSON_VERSION`]): `line`, `col` and `help` are null where
    /// nothing applies, never 0.
    pub fn json(&self, words: &Catalog) -> String {
        let help = self.help.as_ref().map(|h| words.render(h));
        let record = Record {
            version: JSON_VERSION,
            kind: "diagnostic",
            severity: Some(self.severity),
            code: Some(self.code.as_str()),
            message: &words.render(&self.message),
            file: Some(&self.file)
                .filter(|f| !f.is_empty())
                .map(String::as_str),
            line: Some(self.line).filter(|&l| l > 0),
            col: Some(self.col).filter(|&c| c > 0 && self.line > 0),
            help: help.as_deref(),
        };
        serde_json::to_string(&record).unwrap_or_default()
    }
}

/// The version of the JSON records `--format json` prints; it changes when a field changes
/// meaning or goes, not when one is added.
pub const JSON_VERSION: u32 = 1;

/// A diagnostic as a JSON record.
#[derive(Serialize)]
struct Record<'a> {
    version: u32,
    #[serde(rename = "type")]
    kind: &'static str,
    severity: Option<Severity>,
    code: Option<&'static str>,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    col: Option<u32>,
    help: Option<&'a str>,
}

/// A usage error (a wrong option) as a JSON record: a diagnostic without a code or a file.
pub fn usage_json(message: &str) -> String {
    let record = Record {
        version: JSON_VERSION,
        kind: "diagnostic",
        severity: Some(Severity::Error),
        code: None,
        message,
        file: None,
        line: None,
        col: None,
        help: Some("see `bascule help`"),
    };
    serde_json::to_string(&record).unwrap_or_default()
}

/// A usage error as a GitHub annotation, without a file.
pub fn usage_github(message: &str) -> String {
    format!("::error title=bascule usage::{}", gh_data(message))
}

/// The last JSON record of a run: what `command` found and how it exits.
pub fn json_summary(command: &str, errors: usize, warnings: usize, exit_code: u8) -> String {
    serde_json::json!({
        "version": JSON_VERSION,
        "type": "summary",
        "command": command,
        "errors": errors,
        "warnings": warnings,
        "exit_code": exit_code,
    })
    .to_string()
}

/// The byte offset of column `col` (counted in characters from 1) in `text`; its end when
/// the column is past it.
fn caret_byte(text: &str, col: u32) -> usize {
    let n = (col.max(1) - 1) as usize;
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

/// Control characters would corrupt a terminal: show them as escapes.
fn printable(c: char) -> char {
    if c.is_control() && c != '\t' {
        '\u{FFFD}'
    } else {
        c
    }
}

fn nth_line(source: &str, line: u32) -> Option<&str> {
    if line == 0 {
        return None;
    }
    source.lines().nth(line as usize - 1)
}

pub(crate) fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub(crate) fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// An error and its causes, each after `sep`: Tera's report names the template, line and
/// column in its causes.
pub fn chain(e: &dyn std::error::Error, sep: &str) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(sep);
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Sort by file, then position, then severity, so a writer fixes top to bottom.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.col, a.severity, a.code, &a.message.en()).cmp(&(
            &b.file,
            b.line,
            b.col,
            b.severity,
            b.code,
            &b.message.en(),
        ))
    });
}

/// `first` and those of `then` that are not about a value `first` already speaks of (same
/// file, position and code), sorted: one mistake, one message.
pub fn merge(first: Vec<Diagnostic>, then: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| (d.file.clone(), d.line, d.col, d.code);
    let taken: std::collections::BTreeSet<_> = first.iter().map(key).collect();
    let mut out = first;
    out.extend(then.into_iter().filter(|d| !taken.contains(&key(d))));
    sort(&mut out);
    out
}

/// A value as a message quotes it: at most 60 characters, control characters escaped, so that
/// a huge or hostile value never floods a terminal.
pub fn shown(value: &str) -> String {
    const MAX: usize = 60;
    let mut out: String = value
        .chars()
        .take(MAX)
        .flat_map(char::escape_debug)
        .collect();
    if value.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

/// Longer words are not compared: a suggestion is for a typo in a key or a name, and
/// comparing long strings costs quadratic time.
const SUGGEST_MAX_CHARS: usize = 64;

/// The closest candidate, for "did you mean" hints (Levenshtein distance, from strsim, at
/// most a third of the candidate's length), else the only candidate that the word (three
/// characters or more) begins: `prod` → `production`. Words or candidates over 64 characters
/// are not compared.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let n = word.chars().count();
    if n > SUGGEST_MAX_CHARS {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    let mut prefixed: Vec<&str> = Vec::new();
    for c in candidates {
        let len = c.chars().count();
        if len > SUGGEST_MAX_CHARS {
            continue;
        }
        if n >= 3 && c.len() > word.len() && c.starts_with(word) {
            prefixed.push(c);
        }
        let d = strsim::levenshtein(word, c);
        if d <= (len / 3).max(1) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    match (best, prefixed.as_slice()) {
        (Some((_, c)), _) => Some(c),
        (None, [only]) => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("machin", ["machine", "ip"]), Some("machine"));
        assert_eq!(did_you_mean("ipp", ["machine", "ip"]), Some("ip"));
        assert_eq!(did_you_mean("zzzzzz", ["machine", "ip"]), None);
        assert_eq!(
            did_you_mean("machines", ["machine", "machin"]),
            Some("machine")
        );
        let envs = ["production", "preproduction", "development"];
        assert_eq!(did_you_mean("prod", envs), Some("production"));
        assert_eq!(did_you_mean("dev", envs), Some("development"));
        assert_eq!(did_you_mean("pr", envs), None);
        assert_eq!(did_you_mean("dns", ["dns-move", "dns-release"]), None);
    }

    #[test]
    fn values_are_shown_short_and_escaped() {
        assert_eq!(shown("campusweb"), "campusweb");
        assert_eq!(shown("a\u{7}b"), "a\\u{7}b");
        let long = shown(&"x".repeat(1000));
        assert_eq!(long.chars().count(), 61);
        assert!(long.ends_with('…'));
        assert_eq!(shown(&"y".repeat(60)), "y".repeat(60));
    }

    #[test]
    fn long_words_are_not_compared() {
        let long = "m".repeat(200_000);
        assert_eq!(did_you_mean(&long, ["machine"]), None);
        let near = "a".repeat(65);
        assert_eq!(did_you_mean(&"a".repeat(64), [near.as_str()]), None);
        let fits = "a".repeat(64);
        assert_eq!(
            did_you_mean(&"a".repeat(63), [fits.as_str()]),
            Some(fits.as_str())
        );
    }

    #[test]
    fn codes_name_themselves_and_compare_with_strings() {
        assert_eq!(Code::E0101.as_str(), Code::E0101);
        assert!(Code::E0101 == Code::E0101 && Code::W0108 == Code::W0108);
        assert_eq!(serde_json::to_string(&Code::E0012).unwrap(), "\"E0012\"");
        assert!(Code::ALL.iter().all(|c| !c.summary().is_empty()));
    }

    #[test]
    fn human_shows_line_and_caret() {
        let d = Diagnostic::error(
            Code::E0101,
            "f.yaml",
            Pos::new(2, 3),
            crate::diag::Text::raw("bad"),
        )
        .with_help(Text::raw("fix it"));
        let h = d.human(Some("a: 1\nb: 2\n"), english());
        assert!(h.contains("error[E0101]: bad"), "{h}");
        assert!(h.contains("--> f.yaml:2:3"), "{h}");
        assert!(h.contains("2 | b: 2\n  |   ^"), "{h}");
        assert!(h.contains("= help: fix it"), "{h}");
    }

    #[test]
    fn long_lines_are_shown_around_the_caret() {
        let line = format!("role: {}", "x".repeat(200_000));
        for col in [7, 150_000, 200_006] {
            let d = Diagnostic::error(
                Code::E0126,
                "f",
                Pos::new(1, col),
                crate::diag::Text::raw("long"),
            );
            let h = d.human(Some(&line), english());
            assert!(h.len() < 400, "{col}: {h}");
            let quoted = h.lines().find(|l| l.starts_with("1 |")).unwrap();
            let caret = h.lines().find(|l| l.contains('^')).unwrap();
            // The caret stands under an `x` of the quoted line.
            let at = caret.find('^').unwrap();
            assert_eq!(quoted.as_bytes()[at], b'x', "{col}: {h}");
        }
        // A control character never reaches the terminal.
        let d = Diagnostic::error(
            Code::E0120,
            "f",
            Pos::new(1, 4),
            crate::diag::Text::raw("control"),
        );
        let h = d.human(Some("a: \u{1b}[31mred"), english());
        assert!(!h.contains('\u{1b}') && h.contains('\u{fffd}'), "{h}");
    }

    #[test]
    fn the_caret_stands_under_its_character_whatever_its_width() {
        let d = Diagnostic::error(
            Code::E0010,
            "f.yaml",
            Pos::new(1, 5),
            crate::diag::Text::raw("unknown key"),
        );
        let h = d.human(Some("日本: 語 x"), english());
        // `日本: ` takes six columns (each ideogram two), `語` two: the caret is two wide,
        // under it.
        assert!(h.contains("1 | 日本: 語 x\n  |       ^^\n"), "{h}");
        // Past the end of the line: the caret follows it.
        let d = Diagnostic::error(
            Code::E0012,
            "f.yaml",
            Pos::new(1, 40),
            crate::diag::Text::raw("missing"),
        );
        assert!(d.human(Some("ab"), english()).contains("1 | ab\n  |   ^"));
    }

    #[test]
    fn github_escapes_newlines_and_commas() {
        let d = Diagnostic::error(
            Code::E0101,
            "a,b.yaml",
            Pos::new(1, 1),
            crate::diag::Text::raw("x\ny"),
        );
        assert_eq!(
            d.github(english()),
            "::error file=a%2Cb.yaml,line=1,col=1,title=E0101::x%0Ay"
        );
    }

    #[test]
    fn a_whole_file_fault_has_no_line_for_github_and_null_in_json() {
        let d = Diagnostic::error(Code::E0512, "out/a.png", Pos::default(), Text::raw("stale"));
        assert_eq!(
            d.github(english()),
            "::error file=out/a.png,title=E0512::stale"
        );
        let v: serde_json::Value = serde_json::from_str(&d.json(english())).unwrap();
        assert_eq!(v["line"], serde_json::Value::Null);
        assert_eq!(v["col"], serde_json::Value::Null);
        assert_eq!(v["help"], serde_json::Value::Null);
        assert_eq!(v["version"], JSON_VERSION);
        assert_eq!(v["type"], "diagnostic");
        assert_eq!(v["file"], "out/a.png");
        let d = Diagnostic::warning(
            Code::W0108,
            "i.yaml",
            Pos::new(4, 0),
            crate::diag::Text::raw("zone"),
        )
        .with_help(Text::raw("h"));
        assert_eq!(
            d.github(english()),
            "::warning file=i.yaml,line=4,title=W0108::zone (h)"
        );
        let v: serde_json::Value = serde_json::from_str(&d.json(english())).unwrap();
        assert_eq!((v["line"].as_u64(), v["col"].as_u64()), (Some(4), None));
        assert_eq!(
            (v["severity"].as_str(), v["help"].as_str()),
            (Some("warning"), Some("h"))
        );
        let v: serde_json::Value = serde_json::from_str(&usage_json("bad, \"x\"")).unwrap();
        assert_eq!((v["code"].is_null(), v["file"].is_null()), (true, true));
        assert_eq!(v["message"], "bad, \"x\"");
        assert_eq!(usage_github("a\nb"), "::error title=bascule usage::a%0Ab");
        let v: serde_json::Value = serde_json::from_str(&json_summary("check", 2, 1, 1)).unwrap();
        assert_eq!(v["type"], "summary");
        assert_eq!(
            (
                v["errors"].as_u64(),
                v["warnings"].as_u64(),
                v["exit_code"].as_u64()
            ),
            (Some(2), Some(1), Some(1))
        );
    }

    #[test]
    fn exit_codes_tell_the_machine_from_the_input() {
        let e = |c| Diagnostic::error(c, "f", Pos::default(), crate::diag::Text::raw("m"));
        let w = Diagnostic::warning(Code::W0108, "f", Pos::default(), Text::raw("m"));
        assert_eq!(exit_code(&[], true), 0);
        assert_eq!(exit_code(std::slice::from_ref(&w), false), 0);
        assert_eq!(exit_code(std::slice::from_ref(&w), true), 1);
        assert_eq!(exit_code(&[e(Code::E0101)], false), 1);
        assert_eq!(exit_code(&[e(Code::E0101), e(Code::E0703)], false), 3);
        assert_eq!(exit_code(&[e(Code::E0701)], false), 1);
        assert_eq!(exit_code(&[w, e(Code::E0707)], false), 3);
    }

    #[test]
    fn environment_faults_are_told_apart() {
        use std::io::{Error, ErrorKind};
        assert_eq!(io_code(&Error::from(ErrorKind::StorageFull)), Code::E0703);
        assert_eq!(io_code(&Error::from(ErrorKind::QuotaExceeded)), Code::E0703);
        assert_eq!(
            io_code(&Error::from(ErrorKind::PermissionDenied)),
            Code::E0704
        );
        assert_eq!(
            io_code(&Error::from(ErrorKind::ReadOnlyFilesystem)),
            Code::E0705
        );
        assert_eq!(io_code(&Error::from(ErrorKind::NotFound)), Code::E0702);
        for k in [
            ErrorKind::StorageFull,
            ErrorKind::PermissionDenied,
            ErrorKind::ReadOnlyFilesystem,
        ] {
            assert!(!io_help(&Error::from(k)).en().is_empty());
        }
        assert!(
            io_help(&Error::from(ErrorKind::StorageFull))
                .en()
                .contains("space")
        );
        assert!(
            io_help(&Error::from(ErrorKind::ReadOnlyFilesystem))
                .en()
                .contains("read-only")
        );
        assert!(
            io_help(&Error::from(ErrorKind::PermissionDenied))
                .en()
                .contains("permission")
        );
        let env: Vec<Code> = Code::ALL
            .iter()
            .copied()
            .filter(|c| c.is_environment())
            .collect();
        assert_eq!(
            env,
            [
                Code::E0702,
                Code::E0703,
                Code::E0704,
                Code::E0705,
                Code::E0706,
                Code::E0707
            ]
        );
    }
}
