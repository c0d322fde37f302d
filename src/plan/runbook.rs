//! One intervention as a runbook: every step of a state in the order a technician does them
//! on the night — the VMs it needs delivered, backups of what the data steps touch,
//! maintenance on, the data, the upgrade, DNS names, hosted sites moved, the checks,
//! maintenance off, then what cannot be undone waits: sites deleted, deactivations and the
//! check that what those VMs served still answers without them, and deletions with the
//! names the deleted VMs still hold.

use super::work::Input;
use super::{Ctx, DatabasePlan, DatabaseStrategy, MigrationPlan, Step, UpgradeKind, VmPlan};
use crate::timeline::EventKind;

/// The database's steps: the copy from its server to its new one, then every receiving VM
/// connected to where it is now (unless it lives on that VM).
fn database_steps(db: &DatabasePlan, targets: &[String]) -> Vec<Step> {
    match (db.strategy, &db.to) {
        (DatabaseStrategy::Stays, _) => Vec::new(),
        (DatabaseStrategy::Migrate, Some(to)) => {
            let mut steps = vec![Step::DatabaseMigrate {
                server: db.server.clone(),
                target: to.clone(),
            }];
            steps.extend(
                targets
                    .iter()
                    .filter(|t| *t != to)
                    .map(|t| Step::DatabaseConnect {
                        server: to.clone(),
                        target: t.clone(),
                    }),
            );
            steps
        }
        (_, _) => targets
            .iter()
            .map(|t| Step::DatabaseConnect {
                server: db.server.clone(),
                target: t.clone(),
            })
            .collect(),
    }
}

/// What the data steps touch, saved first: the files' folder, and the database wherever the
/// new VMs write to it or take it from.
fn backups(m: &MigrationPlan, data_dir: Option<&str>) -> Vec<Step> {
    let mut steps = Vec::new();
    if let Some(from) = &m.files_from {
        steps.push(Step::BackupFiles {
            machine: from.clone(),
            data_dir: data_dir.map(str::to_string),
        });
    }
    if let Some(db) = m
        .database
        .as_ref()
        .filter(|d| d.strategy != DatabaseStrategy::Stays)
    {
        steps.push(Step::BackupDatabase {
            server: db.server.clone(),
        });
    }
    steps
}

/// Jour M's data steps: files to every receiving VM, the database, then the upgrade of the
/// application on those VMs when the instance's migration upgrades it.
fn data_steps(input: &Input, m: &MigrationPlan) -> Vec<Step> {
    let mut steps = Vec::new();
    if let Some(from) = &m.files_from {
        steps.extend(m.targets.iter().map(|to| Step::Files {
            from: from.clone(),
            to: to.clone(),
            data_dir: input.data_dir.map(str::to_string),
        }));
    }
    if let Some(db) = &m.database {
        steps.extend(database_steps(db, &m.targets));
    }
    let app = input
        .upgrade
        .filter(|u| u.kind == UpgradeKind::Application)
        .and_then(|u| u.application.as_ref());
    if let Some(app) = app
        && let Some(target) = &app.target
        && !steps.is_empty()
    {
        steps.push(Step::Upgrade {
            application: app.name.clone(),
            from: app.from.clone(),
            target: target.clone(),
            machines: m.targets.clone(),
        });
    }
    steps
}

/// The DNS steps of state `si`: names taken and names given up.
fn dns_steps(input: &Input, si: usize) -> Vec<Step> {
    let mut steps = Vec::new();
    for (line, vm) in input.t.vms.iter().zip(input.vms) {
        for e in &line.events[si] {
            match &e.kind {
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
    }
    steps
}

/// The hosted sites handled at state `si`, each naming the VMs it leaves and goes to: the
/// moves (`deleted` false), or the deletions, which wait until everything is checked.
fn site_steps(ctx: &Ctx, input: &Input, si: usize, deleted: bool) -> Vec<Step> {
    let state_id = &ctx.states[si].id;
    let sites = input.hosted.iter().flat_map(|g| &g.sites);
    sites
        .filter(|s| &s.state_id == state_id && s.move_to.is_none() == deleted)
        .map(|s| match &s.move_to {
            Some(to) => Step::SiteMove {
                url: s.url.clone(),
                vm: s.vm.clone(),
                to: to.clone(),
                to_vm: s.move_to_vm.clone(),
            },
            None => Step::SiteDelete {
                url: s.url.clone(),
                vm: s.vm.clone(),
            },
        })
        .collect()
}

/// What to check once the work is done: the instance's address when its data or names
/// moved, each moved site at its address, and each name where it now points.
fn checks(input: &Input, moved_data: bool, dns: &[Step], sites: &[Step]) -> Vec<Step> {
    let mut steps = Vec::new();
    if moved_data || !dns.is_empty() {
        steps.push(Step::VerifySite {
            url: input.inst.url.value.clone(),
        });
    }
    for s in sites {
        if let Step::SiteMove { url, .. } = s {
            steps.push(Step::VerifySite { url: url.clone() });
        }
    }
    let ip_of = |m: &str| input.vms.iter().find(|v| v.machine == m)?.ip.clone();
    for d in dns {
        match d {
            Step::DnsMove { name, to, .. } => steps.push(Step::VerifyName {
                name: name.clone(),
                machine: to.clone(),
                ip: ip_of(to),
            }),
            Step::DnsRelease { name, machine } => steps.push(Step::VerifyReleased {
                name: name.clone(),
                machine: machine.clone(),
            }),
            _ => {}
        }
    }
    steps
}

/// Deactivations, the checks that the instance and the sites moved off those VMs still
/// answer without them, then every deletion after the names its VM still holds are removed.
fn stops(input: &Input, si: usize, moves: &[Step]) -> Vec<Step> {
    let mut steps = Vec::new();
    for want in [EventKind::Deactivate, EventKind::Delete] {
        if want == EventKind::Delete {
            let checks = still_answers(input, si, &steps, moves);
            steps.extend(checks);
        }
        for (line, vm) in input.t.vms.iter().zip(input.vms) {
            if !line.events[si].iter().any(|e| e.kind == want) {
                continue;
            }
            let (machine, ip) = (vm.machine.clone(), vm.ip.clone());
            let dns = vm.cells[si].dns.clone();
            if want == EventKind::Deactivate {
                steps.push(Step::Deactivate { machine, ip, dns });
                continue;
            }
            steps.extend(dns.iter().map(|name| Step::RemoveName {
                name: name.clone(),
                machine: machine.clone(),
            }));
            steps.push(Step::Delete { machine, ip, dns });
        }
    }
    steps
}

/// Once `stopped` switched VMs off, what they served is checked while it can still be
/// undone: the instance's address, when one of its VMs still runs after state `si` (else
/// nothing is expected to answer there), and each site `moves` took off them.
fn still_answers(input: &Input, si: usize, stopped: &[Step], moves: &[Step]) -> Vec<Step> {
    let machines: Vec<String> = stopped
        .iter()
        .filter_map(|s| match s {
            Step::Deactivate { machine, .. } => Some(machine.clone()),
            _ => None,
        })
        .collect();
    if machines.is_empty() {
        return Vec::new();
    }
    let running = input.vms.iter().any(|v| v.runs_after(si));
    let instance = running.then(|| input.inst.url.value.clone());
    let sites = moves.iter().filter_map(|m| match m {
        Step::SiteMove { url, vm, .. } if machines.contains(vm) => Some(url.clone()),
        _ => None,
    });
    instance
        .into_iter()
        .chain(sites)
        .map(|url| Step::VerifyWithout {
            url,
            machines: machines.clone(),
        })
        .collect()
}

/// The VMs this state's steps use that earlier requests create, as prerequisites.
fn prerequisites(vms: &[VmPlan], si: usize, steps: &[Step]) -> Vec<Step> {
    let named: Vec<&str> = steps.iter().flat_map(Step::machines).collect();
    vms.iter()
        .filter(|v| v.created_at.is_some_and(|c| c < si) && named.contains(&v.machine.as_str()))
        .map(|v| Step::Prerequisite {
            machine: v.machine.clone(),
            ticket: v.ticket,
        })
        .collect()
}

/// Every step of state `si`, in execution order.
pub(super) fn steps_at(ctx: &Ctx, si: usize, input: &Input) -> Vec<Step> {
    let data = match input.migration {
        Some(m) if si == ctx.migration_state => data_steps(input, m),
        _ => Vec::new(),
    };
    let dns = dns_steps(input, si);
    let mut work: Vec<Step> = Vec::new();
    let url = input.inst.url.value.clone();
    if !data.is_empty() {
        work.extend(
            input
                .migration
                .map(|m| backups(m, input.data_dir))
                .unwrap_or_default(),
        );
        work.push(Step::Maintenance { url: url.clone() });
    }
    let moves = site_steps(ctx, input, si, false);
    work.extend(data.iter().cloned());
    work.extend(dns.iter().cloned());
    work.extend(moves.iter().cloned());
    work.extend(checks(input, !data.is_empty(), &dns, &moves));
    if !data.is_empty() {
        work.push(Step::MaintenanceOff { url });
    }
    work.extend(site_steps(ctx, input, si, true));
    work.extend(stops(input, si, &moves));
    let mut steps = prerequisites(input.vms, si, &work);
    steps.extend(work);
    steps
}
