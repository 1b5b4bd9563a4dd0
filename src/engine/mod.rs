//! The adapter as a deterministic state machine: inputs in, effects out, time as an argument.
//!
//! # Driving the engine
//! ```
//! use wxcc_sfdc_adapter::engine::{AgentContext, Engine, Input};
//! use wxcc_sfdc_adapter::config::AdapterConfig;
//!
//! let mut engine = Engine::new(AdapterConfig::default(), AgentContext::default());
//! engine.handle(Input::Start, 1_700_000_000_000);
//! while let Some(effect) = engine.poll_effect() {
//!     // Execute it: an Open CTI call, a Desktop call, persist a snapshot, log…
//!     // then feed its result back: engine.handle(Input::SalesforceResult { call_id, response }, now)
//!     let _ = effect;
//! }
//! // Arm one timer for this, and hand the engine Input::Tick when it fires.
//! let _next = engine.poll_timeout();
//! ```
//! The engine never waits and never reads a clock: every `handle` gets `now` (Unix
//! milliseconds), and its timers are one deadline, [`Engine::poll_timeout`], answered by [`Input::Tick`]. The
//! results of the calls it asks for come back as inputs carrying the [`CallId`]. Everything
//! that must survive a reload is in [`Engine::snapshot`]; [`Engine::restore`] resumes from it.
//!
//! Every behaviour is idempotent per interaction: the desktop re-sends events, events arrive
//! out of order, and none of that repeats a pop, a Task or a Case.

mod activity;
mod call;
mod omni;
mod outbox;
mod pop;
mod records;
mod trace;
mod values;

pub use call::{CallView, Leg};
pub use records::{MemoryStore, Record, CALL_PREFIX, GONE_PREFIX, SESSION_KEY};
pub use trace::{PopDecision, PopTrace, RelatedRecord};

use crate::config::{AdapterConfig, Diagnostic};
use crate::desktop::{self, ContactEventKind};
use crate::flat::{Map, Set};
use crate::salesforce::{ClickToDialPayload, NavigationChange, OpenCtiCall, OpenCtiResponse};
use crate::value_de::Read;
use crate::value_out::Write;
use call::Call;
use omni::OmniSync;
use outbox::Outbox;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::VecDeque;

/// Unix time in milliseconds.
pub type Millis = i64;

/// How long an Open CTI or Desktop call may go unanswered: past it the call is treated as
/// failed and uncertain (SPEC §6): a create is looked up, an update re-read, before either is
/// sent again. A late answer is ignored.
pub const CALL_DEADLINE_MS: Millis = 30_000;

/// What the call's Task Id variable holds while a Task of the call may exist that nobody can
/// confirm: an agent's create got no answer and our Apex cannot look it up. Another agent who
/// gets the call then does not create a second Task blind (it parks its write, and takes the
/// Task over should its Id arrive). Not a record Id, so no pop or write ever uses it as one.
pub const UNCONFIRMED_TASK: &str = "unconfirmed";

/// After a reload, how long the desktop has to hand back a call the adapter was holding before
/// the adapter stops acting as its owner (it moved on while the page was away).
const RECONFIRM_MS: Millis = 60_000;

/// A write that is not sent again, and what it held (see [`Engine::parked_writes`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write)]
#[serde(rename_all = "camelCase")]
pub struct ParkedWrite {
    pub interaction_id: String,
    pub op: &'static str,
    pub reason: String,
    /// The agent's notes on the call, which may not have reached Salesforce.
    pub notes: String,
}

impl ParkedWrite {
    /// What was not saved, in the agent's words.
    pub fn what(&self) -> &'static str {
        match self.op {
            "createTask" => "the call log",
            "updateTask" => "a change to the call log",
            "createCase" => "the case",
            "writeTaskIdCad" => "the call log's Id for the next agent",
            "takeOwnership" => "taking over the call log",
            "notes" => "all of your notes",
            _ => "a change",
        }
    }
}

/// Identifies a call the engine asked for, so its result can come back as an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Write, Deserialize, Read)]
pub struct CallId(pub u64);

/// Who the agent is: given by the shell (the desktop's agent profile) or the replay runner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(default, rename_all = "camelCase")]
pub struct AgentContext {
    /// The WxCC agent id (participant id in interactions).
    pub agent_id: String,
    pub agent_name: String,
    /// The agent's offset from UTC, for `{activityDatetime}`.
    pub utc_offset_minutes: i32,
    pub outdial_entry_point_id: String,
    /// The outdial ANI the agent chose (used when `reqIsOutDialAniToBeSet` is on).
    pub outdial_ani: String,
}

/// Something that happened, fed to [`Engine::handle`].
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The session starts (page load, or after a reload once the snapshot is restored).
    Start,
    /// A Desktop SDK contact event, by name, with its payload `{type, orgId, trackingId, data}`
    /// (or the bare `data`).
    ContactEvent { name: String, payload: Value },
    /// The result of an Open CTI call the engine asked for.
    SalesforceResult { call_id: CallId, response: OpenCtiResponse },
    /// The result of a Desktop call: the resolved value or the error text.
    DesktopResult { call_id: CallId, result: Result<Value, String> },
    /// `onClickToDial` fired.
    ClickToDial(Value),
    /// `onNavigationChange` fired (the record now shown in the console).
    NavigationChange(Value),
    /// The agent's live notes for an interaction (the whole text of the notes box).
    Notes { interaction_id: Option<String>, text: String },
    /// A message on the Omni-Channel message channel (`subscribe` listener).
    OmniMessage(Value),
    /// `agentStateInfo` changed: the `latestData` object.
    AgentState(Value),
    /// A button in the Salesforce Actions panel.
    Action(PanelAction),
    /// Time passed; timers that are due fire.
    Tick,
}

/// What the agent can ask for from the Salesforce Actions panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
pub enum PanelAction {
    /// Open the current call's Task in edit mode.
    OpenTask,
    /// Relate the record now shown in the console to the current call's Task.
    RelateShownRecord,
    /// Create a Case for the current call (once) and open it.
    CreateCase,
    /// Pick this record (by Id) among the several that matched: open it and relate it to the
    /// current call's Task.
    Pick(String),
    /// The subject the agent typed for the current call's Task (written with its next write).
    SetSubject(String),
}

impl PanelAction {
    /// The action named `name` (`openTask`, `relateShownRecord`, `createCase`, `pick` with the
    /// record Id, `subject` with the text), as the JS handle and the replay steps name them.
    pub fn parse(name: &str, value: Option<&str>) -> Result<PanelAction, String> {
        let needs = |what: &str| value.map(String::from).ok_or_else(|| format!("the action `{name}` needs {what}"));
        Ok(match name {
            "openTask" => PanelAction::OpenTask,
            "relateShownRecord" => PanelAction::RelateShownRecord,
            "createCase" => PanelAction::CreateCase,
            "pick" => PanelAction::Pick(needs("the record Id")?),
            "subject" => PanelAction::SetSubject(needs("the subject")?),
            other => return Err(format!("unknown action `{other}`")),
        })
    }

    /// The action's name for log lines (never what the agent typed).
    pub fn name(&self) -> &'static str {
        match self {
            PanelAction::OpenTask => "openTask",
            PanelAction::RelateShownRecord => "relateShownRecord",
            PanelAction::CreateCase => "createCase",
            PanelAction::Pick(_) => "pick",
            PanelAction::SetSubject(_) => "subject",
        }
    }
}

/// A Desktop SDK call.
#[derive(Debug, Clone, PartialEq)]
pub enum DesktopCall {
    /// `Desktop.dialer.startOutdial(args)`.
    StartOutdial(Value),
    /// `Desktop.dialer.updateCadVariables(args)`.
    UpdateCadVariables(Value),
    /// `Desktop.agentStateInfo.stateChange(args)`.
    StateChange(Value),
    /// `Desktop.actions.getIdleCodes()`.
    GetIdleCodes,
}

impl DesktopCall {
    pub fn method_name(&self) -> &'static str {
        match self {
            DesktopCall::StartOutdial(_) => "startOutdial",
            DesktopCall::UpdateCadVariables(_) => "updateCadVariables",
            DesktopCall::StateChange(_) => "stateChange",
            DesktopCall::GetIdleCodes => "getIdleCodes",
        }
    }
    pub fn args(&self) -> Value {
        match self {
            DesktopCall::StartOutdial(v) | DesktopCall::UpdateCadVariables(v) | DesktopCall::StateChange(v) => {
                v.clone()
            }
            DesktopCall::GetIdleCodes => Value::Null,
        }
    }
}

/// Log levels of [`Effect::Log`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

/// Something the shell must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Call `sforce.opencti.<method>(args)`; answer with [`Input::SalesforceResult`].
    /// `interaction_id` is set for calls made for a call (counted as round trips).
    OpenCti { call_id: CallId, call: OpenCtiCall, interaction_id: Option<String> },
    /// Call the Desktop SDK; answer with [`Input::DesktopResult`].
    Desktop { call_id: CallId, call: DesktopCall },
    /// Store [`Engine::snapshot`] durably before executing the effects that follow it. The
    /// snapshot is taken when this effect is executed (the state does not change until the next
    /// `handle`), so a call that needs no protection — a screen-pop search — is sent without
    /// waiting for the whole state to be serialised and written.
    Persist,
    /// A log line; personal data is already redacted.
    Log { level: LogLevel, message: String },
}

/// What came back for a pending call, and what it was for.
#[derive(Debug, Clone, PartialEq, Serialize, Write, Deserialize, Read)]
enum Purpose {
    Session(SessionCall),
    Pop { interaction_id: String },
    Outbox { interaction_id: String, op: outbox::Op, lookup: bool },
    Omni(omni::OmniCall),
    Outdial,
    Navigation { interaction_id: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
enum SessionCall {
    EnableClickToDial,
    ListenClickToDial,
    ListenNavigation,
    NotifyInitialized,
    CurrentUserId,
    Other,
}

/// The durable part of the engine: what a reload must not lose.
#[derive(Debug, Clone, Default, Serialize, Write, Deserialize, Read)]
struct Durable {
    calls: records::Calls,
    outbox: Outbox,
    user_id: Option<String>,
    next_call_id: u64,
    /// The record the agent clicked to dial, waiting for its outbound interaction.
    pending_dial: Option<call::DialedRecord>,
    omni: OmniSync,
    /// The record shown in the console (from `onNavigationChange`).
    shown_record: Option<trace::RelatedRecord>,
    /// The interaction the panel shows.
    current: Option<String>,
    wrap_up_codes: Map<String, String>,
    /// Interactions finished and forgotten (newest last, bounded): a late event for one of
    /// them is ignored rather than starting the call (and its Task) again.
    #[serde(default)]
    forgotten: VecDeque<String>,
    /// What a forgotten call leaves behind for when it comes back: its Task (an Id is no
    /// personal data) and this agent's talk time on it, so that the Task is found without a
    /// lookup and keeps its duration.
    #[serde(default)]
    forgotten_tasks: Map<String, (String, i64)>,
    /// And its Case (an Id), so that the call keeps it when it comes back: found again only
    /// through the Task's WhatId, it was lost when a record related first took that place, and
    /// a second Case followed.
    #[serde(default)]
    forgotten_cases: Map<String, String>,
}

impl Durable {
    /// What forgotten call `id` left behind, taken back (the call came back) or dropped.
    fn take_left_behind(&mut self, id: &str) -> call::LeftBehind {
        call::LeftBehind { task: self.forgotten_tasks.remove(id), case: self.forgotten_cases.remove(id) }
    }

    /// The record of forgotten call `id`, `seq`th in the order of forgetting.
    fn gone(&self, id: &str, seq: u64) -> records::Gone {
        records::Gone { seq, task: self.forgotten_tasks.get(id).cloned(), case: self.forgotten_cases.get(id).cloned() }
    }
}

/// The adapter engine for one agent.
pub struct Engine {
    config: AdapterConfig,
    ctx: AgentContext,
    state: Durable,
    pending: Map<CallId, Purpose>,
    /// When each pending call times out, and whether it went to the desktop.
    deadlines: Map<CallId, (Millis, bool)>,
    /// When this adapter started after a restore (held calls must be handed back by then).
    restored_at: Option<Millis>,
    restored: bool,
    /// Failed asks for the current user's Id, and when to ask again.
    user_id_failures: u32,
    user_id_retry_at: Millis,
    /// (interaction, field) whose value was cut to Salesforce's limit and said so.
    reported_cuts: Set<(String, String)>,
    /// The agent's state says it logged out.
    logged_out: bool,
    /// Salesforce refused our Apex class as missing; cleared by any answer from it.
    apex_unavailable: bool,
    effects: VecDeque<Effect>,
    diagnostics: Vec<Diagnostic>,
    /// What the agent must see first (see [`Engine::agent_alerts`]): for a call (its id) or
    /// for the session; the newest few.
    alerts: Vec<(Option<String>, String)>,
    traces: Vec<PopTrace>,
    pop_traces_in_progress: Map<String, PopTrace>,
    now: Millis,
    /// A Persist effect was given and its records not yet taken.
    persist_announced: bool,
    /// The session as last written, and a digest of each call record as last written (a record
    /// that comes out the same is not written again).
    written_session: Option<records::Session>,
    written_calls: Map<String, u64>,
    /// Records of calls forgotten (or taken up again) since the records were last taken.
    gone_records: Vec<Record>,
    /// The order of forgetting, for the forgotten calls' records.
    forget_seq: u64,
    started: bool,
}

impl Engine {
    pub fn new(config: AdapterConfig, ctx: AgentContext) -> Self {
        Engine {
            config,
            ctx,
            state: Durable::default(),
            pending: Map::new(),
            deadlines: Map::new(),
            restored_at: None,
            restored: false,
            user_id_failures: 0,
            user_id_retry_at: 0,
            reported_cuts: Set::new(),
            logged_out: false,
            apex_unavailable: false,
            effects: VecDeque::new(),
            diagnostics: Vec::new(),
            alerts: Vec::new(),
            traces: Vec::new(),
            pop_traces_in_progress: Map::new(),
            now: 0,
            persist_announced: false,
            written_session: None,
            written_calls: Map::new(),
            gone_records: Vec::new(),
            forget_seq: 0,
            started: false,
        }
    }

    /// Resumes from a snapshot taken by [`Engine::snapshot`] (e.g. after a page reload). Calls
    /// that were in flight are treated as uncertain: creates are looked up before being re-sent.
    /// A snapshot that cannot be read starts fresh and says so in [`Engine::diagnostics`].
    pub fn restore(config: AdapterConfig, ctx: AgentContext, snapshot: &str) -> Self {
        let mut engine = Engine::new(config, ctx);
        // Through a `Value`: the state's types then need only the `Value` deserializer, which the
        // desktop events instantiate anyway, not a second one for text (about 50 KB of wasm).
        let parsed = serde_json::from_str::<Value>(snapshot).and_then(|v| crate::value_de::read::<Durable>(&v));
        match parsed {
            Ok(state) => engine.resume(state),
            Err(err) => engine.diagnostics.push(Diagnostic::warning(
                crate::config::Code::SnapshotUnreadable,
                "/snapshot",
                format!("the saved adapter state could not be read ({err}); starting fresh"),
            )),
        }
        engine
    }

    /// Resumes from the records a shell stored from [`Engine::take_changes`] (key, JSON), in any
    /// order. A record that cannot be read is left out and said so in [`Engine::diagnostics`];
    /// the others are kept. No records: a fresh start.
    pub fn restore_records(config: AdapterConfig, ctx: AgentContext, stored: &[(String, String)]) -> Self {
        let mut engine = Engine::new(config, ctx);
        if stored.is_empty() {
            return engine;
        }
        let (state, unreadable) = records::read(stored);
        for (key, why) in unreadable {
            engine.diagnostics.push(Diagnostic::warning(
                crate::config::Code::SnapshotUnreadable,
                format!("/snapshot/{key}"),
                format!("a saved record of the adapter could not be read ({why}); it is left out"),
            ));
        }
        engine.resume(state);
        engine
    }

    /// Takes up a state read back after a reload. Calls that were in flight are uncertain, and
    /// every record is written again at the next Persist (the store then matches the state).
    fn resume(&mut self, mut state: Durable) {
        state.outbox.normalise();
        state.outbox.mark_in_flight_uncertain();
        // Anything may have changed while the page was away (another agent took the
        // Task, wrapped the call up): every restored write reads Salesforce first.
        state.outbox.recheck_all();
        state.outbox.touch_all();
        self.restored = true;
        state.omni.forget_in_flight();
        state.calls.for_each_mut(|call| {
            // A search whose answer was lost starts again on the next event; payloads
            // that were in flight are rebuilt when their write is sent again.
            if matches!(call.pop, trace::PopState::Searching { .. }) {
                call.pop = trace::PopState::NotStarted;
            }
            call.in_flight = None;
        });
        self.state = state;
        self.write_all_gone_records();
    }

    /// Writes the record of every forgotten call again, in the order of forgetting, after every
    /// place already stored.
    fn write_all_gone_records(&mut self) {
        let base = self.forget_seq;
        for (n, id) in self.state.forgotten.iter().enumerate() {
            let gone = self.state.gone(id, base.saturating_add(n as u64));
            self.gone_records.push(records::gone_record(id, Some(&gone)));
        }
        self.forget_seq = base.saturating_add(self.state.forgotten.len() as u64);
    }

    /// What changed in the durable state since the last call, as records to store under their
    /// keys (`value` set) or remove (`None`). A shell calls it when it executes
    /// [`Effect::Persist`]; an input that changed nothing durable gives no records.
    pub fn take_changes(&mut self) -> Vec<Record> {
        self.persist_announced = false;
        let mut out = std::mem::take(&mut self.gone_records);
        if let Some(session) = records::Session::changed(&self.state, self.written_session.as_ref()) {
            out.push(records::session_record(&session));
            self.written_session = Some(session);
        }
        let mut ids = self.state.calls.take_changed();
        for id in self.state.outbox.take_touched().iter() {
            records::note(&mut ids, id);
        }
        for id in ids.iter() {
            let record = records::call_record(&self.state, id);
            match &record.value {
                Some(text) => {
                    let digest = records::digest(text);
                    if self.written_calls.get(id.as_str()) == Some(&digest) {
                        continue;
                    }
                    self.written_calls.insert(id.clone(), digest);
                }
                None => {
                    if self.written_calls.remove(id.as_str()).is_none() && !self.restored {
                        continue; // never written
                    }
                }
            }
            out.push(record);
        }
        out
    }

    /// The shell could not store the records it took (a full quota): every record is written
    /// again at the next Persist, so nothing the store missed is lost if room comes back.
    pub fn rewrite_all(&mut self) {
        self.written_session = None;
        // Kept as written (their removal must still be stored), but with a digest no record has.
        for (_, digest) in self.written_calls.iter_mut() {
            *digest = 0;
        }
        self.state.calls.touch_all();
        self.state.outbox.touch_all();
        self.write_all_gone_records();
    }

    /// Whether the durable state changed since the records were last taken.
    fn has_unsaved_changes(&self) -> bool {
        self.state.calls.has_changes()
            || self.state.outbox.has_changes()
            || !self.gone_records.is_empty()
            || records::Session::changed(&self.state, self.written_session.as_ref()).is_some()
    }

    /// The durable state as JSON.
    pub fn snapshot(&self) -> String {
        serde_json::to_string(&self.state).unwrap_or_default()
    }

    pub fn config(&self) -> &AdapterConfig {
        &self.config
    }

    /// Problems found while running (bad events, Salesforce errors, name mismatches).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The "why this record" traces of the pops so far, oldest first.
    pub fn pop_traces(&self) -> &[PopTrace] {
        &self.traces
    }

    /// What the panel shows about the current interaction.
    pub fn current_call(&self) -> Option<CallView> {
        let id = self.state.current.as_ref()?;
        let call = self.state.calls.get(id)?;
        let subject = values::subject(call, &self.config, &self.ctx);
        Some(call.view(&self.traces, subject, self.config.activity.subject_editable))
    }

    /// What the agent must see first, in words for the agent: a dial the desktop refused, a
    /// search Salesforce refused for the current call. Newest first.
    pub fn agent_alerts(&self) -> Vec<String> {
        let current = self.state.current.as_deref();
        self.alerts
            .iter()
            .rev()
            .filter(|(id, _)| id.is_none() || id.as_deref() == current)
            .map(|(_, text)| text.clone())
            .collect()
    }

    /// Number of writes not yet confirmed by Salesforce (parked writes are not counted).
    pub fn outbox_len(&self) -> usize {
        self.state.outbox.len()
    }

    /// Writes Salesforce refused for good (or that failed every attempt), with their reasons and
    /// the notes they held, so the agent can copy them: nothing is lost silently. They are not
    /// sent again; the panel shows them at the top.
    /// Notes the Task's field could not hold whole come as an entry of their own (op `notes`).
    pub fn parked_writes(&self) -> Vec<ParkedWrite> {
        let refused = self.state.outbox.parked().map(|(id, op, reason)| ParkedWrite {
            interaction_id: id.to_string(),
            op: op.name(),
            reason: reason.to_string(),
            notes: self.state.calls.get(id).map(|c| c.notes.clone()).unwrap_or_default(),
        });
        let cut = self.state.calls.iter().filter_map(|(id, c)| {
            let (reason, notes) = if c.notes_held {
                ("the Task could not be read back to add them beside other agents' notes", c.notes.clone())
            } else {
                (
                    "the notes are longer than the Task's field takes: the Task holds their start",
                    c.unwritten_notes.clone()?,
                )
            };
            Some(ParkedWrite { interaction_id: id.clone(), op: "notes", reason: reason.into(), notes })
        });
        refused.chain(cut).collect()
    }

    /// The interactions the durable state holds (what a reload would bring back).
    pub fn stored_interactions(&self) -> Vec<String> {
        self.state.calls.keys().cloned().collect()
    }

    /// The next effect to execute, in order.
    #[must_use]
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    /// Handles one input at time `now`.
    pub fn handle(&mut self, input: Input, now: Millis) {
        self.now = now.max(self.now);
        match input {
            Input::Start => self.start(),
            Input::ContactEvent { name, payload } => self.contact_event(&name, payload),
            Input::SalesforceResult { call_id, response } => self.salesforce_result(call_id, response),
            Input::DesktopResult { call_id, result } => self.desktop_result(call_id, result),
            Input::ClickToDial(value) => self.click_to_dial(&value),
            Input::NavigationChange(value) => {
                let nav = NavigationChange::from_value(&value);
                if let (Some(id), Some(object)) = (nav.record_id.clone(), nav.object_type.clone()) {
                    self.state.shown_record = Some(trace::RelatedRecord {
                        id,
                        object_type: object,
                        account_id: None,
                        name: nav.record_name.clone(),
                    });
                }
            }
            Input::Notes { interaction_id, text } => self.notes(interaction_id, text),
            Input::OmniMessage(message) => self.omni_message(&message),
            Input::AgentState(latest) => self.agent_state(&latest),
            Input::Action(action) => self.panel_action(action),
            // Timers fire here only: any other input changes nothing it is not about.
            Input::Tick => {
                self.expire_overdue_calls();
                self.reconfirm_restored_calls();
                self.forget_finished_calls();
            }
        }
        self.clear_after_logout();
        self.pump();
        self.flush_persist();
    }

    /// Calls whose deadline passed are answered with a timeout (SPEC §6).
    fn expire_overdue_calls(&mut self) {
        let now = self.now;
        let overdue: Vec<(CallId, bool)> =
            self.deadlines.iter().filter(|(_, (at, _))| *at <= now).map(|(id, (_, desktop))| (*id, *desktop)).collect();
        for (call_id, desktop) in overdue {
            self.deadlines.remove(&call_id);
            if !self.pending.contains_key(&call_id) {
                continue;
            }
            if desktop {
                self.desktop_result(
                    call_id,
                    Err(format!("no answer from the desktop within {} s", CALL_DEADLINE_MS / 1000)),
                );
            } else {
                self.salesforce_result(call_id, OpenCtiResponse::timeout(CALL_DEADLINE_MS / 1000));
            }
        }
    }

    /// After a reload, a call this adapter held that the desktop has not handed back within
    /// [`RECONFIRM_MS`] moved on while the page was away: its ownership writes are dropped.
    fn reconfirm_restored_calls(&mut self) {
        let Some(since) = self.restored_at else { return };
        if self.now.saturating_sub(since) < RECONFIRM_MS {
            return;
        }
        self.restored_at = None;
        let stale: Vec<String> = self
            .state
            .calls
            .iter()
            .filter(|(_, c)| !c.seen_since_start && c.is_active())
            .map(|(id, _)| id.clone())
            .collect();
        for id in stale {
            if self.state.outbox.get(&id, outbox::Op::TakeOwnership).is_some() {
                self.state.outbox.remove(&id, outbox::Op::TakeOwnership);
                self.log(
                    LogLevel::Info,
                    "a call held before the reload was not handed back: not taking its Task again",
                );
            }
            if let Some(call) = self.state.calls.get_mut(&id) {
                // Treated as handed on: the Task is someone else's to finish unless nobody took it.
                call.transferred_away = true;
                call.transferred_at = Some(since);
                call.presumed_gone = true;
                call.remote_owner = None;
            }
        }
    }

    /// When the engine next wants [`Input::Tick`]: the earliest of its timers (a retry, a
    /// deadline, a call to forget, a restored call to give up on, the user-Id ask). The shell
    /// keeps one timer armed for it, re-arming only when the answer changes (quinn-proto's
    /// `poll_timeout`). `None`: nothing is due.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Millis> {
        let now = self.now;
        let retry = self.state.outbox.next_wake(now);
        let deadline = self.deadlines.values().map(|(at, _)| *at).min();
        // Only what a Tick can act on: a call with writes still unsent is not forgotten, and a
        // past retry time of the user-Id ask is acted on by the next pump already.
        let outbox = &self.state.outbox;
        let forget = self
            .state
            .calls
            .iter()
            .filter(|(id, _)| !outbox.has_entries_for(id))
            .filter_map(|(id, c)| c.forget_at(outbox.has_parked_for(id)))
            .min();
        let reconfirm = self.restored_at.map(|t| t.saturating_add(RECONFIRM_MS));
        let user = (self.state.user_id.is_none() && self.user_id_failures > 0 && self.user_id_retry_at > now)
            .then_some(self.user_id_retry_at);
        [retry, deadline, forget, reconfirm, user].into_iter().flatten().min()
    }

    fn next_call_id(&mut self) -> CallId {
        self.state.next_call_id = self.state.next_call_id.saturating_add(1);
        CallId(self.state.next_call_id)
    }

    fn call_salesforce(&mut self, call: OpenCtiCall, purpose: Purpose) -> CallId {
        let id = self.next_call_id();
        let interaction_id = match &purpose {
            Purpose::Pop { interaction_id } | Purpose::Outbox { interaction_id, .. } => Some(interaction_id.clone()),
            Purpose::Navigation { interaction_id } => Some(interaction_id.clone()),
            Purpose::Session(_) | Purpose::Omni(_) | Purpose::Outdial => None,
        };
        self.pending.insert(id, purpose);
        self.deadlines.insert(id, (self.now.saturating_add(CALL_DEADLINE_MS), false));
        self.effects.push_back(Effect::OpenCti { call_id: id, call, interaction_id });
        id
    }

    fn call_desktop(&mut self, call: DesktopCall, purpose: Purpose) -> CallId {
        let id = self.next_call_id();
        self.pending.insert(id, purpose);
        self.deadlines.insert(id, (self.now.saturating_add(CALL_DEADLINE_MS), true));
        self.effects.push_back(Effect::Desktop { call_id: id, call });
        id
    }

    fn log(&mut self, level: LogLevel, message: impl Into<String>) {
        self.effects.push_back(Effect::Log { level, message: message.into() });
    }

    /// Shows the agent `text` at the top of the panel, for the call `id` (or the session).
    fn alert(&mut self, id: Option<&str>, text: String) {
        if self.alerts.len() >= 5 {
            self.alerts.remove(0);
        }
        self.alerts.push((id.map(String::from), text));
    }

    fn diagnose(&mut self, diagnostic: Diagnostic) {
        // Keep the list bounded over an 8-hour shift: the newest 200 are what an admin needs.
        if self.diagnostics.len() >= 200 {
            self.diagnostics.remove(0);
        }
        self.diagnostics.push(diagnostic);
    }

    /// A Persist effect goes before the calls it protects: insert it ahead of the first write
    /// (Salesforce records, the agent's state, CAD variables, a dial) produced since the last one.
    /// Searches, pops and session calls are safe to repeat after a reload, so they go first and
    /// the event → screen-pop latency does not include saving the state (SPEC §7).
    fn flush_persist(&mut self) {
        if self.persist_announced || !self.has_unsaved_changes() {
            return;
        }
        self.persist_announced = true;
        let pending = &self.pending;
        let protects = |e: &Effect| match e {
            Effect::OpenCti { call_id, .. } => !matches!(
                pending.get(call_id),
                Some(Purpose::Pop { .. } | Purpose::Session(_) | Purpose::Navigation { .. })
            ),
            Effect::Desktop { .. } => true,
            Effect::Persist | Effect::Log { .. } => false,
        };
        match self.effects.iter().position(protects) {
            Some(i) => self.effects.insert(i, Effect::Persist),
            None => self.effects.push_back(Effect::Persist),
        }
    }

    fn start(&mut self) {
        if self.started {
            return;
        }
        self.started = true;
        if self.restored {
            self.restored_at = Some(self.now);
        }
        self.call_salesforce(OpenCtiCall::EnableClickToDial, Purpose::Session(SessionCall::EnableClickToDial));
        self.call_salesforce(OpenCtiCall::OnClickToDial, Purpose::Session(SessionCall::ListenClickToDial));
        self.call_salesforce(OpenCtiCall::OnNavigationChange, Purpose::Session(SessionCall::ListenNavigation));
        if self.config.omni.sync_enabled {
            self.omni_start();
        }
        if self.config.activity.transfer_task_ownership {
            // Once per session: whose Task it is matters on every transfer.
            self.need_user_id();
        }
        self.call_salesforce(
            OpenCtiCall::NotifyInitializationComplete,
            Purpose::Session(SessionCall::NotifyInitialized),
        );
        // Resume what a reload interrupted.
        if !self.state.outbox.is_empty() {
            self.log(LogLevel::Info, format!("resuming {} unconfirmed Salesforce write(s)", self.state.outbox.len()));
        }
    }

    fn contact_event(&mut self, name: &str, payload: Value) {
        let event = match desktop::parse_event_value(name, payload) {
            Ok(e) => e,
            Err(desktop::DesktopError::UnknownEvent(n)) => {
                self.log(LogLevel::Debug, format!("ignored unknown desktop event `{n}`"));
                return;
            }
            Err(err) => {
                self.diagnose(Diagnostic::warning(
                    crate::config::Code::DesktopRefused,
                    format!("/desktop/{name}"),
                    err.to_string(),
                ));
                return;
            }
        };
        let id = event.interaction_id().to_string();
        let mut revived = false;
        if let Some(pos) = self.state.forgotten.iter().position(|f| *f == id) {
            // A call forgotten after retention that reaches this agent again (a long call, or
            // one that comes back hours later) is taken up again; anything else is a late echo.
            let reaches_me = matches!(
                event.kind,
                ContactEventKind::OfferContact
                    | ContactEventKind::ContactAssigned
                    | ContactEventKind::OfferConsult
                    | ContactEventKind::ConsultTransfer
            ) || (event.kind == ContactEventKind::ContactOwnerChanged
                && !self.ctx.agent_id.is_empty()
                && event.data().to_owner.as_deref() == Some(self.ctx.agent_id.as_str()))
                || (event.kind == ContactEventKind::Contact
                    && !self.ctx.agent_id.is_empty()
                    && event.owner_agent() == Some(self.ctx.agent_id.as_str()));
            if !reaches_me {
                self.log(LogLevel::Debug, format!("ignored {name} for a call finished earlier"));
                return;
            }
            self.state.forgotten.remove(pos);
            self.gone_records.push(records::gone_record(&id, None));
            revived = true;
            self.log(LogLevel::Info, "a call finished earlier reached this agent again: taking it up");
        }
        let existing = self.state.calls.contains_key(&id);
        if !existing
            && matches!(event.kind, ContactEventKind::ContactWrappedUp | ContactEventKind::ContactEnded)
            && event.interaction().is_none()
        {
            // Nothing known about it and nothing to learn: a stray end of a call we never saw.
            return;
        }
        let ctx_agent = self.ctx.agent_id.clone();
        let now = self.now;
        let task_var = self
            .config
            .activity
            .transfer_task_ownership
            .then(|| self.config.activity.task_id_cad_variable.clone())
            .filter(|v| !v.is_empty());
        let left = if revived { self.state.take_left_behind(&id) } else { call::LeftBehind::default() };
        let ownership = self.config.activity.transfer_task_ownership;
        let call = self.state.calls.get_or_insert_with(&id, || {
            let mut call = Call::new(&id, now);
            call.revived = revived;
            call.remember(left, ownership);
            call
        });
        let changes = call.apply_event(&event, &ctx_agent, task_var.as_deref(), now);
        if call.is_ours() {
            self.state.current = Some(id.clone());
        }
        if changes.newly_outbound {
            // The call went out after all: an earlier refusal is old news.
            self.alerts.retain(|(id, _)| id.is_some());
            self.attach_dialed_record(&id);
        }
        if changes.offered_or_connected {
            self.maybe_pop(&id);
        }
        if changes.connected {
            self.on_connected(&id);
        }
        if changes.transferred_away {
            self.on_transferred_away(&id);
        }
        if changes.wrapped_up {
            self.on_wrapped_up(&id);
        }
        if changes.cad_task_id_seen {
            self.on_task_id_in_cad(&id);
        }
        if self.config.omni.sync_enabled {
            self.omni_voice_changed();
        }
    }

    /// Keeps memory flat over a shift: finished calls with nothing left to write go.
    fn forget_finished_calls(&mut self) {
        let now = self.now;
        let outbox = &self.state.outbox;
        let current = self.state.current.clone();
        let gone: Vec<String> = self
            .state
            .calls
            .iter()
            .filter(|(id, c)| c.is_finished_for(now, outbox.has_parked_for(id)) && !outbox.has_entries_for(id))
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            if let Some(call) = self.state.calls.remove(&id) {
                let talk = call.is_answered().then(|| call.talk_seconds()).flatten();
                if let (Some(task), Some(talk)) = (call.task_id.clone(), talk) {
                    self.state.forgotten_tasks.insert(id.clone(), (task, talk.saturating_mul(1000)));
                }
                if let Some(case) = call.case_id {
                    self.state.forgotten_cases.insert(id.clone(), case);
                }
            }
            if current.as_deref() == Some(id.as_str()) {
                self.state.current = None;
            }
            let parked = self.state.outbox.remove_all(&id);
            if parked > 0 {
                self.log(
                    LogLevel::Warn,
                    format!("{parked} parked write(s) of a call left alone for 8 hours are dropped with it"),
                );
            }
            self.pop_traces_in_progress.remove(&id);
            if self.state.forgotten.len() >= 500 {
                if let Some(old) = self.state.forgotten.pop_front() {
                    self.state.take_left_behind(&old);
                    self.gone_records.push(records::gone_record(&old, None));
                }
            }
            let gone = self.state.gone(&id, self.forget_seq);
            self.forget_seq = self.forget_seq.saturating_add(1);
            self.gone_records.push(records::gone_record(&id, Some(&gone)));
            self.state.forgotten.push_back(id);
        }
    }

    fn salesforce_result(&mut self, call_id: CallId, response: OpenCtiResponse) {
        self.deadlines.remove(&call_id);
        let Some(purpose) = self.pending.remove(&call_id) else {
            self.log(LogLevel::Debug, format!("result for unknown call {}", call_id.0));
            return;
        };
        match purpose {
            Purpose::Session(what) => self.session_result(what, &response),
            Purpose::Pop { interaction_id } => self.pop_result(&interaction_id, &response),
            Purpose::Outbox { interaction_id, op, lookup } => {
                self.outbox_result(&interaction_id, op, lookup, &response)
            }
            Purpose::Omni(call) => self.omni_result(call, &response),
            Purpose::Outdial | Purpose::Navigation { .. } => {
                if !response.success {
                    self.salesforce_error("screen pop", &response);
                }
            }
        }
    }

    fn desktop_result(&mut self, call_id: CallId, result: Result<Value, String>) {
        self.deadlines.remove(&call_id);
        let Some(purpose) = self.pending.remove(&call_id) else { return };
        match (purpose, result) {
            (Purpose::Omni(call), r) => self.omni_desktop_result(call, r),
            (Purpose::Outbox { interaction_id, op, .. }, r) => self.outbox_desktop_result(&interaction_id, op, r),
            (Purpose::Outdial, Err(err)) => {
                self.alert(None, format!("Your call was not placed: the desktop refused to dial ({err}). Dial again."));
                self.diagnose(Diagnostic::error(
                    crate::config::Code::DesktopRefused,
                    "/desktop/startOutdial",
                    format!("the desktop refused to dial: {err}"),
                ));
            }
            _ => {}
        }
    }

    fn session_result(&mut self, what: SessionCall, response: &OpenCtiResponse) {
        if what == SessionCall::CurrentUserId && response.is_permanent_refusal() {
            self.apex_missing();
        }
        if response.success && what == SessionCall::CurrentUserId {
            self.apex_unavailable = false;
        }
        if !response.success && what == SessionCall::CurrentUserId {
            self.user_id_failures = self.user_id_failures.saturating_add(1);
            self.user_id_retry_at = self.now.saturating_add(outbox::backoff_ms(self.user_id_failures));
        }
        if !response.success {
            self.salesforce_error("start-up", response);
            return;
        }
        if what == SessionCall::CurrentUserId {
            let id = crate::salesforce::RunApexResult::from_return_value(&response.return_value)
                .map(|id| id.as_str().trim().to_string())
                .filter(|id| !id.is_empty());
            match id {
                Some(id) => {
                    self.state.user_id = Some(id);
                }
                None => {
                    // An answer without an Id is no better than a failure: count it, back off.
                    self.user_id_failures = self.user_id_failures.saturating_add(1);
                    self.user_id_retry_at = self.now.saturating_add(outbox::backoff_ms(self.user_id_failures));
                }
            }
        }
    }

    fn salesforce_error(&mut self, what: &str, response: &OpenCtiResponse) {
        let summary = response.error_summary();
        self.log(LogLevel::Warn, format!("Salesforce refused the {what} call: {summary}"));
        self.diagnose(Diagnostic::warning(
            crate::config::Code::SalesforceRefused,
            format!("/salesforce/{}", what.replace(' ', "-")),
            format!("Salesforce refused the {what} call: {summary}"),
        ));
    }

    fn click_to_dial(&mut self, value: &Value) {
        let payload = match ClickToDialPayload::from_value(value) {
            Ok(p) => p,
            Err(err) => {
                self.diagnose(Diagnostic::warning(
                    crate::config::Code::ClickToDialInvalid,
                    "/salesforce/onClickToDial",
                    err.to_string(),
                ));
                return;
            }
        };
        let digits = crate::phone::dial_digits(payload.number.expose(), &self.config.outdial.dial_prefixes);
        if digits.is_empty() {
            self.diagnose(Diagnostic::warning(
                crate::config::Code::ClickToDialInvalid,
                "/salesforce/onClickToDial",
                "the clicked number has no digits to dial",
            ));
            return;
        }
        let origin = if self.config.outdial.use_agent_outdial_ani && !self.ctx.outdial_ani.is_empty() {
            Some(self.ctx.outdial_ani.as_str())
        } else {
            None
        };
        let request = desktop::outdial_request(&self.ctx.outdial_entry_point_id, &digits, origin);
        if let (Some(id), object) = (payload.record_id.clone(), payload.object_type.clone()) {
            let object_type =
                object.or_else(|| crate::salesforce::object_type_from_id(&id).map(String::from)).unwrap_or_default();
            self.state.pending_dial = Some(call::DialedRecord {
                record: trace::RelatedRecord { id, object_type, account_id: None, name: payload.record_name.clone() },
                digits: digits.clone(),
                at: self.now,
            });
        }
        self.alerts.retain(|(id, _)| id.is_some());
        self.log(LogLevel::Info, format!("dialing {}", crate::pii::redact(&digits)));
        self.call_desktop(DesktopCall::StartOutdial(request), Purpose::Outdial);
    }

    /// The first outbound interaction after a click-to-dial is that dial: relate the record.
    fn attach_dialed_record(&mut self, id: &str) {
        let Some(dial) = self.state.pending_dial.take() else { return };
        // A dial older than two minutes did not produce this call.
        if self.now.saturating_sub(dial.at) > 120_000 {
            return;
        }
        if let Some(call) = self.state.calls.get_mut(id) {
            call.related = Some(dial.record);
        }
    }

    fn notes(&mut self, interaction_id: Option<String>, text: String) {
        let Some(id) = interaction_id.or_else(|| self.state.current.clone()) else {
            self.log(LogLevel::Warn, "notes typed with no call: kept in the panel only");
            return;
        };
        let now = self.now;
        if let Some(pos) = self.state.forgotten.iter().position(|f| *f == id) {
            // Notes for a call forgotten after retention still reach its Task: taken up again as
            // a call this agent no longer holds (it adds its notes, owns nothing, ends nothing).
            self.state.forgotten.remove(pos);
            self.gone_records.push(records::gone_record(&id, None));
            let left = self.state.take_left_behind(&id);
            let mut call = Call::new(&id, now);
            call.revived = true;
            call.remember(left, self.config.activity.transfer_task_ownership);
            call.connected_at = Some(now);
            call.done_at = Some(now);
            call.transferred_away = true;
            call.transferred_at = Some(now);
            call.leg = call::Leg::Done;
            self.state.calls.insert(id.clone(), call);
            self.log(LogLevel::Info, "notes for a call finished earlier: adding them to its Task");
            self.enqueue_create_task(&id);
        }
        // Notes for a call whose events have not come yet are kept for it, not dropped.
        let call = self.state.calls.get_or_insert_with(&id, || Call::new(&id, now));
        call.last_activity = call.last_activity.max(now);
        if call.notes == text {
            return;
        }
        call.notes = text;
        self.notes_changed(&id);
    }

    fn panel_action(&mut self, action: PanelAction) {
        let Some(id) = self.state.current.clone() else { return };
        let now = self.now;
        let Some(call) = self.state.calls.get_mut(&id) else { return };
        call.last_activity = call.last_activity.max(now);
        // Writes for a call this agent no longer holds (it rang out, or went to another agent)
        // would land on someone else's call log, or never be sent at all. A pick or a subject
        // may come while the call still rings (the pop happens at the offer).
        let holds = match action {
            PanelAction::OpenTask => true,
            PanelAction::Pick(_) | PanelAction::SetSubject(_) => call.subject_open(),
            _ => call.is_ours() && call.is_answered() && !call.transferred_away,
        };
        if !holds {
            let why = if call.transferred_away {
                "it was transferred to another agent"
            } else if !call.is_answered() || !call.is_ours() {
                "it was not answered here"
            } else {
                "it is wrapped up"
            };
            self.log(LogLevel::Warn, format!("{} refused: {why}", action.name()));
            let message = if why == "it is wrapped up" {
                "this call is wrapped up and its call log written: nothing more was written".to_string()
            } else {
                format!("this call is no longer yours ({why}): nothing was written")
            };
            self.diagnose(Diagnostic::warning(crate::config::Code::CallNotHeld, "/panel", message));
            return;
        }
        match action {
            PanelAction::OpenTask => self.open_task(&id, true),
            PanelAction::RelateShownRecord => {
                if let (Some(record), Some(call)) = (self.state.shown_record.clone(), self.state.calls.get_mut(&id)) {
                    call.related = Some(record);
                    self.task_fields_changed(&id);
                }
            }
            PanelAction::CreateCase => self.request_case(&id, true),
            PanelAction::Pick(record_id) => self.pick(&id, &record_id),
            PanelAction::SetSubject(text) => {
                if !self.config.activity.subject_editable {
                    return;
                }
                // Salesforce's Subject holds 255 characters; an empty one means the template's.
                let text: String = text.trim().chars().take(255).collect();
                if let Some(call) = self.state.calls.get_mut(&id) {
                    let subject = (!text.is_empty()).then_some(text);
                    if call.subject != subject {
                        call.subject = subject;
                        self.task_fields_changed(&id);
                    }
                }
            }
        }
    }

    /// Whether the agent logged out and everything it stored is gone (nothing was pending).
    pub fn is_cleared(&self) -> bool {
        self.logged_out && self.state.calls.is_empty() && self.state.outbox.is_empty()
    }

    /// At logout the agent's calls, notes and records go from storage, once every write is
    /// confirmed (or parked and shown); until then they stay so that nothing is lost.
    fn clear_after_logout(&mut self) {
        if !self.logged_out
            || !self.state.outbox.is_empty()
            || self.state.calls.is_empty() && self.state.forgotten.is_empty()
        {
            return;
        }
        for id in self.state.forgotten.iter() {
            self.gone_records.push(records::gone_record(id, None));
        }
        self.state.calls.clear();
        self.state.outbox.clear();
        let kept = Durable {
            calls: std::mem::take(&mut self.state.calls),
            outbox: std::mem::take(&mut self.state.outbox),
            user_id: self.state.user_id.take(),
            next_call_id: self.state.next_call_id,
            wrap_up_codes: std::mem::take(&mut self.state.wrap_up_codes),
            omni: std::mem::take(&mut self.state.omni),
            ..Durable::default()
        };
        self.state = kept;
        self.traces.clear();
        self.pop_traces_in_progress.clear();
        self.log(LogLevel::Info, "logged out: the calls and notes kept for this agent are cleared");
    }

    fn agent_state(&mut self, latest: &Value) {
        // The wrap-up codes come with the agent's state: their names are what a Task shows.
        let state = desktop::AgentState::from_latest_data(latest);
        if state.is_logged_out() {
            self.logged_out = true;
            self.clear_after_logout();
            return;
        }
        self.logged_out = false;
        let codes: Map<String, String> =
            state.wrapup_codes.iter().filter(|c| !c.id.is_empty()).map(|c| (c.id.clone(), c.name.clone())).collect();
        if !codes.is_empty() && codes != self.state.wrap_up_codes {
            self.state.wrap_up_codes = codes;
        }
        if self.config.omni.sync_enabled {
            self.omni_agent_state(latest);
        }
    }
}

#[cfg(test)]
mod read_parity_tests;
#[cfg(test)]
mod tests;
