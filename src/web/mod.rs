//! The browser shell (wasm32 only): the exports that pages call. It holds no behaviour of its
//! own; it converts between JS values and the pure core, and runs the engine (`shell`).

mod executor;
mod ffi;
mod json;
mod listeners;
mod lock;
mod panel;
mod shell;
mod startup;
mod storage;
mod view;

use crate::value_out::Write;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The running adapter, as the widget loader and the tests see it.
#[wasm_bindgen]
pub struct AdapterHandle {
    shell: Rc<shell::Shell>,
}

#[wasm_bindgen]
impl AdapterHandle {
    /// `{state: "starting" | "passive" | "active" | "failed", detail?}`.
    pub fn status(&self) -> JsValue {
        json::to_js(&self.shell.status().write())
    }

    /// What the panel shows about the current call, or `null`.
    #[wasm_bindgen(js_name = currentCall)]
    pub fn current_call(&self) -> JsValue {
        json::to_js(&self.shell.with_engine(|e| e.current_call()).flatten().write())
    }

    /// Call center diagnostics followed by problems found while running.
    pub fn diagnostics(&self) -> JsValue {
        let mut all = self.shell.config_diagnostics().to_vec();
        all.extend(self.shell.with_engine(|e| e.diagnostics().to_vec()).unwrap_or_default());
        json::to_js(&all.write())
    }

    /// Writes not yet confirmed by Salesforce.
    #[wasm_bindgen(js_name = outboxLength)]
    pub fn outbox_length(&self) -> usize {
        self.shell.with_engine(|e| e.outbox_len()).unwrap_or(0)
    }

    /// Renders the Salesforce Actions panel into this element and keeps it up to date.
    #[wasm_bindgen(js_name = attachPanel)]
    pub fn attach_panel(&self, element: web_sys::HtmlElement) {
        self.shell.attach_panel(element);
    }

    /// The agent's notes for the current call (the whole text).
    pub fn notes(&self, text: String) {
        self.shell.notes(text);
    }

    /// What the agent does in the panel: `openTask`, `relateShownRecord`, `createCase`,
    /// `pick` (with the record Id) or `subject` (with the text).
    pub fn action(&self, name: &str, value: Option<String>) -> Result<(), JsError> {
        let action = crate::engine::PanelAction::parse(name, value.as_deref()).map_err(|e| JsError::new(&e))?;
        self.shell.action(action);
        Ok(())
    }

    /// Stops listening and lets another tab take over.
    pub fn stop(&self) {
        self.shell.stop();
    }

    /// The size of the wasm linear memory in bytes, for the 500-call soak benchmark (it grows
    /// with the peak of what the engine holds and never shrinks).
    #[wasm_bindgen(js_name = wasmMemoryBytes)]
    pub fn wasm_memory_bytes(&self) -> u32 {
        use wasm_bindgen::JsCast;
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length()
    }
}

/// Whether the widget may load Open CTI from `origin` (the `sfdcIframeOrigin` parameter):
/// a Salesforce console origin with the page's protocol, or one listed in `extra_trusted`
/// (comma-separated, from the widget's `trustedOrigins` attribute).
#[wasm_bindgen(js_name = isTrustedConsoleOrigin)]
pub fn is_trusted_console_origin(origin: &str, extra_trusted: &str, page_protocol: &str) -> bool {
    let extra: Vec<&str> = extra_trusted.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    crate::origin::is_trusted_console_origin(origin, &extra, page_protocol)
}

/// Starts the adapter with the SDK's `Desktop` (after `Desktop.config.init`) and
/// `sforce.opencti`. `options`: `{agentId, agentName, outDialAni, outdialEntryPointId, debug}`.
/// What the loader started already, so that it ran during the wasm's compile (either may be
/// `undefined`, and the adapter then does it itself): `settings`, a Promise of the
/// `getCallCenterSettings` answer; `writerLock`, `{name, answer}` for the Web Lock it asked for,
/// `answer` resolving with the function that releases the lock.
#[wasm_bindgen(js_name = startAdapter)]
pub async fn start_adapter(
    desktop: JsValue,
    opencti: JsValue,
    options: JsValue,
    settings: JsValue,
    writer_lock: JsValue,
) -> Result<AdapterHandle, JsError> {
    static PANIC_HOOK: std::sync::Once = std::sync::Once::new();
    PANIC_HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            // The code is written not to panic; if it ever does, say so where an admin looks.
            web_sys::console::error_1(&JsValue::from_str(&format!("wxcc-sfdc-adapter stopped: {info}")));
        }));
    });
    // Through a `Value`, as every typed read of the widget (src/value_de.rs).
    let options: shell::Options = if options.is_object() {
        crate::value_de::read(&json::checked_from_js(&options).map_err(|e| JsError::new(&format!("options: {e}")))?)
            .map_err(|e| JsError::new(&format!("options: {e}")))?
    } else {
        shell::Options::default()
    };
    let desktop: ffi::Desktop = wasm_bindgen::JsCast::unchecked_into(desktop);
    // The loader may have asked for the settings already (a Promise of the callback's answer).
    let settings = wasm_bindgen::JsCast::dyn_into::<js_sys::Promise>(settings).ok();
    // And the writer lock: `{name, answer}`, `answer` resolving with the lock's release function.
    let early_lock = ffi::get(&writer_lock, "name").as_string().and_then(|name| {
        wasm_bindgen::JsCast::dyn_into::<js_sys::Promise>(ffi::get(&writer_lock, "answer")).ok().map(|a| (name, a))
    });
    let shell = startup::start(desktop, opencti, options, settings, early_lock).await.map_err(|e| JsError::new(&e))?;
    Ok(AdapterHandle { shell })
}

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

/// For the studio's and simulator's exports (their types are written by serde); the widget's go
/// through `Write` and `json::to_js`, one conversion for every type (issue 15, size).
#[cfg(any(feature = "xml", feature = "sim"))]
fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    // Plain objects (not Maps) so that pages can read fields directly.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|e| JsError::new(&e.to_string()))
}

#[cfg(feature = "probe")]
mod probe;
#[cfg(feature = "sim")]
mod sim;
#[cfg(feature = "xml")]
mod studio;
#[cfg(feature = "sim")]
pub use sim::SimOrg;
