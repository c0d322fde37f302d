//! build ⇒ check, as a property: every inventory the generator makes (1–6 instances, 1–25
//! VMs, 3–6 states, every environment, 0/1/several creations, vowel-initial and hostile
//! names) loads, validates, plans, renders, and `check` finds nothing wrong in its outputs;
//! the French agrees. `BASCULE_PROPERTY_CASES` sets the number of cases (200 by default).

use bascule::diag::Diagnostic;
use bascule::french::starts_with_vowel_sound;
use bascule::pipeline::{self, Heavy, Prepared, RenderOptions};
use bascule::sample::{Shape, inventory};
use bascule::templates::Templates;
use bascule::validate::Mode;

fn cases() -> u64 {
    std::env::var("BASCULE_PROPERTY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn shape(seed: u64) -> Shape {
    Shape {
        seed,
        instances: 6,
        vms: 25,
        vary: true,
        hostile: seed.is_multiple_of(3),
    }
}

fn prepared(text: &str, templates: &Templates) -> Result<Prepared, Vec<Diagnostic>> {
    let (source, inventory) =
        bascule::load::load_bytes("gen.yaml", text.as_bytes()).map_err(|d| vec![*d])?;
    let diagnostics =
        bascule::validate::validate(&source.name, &inventory, Mode::Check, &templates.labels);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let plan = bascule::plan::plan(&inventory, &templates.labels).map_err(|d| vec![*d])?;
    Ok(Prepared {
        source,
        inventory,
        plan,
        diagnostics,
    })
}

/// Sentences that agree: no elision missed, no plain space before « : » or « ; », no
/// number that disagrees with its noun.
fn french_agrees(text: &str, names: &[String], what: &str) {
    for n in names.iter().filter(|n| starts_with_vowel_sound(n)) {
        for bad in [format!(" de {n}"), format!(" que {n}"), format!("(de {n}")] {
            assert!(!text.contains(&bad), "{what}: « {bad} »");
        }
    }
    for bad in [
        " :",
        " ;",
        " 1 jours",
        "les un ",
        "les une ",
        "un autre instance",
        " 0 jours",
    ] {
        assert!(!text.contains(bad), "{what}: « {bad} » in\n{text}");
    }
}

#[test]
fn every_generated_inventory_builds_and_checks() {
    let templates = Templates::load(None).unwrap();
    for seed in 0..cases() {
        let text = inventory(shape(seed));
        let p = match prepared(&text, &templates) {
            Ok(p) => p,
            Err(d) => panic!("seed {seed}: {d:#?}\n{text}"),
        };
        let out = pipeline::generate(&p, &templates, &RenderOptions::default(), Heavy::Skip)
            .unwrap_or_else(|d| panic!("seed {seed}: {d:?}"));
        let faults = bascule::check::check_outputs(&p.plan, &out, "out");
        assert!(faults.is_empty(), "seed {seed}: {faults:#?}\n{text}");
        let names: Vec<String> = p.plan.instances.iter().map(|i| i.name.clone()).collect();
        for (file, bytes) in out
            .iter()
            .filter(|(f, _)| f.ends_with(".md") || f.ends_with(".txt"))
        {
            french_agrees(
                &String::from_utf8_lossy(bytes),
                &names,
                &format!("seed {seed} {file}"),
            );
        }
        for inst in &p.plan.instances {
            assert!(
                inst.interventions.iter().all(|iv| !iv.steps.is_empty()),
                "seed {seed}: an intervention without steps"
            );
        }
    }
}

/// A few of them all the way: PNGs, emails, exports, written to a folder, then
/// `check --out` on that folder.
#[test]
fn some_generated_inventories_build_to_disk_and_check_out() {
    let templates = Templates::load(None).unwrap();
    for seed in (0..cases()).step_by(50) {
        let dir = tempfile::tempdir().unwrap();
        let inv = dir.path().join("inventory.yaml");
        std::fs::write(&inv, inventory(shape(seed))).unwrap();
        let out = dir.path().join("out");
        let opts = RenderOptions::default();
        let built = pipeline::build(&inv, &templates, &out, &opts, false)
            .unwrap_or_else(|f| panic!("seed {seed}: {:#?}", f.diagnostics));
        let faults: Vec<Diagnostic> =
            bascule::check::run(&built.prepared, &templates, &opts, Some(&out), false)
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
        assert!(faults.is_empty(), "seed {seed}: {faults:#?}");
    }
}
