//! What the timeline of each instance says is impossible (unknown states, actions outside a
//! VM's life, DNS names moved from a VM that does not hold them), the roles a VM must have,
//! and the Octopus numbers. What the migration moves is `migration.rs`'s.

use super::Report;
use crate::diag::{Code, Pos, Text, shown};
use crate::model::{Action, Instance, Inventory};
use crate::msg;
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
            msg!("actions.created_twice", vm = vm(*v)),
            msg!("actions.created_twice.help"),
        ),
        Conflict::DeletedTwice { vm: v, at } => (
            Code::E0125,
            at,
            msg!("actions.deleted_twice", vm = vm(*v)),
            msg!("actions.deleted_twice.help"),
        ),
        Conflict::AfterDeletion { vm: v, at } => (
            Code::E0114,
            at,
            msg!("actions.after_deletion", vm = vm(*v)),
            msg!("actions.after_deletion.help"),
        ),
        Conflict::BeforeCreation { vm: v, at } => (
            Code::E0115,
            at,
            msg!("actions.before_creation", vm = vm(*v)),
            msg!("actions.before_creation.help"),
        ),
        Conflict::MoveFromItself { vm: v, at } => (
            Code::E0107,
            at,
            msg!("actions.from_itself", vm = vm(*v)),
            msg!("actions.from_itself.help"),
        ),
        Conflict::NotHeld {
            at,
            name,
            from,
            holder,
            state: s,
            ..
        } => (
            Code::E0107,
            at,
            not_held(name, from, holder.map(vm), || state(*s)),
            msg!("actions.not_held.help"),
        ),
        Conflict::ReleaseNotHeld {
            vm: v,
            at,
            name,
            state: s,
        } => (
            Code::E0107,
            at,
            msg!(
                "actions.release_not_held",
                vm = vm(*v),
                name = shown(name),
                state = state(*s)
            ),
            msg!("actions.release_not_held.help"),
        ),
    };
    r.at(code, *at, msg, help);
}

/// A name moved from `from`, which does not hold it: `holder` does, or no VM does at the
/// state `state` names.
fn not_held(name: &str, from: &str, holder: Option<String>, state: impl Fn() -> String) -> Text {
    match holder {
        Some(holder) => msg!(
            "actions.held_by_other",
            name = shown(name),
            holder = holder,
            from = shown(from)
        ),
        None => msg!(
            "actions.held_by_none",
            name = shown(name),
            state = state(),
            from = shown(from)
        ),
    }
}

fn unknown_state(r: &mut Report, inv: &Inventory, at: Pos, name: &str) {
    let ids: Vec<&str> = inv.states.iter().map(|s| s.id.value.as_str()).collect();
    let help = Report::suggest(
        name,
        ids.iter().copied(),
        msg!("actions.unknown_state.help", states = ids.join(", ")),
    );
    r.at(
        Code::E0113,
        at,
        msg!("actions.unknown_state", name = shown(name)),
        help,
    );
}

fn unknown_peer(r: &mut Report, inst: &Instance, at: Pos, name: &str) {
    let machines: Vec<&str> = inst.vms.iter().map(|v| v.machine.value.as_str()).collect();
    let inst_name = shown(&inst.name.value);
    let help = Report::suggest(
        name,
        machines.iter().copied(),
        msg!(
            "names.unknown_machine.help",
            instance = inst_name.clone(),
            machines = machines.join(", ")
        ),
    );
    let text = msg!(
        "actions.unknown_peer",
        name = shown(name),
        instance = inst_name
    );
    r.at(Code::E0119, at, text, help);
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
                msg!("actions.no_role", name = &name),
                msg!("actions.no_role.help"),
            );
        }
        match (line.deleted.is_some(), &vm.role_after) {
            (true, Some(role)) => r.err(
                Code::E0116,
                role,
                msg!("actions.role_after_deleted", name = &name),
                msg!("actions.role_after_deleted.help"),
            ),
            (false, None) if !acts_at_unknown_state(inv, vm) => r.err(
                Code::E0116,
                &vm.machine,
                msg!("actions.no_role_after", name = &name),
                msg!("actions.no_role_after.help"),
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
                msg!("actions.ticket_twice", n = n, line = prev.line),
                msg!("actions.ticket_twice.help"),
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
                None => Some(msg!("actions.intervention.no_state")),
                Some(_) if states_seen.insert(iv.state.value.as_str(), ()).is_some() => {
                    Some(msg!("actions.intervention.twice"))
                }
                Some(si) if !timeline::has_work(inst, t, si, jour_m) => {
                    Some(msg!("actions.intervention.no_work"))
                }
                Some(_) => None,
            };
            if let Some(why) = fault {
                r.err(
                    Code::E0131,
                    &iv.state,
                    msg!(
                        "actions.intervention",
                        state = shown(&iv.state.value),
                        why = why
                    ),
                    msg!("actions.intervention.help"),
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
    let help = msg!("actions.no_ticket.help");
    let sent = r
        .sent
        .contains(&crate::model::creation_key(instance, machine));
    let machine = shown(machine);
    match mode {
        super::Mode::Check if sent => r.err(
            Code::W0118,
            a,
            msg!("actions.ticket_pending", machine = machine),
            msg!("actions.ticket_pending.help"),
        ),
        super::Mode::Check => r.err(
            Code::E0117,
            a,
            msg!("actions.no_ticket", machine = machine),
            help,
        ),
        super::Mode::Build => r.err(
            Code::W0117,
            a,
            msg!("actions.no_ticket_yet", machine = machine),
            help,
        ),
    }
}
