//! The plan's types for the service desk: the sites hosted on a VM and when they are
//! handled, and the intervention requests, step by step in execution order.

use crate::model::StateKind;
use serde::Serialize;

/// What becomes of a hosted site, as the inventory's `fate` says (serialized `move`,
/// `delete`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteFate {
    /// It moves to another host (`move-to`, a DNS name).
    Move,
    /// It is deleted.
    Delete,
}

/// One of an instance's hosted sites (`hosted_sites`), and when the service desk handles it.
#[derive(Debug, Clone, Serialize)]
pub struct HostedSitePlan {
    /// The site's URL (`https://…`), as the inventory writes it.
    pub url: String,
    /// The VM that hosts it today (a VM name).
    pub vm: String,
    /// Whether it moves or is deleted.
    pub fate: SiteFate,
    /// The DNS name of the host it moves to; None when it is deleted.
    pub move_to: Option<String>,
    /// The VM that holds `move_to` once the state's work is done, when the inventory has it.
    pub move_to_vm: Option<String>,
    /// The state where it is handled: when its VM stops (deactivation or deletion), else jour M.
    pub state_id: String,
    /// That state's « when » phrase: « le jour M », « à M+30 ».
    pub when: String,
}

/// The sites one VM hosts, in the inventory's order.
#[derive(Debug, Clone, Serialize)]
pub struct HostedGroup {
    /// The hosting VM's name.
    pub vm: String,
    /// The hosting VM's names at its first state.
    pub vm_dns: Vec<String>,
    /// Its hosted sites.
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
        /// The VM's name.
        machine: String,
        /// The Octopus number of its creation request; None until that request is filed.
        ticket: Option<u32>,
    },
    /// The database is saved (kept until the point of no return) before the data moves.
    BackupDatabase {
        /// The VM the database is on now (a VM name).
        server: String,
    },
    /// The application's files are backed up on the VM they come from.
    BackupFiles {
        /// The VM the files come from (the migration's `files_from`).
        machine: String,
        /// The name the application gives its files folder (`data`); None when not given.
        data_dir: Option<String>,
    },
    /// Put the instance in maintenance before its data moves.
    Maintenance {
        /// The instance's URL.
        url: String,
    },
    /// The application's files move to one VM that receives the instance.
    Files {
        /// The VM they come from (the migration's `files_from`).
        from: String,
        /// The receiving VM.
        to: String,
        /// The name the application gives its files folder (`data`); None when not given.
        data_dir: Option<String>,
    },
    /// The database moves from its server to its new one.
    DatabaseMigrate {
        /// The VM it leaves.
        server: String,
        /// The VM it goes to.
        target: String,
    },
    /// A VM that receives the instance is connected to the database where it now lives.
    DatabaseConnect {
        /// The VM that holds the database.
        server: String,
        /// The receiving VM connected to it.
        target: String,
    },
    /// The application brought to its target version on the VMs that received the data.
    Upgrade {
        /// The application's name, as the inventory gives it (`Wiki`).
        application: String,
        /// The version in production before the migration; None when the inventory omits it.
        from: Option<String>,
        /// The version it is brought to (`1.42.3`).
        target: String,
        /// The VMs that received the data (VM names).
        machines: Vec<String>,
    },
    /// A DNS name passes from one VM to another.
    DnsMove {
        /// The DNS name.
        name: String,
        /// The VM that gives it up.
        from: String,
        /// The VM that takes it.
        to: String,
    },
    /// A VM gives up a DNS name that no VM takes (the inventory's `dns-release`).
    DnsRelease {
        /// The DNS name.
        name: String,
        /// The VM that held it.
        machine: String,
    },
    /// A hosted site moves to `to` (a DNS name), held by `to_vm` when the inventory knows it.
    SiteMove {
        /// The site's URL.
        url: String,
        /// The VM it leaves.
        vm: String,
        /// The DNS name of its new host.
        to: String,
        /// The VM that holds `to` once the state's work is done; None when the inventory
        /// describes no such VM.
        to_vm: Option<String>,
    },
    /// A hosted site is deleted (after the checks, with what cannot be undone).
    SiteDelete {
        /// The site's URL.
        url: String,
        /// The VM that hosted it.
        vm: String,
    },
    /// Check that a site answers as expected.
    VerifySite {
        /// The instance's URL (when its data or names moved) or a moved site's URL.
        url: String,
    },
    /// The name resolves to the VM that took it (to its IP, once known).
    VerifyName {
        /// The DNS name.
        name: String,
        /// The VM that took it.
        machine: String,
        /// That VM's IPv4 address; None when the inventory has none yet (a VM to create).
        ip: Option<String>,
    },
    /// The name no longer designates the VM that gave it up.
    VerifyReleased {
        /// The DNS name.
        name: String,
        /// The VM that gave it up.
        machine: String,
    },
    /// After VMs are switched off, the instance (when one of its VMs still runs) and each
    /// site moved off them still answer without them: a failure is undone by switching them
    /// on again.
    VerifyWithout {
        /// The instance's URL, or a moved site's.
        url: String,
        /// The VMs switched off just before (VM names).
        machines: Vec<String>,
    },
    /// The instance comes out of maintenance once the checks are done.
    MaintenanceOff {
        /// The instance's URL.
        url: String,
    },
    /// A VM is switched off (deactivated).
    Deactivate {
        /// The VM's name.
        machine: String,
        /// Its IPv4 address; None when the inventory has none.
        ip: Option<String>,
        /// The DNS names it still holds once the state's work is done.
        dns: Vec<String>,
    },
    /// A name a VM about to be deleted still holds, removed from the DNS.
    RemoveName {
        /// The DNS name.
        name: String,
        /// The VM about to be deleted.
        machine: String,
    },
    /// A VM is deleted, after its names are removed (no way back).
    Delete {
        /// The VM's name.
        machine: String,
        /// Its IPv4 address; None when the inventory has none.
        ip: Option<String>,
        /// The DNS names it held (each removed by a `remove_name` step just before).
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
            Step::Upgrade { machines, .. } | Step::VerifyWithout { machines, .. } => {
                machines.iter().map(String::as_str).collect()
            }
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
                | Step::VerifyWithout { .. }
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
    /// Put the instance back in maintenance, first.
    Maintenance {
        /// The instance's URL.
        url: String,
    },
    /// The name goes back to the VM that held it before.
    NameBack {
        /// The DNS name.
        name: String,
        /// The VM that held it before (and gets it back).
        to: String,
        /// The VM that took it (and loses it).
        from: String,
    },
    /// A name a VM gave up (`dns_release`) is put back on it.
    NameRestore {
        /// The DNS name.
        name: String,
        /// The VM that held it.
        machine: String,
    },
    /// A deactivated VM is switched back on.
    Reactivate {
        /// The VM's name.
        machine: String,
    },
    /// A moved hosted site is put back on the VM it left.
    SiteBack {
        /// The site's URL.
        url: String,
        /// The VM it goes back to.
        vm: String,
    },
    /// The database the new VMs used (and the upgrade changed) restored from the backup.
    RestoreDatabase {
        /// The VM that holds the database (a VM name).
        server: String,
    },
    /// Take the instance out of maintenance, last.
    MaintenanceOff {
        /// The instance's URL.
        url: String,
    },
}

/// A rollback step with what the request says of it.
#[derive(Debug, Clone, Serialize)]
pub struct RollbackStepPlan {
    /// The step; serialized flat, its `kind` and fields beside `text`.
    #[serde(flatten)]
    pub step: RollbackStep,
    /// The label `rollback.KIND` rendered with the step's fields: « réactiver la VM
    /// examensweb ».
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
    /// The id of its state, as the inventory names it (`jour-m`, `m30`).
    pub state_id: String,
    /// « à M+30 »
    pub when: String,
    /// The state's label, « M+30 ».
    pub label: String,
    /// The instance's date at that state, in the document's date style (« 9 mars 2026 » or
    /// 2026-03-09); None when the instance has no date.
    pub date: Option<String>,
    /// What makes it so: the step's text, or the writer's limit.
    pub text: String,
}

/// A step with what the request says of it.
#[derive(Debug, Clone, Serialize)]
pub struct StepPlan {
    /// The step; serialized flat, its `kind` and fields beside `text`.
    #[serde(flatten)]
    pub step: Step,
    /// The label `step.KIND` rendered with the step's fields:
    /// « migrer les fichiers (donnees) de la VM examensweb vers la VM examens31 »
    pub text: String,
}

/// The kinds of work of an intervention, for its subject (serialized `data`, `dns`,
/// `hosted-sites`, `deactivation`, `deletion`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Work {
    /// Files, database or upgrade steps.
    Data,
    /// DNS names moved or given up.
    Dns,
    /// Hosted sites moved or deleted.
    HostedSites,
    /// VMs deactivated.
    Deactivation,
    /// VMs deleted.
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

/// One kind of work of an intervention, with its words.
#[derive(Debug, Clone, Serialize)]
pub struct WorkPlan {
    /// The kind.
    pub work: Work,
    /// The label `work.KEY`: « migration des données »
    pub word: String,
}

/// One intervention request: an instance's work at one state, step by step.
#[derive(Debug, Clone, Serialize)]
pub struct InterventionPlan {
    /// The id of its state, as the inventory names it (`jour-m`, `m30`).
    pub state_id: String,
    /// Its state's kind: `reference`, `before`, `migration` or `after`.
    pub state_kind: StateKind,
    /// The state's label: `jour M`, `M+30`, `M-7` (a date for the reference state).
    pub label: String,
    /// The instance's column heading for that state, with its date when known: « État le
    /// jour de migration (jour M, 9 mars 2026) ».
    pub heading: String,
    /// The state's « when » phrase: « le jour M », « à M+30 ».
    pub when: String,
    /// The instance's date at that state, in the document's date style (« 9 mars 2026 » or
    /// 2026-03-09); None when the instance has no date.
    pub date: Option<String>,
    /// The date with its weekday in the long style.
    pub day: Option<String>,
    /// The Octopus number, once the request is filed.
    pub ticket: Option<u32>,
    /// Its steps, in execution order.
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
    /// « 18 h », « 22 h 30 » (OQLF), or none (the whole day).
    pub start: Option<String>,
    /// The start plus the duration, worded as `start` (« 2 h » past midnight); None
    /// unless both are given.
    pub end: Option<String>,
    /// It ends after midnight.
    pub end_next_day: bool,
    /// AAAA-MM-JJTHH:MM, for the calendar files.
    /// None when the start or the intervention's date is unknown.
    pub start_iso: Option<String>,
    /// The end as AAAA-MM-JJTHH:MM (on the next day past midnight); None when `end` or the
    /// date is unknown.
    pub end_iso: Option<String>,
    /// The entry's `duration` (`4h`, `2h30`) in minutes; None when not given.
    pub duration_minutes: Option<u32>,
    /// The document's IANA time zone (`America/Toronto` when the inventory names none).
    pub time_zone: String,
    /// Whom to call during the intervention, free text from the inventory entry.
    pub contacts: Option<String>,
}

/// A VM an intervention's steps name, as that intervention sees it.
#[derive(Debug, Clone, Serialize)]
pub struct VmRef {
    /// The VM's name.
    pub machine: String,
    /// Its IPv4 address; None when the inventory has none (a VM to create).
    pub ip: Option<String>,
    /// The DNS names it holds when the state's work starts.
    pub dns_before: Vec<String>,
    /// The DNS names it holds once the state's work is done.
    pub dns_after: Vec<String>,
    /// This intervention deletes it.
    pub deleted: bool,
}
