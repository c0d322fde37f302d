//! The *plan* stage: every fact the outputs show, derived once from a validated inventory
//! and resolved to its words (from the labels file).
//!
//! Renderers (document, annexes, tickets, site) only read a [`Plan`]: a colour, a count, a
//! DNS move or a step of a ticket is computed here and nowhere else, so the outputs cannot
//! disagree. Where to look: `states.rs` (labels, headings, dates), `vms.rs` (colours,
//! actions, DNS names and roles per state), `work.rs` (intervention steps, hosted sites),
//! this file (the document-wide facts and the instance's own).

mod calendar;
mod change;
mod instance;
mod legend;
mod requests;
mod rollback;
mod runbook;
mod states;
mod types;
mod upgrade;
mod vms;
mod window;
mod work;

pub use requests::*;
pub use types::*;

use crate::diag::Diagnostic;
use crate::french::{self, DateStyle};
use crate::labels::Labels;
use crate::model::{self, Inventory, StateKind};
use crate::validate::Checked;

/// What every part of the plan reads.
pub(crate) struct Ctx<'a> {
    labels: &'a Labels,
    style: DateStyle,
    states: &'a [StatePlan],
    migration_state: usize,
    words: &'a vms::Vocabulary,
    /// The time zone of the interventions' times.
    time_zone: &'a str,
    /// The inventory and what validation established of it.
    checked: &'a Checked<'a>,
}

/// The time zone of the interventions when the inventory names none: Québec's.
pub const DEFAULT_TIME_ZONE: &str = "America/Toronto";

/// Derives the plan of an inventory validation accepted. Fails only on a label that cannot
/// be rendered (an overridden labels file).
pub fn plan(checked: &Checked, labels: &Labels) -> Result<Plan, Box<Diagnostic>> {
    let inv = checked.inventory();
    let d = &inv.document;
    let style = d.date_style.as_ref().map(|s| s.value).unwrap_or_default();
    let state_plans = states::states(&inv.states, checked.reference(), labels, style)?;
    let migration_state = checked.migration_state();
    let words = vms::Vocabulary::new(labels)?;
    let ctx = Ctx {
        labels,
        style,
        states: &state_plans,
        migration_state,
        words: &words,
        time_zone: d
            .time_zone
            .as_ref()
            .map_or(DEFAULT_TIME_ZONE, |z| z.value.as_str()),
        checked,
    };
    let instances = inv
        .instances
        .iter()
        .enumerate()
        .map(|(i, inst)| instance::instance(&ctx, i, inst))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Plan {
        title: d.title.value.clone(),
        organisation: d.organisation.value.clone(),
        purpose: d.purpose.value.clone(),
        decision: DecisionPlan {
            meeting: d.decision.meeting.value.clone(),
            meeting_phrase: french::meeting_phrase(&d.decision.meeting.value).0,
            date: french::day(checked.decision(), style),
        },
        date_style: style,
        upgrades: upgrade::groups(&instances),
        rationale: d.rationale.as_ref().map(|r| one_paragraph(&r.value)),
        sections: sections(&d.sections),
        octopus_mailbox: mailbox(inv),
        octopus: octopus(inv.octopus.as_ref()),
        public_site: d.public_site,
        site_url: d.site_url.as_ref().map(|u| folder_url(&u.value)),
        paper: d.paper.as_ref().map(|p| p.value),
        migration_state,
        reference_date: french::day(checked.reference(), style),
        reference_iso: checked.reference(),
        legend: words.colours.to_vec(),
        migration_order: migration_order(&instances),
        environments: environment_groups(&instances),
        migrating: names_where(&instances, |i| i.migration.is_some()),
        migrating_order: migrating_order(&instances),
        not_migrating: names_where(&instances, |i| i.migration.is_none()),
        procedure: procedure(&instances, migration_state),
        database_groups: database_groups(&instances),
        to_create: instances.iter().map(|i| i.to_create).sum(),
        calendar: calendar::calendar(&ctx, &instances)?,
        after_days: inv
            .states
            .last()
            .filter(|s| s.kind.value == StateKind::After)
            .and_then(|s| s.offset_days.as_ref())
            .map_or(0, |o| o.value),
        states: state_plans,
        instances,
    })
}

/// A text written over several lines, as one paragraph: whitespace runs become one space,
/// French spaces before punctuation.
fn one_paragraph(text: &str) -> String {
    french::typography(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The writer's sections, trimmed, with French spaces (validation refused the Markdown they
/// may not hold).
pub(crate) fn sections(s: &model::WriterSections) -> SectionsPlan {
    let block =
        |b: &Option<model::S<String>>| b.as_ref().map(|t| french::typography(t.value.trim()));
    SectionsPlan {
        notes: block(&s.notes),
        communication: block(&s.communication),
        rollback: block(&s.rollback),
    }
}

fn migration_order(instances: &[InstancePlan]) -> Vec<String> {
    let mut order: Vec<&InstancePlan> = instances.iter().collect();
    order.sort_by_key(|i| i.order);
    order.iter().map(|i| i.name.clone()).collect()
}

fn names_where(instances: &[InstancePlan], keep: fn(&InstancePlan) -> bool) -> Vec<String> {
    instances
        .iter()
        .filter(|i| keep(i))
        .map(|i| i.name.clone())
        .collect()
}

fn procedure(instances: &[InstancePlan], jour_m: usize) -> Procedure {
    let migrating: Vec<(&InstancePlan, &MigrationPlan)> = instances
        .iter()
        .filter_map(|i| Some((i, i.migration.as_ref()?)))
        .collect();
    Procedure {
        creations: migrating.iter().any(|(_, m)| m.target_created),
        one_creation_each: migrating
            .iter()
            .all(|(i, m)| m.target_created && i.to_create == 1),
        files: migrating.iter().any(|(_, m)| m.files_from.is_some()),
        several_targets: migrating.iter().any(|(_, m)| m.targets.len() > 1),
        dns: migrating.iter().any(|(i, _)| {
            let id = &i.columns[jour_m].state_id;
            i.dns_moves.iter().any(|mv| &mv.state_id == id)
        }),
        database: migrating.iter().any(|(_, m)| {
            m.database
                .as_ref()
                .is_some_and(|d| d.strategy != DatabaseStrategy::Stays)
        }),
        installs: upgrade::installs(instances),
        from_versions: upgrade::distinct(instances, |a| a.from.as_ref()),
        data_dirs: upgrade::distinct(instances, |a| a.data_dir.as_ref()),
    }
}

fn environment_groups(instances: &[InstancePlan]) -> Vec<EnvironmentGroup> {
    let mut groups: Vec<EnvironmentGroup> = Vec::new();
    for i in instances.iter().filter(|i| i.migration.is_some()) {
        match groups
            .iter_mut()
            .find(|g| g.environment.environment == i.environment.environment)
        {
            Some(g) => g.names.push(i.name.clone()),
            None => groups.push(EnvironmentGroup {
                environment: i.environment.clone(),
                names: vec![i.name.clone()],
            }),
        }
    }
    groups
}

fn database_groups(instances: &[InstancePlan]) -> Vec<DatabaseGroup> {
    let mut groups: Vec<DatabaseGroup> = Vec::new();
    let with_db = instances
        .iter()
        .filter_map(|i| Some((i, i.migration.as_ref()?.database.as_ref()?)))
        .filter(|(_, db)| db.strategy != DatabaseStrategy::Stays);
    for (i, db) in with_db {
        match groups.iter_mut().find(|g| g.strategy == db.strategy) {
            Some(g) => g.names.push(i.name.clone()),
            None => groups.push(DatabaseGroup {
                strategy: db.strategy,
                names: vec![i.name.clone()],
            }),
        }
    }
    groups
}

/// The migrated instances' names, in migration order.
fn migrating_order(instances: &[InstancePlan]) -> Vec<String> {
    let migrated = |n: &String| {
        instances
            .iter()
            .any(|i| &i.name == n && i.migration.is_some())
    };
    migration_order(instances)
        .into_iter()
        .filter(migrated)
        .collect()
}

/// `url` as a folder: with a final `/`, so that a relative path joins below it.
fn folder_url(url: &str) -> String {
    match url.ends_with('/') {
        true => url.to_string(),
        false => format!("{url}/"),
    }
}

#[cfg(test)]
mod tests;

/// The Octopus mailbox: `octopus.mailbox`, or where older inventories wrote it.
fn mailbox(inv: &Inventory) -> Option<String> {
    let o = inv.octopus.as_ref().and_then(|o| o.mailbox.as_ref());
    o.or(inv.document.octopus_mailbox.as_ref())
        .map(|m| m.value.clone())
}

/// The Octopus settings with their defaults.
fn octopus(o: Option<&crate::model::Octopus>) -> OctopusPlan {
    let text = |v: Option<&crate::model::S<String>>| v.map(|s| s.value.trim().to_string());
    let request = o
        .and_then(|o| o.request.as_ref())
        .map(|r| r.value)
        .unwrap_or_default();
    OctopusPlan {
        sender: o.and_then(|o| text(o.sender.as_ref())),
        request,
        sr_token: o
            .and_then(|o| text(o.sr_token.as_ref()))
            .filter(|_| request == crate::model::RequestKind::ServiceRequest),
        update_subject: o
            .and_then(|o| text(o.update_subject.as_ref()))
            .unwrap_or_else(|| crate::model::DEFAULT_UPDATE_SUBJECT.to_string()),
        kind_label: o
            .and_then(|o| text(o.kind_label.as_ref()))
            .unwrap_or_else(|| request.default_label().to_string()),
    }
}
