//! When an intervention happens, as its inventory entry gives it: a start time, a duration,
//! the time zone of the document, whom to call. Times are written the Québec way (« 18 h »,
//! « 22 h 30 »); the calendar files take the same times as AAAA-MM-JJTHH:MM.

use super::{Ctx, WindowPlan};
use crate::date;
use crate::french::clock;
use crate::model::InterventionTicket;
use crate::validate::Times;

/// AAAA-MM-JJTHH:MM, `minutes` after the midnight that starts `day` (past 24 h: a later day).
fn civil(day: date::Date, minutes: u32) -> Option<String> {
    let later = date::add_days(day, i64::from(minutes / 1440))?;
    let m = minutes % 1440;
    Some(format!("{}T{:02}:{:02}", date::iso(later), m / 60, m % 60))
}

/// The window of an intervention whose inventory entry is `e`, its times `times` (as
/// validation read them), on `day` when known; `None` when the entry gives no time,
/// duration or contact.
pub(super) fn window(
    ctx: &Ctx,
    e: &InterventionTicket,
    times: Times,
    day: Option<date::Date>,
) -> Option<WindowPlan> {
    let Times { start, duration } = times;
    let contacts = e.contacts.as_ref().map(|c| c.value.clone());
    if start.is_none() && duration.is_none() && contacts.is_none() {
        return None;
    }
    let end = start.zip(duration).map(|(s, d)| s + d);
    let at = |m: Option<u32>| civil(day?, m?);
    Some(WindowPlan {
        start: start.map(clock),
        end: end.map(clock),
        end_next_day: end.is_some_and(|e| e >= 1440),
        start_iso: at(start),
        end_iso: at(end),
        duration_minutes: duration,
        time_zone: ctx.time_zone.to_string(),
        contacts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_past_midnight_fall_on_the_next_day() {
        let d = date::parse("2019-01-14").unwrap();
        assert_eq!(civil(d, 18 * 60).as_deref(), Some("2019-01-14T18:00"));
        assert_eq!(civil(d, 26 * 60 + 15).as_deref(), Some("2019-01-15T02:15"));
    }
}
