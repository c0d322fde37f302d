//! Each VM across the states: colour and actions per state (from the timeline), the DNS
//! names it holds, the role a box shows, and what the operations table says.

use super::Ctx;
use super::types::{
    ActionKind, ActionLegend, ActionPlan, CellPlan, Colour, ColourPlan, ColumnPlan, DnsChangePlan,
    MigrationPlan, ReplacedPlan, VmPlan,
};
use crate::diag::Diagnostic;
use crate::model::{Instance, Vm};
use crate::timeline::{EventKind, Held, Timeline, VmLine};
use serde_json::json;

/// The words that do not depend on a VM, rendered once from the labels.
pub(super) struct Vocabulary {
    pub colours: [ColourPlan; 4],
    /// Symbol and word per action family: create, deactivate, delete, dns.
    create: ActionLegend,
    deactivate: ActionLegend,
    delete: ActionLegend,
    dns: ActionLegend,
    to_create: String,
    deleted: String,
    absent: String,
    /// « ○ VM désactivée »: what a deactivated VM's later cells say first.
    off: String,
}

fn legend_entry(
    ctx: &crate::labels::Labels,
    family: &str,
) -> Result<ActionLegend, Box<Diagnostic>> {
    Ok(ActionLegend {
        symbol: ctx.plain(&format!("action.{family}.symbol"))?,
        word: ctx.plain(&format!("action.{family}.word"))?,
    })
}

impl Vocabulary {
    pub(super) fn new(labels: &crate::labels::Labels) -> Result<Vocabulary, Box<Diagnostic>> {
        let colour = |c: Colour| -> Result<ColourPlan, Box<Diagnostic>> {
            let key = c.key();
            Ok(ColourPlan {
                colour: c,
                key,
                hex: c.hex(),
                hex_on_dark: c.hex_on_dark(),
                word: labels.plain(&format!("colour.{key}.word"))?,
                symbol: labels.plain(&format!("colour.{key}.symbol"))?,
                meaning: labels.plain(&format!("colour.{key}.meaning"))?,
            })
        };
        Ok(Vocabulary {
            colours: [
                colour(Colour::Green)?,
                colour(Colour::Black)?,
                colour(Colour::Red)?,
                colour(Colour::Blue)?,
            ],
            create: legend_entry(labels, "create")?,
            deactivate: legend_entry(labels, "deactivate")?,
            delete: legend_entry(labels, "delete")?,
            dns: legend_entry(labels, "dns")?,
            to_create: labels.plain("vm.to_create")?,
            deleted: labels.plain("vm.deleted")?,
            absent: labels.plain("cell.absent")?,
            off: labels.plain("cell.off")?,
        })
    }

    pub(super) fn colour(&self, c: Colour) -> &ColourPlan {
        &self.colours[Colour::ALL.iter().position(|x| *x == c).unwrap_or(0)]
    }

    fn family(&self, kind: ActionKind) -> &ActionLegend {
        match kind {
            ActionKind::Create => &self.create,
            ActionKind::Deactivate => &self.deactivate,
            ActionKind::Delete => &self.delete,
            ActionKind::DnsIn | ActionKind::DnsOut | ActionKind::DnsRelease => &self.dns,
        }
    }
}

/// An event as the outputs show it.
fn action(ctx: &Ctx, e: &EventKind) -> Result<ActionPlan, Box<Diagnostic>> {
    let l = ctx.labels;
    let (kind, text, dns, peer, ticket) = match e {
        EventKind::Create { ticket } => (
            ActionKind::Create,
            l.text("action.create.text", &json!({ "ticket": ticket }))?,
            None,
            None,
            *ticket,
        ),
        EventKind::Deactivate => (
            ActionKind::Deactivate,
            l.plain("action.deactivate.text")?,
            None,
            None,
            None,
        ),
        EventKind::Delete => (
            ActionKind::Delete,
            l.plain("action.delete.text")?,
            None,
            None,
            None,
        ),
        EventKind::DnsIn { name, from } => (
            ActionKind::DnsIn,
            l.text("action.dns_in", &json!({ "name": name, "peer": from }))?,
            Some(name.clone()),
            Some(from.clone()),
            None,
        ),
        EventKind::DnsOut { name, to } => (
            ActionKind::DnsOut,
            l.text("action.dns_out", &json!({ "name": name, "peer": to }))?,
            Some(name.clone()),
            Some(to.clone()),
            None,
        ),
        EventKind::DnsRelease { name } => (
            ActionKind::DnsRelease,
            l.text("action.dns_release", &json!({ "name": name }))?,
            Some(name.clone()),
            None,
            None,
        ),
    };
    let family = ctx.words.family(kind);
    Ok(ActionPlan {
        kind,
        text: format!("{} {text}", family.symbol),
        symbol: family.symbol.clone(),
        word: family.word.clone(),
        dns,
        peer,
        ticket,
    })
}

fn colour_of(green: bool, actions: &[ActionPlan]) -> Colour {
    if green {
        Colour::Green
    } else if actions.iter().any(|a| a.kind == ActionKind::Create) {
        Colour::Blue
    } else if actions.is_empty() {
        Colour::Black
    } else {
        Colour::Red
    }
}

fn names(held: &[Held]) -> Vec<String> {
    held.iter().map(|h| h.name.clone()).collect()
}

/// The role a box shows: the new role once the VM is created for the migration, or at the
/// last state; the current one before.
fn role_at(vm: &Vm, line: &VmLine, si: usize, last: usize) -> String {
    let now = vm.role.as_ref().map(|r| r.value.clone());
    let after = vm.role_after.as_ref().map(|r| r.value.clone());
    let new_role = line.created.is_some() || (si == last && line.deleted.is_none());
    let (first, second) = if new_role { (after, now) } else { (now, after) };
    first.or(second).unwrap_or_default()
}

fn cell(ctx: &Ctx, vm: &Vm, line: &VmLine, si: usize) -> Result<CellPlan, Box<Diagnostic>> {
    let actions: Vec<ActionPlan> = line.events[si]
        .iter()
        .map(|e| action(ctx, &e.kind))
        .collect::<Result<_, _>>()?;
    let colour = ctx
        .words
        .colour(colour_of(line.untouched(), &actions))
        .clone();
    let present = line.exists_at(si);
    let deactivated =
        present && line.deactivated.is_some_and(|d| d < si) && line.deleted.is_none_or(|d| si < d);
    let summary = if !present {
        ctx.words.absent.clone()
    } else if actions.is_empty() {
        ctx.labels.text(
            "cell.quiet",
            &json!({ "symbol": colour.symbol, "word": colour.word }),
        )?
    } else {
        let texts: Vec<&str> = actions.iter().map(|a| a.text.as_str()).collect();
        ctx.labels.text(
            "cell.busy",
            &json!({ "actions": texts, "word": colour.word }),
        )?
    };
    let summary = if deactivated {
        ctx.labels.text(
            "cell.with_off",
            &json!({ "off": ctx.words.off, "summary": summary }),
        )?
    } else {
        summary
    };
    Ok(CellPlan {
        state_id: ctx.states[si].id.clone(),
        present,
        colour,
        dns: names(&line.dns_after[si]),
        dns_before: names(&line.dns_before[si]),
        ip: vm.ip.as_ref().map(|i| i.value.clone()),
        role: role_at(vm, line, si, ctx.states.len().saturating_sub(1)),
        deactivated,
        actions,
        summary,
    })
}

/// The first state after a creation at `created` where the VM must be there: where it acts
/// (a DNS name taken or given up, a deactivation…), or jour M when it receives data.
fn needed_at(ctx: &Ctx, line: &VmLine, created: usize, receives: bool) -> Option<usize> {
    let acts = (created + 1..line.events.len()).find(|&s| !line.events[s].is_empty());
    let data = (receives && ctx.migration_state > created).then_some(ctx.migration_state);
    [acts, data].into_iter().flatten().min()
}

/// The first state after a creation at `created` where the VM's names differ from those it
/// is created with, and those names.
fn dns_change(line: &VmLine, created: usize) -> Option<(usize, Vec<String>)> {
    let first = names(&line.dns_before[created]);
    (created + 1..line.dns_after.len())
        .map(|s| (s, names(&line.dns_after[s])))
        .find(|(_, n)| *n != first)
}

/// Whether machine `m` receives the instance's data on jour M: a receiving VM, or the
/// database's new server.
fn receives(migration: Option<&MigrationPlan>, m: &str) -> bool {
    migration.is_some_and(|mp| {
        mp.targets.iter().any(|t| t == m)
            || mp.database.as_ref().and_then(|d| d.to.as_deref()) == Some(m)
    })
}

impl VmPlan {
    /// It is present at state `si` and still running once that state's work is done:
    /// neither deleted nor switched off by then.
    pub fn runs_after(&self, si: usize) -> bool {
        let ended = |at: Option<usize>| at.is_some_and(|a| a <= si);
        self.cells.get(si).is_some_and(|c| c.present)
            && !ended(self.deleted_at)
            && !ended(self.deactivated_at)
    }
}

/// Every VM of `inst`, in inventory order, with `migration` (what receives the data) and
/// the instance's `columns` (the dates a request gives).
pub(super) fn vms(
    ctx: &Ctx,
    inst: &Instance,
    t: &Timeline,
    migration: Option<&MigrationPlan>,
    columns: &[ColumnPlan],
) -> Result<Vec<VmPlan>, Box<Diagnostic>> {
    inst.vms
        .iter()
        .zip(&t.vms)
        .enumerate()
        .map(|(vi, (vm, line))| {
            let cells = (0..ctx.states.len())
                .map(|si| cell(ctx, vm, line, si))
                .collect::<Result<Vec<_>, _>>()?;
            let replaces = t
                .moves
                .iter()
                .filter(|m| m.to == vi)
                .map(|m| ReplacedPlan {
                    name: m.name.clone(),
                    machine: inst.vms[m.from].machine.value.clone(),
                    ip: inst.vms[m.from].ip.as_ref().map(|i| i.value.clone()),
                    when: ctx.states[m.state].when.clone(),
                })
                .collect();
            let ticket = line.events.iter().flatten().find_map(|e| match e.kind {
                EventKind::Create { ticket } => ticket,
                _ => None,
            });
            let machine = vm.machine.value.as_str();
            let needed_by = line
                .created
                .and_then(|c| needed_at(ctx, line, c, receives(migration, machine)))
                .and_then(|s| columns.get(s).cloned());
            let dns_change =
                line.created
                    .and_then(|c| dns_change(line, c))
                    .and_then(|(s, names)| {
                        Some(DnsChangePlan {
                            column: columns.get(s)?.clone(),
                            names,
                        })
                    });
            Ok(VmPlan {
                machine: vm.machine.value.clone(),
                ip: vm.ip.as_ref().map(|i| i.value.clone()),
                dns_now: vm.dns.iter().map(|d| d.value.clone()).collect(),
                role_now: match line.created {
                    Some(_) => ctx.words.to_create.clone(),
                    None => vm
                        .role
                        .as_ref()
                        .map(|r| r.value.clone())
                        .unwrap_or_default(),
                },
                role_after: match line.deleted {
                    Some(_) => ctx.words.deleted.clone(),
                    None => vm
                        .role_after
                        .as_ref()
                        .map(|r| r.value.clone())
                        .unwrap_or_default(),
                },
                to_create: line.created.is_some(),
                created_at: line.created,
                deleted_at: line.deleted,
                deactivated_at: line.deactivated,
                is_target: migration.is_some_and(|m| m.targets.iter().any(|t| t == machine)),
                software: vm.software.iter().map(super::upgrade::software).collect(),
                needed_by,
                dns_change,
                replaces,
                ticket,
                green: line.untouched(),
                cells,
            })
        })
        .collect()
}

/// The action kinds shown in an instance's annexe, in execution order (creation, DNS,
/// deactivation, deletion).
pub(super) fn action_legend(vms: &[VmPlan]) -> Vec<ActionLegend> {
    let mut actions: Vec<&ActionPlan> = vms
        .iter()
        .flat_map(|v| &v.cells)
        .flat_map(|c| &c.actions)
        .collect();
    actions.sort_by_key(|a| a.kind);
    let mut out: Vec<ActionLegend> = Vec::new();
    for a in actions {
        if !out.iter().any(|l| l.symbol == a.symbol && l.word == a.word) {
            out.push(ActionLegend {
                symbol: a.symbol.clone(),
                word: a.word.clone(),
            });
        }
    }
    out
}
