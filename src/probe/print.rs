//! `probe`'s report as people and tools read it: lines under a heading per instance, one
//! JSON document, or GitHub Actions annotations; each ends with the counts.

use super::{Report, Verdict};
use crate::diag::{Catalog, Count};
use crate::msg;

/// How many names are as planned, differ, and could not be told.
fn counts(report: &Report) -> [usize; 3] {
    let mut n = [0; 3];
    for l in report.groups.iter().flat_map(|g| &g.lines) {
        n[match l.verdict {
            Verdict::AsPlanned => 0,
            Verdict::Differs => 1,
            Verdict::Unknown => 2,
        }] += 1;
    }
    n
}

/// The summary line.
fn summary(report: &Report, words: &Catalog) -> String {
    let [ok, differs, unknown] = counts(report);
    words.render(&msg!(
        "probe.summary",
        ok = Count::of(ok),
        differs = Count::of(differs),
        unknown = Count::of(unknown)
    ))
}

/// Each instance's heading (the state probed, first) and its lines, then the counts and
/// the server asked.
pub fn human(report: &Report, words: &Catalog) -> String {
    let mut out = String::new();
    for g in &report.groups {
        out.push_str(&words.line(&g.heading));
        for l in &g.lines {
            out.push_str("  ");
            out.push_str(&words.line(&l.text));
        }
        out.push('\n');
    }
    out.push_str(&summary(report, words));
    out.push('\n');
    out.push_str(&words.line(&msg!("probe.server", server = report.server)));
    out
}

/// One JSON document: the server, each instance with its state and names (`verdict`:
/// `as_planned`, `differs`, `unknown`), and the counts. Fields do not depend on the
/// language; `message` is the line as `human` words it.
pub fn json(report: &Report, words: &Catalog) -> String {
    let [ok, differs, unknown] = counts(report);
    let instances: Vec<serde_json::Value> = (report.groups.iter())
        .map(|g| {
            let names: Vec<serde_json::Value> = (g.lines.iter())
                .map(|l| {
                    serde_json::json!({
                        "name": l.name,
                        "check": l.check,
                        "vm": l.vm,
                        "verdict": l.verdict,
                        "expected": l.expected,
                        "found": l.found,
                        "message": words.render(&l.text),
                    })
                })
                .collect();
            serde_json::json!({ "instance": g.instance, "state": g.state, "names": names })
        })
        .collect();
    let doc = serde_json::json!({
        "server": report.server.to_string(),
        "instances": instances,
        "summary": { "as_planned": ok, "differs": differs, "unknown": unknown },
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// A GitHub Actions annotation for each name that differs (`::error`) or could not be told
/// (`::warning`), then the counts as a notice.
pub fn github(report: &Report, words: &Catalog) -> String {
    use crate::diag::{gh_data, gh_prop};
    let mut out = String::new();
    for g in &report.groups {
        for l in &g.lines {
            let kind = match l.verdict {
                Verdict::AsPlanned => continue,
                Verdict::Differs => "error",
                Verdict::Unknown => "warning",
            };
            let title = format!("bascule probe {}", g.instance);
            out.push_str(&format!(
                "::{kind} title={}::{}\n",
                gh_prop(&title),
                gh_data(&words.render(&l.text))
            ));
        }
    }
    out.push_str(&format!(
        "::notice title=bascule probe::{}\n",
        gh_data(&summary(report, words))
    ));
    out
}
