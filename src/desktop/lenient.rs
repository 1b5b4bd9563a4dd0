//! Tolerant field deserialisers for Desktop SDK payloads: a field of the wrong JSON type becomes
//! its default instead of failing the whole event, numbers and booleans sent as strings (or the
//! reverse) are accepted, and map entries that do not fit are skipped. Nothing here may fail on
//! any JSON value, so that one odd field never costs the adapter a whole event.

use crate::flat::Map;
use crate::pii::Pii;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

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
            s.parse::<i64>().ok().or_else(|| float_to_i64(s.parse::<f64>().ok()?))
        }
        _ => None,
    }
}

fn float_to_i64(f: f64) -> Option<i64> {
    // `as` saturates; reject what would not be a meaningful integer.
    (f.is_finite() && f.abs() < 9.0e18).then_some(f as i64)
}

pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(scalar_to_string(&Value::deserialize(d)?).unwrap_or_default())
}

pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(scalar_to_string(&Value::deserialize(d)?))
}

pub(crate) fn opt_pii<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Pii<String>>, D::Error> {
    Ok(scalar_to_string(&Value::deserialize(d)?).map(Pii))
}

pub(crate) fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(value_to_bool(&Value::deserialize(d)?))
}

/// Like [`boolean`] but keeps "absent or not a boolean" apart from `false`.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(match &value {
        Value::Bool(_) | Value::String(_) | Value::Number(_) => Some(value_to_bool(&value)),
        _ => None,
    })
}

pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(value_to_i64(&Value::deserialize(d)?))
}

/// A list of strings; a lone scalar becomes a one-element list, non-scalars are dropped.
pub(crate) fn string_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items.iter().filter_map(scalar_to_string).collect(),
        other => scalar_to_string(&other).into_iter().collect(),
    })
}

/// A list of `T`; items that do not deserialise are skipped.
pub(crate) fn vec_of<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items.into_iter().filter_map(|item| crate::value_de::from_value(item).ok()).collect(),
        _ => Vec::new(),
    })
}

/// An object of `T`s; entries that do not deserialise are skipped, a non-object is empty.
pub(crate) fn map_of<'de, D, T>(d: D) -> Result<Map<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(d)? {
        Value::Object(entries) => {
            entries.into_iter().filter_map(|(k, v)| crate::value_de::from_value(v).ok().map(|t| (k, t))).collect()
        }
        _ => Map::new(),
    })
}

/// An object of scalars, each kept as redacted text; non-scalar entries are skipped.
pub(crate) fn pii_map<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Pii<String>>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(entries) => {
            entries.iter().filter_map(|(k, v)| scalar_to_string(v).map(|s| (k.clone(), Pii(s)))).collect()
        }
        _ => Map::new(),
    })
}

/// A nested object of type `T`, or `T::default()` when absent, null or of the wrong shape.
pub(crate) fn object_or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    Ok(crate::value_de::from_value(Value::deserialize(d)?).unwrap_or_default())
}

/// A nested object of type `T`, or `None` when absent, null or of the wrong shape.
pub(crate) fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(d)? {
        value @ Value::Object(_) => crate::value_de::from_value(value).ok(),
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
