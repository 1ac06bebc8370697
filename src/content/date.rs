//! Calendar dates (`YYYY-MM-DD`) as records and front matter write them.

use std::fmt;

/// A calendar date. Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists in that month.
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || format!("`{s}` is not a date: write it as YYYY-MM-DD, for example 2026-11-01");
        let b = s.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = std::str::from_utf8(&b[r]).ok()?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(bad());
        };
        if !(1..=12).contains(&month) {
            return Err(format!("`{s}` is not a date: there is no month {month}"));
        }
        let max = days_in_month(year, month as u8);
        if day == 0 || day > max as u16 {
            return Err(format!(
                "`{s}` is not a date: {} {year} has {max} days",
                MONTHS[month as usize - 1]
            ));
        }
        Ok(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// `20 November 2026`.
    pub fn display_long(&self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[self.month as usize - 1],
            self.year
        )
    }

    /// Today (UTC), or the day of `SOURCE_DATE_EPOCH` when set, so that builds can be
    /// reproduced.
    pub fn today() -> Date {
        let secs = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            });
        Date::from_days(secs.div_euclid(86_400))
    }

    /// The date `days` days after 1970-01-01 (proleptic Gregorian calendar).
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's civil-from-days algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(0, 9999) as u16;
        Date { year, month, day }
    }

    /// Whole months from `self` to `later` (0 when `later` is earlier).
    pub fn months_until(&self, later: Date) -> u32 {
        let months = (i32::from(later.year) - i32::from(self.year)) * 12 + i32::from(later.month)
            - i32::from(self.month)
            - i32::from(later.day < self.day);
        months.max(0) as u32
    }

    /// RFC 3339 at midnight UTC, for feeds.
    pub fn rfc3339(&self) -> String {
        format!("{self}T00:00:00Z")
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
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
    fn parses_and_checks_dates() {
        let d = Date::parse("2026-11-01").unwrap();
        assert_eq!(d.to_string(), "2026-11-01");
        assert_eq!(d.display_long(), "1 November 2026");
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2026-02-29").unwrap_err().contains("28 days"));
        assert!(
            Date::parse("2026-13-01")
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(Date::parse("2026-1-01").is_err());
        assert!(Date::parse("yesterday").is_err());
        assert!(Date::parse("2026-11-01") < Date::parse("2026-11-02"));
    }

    #[test]
    fn days_since_the_epoch() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_416).to_string(), "2025-11-24");
        assert_eq!(Date::from_days(11_016).to_string(), "2000-02-29");
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(d("2026-01-31").months_until(d("2026-03-01")), 1);
        assert_eq!(d("2026-01-15").months_until(d("2026-03-15")), 2);
        assert_eq!(d("2026-05-01").months_until(d("2026-01-01")), 0);
    }
}
