//! States as the outputs name them: derived labels (`2018-12-12`, `M-7`, `jour M`, `M+30`),
//! column headings, « when » phrases, and the dates of one instance's columns.

use super::types::{ColumnPlan, StatePlan};
use crate::date;
use crate::diag::Diagnostic;
use crate::french::{self, DateStyle};
use crate::labels::Labels;
use crate::model::{State, StateKind};
use serde_json::json;

fn vars(st: &State, date: Option<&str>, style: DateStyle) -> serde_json::Value {
    let reference = st.date.as_ref().map(|d| french::date(&d.value, style));
    json!({
        "n": st.offset_days.as_ref().map_or(0, |o| o.value),
        "date": date.map(str::to_string).or(reference),
        // « en date du 1er octobre 2025 », « en date de 2025-10-01 ».
        "long": style == DateStyle::Long,
    })
}

/// A state's heading and « when » phrase, with `date` (this instance's) when known.
fn texts(
    st: &State,
    label: &str,
    date: Option<&str>,
    labels: &Labels,
    style: DateStyle,
) -> Result<(String, String), Box<Diagnostic>> {
    let mut v = vars(st, date, style);
    v["label"] = json!(label);
    let kind = st.kind.value.key();
    Ok((
        labels.text(&format!("state.heading.{kind}"), &v)?,
        labels.text(&format!("state.when.{kind}"), &v)?,
    ))
}

/// Every state, without instance dates.
pub fn states(
    states: &[State],
    labels: &Labels,
    style: DateStyle,
) -> Result<Vec<StatePlan>, Box<Diagnostic>> {
    states
        .iter()
        .map(|st| {
            let label = labels.state_label(st, style)?;
            let (heading, when) = texts(st, &label, None, labels, style)?;
            Ok(StatePlan {
                id: st.id.value.clone(),
                kind: st.kind.value,
                heading,
                when,
                offset_days: st.offset_days.as_ref().map(|o| o.value),
                date: st.date.as_ref().map(|d| french::date(&d.value, style)),
                label,
            })
        })
        .collect()
}

/// One instance's columns: the state headings with its dates.
pub fn columns(
    states: &[State],
    plans: &[StatePlan],
    jour_m: Option<date::Date>,
    labels: &Labels,
    style: DateStyle,
) -> Result<Vec<ColumnPlan>, Box<Diagnostic>> {
    states
        .iter()
        .zip(plans)
        .map(|(st, p)| {
            let iso = date::state_date(st, jour_m).map(date::iso);
            let date = iso.as_deref().map(|d| french::date(d, style));
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
                day: iso.as_deref().map(|d| french::date_with_weekday(d, style)),
                date,
                iso,
            })
        })
        .collect()
}
