//! The one timestamp every entry carries: `SOURCE_DATE_EPOCH` turned into a zip's MS-DOS date
//! and time, clamped to the years a zip can hold.

use zip::DateTime;

use super::ZipWriteError;

/// 1980-01-01 00:00:00 UTC and 2107-12-31 23:59:59 UTC, the first and last seconds a zip's
/// MS-DOS date and time can hold.
const FIRST_ZIP_SECOND: i64 = 315_532_800;
const LAST_ZIP_SECOND: i64 = 4_354_819_199;

/// The timestamp every entry carries, and what was done to `SOURCE_DATE_EPOCH` to get it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub date_time: DateTime,
    /// Set when `SOURCE_DATE_EPOCH` was outside the years a zip can hold and the first or last
    /// second it can hold was used instead ([`Timestamp::warning`] says so).
    pub clamped: Option<Clamped>,
}

/// Which end of the zip format's years a `SOURCE_DATE_EPOCH` was moved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clamped {
    /// Before 1980 (a negative number, or 0 as some tools set it): 1980-01-01 00:00:00.
    ToFirst,
    /// After 2107: 2107-12-31 23:59:58 (the format counts seconds in twos).
    ToLast,
}

impl Timestamp {
    /// The warning for a clamped `value`, naming the date used instead: the reproducible-builds
    /// specification asks tools to use the value given, and one that cannot was silent, so a
    /// zip dated 1980 looked like a `SOURCE_DATE_EPOCH` that was not seen at all.
    pub fn warning(&self, value: &str) -> Option<String> {
        let (when, limit, used) = match self.clamped? {
            Clamped::ToFirst => ("before 1980", "first", "1980-01-01 00:00:00"),
            Clamped::ToLast => ("after 2107", "last", "2107-12-31 23:59:58"),
        };
        Some(format!(
            "SOURCE_DATE_EPOCH=`{}` is {when}, outside the years a zip can date its entries; they are dated {used} UTC, the {limit} time a zip can hold. Set it to a time from 1980 to 2107 (`git log -1 --format=%ct`) to choose the date",
            value.trim().escape_debug()
        ))
    }
}

/// The timestamp for every entry: `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) when given,
/// else 1980-01-01 00:00, the earliest a zip can hold. Times outside 1980–2107 are clamped
/// (and said to be, [`Timestamp::clamped`]); a value that is not a whole number is an error,
/// as the reproducible-builds specification asks of a malformed one.
pub fn timestamp(source_date_epoch: Option<&str>) -> Result<Timestamp, ZipWriteError> {
    let unclamped = |date_time| Timestamp {
        date_time,
        clamped: None,
    };
    let Some(value) = source_date_epoch.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(unclamped(DateTime::default()));
    };
    // A whole number too large for an i64 is clamped like any other time past 2107.
    let digits = value.strip_prefix('-').unwrap_or(value);
    let whole = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let seconds: i64 = match value.parse() {
        Ok(seconds) => seconds,
        Err(_) if whole && value.starts_with('-') => i64::MIN,
        Err(_) if whole => i64::MAX,
        Err(_) => {
            return Err(ZipWriteError::BadTimestamp {
                value: value.escape_debug().to_string(),
                reason: "it is not a whole number".into(),
            });
        }
    };
    if seconds < FIRST_ZIP_SECOND {
        return Ok(Timestamp {
            date_time: DateTime::default(),
            clamped: Some(Clamped::ToFirst),
        });
    }
    if seconds > LAST_ZIP_SECOND {
        let last = DateTime::from_date_and_time(2107, 12, 31, 23, 59, 58).map_err(|_| {
            ZipWriteError::BadTimestamp {
                value: value.to_string(),
                reason: "it is outside what a zip can hold".into(),
            }
        })?;
        return Ok(Timestamp {
            date_time: last,
            clamped: Some(Clamped::ToLast),
        });
    }
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let date = crate::calendar::Date::from_days(days);
    let field = |v: i64| u8::try_from(v).unwrap_or_default();
    DateTime::from_date_and_time(
        u16::try_from(date.year).unwrap_or_default(),
        field(i64::from(date.month)),
        field(i64::from(date.day)),
        field(rest / 3600),
        field(rest % 3600 / 60),
        field(rest % 60),
    )
    .map(unclamped)
    .map_err(|_| ZipWriteError::BadTimestamp {
        value: value.to_string(),
        reason: "it is outside what a zip can hold".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let plain = |value: &str| {
            let t = timestamp(Some(value)).unwrap();
            assert_eq!(t.clamped, None, "{value}");
            t.date_time
        };
        assert_eq!(timestamp(None).unwrap().date_time, DateTime::default());
        assert_eq!(plain("315532800"), DateTime::default());
        let t = plain("951782400"); // 2000-02-29
        assert_eq!((t.year(), t.month(), t.day()), (2000, 2, 29));
        let t = plain("4354819199"); // the last second a zip holds
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2107, 12, 31, 23));

        // Past 2107, beyond i64 too: clamped, not refused, not overflowing, and said so.
        for value in [
            "4354819200",
            "99999999999",
            "99999999999999999999",
            &i64::MAX.to_string(),
        ] {
            let t = timestamp(Some(value)).unwrap();
            assert_eq!(t.clamped, Some(Clamped::ToLast), "{value}");
            assert_eq!((t.date_time.year(), t.date_time.second()), (2107, 58));
        }
        for value in [
            "0",
            "315532799",
            "-1",
            "-99999999999999999999",
            &i64::MIN.to_string(),
        ] {
            let t = timestamp(Some(value)).unwrap();
            assert_eq!(t.clamped, Some(Clamped::ToFirst), "{value}");
            assert_eq!(t.date_time, DateTime::default());
        }
        assert_eq!(
            timestamp(Some("-1")).unwrap().warning("-1").unwrap(),
            "SOURCE_DATE_EPOCH=`-1` is before 1980, outside the years a zip can date its entries; they are dated 1980-01-01 00:00:00 UTC, the first time a zip can hold. Set it to a time from 1980 to 2107 (`git log -1 --format=%ct`) to choose the date"
        );
        assert_eq!(
            timestamp(Some("951782400")).unwrap().warning("951782400"),
            None
        );
        assert_eq!(
            timestamp(Some("yesterday")).unwrap_err().to_string(),
            "SOURCE_DATE_EPOCH=`yesterday` is not usable: it is not a whole number; set it to a whole number of seconds since 1970 (`git log -1 --format=%ct`), or unset it"
        );
        assert_eq!(
            timestamp(Some("1.5\n")).unwrap_err().to_string(),
            "SOURCE_DATE_EPOCH=`1.5` is not usable: it is not a whole number; set it to a whole number of seconds since 1970 (`git log -1 --format=%ct`), or unset it"
        );
    }
}
