//! The output rules on the reference outputs, then on outputs broken on purpose.

use super::*;

/// The plan of inventory `text` and every output of it (`heavy`: the PDF and PNGs or not).
fn generated(text: &str, heavy: crate::pipeline::Heavy) -> (Plan, Outputs) {
    let (src, inv) = crate::load::load_bytes("i.yaml", text.as_bytes()).unwrap();
    let t = crate::templates::Templates::load(None).unwrap();
    let plan = crate::fixtures::plan_with(&inv, &t.labels);
    let p = crate::pipeline::Prepared {
        source: src,
        inventory: inv,
        plan: plan.clone(),
        diagnostics: vec![],
    };
    let out = crate::pipeline::generate(&p, &t, &Default::default(), heavy).unwrap();
    (plan, out)
}

fn seed() -> (Plan, Outputs) {
    generated(crate::fixtures::SEED, crate::pipeline::Heavy::Make)
}

fn codes(plan: &Plan, out: &Outputs) -> Vec<Code> {
    check_outputs(plan, out, "out")
        .iter()
        .map(|d| d.code)
        .collect()
}

fn edit(out: &mut Outputs, file: &str, from: &str, to: &str) {
    let text = String::from_utf8(out[file].clone()).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    out.insert(file.into(), text.replacen(from, to, 1).into_bytes());
}

#[test]
fn fresh_outputs_pass() {
    let (plan, out) = seed();
    let d = check_outputs(&plan, &out, "out");
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn a_wrong_row_citation_or_operation_is_caught() {
    let (plan, mut out) = seed();
    edit(
        &mut out,
        "document.md",
        "(détails dans l’Octopus 57330)",
        "(détails dans l’Octopus 57331)",
    );
    edit(
        &mut out,
        "document.md",
        "| 10.88.0.211 |",
        "| 10.88.0.212 |",
    );
    edit(
        &mut out,
        "document.md",
        "○ désactivation (rouge)",
        "○ désactivation (noir)",
    );
    let c = codes(&plan, &out);
    for want in [Code::E0503, Code::E0504, Code::E0506] {
        assert!(c.contains(&want), "{want} not in {c:?}");
    }
}

#[test]
fn a_missing_section_or_image_is_caught() {
    let (plan, mut out) = seed();
    edit(
        &mut out,
        "document.md",
        "<a id=\"machines-virtuelles-projets\"></a>",
        "",
    );
    edit(
        &mut out,
        "document.md",
        "](annexes/annexe-2.svg)",
        "](annexes/autre.svg)",
    );
    let c = codes(&plan, &out);
    assert!(
        c.contains(&Code::E0502) && c.contains(&Code::E0508),
        "{c:?}"
    );
}

#[test]
fn a_wrong_annexe_colour_or_a_foreign_vm_in_a_ticket_is_caught() {
    let (plan, mut out) = seed();
    let svg = String::from_utf8(out["annexes/annexe-1.svg"].clone()).unwrap();
    // campusdb2 is green everywhere: paint its reference box red.
    let id = "<g id=\"annexe-1-vm-2-state-reference\"";
    let at = svg.find(id).unwrap();
    let end = at + svg[at..].find("</g>").unwrap();
    let bad = format!(
        "{}{}{}",
        &svg[..at],
        svg[at..end].replace("#1b7f3b", "#c62828"),
        &svg[end..]
    );
    out.insert("annexes/annexe-1.svg".into(), bad.into_bytes());
    edit(
        &mut out,
        "tickets/index.json",
        "\"campus35web\"",
        "\"projets35\"",
    );
    let c = codes(&plan, &out);
    assert!(c.contains(&Code::E0523), "{c:?}");
    assert!(c.contains(&Code::E0532), "{c:?}");
}

#[test]
fn a_ticket_that_drops_its_vm_or_number_is_caught() {
    let (plan, mut out) = seed();
    let t = String::from_utf8(out["tickets/campus-creation-campus35web.txt"].clone()).unwrap();
    out.insert(
        "tickets/campus-creation-campus35web.txt".into(),
        t.replace("campus35web", "la VM")
            .replace("57330", "N")
            .into_bytes(),
    );
    let d = check_outputs(&plan, &out, "out");
    assert_eq!(
        d.iter().filter(|d| d.code == Code::E0533).count(),
        2,
        "{d:#?}"
    );
}

/// Names that contain each other, and a machine named like a word of the templates, give no
/// false error: the check reads structure, not wording.
#[test]
fn prefix_names_and_common_words_are_not_mistaken() {
    let text = crate::fixtures::SEED
        .replace("    name: Campus\n", "    name: Proj\n")
        .replace("machine: campus-dev\n", "machine: Bonjour\n");
    let (plan, out) = generated(&text, crate::pipeline::Heavy::Make);
    let d = check_outputs(&plan, &out, "out");
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn missing_outputs_are_named() {
    let (plan, out) = seed();
    let without = |names: &[&str]| {
        let mut o = out.clone();
        for n in names {
            o.remove(*n);
        }
        codes(&plan, &o)
    };
    assert!(without(&["document.md"]).contains(&Code::E0501));
    assert!(without(&["annexes/annexe-2.svg"]).contains(&Code::E0520));
    assert!(without(&["tickets/index.json"]).contains(&Code::E0530));
    assert!(without(&["tickets/projets-creation-projets35.txt"]).contains(&Code::E0531));
}

#[test]
fn a_row_of_another_instance_is_caught() {
    let (plan, mut out) = seed();
    let row = "| projets.cegepadistance.ca | 10.88.0.212 | campus-gq | Serveur de production (Projets) | Supprimée |";
    // Inside Campus's table, before campusdb2's row.
    let anchor = "| campusdb.cegepadistance.ca | 10.88.0.211 |";
    edit(&mut out, "document.md", anchor, &format!("{row}\n{anchor}"));
    let d = check_outputs(&plan, &out, "out");
    let e = d.iter().find(|d| d.code == Code::E0507).expect("E0507");
    assert!(
        e.message
            .en()
            .contains("lists `campus-gq`, a machine of Projets"),
        "{}",
        e.message.en()
    );
}

#[test]
fn boxes_missing_extra_or_nameless_are_caught() {
    // campus-dev deleted on jour M: absent at M+30, drawn as a dashed placeholder.
    let text = crate::fixtures::SEED.replacen(
        "- { state: m30, do: [delete] }\n    already_deleted",
        "- { state: jour-m, do: [delete] }\n    already_deleted",
        1,
    );
    let (plan, mut out) = generated(&text, crate::pipeline::Heavy::Skip);
    assert!(codes(&plan, &out).is_empty());
    let file = "annexes/annexe-1.svg";
    // The placeholder made a box: a VM drawn where it does not exist.
    edit(
        &mut out,
        file,
        "<g id=\"annexe-1-vm-6-state-m30\" class=\"vm absent\">",
        "<g id=\"annexe-1-vm-6-state-m30\" class=\"vm black\">",
    );
    // A box renamed away: it is missing, and another one loses its name.
    edit(
        &mut out,
        file,
        "<g id=\"annexe-1-vm-1-state-reference\"",
        "<g id=\"annexe-1-vm-1-state-autre\"",
    );
    edit(&mut out, file, ">campusdb2</text>", ">autre</text>");
    let c = codes(&plan, &out);
    for want in [Code::E0521, Code::E0522, Code::E0524] {
        assert!(c.contains(&want), "{want} not in {c:?}");
    }
}

/// The municipal example: dated interventions, windows, a calendar with events.
fn ville() -> (Plan, Outputs) {
    let text = include_str!("../../examples/ville-debian12.yaml");
    generated(text, crate::pipeline::Heavy::Skip)
}

#[test]
fn a_runbook_step_rollback_step_calendar_row_or_event_that_goes_missing_is_caught() {
    let (plan, out) = ville();
    assert!(check_outputs(&plan, &out, "out").is_empty());
    let cases = [
        (
            "tickets/glpi-jour-m.txt",
            "vérifier que https://glpi.ville.example répond comme attendu",
            Code::E0534,
        ),
        (
            "tickets/glpi-jour-m.txt",
            "réactiver la VM glpi-web",
            Code::E0534,
        ),
        (
            "document.md",
            "intervention à M+14 (numéro à obtenir)",
            Code::E0535,
        ),
        ("calendar.ics", "UID:glpi-m14@", Code::E0536),
    ];
    for (file, text, code) in cases {
        let mut broken = out.clone();
        edit(&mut broken, file, text, "");
        let c = codes(&plan, &broken);
        assert_eq!(c, [code], "{file} without {text:?}");
    }
}

#[test]
fn an_email_that_reads_otherwise_than_its_ticket_is_caught() {
    let (plan, out) = seed();
    let eml = "tickets/campus-jour-m.eml";
    let text = String::from_utf8(out[eml].clone()).unwrap();
    let boundary = crate::render::tickets::eml::boundary_of(text.as_bytes());
    for (from, to) in [
        ("filename=\"annexe-", "filename=\"autre-"),
        ("Subject: ", "Subject: Re: "),
        // A part forged inside the text: the reader sees a second text.
        (
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            &format!(
                "Content-Transfer-Encoding: quoted-printable\r\n\r\nx\r\n--{boundary}\r\nContent-Type: text/plain\r\n\r\nfaux\r\n"
            ),
        ),
    ] {
        let mut broken = out.clone();
        edit(&mut broken, eml, from, to);
        assert_eq!(codes(&plan, &broken), [Code::E0537], "{from:?} → {to:?}");
    }
}
