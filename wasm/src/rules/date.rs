//! Calendar dates as plain integers: parsing `YYYY-MM-DD`, ordering, display, and the one place
//! of date arithmetic — days and months later ([`Date::add_days`], [`Date::add_months`]), days
//! since 1970 ([`Date::to_unix_days`], [`Date::from_unix_days`]) and the entry in force on a
//! date ([`in_force`]).
//!
//! The engine has no clock and no date library: "today" is passed in by the caller (the CLI reads
//! the system clock, the page reads the browser's).

use std::fmt;

#[cfg(feature = "serde")]
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
        let mut text = String::with_capacity(10);
        self.push_to(&mut text);
        f.write_str(&text)
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl crate::json::ToJson for Date {
    /// `"YYYY-MM-DD"`, written digit by digit (no `core::fmt` in the page engines).
    fn write_json(&self, out: &mut String) {
        out.push('"');
        self.push_to(out);
        out.push('"');
    }
}

impl Date {
    /// Appends `YYYY-MM-DD` (years are 1–9999, see [`Date::new`]).
    pub fn push_to(self, out: &mut String) {
        let digits = |out: &mut String, n: u32, width: u32| {
            for place in (0..width).rev() {
                out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
            }
        };
        digits(out, self.year.unsigned_abs(), 4);
        out.push('-');
        digits(out, u32::from(self.month), 2);
        out.push('-');
        digits(out, u32::from(self.day), 2);
    }
}

#[cfg(feature = "serde")]
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------------

impl Date {
    /// The date `days` calendar days later (earlier when negative), or `None` outside years
    /// 1–9999. `2024-02-28 + 1 = 2024-02-29`, `2023-12-25 + 15 = 2024-01-09`.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_unix_days(self.to_unix_days().checked_add(days)?)
    }

    /// The same day of the month `months` months later (earlier when negative), clamped to the
    /// last day of that month: `2024-01-31 + 1 = 2024-02-29`, `2023-01-31 + 1 = 2023-02-28`,
    /// `2023-12-15 + 1 = 2024-01-15`. `None` outside years 1–9999.
    pub fn add_months(self, months: i64) -> Option<Date> {
        let index = (i64::from(self.year()) * 12 + i64::from(self.month()) - 1).checked_add(months)?;
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        let month = u8::try_from(index.rem_euclid(12) + 1).ok()?;
        if !(1..=9999).contains(&year) {
            return None;
        }
        let last = (28..=31).rev().find(|&d| Date::new(year, month, d).is_some())?;
        Date::new(year, month, self.day().min(last))
    }

    /// Calendar days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        other.to_unix_days() - self.to_unix_days()
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn to_unix_days(self) -> i64 {
        days_from_civil(self.year(), self.month(), self.day())
    }

    /// The date `days` days after 1970-01-01 (before it when negative), or `None` outside years
    /// 1–9999. With the clock's seconds: `Date::from_unix_days(secs.div_euclid(86_400))`.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        let (year, month, day) = civil_from_days(days)?;
        Date::new(year, month, day)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = i64::from(year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]; `None` when the year does not fit an `i32`.
fn civil_from_days(serial: i64) -> Option<(i32, u8, u8)> {
    let z = serial.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some((
        i32::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    ))
}

/// The index of the entry in force on `on` among `entries`: the one with the latest `effective`
/// date on or before `on` (the first of equals); `None` when none has begun. The one lookup of
/// "what applies on this date" — the monitoring line of a year, an announced figure.
pub fn in_force<T>(entries: &[T], on: Date, effective: impl Fn(&T) -> Date) -> Option<usize> {
    let mut best: Option<(usize, Date)> = None;
    for (index, entry) in entries.iter().enumerate() {
        let date = effective(entry);
        if date <= on && best.is_none_or(|(_, b)| date > b) {
            best = Some((index, date));
        }
    }
    best.map(|(index, _)| index)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A date of a test, written as in the inputs.
    pub(crate) fn d(text: &str) -> Date {
        Date::parse(text).expect("test date")
    }

    #[test]
    fn adds_days_across_month_year_and_leap_day() {
        assert_eq!(d("2024-02-27").add_days(3), Some(d("2024-03-01")));
        assert_eq!(d("2023-02-27").add_days(3), Some(d("2023-03-02")));
        assert_eq!(d("2024-02-28").add_days(1), Some(d("2024-02-29")));
        assert_eq!(d("2023-12-25").add_days(15), Some(d("2024-01-09")));
        assert_eq!(d("2024-03-01").add_days(-1), Some(d("2024-02-29")));
        assert_eq!(d("1900-02-28").add_days(1), Some(d("1900-03-01")));
        assert_eq!(d("2000-02-28").add_days(1), Some(d("2000-02-29")));
        assert_eq!(d("9999-12-31").add_days(1), None);
        assert_eq!(d("0001-01-01").add_days(-1), None);
        assert_eq!(d("2024-01-01").add_days(i64::MAX), None);
    }

    #[test]
    fn adds_months_clamping_to_month_end() {
        assert_eq!(d("2024-01-31").add_months(1), Some(d("2024-02-29")));
        assert_eq!(d("2023-01-31").add_months(1), Some(d("2023-02-28")));
        assert_eq!(d("2023-03-31").add_months(1), Some(d("2023-04-30")));
        assert_eq!(d("2023-12-15").add_months(1), Some(d("2024-01-15")));
        assert_eq!(d("2024-02-29").add_months(12), Some(d("2025-02-28")));
        assert_eq!(d("2024-08-31").add_months(6), Some(d("2025-02-28")));
        assert_eq!(d("2024-03-31").add_months(-1), Some(d("2024-02-29")));
        assert_eq!(d("9999-12-01").add_months(1), None);
        assert_eq!(d("2024-01-01").add_months(i64::MAX), None);
    }

    #[test]
    fn days_until_is_the_inverse_of_add_days() {
        let a = d("2023-12-25");
        for n in [-400, -1, 0, 1, 15, 366, 1000] {
            let b = a.add_days(n).expect("in range");
            assert_eq!(a.days_until(b), n);
        }
    }

    #[test]
    fn converts_unix_days() {
        assert_eq!(Date::from_unix_days(0), Some(d("1970-01-01")));
        assert_eq!(Date::from_unix_days(19_475), Some(d("2023-04-28")));
        assert_eq!(Date::from_unix_days(11_016), Some(d("2000-02-29")));
        assert_eq!(Date::from_unix_days(-1), Some(d("1969-12-31")));
        assert_eq!(Date::from_unix_days(i64::MAX), None);
        assert_eq!(Date::from_unix_days(i64::MIN), None);
        for text in ["0001-01-01", "2024-02-29", "9999-12-31"] {
            assert_eq!(Date::from_unix_days(d(text).to_unix_days()), Some(d(text)));
        }
    }

    #[test]
    fn finds_the_entry_in_force() {
        let entries = [d("2023-03-01"), d("2024-03-15"), d("2022-01-01")];
        let at = |on: &str| in_force(&entries, d(on), |e| *e);
        assert_eq!(at("2021-12-31"), None);
        assert_eq!(at("2022-06-01"), Some(2));
        assert_eq!(at("2024-03-14"), Some(0));
        assert_eq!(at("2024-03-15"), Some(1));
        assert_eq!(in_force(&[] as &[Date], d("2024-01-01"), |e| *e), None);
    }

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
