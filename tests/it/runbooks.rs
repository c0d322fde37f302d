//! Interventions a technician can execute (issue 20): each request is a runbook whose steps
//! come in execution order, its rollback is the inverse of what can be undone up to the
//! point of no return, one calendar lists every request in date order, and the `.ics` files
//! read back in a real calendar library (Python's `icalendar`). The order and the inverse
//! are stated here as rules of their own, checked on the reference inventory, the
//! municipal example and generated inventories (one and several instances, with and
//! without windows, weekend dates).

use crate::common::*;
use bascule::plan::{InterventionPlan, Plan, RollbackStep, Step};
use bascule::sample::{Shape, inventory};
use std::path::{Path, PathBuf};
use std::process::Command;

fn ville() -> PathBuf {
    repo().join("examples/ville-debian12.yaml")
}

fn plans() -> Vec<(String, Plan)> {
    let mut out = vec![
        ("seed".to_string(), plan_of(SEED)),
        (
            "ville".to_string(),
            plan_of(&std::fs::read_to_string(ville()).unwrap()),
        ),
    ];
    for seed in 0..60 {
        let shape = Shape {
            seed,
            instances: if seed % 2 == 0 { 1 } else { 5 },
            vms: 8,
            vary: seed % 3 != 0,
            hostile: seed % 5 == 0,
        };
        out.push((format!("sample {seed}"), plan_of(&inventory(shape))));
    }
    out
}

fn position(steps: &[Step], want: impl Fn(&Step) -> bool) -> Option<usize> {
    steps.iter().position(want)
}

/// The order a technician needs, stated step kind by step kind.
fn assert_runbook_order(what: &str, steps: &[Step]) {
    let first = |f: &dyn Fn(&Step) -> bool| position(steps, f);
    let last = |f: &dyn Fn(&Step) -> bool| steps.iter().rposition(f);
    let prereq_end = last(&|s| matches!(s, Step::Prerequisite { .. }));
    let other_start = first(&|s| !matches!(s, Step::Prerequisite { .. }));
    if let (Some(p), Some(o)) = (prereq_end, other_start) {
        assert!(p < o, "{what}: prerequisites first: {steps:#?}");
    }
    let maintenance = first(&|s| matches!(s, Step::Maintenance { .. }));
    let off = first(&|s| matches!(s, Step::MaintenanceOff { .. }));
    assert_eq!(
        maintenance.is_some(),
        off.is_some(),
        "{what}: maintenance taken off"
    );
    let data = |s: &Step| {
        matches!(
            s,
            Step::Files { .. }
                | Step::DatabaseMigrate { .. }
                | Step::DatabaseConnect { .. }
                | Step::Upgrade { .. }
        )
    };
    for (i, s) in steps.iter().enumerate() {
        let before = &steps[..i];
        let after = &steps[i + 1..];
        match s {
            Step::BackupDatabase { .. } | Step::BackupFiles { .. } => {
                assert!(maintenance.is_none_or(|m| i < m), "{what}: backup before maintenance");
            }
            _ if data(s) => {
                let (m, o) = (maintenance.expect(what), off.expect(what));
                assert!(m < i && i < o, "{what}: data moves inside the maintenance: {s:?}");
            }
            Step::DnsMove { name, to, .. } => assert!(
                after.iter().any(|v| matches!(v, Step::VerifyName { name: n, machine, .. } if n == name && machine == to)),
                "{what}: {name} checked on {to}"
            ),
            Step::DnsRelease { name, machine } => assert!(
                after.iter().any(|v| matches!(v, Step::VerifyReleased { name: n, machine: m } if n == name && m == machine)),
                "{what}: {name} checked released"
            ),
            Step::SiteMove { url, .. } => assert!(
                after.iter().any(|v| matches!(v, Step::VerifySite { url: u } if u == url)),
                "{what}: {url} checked"
            ),
            Step::MaintenanceOff { .. } => assert!(
                !after.iter().any(|v| matches!(v, Step::VerifySite { .. } | Step::VerifyName { .. } | Step::VerifyReleased { .. })),
                "{what}: every check before maintenance off"
            ),
            Step::Deactivate { .. } | Step::Delete { .. } | Step::SiteDelete { .. } => assert!(
                !after.iter().any(|v| data(v) || matches!(v, Step::DnsMove { .. } | Step::VerifySite { .. } | Step::MaintenanceOff { .. })),
                "{what}: what stops comes last: {steps:#?}"
            ),
            _ => {}
        }
        if let Step::Delete { machine, dns, .. } = s {
            for name in dns {
                assert!(
                    before.iter().any(|r| matches!(r, Step::RemoveName { name: n, machine: m } if n == name && m == machine)),
                    "{what}: {name} removed before {machine} is deleted"
                );
            }
        }
        if let Step::DatabaseConnect { server, .. } | Step::DatabaseMigrate { server, .. } = s {
            let backed = before
                .iter()
                .any(|b| matches!(b, Step::BackupDatabase { server: x } if x == server))
                || before
                    .iter()
                    .any(|b| matches!(b, Step::DatabaseMigrate { target, .. } if target == server));
            assert!(
                backed,
                "{what}: the database of {server} is saved before it is touched"
            );
        }
    }
}

/// The forward step a rollback step undoes (same object), if any.
fn undoes(r: &RollbackStep, s: &Step) -> bool {
    match (r, s) {
        (
            RollbackStep::NameBack { name, to, from },
            Step::DnsMove {
                name: n,
                from: f,
                to: t,
            },
        ) => name == n && to == f && from == t,
        (
            RollbackStep::NameRestore { name, machine },
            Step::DnsRelease {
                name: n,
                machine: m,
            },
        ) => name == n && machine == m,
        (RollbackStep::Reactivate { machine }, Step::Deactivate { machine: m, .. }) => machine == m,
        (RollbackStep::SiteBack { url, vm }, Step::SiteMove { url: u, vm: v, .. }) => {
            url == u && vm == v
        }
        (RollbackStep::RestoreDatabase { server }, Step::BackupDatabase { server: s }) => {
            server == s
        }
        (RollbackStep::Maintenance { url }, Step::Maintenance { url: u })
        | (RollbackStep::MaintenanceOff { url }, Step::MaintenanceOff { url: u }) => url == u,
        _ => false,
    }
}

/// The steps of `all` (those of `iv`) that can be undone, up to the point of no return.
fn reachable<'a>(plan: &Plan, inst: usize, iv: &InterventionPlan, all: &'a [Step]) -> &'a [Step] {
    let state = |id: &str| plan.states.iter().position(|s| s.id == id).unwrap();
    let here = state(&iv.state_id);
    match &plan.instances[inst].point_of_no_return {
        Some(p) if state(&p.state_id) < here => &[],
        Some(p) if state(&p.state_id) == here => {
            let end = all
                .iter()
                .position(Step::is_destructive)
                .unwrap_or(all.len());
            &all[..end]
        }
        _ => all,
    }
}

fn assert_inverse(what: &str, forward: &[Step], back: &[RollbackStep]) {
    // Every rollback step undoes a reachable step; the undone steps run backwards, except
    // the maintenance that frames the rollback.
    let framed = matches!(back.first(), Some(RollbackStep::Maintenance { .. }));
    let inner = if framed {
        &back[1..back.len() - 1]
    } else {
        back
    };
    if framed {
        assert!(
            matches!(back.last(), Some(RollbackStep::MaintenanceOff { .. })),
            "{what}"
        );
    }
    let mut at = forward.len();
    for r in inner {
        let i = forward[..at]
            .iter()
            .rposition(|s| undoes(r, s))
            .unwrap_or_else(|| panic!("{what}: {r:?} undoes no earlier step of {forward:#?}"));
        at = i;
    }
    // And every change that can be undone is.
    for s in forward {
        let changes = matches!(
            s,
            Step::DnsMove { .. }
                | Step::DnsRelease { .. }
                | Step::Deactivate { .. }
                | Step::SiteMove { .. }
        );
        if changes {
            assert!(
                inner.iter().any(|r| undoes(r, s)),
                "{what}: {s:?} is not undone: {back:#?}"
            );
        }
    }
}

#[test]
fn every_runbook_is_in_execution_order_and_its_rollback_is_the_inverse() {
    let mut windows = 0;
    for (name, plan) in plans() {
        for (k, inst) in plan.instances.iter().enumerate() {
            for iv in &inst.interventions {
                let what = format!("{name}, {} at {}", inst.id, iv.state_id);
                let steps: Vec<Step> = iv.steps.iter().map(|s| s.step.clone()).collect();
                assert!(!steps.is_empty(), "{what}: an intervention without steps");
                assert_runbook_order(&what, &steps);
                let back: Vec<RollbackStep> =
                    iv.rollback.steps.iter().map(|s| s.step.clone()).collect();
                assert_inverse(&what, reachable(&plan, k, iv, &steps), &back);
                // Every step and rollback step has its words.
                assert!(iv.steps.iter().all(|s| !s.text.is_empty()), "{what}");
                assert!(!iv.rollback.note.is_empty(), "{what}");
                windows += usize::from(iv.window.is_some());
            }
        }
    }
    assert!(
        windows > 5,
        "the generated inventories have windows: {windows}"
    );
}

#[test]
fn the_calendar_lists_every_request_in_date_order() {
    for (name, plan) in plans() {
        let keys: Vec<(bool, Option<&bascule::date::Date>, Option<&String>)> = plan
            .calendar
            .iter()
            .map(|c| (c.iso.is_none(), c.iso.as_ref(), c.start.as_ref()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{name}: calendar out of order");
        let interventions: usize = plan.instances.iter().map(|i| i.interventions.len()).sum();
        let creations = plan.calendar.iter().filter(|c| c.machine.is_some()).count();
        assert_eq!(plan.calendar.len() - creations, interventions, "{name}");
    }
}

fn build(dir: &Path, inventory: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let o = bascule(dir, &["build", "--inventory", inventory.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir.join("out")
}

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn tickets_and_the_documents_calendar_follow_the_dates() {
    let dir = tmp("runbooks-order");
    let out = build(&dir, &ville());
    let o = bascule(
        &dir,
        &[
            "tickets",
            "--inventory",
            ville().to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let listed: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = listed.iter().map(|t| t["id"].as_str().unwrap()).collect();
    // Intranet's M-7 (23 February) comes before GLPI's jour M (9 March), which comes
    // before GLPI's M+14: by date, not by instance.
    let at = |id: &str| {
        ids.iter()
            .position(|x| *x == id)
            .unwrap_or_else(|| panic!("{id}: {ids:?}"))
    };
    assert!(at("intranet-pre-m7") < at("glpi-jour-m"));
    assert!(at("nextcloud-jour-m") < at("glpi-m14"));
    assert!(at("glpi-m14") < at("intranet-pre-m60"));
    let md = std::fs::read_to_string(out.join("document.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    let table = md.split("## Calendrier des interventions").nth(1).unwrap();
    let row = |s: &str| table.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(
        row("| lundi 23 février 2026 | Intranet (préproduction) | intervention à M-7")
            < row("| lundi 9 mars 2026 | GLPI | intervention le jour M")
    );
    assert!(
        row("| lundi 23 mars 2026 | GLPI | intervention à M+14") < row("| vendredi 1ᵉʳ mai 2026 |")
    );
    let site = std::fs::read_to_string(out.join("site/calendrier.html")).unwrap();
    assert!(site.contains("Calendrier des interventions"), "{site}");
    assert!(
        site.contains("calendar.ics"),
        "the site links the calendar file"
    );
}

#[test]
fn a_window_gives_the_date_with_its_weekday_the_hours_the_zone_and_contacts() {
    let dir = tmp("runbooks-window");
    let out = build(&dir, &ville());
    let t = std::fs::read_to_string(out.join("tickets/glpi-jour-m.txt")).unwrap();
    assert!(
        t.contains(
            "Date\u{a0}: lundi 9\u{a0}mars 2026, de 18\u{a0}h à 22\u{a0}h (fuseau America/Toronto)"
        ) || t.contains("Date\u{a0}: lundi 9 mars 2026, de 18 h à 22 h (fuseau America/Toronto)"),
        "{t}"
    );
    assert!(
        t.contains("Contacts\u{a0}: Équipe des systèmes, poste 2401"),
        "{t}"
    );
    // The rollback is printed, with its limit.
    assert!(
        t.contains("Retour arrière, si une vérification échoue\u{a0}:"),
        "{t}"
    );
    assert!(
        t.contains("avant le point de non-retour\u{a0}: supprimer la VM glpi-web"),
        "{t}"
    );
    // No window: the date alone, the whole day.
    let n = std::fs::read_to_string(out.join("tickets/nextcloud-jour-m.txt")).unwrap();
    assert!(
        n.contains("Date\u{a0}: lundi 16\u{a0}mars 2026")
            || n.contains("Date\u{a0}: lundi 16 mars 2026"),
        "{n}"
    );
}

/// Runs Python with `icalendar` on `script`; `None` (after the notice) when it is missing.
fn python(script: &str, args: &[&Path]) -> Option<String> {
    let probe = Command::new("python3")
        .args(["-c", "import icalendar"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        tool_missing("Python's icalendar (pip install icalendar)");
        return None;
    }
    let o = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8(o.stdout).unwrap())
}

const READ_ICS: &str = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for e in cal.walk('VEVENT'):
    s, t = e['DTSTART'].dt, e['DTEND'].dt
    tz = getattr(getattr(s, 'tzinfo', None), 'key', None) or str(getattr(s, 'tzinfo', None) or '')
    print('|'.join([str(e['UID']), s.isoformat(), t.isoformat(), tz, str(e['SUMMARY']), str(e.get('CONTACT', ''))]))
"#;

#[test]
fn the_calendar_files_read_back_in_python_icalendar() {
    let dir = tmp("runbooks-ics");
    let out = build(&dir, &ville());
    let Some(all) = python(READ_ICS, &[&out.join("calendar.ics")]) else {
        return;
    };
    let events: Vec<Vec<&str>> = all.lines().map(|l| l.split('|').collect()).collect();
    // Every dated intervention, none of the creations.
    let ville = plan_of(&std::fs::read_to_string(ville()).unwrap());
    let dated = ville
        .calendar
        .iter()
        .filter(|c| c.machine.is_none() && c.iso.is_some())
        .count();
    assert_eq!(events.len(), dated, "{all}");
    let glpi = events
        .iter()
        .find(|e| e[0].starts_with("glpi-jour-m@"))
        .unwrap_or_else(|| panic!("{all}"));
    assert_eq!(glpi[1], "2026-03-09T18:00:00-04:00", "{all}");
    assert_eq!(glpi[2], "2026-03-09T22:00:00-04:00", "{all}");
    assert_eq!(glpi[3], "America/Toronto", "{all}");
    assert!(
        glpi[4].starts_with("Intervention sur GLPI, le jour M"),
        "{all}"
    );
    assert_eq!(glpi[5], "Équipe des systèmes, poste 2401");
    let m60 = events
        .iter()
        .find(|e| e[0].starts_with("glpi-m60@"))
        .unwrap();
    assert_eq!(
        (m60[1], m60[2]),
        ("2026-05-08T07:30:00-04:00", "2026-05-08T09:00:00-04:00")
    );
    // No start: an all-day event.
    let nc = events
        .iter()
        .find(|e| e[0].starts_with("nextcloud-jour-m@"))
        .unwrap();
    assert_eq!(
        (nc[1], nc[2], nc[3]),
        ("2026-03-16", "2026-03-17", ""),
        "{all}"
    );
    // One file per dated request, attached to its e-mail.
    let one = python(READ_ICS, &[&out.join("tickets/glpi-jour-m.ics")]).unwrap();
    assert_eq!(one.lines().count(), 1);
    assert_eq!(one.lines().next().unwrap(), glpi.join("|"));
    let eml = r#"
import sys, email
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
for p in m.iter_attachments():
    print(p.get_content_type(), p.get_filename())
"#;
    let parts = python(eml, &[&out.join("tickets/glpi-jour-m.eml")]).unwrap();
    assert!(parts.contains("text/calendar glpi-jour-m.ics"), "{parts}");
}

#[test]
fn calendar_text_is_escaped_and_folded_per_rfc_5545() {
    // Contacts and names with the characters RFC 5545 escapes: ; , \ and a new line.
    let dir = tmp("runbooks-escape");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(ville()).unwrap().replacen(
        "contacts: \"Équipe des systèmes, poste 2401\"",
        "contacts: \"Équipe; systèmes, poste \\\\2401\"",
        1,
    );
    assert!(text.contains("poste \\\\2401"), "the example changed");
    let inv = dir.join("inv.yaml");
    std::fs::write(&inv, text).unwrap();
    let out = build(&dir, &inv);
    let raw = std::fs::read_to_string(out.join("calendar.ics")).unwrap();
    assert!(
        raw.lines().all(|l| l.len() <= 75),
        "every line folded at 75 octets"
    );
    assert!(raw.contains("\r\n"), "CRLF line ends");
    let Some(all) = python(READ_ICS, &[&out.join("calendar.ics")]) else {
        return;
    };
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for e in cal.walk('VEVENT'):
    if 'CONTACT' in e: print(repr(str(e['CONTACT'])))
"#;
    let contacts = python(script, &[&out.join("calendar.ics")]).unwrap();
    assert_eq!(
        contacts.trim(),
        "'Équipe; systèmes, poste \\\\2401'",
        "{all}"
    );
}

#[test]
fn two_builds_write_the_same_calendar_bytes() {
    let a = build(&tmp("runbooks-det-a"), &ville());
    let b = build(&tmp("runbooks-det-b"), &ville());
    for f in [
        "calendar.ics",
        "tickets/glpi-jour-m.ics",
        "tickets/glpi-jour-m.eml",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    let raw = std::fs::read_to_string(a.join("calendar.ics")).unwrap();
    // DTSTAMP from the inventory's reference date, not the clock.
    assert!(raw.contains("DTSTAMP:20260202T000000Z"), "{raw}");
}

fn diagnostics(dir: &Path, text: &str, cmd: &str) -> Vec<serde_json::Value> {
    std::fs::create_dir_all(dir).unwrap();
    let inv = dir.join("inv.yaml");
    std::fs::write(&inv, text).unwrap();
    let o = bascule(
        dir,
        &[
            cmd,
            "--inventory",
            inv.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    json_diagnostics(&stdout(&o))
}

fn codes(d: &[serde_json::Value]) -> Vec<String> {
    d.iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn windows_are_checked_where_they_are_written() {
    let base = std::fs::read_to_string(ville()).unwrap();
    let dir = tmp("runbooks-windows");
    let bad_time = base.replacen("start: \"18:00\"", "start: \"25:00\"", 1);
    let d = diagnostics(&dir, &bad_time, "check");
    let e = d
        .iter()
        .find(|d| d["code"] == "E0140")
        .unwrap_or_else(|| panic!("{d:#?}"));
    let line = base
        .lines()
        .position(|l| l.contains("start: \"18:00\""))
        .unwrap()
        + 1;
    assert_eq!(e["line"], line, "{e}");
    let bad_duration = base.replacen("duration: 4h", "duration: 4 heures", 1);
    assert!(codes(&diagnostics(&dir, &bad_duration, "check")).contains(&"E0140".into()));
    let bad_zone = base.replacen("  zones:", "  time_zone: Mars/Olympus\n  zones:", 1);
    let d = diagnostics(&dir, &bad_zone, "check");
    assert!(codes(&d).contains(&"E0141".into()), "{d:#?}");
    let paris = base.replacen("  zones:", "  time_zone: Europe/Paris\n  zones:", 1);
    assert!(!codes(&diagnostics(&dir, &paris, "check")).contains(&"E0141".into()));
}

#[test]
fn a_weekend_intervention_is_warned_about_unless_intended() {
    let base = std::fs::read_to_string(ville()).unwrap();
    let jm = "jour_m: 2026-03-09";
    assert!(base.contains(jm), "the example changed");
    // Saturday 7 March 2026.
    let saturday = base.replacen(jm, "jour_m: 2026-03-07", 1);
    let dir = tmp("runbooks-weekend");
    let d = diagnostics(&dir, &saturday, "check");
    let w = d
        .iter()
        .find(|d| d["code"] == "W0142" && d["message"].as_str().unwrap().contains("`jour-m`"))
        .unwrap_or_else(|| panic!("{d:#?}"));
    assert!(
        w["message"]
            .as_str()
            .unwrap()
            .contains("Saturday (2026-03-07)"),
        "{w}"
    );
    // Located at the intervention's entry, which dates it.
    let line = base
        .lines()
        .position(|l| l.contains("state: jour-m, start: \"18:00\""))
        .unwrap()
        + 1;
    assert_eq!(w["line"], line, "{w}");
    // An instance that is not migrated is dated by the one it follows: warned at `follows`.
    let tuesday = base.replacen(jm, "jour_m: 2026-03-10", 1);
    let d = diagnostics(&dir, &tuesday, "check");
    let follows = base
        .lines()
        .position(|l| l.contains("follows: glpi"))
        .unwrap()
        + 1;
    let atelier = d
        .iter()
        .find(|d| d["code"] == "W0142" && d["line"] == follows)
        .unwrap_or_else(|| panic!("{d:#?}"));
    assert!(
        atelier["message"]
            .as_str()
            .unwrap()
            .contains("Saturday (2026-05-09)"),
        "{atelier}"
    );
    let intended = saturday.replacen("  zones:", "  weekends: true\n  zones:", 1);
    assert!(!codes(&diagnostics(&dir, &intended, "check")).contains(&"W0142".into()));
    assert!(!codes(&diagnostics(&dir, &base, "check")).contains(&"W0142".into()));
}

#[test]
fn check_refuses_a_ticket_template_that_drops_the_rollback() {
    // A writer's template override that leaves out the way back: every output is made
    // from it, so `check` must read the runbook in the text, not trust the template.
    let dir = tmp("runbooks-template");
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    let default =
        std::fs::read_to_string(repo().join("templates/ticket-intervention.txt.tera")).unwrap();
    let start = default.find("{%- for r in iv.rollback.steps %}").unwrap();
    let end = start + default[start..].find("{%- endfor %}").unwrap() + "{%- endfor %}".len();
    let cut = format!("{}{}", &default[..start], &default[end..]);
    std::fs::write(dir.join("templates/ticket-intervention.txt.tera"), cut).unwrap();
    let o = bascule(
        &dir,
        &[
            "check",
            "--inventory",
            ville().to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let c = codes(&json_diagnostics(&stdout(&o)));
    assert!(c.iter().all(|c| c == "E0534"), "{c:?}");
    assert!(!c.is_empty());
}
