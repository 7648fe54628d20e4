//! Timestamps as kb writes them: UTC, whole seconds, RFC 3339 (`2026-11-28T09:30:00Z`).

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

/// The current time in whole seconds, unless the program pinned it
/// ([`crate::settings::Settings::now`]; the `kb` binary does so from `KB_NOW`), for
/// reproducible tests and benchmarks.
pub fn now() -> Timestamp {
    if let Some(fixed) = crate::settings::get().now {
        return fixed;
    }
    let now = Timestamp::now();
    Timestamp::from_second(now.as_second()).unwrap_or(now)
}

/// Parse what a person may write for a moment in time: a full RFC 3339 timestamp, a date and time
/// without an offset (taken as UTC), or a bare date (midnight UTC).
pub fn parse(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    if let Ok(dt) = text.parse::<DateTime>() {
        return TimeZone::UTC.to_timestamp(dt).ok();
    }
    if let Ok(date) = text.parse::<Date>() {
        return TimeZone::UTC
            .to_timestamp(date.to_datetime(Time::midnight()))
            .ok();
    }
    None
}

/// Parse a calendar date (`2026-11-20`).
pub fn parse_date(text: &str) -> Option<Date> {
    text.trim().parse::<Date>().ok()
}

/// Why `text` is not a date, for a message: a day the month does not have (`2026-02-30`), or
/// not the `YYYY-MM-DD` form at all.
pub fn date_problem(text: &str) -> String {
    let parts: Vec<&str> = text.trim().split('-').collect();
    if let [y, m, d] = parts.as_slice()
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>())
        && (1..=12).contains(&m)
        && d >= 1
        && let Ok(first) = Date::new(y, m, 1)
    {
        return format!(
            "{} does not exist: {} has {} days",
            text.trim(),
            first.strftime("%B %Y"),
            first.days_in_month()
        );
    }
    format!("{:?} is not a date; use YYYY-MM-DD", text.trim())
}

/// The form kb writes: `2026-11-28T09:30:00Z`.
pub fn format(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Today's date in UTC, following `KB_NOW` when set.
pub fn today() -> Date {
    now().to_zoned_datetime(TimeZone::UTC).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_people_write() {
        let full = parse("2026-11-28T09:30:00Z").unwrap();
        assert_eq!(format(full), "2026-11-28T09:30:00Z");
        assert_eq!(
            format(parse("2026-11-28T18:30:00+09:00").unwrap()),
            "2026-11-28T09:30:00Z"
        );
        assert_eq!(format(parse("2026-11-28").unwrap()), "2026-11-28T00:00:00Z");
        assert_eq!(
            format(parse("2026-11-28 09:30").unwrap()),
            "2026-11-28T09:30:00Z"
        );
        assert!(parse("yesterday").is_none());
    }
}
