//! The origin rule the widget applies to `sfdcIframeOrigin` before loading Open CTI from it,
//! through the same wasm export the loader calls, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use wxcc_sfdc_adapter::web::is_trusted_console_origin;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn salesforce_consoles_on_the_page_protocol_are_accepted() {
    assert!(is_trusted_console_origin("https://acme.my.salesforce.com", "", "https:"));
    assert!(is_trusted_console_origin("https://acme--c.vf.force.com", "", "https:"));
}

#[wasm_bindgen_test]
fn foreign_lookalike_and_downgraded_origins_are_refused() {
    assert!(!is_trusted_console_origin("https://evil.example", "", "https:"));
    assert!(!is_trusted_console_origin("http://acme.my.salesforce.com", "", "https:"));
    assert!(!is_trusted_console_origin("https://salesforce.com.evil.example", "", "https:"));
}

#[wasm_bindgen_test]
fn an_admin_listed_origin_is_accepted_only_as_listed() {
    assert!(is_trusted_console_origin(
        "https://agency.example.gov",
        "https://other.example, https://agency.example.gov",
        "https:"
    ));
    assert!(!is_trusted_console_origin("https://agency.example.gov.evil", "https://agency.example.gov", "https:"));
}
