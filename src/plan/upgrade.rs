//! What each instance's migration is: its application (upgraded, or kept at its version),
//! its platform (system and components of the new VMs), the instance's own values replacing
//! the document's; the words that name that work in requests and annexe titles; and the
//! instances grouped by identical change, for the « Contexte ».

use super::Ctx;
use super::types::{
    ApplicationPlan, InstallPlan, InstancePlan, PlatformPlan, PurposePlan, SoftwarePlan,
    UpgradeGroup, UpgradeKind, UpgradePlan,
};
use crate::diag::Diagnostic;
use crate::model::{self, Instance, Inventory};
use serde_json::json;

/// `3.5.3` → `3.5`.
pub(super) fn branch(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

pub(super) fn software(s: &model::Software) -> SoftwarePlan {
    SoftwarePlan {
        name: s.name.value.clone(),
        version: s.version.value.clone(),
        from: s.from.as_ref().map(|f| f.value.clone()),
    }
}

fn application(a: &model::Application) -> ApplicationPlan {
    let text = |s: &Option<model::S<String>>| s.as_ref().map(|v| v.value.clone());
    ApplicationPlan {
        name: a.name.value.clone(),
        from: text(&a.from),
        target: text(&a.target),
        target_branch: a.target.as_ref().map(|t| branch(&t.value)),
        version: text(&a.version),
        source_code: text(&a.source_code),
        data_dir: text(&a.data_dir),
    }
}

/// The document's platform, each key the instance gives replacing the document's.
fn platform(doc: Option<&model::Platform>, own: Option<&model::Platform>) -> PlatformPlan {
    let pick = |f: fn(&model::Platform) -> bool| own.filter(|p| f(p)).or(doc);
    PlatformPlan {
        name: pick(|p| p.name.is_some())
            .and_then(|p| p.name.as_ref())
            .map(|n| n.value.clone()),
        os: pick(|p| p.os.is_some())
            .and_then(|p| p.os.as_ref())
            .map(software),
        components: pick(|p| !p.components.is_empty())
            .map(|p| p.components.iter().map(software).collect())
            .unwrap_or_default(),
    }
}

/// What changes for `inst`, when it migrates.
pub(super) fn upgrade(inv: &Inventory, inst: &Instance) -> Option<UpgradePlan> {
    inst.migration.as_ref()?;
    let application = inst
        .application
        .as_ref()
        .or(inv.application.as_ref())
        .map(application);
    let platform = platform(inv.platform.as_ref(), inst.platform.as_ref());
    let kind = if application.as_ref().is_some_and(|a| a.target.is_some()) {
        UpgradeKind::Application
    } else if platform.os.is_some() || !platform.components.is_empty() {
        UpgradeKind::System
    } else {
        UpgradeKind::Move
    };
    Some(UpgradePlan {
        kind,
        application,
        platform,
    })
}

/// What a system upgrade moves to: the system (« Debian 12 »), else the components.
fn system_goal(p: &PlatformPlan) -> String {
    let named = |s: &SoftwarePlan| format!("{} {}", s.name, s.version);
    match &p.os {
        Some(os) => named(os),
        None => {
            let all: Vec<String> = p.components.iter().map(named).collect();
            crate::french::list(&all, "et")
        }
    }
}

/// The words of the labels `purpose.*` and `annexe.title*` say of `inst`'s work.
fn vars(name: &str, upgrade: Option<&UpgradePlan>) -> (&'static str, serde_json::Value) {
    let key = match upgrade.map(|u| u.kind) {
        Some(UpgradeKind::Application) => "application",
        Some(UpgradeKind::System) => "system",
        Some(UpgradeKind::Move) => "move",
        None => "none",
    };
    let app = upgrade.and_then(|u| u.application.as_ref());
    let vars = json!({
        "instance": name,
        "application": app.map(|a| a.name.as_str()),
        "from": app.and_then(|a| a.from.as_deref()),
        "target": app.and_then(|a| a.target.as_deref()),
        "branch": app.and_then(|a| a.target_branch.as_deref()),
        "goal": upgrade.map(|u| system_goal(&u.platform)),
    });
    (key, vars)
}

/// How the requests of `inst` name its work.
pub(super) fn purpose(
    ctx: &Ctx,
    name: &str,
    upgrade: Option<&UpgradePlan>,
) -> Result<PurposePlan, Box<Diagnostic>> {
    let (key, v) = vars(name, upgrade);
    Ok(PurposePlan {
        subject: ctx.labels.text(&format!("purpose.subject.{key}"), &v)?,
        context: ctx.labels.text(&format!("purpose.context.{key}"), &v)?,
    })
}

/// « Annexe 1. Migration Examens 2.0 vers Plateforme version 3.1 », and what the annexe's
/// description says it shows (« de la migration d’Examens vers Plateforme 3.1 »).
pub(super) fn annexe_words(
    ctx: &Ctx,
    name: &str,
    n: u32,
    upgrade: Option<&UpgradePlan>,
) -> Result<(String, String), Box<Diagnostic>> {
    let (key, mut v) = vars(name, upgrade);
    v["n"] = json!(n);
    Ok((
        ctx.labels.text(&format!("annexe.title.{key}"), &v)?,
        ctx.labels.text(&format!("annexe.subject.{key}"), &v)?,
    ))
}

/// The migrated instances grouped by identical change, in inventory order. When only the
/// system changes, the applications each instance keeps do not split the group: they are
/// listed in `kept`.
pub(super) fn groups(instances: &[InstancePlan]) -> Vec<UpgradeGroup> {
    let mut groups: Vec<UpgradeGroup> = Vec::new();
    for inst in instances {
        let Some(u) = &inst.upgrade else { continue };
        let mut change = u.clone();
        let kept = match change.kind {
            UpgradeKind::System => change.application.take(),
            _ => None,
        };
        let group = match groups.iter_mut().position(|g| g.upgrade == change) {
            Some(i) => &mut groups[i],
            None => {
                groups.push(UpgradeGroup {
                    upgrade: change,
                    names: Vec::new(),
                    kept: Vec::new(),
                });
                groups.last_mut().expect("just pushed")
            }
        };
        group.names.push(inst.name.clone());
        group.kept.extend(kept.filter(|a| a.version.is_some()));
    }
    groups
}

/// What is installed first on the new VMs, distinct: the code of the platform (or of the
/// application) at its `source_code` version.
pub(super) fn installs(instances: &[InstancePlan]) -> Vec<InstallPlan> {
    let mut out: Vec<InstallPlan> = Vec::new();
    for u in instances.iter().filter_map(|i| i.upgrade.as_ref()) {
        let Some(app) = &u.application else { continue };
        let Some(version) = &app.source_code else {
            continue;
        };
        let name = u.platform.name.clone().unwrap_or_else(|| app.name.clone());
        let install = InstallPlan {
            name,
            version: version.clone(),
        };
        if !out.contains(&install) {
            out.push(install);
        }
    }
    out
}

/// The distinct values `f` gives for the migrated instances' applications, in order.
pub(super) fn distinct(
    instances: &[InstancePlan],
    f: fn(&ApplicationPlan) -> Option<&String>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let apps = instances
        .iter()
        .filter_map(|i| i.upgrade.as_ref()?.application.as_ref());
    for v in apps.filter_map(f) {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}
