//! States and dates: the list reads reference → before… → migration → after…, offsets run
//! away from jour M, only the reference state has a date, written labels match the derived
//! ones; dates are real and in order (jour M after the reference date, migration order
//! agrees with the dates).

use super::Report;
use crate::date::{self, Date};
use crate::diag::{Code, Pos, shown};
use crate::labels::Labels;
use crate::model::{Instance, Inventory, State, StateKind};
use crate::msg;
use std::collections::BTreeMap;

/// The dates the rules read, each parsed once: the reference state's, the decision's, and
/// each instance's own jour M (in the inventory's order; filled by [`jour_m_rules`]).
#[derive(Default)]
pub(super) struct Dates {
    pub reference: Option<Date>,
    pub decision: Option<Date>,
    pub jour_m: Vec<Option<Date>>,
}

impl Dates {
    /// The jour M that dates instance `i`'s states, and where it is written: its own, else
    /// that of the instance it `follows` (located at `follows`).
    pub(super) fn dating(&self, inv: &Inventory, i: usize) -> Option<(Date, Pos)> {
        let inst = &inv.instances[i];
        if let Some(jm) = &inst.jour_m {
            return Some((self.jour_m[i]?, Pos::from(jm)));
        }
        let f = inst.follows.as_ref()?;
        let followed = inv.instances.iter().position(|o| o.id.value == f.value)?;
        Some((self.jour_m[followed]?, Pos::from(f)))
    }
}

fn date_rule(r: &mut Report, d: &crate::model::S<String>) -> Option<Date> {
    match date::parse(&d.value) {
        Ok(x) => Some(x),
        Err(e) => {
            r.err(Code::E0109, d, e, msg!("states.date.help"));
            None
        }
    }
}

/// The states read reference → before… → migration → after (at least one `after`).
fn order_rule(r: &mut Report, inv: &Inventory) {
    use StateKind::*;
    // 0: a reference is due; 1: befores or the migration; 2: an after; 3: more afters.
    let mut phase = 0;
    for st in &inv.states {
        let next = match (phase, st.kind.value) {
            (0, Reference) => Some(1),
            (1, Before) => Some(1),
            (1, Migration) => Some(2),
            (2 | 3, After) => Some(3),
            _ => None,
        };
        let Some(next) = next else {
            let due = [
                msg!("states.due.reference"),
                msg!("states.due.before_or_migration"),
                msg!("states.due.after"),
                msg!("states.due.after"),
            ];
            r.err(
                Code::E0110,
                &st.kind,
                msg!(
                    "states.out_of_order",
                    kind = st.kind.value.key(),
                    due = due[phase].clone()
                ),
                msg!("states.order.help"),
            );
            return;
        };
        phase = next;
    }
    if phase < 3 {
        let at = inv
            .states
            .last()
            .map_or(Pos::new(1, 1), |s| Pos::from(&s.kind));
        let missing = [
            msg!("states.lack.reference"),
            msg!("states.lack.migration"),
            msg!("states.lack.after"),
        ];
        r.at(
            Code::E0110,
            at,
            msg!("states.lack", missing = missing[phase.min(2)].clone()),
            msg!("states.order.help"),
        );
    }
}

/// Offsets: present (≥ 1) exactly on `before` and `after`, running away from jour M.
fn offset_rules(r: &mut Report, inv: &Inventory) {
    let mut last: BTreeMap<StateKind, u32> = BTreeMap::new();
    for st in &inv.states {
        let k = st.kind.value;
        let needs = matches!(k, StateKind::Before | StateKind::After);
        match (needs, &st.offset_days) {
            (true, None) => r.err(
                Code::E0110,
                &st.kind,
                msg!("states.offset_missing", kind = k.key()),
                msg!("states.offset_missing.help"),
            ),
            (true, Some(o)) if o.value == 0 => r.err(
                Code::E0110,
                o,
                msg!("states.offset_zero"),
                msg!("states.offset_zero.help"),
            ),
            (true, Some(o)) => {
                let away = match (k, last.get(&k)) {
                    (StateKind::Before, Some(p)) => o.value < *p,
                    (StateKind::After, Some(p)) => o.value > *p,
                    _ => true,
                };
                if !away {
                    r.err(
                        Code::E0110,
                        o,
                        msg!("states.offset_order", offset = o.value),
                        msg!("states.offset_order.help"),
                    );
                }
                last.insert(k, o.value);
            }
            (false, Some(o)) => r.err(
                Code::E0110,
                o,
                msg!("states.offset_extra", kind = k.key()),
                msg!("states.offset_extra.help"),
            ),
            (false, None) => {}
        }
    }
}

/// Ids unique, dates only on the reference state, labels as derived. Returns the reference
/// date.
pub(super) fn state_rules(r: &mut Report, inv: &Inventory, labels: &Labels) -> Dates {
    let mut dates = Dates {
        decision: date_rule(r, &inv.document.decision.date),
        ..Dates::default()
    };
    order_rule(r, inv);
    offset_rules(r, inv);
    let mut seen = BTreeMap::new();
    for st in &inv.states {
        if seen.insert(st.id.value.as_str(), ()).is_some() {
            r.err(
                Code::E0110,
                &st.id,
                msg!("states.id_twice", id = shown(&st.id.value)),
                msg!("states.id_twice.help"),
            );
        }
        match (st.kind.value, &st.date) {
            (StateKind::Reference, None) => r.err(
                Code::E0110,
                &st.kind,
                msg!("states.reference_date"),
                msg!("states.reference_date.help"),
            ),
            (StateKind::Reference, Some(d)) => dates.reference = date_rule(r, d),
            (_, Some(d)) => r.err(
                Code::E0110,
                d,
                msg!("states.fixed_date"),
                msg!("states.fixed_date.help"),
            ),
            (_, None) => {}
        }
        label_rule(r, st, labels);
    }
    dates
}

/// A written label must say what the kind and offset say.
fn label_rule(r: &mut Report, st: &State, labels: &Labels) {
    let Some(label) = &st.label else { return };
    let Ok(derived) = labels.state_label(st, crate::french::DateStyle::Iso) else {
        return;
    };
    if label.value != derived {
        r.err(
            Code::W0129,
            label,
            msg!(
                "states.label",
                label = shown(&label.value),
                derived = derived
            ),
            msg!("states.label.help"),
        );
    }
}

/// An instance's jour M: a real date, after the reference date (with its `before` states).
/// Returns it when it is a date.
pub(super) fn jour_m_rules(
    r: &mut Report,
    inv: &Inventory,
    inst: &Instance,
    dates: &Dates,
) -> Option<Date> {
    let j = inst.jour_m.as_ref()?;
    let d = date_rule(r, j)?;
    let Some(reference) = dates.reference else {
        return Some(d);
    };
    let earliest = inv
        .states
        .iter()
        .filter(|s| s.kind.value == StateKind::Before)
        .filter_map(|s| s.offset_days.as_ref().map(|o| o.value))
        .max()
        .unwrap_or(0);
    let first = date::add_days(d, -i64::from(earliest));
    if first.is_none_or(|f| f <= reference) {
        let what = if earliest == 0 {
            msg!("states.jour_m.not_after")
        } else {
            msg!("states.jour_m.before_state", earliest = earliest)
        };
        r.err(
            Code::E0111,
            j,
            msg!(
                "states.jour_m",
                day = date::iso(d),
                what = what,
                reference = date::iso(reference)
            ),
            msg!("states.jour_m.help"),
        );
    }
    Some(d)
}

/// Migration orders are unique and agree with the known dates.
pub(super) fn order_rules(r: &mut Report, inv: &Inventory, dates: &Dates) {
    let order = |i: usize, inst: &Instance| inst.order.as_ref().map_or(i as u32 + 1, |o| o.value);
    let mut orders = BTreeMap::new();
    for (i, inst) in inv.instances.iter().enumerate() {
        let n = order(i, inst);
        if let Some(prev) = orders.insert(n, &inst.name.value) {
            let at = inst.order.as_ref().map_or(Pos::from(&inst.id), Pos::from);
            r.at(
                Code::E0112,
                at,
                msg!("states.order_twice", n = n, other = shown(prev)),
                msg!("states.order_twice.help"),
            );
        }
    }
    let dated: Vec<(u32, &Instance, Date)> = inv
        .instances
        .iter()
        .enumerate()
        .filter_map(|(i, inst)| Some((order(i, inst), inst, dates.jour_m[i]?)))
        .collect();
    for (oa, a, da) in &dated {
        if let Some((ob, b, db)) = dated.iter().find(|(ob, _, db)| oa < ob && da > db)
            && let Some(j) = &a.jour_m
        {
            r.err(
                Code::E0112,
                j,
                msg!(
                    "states.order_dates",
                    a = shown(&a.name.value),
                    b = shown(&b.name.value),
                    oa = oa,
                    ob = ob,
                    da = date::iso(*da),
                    db = date::iso(*db)
                ),
                msg!("states.order_dates.help"),
            );
        }
    }
}
