//! Start-up: the writer lock asked for, the call center settings read, the shell built; then,
//! once this tab holds the lock, the engine restored from storage and the listeners bound.

use super::ffi::{self, Desktop, HeldLock};
use super::json::from_js;
use super::lock::{LockAnswer, LockGate};
use super::shell::{Options, Shell};
use super::storage::Store;
use super::view::Status;
use crate::config::{self, Diagnostic};
use crate::engine::{AgentContext, Engine, Input, LogLevel};
use crate::salesforce::OpenCtiResponse;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// Reads the call center settings, builds the shell and starts it (or waits for the lock). The
/// writer lock is asked for first, so that the browser grants it during the settings round trip
/// (the start-up budget of SPEC §7).
pub async fn start(
    desktop: Desktop,
    opencti: JsValue,
    options: Options,
    asked: Option<js_sys::Promise>,
    early_lock: Option<(String, js_sys::Promise)>,
) -> Result<Rc<Shell>, String> {
    ffi::mark("wxcc-sfdc:wasm-start");
    let latest = from_js(&desktop.agent_state_info().latest_data());
    let text = |k: &str| latest.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    // The real SDK's `agentStateInfo.latestData` has no agentId: the layout binds it.
    let agent_id = [options.agent_id.clone(), text("agentId")].into_iter().find(|s| !s.is_empty()).unwrap_or_default();
    // Never a display name: without an agent id every agent of this browser shares one key,
    // which the panel says (two agents may have one name; the admin guide says what to bind).
    let identity = if agent_id.is_empty() { "no-agent-id" } else { agent_id.as_str() };
    let store = Store::new(&options.storage_prefix, identity);
    let gate = Rc::new(LockGate::default());
    let (granted, refused) = (Rc::clone(&gate), Rc::clone(&gate));
    ffi::mark("wxcc-sfdc:lock-requested");
    let name = store.key("writer");
    // The loader asks for the lock at script evaluation, so that it is granted during the wasm's
    // compile; it is this agent's when its name is ours, else it is let go and asked for here.
    let lock = match early_lock {
        Some((early, answer)) if early == name => Some(HeldLock::adopt(
            answer,
            move |release| granted.answer(Ok(release)),
            move |why| refused.answer(Err(why)),
        )),
        other => {
            if let Some((_, answer)) = other {
                HeldLock::release_when_granted(answer);
            }
            HeldLock::request(&name, move |release| granted.answer(Ok(release)), move |why| refused.answer(Err(why)))
        }
    };
    // Asked for by the loader as soon as Open CTI was there (beside the wasm's compile), or now.
    let response = match asked {
        Some(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|e| ffi::error_text(&e))?,
        None => ffi::call_opencti_once(&opencti, "getCallCenterSettings", &JsValue::UNDEFINED).await?,
    };
    ffi::mark("wxcc-sfdc:settings-received");
    let loaded = configuration(&response);
    let ctx = AgentContext {
        agent_id,
        agent_name: if options.agent_name.is_empty() { text("agentName") } else { options.agent_name.clone() },
        utc_offset_minutes: -(js_sys::Date::new_0().get_timezone_offset() as i32),
        outdial_entry_point_id: options.outdial_entry_point_id.clone(),
        outdial_ani: options.out_dial_ani.clone(),
    };
    let no_web_locks = lock.is_none();
    let shell = Rc::new(Shell::new(desktop, opencti, loaded, ctx, options, store, lock));
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
    // Answered during the settings round trip: act on it now; otherwise the gate hands the
    // answer to the shell when it comes, and until then another tab is the writer.
    let weak = Rc::downgrade(&shell);
    let early = gate.listen(Box::new(move |answer| {
        if let Some(shell) = weak.upgrade() {
            shell.lock_answered(answer);
        }
    }));
    match early {
        Some(answer) => shell.lock_answered(answer),
        None => shell.set_status(Status::Passive),
    }
    Ok(shell)
}

/// The configuration from `getCallCenterSettings`' answer; when Salesforce refused, the
/// defaults, and the refusal first among the diagnostics.
pub(super) fn configuration(response: &JsValue) -> config::Loaded {
    let response = OpenCtiResponse::from_value(&from_js(response));
    let settings = crate::salesforce::parse_call_center_settings(&response.return_value);
    let mut loaded = config::from_settings(settings.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if !response.success {
        loaded.diagnostics.insert(
            0,
            Diagnostic::error(
                config::Code::SalesforceRefused,
                "/salesforce/getCallCenterSettings",
                format!("getCallCenterSettings failed: {}", response.error_summary()),
            )
            .hint("the adapter runs with the default settings"),
        );
    }
    loaded
}

impl Shell {
    /// The writer lock was granted (this tab writes) or refused (it writes alone, and says so).
    fn lock_answered(self: &Rc<Self>, answer: LockAnswer) {
        match answer {
            Ok(release) => match self.lock.try_borrow_mut() {
                Ok(mut l) => {
                    if let Some(held) = l.as_mut() {
                        held.set_release(release);
                    }
                }
                Err(_) => self.busy_bug("the writer lock"),
            },
            // Refused (a cross-site frame without storage access): write alone rather than wait.
            Err(why) => self.add_notice(&format!(
                "This browser refuses the softphone a writer lock ({why}): if this agent opens a second \
                 Salesforce tab, both would write."
            )),
        }
        self.activate();
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
        // An earlier version's whole snapshot, if no record was written since: read once, then
        // replaced by records at the first save.
        let records = self.store.records();
        let engine = match self.store.legacy_snapshot() {
            Some(s) if records.is_empty() => Engine::restore(self.config.clone(), self.ctx.clone(), &s),
            _ => Engine::restore_records(self.config.clone(), self.ctx.clone(), &records),
        };
        match self.engine.try_borrow_mut() {
            Ok(mut slot) => *slot = Some(engine),
            Err(_) => return self.busy_bug("the engine"),
        }
        self.set_status(Status::Active);
        self.bind_listeners();
        ffi::mark("wxcc-sfdc:listeners-bound");
        self.handle(Input::Start);
        let latest = from_js(&self.desktop.agent_state_info().latest_data());
        self.handle(Input::AgentState(latest));
        // Notes typed just before a reload (not yet handed to the engine) are not lost.
        if let Some((id, text)) = self.store.take_draft() {
            self.handle(Input::Notes { interaction_id: Some(id), text });
        }
        ffi::mark("wxcc-sfdc:started");
    }
}
