//! wxcc-sfdc-adapter: the Webex Contact Center ↔ Salesforce Lightning CTI adapter.
//!
//! The crate is a sans-IO core (`config`, `phone`, `template`, `desktop`, `salesforce`, `sim`,
//! and later `engine`) that never touches the browser or a clock, plus a thin wasm shell in
//! `web` (wasm32 only) and a native CLI in `src/bin/`.
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod config;
pub mod desktop;
pub mod engine;
pub mod flat;
pub mod layout;
pub mod origin;
pub mod phone;
pub mod pii;
pub mod salesforce;
pub mod sim;
pub mod template;
mod text;
pub mod value_de;
pub mod value_out;

#[cfg(target_arch = "wasm32")]
pub mod web;
