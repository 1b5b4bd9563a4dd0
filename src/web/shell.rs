//! The browser shell: runs the engine with the real `Desktop` and `sforce.opencti`.
//!
//! It feeds SDK events, Open CTI answers and its one timer to the engine and executes the effects
//! the engine returns, in order (`executor`). Inputs are queued, so a callback that fires while
//! effects are being executed never re-enters the engine. The records of what changed in
//! the engine's state are written to `localStorage` (`storage`) before the calls they protect. Only the instance that holds the
//! agent's Web Lock (`lock`, `startup`) runs the engine; another tab of the same agent stays
//! passive until the lock comes free. The panel gets a view model and answers through the queue.

use super::ffi::{self, ContactListener, Desktop, HeldLock, StateListener};
use super::panel::Panel;
use super::storage::Store;
use super::view::{PanelEvent, PanelView, Status};
use crate::config::{AdapterConfig, Diagnostic};
use crate::engine::{AgentContext, Engine, Input, LogLevel, Millis, PanelAction};
use crate::value_de::Read;
use gloo_timers::callback::Timeout;
use js_sys::Function;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Options the loader reads from the widget's attributes (docs/contracts.md).
#[derive(Debug, Clone, Default, serde::Deserialize, Read)]
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

/// A JS callback or listener kept alive for as long as the shell lives.
pub(super) type JsCallback = Closure<dyn FnMut(JsValue)>;

pub struct Shell {
    pub(super) desktop: Desktop,
    pub(super) opencti: JsValue,
    pub(super) config: AdapterConfig,
    pub(super) config_diagnostics: Vec<Diagnostic>,
    pub(super) ctx: AgentContext,
    pub(super) options: Options,
    /// This agent's keys: the WxCC agent id, never a display name (two agents may share a name;
    /// two agents in one browser must not share an outbox).
    pub(super) store: Store,
    pub(super) engine: RefCell<Option<Engine>>,
    inbox: RefCell<VecDeque<Input>>,
    busy: Cell<bool>,
    status: RefCell<Status>,
    pub(super) contact_listeners: RefCell<Vec<ContactListener>>,
    pub(super) state_listener: RefCell<Option<StateListener>>,
    pub(super) opencti_listeners: RefCell<Vec<JsCallback>>,
    pub(super) callbacks: RefCell<Vec<JsCallback>>,
    /// The one timer, armed for the engine's `poll_timeout`.
    timer: RefCell<Option<(Millis, Timeout)>>,
    pub(super) lock: RefCell<Option<HeldLock>>,
    panel: RefCell<Option<Panel>>,
    /// What the agent must know about this browser (storage refused, no writer lock).
    notices: RefCell<Vec<String>>,
    logger: JsValue,
}

impl Shell {
    /// A shell not yet running the engine (see `startup`).
    pub(super) fn new(
        desktop: Desktop,
        opencti: JsValue,
        loaded: crate::config::Loaded,
        ctx: AgentContext,
        options: Options,
        store: Store,
        lock: Option<HeldLock>,
    ) -> Shell {
        let logger = desktop.logger();
        Shell {
            desktop,
            opencti,
            config: loaded.config,
            config_diagnostics: loaded.diagnostics,
            ctx,
            options,
            store,
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
        }
    }

    pub fn status(&self) -> Status {
        self.status.try_borrow().map(|s| s.clone()).unwrap_or(Status::Starting)
    }

    pub fn config_diagnostics(&self) -> &[Diagnostic] {
        &self.config_diagnostics
    }

    pub fn with_engine<T>(&self, f: impl FnOnce(&Engine) -> T) -> Option<T> {
        self.engine.try_borrow().ok()?.as_ref().map(f)
    }

    pub fn with_engine_mut<T>(&self, f: impl FnOnce(&mut Engine) -> T) -> Option<T> {
        self.engine.try_borrow_mut().ok()?.as_mut().map(f)
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

    /// A borrow that failed: a bug in the shell, said where an admin looks, never a silent drop.
    pub(super) fn busy_bug(&self, what: &str) {
        self.log(LogLevel::Error, &format!("internal error: {what} was busy; please report this"));
    }

    pub(super) fn add_notice(&self, text: &str) {
        self.log(LogLevel::Warn, text);
        match self.notices.try_borrow_mut() {
            Ok(mut n) if !n.iter().any(|x| x == text) => n.push(text.to_string()),
            Ok(_) => {}
            Err(_) => self.busy_bug("the notices"),
        }
        self.render();
    }

    /// Queues an input and, unless already running, processes the queue; then re-arms the one
    /// timer if the engine's next deadline changed.
    pub fn handle(self: &Rc<Self>, input: Input) {
        match self.inbox.try_borrow_mut() {
            Ok(mut inbox) => inbox.push_back(input),
            Err(_) => return self.busy_bug("the input queue"),
        }
        if self.busy.replace(true) {
            return;
        }
        loop {
            let next = self.inbox.try_borrow_mut().ok().and_then(|mut q| q.pop_front());
            let Some(input) = next else { break };
            let mut effects = Vec::new();
            match self.engine.try_borrow_mut() {
                Ok(mut engine) => {
                    if let Some(e) = engine.as_mut() {
                        e.handle(input, ffi::now_ms());
                        effects.extend(std::iter::from_fn(|| e.poll_effect()));
                    }
                }
                Err(_) => self.busy_bug("the engine"),
            }
            for effect in effects {
                self.execute(effect);
            }
        }
        self.busy.set(false);
        self.arm_timer();
        if self.with_engine(Engine::is_cleared).unwrap_or(false) {
            // Logged out with nothing pending: this agent's calls and notes leave the browser.
            self.store.clear();
        }
        self.render();
    }

    /// Keeps one timer armed for the engine's next deadline (re-armed only when it changes).
    fn arm_timer(self: &Rc<Self>) {
        let due = self.with_engine(Engine::poll_timeout).flatten();
        let Ok(mut slot) = self.timer.try_borrow_mut() else { return self.busy_bug("the timer") };
        if slot.as_ref().map(|(at, _)| *at) == due {
            return;
        }
        *slot = due.map(|at| {
            let weak: Weak<Shell> = Rc::downgrade(self);
            let ms = u32::try_from(at.saturating_sub(ffi::now_ms()).max(0)).unwrap_or(u32::MAX);
            let timeout = Timeout::new(ms, move || {
                if let Some(shell) = weak.upgrade() {
                    if let Ok(mut t) = shell.timer.try_borrow_mut() {
                        t.take();
                    }
                    shell.handle(Input::Tick);
                }
            });
            (at, timeout)
        });
    }

    pub fn set_status(&self, status: Status) {
        match self.status.try_borrow_mut() {
            Ok(mut s) => *s = status,
            Err(_) => self.busy_bug("the status"),
        }
        self.render();
    }

    /// What the panel shows now.
    fn view(&self) -> PanelView {
        // What the agent must act on comes first: a dial refused, a lookup that failed, then
        // writes not saved (with the notes they held, to copy), then this browser's limits.
        let mut notices = self.with_engine(Engine::agent_alerts).unwrap_or_default();
        let parked = self.with_engine(Engine::parked_writes).unwrap_or_default();
        for p in &parked {
            let notes =
                if p.notes.trim().is_empty() { String::new() } else { format!(" Your notes: {}", p.notes.trim()) };
            notices.push(format!("Not saved to Salesforce: {} ({}).{notes}", p.what(), p.reason));
        }
        notices.extend(self.notices.try_borrow().map(|n| n.clone()).unwrap_or_default());
        let mut diagnostics = self.config_diagnostics.clone();
        diagnostics.extend(self.with_engine(|e| e.diagnostics().to_vec()).unwrap_or_default());
        PanelView {
            status: self.status(),
            notices,
            call: self.with_engine(Engine::current_call).flatten(),
            diagnostics,
        }
    }

    pub fn render(&self) {
        if let Ok(panel) = self.panel.try_borrow() {
            if let Some(p) = panel.as_ref() {
                p.render(&self.view());
            }
        }
    }

    pub fn attach_panel(self: &Rc<Self>, element: web_sys::HtmlElement) {
        let weak = Rc::downgrade(self);
        let send = Rc::new(move |event: PanelEvent| {
            if let Some(shell) = weak.upgrade() {
                shell.panel_event(event);
            }
        });
        let panel = Panel::new(element, self.config.activity.live_notes, send);
        match self.panel.try_borrow_mut() {
            Ok(mut slot) => *slot = panel,
            Err(_) => self.busy_bug("the panel"),
        }
        self.render();
    }

    fn panel_event(self: &Rc<Self>, event: PanelEvent) {
        match event {
            PanelEvent::Action(action) => self.action(action),
            PanelEvent::Typing(text) => self.keep_draft(&text),
            PanelEvent::Notes(text) => self.notes(text),
        }
    }

    pub fn notes(self: &Rc<Self>, text: String) {
        let current = self.current_interaction();
        if let Some(id) = &current {
            self.store.keep_draft(id, &text);
        }
        self.handle(Input::Notes { interaction_id: current, text });
        // The engine has the notes now (in its saved state until written): no draft to keep.
        self.store.forget_draft();
    }

    /// Keeps what the agent is typing before it reaches the engine (a reload must not lose it).
    fn keep_draft(&self, text: &str) {
        if let Some(id) = self.current_interaction() {
            self.store.keep_draft(&id, text);
        }
    }

    fn current_interaction(&self) -> Option<String> {
        self.with_engine(|e| e.current_call().map(|c| c.interaction_id)).flatten()
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
