//! What an instance's migration moves, as the inventory writes it: the VMs that receive
//! it, where its files come from, and what becomes of its database.

use super::S;
use super::patterns::MACHINE;
use schemars::JsonSchema;
use serde::Deserialize;

/// What an instance's migration moves (`migration`): the VMs that receive it, where its
/// files come from, and what becomes of its database.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct Migration {
    /// La ou les VM qui font tourner l’instance après le jour M : un nom de machine, ou une
    /// liste pour plusieurs nœuds (par défaut : la seule VM créée).
    #[serde(default)]
    #[schemars(with = "Option<Targets>")]
    pub target: Option<S<Targets>>,
    /// La VM dont les fichiers passent sur chaque VM qui reçoit l’instance.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = MACHINE))]
    pub files_from: Option<S<String>>,
    /// La base de données : `{ connect: MACHINE }` (elle reste sur ce serveur, les nouvelles
    /// VM s’y connectent), `{ migrate: MACHINE }` (elle quitte cette machine pour la VM qui
    /// reçoit l’instance), `{ migrate: { from: MACHINE, to: MACHINE } }` (elle passe d’un
    /// serveur de bases de données à un autre) ou `{ stays: MACHINE }` (rien n’y change).
    #[serde(default)]
    #[schemars(with = "Option<Database>")]
    pub database: Option<S<Database>>,
}

/// Une VM ou plusieurs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Targets {
    /// Une seule VM.
    One(#[schemars(regex(pattern = MACHINE))] String),
    /// Plusieurs VM (p. ex. deux nœuds web).
    Many(#[schemars(length(min = 1), inner(regex(pattern = MACHINE)))] Vec<String>),
}

impl Targets {
    /// The machines named, in order.
    pub fn names(&self) -> Vec<&str> {
        match self {
            Targets::One(m) => vec![m.as_str()],
            Targets::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Ce que devient la base de données.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Database {
    /// La base reste sur ce serveur et les nouvelles VM s’y connectent (nom de machine).
    Connect(#[schemars(regex(pattern = MACHINE))] String),
    /// La base quitte une machine : `migrate: MACHINE` (pour la VM qui reçoit l’instance) ou
    /// `migrate: { from: MACHINE, to: MACHINE }` (pour un autre serveur de bases de données).
    Migrate(DbMove),
    /// La base reste sur ce serveur et rien n’y change (nom de machine).
    Stays(#[schemars(regex(pattern = MACHINE))] String),
}

/// D’où part la base de données, et où elle va.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DbMove {
    /// La machine qu’elle quitte, pour la VM qui reçoit l’instance.
    From(#[schemars(regex(pattern = MACHINE))] String),
    /// La machine qu’elle quitte et celle qui la reçoit.
    Between(DbBetween),
}

/// Une base de données qui passe d’un serveur à un autre.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DbBetween {
    /// Le serveur qu’elle quitte.
    #[schemars(regex(pattern = MACHINE))]
    pub from: String,
    /// Le serveur qui la reçoit.
    #[schemars(regex(pattern = MACHINE))]
    pub to: String,
}

impl Database {
    /// Every machine named: where the database is, and where it goes.
    pub fn machines(&self) -> Vec<&str> {
        match self {
            Database::Migrate(DbMove::Between(b)) => vec![&b.from, &b.to],
            other => vec![other.source()],
        }
    }

    /// The machine the database is on before jour M.
    pub fn source(&self) -> &str {
        match self {
            Database::Connect(m) | Database::Stays(m) => m,
            Database::Migrate(DbMove::From(m)) => m,
            Database::Migrate(DbMove::Between(b)) => &b.from,
        }
    }
}
