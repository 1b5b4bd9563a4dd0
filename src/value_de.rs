//! Typed values out of a `serde_json::Value`, like `serde_json::from_value`, without the array
//! form of structs.
//!
//! Written here for the widget's size: `serde_json`'s `Value` deserializer accepts a struct as
//! an array of its fields too, so every derived struct pulls in a second visitor (`visit_seq`)
//! that nothing we read ever uses (about 48 KB of the widget's wasm before compression, measured
//! with twiggy). Here a struct is read from an object only; everything else behaves as
//! `serde_json::from_value` does (numbers, options, externally tagged enums, maps with text keys,
//! sequences and tuples, whose extra elements are refused). Errors come out as serde_json's.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Number, Value};
use std::fmt;

/// `value` as a `T`; a struct must be an object.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    T::deserialize(De(value)).map_err(|Error(message)| de::Error::custom(*message))
}

/// The deserializer's own error: serde's messages, except that a value of the wrong type is
/// described here and not by `Unexpected`'s `Display`, which prints floats and so brings all of
/// `core`'s float formatting into the widget (about 7 KB gzip, issue 15). A float is named
/// without its digits; every other description is serde's (JSON's `null` for a unit, as
/// serde_json says it). Boxed, one pointer wide like serde_json's: every `Result` of every
/// derived visitor carries it, and a wider error makes all of them larger.
#[derive(Debug)]
#[allow(clippy::box_collection)] // on purpose: one pointer wide (above)
struct Error(Box<String>);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(Box::new(message.to_string()))
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Error(Box::new(format!("invalid type: {}, expected {expected}", Described(unexpected))))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Error(Box::new(format!("invalid value: {}, expected {expected}", Described(unexpected))))
    }
}

struct Described<'a>(Unexpected<'a>);

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(n) => write!(f, "integer `{n}`"),
            Unexpected::Signed(n) => write!(f, "integer `{n}`"),
            Unexpected::Float(_) => f.write_str("floating point number"),
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string {s:?}"),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}

struct De(Value);

/// What a value is, for an error message (numbers without their digits: no float formatting).
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(_) => Unexpected::Other("number"),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

fn seq<'de, V: Visitor<'de>>(items: Vec<Value>, visitor: V) -> Result<V::Value, Error> {
    let len = items.len();
    let mut access = Seq(items.into_iter());
    let out = visitor.visit_seq(&mut access)?;
    if access.0.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in array"))
    }
}

fn map<'de, V: Visitor<'de>>(entries: Map<String, Value>, visitor: V) -> Result<V::Value, Error> {
    visitor.visit_map(Entries { iter: entries.into_iter(), value: None })
}

/// A struct's fields: see [`Fields`].
fn fields<'de, V: Visitor<'de>>(
    entries: Map<String, Value>,
    names: &'static [&'static str],
    visitor: V,
) -> Result<V::Value, Error> {
    visitor.visit_map(Fields { iter: entries.into_iter(), names, value: None })
}

impl<'de> de::Deserializer<'de> for De {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => number(&n, visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => seq(items, visitor),
            Value::Object(entries) => map(entries, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(De(other)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        names: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(entries) => fields(entries, names, visitor),
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(variant) => visitor.visit_enum(Variant { name: variant, variants, value: None }),
            Value::Object(entries) if entries.len() == 1 => match entries.into_iter().next() {
                Some((name, value)) => visitor.visit_enum(Variant { name, variants, value: Some(value) }),
                None => Err(de::Error::invalid_value(Unexpected::Map, &"a map with a single key")),
            },
            other => Err(de::Error::invalid_type(unexpected(&other), &"a variant name or a map with a single key")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map identifier
    }
}

struct Seq(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Seq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(De(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries {
    iter: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(IntoDeserializer::<Error>::into_deserializer(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        value_after_key(&mut self.value, seed)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// The value of the key just handed over (by `Entries` or `Fields`).
fn value_after_key<'de, V: DeserializeSeed<'de>>(slot: &mut Option<Value>, seed: V) -> Result<V::Value, Error> {
    match slot.take() {
        Some(value) => seed.deserialize(De(value)),
        None => Err(de::Error::custom("a map value was asked for before its key")),
    }
}

/// A struct's entries, each key handed to the struct's field visitor as the position of its name
/// in the struct's field names (serde's derived field visitors take a position as well as a
/// name, in that order). The names are matched here, once, rather than by a string comparison
/// chain in every derived struct's visitor, which is then left out of the wasm (issue 15, size).
/// A key that names no field is skipped with its value, as the derived visitors ignore it.
struct Fields {
    iter: serde_json::map::IntoIter,
    names: &'static [&'static str],
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        for (key, value) in self.iter.by_ref() {
            if let Some(at) = self.names.iter().position(|name| *name == key) {
                self.value = Some(value);
                return seed.deserialize(Position(at as u64)).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        value_after_key(&mut self.value, seed)
    }
}

/// A field's or a variant's position in its list of names (see [`Fields`]).
struct Position(u64);

impl<'de> de::Deserializer<'de> for Position {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_u64(self.0)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// An enum's variant: its name (among the enum's `variants`), and its content when it came as
/// `{"Name": content}`. Handed over by position, as struct fields are (see [`Fields`]).
struct Variant {
    name: String,
    variants: &'static [&'static str],
    value: Option<Value>,
}

impl<'de> EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Content;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Content), Error> {
        let Some(at) = self.variants.iter().position(|v| *v == self.name) else {
            return Err(de::Error::unknown_variant(&self.name, self.variants));
        };
        let variant = seed.deserialize(Position(at as u64))?;
        Ok((variant, Content(self.value)))
    }
}

struct Content(Option<Value>);

impl<'de> VariantAccess<'de> for Content {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.0 {
            Some(value) => seed.deserialize(De(value)),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(Value::Array(items)) => seq(items, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"tuple variant")),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, names: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(Value::Object(entries)) => fields(entries, names, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"struct variant")),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"struct variant")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Inner {
        n: i64,
        #[serde(default)]
        tag: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Kind {
        Plain,
        Wrapped(u32),
        Pair(String, bool),
        Named { x: f64 },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Outer {
        inner: Inner,
        kinds: Vec<Kind>,
        pairs: Vec<((String, u8), Inner)>,
        by_name: BTreeMap<String, u64>,
        maybe: Option<Box<Outer>>,
    }

    #[test]
    fn reads_what_serde_json_reads_from_objects() {
        let v = json!({
            "inner": {"n": -3, "unknown": [1, 2]},
            "kinds": ["Plain", {"Wrapped": 7}, {"Pair": ["a", true]}, {"Named": {"x": 1.5}}],
            "pairs": [[["k", 2], {"n": 1, "tag": "t"}]],
            "by_name": {"a": 1, "b": 2},
            "maybe": null
        });
        let ours: Outer = from_value(v.clone()).expect("ours");
        let theirs: Outer = serde_json::from_value(v).expect("serde_json");
        assert_eq!(ours, theirs);
        let any: Value = from_value(json!({"a": [1, -1, 1.5, "x", null, true]})).expect("value");
        assert_eq!(any, json!({"a": [1, -1, 1.5, "x", null, true]}));
    }

    #[test]
    fn refuses_a_struct_as_an_array_and_extra_tuple_elements() {
        assert!(from_value::<Inner>(json!([1, null])).is_err());
        assert!(serde_json::from_value::<Inner>(json!([1, null])).is_ok(), "serde_json's array form, dropped here");
        assert!(from_value::<(u8, u8)>(json!([1, 2, 3])).is_err());
        assert!(from_value::<Kind>(json!({"Plain": null, "Other": 1})).is_err());
        assert!(from_value::<Inner>(json!({"n": "3"})).is_err());
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    enum Mode {
        FirstOne,
        #[serde(rename = "OTHER")]
        Other,
        WithData {
            call_id: u8,
        },
    }

    #[derive(Debug, PartialEq, Default, Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    struct Renamed {
        first_field: String,
        #[serde(skip)]
        skipped: u8,
        #[serde(rename = "type")]
        kind: String,
        second_field: Option<u32>,
        #[serde(skip_deserializing)]
        not_read: bool,
        modes: Vec<Mode>,
        last: i64,
    }

    /// Fields and variants go by position (`Fields`, `Variant`): renames, skipped fields,
    /// defaults, keys in any order and keys that name no field come out as serde_json reads them.
    #[test]
    fn fields_and_variants_by_position_read_as_serde_json_reads_them() {
        let v = json!({
            "last": -4, "unknown": {"deep": [1]}, "type": "t", "modes": ["firstOne", "OTHER", {"withData": {"call_id": 7}}],
            "firstField": "a", "skipped": 9, "notRead": true, "secondField": 3
        });
        let ours: Renamed = from_value(v.clone()).expect("ours");
        let theirs: Renamed = serde_json::from_value(v).expect("serde_json");
        assert_eq!(ours, theirs);
        assert_eq!(ours.modes, vec![Mode::FirstOne, Mode::Other, Mode::WithData { call_id: 7 }]);
        assert_eq!((ours.skipped, ours.not_read), (0, false));
        let unknown = json!({"modes": ["Other"]});
        assert_eq!(
            from_value::<Renamed>(unknown.clone()).err().map(|e| e.to_string()),
            serde_json::from_value::<Renamed>(unknown).err().map(|e| e.to_string())
        );
    }

    /// serde_json's words for what did not fit, but a float is named without its digits.
    #[test]
    fn says_what_did_not_fit_as_serde_json_says_it() {
        let message =
            |v: Value| from_value::<Inner>(json!({ "n": v })).err().map(|e| e.to_string()).unwrap_or_default();
        for v in [json!("3"), json!(true), json!(null), json!([1]), json!({"a": 1}), json!(u64::MAX)] {
            let theirs = serde_json::from_value::<Inner>(json!({ "n": v.clone() })).err().map(|e| e.to_string());
            assert_eq!(Some(message(v)), theirs);
        }
        assert_eq!(message(json!(1.5)), "invalid type: floating point number, expected i64");
        assert_eq!(
            from_value::<Kind>(json!({"Plain": 1})).err().map(|e| e.to_string()).unwrap_or_default(),
            "invalid type: number, expected unit variant"
        );
    }
}
