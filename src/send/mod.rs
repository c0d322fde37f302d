//! `bascule send`: which ticket e-mails to send, and why (new, update, already sent), from
//! the tickets of the inventory and the journal of what was sent; then their delivery over
//! SMTP (`smtp.rs`), the journal written at each step.
//!
//! A request is compared with what was sent by its digest: SHA-256 of its subject and
//! e-mail body rendered with every Octopus number left out, so that a number arriving in
//! the inventory is no change, while anything the technician reads is. An attachment that
//! changes alone (a redrawn annexe) is not a change of the request.

pub mod run;
pub mod smtp;

use crate::journal::{Journal, Status};
use crate::plan::OctopusPlan;
use crate::render::tickets::Ticket;
use sha2::{Digest as _, Sha256};
use std::collections::BTreeSet;

/// What `send` does with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Never sent: sent now, it opens a request.
    New,
    /// Changed since it was sent on `since`, its request `number` known: sent with the
    /// update subject, it adds to that request.
    Update {
        /// The Octopus number of the request, from the inventory.
        number: u32,
        /// The day of the last accepted delivery, `YYYY-MM-DD` (UTC).
        since: String,
    },
    /// Sent on `at`, unchanged.
    AlreadySent {
        /// The day the server accepted it, `YYYY-MM-DD` (UTC).
        at: String,
    },
    /// The inventory gives its number but bascule never sent it: filed by hand.
    Filed {
        /// The Octopus number the inventory gives.
        number: u32,
    },
    /// Changed since it was sent on `since`, but its number is not in the inventory yet: an
    /// e-mail now would open a second request.
    Held {
        /// The day of the last accepted delivery, `YYYY-MM-DD` (UTC).
        since: String,
    },
    /// Its delivery on `at` was cut before the server answered: it may have arrived.
    Uncertain {
        /// The day the cut delivery started, `YYYY-MM-DD` (UTC).
        at: String,
    },
}

impl Action {
    /// Whether `send --yes` sends it: a new request, or an update.
    pub fn sends(&self) -> bool {
        matches!(self, Action::New | Action::Update { .. })
    }

    /// One word for the dry run's first column.
    pub fn word(&self) -> crate::diag::Text {
        use crate::msg;
        match self {
            Action::New => msg!("send.word.new"),
            Action::Update { .. } => msg!("send.word.update"),
            Action::AlreadySent { .. } => msg!("send.word.sent"),
            Action::Filed { .. } => msg!("send.word.filed"),
            Action::Held { .. } => msg!("send.word.held"),
            Action::Uncertain { .. } => msg!("send.word.uncertain"),
        }
    }

    /// Why, in a few words.
    pub fn why(&self) -> crate::diag::Text {
        use crate::msg;
        match self {
            Action::New => msg!("send.why.new"),
            Action::Update { number, since } => {
                msg!("send.why.update", since = since, number = number)
            }
            Action::AlreadySent { at } => msg!("send.why.sent", at = at),
            Action::Filed { number } => msg!("send.why.filed", number = number),
            Action::Held { since } => msg!("send.why.held", since = since),
            Action::Uncertain { at } => msg!("send.why.uncertain", at = at),
        }
    }
}

/// One request and what to do with it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The ticket as rendered from the inventory, numbers included.
    pub ticket: Ticket,
    /// `sha256:…` of the request, numbers left out.
    pub digest: String,
    /// What `send` does with it, from the journal.
    pub action: Action,
}

impl Request {
    /// The subject sent: the ticket's, or Octopus's update format.
    pub fn subject(&self, octopus: &OctopusPlan) -> String {
        match &self.action {
            Action::Update { number, .. } => octopus.update_subject(*number, &self.ticket.subject),
            _ => self.ticket.subject.clone(),
        }
    }

    /// The body sent: a new service request's is enclosed in its token; an update adds to
    /// a request and is never enclosed.
    pub fn body(&self) -> String {
        match &self.action {
            Action::Update { .. } => self.ticket.body.clone(),
            _ => self.ticket.email_body(),
        }
    }
}

/// The digest of a ticket rendered without Octopus numbers.
pub fn digest(erased: &Ticket) -> String {
    let mut h = Sha256::new();
    h.update(erased.subject.as_bytes());
    h.update(b"\n\n");
    h.update(erased.email_body().as_bytes());
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The tickets of `inventory` (read from `file`) rendered with every Octopus number left
/// out (what [`digest`] reads).
pub fn erased_tickets(
    file: &str,
    mut inventory: crate::model::Inventory,
    templates: &crate::templates::Templates,
) -> Result<Vec<Ticket>, Box<crate::diag::Diagnostic>> {
    inventory.erase_numbers();
    // Without numbers, creations lack their ticket: a warning when building, as here.
    let plan = crate::pipeline::plan_built(file, &inventory, &templates.labels)?;
    crate::render::tickets::tickets(&plan, templates)
}

/// The date part of an RFC 3339 time, as the dry run shows it.
fn day(at: &str) -> String {
    at.get(..10).unwrap_or(at).to_string()
}

/// What to do with each ticket. `erased`: the same tickets rendered without numbers (same
/// order, same ids). `retry`: keys whose cut delivery is to be sent again.
pub fn decide(
    tickets: &[Ticket],
    erased: &[Ticket],
    journal: &Journal,
    retry: &BTreeSet<String>,
) -> Vec<Request> {
    tickets
        .iter()
        .map(|t| {
            let digest = erased
                .iter()
                .find(|e| e.id == t.id)
                .map_or_else(|| digest(t), digest);
            let action = action(t, &digest, journal, retry.contains(&t.id));
            Request {
                ticket: t.clone(),
                digest,
                action,
            }
        })
        .collect()
}

fn action(t: &Ticket, digest: &str, journal: &Journal, retry: bool) -> Action {
    if let Some(cut) = journal.last(&t.id).filter(|d| d.status == Status::Sending)
        && !retry
    {
        return Action::Uncertain {
            at: day(&cut.started),
        };
    }
    match (journal.last_sent(&t.id), t.number) {
        (None, Some(number)) => Action::Filed { number },
        (None, None) => Action::New,
        (Some(d), _) if d.digest == digest => Action::AlreadySent {
            at: day(d.finished.as_deref().unwrap_or(&d.started)),
        },
        (Some(d), Some(number)) => Action::Update {
            number,
            since: day(&d.started),
        },
        (Some(d), None) => Action::Held {
            since: day(&d.started),
        },
    }
}

#[cfg(test)]
mod tests;
