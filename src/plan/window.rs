//! When an intervention happens, as its inventory entry gives it: a start time, a duration,
//! the time zone of the document, whom to call. Times are written the Québec way (« 18 h »,
//! « 22 h 30 »); the calendar files take the same times as AAAA-MM-JJTHH:MM.

use super::{Ctx, WindowPlan};
use crate::date;
use crate::model::InterventionTicket;

/// « 18 h », « 9 h 05 » for `minutes` after midnight.
pub fn clock(minutes: u32) -> String {
    let (h, m) = ((minutes / 60) % 24, minutes % 60);
    if m == 0 {
        format!("{h}\u{a0}h")
    } else {
        format!("{h}\u{a0}h\u{a0}{m:02}")
    }
}

/// AAAA-MM-JJTHH:MM, `minutes` after the midnight that starts `day` (past 24 h: a later day).
fn civil(day: date::Date, minutes: u32) -> Option<String> {
    let later = date::add_days(day, i64::from(minutes / 1440))?;
    let m = minutes % 1440;
    Some(format!("{}T{:02}:{:02}", date::iso(later), m / 60, m % 60))
}

/// The window of an intervention whose inventory entry is `e`, on `day` (AAAA-MM-JJ) when
/// known; `None` when the entry gives no time, duration or contact.
pub fn window(ctx: &Ctx, e: &InterventionTicket, day: Option<&str>) -> Option<WindowPlan> {
    let start = e.start.as_ref().and_then(|s| date::parse_time(&s.value));
    let duration = e
        .duration
        .as_ref()
        .and_then(|d| date::parse_duration(&d.value));
    let contacts = e.contacts.as_ref().map(|c| c.value.clone());
    if start.is_none() && duration.is_none() && contacts.is_none() {
        return None;
    }
    let end = start.zip(duration).map(|(s, d)| s + d);
    let day = day.and_then(|d| date::parse(d).ok());
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
    fn times_the_quebec_way() {
        assert_eq!(clock(18 * 60), "18\u{a0}h");
        assert_eq!(clock(9 * 60 + 5), "9\u{a0}h\u{a0}05");
        assert_eq!(clock(25 * 60 + 30), "1\u{a0}h\u{a0}30");
        let d = date::parse("2019-01-14").unwrap();
        assert_eq!(civil(d, 18 * 60).as_deref(), Some("2019-01-14T18:00"));
        assert_eq!(civil(d, 26 * 60 + 15).as_deref(), Some("2019-01-15T02:15"));
    }
}
