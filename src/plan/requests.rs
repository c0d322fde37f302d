//! The plan's types for the service desk: the sites hosted on a VM and when they are
//! handled, and the intervention requests, step by step in execution order.

use crate::model::StateKind;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteFate {
    Move,
    Delete,
}

#[derive(Debug, Clone, Serialize)]
pub struct HostedSitePlan {
    pub url: String,
    pub vm: String,
    pub fate: SiteFate,
    pub move_to: Option<String>,
    /// The VM that holds `move_to` once the state's work is done, when the inventory has it.
    pub move_to_vm: Option<String>,
    /// The state where it is handled: when its VM stops (deactivation or deletion), else jour M.
    pub state_id: String,
    pub when: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct HostedGroup {
    pub vm: String,
    /// The hosting VM's names at its first state.
    pub vm_dns: Vec<String>,
    pub sites: Vec<HostedSitePlan>,
}

/// One step of an intervention request, in the order a technician does them: what must be
/// there first, backups, maintenance on, the data, the upgrade, names, hosted sites, the
/// checks, maintenance off, then what is switched off or removed. The labels file words
/// each kind (`step.KIND`), with its fields as variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// A VM this intervention uses, created by an earlier request, is delivered.
    Prerequisite {
        machine: String,
        ticket: Option<u32>,
    },
    BackupDatabase {
        server: String,
    },
    BackupFiles {
        machine: String,
        data_dir: Option<String>,
    },
    /// Put the instance in maintenance before its data moves.
    Maintenance {
        url: String,
    },
    Files {
        from: String,
        to: String,
        data_dir: Option<String>,
    },
    DatabaseMigrate {
        server: String,
        target: String,
    },
    DatabaseConnect {
        server: String,
        target: String,
    },
    /// The application brought to its target version on the VMs that received the data.
    Upgrade {
        application: String,
        from: Option<String>,
        target: String,
        machines: Vec<String>,
    },
    DnsMove {
        name: String,
        from: String,
        to: String,
    },
    DnsRelease {
        name: String,
        machine: String,
    },
    /// A hosted site moves to `to` (a DNS name), held by `to_vm` when the inventory knows it.
    SiteMove {
        url: String,
        vm: String,
        to: String,
        to_vm: Option<String>,
    },
    SiteDelete {
        url: String,
        vm: String,
    },
    VerifySite {
        url: String,
    },
    /// The name resolves to the VM that took it (to its IP, once known).
    VerifyName {
        name: String,
        machine: String,
        ip: Option<String>,
    },
    /// The name no longer designates the VM that gave it up.
    VerifyReleased {
        name: String,
        machine: String,
    },
    MaintenanceOff {
        url: String,
    },
    Deactivate {
        machine: String,
        ip: Option<String>,
        dns: Vec<String>,
    },
    /// A name a VM about to be deleted still holds, removed from the DNS.
    RemoveName {
        name: String,
        machine: String,
    },
    Delete {
        machine: String,
        ip: Option<String>,
        dns: Vec<String>,
    },
}

impl Step {
    /// The machines a step names, in the step's order.
    pub fn machines(&self) -> Vec<&str> {
        match self {
            Step::Maintenance { .. } | Step::MaintenanceOff { .. } | Step::VerifySite { .. } => {
                vec![]
            }
            Step::Prerequisite { machine, .. }
            | Step::BackupFiles { machine, .. }
            | Step::VerifyName { machine, .. }
            | Step::VerifyReleased { machine, .. }
            | Step::RemoveName { machine, .. }
            | Step::DnsRelease { machine, .. } => vec![machine],
            Step::BackupDatabase { server } => vec![server],
            Step::Files { from, to, .. } => vec![from, to],
            Step::DatabaseMigrate { server, target } | Step::DatabaseConnect { server, target } => {
                vec![server, target]
            }
            Step::Upgrade { machines, .. } => machines.iter().map(String::as_str).collect(),
            Step::DnsMove { from, to, .. } => vec![from, to],
            Step::SiteMove { vm, to_vm, .. } => std::iter::once(vm.as_str())
                .chain(to_vm.as_deref())
                .collect(),
            Step::SiteDelete { vm, .. } => vec![vm],
            Step::Deactivate { machine, .. } | Step::Delete { machine, .. } => vec![machine],
        }
    }

    /// A step that checks and changes nothing: a VM delivered, a site or a name as planned.
    pub fn is_check(&self) -> bool {
        matches!(
            self,
            Step::Prerequisite { .. }
                | Step::VerifySite { .. }
                | Step::VerifyName { .. }
                | Step::VerifyReleased { .. }
        )
    }

    /// A step after which there is no way back: something deleted.
    pub fn is_destructive(&self) -> bool {
        matches!(
            self,
            Step::Delete { .. } | Step::RemoveName { .. } | Step::SiteDelete { .. }
        )
    }
}

/// One step of a rollback: the inverse of a step of the intervention, in reverse order
/// (labels `rollback.KIND`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RollbackStep {
    Maintenance {
        url: String,
    },
    /// The name goes back to the VM that held it before.
    NameBack {
        name: String,
        to: String,
        from: String,
    },
    NameRestore {
        name: String,
        machine: String,
    },
    Reactivate {
        machine: String,
    },
    SiteBack {
        url: String,
        vm: String,
    },
    /// The database the new VMs used (and the upgrade changed) restored from the backup.
    RestoreDatabase {
        server: String,
    },
    MaintenanceOff {
        url: String,
    },
}

/// A rollback step with what the request says of it.
#[derive(Debug, Clone, Serialize)]
pub struct RollbackStepPlan {
    #[serde(flatten)]
    pub step: RollbackStep,
    pub text: String,
}

/// How an intervention can be undone.
#[derive(Debug, Clone, Serialize)]
pub struct RollbackPlan {
    /// The inverse steps, in the order to do them (empty when there is no way back).
    pub steps: Vec<RollbackStepPlan>,
    /// When the rollback stops being possible, or why it is not: « possible jusqu’à M+30,
    /// avant le point de non-retour : supprimer la VM examensweb », « aucun : … ».
    pub note: String,
}

/// The first step after which an instance's migration cannot be undone.
#[derive(Debug, Clone, Serialize)]
pub struct PointOfNoReturn {
    pub state_id: String,
    /// « à M+30 »
    pub when: String,
    /// The state's label, « M+30 ».
    pub label: String,
    pub date: Option<String>,
    /// What makes it so: the step's text, or the writer's limit.
    pub text: String,
}

/// A step with what the request says of it.
#[derive(Debug, Clone, Serialize)]
pub struct StepPlan {
    #[serde(flatten)]
    pub step: Step,
    /// « migrer les fichiers (donnees) de la VM examensweb vers la VM examens31 »
    pub text: String,
}

/// The kinds of work of an intervention, for its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Work {
    Data,
    Dns,
    HostedSites,
    Deactivation,
    Deletion,
}

impl Work {
    /// The key in the labels file (`work.KEY`).
    pub fn key(self) -> &'static str {
        match self {
            Work::Data => "data",
            Work::Dns => "dns",
            Work::HostedSites => "hosted_sites",
            Work::Deactivation => "deactivation",
            Work::Deletion => "deletion",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkPlan {
    pub work: Work,
    /// « migration des données »
    pub word: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InterventionPlan {
    pub state_id: String,
    pub state_kind: StateKind,
    pub label: String,
    pub heading: String,
    pub when: String,
    pub date: Option<String>,
    /// The date with its weekday in the long style.
    pub day: Option<String>,
    /// The Octopus number, once the request is filed.
    pub ticket: Option<u32>,
    pub steps: Vec<StepPlan>,
    /// Distinct kinds of work, in execution order.
    pub work: Vec<WorkPlan>,
    /// Every VM involved, with its names before and after.
    pub vms: Vec<VmRef>,
    /// How to undo it, if it can be.
    pub rollback: RollbackPlan,
    /// It has checks (a VM delivered, a site or a name as planned): its rollback is what to
    /// do when one fails; without any, when a problem shows.
    pub checked: bool,
    /// Its window, when the inventory gives one.
    pub window: Option<WindowPlan>,
}

/// When an intervention happens: a start time and duration in a time zone, and whom to
/// call, as the inventory gives them.
#[derive(Debug, Clone, Serialize)]
pub struct WindowPlan {
    /// « 18 h 00 », « 22 h 30 » (OQLF), or none (the whole day).
    pub start: Option<String>,
    pub end: Option<String>,
    /// AAAA-MM-JJTHH:MM, for the calendar files.
    /// It ends after midnight.
    pub end_next_day: bool,
    pub start_iso: Option<String>,
    pub end_iso: Option<String>,
    pub duration_minutes: Option<u32>,
    pub time_zone: String,
    pub contacts: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VmRef {
    pub machine: String,
    pub ip: Option<String>,
    pub dns_before: Vec<String>,
    pub dns_after: Vec<String>,
    pub deleted: bool,
}
