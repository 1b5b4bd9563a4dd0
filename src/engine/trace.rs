//! What a call is related to and what its pop did: plain data shared by the call record
//! (`call`), the pop (`pop`) and the panel, so that none of them imports another for it.

use crate::pii::Pii;
use crate::value_de::Read;
use crate::value_out::Write;
use serde::{Deserialize, Serialize};

/// A Salesforce record a call is related to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
pub struct RelatedRecord {
    pub id: String,
    pub object_type: String,
    /// The record's account, when the search result carried one (a Contact's `AccountId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The record's name as Salesforce gave it (search result, navigation, click-to-dial), for
    /// the agent's panel; never in a log line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Pii<String>>,
}

impl RelatedRecord {
    /// What the agent reads for it: `Contact Ada Lovelace`, or the Id when no name is known.
    pub fn label(&self) -> String {
        let name = self.name.as_ref().map(|n| n.expose().trim()).filter(|n| !n.is_empty());
        match (self.object_type.is_empty(), name) {
            (true, Some(name)) => name.to_string(),
            (false, Some(name)) => format!("{} {name}", self.object_type),
            (true, None) => self.id.clone(),
            (false, None) => format!("{} {}", self.object_type, self.id),
        }
    }
}

/// A record the agent may pick when several matched (multiple-match action `pick`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub record: RelatedRecord,
    /// The record's phone number as Salesforce gave it, to tell namesakes apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Pii<String>>,
}

/// What the pop decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(rename_all = "camelCase")]
pub enum PopDecision {
    /// Nothing was searched (yet).
    #[default]
    None,
    /// One match: that record opened.
    Sobject,
    /// Several matches: the search page opened.
    Search,
    /// Several matches: the agent picks one in the panel.
    Pick,
    /// No match: the new-record form opened.
    NewRecord,
    /// No match: the softphone layout's own behaviour.
    Layout,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(rename_all = "camelCase")]
pub struct SearchTry {
    /// The search value, redacted to its last four characters.
    pub search: String,
    pub matches: usize,
}

/// Why a record was (or was not) popped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
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
