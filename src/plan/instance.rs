//! One instance's plan: its columns, its VMs, what it creates, moves and deletes, the sites
//! its VMs host, and the interventions it asks of the service desk.

use super::types::*;
use super::{Ctx, branch, states, vms, work};
use crate::date;
use crate::diag::Diagnostic;
use crate::french;
use crate::model::{self, Database, Environment, Inventory};
use crate::timeline::{self, Timeline};
use serde_json::json;

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

pub fn instance(
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
    let creations = creations(&vms);
    Ok(InstancePlan {
        id: inst.id.value.clone(),
        name: inst.name.value.clone(),
        environment: environment(ctx, inst.environment.value)?,
        annexe,
        annexe_title: annexe_title(ctx, inv, inst, annexe)?,
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
        dns_moves: dns_moves(ctx, inst, &t),
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

fn environment(ctx: &Ctx, env: Environment) -> Result<EnvironmentPlan, Box<Diagnostic>> {
    let key = env.key();
    Ok(EnvironmentPlan {
        environment: env,
        name: ctx.labels.plain(&format!("environment.{key}.name"))?,
        phrase: ctx.labels.plain(&format!("environment.{key}.phrase"))?,
    })
}

/// « Annexe 1. Migration Examens 2.0 vers Plateforme version 3.1 ».
fn annexe_title(
    ctx: &Ctx,
    inv: &Inventory,
    inst: &model::Instance,
    n: u32,
) -> Result<String, Box<Diagnostic>> {
    ctx.labels.text(
        "annexe.title",
        &json!({
            "n": n,
            "instance": inst.name.value,
            "from": inv.application.from.value,
            "application": inv.application.name.value,
            "branch": branch(&inv.application.target.value),
        }),
    )
}

fn creations(vms: &[VmPlan]) -> Vec<CreationPlan> {
    vms.iter()
        .filter_map(|v| {
            Some(CreationPlan {
                machine: v.machine.clone(),
                ticket: v.ticket,
                state: v.created_at?,
            })
        })
        .collect()
}

fn dns_moves(ctx: &Ctx, inst: &model::Instance, t: &Timeline) -> Vec<DnsMovePlan> {
    t.moves
        .iter()
        .map(|m| DnsMovePlan {
            state_id: ctx.states[m.state].id.clone(),
            when: ctx.states[m.state].when.clone(),
            name: m.name.clone(),
            from: inst.vms[m.from].machine.value.clone(),
            to: inst.vms[m.to].machine.value.clone(),
        })
        .collect()
}
