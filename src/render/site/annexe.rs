//! An annexe as a table, for its page: per VM and state, what its box in the SVG says
//! (the same labels), so that a screen reader, a phone or a search gets every fact.

use crate::diag::Diagnostic;
use crate::labels::Labels;
use crate::plan::{CellPlan, InstancePlan, VmPlan};
use crate::render::clean_text;
use serde::Serialize;
use serde_json::json;

/// One VM: its name, then one cell per state.
#[derive(Debug, Serialize)]
pub(super) struct Row {
    pub machine: String,
    pub cells: Vec<Cell>,
}

/// What one box says.
#[derive(Debug, Serialize)]
pub(super) struct Cell {
    /// The VM exists at this state (else only `absent` is shown).
    pub present: bool,
    /// The colour's key (`red`), word (« rouge ») and symbol (« ▲ »).
    pub key: &'static str,
    pub word: String,
    pub symbol: String,
    /// DNS names (or « DNS : aucun »), IP (or « IP à attribuer »), role.
    pub facts: Vec<String>,
    /// « ○ désactivation », « ↔ DNS … ← … »
    pub actions: Vec<String>,
    /// « examensweb : absente à cet état »
    pub absent: String,
}

/// Every VM of `inst`, in inventory order.
pub(super) fn rows(inst: &InstancePlan, labels: &Labels) -> Result<Vec<Row>, Box<Diagnostic>> {
    inst.vms
        .iter()
        .map(|vm| {
            Ok(Row {
                machine: clean_text(&vm.machine),
                cells: vm
                    .cells
                    .iter()
                    .map(|c| cell(vm, c, labels))
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect()
}

fn cell(vm: &VmPlan, c: &CellPlan, labels: &Labels) -> Result<Cell, Box<Diagnostic>> {
    let mut facts = Vec::new();
    let mut actions = Vec::new();
    let mut absent = String::new();
    if c.present {
        if c.dns.is_empty() {
            facts.push(labels.plain("annexe.no_dns")?);
        }
        for name in &c.dns {
            facts.push(labels.text("annexe.dns", &json!({ "name": name }))?);
        }
        facts.push(match &c.ip {
            Some(ip) => labels.text("annexe.ip", &json!({ "ip": ip }))?,
            None => labels.plain("annexe.no_ip")?,
        });
        facts.push(c.role.clone());
        facts.extend(crate::render::annexe::content::software_text(labels, vm)?);
        if c.deactivated {
            facts.push(labels.plain("cell.off")?);
        }
        actions = c.actions.iter().map(|a| a.text.clone()).collect();
    } else {
        absent = labels.text("annexe.absent", &json!({ "machine": vm.machine }))?;
    }
    Ok(Cell {
        present: c.present,
        key: c.colour.key,
        word: c.colour.word.clone(),
        symbol: c.colour.symbol.clone(),
        facts: facts.iter().map(|f| clean_text(f)).collect(),
        actions: actions.iter().map(|a| clean_text(a)).collect(),
        absent: clean_text(&absent),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_rows_say_what_the_boxes_say() {
        let p = crate::fixtures::seed_plan();
        let rows = rows(&p.instances[0], &Labels::defaults()).unwrap();
        assert_eq!(rows.len(), p.instances[0].vms.len());
        let campusweb = &rows[0];
        assert_eq!(campusweb.machine, "campusweb");
        let jour_m = &campusweb.cells[1];
        assert!(jour_m.present);
        assert_eq!((jour_m.key, jour_m.word.as_str()), ("red", "rouge"));
        assert_eq!(
            jour_m.facts[..2],
            ["DNS\u{a0}: aucun", "IP\u{a0}: 10.88.0.210"]
        );
        assert_eq!(
            jour_m.actions,
            [
                "↔ DNS campus.cegepadistance.ca → campus35web",
                "○ désactivation"
            ]
        );
        let created = rows.iter().find(|r| r.machine == "campus35web").unwrap();
        assert_eq!(created.cells[0].facts[1], "IP à attribuer");
        let gone = &rows
            .iter()
            .find(|r| r.machine == "campus-dev")
            .unwrap()
            .cells;
        assert!(
            gone.iter().all(|c| c.present),
            "deleted at M+30, still drawn"
        );
    }
}
