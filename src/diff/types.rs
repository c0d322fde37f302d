//! What a change of the inventory does, as data: rows of facts, VMs, cells, DNS moves,
//! tickets and counts that changed, for the document and for each instance. Keys are stable
//! English words (the JSON format shows them as they are); the French words for them are in
//! `templates/labels.yaml` under `diff.`.

use serde::Serialize;

/// Declares a key enum with its serialized name (also its labels key) and the list of all.
macro_rules! keys {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $key:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
        pub enum $name { $($(#[$vdoc])* #[serde(rename = $key)] $variant,)* }

        impl $name {
            /// Every key, in declaration order (the order of the labels file).
            pub const ALL: &[$name] = &[$($name::$variant,)*];

            /// The key in JSON and in the labels file.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key,)* }
            }
        }
    };
}

keys! {
    /// What a row says changed.
    Kind {
        /// A fact differs; the row's key says which.
        Fact => "fact",
        /// A count differs; the row's key says which.
        Count => "count",
        /// A state only the new side has (subject: its id; new: its label).
        StateAdded => "state-added",
        /// A state only the old side has (subject: its id; old: its label).
        StateRemoved => "state-removed",
        /// A VM only the new side has (subject: its machine; new: its current role).
        VmAdded => "vm-added",
        /// A VM only the old side has (subject: its machine; old: its current role).
        VmRemoved => "vm-removed",
        /// A VM's annexe cell whose colour, presence or actions changed at a state both
        /// sides have (subject: the machine; old and new: the cell's summary).
        Cell => "cell",
        /// A DNS move only the new side makes (subject: the name; new: `from → to, state`).
        DnsMoveAdded => "dns-move-added",
        /// A DNS move only the old side makes (subject: the name; old: `from → to, state`).
        DnsMoveRemoved => "dns-move-removed",
        /// A DNS move of the same name whose VMs or state changed.
        DnsMoveChanged => "dns-move-changed",
        /// A request only the new side has (key: its kind; subject: the machine or the
        /// state's label; new: its Octopus number, `None` while unknown).
        TicketAdded => "ticket-added",
        /// A request only the old side has (old: its Octopus number, `None` while unknown).
        TicketRemoved => "ticket-removed",
        /// A request on both sides whose Octopus number changed.
        TicketChanged => "ticket-changed",
    }
}

keys! {
    /// A fact of the document, of an instance or of a VM.
    Fact {
        /// The document's title (`document.title`).
        Title => "title",
        /// The organisation that migrates (`document.organisation`).
        Organisation => "organisation",
        /// The document's purpose, one sentence (`document.purpose`).
        Purpose => "purpose",
        /// Who decided on the new VMs (`document.decision.meeting`).
        DecisionMeeting => "decision-meeting",
        /// The date of that decision (`document.decision.date`).
        DecisionDate => "decision-date",
        /// The name of an instance's application.
        Application => "application",
        /// The application's version before the migration.
        ApplicationFrom => "application-from",
        /// The version the application ends at: its target, or the version it keeps.
        ApplicationTarget => "application-target",
        /// The name of an instance's platform.
        Platform => "platform",
        /// The new VMs' operating system, as `name version`.
        Os => "os",
        /// Why new VMs, in the writer's words.
        Rationale => "rationale",
        /// An instance's database server, `server → to` when the database moves.
        Database => "database",
        /// Whether search engines may index the docs site (`true` or `false`).
        PublicSite => "public-site",
        /// Where the docs site is published (`document.site_url`).
        SiteUrl => "site-url",
        /// The paper the inventory asks for, by name (`document.paper`).
        Paper => "paper",
        /// The Octopus mailbox the e-mails are sent to.
        OctopusMailbox => "octopus-mailbox",
        /// The `From:` of the e-mails to Octopus.
        OctopusSender => "octopus-sender",
        /// The label of the kind of request an e-mail opens (`{kind}`).
        OctopusRequest => "octopus-request",
        /// The label of the state from which no rollback is offered.
        RollbackLimit => "rollback-limit",
        /// An intervention's window: its hours, their zone, whom to call (the row's state says
        /// which intervention).
        Window => "window",
        /// A state's label (subject: the state's id).
        StateLabel => "state-label",
        /// An instance's name.
        Name => "name",
        /// An instance's environment, as the document names it.
        Environment => "environment",
        /// An instance's annexe number.
        Annexe => "annexe",
        /// An instance's migration rank, 1 first.
        Order => "order",
        /// The date of an instance's jour M, in the document's date style.
        JourM => "jour-m",
        /// An instance's address.
        Url => "url",
        /// An instance's users.
        Users => "users",
        /// An instance's role.
        Role => "role",
        /// What an instance's annexe shows (`scope`).
        Scope => "scope",
        /// The VMs that run an instance after jour M, comma-separated.
        MigrationTarget => "migration-target",
        /// A VM's IPv4 address (subject: the machine).
        Ip => "ip",
        /// The DNS names a VM holds at its first state, comma-separated (subject: the machine).
        Dns => "dns",
        /// A VM's current role (subject: the machine).
        RoleNow => "role-now",
        /// A VM's role after the migration (subject: the machine).
        RoleAfter => "role-after",
    }
}

keys! {
    /// A number the document states.
    Count {
        /// Instances in the inventory (a document row only).
        Instances => "instances",
        /// VMs listed, in the document or in one instance.
        Vms => "vms",
        /// VMs to create.
        ToCreate => "to-create",
        /// VMs deleted by the last state.
        Deleted => "deleted",
    }
}

keys! {
    /// The two kinds of Octopus request.
    Ticket {
        /// A request to create a VM, identified by its machine.
        Creation => "creation",
        /// A request for an intervention, identified by its state.
        Intervention => "intervention",
    }
}

/// The sub-key of a row: which fact, count or ticket kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Key {
    /// A fact of the document, of an instance or of a VM (named by the row's subject).
    Fact(Fact),
    /// A number the document states.
    Count(Count),
    /// A kind of Octopus request.
    Ticket(Ticket),
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// What changed: a fact, a count, or something added, removed or changed.
    pub kind: Kind,
    /// Which fact, count or kind of ticket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Key>,
    /// What it is about: a machine, a DNS name, a state's label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The state's label, for what happens at one state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Before and after, as the document shows them (`None`: absent on that side).
    pub old: Option<String>,
    /// After, as the document shows it (`None`: absent on the new side, or a request
    /// without a number).
    pub new: Option<String>,
}

/// Whether an instance is new, gone or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Only the new inventory has it.
    Added,
    /// Only the old inventory has it.
    Removed,
    /// Both have it, and at least one row differs.
    Changed,
}

/// The changes of one instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstanceDiff {
    /// The instance's id (`instances[].id`), how the two sides are paired.
    pub id: String,
    /// Its name, as the new side says it (the old side for a removed instance).
    pub name: String,
    /// Whether it is new, gone or changed.
    pub status: Status,
    /// Its changes: facts, VMs, cells, DNS moves, requests, then counts.
    pub rows: Vec<Row>,
}

/// What a change of the inventory does to the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Where each side was read (a file, or `REV:path`).
    pub old: String,
    /// Where the new side was read.
    pub new: String,
    /// Document-wide changes: facts, states, totals.
    pub document: Vec<Row>,
    /// Instances added, removed or changed, in the new inventory's order (removed ones
    /// last).
    pub instances: Vec<InstanceDiff>,
}

impl Diff {
    /// Nothing the plan shows changed.
    pub fn is_empty(&self) -> bool {
        self.document.is_empty() && self.instances.is_empty()
    }
}
