//! The plan's types: every fact a renderer shows, resolved to its text. Renderers only read
//! these (through templates, which see them as the serialized names below).

pub use super::change::*;
pub use super::legend::*;
use super::requests::{HostedGroup, InterventionPlan, PointOfNoReturn};
use crate::french::DateStyle;
use crate::model::{Environment, StateKind};
use serde::Serialize;

/// The whole migration, every fact resolved to its words: what the renderers read.
/// `document.md.tera` sees its fields at the top level (`{{ title }}`).
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The document's title (`document.title`), as the inventory writes it.
    pub title: String,
    /// The organisation that migrates (`document.organisation`), as written.
    pub organisation: String,
    /// The document's purpose, one sentence (`document.purpose`), as written.
    pub purpose: String,
    /// The decision to create new VMs: who decided and when.
    pub decision: DecisionPlan,
    /// How dates are worded (`document.date_style`): `iso` (2024-04-06, the default) or
    /// `long` (« 6 avril 2024 »); every date in words below follows it.
    pub date_style: DateStyle,
    /// What changes for the migrated instances, grouped by identical change (the
    /// « Contexte » says one sentence per group).
    pub upgrades: Vec<UpgradeGroup>,
    /// Why new VMs, in the writer's words (whitespace collapsed), when given.
    pub rationale: Option<String>,
    /// The writer's own sections of the document.
    pub sections: SectionsPlan,
    /// The Octopus mailbox (`octopus.mailbox`, or the older `document.octopus_mailbox`):
    /// one address or a list, never invented.
    pub octopus_mailbox: Option<String>,
    /// How requests reach Octopus and how an update names its request.
    pub octopus: OctopusPlan,
    /// The docs site may be indexed by search engines (`document.public_site`).
    pub public_site: bool,
    /// Where the docs site is published (`document.site_url`), ending with `/`: the
    /// exports' links to its files lead there.
    pub site_url: Option<String>,
    /// The paper the inventory asks for (`document.paper`); `--paper` overrides it.
    pub paper: Option<crate::model::Paper>,
    /// Every state, in inventory order, without instance dates (only the reference state has
    /// its own).
    pub states: Vec<StatePlan>,
    /// Index of jour M in `states`.
    pub migration_state: usize,
    /// The reference state's date, as the prose writes it.
    pub reference_date: String,
    /// The reference state's date (for the exports' metadata; AAAA-MM-JJ to templates).
    pub reference_iso: crate::date::Date,
    /// The four colours with their words, in [`Colour::ALL`]'s order.
    pub legend: Vec<ColourPlan>,
    /// Instances in inventory order.
    pub instances: Vec<InstancePlan>,
    /// Instance names in migration order.
    pub migration_order: Vec<String>,
    /// The instances that migrate, grouped by environment (order of first appearance).
    pub environments: Vec<EnvironmentGroup>,
    /// The names of the instances that migrate (they have a `migration`).
    pub migrating: Vec<String>,
    /// The names of the migrating instances in migration order.
    pub migrating_order: Vec<String>,
    /// The names of the instances that only change their VMs.
    pub not_migrating: Vec<String>,
    /// What the migrating instances need, for the procedure of the document.
    pub procedure: Procedure,
    /// Those instances grouped by what happens to their database.
    pub database_groups: Vec<DatabaseGroup>,
    /// VMs to create, all instances.
    pub to_create: usize,
    /// Every request of every instance, in date order.
    pub calendar: Vec<CalendarEntry>,
    /// Days between jour M and the last state (« Rôle après la migration + 30 jours »).
    pub after_days: u32,
}

/// What the migrating instances need, all together.
#[derive(Debug, Clone, Serialize)]
pub struct Procedure {
    /// At least one migration target is created.
    pub creations: bool,
    /// Every migrating instance creates exactly its target (« une nouvelle VM », « cette VM »).
    pub one_creation_each: bool,
    /// At least one instance moves files.
    pub files: bool,
    /// At least one instance is received by several VMs.
    pub several_targets: bool,
    /// At least one DNS name changes hands on jour M.
    pub dns: bool,
    /// At least one instance connects or migrates a database.
    pub database: bool,
    /// What is installed first on the new VMs (`source_code`), distinct, in order:
    /// « le code source du Portail 2.0.9 ».
    pub installs: Vec<InstallPlan>,
    /// The application versions the files come from, distinct (« l’instance 3.1 »).
    pub from_versions: Vec<String>,
    /// The names of the files folders, distinct.
    pub data_dirs: Vec<String>,
}

/// The decision to create new VMs (`document.decision`).
#[derive(Debug, Clone, Serialize)]
pub struct DecisionPlan {
    /// Who decided, as the inventory writes it (`decision.meeting`): « DRI », « comité de
    /// direction ».
    pub meeting: String,
    /// The meeting as « la réunion … » goes on: « du comité de direction », « DRI ».
    pub meeting_phrase: String,
    /// The decision's date, in the document's date style.
    pub date: String,
}

/// One state of the annexes, as every instance shares it (no instance dates).
#[derive(Debug, Clone, Serialize)]
pub struct StatePlan {
    /// The state's id as the inventory writes it (`jour-m`, `m30`): what columns, cells,
    /// requests and ticket files refer to it by.
    pub id: String,
    /// `reference`, `before`, `migration` or `after`.
    pub kind: StateKind,
    /// `2018-12-12`, `M-7`, `jour M`, `M+30`.
    pub label: String,
    /// The column heading without instance dates.
    pub heading: String,
    /// « le jour M », « à M+30 »: how a sentence says when.
    pub when: String,
    /// Days before or after jour M.
    pub offset_days: Option<u32>,
    /// The reference state's date.
    pub date: Option<String>,
}

/// An instance's environment with its words from the labels file (`environment.KEY`).
#[derive(Debug, Clone, Serialize)]
pub struct EnvironmentPlan {
    /// The key as the inventory writes it: `production`, `preproduction`, `test`,
    /// `development`, `training` or `sandbox`.
    pub environment: Environment,
    /// « production »
    pub name: String,
    /// « de production »
    pub phrase: String,
}

/// The migrating instances of one environment.
#[derive(Debug, Clone, Serialize)]
pub struct EnvironmentGroup {
    /// The environment, with its words.
    pub environment: EnvironmentPlan,
    /// The names of its migrating instances, in inventory order.
    pub names: Vec<String>,
}

/// What becomes of a migrating instance's database (`migration.database`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatabaseStrategy {
    /// The new VM connects to the database server that stays.
    Connect,
    /// The database moves to another machine.
    Migrate,
    /// The database stays where it is, and nothing about it changes.
    Stays,
}

/// A migrating instance's database, as `migration.database` says.
#[derive(Debug, Clone, Serialize)]
pub struct DatabasePlan {
    /// What becomes of it.
    pub strategy: DatabaseStrategy,
    /// Connect, stays: the database server. Migrate: the machine the database leaves.
    pub server: String,
    /// Migrate: the machine that receives it (a receiving VM of the instance, or another
    /// database server).
    pub to: Option<String>,
}

/// The migrating instances whose database is handled the same way (never `stays`).
#[derive(Debug, Clone, Serialize)]
pub struct DatabaseGroup {
    /// The way, `connect` or `migrate`.
    pub strategy: DatabaseStrategy,
    /// The instances' names, in inventory order.
    pub names: Vec<String>,
}

/// An instance's migration (`migration`): the VMs that receive it, its files, its database.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationPlan {
    /// The VMs that run the instance after jour M (one, or several nodes).
    pub targets: Vec<String>,
    /// Whether every target is created for the migration.
    pub target_created: bool,
    /// The host name of the VM whose files are copied onto each target
    /// (`migration.files_from`); `None` when no files move.
    pub files_from: Option<String>,
    /// What becomes of its database; `None` when the inventory says nothing of it.
    pub database: Option<DatabasePlan>,
}

/// One instance: its annexe, its VMs across the states, its requests.
#[derive(Debug, Clone, Serialize)]
pub struct InstancePlan {
    /// The instance's id (`portail`): lowercase, it names its files and its anchor.
    pub id: String,
    /// The instance's name as one says it (« Portail »), as the inventory writes it.
    pub name: String,
    /// Its environment, with its words.
    pub environment: EnvironmentPlan,
    /// The number of its annexe (`annexe`; by default its place in the inventory, from 1).
    pub annexe: u32,
    /// « Annexe 1. Migration Examens 2.0 vers Plateforme version 3.1 ».
    pub annexe_title: String,
    /// What its annexe shows, after « Schéma »: « de la migration d’Examens vers … ».
    pub annexe_subject: String,
    /// Paths relative to the output folder.
    pub annexe_svg: String,
    /// `annexes/annexe-N.png`, its annexe as an image, relative to the output folder.
    pub annexe_png: String,
    /// The id of the instance's section in the document (`machines-virtuelles-ID`).
    pub anchor: String,
    /// Its users, as the inventory writes them.
    pub users: String,
    /// Its role, as the inventory writes it.
    pub role: String,
    /// Its address (`https://…`), as the inventory writes it.
    pub url: String,
    /// Its rank in the migration order, 1 first (`order`; by default its place in the
    /// inventory).
    pub order: u32,
    /// Its own jour M in the document's date style; `None` when the inventory gives none (not
    /// known yet, or not migrated).
    pub jour_m: Option<String>,
    /// What its annexe's schema covers, in the writer's words (`scope`), when given.
    pub scope: Option<String>,
    /// Its migration; `None`: it is not migrated, only its VMs change.
    pub migration: Option<MigrationPlan>,
    /// What changes for it (`None`: it is not migrated, only its VMs change).
    pub upgrade: Option<UpgradePlan>,
    /// How its requests name its work.
    pub purpose: PurposePlan,
    /// For an instance not migrated: the migrating instance whose jour M dates its states.
    pub follows: Option<String>,
    /// The writer's own sections, at the end of its section.
    pub sections: SectionsPlan,
    /// One column per state, with this instance's dates when known.
    pub columns: Vec<ColumnPlan>,
    /// Its VMs, in inventory order: the rows of its table and the lines of its annexe.
    pub vms: Vec<VmPlan>,
    /// The VMs created, in inventory order.
    pub creations: Vec<CreationPlan>,
    /// How many VMs it creates.
    pub to_create: usize,
    /// The known Octopus numbers of the creations.
    pub creation_tickets: Vec<u32>,
    /// Creations without an Octopus number yet.
    pub creations_without_ticket: usize,
    /// The DNS names that change hands between its VMs, in the order the inventory writes
    /// them (VM by VM of the taking side).
    pub dns_moves: Vec<DnsMovePlan>,
    /// Machines deleted by the last state.
    pub deleted: Vec<String>,
    /// Its VMs already deleted when the document is written (`already_deleted`), in inventory
    /// order.
    pub already_deleted: Vec<DeletedPlan>,
    /// Sites hosted by the instance's VMs, grouped by VM.
    pub hosted: Vec<HostedGroup>,
    /// The work asked of the service desk, one request per state.
    pub interventions: Vec<InterventionPlan>,
    /// The first step after which its migration cannot be undone, if any.
    pub point_of_no_return: Option<PointOfNoReturn>,
    /// The action kinds this annexe shows, in execution order.
    pub action_legend: Vec<ActionLegend>,
    /// At least one of its VMs says what it runs: its table has a column for it.
    pub with_software: bool,
}

/// One state as an instance's column shows it, with this instance's dates when known.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnPlan {
    /// The state's id (`jour-m`), as [`StatePlan::id`].
    pub state_id: String,
    /// `reference`, `before`, `migration` or `after`.
    pub kind: StateKind,
    /// The state's label, as [`StatePlan::label`]: `2018-12-12`, `M-7`, `jour M`, `M+30`.
    pub label: String,
    /// The column heading, with this instance's date when known.
    pub heading: String,
    /// How a sentence says when (« le jour M »), with this instance's date when known.
    pub when: String,
    /// This instance's date of the state, in the document's date style; `None` where neither
    /// its jour M nor that of the instance it follows is known (the reference state always has
    /// one).
    pub date: Option<String>,
    /// The date with its weekday in the long style (« lundi 14 janvier 2019 »), for the
    /// requests; as `date` in the ISO style.
    pub day: Option<String>,
    /// The date (for windows and calendars; AAAA-MM-JJ to templates).
    pub iso: Option<crate::date::Date>,
}

/// A VM an instance creates.
#[derive(Debug, Clone, Serialize)]
pub struct CreationPlan {
    /// The VM's host name, as the inventory writes it.
    pub machine: String,
    /// The Octopus number of its creation request, once known.
    pub ticket: Option<u32>,
    /// Index of the state of the creation.
    pub state: usize,
}

/// One VM of an instance across the states: its row of the VM table and its line in the
/// annexe.
#[derive(Debug, Clone, Serialize)]
pub struct VmPlan {
    /// The VM's host name, as the inventory writes it (`portailweb`).
    pub machine: String,
    /// Its IPv4 address; `None` when the inventory gives none (a VM to create).
    pub ip: Option<String>,
    /// « Nom de DNS actuel »: the names held at the VM's first state.
    pub dns_now: Vec<String>,
    /// « Rôle actuel » (« À être créée » for a VM to create).
    pub role_now: String,
    /// « Rôle après la migration » (« Supprimée » when deleted).
    pub role_after: String,
    /// It is created at one of the states.
    pub to_create: bool,
    /// Index in `states` (and `columns`) of the state where it is created; `None` for a VM
    /// that exists already.
    pub created_at: Option<usize>,
    /// Index of the state where it is deleted; `None` when it is kept.
    pub deleted_at: Option<usize>,
    /// Index of the state where it is deactivated; `None` when it never is.
    pub deactivated_at: Option<usize>,
    /// It receives the instance's migration.
    pub is_target: bool,
    /// What it runs (« PostgreSQL 15 »), when the inventory says.
    pub software: Vec<SoftwarePlan>,
    /// A VM to create: the first state where it acts, takes a name or receives data, which
    /// it must exist before (its request says so).
    pub needed_by: Option<ColumnPlan>,
    /// A VM to create: the first state after its creation where its DNS names change, and
    /// the names it holds then.
    pub dns_change: Option<DnsChangePlan>,
    /// The DNS names this VM takes from others (the VMs it replaces).
    pub replaces: Vec<ReplacedPlan>,
    /// The Octopus number of its creation request, once known; `None` for a VM not created.
    pub ticket: Option<u32>,
    /// No intervention at any state.
    pub green: bool,
    /// One per state.
    pub cells: Vec<CellPlan>,
}

/// The first state after a VM's creation where its DNS names change.
#[derive(Debug, Clone, Serialize)]
pub struct DnsChangePlan {
    /// That state, as the instance's column shows it.
    pub column: ColumnPlan,
    /// The DNS names the VM holds once that state's work is done.
    pub names: Vec<String>,
}

/// A DNS name a VM takes from another VM of the instance.
#[derive(Debug, Clone, Serialize)]
pub struct ReplacedPlan {
    /// The DNS name taken.
    pub name: String,
    /// The host name of the VM that held it.
    pub machine: String,
    /// That VM's IPv4 address, when the inventory gives it.
    pub ip: Option<String>,
    /// When it is taken, as a sentence says it (« le jour M »; [`StatePlan::when`], without
    /// this instance's dates).
    pub when: String,
}

/// One VM at one state: a box of the annexe and a cell of the operations table.
#[derive(Debug, Clone, Serialize)]
pub struct CellPlan {
    /// The state's id (`jour-m`).
    pub state_id: String,
    /// The VM exists at this state: its annexe draws a box.
    pub present: bool,
    /// Its colour: green for a VM never touched, blue at its creation, red with other
    /// actions, black when nothing happens to it here.
    pub colour: ColourPlan,
    /// DNS names held once the state's work is done; a VM deleted at this state still lists
    /// the names it held until then, which its deletion takes out of the DNS.
    pub dns: Vec<String>,
    /// DNS names held when the state's work starts.
    pub dns_before: Vec<String>,
    /// The VM's IPv4 address (the same at every state), when the inventory gives it.
    pub ip: Option<String>,
    /// The role its box shows: the new one (`role_after`) once the VM is created for the
    /// migration or at the last state, the current one (`role`) before; either stands in for
    /// the other, empty when neither is given.
    pub role: String,
    /// Deactivated at an earlier state and not deleted before this one: the box and the
    /// table say so (a word and a symbol).
    pub deactivated: bool,
    /// What happens to the VM at this state, in execution order.
    pub actions: Vec<ActionPlan>,
    /// What the operations table says: « ○ désactivation ; … (rouge) », « — » when absent.
    pub summary: String,
}

/// What a calendar entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CalendarKind {
    /// A VM to create, dated by when it is needed.
    Creation,
    /// An intervention request of a state, dated by that state and its window's start.
    Intervention,
}

/// One request of the migration's calendar.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarEntry {
    /// The date, when known (AAAA-MM-JJ to templates).
    pub iso: Option<crate::date::Date>,
    /// The date as the prose writes it, with its weekday in the long style.
    pub day: Option<String>,
    /// AAAA-MM-JJTHH:MM, when its window gives a start.
    pub start: Option<String>,
    /// The instance's name (« Portail »).
    pub instance: String,
    /// The instance's id (`portail`).
    pub instance_id: String,
    /// The request's state: a creation's, or the intervention's.
    pub state_id: String,
    /// The VM a creation request creates.
    pub machine: Option<String>,
    /// A creation or an intervention.
    pub kind: CalendarKind,
    /// « création de la VM examens31 (Octopus 10452), requise avant le jour M ».
    pub what: String,
}

/// A DNS name changing hands between two VMs of an instance.
#[derive(Debug, Clone, Serialize)]
pub struct DnsMovePlan {
    /// The id of the state where it moves.
    pub state_id: String,
    /// When it moves, as a sentence says it (« le jour M »; [`StatePlan::when`], without this
    /// instance's dates).
    pub when: String,
    /// The DNS name.
    pub name: String,
    /// The host name of the VM that gives it.
    pub from: String,
    /// The host name of the VM that takes it.
    pub to: String,
}

/// A VM of an instance already deleted when the document is written (`already_deleted`).
#[derive(Debug, Clone, Serialize)]
pub struct DeletedPlan {
    /// As the team knows it: a DNS name or a host name, as the inventory writes it.
    pub name: String,
    /// Its IPv4 address.
    pub ip: String,
}

/// The inventory's Octopus settings, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OctopusPlan {
    /// `From:` of the e-mails `bascule send` sends.
    pub sender: Option<String>,
    /// What an e-mail to the mailbox opens (`octopus.request`): `incident` (the default) or
    /// `service-request`.
    pub request: crate::model::RequestKind,
    /// A service request's body is enclosed in this token (only for service requests).
    pub sr_token: Option<String>,
    /// An update's subject, with `{kind}`, `{number}` and `{subject}`.
    pub update_subject: String,
    /// `{kind}`.
    pub kind_label: String,
}

impl OctopusPlan {
    /// The subject of an update of request `number` whose own subject is `subject`.
    pub fn update_subject(&self, number: u32, subject: &str) -> String {
        self.update_subject
            .replace("{kind}", &self.kind_label)
            .replace("{number}", &number.to_string())
            .replace("{subject}", subject)
    }
}
