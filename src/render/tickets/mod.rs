//! Octopus tickets: one creation ticket per VM to create, one intervention request per
//! instance and state with work, their `.eml` exports and a manifest.
//!
//! Octopus (the service desk) turns an email into a request: subject → subject, body →
//! description, attachments kept. Each ticket is written twice: `tickets/<id>.txt`
//! (subject on the first line, a blank line, then the description) for copy-paste, and
//! `tickets/<id>.eml` ready to open in a mail client and send.
//!
//! Files: `context.rs` (what a ticket says), this file (the tickets, rendered from their
//! templates), `eml.rs` (the email, through mail-builder), `manifest.rs` (`index.json`),
//! `print.rs` (`bascule tickets`).

pub(crate) mod context;
pub(crate) mod eml;
pub mod manifest;
pub(crate) mod print;

pub use print::{Format, print};

use crate::diag::{Code, Diagnostic, Pos};
use crate::plan::Plan;
use crate::templates::Templates;
use serde::Serialize;

/// Template of a creation ticket.
pub const CREATION_TEMPLATE: &str = "ticket-creation.txt.tera";
/// Template of an intervention request.
pub const INTERVENTION_TEMPLATE: &str = "ticket-intervention.txt.tera";
/// Folder of the outputs, relative to the output directory.
pub const DIR: &str = "tickets";

/// The two kinds of Octopus request (serialized lowercase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A VM to create.
    Creation,
    /// DNS changes, deactivations, deletions and data migration of one state.
    Intervention,
}

/// One Octopus request, rendered: what its `.txt` and `.eml` files hold, and about what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    /// File stem, the same for the request's whole life, before and after its Octopus
    /// number is known (the number is inside): `examens-jour-m`,
    /// `examens-creation-examens31`.
    pub id: String,
    /// Its Octopus number, once the inventory gives it.
    pub number: Option<u32>,
    /// A VM creation, or an intervention at one state.
    pub kind: Kind,
    /// The email subject (Octopus: the request's subject).
    pub subject: String,
    /// The email body (Octopus: the request's description), ending with a newline.
    pub body: String,
    /// Instance id.
    pub instance: String,
    /// State id: the creation's state, or the intervention's.
    pub state: String,
    /// Machines involved.
    pub vms: Vec<String>,
    /// Paths relative to the output folder, e.g. `annexes/annexe-1.png`, and the calendar
    /// file of a dated intervention.
    pub attachments: Vec<String>,
    /// The intervention's calendar file (`tickets/<id>.ics`), when its date is known.
    pub ics: Option<String>,
    /// The Octopus mailbox from the inventory (`octopus.mailbox`), never invented.
    pub to: Option<String>,
    /// The token a service request's e-mail body is enclosed in (`octopus.sr_token`).
    pub sr_token: Option<String>,
}

impl Ticket {
    /// Its `.txt` file's path, relative to the output folder: `tickets/<id>.txt`.
    pub fn txt_name(&self) -> String {
        format!("{DIR}/{}.txt", self.id)
    }

    /// Its `.eml` file's path, relative to the output folder: `tickets/<id>.eml`.
    pub fn eml_name(&self) -> String {
        format!("{DIR}/{}.eml", self.id)
    }

    /// The `.txt` file: subject, blank line, body.
    pub fn text(&self) -> String {
        format!("{}\n\n{}", self.subject, self.body)
    }

    /// The e-mail's body: the description, enclosed in the service-request token if any.
    pub fn email_body(&self) -> String {
        eml::enclose(&self.body, self.sr_token.as_deref())
    }
}

fn ticket_error(code: Code, file: &str, message: crate::diag::Text) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(code, file, Pos::default(), message))
}

/// Splits a rendered ticket: first line the subject, the rest (after blank lines) the body.
fn split(template: &str, rendered: &str) -> Result<(String, String), Box<Diagnostic>> {
    let text = crate::templates::tidy(rendered);
    let (subject, body) = text.split_once('\n').unwrap_or((&text, ""));
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(ticket_error(
            Code::E0403,
            template,
            crate::msg!("tickets.no_subject"),
        ));
    }
    let body = body.trim_start_matches('\n');
    Ok((subject.to_string(), format!("{body}\n")))
}

/// The tickets of one instance: its creation tickets, then its interventions in state order.
pub fn instance_tickets(
    plan: &Plan,
    inst: &crate::plan::InstancePlan,
    templates: &Templates,
) -> Result<Vec<Ticket>, Box<Diagnostic>> {
    let mut out = Vec::new();
    for vm in inst.vms.iter().filter(|v| v.to_create) {
        let ctx = context::creation(plan, inst, vm);
        let rendered = templates.render(CREATION_TEMPLATE, &ctx)?;
        let (subject, body) = split(CREATION_TEMPLATE, &rendered)?;
        out.push(Ticket {
            id: crate::model::creation_key(&inst.id, &vm.machine),
            number: vm.ticket,
            kind: Kind::Creation,
            subject,
            body,
            instance: inst.id.clone(),
            state: inst.columns[vm.created_at.unwrap_or(0)].state_id.clone(),
            vms: vec![vm.machine.clone()],
            attachments: vec![inst.annexe_png.clone()],
            ics: None,
            to: plan.octopus_mailbox.clone(),
            sr_token: plan.octopus.sr_token.clone(),
        });
    }
    for iv in &inst.interventions {
        let ctx = context::intervention(plan, inst, iv);
        let rendered = templates.render(INTERVENTION_TEMPLATE, &ctx)?;
        let (subject, body) = split(INTERVENTION_TEMPLATE, &rendered)?;
        let id = crate::model::intervention_key(&inst.id, &iv.state_id);
        let dated = inst
            .columns
            .iter()
            .any(|c| c.state_id == iv.state_id && c.iso.is_some());
        let ics = dated.then(|| format!("{DIR}/{id}.ics"));
        out.push(Ticket {
            id,
            number: iv.ticket,
            kind: Kind::Intervention,
            subject,
            body,
            instance: inst.id.clone(),
            state: iv.state_id.clone(),
            vms: iv.vms.iter().map(|v| v.machine.clone()).collect(),
            attachments: std::iter::once(inst.annexe_png.clone())
                .chain(ics.clone())
                .collect(),
            ics,
            to: plan.octopus_mailbox.clone(),
            sr_token: plan.octopus.sr_token.clone(),
        });
    }
    Ok(out)
}

/// The position of ticket `t` in the plan's calendar (date order).
fn calendar_position(plan: &Plan, t: &Ticket) -> usize {
    plan.calendar
        .iter()
        .position(|c| {
            c.instance_id == t.instance
                && match t.kind {
                    Kind::Creation => c.machine.as_deref() == t.vms.first().map(String::as_str),
                    Kind::Intervention => c.machine.is_none() && c.state_id == t.state,
                }
        })
        .unwrap_or(usize::MAX)
}

/// Every ticket of the plan, in the calendar's order (date order, then instance and state
/// order). Two tickets with one file name are an error (instance `a` at state `b-c` and
/// instance `a-b` at state `c`).
pub fn tickets(plan: &Plan, templates: &Templates) -> Result<Vec<Ticket>, Box<Diagnostic>> {
    let mut out: Vec<Ticket> = Vec::new();
    for inst in &plan.instances {
        out.extend(instance_tickets(plan, inst, templates)?);
    }
    out.sort_by_key(|t| calendar_position(plan, t));
    let mut seen = std::collections::BTreeSet::new();
    for t in &out {
        if !seen.insert(t.id.as_str()) {
            return Err(ticket_error(
                Code::E0404,
                &t.txt_name(),
                crate::msg!("tickets.same_file", file = t.txt_name()),
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
