//! Unit tests of the comparison: one per kind of change, on the seed inventory and edits of
//! it, checked as data (the renderings are tested end to end in `tests/it/diff.rs`).

use super::*;
use crate::fixtures::{SEED, plan_of};

/// The seed with each `(from, to)` replaced once, in turn.
fn edited(pairs: &[(&str, &str)]) -> String {
    let mut text = SEED.to_string();
    for (from, to) in pairs {
        assert!(text.contains(from), "the seed has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

fn diff_of(pairs: &[(&str, &str)]) -> Diff {
    compare("old", &plan_of(SEED), "new", &plan_of(&edited(pairs)))
}

/// The rows of instance `id`.
fn rows<'a>(d: &'a Diff, id: &str) -> &'a [Row] {
    &d.instances.iter().find(|i| i.id == id).unwrap().rows
}

fn row<'a>(rows: &'a [Row], kind: Kind, subject: Option<&str>) -> &'a Row {
    rows.iter()
        .find(|r| r.kind == kind && r.subject.as_deref() == subject)
        .unwrap_or_else(|| panic!("no {kind:?} {subject:?} in {rows:#?}"))
}

fn sides(r: &Row) -> (Option<&str>, Option<&str>) {
    (r.old.as_deref(), r.new.as_deref())
}

const CAMPUS_DEV_ACTIONS: &str = "        role: Serveur de tests Moodle 3.1.2
        actions:
          - { state: m30, do: [delete] }";

#[test]
fn the_same_inventory_has_no_change() {
    let d = diff_of(&[]);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!((d.old.as_str(), d.new.as_str()), ("old", "new"));
}

#[test]
fn document_facts_and_state_labels() {
    let d = diff_of(&[
        ("title: Opérations", "title: Les opérations"),
        ("date: 2018-11-28", "date: 2018-11-29"),
        ("target: 3.5.3", "target: 3.5.4"),
        ("from: \"3.1\"", "from: \"3.2\""),
    ]);
    let fact = |f: Fact| {
        d.document
            .iter()
            .find(|r| r.key == Some(Key::Fact(f)))
            .unwrap_or_else(|| panic!("{f:?} in {:#?}", d.document))
    };
    assert!(
        sides(fact(Fact::Title))
            .1
            .unwrap()
            .starts_with("Les opérations")
    );
    assert_eq!(
        sides(fact(Fact::DecisionDate)),
        (Some("2018-11-28"), Some("2018-11-29"))
    );
    // The application is each migrated instance's: its target changes in both.
    for id in ["campus", "projets"] {
        let target = rows(&d, id)
            .iter()
            .find(|r| r.key == Some(Key::Fact(Fact::ApplicationTarget)))
            .unwrap_or_else(|| panic!("{id}: {:#?}", rows(&d, id)));
        assert_eq!(sides(target), (Some("3.5.3"), Some("3.5.4")));
        let from = rows(&d, id)
            .iter()
            .find(|r| r.key == Some(Key::Fact(Fact::ApplicationFrom)))
            .unwrap_or_else(|| panic!("{id}: {:#?}", rows(&d, id)));
        assert_eq!(sides(from), (Some("3.1"), Some("3.2")));
    }
    assert!(d.instances.iter().all(|i| i.status == Status::Changed));
}

#[test]
fn a_vm_added_and_one_removed_with_the_counts() {
    let d = diff_of(&[(
        "      - machine: campus-dev\n        ip: 10.88.0.204\n        dns: [campus-dev.cegepadistance.ca]\n",
        "      - machine: campus-test\n        ip: 10.88.0.204\n        dns: [campus-dev.cegepadistance.ca]\n",
    )]);
    let r = rows(&d, "campus");
    let added = row(r, Kind::VmAdded, Some("campus-test"));
    assert_eq!(sides(added), (None, Some("Serveur de tests Moodle 3.1.2")));
    let removed = row(r, Kind::VmRemoved, Some("campus-dev"));
    assert_eq!(
        sides(removed),
        (Some("Serveur de tests Moodle 3.1.2"), None)
    );
    assert!(
        !r.iter().any(|r| r.kind == Kind::Count),
        "same counts: {r:#?}"
    );
}

#[test]
fn a_colour_and_action_change_names_the_state() {
    let d = diff_of(&[(
        CAMPUS_DEV_ACTIONS,
        "        role: Serveur de tests Moodle 3.1.2
        actions:
          - { state: jour-m, do: [deactivate] }
          - { state: m30, do: [delete] }",
    )]);
    let r = rows(&d, "campus");
    let cell = row(r, Kind::Cell, Some("campus-dev"));
    assert_eq!(cell.state.as_deref(), Some("jour M"));
    assert!(cell.old.as_deref().unwrap().contains("(noir)"), "{cell:?}");
    let new = cell.new.as_deref().unwrap();
    assert!(
        new.contains("désactivation") && new.contains("(rouge)"),
        "{cell:?}"
    );
    assert_eq!(
        r.iter().filter(|r| r.kind == Kind::Cell).count(),
        1,
        "{r:#?}"
    );
}

#[test]
fn dns_moves_added_removed_and_changed() {
    // Campus's move goes from jour M to M+30; Projets's is dropped and its VM keeps its name.
    let d = diff_of(&[
        (
            "          - state: jour-m\n            do:\n              - dns-move: { name: campus.cegepadistance.ca, from: campusweb }\n              - dns-release: campus35.cegepadistance.ca",
            "          - { state: jour-m, do: [dns-release: campus35.cegepadistance.ca] }\n          - { state: m30, do: [dns-move: { name: campus.cegepadistance.ca, from: campusweb }] }",
        ),
        (
            "          - { state: jour-m, do: [deactivate] }\n          - { state: m30, do: [delete] }\n      - machine: campusdb2",
            "          - { state: m30, do: [delete] }\n      - machine: campusdb2",
        ),
    ]);
    let changed = row(
        rows(&d, "campus"),
        Kind::DnsMoveChanged,
        Some("campus.cegepadistance.ca"),
    );
    assert_eq!(
        sides(changed),
        (
            Some("campusweb → campus35web, jour M"),
            Some("campusweb → campus35web, M+30")
        )
    );
    let text = edited(&[]).replace(
        "              - dns-move: { name: projets.cegepadistance.ca, from: campus-gq }\n",
        "",
    );
    let d = compare("old", &plan_of(SEED), "new", &plan_of(&text));
    let removed = row(
        rows(&d, "projets"),
        Kind::DnsMoveRemoved,
        Some("projets.cegepadistance.ca"),
    );
    assert_eq!(
        sides(removed),
        (Some("campus-gq → projets35, jour M"), None)
    );
    let back = compare("new", &plan_of(&text), "old", &plan_of(SEED));
    let added = row(
        rows(&back, "projets"),
        Kind::DnsMoveAdded,
        Some("projets.cegepadistance.ca"),
    );
    assert_eq!(sides(added), (None, Some("campus-gq → projets35, jour M")));
}

#[test]
fn creation_tickets_added_and_renumbered() {
    let d = diff_of(&[
        (
            "{ create: { ticket: 57330 } }",
            "{ create: { ticket: 57331 } }",
        ),
        (
            "      - machine: campus-dev\n",
            "      - machine: campus-cache\n        dns: [campus-cache.cegepadistance.ca]\n        role_after: Cache\n        actions:\n          - { state: reference, do: [{ create: { ticket: 57999 } }] }\n      - machine: campus-dev\n",
        ),
        (
            "      files_from: campusweb",
            "      target: campus35web\n      files_from: campusweb",
        ),
    ]);
    let r = rows(&d, "campus");
    let key = Some(Key::Ticket(Ticket::Creation));
    let renumbered = row(r, Kind::TicketChanged, Some("campus35web"));
    assert_eq!(
        (renumbered.key, sides(renumbered)),
        (key, (Some("57330"), Some("57331")))
    );
    let added = row(r, Kind::TicketAdded, Some("campus-cache"));
    assert_eq!((added.key, sides(added)), (key, (None, Some("57999"))));
    let count = |c: Count| r.iter().find(|r| r.key == Some(Key::Count(c))).map(sides);
    assert_eq!(count(Count::ToCreate), Some((Some("1"), Some("2"))));
    assert_eq!(count(Count::Vms), Some((Some("6"), Some("7"))));
    let total = d
        .document
        .iter()
        .find(|r| r.key == Some(Key::Count(Count::ToCreate)));
    assert_eq!(total.map(sides), Some((Some("2"), Some("3"))));
}

#[test]
fn intervention_requests_numbered_added_and_removed() {
    let numbered = diff_of(&[(
        "    vms:\n      - machine: campusweb",
        "    interventions:\n      - { state: jour-m, ticket: 60001 }\n    vms:\n      - machine: campusweb",
    )]);
    let r = row(
        rows(&numbered, "campus"),
        Kind::TicketChanged,
        Some("jour M"),
    );
    assert_eq!(
        (r.key, sides(r)),
        (
            Some(Key::Ticket(Ticket::Intervention)),
            (None, Some("60001"))
        )
    );
    // campus-dev's deletion moves from M+30 to jour M: Campus still works at both states;
    // Projets stops deleting at M+30, so its M+30 request goes.
    let d = diff_of(&[
        (
            "          - { state: m30, do: [delete] }\n      - machine: projets35",
            "      - machine: projets35",
        ),
        (
            "        role: Serveur de production (Projets)\n        actions:",
            "        role: Serveur de production (Projets)\n        role_after: Serveur de production (Projets)\n        actions:",
        ),
    ]);
    let removed = row(rows(&d, "projets"), Kind::TicketRemoved, Some("M+30"));
    assert_eq!(removed.key, Some(Key::Ticket(Ticket::Intervention)));
    let deleted = rows(&d, "projets")
        .iter()
        .find(|r| r.key == Some(Key::Count(Count::Deleted)));
    assert_eq!(deleted.map(sides), Some((Some("1"), Some("0"))));
}

#[test]
fn instances_added_and_removed_and_their_facts() {
    let cut = SEED.find("  - id: projets").unwrap();
    let campus_only = &SEED[..cut];
    let d = compare("old", &plan_of(SEED), "new", &plan_of(campus_only));
    let gone = d.instances.iter().find(|i| i.id == "projets").unwrap();
    assert_eq!(gone.status, Status::Removed);
    assert!(
        gone.rows
            .iter()
            .any(|r| r.kind == Kind::VmRemoved && r.subject.as_deref() == Some("campus-gq"))
    );
    let count = d
        .document
        .iter()
        .find(|r| r.key == Some(Key::Count(Count::Instances)));
    assert_eq!(count.map(sides), Some((Some("2"), Some("1"))));
    let back = compare("old", &plan_of(campus_only), "new", &plan_of(SEED));
    let added = back.instances.iter().find(|i| i.id == "projets").unwrap();
    assert_eq!(added.status, Status::Added);
    assert!(
        added
            .rows
            .iter()
            .any(|r| r.kind == Kind::TicketAdded && r.new.as_deref() == Some("57838"))
    );
    let d = diff_of(&[("    order: 1\n", "    order: 1\n    jour_m: 2019-01-14\n")]);
    let jour_m = row(rows(&d, "campus"), Kind::Fact, None);
    assert_eq!(
        (jour_m.key, sides(jour_m)),
        (Some(Key::Fact(Fact::JourM)), (None, Some("2019-01-14")))
    );
}

#[test]
fn json_keys_are_sorted_and_stable() {
    let d = diff_of(&[("title: Opérations", "title: Les opérations")]);
    let text = json_text(&d);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["document", "instances", "new", "old"]);
    let row = text.find("\"key\"").unwrap();
    assert!(
        row < text.find("\"kind\"").unwrap()
            && text.find("\"kind\"").unwrap() < text.find("\"new\": \"Les").unwrap()
    );
}

#[test]
fn settings_windows_and_rollback_limits_are_changes_too() {
    const TOWN: &str = include_str!("../../examples/ville-debian12.yaml");
    let edited = TOWN
        .replacen(
            "start: \"18:00\", duration: 4h",
            "start: \"19:00\", duration: 4h",
            1,
        )
        .replacen(
            "  date_style: long\n",
            "  date_style: long\n  paper: a4\n",
            1,
        );
    assert_ne!(edited, TOWN);
    let d = compare("old", &plan_of(TOWN), "new", &plan_of(&edited));
    let paper = d
        .document
        .iter()
        .find(|r| r.key == Some(Key::Fact(Fact::Paper)))
        .unwrap_or_else(|| panic!("{:#?}", d.document));
    assert_eq!(sides(paper), (None, Some("a4")));
    let glpi = rows(&d, "glpi");
    let w = glpi
        .iter()
        .find(|r| r.key == Some(Key::Fact(Fact::Window)))
        .unwrap_or_else(|| panic!("{glpi:#?}"));
    assert_eq!(w.state.as_deref(), Some("jour M"));
    let (old, new) = sides(w);
    assert!(old.unwrap().starts_with("18\u{a0}h – 22\u{a0}h, "), "{w:?}");
    assert!(new.unwrap().starts_with("19\u{a0}h – 23\u{a0}h, "), "{w:?}");
    assert!(new.unwrap().ends_with("poste 2401"), "{w:?}");
    // Only the one window changed: the other instances say nothing.
    assert_eq!(glpi.len(), 1, "{glpi:#?}");
    assert_eq!(d.instances.len(), 1, "{d:#?}");
}
