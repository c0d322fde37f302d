//! Every ticket file: `tickets/<id>.txt`, `tickets/<id>.eml`, and `tickets/index.json`,
//! the manifest that lists them (what `check` reads to find a ticket's instance and VMs).

use super::{Kind, Ticket, context::file_name, eml, ticket_error};
use crate::diag::{Code, Diagnostic, Pos};
use serde::Serialize;

/// One ticket's entry in `tickets/index.json`: what it is about, and its two files.
#[derive(Serialize)]
pub struct IndexEntry<'a> {
    id: &'a str,
    number: Option<u32>,
    kind: Kind,
    subject: &'a str,
    instance: &'a str,
    state: &'a str,
    vms: &'a [String],
    attachments: &'a [String],
    txt: String,
    eml: String,
    to: Option<&'a str>,
}

impl<'a> IndexEntry<'a> {
    /// The entry of `t`; `to` overrides the ticket's own mailbox.
    pub fn of(t: &'a Ticket, to: Option<&'a str>) -> Self {
        IndexEntry {
            id: &t.id,
            number: t.number,
            kind: t.kind,
            subject: &t.subject,
            instance: &t.instance,
            state: &t.state,
            vms: &t.vms,
            attachments: &t.attachments,
            txt: t.txt_name(),
            eml: t.eml_name(),
            to: to.or(t.to.as_deref()),
        }
    }
}

/// The `.txt` and `.eml` of one ticket. `png` gives the bytes of an attachment by its
/// relative path; a missing one is an error. `to` overrides the ticket's mailbox.
pub fn ticket_files(
    t: &Ticket,
    png: &dyn Fn(&str) -> Option<Vec<u8>>,
    to: Option<&str>,
) -> Result<[(String, Vec<u8>); 2], Box<Diagnostic>> {
    let mut attachments = Vec::with_capacity(t.attachments.len());
    for path in &t.attachments {
        let bytes = png(path).ok_or_else(|| {
            Box::new(
                Diagnostic::error(
                    Code::E0405,
                    &t.eml_name(),
                    Pos::default(),
                    crate::msg!("tickets.attachment", path = path, id = &t.id),
                )
                .with_help(crate::msg!("tickets.attachment.help")),
            )
        })?;
        attachments.push((file_name(path), bytes));
    }
    let parts: Vec<(&str, &[u8])> = attachments
        .iter()
        .map(|(n, b)| (*n, b.as_slice()))
        .collect();
    let mailbox = to.or(t.to.as_deref());
    let head = eml::Head {
        to: mailbox.map(str::to_string),
        sent: None,
    };
    let eml = eml::message(&head, &t.subject, &t.email_body(), &parts).map_err(|m| {
        ticket_error(
            Code::E0406,
            &t.eml_name(),
            crate::msg!("tickets.eml", reason = m),
        )
    })?;
    Ok([(t.txt_name(), t.text().into_bytes()), (t.eml_name(), eml)])
}

/// `tickets/index.json`.
pub fn index(tickets: &[Ticket], to: Option<&str>) -> (String, Vec<u8>) {
    let entries: Vec<IndexEntry> = tickets.iter().map(|t| IndexEntry::of(t, to)).collect();
    let mut json = serde_json::to_string_pretty(&entries).unwrap_or_default();
    json.push('\n');
    (format!("{}/index.json", super::DIR), json.into_bytes())
}

/// Every ticket file, then the index.
pub fn files(
    tickets: &[Ticket],
    png: &dyn Fn(&str) -> Option<Vec<u8>>,
    to: Option<&str>,
) -> Result<Vec<(String, Vec<u8>)>, Box<Diagnostic>> {
    let mut out = Vec::with_capacity(tickets.len() * 2 + 1);
    for t in tickets {
        out.extend(ticket_files(t, png, to)?);
    }
    out.push(index(tickets, to));
    Ok(out)
}
