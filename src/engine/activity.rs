//! The call log (Task) and the Case: what to write, when, and what to do with the answers.
//!
//! Every write goes through the outbox. What the Task should say ([`Written`]) is derived from
//! the call; after each confirmed write the engine compares it with what Salesforce has and
//! queues one update for the difference. With ownership change on, a Task is looked up by
//! `CallObject` before it is created (a receiving agent adopts the one that exists) and notes
//! are merged with the other agents' notes, never overwritten.

use super::call::{Call, Written};
use super::outbox::Op;
use super::values;
use super::{DesktopCall, Engine, LogLevel, Purpose, SessionCall, UNCONFIRMED_TASK};
use crate::config::{Code, Diagnostic};
use crate::desktop::Direction;
use crate::salesforce::{self, OpenCtiCall, OpenCtiResponse, RunApexResult, ScreenPop};
use serde_json::{Map, Value};

const TASK_PREFIX: &str = "00T";
/// Failed user-Id lookups after which writes stop waiting for it (they go without an owner).
const USER_ID_TRIES: u32 = 10;
/// How many times (backing off 1 s … 60 s) an agent looks for the Case another agent makes.
const CASE_WAIT_ATTEMPTS: u32 = 8;
const CASE_PREFIX: &str = "500";

/// What our Apex lookup returned for a Task.
struct FoundTask {
    id: String,
    who_id: Option<String>,
    what_id: Option<String>,
    owner_id: Option<String>,
    notes: Option<String>,
    /// `CallDurationInSeconds` as written by an earlier leg.
    duration: Option<i64>,
}

impl Engine {
    fn ownership(&self) -> bool {
        self.config.activity.transfer_task_ownership
    }

    /// Queues the Task's create. For a call taken up again after it was forgotten, this agent's
    /// Task may exist already: the create is as uncertain as one whose answer was lost.
    pub(super) fn enqueue_create_task(&mut self, id: &str) {
        if self.state.calls.get(id).is_some_and(|c| c.task_id.is_some()) {
            return; // remembered from before the call was forgotten
        }
        let lookup = self.create_lookup(id);
        self.enqueue(id, Op::CreateTask, lookup);
        if self.state.calls.get(id).is_some_and(|c| c.revived) {
            self.state.outbox.set_uncertain(id, Op::CreateTask, true);
        }
    }

    /// Whether a Task create looks for an existing one first: with ownership change on any
    /// agent's may exist; a call taken up again after it was forgotten may have this agent's.
    fn create_lookup(&self, id: &str) -> bool {
        self.ownership() || self.state.calls.get(id).is_some_and(|c| c.revived)
    }

    fn enqueue(&mut self, id: &str, op: Op, lookup_first: bool) {
        let now = self.now;
        if self.state.outbox.enqueue(id, op, now, lookup_first) {}
    }

    pub(super) fn on_connected(&mut self, id: &str) {
        let ownership = self.ownership();
        let Some(call) = self.state.calls.get_mut(id) else { return };
        if !call.is_ours() {
            return;
        }
        if ownership && call.returned && call.task_id.is_some() {
            // The call came back: its Task may belong to someone else now; take it back.
            call.task_adopted = true;
        }
        let (adopted, has_task) = (call.task_adopted, call.task_id.is_some());
        let wants_case = match call.direction {
            Some(Direction::Outbound) => self.config.case.create_for_outbound,
            _ => self.config.case.create_for_inbound,
        };
        if adopted && !call.owner_set {
            self.enqueue(id, Op::TakeOwnership, true);
        } else if self.config.activity.log_calls && self.config.activity.create_task_at_connect && !has_task {
            self.enqueue_create_task(id);
        }
        if wants_case {
            // The Task comes first, so that any agent can find the call's log (and its Case)
            // by CallObject; the Case follows and the Task is then linked to it.
            let has_create = self.state.outbox.get(id, Op::CreateTask).is_some();
            let has_task = self.state.calls.get(id).is_some_and(|c| c.task_id.is_some());
            if self.config.activity.log_calls && !has_task && !has_create {
                self.enqueue_create_task(id);
            }
            self.request_case(id, false);
        }
    }

    /// The Task Id arrived in the CAD variable (a transferred call): adopt that Task.
    pub(super) fn on_task_id_in_cad(&mut self, id: &str) {
        let var = self.config.activity.task_id_cad_variable.clone();
        let Some(call) = self.state.calls.get_mut(id) else { return };
        let Some(task_id) = values::cad(call, &var).map(String::from) else { return };
        if call.cad_task_id.as_deref() == Some(task_id.as_str()) {
            return;
        }
        call.cad_task_id = Some(task_id.clone());
        if call.task_id.as_deref() == Some(task_id.as_str()) {
            return; // our own write echoed back
        }
        if task_id == UNCONFIRMED_TASK {
            // Another agent's create may have landed: no second Task blind (our own mark echoed
            // back says nothing new).
            call.maybe_logged_elsewhere |= !call.marked_unconfirmed;
            return;
        }
        if !salesforce::is_record_id(&task_id, TASK_PREFIX) {
            // Agents and flows can edit CAD values: only a well-formed Task Id drives a write.
            self.log(LogLevel::Warn, format!("the CAD variable `{var}` does not hold a Task Id: ignored"));
            self.diagnose(Diagnostic::warning(
                Code::CadTaskIdInvalid,
                format!("/desktop/cad/{var}"),
                "the call's Task Id variable holds something that is not a Task Id; it is ignored",
            ));
            return;
        }
        if call.task_id.is_some() {
            return; // we already have one (looked up or created): keep it
        }
        call.task_id = Some(task_id);
        call.task_adopted = true;
        // Only the agent who holds the call takes the Task; one who gave it away just adds its
        // notes and details to it.
        let holds = call.is_active();
        let waiting = matches!(
            self.state.outbox.get(id, Op::CreateTask).map(|e| &e.status),
            Some(super::outbox::Status::Ready | super::outbox::Status::Parked { .. })
        );
        if waiting {
            self.state.outbox.remove(id, Op::CreateTask);
        }
        if holds {
            self.enqueue(id, Op::TakeOwnership, true);
        }
        self.reconcile(id);
    }

    pub(super) fn on_transferred_away(&mut self, id: &str) {
        let ownership = self.ownership();
        let Some(call) = self.state.calls.get_mut(id) else { return };
        if !call.is_answered() || !self.config.activity.log_calls {
            return;
        }
        if ownership {
            // Who owns the Task now is read again when this agent's leg ends.
            call.remote_owner = None;
        }
        let has_task = call.task_id.is_some();
        if ownership {
            // The receiving agent finishes the Task; ours must exist for it to adopt, with our notes.
            if !has_task && self.state.outbox.get(id, Op::CreateTask).is_none() {
                self.enqueue(id, Op::CreateTask, true);
            } else {
                self.reconcile(id);
            }
        } else {
            self.log_final(id);
        }
    }

    pub(super) fn on_wrapped_up(&mut self, id: &str) {
        if !self.config.activity.log_calls {
            return;
        }
        let transferred = self.state.calls.get(id).is_some_and(|c| c.transferred_away);
        if transferred && self.ownership() && self.state.calls.get(id).is_some_and(|c| c.task_id.is_some()) {
            // Did anyone take the Task? Read it, then write what is ours to write.
            self.enqueue(id, Op::UpdateTask, true);
            return;
        }
        self.log_final(id);
    }

    /// The call is over for this agent: its Task gets the final details (created if needed).
    fn log_final(&mut self, id: &str) {
        let Some(call) = self.state.calls.get(id) else { return };
        if call.task_id.is_some() || self.state.outbox.get(id, Op::CreateTask).is_some() {
            self.reconcile(id);
        } else {
            self.enqueue_create_task(id);
        }
    }

    pub(super) fn notes_changed(&mut self, id: &str) {
        if self.config.activity.live_notes {
            self.reconcile(id);
        }
    }

    pub(super) fn task_fields_changed(&mut self, id: &str) {
        self.reconcile(id);
    }

    pub(super) fn pop_finished(&mut self, id: &str) {
        self.reconcile(id);
    }

    /// The call rings back at this agent after an earlier leg, and this agent's own log
    /// (ownership change off) stays what that leg made it.
    fn keeps_earlier_leg(&self, call: &Call) -> bool {
        call.rings_again() && !self.ownership()
    }

    /// What the Task should say now.
    fn desired(&self, call: &Call) -> Written {
        // With ownership change on, an agent who gave the call away leaves the final fields to
        // whoever owns the Task now, unless nobody took it (read at the end of our leg).
        let me = self.state.user_id.as_deref();
        let handed_over = call.transferred_away
            && self.ownership()
            && (call.remote_owner.is_none() || call.remote_owner.as_deref() != me);
        // Each agent's own log (ownership change off) stays complete while the call rings back.
        let earlier_leg = self.keeps_earlier_leg(call);
        let final_fields =
            !handed_over && (earlier_leg || call.done_at.is_some() || (call.transferred_away && call.is_answered()));
        let (duration, disposition) =
            if final_fields { (call.talk_seconds(), self.disposition(call)) } else { (None, None) };
        let notes = if call.notes_held {
            call.written.notes.clone()
        } else if self.config.activity.live_notes {
            call.notes.trim().to_string()
        } else {
            String::new()
        };
        let mut who_id = None;
        let mut what_id = None;
        if let Some(record) = call.record() {
            if record.object_type.eq_ignore_ascii_case("Contact") || record.object_type.eq_ignore_ascii_case("Lead") {
                who_id = Some(record.id.clone());
                what_id = record.account_id.clone();
            } else {
                what_id = Some(record.id.clone());
            }
        }
        if let Some(case) = &call.case_id {
            what_id = Some(case.clone());
        }
        if handed_over {
            // The receiving agent owns the Task now: only our notes go in.
            return Written {
                final_fields: false,
                notes,
                who_id: call.written.who_id.clone(),
                what_id: call.written.what_id.clone(),
                duration: call.written.duration,
                disposition: call.written.disposition.clone(),
                subject: call.subject.clone(),
            };
        }
        Written { final_fields, notes, who_id, what_id, duration, disposition, subject: call.subject.clone() }
    }

    /// The wrap-up reason: given as text, or the wrap-up code's name (its id when unknown).
    fn disposition(&self, call: &Call) -> Option<String> {
        let named = |name: &Option<String>, code: &Option<String>| {
            name.clone().or_else(|| {
                code.as_ref().map(|c| self.state.wrap_up_codes.get(c).cloned().unwrap_or_else(|| c.clone()))
            })
        };
        let (earlier_name, earlier_code) = &call.earlier_disposition;
        named(&call.disposition, &call.disposition_code).or_else(|| named(earlier_name, earlier_code))
    }

    /// Queues an update when the Task exists and differs from what it should say.
    pub(super) fn reconcile(&mut self, id: &str) {
        let Some(call) = self.state.calls.get(id) else { return };
        let earlier_leg = self.keeps_earlier_leg(call);
        if !self.config.activity.log_calls || !(call.is_answered() || earlier_leg) {
            return;
        }
        let desired = self.desired(call);
        let pending_create = self.state.outbox.get(id, Op::CreateTask);
        // A create that has not gone yet carries everything when it goes; a parked one will not
        // go, and the panel shows the notes it would have carried.
        if pending_create.is_some_and(|e| e.status == super::outbox::Status::Ready || e.is_parked()) {
            return;
        }
        let reference = call.in_flight.as_ref().unwrap_or(&call.written);
        let final_changed = desired.final_fields
            && (!reference.final_fields
                || desired.duration != reference.duration
                || desired.disposition.is_some() && desired.disposition != reference.disposition);
        // The agent's subject goes with the next write, and at the latest with the final one:
        // it never makes a write of its own while the call goes on.
        let subject_due = desired.subject.is_some()
            && desired.subject != reference.subject
            && (desired.final_fields || call.transferred_away);
        let differs = final_changed
            || subject_due
            || desired.notes != reference.notes
            || desired.who_id.is_some() && desired.who_id != reference.who_id
            || desired.what_id.is_some() && desired.what_id != reference.what_id;
        if differs && (call.task_id.is_some() || pending_create.is_some()) {
            let lookup = self.ownership() && !desired.notes.is_empty();
            self.enqueue(id, Op::UpdateTask, lookup);
        }
    }

    /// Creates (once) or reuses the interaction's Case and opens it.
    pub(super) fn request_case(&mut self, id: &str, from_panel: bool) {
        let Some(call) = self.state.calls.get_mut(id) else { return };
        if call.case_id.is_some() {
            if from_panel || !call.case_opened {
                self.open_case(id);
            }
            return;
        }
        if call.case_requested && !from_panel {
            return;
        }
        call.case_requested = true;
        // Another agent may have made it already: find it through the Task first.
        self.enqueue(id, Op::CreateCase, true);
    }

    fn open_case(&mut self, id: &str) {
        let Some(call) = self.state.calls.get_mut(id) else { return };
        let Some(case_id) = call.case_id.clone() else { return };
        if call.transferred_away {
            return; // the call is someone else's now: do not take over this agent's console
        }
        call.case_opened = true;
        let pop = if self.config.case.open_in_edit_mode {
            ScreenPop::Url { url: format!("/lightning/r/Case/{case_id}/edit") }
        } else {
            ScreenPop::SObject { record_id: case_id }
        };
        self.call_salesforce(OpenCtiCall::ScreenPop(pop), Purpose::Navigation { interaction_id: id.to_string() });
    }

    pub(super) fn open_task(&mut self, id: &str, edit: bool) {
        let Some(task_id) = self.state.calls.get(id).and_then(|c| c.task_id.clone()) else { return };
        let pop = if edit {
            ScreenPop::Url { url: format!("/lightning/r/Task/{task_id}/edit") }
        } else {
            ScreenPop::SObject { record_id: task_id }
        };
        self.call_salesforce(OpenCtiCall::ScreenPop(pop), Purpose::Navigation { interaction_id: id.to_string() });
    }

    /// Our Apex failed to say who the user is this often, or is not there: writes stop waiting.
    /// A write that may have landed already (`patient`) waits as long as a write is retried.
    pub(super) fn user_id_unavailable(&self, patient: bool) -> bool {
        let tries = if patient { super::outbox::MAX_ATTEMPTS } else { USER_ID_TRIES };
        self.apex_unavailable || self.user_id_failures >= tries
    }

    /// Salesforce said our Apex class is not there (not deployed yet): lookups and the user's
    /// Id are given up for the session, so writes go at once (the Task Id in CAD finds the Task).
    pub(super) fn apex_missing(&mut self) {
        if !self.apex_unavailable {
            self.apex_unavailable = true;
            self.log(LogLevel::Warn, "our Apex class WxccCtiService is not available: writing without lookups");
        }
    }

    pub(super) fn need_user_id(&mut self) {
        let asked = self.pending.values().any(|p| matches!(p, Purpose::Session(SessionCall::CurrentUserId)));
        if self.state.user_id.is_none() && !asked && self.now >= self.user_id_retry_at {
            self.call_salesforce(
                OpenCtiCall::RunApex {
                    apex_class: "WxccCtiService".into(),
                    method_name: "currentUserId".into(),
                    method_params: String::new(),
                },
                Purpose::Session(SessionCall::CurrentUserId),
            );
        }
    }

    /// Sends every outbox entry that is due and whose prerequisites are met.
    pub(super) fn pump(&mut self) {
        for (id, op, _) in self.state.outbox.ready(self.now) {
            if !self.state.calls.contains_key(&id) {
                // Nothing left to write it from (should not happen): drop it loudly.
                self.state.outbox.remove(&id, op);
                self.log(LogLevel::Warn, format!("dropped {} for a call no longer known", op.name()));
                continue;
            }
            let wants_lookup = self.state.outbox.get(&id, op).is_some_and(|e| e.lookup_first);
            if !self.ready_to_send(&id, op, wants_lookup) {
                continue;
            }
            let lookup = self.state.outbox.get(&id, op).is_some_and(|e| e.lookup_first);
            let call_id = if lookup { self.send_lookup(&id, op) } else { self.send_write(&id, op) };
            if let Some(call_id) = call_id {
                self.state.outbox.mark_sent(&id, op, call_id);
            }
        }
    }

    fn ready_to_send(&mut self, id: &str, op: Op, lookup: bool) -> bool {
        if self.apex_unavailable && lookup && !self.lookup_given_up(id, op) {
            return false;
        }
        let Some(call) = self.state.calls.get(id) else { return false };
        let pop_busy = matches!(call.pop, super::trace::PopState::Searching { .. });
        let has_task = call.task_id.is_some();
        let marks_unconfirmed = op == Op::WriteTaskIdCad && call.marked_unconfirmed;
        let needs_user = match op {
            Op::TakeOwnership => true,
            // Owner-filtered lookups, and the "did anyone take it?" check after a transfer.
            Op::CreateTask | Op::UpdateTask => lookup && (!self.ownership() || call.transferred_away),
            _ => false,
        };
        if op == Op::TakeOwnership && (call.transferred_away || !call.is_ours()) {
            // The call went on to someone else before this was sent (or confirmed): taking the
            // Task now would take it from them.
            self.state.outbox.remove(id, op);
            self.log(LogLevel::Info, "the call moved on: not taking its Task");
            return false;
        }
        if op == Op::TakeOwnership && self.restored_at.is_some() && !call.seen_since_start {
            return false; // held until the desktop hands the call back after the reload
        }
        if needs_user && self.state.user_id.is_none() {
            let uncertain = self.state.outbox.get(id, op).is_some_and(|e| e.uncertain);
            if !self.user_id_unavailable(uncertain) {
                self.need_user_id();
                return false;
            }
            // Our Apex does not answer: nobody can be made the Task's owner, and lookups by
            // owner are impossible; the Task itself is still written (found by its CAD Id).
            if op == Op::TakeOwnership {
                self.state.outbox.remove(id, op);
                self.log(LogLevel::Warn, "the Task's owner cannot be changed: the current user is unknown");
                self.diagnose(Diagnostic::warning(
                    Code::ApexUnavailable,
                    "/salesforce/runApex",
                    "our Apex class WxccCtiService did not answer: Tasks keep their first owner on transfers",
                ));
                return false;
            }
            if !self.lookup_given_up(id, op) {
                return false;
            }
        }
        let task_parked = self.state.outbox.get(id, Op::CreateTask).is_some_and(|e| e.is_parked());
        if task_parked && op != Op::CreateTask && !marks_unconfirmed {
            // Everything else waits on the Task, which will not be written.
            self.park(id, op, "the call's Task could not be written (see that entry)".into());
            return false;
        }
        match op {
            Op::CreateCase => !pop_busy && (has_task || !self.config.activity.log_calls),
            Op::CreateTask => !pop_busy,
            Op::UpdateTask => has_task && self.state.outbox.get(id, Op::CreateTask).is_none(),
            Op::TakeOwnership => has_task,
            Op::WriteTaskIdCad => has_task || marks_unconfirmed,
        }
    }

    fn send_lookup(&mut self, id: &str, op: Op) -> Option<super::CallId> {
        let mut params = format!("callObject={id}");
        let owner_filter = !self.ownership() && matches!(op, Op::CreateTask | Op::UpdateTask);
        if owner_filter {
            if let Some(user) = &self.state.user_id {
                params.push_str(&format!("&ownerId={user}"));
            }
        }
        params.push_str(&format!("&fields=WhoId,CallDurationInSeconds,{}", self.config.activity.notes_field));
        let call = OpenCtiCall::RunApex {
            apex_class: "WxccCtiService".into(),
            method_name: "findTaskByCallObject".into(),
            method_params: params,
        };
        Some(self.call_salesforce(call, Purpose::Outbox { interaction_id: id.to_string(), op, lookup: true }))
    }

    fn send_write(&mut self, id: &str, op: Op) -> Option<super::CallId> {
        let purpose = Purpose::Outbox { interaction_id: id.to_string(), op, lookup: false };
        match op {
            Op::WriteTaskIdCad => {
                let call = self.state.calls.get(id)?;
                let task_id =
                    call.task_id.clone().or_else(|| call.marked_unconfirmed.then(|| UNCONFIRMED_TASK.into()))?;
                let var = self.config.activity.task_id_cad_variable.clone();
                let request = crate::desktop::update_cad_request(id, [(var, task_id)]);
                Some(self.call_desktop(DesktopCall::UpdateCadVariables(request), purpose))
            }
            Op::TakeOwnership => {
                let call = self.state.calls.get(id)?;
                let mut value = Map::new();
                value.insert("Id".into(), Value::String(call.task_id.clone()?));
                value.insert("OwnerId".into(), Value::String(self.state.user_id.clone()?));
                Some(self.call_salesforce(OpenCtiCall::SaveLog { value }, purpose))
            }
            Op::CreateCase => {
                let call = self.state.calls.get(id)?;
                let resolve = |name: &str| values::lookup(call, &self.config, &self.ctx, name);
                let mut skipped = Vec::new();
                let mut value = values::mapped_fields(
                    &self.config.case.field_mappings,
                    &self.config.case.conditional_rules,
                    &resolve,
                    &mut skipped,
                );
                value.insert("entityApiName".into(), Value::String("Case".into()));
                value.entry("Origin").or_insert(Value::String("Phone".into()));
                for why in skipped {
                    self.log(LogLevel::Debug, format!("Case field {why}"));
                }
                self.cut_to_limits(id, "Case", &mut value);
                Some(self.call_salesforce(OpenCtiCall::SaveLog { value }, purpose))
            }
            Op::CreateTask | Op::UpdateTask => {
                let (mut value, written) = self.task_payload(id, op == Op::CreateTask)?;
                self.fit_notes(id, &mut value);
                self.cut_to_limits(id, "Task", &mut value);
                let unmerged = self.ownership()
                    && self.state.calls.get(id).is_some_and(|c| c.task_adopted && c.remote_notes.is_none())
                    && value.contains_key(&self.config.activity.notes_field);
                if unmerged && self.reported_cuts.insert((id.to_string(), "notes merge".into())) {
                    self.diagnose(Diagnostic::warning(
                        Code::ApexUnavailable,
                        "/salesforce/runApex",
                        "the Task could not be read back (our Apex did not answer): the notes of other agents \
                         on this call may be replaced by this agent's",
                    ));
                }
                if op == Op::UpdateTask && value.len() <= 1 {
                    // Nothing the Task does not already say (e.g. it was handed over): done.
                    self.state.outbox.remove(id, op);
                    if let Some(call) = self.state.calls.get_mut(id) {
                        call.written = written;
                    }
                    return None;
                }
                if let Some(call) = self.state.calls.get_mut(id) {
                    call.in_flight = Some(written);
                }
                Some(self.call_salesforce(OpenCtiCall::SaveLog { value }, purpose))
            }
        }
    }

    /// The `saveLog` value for the Task, and what it will have written once confirmed.
    fn task_payload(&self, id: &str, create: bool) -> Option<(Map<String, Value>, Written)> {
        let call = self.state.calls.get(id)?;
        let cfg = &self.config.activity;
        let desired = self.desired(call);
        let mut v = Map::new();
        let s = |x: &str| Value::String(x.to_string());
        if create {
            v.insert("entityApiName".into(), s("Task"));
            v.insert("Subject".into(), s(&values::subject(call, &self.config, &self.ctx)));
            v.insert("TaskSubtype".into(), s("Call"));
            v.insert("Type".into(), s("Call"));
            v.insert("CallType".into(), s(call.direction_word()));
            v.insert("CallObject".into(), s(id));
            v.insert("Status".into(), s(if desired.final_fields { "Completed" } else { "In Progress" }));
        } else {
            v.insert("Id".into(), s(call.task_id.as_deref()?));
            if desired.final_fields && !call.written.final_fields {
                v.insert("Status".into(), s("Completed"));
            }
        }
        if desired.final_fields && !create && self.ownership() && !call.transferred_away {
            // With ownership change on, the agent who finishes the call owns its log.
            if let Some(me) = self.state.user_id.as_ref() {
                v.insert("OwnerId".into(), s(me));
            }
        }
        if desired.final_fields {
            if create || desired.duration != call.written.duration {
                v.insert("CallDurationInSeconds".into(), Value::from(desired.duration.unwrap_or(0)));
            }
            if let Some(d) =
                desired.disposition.as_ref().filter(|d| create || call.written.disposition.as_ref() != Some(*d))
            {
                v.insert("CallDisposition".into(), Value::String(d.clone()));
            }
            if cfg.write_cad_fields {
                let resolve = |name: &str| values::lookup(call, &self.config, &self.ctx, name);
                for (k, val) in values::mapped_fields(&cfg.field_mappings, &[], &resolve, &mut Vec::new()) {
                    v.entry(k).or_insert(val);
                }
            }
        }
        // An update carries only what Salesforce does not have yet.
        if let Some(subject) = desired.subject.as_ref().filter(|x| !create && call.written.subject.as_ref() != Some(*x))
        {
            v.insert("Subject".into(), s(subject));
        }
        if let Some(who) = desired.who_id.as_ref().filter(|w| create || call.written.who_id.as_ref() != Some(*w)) {
            v.insert("WhoId".into(), s(who));
        }
        if let Some(what) = desired.what_id.as_ref().filter(|w| create || call.written.what_id.as_ref() != Some(*w)) {
            v.insert("WhatId".into(), s(what));
        }
        let notes_changed = desired.notes != call.written.notes || (create && !desired.notes.is_empty());
        if notes_changed {
            let text = if self.ownership() {
                let mine = block(&self.ctx, &desired.notes);
                merge_notes(call.remote_notes.as_deref().unwrap_or(""), &block(&self.ctx, &call.written.notes), &mine)
            } else {
                desired.notes.clone()
            };
            v.insert(cfg.notes_field.clone(), Value::String(text));
        }
        Some((v, desired))
    }

    pub(super) fn outbox_result(&mut self, id: &str, op: Op, lookup: bool, response: &OpenCtiResponse) {
        if !response.success {
            let summary = response.error_summary();
            let attempts = self.state.outbox.get(id, op).map(|e| e.attempts).unwrap_or(0);
            if let Some(call) = self.state.calls.get_mut(id) {
                call.in_flight = None;
            }
            if !lookup && response.is_permanent_refusal() {
                self.park(id, op, format!("Salesforce refused it for good: {summary}"));
                return;
            }
            if attempts.saturating_add(1) >= super::outbox::MAX_ATTEMPTS {
                self.park(
                    id,
                    op,
                    format!("it failed {} times; the last answer: {summary}", attempts.saturating_add(1)),
                );
                return;
            }
            let mut lookup_next = lookup
                || op == Op::CreateCase
                || response.is_timeout()
                || (self.ownership() && matches!(op, Op::CreateTask | Op::UpdateTask | Op::TakeOwnership));
            if lookup && response.is_permanent_refusal() {
                self.apex_missing();
            }
            if !lookup {
                // An answer that never came leaves the write maybe written; an error says it was not.
                self.state.outbox.set_uncertain(id, op, response.is_timeout());
            }
            if lookup && op == Op::CreateTask {
                self.mark_unconfirmed(id);
            }
            if lookup && (self.apex_unavailable || self.state.outbox.lookup_failed(id, op)) {
                let uncertain = self.state.outbox.get(id, op).is_some_and(|e| e.uncertain);
                if !uncertain && op == Op::CreateCase && !self.apex_unavailable {
                    // Another agent may have made the call's Case, and nothing can tell: a second
                    // Case is worse than none; the parked entry tells the agent.
                    self.park(id, op, format!("could not check for the call's Case: {summary}"));
                    return;
                }
                // Our Apex does not answer (not deployed yet?): the write goes without it, unless
                // it may have landed already (then it is parked).
                if !self.lookup_given_up(id, op) {
                    return;
                }
                lookup_next = false;
                self.log(
                    LogLevel::Warn,
                    format!("the Task lookup keeps failing ({summary}); sending {} without it", op.name()),
                );
            }
            // Time passes before the retry: with ownership on, another agent may have created
            // the Task or written notes meanwhile, so creates and updates read it again first;
            // a Case is always looked for again (a receiving agent may have made it); an answer
            // that never came leaves the write uncertain, so it is checked first too.
            let at = self.state.outbox.mark_failed(id, op, self.now, lookup_next);
            self.log(
                LogLevel::Warn,
                format!("{} failed ({summary}); retrying at +{} s", op.name(), (at - self.now) / 1000),
            );
            if attempts == 0 {
                self.diagnose(Diagnostic::warning(
                    Code::SalesforceRefused,
                    format!("/salesforce/{}", op.name()),
                    format!("Salesforce refused {}: {summary}; it is kept and retried", op.name()),
                ));
            }
            return;
        }
        if lookup {
            self.lookup_result(id, op, &response.return_value);
            return;
        }
        self.state.outbox.remove(id, op);
        let record_id = salesforce::save_log_record_id(&response.return_value);
        match op {
            Op::CreateTask => {
                let Some(call) = self.state.calls.get_mut(id) else { return };
                if let Some(rid) = record_id {
                    call.task_id = Some(rid);
                }
                if let Some(w) = call.in_flight.take() {
                    call.written = w;
                }
                call.logged |= call.written.final_fields;
                let open_now =
                    self.config.activity.open_task_at_connect && !call.opened_at_connect && call.done_at.is_none();
                if open_now {
                    call.opened_at_connect = true;
                }
                if self.config.activity.refresh_after_create {
                    self.call_salesforce(
                        OpenCtiCall::RefreshView,
                        Purpose::Navigation { interaction_id: id.to_string() },
                    );
                }
                if open_now {
                    self.open_task(id, true);
                }
                if self.ownership() {
                    self.enqueue(id, Op::WriteTaskIdCad, false);
                }
                self.after_final_write(id);
                self.reconcile(id);
            }
            Op::UpdateTask => {
                if let Some(call) = self.state.calls.get_mut(id) {
                    if let Some(w) = call.in_flight.take() {
                        call.written = w;
                    }
                    call.logged |= call.written.final_fields;
                }
                self.after_final_write(id);
                self.reconcile(id);
            }
            Op::TakeOwnership => {
                if let Some(call) = self.state.calls.get_mut(id) {
                    call.owner_set = true;
                }
                self.reconcile(id);
            }
            Op::CreateCase => {
                if let (Some(call), Some(rid)) = (self.state.calls.get_mut(id), record_id) {
                    call.case_id = Some(rid);
                }
                self.open_case(id);
                // Link the call's Task to it.
                self.reconcile(id);
            }
            Op::WriteTaskIdCad => {}
        }
    }

    /// Applies Salesforce's field limits to a write, saying once per call and field what was cut.
    fn cut_to_limits(&mut self, id: &str, entity: &str, value: &mut Map<String, Value>) {
        let notes_field = self.config.activity.notes_field.clone();
        for field in values::cut_to_limits(value, &notes_field) {
            if !self.reported_cuts.insert((id.to_string(), field.clone())) {
                continue;
            }
            let limit = values::field_limit(&field, &notes_field);
            self.log(LogLevel::Warn, format!("{entity}.{field} cut to {limit} characters"));
            self.diagnose(Diagnostic::warning(
                Code::ValueCut,
                format!("/salesforce/{entity}/{field}"),
                format!(
                    "the value for {entity}.{field} is longer than Salesforce takes; it was cut to {limit} characters"
                ),
            ));
        }
    }

    /// Our create of the call's Task got no answer and cannot be checked: while this agent
    /// holds the call, the Task Id variable says so (see [`UNCONFIRMED_TASK`]), so that an agent
    /// the call goes to next does not create a second Task blind.
    fn mark_unconfirmed(&mut self, id: &str) {
        let uncertain = self.state.outbox.get(id, Op::CreateTask).is_some_and(|e| e.uncertain);
        let ownership = self.ownership() && !self.config.activity.task_id_cad_variable.is_empty();
        let Some(call) = self.state.calls.get_mut(id) else { return };
        if !uncertain || !ownership || call.marked_unconfirmed || call.task_id.is_some() || !call.is_active() {
            return;
        }
        call.marked_unconfirmed = true;
        self.log(LogLevel::Warn, "the Task create got no answer and cannot be checked: the call's data says so");
        self.enqueue(id, Op::WriteTaskIdCad, false);
    }

    /// An update going without its read-back: if the Task has been in other agents' hands, this
    /// agent's notes are held (see [`Call::notes_held`]) rather than written over theirs.
    fn hold_unmergeable_notes(&mut self, id: &str) {
        let Some(call) = self.state.calls.get_mut(id) else { return };
        let shared = call.task_adopted || call.transferred_away || call.returned || call.revived;
        let pending = call.notes.trim() != call.written.notes;
        if !shared || !pending || call.notes_held || !self.config.activity.live_notes {
            return;
        }
        call.notes_held = true;
        self.log(LogLevel::Warn, "the Task cannot be read back: this agent's notes are held, not written over others'");
        if self.reported_cuts.insert((id.to_string(), "notes held".into())) {
            self.diagnose(Diagnostic::warning(
                Code::ApexUnavailable,
                "/salesforce/runApex",
                "our Apex class WxccCtiService did not answer, so the Task of a transferred call cannot be read \
                 back: the agent's notes stay in the panel to copy instead of replacing other agents' notes",
            ));
        }
    }

    /// Fits the notes of a Task write into the field: with ownership change on the text is
    /// shared, so every agent's block keeps its start ([`keep_within`]); alone, the start is kept.
    /// The whole text is kept on the call when it did not fit, for the agent to copy (the panel
    /// shows it with the parked writes), and forgotten once a write holds it all.
    fn fit_notes(&mut self, id: &str, value: &mut Map<String, Value>) {
        let field = self.config.activity.notes_field.clone();
        let Some(Value::String(text)) = value.get_mut(&field) else { return };
        let limit = values::field_limit(&field, &field);
        let whole = text.clone();
        let fitted = if self.ownership() { keep_within(&whole, limit) } else { values::cut_text(&whole, limit) };
        let cut = fitted != whole;
        *text = fitted;
        if cut && self.reported_cuts.insert((id.to_string(), field.clone())) {
            self.log(
                LogLevel::Warn,
                format!("Task.{field} cut to {limit} characters; the whole notes are kept to copy"),
            );
            self.diagnose(Diagnostic::warning(
                Code::ValueCut,
                format!("/salesforce/Task/{field}"),
                format!(
                    "the notes of the call are longer than Task.{field} takes ({limit} characters): the Task holds \
                     the start of every agent's notes, the panel keeps the whole text to copy"
                ),
            ));
        }
        if let Some(call) = self.state.calls.get_mut(id) {
            if cut || call.unwritten_notes.is_some() {
                call.unwritten_notes = cut.then_some(whole);
            }
        }
    }

    /// The write goes without its lookup (our Apex cannot answer). A create that may have been
    /// written already is parked instead: nothing can check, and a second record is worse than
    /// none. So is the Task of a call this agent gave away with ownership change on: the agent
    /// who has the call now logs it, and two Tasks nobody can tell apart would follow. Returns
    /// whether the write may go.
    fn lookup_given_up(&mut self, id: &str, op: Op) -> bool {
        let uncertain = self.state.outbox.get(id, op).is_some_and(|e| e.uncertain);
        if uncertain && matches!(op, Op::CreateTask | Op::CreateCase) {
            self.park(id, op, "it may have been written already, and our Apex cannot check".into());
            return false;
        }
        if op == Op::UpdateTask && self.ownership() {
            self.hold_unmergeable_notes(id);
        }
        let call = self.state.calls.get(id);
        // With ownership change on, a Task is created blind only by an agent who can be sure no
        // other agent logged the call. Should the Task Id arrive later, the Task is taken over.
        let blind_create_unsafe = op == Op::CreateTask && self.ownership();
        let reason = call.filter(|_| blind_create_unsafe).and_then(|c| {
            if c.transferred_away {
                Some("the call went to another agent before its Task could be found (our Apex cannot check), so that agent logs it")
            } else if c.handed_to_me || c.returned || c.revived || c.maybe_logged_elsewhere {
                Some("another agent had the call before and may have logged it; our Apex cannot check and the call's data holds no Task Id")
            } else {
                None
            }
        });
        if let Some(reason) = reason {
            self.park(id, op, reason.into());
            return false;
        }
        self.state.outbox.skip_lookup(id, op);
        true
    }

    /// Stops sending a write and tells the agent, with what it would have written.
    fn park(&mut self, id: &str, op: Op, reason: String) {
        self.state.outbox.park(id, op, reason.clone());
        self.log(LogLevel::Error, format!("{} parked: {reason}", op.name()));
        self.diagnose(Diagnostic::error(
            Code::WriteParked,
            format!("/salesforce/{}", op.name()),
            format!("{} was not written and will not be retried: {reason}", op.name()),
        ));
    }

    fn after_final_write(&mut self, id: &str) {
        let Some(call) = self.state.calls.get_mut(id) else { return };
        if call.written.final_fields && self.config.activity.open_task_at_wrapup && !call.opened_at_wrap_up {
            call.opened_at_wrap_up = true;
            self.open_task(id, true);
        }
    }

    fn lookup_result(&mut self, id: &str, op: Op, return_value: &Value) {
        self.apex_unavailable = false;
        let found = RunApexResult::from_return_value(return_value).and_then(|r| r.json()).and_then(|j| {
            let text = |k: &str| j.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(String::from);
            Some(FoundTask {
                id: text("Id")?,
                who_id: text("WhoId"),
                what_id: text("WhatId"),
                owner_id: text("OwnerId"),
                notes: j.get(&self.config.activity.notes_field).and_then(Value::as_str).map(String::from),
                duration: j
                    .get("CallDurationInSeconds")
                    .and_then(|d| d.as_i64().or_else(|| d.as_f64().map(|f| f as i64))),
            })
        });
        self.state.outbox.lookup_done(id, op);
        let user = self.state.user_id.clone();
        let ownership = self.ownership();
        let Some(call) = self.state.calls.get_mut(id) else { return };
        let Some(task) = found else {
            // Nothing there: the write goes as planned (a create creates).
            if op == Op::UpdateTask || op == Op::TakeOwnership {
                call.remote_notes = Some(String::new());
            }
            return;
        };
        call.remote_notes = Some(task.notes.clone().unwrap_or_default());
        call.remote_owner = task.owner_id.clone();
        call.notes_held = false;
        if call.written == Written::default() {
            // What the Task already says (another agent wrote it): no need to write it again.
            call.written.who_id = task.who_id.clone();
            call.written.what_id = task.what_id.clone();
            // And a record picked by that agent among several matches is this one's pick too.
            call.adopt_known_pick();
        }
        if let Some(case) = task.what_id.as_ref().filter(|w| w.starts_with(CASE_PREFIX)) {
            call.case_id.get_or_insert_with(|| case.clone());
        }
        match op {
            Op::CreateTask => {
                // It exists: adopt it instead of creating another.
                self.state.outbox.remove(id, op);
                call.task_id = Some(task.id.clone());
                if call.revived && call.talk_ms_before == 0 && (!ownership || task.owner_id == user) {
                    // This agent's log of the call from before it was forgotten: keep its time.
                    call.talk_ms_before = task.duration.unwrap_or(0).max(0).saturating_mul(1000);
                    call.written.duration = task.duration;
                }
                let someone_else = ownership && task.owner_id.is_some() && task.owner_id != user;
                call.task_adopted |= someone_else;
                let take =
                    someone_else && call.is_answered() && call.is_ours() && !call.transferred_away && !call.owner_set;
                // The call's data carries the Task Id for whoever gets the call next (our own
                // create whose answer was lost never wrote it).
                let tell = ownership && call.cad_task_id.as_deref() != Some(task.id.as_str());
                if take {
                    self.enqueue(id, Op::TakeOwnership, false);
                }
                if tell {
                    self.enqueue(id, Op::WriteTaskIdCad, false);
                }
                self.reconcile(id);
            }
            Op::CreateCase => {
                if call.case_id.is_some() {
                    self.state.outbox.remove(id, op);
                    self.open_case(id);
                    self.reconcile(id);
                } else if self.state.outbox.get(id, op).is_some_and(|e| e.uncertain) {
                    // Our own Case create got no answer: it may exist without being linked to the
                    // Task yet, where no lookup finds it. A second Case is worse than none.
                    self.park(
                        id,
                        op,
                        "the Case may have been created (no answer came); check the caller's Cases".into(),
                    );
                } else if call.task_id.as_deref() != Some(task.id.as_str()) || call.task_adopted {
                    // Another agent's call log without a Case yet: that agent makes the Case
                    // (one per interaction); look again later and reuse it.
                    let at = self.state.outbox.mark_failed(id, op, self.now, true);
                    let attempts = self.state.outbox.get(id, op).map(|e| e.attempts).unwrap_or(0);
                    if attempts > CASE_WAIT_ATTEMPTS {
                        self.state.outbox.remove(id, op);
                        self.log(
                            LogLevel::Warn,
                            "no Case appeared on the call's log; none is created here (one Case per call)",
                        );
                    } else {
                        self.log(
                            LogLevel::Debug,
                            format!(
                                "waiting for the first agent's Case; looking again at +{} s",
                                (at - self.now) / 1000
                            ),
                        );
                    }
                }
            }
            Op::TakeOwnership => {
                if task.owner_id.is_some() && task.owner_id == user {
                    // It landed before (its answer was lost): nothing to send again.
                    self.state.outbox.remove(id, op);
                    call.owner_set = true;
                }
            }
            Op::UpdateTask | Op::WriteTaskIdCad => {}
        }
    }

    pub(super) fn outbox_desktop_result(&mut self, id: &str, op: Op, result: Result<Value, String>) {
        match result {
            Ok(_) => self.state.outbox.remove(id, op),
            Err(err) => {
                self.state.outbox.mark_failed(id, op, self.now, false);
                self.log(LogLevel::Warn, format!("{} failed ({err}); retrying", op.name()));
            }
        }
    }
}

/// This agent's notes as a block in a shared notes field: `Agent name: text`.
fn block(ctx: &super::AgentContext, notes: &str) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let who = if ctx.agent_name.is_empty() { ctx.agent_id.as_str() } else { ctx.agent_name.as_str() };
    if who.is_empty() {
        notes.to_string()
    } else {
        format!("{who}: {notes}")
    }
}

/// Shared notes longer than the field takes are cut fairly, so that every agent's text keeps its
/// start: the text is read as blocks (one per agent, or per paragraph, split at blank lines);
/// blocks shorter than an equal share of the room stay whole and the longest lose their ends.
fn keep_within(merged: &str, limit: usize) -> String {
    let units = |s: &str| s.encode_utf16().count();
    if units(merged) <= limit {
        return merged.to_string();
    }
    let blocks: Vec<&str> = merged.split("\n\n").map(str::trim).filter(|b| !b.is_empty()).collect();
    let separators = blocks.len().saturating_sub(1).saturating_mul(2);
    if separators >= limit / 2 {
        // Hundreds of paragraphs: shares would be too small to read; the start is kept.
        return values::cut_text(merged, limit);
    }
    let cap = fair_share(blocks.iter().map(|b| units(b)).collect(), limit - separators);
    let kept: Vec<String> = blocks.iter().map(|b| values::cut_text(b, cap)).filter(|b| !b.is_empty()).collect();
    kept.join("\n\n")
}

/// The largest size every part may keep so that the parts fit in `room` together: parts below
/// it stay whole, the others are cut to it (water-filling).
fn fair_share(mut sizes: Vec<usize>, room: usize) -> usize {
    crate::flat::sort_small_by(&mut sizes, |a, b| a.cmp(b));
    let mut left = room;
    let count = sizes.len();
    for (i, size) in sizes.into_iter().enumerate() {
        let share = left / (count - i).max(1);
        if size > share {
            return share;
        }
        left -= size;
    }
    room
}

/// Puts `new` into the shared notes `remote`: replacing `old` (our previous block) when it is
/// there, else appending. Other agents' text is never removed.
pub(crate) fn merge_notes(remote: &str, old: &str, new: &str) -> String {
    if new.is_empty() || remote.contains(new) {
        return remote.to_string();
    }
    if !old.is_empty() && remote.contains(old) {
        return remote.replacen(old, new, 1);
    }
    // Our block as the field kept it: cut to the limit, so only its start is there.
    let probe: String = old.chars().take(64).collect();
    if probe.chars().count() >= 16 {
        if let Some(at) = remote.find(probe.as_str()) {
            let kept = remote.get(at..).unwrap_or("");
            let common: usize =
                kept.chars().zip(old.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a.len_utf8()).sum();
            let (before, after) = (remote.get(..at).unwrap_or(""), kept.get(common..).unwrap_or(""));
            return format!("{before}{new}{after}");
        }
    }
    if remote.trim().is_empty() {
        new.to_string()
    } else {
        format!("{}\n\n{new}", remote.trim_end())
    }
}
