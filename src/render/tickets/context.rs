//! What each ticket says, as the small context its template reads: the ticket's own facts
//! and a few of its instance's, never the whole plan (so that rendering stays linear in the
//! number of tickets).

use crate::plan::{
    ColumnPlan, EnvironmentPlan, InstancePlan, InterventionPlan, Plan, PurposePlan, StepPlan,
    UpgradePlan, VmPlan,
};
use serde::Serialize;

/// The instance as a ticket names it.
#[derive(Serialize)]
pub(crate) struct InstanceRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub annexe: u32,
    pub annexe_title: &'a str,
    pub environment: &'a EnvironmentPlan,
    /// How its requests name its work.
    pub purpose: &'a PurposePlan,
    /// What changes for it (`None`: not migrated).
    pub upgrade: Option<&'a UpgradePlan>,
    /// Not migrated: the instance whose jour M dates its states.
    pub follows: Option<&'a str>,
}

impl<'a> InstanceRef<'a> {
    pub(crate) fn of(inst: &'a InstancePlan) -> Self {
        InstanceRef {
            id: &inst.id,
            name: &inst.name,
            url: &inst.url,
            annexe: inst.annexe,
            annexe_title: &inst.annexe_title,
            environment: &inst.environment,
            purpose: &inst.purpose,
            upgrade: inst.upgrade.as_ref(),
            follows: inst.follows.as_deref(),
        }
    }
}

/// What the VM of a creation ticket does at a later state.
#[derive(Serialize)]
pub(crate) struct Later<'a> {
    pub column: &'a ColumnPlan,
    /// The steps of that state's intervention that do something to this VM (not the checks).
    pub steps: Vec<&'a StepPlan>,
}

#[derive(Serialize)]
pub(crate) struct CreationCtx<'a> {
    pub title: &'a str,
    pub inst: InstanceRef<'a>,
    pub vm: &'a VmPlan,
    pub number: Option<u32>,
    /// File name of the attachment, e.g. `annexe-1.png`.
    pub attachment: &'a str,
    /// Every state after the creation.
    pub later: Vec<Later<'a>>,
}

#[derive(Serialize)]
pub(crate) struct InterventionCtx<'a> {
    pub title: &'a str,
    pub inst: InstanceRef<'a>,
    pub iv: &'a InterventionPlan,
    pub attachment: &'a str,
}

pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

pub(crate) fn creation<'a>(
    plan: &'a Plan,
    inst: &'a InstancePlan,
    vm: &'a VmPlan,
) -> CreationCtx<'a> {
    let created = vm.created_at.unwrap_or(0);
    let later = (created + 1..inst.columns.len())
        .map(|si| Later {
            column: &inst.columns[si],
            steps: inst
                .interventions
                .iter()
                .filter(|iv| iv.state_id == inst.columns[si].state_id)
                .flat_map(|iv| &iv.steps)
                .filter(|s| !s.step.is_check() && s.step.machines().contains(&vm.machine.as_str()))
                .collect(),
        })
        .collect();
    CreationCtx {
        title: &plan.title,
        inst: InstanceRef::of(inst),
        vm,
        number: vm.ticket,
        attachment: file_name(&inst.annexe_png),
        later,
    }
}

pub(crate) fn intervention<'a>(
    plan: &'a Plan,
    inst: &'a InstancePlan,
    iv: &'a InterventionPlan,
) -> InterventionCtx<'a> {
    InterventionCtx {
        title: &plan.title,
        inst: InstanceRef::of(inst),
        iv,
        attachment: file_name(&inst.annexe_png),
    }
}
