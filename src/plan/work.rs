//! The work asked of the service desk: per instance, one intervention per state with work
//! (its runbook from `runbook.rs`, its rollback from `rollback.rs`, its window), the
//! instance's point of no return, and when each hosted site is handled.

use super::Ctx;
use super::{
    HostedGroup, HostedSitePlan, InterventionPlan, MigrationPlan, PointOfNoReturn, RollbackPlan,
    SiteFate, Step, StepPlan, UpgradePlan, VmPlan, VmRef, Work, WorkPlan, rollback, runbook,
};
use crate::diag::Diagnostic;
use crate::model::{Fate, Instance};
use crate::timeline::{self, Timeline};

/// Where each hosted site is handled: at the first state its VM stops (deactivation or
/// deletion), else on jour M.
pub(super) fn hosted(
    ctx: &Ctx,
    inst: &Instance,
    t: &Timeline,
    holder: &dyn Fn(&str, usize) -> Option<String>,
) -> Vec<HostedGroup> {
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
            move_to_vm: match &h.fate.value {
                Fate::MoveTo(to) => holder(to, si),
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
pub(super) struct Input<'a> {
    pub inst: &'a Instance,
    pub migration: Option<&'a MigrationPlan>,
    /// The name of the application's files folder, when given.
    pub data_dir: Option<&'a str>,
    pub t: &'a Timeline,
    /// The times of the instance's `interventions` entries, in their order.
    pub times: &'a [crate::validate::Times],
    pub vms: &'a [VmPlan],
    pub hosted: &'a [HostedGroup],
    pub columns: &'a [super::types::ColumnPlan],
    /// What changes for the instance, when it migrates.
    pub upgrade: Option<&'a UpgradePlan>,
}

fn work_of(steps: &[Step]) -> Vec<Work> {
    let mut work: Vec<Work> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Files { .. }
            | Step::DatabaseMigrate { .. }
            | Step::DatabaseConnect { .. }
            | Step::Upgrade { .. } => Some(Work::Data),
            Step::DnsMove { .. } | Step::DnsRelease { .. } => Some(Work::Dns),
            Step::SiteMove { .. } | Step::SiteDelete { .. } => Some(Work::HostedSites),
            Step::Deactivate { .. } => Some(Work::Deactivation),
            Step::Delete { .. } => Some(Work::Deletion),
            _ => None,
        })
        .collect();
    work.sort();
    work.dedup();
    work
}

/// What a request says of a step: the label `step.KIND`, with the step's fields.
fn step_text(ctx: &Ctx, step: &Step) -> Result<String, Box<Diagnostic>> {
    let v = serde_json::to_value(step).unwrap_or_default();
    let kind = v["kind"].as_str().unwrap_or_default().to_string();
    ctx.labels.text(&format!("step.{kind}"), &v)
}

/// The instance's point of no return: its first destructive step, or the state its
/// inventory sets as the limit of rollbacks, whichever comes first; with its state's index.
fn point_of_no_return(
    ctx: &Ctx,
    input: &Input,
    runbooks: &[(usize, Vec<Step>)],
) -> Result<Option<(usize, PointOfNoReturn)>, Box<Diagnostic>> {
    let first = runbooks.iter().find_map(|(si, steps)| {
        let step = steps.iter().find(|s| s.is_destructive())?;
        Some((*si, step))
    });
    let limit = input
        .inst
        .rollback_until
        .as_ref()
        .and_then(|r| ctx.states.iter().position(|s| s.id == r.value));
    let (si, text) = match (first, limit) {
        (Some((f, _)), Some(l)) if l <= f => (l, ctx.labels.plain("rollback.writer_limit")?),
        (None, Some(l)) => (l, ctx.labels.plain("rollback.writer_limit")?),
        (Some((f, step)), _) => (f, step_text(ctx, step)?),
        (None, None) => return Ok(None),
    };
    let col = &input.columns[si];
    Ok(Some((
        si,
        PointOfNoReturn {
            state_id: col.state_id.clone(),
            when: col.when.clone(),
            label: col.label.clone(),
            date: col.date.clone(),
            text,
        },
    )))
}

/// One intervention per state with work, for the instance of `input`, and the instance's
/// point of no return.
pub(super) fn interventions(
    ctx: &Ctx,
    input: &Input,
) -> Result<(Vec<InterventionPlan>, Option<PointOfNoReturn>), Box<Diagnostic>> {
    let runbooks: Vec<(usize, Vec<Step>)> = (0..ctx.states.len())
        .filter(|&si| timeline::has_work(input.inst, input.t, si, ctx.migration_state))
        .map(|si| (si, runbook::steps_at(ctx, si, input)))
        .collect();
    let pnr = point_of_no_return(ctx, input, &runbooks)?;
    let restore_database = input
        .upgrade
        .is_some_and(|u| u.kind == super::UpgradeKind::Application);
    let plans = runbooks
        .into_iter()
        .map(|(si, steps)| {
            let pnr = pnr.as_ref().map(|(p, x)| (*p, x));
            let rollback = rollback::rollback(ctx, si, &steps, pnr, restore_database)?;
            intervention(ctx, input, si, steps, rollback)
        })
        .collect::<Result<Vec<_>, Box<Diagnostic>>>()?;
    Ok((plans, pnr.map(|(_, p)| p)))
}

/// The intervention of state `si`, from its steps and its rollback.
fn intervention(
    ctx: &Ctx,
    input: &Input,
    si: usize,
    steps: Vec<Step>,
    rollback: RollbackPlan,
) -> Result<InterventionPlan, Box<Diagnostic>> {
    let work = work_of(&steps)
        .into_iter()
        .map(|w| {
            let word = ctx.labels.plain(&format!("work.{}", w.key()))?;
            Ok(WorkPlan { work: w, word })
        })
        .collect::<Result<Vec<_>, Box<Diagnostic>>>()?;
    let named: Vec<&str> = steps.iter().flat_map(Step::machines).collect();
    let refs = input
        .vms
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
    let col = &input.columns[si];
    let entry = input
        .inst
        .interventions
        .iter()
        .zip(input.times)
        .find(|(i, _)| i.state.value == col.state_id);
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
        checked: steps.iter().any(|s| s.step.is_check()),
        state_id: col.state_id.clone(),
        state_kind: col.kind,
        label: col.label.clone(),
        heading: col.heading.clone(),
        when: col.when.clone(),
        date: col.date.clone(),
        day: col.day.clone(),
        ticket: entry.and_then(|(i, _)| i.ticket.as_ref()).map(|t| t.value),
        window: entry.and_then(|(e, times)| super::window::window(ctx, e, *times, col.iso)),
        work,
        steps,
        vms: refs,
        rollback,
    })
}
