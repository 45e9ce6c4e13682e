//! The one timestamp every entry carries: `SOURCE_DATE_EPOCH` turned into a zip's MS-DOS date
//! and time, clamped to the years a zip can hold.

use zip::DateTime;

use super::ZipWriteError;

/// 1980-01-01 00:00:00 UTC and 2107-12-31 23:59:59 UTC, the first and last seconds a zip's
/// MS-DOS date and time can hold.
const FIRST_ZIP_SECOND: i64 = 315_532_800;
const LAST_ZIP_SECOND: i64 = 4_354_819_199;

/// The timestamp for every entry: `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) when given,
/// else 1980-01-01 00:00, the earliest a zip can hold. Times outside 1980–2107 are clamped.
pub fn timestamp(source_date_epoch: Option<&str>) -> Result<DateTime, ZipWriteError> {
    let Some(value) = source_date_epoch.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(DateTime::default());
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
                value: value.to_string(),
                reason: "it is not a whole number".into(),
            });
        }
    };
    // Past the zip format's years either way: clamp before the date arithmetic, which a
    // number of seconds near i64's limits would overflow.
    let seconds = seconds.clamp(FIRST_ZIP_SECOND - 86_400, LAST_ZIP_SECOND + 86_400);
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let date = crate::calendar::Date::from_days(days);
    let (year, month, day) = (
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    if year < 1980 {
        return Ok(DateTime::default());
    }
    let clamped = year > 2107;
    let field = |v: i64| u8::try_from(v).unwrap_or_default();
    DateTime::from_date_and_time(
        if clamped {
            2107
        } else {
            u16::try_from(year).unwrap_or(2107)
        },
        if clamped { 12 } else { field(month) },
        if clamped { 31 } else { field(day) },
        if clamped { 23 } else { field(rest / 3600) },
        if clamped { 59 } else { field(rest % 3600 / 60) },
        if clamped { 58 } else { field(rest % 60) },
    )
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
        assert_eq!(timestamp(None).unwrap(), DateTime::default());
        assert_eq!(timestamp(Some("0")).unwrap(), DateTime::default());
        let t = timestamp(Some("951782400")).unwrap(); // 2000-02-29
        assert_eq!((t.year(), t.month(), t.day()), (2000, 2, 29));
        let t = timestamp(Some("99999999999")).unwrap();
        assert_eq!(t.year(), 2107);
        // Beyond i64 too: clamped, not refused, not overflowing.
        assert_eq!(timestamp(Some("99999999999999999999")).unwrap(), t);
        assert_eq!(timestamp(Some(&i64::MAX.to_string())).unwrap(), t);
        assert_eq!(
            timestamp(Some("-99999999999999999999")).unwrap(),
            DateTime::default()
        );
        assert_eq!(
            timestamp(Some(&i64::MIN.to_string())).unwrap(),
            DateTime::default()
        );
        assert_eq!(
            timestamp(Some("yesterday")).unwrap_err().to_string(),
            "SOURCE_DATE_EPOCH=`yesterday` is not usable: it is not a whole number; set it to a whole number of seconds since 1970 (`git log -1 --format=%ct`), or unset it"
        );
    }
}
