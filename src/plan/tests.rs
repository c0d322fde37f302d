//! The plan of the reference inventory, fact by fact.

use super::*;
use crate::fixtures::{plan_of, seed_plan};

fn vm<'a>(p: &'a Plan, inst: usize, machine: &str) -> &'a VmPlan {
    p.instances[inst]
        .vms
        .iter()
        .find(|v| v.machine == machine)
        .unwrap()
}

fn colours(v: &VmPlan) -> Vec<Colour> {
    v.cells.iter().map(|c| c.colour.colour).collect()
}

#[test]
fn seed_colours_follow_the_legend() {
    let p = seed_plan();
    use Colour::*;
    assert_eq!(colours(vm(&p, 0, "campusweb")), [Black, Red, Red]);
    assert_eq!(colours(vm(&p, 0, "campusdb2")), [Green, Green, Green]);
    assert_eq!(colours(vm(&p, 0, "campus35web")), [Blue, Red, Black]);
    assert_eq!(colours(vm(&p, 0, "campus-dev")), [Black, Black, Red]);
    assert_eq!(colours(vm(&p, 1, "campus-gq")), [Black, Red, Red]);
    assert_eq!(colours(vm(&p, 1, "projets35")), [Blue, Red, Black]);
    let c = &vm(&p, 0, "campusweb").cells[1].colour;
    assert_eq!(
        (c.key, c.word.as_str(), c.symbol.as_str()),
        ("red", "rouge", "▲")
    );
}

#[test]
fn seed_counts_tickets_moves_and_target() {
    let p = seed_plan();
    let c = &p.instances[0];
    assert_eq!(
        (c.to_create, c.creation_tickets.as_slice()),
        (1, &[57330][..])
    );
    assert_eq!(p.instances[1].creation_tickets, [57838]);
    assert_eq!(c.deleted, ["campusweb", "campus-dev"]);
    assert_eq!(c.dns_moves.len(), 1);
    assert_eq!(
        (c.dns_moves[0].from.as_str(), c.dns_moves[0].to.as_str()),
        ("campusweb", "campus35web")
    );
    assert_eq!(c.dns_moves[0].when, "le jour M");
    assert_eq!(p.migration_order, ["Campus", "Projets"]);
    assert_eq!(
        c.annexe_title,
        "Annexe 1. Migration Campus 3.1 vers Moodle version 3.5"
    );
    let m = c.migration.as_ref().unwrap();
    assert_eq!(
        (m.targets.as_slice(), m.target_created),
        (&["campus35web".to_string()][..], true)
    );
    assert!(vm(&p, 0, "campus35web").is_target);
    assert_eq!(p.database_groups.len(), 2);
    assert_eq!(p.environments.len(), 1);
    assert_eq!(p.environments[0].names, ["Campus", "Projets"]);
    assert_eq!(p.after_days, 30);
}

#[test]
fn dns_names_follow_the_moves() {
    let p = seed_plan();
    let new = vm(&p, 0, "campus35web");
    assert_eq!(new.cells[0].dns, ["campus35.cegepadistance.ca"]);
    assert_eq!(new.cells[1].dns, ["campus.cegepadistance.ca"]);
    assert!(vm(&p, 0, "campusweb").cells[1].dns.is_empty());
    assert_eq!(
        vm(&p, 0, "campusweb").cells[1].dns_before,
        ["campus.cegepadistance.ca"]
    );
}

#[test]
fn deleted_vms_vanish_after_their_deletion() {
    let p = seed_plan();
    let old = vm(&p, 0, "campusweb");
    assert!(old.cells.iter().all(|c| c.present));
    assert_eq!(old.role_after, "Supprimée");
    assert_eq!(vm(&p, 0, "campus35web").role_now, "À être créée");
}

#[test]
fn cells_say_what_the_table_shows() {
    let p = seed_plan();
    let old = vm(&p, 0, "campusweb");
    assert_eq!(old.cells[0].summary, "• aucune intervention (noir)");
    assert_eq!(
        old.cells[1].summary,
        "↔ DNS campus.cegepadistance.ca → campus35web\u{202f}; ○ désactivation (rouge)"
    );
    assert_eq!(
        vm(&p, 0, "campus35web").cells[0].summary,
        "+ création (Octopus 57330) (bleu)"
    );
}

/// WGL4 symbols: in Arial, Verdana, Liberation Sans and DejaVu Sans alike, so a reader
/// whose browser substitutes the font still sees them (checked once with librsvg and
/// Liberation Sans only).
const WGL4_SYMBOLS: &str = "√•▲+○×↔←→■";

#[test]
fn every_symbol_is_in_wgl4() {
    let p = seed_plan();
    let mut used: Vec<&str> = p.legend.iter().map(|c| c.symbol.as_str()).collect();
    for inst in &p.instances {
        used.extend(inst.action_legend.iter().map(|a| a.symbol.as_str()));
    }
    assert!(used.len() > 4);
    for s in used {
        assert!(
            s.chars().all(|c| WGL4_SYMBOLS.contains(c)),
            "{s} is not in WGL4"
        );
    }
}

#[test]
fn headings_and_labels_are_derived() {
    let p = seed_plan();
    let h: Vec<&str> = p.instances[0]
        .columns
        .iter()
        .map(|c| c.heading.as_str())
        .collect();
    assert_eq!(
        h,
        [
            "État en date de 2018-12-12",
            "État le jour de migration (jour M)",
            "État 30\u{a0}jours après la migration (M+30)"
        ]
    );
    let labels: Vec<&str> = p.states.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["2018-12-12", "jour M", "M+30"]);
}

#[test]
fn interventions_are_steps_in_execution_order() {
    let p = seed_plan();
    let iv = &p.instances[0].interventions;
    assert_eq!(iv.len(), 2);
    let kinds = kinds_of(&iv[0].steps);
    assert_eq!(
        kinds,
        [
            "prerequisite",
            "backup_files",
            "backup_database",
            "maintenance",
            "files",
            "database_connect",
            "upgrade",
            "dns_move",
            "dns_release",
            "verify_site",
            "verify_name",
            "verify_released",
            "maintenance_off",
            "deactivate",
            "verify_without"
        ]
    );
    assert_eq!(
        iv[0].steps[14].text,
        "vérifier que https://campus.cegepadistance.ca répond toujours comme attendu sans la VM campusweb"
    );
    let work: Vec<Work> = iv[0].work.iter().map(|w| w.work).collect();
    assert_eq!(work, [Work::Data, Work::Dns, Work::Deactivation]);
    assert_eq!(
        iv[0].steps[4].text,
        "migrer les fichiers (filedir) de la VM campusweb vers la VM campus35web"
    );
    let m30 = kinds_of(&iv[1].steps);
    // Jour M has its checks; M+30 only deletes: its rollback is for a problem, not a check.
    assert!(iv[0].checked && !iv[1].checked);
    // campus-dev still holds its name at M+30: the name goes before the VM.
    assert_eq!(m30, ["delete", "remove_name", "delete"]);
    // Projets' hosted sites are handled when campus-gq stops: on jour M.
    let pj = &p.instances[1];
    assert_eq!(pj.hosted.len(), 1);
    assert!(pj.hosted[0].sites.iter().all(|s| s.state_id == "jour-m"));
    assert!(
        pj.interventions[0]
            .work
            .iter()
            .any(|w| w.work == Work::HostedSites)
    );
}

#[test]
fn each_rollback_says_where_the_point_of_no_return_stands() {
    let p = seed_plan();
    // Each case of the point of no return: before it (Campus, jour M), at its first step
    // (Campus, M+30), inside the intervention (Projets deletes a site on jour M), past it.
    let notes: Vec<&str> = p
        .instances
        .iter()
        .flat_map(|i| &i.interventions)
        .map(|iv| iv.rollback.note.as_str())
        .collect();
    let starts = [
        "possible jusqu’à M+30, avant le point de non-retour",
        "aucun, cette intervention commence au point de non-retour",
        "possible jusqu’au point de non-retour de cette intervention",
        "aucun, le point de non-retour est passé",
    ];
    for (note, start) in notes.iter().zip(starts) {
        let plain = note.replace('\u{a0}', " ");
        assert!(
            plain.starts_with(start),
            "{note:?} should start with {start:?}"
        );
    }
    assert!(p.instances[1].interventions[1].rollback.steps.is_empty());
    assert!(!p.instances[1].interventions[0].rollback.steps.is_empty());
}

#[test]
fn dates_follow_jour_m_and_the_style() {
    let text =
        crate::fixtures::SEED.replace("    order: 1\n", "    order: 1\n    jour_m: 2019-01-15\n");
    let p = plan_of(&text);
    let cols = &p.instances[0].columns;
    assert_eq!(cols[1].date.as_deref(), Some("2019-01-15"));
    assert_eq!(cols[2].date.as_deref(), Some("2019-02-14"));
    assert_eq!(
        cols[2].heading,
        "État 30\u{a0}jours après la migration (M+30, 2019-02-14)"
    );
    let long = text.replace("  dns_allow: []\n", "  dns_allow: []\n  date_style: long\n");
    let p = plan_of(&long);
    assert_eq!(
        p.instances[0].jour_m.as_deref(),
        Some("15\u{a0}janvier 2019")
    );
    assert_eq!(p.decision.date, "28\u{a0}novembre 2018");
    assert_eq!(p.reference_date, "12\u{a0}décembre 2018");
}

/// The kind of each step (`deactivate`, `verify_site`…), as templates see it.
fn kinds_of(steps: &[StepPlan]) -> Vec<String> {
    steps
        .iter()
        .map(|s| {
            serde_json::to_value(s).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The kinds of the steps of instance `inst`'s intervention at `state`.
fn step_kinds(p: &Plan, inst: usize, state: &str) -> Vec<String> {
    let iv = p.instances[inst]
        .interventions
        .iter()
        .find(|iv| iv.state_id == state)
        .expect("an intervention at that state");
    kinds_of(&iv.steps)
}

#[test]
fn switching_vms_off_is_checked_while_the_instance_still_runs() {
    // Two of Campus's VMs switched off at M+30, while campus35web keeps running: one check
    // naming both, before anything is deleted, so that switching them on again still helps.
    let two = crate::fixtures::SEED
        .replace(
            "        role_after: Serveur BD de tests Campus 3.5.3\n",
            "        role_after: Serveur BD de tests Campus 3.5.3\n        actions:\n          - { state: m30, do: [deactivate] }\n",
        )
        .replace(
            "        role_after: Serveur fichiers de tests Campus 3.5.3\n",
            "        role_after: Serveur fichiers de tests Campus 3.5.3\n        actions:\n          - { state: m30, do: [deactivate] }\n",
        );
    let p = plan_of(&two);
    assert_eq!(
        step_kinds(&p, 0, "m30"),
        [
            "deactivate",
            "deactivate",
            "verify_without",
            "delete",
            "remove_name",
            "delete"
        ]
    );
    let iv = &p.instances[0].interventions[1];
    assert_eq!(
        iv.steps[2].text,
        "vérifier que https://campus.cegepadistance.ca répond toujours comme attendu sans les VM campuswebUPG et campusdb2UPG"
    );
    assert!(iv.checked, "the rollback is for a failed check");
    // Projets's old VM switched off on jour M: the instance, and the site moved off it.
    let seed = seed_plan();
    let jm = &seed.instances[1].interventions[0];
    let last: Vec<&str> = jm
        .steps
        .iter()
        .rev()
        .take(3)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(
        last,
        [
            "vérifier que https://ouvert.cegepadistance.ca répond toujours comme attendu sans la VM campus-gq",
            "vérifier que https://projets.cegepadistance.ca répond toujours comme attendu sans la VM campus-gq",
            "désactiver la VM campus-gq (10.88.0.212)",
        ]
    );
    // Deleting a VM switched off earlier asks for no check either (the seed's M+30).
    assert_eq!(step_kinds(&seed_plan(), 1, "m30"), ["delete"]);
}

#[test]
fn a_sandbox_is_checked_only_while_one_of_its_vms_runs() {
    // A sandbox with no migration has both its VMs switched off at M+14: nothing is
    // expected to answer any more, so nothing is checked.
    let ville = include_str!("../../examples/ville-debian12.yaml");
    let off = ville
        .replace(
            "        role_after: Bac à sable (Debian 10)\n",
            "        role_after: Bac à sable (Debian 10)\n        actions:\n          - { state: m14, do: [deactivate] }\n",
        )
        .replace(
            "        role: Ancien bac à sable\n        actions:\n          - { state: m60, do: [delete] }\n",
            "        role: Ancien bac à sable\n        actions:\n          - { state: m14, do: [deactivate] }\n          - { state: m60, do: [delete] }\n",
        );
    let p = plan_of(&off);
    let atelier = p.instances.iter().position(|i| i.id == "atelier").unwrap();
    assert_eq!(step_kinds(&p, atelier, "m14"), ["deactivate", "deactivate"]);
    // One of them switched off: the other still answers for the sandbox.
    let one = ville.replace(
        "        role: Ancien bac à sable\n        actions:\n          - { state: m60, do: [delete] }\n",
        "        role: Ancien bac à sable\n        actions:\n          - { state: m14, do: [deactivate] }\n          - { state: m60, do: [delete] }\n",
    );
    let p = plan_of(&one);
    assert_eq!(
        step_kinds(&p, atelier, "m14"),
        ["deactivate", "verify_without"]
    );
    // A site moved off a VM deleted (not switched off) at M+60, beside a third VM switched
    // off: the instance is checked without that third VM, the site is not.
    let mixed = ville
        .replace(
            "        role: Ancien bac à sable\n        actions:\n          - { state: m60, do: [delete] }\n",
            "        role: Ancien bac à sable\n        actions:\n          - { state: m60, do: [delete] }\n      - machine: atelier-vm3\n        ip: 10.20.9.13\n        role: Essais\n        role_after: Essais\n        actions:\n          - { state: m60, do: [deactivate] }\n    hosted_sites:\n      - { url: https://essais.ville.example, vm: atelier-vm2, fate: { move-to: atelier.ville.example } }\n",
        );
    let p = plan_of(&mixed);
    let iv = p.instances[atelier]
        .interventions
        .iter()
        .find(|iv| iv.state_id == "m60")
        .unwrap();
    let checks: Vec<&str> = iv
        .steps
        .iter()
        .filter(|s| s.text.contains("toujours"))
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(
        checks,
        [
            "vérifier que https://atelier.ville.example répond toujours comme attendu sans la VM atelier-vm3"
        ]
    );
}
