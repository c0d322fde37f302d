//! The plan's types for what an instance's migration changes: its application (upgraded
//! or kept), its platform, the words that name that work, and the writer's own sections.

use serde::Serialize;

/// A source code installed first on the new VMs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstallPlan {
    /// The platform (or the application) whose code it is.
    pub name: String,
    /// The version of that code (`application.source_code`): `1.39.8`.
    pub version: String,
}

/// The writer's own sections, in Markdown (validated: no heading, HTML, code block or table).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SectionsPlan {
    /// « Notes », when written: trimmed, with French spaces.
    pub notes: Option<String>,
    /// « Communication » (whom to tell, when and how), when written: trimmed, with French
    /// spaces.
    pub communication: Option<String>,
    /// « Retour arrière » (how to go back), when written: trimmed, with French spaces.
    pub rollback: Option<String>,
}

/// What changes for an instance that migrates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpgradePlan {
    /// Which change it is: it picks the words of the labels `purpose.*` and `annexe.*`.
    pub kind: UpgradeKind,
    /// Its application (upgraded, or kept at its version), when named.
    pub application: Option<ApplicationPlan>,
    /// The platform of the new VMs: the document's, each key the instance gives replacing it.
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
    /// The names of the instances that make this change, in inventory order.
    pub names: Vec<String>,
    /// A system upgrade: the applications that keep their version, with it.
    pub kept: Vec<ApplicationPlan>,
}

/// How a request names its instance's work: « mise à jour d’Examens à Plateforme 3.1 »
/// (`subject`, after « — » in an object line) and « de la mise à jour de … » (`context`,
/// after « Dans le cadre »).
#[derive(Debug, Clone, Serialize)]
pub struct PurposePlan {
    /// After « — » in a request's object line (label `purpose.subject.KIND`).
    pub subject: String,
    /// After « Dans le cadre » in a request (label `purpose.context.KIND`).
    pub context: String,
}

/// A migrating instance's application: its own `application`, else the document's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationPlan {
    /// The application's name, as the inventory writes it (`Wiki`).
    pub name: String,
    /// An upgrade: from this version…
    pub from: Option<String>,
    /// …to this one.
    pub target: Option<String>,
    /// `3.5` for `3.5.3`: the annexe titles name the branch.
    pub target_branch: Option<String>,
    /// Kept at this version (only the system changes).
    pub version: Option<String>,
    /// The version of its source code installed first on the new VMs (`1.39.8`), when given.
    pub source_code: Option<String>,
    /// The name the application gives its files folder (`data`), when given.
    pub data_dir: Option<String>,
}

/// A piece of software, as the inventory writes it: one a VM runs, a new system or a
/// component upgraded with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SoftwarePlan {
    /// Its name (`Debian`, `PHP`, `PostgreSQL`).
    pub name: String,
    /// Its version, as written (`12`, `8.2.7`).
    pub version: String,
    /// The version it replaces, when given.
    pub from: Option<String>,
}

/// The platform of a migrating instance's new VMs: the document's `platform`, each key the
/// instance's own gives replacing it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlatformPlan {
    /// The platform's name, whose source code is installed (`Portail`), when given.
    pub name: Option<String>,
    /// The new VMs' system, when it changes.
    pub os: Option<SoftwarePlan>,
    /// The components upgraded with the system (PHP 8.2), in inventory order; empty when none.
    pub components: Vec<SoftwarePlan>,
}
