//! The Octopus settings: addresses that parse (one, with a name, or a list), a sender that is
//! one address, a service request with its token, an update subject Octopus can recognise.

use super::{Code, Report};
use crate::diag::{did_you_mean, shown};
use crate::model::{Inventory, Octopus, RequestKind, S, UPDATE_PLACEHOLDERS, mailboxes};
use crate::msg;

pub(super) fn octopus_rules(r: &mut Report, inv: &Inventory) {
    let old = inv.document.octopus_mailbox.as_ref();
    if let Some(m) = old {
        mailbox_rule(r, m, false);
        let both = inv.octopus.as_ref().is_some_and(|o| o.mailbox.is_some());
        r.err(
            if both { Code::E0150 } else { Code::W0119 },
            m,
            if both {
                msg!("octopus.mailbox_twice")
            } else {
                msg!("octopus.mailbox_moved")
            },
            msg!("octopus.mailbox_moved.help"),
        );
    }
    let Some(o) = &inv.octopus else { return };
    if let Some(m) = &o.mailbox {
        mailbox_rule(r, m, false);
    }
    if let Some(m) = &o.sender {
        mailbox_rule(r, m, true);
    }
    request_rules(r, o);
    if let Some(s) = &o.update_subject {
        update_subject_rule(r, s);
    }
}

/// An address, with or without a name; a list unless `one`.
fn mailbox_rule(r: &mut Report, m: &S<String>, one: bool) {
    let fault = match mailboxes(&m.value) {
        Err(e) => Some(e),
        Ok(list) if one && list.len() > 1 => Some(msg!("octopus.one_sender")),
        Ok(_) => None,
    };
    if let Some(fault) = fault {
        r.err(
            Code::E0406,
            m,
            msg!(
                "octopus.not_address",
                value = shown(&m.value),
                fault = fault
            ),
            msg!("octopus.not_address.help"),
        );
    }
}

/// A service request needs the token MailIntegration is configured with; the token alone
/// means nothing for an incident.
fn request_rules(r: &mut Report, o: &Octopus) {
    let sr = o
        .request
        .as_ref()
        .is_some_and(|k| k.value == RequestKind::ServiceRequest);
    match (&o.request, &o.sr_token) {
        (Some(k), None) if sr => r.err(
            Code::E0150,
            k,
            msg!("octopus.sr_token_missing"),
            msg!("octopus.sr_token_missing.help"),
        ),
        (_, Some(t)) if !sr => r.err(
            Code::E0150,
            t,
            msg!("octopus.sr_token_extra"),
            msg!("octopus.sr_token_extra.help"),
        ),
        (_, Some(t)) if t.value.trim().chars().any(char::is_whitespace) => r.err(
            Code::E0150,
            t,
            msg!("octopus.token_space", token = shown(&t.value)),
            msg!("octopus.token_space.help"),
        ),
        _ => {}
    }
}

/// Only known placeholders, and the number, without which Octopus opens a new request.
fn update_subject_rule(r: &mut Report, s: &S<String>) {
    let mut rest = s.value.as_str();
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(end) = after.find('}') else {
            r.err(
                Code::E0150,
                s,
                msg!("octopus.brace"),
                msg!("octopus.brace.help"),
            );
            return;
        };
        let name = &after[..end];
        if !UPDATE_PLACEHOLDERS.contains(&name) {
            let help = match did_you_mean(name, UPDATE_PLACEHOLDERS.iter().copied()) {
                Some(d) => msg!("did_you_mean", word = format!("{{{d}}}")),
                None => msg!("octopus.placeholders"),
            };
            r.err(
                Code::E0150,
                s,
                msg!(
                    "octopus.unknown_placeholder",
                    name = format!("{{{}}}", shown(name))
                ),
                help,
            );
        }
        rest = &after[end + 1..];
    }
    if !s.value.contains("{number}") {
        r.err(
            Code::E0150,
            s,
            msg!("octopus.no_number"),
            msg!("octopus.no_number.help"),
        );
    }
}
