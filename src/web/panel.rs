//! The "Salesforce Actions" panel: what the agent must know first (a dial refused, a write not
//! saved), the current call with the record's name, the records to pick from when several
//! matched, its buttons, the call log's subject, live notes, the last pop's "why this record"
//! and the call center diagnostics. Everything shown is set as text, never as HTML, so CAD
//! values and record names cannot inject markup. Every control is a native button or field
//! (keyboard and screen reader work as usual); it fits a 400 px softphone.

use super::view::{PanelEvent, PanelView, Status};
use crate::engine::{PanelAction, PopDecision};
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

const NOTES_DEBOUNCE_MS: u32 = 800;

/// Where the panel sends what the agent does (the shell's queue).
pub(super) type Send = Rc<dyn Fn(PanelEvent)>;

pub(super) struct Panel {
    status: Element,
    notices: Element,
    call: Element,
    /// The records to pick from, rebuilt only when they (or the pick) change, so keyboard
    /// focus stays where the agent left it.
    picks: Element,
    picks_for: RefCell<String>,
    pick_listeners: RefCell<Vec<EventListener>>,
    subject: HtmlInputElement,
    subject_for: RefCell<Option<String>>,
    send: Send,
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
        let picks = el(&doc, "div", "wsa-picks")?;
        picks.set_attribute("hidden", "").ok()?;
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
        let subject_label = text(&doc, "label", "wsa-label", "Call log subject")?;
        subject_label.set_attribute("for", "wsa-subject").ok()?;
        let subject: HtmlInputElement = el(&doc, "input", "wsa-subject")?.dyn_into().ok()?;
        subject.set_id("wsa-subject");
        subject.set_type("text");
        subject.set_max_length(255);
        subject.set_attribute("aria-describedby", "wsa-subject-help").ok()?;
        let subject_help = text(
            &doc,
            "p",
            "wsa-help",
            "Saved with the call log when the call is wrapped up. Press Enter or leave the field to keep it.",
        )?;
        subject_help.set_id("wsa-subject-help");
        {
            let (send, field) = (Rc::clone(&send), subject.clone());
            // `change`: Enter or leaving the field, not every keystroke.
            listeners.push(EventListener::new(&subject, "change", move |_| {
                send(PanelEvent::Action(PanelAction::SetSubject(field.value())))
            }));
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
            &picks,
            &buttons,
            &subject_label,
            subject.as_ref(),
            &subject_help,
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
            picks,
            picks_for: RefCell::new(String::new()),
            pick_listeners: RefCell::new(Vec::new()),
            subject,
            subject_for: RefCell::new(None),
            send,
            notes,
            notes_for: RefCell::new(None),
            diagnostics,
            trace,
            _listeners: listeners,
            _debounce: debounce,
        })
    }

    /// The records to pick from (name, object, phone), one button each; the picked one is
    /// pressed. Rebuilt only when the list or the pick changed.
    fn render_picks(&self, doc: &Document, v: &crate::engine::CallView) {
        if v.candidates.is_empty() {
            return self.clear_picks();
        }
        let key = format!("{}|{}|{}", v.interaction_id, v.picked.as_deref().unwrap_or(""), v.candidates.len());
        if *self.picks_for.borrow() == key {
            return;
        }
        self.picks.set_text_content(None);
        let mut listeners = Vec::new();
        let title = format!("{} records match this caller: pick the right one", v.candidates.len());
        if let Some(h) = text(doc, "h3", "wsa-h", &title) {
            h.set_id("wsa-picks-title");
            let _ = self.picks.append_child(&h);
        }
        let Some(list) = el(doc, "ul", "wsa-pick-list") else { return };
        let _ = list.set_attribute("aria-labelledby", "wsa-picks-title");
        for c in &v.candidates {
            let name = c.record.name.as_ref().map(|n| n.expose().clone()).unwrap_or_else(|| c.record.id.clone());
            let phone = c.phone.as_ref().map(|p| format!(" · {}", p.expose())).unwrap_or_default();
            let picked = v.picked.as_deref() == Some(c.record.id.as_str());
            let label = format!("{}{name} · {}{phone}", if picked { "✓ " } else { "" }, c.record.object_type);
            let (Some(li), Some(b)) = (el(doc, "li", ""), text(doc, "button", "wsa-pick", &label)) else { continue };
            let _ = b.set_attribute("type", "button");
            let _ = b.set_attribute("data-record-id", &c.record.id);
            let _ = b.set_attribute("aria-pressed", if picked { "true" } else { "false" });
            let (send, id) = (Rc::clone(&self.send), c.record.id.clone());
            listeners.push(EventListener::new(&b, "click", move |_| {
                send(PanelEvent::Action(PanelAction::Pick(id.clone())))
            }));
            let _ = li.append_child(&b);
            let _ = list.append_child(&li);
        }
        let _ = self.picks.append_child(&list);
        let _ = self.picks.remove_attribute("hidden");
        *self.pick_listeners.borrow_mut() = listeners;
        *self.picks_for.borrow_mut() = key;
    }

    fn clear_picks(&self) {
        if self.picks_for.borrow().is_empty() {
            return;
        }
        self.picks.set_text_content(None);
        let _ = self.picks.set_attribute("hidden", "");
        self.pick_listeners.borrow_mut().clear();
        self.picks_for.borrow_mut().clear();
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
                let record = v.related_record.as_ref().or(v.matched_record.as_ref()).map(|r| r.label());
                let record = match (record, v.candidates.is_empty()) {
                    (None, false) => Some(format!("{} matches: pick one below", v.candidates.len())),
                    (r, _) => r,
                };
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
                // Show the call's notes and subject when the call changes, never while the agent types.
                let changed = self.notes_for.borrow().as_deref() != Some(v.interaction_id.as_str());
                if changed {
                    self.notes.set_value(&v.notes);
                    *self.notes_for.borrow_mut() = Some(v.interaction_id.clone());
                }
                self.notes.set_disabled(false);
                let field: &Element = self.subject.as_ref();
                let typing = doc.active_element().is_some_and(|a| a == *field);
                let subject_changed = self.subject_for.borrow().as_deref() != Some(v.interaction_id.as_str());
                if subject_changed || !typing {
                    self.subject.set_value(&v.subject);
                    *self.subject_for.borrow_mut() = Some(v.interaction_id.clone());
                }
                self.subject.set_disabled(!v.subject_editable);
                self.render_picks(&doc, v);
            }
            None => {
                if let Some(p) = text(&doc, "dd", "", "No call.") {
                    let _ = self.call.append_child(&p);
                }
                self.notes.set_disabled(true);
                self.subject.set_value("");
                self.subject.set_disabled(true);
                *self.subject_for.borrow_mut() = None;
                self.clear_picks();
            }
        }

        self.trace.set_text_content(None);
        if let Some(t) = view.call.as_ref().and_then(|v| v.trace.as_ref()) {
            let summary = match t.decision {
                PopDecision::Sobject => format!("Opened {} (one match).", t.record_id.as_deref().unwrap_or_default()),
                PopDecision::Search => "Several records matched: search results opened.".to_string(),
                PopDecision::Pick => match &t.record_id {
                    Some(id) => format!("Several records matched: you picked {id}."),
                    None => "Several records matched: pick one above.".to_string(),
                },
                PopDecision::NewRecord => "No record matched: new record form opened.".to_string(),
                PopDecision::Layout => "No record matched: the softphone layout decided.".to_string(),
                PopDecision::None => "Nothing was searched.".to_string(),
            };
            if let Some(p) = text(&doc, "p", "", &summary) {
                let _ = self.trace.append_child(&p);
            }
            if let Some(list) = el(&doc, "ul", "") {
                let tries = t.tries.iter().enumerate().map(|(n, x)| {
                    let found = match x.matches {
                        0 => "no match".to_string(),
                        1 => "1 match".to_string(),
                        n => format!("{n} matches"),
                    };
                    format!("search {} for {}: {found}", n + 1, x.search)
                });
                // One line per distinct thing that happened (a repeated event adds nothing).
                let mut shown: Vec<String> = Vec::new();
                for line in t.notes.iter().cloned().chain(tries) {
                    if shown.contains(&line) {
                        continue;
                    }
                    if let Some(li) = text(&doc, "li", "", &line) {
                        let _ = list.append_child(&li);
                    }
                    shown.push(line);
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
:host,wxcc-sfdc-actions{display:block;max-width:100%;box-sizing:border-box;overflow-wrap:anywhere}
.wsa-status{font-weight:600;margin:0 0 8px}
.wsa-status[data-state=passive]{color:#8c4b02}
.wsa-notices{margin:0 0 8px;padding-left:18px}.wsa-notices:empty{display:none}
.wsa-call{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px}
.wsa-call dt{color:#555}.wsa-call dd{margin:0}
.wsa-buttons{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:8px}
.wsa-button{padding:4px 10px;border:1px solid #0176d3;border-radius:4px;background:#fff;color:#0176d3;cursor:pointer}
.wsa-label{display:block;font-weight:600}.wsa-notes,.wsa-subject{width:100%;box-sizing:border-box}
.wsa-help{font-size:11px;color:#5c5c5c;margin:2px 0 8px}
.wsa-pick-list{list-style:none;margin:0 0 8px;padding:0;display:grid;gap:4px}
.wsa-pick{width:100%;text-align:left;padding:4px 8px;border:1px solid #0176d3;border-radius:4px;background:#fff;color:#0b1f33;cursor:pointer}
.wsa-pick[aria-pressed=true]{background:#e5f2fb;font-weight:600}
.wsa-button:focus-visible,.wsa-pick:focus-visible,.wsa-subject:focus-visible,.wsa-notes:focus-visible{outline:2px solid #0176d3;outline-offset:1px}
.wsa-notices li{font-weight:600}
.wsa-h{font-size:13px;margin:10px 0 4px}.wsa-version{font-size:11px;color:#5c5c5c;margin:12px 0 0}.wsa-error{color:#ba0517}.wsa-warning{color:#8c4b02}
";
