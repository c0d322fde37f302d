//! The tickets page's entries: each ticket with its words (kind, Octopus number or draft,
//! from the labels), its texts and the site paths of its files.

use crate::diag::Diagnostic;
use crate::labels::Labels;
use crate::plan::Plan;
use crate::render::tickets::{Kind, Ticket};
use serde::Serialize;
use serde_json::json;

/// A file joined to a ticket's e-mail.
#[derive(Debug, Serialize)]
pub(super) struct Attachment {
    /// Its path in the site.
    pub path: String,
    /// Its file name.
    pub name: String,
    /// `image/png`, `text/calendar`.
    pub mime: &'static str,
}

impl Attachment {
    fn of(path: &str) -> Attachment {
        Attachment {
            path: path.to_string(),
            name: path.rsplit('/').next().unwrap_or(path).to_string(),
            mime: if path.ends_with(".ics") {
                "text/calendar"
            } else {
                "image/png"
            },
        }
    }
}

/// The tickets of one instance.
#[derive(Debug, Serialize)]
pub(super) struct Group {
    pub name: String,
    pub annexe: u32,
    pub tickets: Vec<Entry>,
}

#[derive(Debug, Serialize)]
pub(super) struct Entry {
    /// `91234`, `examens-jour-m`: the file stem, also the page's anchor (`ticket-…`).
    pub id: String,
    /// « création », « intervention »
    pub kind: String,
    /// « Octopus 57330 », « brouillon, numéro Octopus à obtenir »
    pub number: String,
    /// The state's heading (« État le jour de migration (jour M) »).
    pub state: String,
    pub subject: String,
    pub body: String,
    /// Paths in the site (`tickets/examens-creation-examens31.txt`).
    pub txt: String,
    pub eml: String,
    pub attachments: Vec<Attachment>,
    pub vms: Vec<String>,
}

/// The tickets, grouped by instance in plan order (tickets come instance by instance).
pub(super) fn groups(
    plan: &Plan,
    tickets: &[Ticket],
    labels: &Labels,
) -> Result<Vec<Group>, Box<Diagnostic>> {
    let mut out = Vec::new();
    for inst in &plan.instances {
        let entries = tickets
            .iter()
            .filter(|t| t.instance == inst.id)
            .map(|t| entry(plan, t, labels))
            .collect::<Result<Vec<_>, _>>()?;
        if !entries.is_empty() {
            out.push(Group {
                name: inst.name.clone(),
                annexe: inst.annexe,
                tickets: entries,
            });
        }
    }
    Ok(out)
}

fn entry(plan: &Plan, t: &Ticket, labels: &Labels) -> Result<Entry, Box<Diagnostic>> {
    let kind = labels.plain(match t.kind {
        Kind::Creation => "ticket.creation",
        Kind::Intervention => "ticket.intervention",
    })?;
    let number = match t.number {
        Some(n) => labels.text("ticket.number", &json!({ "number": n }))?,
        None => labels.plain("ticket.draft")?,
    };
    let state = plan
        .instances
        .iter()
        .find(|i| i.id == t.instance)
        .and_then(|i| i.columns.iter().find(|c| c.state_id == t.state))
        .map(|c| c.heading.clone())
        .unwrap_or_default();
    Ok(Entry {
        id: t.id.clone(),
        kind,
        number,
        state,
        subject: t.subject.clone(),
        body: t.body.clone(),
        txt: t.txt_name(),
        eml: t.eml_name(),
        attachments: t.attachments.iter().map(|a| Attachment::of(a)).collect(),
        vms: t.vms.clone(),
    })
}
