//! Typed values out of a `serde_json::Value`, like `serde_json::from_value`, without the array
//! form of structs: [`from_value`], a serde `Deserializer`, and [`read`], for the types that
//! derive [`Read`] (every type the widget reads: the desktop's events and agent state, the
//! engine's stored records, the loader's options).
//!
//! Written here for the widget's size: `serde_json`'s `Value` deserializer accepts a struct as
//! an array of its fields too, so every derived struct pulls in a second visitor (`visit_seq`)
//! that nothing we read ever uses (about 48 KB of the widget's wasm before compression, measured
//! with twiggy). Here a struct is read from an object only; everything else behaves as
//! `serde_json::from_value` does (numbers, options, externally tagged enums, maps with text keys,
//! sequences and tuples, whose extra elements are refused). Errors come out as serde_json's.
//! `#[derive(Read)]` (derive/) goes further: the same answers and messages as serde's derived
//! code through [`from_value`], without its per-struct state machine (61.8 KB less wasm).

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Number, Value};
use std::fmt;
pub use wxcc_read_derive::Read;

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
pub struct Error(Box<String>);

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

/// A type read straight from a `Value` (`#[derive(Read)]`, from the crate `wxcc-read-derive`):
/// the same answer and the same error message as its derived `Deserialize` through
/// [`from_value`], in a fraction of the code (issue 15, size; see the derive's documentation).
pub trait Read: Sized {
    fn read(value: &Value) -> Result<Self, Error>;

    /// A struct field without a value and without a default: serde's error, but `None` for an
    /// `Option`, as serde's derived code gives.
    fn missing(name: &'static str) -> Result<Self, Error> {
        Err(de::Error::missing_field(name))
    }
}

/// `value` as a `T` that derives [`Read`]; errors as [`from_value`]'s.
pub fn read<T: Read>(value: &Value) -> Result<T, serde_json::Error> {
    T::read(value).map_err(|Error(message)| de::Error::custom(*message))
}

/// What `deserialize_any` hands a visitor, for the error of a visitor that does not take it.
fn described_as_any(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            (None, None) => Unexpected::Float(0.0),
        },
        other => unexpected(other),
    }
}

fn wrong_type(value: &Value, expected: &str) -> Error {
    de::Error::invalid_type(described_as_any(value), &expected)
}

/// A struct's object, or serde's error naming what came instead.
pub fn object<'a>(value: &'a Value, expecting: &str) -> Result<&'a Map<String, Value>, Error> {
    match value {
        Value::Object(entries) => Ok(entries),
        other => Err(de::Error::invalid_type(unexpected(other), &expecting)),
    }
}

/// A struct's entries, the names of its fields that are read (in declaration order), and the
/// first error met reading them in that order.
pub struct Object<'a> {
    entries: &'a Map<String, Value>,
    names: &'static [&'static str],
    error: Option<Error>,
}

impl<'a> Object<'a> {
    pub fn new(entries: &'a Map<String, Value>, names: &'static [&'static str]) -> Self {
        Object { entries, names, error: None }
    }

    fn name(&self, at: usize) -> &'static str {
        self.names.get(at).copied().unwrap_or_default()
    }

    #[inline(never)] // one lookup shared by every field of every reader (size)
    fn get(&self, at: usize) -> Option<&'a Value> {
        self.entries.get(self.name(at))
    }

    /// `None`, noting `error` when it is the first.
    fn failed<T>(&mut self, error: Error) -> Option<T> {
        self.error.get_or_insert(error);
        None
    }

    fn noted<T>(&mut self, read: Result<T, Error>) -> Option<T> {
        match read {
            Ok(read) => Some(read),
            Err(e) => self.failed(e),
        }
    }

    /// Field `at`, read; left out, `T`'s answer for a missing field.
    pub fn field<T: Read>(&mut self, at: usize) -> Option<T> {
        let read = match self.get(at) {
            Some(value) => T::read(value),
            None => T::missing(self.name(at)),
        };
        self.noted(read)
    }

    /// Field `at`, read; left out, `T`'s default.
    pub fn field_or_default<T: Read + Default>(&mut self, at: usize) -> Option<T> {
        match self.get(at) {
            Some(value) => self.noted(T::read(value)),
            None => Some(T::default()),
        }
    }

    /// Field `at`, read; left out, `default`.
    pub fn field_or<T: Read>(&mut self, at: usize, default: T) -> Option<T> {
        match self.get(at) {
            Some(value) => self.noted(T::read(value)),
            None => Some(default),
        }
    }

    /// Field `at` through its `deserialize_with` function (one of `desktop::lenient`'s, which
    /// take any value); `None` when it is left out.
    pub(crate) fn with<T>(
        &self,
        at: usize,
        read: fn(crate::desktop::lenient::Given<'a>) -> Result<T, std::convert::Infallible>,
    ) -> Option<T> {
        self.get(at).map(|value| match read(crate::desktop::lenient::Given(value)) {
            Ok(read) => read,
            Err(never) => match never {},
        })
    }

    /// As [`Object::with`], for a field that has no default: left out, it is missing.
    #[allow(dead_code)] // what the derive writes for such a field; the crate has none today
    pub(crate) fn with_required<T>(
        &mut self,
        at: usize,
        read: fn(crate::desktop::lenient::Given<'a>) -> Result<T, std::convert::Infallible>,
    ) -> Option<T> {
        match self.with(at, read) {
            Some(read) => Some(read),
            None => self.failed(de::Error::missing_field(self.name(at))),
        }
    }

    /// The error serde's derived code meets first. It reads the entries in the object's order,
    /// so it is the first entry that `check` refuses; when every entry reads, the error was a
    /// missing field, and serde names the first in declaration order, as it was noted here.
    pub fn error(self, check: fn(usize, &Value) -> Option<Error>) -> Error {
        let names = self.names;
        self.entries
            .iter()
            .find_map(|(key, value)| check(names.iter().position(|name| name == key)?, value))
            .or(self.error)
            .unwrap_or_else(|| de::Error::custom("a field could not be read"))
    }
}

/// An externally tagged enum's variant (its position in `variants`) and its content.
pub fn variant<'a>(value: &'a Value, variants: &'static [&'static str]) -> Result<(usize, Option<&'a Value>), Error> {
    let (name, content) = match value {
        Value::String(name) => (name, None),
        Value::Object(entries) if entries.len() == 1 => match entries.iter().next() {
            Some((name, content)) => (name, Some(content)),
            None => return Err(de::Error::invalid_value(Unexpected::Map, &"a map with a single key")),
        },
        other => return Err(de::Error::invalid_type(unexpected(other), &"a variant name or a map with a single key")),
    };
    match variants.iter().position(|v| v == name) {
        Some(at) => Ok((at, content)),
        None => Err(de::Error::unknown_variant(name, variants)),
    }
}

pub fn unit_variant(content: Option<&Value>) -> Result<(), Error> {
    match content {
        None | Some(Value::Null) => Ok(()),
        Some(other) => Err(de::Error::invalid_type(unexpected(other), &"unit variant")),
    }
}

pub fn newtype_variant<T: Read>(content: Option<&Value>) -> Result<T, Error> {
    match content {
        Some(value) => T::read(value),
        None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"newtype variant")),
    }
}

pub fn struct_variant(content: Option<&Value>) -> Result<&Map<String, Value>, Error> {
    match content {
        Some(Value::Object(entries)) => Ok(entries),
        Some(other) => Err(de::Error::invalid_type(unexpected(other), &"struct variant")),
        None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"struct variant")),
    }
}

/// A position past the variants: never made by [`variant`], but an error rather than a panic.
pub fn no_such_variant() -> Error {
    de::Error::custom("no such variant")
}

impl Read for Value {
    fn read(value: &Value) -> Result<Self, Error> {
        Ok(value.clone())
    }
}

impl Read for bool {
    fn read(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => Err(wrong_type(other, "a boolean")),
        }
    }
}

impl Read for String {
    fn read(value: &Value) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s.clone()),
            other => Err(wrong_type(other, "a string")),
        }
    }
}

/// An integer as serde's primitive visitors take it: out of range is an invalid value, a float
/// or anything else an invalid type.
fn integer<T: TryFrom<u64> + TryFrom<i64>>(value: &Value, expected: &str) -> Result<T, Error> {
    let Value::Number(n) = value else { return Err(wrong_type(value, expected)) };
    if let Some(u) = n.as_u64() {
        T::try_from(u).map_err(|_| de::Error::invalid_value(Unexpected::Unsigned(u), &expected))
    } else if let Some(i) = n.as_i64() {
        T::try_from(i).map_err(|_| de::Error::invalid_value(Unexpected::Signed(i), &expected))
    } else {
        Err(wrong_type(value, expected))
    }
}

macro_rules! read_integers {
    ($($t:ty),*) => {$(
        impl Read for $t {
            fn read(value: &Value) -> Result<Self, Error> {
                integer(value, stringify!($t))
            }
        }
    )*};
}
read_integers!(u8, u16, u32, u64, usize, i32, i64);

impl<T: Read> Read for Option<T> {
    fn read(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Null => Ok(None),
            other => T::read(other).map(Some),
        }
    }

    fn missing(_: &'static str) -> Result<Self, Error> {
        Ok(None)
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Array(items) => items.iter().map(T::read).collect(),
            other => Err(wrong_type(other, "a sequence")),
        }
    }
}

impl<T: Read> Read for std::collections::VecDeque<T> {
    fn read(value: &Value) -> Result<Self, Error> {
        Vec::read(value).map(Into::into)
    }
}

/// A tuple's elements: serde reads them in order, then refuses a short array (by the position of
/// the first missing element) and, here as in [`seq`], a long one.
fn tuple<'a>(value: &'a Value, expected: &str) -> Result<&'a [Value], Error> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(wrong_type(other, expected)),
    }
}

fn element<T: Read>(items: &[Value], at: usize, expected: &str) -> Result<T, Error> {
    match items.get(at) {
        Some(item) => T::read(item),
        None => Err(de::Error::invalid_length(at, &expected)),
    }
}

fn no_more(items: &[Value], size: usize) -> Result<(), Error> {
    if items.len() > size {
        Err(de::Error::invalid_length(items.len(), &"fewer elements in array"))
    } else {
        Ok(())
    }
}

impl<A: Read, B: Read> Read for (A, B) {
    fn read(value: &Value) -> Result<Self, Error> {
        const EXPECTED: &str = "a tuple of size 2";
        let items = tuple(value, EXPECTED)?;
        let out = (element(items, 0, EXPECTED)?, element(items, 1, EXPECTED)?);
        no_more(items, 2).map(|()| out)
    }
}

impl<A: Read, B: Read, C: Read> Read for (A, B, C) {
    fn read(value: &Value) -> Result<Self, Error> {
        const EXPECTED: &str = "a tuple of size 3";
        let items = tuple(value, EXPECTED)?;
        let out = (element(items, 0, EXPECTED)?, element(items, 1, EXPECTED)?, element(items, 2, EXPECTED)?);
        no_more(items, 3).map(|()| out)
    }
}

/// A map's object, or serde's error naming what came instead.
pub fn map_entries(value: &Value) -> Result<&Map<String, Value>, Error> {
    match value {
        Value::Object(entries) => Ok(entries),
        other => Err(wrong_type(other, "an object")),
    }
}

/// A map's key, read as serde reads it: as a string value.
pub fn key<K: Read>(key: &str) -> Result<K, Error> {
    K::read(&Value::String(key.to_owned()))
}

#[cfg(test)]
pub(crate) mod tests {
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

    /// An enum of every variant kind, renamed: read here, written in value_out's test.
    #[derive(Debug, PartialEq, serde::Serialize, Deserialize, Read, crate::value_out::Write)]
    #[serde(rename_all = "kebab-case")]
    pub(crate) enum Shape {
        FirstKind,
        #[serde(rename = "OTHER")]
        Other,
        Boxed(u32),
        WithData {
            call_id: u8,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            note: Option<String>,
        },
    }

    /// A container default that is not the fields' own defaults: a missing field takes the
    /// container's.
    #[derive(Debug, PartialEq, serde::Serialize, Deserialize, Read)]
    #[serde(default, rename_all = "camelCase")]
    struct OwnDefault {
        count: u32,
        #[serde(skip)]
        skipped: String,
        #[serde(rename = "type")]
        kind: String,
        shapes: Vec<Shape>,
        pair: (i64, bool),
        #[serde(deserialize_with = "crate::desktop::lenient::opt_i64")]
        lenient: Option<i64>,
    }

    impl Default for OwnDefault {
        fn default() -> Self {
            OwnDefault {
                count: 7,
                skipped: "kept".into(),
                kind: "plain".into(),
                shapes: vec![Shape::Other],
                pair: (-1, true),
                lenient: Some(3),
            }
        }
    }

    #[derive(Debug, PartialEq, serde::Serialize, Deserialize, Read)]
    struct Strict {
        id: u64,
        small: u8,
        signed: i32,
        maybe: Option<String>,
        #[serde(default)]
        defaulted: bool,
        own: OwnDefault,
        #[serde(deserialize_with = "crate::desktop::lenient::string")]
        required_lenient: String,
    }

    /// `#[derive(Read)]` against serde's derived code on the attributes the crate's types do not
    /// all use (the engine's and desktop's types are compared in src/engine/read_parity_tests.rs).
    #[test]
    fn derived_readers_read_as_serde_does() {
        let cases = [
            json!({"id": 1, "small": 2, "signed": -3, "own": {}, "required_lenient": 5}),
            json!({"id": 1, "small": 256, "signed": -3, "own": {}, "required_lenient": 5}),
            json!({"small": 1.5, "id": -1, "signed": "x", "own": {}}),
            json!({"id": 1, "small": 2, "signed": 4294967296_u64, "own": {}}),
            json!({"id": 1, "small": 2, "signed": 0, "own": []}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"count": 2, "skipped": "no", "type": "t", "pair": [1, false]}, "required_lenient": null}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"pair": [1]}, "required_lenient": ""}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"pair": [1, true, 3]}, "required_lenient": ""}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"pair": {"a": 1}}, "required_lenient": ""}),
            json!({"id": 1, "small": 2, "signed": 0, "maybe": null, "defaulted": "yes", "own": {}, "required_lenient": ""}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"lenient": "42", "shapes": ["first-kind", "OTHER", {"boxed": 4}, {"with-data": {"call_id": 1}}]}, "required_lenient": true}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"shapes": ["other"]}, "required_lenient": 1}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"shapes": [{"boxed": null}]}, "required_lenient": 1}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"shapes": ["boxed"]}, "required_lenient": 1}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"shapes": [{"first-kind": 1}]}, "required_lenient": 1}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"shapes": [{"with-data": 1}]}, "required_lenient": 1}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"shapes": ["with-data"]}, "required_lenient": 1}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"shapes": [{"with-data": {}}]}, "required_lenient": 1}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"shapes": [{"OTHER": null, "x": 1}]}, "required_lenient": 1}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"shapes": [7]}, "required_lenient": 1}),
            json!({"id": 1, "small": 2, "signed": 0, "own": {"shapes": {}}, "required_lenient": 1}),
            json!([1, 2]),
            json!("Strict"),
            json!(null),
            json!({}),
        ];
        for v in cases {
            let theirs = from_value::<Strict>(v.clone()).map_err(|e| e.to_string());
            let ours = read::<Strict>(&v).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{v}");
        }
        let missing_lenient = json!({"id": 1, "small": 2, "signed": 0, "own": {}});
        assert_eq!(
            read::<Strict>(&missing_lenient).map_err(|e| e.to_string()),
            Err("missing field `required_lenient`".to_string())
        );
        let defaults = read::<OwnDefault>(&json!({"type": "t"})).expect("defaults");
        assert_eq!((defaults.count, defaults.skipped.as_str(), defaults.pair), (7, "kept", (-1, true)));
    }
}
