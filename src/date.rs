//! Dates as the inventory writes them: AAAA-MM-JJ, no time, no zone. The calendar is
//! jiff's; the one rule of our own is the strict written shape.

pub use jiff::civil::Date;

/// Whether `s` is written `AAAA-MM-JJ` (digits and dashes in place; the calendar aside).
pub fn has_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Parses `AAAA-MM-JJ` strictly: four-digit year, two-digit month and day, a real date.
pub fn parse(s: &str) -> Result<Date, crate::diag::Text> {
    if !has_shape(s) {
        return Err(crate::msg!("date.shape", value = crate::diag::shown(s)));
    }
    Date::strptime("%Y-%m-%d", s)
        .map_err(|_| crate::msg!("date.calendar", value = crate::diag::shown(s)))
}

/// Today's date in the machine's time zone.
pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// `date` plus `days` (negative: before), or `None` beyond the calendar's range.
pub fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
}

/// Minutes after midnight of a time written HH:MM (00:00 to 23:59).
pub fn parse_time(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    let num = |p: &str| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok())?
    };
    let (h, m) = (num(h)?, num(m)?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes of a duration written `4h`, `2h30` or `90min` (at most 99 hours, never 0).
pub fn parse_duration(s: &str) -> Option<u32> {
    let digits = |p: &str, max_len: usize| {
        let ok = !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| p.parse::<u32>().ok())?
    };
    let minutes = match (s.strip_suffix("min"), s.split_once('h')) {
        (Some(m), _) => digits(m, 4)?,
        (None, Some((h, ""))) => digits(h, 2)? * 60,
        (None, Some((h, m))) if m.len() == 2 => {
            digits(h, 2)? * 60 + digits(m, 2).filter(|m| *m < 60)?
        }
        _ => return None,
    };
    (minutes > 0).then_some(minutes)
}

/// Whether the bundled time zone database knows `name` (`America/Toronto`).
pub fn time_zone_exists(name: &str) -> bool {
    jiff::tz::TimeZone::get(name).is_ok()
}

/// The date of state `st` for an instance whose jour M is `jour_m`, if known: `reference`
/// (the reference state's date, parsed once), jour M, or jour M minus or plus the state's
/// offset.
pub fn state_date(
    st: &crate::model::State,
    reference: Option<Date>,
    jour_m: Option<Date>,
) -> Option<Date> {
    use crate::model::StateKind;
    let offset = |sign: i64| {
        let n = i64::from(st.offset_days.as_ref()?.value);
        add_days(jour_m?, sign * n)
    };
    match st.kind.value {
        StateKind::Reference => reference,
        StateKind::Migration => jour_m,
        StateKind::Before => offset(-1),
        StateKind::After => offset(1),
    }
}

/// The AAAA-MM-JJ form.
pub fn iso(date: Date) -> String {
    date.strftime("%Y-%m-%d").to_string()
}

/// A date written another way (`15/01/2024`, `2024/01/15`, `15.01.2024`, `2024-01-15 10:00`),
/// as AAAA-MM-JJ when its parts can be told apart; with the day as written when the order
/// is a guess (`03/04/2024`: day first, as in French).
pub fn reorder(s: &str) -> Option<(String, Option<String>)> {
    let t = s.trim();
    if let Some(head) = t.get(..10)
        && t.len() > 10
        && t[10..].starts_with([' ', 'T', 't'])
        && parse(head).is_ok()
    {
        return Some((head.to_string(), None));
    }
    let parts: Vec<&str> = t.split(['/', '-', '.', ' ']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |p: &str| {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|x| x.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (a_n, b_n, c_n) = (num(a)?, num(b)?, num(c)?);
    let (y, m, d, guess) = if a.len() == 4 {
        (a_n, b_n, c_n, None)
    } else if c.len() == 4 {
        match (a_n > 12, b_n > 12) {
            (false, true) => (c_n, a_n, b_n, None),
            (true, false) => (c_n, b_n, a_n, None),
            (false, false) if a_n != b_n => (c_n, b_n, a_n, Some(a.to_string())),
            (false, false) => (c_n, b_n, a_n, None),
            (true, true) => return None,
        }
    } else {
        return None;
    };
    let iso = format!("{y:04}-{m:02}-{d:02}");
    parse(&iso).ok().map(|_| (iso, guess))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_durations_and_zones() {
        assert_eq!(parse_time("18:00"), Some(1080));
        assert_eq!(parse_time("00:05"), Some(5));
        assert_eq!(parse_time("23:59"), Some(1439));
        for bad in ["24:00", "18:60", "8:00", "18h00", "", "18:0"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(parse_duration("4h"), Some(240));
        assert_eq!(parse_duration("2h30"), Some(150));
        assert_eq!(parse_duration("90min"), Some(90));
        for bad in [
            "0h", "0min", "2h60", "2h3", "h30", "4 h", "100h", "12345min", "4",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert!(time_zone_exists("America/Toronto") && time_zone_exists("Europe/Paris"));
        assert!(!time_zone_exists("America/Montreal-Nord"));
    }

    #[test]
    fn parses_and_prints_the_seed_dates() {
        assert_eq!(iso(parse("2018-12-12").unwrap()), "2018-12-12");
        assert_eq!(parse("2016-02-29").unwrap().day(), 29);
        assert_eq!(iso(parse("0001-01-01").unwrap()), "0001-01-01");
    }

    #[test]
    fn refuses_other_shapes_and_impossible_dates() {
        for bad in [
            "2018-02-30",
            "2019-02-29",
            "2018-13-01",
            "2018-00-10",
            "2018-12-00",
            "18-12-12",
            "2018/12/12",
            "2018-1-12",
            "20181212",
            "2018-12-1x",
            "+2018-12-12",
            "2018-12-12 ",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse("2018-02-30").unwrap_err().en().contains("calendar"));
        assert!(parse("2018/12/12").unwrap_err().en().contains("AAAA-MM-JJ"));
    }

    #[test]
    fn reorders_dates_written_another_way() {
        let r = |s: &str| reorder(s).map(|(iso, day)| (iso, day.unwrap_or_default()));
        let sure = |iso: &str| Some((iso.to_string(), String::new()));
        assert_eq!(r("15/01/2024"), sure("2024-01-15"));
        assert_eq!(r("01/15/2024"), sure("2024-01-15"));
        assert_eq!(r("15.01.2024"), sure("2024-01-15"));
        assert_eq!(r("2024/01/15"), sure("2024-01-15"));
        assert_eq!(r("2024-1-5"), sure("2024-01-05"));
        assert_eq!(r("2024-01-15 10:00"), sure("2024-01-15"));
        assert_eq!(r("05/05/2024"), sure("2024-05-05"));
        assert_eq!(
            r("03/04/2024"),
            Some(("2024-04-03".to_string(), "03".to_string()))
        );
        for no in [
            "31/02/2024",
            "hello",
            "15/01/24",
            "32/13/2024",
            "1/2",
            "",
            "é/é/2024",
        ] {
            assert_eq!(reorder(no), None, "{no}");
        }
    }

    #[test]
    fn adds_days_across_months_years_and_backwards() {
        let d = parse("2018-12-12").unwrap();
        assert_eq!(iso(add_days(d, 30).unwrap()), "2019-01-11");
        assert_eq!(iso(add_days(d, -12).unwrap()), "2018-11-30");
        assert_eq!(
            iso(add_days(parse("2020-02-28").unwrap(), 1).unwrap()),
            "2020-02-29"
        );
        assert_eq!(add_days(d, 0), Some(d));
        assert_eq!(add_days(parse("9999-12-31").unwrap(), 1), None);
        assert_eq!(add_days(d, i64::MAX), None);
    }
}
