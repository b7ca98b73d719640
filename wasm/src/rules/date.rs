//! Calendar dates as plain integers: parsing `YYYY-MM-DD`, ordering and display.
//!
//! The engine has no clock and no date library: "today" is passed in by the caller (the CLI reads
//! the system clock, the page reads the browser's), and the only arithmetic needed is comparison.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date of the Gregorian calendar. Ordered chronologically (year, then month, then day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// The date `year-month-day`, or `None` if no such day exists (e.g. 2023-02-29).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day).
    pub fn parse(text: &str) -> Result<Date, String> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!("'{text}' is not a date of the form YYYY-MM-DD"));
        }
        let num = |range: std::ops::Range<usize>| -> i32 {
            bytes[range].iter().fold(0, |acc, b| acc * 10 + i32::from(b - b'0'))
        };
        let (year, month, day) = (num(0..4), num(5..7), num(8..10));
        let month = u8::try_from(month).map_err(|_| format!("'{text}': no such month"))?;
        let day = u8::try_from(day).map_err(|_| format!("'{text}': no such day"))?;
        Date::new(year, month, day).ok_or_else(|| format!("'{text}' is not a calendar date"))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.day
    }
}

/// Whether `year` is a leap year of the Gregorian calendar.
pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
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

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let d = Date::parse("2023-04-28").expect("valid");
        assert_eq!((d.year(), d.month(), d.day()), (2023, 4, 28));
        assert_eq!(d.to_string(), "2023-04-28");
    }

    #[test]
    fn rejects_bad_shapes_and_impossible_days() {
        for bad in [
            "2023-4-28",
            "2023/04/28",
            "20230428",
            "2023-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-04-31",
            "0000-01-01",
            "２０２３-01-01",
            "",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} should be rejected");
        }
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(Date::parse("1900-02-29").is_err());
    }

    #[test]
    fn orders_chronologically() {
        let a = Date::parse("2023-12-31").expect("valid");
        let b = Date::parse("2024-01-01").expect("valid");
        assert!(a < b);
    }
}
