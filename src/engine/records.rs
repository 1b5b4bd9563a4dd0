//! The durable state as records written as they change: one per call (the call and its
//! outbox entries), one per forgotten call, and one for the session (the user Id, the shown
//! record, the current call, the wrap-up code names, Omni-Channel). A shell stores each record
//! under its key and removes the keys whose value is `None`; an event that changed nothing
//! writes nothing, and the bytes written per call do not grow with the calls kept (SPEC §7).
//!
//! What changed is known from the types, not from flags set by hand: the calls can only be
//! changed through [`Calls`], which notes the call; the outbox notes the interactions whose
//! entries it changed; the session is compared with what was last written; forgetting a call
//! writes its record there and then.

use super::call::Call;
use super::outbox::{Entry, Op};
use super::{Durable, Millis};
use crate::flat::{Map, Set};
use crate::value_de::Read;
use crate::value_out::Write;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::ops::Deref;

/// The key of the session record.
pub const SESSION_KEY: &str = "session";
/// The prefix of a call's record key, followed by the interaction id.
pub const CALL_PREFIX: &str = "call:";
/// The prefix of a forgotten call's record key, followed by the interaction id.
pub const GONE_PREFIX: &str = "gone:";

/// One record to store (`value` set) or remove (`None`), as [`super::Engine::take_changes`] gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub key: String,
    pub value: Option<String>,
}

/// The calls of the durable state; changing one notes it for the next records.
#[derive(Debug, Clone, Default)]
pub(super) struct Calls {
    map: Map<String, Call>,
    changed: Set<String>,
}

impl Deref for Calls {
    type Target = Map<String, Call>;
    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

impl Serialize for Calls {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Calls {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Calls { map: Map::deserialize(d)?, changed: Set::new() })
    }
}

impl crate::value_out::Write for Calls {
    fn write(&self) -> Value {
        self.map.write()
    }
}

impl crate::value_de::Read for Calls {
    fn read(value: &serde_json::Value) -> Result<Self, crate::value_de::Error> {
        Ok(Calls { map: Map::read(value)?, changed: Set::new() })
    }
}

/// Notes `id` in `changed` (without a new `String` when it is there already).
pub(super) fn note(changed: &mut Set<String>, id: &str) {
    if !changed.contains(id) {
        changed.insert(id.to_string());
    }
}

impl Calls {
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Call> {
        let call = self.map.get_mut(id)?;
        note(&mut self.changed, id);
        Some(call)
    }

    /// The call `id`, made by `new` when there is none.
    pub fn get_or_insert_with(&mut self, id: &str, new: impl FnOnce() -> Call) -> &mut Call {
        note(&mut self.changed, id);
        self.map.entry(id.to_string()).or_insert_with(new)
    }

    pub fn insert(&mut self, id: String, call: Call) {
        self.changed.insert(id.clone());
        self.map.insert(id, call);
    }

    pub fn remove(&mut self, id: &str) -> Option<Call> {
        note(&mut self.changed, id);
        self.map.remove(id)
    }

    /// Changes every call (a restore normalises them all).
    pub fn for_each_mut(&mut self, mut change: impl FnMut(&mut Call)) {
        for (id, call) in self.map.iter_mut() {
            note(&mut self.changed, id);
            change(call);
        }
    }

    /// Notes every call (their records are all written again).
    pub fn touch_all(&mut self) {
        for id in self.map.keys() {
            note(&mut self.changed, id);
        }
    }

    /// Removes every call.
    pub fn clear(&mut self) {
        for id in self.map.keys() {
            note(&mut self.changed, id);
        }
        self.map = Map::new();
    }

    pub fn has_changes(&self) -> bool {
        !self.changed.is_empty()
    }

    pub fn take_changed(&mut self) -> Set<String> {
        std::mem::take(&mut self.changed)
    }
}

/// What the session record holds: the durable state that is neither a call nor a forgotten
/// call. `next_call_id` rides along but a change of it alone is not written: the calls in
/// flight are not restored, so any id is safe after a reload.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Write, Deserialize, Read)]
#[serde(default)]
pub(super) struct Session {
    user_id: Option<String>,
    next_call_id: u64,
    pending_dial: Option<super::call::DialedRecord>,
    omni: super::omni::OmniSync,
    shown_record: Option<super::trace::RelatedRecord>,
    current: Option<String>,
    wrap_up_codes: Map<String, String>,
}

impl Session {
    pub fn of(state: &Durable) -> Session {
        Session {
            user_id: state.user_id.clone(),
            next_call_id: state.next_call_id,
            pending_dial: state.pending_dial.clone(),
            omni: state.omni.clone(),
            shown_record: state.shown_record.clone(),
            current: state.current.clone(),
            wrap_up_codes: state.wrap_up_codes.clone(),
        }
    }

    /// The session of `state` when it differs from `written` in anything but the call counter.
    pub fn changed(state: &Durable, written: Option<&Session>) -> Option<Session> {
        let mut session = Session::of(state);
        let counter = session.next_call_id;
        if let Some(w) = written {
            session.next_call_id = w.next_call_id;
            if session == *w {
                return None;
            }
        }
        session.next_call_id = counter;
        Some(session)
    }

    fn into_state(self, state: &mut Durable) {
        state.user_id = self.user_id;
        state.next_call_id = state.next_call_id.max(self.next_call_id);
        state.pending_dial = self.pending_dial;
        state.omni = self.omni;
        state.shown_record = self.shown_record;
        state.current = self.current;
        state.wrap_up_codes = self.wrap_up_codes;
    }
}

/// A call's record: the call (if it is still kept) and its outbox entries.
#[derive(Serialize, Write)]
struct CallRecordOut<'a> {
    call: Option<&'a Call>,
    outbox: Vec<&'a ((String, Op), Entry)>,
}

#[derive(Deserialize, Read)]
#[cfg_attr(test, derive(Serialize, Write))] // compared with serde's in read_parity_tests.rs
pub(super) struct CallRecordIn {
    #[serde(default)]
    call: Option<Call>,
    #[serde(default)]
    outbox: Vec<((String, Op), Entry)>,
}

/// A forgotten call's record: its place in the order of forgetting and what it left behind
/// (its Task and this agent's talk time, and its Case: see `Durable::forgotten_tasks`).
#[derive(Debug, Clone, Serialize, Write, Deserialize, Read)]
pub(super) struct Gone {
    pub seq: u64,
    #[serde(default)]
    pub task: Option<(String, Millis)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
}

/// The record of call `id` as it is now: `None` when nothing of it is kept.
pub(super) fn call_record(state: &Durable, id: &str) -> Record {
    let call = state.calls.get(id);
    let outbox = state.outbox.entries_of(id);
    let value = if call.is_none() && outbox.is_empty() {
        None
    } else {
        Some(crate::value_out::text(&CallRecordOut { call, outbox }))
    };
    Record { key: format!("{CALL_PREFIX}{id}"), value }
}

pub(super) fn gone_record(id: &str, gone: Option<&Gone>) -> Record {
    Record { key: format!("{GONE_PREFIX}{id}"), value: gone.map(crate::value_out::text) }
}

pub(super) fn session_record(session: &Session) -> Record {
    Record { key: SESSION_KEY.to_string(), value: Some(crate::value_out::text(session)) }
}

/// The durable state read back from stored records, in any order, and the records that could
/// not be read (key, why): those are left out, the others kept.
pub(super) fn read(records: &[(String, String)]) -> (Durable, Vec<(String, String)>) {
    let mut state = Durable::default();
    let mut unreadable = Vec::new();
    let mut gone: Vec<(String, Gone)> = Vec::new();
    for (key, text) in records {
        // Through a `Value`, like the snapshot: one deserializer for the state's types.
        let parsed = serde_json::from_str::<Value>(text);
        let result = if key == SESSION_KEY {
            parsed.and_then(|v| crate::value_de::read::<Session>(&v)).map(|s| s.into_state(&mut state))
        } else if let Some(id) = key.strip_prefix(CALL_PREFIX) {
            parsed.and_then(|v| crate::value_de::read::<CallRecordIn>(&v)).map(|r| {
                if let Some(call) = r.call {
                    state.calls.insert(id.to_string(), call);
                }
                for ((entry_id, op), entry) in r.outbox {
                    // An entry is the record's own: a record copied under another key adds nothing.
                    if entry_id == id {
                        state.outbox.restore_entry(entry_id, op, entry);
                    }
                }
            })
        } else if let Some(id) = key.strip_prefix(GONE_PREFIX) {
            parsed.and_then(|v| crate::value_de::read::<Gone>(&v)).map(|g| gone.push((id.to_string(), g)))
        } else {
            continue; // another kind of record (a later version's): not ours to read
        };
        if let Err(err) = result {
            unreadable.push((key.clone(), err.to_string()));
        }
    }
    crate::flat::sort_small_by(&mut gone, |a, b| (a.1.seq, &a.0).cmp(&(b.1.seq, &b.0)));
    for (id, g) in gone {
        if let Some(task) = g.task {
            state.forgotten_tasks.insert(id.clone(), task);
        }
        if let Some(case) = g.case {
            state.forgotten_cases.insert(id.clone(), case);
        }
        state.forgotten.push_back(id);
    }
    (state, unreadable)
}

/// A 64-bit FNV-1a digest of a record's text, to skip writing a record that came out the same.
/// Written here rather than taken from a crate: eight lines, and no hasher code in the wasm.
pub(super) fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Records kept in memory as a shell keeps them in storage: for the replay runner, the tests
/// and the benchmarks. Counts what was written.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    records: Map<String, String>,
    /// Bytes written (keys and values) and records written or removed, since the start.
    pub bytes_written: usize,
    pub writes: usize,
}

impl MemoryStore {
    /// Stores or removes each record.
    pub fn apply(&mut self, changes: Vec<Record>) {
        for Record { key, value } in changes {
            self.writes = self.writes.saturating_add(1);
            match value {
                Some(text) => {
                    self.bytes_written = self.bytes_written.saturating_add(key.len().saturating_add(text.len()));
                    self.records.insert(key, text);
                }
                None => {
                    self.records.remove(&key);
                }
            }
        }
    }

    /// What is stored, as [`super::Engine::restore_records`] reads it.
    pub fn stored(&self) -> Vec<(String, String)> {
        self.records.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// Bytes stored now (keys and values).
    pub fn size(&self) -> usize {
        self.records.iter().map(|(k, v)| k.len().saturating_add(v.len())).sum()
    }
}
