//! The plan's types for the service desk: the sites hosted on a VM and when they are
//! handled, and the intervention requests, step by step in execution order.

use super::types::DatabaseStrategy;
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

/// One step of an intervention request, in the order a technician does them.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Step {
    /// Put the instance in maintenance before its data moves.
    Maintenance {
        url: String,
    },
    Files {
        from: String,
        to: String,
        data_dir: Option<String>,
    },
    Database {
        strategy: DatabaseStrategy,
        server: String,
        target: String,
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
    HostedSite(HostedSitePlan),
    Deactivate {
        machine: String,
        ip: Option<String>,
        dns: Vec<String>,
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
            Step::Maintenance { .. } => vec![],
            Step::Files { from, to, .. } => vec![from, to],
            Step::Database { server, target, .. } => vec![server, target],
            Step::DnsMove { from, to, .. } => vec![from, to],
            Step::DnsRelease { machine, .. } => vec![machine],
            Step::HostedSite(h) => vec![&h.vm],
            Step::Deactivate { machine, .. } | Step::Delete { machine, .. } => vec![machine],
        }
    }
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
}

#[derive(Debug, Clone, Serialize)]
pub struct VmRef {
    pub machine: String,
    pub ip: Option<String>,
    pub dns_before: Vec<String>,
    pub dns_after: Vec<String>,
    pub deleted: bool,
}
