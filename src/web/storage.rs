//! This agent's keys in the desktop origin's `localStorage`: the engine's records (one per call,
//! one per forgotten call, one for the session, see [`crate::engine::Engine::take_changes`]) and
//! the notes being typed (docs/admin-guide.md, "What the adapter keeps in the browser"). A
//! browser that refuses storage makes every call here do nothing; the shell says so once.

use super::ffi;
use crate::engine::Record;

/// What comes before a record's key: `<prefix>:<agent id>:state:<record key>`.
const STATE: &str = "state:";
/// The whole-state snapshot of versions before the records, read once and removed.
const LEGACY_SNAPSHOT: &str = "snapshot";

/// The keys `<prefix>:<agent id>:<what>` of one agent.
pub(super) struct Store {
    prefix: String,
}

impl Store {
    /// `storage_prefix` empty: the product's own prefix (tests run several agents apart).
    pub(super) fn new(storage_prefix: &str, identity: &str) -> Store {
        let prefix = if storage_prefix.is_empty() { "wxcc-sfdc-adapter" } else { storage_prefix };
        Store { prefix: format!("{prefix}:{identity}:") }
    }

    /// The key (or Web Lock name) `what` of this agent.
    pub(super) fn key(&self, what: &str) -> String {
        format!("{}{what}", self.prefix)
    }

    /// The storage keys of this agent's records (collected before any is removed).
    fn record_keys(&self, storage: &web_sys::Storage) -> Vec<String> {
        let state = self.key(STATE);
        (0..storage.length().unwrap_or(0))
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|k| k.starts_with(&state))
            .collect()
    }

    /// The records stored, `(record key, JSON)`, in no particular order.
    pub(super) fn records(&self) -> Vec<(String, String)> {
        let Some(storage) = ffi::local_storage() else { return Vec::new() };
        let skip = self.key(STATE).len();
        self.record_keys(&storage)
            .into_iter()
            .filter_map(|k| {
                let value = storage.get_item(&k).ok().flatten()?;
                Some((k.get(skip..)?.to_string(), value))
            })
            .collect()
    }

    /// The whole-state snapshot an earlier version wrote, if it is still there.
    pub(super) fn legacy_snapshot(&self) -> Option<String> {
        ffi::local_storage()?.get_item(&self.key(LEGACY_SNAPSHOT)).ok().flatten()
    }

    /// Stores or removes each record; false when one was refused (a full quota). Once records
    /// are written, an earlier version's snapshot is removed: the records hold all of it (the
    /// engine writes every record at its first save after a restore).
    pub(super) fn apply(&self, changes: Vec<Record>) -> bool {
        let Some(storage) = ffi::local_storage() else { return true };
        let mut all = true;
        let wrote = !changes.is_empty();
        for Record { key, value } in changes {
            let key = self.key(&format!("{STATE}{key}"));
            let done = match value {
                Some(text) => storage.set_item(&key, &text),
                None => storage.remove_item(&key),
            };
            all &= done.is_ok();
        }
        if all && wrote {
            let _ = storage.remove_item(&self.key(LEGACY_SNAPSHOT));
        }
        all
    }

    /// Keeps what the agent is typing on a call before it reaches the engine.
    pub(super) fn keep_draft(&self, interaction_id: &str, text: &str) {
        if let Some(storage) = ffi::local_storage() {
            let _ = storage.set_item(&self.key("notes-draft"), &serde_json::json!([interaction_id, text]).to_string());
        }
    }

    /// The draft a reload interrupted, `(interaction id, text)`, removed as it is read.
    pub(super) fn take_draft(&self) -> Option<(String, String)> {
        let text = ffi::local_storage()?.get_item(&self.key("notes-draft")).ok().flatten()?;
        self.forget_draft();
        // Through a `Value`, as every typed read of the widget (src/value_de.rs).
        crate::value_de::read(&serde_json::from_str(&text).ok()?).ok()
    }

    pub(super) fn forget_draft(&self) {
        if let Some(storage) = ffi::local_storage() {
            let _ = storage.remove_item(&self.key("notes-draft"));
        }
    }

    /// Removes every key of this agent (logout with nothing pending).
    pub(super) fn clear(&self) {
        let Some(storage) = ffi::local_storage() else { return };
        for key in self.record_keys(&storage) {
            let _ = storage.remove_item(&key);
        }
        let _ = storage.remove_item(&self.key(LEGACY_SNAPSHOT));
        let _ = storage.remove_item(&self.key("notes-draft"));
    }
}
