//! An empty wasm-bindgen module: the baseline the widget's cold start is compared with.
//! `start` stands where the widget's `startAdapter` does and does nothing.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub fn start() {}
