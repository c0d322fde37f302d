//! The plan's types for what an instance's migration changes: its application (upgraded
//! or kept), its platform, the words that name that work, and the writer's own sections.

use serde::Serialize;

/// A source code installed first on the new VMs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstallPlan {
    /// The platform (or the application) whose code it is.
    pub name: String,
    pub version: String,
}

/// The writer's own sections, in Markdown (validated: no heading, HTML, code block or table).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SectionsPlan {
    pub notes: Option<String>,
    pub communication: Option<String>,
    pub rollback: Option<String>,
}

/// What changes for an instance that migrates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpgradePlan {
    pub kind: UpgradeKind,
    /// Its application (upgraded, or kept at its version), when named.
    pub application: Option<ApplicationPlan>,
    pub platform: PlatformPlan,
}

/// What an instance's migration is, for the words that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UpgradeKind {
    /// Its application goes from one version to another.
    Application,
    /// Only its system (and components) change; its application keeps its version.
    System,
    /// Nothing changes but its VMs.
    Move,
}

/// Instances whose migration is the same change.
#[derive(Debug, Clone, Serialize)]
pub struct UpgradeGroup {
    /// The change (for a system upgrade, without the applications the instances keep).
    pub upgrade: UpgradePlan,
    pub names: Vec<String>,
    /// A system upgrade: the applications that keep their version, with it.
    pub kept: Vec<ApplicationPlan>,
}

/// How a request names its instance's work: « mise à jour d’Examens à Plateforme 3.1 »
/// (`subject`, after « — » in an object line) and « de la mise à jour de … » (`context`,
/// after « Dans le cadre »).
#[derive(Debug, Clone, Serialize)]
pub struct PurposePlan {
    pub subject: String,
    pub context: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationPlan {
    pub name: String,
    /// An upgrade: from this version…
    pub from: Option<String>,
    /// …to this one.
    pub target: Option<String>,
    /// `3.5` for `3.5.3`: the annexe titles name the branch.
    pub target_branch: Option<String>,
    /// Kept at this version (only the system changes).
    pub version: Option<String>,
    pub source_code: Option<String>,
    pub data_dir: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SoftwarePlan {
    pub name: String,
    pub version: String,
    /// The version it replaces, when given.
    pub from: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlatformPlan {
    pub name: Option<String>,
    /// The new VMs' system, when it changes.
    pub os: Option<SoftwarePlan>,
    pub components: Vec<SoftwarePlan>,
}
