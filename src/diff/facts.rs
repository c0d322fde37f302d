//! The facts of an instance found on both sides, compared: its name and settings, its
//! application, platform and system, its rollback limit and its interventions' windows.

use super::rows::Rows;
use super::types::Fact;
use crate::plan::{ApplicationPlan, InstancePlan, UpgradePlan};

/// Every fact of instance `o` (old) and `n` (new) that differs.
pub(super) fn instance_facts(r: &mut Rows, o: &InstancePlan, n: &InstancePlan) {
    r.fact(Fact::Name, None, Some(&o.name), Some(&n.name));
    r.fact(
        Fact::Environment,
        None,
        Some(&o.environment.name),
        Some(&n.environment.name),
    );
    r.fact(Fact::Annexe, None, Some(o.annexe), Some(n.annexe));
    r.fact(Fact::Order, None, Some(o.order), Some(n.order));
    r.fact(Fact::JourM, None, o.jour_m.as_ref(), n.jour_m.as_ref());
    r.fact(Fact::Url, None, Some(&o.url), Some(&n.url));
    r.fact(Fact::Users, None, Some(&o.users), Some(&n.users));
    r.fact(Fact::Role, None, Some(&o.role), Some(&n.role));
    r.fact(Fact::Scope, None, o.scope.as_ref(), n.scope.as_ref());
    let target = |i: &InstancePlan| i.migration.as_ref().map(|m| m.targets.join(", "));
    r.fact(Fact::MigrationTarget, None, target(o), target(n));
    upgrade_facts(r, o.upgrade.as_ref(), n.upgrade.as_ref());
    let database = |i: &InstancePlan| {
        let db = i.migration.as_ref()?.database.as_ref()?;
        Some(match &db.to {
            Some(to) => format!("{} → {to}", db.server),
            None => db.server.clone(),
        })
    };
    r.fact(Fact::Database, None, database(o), database(n));
    let limit = |i: &InstancePlan| i.point_of_no_return.as_ref().map(|p| p.label.clone());
    r.fact(Fact::RollbackLimit, None, limit(o), limit(n));
    window_rows(r, o, n);
}

/// An intervention's window as a technician reads it: its hours, their zone, whom to call.
fn window_text(w: &crate::plan::WindowPlan) -> String {
    let hours = match (&w.start, &w.end) {
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) => s.clone(),
        (None, _) => String::new(),
    };
    let parts = [
        hours,
        w.time_zone.clone(),
        w.contacts.clone().unwrap_or_default(),
    ];
    let shown: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    shown.join(", ")
}

/// The windows of the interventions both sides have (by state).
fn window_rows(r: &mut Rows, o: &InstancePlan, n: &InstancePlan) {
    for ni in &n.interventions {
        let Some(oi) = o.interventions.iter().find(|i| i.state_id == ni.state_id) else {
            continue;
        };
        let (ow, nw) = (oi.window.as_ref(), ni.window.as_ref());
        let (ow, nw) = (ow.map(window_text), nw.map(window_text));
        if ow != nw {
            r.fact(Fact::Window, None, ow, nw);
            r.at(&ni.label);
        }
    }
}

fn app_of(u: Option<&UpgradePlan>) -> Option<&ApplicationPlan> {
    u.and_then(|u| u.application.as_ref())
}

fn app_text(u: Option<&UpgradePlan>, f: fn(&ApplicationPlan) -> Option<&String>) -> Option<String> {
    app_of(u).and_then(f).cloned()
}

fn app_from(a: &ApplicationPlan) -> Option<&String> {
    a.from.as_ref()
}

/// The version an application ends at: its target, or the version it keeps.
fn app_end(a: &ApplicationPlan) -> Option<&String> {
    a.target.as_ref().or(a.version.as_ref())
}

/// What changes for the instance: its application, versions and system.
fn upgrade_facts(r: &mut Rows, o: Option<&UpgradePlan>, n: Option<&UpgradePlan>) {
    let name = |u| app_of(u).map(|a| a.name.clone());
    r.fact(Fact::Application, None, name(o), name(n));
    r.fact(
        Fact::ApplicationFrom,
        None,
        app_text(o, app_from),
        app_text(n, app_from),
    );
    r.fact(
        Fact::ApplicationTarget,
        None,
        app_text(o, app_end),
        app_text(n, app_end),
    );
    let platform = |u: Option<&UpgradePlan>| u.and_then(|u| u.platform.name.clone());
    r.fact(Fact::Platform, None, platform(o), platform(n));
    let os = |u: Option<&UpgradePlan>| {
        let os = u?.platform.os.as_ref()?;
        Some(format!("{} {}", os.name, os.version))
    };
    r.fact(Fact::Os, None, os(o), os(n));
}
