//! The deliveries of one `bascule send --yes`: each request's message built with the headers
//! of a sent one, handed to the server, and the journal written before and after.

use super::smtp::{Outcome, Session};
use super::{Action, Request};
use crate::diag::Text;
use crate::journal::{self, Delivery, Journal, Purpose, Status};
use crate::msg;
use crate::plan::OctopusPlan;
use crate::render::tickets::eml;
use jiff::Timestamp;
use std::path::Path;

/// Who sends, to whom, and Octopus's update format.
pub struct Settings {
    /// `From:` as the inventory writes it (`Nom <a@b.ca>`).
    pub from: String,
    /// `To:`: one address or a list.
    pub to: String,
    /// The inventory's Octopus settings, which word an update's subject.
    pub octopus: OctopusPlan,
}

/// What happened to the requests that were to be sent.
#[derive(Debug, Default)]
pub struct Summary {
    /// The keys of the requests the server accepted, in order.
    pub sent: Vec<String>,
    /// The requests the server refused: key, and the server's answer.
    pub refused: Vec<(String, String)>,
    /// The fault that ended the session early, if any.
    pub stopped: Option<Text>,
}

fn now() -> Timestamp {
    Timestamp::now()
}

fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A Message-ID unique to this delivery, in the sender's domain.
fn message_id(key: &str, at: Timestamp, from: &lettre::Address) -> String {
    let stamp = at.strftime("%Y%m%dT%H%M%SZ");
    format!(
        "<bascule.{key}.{stamp}.{:08x}@{}>",
        fastrand::u32(..),
        from.domain()
    )
}

/// The bytes of `r`'s message, its attachments read from the output folder `out`.
pub fn message(
    r: &Request,
    settings: &Settings,
    sent: eml::Sent,
    out: &Path,
) -> Result<Vec<u8>, Text> {
    let mut files = Vec::new();
    for path in &r.ticket.attachments {
        let bytes = std::fs::read(out.join(path))
            .map_err(|e| msg!("send.read", path = out.join(path).display(), reason = e))?;
        files.push((crate::render::tickets::context::file_name(path), bytes));
    }
    let parts: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let head = eml::Head {
        to: Some(settings.to.clone()),
        sent: Some(sent),
    };
    eml::message(&head, &r.subject(&settings.octopus), &r.body(), &parts)
        .map_err(|e| msg!("tickets.eml", reason = e))
}

/// The addresses of the envelope: the sender's, and every recipient's.
pub fn envelope(settings: &Settings) -> Result<(lettre::Address, Vec<lettre::Address>), String> {
    let from = crate::model::mailboxes(&settings.from).map_err(|e| e.en())?;
    let to = crate::model::mailboxes(&settings.to).map_err(|e| e.en())?;
    Ok((
        from[0].email.clone(),
        to.into_iter().map(|m| m.email).collect(),
    ))
}

/// Sends every request whose action sends, in order, writing the journal at `path` before
/// and after each delivery. `say` is told each outcome.
pub fn run(
    session: &mut Session,
    requests: &[Request],
    settings: &Settings,
    out: &Path,
    (journal, path): (&mut Journal, &Path),
    say: &mut dyn FnMut(Text),
) -> Summary {
    let mut summary = Summary::default();
    let (from, to) = match envelope(settings) {
        Ok(e) => e,
        Err(e) => {
            summary.stopped = Some(msg!("send.envelope", reason = e));
            return summary;
        }
    };
    for r in requests.iter().filter(|r| r.action.sends()) {
        let key = r.ticket.id.clone();
        let started = now();
        let sent = eml::Sent {
            from: settings.from.clone(),
            date: jiff::fmt::rfc2822::DateTimePrinter::new()
                .timestamp_to_string(&started)
                .unwrap_or_default(),
            message_id: message_id(&key, started, &from),
        };
        let entry = Delivery {
            key: key.clone(),
            purpose: match r.action {
                Action::Update { .. } => Purpose::Update,
                _ => Purpose::New,
            },
            number: match r.action {
                Action::Update { number, .. } => Some(number),
                _ => None,
            },
            message_id: sent.message_id.clone(),
            digest: r.digest.clone(),
            subject: r.subject(&settings.octopus),
            to: settings.to.clone(),
            status: Status::Sending,
            started: rfc3339(started),
            finished: None,
            error: None,
        };
        let bytes = match message(r, settings, sent, out) {
            Ok(b) => b,
            Err(e) => {
                summary.stopped = Some(msg!("send.message", key = &key, reason = e));
                return summary;
            }
        };
        let outcome = session.deliver(&from, &to, &bytes, || {
            journal.deliveries.push(entry);
            journal::write(path, journal)
        });
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                let journal = path.display();
                summary.stopped = Some(msg!(
                    "send.journal",
                    key = &key,
                    journal = journal,
                    reason = e
                ));
                return summary;
            }
        };
        if let Some(stop) = record(journal, path, &key, outcome, &mut summary, say) {
            summary.stopped = Some(stop);
            return summary;
        }
    }
    summary
}

/// Writes the outcome of `key`'s delivery into the journal; the fault that ends the session,
/// if any.
fn record(
    journal: &mut Journal,
    path: &Path,
    key: &str,
    outcome: Outcome,
    summary: &mut Summary,
    say: &mut dyn FnMut(Text),
) -> Option<Text> {
    let (status, error, stop) = match outcome {
        Outcome::Sent => (Status::Sent, None, None),
        Outcome::Refused(why) => (Status::Refused, Some(why), None),
        // Nothing was handed over, nothing was written for it.
        Outcome::Broken(why) => return Some(msg!("send.broken", key = key, why = why)),
        Outcome::Cut(why) => (
            Status::Sending,
            Some(why.clone()),
            Some(msg!("send.cut", key = key, why = &why)),
        ),
    };
    if let Some(last) = journal.deliveries.last_mut() {
        last.status = status;
        last.finished = (status != Status::Sending).then(|| rfc3339(now()));
        last.error = error.clone();
    }
    if let Err(e) = journal::write(path, journal) {
        let sent = if status == Status::Sent { "yes" } else { "" };
        let journal = path.display();
        return Some(msg!(
            "send.unrecorded",
            key = key,
            sent = sent,
            journal = journal,
            reason = e
        ));
    }
    match (status, error) {
        (Status::Sent, _) => {
            say(msg!("send.line.sent", key = key));
            summary.sent.push(key.to_string());
        }
        (Status::Refused, Some(why)) => {
            say(msg!("send.line.refused", key = key, why = &why));
            summary.refused.push((key.to_string(), why));
        }
        _ => {}
    }
    stop
}
