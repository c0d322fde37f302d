//! The work asked of the service desk: per instance and state, the steps of an intervention
//! in the order a technician does them (maintenance, files, database, DNS, hosted sites,
//! deactivations, deletions), and when each hosted site is handled.

use super::Ctx;
use super::{
    DatabasePlan, DatabaseStrategy, HostedGroup, HostedSitePlan, InterventionPlan, MigrationPlan,
    SiteFate, Step, StepPlan, VmPlan, VmRef, Work, WorkPlan,
};
use crate::diag::Diagnostic;
use crate::model::{Fate, Instance};
use crate::timeline::{self, EventKind, Timeline};
use serde_json::json;

/// Where each hosted site is handled: at the first state its VM stops (deactivation or
/// deletion), else on jour M.
pub fn hosted(ctx: &Ctx, inst: &Instance, t: &Timeline) -> Vec<HostedGroup> {
    let mut groups: Vec<HostedGroup> = Vec::new();
    for h in &inst.hosted_sites {
        let vi = inst.vms.iter().position(|v| v.machine.value == h.vm.value);
        let si = timeline::hosted_site_state(inst, t, &h.vm.value, ctx.migration_state);
        let site = HostedSitePlan {
            url: h.url.value.clone(),
            vm: h.vm.value.clone(),
            fate: match h.fate.value {
                Fate::MoveTo(_) => SiteFate::Move,
                Fate::Delete => SiteFate::Delete,
            },
            move_to: match &h.fate.value {
                Fate::MoveTo(to) => Some(to.clone()),
                Fate::Delete => None,
            },
            state_id: ctx.states[si].id.clone(),
            when: ctx.states[si].when.clone(),
        };
        match groups.iter_mut().find(|g| g.vm == site.vm) {
            Some(g) => g.sites.push(site),
            None => groups.push(HostedGroup {
                vm: site.vm.clone(),
                vm_dns: vi
                    .map(|i| inst.vms[i].dns.iter().map(|d| d.value.clone()).collect())
                    .unwrap_or_default(),
                sites: vec![site],
            }),
        }
    }
    groups
}

/// What one instance's interventions are made from.
pub struct Input<'a> {
    pub inst: &'a Instance,
    pub migration: Option<&'a MigrationPlan>,
    /// The name of the application's files folder, when given.
    pub data_dir: Option<&'a str>,
    pub t: &'a Timeline,
    pub vms: &'a [VmPlan],
    pub hosted: &'a [HostedGroup],
    pub columns: &'a [super::types::ColumnPlan],
}

/// The database's steps: the copy from its server to its new one, then every receiving VM
/// connected to where it is now (unless it lives on that VM).
fn database_steps(db: &DatabasePlan, targets: &[String]) -> Vec<Step> {
    let step = |strategy, server: &str, target: &str| Step::Database {
        strategy,
        server: server.to_string(),
        target: target.to_string(),
    };
    match (db.strategy, &db.to) {
        (DatabaseStrategy::Stays, _) => Vec::new(),
        (DatabaseStrategy::Migrate, Some(to)) => {
            let mut steps = vec![step(DatabaseStrategy::Migrate, &db.server, to)];
            let elsewhere = targets.iter().filter(|t| *t != to);
            steps.extend(elsewhere.map(|t| step(DatabaseStrategy::Connect, to, t)));
            steps
        }
        (_, _) => targets
            .iter()
            .map(|t| step(DatabaseStrategy::Connect, &db.server, t))
            .collect(),
    }
}

fn migration_steps(inst: &Instance, m: &MigrationPlan, data_dir: Option<&str>) -> Vec<Step> {
    let mut data = Vec::new();
    if let Some(from) = &m.files_from {
        data.extend(m.targets.iter().map(|to| Step::Files {
            from: from.clone(),
            to: to.clone(),
            data_dir: data_dir.map(str::to_string),
        }));
    }
    if let Some(db) = &m.database {
        data.extend(database_steps(db, &m.targets));
    }
    if data.is_empty() {
        return data;
    }
    let mut steps = vec![Step::Maintenance {
        url: inst.url.value.clone(),
    }];
    steps.extend(data);
    steps
}

/// Every step of state `si`, in execution order.
fn steps_at(ctx: &Ctx, si: usize, input: &Input) -> Vec<Step> {
    let Input {
        inst,
        migration,
        t,
        vms,
        hosted,
        ..
    } = *input;
    let mut steps = match migration {
        Some(m) if si == ctx.migration_state => migration_steps(inst, m, input.data_dir),
        _ => Vec::new(),
    };
    let events = || {
        t.vms
            .iter()
            .zip(vms)
            .flat_map(move |(line, vm)| line.events[si].iter().map(move |e| (vm, &e.kind)))
    };
    for (vm, e) in events() {
        match e {
            EventKind::DnsIn { name, from } => steps.push(Step::DnsMove {
                name: name.clone(),
                from: from.clone(),
                to: vm.machine.clone(),
            }),
            EventKind::DnsRelease { name } => steps.push(Step::DnsRelease {
                name: name.clone(),
                machine: vm.machine.clone(),
            }),
            _ => {}
        }
    }
    let state_id = &ctx.states[si].id;
    let sites = hosted.iter().flat_map(|g| &g.sites);
    steps.extend(
        sites
            .filter(|s| &s.state_id == state_id)
            .map(|s| Step::HostedSite(s.clone())),
    );
    for want in [EventKind::Deactivate, EventKind::Delete] {
        for (vm, e) in events().filter(|(_, e)| **e == want) {
            let (machine, ip) = (vm.machine.clone(), vm.ip.clone());
            let dns = vm.cells[si].dns.clone();
            steps.push(match e {
                EventKind::Deactivate => Step::Deactivate { machine, ip, dns },
                _ => Step::Delete { machine, ip, dns },
            });
        }
    }
    steps
}

/// What a request says of a step (labels `step.*`).
fn step_text(ctx: &Ctx, step: &Step) -> Result<String, Box<Diagnostic>> {
    let l = ctx.labels;
    match step {
        Step::Maintenance { url } => l.text("step.maintenance", &json!({ "url": url })),
        Step::Files { from, to, data_dir } => l.text(
            "step.files",
            &json!({ "from": from, "to": to, "data_dir": data_dir }),
        ),
        Step::Database {
            strategy,
            server,
            target,
        } => {
            let key = match strategy {
                DatabaseStrategy::Connect | DatabaseStrategy::Stays => "step.database_connect",
                DatabaseStrategy::Migrate => "step.database_migrate",
            };
            l.text(key, &json!({ "server": server, "target": target }))
        }
        Step::DnsMove { name, from, to } => l.text(
            "step.dns_move",
            &json!({ "name": name, "from": from, "to": to }),
        ),
        Step::DnsRelease { name, machine } => l.text(
            "step.dns_release",
            &json!({ "name": name, "machine": machine }),
        ),
        Step::HostedSite(h) => match h.fate {
            SiteFate::Move => l.text(
                "step.site_move",
                &json!({ "url": h.url, "vm": h.vm, "to": h.move_to }),
            ),
            SiteFate::Delete => l.text("step.site_delete", &json!({ "url": h.url, "vm": h.vm })),
        },
        Step::Deactivate { machine, ip, dns } => l.text(
            "step.deactivate",
            &json!({ "machine": machine, "ip": ip, "dns": dns }),
        ),
        Step::Delete { machine, ip, dns } => l.text(
            "step.delete",
            &json!({ "machine": machine, "ip": ip, "dns": dns }),
        ),
    }
}

fn work_of(steps: &[Step]) -> Vec<Work> {
    let mut work: Vec<Work> = steps
        .iter()
        .map(|s| match s {
            Step::Maintenance { .. } | Step::Files { .. } | Step::Database { .. } => Work::Data,
            Step::DnsMove { .. } | Step::DnsRelease { .. } => Work::Dns,
            Step::HostedSite(_) => Work::HostedSites,
            Step::Deactivate { .. } => Work::Deactivation,
            Step::Delete { .. } => Work::Deletion,
        })
        .collect();
    work.sort();
    work.dedup();
    work
}

/// One intervention per state with work, for the instance of `input`.
pub fn interventions(ctx: &Ctx, input: &Input) -> Result<Vec<InterventionPlan>, Box<Diagnostic>> {
    let Input {
        inst,
        t,
        vms,
        columns,
        ..
    } = *input;
    (0..ctx.states.len())
        .filter(|&si| timeline::has_work(inst, t, si, ctx.migration_state))
        .map(|si| {
            let steps = steps_at(ctx, si, input);
            let work = work_of(&steps)
                .into_iter()
                .map(|w| {
                    let word = ctx.labels.plain(&format!("work.{}", w.key()))?;
                    Ok(WorkPlan { work: w, word })
                })
                .collect::<Result<Vec<_>, Box<Diagnostic>>>()?;
            let named: Vec<&str> = steps.iter().flat_map(Step::machines).collect();
            let refs = vms
                .iter()
                .filter(|v| named.contains(&v.machine.as_str()))
                .map(|v| VmRef {
                    machine: v.machine.clone(),
                    ip: v.ip.clone(),
                    dns_before: v.cells[si].dns_before.clone(),
                    dns_after: v.cells[si].dns.clone(),
                    deleted: v.deleted_at == Some(si),
                })
                .collect();
            let col = &columns[si];
            let steps = steps
                .into_iter()
                .map(|step| {
                    Ok(StepPlan {
                        text: step_text(ctx, &step)?,
                        step,
                    })
                })
                .collect::<Result<Vec<_>, Box<Diagnostic>>>()?;
            Ok(InterventionPlan {
                state_id: col.state_id.clone(),
                state_kind: col.kind,
                label: col.label.clone(),
                heading: col.heading.clone(),
                when: col.when.clone(),
                date: col.date.clone(),
                day: col.day.clone(),
                ticket: inst
                    .interventions
                    .iter()
                    .find(|i| i.state.value == col.state_id)
                    .map(|i| i.ticket.value),
                work,
                steps,
                vms: refs,
            })
        })
        .collect()
}
