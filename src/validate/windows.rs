//! The windows of the interventions: a start written HH:MM, a duration such as `4h`, a time
//! zone the bundled database knows, a rollback limit naming a state, and a warning when an
//! intervention falls on a weekend (unless the inventory says weekends are intended).

use super::Report;
use super::checked::Times;
use super::states::Dates;
use crate::date;
use crate::diag::{Code, Pos, shown};
use crate::model::{Instance, Inventory};
use crate::msg;
use crate::timeline::{self, Timeline};

/// The document's time zone, and every instance's entries and dates. Returns, per instance,
/// the times of its `interventions` entries.
pub(super) fn window_rules(
    r: &mut Report,
    inv: &Inventory,
    timelines: &[Timeline],
    dates: &Dates,
) -> Vec<Vec<Times>> {
    if let Some(z) = &inv.document.time_zone
        && !date::time_zone_exists(&z.value)
    {
        r.err(
            Code::E0141,
            z,
            msg!("windows.zone", zone = shown(&z.value)),
            msg!("windows.zone.help"),
        );
    }
    let mut times = Vec::with_capacity(inv.instances.len());
    for (i, (inst, t)) in inv.instances.iter().zip(timelines).enumerate() {
        times.push(entry_rules(r, inv, inst));
        if !inv.document.weekends {
            weekend_rules(r, inv, inst, t, (dates.reference, dates.dating(inv, i)));
        }
    }
    times
}

/// The entries' start and duration are written as the schema says; the rollback limit names
/// a state. Returns the entries' times.
fn entry_rules(r: &mut Report, inv: &Inventory, inst: &Instance) -> Vec<Times> {
    let mut times = Vec::with_capacity(inst.interventions.len());
    for e in &inst.interventions {
        let start = e.start.as_ref().map(|s| (s, date::parse_time(&s.value)));
        if let Some((s, None)) = start {
            r.err(
                Code::E0140,
                s,
                msg!("windows.start", value = shown(&s.value)),
                msg!("windows.start.help"),
            );
        }
        let duration = e
            .duration
            .as_ref()
            .map(|d| (d, date::parse_duration(&d.value)));
        if let Some((d, None)) = duration {
            r.err(
                Code::E0140,
                d,
                msg!("windows.duration", value = shown(&d.value)),
                msg!("windows.duration.help"),
            );
        }
        times.push(Times {
            start: start.and_then(|s| s.1),
            duration: duration.and_then(|d| d.1),
        });
    }
    if let Some(u) = &inst.rollback_until
        && !inv.states.iter().any(|s| s.id.value == u.value)
    {
        let ids = inv.states.iter().map(|s| s.id.value.as_str());
        let help = super::Report::suggest(&u.value, ids, msg!("windows.rollback.help"));
        r.err(
            Code::E0113,
            u,
            msg!("windows.rollback", state = shown(&u.value)),
            help,
        );
    }
    times
}

/// Every intervention of `inst` whose date falls on a Saturday or a Sunday, at the value
/// that dates it: its entry in `interventions`, else its jour M (or its `follows`).
fn weekend_rules(
    r: &mut Report,
    inv: &Inventory,
    inst: &Instance,
    t: &Timeline,
    (reference, dating): (Option<date::Date>, Option<(date::Date, Pos)>),
) {
    let Some((jour_m, jm)) = dating else {
        return;
    };
    let migration = inv
        .states
        .iter()
        .position(|s| s.kind.value == crate::model::StateKind::Migration)
        .unwrap_or(0);
    for (si, st) in inv.states.iter().enumerate() {
        if !timeline::has_work(inst, t, si, migration) {
            continue;
        }
        let Some(day) = date::state_date(st, reference, Some(jour_m)) else {
            continue;
        };
        let n = day.weekday().to_monday_zero_offset();
        if n < 5 {
            continue;
        }
        let entry = inst
            .interventions
            .iter()
            .find(|e| e.state.value == st.id.value);
        let at = entry.map_or(jm, |e| Pos::from(&e.state));
        r.at(
            Code::W0142,
            at,
            msg!(
                "windows.weekend",
                instance = shown(&inst.name.value),
                state = shown(&st.id.value),
                weekday = if n == 5 {
                    msg!("weekday.saturday")
                } else {
                    msg!("weekday.sunday")
                },
                day = date::iso(day)
            ),
            msg!("windows.weekend.help"),
        );
    }
}
