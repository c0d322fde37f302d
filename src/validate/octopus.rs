//! The Octopus settings: addresses that parse (one, with a name, or a list), a sender that is
//! one address, a service request with its token, an update subject Octopus can recognise.

use super::{Code, Report};
use crate::diag::{did_you_mean, shown};
use crate::model::{Inventory, Octopus, RequestKind, S, UPDATE_PLACEHOLDERS, mailboxes};

pub(super) fn octopus_rules(r: &mut Report, inv: &Inventory) {
    let old = inv.document.octopus_mailbox.as_ref();
    if let Some(m) = old {
        mailbox_rule(r, m, false);
        let both = inv.octopus.as_ref().is_some_and(|o| o.mailbox.is_some());
        r.err(
            if both { Code::E0150 } else { Code::W0119 },
            m,
            if both {
                "the mailbox is given twice: `document.octopus_mailbox` and `octopus.mailbox`"
                    .into()
            } else {
                "`document.octopus_mailbox` has moved to `octopus.mailbox`".into()
            },
            "write it once, as `octopus: { mailbox: ADDRESS }`, and remove `octopus_mailbox`",
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
        Ok(list) if one && list.len() > 1 => Some("one sender, not a list".into()),
        Ok(_) => None,
    };
    if let Some(fault) = fault {
        r.err(
            Code::E0406,
            m,
            format!("`{}` is not an address: {fault}", shown(&m.value)),
            "write `name@example.ca` or `Nom <name@example.ca>` (a mailbox may list several, separated by commas)",
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
            "a service request needs `sr_token`, the token its body is enclosed in".into(),
            "ask the Octopus administrator for MailIntegration's `NewSRBodyEnclosingToken` and write it as `sr_token`",
        ),
        (_, Some(t)) if !sr => r.err(
            Code::E0150,
            t,
            "`sr_token` is only for service requests".into(),
            "write `request: service-request`, or remove `sr_token`",
        ),
        (_, Some(t)) if t.value.trim().chars().any(char::is_whitespace) => r.err(
            Code::E0150,
            t,
            format!("the token `{}` holds a space", shown(&t.value)),
            "write the token as MailIntegration has it, in one word",
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
                "a `{` without its `}` in `update_subject`".into(),
                "write placeholders as `{number}`",
            );
            return;
        };
        let name = &after[..end];
        if !UPDATE_PLACEHOLDERS.contains(&name) {
            let help = match did_you_mean(name, UPDATE_PLACEHOLDERS.iter().copied()) {
                Some(d) => format!("did you mean `{{{d}}}`?"),
                None => "the placeholders are `{kind}`, `{number}` and `{subject}`".into(),
            };
            r.err(
                Code::E0150,
                s,
                format!(
                    "unknown placeholder `{{{}}}` in `update_subject`",
                    shown(name)
                ),
                &help,
            );
        }
        rest = &after[end + 1..];
    }
    if !s.value.contains("{number}") {
        r.err(
            Code::E0150,
            s,
            "`update_subject` has no `{number}`: Octopus would open a new request instead of updating one".into(),
            "keep `{number}` where the Octopus administrator says MailIntegration looks for it",
        );
    }
}
