//! The tickets against the plan, read through their manifest (`tickets/index.json`): each
//! ticket lists only VMs of its own instance, its file exists, its text names each of its
//! VMs and its Octopus number as whole words, and an intervention's text says every step of
//! its runbook and its rollback. The calendar files hold every dated intervention.

use super::markdown::has_token;
use crate::diag::{Code, Diagnostic, Pos, shown};
use crate::files::Outputs;
use crate::plan::Plan;
use serde::Deserialize;

/// One ticket of `tickets/index.json`, as the checks read it.
#[derive(Deserialize)]
pub(super) struct Entry {
    pub instance: String,
    pub number: Option<u32>,
    pub kind: String,
    pub state: String,
    pub vms: Vec<String>,
    pub subject: String,
    pub attachments: Vec<String>,
    pub txt: String,
    pub eml: String,
}

/// The ticket manifest, when it is there and readable.
pub(super) fn entries(outputs: &Outputs) -> Option<Vec<Entry>> {
    outputs
        .get("tickets/index.json")
        .and_then(|b| serde_json::from_slice(b).ok())
}

/// An intervention's request says every step of its runbook and of its rollback, word for
/// word, and the rollback's note.
fn runbook(plan: &Plan, t: &Entry, text: &str, file: &str, diags: &mut Vec<Diagnostic>) {
    let Some(iv) = plan
        .instances
        .iter()
        .find(|i| i.id == t.instance)
        .and_then(|i| i.interventions.iter().find(|iv| iv.state_id == t.state))
    else {
        return;
    };
    let steps = iv
        .steps
        .iter()
        .map(|s| (crate::msg!("tickets.step"), &s.text));
    let back = (iv.rollback.steps.iter()).map(|s| (crate::msg!("tickets.rollback_step"), &s.text));
    let note = std::iter::once((crate::msg!("tickets.rollback_note"), &iv.rollback.note));
    for (what, words) in steps.chain(back).chain(note) {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        if !flat(text)
            .to_lowercase()
            .contains(&flat(words).to_lowercase())
        {
            diags.push(
                Diagnostic::error(
                    Code::E0534,
                    file,
                    Pos::default(),
                    crate::msg!("tickets.runbook", what = what, words = shown(words)),
                )
                .with_help(crate::msg!("tickets.runbook.help")),
            );
        }
    }
}

/// `calendar.ics` has one event per dated intervention, each with its UID and start.
pub(super) fn calendar(
    plan: &Plan,
    outputs: &Outputs,
    out_label: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let file = format!("{out_label}/calendar.ics");
    let text = outputs
        .get("calendar.ics")
        .map(|b| String::from_utf8_lossy(b).replace("\r\n ", ""));
    for inst in &plan.instances {
        for iv in &inst.interventions {
            let dated = inst
                .columns
                .iter()
                .any(|c| c.state_id == iv.state_id && c.iso.is_some());
            let uid = format!("UID:{}-{}@", inst.id, iv.state_id);
            if dated && !text.as_ref().is_some_and(|t| t.contains(&uid)) {
                diags.push(Diagnostic::error(
                    Code::E0536,
                    &file,
                    Pos::default(),
                    crate::msg!(
                        "tickets.calendar",
                        instance = shown(&inst.name),
                        when = shown(&iv.when)
                    ),
                ));
            }
        }
    }
}

pub(super) fn check(plan: &Plan, outputs: &Outputs, out_label: &str, diags: &mut Vec<Diagnostic>) {
    let index_file = format!("{out_label}/tickets/index.json");
    let Some(entries) = entries(outputs) else {
        diags.push(Diagnostic::error(
            Code::E0530,
            &index_file,
            Pos::default(),
            crate::msg!("tickets.manifest"),
        ));
        return;
    };
    for t in entries {
        let file = format!("{out_label}/{}", t.txt);
        let Some(text) = outputs.get(&t.txt).map(|b| String::from_utf8_lossy(b)) else {
            diags.push(Diagnostic::error(
                Code::E0531,
                &index_file,
                Pos::default(),
                crate::msg!("tickets.file_missing", file = shown(&t.txt)),
            ));
            continue;
        };
        let own = plan.instances.iter().find(|i| i.id == t.instance);
        for vm in &t.vms {
            if let Some(other) = plan
                .instances
                .iter()
                .find(|i| i.id != t.instance && i.vms.iter().any(|v| v.machine == *vm))
            {
                diags.push(
                    Diagnostic::error(
                        Code::E0532,
                        &file,
                        Pos::default(),
                        crate::msg!(
                            "tickets.foreign",
                            instance = shown(&t.instance),
                            machine = shown(vm),
                            other = shown(&other.name)
                        ),
                    )
                    .with_help(crate::msg!("tickets.foreign.help")),
                );
            }
            if own.is_some() && !has_token(&text, vm) {
                diags.push(Diagnostic::error(
                    Code::E0533,
                    &file,
                    Pos::default(),
                    crate::msg!("tickets.no_machine", machine = shown(vm)),
                ));
            }
        }
        if t.kind == "intervention" {
            runbook(plan, &t, &text, &file, diags);
        }
        if let Some(n) = t.number
            && !has_token(&text, &n.to_string())
        {
            diags.push(Diagnostic::error(
                Code::E0533,
                &file,
                Pos::default(),
                crate::msg!("tickets.no_number", n = n),
            ));
        }
    }
}
