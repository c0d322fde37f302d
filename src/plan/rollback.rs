//! The way back, derived from the runbooks: each intervention's steps undone in reverse
//! order (names given back, VMs reactivated, sites put back, a database the upgrade changed
//! restored from its backup), and the point of no return of each instance — its first step
//! that deletes something, or the state its inventory sets as the limit — after which no
//! rollback is offered.

use super::{Ctx, PointOfNoReturn, RollbackPlan, RollbackStep, RollbackStepPlan, Step};
use crate::diag::Diagnostic;
use serde_json::json;

/// The inverse of `steps` (those before any destructive one), in the order to do them:
/// maintenance on first and off last when the intervention had a maintenance.
/// `restore_database`: the upgrade changed the database the new VMs were connected to; it
/// is restored only where the old VMs read it too (the server saved before the steps), not
/// on a new server the data was copied to, which the way back leaves behind.
pub(super) fn inverse(steps: &[Step], restore_database: bool) -> Vec<RollbackStep> {
    let mut out: Vec<RollbackStep> = Vec::new();
    let mut url = None;
    let saved = |s: &String| {
        steps
            .iter()
            .any(|b| matches!(b, Step::BackupDatabase { server } if server == s))
    };
    for step in steps.iter().rev() {
        let back = match step {
            Step::DnsMove { name, from, to } => Some(RollbackStep::NameBack {
                name: name.clone(),
                to: from.clone(),
                from: to.clone(),
            }),
            Step::DnsRelease { name, machine } => Some(RollbackStep::NameRestore {
                name: name.clone(),
                machine: machine.clone(),
            }),
            Step::Deactivate { machine, .. } => Some(RollbackStep::Reactivate {
                machine: machine.clone(),
            }),
            Step::SiteMove { url, vm, .. } => Some(RollbackStep::SiteBack {
                url: url.clone(),
                vm: vm.clone(),
            }),
            Step::DatabaseConnect { server, .. } if restore_database && saved(server) => {
                Some(RollbackStep::RestoreDatabase {
                    server: server.clone(),
                })
            }
            Step::Maintenance { url: u } => {
                url = Some(u.clone());
                None
            }
            _ => None,
        };
        if let Some(b) = back.filter(|b| !out.contains(b)) {
            out.push(b);
        }
    }
    match url {
        Some(url) if !out.is_empty() => {
            out.insert(0, RollbackStep::Maintenance { url: url.clone() });
            out.push(RollbackStep::MaintenanceOff { url });
        }
        _ => {}
    }
    out
}

/// The steps before the first destructive one.
pub(super) fn undoable(steps: &[Step]) -> &[Step] {
    let end = steps
        .iter()
        .position(Step::is_destructive)
        .unwrap_or(steps.len());
    &steps[..end]
}

/// The rollback of the intervention at state `si`, whose steps are `steps`, for an
/// instance whose point of no return is `pnr` (with its state's index).
pub(super) fn rollback(
    ctx: &Ctx,
    si: usize,
    steps: &[Step],
    pnr: Option<(usize, &PointOfNoReturn)>,
    restore_database: bool,
) -> Result<RollbackPlan, Box<Diagnostic>> {
    let l = ctx.labels;
    let (key, from) = match pnr {
        Some((p, _)) if p < si => ("rollback.note.passed", &[][..]),
        Some((p, _)) if p == si => ("rollback.note.within", undoable(steps)),
        Some(_) => ("rollback.note.until", steps),
        None => ("rollback.note.always", steps),
    };
    let inverse = inverse(from, restore_database);
    let key = match key {
        "rollback.note.within" if inverse.is_empty() => "rollback.note.starts",
        "rollback.note.passed" => key,
        _ if inverse.is_empty() => "rollback.note.nothing",
        _ => key,
    };
    let p = pnr.map(|(_, p)| p);
    let note = l.text(
        key,
        &json!({
            "label": p.map(|p| &p.label),
            "when": p.map(|p| &p.when),
            "date": p.and_then(|p| p.date.as_ref()),
            "text": p.map(|p| &p.text),
        }),
    )?;
    let steps = inverse
        .into_iter()
        .map(|step| {
            let v = serde_json::to_value(&step).unwrap_or_default();
            let kind = v["kind"].as_str().unwrap_or_default().to_string();
            Ok(RollbackStepPlan {
                text: l.text(&format!("rollback.{kind}"), &v)?,
                step,
            })
        })
        .collect::<Result<_, Box<Diagnostic>>>()?;
    Ok(RollbackPlan { steps, note })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn the_inverse_runs_backwards_inside_a_maintenance() {
        let steps = vec![
            Step::BackupDatabase { server: s("db") },
            Step::Maintenance {
                url: s("https://a"),
            },
            Step::DatabaseConnect {
                server: s("db"),
                target: s("new"),
            },
            Step::DnsMove {
                name: s("a.x"),
                from: s("old"),
                to: s("new"),
            },
            Step::DnsRelease {
                name: s("new.x"),
                machine: s("new"),
            },
            Step::SiteMove {
                url: s("https://b"),
                vm: s("old"),
                to: s("b.x"),
                to_vm: None,
            },
            Step::MaintenanceOff {
                url: s("https://a"),
            },
            Step::Deactivate {
                machine: s("old"),
                ip: None,
                dns: vec![],
            },
        ];
        let back = inverse(&steps, true);
        assert_eq!(
            back,
            [
                RollbackStep::Maintenance {
                    url: s("https://a")
                },
                RollbackStep::Reactivate { machine: s("old") },
                RollbackStep::SiteBack {
                    url: s("https://b"),
                    vm: s("old")
                },
                RollbackStep::NameRestore {
                    name: s("new.x"),
                    machine: s("new")
                },
                RollbackStep::NameBack {
                    name: s("a.x"),
                    to: s("old"),
                    from: s("new")
                },
                RollbackStep::RestoreDatabase { server: s("db") },
                RollbackStep::MaintenanceOff {
                    url: s("https://a")
                },
            ]
        );
        // Without an upgrade that changes it, the database needs no restore.
        assert!(
            !inverse(&steps, false).contains(&RollbackStep::RestoreDatabase { server: s("db") })
        );
    }

    #[test]
    fn a_copied_database_or_a_bare_maintenance_needs_no_way_back() {
        // A database copied to a new server stays behind: the old one was never changed.
        let copied = [
            Step::BackupDatabase {
                server: s("old-db"),
            },
            Step::DatabaseMigrate {
                server: s("old-db"),
                target: s("db"),
            },
            Step::DatabaseConnect {
                server: s("db"),
                target: s("new"),
            },
        ];
        assert!(inverse(&copied, true).is_empty());
        // Nothing to undo: no maintenance either.
        assert!(inverse(&[Step::Maintenance { url: s("u") }], true).is_empty());
    }

    #[test]
    fn nothing_after_a_deletion_is_undone() {
        let steps = vec![
            Step::Deactivate {
                machine: s("a"),
                ip: None,
                dns: vec![],
            },
            Step::RemoveName {
                name: s("b.x"),
                machine: s("b"),
            },
            Step::Delete {
                machine: s("b"),
                ip: None,
                dns: vec![],
            },
            Step::Deactivate {
                machine: s("c"),
                ip: None,
                dns: vec![],
            },
        ];
        assert_eq!(undoable(&steps).len(), 1);
        assert_eq!(undoable(&steps[3..]).len(), 1);
        assert!(undoable(&steps[1..]).is_empty());
    }
}
