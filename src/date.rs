//! Calendar dates written AAAA-MM-JJ, as in the seed. No time zones, no clock.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `AAAA-MM-JJ` strictly: four-digit year, real month and day.
    pub fn parse(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(format!("`{s}` is not a date written AAAA-MM-JJ"));
        }
        let year: i32 = s[0..4].parse().map_err(|_| format!("bad year in `{s}`"))?;
        let month: u32 = s[5..7].parse().map_err(|_| format!("bad month in `{s}`"))?;
        let day: u32 = s[8..10].parse().map_err(|_| format!("bad day in `{s}`"))?;
        if !(1..=12).contains(&month) {
            return Err(format!("`{s}` has no month {month}"));
        }
        let max = days_in_month(year, month);
        if day == 0 || day > max {
            return Err(format!("`{s}` is impossible: that month has {max} days"));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Date {
            year: (y + i64::from(m <= 2)) as i32,
            month: m,
            day: d,
        }
    }

    pub fn add_days(self, days: u32) -> Date {
        Date::from_days(self.to_days() + i64::from(days))
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_seed_dates() {
        assert_eq!(Date::parse("2018-12-12").unwrap().to_string(), "2018-12-12");
        assert_eq!(Date::parse("2016-02-29").unwrap().day, 29);
    }

    #[test]
    fn refuses_impossible_dates() {
        for bad in [
            "2018-02-30",
            "2019-02-29",
            "2018-13-01",
            "2018-00-10",
            "18-12-12",
            "2018/12/12",
            "2018-1-12",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn adds_days_across_months_and_years() {
        let d = Date::parse("2018-12-12").unwrap();
        assert_eq!(d.add_days(30).to_string(), "2019-01-11");
        assert_eq!(
            Date::parse("2020-02-28").unwrap().add_days(1).to_string(),
            "2020-02-29"
        );
        assert_eq!(d.add_days(0), d);
    }
}
