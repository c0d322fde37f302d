//! Tickets of the reference inventory and of variations: names, contents, files, printer.

use super::manifest::files;
use super::*;
use crate::fixtures::{SEED, plan_of, seed_plan as seed};
use crate::labels::Labels;

fn seed_tickets() -> Vec<Ticket> {
    tickets(&seed(), &Templates::load(None).unwrap()).unwrap()
}

fn tickets_of(text: &str) -> Vec<Ticket> {
    tickets(&plan_of(text), &Templates::load(None).unwrap()).unwrap()
}

#[test]
fn seed_tickets_keep_one_name_whether_or_not_their_number_is_known() {
    let t = seed_tickets();
    let ids: Vec<&str> = t.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "campus-creation-campus35web",
            "campus-jour-m",
            "campus-m30",
            "projets-creation-projets35",
            "projets-jour-m",
            "projets-m30"
        ]
    );
    assert_eq!(t[0].number, Some(57330));
    assert_eq!(t[0].vms, ["campus35web"]);
    assert_eq!(t[0].attachments, ["annexes/annexe-1.png"]);
    assert_eq!(t[0].state, "reference");
    assert!(t[0].subject.starts_with("Création de la VM campus35web"));
    assert!(t.iter().all(|t| t.to.is_none()), "no mailbox invented");
}

#[test]
fn intervention_steps_are_numbered_in_execution_order() {
    let t = seed_tickets();
    let b = &t[1].body;
    let at = |s: &str| b.find(s).unwrap_or_else(|| panic!("{s:?} not in\n{b}"));
    let lines = [
        "1. vérifier que la VM campus35web est livrée et joignable (Octopus 57330)",
        "2. sauvegarder les fichiers (filedir) de la VM campusweb",
        "3. sauvegarder la base de données de la VM campusdb2",
        "4. mettre https://campus.cegepadistance.ca en maintenance",
        "5. migrer les fichiers (filedir) de la VM campusweb vers la VM campus35web",
        "6. connecter la VM campus35web à la base de données de la VM campusdb2",
        "7. mettre à jour Moodle de la version 3.1 à la version 3.5.3 sur la VM campus35web",
        "8. faire passer le nom campus.cegepadistance.ca de la VM campusweb à la VM campus35web",
        "9. retirer le nom campus35.cegepadistance.ca de la VM campus35web",
        "10. vérifier que https://campus.cegepadistance.ca répond comme attendu",
        "11. vérifier que le nom campus.cegepadistance.ca désigne la VM campus35web",
        "12. vérifier que le nom campus35.cegepadistance.ca ne désigne plus la VM campus35web",
        "13. retirer https://campus.cegepadistance.ca de la maintenance",
        "14. désactiver la VM campusweb (10.88.0.210)",
        "15. vérifier que https://campus.cegepadistance.ca répond toujours comme attendu sans la VM campusweb.",
    ];
    for pair in lines.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{pair:?}");
    }
    for remark in ["inventaire", "brouillon", "à obtenir"] {
        assert!(!b.contains(remark), "internal remark {remark:?} in\n{b}");
    }
    // Projets: the hosted sites come when campus-gq stops, on jour M, before its deactivation.
    let p = &t[4].body;
    let site = p
        .find("déplacer le site https://ouvert.cegepadistance.ca")
        .expect(p);
    assert!(site < p.find("désactiver la VM campus-gq").unwrap(), "{p}");
}

#[test]
fn a_test_vm_is_not_called_a_future_production_environment() {
    // campuswebUPG's twin created for tests, beside the migration target.
    let text = SEED.replace(
        "      - machine: campus-dev\n",
        "      - machine: campustest35\n        dns: [campustest35.cegepadistance.ca]\n        role_after: Serveur de tests Campus 3.5.3\n        actions:\n          - { state: reference, do: [{ create: { ticket: 57331 } }] }\n      - machine: campus-dev\n",
    )
    .replace("      files_from: campusweb\n", "      target: campus35web\n      files_from: campusweb\n");
    let t = tickets_of(&text);
    let test_vm = t.iter().find(|t| t.number == Some(57331)).unwrap();
    assert!(!test_vm.body.contains("production"), "{}", test_vm.body);
    assert!(
        test_vm
            .body
            .contains("Rôle\u{a0}: Serveur de tests Campus 3.5.3"),
        "{}",
        test_vm.body
    );
    let target = t.iter().find(|t| t.number == Some(57330)).unwrap();
    assert!(
        target
            .body
            .contains("futur environnement de production de Campus"),
        "{}",
        target.body
    );
}

#[test]
fn intervention_numbers_are_cited_and_the_file_keeps_its_name() {
    let text = SEED.replacen(
        "    vms:\n",
        "    interventions:\n      - { state: jour-m, ticket: 58001 }\n    vms:\n",
        1,
    );
    let t = tickets_of(&text);
    let iv = t
        .iter()
        .find(|t| t.number == Some(58001))
        .expect("its number");
    // The same file name as before the number was known.
    assert_eq!(iv.id, "campus-jour-m");
    assert!(
        iv.body.contains("Ticket Octopus\u{a0}: 58001"),
        "{}",
        iv.body
    );
}

#[test]
fn files_need_every_png() {
    let t = seed_tickets();
    let e = files(&t, &|_| None, None).unwrap_err();
    assert_eq!(e.code, Code::E0405);
    let f = files(&t, &|_| Some(b"\x89PNG\r\n\x1a\n".to_vec()), None).unwrap();
    assert_eq!(f.len(), t.len() * 2 + 1);
    assert_eq!(f[0].0, "tickets/campus-creation-campus35web.txt");
    assert_eq!(f[1].0, "tickets/campus-creation-campus35web.eml");
    assert_eq!(f.last().unwrap().0, "tickets/index.json");
    let e = files(&t, &|_| Some(vec![]), Some("pas une adresse")).unwrap_err();
    assert_eq!(e.code, Code::E0406);
}

#[test]
fn print_selects_and_reports_unknowns() {
    let t = seed_tickets();
    let l = Labels::defaults();
    let out = print(&t, Some("projets"), None, Format::Text, &l).unwrap();
    assert_eq!(out.matches("\nObjet\u{a0}:\n").count(), 3, "{out}");
    assert!(out.starts_with(&"=".repeat(72)), "{out}");
    assert!(
        out.contains(
            "tickets/projets-m30.txt — intervention (brouillon, numéro Octopus à obtenir)"
        ),
        "{out}"
    );
    let one = print(&t, None, Some("57838"), Format::Text, &l).unwrap();
    assert!(
        one.contains("projets35") && !one.contains("campus35web"),
        "{one}"
    );
    assert!(one.contains("— création (Octopus 57838)"), "{one}");
    let camp = print(&t, Some("campus"), None, Format::Json, &l).unwrap();
    let v: serde_json::Value = serde_json::from_str(&camp).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    let e = print(&t, Some("nope"), None, Format::Text, &l).unwrap_err();
    assert!(e.contains("campus, projets"), "{e}");
    let e = print(&t, Some("campus"), Some("57838"), Format::Text, &l).unwrap_err();
    assert!(
        e.contains("campus-creation-campus35web (57330), campus-jour-m, campus-m30"),
        "{e}"
    );
    // By its file name as well as by its number.
    let by_name = print(
        &t,
        None,
        Some("projets-creation-projets35"),
        Format::Text,
        &l,
    )
    .unwrap();
    assert_eq!(by_name, one);
}

#[test]
fn known_jour_m_dates_the_tickets() {
    let text = SEED.replace("    order: 1\n", "    order: 1\n    jour_m: 2019-01-15\n");
    let t = tickets_of(&text);
    assert!(
        t[0].body
            .contains("VM requise avant le jour M de Campus\u{a0}: 2019-01-15."),
        "{}",
        t[0].body
    );
    assert!(
        t[0].body.contains("–\u{a0}jour M (2019-01-15)\u{a0}: "),
        "{}",
        t[0].body
    );
    assert!(
        t[1].body.contains("Date\u{a0}: 2019-01-15\n"),
        "{}",
        t[1].body
    );
    assert!(
        t[2].body.contains("Date\u{a0}: 2019-02-14\n"),
        "{}",
        t[2].body
    );
    // Projets has no date yet.
    assert!(
        t[3].body
            .contains("VM requise avant le jour M de Projets (date à confirmer)."),
        "{}",
        t[3].body
    );
    assert!(
        t[5].body
            .contains("Date\u{a0}: M+30, à confirmer avec la date du jour M\n"),
        "{}",
        t[5].body
    );
}

#[test]
fn templates_folder_overrides_a_ticket_template() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(CREATION_TEMPLATE),
        "Objet {{ vm.machine }}\n\nCorps {{ number }}\n",
    )
    .unwrap();
    let p = seed();
    let t = tickets(&p, &Templates::load(Some(dir.path())).unwrap()).unwrap();
    assert_eq!(
        (t[0].subject.as_str(), t[0].body.as_str()),
        ("Objet campus35web", "Corps 57330\n")
    );
    std::fs::write(dir.path().join(CREATION_TEMPLATE), "\n\n").unwrap();
    let e = tickets(&p, &Templates::load(Some(dir.path())).unwrap()).unwrap_err();
    assert_eq!(e.code, Code::E0403);
}

#[test]
fn a_creation_without_number_is_a_draft_without_remarks() {
    let text = SEED.replace("{ create: { ticket: 57330 } }", "{ create: {} }");
    let t = tickets_of(&text);
    // The same name as once the number is known: links and checklists keep working.
    assert_eq!(t[0].id, "campus-creation-campus35web");
    assert_eq!(t[0].id, seed_tickets()[0].id);
    assert!(!t[0].body.contains("Ticket Octopus"), "{}", t[0].body);
    assert!(!t[0].body.contains("inventaire"), "{}", t[0].body);
}

/// Instance `a` at state `b-c` and instance `a-b` at state `c` would both write
/// `tickets/a-b-c.txt`: refused rather than overwritten.
#[test]
fn two_tickets_with_one_file_name_are_refused() {
    let mut p = seed();
    p.instances[0].id = "a".into();
    p.instances[0].interventions[0].state_id = "b-c".into();
    p.instances[1].id = "a-b".into();
    p.instances[1].interventions[0].state_id = "c".into();
    let e = tickets(&p, &Templates::load(None).unwrap()).unwrap_err();
    assert_eq!(e.code, Code::E0404);
    assert!(
        e.message.en().contains("tickets/a-b-c.txt"),
        "{}",
        e.message.en()
    );
}

#[test]
fn a_vm_that_says_what_it_runs_is_not_asked_for_the_platforms_components() {
    let t = tickets_of(include_str!("../../../examples/ville-debian12.yaml"));
    let body = |id: &str| &t.iter().find(|t| t.id == id).unwrap().body;
    // The database server runs MariaDB: no PHP on it.
    let db = body("glpi-creation-glpi12-bd");
    assert!(
        db.contains("Système d’exploitation\u{a0}: Debian 12\nMariaDB\u{a0}: 10.11\n"),
        "{db}"
    );
    assert!(!db.contains("PHP"), "{db}");
    // A web node listing PHP itself has it once, beside nginx.
    let web = body("glpi-creation-glpi12-web2");
    assert_eq!(web.matches("PHP\u{a0}: 8.2").count(), 1, "{web}");
    assert!(web.contains("nginx\u{a0}: 1.22"), "{web}");
    // A VM that says nothing gets the platform's components.
    let seed = &seed_tickets()[0].body;
    assert!(seed.contains("PHP\u{a0}: 7.0.7"), "{seed}");
}
