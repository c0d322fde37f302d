//! What the inventory says of Octopus, the service desk: where the ticket e-mails go, who
//! sends them, which kind of request they open, and how an update names its request.

use super::S;
use lettre::message::{Mailbox, Mailboxes};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The subject of an update when the inventory gives none: the format Octopus's
/// MailIntegration recognises (the communication type in square brackets, then the request
/// number), to confirm with the Octopus administrator.
pub const DEFAULT_UPDATE_SUBJECT: &str = "[{kind}] #{number} {subject}";

/// The placeholders `update_subject` may use.
pub const UPDATE_PLACEHOLDERS: &[&str] = &["kind", "number", "subject"];

/// The inventory's Octopus settings (`octopus`): mailbox, sender, kind of request, and how
/// an update names its request.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "")]
pub struct Octopus {
    /// L’adresse qui transforme un courriel en demande Octopus (`To:` des courriels), avec ou
    /// sans nom (`Centre de services <octopus@example.ca>`), ou plusieurs séparées par des
    /// virgules ; jamais inventée quand elle manque.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub mailbox: Option<S<String>>,
    /// L’expéditeur des courriels que `bascule send` envoie (`From:`) : Octopus en fait le
    /// demandeur, il doit donc le connaître (p. ex. `Équipe Web <web@example.ca>`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sender: Option<S<String>>,
    /// Le genre de demande qu’ouvre un courriel : `incident` (par défaut) ou
    /// `service-request` (demande de service).
    #[serde(default)]
    #[schemars(with = "Option<RequestKind>")]
    pub request: Option<S<RequestKind>>,
    /// Pour une demande de service : le jeton qui entoure le corps du courriel, tel que
    /// MailIntegration est réglé (`NewSRBodyEnclosingToken`, p. ex. `CreateSR`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sr_token: Option<S<String>>,
    /// Le sujet d’un courriel qui met à jour une demande existante, avec `{kind}`,
    /// `{number}` et `{subject}` ; par défaut `[{kind}] #{number} {subject}`, à confirmer
    /// avec l’administrateur d’Octopus.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub update_subject: Option<S<String>>,
    /// Le nom du genre de demande dans le sujet d’une mise à jour (`{kind}`) ; par défaut
    /// `Incident` ou `Demande de service`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub kind_label: Option<S<String>>,
}

/// What an e-mail to the mailbox opens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RequestKind {
    /// Un incident.
    #[default]
    Incident,
    /// Une demande de service : le corps est entouré du jeton `sr_token`.
    ServiceRequest,
}

impl RequestKind {
    /// `{kind}` in an update's subject when the inventory names none.
    pub fn default_label(self) -> &'static str {
        match self {
            RequestKind::Incident => "Incident",
            RequestKind::ServiceRequest => "Demande de service",
        }
    }
}

/// The stable name of a creation request (its files and its journal key).
pub fn creation_key(instance: &str, machine: &str) -> String {
    format!("{instance}-creation-{machine}")
}

/// The stable name of an intervention request.
pub fn intervention_key(instance: &str, state: &str) -> String {
    format!("{instance}-{state}")
}

/// The addresses of `list` (`a@b.ca`, `Nom <a@b.ca>`, several separated by commas), parsed
/// by lettre.
pub fn mailboxes(list: &str) -> Result<Vec<Mailbox>, crate::diag::Text> {
    let parsed: Mailboxes = list.parse().map_err(|e| {
        crate::msg!(
            "octopus.not_addresses",
            list = crate::diag::shown(list),
            reason = e
        )
    })?;
    let all: Vec<Mailbox> = parsed.into_iter().collect();
    if all.is_empty() {
        return Err(crate::msg!("octopus.no_address"));
    }
    Ok(all)
}
