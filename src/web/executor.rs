//! Effects executed: Open CTI calls (with their callback or listener), Desktop SDK calls, the
//! records of the state saved, log lines. Every answer comes back to the engine as an input.

use super::ffi;
use super::json::{checked_from_js, from_js, to_js};
use super::shell::Shell;
use crate::engine::{CallId, DesktopCall, Effect, Engine, Input, LogLevel};
use crate::salesforce::{OpenCtiCall, OpenCtiErrorCode, OpenCtiResponse};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

impl Shell {
    pub(super) fn execute(self: &Rc<Self>, effect: Effect) {
        match effect {
            Effect::OpenCti { call_id, call, .. } => self.call_salesforce(call_id, &call),
            Effect::Desktop { call_id, call } => self.call_desktop(call_id, call),
            Effect::Persist => {
                // After a logout with nothing pending the shell clears the agent's keys once
                // the input is handled (Shell::handle); the records written here go with them.
                let Some(changes) = self.with_engine_mut(Engine::take_changes) else { return };
                if !self.store.apply(changes) {
                    self.log(
                        LogLevel::Error,
                        "could not save the adapter state (storage full?): all of it is written again with the next event",
                    );
                    self.with_engine_mut(Engine::rewrite_all);
                }
            }
            Effect::Log { level, message } => self.log(level, &message),
        }
    }

    /// A listener's payload as JSON, or a log line saying why it was refused (too deep, too
    /// large): nothing a payload holds can stop the module (SPEC §6).
    pub(super) fn payload(&self, what: &str, value: &JsValue) -> Option<serde_json::Value> {
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
        let args = to_js(&call.args());
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
            match self.opencti_listeners.try_borrow_mut() {
                Ok(mut l) => l.push(listener),
                Err(_) => self.busy_bug("the Open CTI listeners"),
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
                let response = OpenCtiResponse::from_value(&from_js(&response));
                shell.handle(Input::SalesforceResult { call_id, response });
            });
            let r = ffi::call_opencti(&self.opencti, method, &args, ("callback", callback.as_ref().unchecked_ref()));
            if matches!(call, OpenCtiCall::NotifyInitializationComplete) {
                // The end point of the cold-start benchmark (SPEC §7): the message is posted.
                ffi::mark("wxcc-sfdc:initialization-complete-sent");
            }
            match self.callbacks.try_borrow_mut() {
                Ok(mut c) => {
                    // Answered callbacks are small; keep the newest few hundred alive.
                    if c.len() > 512 {
                        c.drain(..256);
                    }
                    c.push(callback);
                }
                Err(_) => self.busy_bug("the Open CTI callbacks"),
            }
            r
        };
        if let Err(err) = result {
            // The library threw (bad arguments, not initialised): answer as Salesforce would.
            self.handle(Input::SalesforceResult {
                call_id,
                response: OpenCtiResponse::failure(OpenCtiErrorCode::SoftphoneContainerError, err),
            });
        }
    }

    fn call_desktop(self: &Rc<Self>, call_id: CallId, call: DesktopCall) {
        let args = to_js(&call.args());
        let pending = match &call {
            DesktopCall::StartOutdial(_) => self.desktop.dialer().start_outdial(&args),
            DesktopCall::UpdateCadVariables(_) => self.desktop.dialer().update_cad_variables(&args),
            DesktopCall::StateChange(_) => self.desktop.agent_state_info().state_change(&args),
            DesktopCall::GetIdleCodes => self.desktop.actions().get_idle_codes(),
        };
        let shell = Rc::clone(self);
        wasm_bindgen_futures::spawn_local(async move {
            let result = ffi::settle(pending).await.map(|v| from_js(&v));
            shell.handle(Input::DesktopResult { call_id, result });
        });
    }
}
