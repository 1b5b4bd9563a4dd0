//! Scenario time: ISO 8601 instants and durations like `90s`, to and from Unix milliseconds.

use time::{Date, Month, OffsetDateTime, UtcOffset};

/// Parses `2026-11-22T15:04:00Z`, with optional fractional seconds and `±HH:MM` offset.
pub(crate) fn parse_instant(text: &str) -> Option<i64> {
    let t = text.trim();
    let (date, rest) = t.split_once(['T', ' '])?;
    let mut d = date.split('-');
    let year: i32 = d.next()?.parse().ok()?;
    let month: u8 = d.next()?.parse().ok()?;
    let day: u8 = d.next()?.parse().ok()?;
    let (clock, offset_minutes) = if let Some(c) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        (c, 0i32)
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (c, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (h, m) = off.get(1..)?.split_once(':').unwrap_or((off.get(1..3)?, off.get(3..).unwrap_or("0")));
        (c, sign * (h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?))
    } else {
        (rest, 0)
    };
    let mut parts = clock.split(':');
    let hour: u8 = parts.next()?.parse().ok()?;
    let minute: u8 = parts.next()?.parse().ok()?;
    let (sec, frac) = match parts.next() {
        Some(s) => s.split_once('.').map_or((s, ""), |(a, b)| (a, b)),
        None => ("0", ""),
    };
    let second: u8 = sec.parse().ok()?;
    let millis: i64 = if frac.is_empty() { 0 } else { format!("{:0<3}", frac).get(..3)?.parse().ok()? };
    let date = Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
    let datetime = date.with_hms(hour, minute, second).ok()?.assume_utc();
    let seconds = datetime.unix_timestamp() - i64::from(offset_minutes) * 60;
    Some(seconds * 1000 + millis)
}

/// Formats Unix milliseconds as `2026-11-22T15:04:00Z` (`.123` when there are milliseconds).
pub(crate) fn format_instant(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    let ms = millis.rem_euclid(1000);
    let Ok(t) = OffsetDateTime::from_unix_timestamp(seconds) else { return millis.to_string() };
    let t = t.to_offset(UtcOffset::UTC);
    let base = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    if ms == 0 {
        format!("{base}Z")
    } else {
        format!("{base}.{ms:03}Z")
    }
}

/// Parses `90s`, `250ms`, `5m`, `1h`, `1m30s` or a bare number of seconds.
pub(crate) fn parse_duration(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(n) = t.parse::<f64>() {
        return Some((n * 1000.0) as i64);
    }
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut chars = t.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let value: f64 = number.parse().ok()?;
        number.clear();
        let unit_ms = match c {
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1.0
            }
            's' => 1000.0,
            'm' => 60_000.0,
            'h' => 3_600_000.0,
            _ => return None,
        };
        total = total.checked_add((value * unit_ms) as i64)?;
        any = true;
    }
    (any && number.is_empty()).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip() {
        let t = parse_instant("2026-11-22T15:04:00Z");
        assert_eq!(t, Some(1_795_359_840_000));
        assert_eq!(t.map(format_instant).as_deref(), Some("2026-11-22T15:04:00Z"));
        assert_eq!(parse_instant("2026-11-22T10:04:00-05:00"), t);
        assert_eq!(
            parse_instant("2026-11-22T15:04:00.250Z").map(format_instant).as_deref(),
            Some("2026-11-22T15:04:00.250Z")
        );
        assert_eq!(parse_instant("yesterday"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Some(90_000));
        assert_eq!(parse_duration("250ms"), Some(250));
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        assert_eq!(parse_duration("2h"), Some(7_200_000));
        assert_eq!(parse_duration("12"), Some(12_000));
        assert_eq!(parse_duration("soon"), None);
    }
}
