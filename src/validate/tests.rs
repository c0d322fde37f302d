//! Rules that need a whole inventory to show: the reference inventory passes, and the new
//! rules (case, whole-inventory clashes, states, targets, bounds) catch what they are for.

use super::*;
use crate::fixtures::SEED;

fn run(text: &str) -> Vec<Diagnostic> {
    let (_, inv) = crate::load::load_bytes("i.yaml", text.as_bytes()).unwrap();
    validate("i.yaml", &inv, Mode::Check, &Labels::defaults()).diagnostics
}

fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
    d.iter().map(|d| d.code.as_str()).collect()
}

fn with(pairs: &[(&str, &str)]) -> Vec<Diagnostic> {
    let mut text = SEED.to_string();
    for (from, to) in pairs {
        assert!(text.contains(from), "seed has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    run(&text)
}

#[test]
fn names() {
    assert!(is_fqdn("campus.cegepadistance.ca"));
    assert!(!is_fqdn("campus"));
    assert!(!is_fqdn("a..b.ca"));
    assert!(!is_fqdn("../etc.ca"));
    assert!(is_hostname_label("campusweb-UPG2"));
    assert!(!is_hostname_label("a/b"));
    assert!(!is_hostname_label(".."));
}

#[test]
fn seed_inventory_has_only_the_qc_ca_warning() {
    let d = run(SEED);
    assert_eq!(codes(&d), ["W0108"], "{d:#?}");
    assert!(
        d[0].message
            .en()
            .contains("campusdbupg.cegepadistance.qc.ca")
    );
}

#[test]
fn machine_names_compare_without_case_naming_both_spellings() {
    let d = with(&[
        ("machine: campus-dev\n", "machine: CAMPUSWEB\n"),
        (
            "dns: [campus-dev.cegepadistance.ca]",
            "dns: [campusdev.cegepadistance.ca]",
        ),
    ]);
    let e = d.iter().find(|d| d.code == Code::E0104).expect("E0104");
    assert!(
        e.message.en().contains("`CAMPUSWEB` is `campusweb`"),
        "{}",
        e.message.en()
    );
}

#[test]
fn one_dns_name_in_two_instances_or_two_spellings_is_one_clash() {
    // projets35 takes Campus's DNS name, spelled in capitals.
    let d = with(&[(
        "dns: [projets35.cegepadistance.ca]",
        "dns: [CAMPUS35.cegepadistance.ca]",
    )]);
    let e: Vec<&Diagnostic> = d.iter().filter(|d| d.code == Code::E0106).collect();
    assert_eq!(e.len(), 1, "{d:#?}");
    assert!(
        e[0].message
            .en()
            .contains("held by `campus35web` (Campus) as `campus35.cegepadistance.ca`"),
        "{}",
        e[0].message.en()
    );
}

#[test]
fn two_ip_clashes_give_two_diagnostics() {
    let d = with(&[
        ("ip: 10.88.0.211", "ip: 10.88.0.210"),
        ("ip: 10.87.0.211", "ip: 10.87.0.210"),
    ]);
    assert_eq!(
        codes(&d).iter().filter(|c| **c == "E0105").count(),
        2,
        "{d:#?}"
    );
}

#[test]
fn zero_instances_is_an_error() {
    let cut = SEED.find("instances:").unwrap();
    let d = run(&format!("{}instances: []\n", &SEED[..cut]));
    assert!(codes(&d).contains(&"E0130"), "{d:#?}");
}

#[test]
fn urls_with_ports_and_paths_pass_others_do_not() {
    let ok = with(&[(
        "url: https://campus.cegepadistance.ca",
        "url: https://campus.cegepadistance.ca:8443/moodle?x=1",
    )]);
    assert!(!codes(&ok).contains(&"E0123"), "{ok:#?}");
    for bad in [
        "ftp://campus.cegepadistance.ca",
        "https://user:pw@campus.cegepadistance.ca",
        "https://campus",
        "campus.cegepadistance.ca",
        "https://10.0.0.1",
    ] {
        let d = with(&[(
            "url: https://campus.cegepadistance.ca",
            &format!("url: \"{bad}\""),
        )]);
        assert!(codes(&d).contains(&"E0123"), "{bad}: {d:#?}");
    }
}

#[test]
fn more_states_before_and_after_are_accepted_in_order() {
    let d = with(&[(
        "  - id: jour-m\n    kind: migration\n",
        "  - id: m-7\n    kind: before\n    offset_days: 7\n  - id: jour-m\n    kind: migration\n  - id: m7\n    kind: after\n    offset_days: 7\n",
    )]);
    assert_eq!(codes(&d), ["W0108"], "{d:#?}");
    let d = with(&[(
        "    offset_days: 30\n",
        "    offset_days: 30\n  - id: m20\n    kind: after\n    offset_days: 20\n",
    )]);
    assert!(
        d.iter()
            .any(|d| d.code == Code::E0110 && d.message.en().contains("run away")),
        "{d:#?}"
    );
    let d = with(&[(
        "    kind: migration\n",
        "    kind: after\n    offset_days: 1\n",
    )]);
    assert!(d.iter().any(|d| d.code == Code::E0110), "{d:#?}");
}

#[test]
fn a_written_label_is_compared_with_the_derived_one() {
    let d = with(&[(
        "    offset_days: 30\n",
        "    offset_days: 30\n    label: M+14\n",
    )]);
    let w = d.iter().find(|d| d.code == Code::W0129).expect("W0129");
    assert!(
        w.message.en().contains("`M+14`") && w.message.en().contains("`M+30`"),
        "{}",
        w.message.en()
    );
    let d = with(&[(
        "    offset_days: 30\n",
        "    offset_days: 30\n    label: M+30\n",
    )]);
    assert!(!codes(&d).contains(&"W0129"));
}

#[test]
fn the_migration_target_must_be_known() {
    // Campus creates nothing: no VM can receive its migration.
    let d = with(&[
        (
            "          - { state: reference, do: [{ create: { ticket: 57330 } }] }\n",
            "",
        ),
        (
            "role_after: Serveur fichiers de production Campus 3.5.3\n",
            "role: x\n        role_after: Serveur fichiers de production Campus 3.5.3\n        ip: 10.88.0.250\n",
        ),
    ]);
    assert!(
        d.iter()
            .any(|d| d.code == Code::E0128 && d.message.en().contains("creates no VM")),
        "{d:#?}"
    );
    let d = with(&[(
        "      files_from: campusweb\n",
        "      target: campus35web\n      files_from: campusweb\n",
    )]);
    assert_eq!(codes(&d), ["W0108"], "{d:#?}");
    let d = with(&[(
        "      files_from: campusweb\n",
        "      target: campusweb\n      files_from: campusweb\n",
    )]);
    assert!(
        d.iter()
            .any(|d| d.code == Code::E0128 && d.message.en().contains("is deactivated")),
        "{d:#?}"
    );
}

#[test]
fn intervention_numbers_need_a_state_with_work() {
    let d = with(&[(
        "    vms:\n",
        "    interventions:\n      - { state: jour-m, ticket: 58001 }\n      - { state: reference, ticket: 58002 }\n      - { state: m30, ticket: 57330 }\n    vms:\n",
    )]);
    assert!(
        d.iter()
            .any(|d| d.code == Code::E0131
                && d.message.en().contains("`reference` has no intervention")),
        "{d:#?}"
    );
    assert!(
        d.iter().any(|d| d.code == Code::E0118),
        "57330 is a creation's: {d:#?}"
    );
    assert_eq!(
        codes(&d).iter().filter(|c| **c == "E0131").count(),
        1,
        "{d:#?}"
    );
}

#[test]
fn limits_are_located_errors() {
    let d = with(&[(
        "role: Serveur BD de production Campus\n",
        &format!("role: {}\n", "x".repeat(300)),
    )]);
    assert!(
        d.iter()
            .any(|d| d.code == Code::E0126 && d.message.en().contains("300 characters")),
        "{d:#?}"
    );
    let many: String = (0..9)
        .map(|i| format!("  - {{ id: a{i}, kind: after, offset_days: {} }}\n", 31 + i))
        .collect();
    let d = with(&[(
        "    offset_days: 30\n",
        &format!("    offset_days: 30\n{many}"),
    )]);
    assert!(
        d.iter()
            .any(|d| d.code == Code::E0127 && d.message.en().contains("12 states")),
        "{d:#?}"
    );
}

#[test]
fn spaces_around_a_text_are_refused() {
    let d = with(&[("    name: Projets\n", "    name: \" Projets\"\n")]);
    assert!(
        d.iter()
            .any(|d| d.code == Code::E0120 && d.message.en().contains("space")),
        "{d:#?}"
    );
}

#[test]
fn a_creation_without_number_warns_in_build_and_fails_in_check() {
    let text = SEED.replace("{ create: { ticket: 57330 } }", "{ create: {} }");
    let (_, inv) = crate::load::load_bytes("i.yaml", text.as_bytes()).unwrap();
    let build = validate("i.yaml", &inv, Mode::Build, &Labels::defaults()).diagnostics;
    assert!(
        build.iter().any(|d| d.code == Code::W0117 && !d.is_error()),
        "{build:#?}"
    );
    let check = validate("i.yaml", &inv, Mode::Check, &Labels::defaults()).diagnostics;
    assert!(
        check.iter().any(|d| d.code == Code::E0117 && d.is_error()),
        "{check:#?}"
    );
}

#[test]
fn a_typo_in_a_state_id_is_one_fault_not_two() {
    // The VM's `delete` sits at the unknown state: it has no `role_after`, and must not be
    // asked for one as well (the fix is the state id, not a role).
    let d = with(&[(
        "{ state: m30, do: [delete] }",
        "{ state: m31, do: [delete] }",
    )]);
    let mut got = codes(&d);
    got.retain(|c| *c != "W0108");
    assert_eq!(got, ["E0113"], "{d:#?}");
}

#[test]
fn roles_before_and_after_follow_the_vm_s_fate() {
    let no_w = |d: Vec<Diagnostic>| -> Vec<(&'static str, String)> {
        d.into_iter()
            .filter(|d| d.code.as_str() != "W0108")
            .map(|d| (d.code.as_str(), d.message.en()))
            .collect()
    };
    // A deleted VM has no role after the migration.
    let d = no_w(with(&[(
        "        role: Serveur fichiers de production (Campus)\n",
        "        role: Serveur fichiers de production (Campus)\n        role_after: Archive\n",
    )]));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, "E0116");
    assert!(d[0].1.contains("`campusweb` is deleted"), "{d:?}");
    // A VM that stays has one.
    let d = no_w(with(&[(
        "        role_after: Serveur BD de production Campus\n",
        "",
    )]));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, "E0116");
    assert!(
        d[0].1.contains("`campusdb2` stays but has no `role_after`"),
        "{d:?}"
    );
    // One with actions, at known states, too.
    let d = no_w(with(&[(
        "        role_after: Serveur fichiers de production Campus 3.5.3\n",
        "",
    )]));
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].1.contains("`campus35web` stays"), "{d:?}");
    // Only a VM to create has no current role.
    let d = no_w(with(&[(
        "        role: Serveur BD de production Campus\n",
        "",
    )]));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, "E0124");
    assert!(d[0].1.contains("`campusdb2` has no `role`"), "{d:?}");
}

#[test]
fn a_sent_creation_waits_for_its_number_with_a_warning() {
    let text = SEED.replace("{ create: { ticket: 57330 } }", "{ create: {} }");
    let (_, inv) = crate::load::load_bytes("i.yaml", text.as_bytes()).unwrap();
    let labels = Labels::defaults();
    let sent: BTreeSet<String> = ["campus-creation-campus35web".to_string()].into();
    let check = validate_sent("i.yaml", &inv, Mode::Check, &labels, &sent).diagnostics;
    let mut found = codes(&check);
    found.sort_unstable();
    assert_eq!(found, ["W0108", "W0118"], "{check:#?}");
    let other: BTreeSet<String> = ["campus-jour-m".to_string()].into();
    let check = validate_sent("i.yaml", &inv, Mode::Check, &labels, &other).diagnostics;
    assert!(
        codes(&check).contains(&"E0117"),
        "only that request's key counts"
    );
}

fn octopus(block: &str) -> Vec<&'static str> {
    let d = run(&format!("{SEED}\noctopus:\n{block}"));
    let mut found: Vec<&str> = codes(&d).into_iter().filter(|c| *c != "W0108").collect();
    found.dedup();
    found
}

#[test]
fn octopus_settings_hold_together() {
    let ok = "  mailbox: \"Centre de services <o@example.ca>, b@example.ca\"\n  sender: \"Équipe <w@example.ca>\"\n";
    assert_eq!(octopus(ok), Vec::<&str>::new());
    let sr = "  request: service-request\n  sr_token: CreateSR\n  update_subject: \"[{kind}] {number}: {subject}\"\n";
    assert_eq!(octopus(sr), Vec::<&str>::new());
    for (block, code) in [
        ("  mailbox: \"pas une adresse\"\n", "E0406"),
        ("  sender: \"a@example.ca, b@example.ca\"\n", "E0406"),
        ("  request: service-request\n", "E0150"),
        ("  sr_token: CreateSR\n", "E0150"),
        (
            "  request: service-request\n  sr_token: Create SR\n",
            "E0150",
        ),
        ("  update_subject: \"[{kind}] {subject}\"\n", "E0150"),
        (
            "  update_subject: \"[{kind}] #{numbre} {subject}\"\n",
            "E0150",
        ),
        ("  update_subject: \"[{kind] #{number}\"\n", "E0150"),
    ] {
        assert_eq!(octopus(block), [code], "{block}");
    }
    // An incident needs no token.
    assert_eq!(octopus("  request: incident\n"), Vec::<&str>::new());
    // One fault, one message: the scan goes on after the placeholder's `}`.
    let d = run(&format!(
        "{SEED}\noctopus:\n  update_subject: \"#{{number}} {{{{}}x}}\"\n"
    ));
    let faults = d.iter().filter(|d| d.code == Code::E0150).count();
    assert_eq!(faults, 1, "{d:#?}");
    let d = run(&format!(
        "{SEED}\noctopus:\n  update_subject: \"#{{numbre}}\"\n"
    ));
    let typo = d
        .iter()
        .find(|d| d.message.en().contains("numbre"))
        .unwrap();
    assert_eq!(
        typo.help.as_ref().map(|h| h.en()).as_deref(),
        Some("did you mean `{number}`?")
    );
}

#[test]
fn the_old_mailbox_key_still_works_and_says_where_it_moved() {
    let old = with(&[("  zones:", "  octopus_mailbox: o@example.ca\n  zones:")]);
    assert!(codes(&old).contains(&"W0119"), "{old:#?}");
    let text = SEED.replace("  zones:", "  octopus_mailbox: o@example.ca\n  zones:");
    let both = run(&format!("{text}\noctopus:\n  mailbox: o@example.ca\n"));
    assert!(codes(&both).contains(&"E0150"), "{both:#?}");
}

#[test]
fn texts_that_lie_are_refused_with_the_code_point() {
    let role = "role: Serveur fichiers de production (Campus)";
    for (text, code, says) in [
        (
            "role: Serveur \u{202E}noitcudorp",
            "E0143",
            "U+202E, a control of the writing direction",
        ),
        (
            "role: Serveur\u{200B} fichiers",
            "E0143",
            "U+200B, an invisible character",
        ),
        ("role: Serveur\u{FE0F} fichiers", "E0143", "U+FE0F"),
        (
            "role: Serveu\u{0301}\u{0301}\u{0301}r",
            "E0144",
            "combining marks",
        ),
    ] {
        let d = with(&[(role, text)]);
        let found = d.iter().find(|d| d.code.as_str() == code);
        assert!(
            found.is_some_and(|d| d.message.en().contains(says) && d.line > 0),
            "{text:?}: {d:#?}"
        );
    }
    // Two accents on one letter are French enough (and Vietnamese).
    let ok = with(&[(role, "role: Serveu\u{0301}\u{0302}r")]);
    assert!(!codes(&ok).contains(&"E0144"), "{ok:#?}");
}

#[test]
fn instances_cannot_share_a_name_or_look_alike() {
    let same = with(&[("name: Projets", "name: Campus")]);
    let d = same.iter().find(|d| d.code == Code::E0145).expect("E0145");
    assert!(d.message.en().contains("is also the name of"), "{d:?}");
    // A Cyrillic « С » (U+0421) in place of the Latin C.
    let alike = with(&[("name: Projets", "name: \u{0421}ampus")]);
    let d = alike.iter().find(|d| d.code == Code::E0145).expect("E0145");
    assert!(d.message.en().contains("looks like"), "{d:?}");
}

#[test]
fn a_url_host_in_two_alphabets_is_refused_and_one_in_another_is_shown() {
    let url = "url: https://campus.cegepadistance.ca";
    // A Cyrillic « е » (U+0435) in the Latin name.
    let mixed = with(&[(url, "url: https://campus.c\u{0435}gepadistance.ca")]);
    let d = mixed.iter().find(|d| d.code == Code::E0146).expect("E0146");
    assert!(d.message.en().contains("xn--"), "{d:?}");
    let greek = with(&[(
        url,
        "url: https://\u{03b5}\u{03be}\u{03b1}\u{03bc}.cegepadistance.ca",
    )]);
    let d = greek.iter().find(|d| d.code == Code::W0147).expect("W0147");
    assert!(d.message.en().contains("xn--"), "{d:?}");
    assert!(!codes(&greek).contains(&"E0146"));
}
