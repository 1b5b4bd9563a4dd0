//! What the panel shows, as the shell hands it over: the panel reads nothing else.

use crate::config::Diagnostic;
use crate::engine::{CallView, PanelAction};
use crate::value_out::Write;
use serde::Serialize;

/// Whether this tab runs the adapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write)]
#[serde(rename_all = "camelCase", tag = "state", content = "detail")]
pub enum Status {
    Starting,
    /// Another tab of this agent is writing; this one waits.
    Passive,
    Active,
    Failed(String),
}

/// One rendering of the panel.
pub(super) struct PanelView {
    pub status: Status,
    /// What the agent must know first: writes not saved (with the notes to copy), this
    /// browser's limits.
    pub notices: Vec<String>,
    pub call: Option<CallView>,
    /// Call center definition problems, then problems found while running.
    pub diagnostics: Vec<Diagnostic>,
}

/// What the agent did in the panel, sent back to the shell through one queue.
pub(super) enum PanelEvent {
    Action(PanelAction),
    /// The notes box changed (kept as a draft at once).
    Typing(String),
    /// Typing paused or the box lost focus: the notes go to the engine.
    Notes(String),
}
