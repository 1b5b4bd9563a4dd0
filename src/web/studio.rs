//! The admin studio's exports (`www/studio/`): the desktop layout check, the call preview on the
//! replay engine, and the corrected definition to download. Each is a thin conversion around a
//! pure function; the studio also uses `explainCallCenter` for the diagnostics and the config.

use super::to_js;
use wasm_bindgen::prelude::*;

/// Checks a desktop layout JSON: a JS array of `{severity, code, path, line, column, message,
/// hint}` (the same as `wxcc-sfdc layout check --json`), in file order.
#[wasm_bindgen(js_name = checkLayout)]
pub fn check_layout(json: &str) -> Result<JsValue, JsError> {
    to_js(&crate::layout::check(json))
}

/// Previews one call under the definition `xml`: `preview_json` is the preview object of
/// [`crate::sim::preview`] (`{ani, direction, cad, queue, records, …}`, as JSON text). Returns the
/// replay output: `pops`, `traces` (why this record), `org.Task`, `org.Case`, `effects`,
/// `roundTrips` and `diagnostics`.
#[wasm_bindgen(js_name = previewCall)]
pub fn preview_call(xml: &str, preview_json: &str) -> Result<JsValue, JsError> {
    let preview: serde_json::Value = if preview_json.trim().is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(preview_json).map_err(|e| JsError::new(&format!("the preview is not valid JSON: {e}")))?
    };
    let output = crate::sim::preview::run(xml, &preview).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&output)
}

/// The definition with the certain fixes made and every other problem noted as a comment:
/// `{xml, changes: [{kind: "renamed" | "normalised" | "noted", severity, code, path, line, detail}]}`.
#[wasm_bindgen(js_name = correctedXml)]
pub fn corrected_xml(xml: &str) -> Result<JsValue, JsError> {
    to_js(&crate::config::corrected_xml(xml))
}
