//! The config validator exported to the browser, run in headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wxcc_sfdc_adapter::web::{explain_call_center, validate_call_center};

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
fn reference_definition_has_no_diagnostics_in_the_browser() {
    let xml = include_str!("fixtures/reference/cisco-legacy-callcenter-definition.xml");
    let result = validate_call_center(xml).unwrap_or(JsValue::NULL);
    let list = js_sys::Array::from(&result);
    assert!(js_sys::Array::is_array(&result));
    assert_eq!(list.length(), 0);
}

#[wasm_bindgen_test]
fn misspelled_item_comes_back_as_a_js_diagnostic_with_line_and_hint() {
    let xml = include_str!("fixtures/config/unknown-item.xml");
    let result = validate_call_center(xml).unwrap_or(JsValue::NULL);
    let list = js_sys::Array::from(&result);
    assert_eq!(list.length(), 1);
    let d = list.get(0);
    assert_eq!(get(&d, "severity").as_string().as_deref(), Some("warning"));
    assert_eq!(get(&d, "code").as_string().as_deref(), Some("unknown-item"));
    assert_eq!(get(&d, "path").as_string().as_deref(), Some("/reqGeneralInfo/reqAdaptorUrl"));
    assert_eq!(get(&d, "line").as_f64(), Some(4.0));
    assert!(get(&d, "hint").as_string().unwrap_or_default().contains("reqAdapterUrl"));
}

#[wasm_bindgen_test]
fn truncated_xml_is_a_diagnostic_not_a_crash() {
    let xml = include_str!("fixtures/config/malformed-xml-truncated.xml");
    let explained = explain_call_center(xml).unwrap_or(JsValue::NULL);
    let diags = js_sys::Array::from(&get(&explained, "diagnostics"));
    assert!(diags.length() >= 1);
    assert_eq!(get(&diags.get(0), "code").as_string().as_deref(), Some("malformed-xml"));
    // The item before the cut still took effect.
    let general = get(&get(&explained, "config"), "general");
    assert_eq!(get(&general, "use_api").as_bool(), Some(false));
}
