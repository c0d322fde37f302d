//! The *validate* stage: every rule the inventory must follow, each with its own code. All
//! faults are collected in one run, each pointing at the value it is about.
//!
//! Rules by family: `texts.rs` (empty, control characters, lengths, counts), `names.rs`
//! (machine, DNS and ids, addresses, URLs, references), `states.rs` (states and dates),
//! `actions.rs` (the timeline of each instance: actions, DNS holdings, roles, migration
//! tickets), `migration.rs` (what each migration moves, from where to where, and the words
//! that name it), `clashes.rs` (IPs and DNS names held twice anywhere at a state).

mod actions;
mod checked;
mod clashes;
mod migration;
mod names;
mod octopus;
mod placeholders;
mod states;
mod texts;
mod unicode;
mod windows;

pub use checked::{Checked, InstanceFacts, Times};
pub use names::{is_fqdn, is_hostname_label, is_slug};
pub use placeholders::{EXAMPLE_MARK, PLACEHOLDER, example_marks, is_placeholder};
pub use texts::limits;

use crate::diag::{Code, Diagnostic, Pos, Text, did_you_mean};
use crate::labels::Labels;
use crate::model::{Inventory, S};
use crate::msg;
use crate::timeline::{self, Timeline};
use std::collections::BTreeSet;

/// How strict: `build` warns about a creation without ticket, `check` refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// For `build`: a creation without a ticket number is a warning (W0117).
    Build,
    /// For `check`: it is an error (E0117), or a warning (W0118) once `send` has sent it.
    Check,
}

/// The diagnostics being collected, for one file.
pub(crate) struct Report<'a> {
    file: &'a str,
    out: Vec<Diagnostic>,
    /// The requests `bascule send` has sent (their keys, from the journal): a creation sent
    /// whose number has not come back yet is a warning for `check`, not an error.
    sent: &'a BTreeSet<String>,
}

impl Report<'_> {
    fn at(&mut self, code: Code, pos: Pos, msg: Text, help: impl Into<Option<Text>>) {
        let d = if code.as_str().starts_with('W') {
            Diagnostic::warning(code, self.file, pos, msg)
        } else {
            Diagnostic::error(code, self.file, pos, msg)
        };
        self.out.push(match help.into() {
            Some(h) => d.with_help(h),
            None => d,
        });
    }

    fn err<T>(&mut self, code: Code, at: &S<T>, msg: Text, help: impl Into<Option<Text>>) {
        self.at(code, Pos::from(at), msg, help);
    }

    /// `help`, or « did you mean » when one of `candidates` is close to `word`.
    fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>, help: Text) -> Text {
        match did_you_mean(word, candidates) {
            Some(s) => crate::msg!("did_you_mean", word = s),
            None => help,
        }
    }
}

/// What validation says of an inventory: every diagnostic, sorted by position, and, when
/// none is an error, the inventory with its typed facts, for the plan.
#[derive(Debug)]
pub struct Validation<'a> {
    /// Every error and warning, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The inventory with its typed facts; `None` exactly when a diagnostic is an error.
    pub checked: Option<Checked<'a>>,
}

impl<'a> Validation<'a> {
    /// The checked inventory, or the first error (for callers that stop at one).
    pub fn accepted(self) -> Result<Checked<'a>, Box<Diagnostic>> {
        match (
            self.checked,
            self.diagnostics.into_iter().find(Diagnostic::is_error),
        ) {
            (Some(c), None) => Ok(c),
            (_, Some(e)) => Err(Box::new(e)),
            // Not made: `validate_sent` then adds the error saying why.
            (None, None) => Err(Box::new(unchecked())),
        }
    }
}

/// Checks the inventory.
pub fn validate<'a>(file: &str, inv: &'a Inventory, mode: Mode, labels: &Labels) -> Validation<'a> {
    validate_sent(file, inv, mode, labels, &BTreeSet::new())
}

/// [`validate`], knowing which requests the journal says were sent (`sent`: their keys).
pub fn validate_sent<'a>(
    file: &str,
    inv: &'a Inventory,
    mode: Mode,
    labels: &Labels,
    sent: &BTreeSet<String>,
) -> Validation<'a> {
    let mut r = Report {
        file,
        out: Vec::new(),
        sent,
    };
    let too_many = texts::count_rules(&mut r, inv);
    texts::text_rules(&mut r, inv);
    unicode::unicode_rules(&mut r, inv);
    if too_many {
        // Past the limits, the rules below could take long: the counts are the fault.
        return Validation {
            diagnostics: finish(r),
            checked: None,
        };
    }
    let mut dates = states::state_rules(&mut r, inv, labels);
    dates.jour_m = (inv.instances.iter())
        .map(|inst| states::jour_m_rules(&mut r, inv, inst, &dates))
        .collect();
    states::order_rules(&mut r, inv, &dates);
    names::name_rules(&mut r, inv);
    octopus::octopus_rules(&mut r, inv);
    let timelines: Vec<Timeline> = inv
        .instances
        .iter()
        .map(|i| timeline::replay(&inv.states, i))
        .collect();
    for (inst, t) in inv.instances.iter().zip(&timelines) {
        actions::instance_rules(&mut r, inv, inst, t);
        migration::instance_rules(&mut r, inv, inst, t);
    }
    migration::document_rules(&mut r, inv);
    migration::section_rules(&mut r, inv);
    actions::ticket_rules(&mut r, inv, &timelines, mode);
    clashes::ip_rules(&mut r, inv, &timelines);
    clashes::dns_rules(&mut r, inv, &timelines);
    let times = windows::window_rules(&mut r, inv, &timelines, &dates);
    placeholders::placeholder_rules(&mut r, inv);
    let mut diagnostics = finish(r);
    let checked = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        Checked::new(inv, &dates, times, timelines)
    };
    // No `Checked` without an error to say why, so that no caller stops in silence.
    if checked.is_none() && !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.push(unchecked());
    }
    Validation {
        diagnostics,
        checked,
    }
}

/// What is said when rules let pass an inventory whose facts cannot be typed: a bug of
/// bascule, never the writer's.
fn unchecked() -> Diagnostic {
    Diagnostic::error(Code::E0110, "", Pos::new(1, 1), msg!("validate.unchecked"))
}

fn finish(r: Report) -> Vec<Diagnostic> {
    let mut out = r.out;
    crate::diag::sort(&mut out);
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
