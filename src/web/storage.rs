//! This agent's keys in the desktop origin's `localStorage`: the engine snapshot and the notes
//! being typed (docs/admin-guide.md, "What the adapter keeps in the browser"). A browser that
//! refuses storage makes every call here do nothing; the shell says so once.

use super::ffi;

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

    pub(super) fn snapshot(&self) -> Option<String> {
        ffi::local_storage()?.get_item(&self.key("snapshot")).ok().flatten()
    }

    /// Whether the snapshot was written (a full quota refuses it).
    pub(super) fn save_snapshot(&self, snapshot: &str) -> bool {
        ffi::local_storage().is_some_and(|s| s.set_item(&self.key("snapshot"), snapshot).is_ok())
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
        serde_json::from_str(&text).ok()
    }

    pub(super) fn forget_draft(&self) {
        if let Some(storage) = ffi::local_storage() {
            let _ = storage.remove_item(&self.key("notes-draft"));
        }
    }

    /// Removes every key of this agent (logout with nothing pending).
    pub(super) fn clear(&self) {
        if let Some(storage) = ffi::local_storage() {
            let _ = storage.remove_item(&self.key("snapshot"));
            let _ = storage.remove_item(&self.key("notes-draft"));
        }
    }
}
