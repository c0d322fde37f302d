//! Dates as the inventory writes them: AAAA-MM-JJ, no time, no zone. The calendar is
//! jiff's; the one rule of our own is the strict written shape.

pub use jiff::civil::Date;

/// Parses `AAAA-MM-JJ` strictly: four-digit year, two-digit month and day, a real date.
pub fn parse(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(format!("`{s}` is not a date written AAAA-MM-JJ"));
    }
    Date::strptime("%Y-%m-%d", s)
        .map_err(|_| format!("`{s}` is not a date of the calendar (no such month or day)"))
}

/// `date` plus `days` (negative: before), or `None` beyond the calendar's range.
pub fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
}

/// The AAAA-MM-JJ form.
pub fn iso(date: Date) -> String {
    date.strftime("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(parse("2018-02-30").unwrap_err().contains("calendar"));
        assert!(parse("2018/12/12").unwrap_err().contains("AAAA-MM-JJ"));
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
