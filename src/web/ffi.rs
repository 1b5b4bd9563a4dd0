//! Every JavaScript binding of the shell, in one place: the Desktop SDK (`Desktop`), Open CTI
//! (`sforce.opencti`), Web Locks, timers and storage. Objects come in as structural extern
//! types; imports that can throw are `catch`; every closure handed to JS is owned by a value
//! here whose `Drop` unregisters it.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `Desktop` from `@wxcc-desktop/sdk`, after `Desktop.config.init()`.
    pub type Desktop;
    #[wasm_bindgen(method, getter, js_name = agentContact)]
    pub fn agent_contact(this: &Desktop) -> AgentContact;
    #[wasm_bindgen(method, getter, js_name = agentStateInfo)]
    pub fn agent_state_info(this: &Desktop) -> AgentStateInfo;
    #[wasm_bindgen(method, getter)]
    pub fn dialer(this: &Desktop) -> Dialer;
    #[wasm_bindgen(method, getter)]
    pub fn actions(this: &Desktop) -> Actions;
    #[wasm_bindgen(method, getter)]
    pub fn logger(this: &Desktop) -> JsValue;

    pub type AgentContact;
    #[wasm_bindgen(method, catch, js_name = addEventListener)]
    pub fn add_event_listener(this: &AgentContact, name: &str, listener: &Function) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = removeEventListener)]
    pub fn remove_event_listener(this: &AgentContact, name: &str, listener: &Function) -> Result<(), JsValue>;

    pub type AgentStateInfo;
    #[wasm_bindgen(method, catch, js_name = addEventListener)]
    pub fn add_event_listener(this: &AgentStateInfo, name: &str, listener: &Function) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = removeEventListener)]
    pub fn remove_event_listener(this: &AgentStateInfo, name: &str, listener: &Function) -> Result<(), JsValue>;
    #[wasm_bindgen(method, getter, js_name = latestData)]
    pub fn latest_data(this: &AgentStateInfo) -> JsValue;
    #[wasm_bindgen(method, catch, js_name = stateChange)]
    pub fn state_change(this: &AgentStateInfo, args: &JsValue) -> Result<JsValue, JsValue>;

    pub type Dialer;
    #[wasm_bindgen(method, catch, js_name = startOutdial)]
    pub fn start_outdial(this: &Dialer, args: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = updateCadVariables)]
    pub fn update_cad_variables(this: &Dialer, args: &JsValue) -> Result<JsValue, JsValue>;

    pub type Actions;
    #[wasm_bindgen(method, catch, js_name = getIdleCodes)]
    pub fn get_idle_codes(this: &Actions) -> Result<JsValue, JsValue>;

    /// `navigator.locks` (Web Locks API).
    pub type LockManager;
    #[wasm_bindgen(method, catch, js_name = request)]
    fn request_lock(this: &LockManager, name: &str, callback: &Function) -> Result<Promise, JsValue>;
}

/// Awaits a value that may be a promise (the SDK's requests) and turns a rejection into text.
pub async fn settle(value: Result<JsValue, JsValue>) -> Result<JsValue, String> {
    let value = value.map_err(|e| error_text(&e))?;
    JsFuture::from(Promise::resolve(&value)).await.map_err(|e| error_text(&e))
}

/// The message of a JS error or value, for logs and diagnostics.
pub fn error_text(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting on a plain object cannot fail; a frozen one just keeps its value.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Calls `sforce.opencti.<method>(args)`; `args` gets the `callback` or `listener` given.
pub fn call_opencti(opencti: &JsValue, method: &str, args: &JsValue, hook: (&str, &Function)) -> Result<(), String> {
    let function =
        get(opencti, method).dyn_into::<Function>().map_err(|_| format!("sforce.opencti.{method} is not available"))?;
    let args = if args.is_object() { args.clone() } else { Object::new().into() };
    set(&args, hook.0, hook.1);
    function.call1(opencti, &args).map(|_| ()).map_err(|e| error_text(&e))
}

/// Calls an Open CTI method once and resolves with its `response` object.
pub async fn call_opencti_once(opencti: &JsValue, method: &str, args: &JsValue) -> Result<JsValue, String> {
    let mut failure = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        if let Err(e) = call_opencti(opencti, method, args, ("callback", &resolve)) {
            failure = Some(e);
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    JsFuture::from(promise).await.map_err(|e| error_text(&e))
}

/// A Desktop SDK event listener, removed when dropped.
#[must_use = "the listener is removed when this guard is dropped"]
pub struct ContactListener {
    target: AgentContact,
    name: String,
    closure: Closure<dyn FnMut(JsValue)>,
}

impl ContactListener {
    pub fn add(target: AgentContact, name: &str, closure: Closure<dyn FnMut(JsValue)>) -> Result<Self, String> {
        target.add_event_listener(name, closure.as_ref().unchecked_ref()).map_err(|e| error_text(&e))?;
        Ok(ContactListener { target, name: name.to_string(), closure })
    }
}

impl Drop for ContactListener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener(&self.name, self.closure.as_ref().unchecked_ref());
    }
}

/// The `agentStateInfo` "updated" listener, removed when dropped.
#[must_use = "the listener is removed when this guard is dropped"]
pub struct StateListener {
    target: AgentStateInfo,
    closure: Closure<dyn FnMut(JsValue)>,
}

impl StateListener {
    pub fn add(target: AgentStateInfo, closure: Closure<dyn FnMut(JsValue)>) -> Result<Self, String> {
        target.add_event_listener("updated", closure.as_ref().unchecked_ref()).map_err(|e| error_text(&e))?;
        Ok(StateListener { target, closure })
    }
}

impl Drop for StateListener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener("updated", self.closure.as_ref().unchecked_ref());
    }
}

/// Holds a Web Lock until dropped; `acquired` runs when this instance gets it. Without the
/// Web Locks API, `None` (the caller then writes alone and says so).
#[must_use = "the lock is released when this guard is dropped"]
pub struct HeldLock {
    release: Option<Function>,
    _callback: Option<Closure<dyn FnMut(JsValue) -> Promise>>,
}

impl HeldLock {
    /// Asks for the lock `name`. `acquired` runs when this instance gets it; `denied` when the
    /// browser refuses the request (a cross-site frame without storage access gets a
    /// `SecurityError`), so that the caller does not wait for ever. Without the Web Locks API,
    /// `None` (the caller then writes alone and says so).
    pub fn request(
        name: &str,
        mut acquired: impl FnMut(Function) + 'static,
        denied: impl FnOnce(String) + 'static,
    ) -> Option<HeldLock> {
        let navigator = web_sys::window()?.navigator();
        let locks = get(&navigator, "locks");
        if locks.is_undefined() || locks.is_null() {
            return None;
        }
        let locks: LockManager = locks.unchecked_into();
        // The lock is held as long as the promise we return stays pending; its resolve
        // function is handed out so that dropping the holder releases the lock.
        let callback = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_lock: JsValue| {
            Promise::new(&mut |resolve, _| acquired(resolve))
        });
        // The returned promise settles when the lock is released, or rejects when the request
        // is refused.
        let pending = match locks.request_lock(name, callback.as_ref().unchecked_ref()) {
            Ok(p) => p,
            Err(e) => {
                denied(error_text(&e));
                return Some(HeldLock { release: None, _callback: Some(callback) });
            }
        };
        let on_error = Closure::once(move |e: JsValue| denied(error_text(&e)));
        let _ = pending.catch(&on_error);
        // Leaked on purpose (one per session): it must outlive this holder if the rejection
        // comes late, and it frees itself when it runs.
        on_error.forget();
        Some(HeldLock { release: None, _callback: Some(callback) })
    }

    /// Takes over a request the loader made at script evaluation (`answer` resolves with the
    /// lock's release function when granted, rejects when refused): the same as [`Self::request`]
    /// from then on.
    pub fn adopt(
        answer: Promise,
        acquired: impl FnOnce(Function) + 'static,
        denied: impl FnOnce(String) + 'static,
    ) -> HeldLock {
        let on_granted = Closure::once(move |release: JsValue| {
            if let Ok(release) = release.dyn_into::<Function>() {
                acquired(release)
            }
        });
        let on_error = Closure::once(move |e: JsValue| denied(error_text(&e)));
        let _ = answer.then2(&on_granted, &on_error);
        // Leaked on purpose (one per session), like the request's own handlers.
        on_granted.forget();
        on_error.forget();
        HeldLock { release: None, _callback: None }
    }

    /// Lets go of a lock the loader asked for that is not this agent's (another name).
    pub fn release_when_granted(answer: Promise) {
        let release = Closure::once(move |release: JsValue| {
            if let Ok(f) = release.dyn_into::<Function>() {
                let _ = f.call0(&JsValue::NULL);
            }
        });
        let _ = answer.then(&release);
        release.forget();
    }

    pub fn set_release(&mut self, release: Function) {
        self.release = Some(release);
    }
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        if let Some(r) = self.release.take() {
            let _ = r.call0(&JsValue::NULL);
        }
    }
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// `localStorage`, or `None` when the browser refuses it (a cross-site frame whose browser
/// blocks third-party site data throws `SecurityError` on access).
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether `localStorage` can be written here (access and a write both succeed).
pub fn storage_works() -> bool {
    let Some(storage) = local_storage() else { return false };
    let probe = "wxcc-sfdc-adapter:probe";
    let ok = storage.set_item(probe, "1").is_ok();
    let _ = storage.remove_item(probe);
    ok
}

/// `performance.mark(name)`, for the start-up benchmark.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}
