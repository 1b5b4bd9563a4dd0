//! Values crossing the JS boundary as JSON. On the way in every value goes through JSON text
//! with a size limit first, and `serde_json` refuses nesting deeper than 128: a recursive walk of
//! a hostile object would overflow the wasm stack and kill the module for good (SPEC §6).

use super::ffi;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// Largest JSON text a value handed to the adapter may have (a 64 KB CAD value many times over).
const MAX_PAYLOAD_BYTES: usize = 4 << 20;

/// A JS value as JSON, or why it is refused.
pub(super) fn checked_from_js(value: &JsValue) -> Result<serde_json::Value, String> {
    if value.is_undefined() {
        return Ok(serde_json::Value::Null);
    }
    let text =
        js_sys::JSON::stringify(value).map_err(|e| format!("it cannot be read as JSON ({})", ffi::error_text(&e)))?;
    let Some(text) = text.as_string() else { return Ok(serde_json::Value::Null) };
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(format!("it is {} bytes, more than the {MAX_PAYLOAD_BYTES} accepted", text.len()));
    }
    serde_json::from_str(&text).map_err(|e| format!("it is not acceptable JSON ({e})"))
}

/// A JS value as JSON; `null` when it is refused.
pub(super) fn from_js(value: &JsValue) -> serde_json::Value {
    checked_from_js(value).unwrap_or(serde_json::Value::Null)
}

/// JSON as a plain JS value (objects, not Maps).
pub(super) fn to_js(value: &serde_json::Value) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
}
