//! The inventory as written: typed, every value with its source position.
//!
//! This is the *load* stage's output. Nothing here is derived; the plan
//! (`crate::plan`) computes colours, counts and DNS moves from it.
//! Every struct refuses unknown keys so that a typo is reported, not ignored.

use serde::Deserialize;
pub use serde_saphyr::Spanned;

/// A value with the position where the inventory wrote it.
pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    pub document: Document,
    pub states: Vec<State>,
    pub instances: Vec<Instance>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub title: S<String>,
    pub organisation: S<String>,
    pub purpose: S<String>,
    pub decision: Decision,
    pub platform: Platform,
    pub moodle: Moodle,
    /// The DNS zones the inventory's names belong to (e.g. `cegepadistance.ca`).
    pub zones: Vec<S<String>>,
    /// DNS names outside `zones` that are known to be right.
    #[serde(default)]
    pub dns_allow: Vec<S<String>>,
    /// The Octopus mailbox that turns an email into a ticket. Not invented when absent.
    #[serde(default)]
    pub octopus_mailbox: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub meeting: S<String>,
    pub date: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    pub os: S<String>,
    pub os_version: S<String>,
    pub php: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moodle {
    /// The branch in production now, e.g. `3.1`.
    pub from: S<String>,
    /// The release to reach, e.g. `3.5.3`.
    pub target: S<String>,
    /// The source code installed first on the new VMs, e.g. `3.1.5`.
    pub source_code: S<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StateKind {
    /// A dated snapshot before the migration.
    Reference,
    /// The day each instance migrates (jour M); its date belongs to the instance.
    Migration,
    /// Some days after jour M (`offset_days`).
    After,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub id: S<String>,
    pub kind: S<StateKind>,
    /// Short name used in tables and tickets: `jour M`, `M+30`.
    pub label: S<String>,
    #[serde(default)]
    pub date: Option<S<String>>,
    #[serde(default)]
    pub offset_days: Option<S<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub id: S<String>,
    pub name: S<String>,
    pub annexe: S<u32>,
    pub users: S<String>,
    pub role: S<String>,
    pub url: S<String>,
    /// 1 migrates first.
    pub order: S<u32>,
    /// The date of this instance's jour M, when it is known.
    #[serde(default)]
    pub jour_m: Option<S<String>>,
    /// What the annexe shows, e.g. "toutes les instances de Campus excepté celles de Projets".
    pub scope: S<String>,
    pub migration: Migration,
    pub vms: Vec<Vm>,
    #[serde(default)]
    pub already_deleted: Vec<DeletedVm>,
    #[serde(default)]
    pub hosted_sites: Vec<HostedSite>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    /// The VM whose files directory (filedir) moves to the new VM.
    pub filedir_from: S<String>,
    pub database: S<Database>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Database {
    /// The new VM connects to the database server that stays (machine name).
    Connect(String),
    /// The database moves from this machine to the new VM.
    Migrate(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vm {
    pub machine: S<String>,
    /// Absent for a VM still to create.
    #[serde(default)]
    pub ip: Option<S<String>>,
    /// DNS names the VM holds at the first state where it exists.
    #[serde(default)]
    pub dns: Vec<S<String>>,
    /// Current role; absent for a VM still to create.
    #[serde(default)]
    pub role: Option<S<String>>,
    /// Role after the last state; absent exactly when the VM is deleted.
    #[serde(default)]
    pub role_after: Option<S<String>>,
    /// Actions per state id, e.g. `jour-m: [deactivate]`.
    #[serde(default)]
    pub actions: Vec<StateActions>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateActions {
    pub state: S<String>,
    #[serde(rename = "do")]
    pub actions: Vec<S<Action>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// The VM is created at this state, asked for with an Octopus ticket.
    Create(Creation),
    /// The VM is taken out of service (kept, not running the instance any more).
    Deactivate,
    /// The VM is deleted.
    Delete,
    /// This VM takes a DNS name from another VM.
    DnsMove(DnsMove),
    /// This VM gives up a DNS name that nobody takes.
    DnsRelease(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Creation {
    #[serde(default)]
    pub ticket: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsMove {
    pub name: String,
    pub from: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeletedVm {
    /// As the team knows it: a DNS name or a machine name.
    pub name: S<String>,
    pub ip: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostedSite {
    pub url: S<String>,
    /// The machine that hosts it now.
    pub vm: S<String>,
    pub fate: S<Fate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fate {
    /// Moves to another host (DNS name).
    MoveTo(String),
    Delete,
}
