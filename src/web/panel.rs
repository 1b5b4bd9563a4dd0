//! The "Salesforce Actions" panel: the current call, its buttons, live notes, the call center
//! diagnostics and the last pop's "why this record". Everything shown is set as text, never
//! as HTML, so CAD values and record names cannot inject markup.

use super::view::{PanelEvent, PanelView, Status};
use crate::engine::{PanelAction, PopDecision};
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlTextAreaElement};

const NOTES_DEBOUNCE_MS: u32 = 800;

/// Where the panel sends what the agent does (the shell's queue).
pub(super) type Send = Rc<dyn Fn(PanelEvent)>;

pub(super) struct Panel {
    status: Element,
    notices: Element,
    call: Element,
    notes: HtmlTextAreaElement,
    notes_for: RefCell<Option<String>>,
    diagnostics: Element,
    trace: Element,
    /// Removed from the DOM elements when the panel is dropped.
    _listeners: Vec<EventListener>,
    _debounce: Rc<RefCell<Option<Timeout>>>,
}

fn el(doc: &Document, tag: &str, class: &str) -> Option<Element> {
    let e = doc.create_element(tag).ok()?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    Some(e)
}

fn text(doc: &Document, tag: &str, class: &str, content: &str) -> Option<Element> {
    let e = el(doc, tag, class)?;
    e.set_text_content(Some(content));
    Some(e)
}

impl Panel {
    /// Builds the panel into `root`; `live_notes`: whether typed notes are saved
    /// (`isCallNotesEnabled`).
    pub(super) fn new(root: HtmlElement, live_notes: bool, send: Send) -> Option<Panel> {
        let doc = web_sys::window()?.document()?;
        root.set_text_content(None);
        let style = el(&doc, "style", "")?;
        style.set_text_content(Some(STYLE));
        root.append_child(&style).ok()?;
        let status = el(&doc, "p", "wsa-status")?;
        status.set_attribute("role", "status").ok()?;
        let notices = el(&doc, "ul", "wsa-notices")?;
        notices.set_attribute("role", "alert").ok()?;
        let call = el(&doc, "dl", "wsa-call")?;
        call.set_attribute("aria-label", "Current call").ok()?;
        let buttons = el(&doc, "div", "wsa-buttons")?;
        let mut listeners = Vec::new();
        for (label, action, name) in [
            ("Open call log", PanelAction::OpenTask, "open-task"),
            ("Relate shown record", PanelAction::RelateShownRecord, "relate"),
            ("Create case", PanelAction::CreateCase, "create-case"),
        ] {
            let b = text(&doc, "button", "wsa-button", label)?;
            b.set_attribute("type", "button").ok()?;
            b.set_attribute("data-action", name).ok()?;
            let send = Rc::clone(&send);
            listeners.push(EventListener::new(&b, "click", move |_| send(PanelEvent::Action(action.clone()))));
            buttons.append_child(&b).ok()?;
        }
        let notes_label = text(&doc, "label", "wsa-label", "Call notes")?;
        notes_label.set_attribute("for", "wsa-notes").ok()?;
        let notes: HtmlTextAreaElement = el(&doc, "textarea", "wsa-notes")?.dyn_into().ok()?;
        notes.set_id("wsa-notes");
        notes.set_rows(5);
        // Notes typed while live notes are off would never reach the Task: say so instead.
        let notes_off = text(
            &doc,
            "p",
            "wsa-notes-off",
            "Call notes are off in the call center definition (isCallNotesEnabled): notes typed here would not be saved.",
        )?;
        if !live_notes {
            notes.set_hidden(true);
            notes_label.set_attribute("hidden", "").ok()?;
        } else {
            notes_off.set_attribute("hidden", "").ok()?;
        }
        let debounce: Rc<RefCell<Option<Timeout>>> = Rc::new(RefCell::new(None));
        {
            let (send, area, pending) = (Rc::clone(&send), notes.clone(), Rc::clone(&debounce));
            // Kept as a draft at once; saved to the Task once typing pauses.
            listeners.push(EventListener::new(&notes, "input", move |_| {
                send(PanelEvent::Typing(area.value()));
                let (send, area) = (Rc::clone(&send), area.clone());
                let fire = Timeout::new(NOTES_DEBOUNCE_MS, move || send(PanelEvent::Notes(area.value())));
                if let Ok(mut slot) = pending.try_borrow_mut() {
                    *slot = Some(fire);
                }
            }));
        }
        {
            let (send, area) = (Rc::clone(&send), notes.clone());
            listeners.push(EventListener::new(&notes, "blur", move |_| send(PanelEvent::Notes(area.value()))));
        }
        let trace_title = text(&doc, "h3", "wsa-h", "Why this record")?;
        let trace = el(&doc, "div", "wsa-trace")?;
        let diag_title = text(&doc, "h3", "wsa-h", "Call center definition")?;
        let diagnostics = el(&doc, "ul", "wsa-diagnostics")?;
        // Which release runs here, for the admin and for support.
        let footer = text(&doc, "p", "wsa-version", &format!("wxcc-sfdc-adapter {}", env!("CARGO_PKG_VERSION")))?;
        for child in [
            &status,
            &notices,
            &call,
            &buttons,
            &notes_label,
            notes.as_ref(),
            &notes_off,
            &trace_title,
            &trace,
            &diag_title,
            &diagnostics,
            &footer,
        ] {
            root.append_child(child).ok()?;
        }
        Some(Panel {
            status,
            notices,
            call,
            notes,
            notes_for: RefCell::new(None),
            diagnostics,
            trace,
            _listeners: listeners,
            _debounce: debounce,
        })
    }

    pub(super) fn render(&self, view: &PanelView) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let status = match &view.status {
            Status::Starting => "Starting…".to_string(),
            Status::Passive => {
                "Passive: another tab of this agent is handling calls. This one takes over if it closes.".to_string()
            }
            Status::Active => "Active: handling calls.".to_string(),
            Status::Failed(why) => format!("Stopped: {why}"),
        };
        self.status.set_text_content(Some(&status));
        let state = match &view.status {
            Status::Starting => "starting",
            Status::Passive => "passive",
            Status::Active => "active",
            Status::Failed(_) => "failed",
        };
        let _ = self.status.set_attribute("data-state", state);

        self.notices.set_text_content(None);
        for notice in &view.notices {
            if let Some(li) = text(&doc, "li", "wsa-warning", notice) {
                let _ = self.notices.append_child(&li);
            }
        }

        self.call.set_text_content(None);
        match &view.call {
            Some(v) => {
                let record = v
                    .related_record
                    .as_ref()
                    .or(v.matched_record.as_ref())
                    .map(|r| format!("{} {}", r.object_type, r.id));
                for (term, value) in [
                    ("Direction", Some(v.direction.clone())),
                    ("Number", Some(v.number.clone())),
                    ("Queue", v.queue.clone()),
                    ("Record", record),
                    ("Call log", v.task_id.clone()),
                    ("Case", v.case_id.clone()),
                ] {
                    if let (Some(dt), Some(dd)) =
                        (text(&doc, "dt", "", term), text(&doc, "dd", "", value.as_deref().unwrap_or("—")))
                    {
                        let _ = self.call.append_child(&dt);
                        let _ = self.call.append_child(&dd);
                    }
                }
                // Show the call's notes when the call changes, never while the agent types.
                let changed = self.notes_for.borrow().as_deref() != Some(v.interaction_id.as_str());
                if changed {
                    self.notes.set_value(&v.notes);
                    *self.notes_for.borrow_mut() = Some(v.interaction_id.clone());
                }
                self.notes.set_disabled(false);
            }
            None => {
                if let Some(p) = text(&doc, "dd", "", "No call.") {
                    let _ = self.call.append_child(&p);
                }
                self.notes.set_disabled(true);
            }
        }

        self.trace.set_text_content(None);
        if let Some(t) = view.call.as_ref().and_then(|v| v.trace.as_ref()) {
            let summary = match t.decision {
                PopDecision::Sobject => format!("Opened {} (one match).", t.record_id.as_deref().unwrap_or_default()),
                PopDecision::Search => "Several records matched: search results opened.".to_string(),
                PopDecision::NewRecord => "No record matched: new record form opened.".to_string(),
                PopDecision::Layout => "No record matched: the softphone layout decided.".to_string(),
                PopDecision::None => "Nothing was searched.".to_string(),
            };
            if let Some(p) = text(&doc, "p", "", &summary) {
                let _ = self.trace.append_child(&p);
            }
            if let Some(list) = el(&doc, "ul", "") {
                let tries = t.tries.iter().map(|x| format!("searched {}: {} match(es)", x.search, x.matches));
                for line in t.notes.iter().cloned().chain(tries) {
                    if let Some(li) = text(&doc, "li", "", &line) {
                        let _ = list.append_child(&li);
                    }
                }
                let _ = self.trace.append_child(&list);
            }
        }

        self.diagnostics.set_text_content(None);
        let all = &view.diagnostics;
        if all.is_empty() {
            if let Some(li) = text(&doc, "li", "wsa-ok", "No problems found.") {
                let _ = self.diagnostics.append_child(&li);
            }
        }
        for d in all {
            let line = match &d.hint {
                Some(h) => format!("{}: {} ({}) — {}", d.severity, d.message, d.path, h),
                None => format!("{}: {} ({})", d.severity, d.message, d.path),
            };
            if let Some(li) = text(&doc, "li", &format!("wsa-{}", d.severity), &line) {
                let _ = self.diagnostics.append_child(&li);
            }
        }
    }
}

const STYLE: &str = "
.wsa-status{font-weight:600;margin:0 0 8px}
.wsa-status[data-state=passive]{color:#8c4b02}
.wsa-notices{margin:0 0 8px;padding-left:18px}.wsa-notices:empty{display:none}
.wsa-call{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px}
.wsa-call dt{color:#555}.wsa-call dd{margin:0}
.wsa-buttons{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:8px}
.wsa-button{padding:4px 10px;border:1px solid #0176d3;border-radius:4px;background:#fff;color:#0176d3;cursor:pointer}
.wsa-label{display:block;font-weight:600}.wsa-notes{width:100%;box-sizing:border-box}
.wsa-h{font-size:13px;margin:10px 0 4px}.wsa-version{font-size:11px;color:#5c5c5c;margin:12px 0 0}.wsa-error{color:#ba0517}.wsa-warning{color:#8c4b02}
";
