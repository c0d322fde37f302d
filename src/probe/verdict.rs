//! What each answer means against the plan: as planned, differs (expected vs found), or
//! could not tell — each worded as one line, and for a VM whose IP the inventory does not
//! know yet, the line to add to it.

use super::dns::Answer;
use super::expect::{Expect, Kind, Why};
use crate::diag::Text;
use crate::model::Inventory;
use crate::msg;

/// How a name compares with the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The name gives what the plan says.
    AsPlanned,
    /// The name gives something else.
    Differs,
    /// Nothing could be told: no answer, or nothing in the inventory to compare with.
    Unknown,
}

/// One name's finding.
pub struct Line {
    /// The DNS name.
    pub name: String,
    /// What the plan expects of it (`held`, `released`, `deleted`).
    pub check: &'static str,
    /// The VM the expectation is about.
    pub vm: String,
    /// How it compares.
    pub verdict: Verdict,
    /// The address expected (held), or the one it must no longer give (released, deleted);
    /// `None` when the inventory does not know it.
    pub expected: Option<String>,
    /// What the name server said: the addresses, `NXDOMAIN`, or why nothing came.
    pub found: String,
    /// The line, worded.
    pub text: Text,
}

/// The finding for `e`, given the server's `answer`; `place(vm)` says where the VM is
/// written in the inventory (for the line to add).
pub(super) fn judge(e: &Expect, answer: &Answer, place: &dyn Fn(&str) -> Option<String>) -> Line {
    let found = found(answer);
    let (check, vm, expected) = match &e.kind {
        Kind::Held { vm, ip } => ("held", vm, ip),
        Kind::Gone {
            vm,
            ip,
            why: Why::Released,
        } => ("released", vm, ip),
        Kind::Gone {
            vm,
            ip,
            why: Why::Deleted,
        } => ("deleted", vm, ip),
    };
    let (verdict, text) = match &e.kind {
        Kind::Held { vm, ip } => held(&e.name, vm, ip.as_deref(), answer, place),
        Kind::Gone { vm, ip, why } => gone(&e.name, vm, ip.as_deref(), *why, answer),
    };
    Line {
        name: e.name.clone(),
        check,
        vm: vm.clone(),
        verdict,
        expected: expected.clone(),
        found,
        text,
    }
}

/// What the server said, as the lines show it, worded.
fn found_text(answer: &Answer) -> Text {
    match answer {
        Answer::Addresses(a) if a.is_empty() => msg!("probe.found.none"),
        Answer::NoSuchName => msg!("probe.found.nxdomain"),
        _ => msg!("probe.found", found = found(answer)),
    }
}

/// What the server said, as the JSON record gives it: the addresses, `NXDOMAIN`, `none`,
/// or why nothing came.
fn found(answer: &Answer) -> String {
    match answer {
        Answer::Addresses(a) if a.is_empty() => "none".into(),
        Answer::Addresses(a) => a
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Answer::NoSuchName => "NXDOMAIN".into(),
        Answer::Unknown(why) => why.clone(),
    }
}

/// A name the plan says `vm` holds.
fn held(
    name: &str,
    vm: &str,
    ip: Option<&str>,
    answer: &Answer,
    place: &dyn Fn(&str) -> Option<String>,
) -> (Verdict, Text) {
    let shown = found_text(answer);
    match (answer, ip) {
        (Answer::Unknown(why), _) => (
            Verdict::Unknown,
            msg!("probe.no_answer", name = name, reason = why.as_str()),
        ),
        (Answer::Addresses(a), Some(ip)) if a.len() == 1 && a[0].to_string() == ip => (
            Verdict::AsPlanned,
            msg!("probe.held.ok", name = name, vm = vm, ip = ip),
        ),
        (Answer::Addresses(a), None) if !a.is_empty() => {
            let first = a[0].to_string();
            let at = place(vm).unwrap_or_default();
            (
                Verdict::Unknown,
                msg!(
                    "probe.held.unknown_ip",
                    name = name,
                    vm = vm,
                    found = shown,
                    line = format!("ip: {first}"),
                    at = at
                ),
            )
        }
        (_, Some(ip)) => (
            Verdict::Differs,
            msg!(
                "probe.held.differs",
                name = name,
                vm = vm,
                expected = ip,
                found = shown
            ),
        ),
        (_, None) => (
            Verdict::Differs,
            msg!("probe.held.missing", name = name, vm = vm, found = shown),
        ),
    }
}

/// A name `vm` gave up, which must no longer give its `ip`.
fn gone(name: &str, vm: &str, ip: Option<&str>, why: Why, answer: &Answer) -> (Verdict, Text) {
    let key = match why {
        Why::Released => "released",
        Why::Deleted => "deleted",
    };
    let shown = found_text(answer);
    let Some(ip) = ip else {
        return (
            Verdict::Unknown,
            msg!("probe.gone.no_ip", name = name, vm = vm),
        );
    };
    match answer {
        Answer::Unknown(why) => (
            Verdict::Unknown,
            msg!("probe.no_answer", name = name, reason = why.as_str()),
        ),
        Answer::Addresses(a) if a.iter().any(|x| x.to_string() == ip) => (
            Verdict::Differs,
            match key {
                "released" => msg!("probe.released.differs", name = name, vm = vm, ip = ip),
                _ => msg!("probe.deleted.differs", name = name, vm = vm, ip = ip),
            },
        ),
        _ => (
            Verdict::AsPlanned,
            match key {
                "released" => msg!("probe.released.ok", name = name, vm = vm, found = shown),
                _ => msg!("probe.deleted.ok", name = name, vm = vm, found = shown),
            },
        ),
    }
}

/// `FILE:LINE` of the VM `vm`'s `machine:` key in `inventory` (read from `source`).
pub(super) fn place_of(inventory: &Inventory, source: &str, vm: &str) -> Option<String> {
    let found = (inventory.instances.iter())
        .flat_map(|i| &i.vms)
        .find(|v| v.machine.value == vm)?;
    let pos = crate::diag::Pos::from(&found.machine);
    Some(format!("{source}:{}", pos.line))
}
