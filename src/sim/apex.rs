//! The Apex methods FakeOrg knows, answered as `runApex` would: the method's return value is
//! always a string (JSON text for structured answers). Only what the adapter ships in
//! `salesforce/` is modelled; anything else is a `GENERIC_ERROR`, as for a missing class.

use serde_json::{json, Map, Value};

/// `methodParams` as a list of `(name, value)` pairs, in order.
///
/// Open CTI passes an `&`-joined `name=value` string; `%XX` escapes are decoded when they form
/// valid UTF-8 (otherwise the text is kept as typed). A JSON object is tolerated too.
pub(crate) fn parse_method_params(params: Option<&Value>) -> Vec<(String, String)> {
    match params {
        Some(Value::String(s)) => s
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(name), percent_decode(value))
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), text)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The first value of parameter `name` (exact name first, then case-insensitive).
pub(crate) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .or_else(|| params.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
        .map(|(_, v)| v.as_str())
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = (b == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(decoded) => {
                out.push(decoded);
                i += 3;
            }
            None => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// The JSON text `findTaskByCallObject` returns for a Task: its Id, WhatId and OwnerId, plus
/// the `fields` asked for (e.g. the notes field, for merging notes of several agents).
pub(crate) fn task_summary(task: &Map<String, Value>, fields: &[&str]) -> String {
    let pick = |name: &str| task.get(name).cloned().unwrap_or(Value::Null);
    let mut out = json!({"Id": pick("Id"), "WhatId": pick("WhatId"), "OwnerId": pick("OwnerId")});
    if let Some(map) = out.as_object_mut() {
        for field in fields {
            map.insert((*field).to_string(), pick(field));
        }
    }
    out.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_params_split_on_ampersand_and_equals() {
        let p = parse_method_params(Some(&json!("callObject=abc-1&x=&flag")));
        assert_eq!(
            p,
            vec![("callObject".into(), "abc-1".into()), ("x".into(), String::new()), ("flag".into(), String::new())]
        );
        assert_eq!(param(&p, "CALLOBJECT"), Some("abc-1"));
        assert_eq!(param(&p, "missing"), None);
    }

    #[test]
    fn method_params_tolerate_percent_encoding_and_bad_escapes() {
        let p = parse_method_params(Some(&json!("callObject=a%2Fb%3Dc&bad=100%&odd=%zz%e2%82%ac")));
        assert_eq!(param(&p, "callObject"), Some("a/b=c"));
        assert_eq!(param(&p, "bad"), Some("100%"));
        assert_eq!(param(&p, "odd"), Some("%zz€"));
        let invalid_utf8 = parse_method_params(Some(&json!("v=%ff")));
        assert_eq!(param(&invalid_utf8, "v"), Some("%ff"));
    }

    #[test]
    fn method_params_accept_an_object() {
        let p = parse_method_params(Some(&json!({"callObject": "abc", "n": 3})));
        assert_eq!(param(&p, "callObject"), Some("abc"));
        assert_eq!(param(&p, "n"), Some("3"));
        assert!(parse_method_params(None).is_empty());
        assert!(parse_method_params(Some(&json!(5))).is_empty());
    }
}
