//! The browser shell: runs the engine with the real `Desktop` and `sforce.opencti`.
//!
//! It feeds SDK events, Open CTI answers and timers to the engine and executes the effects the
//! engine returns, in order. Inputs are queued, so a callback that fires while effects are
//! being executed never re-enters the engine. The engine snapshot is written to localStorage
//! before the calls it protects. Only the instance that holds the agent's Web Lock runs the
//! engine; another tab of the same agent stays passive until the lock comes free.

use super::ffi::{self, ContactListener, Desktop, HeldLock, StateListener, Timeout};
use super::panel::Panel;
use crate::config::{self, AdapterConfig, Diagnostic};
use crate::desktop::ContactEventKind;
use crate::engine::{AgentContext, CallId, DesktopCall, Effect, Engine, Input, LogLevel, PanelAction};
use crate::salesforce::{OpenCtiCall, OpenCtiResponse};
use js_sys::Function;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Options the loader reads from the widget's attributes (docs/contracts.md).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Options {
    /// The WxCC agent id (layout attribute `agentId`, bound to `$STORE.agent.agentId`): the key
    /// of this agent's storage and writer lock. The SDK's `latestData` does not carry it.
    pub agent_id: String,
    pub agent_name: String,
    pub out_dial_ani: String,
    pub outdial_entry_point_id: String,
    pub debug: bool,
    /// Prefix of the localStorage keys and the lock name (tests run several agents).
    pub storage_prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state", content = "detail")]
pub enum Status {
    Starting,
    /// Another tab of this agent is writing; this one waits.
    Passive,
    Active,
    Failed(String),
}

/// A JS callback or listener kept alive for as long as the shell lives.
type JsCallback = Closure<dyn FnMut(JsValue)>;

pub struct Shell {
    desktop: Desktop,
    opencti: JsValue,
    config: AdapterConfig,
    config_diagnostics: Vec<Diagnostic>,
    ctx: AgentContext,
    /// Whose storage keys and writer lock these are: the WxCC agent id, never a display name
    /// (two agents may share a name; two agents in one browser must not share an outbox).
    identity: String,
    options: Options,
    engine: RefCell<Option<Engine>>,
    inbox: RefCell<VecDeque<Input>>,
    busy: Cell<bool>,
    status: RefCell<Status>,
    contact_listeners: RefCell<Vec<ContactListener>>,
    state_listener: RefCell<Option<StateListener>>,
    opencti_listeners: RefCell<Vec<JsCallback>>,
    callbacks: RefCell<Vec<JsCallback>>,
    timer: RefCell<Option<(i64, Timeout)>>,
    lock: RefCell<Option<HeldLock>>,
    panel: RefCell<Option<Panel>>,
    /// What the agent must know about this browser (storage refused, no writer lock), shown in
    /// the panel.
    notices: RefCell<Vec<String>>,
    logger: JsValue,
}

/// Largest JSON text a value handed to the adapter may have (a 64 KB CAD value many times over).
const MAX_PAYLOAD_BYTES: usize = 4 << 20;

/// A JS value as JSON, through JSON text: `serde_json` refuses nesting deeper than 128 and the
/// size is checked first, where a recursive walk of a hostile object would overflow the wasm
/// stack and kill the module for good.
fn checked_from_js(value: &JsValue) -> Result<serde_json::Value, String> {
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

/// The localStorage key (or lock name) `what` of this agent.
fn storage_key(options: &Options, identity: &str, what: &str) -> String {
    let prefix = if options.storage_prefix.is_empty() { "wxcc-sfdc-adapter" } else { &options.storage_prefix };
    format!("{prefix}:{identity}:{what}")
}

/// What became of the writer lock, which is asked for before the shell exists (while the
/// settings round trip is in flight) and may be answered before or after the shell is built.
#[derive(Default)]
struct LockGate {
    shell: RefCell<Weak<Shell>>,
    /// The lock's release function once granted, or why it was refused, until the shell exists.
    outcome: RefCell<Option<Result<Function, String>>>,
}

impl LockGate {
    /// The browser answered: hand the answer to the shell, or keep it until there is one.
    fn answer(&self, outcome: Result<Function, String>) {
        let shell = self.shell.try_borrow().ok().and_then(|w| w.upgrade());
        match shell {
            Some(shell) => shell.lock_answered(outcome),
            None => {
                if let Ok(mut slot) = self.outcome.try_borrow_mut() {
                    *slot = Some(outcome);
                }
            }
        }
    }
}

impl Shell {
    fn key(&self, what: &str) -> String {
        storage_key(&self.options, &self.identity, what)
    }

    /// The writer lock was granted (this tab writes) or refused (it writes alone, and says so).
    fn lock_answered(self: &Rc<Self>, outcome: Result<Function, String>) {
        match outcome {
            Ok(release) => {
                if let Ok(mut l) = self.lock.try_borrow_mut() {
                    if let Some(held) = l.as_mut() {
                        held.set_release(release);
                    }
                }
            }
            // Refused (a cross-site frame without storage access): write alone rather than wait.
            Err(why) => self.add_notice(&format!(
                "This browser refuses the softphone a writer lock ({why}): if this agent opens a second \
                 Salesforce tab, both would write."
            )),
        }
        self.activate();
    }

    pub fn status(&self) -> Status {
        self.status.borrow().clone()
    }

    /// Whether notes typed in the panel are saved to the Task (`isCallNotesEnabled`).
    pub fn live_notes(&self) -> bool {
        self.config.activity.live_notes
    }

    pub fn notices(&self) -> Vec<String> {
        let mut all = self.notices.try_borrow().map(|n| n.clone()).unwrap_or_default();
        // Writes Salesforce refused for good come first, with the notes they held to copy.
        let parked = self.with_engine(Engine::parked_writes).unwrap_or_default();
        for p in parked.iter().rev() {
            let notes =
                if p.notes.trim().is_empty() { String::new() } else { format!(" Your notes: {}", p.notes.trim()) };
            all.insert(0, format!("Not saved to Salesforce ({}): {}.{notes}", p.op, p.reason));
        }
        all
    }

    fn add_notice(&self, text: &str) {
        self.log(LogLevel::Warn, text);
        if let Ok(mut n) = self.notices.try_borrow_mut() {
            if !n.iter().any(|x| x == text) {
                n.push(text.to_string());
            }
        }
        self.render();
    }

    pub fn config_diagnostics(&self) -> &[Diagnostic] {
        &self.config_diagnostics
    }

    pub fn with_engine<T>(&self, f: impl FnOnce(&Engine) -> T) -> Option<T> {
        self.engine.try_borrow().ok()?.as_ref().map(f)
    }

    /// Logs through `Desktop.logger` when the host has one, else the console.
    pub fn log(&self, level: LogLevel, message: &str) {
        let method = match level {
            LogLevel::Debug | LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        };
        if level == LogLevel::Debug && !self.options.debug {
            return;
        }
        let line = JsValue::from_str(&format!("[wxcc-sfdc-adapter] {message}"));
        if let Ok(f) = ffi::get(&self.logger, method).dyn_into::<Function>() {
            let _ = f.call1(&self.logger, &line);
        } else {
            match level {
                LogLevel::Warn => web_sys::console::warn_1(&line),
                LogLevel::Error => web_sys::console::error_1(&line),
                _ => web_sys::console::info_1(&line),
            }
        }
    }

    /// Queues an input and, unless already running, processes the queue.
    pub fn handle(self: &Rc<Self>, input: Input) {
        if let Ok(mut inbox) = self.inbox.try_borrow_mut() {
            inbox.push_back(input);
        }
        if self.busy.replace(true) {
            return;
        }
        loop {
            let next = self.inbox.try_borrow_mut().ok().and_then(|mut q| q.pop_front());
            let Some(input) = next else { break };
            let effects = match self.engine.try_borrow_mut() {
                Ok(mut engine) => match engine.as_mut() {
                    Some(e) => {
                        e.handle(input, ffi::now_ms());
                        e.drain_effects()
                    }
                    None => Vec::new(),
                },
                Err(_) => Vec::new(),
            };
            for effect in effects {
                self.execute(effect);
            }
        }
        self.busy.set(false);
        if self.with_engine(Engine::is_cleared).unwrap_or(false) {
            // Logged out with nothing pending: this agent's calls and notes leave the browser.
            if let Some(storage) = ffi::local_storage() {
                let _ = storage.remove_item(&self.key("snapshot"));
                let _ = storage.remove_item(&self.key("notes-draft"));
            }
        }
        self.render();
    }

    fn execute(self: &Rc<Self>, effect: Effect) {
        match effect {
            Effect::OpenCti { call_id, call, .. } => self.call_salesforce(call_id, &call),
            Effect::Desktop { call_id, call } => self.call_desktop(call_id, call),
            Effect::Persist => {
                if self.with_engine(Engine::is_cleared).unwrap_or(false) {
                    return;
                }
                let Some(snapshot) = self.with_engine(Engine::snapshot) else { return };
                if let Some(storage) = ffi::local_storage() {
                    if storage.set_item(&self.key("snapshot"), &snapshot).is_err() {
                        self.log(LogLevel::Error, "could not save the adapter state (storage full?)");
                    }
                }
            }
            Effect::WakeAt(at) => self.wake_at(at),
            Effect::Log { level, message } => self.log(level, &message),
        }
    }

    fn wake_at(self: &Rc<Self>, at: i64) {
        if let Ok(current) = self.timer.try_borrow() {
            if current.as_ref().is_some_and(|(t, _)| *t <= at && *t > ffi::now_ms()) {
                return;
            }
        }
        let shell = Rc::clone(self);
        let closure = Closure::<dyn FnMut()>::new(move || {
            if let Ok(mut t) = shell.timer.try_borrow_mut() {
                t.take();
            }
            shell.handle(Input::Tick);
        });
        let ms = i32::try_from(at.saturating_sub(ffi::now_ms())).unwrap_or(i32::MAX);
        if let (Some(timeout), Ok(mut slot)) = (Timeout::new(ms, closure), self.timer.try_borrow_mut()) {
            *slot = Some((at, timeout));
        }
    }

    fn to_js(value: &serde_json::Value) -> JsValue {
        value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
    }

    fn from_js(value: &JsValue) -> serde_json::Value {
        checked_from_js(value).unwrap_or(serde_json::Value::Null)
    }

    /// A listener's payload as JSON, or a log line saying why it was refused (too deep, too
    /// large): nothing a payload holds can stop the module (SPEC §6).
    fn payload(&self, what: &str, value: &JsValue) -> Option<serde_json::Value> {
        match checked_from_js(value) {
            Ok(v) => Some(v),
            Err(why) => {
                self.log(LogLevel::Warn, &format!("ignored a {what} payload: {why}"));
                None
            }
        }
    }

    fn call_salesforce(self: &Rc<Self>, call_id: CallId, call: &OpenCtiCall) {
        let method = call.method_name();
        let args = Self::to_js(&call.args());
        if self.options.debug {
            self.log(LogLevel::Debug, &format!("opencti.{method} {}", call.args()));
        }
        let result = if call.takes_listener() {
            let shell = Rc::clone(self);
            let kind = method.to_string();
            let listener = Closure::<dyn FnMut(JsValue)>::new(move |payload: JsValue| {
                let Some(value) = shell.payload(&kind, &payload).map(crate::salesforce::listener_payload) else {
                    return;
                };
                let input = match kind.as_str() {
                    "onClickToDial" => Input::ClickToDial(value),
                    "onNavigationChange" => Input::NavigationChange(value),
                    // subscribe: the message itself, wherever the library puts it.
                    _ => Input::OmniMessage(value.get("message").cloned().unwrap_or(value)),
                };
                shell.handle(input);
            });
            let r = ffi::call_opencti(&self.opencti, method, &args, ("listener", listener.as_ref().unchecked_ref()));
            if let Ok(mut l) = self.opencti_listeners.try_borrow_mut() {
                l.push(listener);
            }
            // Registering a listener has no answer of its own: confirm it to the engine.
            if r.is_ok() {
                self.handle(Input::SalesforceResult {
                    call_id,
                    response: OpenCtiResponse::ok(serde_json::Value::Null),
                });
            }
            r
        } else {
            let shell = Rc::clone(self);
            let callback = Closure::<dyn FnMut(JsValue)>::new(move |response: JsValue| {
                let response = OpenCtiResponse::from_value(&Self::from_js(&response));
                shell.handle(Input::SalesforceResult { call_id, response });
            });
            let r = ffi::call_opencti(&self.opencti, method, &args, ("callback", callback.as_ref().unchecked_ref()));
            if matches!(call, OpenCtiCall::NotifyInitializationComplete) {
                // The end point of the cold-start benchmark (SPEC §7): the message is posted.
                ffi::mark("wxcc-sfdc:initialization-complete-sent");
            }
            if let Ok(mut c) = self.callbacks.try_borrow_mut() {
                // Answered callbacks are small; keep the newest few hundred alive.
                if c.len() > 512 {
                    c.drain(..256);
                }
                c.push(callback);
            }
            r
        };
        if let Err(err) = result {
            // The library threw (bad arguments, not initialised): answer as Salesforce would.
            self.handle(Input::SalesforceResult {
                call_id,
                response: OpenCtiResponse::failure(crate::salesforce::OpenCtiErrorCode::SoftphoneContainerError, err),
            });
        }
    }

    fn call_desktop(self: &Rc<Self>, call_id: CallId, call: DesktopCall) {
        let args = Self::to_js(&call.args());
        let pending = match &call {
            DesktopCall::StartOutdial(_) => self.desktop.dialer().start_outdial(&args),
            DesktopCall::UpdateCadVariables(_) => self.desktop.dialer().update_cad_variables(&args),
            DesktopCall::StateChange(_) => self.desktop.agent_state_info().state_change(&args),
            DesktopCall::GetIdleCodes => self.desktop.actions().get_idle_codes(),
        };
        let shell = Rc::clone(self);
        wasm_bindgen_futures::spawn_local(async move {
            let result = ffi::settle(pending).await.map(|v| Self::from_js(&v));
            shell.handle(Input::DesktopResult { call_id, result });
        });
    }

    fn bind_listeners(self: &Rc<Self>) {
        let contact = self.desktop.agent_contact();
        let mut bound = Vec::new();
        for kind in ContactEventKind::ALL {
            let shell = Rc::clone(self);
            let name = kind.name().to_string();
            let closure = Closure::<dyn FnMut(JsValue)>::new(move |payload: JsValue| {
                let Some(payload) = shell.payload(&name, &payload) else { return };
                shell.handle(Input::ContactEvent { name: name.clone(), payload });
            });
            match ContactListener::add(contact.clone().unchecked_into(), kind.name(), closure) {
                Ok(l) => bound.push(l),
                Err(e) => self.log(LogLevel::Warn, &format!("could not listen to {}: {e}", kind.name())),
            }
        }
        if let Ok(mut l) = self.contact_listeners.try_borrow_mut() {
            *l = bound;
        }
        let shell = Rc::clone(self);
        let info = self.desktop.agent_state_info();
        let closure = Closure::<dyn FnMut(JsValue)>::new(move |_updates: JsValue| {
            let latest = Self::from_js(&shell.desktop.agent_state_info().latest_data());
            shell.handle(Input::AgentState(latest));
        });
        match StateListener::add(info, closure) {
            Ok(l) => {
                if let Ok(mut slot) = self.state_listener.try_borrow_mut() {
                    *slot = Some(l);
                }
            }
            Err(e) => self.log(LogLevel::Warn, &format!("could not listen to agent state: {e}")),
        }
    }

    /// This instance writes: restore what a reload interrupted, bind, start.
    fn activate(self: &Rc<Self>) {
        if self.with_engine(|_| ()).is_some() {
            return; // already running
        }
        ffi::mark("wxcc-sfdc:writer-lock");
        if !ffi::storage_works() {
            self.add_notice(
                "This browser refuses storage to the softphone (third-party site data is blocked): call notes \
                 and Salesforce writes not yet confirmed are lost if the softphone reloads. Allow third-party \
                 site data for the Webex Contact Center desktop to keep them.",
            );
        }
        let snapshot = ffi::local_storage().and_then(|s| s.get_item(&self.key("snapshot")).ok().flatten());
        let engine = match snapshot {
            Some(s) => Engine::restore(self.config.clone(), self.ctx.clone(), &s),
            None => Engine::new(self.config.clone(), self.ctx.clone()),
        };
        if let Ok(mut slot) = self.engine.try_borrow_mut() {
            *slot = Some(engine);
        }
        self.set_status(Status::Active);
        self.bind_listeners();
        ffi::mark("wxcc-sfdc:listeners-bound");
        self.handle(Input::Start);
        let latest = Self::from_js(&self.desktop.agent_state_info().latest_data());
        self.handle(Input::AgentState(latest));
        // Notes typed just before a reload (not yet handed to the engine) are not lost.
        if let Some(draft) = ffi::local_storage().and_then(|s| s.get_item(&self.key("notes-draft")).ok().flatten()) {
            if let Ok((id, text)) = serde_json::from_str::<(String, String)>(&draft) {
                self.handle(Input::Notes { interaction_id: Some(id), text });
            }
            self.forget_draft();
        }
        ffi::mark("wxcc-sfdc:started");
    }

    pub fn set_status(&self, status: Status) {
        if let Ok(mut s) = self.status.try_borrow_mut() {
            *s = status;
        }
        self.render();
    }

    pub fn render(&self) {
        if let Ok(panel) = self.panel.try_borrow() {
            if let Some(p) = panel.as_ref() {
                p.render(self);
            }
        }
    }

    pub fn attach_panel(self: &Rc<Self>, element: web_sys::HtmlElement) {
        let panel = Panel::new(Rc::clone(self), element);
        if let Ok(mut slot) = self.panel.try_borrow_mut() {
            *slot = panel;
        }
        self.render();
    }

    pub fn notes(self: &Rc<Self>, text: String) {
        let current = self.with_engine(|e| e.current_call().map(|c| c.interaction_id)).flatten();
        self.keep_draft(&text);
        self.handle(Input::Notes { interaction_id: current, text });
        // The engine has the notes now (in its saved state until written): no draft to keep.
        self.forget_draft();
    }

    fn forget_draft(&self) {
        if let Some(storage) = ffi::local_storage() {
            let _ = storage.remove_item(&self.key("notes-draft"));
        }
    }

    /// Keeps what the agent is typing before it reaches the engine (a reload must not lose it).
    pub fn keep_draft(&self, text: &str) {
        let current = self.with_engine(|e| e.current_call().map(|c| c.interaction_id)).flatten();
        if let (Some(id), Some(storage)) = (current, ffi::local_storage()) {
            let _ = storage.set_item(&self.key("notes-draft"), &serde_json::json!([id, text]).to_string());
        }
    }

    pub fn action(self: &Rc<Self>, action: PanelAction) {
        self.handle(Input::Action(action));
    }

    /// Stops listening and releases the lock (the element was removed).
    pub fn stop(&self) {
        if let Ok(mut l) = self.contact_listeners.try_borrow_mut() {
            l.clear();
        }
        if let Ok(mut l) = self.state_listener.try_borrow_mut() {
            l.take();
        }
        if let Ok(mut t) = self.timer.try_borrow_mut() {
            t.take();
        }
        if let Ok(mut l) = self.lock.try_borrow_mut() {
            l.take();
        }
        if let Ok(mut e) = self.engine.try_borrow_mut() {
            e.take();
        }
        self.set_status(Status::Failed("stopped".into()));
    }
}

/// Reads the call center settings, builds the shell and starts it (or waits for the lock). The
/// writer lock is asked for first, so that the browser grants it during the settings round trip
/// (the start-up budget of SPEC §7).
pub async fn start(desktop: Desktop, opencti: JsValue, options: Options) -> Result<Rc<Shell>, String> {
    ffi::mark("wxcc-sfdc:wasm-start");
    let latest = Shell::from_js(&desktop.agent_state_info().latest_data());
    let text = |k: &str| latest.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    // The real SDK's `agentStateInfo.latestData` has no agentId: the layout binds it.
    let agent_id = [options.agent_id.clone(), text("agentId")].into_iter().find(|s| !s.is_empty()).unwrap_or_default();
    // Never a display name: without an agent id every agent of this browser shares one key,
    // which the panel says (two agents may have one name; the admin guide says what to bind).
    let identity = if agent_id.is_empty() { "no-agent-id".to_string() } else { agent_id.clone() };
    let gate = Rc::new(LockGate::default());
    let (granted, refused) = (Rc::clone(&gate), Rc::clone(&gate));
    ffi::mark("wxcc-sfdc:lock-requested");
    let lock = HeldLock::request(
        &storage_key(&options, &identity, "writer"),
        move |release| granted.answer(Ok(release)),
        move |why| refused.answer(Err(why)),
    );
    let response = ffi::call_opencti_once(&opencti, "getCallCenterSettings", &JsValue::UNDEFINED).await?;
    ffi::mark("wxcc-sfdc:settings-received");
    let response = OpenCtiResponse::from_value(&Shell::from_js(&response));
    let settings = crate::salesforce::parse_call_center_settings(&response.return_value);
    let mut loaded = config::from_settings(settings.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if !response.success {
        loaded.diagnostics.insert(
            0,
            Diagnostic::error(
                config::Code::MalformedSettings,
                "/",
                format!("getCallCenterSettings failed: {}", response.error_summary()),
            )
            .hint("the adapter runs with the default settings"),
        );
    }
    let ctx = AgentContext {
        agent_id,
        agent_name: if options.agent_name.is_empty() { text("agentName") } else { options.agent_name.clone() },
        utc_offset_minutes: -(js_sys::Date::new_0().get_timezone_offset() as i32),
        outdial_entry_point_id: options.outdial_entry_point_id.clone(),
        outdial_ani: options.out_dial_ani.clone(),
    };
    let logger = desktop.logger();
    let no_web_locks = lock.is_none();
    let shell = Rc::new(Shell {
        desktop,
        opencti,
        config: loaded.config,
        config_diagnostics: loaded.diagnostics,
        ctx,
        identity,
        options,
        engine: RefCell::new(None),
        inbox: RefCell::new(VecDeque::new()),
        busy: Cell::new(false),
        status: RefCell::new(Status::Starting),
        contact_listeners: RefCell::new(Vec::new()),
        state_listener: RefCell::new(None),
        opencti_listeners: RefCell::new(Vec::new()),
        callbacks: RefCell::new(Vec::new()),
        timer: RefCell::new(None),
        lock: RefCell::new(lock),
        panel: RefCell::new(None),
        notices: RefCell::new(Vec::new()),
        logger,
    });
    if shell.ctx.agent_id.is_empty() {
        shell.add_notice(
            "The desktop layout does not give this widget the agent id (attribute agentId: \
             $STORE.agent.agentId): transfers cannot tell this agent apart, and every agent of this browser \
             shares one store.",
        );
    }
    shell.log(LogLevel::Info, &format!("wxcc-sfdc-adapter {} starting", env!("CARGO_PKG_VERSION")));
    for d in shell.config_diagnostics.iter().filter(|d| d.is_error()) {
        shell.log(LogLevel::Warn, &format!("call center definition: {} ({})", d.message, d.path));
    }
    if no_web_locks {
        shell.log(LogLevel::Warn, "this browser has no Web Locks: a second tab of the same agent would also write");
        shell.activate();
        return Ok(shell);
    }
    if let Ok(mut slot) = gate.shell.try_borrow_mut() {
        *slot = Rc::downgrade(&shell);
    }
    // Answered during the settings round trip: act on it now; otherwise the gate hands the
    // answer to the shell when it comes, and until then another tab is the writer.
    let early = gate.outcome.try_borrow_mut().ok().and_then(|mut o| o.take());
    match early {
        Some(outcome) => shell.lock_answered(outcome),
        None => shell.set_status(Status::Passive),
    }
    Ok(shell)
}
