//! One instance's plan: its columns, its VMs, what it creates, moves and deletes, the sites
//! its VMs host, and the interventions it asks of the service desk.

use super::types::*;
use super::{Ctx, states, upgrade, vms, work};
use crate::diag::Diagnostic;
use crate::french;
use crate::model::{self, Database, DbMove, Environment, Inventory};
use crate::timeline::{self, Timeline};

fn migration(inst: &model::Instance, t: &Timeline) -> Option<MigrationPlan> {
    let m = &inst.migration.as_ref()?.value;
    let targets = timeline::migration_target(inst, t)?.indices()?;
    let names: Vec<String> = targets
        .iter()
        .map(|&i| inst.vms[i].machine.value.clone())
        .collect();
    let database = m.database.as_ref().map(|db| {
        let (strategy, server, to) = match &db.value {
            Database::Connect(s) => (DatabaseStrategy::Connect, s.clone(), None),
            Database::Stays(s) => (DatabaseStrategy::Stays, s.clone(), None),
            Database::Migrate(DbMove::From(s)) => {
                (DatabaseStrategy::Migrate, s.clone(), names.first().cloned())
            }
            Database::Migrate(DbMove::Between(b)) => (
                DatabaseStrategy::Migrate,
                b.from.clone(),
                Some(b.to.clone()),
            ),
        };
        DatabasePlan {
            strategy,
            server,
            to,
        }
    });
    Some(MigrationPlan {
        target_created: targets.iter().all(|&i| t.vms[i].created.is_some()),
        targets: names,
        files_from: m.files_from.as_ref().map(|f| f.value.clone()),
        database,
    })
}

pub(super) fn instance(
    ctx: &Ctx,
    position: usize,
    inst: &model::Instance,
) -> Result<InstancePlan, Box<Diagnostic>> {
    let inv = ctx.checked.inventory();
    let facts = ctx.checked.instance(position);
    let columns = states::columns(ctx, &facts.state_dates)?;
    let t = &facts.timeline;
    let migration = migration(inst, t);
    let upgrade = upgrade::upgrade(inv, inst);
    let data_dir = upgrade
        .as_ref()
        .and_then(|u| u.application.as_ref()?.data_dir.clone());
    let vms = vms::vms(ctx, inst, t, migration.as_ref(), &columns)?;
    let holder = |name: &str, si: usize| ctx.checked.holder_after(si, name).map(str::to_string);
    let hosted = work::hosted(ctx, inst, t, &holder);
    let work = work::Input {
        inst,
        migration: migration.as_ref(),
        data_dir: data_dir.as_deref(),
        t,
        times: &facts.times,
        vms: &vms,
        hosted: &hosted,
        columns: &columns,
        upgrade: upgrade.as_ref(),
    };
    let (interventions, point_of_no_return) = work::interventions(ctx, &work)?;
    let annexe = inst
        .annexe
        .as_ref()
        .map_or(position as u32 + 1, |a| a.value);
    let (annexe_title, annexe_subject) =
        upgrade::annexe_words(ctx, &inst.name.value, annexe, upgrade.as_ref())?;
    let creations = creations(&vms);
    Ok(InstancePlan {
        id: inst.id.value.clone(),
        name: inst.name.value.clone(),
        environment: environment(ctx, inst.environment.value)?,
        annexe,
        annexe_title,
        annexe_subject,
        annexe_svg: format!("annexes/annexe-{annexe}.svg"),
        annexe_png: format!("annexes/annexe-{annexe}.png"),
        anchor: format!("machines-virtuelles-{}", inst.id.value),
        users: inst.users.value.clone(),
        role: inst.role.value.clone(),
        url: inst.url.value.clone(),
        order: inst.order.as_ref().map_or(position as u32 + 1, |o| o.value),
        jour_m: facts.jour_m.map(|d| french::day(d, ctx.style)),
        scope: inst.scope.as_ref().map(|s| s.value.clone()),
        columns,
        to_create: creations.len(),
        creation_tickets: creations.iter().filter_map(|c| c.ticket).collect(),
        creations_without_ticket: creations.iter().filter(|c| c.ticket.is_none()).count(),
        creations,
        dns_moves: dns_moves(ctx, inst, t),
        deleted: vms
            .iter()
            .filter(|v| v.deleted_at.is_some())
            .map(|v| v.machine.clone())
            .collect(),
        already_deleted: already_deleted(inst),
        action_legend: vms::action_legend(&vms),
        with_software: vms.iter().any(|v| !v.software.is_empty()),
        purpose: upgrade::purpose(ctx, &inst.name.value, upgrade.as_ref())?,
        follows: followed_name(inv, inst),
        sections: super::sections(&inst.sections),
        upgrade,
        migration,
        hosted,
        interventions,
        point_of_no_return,
        vms,
    })
}

/// The name of the instance `inst` follows (`follows`), when it is one of the inventory.
fn followed_name(inv: &Inventory, inst: &model::Instance) -> Option<String> {
    let id = &inst.follows.as_ref()?.value;
    let i = inv.instances.iter().find(|i| &i.id.value == id)?;
    Some(i.name.value.clone())
}

fn already_deleted(inst: &model::Instance) -> Vec<DeletedPlan> {
    inst.already_deleted
        .iter()
        .map(|d| DeletedPlan {
            name: d.name.value.clone(),
            ip: d.ip.value.clone(),
        })
        .collect()
}

fn environment(ctx: &Ctx, env: Environment) -> Result<EnvironmentPlan, Box<Diagnostic>> {
    let key = env.key();
    Ok(EnvironmentPlan {
        environment: env,
        name: ctx.labels.plain(&format!("environment.{key}.name"))?,
        phrase: ctx.labels.plain(&format!("environment.{key}.phrase"))?,
    })
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
