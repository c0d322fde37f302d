//! What validation hands the plan: the inventory it accepted, with the facts it worked out
//! while checking it, typed. Dates are calendar dates, each instance's timeline is replayed
//! once, the migration state is known. Only [`super::validate_sent`] makes one, and only
//! when no rule refused the inventory, so the plan never re-parses or falls back.

use super::states::Dates;
use crate::date::{self, Date};
use crate::model::{Inventory, StateKind};
use crate::timeline::{StateIx, Timeline, VmIx};

/// An inventory validation accepted, with its typed facts.
#[derive(Debug)]
pub struct Checked<'a> {
    inventory: &'a Inventory,
    migration_state: StateIx,
    reference: Date,
    decision: Date,
    instances: Vec<InstanceFacts>,
}

/// One instance's typed facts.
#[derive(Debug)]
pub struct InstanceFacts {
    /// Its actions replayed, state by state.
    pub timeline: Timeline,
    /// Its own jour M (`jour_m`), if it migrates.
    pub jour_m: Option<Date>,
    /// The date of each state: from its own jour M, or the one of the instance it
    /// `follows`; `None` where neither is known (the reference state always has its date).
    pub state_dates: Vec<Option<Date>>,
    /// The times of its `interventions` entries, in their order.
    pub times: Vec<Times>,
}

/// When an intervention starts and how long it lasts, as its entry gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Times {
    /// Minutes after midnight.
    pub start: Option<u32>,
    /// Minutes.
    pub duration: Option<u32>,
}

impl<'a> Checked<'a> {
    /// The typed facts of `inv`, from what the rules read (`dates`; per instance, its
    /// `times` and its timeline); `None` when one is missing (the rules then reported it,
    /// and no plan is made).
    pub(super) fn new(
        inventory: &'a Inventory,
        dates: &Dates,
        times: Vec<Vec<Times>>,
        timelines: Vec<Timeline>,
    ) -> Option<Checked<'a>> {
        let migration_state = inventory
            .states
            .iter()
            .position(|s| s.kind.value == StateKind::Migration)?;
        let reference = dates.reference?;
        let instances = timelines
            .into_iter()
            .zip(times)
            .enumerate()
            .map(|(i, (timeline, times))| {
                let dated_by = dates.dating(inventory, i).map(|(d, _)| d);
                InstanceFacts {
                    timeline,
                    times,
                    jour_m: dates.jour_m[i],
                    state_dates: inventory
                        .states
                        .iter()
                        .map(|st| date::state_date(st, Some(reference), dated_by))
                        .collect(),
                }
            })
            .collect();
        Some(Checked {
            inventory,
            migration_state,
            reference,
            decision: dates.decision?,
            instances,
        })
    }

    /// The inventory as written.
    pub fn inventory(&self) -> &'a Inventory {
        self.inventory
    }

    /// The index of the `migration` state (jour M).
    pub fn migration_state(&self) -> StateIx {
        self.migration_state
    }

    /// The reference state's date.
    pub fn reference(&self) -> Date {
        self.reference
    }

    /// The date of the decision to migrate.
    pub fn decision(&self) -> Date {
        self.decision
    }

    /// The facts of instance `i` (in the inventory's order).
    pub fn instance(&self, i: usize) -> &InstanceFacts {
        &self.instances[i]
    }

    /// The machine holding DNS name `name` (any case) once state `s` is done, in any
    /// instance.
    pub fn holder_after(&self, s: StateIx, name: &str) -> Option<&'a str> {
        let key = name.to_ascii_lowercase();
        self.inventory
            .instances
            .iter()
            .zip(&self.instances)
            .find_map(|(inst, f)| {
                let vi: VmIx = f.timeline.holder_after(s, &key)?;
                Some(inst.vms[vi].machine.value.as_str())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Mode, validate};
    use crate::date::parse;
    use crate::labels::Labels;

    const TOWN: &str = include_str!("../../examples/ville-debian12.yaml");

    fn inventory(text: &str) -> crate::model::Inventory {
        crate::load::load_bytes("t.yaml", text.as_bytes())
            .unwrap()
            .1
    }

    fn accepted(inv: &crate::model::Inventory) -> super::Checked<'_> {
        validate("t.yaml", inv, Mode::Build, &Labels::defaults())
            .accepted()
            .unwrap()
    }

    #[test]
    fn the_facts_are_typed_once_and_a_follower_is_dated_by_whom_it_follows() {
        let inv = inventory(TOWN);
        let c = accepted(&inv);
        assert_eq!(c.migration_state(), 2);
        assert_eq!(c.reference(), parse("2026-02-02").unwrap());
        assert_eq!(c.decision(), parse("2026-01-12").unwrap());
        let glpi = c.instance(0);
        assert_eq!(glpi.jour_m, Some(parse("2026-03-09").unwrap()));
        let dates: Vec<Option<String>> = glpi
            .state_dates
            .iter()
            .map(|d| d.map(crate::date::iso))
            .collect();
        let want = [
            "2026-02-02",
            "2026-03-02",
            "2026-03-09",
            "2026-03-23",
            "2026-05-08",
        ];
        assert_eq!(dates, want.map(|d| Some(d.to_string())));
        // `atelier` follows `glpi`: no jour M of its own, glpi's dates.
        let atelier = c.instance(3);
        assert_eq!(atelier.jour_m, None);
        assert_eq!(atelier.state_dates, glpi.state_dates);
        assert_eq!(glpi.timeline.vms.len(), 5);
    }

    #[test]
    fn the_holder_of_a_name_is_found_in_any_instance_once_its_state_is_done() {
        let inv = inventory(TOWN);
        let c = accepted(&inv);
        assert_eq!(c.holder_after(0, "glpi.ville.example"), Some("glpi-web"));
        assert_eq!(c.holder_after(2, "GLPI.ville.example"), Some("glpi12-web1"));
        assert_eq!(
            c.holder_after(0, "fichiers.ville.example"),
            Some(c.inventory().instances[1].vms[0].machine.value.as_str())
        );
        assert_eq!(c.holder_after(0, "nowhere.ville.example"), None);
    }

    #[test]
    fn an_inventory_with_an_error_is_not_checked_and_one_with_warnings_is() {
        let wrong = TOWN.replacen("jour_m: 2026-03-09", "jour_m: 2026-02-30", 1);
        let inv = inventory(&wrong);
        let v = validate("t.yaml", &inv, Mode::Build, &Labels::defaults());
        assert!(v.checked.is_none());
        let e = v.accepted().unwrap_err();
        assert_eq!(e.code, crate::diag::Code::E0109);
        // A creation without its number: a warning when building, an error when checking.
        let pending = TOWN.replacen("{ create: { ticket: 8801 } }", "{ create: {} }", 1);
        let inv = inventory(&pending);
        let build = validate("t.yaml", &inv, Mode::Build, &Labels::defaults());
        assert!(
            build
                .diagnostics
                .iter()
                .any(|d| d.code == crate::diag::Code::W0117)
        );
        assert!(build.checked.is_some());
        let check = validate("t.yaml", &inv, Mode::Check, &Labels::defaults());
        assert!(check.checked.is_none());
    }
}
