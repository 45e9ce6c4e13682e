//! The `Retry-After` header of a refused download (RFC 9110 §10.2.3): how long the server
//! asks a client to wait before it tries again, as seconds (`120`) or as a date
//! (`Sun, 06 Nov 1994 08:49:37 GMT`). A rate-limited mirror or CDN (429, 503) refuses again a
//! retry that comes sooner, so the next attempt waits that long instead of the usual backoff,
//! up to bpkit's longest delay.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::calendar::Date;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The wait `value` asks for, counted from `now`: `None` when it is neither form. A date that
/// has passed asks for no wait; a number of seconds too large to hold asks for the longest.
pub fn parse(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse().map_or(Duration::MAX, Duration::from_secs));
    }
    let at = imf_fixdate(value)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since 1970 of an IMF-fixdate, the only date form a server may send today:
/// `Sun, 06 Nov 1994 08:49:37 GMT`.
fn imf_fixdate(value: &str) -> Option<u64> {
    let (_weekday, rest) = value.split_once(", ")?;
    let [day, month, year, time, "GMT"] = rest.split(' ').collect::<Vec<_>>()[..] else {
        return None;
    };
    let month = MONTHS.iter().position(|m| *m == month)?;
    let day: u32 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let year: i32 = year.parse().ok().filter(|y| (1970..=9999).contains(y))?;
    let [hour, minute, second] = time
        .split(':')
        .map(|part| part.parse::<u64>().ok())
        .collect::<Option<Vec<_>>>()?[..]
    else {
        return None;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let month = u32::try_from(month).ok()? + 1;
    // `31 Feb` would otherwise count as 3 March: a server that sends it is broken, and its
    // answer is no answer.
    let days = u64::try_from(Date::checked(year, month, day)?.days()).ok()?;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn seconds() {
        assert_eq!(parse("120", at(0)), Some(Duration::from_secs(120)));
        assert_eq!(parse(" 0 ", at(0)), Some(Duration::ZERO));
        assert_eq!(parse("99999999999999999999999", at(0)), Some(Duration::MAX));
    }

    #[test]
    fn dates() {
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example.
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(
            parse(date, at(784_111_777 - 90)),
            Some(Duration::from_secs(90))
        );
        assert_eq!(parse(date, at(784_111_777 + 5)), Some(Duration::ZERO));
        assert_eq!(
            parse("Thu, 01 Jan 1970 00:00:10 GMT", at(0)),
            Some(Duration::from_secs(10))
        );
    }

    /// The last second of a day, a leap second (`:60`, which IMF-fixdate allows) and each
    /// field's weight in the sum.
    #[test]
    fn the_time_of_day_at_its_limits() {
        // 1994-11-06 is day 9075 since 1970.
        let midnight = 9_075 * 86_400;
        for (time, seconds) in [
            ("00:00:00", 0),
            ("23:59:59", 86_399),
            ("23:59:60", 86_400),
            ("01:00:00", 3_600),
            ("00:01:00", 60),
            ("00:00:01", 1),
        ] {
            assert_eq!(
                parse(&format!("Sun, 06 Nov 1994 {time} GMT"), at(midnight)),
                Some(Duration::from_secs(seconds)),
                "{time}"
            );
        }
        assert_eq!(
            parse("Wed, 01 Jan 2025 00:00:00 GMT", at(0)),
            Some(Duration::from_secs(1_735_689_600))
        );
        // A leap day is a day: 2024-02-29 is 1_709_164_800.
        assert_eq!(
            parse("Thu, 29 Feb 2024 00:00:00 GMT", at(0)),
            Some(Duration::from_secs(1_709_164_800))
        );
    }

    #[test]
    fn anything_else_is_no_answer() {
        for value in [
            "",
            "-5",
            "1.5",
            "soon",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nox 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 00:60:00 GMT",
            "Sun, 06 Nov 1994 00:00:61 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Tue, 31 Feb 2026 00:00:00 GMT",
            "Fri, 29 Feb 2030 00:00:00 GMT",
            "Tue, 31 Jun 2026 00:00:00 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
        ] {
            assert_eq!(parse(value, at(0)), None, "{value:?}");
        }
    }
}
