//! The inventory as written: typed, every value with its source position.
//!
//! This is the *load* stage's output. Nothing here is derived; the plan (`crate::plan`)
//! computes colours, counts and DNS moves from it. Every struct refuses unknown keys so that
//! a typo is reported, not ignored. The field comments are in French: they are what a writer
//! reads in the editor (the JSON Schema is derived from them). A struct's own comment is
//! English, for Rust readers: `#[schemars(description = "")]` keeps it out of the schema.
//!
//! Every value is wrapped in [`S`] (its position); the schema describes the inner value
//! (`#[schemars(with = …)]`), and `pattern`s give names and dates their shape, the same shapes
//! the validator's rules check (tested side by side in `crate::schema`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
pub use serde_saphyr::Spanned;

/// A value with the position where the inventory wrote it.
pub type S<T> = Spanned<T>;

/// The shapes of the JSON Schema's `pattern`s. The editor underlines a value that does not
/// match; `bascule` says why (dates in the loader, the others in the validator's rules).
pub mod patterns {
    /// AAAA-MM-JJ.
    pub const DATE: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
    /// Four numbers from 0 to 255, without leading zeros.
    pub const IPV4: &str = r"^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$";
    /// A host-name label: letters, digits and `-`, 1 to 63, no `-` at either end.
    pub const MACHINE: &str = r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$";
    /// At least two labels; the last one has a letter.
    pub const DNS: &str = r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?|[0-9][0-9-]*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?)$";
    /// Lowercase letters, digits and `-`, not starting with `-`, at most 64.
    pub const SLUG: &str = r"^[a-z0-9][a-z0-9-]{0,63}$";
    /// An http(s) address (the validator checks the host).
    pub const URL: &str = r"^https?://";
    /// Something, `@`, something.
    pub const MAILBOX: &str = r"^[^@\s]+@[^@\s]+$";
    /// HH:MM, 00:00 to 23:59.
    pub const TIME: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9]$";
    /// `4h`, `90min`, `2h30`.
    pub const DURATION: &str = r"^([0-9]{1,2}h([0-5][0-9])?|[0-9]{1,4}min)$";
}

use patterns::{DATE, DNS, IPV4, MACHINE, SLUG, URL};

mod document;
mod migration;
mod octopus;
pub use document::{Decision, Document, Paper, WriterSections};
pub use migration::{Database, DbBetween, DbMove, Migration, Targets};
pub use octopus::{
    DEFAULT_UPDATE_SUBJECT, Octopus, RequestKind, UPDATE_PLACEHOLDERS, creation_key,
    intervention_key, mailboxes,
};

/// L’inventaire d’une migration : la source unique du document, des annexes et des tickets.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Inventaire bascule")]
pub struct Inventory {
    /// Ce que le document dit de lui-même : titre, organisation, but, décision.
    pub document: Document,
    /// L’application de chaque instance migrée, par défaut (une instance peut donner la
    /// sienne) : mise à jour (`from`, `target`) ou gardée à sa version (`version`).
    #[serde(default)]
    pub application: Option<Application>,
    /// La plateforme des instances migrées, par défaut (une instance peut la préciser) : son
    /// nom, le système des nouvelles VM, les composants mis à jour avec lui.
    #[serde(default)]
    pub platform: Option<Platform>,
    /// Les états des annexes, dans l’ordre : une référence datée, des états avant le jour M
    /// (facultatifs), le jour M, puis un ou plusieurs états après.
    pub states: Vec<State>,
    /// Les instances migrées (au moins une).
    pub instances: Vec<Instance>,
    /// Facultatif : Octopus, qui reçoit les tickets par courriel (adresse, expéditeur, genre
    /// de demande, sujet d’une mise à jour).
    #[serde(default)]
    pub octopus: Option<Octopus>,
}

impl Inventory {
    /// Forgets every Octopus number: what a request says, apart from its own bookkeeping
    /// (`bascule send` compares requests this way, so that a number arriving is no change).
    pub fn erase_numbers(&mut self) {
        for inst in &mut self.instances {
            for iv in &mut inst.interventions {
                iv.ticket = None;
            }
            for vm in &mut inst.vms {
                for sa in &mut vm.actions {
                    for a in &mut sa.actions {
                        if let Action::Create(c) = &mut a.value {
                            c.ticket = None;
                        }
                    }
                }
            }
        }
    }
}

/// An application as the inventory gives it (`application`, or an instance's own): its
/// name and versions.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct Application {
    /// Le nom de l’application (p. ex. `Wiki`).
    #[schemars(with = "String")]
    pub name: S<String>,
    /// Pour une mise à jour : la version en production avant la migration, entre guillemets
    /// si elle ressemble à un nombre (p. ex. `"1.39"`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub from: Option<S<String>>,
    /// Pour une mise à jour : la version visée (p. ex. `1.42.3`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub target: Option<S<String>>,
    /// Pour une application gardée à sa version (seul le système change) : cette version.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub version: Option<S<String>>,
    /// La version du code source installée d’abord sur les nouvelles VM (p. ex. `1.39.8`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub source_code: Option<S<String>>,
    /// Le nom que l’application donne à son dossier de fichiers (p. ex. `data`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub data_dir: Option<S<String>>,
}

/// A platform (`platform`, or an instance's own): its name, the new VMs' system, and the
/// components updated with it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct Platform {
    /// Le nom de la plateforme, dont le code source est installé (p. ex. `Portail`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub name: Option<S<String>>,
    /// Le système d’exploitation des nouvelles VM, sa version, et celle qu’il remplace
    /// (`from`) ; absent quand le système ne change pas.
    #[serde(default)]
    pub os: Option<Software>,
    /// Les composants mis à jour avec le système (p. ex. PHP 8.2).
    #[serde(default)]
    pub components: Vec<Software>,
}

/// A piece of software: its name, its version and, when updated, the version it replaces.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct Software {
    /// Son nom (p. ex. `Debian`, `PHP`).
    #[schemars(with = "String")]
    pub name: S<String>,
    /// Sa version, entre guillemets si elle ressemble à un nombre (p. ex. `"12"`, `8.2.7`).
    #[schemars(with = "String")]
    pub version: S<String>,
    /// Facultatif : la version qu’il remplace (p. ex. `"10"`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub from: Option<S<String>>,
}

/// Le genre d’un état.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum StateKind {
    /// Un instantané daté, avant la migration (`date` obligatoire).
    Reference,
    /// Quelques jours avant le jour M (`offset_days`).
    Before,
    /// Le jour de la migration de chaque instance (jour M ; sa date est celle de l’instance).
    Migration,
    /// Quelques jours après le jour M (`offset_days`).
    After,
}

/// One state of the annexes (`states[]`): a column of every annexe, dated by its own date
/// or from jour M.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct State {
    /// Identifiant en minuscules (p. ex. `jour-m`, `m30`) ; il nomme les fichiers des tickets.
    #[schemars(with = "String", regex(pattern = SLUG))]
    pub id: S<String>,
    /// `reference`, `before`, `migration` ou `after`.
    #[schemars(with = "StateKind")]
    pub kind: S<StateKind>,
    /// Facultatif : l’étiquette est déduite (`2024-01-15`, `jour M`, `M+30`, `M-7`) ; si elle
    /// est écrite, elle est comparée à la déduite.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// La date de l’état de référence, AAAA-MM-JJ (lui seul en a une).
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = DATE), example = &"2024-01-15")]
    pub date: Option<S<String>>,
    /// Pour `before` et `after` : le nombre de jours avant ou après le jour M.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub offset_days: Option<S<u32>>,
}

/// L’environnement d’une instance : il décide des mots du document et des tickets.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// La production, celle des utilisateurs.
    Production,
    /// La préproduction, copie de la production pour les derniers essais.
    Preproduction,
    /// Un environnement de tests.
    Test,
    /// Un environnement de développement.
    Development,
    /// Un environnement de formation.
    Training,
    /// Un bac à sable.
    Sandbox,
}

impl Environment {
    /// The key as the inventory writes it (and the labels file keys it).
    pub fn key(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Preproduction => "preproduction",
            Environment::Test => "test",
            Environment::Development => "development",
            Environment::Training => "training",
            Environment::Sandbox => "sandbox",
        }
    }
}

impl StateKind {
    /// The key as the inventory writes it (and the labels file keys it).
    pub fn key(self) -> &'static str {
        match self {
            StateKind::Reference => "reference",
            StateKind::Before => "before",
            StateKind::Migration => "migration",
            StateKind::After => "after",
        }
    }
}

/// One instance (`instances[]`): its facts, its migration if any, its VMs, and the numbers
/// of its intervention requests.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct Instance {
    /// Identifiant en minuscules (p. ex. `portail`) ; il nomme les fichiers.
    #[schemars(with = "String", regex(pattern = SLUG))]
    pub id: S<String>,
    /// Le nom de l’instance, tel qu’on le dit (p. ex. `Portail`).
    #[schemars(with = "String")]
    pub name: S<String>,
    /// `production`, `preproduction`, `test`, `development`, `training` ou `sandbox`.
    #[schemars(with = "Environment")]
    pub environment: S<Environment>,
    /// Le numéro de son annexe (par défaut : sa place dans la liste, à partir de 1).
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub annexe: Option<S<u32>>,
    /// Ses utilisateurs.
    #[schemars(with = "String")]
    pub users: S<String>,
    /// Son rôle.
    #[schemars(with = "String")]
    pub role: S<String>,
    /// Son adresse, `https://…`.
    #[schemars(with = "String", regex(pattern = URL), example = &"https://portail.example.ca")]
    pub url: S<String>,
    /// Son rang de migration, 1 en premier (par défaut : sa place dans la liste).
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub order: Option<S<u32>>,
    /// La date de son jour M, AAAA-MM-JJ, une fois connue.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = DATE), example = &"2024-01-15")]
    pub jour_m: Option<S<String>>,
    /// Ce que montre son schéma, p. ex. « toutes les instances du portail excepté celles de
    /// test ».
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub scope: Option<S<String>>,
    /// Sa migration : quelles VM la reçoivent, d’où viennent ses fichiers et sa base de
    /// données. Sans migration, l’instance n’est pas migrée : elle ne fait que changer ses VM.
    #[serde(default)]
    #[schemars(with = "Option<Migration>")]
    pub migration: Option<S<Migration>>,
    /// Son application, quand ce n’est pas celle du document (p. ex. `{ name: Wiki,
    /// version: "1.42" }` quand seul le système change).
    #[serde(default)]
    pub application: Option<Application>,
    /// Sa plateforme, quand ce n’est pas celle du document : chaque clé donnée remplace celle
    /// du document.
    #[serde(default)]
    pub platform: Option<Platform>,
    /// Pour une instance non migrée : l’instance (son `id`) dont le jour M date ses états
    /// (p. ex. une suppression à M+60 de la migration du portail).
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = SLUG))]
    pub follows: Option<S<String>>,
    /// Facultatif : l’état (son `id`) à partir duquel plus aucun retour arrière n’est
    /// proposé, s’il vient avant la première suppression (p. ex. quand les usagers ont écrit
    /// dans la nouvelle instance).
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = SLUG))]
    pub rollback_until: Option<S<String>>,
    /// Facultatif : ses sections du rédacteur, en Markdown, à la fin de sa section.
    #[serde(flatten)]
    pub sections: WriterSections,
    /// Les numéros Octopus des demandes d’intervention, une fois obtenus, par état.
    #[serde(default)]
    pub interventions: Vec<InterventionTicket>,
    /// Ses machines virtuelles, dans l’ordre des lignes du tableau et de l’annexe.
    pub vms: Vec<Vm>,
    /// Des VM qui en faisaient partie et qui sont déjà supprimées.
    #[serde(default)]
    pub already_deleted: Vec<DeletedVm>,
    /// D’autres sites hébergés par ses VM, et leur sort.
    #[serde(default)]
    pub hosted_sites: Vec<HostedSite>,
}

/// An instance's intervention at one state (`interventions[]`): its Octopus number and
/// its window, when known.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct InterventionTicket {
    /// L’état de l’intervention (son `id`).
    #[schemars(with = "String", regex(pattern = SLUG))]
    pub state: S<String>,
    /// Le numéro du ticket Octopus, une fois obtenu, sans guillemets (p. ex. `120451`).
    #[serde(default)]
    #[schemars(with = "Option<u32>", example = 120451)]
    pub ticket: Option<S<u32>>,
    /// Facultatif : l’heure de début, HH:MM (p. ex. `"18:00"`) ; sans elle, toute la journée.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = patterns::TIME))]
    pub start: Option<S<String>>,
    /// Facultatif : la durée, p. ex. `4h`, `90min`, `2h30`.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = patterns::DURATION))]
    pub duration: Option<S<String>>,
    /// Facultatif : qui joindre pendant l’intervention (texte libre).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub contacts: Option<S<String>>,
}

/// One VM of an instance (`vms[]`): its name, address, DNS names, roles, software and
/// actions by state.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct Vm {
    /// Le nom de machine (lettres, chiffres et `-`).
    #[schemars(with = "String", regex(pattern = MACHINE), example = &"portailweb")]
    pub machine: S<String>,
    /// Son adresse IPv4 ; absente pour une VM à créer.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = IPV4), example = &"10.0.0.12")]
    pub ip: Option<S<String>>,
    /// Les noms DNS qu’elle porte au premier état où elle existe, en liste
    /// (p. ex. `[portail.example.ca]`).
    #[serde(default)]
    #[schemars(with = "Vec<String>", inner(length(max = 253), regex(pattern = DNS)))]
    pub dns: Vec<S<String>>,
    /// Son rôle actuel ; absent pour une VM à créer.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub role: Option<S<String>>,
    /// Son rôle après le dernier état ; absent exactement quand la VM est supprimée.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub role_after: Option<S<String>>,
    /// Facultatif : les logiciels qu’elle fait tourner (p. ex. `[{ name: PostgreSQL,
    /// version: "15" }]`), montrés dans sa boîte et dans le tableau des VM. Pour une VM à
    /// créer, sa demande les donne à la place des composants de la plateforme.
    #[serde(default)]
    pub software: Vec<Software>,
    /// Ses interventions, par état.
    #[serde(default)]
    pub actions: Vec<StateActions>,
}

/// A VM's actions at one state (`actions[]`: `state` and `do`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct StateActions {
    /// L’état (son `id`).
    #[schemars(with = "String", regex(pattern = SLUG))]
    pub state: S<String>,
    /// Les interventions à cet état : `create`, `deactivate`, `delete`, `dns-move`,
    /// `dns-release`.
    #[serde(rename = "do")]
    #[schemars(with = "Vec<Action>")]
    pub actions: Vec<S<Action>>,
}

/// Une intervention sur une VM.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// La VM est créée à cet état, demandée par un ticket Octopus : `{ create: { ticket: N } }`.
    Create(Creation),
    /// La VM est désactivée (gardée, mais elle ne sert plus l’instance).
    Deactivate,
    /// La VM est supprimée.
    Delete,
    /// Cette VM prend un nom DNS à une autre VM : `{ dns-move: { name: NOM, from: MACHINE } }`.
    DnsMove(DnsMove),
    /// Cette VM rend un nom DNS que personne ne reprend : `{ dns-release: NOM }`.
    DnsRelease(#[schemars(length(max = 253), regex(pattern = DNS))] String),
}

/// The value of a `create` action: the creation request's Octopus number, once known.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct Creation {
    /// Le numéro du ticket Octopus de la création, une fois obtenu, sans guillemets
    /// (p. ex. `120451`).
    #[serde(default)]
    #[schemars(example = 120451)]
    pub ticket: Option<u32>,
}

/// The value of a `dns-move` action: the DNS name taken, and the VM that held it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct DnsMove {
    /// Le nom DNS pris.
    #[schemars(length(max = 253), regex(pattern = DNS))]
    pub name: String,
    /// La VM qui le portait.
    #[schemars(regex(pattern = MACHINE))]
    pub from: String,
}

/// A VM of the instance deleted before the migration (`already_deleted[]`): its name and
/// address.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct DeletedVm {
    /// Tel que l’équipe la connaît : un nom DNS ou un nom de machine.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// Son adresse IPv4.
    #[schemars(with = "String", regex(pattern = IPV4), example = &"10.0.0.12")]
    pub ip: S<String>,
}

/// Another site one of the instance's VMs hosts (`hosted_sites[]`), and its fate.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct HostedSite {
    /// L’adresse du site, `https://…`.
    #[schemars(with = "String", regex(pattern = URL))]
    pub url: S<String>,
    /// La machine qui l’héberge aujourd’hui.
    #[schemars(with = "String", regex(pattern = MACHINE))]
    pub vm: S<String>,
    /// Son sort : `{ move-to: NOM_DNS }` ou `delete`.
    #[schemars(with = "Fate")]
    pub fate: S<Fate>,
}

/// Le sort d’un site hébergé.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Fate {
    /// Il part sur un autre hôte (nom DNS) : `{ move-to: NOM_DNS }`.
    MoveTo(#[schemars(length(max = 253), regex(pattern = DNS))] String),
    /// Il est supprimé.
    Delete,
}
