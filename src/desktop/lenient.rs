//! Tolerant field deserialisers for Desktop SDK payloads: a field of the wrong JSON type becomes
//! its default instead of failing the whole event, numbers and booleans sent as strings (or the
//! reverse) are accepted, and map entries that do not fit are skipped. Nothing here may fail on
//! any JSON value, so that one odd field never costs the adapter a whole event.

use crate::flat::Map;
use crate::pii::Pii;
use crate::value_de::Read;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::borrow::Cow;

/// The scalar as text: strings as they are, numbers and booleans printed; anything else is `None`.
pub(crate) fn scalar_to_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `true`, `"true"`, `"TRUE"`, `"1"`, `"yes"` and non-zero numbers are true; everything else false.
pub(crate) fn value_to_bool(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => {
            let s = s.trim();
            s.eq_ignore_ascii_case("true") || s == "1" || s.eq_ignore_ascii_case("yes")
        }
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        _ => false,
    }
}

/// Integers, floats (truncated) and numeric strings; `None` for anything else.
pub(crate) fn value_to_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| float_to_i64(n.as_f64()?)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>().ok().or_else(|| decimal_to_i64(s))
        }
        _ => None,
    }
}

/// A number written as text (`"30.9"`, `"-1.5e3"`, `".5"`, `"7."`) as `str::parse::<f64>` and a
/// truncating `as i64` gave it: the same text is read (sign, digits with or without a point,
/// exponent), and `None` comes for anything else, for infinities and NaN, and for magnitudes of
/// 9·10^18 or more. A whole number comes out as its `f64` did (rounded beyond 2^53). A number with
/// a fraction is cut from its exact decimal value, which is the `f64`'s answer for every number of
/// up to 15 significant digits; with more, the `f64` had first rounded it to 53 bits, so that
/// `"4503599627370497.5"` gave 4503599627370498 and now gives 4503599627370497.
///
/// Written here instead of calling the standard float parser for the widget's size: that parser
/// brings a table of powers of five that does not compress, 14 KB of the gzipped wasm (issue 15).
fn decimal_to_i64(text: &str) -> Option<i64> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (body.get(..at)?, Some(body.get(at + 1..)?)),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    // "inf", "infinity" and "nan" end here too: never finite, so never an integer.
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    // The value is `whole` then `fraction` as one integer, times 10^shift.
    let mut shift = 0i64.saturating_sub(i64::try_from(fraction.len()).ok()?);
    if let Some(exponent) = exponent {
        let (down, digits) = match exponent.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, exponent.strip_prefix('+').unwrap_or(exponent)),
        };
        if digits.is_empty() || !all_digits(digits) {
            return None;
        }
        // Saturating: past a few dozen the answer no longer changes (zero or too large).
        let magnitude =
            digits.bytes().fold(0i64, |n, b| n.saturating_mul(10).saturating_add(i64::from(b.saturating_sub(b'0'))));
        shift = if down { shift.saturating_sub(magnitude) } else { shift.saturating_add(magnitude) };
    }
    let significant: Vec<u8> =
        whole.bytes().chain(fraction.bytes()).skip_while(|&b| b == b'0').map(|b| b.saturating_sub(b'0')).collect();
    // The digits left of the point (all of them and `shift` zeros when it is not negative).
    let cut = usize::try_from(0i64.saturating_sub(shift)).unwrap_or(0);
    let kept = significant.len().saturating_sub(cut);
    let (integer_digits, fraction_digits) = significant.split_at(kept);
    let has_fraction = fraction_digits.iter().any(|&d| d != 0);
    let mut integer = 0u64;
    for &d in integer_digits {
        integer = integer.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    if integer != 0 {
        for _ in 0..shift.max(0) {
            integer = integer.checked_mul(10)?; // stops at once past 1.8·10^19
        }
    }
    const LIMIT: u64 = 9_000_000_000_000_000_000;
    let magnitude = if has_fraction {
        (integer < LIMIT).then_some(integer)?
    } else {
        // As the `f64` held it: the nearest one, then back to an integer.
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let rounded = integer as f64;
        (rounded < 9.0e18).then_some(rounded as u64)?
    };
    let magnitude = i64::try_from(magnitude).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

fn float_to_i64(f: f64) -> Option<i64> {
    // `as` saturates; reject what would not be a meaningful integer.
    (f.is_finite() && f.abs() < 9.0e18).then_some(f as i64)
}

/// Where a tolerant reader takes its value from: serde's derived code hands it a deserializer
/// (the value is read first), `#[derive(Read)]` the value itself, borrowed ([`Given`]), so
/// that the widget's readers neither copy the value nor go through serde (issue 15, size).
pub(crate) trait Input<'de> {
    type Error;
    fn value(self) -> Result<Cow<'de, Value>, Self::Error>;
}

impl<'de, D: Deserializer<'de>> Input<'de> for D {
    type Error = D::Error;
    fn value(self) -> Result<Cow<'de, Value>, D::Error> {
        Value::deserialize(self).map(Cow::Owned)
    }
}

/// A value handed to a tolerant reader by `#[derive(Read)]`.
pub(crate) struct Given<'a>(pub &'a Value);

/// Never fails: the tolerant readers take any value, and an error type without values lets the
/// compiler drop every error path of the readers that call them.
impl<'a> Input<'a> for Given<'a> {
    type Error = std::convert::Infallible;
    fn value(self) -> Result<Cow<'a, Value>, Self::Error> {
        Ok(Cow::Borrowed(self.0))
    }
}

pub(crate) fn string<'de, D: Input<'de>>(d: D) -> Result<String, D::Error> {
    Ok(scalar_to_string(&*d.value()?).unwrap_or_default())
}

pub(crate) fn opt_string<'de, D: Input<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(scalar_to_string(&*d.value()?))
}

pub(crate) fn opt_pii<'de, D: Input<'de>>(d: D) -> Result<Option<Pii<String>>, D::Error> {
    Ok(scalar_to_string(&*d.value()?).map(Pii))
}

pub(crate) fn boolean<'de, D: Input<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(value_to_bool(&*d.value()?))
}

/// Like [`boolean`] but keeps "absent or not a boolean" apart from `false`.
pub(crate) fn opt_bool<'de, D: Input<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let value = d.value()?;
    Ok(match &*value {
        Value::Bool(_) | Value::String(_) | Value::Number(_) => Some(value_to_bool(&value)),
        _ => None,
    })
}

pub(crate) fn opt_i64<'de, D: Input<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(value_to_i64(&*d.value()?))
}

/// A list of strings; a lone scalar becomes a one-element list, non-scalars are dropped.
pub(crate) fn string_vec<'de, D: Input<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match &*d.value()? {
        Value::Array(items) => items.iter().filter_map(scalar_to_string).collect(),
        other => scalar_to_string(other).into_iter().collect(),
    })
}

/// A list of `T`; items that do not deserialise are skipped.
pub(crate) fn vec_of<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Input<'de>,
    T: Read,
{
    Ok(match &*d.value()? {
        Value::Array(items) => items.iter().filter_map(|item| T::read(item).ok()).collect(),
        _ => Vec::new(),
    })
}

/// An object of `T`s; entries that do not deserialise are skipped, a non-object is empty.
pub(crate) fn map_of<'de, D, T>(d: D) -> Result<Map<String, T>, D::Error>
where
    D: Input<'de>,
    T: Read,
{
    Ok(match &*d.value()? {
        Value::Object(entries) => entries.iter().filter_map(|(k, v)| T::read(v).ok().map(|t| (k.clone(), t))).collect(),
        _ => Map::new(),
    })
}

/// An object of scalars, each kept as redacted text; non-scalar entries are skipped.
pub(crate) fn pii_map<'de, D: Input<'de>>(d: D) -> Result<Map<String, Pii<String>>, D::Error> {
    Ok(match &*d.value()? {
        Value::Object(entries) => {
            entries.iter().filter_map(|(k, v)| scalar_to_string(v).map(|s| (k.clone(), Pii(s)))).collect()
        }
        _ => Map::new(),
    })
}

/// A nested object of type `T`, or `T::default()` when absent, null or of the wrong shape.
pub(crate) fn object_or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Input<'de>,
    T: Read + Default,
{
    Ok(T::read(&*d.value()?).unwrap_or_default())
}

/// A nested object of type `T`, or `None` when absent, null or of the wrong shape.
pub(crate) fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Input<'de>,
    T: Read,
{
    Ok(match &*d.value()? {
        value @ Value::Object(_) => T::read(value).ok(),
        _ => None,
    })
}

/// True when `value` nests deeper than `limit` arrays/objects. Iterative, so a hostile value
/// cannot exhaust the stack here.
pub(crate) fn nests_deeper_than(value: &Value, limit: usize) -> bool {
    let mut stack: Vec<(&Value, usize)> = vec![(value, 0)];
    while let Some((v, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        if depth >= limit {
            return true;
        }
        stack.extend(children.map(|c| (c, depth + 1)));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_booleans_sent_as_strings_are_understood() {
        assert_eq!(value_to_i64(&json!("30")), Some(30));
        assert_eq!(value_to_i64(&json!(30.9)), Some(30));
        assert_eq!(value_to_i64(&json!("x")), None);
        assert_eq!(value_to_i64(&json!(1e300)), None);
        assert!(value_to_bool(&json!("TRUE")));
        assert!(value_to_bool(&json!(1)));
        assert!(!value_to_bool(&json!("false")));
        assert!(!value_to_bool(&json!(null)));
    }

    /// What the adapter did before `decimal_to_i64`: the standard float parser, then `as`.
    fn through_f64(text: &str) -> Option<i64> {
        float_to_i64(text.parse::<f64>().ok()?)
    }

    #[test]
    fn numbers_in_text_read_as_the_float_parser_read_them() {
        let odd_forms = "30.9 -30.9 +30.9 .5 -.5 7. -7. 0 -0 0.0 -0.0 00012.300 1e3 1E3 1e+3 1.5e-3 -1.5e3 12.5e1 \
            125e-1 1e18 8.9e18 9e18 -9e18 1e19 1e-99999 1e99999999999999999999999 0e99999999999999999999999 0.000e5 \
            123456789012345e3 12345678901234567e1 9007199254740993 9007199254740993e0 8999999999999999999.0 . + - e5 \
            .e5 1e 1e+ 1e- 1e5e5 1.2.3 --1 -+1 +-1 1_0 0x10 inf -inf Infinity NaN nan 1.5x x1 \u{661}\u{662}";
        for text in odd_forms.split_whitespace().chain(["", "1 2"]) {
            assert_eq!(decimal_to_i64(text), through_f64(text), "{text:?}");
        }
    }

    #[test]
    fn a_fraction_is_cut_from_the_exact_decimal() {
        assert_eq!(decimal_to_i64("4503599627370497.5"), Some(4_503_599_627_370_497));
        assert_eq!(through_f64("4503599627370497.5"), Some(4_503_599_627_370_498));
        assert_eq!(decimal_to_i64("-416479405979075023.19e0"), Some(-416_479_405_979_075_023));
        assert_eq!(decimal_to_i64("2.99999999999999999999"), Some(2));
        assert_eq!(decimal_to_i64("0.1e1"), Some(1));
        assert_eq!(decimal_to_i64("8999999999999999999.5"), Some(8_999_999_999_999_999_999));
    }

    /// Every number of up to 15 significant digits, with or without a point and an exponent,
    /// and any text made of the characters numbers are written with: the same answer as the
    /// standard parser. With more digits, a fraction is cut exactly where the `f64` had rounded
    /// it first: never further apart than the `f64`'s precision at that size.
    #[test]
    fn generated_numbers_in_text_read_as_the_float_parser_read_them() {
        let mut rng = fastrand::Rng::with_seed(0x1e21_e27a);
        let digits = |rng: &mut fastrand::Rng, n: usize| (0..n).map(|_| rng.digit(10)).collect::<String>();
        for case in 0..300_000 {
            let text = if case % 5 == 0 {
                (0..rng.usize(0..8))
                    .map(|_| *rng.choice(b"0123456789.eE+-x ".iter()).unwrap_or(&b'0') as char)
                    .collect()
            } else {
                let sign = ["", "-", "+"][rng.usize(0..3)];
                let n = rng.usize(0..17);
                let whole = digits(&mut rng, n);
                let point = if rng.bool() { "." } else { "" };
                let n = rng.usize(0..17);
                let fraction = if point.is_empty() { String::new() } else { digits(&mut rng, n) };
                let exponent = match rng.usize(0..4) {
                    0 => format!("e{}", rng.i32(-25..25)),
                    1 => format!("E+{}", rng.u32(0..20)),
                    _ => String::new(),
                };
                format!("{sign}{whole}{point}{fraction}{exponent}")
            };
            let ours = decimal_to_i64(&text);
            let theirs = through_f64(&text);
            let significant = text
                .split(['e', 'E'])
                .next()
                .unwrap_or("")
                .bytes()
                .filter(u8::is_ascii_digit)
                .skip_while(|&b| b == b'0')
                .count();
            if significant <= 15 {
                assert_eq!(ours, theirs, "{text:?}");
            } else {
                match (ours, theirs) {
                    (Some(a), Some(b)) => {
                        #[allow(clippy::cast_precision_loss)]
                        let precision = (b as f64).abs() * f64::EPSILON;
                        #[allow(clippy::cast_precision_loss)]
                        let apart = a.abs_diff(b) as f64;
                        assert!(apart <= precision + 1.0, "{text:?}: {a} / {b}");
                    }
                    (None, None) => {}
                    // Only at the edge of 9·10^18 may one refuse what the other reads.
                    (Some(x), None) | (None, Some(x)) => {
                        assert!(x.unsigned_abs() > 8_990_000_000_000_000_000, "{text:?}: {ours:?} / {theirs:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn depth_is_measured_without_recursion() {
        let mut v = json!(1);
        for _ in 0..10_000 {
            v = Value::Array(vec![v]);
        }
        assert!(nests_deeper_than(&v, 64));
        assert!(!nests_deeper_than(&json!({"a": [{"b": 1}]}), 64));
        // serde_json drops nested values recursively; unwind it by hand so the test itself
        // does not overflow.
        while let Value::Array(mut items) = v {
            v = items.pop().unwrap_or(Value::Null);
        }
    }
}
