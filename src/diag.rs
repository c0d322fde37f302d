//! Diagnostics: one type for every fault bascule reports, and its three renderings
//! (human rustc-style, JSON lines, GitHub annotations).

use serde::Serialize;
use std::fmt::Write as _;

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
    pub code: &'static str,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub col: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &str, pos: Pos, message: impl Into<String>) -> Self {
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

    pub fn warning(code: &'static str, file: &str, pos: Pos, message: impl Into<String>) -> Self {
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
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}[{}]: {}",
            self.severity_word(),
            self.code,
            self.message
        );
        let _ = writeln!(out, "  --> {}", self.location());
        if let Some(text) = source.and_then(|s| nth_line(s, self.line)) {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let shown: String = text.chars().map(printable).collect();
            let caret_at = (self.col.max(1) - 1) as usize;
            let lead: String = shown
                .chars()
                .take(caret_at)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {shown}");
            let _ = writeln!(out, "{pad} | {lead}^");
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }

    /// A GitHub Actions workflow command.
    pub fn github(&self) -> String {
        let kind = self.severity_word();
        let msg = match &self.help {
            Some(h) => format!("{} ({h})", self.message),
            None => self.message.clone(),
        };
        format!(
            "::{kind} file={},line={},col={},title={}::{}",
            gh_prop(&self.file),
            self.line,
            self.col,
            gh_prop(self.code),
            gh_data(&msg)
        )
    }

    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
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

/// The closest candidate, for "did you mean" hints (Levenshtein distance ≤ 1/3 of the length).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = levenshtein(word, c);
        if d <= (c.chars().count() / 3).max(1) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("machin", ["machine", "ip"]), Some("machine"));
        assert_eq!(did_you_mean("ipp", ["machine", "ip"]), Some("ip"));
        assert_eq!(did_you_mean("zzzzzz", ["machine", "ip"]), None);
    }

    #[test]
    fn human_shows_line_and_caret() {
        let d = Diagnostic::error("E1", "f.yaml", Pos::new(2, 3), "bad").with_help("fix it");
        let h = d.human(Some("a: 1\nb: 2\n"));
        assert!(h.contains("error[E1]: bad"), "{h}");
        assert!(h.contains("--> f.yaml:2:3"), "{h}");
        assert!(h.contains("2 | b: 2\n  |   ^"), "{h}");
        assert!(h.contains("= help: fix it"), "{h}");
    }

    #[test]
    fn github_escapes_newlines_and_commas() {
        let d = Diagnostic::error("E1", "a,b.yaml", Pos::new(1, 1), "x\ny");
        assert_eq!(
            d.github(),
            "::error file=a%2Cb.yaml,line=1,col=1,title=E1::x%0Ay"
        );
    }
}
