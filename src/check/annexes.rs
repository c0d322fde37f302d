//! Each annexe against the plan, read as SVG (roxmltree): every VM has a box at every state
//! where it exists and nowhere else, stroked in the plan's colour, showing its machine name
//! and the DNS names it holds.

use crate::diag::{Code, Diagnostic, Pos, shown};
use crate::files::Outputs;
use crate::plan::Plan;
use crate::render::annexe::box_id;
use usvg::roxmltree::{Document, Node};

fn texts<'a>(g: Node<'a, 'a>) -> Vec<&'a str> {
    g.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or(""))
        .collect()
}

pub fn check(plan: &Plan, outputs: &Outputs, out_label: &str, diags: &mut Vec<Diagnostic>) {
    for inst in &plan.instances {
        let file = format!("{out_label}/{}", inst.annexe_svg);
        let mut err = |code, line: u32, msg: String| {
            diags.push(
                Diagnostic::error(code, &file, Pos::new(line, 1), msg)
                    .with_help("regenerate with `bascule build`; never edit an annexe by hand"),
            );
        };
        let Some(svg) = outputs
            .get(&inst.annexe_svg)
            .map(|b| String::from_utf8_lossy(b))
        else {
            err(Code::E0520, 0, "the annexe was not generated".into());
            continue;
        };
        let Ok(doc) = Document::parse(&svg) else {
            err(Code::E0520, 0, "the annexe is not a well-formed SVG".into());
            continue;
        };
        for (vi, vm) in inst.vms.iter().enumerate() {
            for (si, cell) in vm.cells.iter().enumerate() {
                let id = box_id(inst, vi, si);
                // A dashed placeholder for a VM absent at a state is not a box.
                let group = doc.descendants().find(|n| {
                    n.has_tag_name("g")
                        && n.attribute("id") == Some(id.as_str())
                        && !n
                            .attribute("class")
                            .is_some_and(|c| c.split(' ').any(|w| w == "absent"))
                });
                let state = &inst.columns[si].heading;
                let machine = shown(&vm.machine);
                let line = group.map_or(0, |g| doc.text_pos_at(g.range().start).row);
                match (cell.present, group) {
                    (true, None) => err(
                        Code::E0521,
                        0,
                        format!("{machine} is missing at « {state} »"),
                    ),
                    (false, Some(_)) => err(
                        Code::E0522,
                        line,
                        format!("{machine} is drawn at « {state} » where the plan has no box"),
                    ),
                    (false, None) => {}
                    (true, Some(g)) => {
                        let stroke = g
                            .descendants()
                            .find(|n| n.has_tag_name("rect"))
                            .and_then(|r| r.attribute("stroke"));
                        if stroke != Some(cell.colour.hex) {
                            err(
                                Code::E0523,
                                line,
                                format!(
                                    "{machine} at « {state} » is not drawn {} ({})",
                                    cell.colour.word, cell.colour.hex
                                ),
                            );
                        }
                        let shown_texts = texts(g);
                        if !shown_texts.contains(&vm.machine.as_str()) {
                            err(
                                Code::E0524,
                                line,
                                format!("{machine} at « {state} » does not show its name"),
                            );
                        }
                        for d in &cell.dns {
                            if !shown_texts.iter().any(|t| super::markdown::has_token(t, d)) {
                                err(
                                    Code::E0524,
                                    line,
                                    format!(
                                        "{machine} at « {state} » does not show `{}`",
                                        shown(d)
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
