//! The build's clock: the one place that reads the system time. Everything else is given "today"
//! as a date, so that a build, a check and a test are reproducible.

use policybook_engine::rules::Date;

/// Today's date (UTC): `SOURCE_DATE_EPOCH` (seconds) when set, for reproducible builds; else the
/// system clock.
pub fn today() -> Date {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    from_unix_days(secs.div_euclid(86_400))
}

/// Days since 1970-01-01 → calendar date, by the engine's calendar arithmetic; 1970-01-01 for a
/// count outside the calendar.
fn from_unix_days(days: i64) -> Date {
    let epoch = Date::new(1970, 1, 1).expect("1970-01-01 is a date");
    epoch.add_days(days).unwrap_or(epoch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_days_to_dates() {
        assert_eq!(from_unix_days(0), Date::new(1970, 1, 1).unwrap());
        assert_eq!(from_unix_days(19_475), Date::new(2023, 4, 28).unwrap());
        assert_eq!(from_unix_days(11_016), Date::new(2000, 2, 29).unwrap());
    }
}
