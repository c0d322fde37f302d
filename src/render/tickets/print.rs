//! `bascule tickets [--instance ID] [--ticket N] [--format text|json]`: the tickets for
//! copy-paste into Octopus, one after the other.

use super::{Kind, Ticket};
use crate::labels::Labels;
use serde_json::json;

/// Output format of [`print`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Each ticket for reading (the default): its file, kind and number, then subject and
    /// body.
    #[default]
    Text,
    /// The tickets' data as a pretty JSON array.
    Json,
}

/// The tickets of `instance` (all when `None`), or only ticket `number` (its Octopus
/// number or its file name). An unknown instance or ticket is an error listing the valid ones.
fn select<'a>(
    tickets: &'a [Ticket],
    instance: Option<&str>,
    number: Option<&str>,
) -> Result<Vec<&'a Ticket>, String> {
    if let Some(i) = instance
        && !tickets.iter().any(|t| t.instance == i)
    {
        let mut valid: Vec<&str> = tickets.iter().map(|t| t.instance.as_str()).collect();
        valid.dedup();
        return Err(format!(
            "unknown instance `{}`; valid instances: {}",
            crate::diag::shown(i),
            valid.join(", ")
        ));
    }
    let in_instance: Vec<&Ticket> = tickets
        .iter()
        .filter(|t| instance.is_none_or(|i| t.instance == i))
        .collect();
    let Some(n) = number.map(str::trim) else {
        return Ok(in_instance);
    };
    let found: Vec<&Ticket> = in_instance
        .iter()
        .copied()
        .filter(|t| t.id == n || t.number.is_some_and(|k| k.to_string() == n))
        .collect();
    if found.is_empty() {
        let valid: Vec<String> = in_instance
            .iter()
            .map(|t| match t.number {
                Some(k) => format!("{} ({k})", t.id),
                None => t.id.clone(),
            })
            .collect();
        return Err(format!(
            "unknown ticket `{}`{}; valid tickets: {}",
            crate::diag::shown(n),
            instance
                .map(|i| format!(" in instance `{i}`"))
                .unwrap_or_default(),
            valid.join(", ")
        ));
    }
    Ok(found)
}

fn text(selected: &[&Ticket], labels: &Labels) -> Result<String, String> {
    let l = |key: &str| labels.plain(key).map_err(|d| d.message.en());
    let (subject, body, draft) = (l("ticket.subject")?, l("ticket.body")?, l("ticket.draft")?);
    let rule = "=".repeat(72);
    let mut out = String::new();
    for (i, t) in selected.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let number = match t.number {
            Some(n) => labels
                .text("ticket.number", &json!({ "number": n }))
                .map_err(|d| d.message.en())?,
            None => draft.clone(),
        };
        let kind = l(match t.kind {
            Kind::Creation => "ticket.creation",
            Kind::Intervention => "ticket.intervention",
        })?;
        out.push_str(&format!(
            "{rule}\n{} — {kind} ({number})\n{rule}\n{subject}\n{}\n\n{body}\n{}",
            t.txt_name(),
            t.subject,
            t.body
        ));
    }
    Ok(out)
}

/// The selected tickets in `format`.
pub fn print(
    tickets: &[Ticket],
    instance: Option<&str>,
    number: Option<&str>,
    format: Format,
    labels: &Labels,
) -> Result<String, String> {
    let selected = select(tickets, instance, number)?;
    match format {
        Format::Json => serde_json::to_string_pretty(&selected)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string()),
        Format::Text => text(&selected, labels),
    }
}
