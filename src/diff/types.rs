//! What a change of the inventory does, as data: rows of facts, VMs, cells, DNS moves,
//! tickets and counts that changed, for the document and for each instance. Keys are stable
//! English words (the JSON format shows them as they are); the French words for them are in
//! `templates/labels.yaml` under `diff.`.

use serde::Serialize;

/// Declares a key enum with its serialized name (also its labels key) and the list of all.
macro_rules! keys {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $key:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
        pub enum $name { $(#[serde(rename = $key)] $variant,)* }

        impl $name {
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
        Fact => "fact",
        Count => "count",
        StateAdded => "state-added",
        StateRemoved => "state-removed",
        VmAdded => "vm-added",
        VmRemoved => "vm-removed",
        Cell => "cell",
        DnsMoveAdded => "dns-move-added",
        DnsMoveRemoved => "dns-move-removed",
        DnsMoveChanged => "dns-move-changed",
        TicketAdded => "ticket-added",
        TicketRemoved => "ticket-removed",
        TicketChanged => "ticket-changed",
    }
}

keys! {
    /// A fact of the document, of an instance or of a VM.
    Fact {
        Title => "title",
        Organisation => "organisation",
        Purpose => "purpose",
        DecisionMeeting => "decision-meeting",
        DecisionDate => "decision-date",
        Application => "application",
        ApplicationFrom => "application-from",
        ApplicationTarget => "application-target",
        Platform => "platform",
        Os => "os",
        Rationale => "rationale",
        Database => "database",
        PublicSite => "public-site",
        SiteUrl => "site-url",
        Paper => "paper",
        OctopusMailbox => "octopus-mailbox",
        OctopusSender => "octopus-sender",
        OctopusRequest => "octopus-request",
        RollbackLimit => "rollback-limit",
        Window => "window",
        StateLabel => "state-label",
        Name => "name",
        Environment => "environment",
        Annexe => "annexe",
        Order => "order",
        JourM => "jour-m",
        Url => "url",
        Users => "users",
        Role => "role",
        Scope => "scope",
        MigrationTarget => "migration-target",
        Ip => "ip",
        Dns => "dns",
        RoleNow => "role-now",
        RoleAfter => "role-after",
    }
}

keys! {
    /// A number the document states.
    Count {
        Instances => "instances",
        Vms => "vms",
        ToCreate => "to-create",
        Deleted => "deleted",
    }
}

keys! {
    /// The two kinds of Octopus request.
    Ticket {
        Creation => "creation",
        Intervention => "intervention",
    }
}

/// The sub-key of a row: which fact, count or ticket kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Key {
    Fact(Fact),
    Count(Count),
    Ticket(Ticket),
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
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
    pub new: Option<String>,
}

/// Whether an instance is new, gone or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Added,
    Removed,
    Changed,
}

/// The changes of one instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstanceDiff {
    pub id: String,
    pub name: String,
    pub status: Status,
    pub rows: Vec<Row>,
}

/// What a change of the inventory does to the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Where each side was read (a file, or `REV:path`).
    pub old: String,
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
