//! The inventory as written: typed, every value with its source position.
//!
//! This is the *load* stage's output. Nothing here is derived; the plan (`crate::plan`)
//! computes colours, counts and DNS moves from it. Every struct refuses unknown keys so that
//! a typo is reported, not ignored. The field comments are in French: they are what a writer
//! reads in the editor (the JSON Schema is derived from them).

use crate::french::DateStyle;
use serde::{Deserialize, Serialize};
pub use serde_saphyr::Spanned;

/// A value with the position where the inventory wrote it.
pub type S<T> = Spanned<T>;

/// L’inventaire d’une migration : la source unique du document, des annexes et des tickets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// Ce que le document dit de lui-même : titre, organisation, but, décision.
    pub document: Document,
    /// L’application mise à jour (p. ex. Moodle, de 3.1 à 3.5.3).
    pub application: Application,
    /// La plateforme que font tourner les instances, et son système.
    pub platform: Platform,
    /// Les états des annexes, dans l’ordre : une référence datée, des états avant le jour M
    /// (facultatifs), le jour M, puis un ou plusieurs états après.
    pub states: Vec<State>,
    /// Les instances migrées (au moins une).
    pub instances: Vec<Instance>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Titre du document (titre de niveau 1).
    pub title: S<String>,
    /// L’organisation qui migre.
    pub organisation: S<String>,
    /// Le but du document, en une phrase (section « But du document »).
    pub purpose: S<String>,
    /// La décision de créer de nouvelles VM : instance et date.
    pub decision: Decision,
    /// Les dates dans le texte : `iso` (2024-04-06, par défaut) ou `long` (6 avril 2024).
    #[serde(default)]
    pub date_style: Option<S<DateStyle>>,
    /// Les zones DNS de l’organisation ; un nom hors de ces zones est signalé (W0108).
    pub zones: Vec<S<String>>,
    /// Des noms DNS hors zones, connus pour être justes.
    #[serde(default)]
    pub dns_allow: Vec<S<String>>,
    /// L’adresse qui transforme un courriel en ticket Octopus (`To:` des courriels) ; jamais
    /// inventée quand elle manque.
    #[serde(default)]
    pub octopus_mailbox: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// L’instance qui a décidé (p. ex. `DRI`).
    pub meeting: S<String>,
    /// La date de la décision, AAAA-MM-JJ.
    pub date: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// Le nom de l’application (p. ex. `Moodle`).
    pub name: S<String>,
    /// La version en production avant la migration (p. ex. `"3.1"`).
    pub from: S<String>,
    /// La version visée (p. ex. `3.5.3`).
    pub target: S<String>,
    /// La version du code source installée d’abord sur les nouvelles VM (p. ex. `3.1.5`).
    #[serde(default)]
    pub source_code: Option<S<String>>,
    /// Le nom que l’application donne à son dossier de fichiers (p. ex. `filedir`).
    #[serde(default)]
    pub data_dir: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// Le nom de la plateforme, dont le code source est installé (p. ex. `Campus`).
    pub name: S<String>,
    /// Le système d’exploitation des nouvelles VM, et sa version.
    pub os: Software,
    /// Les composants mis à jour avec le système (p. ex. PHP 7.0.7).
    #[serde(default)]
    pub components: Vec<Software>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Software {
    /// Son nom (p. ex. `SUSE Linux Enterprise Server`, `PHP`).
    pub name: S<String>,
    /// Sa version (p. ex. `12 SP3`).
    pub version: S<String>,
}

/// Le genre d’un état.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StateKind {
    /// Un instantané daté, avant la migration (`date` obligatoire).
    Reference,
    /// Quelques jours avant le jour M (`offset_days`).
    Before,
    /// Le jour de la migration de chaque instance (jour M ; sa date est celle de l’instance).
    Migration,
    /// Quelques jours après le jour M (`offset_days`).
    After,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Identifiant en minuscules (p. ex. `jour-m`, `m30`) ; il nomme les fichiers des tickets.
    pub id: S<String>,
    /// `reference`, `before`, `migration` ou `after`.
    pub kind: S<StateKind>,
    /// Facultatif : l’étiquette est déduite (`2018-12-12`, `jour M`, `M+30`, `M-7`) ; si elle
    /// est écrite, elle est comparée à la déduite.
    #[serde(default)]
    pub label: Option<S<String>>,
    /// La date de l’état de référence, AAAA-MM-JJ (lui seul en a une).
    #[serde(default)]
    pub date: Option<S<String>>,
    /// Pour `before` et `after` : le nombre de jours avant ou après le jour M.
    #[serde(default)]
    pub offset_days: Option<S<u32>>,
}

/// L’environnement d’une instance : il décide des mots du document et des tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Production,
    Preproduction,
    Test,
    Development,
    Training,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// Identifiant en minuscules (p. ex. `campus`) ; il nomme les fichiers.
    pub id: S<String>,
    /// Le nom de l’instance, tel qu’on le dit (p. ex. `Campus`).
    pub name: S<String>,
    /// `production`, `preproduction`, `test`, `development`, `training` ou `sandbox`.
    pub environment: S<Environment>,
    /// Le numéro de son annexe (par défaut : sa place dans la liste, à partir de 1).
    #[serde(default)]
    pub annexe: Option<S<u32>>,
    /// Ses utilisateurs.
    pub users: S<String>,
    /// Son rôle.
    pub role: S<String>,
    /// Son adresse, `https://…`.
    pub url: S<String>,
    /// Son rang de migration, 1 en premier (par défaut : sa place dans la liste).
    #[serde(default)]
    pub order: Option<S<u32>>,
    /// La date de son jour M, AAAA-MM-JJ, une fois connue.
    #[serde(default)]
    pub jour_m: Option<S<String>>,
    /// Ce que montre son schéma, p. ex. « toutes les instances de Campus excepté celles de
    /// Projets ».
    #[serde(default)]
    pub scope: Option<S<String>>,
    /// Sa migration vers une VM : laquelle la reçoit, d’où viennent ses fichiers et sa base de
    /// données. Sans migration, l’instance ne fait que changer ses VM.
    #[serde(default)]
    pub migration: Option<S<Migration>>,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    /// La VM qui fait tourner l’instance après le jour M (par défaut : la seule VM créée).
    #[serde(default)]
    pub target: Option<S<String>>,
    /// La VM dont les fichiers passent sur la nouvelle.
    #[serde(default)]
    pub files_from: Option<S<String>>,
    /// La base de données : `{ connect: MACHINE }` (elle reste sur ce serveur) ou
    /// `{ migrate: MACHINE }` (elle quitte cette machine pour la nouvelle VM).
    #[serde(default)]
    pub database: Option<S<Database>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Database {
    /// La nouvelle VM se connecte au serveur de bases de données qui reste (nom de machine).
    Connect(String),
    /// La base de données quitte cette machine pour la nouvelle VM.
    Migrate(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterventionTicket {
    /// L’état de l’intervention (son `id`).
    pub state: S<String>,
    /// Le numéro du ticket Octopus.
    pub ticket: S<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vm {
    /// Le nom de machine (lettres, chiffres et `-`).
    pub machine: S<String>,
    /// Son adresse IPv4 ; absente pour une VM à créer.
    #[serde(default)]
    pub ip: Option<S<String>>,
    /// Les noms DNS qu’elle porte au premier état où elle existe.
    #[serde(default)]
    pub dns: Vec<S<String>>,
    /// Son rôle actuel ; absent pour une VM à créer.
    #[serde(default)]
    pub role: Option<S<String>>,
    /// Son rôle après le dernier état ; absent exactement quand la VM est supprimée.
    #[serde(default)]
    pub role_after: Option<S<String>>,
    /// Ses interventions, par état.
    #[serde(default)]
    pub actions: Vec<StateActions>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateActions {
    /// L’état (son `id`).
    pub state: S<String>,
    /// Les interventions à cet état.
    #[serde(rename = "do")]
    pub actions: Vec<S<Action>>,
}

/// Une intervention sur une VM.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// La VM est créée à cet état, demandée par un ticket Octopus.
    Create(Creation),
    /// La VM est désactivée (gardée, mais elle ne sert plus l’instance).
    Deactivate,
    /// La VM est supprimée.
    Delete,
    /// Cette VM prend un nom DNS à une autre VM.
    DnsMove(DnsMove),
    /// Cette VM rend un nom DNS que personne ne reprend.
    DnsRelease(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Creation {
    /// Le numéro du ticket Octopus de la création, une fois obtenu.
    #[serde(default)]
    pub ticket: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsMove {
    /// Le nom DNS pris.
    pub name: String,
    /// La VM qui le portait.
    pub from: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeletedVm {
    /// Tel que l’équipe la connaît : un nom DNS ou un nom de machine.
    pub name: S<String>,
    /// Son adresse IPv4.
    pub ip: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostedSite {
    /// L’adresse du site, `https://…`.
    pub url: S<String>,
    /// La machine qui l’héberge aujourd’hui.
    pub vm: S<String>,
    /// Son sort : `{ move-to: NOM_DNS }` ou `delete`.
    pub fate: S<Fate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fate {
    /// Il part sur un autre hôte (nom DNS).
    MoveTo(String),
    /// Il est supprimé.
    Delete,
}
