//! Stage 1 of an annexe — content: what the title, each heading, each box and the legend
//! say, line by line, with their size, weight and colour. The words come from the plan and
//! the labels file; nothing is measured or placed here.

use super::style::{
    BADGE_SIZE, BODY_SIZE, HEAD_SIZE, INK, LEGEND_SIZE, MUTED, NAME_SIZE, TITLE_SIZE, WHITE,
};
use super::{box_id, heading_id};
use crate::diag::Diagnostic;
use crate::labels::Labels;
use crate::plan::{CellPlan, ColourPlan, InstancePlan, Plan, VmPlan};
use crate::render::clean_text;
use serde_json::json;

/// Body lines longer than this many characters wrap at a space (a role may be 256 long).
pub(crate) const WRAP_CHARS: usize = 44;

/// One line of text as it will be drawn (cleaned: no control characters, single spaces).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub size: f32,
    pub bold: bool,
    pub fill: &'static str,
}

pub(crate) fn line(text: &str, size: f32, bold: bool, fill: &'static str) -> Line {
    Line {
        text: clean_text(text),
        size,
        bold,
        fill,
    }
}

/// What a box says.
#[derive(Debug, Clone, PartialEq)]
pub enum BoxContent {
    /// The VM does not exist at this state: a dashed placeholder with one line.
    Absent { id: String, line: Line },
    Present {
        id: String,
        colour: Box<ColourPlan>,
        /// In the coloured band: the machine name, and the colour's symbol and word.
        name: Line,
        badge: Line,
        /// DNS names, IP, role, then the actions (from `actions_from`).
        body: Vec<Line>,
        actions_from: usize,
    },
}

#[derive(Clone)]
pub struct LegendEntry {
    pub colour: ColourPlan,
    pub symbol: Line,
    pub text: Line,
}

pub struct Content {
    pub title: Line,
    /// The accessible description (`<desc>`).
    pub description: String,
    /// One per column.
    pub headings: Vec<(String, Line)>,
    /// `boxes[vm][state]`.
    pub boxes: Vec<Vec<BoxContent>>,
    pub legend_title: Line,
    pub legend: Vec<LegendEntry>,
    /// « Interventions : + création · ○ désactivation… », when the annexe has any.
    pub actions: Option<Line>,
}

/// `text` cut into lines of at most [`WRAP_CHARS`] characters, at spaces (a word longer
/// than that stays whole).
pub(crate) fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let fits = current.chars().count() + 1 + word.chars().count() <= WRAP_CHARS;
        if !current.is_empty() && !fits {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// « Logiciels : PostgreSQL 15, PHP 8.2 », when the inventory says what the VM runs.
pub(crate) fn software_text(
    labels: &Labels,
    vm: &VmPlan,
) -> Result<Option<String>, Box<Diagnostic>> {
    if vm.software.is_empty() {
        return Ok(None);
    }
    let list: Vec<String> = vm
        .software
        .iter()
        .map(|s| format!("{} {}", s.name, s.version))
        .collect();
    labels
        .text("annexe.software", &json!({ "list": list }))
        .map(Some)
}

fn body(
    labels: &Labels,
    vm: &VmPlan,
    cell: &CellPlan,
) -> Result<(Vec<Line>, usize), Box<Diagnostic>> {
    let mut body = Vec::new();
    if cell.dns.is_empty() {
        body.push(line(
            &labels.plain("annexe.no_dns")?,
            BODY_SIZE,
            false,
            MUTED,
        ));
    }
    for d in &cell.dns {
        let text = labels.text("annexe.dns", &json!({ "name": d }))?;
        body.push(line(&text, BODY_SIZE, false, INK));
    }
    body.push(match &cell.ip {
        Some(ip) => line(
            &labels.text("annexe.ip", &json!({ "ip": ip }))?,
            BODY_SIZE,
            false,
            INK,
        ),
        None => line(&labels.plain("annexe.no_ip")?, BODY_SIZE, false, INK),
    });
    for part in wrap(&clean_text(&cell.role)) {
        body.push(line(&part, BODY_SIZE, false, INK));
    }
    if let Some(text) = software_text(labels, vm)? {
        for part in wrap(&clean_text(&text)) {
            body.push(line(&part, BODY_SIZE, false, INK));
        }
    }
    if cell.deactivated {
        body.push(line(&labels.plain("cell.off")?, BODY_SIZE, true, INK));
    }
    let actions_from = body.len();
    for a in &cell.actions {
        body.push(line(&a.text, BODY_SIZE, true, cell.colour.hex));
    }
    Ok((body, actions_from))
}

fn cell_box(
    labels: &Labels,
    id: String,
    vm: &VmPlan,
    cell: &CellPlan,
) -> Result<BoxContent, Box<Diagnostic>> {
    if !cell.present {
        let text = labels.text("annexe.absent", &json!({ "machine": vm.machine }))?;
        return Ok(BoxContent::Absent {
            id,
            line: line(&text, BODY_SIZE, false, MUTED),
        });
    }
    let c = &cell.colour;
    let (body, actions_from) = body(labels, vm, cell)?;
    Ok(BoxContent::Present {
        id,
        colour: Box::new(c.clone()),
        name: line(&vm.machine, NAME_SIZE, true, WHITE),
        badge: line(&format!("{} {}", c.symbol, c.word), BADGE_SIZE, true, WHITE),
        body,
        actions_from,
    })
}

fn description(
    plan: &Plan,
    inst: &InstancePlan,
    labels: &Labels,
) -> Result<String, Box<Diagnostic>> {
    let states: Vec<&str> = inst.columns.iter().map(|c| c.heading.as_str()).collect();
    let legend: Vec<String> = plan
        .legend
        .iter()
        .map(|e| format!("{} {}\u{a0}: {}", e.symbol, e.word, e.meaning))
        .collect();
    labels.text(
        "annexe.description",
        &json!({
            "subject": inst.annexe_subject,
            "vms": inst.vms.len(),
            "states": states,
            "legend": legend,
            "creations": inst.to_create,
            "deletions": inst.deleted.len(),
            "moves": inst.dns_moves.len(),
        }),
    )
}

/// Everything the annexe of `inst` says.
pub(crate) fn content(
    plan: &Plan,
    inst: &InstancePlan,
    labels: &Labels,
) -> Result<Content, Box<Diagnostic>> {
    let boxes = inst
        .vms
        .iter()
        .enumerate()
        .map(|(vi, vm)| {
            vm.cells
                .iter()
                .enumerate()
                .map(|(si, cell)| cell_box(labels, box_id(inst, vi, si), vm, cell))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let legend = plan
        .legend
        .iter()
        .map(|e| {
            let text = labels.text(
                "annexe.legend_entry",
                &json!({ "word": e.word, "meaning": e.meaning }),
            )?;
            Ok(LegendEntry {
                colour: e.clone(),
                symbol: line(&e.symbol, BADGE_SIZE, true, WHITE),
                text: line(&text, LEGEND_SIZE, false, INK),
            })
        })
        .collect::<Result<Vec<_>, Box<Diagnostic>>>()?;
    let actions = if inst.action_legend.is_empty() {
        None
    } else {
        let list: Vec<String> = inst
            .action_legend
            .iter()
            .map(|a| format!("{} {}", a.symbol, a.word))
            .collect();
        let text = labels.text("annexe.actions", &json!({ "list": list }))?;
        Some(line(&text, LEGEND_SIZE, false, INK))
    };
    Ok(Content {
        title: line(&inst.annexe_title, TITLE_SIZE, true, INK),
        description: clean_text(&description(plan, inst, labels)?),
        headings: (0..inst.columns.len())
            .map(|si| {
                (
                    heading_id(inst, si),
                    line(&inst.columns[si].heading, HEAD_SIZE, true, INK),
                )
            })
            .collect(),
        boxes,
        legend_title: line(&labels.plain("annexe.legend")?, HEAD_SIZE, true, INK),
        legend,
        actions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_cuts_at_spaces_and_keeps_long_words() {
        assert_eq!(wrap("court"), ["court"]);
        let role = "Serveur fichiers de production de la plateforme d’apprentissage en ligne";
        let lines = wrap(role);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(
            lines.iter().all(|l| l.chars().count() <= WRAP_CHARS),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), role);
        let word = "x".repeat(60);
        assert_eq!(wrap(&word), std::slice::from_ref(&word));
        assert_eq!(wrap("a ".repeat(30).trim_end()).len(), 2);
        assert!(wrap("").is_empty());
    }

    #[test]
    fn seed_boxes_say_the_plan_facts() {
        let p = crate::fixtures::seed_plan();
        let c = content(&p, &p.instances[0], &Labels::defaults()).unwrap();
        let BoxContent::Present {
            name,
            body,
            actions_from,
            badge,
            ..
        } = &c.boxes[0][1]
        else {
            panic!("campusweb exists on jour M")
        };
        assert_eq!(name.text, "campusweb");
        assert_eq!(badge.text, "▲ rouge");
        let texts: Vec<&str> = body.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts[0], "DNS\u{a0}: aucun");
        assert_eq!(texts[1], "IP\u{a0}: 10.88.0.210");
        assert_eq!(
            &texts[*actions_from..],
            [
                "↔ DNS campus.cegepadistance.ca → campus35web",
                "○ désactivation"
            ]
        );
        assert!(
            c.actions
                .unwrap()
                .text
                .starts_with("Interventions\u{a0}: + création · ↔ changement DNS")
        );
        assert!(c.description.contains("3 états"), "{}", c.description);
    }
}
