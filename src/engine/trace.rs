//! What a call is related to and what its pop did: plain data shared by the call record
//! (`call`), the pop (`pop`) and the panel, so that none of them imports another for it.

use serde::{Deserialize, Serialize};

/// A Salesforce record a call is related to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedRecord {
    pub id: String,
    pub object_type: String,
    /// The record's account, when the search result carried one (a Contact's `AccountId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

/// What the pop decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PopDecision {
    /// Nothing was searched (yet).
    #[default]
    None,
    /// One match: that record opened.
    Sobject,
    /// Several matches: the search page opened.
    Search,
    /// No match: the new-record form opened.
    NewRecord,
    /// No match: the softphone layout's own behaviour.
    Layout,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum PopState {
    #[default]
    NotStarted,
    Searching {
        candidates: Vec<String>,
        index: usize,
    },
    Done,
}

/// One search tried for a pop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchTry {
    /// The search value, redacted to its last four characters.
    pub search: String,
    pub matches: usize,
}

/// Why a record was (or was not) popped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PopTrace {
    pub interaction_id: String,
    /// `ani`, or `cad:<name>`.
    pub key_source: String,
    pub tries: Vec<SearchTry>,
    pub decision: PopDecision,
    pub record_id: Option<String>,
    /// Plain-language notes: fallbacks taken, mapped fields left out, errors.
    pub notes: Vec<String>,
}

impl PopTrace {
    /// An empty trace: searched by the caller's number, nothing decided yet.
    pub(super) fn new(interaction_id: &str) -> PopTrace {
        PopTrace {
            interaction_id: interaction_id.to_string(),
            key_source: "ani".into(),
            tries: Vec::new(),
            decision: PopDecision::None,
            record_id: None,
            notes: Vec::new(),
        }
    }
}
