//! What the document says of itself, as the inventory writes it: title, organisation,
//! purpose, decision, zones, the interventions' time zone, and the writer's own sections.

use super::S;
use super::patterns::{self, DATE, DNS};
use crate::french::DateStyle;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the document says of itself (`document`): title, organisation, purpose, decision,
/// zones, Octopus mailbox, and the writer's own sections.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct Document {
    /// Titre du document (titre de niveau 1).
    #[schemars(with = "String")]
    pub title: S<String>,
    /// L’organisation qui migre.
    #[schemars(with = "String")]
    pub organisation: S<String>,
    /// Le but du document, en une phrase (section « But du document »).
    #[schemars(with = "String")]
    pub purpose: S<String>,
    /// La décision de créer de nouvelles VM : instance et date.
    pub decision: Decision,
    /// Les dates dans le texte : `iso` (2024-04-06, par défaut) ou `long` (6 avril 2024).
    #[serde(default)]
    #[schemars(with = "Option<DateStyle>")]
    pub date_style: Option<S<DateStyle>>,
    /// Les zones DNS de l’organisation (p. ex. `example.ca`) ; un nom hors de ces zones est
    /// signalé (W0108).
    #[schemars(with = "Vec<String>")]
    pub zones: Vec<S<String>>,
    /// Des noms DNS hors zones, connus pour être justes.
    #[serde(default)]
    #[schemars(with = "Vec<String>", inner(length(max = 253), regex(pattern = DNS)))]
    pub dns_allow: Vec<S<String>>,
    /// L’adresse qui transforme un courriel en ticket Octopus (`To:` des courriels) ; jamais
    /// inventée quand elle manque.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = patterns::MAILBOX))]
    pub octopus_mailbox: Option<S<String>>,
    /// `true` si le site de documentation est destiné au public : les moteurs de recherche
    /// peuvent l’indexer. Par défaut (`false`), chaque page leur demande de ne pas le faire
    /// (`noindex`) : le site contient des adresses IP internes et les tickets.
    #[serde(default)]
    pub public_site: bool,
    /// Le fuseau horaire des heures des interventions (par défaut `America/Toronto`, celui du
    /// Québec).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub time_zone: Option<S<String>>,
    /// `true` si des interventions la fin de semaine sont voulues : aucun avertissement.
    #[serde(default)]
    pub weekends: bool,
    /// Facultatif : pourquoi de nouvelles VM, en une ou quelques phrases (section
    /// « Contexte », après ce qui change) ; rien n’est dit sans elle.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub rationale: Option<S<String>>,
    /// Le papier du PDF et du document Word : `letter` (par défaut, le format usuel au
    /// Québec) ou `a4`. L’option `--paper` l’emporte sur lui.
    #[serde(default)]
    #[schemars(with = "Option<Paper>")]
    pub paper: Option<S<Paper>>,
    /// L’adresse publiée du site de documentation (`https://…/`) : les liens du PDF et du
    /// document Word vers ses fichiers (les annexes PNG) y mènent ; sans elle, ces liens
    /// sont du texte, puisqu’un PDF joint à un ticket n’a pas de fichiers à côté de lui.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub site_url: Option<S<String>>,
    /// Facultatif : les sections du rédacteur, en Markdown, placées après le contexte.
    #[serde(flatten)]
    pub sections: WriterSections,
}

/// Le papier du PDF et du document Word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// US Letter, 8,5 × 11 po (le format usuel au Québec).
    #[default]
    Letter,
    /// ISO A4, 210 × 297 mm.
    A4,
}

impl Paper {
    /// As the inventory and `--paper` write it.
    pub fn name(self) -> &'static str {
        match self {
            Paper::Letter => "letter",
            Paper::A4 => "a4",
        }
    }
}

/// Les sections que seul le rédacteur connaît, en Markdown : paragraphes, listes, citations,
/// liens, emphase et code en ligne (ni titre, ni HTML, ni bloc de code, ni tableau).
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct WriterSections {
    /// Des remarques (section « Notes »).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub notes: Option<S<String>>,
    /// Qui prévenir, quand et comment (section « Communication »).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub communication: Option<S<String>>,
    /// Ce qui est prévu pour revenir en arrière (section « Retour arrière »).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub rollback: Option<S<String>>,
}

/// The decision to create new VMs (`document.decision`): who decided, and when.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct Decision {
    /// L’instance qui a décidé (p. ex. `DRI`, `comité de direction`).
    #[schemars(with = "String")]
    pub meeting: S<String>,
    /// La date de la décision, AAAA-MM-JJ.
    #[schemars(with = "String", regex(pattern = DATE), example = &"2024-01-15")]
    pub date: S<String>,
}
