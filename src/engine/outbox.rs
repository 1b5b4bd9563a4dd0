//! The durable outbox: every Salesforce (and CAD) write of an interaction, keyed by
//! (interaction, operation), kept until confirmed. The payload is built from the call's state
//! when it is sent, so a later change rides along with a pending write instead of adding one.
//! Failures back off 1 s, 2 s, 4 s … up to 60 s. After a reload, writes that were in flight
//! are uncertain: creates are looked up by `CallObject` before being sent again.

use super::{CallId, Millis};
use crate::value_de::Read;
use crate::value_out::Write;
use serde::{Deserialize, Serialize};

/// A write the adapter owes Salesforce (or the desktop) for an interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Write, Deserialize, Read)]
pub(crate) enum Op {
    /// Create the Case (first, so the Task can link to it).
    CreateCase,
    /// Create the Task (`saveLog` without `Id`).
    CreateTask,
    /// Write the Task Id into the CAD variable so a receiving agent finds it.
    WriteTaskIdCad,
    /// Hand the existing Task to this agent (`OwnerId`).
    TakeOwnership,
    /// Update the Task with what changed (wrap-up details, notes, related records).
    UpdateTask,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::CreateCase => "createCase",
            Op::CreateTask => "createTask",
            Op::WriteTaskIdCad => "writeTaskIdCad",
            Op::TakeOwnership => "takeOwnership",
            Op::UpdateTask => "updateTask",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
pub(crate) enum Status {
    /// Waiting to be sent (at or after `not_before`).
    Ready,
    /// Sent; the answer has not come.
    InFlight(CallId),
    /// Not sent again: Salesforce refused it for good, or every attempt failed. Kept (and shown
    /// to the agent with what it holds) until the call is forgotten.
    Parked { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
pub(crate) struct Entry {
    pub status: Status,
    pub attempts: u32,
    pub not_before: Millis,
    /// Look the record up through our Apex before sending (uncertain or retried creates,
    /// read-modify-write of shared notes).
    pub lookup_first: bool,
    /// Lookups of this entry that failed in a row: past a few the write goes without one
    /// (our Apex may not be deployed), so nothing waits for ever on a lookup.
    #[serde(default)]
    pub lookup_failures: u32,
    /// Sent with no answer (a timeout, a reload while in flight): it may have been written.
    #[serde(default)]
    pub uncertain: bool,
}

#[derive(Debug, Clone, Default, Serialize, Write, Deserialize, Read)]
pub(crate) struct Outbox {
    // serde_json maps need string keys: "interaction|op" would do, but a list keeps it simple.
    // Kept in (interaction, operation) order, so the state read back from the per-call records
    // is the same as the state that wrote them.
    entries: Vec<((String, Op), Entry)>,
    /// The interactions whose entries changed since the records were last taken.
    #[serde(skip)]
    touched: crate::flat::Set<String>,
}

/// Failed attempts after which a write is parked (about 20 minutes of backoff): a write that
/// fails this often is not going to land by itself, and retrying every minute for a whole shift
/// helps nobody. The agent sees it in the panel with what it holds.
pub(crate) const MAX_ATTEMPTS: u32 = 25;

/// Failed lookups in a row after which a write is sent without looking up first.
const LOOKUP_TRIES: u32 = 15;

impl Entry {
    pub fn is_parked(&self) -> bool {
        matches!(self.status, Status::Parked { .. })
    }
}

/// Backoff after `attempts` failures: 1 s doubling, at most 60 s.
pub(crate) fn backoff_ms(attempts: u32) -> Millis {
    let exp = attempts.saturating_sub(1).min(6);
    (1_000i64 << exp).min(60_000)
}

impl Outbox {
    /// Writes still to be confirmed (parked ones are not counted: nothing more is sent for them).
    pub fn len(&self) -> usize {
        self.entries.iter().filter(|(_, e)| !e.is_parked()).count()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Whether a write of this interaction is still to be confirmed (not parked).
    pub fn has_entries_for(&self, interaction_id: &str) -> bool {
        self.entries.iter().any(|((id, _), e)| id == interaction_id && !e.is_parked())
    }
    /// Whether a write of this interaction is parked.
    pub fn has_parked_for(&self, interaction_id: &str) -> bool {
        self.entries.iter().any(|((id, _), e)| id == interaction_id && e.is_parked())
    }
    /// Writes parked for good, with their reasons.
    pub fn parked(&self) -> impl Iterator<Item = (&str, Op, &str)> {
        self.entries.iter().filter_map(|((id, op), e)| match &e.status {
            Status::Parked { reason } => Some((id.as_str(), *op, reason.as_str())),
            _ => None,
        })
    }
    /// Parks a write: it is not sent again.
    pub fn park(&mut self, interaction_id: &str, op: Op, reason: String) {
        if let Some(e) = self.get_mut(interaction_id, op) {
            e.status = Status::Parked { reason };
        }
    }
    /// Drops every entry of an interaction (it is forgotten); returns how many were parked.
    pub fn remove_all(&mut self, interaction_id: &str) -> usize {
        super::records::note(&mut self.touched, interaction_id);
        let parked = self.entries.iter().filter(|((id, _), e)| id == interaction_id && e.is_parked()).count();
        self.entries.retain(|((id, _), _)| id != interaction_id);
        parked
    }
    /// Restored updates read the Task again before they are sent: someone else may have changed
    /// it while the page was away. (A create that was in flight is looked up already; one that
    /// was never sent has nothing to check.)
    pub fn recheck_all(&mut self) {
        for ((id, op), e) in &mut self.entries {
            if matches!(op, Op::UpdateTask | Op::TakeOwnership) {
                e.lookup_first = true;
                super::records::note(&mut self.touched, id);
            }
        }
    }
    /// Records what the last answer said of the write: none came (`true`), or a definite one.
    pub fn set_uncertain(&mut self, interaction_id: &str, op: Op, uncertain: bool) {
        if let Some(e) = self.get_mut(interaction_id, op) {
            e.uncertain = uncertain;
        }
    }
    /// The write goes without looking up first.
    pub fn skip_lookup(&mut self, interaction_id: &str, op: Op) {
        if let Some(e) = self.get_mut(interaction_id, op) {
            e.lookup_first = false;
        }
    }
    /// A lookup failed: whether the entry should give up looking up and send the write as is.
    /// A write that may have landed already keeps looking as long as a write is retried: sent
    /// blind, it could be written twice.
    pub fn lookup_failed(&mut self, interaction_id: &str, op: Op) -> bool {
        let Some(e) = self.get_mut(interaction_id, op) else { return false };
        e.lookup_failures = e.lookup_failures.saturating_add(1);
        let tries = if e.uncertain { MAX_ATTEMPTS } else { LOOKUP_TRIES };
        if e.lookup_failures >= tries {
            e.lookup_first = false;
            return true;
        }
        false
    }
    pub fn get(&self, interaction_id: &str, op: Op) -> Option<&Entry> {
        self.entries.iter().find(|((id, o), _)| id == interaction_id && *o == op).map(|(_, e)| e)
    }
    fn get_mut(&mut self, interaction_id: &str, op: Op) -> Option<&mut Entry> {
        let entry = self.entries.iter_mut().find(|((id, o), _)| id == interaction_id && *o == op).map(|(_, e)| e)?;
        super::records::note(&mut self.touched, interaction_id);
        Some(entry)
    }

    /// Queues a write; an entry already queued for the same key stays (its payload is built
    /// when sent). An entry in flight is re-armed to send once more after its answer.
    pub fn enqueue(&mut self, interaction_id: &str, op: Op, now: Millis, lookup_first: bool) -> bool {
        if let Some(e) = self.get_mut(interaction_id, op) {
            e.lookup_first |= lookup_first;
            return false;
        }
        super::records::note(&mut self.touched, interaction_id);
        let at = self.position(interaction_id, op);
        self.entries.insert(
            at,
            (
                (interaction_id.to_string(), op),
                Entry {
                    status: Status::Ready,
                    attempts: 0,
                    not_before: now,
                    lookup_first,
                    lookup_failures: 0,
                    uncertain: false,
                },
            ),
        );
        true
    }

    /// Where an entry of (interaction, operation) goes in the order of the entries.
    fn position(&self, interaction_id: &str, op: Op) -> usize {
        self.entries.partition_point(|((id, o), _)| (id.as_str(), *o) < (interaction_id, op))
    }

    /// Puts the entries in their order (a snapshot of an earlier version kept them as queued).
    pub fn normalise(&mut self) {
        crate::flat::sort_small_by(&mut self.entries, |a, b| (&a.0 .0, a.0 .1).cmp(&(&b.0 .0, b.0 .1)));
    }

    pub fn remove(&mut self, interaction_id: &str, op: Op) {
        super::records::note(&mut self.touched, interaction_id);
        self.entries.retain(|((id, o), _)| !(id == interaction_id && *o == op));
    }

    pub fn mark_sent(&mut self, interaction_id: &str, op: Op, call_id: CallId) {
        if let Some(e) = self.get_mut(interaction_id, op) {
            e.status = Status::InFlight(call_id);
        }
    }

    /// A failed attempt: wait and try again (creates look up first, in case it landed).
    pub fn mark_failed(&mut self, interaction_id: &str, op: Op, now: Millis, lookup_next: bool) -> Millis {
        let Some(e) = self.get_mut(interaction_id, op) else { return now };
        e.attempts = e.attempts.saturating_add(1);
        e.not_before = now.saturating_add(backoff_ms(e.attempts));
        e.status = Status::Ready;
        e.lookup_first |= lookup_next;
        e.not_before
    }

    /// The lookup answered: the write itself goes next, right away.
    pub fn lookup_done(&mut self, interaction_id: &str, op: Op) {
        if let Some(e) = self.get_mut(interaction_id, op) {
            e.lookup_first = false;
            e.lookup_failures = 0;
            e.status = Status::Ready;
        }
    }

    /// After a reload nothing is in flight any more; what was is uncertain.
    pub fn mark_in_flight_uncertain(&mut self) {
        for ((id, op), e) in &mut self.entries {
            if matches!(e.status, Status::InFlight(_)) {
                super::records::note(&mut self.touched, id);
                e.status = Status::Ready;
                e.uncertain = true;
                if matches!(op, Op::CreateTask | Op::CreateCase) {
                    e.lookup_first = true;
                }
            }
        }
    }

    /// The entries of one interaction (its record), in order.
    pub fn entries_of(&self, interaction_id: &str) -> Vec<&((String, Op), Entry)> {
        self.entries.iter().filter(|((id, _), _)| id == interaction_id).collect()
    }

    /// An entry read back from a stored record (a repeated one is left out).
    pub fn restore_entry(&mut self, interaction_id: String, op: Op, entry: Entry) {
        if self.get(&interaction_id, op).is_none() {
            let at = self.position(&interaction_id, op);
            self.entries.insert(at, ((interaction_id, op), entry));
        }
    }

    /// Every interaction with entries (a restore writes them all again).
    pub fn touch_all(&mut self) {
        for ((id, _), _) in &self.entries {
            super::records::note(&mut self.touched, id);
        }
    }

    /// Drops every entry (logout with nothing pending); their records go at the next Persist.
    pub fn clear(&mut self) {
        self.touch_all();
        self.entries.clear();
    }

    pub fn has_changes(&self) -> bool {
        !self.touched.is_empty()
    }

    pub fn take_touched(&mut self) -> crate::flat::Set<String> {
        std::mem::take(&mut self.touched)
    }

    /// Entries ready to send at `now`, in a fixed order (interaction, then operation).
    pub fn ready(&self, now: Millis) -> Vec<(String, Op, bool)> {
        let mut out: Vec<(String, Op, bool)> = self
            .entries
            .iter()
            .filter(|(_, e)| e.status == Status::Ready && e.not_before <= now)
            .map(|((id, op), e)| (id.clone(), *op, e.lookup_first))
            .collect();
        crate::flat::sort_small_by(&mut out, |a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        out
    }

    /// The earliest time a waiting entry becomes ready, if any waits.
    pub fn next_wake(&self, now: Millis) -> Option<Millis> {
        self.entries
            .iter()
            .filter(|(_, e)| e.status == Status::Ready && e.not_before > now)
            .map(|(_, e)| e.not_before)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_second_to_a_minute() {
        let waits: Vec<Millis> = (1..=9).map(backoff_ms).collect();
        assert_eq!(waits, vec![1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    }

    #[test]
    fn in_flight_creates_become_lookups_after_reload() {
        let mut o = Outbox::default();
        o.enqueue("i1", Op::CreateTask, 0, false);
        o.mark_sent("i1", Op::CreateTask, CallId(7));
        o.mark_in_flight_uncertain();
        assert_eq!(o.ready(0), vec![("i1".to_string(), Op::CreateTask, true)]);
    }
}
