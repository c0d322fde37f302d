//! The migration's calendar: every request of every instance in date order — a creation by
//! the date its VM is needed, an intervention by its date and start time — then those whose
//! date is not known yet, in instance and state order.

use super::{CalendarEntry, CalendarKind, Ctx, InstancePlan};
use crate::diag::Diagnostic;
use serde_json::json;

/// Every request of `instances`, sorted.
pub(super) fn calendar(
    ctx: &Ctx,
    instances: &[InstancePlan],
) -> Result<Vec<CalendarEntry>, Box<Diagnostic>> {
    let mut entries: Vec<(usize, usize, CalendarEntry)> = Vec::new();
    for (ii, inst) in instances.iter().enumerate() {
        for vm in inst.vms.iter().filter(|v| v.to_create) {
            let col = vm.needed_by.as_ref();
            let what = ctx.labels.text(
                "calendar.creation",
                &json!({
                    "machine": vm.machine,
                    "ticket": vm.ticket,
                    "by": col.map(|c| &c.label),
                    "by_kind": col.map(|c| c.kind),
                }),
            )?;
            let at = col.and_then(|c| inst.columns.iter().position(|x| x.state_id == c.state_id));
            entries.push((
                ii,
                at.unwrap_or(0),
                CalendarEntry {
                    iso: col.and_then(|c| c.iso),
                    day: col.and_then(|c| c.day.clone()),
                    start: None,
                    instance: inst.name.clone(),
                    instance_id: inst.id.clone(),
                    state_id: inst.columns[vm.created_at.unwrap_or(0)].state_id.clone(),
                    machine: Some(vm.machine.clone()),
                    kind: CalendarKind::Creation,
                    what,
                },
            ));
        }
        for iv in &inst.interventions {
            let words: Vec<&str> = iv.work.iter().map(|w| w.word.as_str()).collect();
            let what = ctx.labels.text(
                "calendar.intervention",
                &json!({ "when": iv.when, "ticket": iv.ticket, "work": words }),
            )?;
            let at = inst
                .columns
                .iter()
                .position(|c| c.state_id == iv.state_id)
                .unwrap_or(0);
            let window = iv.window.as_ref();
            entries.push((
                ii,
                at,
                CalendarEntry {
                    iso: inst.columns[at].iso,
                    day: iv.day.clone(),
                    start: window.and_then(|w| w.start_iso.clone()),
                    instance: inst.name.clone(),
                    instance_id: inst.id.clone(),
                    state_id: iv.state_id.clone(),
                    machine: None,
                    kind: CalendarKind::Intervention,
                    what,
                },
            ));
        }
    }
    // Dated first, by date and start (an all-day request before a timed one of its day),
    // then undated; ties in instance and state order, creations before interventions.
    entries.sort_by(|(ia, sa, a), (ib, sb, b)| {
        let key = |e: &CalendarEntry| (e.iso.is_none(), e.iso, e.start.clone());
        key(a)
            .cmp(&key(b))
            .then(ia.cmp(ib))
            .then(sa.cmp(sb))
            .then(a.kind.cmp(&b.kind))
    });
    Ok(entries.into_iter().map(|(_, _, e)| e).collect())
}
