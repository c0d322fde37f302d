//! `bascule check`: the generated outputs agree with the plan and with each other, and the
//! files on disk are what a fresh build writes.
//!
//! Outputs are rendered through templates that writers may override, so they are read back
//! here independently of how they were made: a template that drops a VM, hard-codes a count
//! or paints a box the wrong colour is caught.

use crate::diag::{Diagnostic, Pos};
use crate::plan::Plan;
use crate::templates::escape_markdown;
use crate::write::{self, Outputs};
use std::path::Path;

fn md(s: &str) -> String {
    let mut v = Vec::new();
    let _ = escape_markdown(s, &mut v);
    String::from_utf8_lossy(&v).into_owned()
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.find(needle)
        .map_or(0, |i| text[..i].matches('\n').count() as u32 + 1)
}

/// Every output rule; `out_label` names the output folder in diagnostics.
pub fn check_outputs(plan: &Plan, outputs: &Outputs, out_label: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    check_document(plan, outputs, out_label, &mut diags);
    diags
}

fn check_document(plan: &Plan, outputs: &Outputs, out_label: &str, diags: &mut Vec<Diagnostic>) {
    let file = format!("{out_label}/document.md");
    let Some(doc) = outputs
        .get("document.md")
        .map(|b| String::from_utf8_lossy(b).into_owned())
    else {
        diags.push(Diagnostic::error(
            "E0501",
            &file,
            Pos::default(),
            "the document was not generated",
        ));
        return;
    };
    let mut err = |code: &'static str, line: u32, msg: String, help: &str| {
        diags.push(
            Diagnostic::error(code, &file, Pos::new(line, 1), msg).with_help(help.to_string()),
        );
    };
    for inst in &plan.instances {
        let heading = format!("## Machines virtuelles {}", md(&inst.name));
        let Some(start) = doc.find(&heading) else {
            err(
                "E0502",
                0,
                format!("no section `{heading}`"),
                "the document template must keep one section per instance",
            );
            continue;
        };
        let rest = &doc[start + heading.len()..];
        let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
        let at = line_of(&doc, &heading);
        for vm in &inst.vms {
            let row = format!(
                "| {} | {} | {} | {} | {} |",
                md(&vm.dns_now.join(", ")),
                md(vm.ip.as_deref().unwrap_or("")),
                md(&vm.machine),
                md(&vm.role_now),
                md(&vm.role_after)
            );
            if !section.contains(&row) {
                err(
                    "E0503",
                    at,
                    format!(
                        "the table of {} lacks the row of `{}` as the plan has it: {row}",
                        inst.name, vm.machine
                    ),
                    "regenerate with `bascule build`, or fix the overriding document template",
                );
            }
            for (cell, col) in vm.cells.iter().zip(&inst.columns) {
                if cell.present && !section.contains(&format!("({})", cell.colour.name())) {
                    err(
                        "E0504",
                        at,
                        format!(
                            "{} at « {} »: colour {} is missing from the operations table",
                            vm.machine,
                            col.heading,
                            cell.colour.name()
                        ),
                        "the operations table must show each box's colour",
                    );
                }
            }
        }
        let count = format!("On a donc {} VM à créer", inst.to_create);
        if inst.to_create > 0 && !section.contains(&count) {
            err(
                "E0505",
                at,
                format!(
                    "the count of VMs to create for {} is not « {count} »",
                    inst.name
                ),
                "the count comes from the plan; do not write it by hand",
            );
        }
        // The tickets are cited where the count is given.
        let count_line = section
            .lines()
            .find(|l| l.contains("VM à créer"))
            .unwrap_or("");
        for t in &inst.creation_tickets {
            if !count_line.contains(&format!("Octopus {t}")) {
                err(
                    "E0506",
                    at,
                    format!(
                        "the count of VMs to create for {} does not cite Octopus {t}",
                        inst.name
                    ),
                    "cite every creation ticket with the count",
                );
            }
        }
        // Another instance's machine named in this section's tables is a copy-paste slip.
        for other in plan.instances.iter().filter(|o| o.id != inst.id) {
            for vm in &other.vms {
                if section.contains(&format!("| {} |", md(&vm.machine))) {
                    err(
                        "E0507",
                        at,
                        format!(
                            "the section of {} lists `{}`, a machine of {}",
                            inst.name, vm.machine, other.name
                        ),
                        "each table lists only its instance's VMs",
                    );
                }
            }
        }
        if !doc.contains(&format!("({})", inst.annexe_svg)) {
            err(
                "E0508",
                0,
                format!("the document does not show {}", inst.annexe_svg),
                "embed each annexe image",
            );
        }
    }
}

/// The files on disk are byte-identical to a fresh build.
pub fn compare_tree(expected: &Outputs, out_dir: &Path) -> Vec<Diagnostic> {
    let label = out_dir.display().to_string();
    let mut diags = Vec::new();
    let disk = match write::read_tree(out_dir) {
        Ok(d) => d,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "E0510",
                    &label,
                    Pos::default(),
                    format!("cannot read the output folder: {e}"),
                )
                .with_help("run `bascule build`"),
            );
            return diags;
        }
    };
    for (name, bytes) in expected {
        let file = format!("{label}/{name}");
        match disk.get(name) {
            None => diags.push(
                Diagnostic::error(
                    "E0511",
                    &file,
                    Pos::default(),
                    "missing: a fresh build writes this file",
                )
                .with_help("run `bascule build` and commit the output"),
            ),
            Some(b) if b != bytes => {
                let line = first_difference_line(b, bytes);
                diags.push(
                    Diagnostic::error(
                        "E0512",
                        &file,
                        Pos::new(line, 1),
                        "stale or hand-edited: differs from a fresh build",
                    )
                    .with_help(
                        "run `bascule build` (edit the inventory or templates, never the output)",
                    ),
                )
            }
            Some(_) => {}
        }
    }
    for name in disk.keys().filter(|n| !expected.contains_key(*n)) {
        diags.push(
            Diagnostic::error(
                "E0513",
                &format!("{label}/{name}"),
                Pos::default(),
                "not produced by a fresh build",
            )
            .with_help("run `bascule build`, which removes files it no longer writes"),
        );
    }
    diags
}

/// 1-based line of the first difference in text files; 0 for binary ones.
fn first_difference_line(a: &[u8], b: &[u8]) -> u32 {
    let (Ok(a), Ok(b)) = (std::str::from_utf8(a), std::str::from_utf8(b)) else {
        return 0;
    };
    let mut al = a.lines();
    let mut bl = b.lines();
    let mut n = 1;
    loop {
        match (al.next(), bl.next()) {
            (Some(x), Some(y)) if x == y => n += 1,
            (None, None) => return 0,
            _ => return n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> (Plan, Outputs) {
        let text = include_str!("../inventory/moodle-3.5.yaml");
        let (src, inv) = crate::load::load_bytes("i.yaml", text.as_bytes()).unwrap();
        let plan = crate::plan::plan(&inv);
        let p = crate::pipeline::Prepared {
            source: src,
            inventory: inv,
            plan: plan.clone(),
            diagnostics: vec![],
        };
        let t = crate::templates::Templates::load(None).unwrap();
        (
            plan,
            crate::pipeline::generate(&p, &t, &Default::default()).unwrap(),
        )
    }

    #[test]
    fn fresh_outputs_pass() {
        let (plan, out) = seed();
        let d = check_outputs(&plan, &out, "out");
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn a_wrong_count_or_row_is_caught() {
        let (plan, mut out) = seed();
        let doc = String::from_utf8(out["document.md"].clone()).unwrap();
        let doc = doc
            .replacen(
                "On a donc 1 VM à créer (détails dans l’Octopus 57330)",
                "On a donc 2 VM à créer (détails dans l’Octopus 57331)",
                1,
            )
            .replacen("| 10.88.0.211 |", "| 10.88.0.212 |", 1);
        out.insert("document.md".into(), doc.into_bytes());
        let codes: Vec<&str> = check_outputs(&plan, &out, "out")
            .iter()
            .map(|d| d.code)
            .collect();
        assert!(codes.contains(&"E0503"), "{codes:?}");
        assert!(codes.contains(&"E0505"), "{codes:?}");
        assert!(codes.contains(&"E0506"), "{codes:?}");
    }

    #[test]
    fn tree_comparison_names_stale_missing_and_extra_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("document.md"), "a\nb\n").unwrap();
        std::fs::write(dir.path().join("extra.txt"), "x").unwrap();
        let mut expected = Outputs::new();
        expected.insert("document.md".into(), b"a\nc\n".to_vec());
        expected.insert("site/index.html".into(), b"h".to_vec());
        let d = compare_tree(&expected, dir.path());
        let got: Vec<(&str, u32)> = d.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(got, [("E0512", 2), ("E0511", 0), ("E0513", 0)]);
    }
}
