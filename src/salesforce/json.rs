//! Small tolerant readers over `serde_json::Value` shared by the Open CTI types: text from
//! strings or numbers, booleans from `true`/`"true"`, objects that may be missing. None of them
//! fail or panic.

use serde_json::{Map, Value};

/// Text of a string, number or boolean field; `None` when absent, null or structured.
pub(crate) fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// [`text`] but empty / whitespace-only text counts as absent.
pub(crate) fn non_empty_text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    text(obj, key).filter(|s| !s.trim().is_empty())
}

/// The first key of `keys` that holds non-empty text.
pub(crate) fn first_text(obj: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| non_empty_text(obj, k))
}

/// `true`, `"true"` (any case), `"1"` and non-zero numbers are true; `None` when absent or other.
pub(crate) fn flag(obj: &Map<String, Value>, key: &str) -> Option<bool> {
    match obj.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => {
            let s = s.trim();
            if s.eq_ignore_ascii_case("true") || s == "1" {
                Some(true)
            } else if s.eq_ignore_ascii_case("false") || s == "0" || s.is_empty() {
                Some(false)
            } else {
                None
            }
        }
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        _ => None,
    }
}

/// The object at `key`, if it is one.
pub(crate) fn object<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Map<String, Value>> {
    match obj.get(key)? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A value that may arrive as JSON text: a string holding an object or array is parsed.
pub(crate) fn unstringify(value: &Value) -> Option<Value> {
    match value {
        Value::String(s) => {
            let trimmed = s.trim_start();
            if trimmed.starts_with('{') || trimmed.starts_with('[') {
                serde_json::from_str(s).ok()
            } else {
                None
            }
        }
        _ => None,
    }
}
