//! The *plan* stage: every fact the outputs show, derived once from a validated inventory
//! and resolved to its words (from the labels file).
//!
//! Renderers (document, annexes, tickets, site) only read a [`Plan`]: a colour, a count, a
//! DNS move or a step of a ticket is computed here and nowhere else, so the outputs cannot
//! disagree. Where to look: `states.rs` (labels, headings, dates), `vms.rs` (colours,
//! actions, DNS names and roles per state), `work.rs` (intervention steps, hosted sites),
//! this file (the document-wide facts and the instance's own).

mod states;
mod types;
mod vms;
mod work;

pub use types::*;

use crate::date;
use crate::diag::Diagnostic;
use crate::french::{self, DateStyle};
use crate::labels::Labels;
use crate::model::{self, Database, Inventory, StateKind};
use crate::timeline::{self, Timeline};
use serde_json::json;

/// What every part of the plan reads.
pub(crate) struct Ctx<'a> {
    labels: &'a Labels,
    style: DateStyle,
    states: &'a [StatePlan],
    migration_state: usize,
    data_dir: Option<&'a str>,
    words: &'a vms::Vocabulary,
}

/// `3.5.3` → `3.5`.
fn branch(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

/// Derives the plan. The inventory must have passed [`crate::validate`]; on anything it
/// would refuse, the plan degrades (never panics) rather than guessing. Fails only on a
/// label that cannot be rendered (an overridden labels file).
pub fn plan(inv: &Inventory, labels: &Labels) -> Result<Plan, Box<Diagnostic>> {
    let d = &inv.document;
    let style = d.date_style.as_ref().map(|s| s.value).unwrap_or_default();
    let state_plans = states::states(&inv.states, labels, style)?;
    let migration_state = inv
        .states
        .iter()
        .position(|s| s.kind.value == StateKind::Migration)
        .unwrap_or(0);
    let words = vms::Vocabulary::new(labels)?;
    let ctx = Ctx {
        labels,
        style,
        states: &state_plans,
        migration_state,
        data_dir: inv.application.data_dir.as_ref().map(|d| d.value.as_str()),
        words: &words,
    };
    let instances = inv
        .instances
        .iter()
        .enumerate()
        .map(|(i, inst)| instance(&ctx, inv, i, inst))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Plan {
        title: d.title.value.clone(),
        organisation: d.organisation.value.clone(),
        purpose: d.purpose.value.clone(),
        decision: DecisionPlan {
            meeting: d.decision.meeting.value.clone(),
            date: french::date(&d.decision.date.value, style),
        },
        date_style: style,
        application: application(&inv.application),
        platform: platform(&inv.platform),
        octopus_mailbox: d.octopus_mailbox.as_ref().map(|m| m.value.clone()),
        migration_state,
        reference_date: state_plans
            .iter()
            .find_map(|s| s.date.clone())
            .unwrap_or_default(),
        reference_iso: inv
            .states
            .iter()
            .find_map(|s| s.date.as_ref().map(|d| d.value.clone()))
            .unwrap_or_default(),
        legend: words.colours.to_vec(),
        migration_order: migration_order(&instances),
        environments: environment_groups(&instances),
        migrating: names_where(&instances, |i| i.migration.is_some()),
        not_migrating: names_where(&instances, |i| i.migration.is_none()),
        procedure: procedure(&instances, migration_state),
        database_groups: database_groups(&instances),
        to_create: instances.iter().map(|i| i.to_create).sum(),
        after_days: inv
            .states
            .last()
            .filter(|s| s.kind.value == StateKind::After)
            .and_then(|s| s.offset_days.as_ref())
            .map_or(0, |o| o.value),
        states: state_plans,
        instances,
    })
}

fn application(a: &model::Application) -> ApplicationPlan {
    ApplicationPlan {
        name: a.name.value.clone(),
        from: a.from.value.clone(),
        target: a.target.value.clone(),
        target_branch: branch(&a.target.value),
        source_code: a.source_code.as_ref().map(|s| s.value.clone()),
        data_dir: a.data_dir.as_ref().map(|s| s.value.clone()),
    }
}

fn software(s: &model::Software) -> SoftwarePlan {
    SoftwarePlan {
        name: s.name.value.clone(),
        version: s.version.value.clone(),
    }
}

fn platform(p: &model::Platform) -> PlatformPlan {
    PlatformPlan {
        name: p.name.value.clone(),
        os: software(&p.os),
        components: p.components.iter().map(software).collect(),
    }
}

fn migration_order(instances: &[InstancePlan]) -> Vec<String> {
    let mut order: Vec<&InstancePlan> = instances.iter().collect();
    order.sort_by_key(|i| i.order);
    order.iter().map(|i| i.name.clone()).collect()
}

fn names_where(instances: &[InstancePlan], keep: fn(&InstancePlan) -> bool) -> Vec<String> {
    instances
        .iter()
        .filter(|i| keep(i))
        .map(|i| i.name.clone())
        .collect()
}

fn procedure(instances: &[InstancePlan], jour_m: usize) -> Procedure {
    let migrating: Vec<(&InstancePlan, &MigrationPlan)> = instances
        .iter()
        .filter_map(|i| Some((i, i.migration.as_ref()?)))
        .collect();
    Procedure {
        creations: migrating.iter().any(|(_, m)| m.target_created),
        one_creation_each: migrating
            .iter()
            .all(|(i, m)| m.target_created && i.to_create == 1),
        files: migrating.iter().any(|(_, m)| m.files_from.is_some()),
        dns: migrating.iter().any(|(i, _)| {
            let id = &i.columns[jour_m].state_id;
            i.dns_moves.iter().any(|mv| &mv.state_id == id)
        }),
        database: migrating.iter().any(|(_, m)| m.database.is_some()),
    }
}

fn environment_groups(instances: &[InstancePlan]) -> Vec<EnvironmentGroup> {
    let mut groups: Vec<EnvironmentGroup> = Vec::new();
    for i in instances.iter().filter(|i| i.migration.is_some()) {
        match groups
            .iter_mut()
            .find(|g| g.environment.environment == i.environment.environment)
        {
            Some(g) => g.names.push(i.name.clone()),
            None => groups.push(EnvironmentGroup {
                environment: i.environment.clone(),
                names: vec![i.name.clone()],
            }),
        }
    }
    groups
}

fn database_groups(instances: &[InstancePlan]) -> Vec<DatabaseGroup> {
    let mut groups: Vec<DatabaseGroup> = Vec::new();
    let with_db = instances
        .iter()
        .filter_map(|i| Some((i, i.migration.as_ref()?.database.as_ref()?)));
    for (i, db) in with_db {
        match groups.iter_mut().find(|g| g.strategy == db.strategy) {
            Some(g) => g.names.push(i.name.clone()),
            None => groups.push(DatabaseGroup {
                strategy: db.strategy,
                names: vec![i.name.clone()],
            }),
        }
    }
    groups
}

fn migration(inst: &model::Instance, t: &Timeline) -> Option<MigrationPlan> {
    let m = &inst.migration.as_ref()?.value;
    let target = timeline::migration_target(inst, t)?.index()?;
    Some(MigrationPlan {
        target: inst.vms[target].machine.value.clone(),
        target_created: t.vms[target].created.is_some(),
        files_from: m.files_from.as_ref().map(|f| f.value.clone()),
        database: m.database.as_ref().map(|db| match &db.value {
            Database::Connect(s) => DatabasePlan {
                strategy: DatabaseStrategy::Connect,
                server: s.clone(),
            },
            Database::Migrate(s) => DatabasePlan {
                strategy: DatabaseStrategy::Migrate,
                server: s.clone(),
            },
        }),
    })
}

fn instance(
    ctx: &Ctx,
    inv: &Inventory,
    position: usize,
    inst: &model::Instance,
) -> Result<InstancePlan, Box<Diagnostic>> {
    let jour_m = inst
        .jour_m
        .as_ref()
        .and_then(|d| date::parse(&d.value).ok());
    let columns = states::columns(&inv.states, ctx.states, jour_m, ctx.labels, ctx.style)?;
    let t = timeline::replay(&inv.states, inst);
    let migration = migration(inst, &t);
    let target = migration.as_ref().map(|m| m.target.as_str());
    let vms = vms::vms(ctx, inst, &t, target)?;
    let hosted = work::hosted(ctx, inst, &t);
    let interventions =
        work::interventions(ctx, inst, migration.as_ref(), &t, &vms, &hosted, &columns)?;
    let annexe = inst
        .annexe
        .as_ref()
        .map_or(position as u32 + 1, |a| a.value);
    let env = inst.environment.value;
    let creations: Vec<CreationPlan> = vms
        .iter()
        .filter_map(|v| {
            Some(CreationPlan {
                machine: v.machine.clone(),
                ticket: v.ticket,
                state: v.created_at?,
            })
        })
        .collect();
    Ok(InstancePlan {
        id: inst.id.value.clone(),
        name: inst.name.value.clone(),
        environment: EnvironmentPlan {
            environment: env,
            name: ctx
                .labels
                .plain(&format!("environment.{}.name", env.key()))?,
            phrase: ctx
                .labels
                .plain(&format!("environment.{}.phrase", env.key()))?,
        },
        annexe,
        annexe_title: ctx.labels.text(
            "annexe.title",
            &json!({
                "n": annexe,
                "instance": inst.name.value,
                "from": inv.application.from.value,
                "application": inv.application.name.value,
                "branch": branch(&inv.application.target.value),
            }),
        )?,
        annexe_svg: format!("annexes/annexe-{annexe}.svg"),
        annexe_png: format!("annexes/annexe-{annexe}.png"),
        anchor: format!("machines-virtuelles-{}", inst.id.value),
        users: inst.users.value.clone(),
        role: inst.role.value.clone(),
        url: inst.url.value.clone(),
        order: inst.order.as_ref().map_or(position as u32 + 1, |o| o.value),
        jour_m: jour_m.map(|d| french::date(&date::iso(d), ctx.style)),
        scope: inst.scope.as_ref().map(|s| s.value.clone()),
        columns,
        to_create: creations.len(),
        creation_tickets: creations.iter().filter_map(|c| c.ticket).collect(),
        creations_without_ticket: creations.iter().filter(|c| c.ticket.is_none()).count(),
        creations,
        dns_moves: t
            .moves
            .iter()
            .map(|m| DnsMovePlan {
                state_id: ctx.states[m.state].id.clone(),
                when: ctx.states[m.state].when.clone(),
                name: m.name.clone(),
                from: inst.vms[m.from].machine.value.clone(),
                to: inst.vms[m.to].machine.value.clone(),
            })
            .collect(),
        deleted: vms
            .iter()
            .filter(|v| v.deleted_at.is_some())
            .map(|v| v.machine.clone())
            .collect(),
        already_deleted: inst
            .already_deleted
            .iter()
            .map(|d| DeletedPlan {
                name: d.name.value.clone(),
                ip: d.ip.value.clone(),
            })
            .collect(),
        action_legend: vms::action_legend(&vms),
        migration,
        hosted,
        interventions,
        vms,
    })
}

#[cfg(test)]
mod tests;
