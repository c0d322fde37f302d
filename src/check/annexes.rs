//! Each annexe against the plan, read as SVG (roxmltree): every VM has a box at every state
//! where it exists and nowhere else, stroked in the plan's colour, showing its machine name
//! and the DNS names it holds.

use crate::diag::{Code, Diagnostic, Pos, Text, shown};
use crate::files::Outputs;
use crate::msg;
use crate::plan::{InstancePlan, Plan};
use crate::render::annexe::box_id;
use usvg::roxmltree::{Document, Node};

fn texts<'a>(g: Node<'a, 'a>) -> Vec<&'a str> {
    g.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or(""))
        .collect()
}

/// Where a fault of one annexe is reported.
struct Report<'a> {
    file: String,
    diags: &'a mut Vec<Diagnostic>,
}

impl Report<'_> {
    fn err(&mut self, code: Code, line: u32, text: Text) {
        self.diags.push(
            Diagnostic::error(code, &self.file, Pos::new(line, 1), text)
                .with_help(msg!("annexes.help")),
        );
    }
}

/// The group of box `id`; a dashed placeholder for a VM absent at a state is not a box.
fn box_group<'a>(doc: &'a Document<'a>, id: &str) -> Option<Node<'a, 'a>> {
    doc.descendants().find(|n| {
        n.has_tag_name("g")
            && n.attribute("id") == Some(id)
            && !n
                .attribute("class")
                .is_some_and(|c| c.split(' ').any(|w| w == "absent"))
    })
}

/// One VM at one state: a box exactly when the plan has one, in its colour, with its names.
fn check_box(r: &mut Report, doc: &Document, inst: &InstancePlan, vi: usize, si: usize) {
    let vm = &inst.vms[vi];
    let cell = &vm.cells[si];
    let group = box_group(doc, &box_id(inst, vi, si));
    let state = &inst.columns[si].heading;
    let machine = shown(&vm.machine);
    let line = group.map_or(0, |g| doc.text_pos_at(g.range().start).row);
    let g = match (cell.present, group) {
        (true, Some(g)) => g,
        (true, None) => {
            return r.err(
                Code::E0521,
                0,
                msg!("annexes.missing_box", machine = &machine, state = &state),
            );
        }
        (false, Some(_)) => {
            let text = msg!("annexes.extra_box", machine = &machine, state = &state);
            return r.err(Code::E0522, line, text);
        }
        (false, None) => return,
    };
    let stroke = g
        .descendants()
        .find(|n| n.has_tag_name("rect"))
        .and_then(|n| n.attribute("stroke"));
    if stroke != Some(cell.colour.hex) {
        let text = msg!(
            "annexes.colour",
            machine = &machine,
            state = &state,
            colour = &cell.colour.word,
            hex = cell.colour.hex
        );
        r.err(Code::E0523, line, text);
    }
    let shown_texts = texts(g);
    if !shown_texts.contains(&vm.machine.as_str()) {
        r.err(
            Code::E0524,
            line,
            msg!("annexes.no_name", machine = &machine, state = &state),
        );
    }
    for d in &cell.dns {
        if !shown_texts.iter().any(|t| super::markdown::has_token(t, d)) {
            r.err(
                Code::E0524,
                line,
                msg!(
                    "annexes.no_dns",
                    machine = &machine,
                    state = &state,
                    name = shown(d)
                ),
            );
        }
    }
}

pub(super) fn check(plan: &Plan, outputs: &Outputs, out_label: &str, diags: &mut Vec<Diagnostic>) {
    for inst in &plan.instances {
        let mut r = Report {
            file: format!("{out_label}/{}", inst.annexe_svg),
            diags,
        };
        let Some(svg) = outputs
            .get(&inst.annexe_svg)
            .map(|b| String::from_utf8_lossy(b))
        else {
            r.err(Code::E0520, 0, msg!("annexes.none"));
            continue;
        };
        let Ok(doc) = Document::parse(&svg) else {
            r.err(Code::E0520, 0, msg!("annexes.not_svg"));
            continue;
        };
        for vi in 0..inst.vms.len() {
            for si in 0..inst.vms[vi].cells.len() {
                check_box(&mut r, &doc, inst, vi, si);
            }
        }
    }
}
