//! The intervention windows as calendar files (RFC 5545, written with the `ics` crate):
//! `calendar.ics` for the whole migration, and `tickets/<id>.ics` for each dated
//! intervention, attached to its e-mail. The bytes never change from one build to the next:
//! the UID comes from the instance and state ids, DTSTAMP from the reference date, the time
//! zone's rules (VTIMEZONE) from the time zone database bundled in bascule. An intervention
//! without a start time is an all-day event; one without a date is in no calendar. Each
//! event's description is its request's text: the same runbook as the ticket.

use crate::plan::{InstancePlan, InterventionPlan, Plan, WindowPlan};
use crate::render::tickets::Ticket;
use ics::parameters::{TzIDParam, Value};
use ics::properties::{Contact, Description, DtEnd, DtStart, Status, Summary, TzName};
use ics::{Daylight, Event, ICalendar, Standard, TimeZone, escape_text};
use jiff::civil::DateTime;

/// The whole migration's calendar, at the root of the output folder.
pub(crate) const CALENDAR: &str = "calendar.ics";

/// `20190114` or `20190114T180000` from AAAA-MM-JJ or AAAA-MM-JJTHH:MM.
fn compact(iso: &str) -> String {
    let digits: String = iso.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > 8 {
        format!("{}T{}00", &digits[..8], &digits[8..])
    } else {
        digits
    }
}

/// The organisation as the events' UIDs name it: its ASCII letters and digits, lowercase,
/// other runs as `-` (« Ville de Lévis » → `ville-de-l-vis`). Not the headings' slug,
/// which folds accents: a calendar knows an event by its UID, so this rule is frozen, or
/// every calendar that imported `calendar.ics` would show each intervention twice.
fn uid_domain(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "x".to_owned() } else { out }
}

/// The civil day after `day`, compact: an all-day event's DTEND.
fn next_day(day: crate::date::Date) -> Option<String> {
    let d = crate::date::add_days(day, 1)?;
    Some(compact(&crate::date::iso(d)))
}

/// The event of intervention `iv` of `inst`, whose request is `ticket`; `None` when its
/// date is not known.
fn event<'a>(
    plan: &Plan,
    inst: &InstancePlan,
    iv: &InterventionPlan,
    ticket: &Ticket,
) -> Option<Event<'a>> {
    let day = inst
        .columns
        .iter()
        .find(|c| c.state_id == iv.state_id)?
        .iso?;
    let uid = format!(
        "{}-{}@{}.bascule",
        inst.id,
        iv.state_id,
        uid_domain(&plan.organisation)
    );
    let stamp = format!("{}T000000Z", compact(&crate::date::iso(plan.reference_iso)));
    let mut e = Event::new(uid, stamp);
    let timed = iv
        .window
        .as_ref()
        .and_then(|w| Some((w, w.start_iso.clone()?)));
    match timed {
        Some((w, start)) => {
            let mut s = DtStart::new(compact(&start));
            s.add(TzIDParam::new(w.time_zone.clone()));
            e.push(s);
            if let Some(end) = &w.end_iso {
                let mut t = DtEnd::new(compact(end));
                t.add(TzIDParam::new(w.time_zone.clone()));
                e.push(t);
            }
        }
        None => {
            let mut s = DtStart::new(compact(&crate::date::iso(day)));
            s.add(Value::DATE);
            e.push(s);
            let mut t = DtEnd::new(next_day(day)?);
            t.add(Value::DATE);
            e.push(t);
        }
    }
    e.push(Summary::new(escape_text(ticket.subject.clone())));
    // The whole request: its window, steps, rollback and VMs, as the ticket says them.
    e.push(Description::new(escape_text(ticket.body.clone())));
    if let Some(c) = iv.window.as_ref().and_then(|w| w.contacts.clone()) {
        e.push(Contact::new(escape_text(c)));
    }
    e.push(Status::confirmed());
    Some(e)
}

/// The VTIMEZONE of `zone` for events starting at `starts` (AAAA-MM-JJTHH:MM): every
/// transition of the zone from a year before the first to a year after the last, or, for a
/// zone without any, its one offset.
fn vtimezone<'a>(zone: &str, starts: &[String]) -> Option<TimeZone<'a>> {
    let tz = jiff::tz::TimeZone::get(zone).ok()?;
    let year = |s: &String| s.get(..4)?.parse::<i16>().ok();
    let first = starts.iter().filter_map(year).min()?;
    let last = starts.iter().filter_map(year).max()?;
    let at = |y: i16| {
        tz.to_timestamp(DateTime::new(y, 1, 1, 0, 0, 0, 0).ok()?)
            .ok()
    };
    let (from, until) = (at(first - 1)?, at(last + 2)?);
    let mut vtz: Option<TimeZone> = None;
    let transitions = tz.following(from).take_while(|t| t.timestamp() < until);
    for t in transitions {
        let before = tz.to_offset(t.timestamp() - jiff::SignedDuration::from_secs(1));
        let local = before.to_datetime(t.timestamp());
        let start = local.strftime("%Y%m%dT%H%M%S").to_string();
        let (f, to) = (offset(before), offset(t.offset()));
        let name = TzName::new(t.abbreviation().to_string());
        vtz = Some(if t.dst().is_dst() {
            let mut d = Daylight::new(start, f, to);
            d.push(name);
            match vtz {
                Some(mut z) => {
                    z.add_daylight(d);
                    z
                }
                None => TimeZone::daylight(zone.to_string(), d),
            }
        } else {
            let mut s = Standard::new(start, f, to);
            s.push(name);
            match vtz {
                Some(mut z) => {
                    z.add_standard(s);
                    z
                }
                None => TimeZone::standard(zone.to_string(), s),
            }
        });
    }
    vtz.or_else(|| {
        let o = offset(tz.to_offset(from));
        Some(TimeZone::standard(
            zone.to_string(),
            Standard::new("19700101T000000", o.clone(), o),
        ))
    })
}

/// `-0500`, `+0530`.
fn offset(o: jiff::tz::Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    format!("{sign}{:02}{:02}", a / 3600, (a % 3600) / 60)
}

/// A calendar holding `events` (and the time zone their windows use).
fn calendar(plan: &Plan, events: Vec<(Event, Option<&WindowPlan>)>) -> Vec<u8> {
    let mut cal = ICalendar::new(
        "2.0",
        format!("-//bascule//{}//FR", env!("CARGO_PKG_VERSION")),
    );
    cal.push(ics::properties::CalScale::new("GREGORIAN"));
    cal.push(ics::properties::Method::new("PUBLISH"));
    let mut name = ics::components::Property::new("X-WR-CALNAME", escape_text(plan.title.clone()));
    name.add(ics::parameters::Language::new(crate::locale::LANGUAGE));
    cal.push(name);
    let timed: Vec<(&str, String)> = events
        .iter()
        .filter_map(|(_, w)| {
            Some((
                w.as_ref()?.time_zone.as_str(),
                w.as_ref()?.start_iso.clone()?,
            ))
        })
        .collect();
    let mut zones: Vec<&str> = timed.iter().map(|(z, _)| *z).collect();
    zones.sort_unstable();
    zones.dedup();
    for z in zones {
        let starts: Vec<String> = timed
            .iter()
            .filter(|(x, _)| *x == z)
            .map(|(_, s)| s.clone())
            .collect();
        if let Some(vtz) = vtimezone(z, &starts) {
            cal.add_timezone(vtz);
        }
    }
    for (e, _) in events {
        cal.add_event(e);
    }
    refold(&cal.to_string()).into_bytes()
}

/// Lines folded at 75 octets, the leading space of a continuation line included (RFC 5545
/// §3.1): the `ics` crate counts 75 octets after that space. Never inside a character.
fn refold(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "");
    let mut out = String::with_capacity(text.len() + text.len() / 64);
    for line in unfolded.split_terminator("\r\n") {
        let mut width = 0;
        for c in line.chars() {
            if width + c.len_utf8() > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(c);
            width += c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

/// The calendar file of one intervention request, when its date is known.
pub(crate) fn ticket_calendar(plan: &Plan, ticket: &Ticket) -> Option<Vec<u8>> {
    let inst = plan.instances.iter().find(|i| i.id == ticket.instance)?;
    let iv = inst
        .interventions
        .iter()
        .find(|iv| iv.state_id == ticket.state)?;
    let e = event(plan, inst, iv, ticket)?;
    Some(calendar(plan, vec![(e, iv.window.as_ref())]))
}

/// `calendar.ics`: every dated intervention of every instance, in calendar order.
pub(crate) fn migration_calendar(plan: &Plan, tickets: &[Ticket]) -> Vec<u8> {
    let mut events = Vec::new();
    for c in &plan.calendar {
        let Some(inst) = plan.instances.iter().find(|i| i.id == c.instance_id) else {
            continue;
        };
        let iv = inst
            .interventions
            .iter()
            .find(|iv| iv.state_id == c.state_id);
        let t = tickets
            .iter()
            .find(|t| t.instance == c.instance_id && t.state == c.state_id);
        if let (Some(iv), Some(t), None) = (iv, t, &c.machine)
            && let Some(e) = event(plan, inst, iv, t)
        {
            events.push((e, iv.window.as_ref()));
        }
    }
    calendar(plan, events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let long = format!("SUMMARY:{}\r\nEND:VEVENT\r\n", "é".repeat(80));
        let folded = refold(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75), "{folded}");
        assert_eq!(folded.replace("\r\n ", ""), long);
        let first = folded.split("\r\n").next().unwrap();
        assert_eq!(
            first.len(),
            74,
            "8 octets, then 33 two-octet characters: {first}"
        );
        assert!(folded.ends_with("\r\nEND:VEVENT\r\n"));
        assert_eq!(refold("A:b\r\n"), "A:b\r\n");
    }

    #[test]
    fn the_uid_domain_keeps_its_frozen_rule() {
        assert_eq!(uid_domain("Ville de Lévis"), "ville-de-l-vis");
        assert_eq!(uid_domain("jour M"), "jour-m");
        assert_eq!(uid_domain("M+30 !"), "m-30");
        assert_eq!(uid_domain("été"), "t");
        assert_eq!(uid_domain("é"), "x");
    }

    #[test]
    fn dates_offsets_and_zones() {
        assert_eq!(compact("2019-01-14"), "20190114");
        assert_eq!(compact("2019-01-14T18:05"), "20190114T180500");
        assert_eq!(
            next_day(crate::date::parse("2019-12-31").unwrap()).as_deref(),
            Some("20200101")
        );
        let z = vtimezone("America/Toronto", &["2019-01-14T18:00".into()])
            .unwrap()
            .to_string();
        assert!(z.contains("TZID:America/Toronto"), "{z}");
        assert!(z.contains("BEGIN:DAYLIGHT\r\nDTSTART:20190310T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT"), "{z}");
        assert!(
            z.contains(
                "DTSTART:20191103T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST"
            ),
            "{z}"
        );
        let fixed = vtimezone("Asia/Tokyo", &["2019-01-14T18:00".into()])
            .unwrap()
            .to_string();
        assert!(
            fixed.contains("TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900"),
            "{fixed}"
        );
        assert!(vtimezone("Nowhere/Land", &["2019-01-14T18:00".into()]).is_none());
    }
}
