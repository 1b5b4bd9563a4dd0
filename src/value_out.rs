//! Our types as `serde_json::Value`s (`#[derive(Write)]`, from the crate `wxcc-read-derive`):
//! what the widget stores (the engine's records, as text) and hands to JavaScript (the panel's
//! view, the status, diagnostics). The value is the one serde's derived `Serialize` makes, keys in
//! the same order, so the text is the same byte for byte (src/engine/read_parity_tests.rs holds them to
//! it). Written for the widget's size (issue 15): serde's derived code is instantiated for every
//! serializer a type meets (serde_json's text writer, serde-wasm-bindgen at the JS boundary);
//! this is one function per type, and the boundary converts only `Value`s.

use serde_json::{Map, Value};
pub use wxcc_read_derive::Write;

/// A type written as a `Value` (see the module).
pub trait Write {
    fn write(&self) -> Value;
}

/// `value` as JSON text, as `serde_json::to_string` writes it.
pub fn text<T: Write + ?Sized>(value: &T) -> String {
    value.write().to_string()
}

/// A struct's object, its keys in the order they are put.
#[derive(Default)]
pub struct Object(Map<String, Value>);

impl Object {
    pub fn put(&mut self, key: &'static str, value: Value) {
        self.0.insert(key.to_owned(), value);
    }
}

impl From<Object> for Value {
    fn from(object: Object) -> Value {
        Value::Object(object.0)
    }
}

/// An externally tagged variant with content: `{"Name": content}`.
pub fn tagged(name: &'static str, content: Value) -> Value {
    let mut object = Object::default();
    object.put(name, content);
    object.into()
}

/// An adjacently tagged variant: `{tag: "name"}`, with `content` under its key when there is one.
pub fn adjacent(tag: &'static str, name: &'static str, content: Option<(&'static str, Value)>) -> Value {
    let mut object = Object::default();
    object.put(tag, Value::String(name.to_owned()));
    if let Some((key, content)) = content {
        object.put(key, content);
    }
    object.into()
}

impl Write for Value {
    fn write(&self) -> Value {
        self.clone()
    }
}

impl Write for bool {
    fn write(&self) -> Value {
        Value::Bool(*self)
    }
}

impl Write for str {
    fn write(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl Write for String {
    fn write(&self) -> Value {
        Value::String(self.clone())
    }
}

macro_rules! write_integers {
    ($($t:ty),*) => {$(
        impl Write for $t {
            fn write(&self) -> Value {
                Value::Number((*self).into())
            }
        }
    )*};
}
write_integers!(u8, u16, u32, u64, usize, i32, i64);

impl<T: Write + ?Sized> Write for &T {
    fn write(&self) -> Value {
        (**self).write()
    }
}

impl<T: Write> Write for Option<T> {
    fn write(&self) -> Value {
        match self {
            Some(value) => value.write(),
            None => Value::Null,
        }
    }
}

impl<T: Write> Write for [T] {
    fn write(&self) -> Value {
        Value::Array(self.iter().map(Write::write).collect())
    }
}

impl<T: Write> Write for Vec<T> {
    fn write(&self) -> Value {
        self.as_slice().write()
    }
}

impl<T: Write> Write for std::collections::VecDeque<T> {
    fn write(&self) -> Value {
        Value::Array(self.iter().map(Write::write).collect())
    }
}

impl<A: Write, B: Write> Write for (A, B) {
    fn write(&self) -> Value {
        Value::Array(vec![self.0.write(), self.1.write()])
    }
}

impl<A: Write, B: Write, C: Write> Write for (A, B, C) {
    fn write(&self) -> Value {
        Value::Array(vec![self.0.write(), self.1.write(), self.2.write()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value_de::tests::Shape;
    use serde::Serialize;
    use serde_json::json;

    /// As the widget's status (src/web/view.rs, wasm only): adjacently tagged.
    #[derive(Serialize, Write)]
    #[serde(rename_all = "camelCase", tag = "state", content = "detail")]
    enum Status {
        Starting,
        AlsoPassive,
        Failed(String),
        Detailed { why: String, code: u32 },
    }

    #[derive(Serialize, Write)]
    #[serde(transparent)]
    struct Wrapped(String);

    #[derive(Serialize, Write)]
    #[serde(rename_all = "camelCase")]
    struct Everything {
        first_field: i64,
        #[serde(skip)]
        _skipped: u8,
        #[serde(skip_serializing)]
        _not_written: bool,
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        empty: Vec<u8>,
        shapes: Vec<Shape>,
        statuses: Vec<Status>,
        pair: (Option<String>, std::collections::VecDeque<usize>),
        triple: (bool, u64, Wrapped),
        any: Value,
    }

    #[test]
    fn derived_writers_write_as_serde_does() {
        let all = Everything {
            first_field: -3,
            _skipped: 1,
            _not_written: true,
            kind: "t\"q\u{1}é",
            empty: Vec::new(),
            shapes: vec![
                Shape::FirstKind,
                Shape::Other,
                Shape::Boxed(4),
                Shape::WithData { call_id: 1, note: None },
                Shape::WithData { call_id: 2, note: Some("n".into()) },
            ],
            statuses: vec![
                Status::Starting,
                Status::AlsoPassive,
                Status::Failed("no".into()),
                Status::Detailed { why: "w".into(), code: 7 },
            ],
            pair: (None, [1, 2].into_iter().collect()),
            triple: (true, u64::MAX, Wrapped("w".into())),
            any: json!({"b": [1, -1, 1.5, null], "a": {}}),
        };
        assert_eq!(text(&all), serde_json::to_string(&all).expect("serde"));
        assert_eq!(all.write(), serde_json::to_value(&all).expect("serde"));
        assert_eq!(Status::Failed("x".into()).write(), json!({"state": "failed", "detail": "x"}));
    }
}
