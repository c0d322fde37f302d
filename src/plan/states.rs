//! States as the outputs name them: derived labels (`2018-12-12`, `M-7`, `jour M`, `M+30`),
//! column headings, « when » phrases, and the dates of one instance's columns.

use super::types::{ColumnPlan, StatePlan};
use crate::date;
use crate::diag::Diagnostic;
use crate::french::{self, DateStyle};
use crate::labels::Labels;
use crate::model::{State, StateKind};
use serde_json::json;

fn vars(st: &State, date: Option<&str>) -> serde_json::Value {
    json!({
        "n": st.offset_days.as_ref().map_or(0, |o| o.value),
        "date": date,
    })
}

/// A state's heading and « when » phrase, with `date` (its date, as the prose writes it)
/// when known.
fn texts(
    st: &State,
    label: &str,
    date: Option<&str>,
    labels: &Labels,
    style: DateStyle,
) -> Result<(String, String), Box<Diagnostic>> {
    let mut v = vars(st, date);
    // « en date du 1er octobre 2025 », « en date de 2025-10-01 ».
    v["long"] = json!(style == DateStyle::Long);
    v["label"] = json!(label);
    let kind = st.kind.value.key();
    Ok((
        labels.text(&format!("state.heading.{kind}"), &v)?,
        labels.text(&format!("state.when.{kind}"), &v)?,
    ))
}

/// Every state, without instance dates (the reference state has its own, `reference`).
pub(super) fn states(
    states: &[State],
    reference: date::Date,
    labels: &Labels,
    style: DateStyle,
) -> Result<Vec<StatePlan>, Box<Diagnostic>> {
    states
        .iter()
        .map(|st| {
            let label = labels.state_label(st, style)?;
            let own =
                (st.kind.value == StateKind::Reference).then(|| french::day(reference, style));
            let (heading, when) = texts(st, &label, own.as_deref(), labels, style)?;
            Ok(StatePlan {
                id: st.id.value.clone(),
                kind: st.kind.value,
                heading,
                when,
                offset_days: st.offset_days.as_ref().map(|o| o.value),
                date: own,
                label,
            })
        })
        .collect()
}

/// One instance's columns: the state headings with its dates (`dates`, one per state).
pub(super) fn columns(
    ctx: &super::Ctx,
    dates: &[Option<date::Date>],
) -> Result<Vec<ColumnPlan>, Box<Diagnostic>> {
    let (labels, style) = (ctx.labels, ctx.style);
    (ctx.checked.inventory().states.iter())
        .zip(ctx.states)
        .zip(dates)
        .map(|((st, p), day)| {
            let date = day.map(|d| french::day(d, style));
            let (heading, when) = if st.kind.value == StateKind::Reference {
                (p.heading.clone(), p.when.clone())
            } else {
                texts(st, &p.label, date.as_deref(), labels, style)?
            };
            Ok(ColumnPlan {
                state_id: p.id.clone(),
                kind: p.kind,
                label: p.label.clone(),
                heading,
                when,
                day: day.map(|d| french::day_with_weekday(d, style)),
                date,
                iso: *day,
            })
        })
        .collect()
}
