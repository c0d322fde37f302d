//! The three renderings of a [`Diff`]: `human` (text from `diff.txt.tera`, coloured by
//! line when asked), `markdown` (a table per instance from `diff.md.tera`, to paste in a
//! merge-request comment) and `json` (the data as it is, keys sorted). The words come from
//! `templates/labels.yaml` (`diff.`); Rust only picks which label a row needs.

use super::types::{Diff, Key, Kind, Row, Status};
use crate::diag::Diagnostic;
use crate::labels::Labels;
use crate::templates::Templates;
use serde::Serialize;
use serde_json::{Value, json};

/// How `bascule diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Text for people, coloured on a terminal
    #[default]
    Human,
    /// Markdown tables, to paste in a merge-request comment
    Markdown,
    /// The comparison as JSON, keys sorted
    Json,
}

/// How a row reads: which sides it shows.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Shape {
    Added,
    Removed,
    Changed,
}

/// A row as the templates see it: its words chosen, both sides written out.
#[derive(Serialize)]
struct RowView {
    shape: Shape,
    /// `+`, `-` or `~`.
    marker: &'static str,
    /// The fact, count or kind of request, or what was added or removed.
    change: String,
    subject: Option<String>,
    state: Option<String>,
    old: String,
    new: String,
    /// Both sides are DNS moves written with arrows (the text format quotes them).
    moves: bool,
}

#[derive(Serialize)]
struct Section {
    /// `document`, or the instance's id.
    id: Option<String>,
    heading: String,
    status: Option<String>,
    rows: Vec<RowView>,
}

fn shape(kind: Kind) -> Shape {
    match kind {
        Kind::StateAdded | Kind::VmAdded | Kind::DnsMoveAdded | Kind::TicketAdded => Shape::Added,
        Kind::StateRemoved | Kind::VmRemoved | Kind::DnsMoveRemoved | Kind::TicketRemoved => {
            Shape::Removed
        }
        _ => Shape::Changed,
    }
}

/// The labels key of the words naming a row.
fn change_key(r: &Row) -> String {
    match (r.key, r.kind) {
        (Some(Key::Fact(f)), _) => format!("diff.fact.{}", f.key()),
        (Some(Key::Count(c)), _) => format!("diff.count.{}", c.key()),
        (Some(Key::Ticket(t)), _) => format!("diff.ticket.{}", t.key()),
        (None, Kind::DnsMoveAdded | Kind::DnsMoveRemoved | Kind::DnsMoveChanged) => {
            "diff.kind.dns-move".to_string()
        }
        (None, k) => format!("diff.kind.{}", k.key()),
    }
}

/// One side of a row as shown: a ticket's number (or « sans numéro »), else the value.
fn side(
    labels: &Labels,
    r: &Row,
    v: Option<&String>,
    present: bool,
) -> Result<String, Box<Diagnostic>> {
    match (v, matches!(r.key, Some(Key::Ticket(_)))) {
        _ if !present => labels.plain("diff.none"),
        (Some(n), true) => labels.text("diff.octopus", &json!({ "n": n })),
        (None, true) => labels.plain("diff.no_number"),
        (Some(v), false) => Ok(v.clone()),
        (None, false) => labels.plain("diff.none"),
    }
}

fn view(labels: &Labels, r: &Row) -> Result<RowView, Box<Diagnostic>> {
    let shape = shape(r.kind);
    let (has_old, has_new) = match shape {
        Shape::Added => (false, true),
        Shape::Removed => (true, false),
        Shape::Changed => (true, true),
    };
    Ok(RowView {
        marker: match shape {
            Shape::Added => "+",
            Shape::Removed => "-",
            Shape::Changed => "~",
        },
        change: labels.plain(&change_key(r))?,
        subject: r.subject.clone(),
        state: r.state.clone(),
        old: side(labels, r, r.old.as_ref(), has_old)?,
        new: side(labels, r, r.new.as_ref(), has_new)?,
        moves: r.kind == Kind::DnsMoveChanged,
        shape,
    })
}

fn views(labels: &Labels, rows: &[Row]) -> Result<Vec<RowView>, Box<Diagnostic>> {
    rows.iter().map(|r| view(labels, r)).collect()
}

fn status_word(labels: &Labels, s: Status) -> Result<String, Box<Diagnostic>> {
    let key = match s {
        Status::Added => "added",
        Status::Removed => "removed",
        Status::Changed => "changed",
    };
    labels.plain(&format!("diff.status.{key}"))
}

/// What both templates read: the two sides, the sections (document first) and the words.
fn context(diff: &Diff, labels: &Labels) -> Result<Value, Box<Diagnostic>> {
    let mut sections = Vec::new();
    if !diff.document.is_empty() {
        sections.push(Section {
            id: None,
            heading: labels.plain("diff.document")?,
            status: None,
            rows: views(labels, &diff.document)?,
        });
    }
    for i in &diff.instances {
        sections.push(Section {
            id: Some(i.id.clone()),
            heading: i.name.clone(),
            status: Some(status_word(labels, i.status)?),
            rows: views(labels, &i.rows)?,
        });
    }
    let word = |k: &str| labels.plain(&format!("diff.{k}"));
    let columns = ["change", "subject", "state", "old", "new"]
        .iter()
        .map(|c| Ok((c.to_string(), Value::String(word(&format!("column.{c}"))?))))
        .collect::<Result<serde_json::Map<_, _>, Box<Diagnostic>>>()?;
    Ok(json!({
        "old": diff.old,
        "new": diff.new,
        "empty": diff.is_empty(),
        "sections": sections,
        "words": {
            "title": word("title")?,
            "no_change": word("no_change")?,
            "column": columns,
        },
    }))
}

/// `diff` in `format`; `colour` paints the human format's lines (added green, removed red,
/// changed yellow, headings bold) with ANSI codes.
pub fn render(
    diff: &Diff,
    templates: &Templates,
    format: Format,
    colour: bool,
) -> Result<String, Box<Diagnostic>> {
    match format {
        Format::Json => Ok(json_text(diff)),
        Format::Markdown => {
            let ctx = context(diff, &templates.labels)?;
            Ok(format!(
                "{}\n",
                crate::templates::tidy(&templates.render("diff.md.tera", &ctx)?)
            ))
        }
        Format::Human => {
            let ctx = context(diff, &templates.labels)?;
            let text = format!(
                "{}\n",
                crate::templates::tidy(&templates.render("diff.txt.tera", &ctx)?)
            );
            Ok(if colour { paint(&text) } else { text })
        }
    }
}

/// Pretty JSON with every object's keys sorted, whatever serde_json's map keeps.
pub fn json_text(diff: &Diff) -> String {
    let v = serde_json::to_value(diff)
        .map(sorted)
        .unwrap_or(Value::Null);
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}

fn sorted(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Colours each line by its marker; a line that starts without a space is a heading.
fn paint(text: &str) -> String {
    use anstyle::{AnsiColor, Style};
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.lines() {
        let body = line.trim_start();
        let style = match body.split_once(' ').map(|(m, _)| m) {
            _ if line.is_empty() => Style::new(),
            _ if !line.starts_with(' ') => Style::new().bold(),
            Some("+") => AnsiColor::Green.on_default(),
            Some("-") => AnsiColor::Red.on_default(),
            Some("~") => AnsiColor::Yellow.on_default(),
            _ => Style::new(),
        };
        out.push_str(&format!("{style}{line}{style:#}\n"));
    }
    out
}
