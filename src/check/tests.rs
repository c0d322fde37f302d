//! The output rules on the reference outputs, then on outputs broken on purpose.

use super::*;

fn seed() -> (Plan, Outputs) {
    let (src, inv) = crate::load::load_bytes("i.yaml", crate::fixtures::SEED.as_bytes()).unwrap();
    let t = crate::templates::Templates::load(None).unwrap();
    let plan = crate::plan::plan(&inv, &t.labels).unwrap();
    let p = crate::pipeline::Prepared {
        source: src,
        inventory: inv,
        plan: plan.clone(),
        diagnostics: vec![],
    };
    (
        plan,
        crate::pipeline::generate(&p, &t, &Default::default(), crate::pipeline::Pngs::Draw)
            .unwrap(),
    )
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
    let t = String::from_utf8(out["tickets/57330.txt"].clone()).unwrap();
    out.insert(
        "tickets/57330.txt".into(),
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
    let (src, inv) = crate::load::load_bytes("i.yaml", text.as_bytes()).unwrap();
    let t = crate::templates::Templates::load(None).unwrap();
    let plan = crate::plan::plan(&inv, &t.labels).unwrap();
    let p = crate::pipeline::Prepared {
        source: src,
        inventory: inv,
        plan: plan.clone(),
        diagnostics: vec![],
    };
    let out = crate::pipeline::generate(&p, &t, &Default::default(), crate::pipeline::Pngs::Draw)
        .unwrap();
    let d = check_outputs(&plan, &out, "out");
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn tree_comparison_names_stale_missing_and_extra_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("document.md"), "a\nb\n").unwrap();
    std::fs::write(dir.path().join("extra.txt"), "x").unwrap();
    let mut expected = Outputs::new();
    expected.insert("document.md".into(), b"a\nc\n".to_vec());
    expected.insert("site/index.html".into(), b"h".to_vec());
    let disk = write::tree::read_tree(dir.path()).unwrap().files;
    let d = compare_tree(&expected, &disk, "out");
    let got: Vec<(Code, u32)> = d.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(got, [(Code::E0512, 2), (Code::E0511, 0), (Code::E0513, 0)]);
}
