//! What the timeline of each instance says is impossible (unknown states, actions outside a
//! VM's life, DNS names moved from a VM that does not hold them), the roles a VM must have,
//! and the Octopus numbers. What the migration moves is `migration.rs`'s.

use super::Report;
use crate::diag::{Code, Pos, shown};
use crate::model::{Action, Instance, Inventory};
use crate::timeline::{self, Conflict, Timeline};
use std::collections::BTreeMap;

pub(super) fn instance_rules(r: &mut Report, inv: &Inventory, inst: &Instance, t: &Timeline) {
    for c in &t.conflicts {
        conflict(r, inv, inst, c);
    }
    dns_action_rules(r, inv, inst);
    role_rules(r, inv, inst, t);
}

fn conflict(r: &mut Report, inv: &Inventory, inst: &Instance, c: &Conflict) {
    let vm = |i: usize| shown(&inst.vms[i].machine.value);
    let state = |s: usize| shown(&inv.states[s].id.value);
    let (code, at, msg, help) = match c {
        Conflict::UnknownState { at, name } => return unknown_state(r, inv, *at, name),
        Conflict::UnknownPeer { at, name, .. } => return unknown_peer(r, inst, *at, name),
        Conflict::CreatedTwice { vm: v, at } => (
            Code::E0125,
            at,
            format!("`{}` is created twice", vm(*v)),
            "keep one `create`",
        ),
        Conflict::DeletedTwice { vm: v, at } => (
            Code::E0125,
            at,
            format!("`{}` is deleted twice", vm(*v)),
            "keep one `delete`",
        ),
        Conflict::AfterDeletion { vm: v, at } => (
            Code::E0114,
            at,
            format!("`{}` is acted on after its deletion", vm(*v)),
            "remove the action or move the deletion later",
        ),
        Conflict::BeforeCreation { vm: v, at } => (
            Code::E0115,
            at,
            format!("`{}` is acted on before its creation", vm(*v)),
            "a created VM does not exist before its creation",
        ),
        Conflict::MoveFromItself { vm: v, at } => (
            Code::E0107,
            at,
            format!("`{}` cannot take a DNS name from itself", vm(*v)),
            "name the VM that holds it now in `from`",
        ),
        Conflict::NotHeld { at, .. } => (
            Code::E0107,
            at,
            not_held(inv, inst, c),
            "a name moves from the VM that holds it in that state",
        ),
        Conflict::ReleaseNotHeld {
            vm: v,
            at,
            name,
            state: s,
        } => (
            Code::E0107,
            at,
            format!(
                "`{}` does not hold `{}` at state `{}`",
                vm(*v),
                shown(name),
                state(*s)
            ),
            "release only a name the VM holds",
        ),
    };
    r.at(code, *at, msg, help);
}

fn not_held(inv: &Inventory, inst: &Instance, c: &Conflict) -> String {
    let Conflict::NotHeld {
        name,
        from,
        holder,
        state,
        ..
    } = c
    else {
        return String::new();
    };
    match holder {
        Some(h) => format!(
            "`{}` is held by `{}`, not `{}`",
            shown(name),
            shown(&inst.vms[*h].machine.value),
            shown(from)
        ),
        None => format!(
            "no VM holds `{}` at state `{}`, so it cannot move from `{}`",
            shown(name),
            shown(&inv.states[*state].id.value),
            shown(from)
        ),
    }
}

fn unknown_state(r: &mut Report, inv: &Inventory, at: Pos, name: &str) {
    let ids: Vec<&str> = inv.states.iter().map(|s| s.id.value.as_str()).collect();
    let help = Report::suggest(
        name,
        ids.iter().copied(),
        format!("states: {}", ids.join(", ")),
    );
    r.at(
        Code::E0113,
        at,
        format!("unknown state `{}`", shown(name)),
        &help,
    );
}

fn unknown_peer(r: &mut Report, inst: &Instance, at: Pos, name: &str) {
    let machines: Vec<&str> = inst.vms.iter().map(|v| v.machine.value.as_str()).collect();
    let inst_name = shown(&inst.name.value);
    let help = Report::suggest(
        name,
        machines.iter().copied(),
        format!("machines of {inst_name}: {}", machines.join(", ")),
    );
    let msg = format!(
        "dns-move `from` `{}` is not a machine of {inst_name}",
        shown(name)
    );
    r.at(Code::E0119, at, msg, &help);
}

/// The DNS names that actions give: valid names, in the zones.
fn dns_action_rules(r: &mut Report, inv: &Inventory, inst: &Instance) {
    for a in inst
        .vms
        .iter()
        .flat_map(|v| &v.actions)
        .flat_map(|sa| &sa.actions)
    {
        let name = match &a.value {
            Action::DnsMove(m) => &m.name,
            Action::DnsRelease(n) => n,
            _ => continue,
        };
        let at = crate::model::S {
            value: name.clone(),
            referenced: a.referenced,
            defined: a.defined,
        };
        super::names::dns_rule(r, inv, &at);
    }
}

/// A VM to create has no current role; any other has one. A deleted VM has no role after;
/// one with actions at an unknown state (already E0113) may be deleted there: not asked twice.
fn role_rules(r: &mut Report, inv: &Inventory, inst: &Instance, t: &Timeline) {
    for (vm, line) in inst.vms.iter().zip(&t.vms) {
        let name = shown(&vm.machine.value);
        if line.created.is_none() && vm.role.is_none() {
            r.err(
                Code::E0124,
                &vm.machine,
                format!("`{name}` has no `role`"),
                "add its current `role` (only a VM to create has none)",
            );
        }
        match (line.deleted.is_some(), &vm.role_after) {
            (true, Some(role)) => r.err(
                Code::E0116,
                role,
                format!("`{name}` is deleted, so it has no role after the migration"),
                "remove `role_after`",
            ),
            (false, None) if !acts_at_unknown_state(inv, vm) => r.err(
                Code::E0116,
                &vm.machine,
                format!("`{name}` stays but has no `role_after`"),
                "add `role_after`, or a `delete` action",
            ),
            _ => {}
        }
    }
}

fn acts_at_unknown_state(inv: &Inventory, vm: &crate::model::Vm) -> bool {
    vm.actions
        .iter()
        .any(|sa| !inv.states.iter().any(|s| s.id.value == sa.state.value))
}

/// Creations without numbers, numbers used twice, intervention numbers for states without
/// an intervention.
pub(super) fn ticket_rules(
    r: &mut Report,
    inv: &Inventory,
    timelines: &[Timeline],
    mode: super::Mode,
) {
    let mut seen: BTreeMap<u32, Pos> = BTreeMap::new();
    let mut twice = |r: &mut Report, n: u32, at: Pos| {
        if let Some(prev) = seen.insert(n, at) {
            r.at(
                Code::E0118,
                at,
                format!(
                    "Octopus ticket {n} is also the request of line {}",
                    prev.line
                ),
                "each request has its own ticket number",
            );
        }
    };
    let jour_m = inv
        .states
        .iter()
        .position(|s| s.kind.value == crate::model::StateKind::Migration)
        .unwrap_or(0);
    for (inst, t) in inv.instances.iter().zip(timelines) {
        for vm in &inst.vms {
            for a in vm.actions.iter().flat_map(|sa| &sa.actions) {
                let Action::Create(c) = &a.value else {
                    continue;
                };
                match c.ticket {
                    Some(n) => twice(r, n, Pos::from(a)),
                    None => {
                        creation_without_ticket(r, a, (&inst.id.value, &vm.machine.value), mode)
                    }
                }
            }
        }
        let mut states_seen = BTreeMap::new();
        for iv in &inst.interventions {
            if let Some(t) = &iv.ticket {
                twice(r, t.value, Pos::from(t));
            }
            let si = inv.states.iter().position(|s| s.id.value == iv.state.value);
            let fault = match si {
                None => Some("names no state of the inventory"),
                Some(_) if states_seen.insert(iv.state.value.as_str(), ()).is_some() => {
                    Some("is given twice")
                }
                Some(si) if !timeline::has_work(inst, t, si, jour_m) => {
                    Some("has no intervention for this instance")
                }
                Some(_) => None,
            };
            if let Some(why) = fault {
                r.err(
                    Code::E0131,
                    &iv.state,
                    format!("intervention state `{}` {why}", shown(&iv.state.value)),
                    "give a number only to a state where the instance has work (see its tickets)",
                );
            }
        }
    }
}

fn creation_without_ticket(
    r: &mut Report,
    a: &crate::model::S<Action>,
    (instance, machine): (&str, &str),
    mode: super::Mode,
) {
    let help = "write `create: { ticket: NUMBER }` once the request is filed";
    let sent = r
        .sent
        .contains(&crate::model::creation_key(instance, machine));
    let machine = shown(machine);
    match mode {
        super::Mode::Check if sent => r.err(
            Code::W0118,
            a,
            format!(
                "the creation of `{machine}` was sent to Octopus (see the journal), its number is pending"
            ),
            "write `create: { ticket: NUMBER }` when Octopus gives it",
        ),
        super::Mode::Check => r.err(
            Code::E0117,
            a,
            format!("the creation of `{machine}` has no Octopus ticket number"),
            help,
        ),
        super::Mode::Build => r.err(
            Code::W0117,
            a,
            format!("the creation of `{machine}` has no Octopus ticket number yet"),
            help,
        ),
    }
}
