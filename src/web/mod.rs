//! The browser shell (wasm32 only): the exports that pages call. It holds no behaviour of its
//! own; it converts between JS values and the pure core.

use wasm_bindgen::prelude::*;

/// Validates a call center definition XML and returns its diagnostics as a JS array of
/// `{severity, code, path, line, column, message, hint}` (the same as `wxcc-sfdc validate --json`).
#[cfg(feature = "xml")]
#[wasm_bindgen(js_name = validateCallCenter)]
pub fn validate_call_center(xml: &str) -> Result<JsValue, JsError> {
    let loaded = crate::config::from_xml(xml);
    to_js(&loaded.diagnostics)
}

/// The configuration the adapter would run with for this XML: `{config, diagnostics}`.
#[cfg(feature = "xml")]
#[wasm_bindgen(js_name = explainCallCenter)]
pub fn explain_call_center(xml: &str) -> Result<JsValue, JsError> {
    to_js(&crate::config::from_xml(xml))
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    // Plain objects (not Maps) so that pages can read fields directly.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|e| JsError::new(&e.to_string()))
}

#[cfg(feature = "sim")]
mod sim;
#[cfg(feature = "sim")]
pub use sim::SimOrg;
