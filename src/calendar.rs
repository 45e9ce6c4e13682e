//! Calendar days, just enough for bpkit's three dates: deprecation dates (today in UTC, days
//! between two `YYYY-MM-DD` dates, and which days a month has), the zip entries' timestamp,
//! and a server's `Retry-After` date. (No date crate: this is all the date arithmetic bpkit
//! does.)

use std::time::{SystemTime, UNIX_EPOCH};

/// A civil date (proleptic Gregorian), as `dependency_deprecation_dates` write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    /// Today in UTC (libbuildpack compares dates with `time.Now()` against midnight UTC).
    pub fn today() -> Date {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = i64::try_from(seconds / 86_400).unwrap_or(0);
        Date::from_days(days)
    }

    /// The date, when `day` is a day of that month (`2024-02-29` is, `2025-02-29` and
    /// `2025-04-31` are not). [`Date::days`] would count such a day as one of the next month,
    /// so a date read from a manifest or a server is checked with this first.
    pub fn checked(year: i32, month: u32, day: u32) -> Option<Date> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }

    /// Days from `self` until `later` (negative when `later` is in the past).
    pub fn days_until(self, later: Date) -> i64 {
        later.days() - self.days()
    }
}

/// The number of days in `month` (1–12) of `year`, leap years as the Gregorian calendar has
/// them; 0 for a month that is not one.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// The English name of `month` (1–12), for messages.
pub fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
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
    month
        .checked_sub(1)
        .and_then(|i| NAMES.get(i as usize))
        .copied()
        .unwrap_or("no month")
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_counts_days() {
        assert_eq!(Date::new(1970, 1, 1).days(), 0);
        assert_eq!(Date::new(2000, 3, 1).days(), 11_017);
        for days in [-800_000, -1, 0, 59, 60, 11_016, 20_000, 2_932_896] {
            assert_eq!(Date::from_days(days).days(), days);
        }
        assert_eq!(Date::from_days(19_782), Date::new(2024, 2, 29));
        assert_eq!(
            Date::new(2026, 2, 28).days_until(Date::new(2026, 3, 30)),
            30
        );
        assert_eq!(
            Date::new(2026, 3, 30).days_until(Date::new(2026, 2, 28)),
            -30
        );
        assert_eq!(Date::new(2026, 3, 5).to_string(), "2026-03-05");
        assert!(Date::today() > Date::new(2020, 1, 1));
    }

    #[test]
    fn months_have_their_days_and_february_follows_the_leap_years() {
        let lengths: Vec<u32> = (1..=12).map(|m| days_in_month(2025, m)).collect();
        assert_eq!(lengths, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2000, 2), 29, "divisible by 400");
        assert_eq!(days_in_month(1900, 2), 28, "divisible by 100, not 400");
        assert_eq!(days_in_month(2025, 0), 0);
        assert_eq!(days_in_month(2025, 13), 0);
        assert_eq!(month_name(2), "February");
        assert_eq!(month_name(12), "December");
        assert_eq!(month_name(0), "no month");
    }

    #[test]
    fn only_days_of_the_month_are_dates() {
        assert_eq!(Date::checked(2024, 2, 29), Some(Date::new(2024, 2, 29)));
        assert_eq!(Date::checked(2025, 1, 1), Some(Date::new(2025, 1, 1)));
        assert_eq!(Date::checked(2025, 12, 31), Some(Date::new(2025, 12, 31)));
        for (year, month, day) in [(2025, 2, 29), (2025, 4, 31), (2025, 1, 0), (2025, 13, 1)] {
            assert_eq!(
                Date::checked(year, month, day),
                None,
                "{year}-{month}-{day}"
            );
        }
    }
}
