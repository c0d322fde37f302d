//! `bascule check`: the generated outputs agree with the plan and with each other, and the
//! files on disk are what a fresh build writes.
//!
//! Outputs are rendered through templates that writers may override, so they are read back
//! here independently of how they were made: a template that drops a VM, hard-codes a count
//! or paints a box the wrong colour is caught.

use crate::diag::{Code, Diagnostic, Pos};
use crate::pipeline::{Prepared, RenderOptions, generate};
use crate::plan::Plan;
use crate::templates::{Templates, escape_markdown};
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

/// The whole check after validation: render in memory (reusing verified PNGs from `out`),
/// verify the outputs against the plan, then compare `out` with them byte for byte.
pub fn run(
    prepared: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    out: Option<&Path>,
) -> Vec<Diagnostic> {
    let label = out.map_or_else(|| "out".to_string(), |o| o.display().to_string());
    let disk = match out.map(write::tree::read_tree).transpose() {
        Ok(d) => d,
        Err(e) => {
            return vec![
                Diagnostic::error(
                    Code::E0510,
                    &label,
                    Pos::default(),
                    format!("cannot read the output folder: {e}"),
                )
                .with_help("run `bascule build`"),
            ];
        }
    };
    let mut files = match generate(prepared, templates, opts, disk.as_ref().map(|t| &t.files)) {
        Ok(f) => f,
        Err(d) => return vec![*d],
    };
    let mut diags = check_outputs(&prepared.plan, &files, &label);
    if let Some(disk) = &disk {
        files.insert(
            write::manifest::NAME.to_string(),
            write::manifest_for(&files),
        );
        diags.extend(compare_tree(&files, &disk.files, &label));
        diags.extend(disk.skipped.iter().map(|(name, why)| {
            Diagnostic::error(
                Code::E0514,
                &format!("{label}/{name}"),
                Pos::default(),
                format!("not read: {}", why.describe()),
            )
            .with_help("an output folder holds only the regular files `bascule build` writes")
        }));
    }
    diags
}

/// Every output rule; `out_label` names the output folder in diagnostics.
pub fn check_outputs(plan: &Plan, outputs: &Outputs, out_label: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    check_document(plan, outputs, out_label, &mut diags);
    check_annexes(plan, outputs, out_label, &mut diags);
    check_tickets(plan, outputs, out_label, &mut diags);
    diags
}

/// Each VM is in its annexe in every state where the plan has it, with the plan's colour,
/// its name and the DNS names it holds; and nowhere else.
fn check_annexes(plan: &Plan, outputs: &Outputs, out_label: &str, diags: &mut Vec<Diagnostic>) {
    use crate::render::{annexe::box_id, clean_text, xml_escape};
    for inst in &plan.instances {
        let file = format!("{out_label}/{}", inst.annexe_svg);
        let Some(svg) = outputs
            .get(&inst.annexe_svg)
            .map(|b| String::from_utf8_lossy(b))
        else {
            diags.push(Diagnostic::error(
                Code::E0520,
                &file,
                Pos::default(),
                "the annexe was not generated",
            ));
            continue;
        };
        for (vi, vm) in inst.vms.iter().enumerate() {
            for (si, cell) in vm.cells.iter().enumerate() {
                let id = box_id(inst, vi, si);
                let open = format!("<g id=\"{id}\"");
                let group = svg.find(&open).map(|i| {
                    let g = &svg[i..];
                    &g[..g.find("</g>").unwrap_or(g.len())]
                });
                let state = &inst.columns[si].heading;
                let mut err = |code, msg: String| {
                    diags.push(
                        Diagnostic::error(code, &file, Pos::new(line_of(&svg, &open), 1), msg)
                            .with_help(
                                "regenerate with `bascule build`; never edit an annexe by hand",
                            ),
                    );
                };
                match (cell.present, group) {
                    (true, None) => err(
                        Code::E0521,
                        format!("{} is missing at « {state} »", vm.machine),
                    ),
                    (false, Some(_)) => err(
                        Code::E0522,
                        format!(
                            "{} is drawn at « {state} » where the plan has no box",
                            vm.machine
                        ),
                    ),
                    (true, Some(g)) => {
                        let stroke = format!("stroke=\"{}\"", cell.colour.hex());
                        if !g.contains(&stroke) {
                            err(
                                Code::E0523,
                                format!(
                                    "{} at « {state} » is not drawn {} ({})",
                                    vm.machine,
                                    cell.colour.name(),
                                    cell.colour.hex()
                                ),
                            );
                        }
                        for text in std::iter::once(&vm.machine).chain(&cell.dns) {
                            if !g.contains(&xml_escape(&clean_text(text))) {
                                err(
                                    Code::E0524,
                                    format!("{} at « {state} » does not show `{text}`", vm.machine),
                                );
                            }
                        }
                    }
                    (false, None) => {}
                }
            }
        }
    }
}

/// Each ticket names only VMs of its own instance.
fn check_tickets(plan: &Plan, outputs: &Outputs, out_label: &str, diags: &mut Vec<Diagnostic>) {
    let file = format!("{out_label}/tickets/index.json");
    let Some(index) = outputs
        .get("tickets/index.json")
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
    else {
        diags.push(Diagnostic::error(
            Code::E0530,
            &file,
            Pos::default(),
            "the ticket manifest is missing or is not JSON",
        ));
        return;
    };
    for t in index.as_array().into_iter().flatten() {
        let inst_id = t["instance"].as_str().unwrap_or("");
        let txt = t["txt"].as_str().unwrap_or("");
        let Some(text) = outputs.get(txt).map(|b| String::from_utf8_lossy(b)) else {
            diags.push(Diagnostic::error(
                Code::E0531,
                &file,
                Pos::default(),
                format!("ticket file `{txt}` is listed but missing"),
            ));
            continue;
        };
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .collect();
        for other in plan.instances.iter().filter(|i| i.id != inst_id) {
            for vm in &other.vms {
                if words.contains(&vm.machine.as_str()) {
                    diags.push(
                        Diagnostic::error(
                            Code::E0532,
                            &format!("{out_label}/{txt}"),
                            Pos::new(line_of(&text, &vm.machine), 1),
                            format!(
                                "a ticket of `{inst_id}` names `{}`, a machine of {}",
                                vm.machine, other.name
                            ),
                        )
                        .with_help("a ticket asks only for its instance's VMs"),
                    );
                }
            }
        }
    }
}

fn check_document(plan: &Plan, outputs: &Outputs, out_label: &str, diags: &mut Vec<Diagnostic>) {
    let file = format!("{out_label}/document.md");
    let Some(doc) = outputs
        .get("document.md")
        .map(|b| String::from_utf8_lossy(b).into_owned())
    else {
        diags.push(Diagnostic::error(
            Code::E0501,
            &file,
            Pos::default(),
            "the document was not generated",
        ));
        return;
    };
    let mut err = |code: Code, line: u32, msg: String, help: &str| {
        diags.push(
            Diagnostic::error(code, &file, Pos::new(line, 1), msg).with_help(help.to_string()),
        );
    };
    for inst in &plan.instances {
        let heading = format!("## Machines virtuelles {}", md(&inst.name));
        let Some(start) = doc.find(&heading) else {
            err(
                Code::E0502,
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
                    Code::E0503,
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
                        Code::E0504,
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
        // The tickets are cited where the count is given.
        let count_line = section
            .lines()
            .find(|l| l.contains("VM à créer"))
            .unwrap_or("");
        for t in &inst.creation_tickets {
            if !count_line.contains(&format!("Octopus {t}")) {
                err(
                    Code::E0506,
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
                        Code::E0507,
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
                Code::E0508,
                0,
                format!("the document does not show {}", inst.annexe_svg),
                "embed each annexe image",
            );
        }
    }
}

/// The files on disk (`disk`, read from the folder `label`) are byte-identical to a fresh build.
pub fn compare_tree(expected: &Outputs, disk: &Outputs, label: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (name, bytes) in expected {
        let file = format!("{label}/{name}");
        match disk.get(name) {
            None => diags.push(
                Diagnostic::error(
                    Code::E0511,
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
                        Code::E0512,
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
                Code::E0513,
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
        let (src, inv) =
            crate::load::load_bytes("i.yaml", crate::fixtures::SEED.as_bytes()).unwrap();
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
            crate::pipeline::generate(&p, &t, &Default::default(), None).unwrap(),
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
        let codes: Vec<Code> = check_outputs(&plan, &out, "out")
            .iter()
            .map(|d| d.code)
            .collect();
        assert!(codes.contains(&Code::E0503), "{codes:?}");
        assert!(codes.contains(&Code::E0506), "{codes:?}");
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
        let t = String::from_utf8(out["tickets/57330.txt"].clone()).unwrap();
        out.insert(
            "tickets/57330.txt".into(),
            format!("{t}\nVoir aussi projets35.\n").into_bytes(),
        );
        let codes: Vec<Code> = check_outputs(&plan, &out, "out")
            .iter()
            .map(|d| d.code)
            .collect();
        assert!(codes.contains(&Code::E0523), "{codes:?}");
        assert!(codes.contains(&Code::E0532), "{codes:?}");
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
}
