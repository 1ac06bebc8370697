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
}
