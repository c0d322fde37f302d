//! Diagnostics: one type for every fault bascule reports, every code it can carry (one
//! enum, documented in the README), and its three renderings (human rustc-style, JSON
//! lines, GitHub annotations).

use serde::Serialize;

macro_rules! codes {
    ($($code:ident => $summary:literal,)*) => {
        /// Every diagnostic code. A test checks that each has a README row and a test.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($code,)* }

        impl Code {
            pub const ALL: &[Code] = &[$(Code::$code,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// One line saying what the code is about.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$code => $summary,)* }
            }
        }
    };
}

codes! {
    E0001 => "the inventory file cannot be read (missing, a folder, a pipe or a device)",
    E0002 => "YAML syntax error, empty inventory, or an inventory over 4 MiB",
    E0003 => "the inventory is not UTF-8",
    E0004 => "the inventory cannot be read from Git at the revision given (`diff --against`)",
    E0010 => "unknown key",
    E0011 => "unknown value",
    E0012 => "missing key",
    E0013 => "a value of the wrong type",
    E0101 => "not an IPv4 address",
    E0102 => "not a machine name (a host-name label)",
    E0103 => "not a DNS name",
    E0104 => "machine name used twice (names compare without case)",
    E0105 => "one IP address for two VMs that exist at the same state",
    E0106 => "one DNS name held by two VMs at the same state (whole inventory, without case)",
    E0107 => "a DNS move or release by a VM that does not hold the name",
    W0108 => "a DNS name outside `zones` and not in `dns_allow`",
    E0109 => "impossible date",
    E0110 => "the states are not reference → before… → migration → after…",
    E0111 => "jour M is not after the reference date",
    E0112 => "migration order used twice or contradicting the dates",
    E0113 => "action for an unknown state",
    E0114 => "action after the VM's deletion",
    E0115 => "action before the VM's creation",
    E0116 => "`role_after` on a deleted VM, or missing on a kept one",
    E0117 => "creation without an Octopus number (`check`)",
    W0117 => "creation without an Octopus number yet (`build`)",
    W0118 => "creation sent to Octopus (in the journal), its number pending (`check`)",
    W0119 => "`document.octopus_mailbox`, now `octopus.mailbox`",
    E0118 => "one Octopus number for two requests",
    E0119 => "a machine that is not in the instance",
    E0120 => "empty text, a control character, or spaces around a text",
    E0121 => "an id that is not a lowercase slug",
    E0122 => "an id or annexe number used twice",
    E0123 => "not an http(s) URL",
    E0124 => "a VM without `role`",
    E0125 => "a VM created or deleted twice",
    E0126 => "a text longer than its limit",
    E0127 => "more items than the documented limit (instances, VMs, states, names)",
    E0128 => "the VM receiving an instance's migration is missing, ambiguous or gone",
    W0129 => "a state `label` that does not match its kind and offset",
    E0130 => "an inventory without instances",
    E0131 => "an intervention number for a state where the instance has no intervention",
    W0132 => "a placeholder (`à compléter`) still in a value",
    E0133 => "a character the bundled fonts cannot draw (the PDF and the annexes would show a blank box)",
    W0134 => "an example value of `bascule init` not changed yet (a line marked `# exemple à changer`)",
    E0135 => "a data move the timeline makes impossible (a source not in service on jour M, a destination that is not there or goes, a database used after its server goes)",
    E0136 => "an application both upgraded and kept, or half an upgrade (`from` without `target`)",
    E0137 => "`follows` on a migrated instance, or naming an instance that does not migrate",
    E0138 => "a writer's section holding a heading, HTML, a code block, a table or an image",
    W0139 => "a meeting that may lack its article (« la réunion comité »)",
    E0140 => "an intervention's start that is not HH:MM, or a duration that is not `4h`, `2h30` or `90min`",
    E0141 => "a time zone the bundled database does not know",
    W0142 => "an intervention on a Saturday or a Sunday (unless `document.weekends: true`)",
    E0143 => "an invisible character or a control of the writing direction in a text",
    E0144 => "more than two combining marks piled on one letter",
    E0145 => "two instances with the same name, or names that look alike",
    E0146 => "a URL host that mixes alphabets (a look-alike letter)",
    W0147 => "an internationalised URL host (its punycode form is shown)",
    E0150 => "Octopus settings that do not hold together (a service request without its token, an update subject without `{number}`)",
    E0151 => "the journal of sent requests cannot be read, or is not a journal",
    E0401 => "a template cannot be read",
    E0402 => "a template error (with the template's line and column)",
    E0403 => "a ticket template without a subject line",
    E0404 => "two tickets would share a file name",
    E0405 => "an annexe PNG missing for a ticket email",
    E0406 => "an Octopus mailbox or sender that is not an address",
    E0407 => "the labels file is unreadable, or has an unknown or missing key",
    E0408 => "the Word document cannot be written",
    E0409 => "a template took longer, or more memory, than a render may (a loop without end, a text that doubles)",
    E0501 => "the document was not generated",
    E0502 => "an instance's section is missing from the document",
    E0503 => "a VM's row is missing from its instance's table, or differs from the plan",
    E0504 => "a VM's row of operations per state is missing or differs from the plan",
    E0506 => "an Octopus number is not cited in its instance's section",
    E0507 => "a section lists a VM of another instance",
    E0508 => "an annexe image is not shown",
    E0510 => "the output folder cannot be read",
    E0511 => "a file a fresh build writes is missing",
    E0512 => "a file differs from a fresh build (stale or edited)",
    E0513 => "a file a fresh build does not write",
    E0514 => "an entry `check --out` does not read (a link, a pipe, a device, over 64 MiB)",
    E0515 => "the output folder was built with another setting than this check's (another paper)",
    E0520 => "an annexe is missing",
    E0521 => "a VM's box is missing from its annexe",
    E0522 => "a VM is drawn at a state where it does not exist",
    E0523 => "a VM's box has the wrong colour",
    E0524 => "a VM's box does not show its machine or DNS name",
    E0530 => "the ticket manifest is missing or unreadable",
    E0531 => "a ticket file is missing",
    E0532 => "a ticket lists a VM of another instance",
    E0533 => "a ticket's text does not name its VMs or its Octopus number",
    E0534 => "an intervention's request lacks a step of its runbook or of its rollback",
    E0535 => "the document's calendar lacks a request",
    E0536 => "`calendar.ics` lacks a dated intervention",
    E0537 => "a ticket e-mail that a mail reader reads otherwise than its ticket (subject, text, attachments)",
    E0540 => "`document.pdf` is missing or unreadable",
    E0541 => "the text of `document.pdf` lacks a VM, an Octopus number or a colour word",
    E0542 => "`document.docx` is missing or unreadable",
    E0543 => "the text of `document.docx` lacks a VM, an Octopus number or a colour word",
    E0601 => "an annexe cannot be drawn",
    E0602 => "an annexe would be larger than the picture limit",
    E0701 => "the output folder holds files bascule did not write: it is not replaced",
    E0702 => "the output folder cannot be written (an I/O fault not listed below)",
    E0703 => "no space left on the output's device (disk full or quota)",
    E0704 => "permission denied by the system (the output folder or its parent)",
    E0705 => "the output's file system is mounted read-only",
    E0706 => "the output folder is read-only: it is not replaced",
    E0707 => "another bascule build held the output folder for too long",
    W0708 => "the build succeeded, but what it found after the swap needs a look (a file of someone else's kept, the previous output not removed)",
}

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
pub fn io_help(e: &std::io::Error) -> &'static str {
    match io_code(e) {
        Code::E0703 => {
            "free some space on the output's device (or choose an `--out` on another), then build again"
        }
        Code::E0704 => {
            "give your user write permission on the output folder and its parent, or choose another `--out`"
        }
        Code::E0705 => "the file system is mounted read-only: choose an `--out` on a writable one",
        _ => "check the output folder, its parent and their device, then build again",
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file (1-based line and column; 0 when unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `E0101`; documented in the README.
    pub code: Code,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub col: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.to_string(),
            line: pos.line,
            col: pos.col,
            help: None,
        }
    }

    pub fn warning(code: Code, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, pos, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

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

    /// One line: `FILE:LINE:COL: error[CODE]: message`.
    pub fn short(&self) -> String {
        format!(
            "{}: {}[{}]: {}",
            self.location(),
            self.severity_word(),
            self.code,
            self.message
        )
    }

    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// rustc-style, with the source line and a caret when `source` is given.
    pub fn human(&self, source: Option<&str>) -> String {
        self.human_quoting(source.and_then(|s| nth_line(s, self.line)))
    }

    /// rustc-style, quoting `line` (the diagnostic's own line of the source) under a caret.
    /// For many diagnostics of one source, split its lines once: finding each line again
    /// would read the source once per diagnostic. Laid out by annotate-snippets (rustc's
    /// own), which places the caret by display width (a wide character takes two columns)
    /// and cuts a long line around the caret.
    pub fn human_quoting(&self, line: Option<&str>) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(&self.message).id(self.code.as_str());
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
        let group = match &self.help {
            Some(h) => group.element(Level::HELP.message(h.as_str())),
            None => group,
        };
        let report: &[Group] = &[group];
        let mut out = Renderer::plain().render(report);
        out.push('\n');
        out
    }

    /// A GitHub Actions workflow command. GitHub counts lines from 1: a diagnostic about a
    /// whole file (line 0) is a file-level annotation, without `line` or `col`.
    pub fn github(&self) -> String {
        let kind = self.severity_word();
        let msg = match &self.help {
            Some(h) => format!("{} ({h})", self.message),
            None => self.message.clone(),
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
    pub fn json(&self) -> String {
        let record = Record {
            version: JSON_VERSION,
            kind: "diagnostic",
            severity: Some(self.severity),
            code: Some(self.code.as_str()),
            message: &self.message,
            file: Some(&self.file)
                .filter(|f| !f.is_empty())
                .map(String::as_str),
            line: Some(self.line).filter(|&l| l > 0),
            col: Some(self.col).filter(|&c| c > 0 && self.line > 0),
            help: self.help.as_deref(),
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

fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Sort by file, then position, then severity, so a writer fixes top to bottom.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.col, a.severity, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.col, b.severity, b.code, &b.message))
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
        let d = Diagnostic::error(Code::E0101, "f.yaml", Pos::new(2, 3), "bad").with_help("fix it");
        let h = d.human(Some("a: 1\nb: 2\n"));
        assert!(h.contains("error[E0101]: bad"), "{h}");
        assert!(h.contains("--> f.yaml:2:3"), "{h}");
        assert!(h.contains("2 | b: 2\n  |   ^"), "{h}");
        assert!(h.contains("= help: fix it"), "{h}");
    }

    #[test]
    fn long_lines_are_shown_around_the_caret() {
        let line = format!("role: {}", "x".repeat(200_000));
        for col in [7, 150_000, 200_006] {
            let d = Diagnostic::error(Code::E0126, "f", Pos::new(1, col), "long");
            let h = d.human(Some(&line));
            assert!(h.len() < 400, "{col}: {h}");
            let quoted = h.lines().find(|l| l.starts_with("1 |")).unwrap();
            let caret = h.lines().find(|l| l.contains('^')).unwrap();
            // The caret stands under an `x` of the quoted line.
            let at = caret.find('^').unwrap();
            assert_eq!(quoted.as_bytes()[at], b'x', "{col}: {h}");
        }
        // A control character never reaches the terminal.
        let d = Diagnostic::error(Code::E0120, "f", Pos::new(1, 4), "control");
        let h = d.human(Some("a: \u{1b}[31mred"));
        assert!(!h.contains('\u{1b}') && h.contains('\u{fffd}'), "{h}");
    }

    #[test]
    fn the_caret_stands_under_its_character_whatever_its_width() {
        let d = Diagnostic::error(Code::E0010, "f.yaml", Pos::new(1, 5), "unknown key");
        let h = d.human(Some("日本: 語 x"));
        // `日本: ` takes six columns (each ideogram two), `語` two: the caret is two wide,
        // under it.
        assert!(h.contains("1 | 日本: 語 x\n  |       ^^\n"), "{h}");
        // Past the end of the line: the caret follows it.
        let d = Diagnostic::error(Code::E0012, "f.yaml", Pos::new(1, 40), "missing");
        assert!(d.human(Some("ab")).contains("1 | ab\n  |   ^"));
    }

    #[test]
    fn github_escapes_newlines_and_commas() {
        let d = Diagnostic::error(Code::E0101, "a,b.yaml", Pos::new(1, 1), "x\ny");
        assert_eq!(
            d.github(),
            "::error file=a%2Cb.yaml,line=1,col=1,title=E0101::x%0Ay"
        );
    }

    #[test]
    fn a_whole_file_fault_has_no_line_for_github_and_null_in_json() {
        let d = Diagnostic::error(Code::E0512, "out/a.png", Pos::default(), "stale");
        assert_eq!(d.github(), "::error file=out/a.png,title=E0512::stale");
        let v: serde_json::Value = serde_json::from_str(&d.json()).unwrap();
        assert_eq!(v["line"], serde_json::Value::Null);
        assert_eq!(v["col"], serde_json::Value::Null);
        assert_eq!(v["help"], serde_json::Value::Null);
        assert_eq!(v["version"], JSON_VERSION);
        assert_eq!(v["type"], "diagnostic");
        assert_eq!(v["file"], "out/a.png");
        let d = Diagnostic::warning(Code::W0108, "i.yaml", Pos::new(4, 0), "zone").with_help("h");
        assert_eq!(
            d.github(),
            "::warning file=i.yaml,line=4,title=W0108::zone (h)"
        );
        let v: serde_json::Value = serde_json::from_str(&d.json()).unwrap();
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
        let e = |c| Diagnostic::error(c, "f", Pos::default(), "m");
        let w = Diagnostic::warning(Code::W0108, "f", Pos::default(), "m");
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
            assert!(!io_help(&Error::from(k)).is_empty());
        }
        assert!(io_help(&Error::from(ErrorKind::StorageFull)).contains("space"));
        assert!(io_help(&Error::from(ErrorKind::ReadOnlyFilesystem)).contains("read-only"));
        assert!(io_help(&Error::from(ErrorKind::PermissionDenied)).contains("permission"));
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
