//! build ⇒ check, as a property: every inventory the generator makes (1–6 instances, 1–25
//! VMs, 3–8 states, every environment, 0/1/several creations, vowel-initial and hostile
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

/// The pipeline's own preparation (load, validate, plan), as `build` and `check` run it.
fn prepared(text: &str, templates: &Templates) -> Result<Prepared, Vec<Diagnostic>> {
    pipeline::prepare_bytes("gen.yaml", text.as_bytes(), Mode::Check, templates)
        .map_err(|f| f.diagnostics)
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
            bascule::check::run(&built.prepared, &templates, &opts, Some(&out))
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
        assert!(faults.is_empty(), "seed {seed}: {faults:#?}");
    }
}

/// Text a writer may paste that the outputs may not all be able to show: emoji, scripts the
/// bundled font lacks, bidirectional controls, combining marks, and long runs.
const RISKY: &[&str] = &[
    "🚀",
    "中文",
    "עברית",
    "e\u{301}",
    "\u{202E}droit",
    "Ω ∑ ≠",
    "ǅ",
    "\u{200D}",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "\u{FE0F}",
];

/// The generated inventory of `seed`, with risky text put into some of its quoted values
/// (roles, names, users…), and sometimes long roles in a wide instance.
fn risky_inventory(seed: u64) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let text = inventory(Shape {
        seed,
        instances: 3,
        vms: if seed.is_multiple_of(4) { 60 } else { 8 },
        vary: !seed.is_multiple_of(4),
        hostile: false,
    });
    let long = "Serveur ".repeat(31);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let quoted = line.find(": \"").filter(|_| line.ends_with('"'));
        match quoted {
            Some(at) if rng.u8(..10) == 0 => {
                let risky = RISKY[rng.usize(..RISKY.len())];
                let value = &line[at + 3..line.len() - 1];
                out.push_str(&format!("{}: \"{value} {risky}\"", &line[..at]));
            }
            Some(at) if seed.is_multiple_of(4) && line.trim_start().starts_with("role") => {
                out.push_str(&format!("{}: \"{}\"", &line[..at], long.trim_end()));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// check ⇒ build: whatever inventory `check` passes, `build` writes every output from
/// (PNGs drawn, PDF typeset, Word file written). Some of these inventories must be refused
/// and some passed, or the property says nothing.
#[test]
fn whatever_check_passes_builds() {
    let templates = Templates::load(None).unwrap();
    let opts = RenderOptions::default();
    let (mut passed, mut refused) = (0, 0);
    for seed in 0..(cases() / 8).max(12) {
        let text = risky_inventory(seed);
        let dir = tempfile::tempdir().unwrap();
        let inv = dir.path().join("inventory.yaml");
        std::fs::write(&inv, &text).unwrap();
        let checked = match pipeline::prepare(&inv, Mode::Check, &templates) {
            Err(f) => f.diagnostics,
            Ok(p) => bascule::check::run(&p, &templates, &opts, None),
        };
        if checked.iter().any(Diagnostic::is_error) {
            refused += 1;
            continue;
        }
        passed += 1;
        let built = pipeline::build(&inv, &templates, &dir.path().join("out"), &opts, false);
        if let Err(f) = built {
            panic!(
                "seed {seed}: check passed, build failed: {:#?}\n{text}",
                f.diagnostics
            );
        }
    }
    eprintln!("check passed {passed} inventories, refused {refused}");
    assert!(
        passed > 0 && refused > 0,
        "passed {passed}, refused {refused}"
    );
}
