//! One interaction as this agent's adapter sees it: what the desktop said about it, and what
//! the adapter has done for it. Events only move it forward; repeats and late arrivals change
//! nothing that already happened.

use super::trace::{Candidate, PopState, PopTrace, RelatedRecord};
use super::Millis;
use crate::desktop::{ContactEvent, ContactEventKind, Direction};
use crate::flat::Map;
use crate::pii::Pii;
use crate::value_de::Read;
use crate::value_out::Write;
use serde::{Deserialize, Serialize};

/// The record clicked to dial, waiting for its outbound interaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
pub(crate) struct DialedRecord {
    pub record: RelatedRecord,
    pub digits: String,
    pub at: Millis,
}

/// Where this agent's leg of the call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Write, Deserialize, Read)]
pub enum Leg {
    Offered,
    Connected,
    WrapUp,
    Done,
}

/// What the Salesforce Actions panel shows about a call: the agent's own view, so numbers
/// and names are whole (redaction is for logs).
#[derive(Debug, Clone, PartialEq, Serialize, Write)]
#[serde(rename_all = "camelCase")]
pub struct CallView {
    pub interaction_id: String,
    pub direction: String,
    /// The other party: the caller, or the number dialed.
    pub number: String,
    pub queue: Option<String>,
    pub leg: Leg,
    pub matched_record: Option<RelatedRecord>,
    pub related_record: Option<RelatedRecord>,
    /// The records the agent may pick from (multiple-match action `pick`), and the one picked.
    pub candidates: Vec<Candidate>,
    pub picked: Option<String>,
    pub task_id: Option<String>,
    pub case_id: Option<String>,
    pub notes: String,
    /// The call log's subject as it will be written, and whether the agent may still change it.
    pub subject: String,
    pub subject_editable: bool,
    pub consult: bool,
    pub trace: Option<PopTrace>,
}

#[derive(Debug, Clone, Serialize, Write, Deserialize, Read)]
pub(crate) struct Call {
    pub id: String,
    pub leg: Leg,
    pub direction: Option<Direction>,
    pub media_type: String,
    pub ani: Pii<String>,
    pub dnis: Pii<String>,
    pub queue: Option<String>,
    pub customer_name: Option<Pii<String>>,
    pub cad: Map<String, Pii<String>>,
    /// The latest event said this agent is only consulted (not the owner of the call).
    pub consulted: bool,
    /// Joined the call while consulted: a consult transfer makes it this agent's call.
    #[serde(default)]
    pub consult_joined: bool,
    /// This agent received the call through a consult transfer (so a repeated
    /// `eConsultTransfer` is a re-delivery, not this agent giving the call away).
    #[serde(default)]
    pub received_via_consult: bool,
    /// When this agent gave the call away in the current leg.
    #[serde(default)]
    pub transferred_at: Option<Millis>,
    /// Talk time of this agent's earlier legs of the call (a call that came back).
    #[serde(default)]
    pub talk_ms_before: i64,
    /// The current leg is a return of the call to this agent (after a transfer or a RONA).
    #[serde(default)]
    pub returned: bool,
    pub first_seen: Millis,
    pub connected_at: Option<Millis>,
    pub wrap_up_at: Option<Millis>,
    pub ended_at: Option<Millis>,
    pub done_at: Option<Millis>,
    pub disposition: Option<String>,
    pub disposition_code: Option<String>,
    pub pop: PopState,
    /// The single record the pop matched (or the agent picked among several).
    pub matched: Option<RelatedRecord>,
    /// Several records matched and the agent may pick one (multiple-match action `pick`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    /// The subject the agent typed in the panel (the template's is used until then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// A record related by click-to-dial or from the panel (wins over `matched`).
    pub related: Option<RelatedRecord>,
    /// This agent's notes (the whole text of the notes box).
    pub notes: String,
    pub task_id: Option<String>,
    /// The Task was created by another agent and handed to us (ownership change).
    pub task_adopted: bool,
    pub owner_set: bool,
    pub case_id: Option<String>,
    pub case_requested: bool,
    pub transferred_away: bool,
    /// The Task was logged (created or updated) with the wrap-up details.
    pub logged: bool,
    pub opened_at_connect: bool,
    pub opened_at_wrap_up: bool,
    pub case_opened: bool,
    /// Task Ids seen in the CAD variable, so that a repeat does nothing.
    pub cad_task_id: Option<String>,
    /// What Salesforce has confirmed of the Task, and what is in flight.
    pub written: Written,
    pub in_flight: Option<Written>,
    /// The Task's notes field as last read (other agents' notes, for merging).
    pub remote_notes: Option<String>,
    /// The Task's owner as last read.
    #[serde(default)]
    pub remote_owner: Option<String>,
    /// The whole notes text of the last Task write when the field could not hold it all (it was
    /// cut to Salesforce's limit): kept for the agent to copy, so nothing is lost silently.
    #[serde(default)]
    pub unwritten_notes: Option<String>,
    /// The Task is shared with other agents and could not be read back (our Apex does not
    /// answer): writing this agent's notes would replace theirs, so the notes are held in the
    /// panel for the agent to copy until a read succeeds.
    #[serde(default)]
    pub notes_held: bool,
    /// Another agent had the call before this one (owner change, consult transfer, or a call
    /// that came back): a Task of the call may exist that this agent has not seen.
    #[serde(default)]
    pub handed_to_me: bool,
    /// The wrap-up reason (name, code) of this agent's earlier leg, until the current leg has
    /// one: a call that came back and left again without a wrap-up keeps the reason it had.
    #[serde(default)]
    pub earlier_disposition: (Option<String>, Option<String>),
    /// The call's Task Id variable said that a Task of the call may exist (an agent's create got
    /// no answer and our Apex could not check; see [`crate::engine::UNCONFIRMED_TASK`]).
    #[serde(default)]
    pub maybe_logged_elsewhere: bool,
    /// This agent wrote that mark for its own unconfirmed create.
    #[serde(default)]
    pub marked_unconfirmed: bool,
    /// This agent started a consult in the current leg (so an `eConsultTransfer` after it is
    /// this agent handing the call on, not a re-delivery of the one it received).
    #[serde(default)]
    pub consulting_out: bool,
    /// This agent's last activity on the interaction (an event, notes, a panel action):
    /// retention counts from here.
    #[serde(default)]
    pub last_activity: Millis,
    /// An event for the call arrived since this adapter started: after a reload, a call the
    /// desktop does not hand back may have moved on while the page was away.
    #[serde(skip)]
    pub seen_since_start: bool,
    /// Forgotten after retention and brought back by a new offer: its Task may exist already.
    #[serde(default)]
    pub revived: bool,
    /// Marked handed on because the desktop did not hand it back after a reload; undone by
    /// the next event for it.
    #[serde(default)]
    pub presumed_gone: bool,
}

/// The parts of the Task the adapter keeps in step with the call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
pub(crate) struct Written {
    /// Status, duration and disposition of the finished call.
    pub final_fields: bool,
    /// This agent's notes as written.
    pub notes: String,
    pub who_id: Option<String>,
    pub what_id: Option<String>,
    /// Talk time and wrap-up reason as written with the final fields.
    #[serde(default)]
    pub duration: Option<i64>,
    #[serde(default)]
    pub disposition: Option<String>,
    /// The subject the agent typed, as written.
    #[serde(default)]
    pub subject: Option<String>,
}

/// What an event changed, for the engine to act on.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub offered_or_connected: bool,
    pub connected: bool,
    pub wrapped_up: bool,
    pub transferred_away: bool,
    pub newly_outbound: bool,
    pub cad_task_id_seen: bool,
    /// The call became this agent's again (a new leg) with this event.
    pub new_leg: bool,
}

/// What a forgotten call leaves behind for when it comes back (`Durable::forgotten_tasks`).
#[derive(Debug, Default)]
pub(crate) struct LeftBehind {
    /// Its Task and this agent's talk time on it.
    pub task: Option<(String, Millis)>,
    pub case: Option<String>,
}

/// How long a finished call is kept (a shift of 500 calls keeps about 125).
const KEEP_FINISHED_MS: Millis = 2 * 3_600_000;
/// How long a call given away but not yet wrapped up by this agent is kept.
const KEEP_UNFINISHED_MS: Millis = 8 * 3_600_000;

const NON_VOICE: &[&str] = &["chat", "email", "social", "messaging", "sms", "facebook", "whatsapp"];

impl Call {
    pub fn new(id: &str, now: Millis) -> Call {
        Call {
            id: id.to_string(),
            leg: Leg::Offered,
            direction: None,
            media_type: String::new(),
            ani: Pii::default(),
            dnis: Pii::default(),
            queue: None,
            customer_name: None,
            cad: Map::new(),
            consulted: false,
            consult_joined: false,
            received_via_consult: false,
            transferred_at: None,
            talk_ms_before: 0,
            returned: false,
            first_seen: now,
            connected_at: None,
            wrap_up_at: None,
            ended_at: None,
            done_at: None,
            disposition: None,
            disposition_code: None,
            pop: PopState::default(),
            matched: None,
            candidates: Vec::new(),
            subject: None,
            related: None,
            notes: String::new(),
            task_id: None,
            task_adopted: false,
            owner_set: false,
            case_id: None,
            case_requested: false,
            transferred_away: false,
            logged: false,
            opened_at_connect: false,
            opened_at_wrap_up: false,
            case_opened: false,
            cad_task_id: None,
            written: Written::default(),
            in_flight: None,
            remote_notes: None,
            remote_owner: None,
            unwritten_notes: None,
            notes_held: false,
            handed_to_me: false,
            earlier_disposition: (None, None),
            maybe_logged_elsewhere: false,
            marked_unconfirmed: false,
            consulting_out: false,
            last_activity: now,
            seen_since_start: true,
            revived: false,
            presumed_gone: false,
        }
    }

    /// Takes back what a forgotten call left: its Task and this agent's talk time on it, and its
    /// Case. With ownership change on, another agent may own that Task by now.
    pub fn remember(&mut self, left: LeftBehind, ownership: bool) {
        self.case_id = left.case;
        if let Some((task_id, talk_ms)) = left.task {
            self.task_id = Some(task_id);
            self.task_adopted = ownership;
            self.talk_ms_before = talk_ms;
            self.returned = true;
        }
    }

    pub fn is_voice(&self) -> bool {
        !NON_VOICE.iter().any(|m| self.media_type.eq_ignore_ascii_case(m))
    }

    /// This agent handles the call (not only consulted, not a chat), so it pops and logs.
    pub fn is_ours(&self) -> bool {
        self.is_voice() && !self.consulted
    }

    pub fn is_answered(&self) -> bool {
        self.connected_at.is_some()
    }

    pub fn direction_word(&self) -> &'static str {
        match self.direction {
            Some(Direction::Outbound) => "Outbound",
            _ => "Inbound",
        }
    }

    /// This agent holds the call now: answered, its own, not given away, not wrapped up.
    pub fn is_active(&self) -> bool {
        self.is_ours() && self.is_answered() && self.done_at.is_none() && !self.transferred_away
    }

    /// Not held by this agent and untouched by it for two hours (late notes still reach the
    /// Task until then): safe to forget once nothing is unsent. A held call is never finished,
    /// however long it lasts; retention counts from this agent's last activity on it.
    pub fn is_finished_for(&self, now: Millis, has_parked: bool) -> bool {
        self.forget_at(has_parked).is_some_and(|at| now >= at)
    }

    /// When [`Call::is_finished_for`] becomes true, unless something happens first. A call this
    /// agent gave away but has not wrapped up yet waits for its wrap-up (whose reason goes into
    /// the agent's Task) for a shift, not two hours; so does one still ringing here.
    pub fn forget_at(&self, has_parked: bool) -> Option<Millis> {
        if self.is_active() {
            return None;
        }
        // Given away but not wrapped up yet, or still ringing here (no answer, RONA or end yet);
        // or with writes parked, whose notes the agent may still copy from the panel.
        let unfinished = has_parked
            || self.unwritten_notes.is_some()
            || self.notes_held
            || self.is_ours() && self.done_at.is_none() && (self.is_answered() || self.ended_at.is_none())
            || self.consulted && self.consult_joined && self.done_at.is_none();
        let keep = if unfinished { KEEP_UNFINISHED_MS } else { KEEP_FINISHED_MS };
        Some(self.last_activity.max(self.first_seen).saturating_add(keep).saturating_add(1))
    }

    /// The record the Task relates to: clicked or related from the panel, else the pop match.
    pub fn record(&self) -> Option<&RelatedRecord> {
        self.related.as_ref().or(self.matched.as_ref())
    }

    /// Takes in what a desktop event says. `task_id_variable` is the CAD variable that carries the
    /// interaction's Task Id (when ownership change is on).
    pub fn apply_event(
        &mut self,
        event: &ContactEvent,
        my_agent_id: &str,
        task_id_variable: Option<&str>,
        now: Millis,
    ) -> Changes {
        let mut changes = Changes::default();
        let data = event.data();
        let was_ours = self.is_ours();
        let had_direction = self.direction.is_some();
        if let Some(interaction) = event.interaction() {
            if self.direction.is_none() || interaction.direction() == Direction::Outbound {
                self.direction = Some(interaction.direction());
            }
            let media = interaction.media_type();
            if !media.is_empty() {
                self.media_type = media.to_string();
            }
            if let Some(ani) = interaction.ani() {
                self.ani = ani.clone();
            }
            if let Some(dnis) = interaction.dnis() {
                self.dnis = dnis.clone();
            }
            if let Some(q) = interaction.queue_name() {
                self.queue = Some(q.to_string());
            }
            if let Some(name) = interaction.customer_name() {
                self.customer_name = Some(name.clone());
            }
            let cad: Map<String, Pii<String>> =
                interaction.cad_variables().map(|(k, v)| (k.to_string(), Pii::new(v.to_string()))).collect();
            if !cad.is_empty() {
                self.cad = cad;
            }
            if let Some(var) = task_id_variable {
                let value = self.cad.iter().find(|(k, _)| k.eq_ignore_ascii_case(var)).map(|(_, v)| v.expose().trim());
                if value.is_some_and(|v| !v.is_empty() && Some(v) != self.cad_task_id.as_deref()) {
                    changes.cad_task_id_seen = true;
                }
            }
        }
        if let Some(q) = data.queue_name.as_ref().filter(|q| !q.is_empty()) {
            self.queue.get_or_insert_with(|| q.clone());
        }
        if !had_direction && self.direction == Some(Direction::Outbound) {
            changes.newly_outbound = true;
        }

        use ContactEventKind as K;
        let kind = event.kind;
        self.last_activity = self.last_activity.max(now);
        self.seen_since_start = true;
        if self.presumed_gone {
            // The desktop still has it for this agent after all.
            self.presumed_gone = false;
            self.transferred_away = false;
            self.transferred_at = None;
        }
        let consulted_now = event.is_consulted_for(my_agent_id) || kind == K::OfferConsult;
        // Who owns the call, when the event says so: `Some(true)` is this agent.
        let owner_is_me = event.owner_agent().map(|o| !my_agent_id.is_empty() && o == my_agent_id);
        // Whom a transfer goes to (`destAgentId`), when the event says so: `Some(true)` is this
        // agent. It decides a transfer event over everything else.
        let dest = data.dest_agent_id.as_str();
        let to_me = (!dest.is_empty() && !my_agent_id.is_empty()).then(|| dest == my_agent_id);
        let about_someone_else = event.agent_id().is_some_and(|a| !my_agent_id.is_empty() && a != my_agent_id);
        // The call left this agent before (transferred away, wrapped up, rang out): if it
        // becomes this agent's again, that is a new leg of the same interaction.
        let had_left = self.transferred_away || self.done_at.is_some();
        // An offer after a wrap-up without a transfer is a late re-delivery, unless it rang out.
        let offered_back = self.transferred_away || (self.done_at.is_some() && !self.is_answered());
        let becomes_owner = match kind {
            K::OfferContact | K::ContactAssigned => !consulted_now && offered_back,
            K::ContactOwnerChanged => !my_agent_id.is_empty() && data.to_owner.as_deref() == Some(my_agent_id),
            // Back with this agent as its owner, said only by an update of the call.
            K::Contact => {
                had_left
                    && !consulted_now
                    && owner_is_me == Some(true)
                    && event.interaction().is_some_and(|i| i.state().eq_ignore_ascii_case("connected"))
            }
            K::ConsultTransfer if to_me.is_some() => to_me == Some(true) && (self.consulted || had_left),
            K::ConsultTransfer if self.consulted => owner_is_me != Some(false),
            // Handed back through a consult this adapter did not see offered (e.g. across a reload).
            K::ConsultTransfer => had_left && owner_is_me == Some(true),
            _ => false,
        };
        if becomes_owner && had_left {
            self.start_new_leg();
            changes.new_leg = true;
        }
        // Consult legs: the consulted agent sees the call but does not own it.
        if matches!(kind, K::OfferContact | K::ContactAssigned | K::Contact | K::OfferConsult) {
            self.consulted = consulted_now;
        }
        if matches!(kind, K::ConsultEnded | K::ConsultFailed) || (kind == K::OfferContact && !self.consulted) {
            // A consult that ended does not make a later offer answered.
            self.consult_joined = false;
        }
        if !self.consulted {
            match kind {
                // This agent consults someone: a consult transfer may follow.
                K::ConsultCreated | K::Consulting | K::ConsultTransferring | K::ConsultConferencing => {
                    self.consulting_out = true;
                }
                K::ConsultEnded | K::ConsultFailed | K::ConsultTransferFailed => self.consulting_out = false,
                _ => {}
            }
        }
        if kind == K::ContactOwnerChanged && !my_agent_id.is_empty() {
            if data.to_owner.as_deref() == Some(my_agent_id) {
                self.consulted = false;
                self.handed_to_me |= data.from_owner.as_deref().is_some_and(|f| !f.is_empty() && f != my_agent_id);
                self.connect(now, &mut changes);
            } else if data.from_owner.as_deref() == Some(my_agent_id) {
                self.mark_transferred(now, &mut changes);
            }
        }
        if matches!(kind, K::Wrapup | K::ContactWrappedUp | K::ContactEnded)
            && !self.consulted
            && owner_is_me == Some(false)
            && !about_someone_else
            && self.done_at.is_none()
        {
            // The call ends here with another agent as its owner: it was handed on, even when
            // the transfer event itself never reached this agent (e.g. during a reload).
            self.mark_transferred(now, &mut changes);
        }
        match kind {
            K::OfferContact => changes.offered_or_connected = true,
            K::ContactAssigned | K::ContactUnHeld | K::ContactHeld => self.connect(now, &mut changes),
            K::Contact => {
                let state = event.interaction().map(|i| i.state().to_ascii_lowercase()).unwrap_or_default();
                if matches!(state.as_str(), "connected" | "conference" | "hold" | "consulting") {
                    self.connect(now, &mut changes);
                } else {
                    changes.offered_or_connected = true;
                }
            }
            K::Wrapup => {
                self.wrap_up_at.get_or_insert(now);
                self.advance(Leg::WrapUp);
            }
            K::ContactWrappedUp => {
                // The agent chooses one reason per leg; a re-delivered wrap-up does not change it.
                if self.disposition.is_none() && self.disposition_code.is_none() {
                    self.disposition = data.wrap_up_reason.clone().filter(|r| !r.is_empty());
                    self.disposition_code = data.wrap_up_aux_code_id.clone().filter(|c| !c.is_empty());
                }
                self.wrap_up_at.get_or_insert(now);
                if self.done_at.is_none() {
                    self.done_at = Some(now);
                    self.advance(Leg::Done);
                }
                // Every wrap-up of an answered leg is reported: a repeat may carry the reason.
                if self.is_answered() {
                    changes.wrapped_up = true;
                }
            }
            K::ContactEnded => {
                self.ended_at.get_or_insert(now);
            }
            K::OfferContactRona if !self.is_answered() => {
                self.ended_at.get_or_insert(now);
                self.done_at.get_or_insert(now);
                self.advance(Leg::Done);
            }
            K::ConsultTransfer if becomes_owner => {
                // The consulted agent receives the call.
                self.consulted = false;
                self.received_via_consult = true;
                self.handed_to_me = true;
                self.connect(now, &mut changes);
            }
            K::ConsultTransfer if !self.consulted => {
                // The one this agent received, delivered again; or this agent handing it on.
                let resent = match to_me {
                    Some(me) => me,
                    None => {
                        self.received_via_consult
                            && (owner_is_me == Some(true) || (owner_is_me.is_none() && !self.consulting_out))
                    }
                };
                if !resent && !about_someone_else {
                    self.mark_transferred(now, &mut changes);
                }
            }
            // Sent again to the agent who received the call: the event says who has it.
            K::BlindTransferred | K::VteamTransfer
                if !self.consulted
                    && to_me != Some(true)
                    && (to_me.is_some() || owner_is_me != Some(true))
                    && !about_someone_else =>
            {
                self.mark_transferred(now, &mut changes);
            }
            _ => {}
        }
        if self.consulted && matches!(kind, K::ContactAssigned | K::Contact) {
            self.consult_joined = true;
        }
        // A leg that becomes ours late (consult → owner) gets its pop chance now, and is
        // connected already when the consult was answered.
        if !was_ours && self.is_ours() {
            changes.offered_or_connected = true;
            if self.consult_joined {
                if self.transferred_away || self.done_at.is_some() {
                    self.start_new_leg();
                    changes.new_leg = true;
                }
                self.received_via_consult = true;
                self.handed_to_me = true;
                self.connect(now, &mut changes);
            }
        }
        // Wrapped up before the connect arrived (out of order): log now.
        if changes.connected && self.done_at.is_some() && !self.logged && self.is_ours() {
            changes.wrapped_up = true;
        }
        changes
    }

    fn connect(&mut self, now: Millis, changes: &mut Changes) {
        changes.offered_or_connected = true;
        if !self.consulted && self.connected_at.is_none() && self.done_at.is_some() {
            // It rang out before (RONA) and now this agent has it: a new leg.
            self.start_new_leg();
        }
        if self.connected_at.is_none() && !self.consulted {
            self.connected_at = Some(now);
            changes.connected = true;
        }
        self.advance(Leg::Connected);
    }

    fn advance(&mut self, leg: Leg) {
        if leg > self.leg {
            self.leg = leg;
        }
    }

    fn mark_transferred(&mut self, now: Millis, changes: &mut Changes) {
        if !self.transferred_away && self.is_answered() {
            self.transferred_away = true;
            self.transferred_at = Some(now);
            changes.transferred_away = true;
        }
    }

    /// Forgets the previous leg's progress (keeping its talk time) for a call that came back.
    fn start_new_leg(&mut self) {
        if let (Some(start), Some(end)) = (self.connected_at, self.leg_end()) {
            self.talk_ms_before = self.talk_ms_before.saturating_add(end.saturating_sub(start).max(0));
        }
        self.leg = Leg::Offered;
        self.transferred_away = false;
        self.transferred_at = None;
        self.connected_at = None;
        self.wrap_up_at = None;
        self.ended_at = None;
        self.done_at = None;
        if self.disposition.is_some() || self.disposition_code.is_some() {
            self.earlier_disposition = (self.disposition.take(), self.disposition_code.take());
        }
        self.logged = false;
        self.owner_set = false;
        self.consult_joined = false;
        self.received_via_consult = false;
        self.consulting_out = false;
        self.returned = true;
    }

    /// The call came back to this agent and is not answered in this leg (ringing, or rang out)
    /// after it talked in an earlier one: its log stays what the earlier legs made it.
    pub fn rings_again(&self) -> bool {
        self.connected_at.is_none() && self.talk_ms_before > 0
    }

    /// When this agent's talking ended in the current leg, if it has.
    pub fn leg_end(&self) -> Option<Millis> {
        self.transferred_at.or(self.wrap_up_at).or(self.ended_at).or(self.done_at)
    }

    /// Seconds this agent talked on the call, all legs, once the current leg has ended.
    pub fn talk_seconds(&self) -> Option<i64> {
        if self.rings_again() {
            return Some(self.talk_ms_before / 1000);
        }
        let end = self.leg_end()?;
        let current = self.connected_at.map(|c| end.saturating_sub(c).max(0)).unwrap_or(0);
        Some(self.talk_ms_before.saturating_add(current) / 1000)
    }

    /// The other party's number: the caller, or the number dialed (an outbound call's ANI is
    /// our own line).
    pub fn party_number(&self) -> &Pii<String> {
        match self.direction {
            Some(Direction::Outbound) => &self.dnis,
            _ => &self.ani,
        }
    }

    /// Several records matched and the call's Task is already related to one of them (another
    /// agent picked it before handing the call on): that one counts as picked here too.
    pub fn adopt_known_pick(&mut self) {
        if self.matched.is_some() {
            return;
        }
        let known = [self.written.who_id.as_ref(), self.written.what_id.as_ref()];
        if let Some(c) = self.candidates.iter().find(|c| known.contains(&Some(&c.record.id))) {
            self.matched = Some(c.record.clone());
        }
    }

    /// The agent may still change the subject: the call is this agent's and not logged yet.
    pub fn subject_open(&self) -> bool {
        self.is_ours() && !self.transferred_away && self.done_at.is_none()
    }

    /// The panel's view; `subject` is the subject as it will be written.
    pub fn view(&self, traces: &[PopTrace], subject: String, subject_editable: bool) -> CallView {
        CallView {
            interaction_id: self.id.clone(),
            direction: self.direction_word().to_string(),
            number: self.party_number().expose().clone(),
            queue: self.queue.clone(),
            leg: self.leg,
            matched_record: self.matched.clone(),
            related_record: self.related.clone(),
            candidates: self.candidates.clone(),
            picked: self.matched.as_ref().filter(|_| !self.candidates.is_empty()).map(|m| m.id.clone()),
            task_id: self.task_id.clone(),
            case_id: self.case_id.clone(),
            notes: self.notes.clone(),
            subject,
            subject_editable: subject_editable && self.subject_open(),
            consult: self.consulted,
            trace: traces.iter().rev().find(|t| t.interaction_id == self.id).cloned(),
        }
    }
}
