//! The Desktop SDK listeners: every contact event and the agent's state, handed to the engine.
//! They are removed when the shell stops (dropping the guards).

use super::ffi::{ContactListener, StateListener};
use super::json::from_js;
use super::shell::Shell;
use crate::desktop::ContactEventKind;
use crate::engine::{Input, LogLevel};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

impl Shell {
    pub(super) fn bind_listeners(self: &Rc<Self>) {
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
        match self.contact_listeners.try_borrow_mut() {
            Ok(mut l) => *l = bound,
            Err(_) => self.busy_bug("the contact listeners"),
        }
        let shell = Rc::clone(self);
        let info = self.desktop.agent_state_info();
        let closure = Closure::<dyn FnMut(JsValue)>::new(move |_updates: JsValue| {
            let latest = from_js(&shell.desktop.agent_state_info().latest_data());
            shell.handle(Input::AgentState(latest));
        });
        match StateListener::add(info, closure) {
            Ok(l) => match self.state_listener.try_borrow_mut() {
                Ok(mut slot) => *slot = Some(l),
                Err(_) => self.busy_bug("the state listener"),
            },
            Err(e) => self.log(LogLevel::Warn, &format!("could not listen to agent state: {e}")),
        }
    }
}
