//! States and dates: the list reads reference → before… → migration → after…, offsets run
//! away from jour M, only the reference state has a date, written labels match the derived
//! ones; dates are real and in order (jour M after the reference date, migration order
//! agrees with the dates).

use super::Report;
use crate::date::{self, Date};
use crate::diag::{Code, Pos, shown};
use crate::labels::Labels;
use crate::model::{Instance, Inventory, State, StateKind};
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
            r.err(Code::E0109, d, e, "write the date as AAAA-MM-JJ");
            None
        }
    }
}

const ORDER_HELP: &str = "the states are: one `reference`, then any `before`, one `migration` (jour M), then one or more `after`";

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
                "`reference`",
                "`before` or `migration`",
                "`after`",
                "`after`",
            ][phase];
            r.err(
                Code::E0110,
                &st.kind,
                format!("a `{}` state where {due} is due", st.kind.value.key()),
                ORDER_HELP,
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
            "a `reference` state",
            "the `migration` state",
            "an `after` state",
            "",
        ][phase];
        r.at(
            Code::E0110,
            at,
            format!("the states lack {missing}"),
            ORDER_HELP,
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
                format!("a `{}` state needs `offset_days`", k.key()),
                "add e.g. `offset_days: 30`",
            ),
            (true, Some(o)) if o.value == 0 => r.err(
                Code::E0110,
                o,
                "`offset_days` is at least 1".into(),
                "jour M itself is the `migration` state",
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
                        format!("offset {} does not run away from jour M", o.value),
                        "`before` states count down to jour M (14, 7…), `after` states count up (7, 30…)",
                    );
                }
                last.insert(k, o.value);
            }
            (false, Some(o)) => r.err(
                Code::E0110,
                o,
                format!("a `{}` state has no `offset_days`", k.key()),
                "remove it: only `before` and `after` states are days away from jour M",
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
                format!("state id `{}` is used twice", shown(&st.id.value)),
                "give each state its own id",
            );
        }
        match (st.kind.value, &st.date) {
            (StateKind::Reference, None) => r.err(
                Code::E0110,
                &st.kind,
                "the reference state needs a `date`".into(),
                "add `date: AAAA-MM-JJ`",
            ),
            (StateKind::Reference, Some(d)) => dates.reference = date_rule(r, d),
            (_, Some(d)) => r.err(
                Code::E0110,
                d,
                "only the reference state has a fixed date".into(),
                "give each instance its `jour_m` date instead",
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
            format!("label `{}` does not match this state, which is `{derived}`", shown(&label.value)),
            "remove `label` (it is derived from `kind`, `date` and `offset_days`), or fix the offset",
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
            "is not after the reference date".to_string()
        } else {
            format!("puts its M-{earliest} state on or before the reference date")
        };
        r.err(
            Code::E0111,
            j,
            format!("jour M {} {what} {}", date::iso(d), date::iso(reference)),
            "jour M (and every state before it) comes after the reference state",
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
                format!("migration order {n} is also {}'s", shown(prev)),
                "give each instance its own order (1 migrates first)",
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
                format!(
                    "{} migrates before {} (order {oa} < {ob}) but its jour M {} is later than {}",
                    shown(&a.name.value),
                    shown(&b.name.value),
                    date::iso(*da),
                    date::iso(*db)
                ),
                "fix the dates or the `order`",
            );
        }
    }
}
