//! Task subject templates (`{direction} Call {activityDatetime}`) and the date patterns that
//! render `{activityDatetime}` (`SubjectDateFormat`, Java `SimpleDateFormat` or moment.js style).
//! Parsing a pattern reports every problem as a [`PatternError`] (the config layer turns it into
//! a diagnostic); formatting and rendering never fail and never panic. The time to format is
//! always an argument (Unix milliseconds plus the agent's UTC offset): this module never reads
//! a clock, and it knows nothing about where variable values come from.

use time::{Month, OffsetDateTime, PrimitiveDateTime, Weekday};

/// Variables the engine fills itself; any other `{name}` is looked up as a CAD variable.
pub const BUILTIN_VARIABLES: &[&str] = &["direction", "activityDatetime", "ani", "dnis", "queue", "interactionId"];

/// The vendor's default `SubjectDateFormat`.
pub const DEFAULT_DATE_PATTERN: &str = "MM-dd-yyyy hh:mm a";

/// The vendor's default `ActivitySubjectTemplate`.
pub const DEFAULT_SUBJECT_TEMPLATE: &str = "{direction} Call {activityDatetime}";

/// Whether `name` is one of [`BUILTIN_VARIABLES`] (exact spelling).
pub fn is_builtin_variable(name: &str) -> bool {
    BUILTIN_VARIABLES.contains(&name)
}

/// Why a date pattern was rejected. Positions are 0-based character offsets into the pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// An ASCII letter that is not a pattern letter of either style (e.g. `Q`, `x`, `Z`).
    /// Letters that should appear as text must be quoted (`'at'`) or bracketed (`[at]`).
    #[error("unknown date pattern letter `{token}` at position {position}")]
    UnknownLetter { token: String, position: usize },
    /// A known letter repeated a number of times we do not support (e.g. `MMMMM`, `HHH`).
    #[error("unsupported date pattern token `{token}` at position {position}")]
    UnsupportedLength { token: String, position: usize },
    /// A `'` that opens quoted text is never closed.
    #[error("unterminated quote in date pattern starting at position {position}")]
    UnterminatedQuote { position: usize },
    /// A `[` that opens literal text is never closed.
    #[error("unterminated `[` in date pattern starting at position {position}")]
    UnterminatedBracket { position: usize },
}

impl PatternError {
    /// Where the problem starts, as a 0-based character offset into the pattern.
    pub fn position(&self) -> usize {
        match self {
            PatternError::UnknownLetter { position, .. }
            | PatternError::UnsupportedLength { position, .. }
            | PatternError::UnterminatedQuote { position }
            | PatternError::UnterminatedBracket { position } => *position,
        }
    }
}

/// A parsed date pattern, accepting both Java `SimpleDateFormat` and moment.js tokens.
///
/// | meaning | Java | moment | renders (2026-11-22 10:04:05.123, a Sunday) |
/// |---|---|---|---|
/// | year | `yyyy` `yyy` `y` | `YYYY` `Y` | `2026` |
/// | two-digit year | `yy` | `YY` | `26` |
/// | month | `M` `MM` `MMM` `MMMM` | same | `11` `11` `Nov` `November` |
/// | day of month | `d` `dd` | `D` `DD` | `22` (`d`/`D` unpadded) |
/// | weekday | `E`…`EEE`, `EEEE` | `ddd`, `dddd` | `Sun`, `Sunday` |
/// | hour 0–23 | `H` `HH` | same | `10` |
/// | hour 1–12 | `h` `hh` | same | `10` |
/// | minute, second | `m` `mm`, `s` `ss` | same | `04`, `05` (single letter unpadded) |
/// | milliseconds | `SSS` | same | `123` |
/// | AM/PM | `a` (`aa`) | `A` upper, `a` lower | see below |
/// | literal text | `'T'`, `''` for `'` | `[T]` | `T` |
///
/// Any other ASCII letter is an error; every other character (punctuation, spaces, non-ASCII)
/// is literal.
///
/// Mixed patterns are common (the vendor's v2 file ships `MM-DD-YYYY hh:mm a`), so tokens are
/// read by letter, not by declared style, with these choices where the styles disagree:
/// - `Y` is the calendar year (Java's week-year is never what a subject line means);
/// - `D`/`DD` is the day of month (Java's day-of-year is likewise never meant);
/// - `d`/`dd` is the day of month (moment's weekday number and two-letter weekday are not
///   supported), while `ddd`/`dddd` are moment weekday names;
/// - `a` renders `am`/`pm` only when the pattern is moment-ish (it uses `Y`, `D`, `A`, `ddd`,
///   `dddd` or `[...]`) and not Java-ish (no `y`, `E` or `'...'`); otherwise `AM`/`PM`, as Java
///   does. `A` is always `AM`/`PM`. So `MM-dd-yyyy hh:mm a` gives `10:04 AM` and
///   `MM-DD-YYYY hh:mm a` gives `10:04 am`, as the vendor's moment-based connector shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatePattern {
    source: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Field(Field),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// Full year, zero-padded to `width` digits.
    Year {
        width: usize,
    },
    TwoDigitYear,
    MonthNumber {
        padded: bool,
    },
    MonthShort,
    MonthLong,
    Day {
        padded: bool,
    },
    WeekdayShort,
    WeekdayLong,
    Hour24 {
        padded: bool,
    },
    Hour12 {
        padded: bool,
    },
    Minute {
        padded: bool,
    },
    Second {
        padded: bool,
    },
    Millis,
    Meridiem {
        lowercase: bool,
    },
}

/// Which style's markers a pattern uses; decides the case of `a`.
#[derive(Debug, Default)]
struct StyleSeen {
    moment: bool,
    java: bool,
}

impl DatePattern {
    /// Parses `pattern`; see the type's documentation for the accepted tokens.
    pub fn parse(pattern: &str) -> Result<DatePattern, PatternError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parts: Vec<Part> = Vec::new();
        let mut style = StyleSeen::default();
        // Indices into `parts` of `a` tokens, whose case is only known at the end.
        let mut lowercase_a: Vec<usize> = Vec::new();
        let mut i = 0usize;
        while let Some(&c) = chars.get(i) {
            if c == '\'' {
                style.java = true;
                let (text, next) = quoted_literal(&chars, i)?;
                push_literal(&mut parts, &text);
                i = next;
            } else if c == '[' {
                style.moment = true;
                let close = chars
                    .iter()
                    .skip(i + 1)
                    .position(|&ch| ch == ']')
                    .ok_or(PatternError::UnterminatedBracket { position: i })?;
                let text: String = chars.iter().skip(i + 1).take(close).collect();
                push_literal(&mut parts, &text);
                i += close + 2;
            } else if c.is_ascii_alphabetic() {
                let count = chars.iter().skip(i).take_while(|&&ch| ch == c).count();
                let field = field_for(c, count, i, &mut style)?;
                if c == 'a' {
                    lowercase_a.push(parts.len());
                }
                parts.push(Part::Field(field));
                i += count;
            } else {
                push_literal(&mut parts, c.encode_utf8(&mut [0u8; 4]));
                i += 1;
            }
        }
        if style.moment && !style.java {
            for index in lowercase_a {
                if let Some(Part::Field(Field::Meridiem { lowercase })) = parts.get_mut(index) {
                    *lowercase = true;
                }
            }
        }
        Ok(DatePattern { source: pattern.to_string(), parts })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Formats the instant `unix_millis` as the agent's local time, `utc_offset_minutes` east of
    /// UTC (−300 for US Eastern standard time, +330 for India), with English month and day names.
    ///
    /// Instants outside the years −9999..=9999 (after applying the offset) are clamped to that
    /// range rather than failing.
    pub fn format(&self, unix_millis: i64, utc_offset_minutes: i32) -> String {
        let seconds = unix_millis.div_euclid(1000);
        let millis = unix_millis.rem_euclid(1000);
        // Shifting by the offset and reading the result as UTC gives the local wall clock
        // without `to_offset`, which can fail at the edges of the supported range.
        let local_seconds = seconds.saturating_add(i64::from(utc_offset_minutes) * 60).clamp(
            PrimitiveDateTime::MIN.assume_utc().unix_timestamp(),
            PrimitiveDateTime::MAX.assume_utc().unix_timestamp(),
        );
        let local = OffsetDateTime::from_unix_timestamp(local_seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Field(field) => render_field(&mut out, *field, local, millis),
            }
        }
        out
    }
}

impl Default for DatePattern {
    /// [`DEFAULT_DATE_PATTERN`].
    fn default() -> Self {
        DatePattern::parse(DEFAULT_DATE_PATTERN)
            .unwrap_or_else(|_| DatePattern { source: String::new(), parts: Vec::new() })
    }
}

impl std::fmt::Display for DatePattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source)
    }
}

/// Appends `text` to the last literal part, or starts a new one.
fn push_literal(parts: &mut Vec<Part>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Part::Literal(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(Part::Literal(text.to_string()));
    }
}

/// Reads Java quoted text starting at the `'` at `start`: `''` is one quote, inside or outside
/// quoted text. Returns the text and the index after it.
fn quoted_literal(chars: &[char], start: usize) -> Result<(String, usize), PatternError> {
    if chars.get(start + 1) == Some(&'\'') {
        return Ok(("'".to_string(), start + 2));
    }
    let mut text = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => return Err(PatternError::UnterminatedQuote { position: start }),
            Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                text.push('\'');
                i += 2;
            }
            Some('\'') => return Ok((text, i + 1)),
            Some(&c) => {
                text.push(c);
                i += 1;
            }
        }
    }
}

/// The field for a run of `count` letters `letter` at `position`, noting which style it marks.
fn field_for(letter: char, count: usize, position: usize, style: &mut StyleSeen) -> Result<Field, PatternError> {
    let token = || letter.to_string().repeat(count);
    let unsupported = || PatternError::UnsupportedLength { token: token(), position };
    let padded = count == 2;
    let field = match (letter, count) {
        ('y' | 'Y', 1..=4) => {
            if letter == 'y' {
                style.java = true;
            } else {
                style.moment = true;
            }
            if count == 2 {
                Field::TwoDigitYear
            } else {
                Field::Year { width: count }
            }
        }
        ('M', 1 | 2) => Field::MonthNumber { padded },
        ('M', 3) => Field::MonthShort,
        ('M', 4) => Field::MonthLong,
        ('d', 1 | 2) => Field::Day { padded },
        ('d', 3) => {
            style.moment = true;
            Field::WeekdayShort
        }
        ('d', 4) => {
            style.moment = true;
            Field::WeekdayLong
        }
        ('D', 1 | 2) => {
            style.moment = true;
            Field::Day { padded }
        }
        ('E', 1..=3) => {
            style.java = true;
            Field::WeekdayShort
        }
        ('E', 4) => {
            style.java = true;
            Field::WeekdayLong
        }
        ('H', 1 | 2) => Field::Hour24 { padded },
        ('h', 1 | 2) => Field::Hour12 { padded },
        ('m', 1 | 2) => Field::Minute { padded },
        ('s', 1 | 2) => Field::Second { padded },
        ('S', 3) => Field::Millis,
        // Java accepts `aa`; the case is settled once the whole pattern is read.
        ('a', 1 | 2) => Field::Meridiem { lowercase: false },
        ('A', 1) => {
            style.moment = true;
            Field::Meridiem { lowercase: false }
        }
        ('y' | 'Y' | 'M' | 'd' | 'D' | 'E' | 'H' | 'h' | 'm' | 's' | 'S' | 'a' | 'A', _) => return Err(unsupported()),
        _ => return Err(PatternError::UnknownLetter { token: token(), position }),
    };
    Ok(field)
}

fn render_field(out: &mut String, field: Field, local: OffsetDateTime, millis: i64) {
    let number = |value: i64, padded: bool| {
        if padded {
            format!("{value:02}")
        } else {
            value.to_string()
        }
    };
    let hour = i64::from(local.hour());
    let text = match field {
        Field::Year { width } => format!("{:0width$}", local.year()),
        Field::TwoDigitYear => format!("{:02}", local.year().rem_euclid(100)),
        Field::MonthNumber { padded } => number(i64::from(u8::from(local.month())), padded),
        Field::MonthShort => month_name(local.month()).chars().take(3).collect(),
        Field::MonthLong => month_name(local.month()).to_string(),
        Field::Day { padded } => number(i64::from(local.day()), padded),
        Field::WeekdayShort => weekday_name(local.weekday()).chars().take(3).collect(),
        Field::WeekdayLong => weekday_name(local.weekday()).to_string(),
        Field::Hour24 { padded } => number(hour, padded),
        // 0 and 12 both show as 12 on a 12-hour clock (12 AM is midnight, 12 PM noon).
        Field::Hour12 { padded } => number(if hour % 12 == 0 { 12 } else { hour % 12 }, padded),
        Field::Minute { padded } => number(i64::from(local.minute()), padded),
        Field::Second { padded } => number(i64::from(local.second()), padded),
        Field::Millis => format!("{millis:03}"),
        Field::Meridiem { lowercase } => {
            let marker = if hour < 12 { "AM" } else { "PM" };
            if lowercase {
                marker.to_ascii_lowercase()
            } else {
                marker.to_string()
            }
        }
    };
    out.push_str(&text);
}

fn month_name(month: Month) -> &'static str {
    match month {
        Month::January => "January",
        Month::February => "February",
        Month::March => "March",
        Month::April => "April",
        Month::May => "May",
        Month::June => "June",
        Month::July => "July",
        Month::August => "August",
        Month::September => "September",
        Month::October => "October",
        Month::November => "November",
        Month::December => "December",
    }
}

fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// A parsed Task subject template: text with `{name}` variables.
///
/// A `{` starts a variable only when a `}` closes it before any other `{` and the name between
/// them is not blank; the name is trimmed (`{ ani }` is `ani`). Any other brace is literal text,
/// so an unbalanced template such as `{direction Call` renders as written, and `{{ani}}` renders
/// as `{` + value + `}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectTemplate {
    source: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(String),
    Variable(String),
}

impl SubjectTemplate {
    /// Parses `template`. Never fails: anything that is not a variable is text.
    pub fn parse(template: &str) -> SubjectTemplate {
        let mut segments: Vec<Segment> = Vec::new();
        let mut text = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let (before, from_open) = rest.split_at(open);
            text.push_str(before);
            let after_open = from_open.get(1..).unwrap_or("");
            let close = after_open.find('}');
            let next_open = after_open.find('{');
            let name = close
                .filter(|&c| !matches!(next_open, Some(o) if o < c))
                .and_then(|c| after_open.get(..c))
                .map(str::trim)
                .filter(|name| !name.is_empty());
            match (name, close) {
                (Some(name), Some(c)) => {
                    if !text.is_empty() {
                        segments.push(Segment::Text(std::mem::take(&mut text)));
                    }
                    segments.push(Segment::Variable(name.to_string()));
                    rest = after_open.get(c + 1..).unwrap_or("");
                }
                _ => {
                    text.push('{');
                    rest = after_open;
                }
            }
        }
        text.push_str(rest);
        if !text.is_empty() {
            segments.push(Segment::Text(text));
        }
        SubjectTemplate { source: template.to_string(), segments }
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The distinct variable names, in order of first use.
    pub fn variables(&self) -> impl Iterator<Item = &str> + '_ {
        self.segments
            .iter()
            .enumerate()
            .filter_map(|(index, segment)| match segment {
                Segment::Variable(name) => Some((index, name.as_str())),
                Segment::Text(_) => None,
            })
            .filter(|&(index, name)| {
                !self.segments.iter().take(index).any(|earlier| matches!(earlier, Segment::Variable(n) if n == name))
            })
            .map(|(_, name)| name)
    }

    /// Renders the template, asking `lookup` for each variable's value; a variable it does not
    /// know (`None`) renders as nothing.
    pub fn render(&self, lookup: impl Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Text(text) => out.push_str(text),
                Segment::Variable(name) => {
                    if let Some(value) = lookup(name) {
                        out.push_str(&value);
                    }
                }
            }
        }
        out
    }
}

impl Default for SubjectTemplate {
    /// [`DEFAULT_SUBJECT_TEMPLATE`].
    fn default() -> Self {
        SubjectTemplate::parse(DEFAULT_SUBJECT_TEMPLATE)
    }
}

impl std::fmt::Display for SubjectTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// 2026-11-22T15:04:05.123Z, a Sunday.
    const INSTANT: i64 = 1_795_359_845_123;
    /// 2026-11-22T00:00:00Z.
    const MIDNIGHT: i64 = 1_795_305_600_000;
    /// 2026-11-22T12:00:00Z.
    const NOON: i64 = 1_795_348_800_000;
    /// 2026-12-31T23:30:00Z, a Thursday.
    const NEW_YEARS_EVE: i64 = 1_798_759_800_000;
    /// 2026-01-05T09:07:03Z, a Monday.
    const EARLY_JANUARY: i64 = 1_767_604_023_000;

    fn format(pattern: &str, millis: i64, offset: i32) -> String {
        match DatePattern::parse(pattern) {
            Ok(parsed) => parsed.format(millis, offset),
            Err(error) => panic!("{pattern:?} should parse: {error}"),
        }
    }

    #[test]
    fn java_and_moment_patterns_render_agent_local_time() {
        let cases: &[(&str, i64, i32, &str)] = &[
            // The vendor defaults, Java (v1) and moment (v2).
            ("MM-dd-yyyy hh:mm a", INSTANT, -300, "11-22-2026 10:04 AM"),
            ("MM-DD-YYYY hh:mm a", INSTANT, -300, "11-22-2026 10:04 am"),
            ("MM-DD-YYYY hh:mm A", INSTANT, -300, "11-22-2026 10:04 AM"),
            ("MM-dd-yyyy hh:mm a", INSTANT, 0, "11-22-2026 03:04 PM"),
            ("MM-dd-yyyy hh:mm a", INSTANT, 330, "11-22-2026 08:34 PM"),
            ("dd/MM/yyyy HH:mm", INSTANT, 0, "22/11/2026 15:04"),
            ("dd/MM/yyyy HH:mm", INSTANT, 330, "22/11/2026 20:34"),
            ("DD/MM/YYYY HH:mm", INSTANT, -300, "22/11/2026 10:04"),
            ("yyyy-MM-dd'T'HH:mm", INSTANT, 0, "2026-11-22T15:04"),
            ("YYYY-MM-DD[T]HH:mm:ss", INSTANT, 0, "2026-11-22T15:04:05"),
            ("yyyy-MM-dd HH:mm:ss.SSS", INSTANT, 0, "2026-11-22 15:04:05.123"),
            ("EEE", INSTANT, 0, "Sun"),
            ("EEEE, MMMM d, yyyy", INSTANT, 0, "Sunday, November 22, 2026"),
            ("ddd", INSTANT, 0, "Sun"),
            ("dddd D MMM YYYY", INSTANT, 0, "Sunday 22 Nov 2026"),
            ("MMM", INSTANT, 0, "Nov"),
            ("MMMM", INSTANT, 0, "November"),
            ("M/d/yy h:m:s a", EARLY_JANUARY, 0, "1/5/26 9:7:3 AM"),
            ("MM/dd/yy hh:mm:ss", EARLY_JANUARY, 0, "01/05/26 09:07:03"),
            ("D.M.Y H:mm", EARLY_JANUARY, 0, "5.1.2026 9:07"),
            ("E dd MMM", EARLY_JANUARY, 0, "Mon 05 Jan"),
            // Date-crossing offsets.
            ("EEE dd HH:mm", INSTANT, 600, "Mon 23 01:04"),
            ("EEE dd HH:mm", INSTANT, -960, "Sat 21 23:04"),
            ("yyyy-MM-dd HH:mm", NEW_YEARS_EVE, 60, "2027-01-01 00:30"),
            ("yyyy-MM-dd HH:mm", NEW_YEARS_EVE, 0, "2026-12-31 23:30"),
            // 12-hour clock edges: midnight is 12 AM, noon is 12 PM.
            ("hh:mm a", MIDNIGHT, 0, "12:00 AM"),
            ("h:mm a", MIDNIGHT, 30, "12:30 AM"),
            ("H:mm", MIDNIGHT, 30, "0:30"),
            ("hh:mm a", NOON, 0, "12:00 PM"),
            ("hh:mm A", NOON, -1, "11:59 AM"),
            ("HH:mm", NOON, 0, "12:00"),
            // Literals.
            ("hh 'o''clock' a", INSTANT, 0, "03 o'clock PM"),
            ("''yy", INSTANT, 0, "'26"),
            ("[Week of] MMM D", INSTANT, 0, "Week of Nov 22"),
            ("yyyy年MM月dd日", INSTANT, 0, "2026年11月22日"),
            ("", INSTANT, 0, ""),
            ("--- ::", INSTANT, 0, "--- ::"),
        ];
        for (pattern, millis, offset, expected) in cases {
            assert_eq!(format(pattern, *millis, *offset), *expected, "pattern {pattern:?} at offset {offset}");
        }
    }

    #[test]
    fn lowercase_a_stays_upper_when_pattern_is_java_ish() {
        // Mixed, but `yyyy` and quotes are Java markers: Java wins for `a`.
        assert_eq!(format("DD-MM-yyyy hh:mm a", INSTANT, 0), "22-11-2026 03:04 PM");
        assert_eq!(format("MM-DD-YYYY 'at' hh a", INSTANT, 0), "11-22-2026 at 03 PM");
        // Neither style marked: Java.
        assert_eq!(format("hh:mm a", INSTANT, 0), "03:04 PM");
        assert_eq!(format("hh:mm aa", INSTANT, 0), "03:04 PM");
        // Moment markers only: moment's lowercase `a`, while `A` stays upper.
        assert_eq!(format("[at] h a", INSTANT, 0), "at 3 pm");
        assert_eq!(format("YYYY h a A", INSTANT, 0), "2026 3 pm PM");
    }

    #[test]
    fn default_pattern_is_the_vendor_default() {
        let pattern = DatePattern::default();
        assert_eq!(pattern.as_str(), "MM-dd-yyyy hh:mm a");
        assert_eq!(pattern.format(INSTANT, -300), "11-22-2026 10:04 AM");
        assert_eq!(pattern.to_string(), DEFAULT_DATE_PATTERN);
    }

    #[test]
    fn bad_patterns_name_the_token_and_position() {
        let cases: &[(&str, PatternError)] = &[
            ("yyyy-QQ", PatternError::UnknownLetter { token: "QQ".into(), position: 5 }),
            ("HH:mm x", PatternError::UnknownLetter { token: "x".into(), position: 6 }),
            ("HH:mm Z", PatternError::UnknownLetter { token: "Z".into(), position: 6 }),
            ("MM-dd-yyyy at hh", PatternError::UnknownLetter { token: "t".into(), position: 12 }),
            ("MMMMM", PatternError::UnsupportedLength { token: "MMMMM".into(), position: 0 }),
            ("dd HHH", PatternError::UnsupportedLength { token: "HHH".into(), position: 3 }),
            ("DDD", PatternError::UnsupportedLength { token: "DDD".into(), position: 0 }),
            ("yyyyy", PatternError::UnsupportedLength { token: "yyyyy".into(), position: 0 }),
            ("yyyy 'T", PatternError::UnterminatedQuote { position: 5 }),
            ("'it''s", PatternError::UnterminatedQuote { position: 0 }),
            ("YYYY [T", PatternError::UnterminatedBracket { position: 5 }),
            // Positions count characters, not bytes.
            ("日日 q", PatternError::UnknownLetter { token: "q".into(), position: 3 }),
        ];
        for (pattern, expected) in cases {
            assert_eq!(DatePattern::parse(pattern).as_ref(), Err(expected), "{pattern:?}");
        }
    }

    #[test]
    fn pattern_errors_read_as_sentences() {
        let error = DatePattern::parse("yyyy-QQ").err();
        assert_eq!(error.map(|e| e.to_string()).as_deref(), Some("unknown date pattern letter `QQ` at position 5"));
    }

    #[test]
    fn format_never_fails_at_the_edges_of_time() {
        let pattern = format("yyyy-MM-dd HH:mm:ss.SSS EEE a", 0, 0);
        assert_eq!(pattern, "1970-01-01 00:00:00.000 Thu AM");
        assert_eq!(format("yyyy-MM-dd HH:mm", -1, 0), "1969-12-31 23:59");
        assert_eq!(format("yyyy-MM-dd", i64::MAX, i32::MAX), "9999-12-31");
        // Year -9999: two-digit years count forwards, as `rem_euclid` does.
        assert_eq!(format("yy", i64::MIN, i32::MIN), "01");
        assert_eq!(format("SSS", -1, 0), "999");
    }

    #[test]
    fn subject_template_renders_builtins_and_cad_variables() {
        let template = SubjectTemplate::parse("{direction} Call {activityDatetime} {Account}");
        let subject = template.render(|name| match name {
            "direction" => Some("Inbound".to_string()),
            "activityDatetime" => Some("11-22-2026 10:04 AM".to_string()),
            "Account" => Some("ACME".to_string()),
            _ => None,
        });
        assert_eq!(subject, "Inbound Call 11-22-2026 10:04 AM ACME");
    }

    #[test]
    fn unknown_variables_render_as_nothing() {
        let template = SubjectTemplate::parse("{direction} Call {missing}!");
        let subject = template.render(|name| (name == "direction").then(|| "Outbound".to_string()));
        assert_eq!(subject, "Outbound Call !");
    }

    #[test]
    fn unbalanced_and_empty_braces_render_literally() {
        let cases = [
            ("{direction Call", "{direction Call"),
            ("direction} Call", "direction} Call"),
            ("{} Call", "{} Call"),
            ("{  } Call", "{  } Call"),
            ("{{ani}}", "{A}"),
            ("{a{ani}", "{aA"),
            ("}{ani}{", "}A{"),
            ("{ ani }", "A"),
            ("no variables", "no variables"),
            ("", ""),
            ("{ani}{ani}", "AA"),
        ];
        for (template, expected) in cases {
            let rendered = SubjectTemplate::parse(template).render(|name| (name == "ani").then(|| "A".to_string()));
            assert_eq!(rendered, expected, "template {template:?}");
        }
    }

    #[test]
    fn variables_are_listed_once_in_order_of_first_use() {
        let template = SubjectTemplate::parse("{ani} {direction} {ani} {Queue Name} {bad");
        let names: Vec<&str> = template.variables().collect();
        assert_eq!(names, ["ani", "direction", "Queue Name"]);
        assert_eq!(template.as_str(), "{ani} {direction} {ani} {Queue Name} {bad");
    }

    #[test]
    fn default_template_uses_only_builtins() {
        let template = SubjectTemplate::default();
        assert_eq!(template.to_string(), DEFAULT_SUBJECT_TEMPLATE);
        assert!(template.variables().all(is_builtin_variable));
        assert!(!is_builtin_variable("Direction"));
    }

    proptest! {
        #[test]
        fn random_patterns_parse_or_fail_without_panicking(
            pattern in "\\PC{0,40}",
            millis in any::<i64>(),
            offset in any::<i32>(),
        ) {
            if let Ok(parsed) = DatePattern::parse(&pattern) {
                let _ = parsed.format(millis, offset);
            }
        }

        #[test]
        fn random_token_soup_parses_or_fails_without_panicking(
            pattern in "[yYMdDEHhmsSaAQx'\\[\\] :/.-]{0,30}",
            millis in -100_000_000_000_000i64..100_000_000_000_000,
            offset in -1_440i32..=1_440,
        ) {
            match DatePattern::parse(&pattern) {
                Ok(parsed) => { let _ = parsed.format(millis, offset); }
                Err(error) => prop_assert!(error.position() < pattern.chars().count()),
            }
        }

        #[test]
        fn random_templates_render_without_panicking(template in "[{}a-z ]{0,30}|\\PC{0,30}") {
            let parsed = SubjectTemplate::parse(&template);
            let names: Vec<String> = parsed.variables().map(str::to_string).collect();
            let rendered = parsed.render(|name| Some(format!("<{name}>")));
            for name in names {
                let expected = format!("<{name}>");
                prop_assert!(rendered.contains(&expected));
            }
        }

        #[test]
        fn templates_without_braces_render_as_written(template in "[^{}]{0,40}") {
            let rendered = SubjectTemplate::parse(&template).render(|_| None);
            prop_assert_eq!(rendered, template);
        }
    }
}
