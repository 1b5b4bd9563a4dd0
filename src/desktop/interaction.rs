//! The `interaction` object of a Desktop contact event (`Service.Aqm.Contact.Interaction` in
//! `@wxcc-desktop/sdk-types`), read tolerantly, with the accessors the engine needs: direction,
//! caller and dialled numbers, queue, CAD variables, participants and hold state. Caller data is
//! kept in [`Pii`] and the `Debug` output of an interaction never shows it.

use super::lenient;
use crate::flat::Map;
use crate::pii::Pii;
use crate::value_de::Read;
use crate::value_out::Write;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Call direction, from `contactDirection.type` (`INBOUND`/`OUTBOUND`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Write, Deserialize, Read)]
pub enum Direction {
    #[default]
    Inbound,
    Outbound,
}

impl Direction {
    /// `Inbound` / `Outbound`: the capitalised form Salesforce's `CallType` field and the
    /// `{direction}` subject variable use.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "Inbound",
            Direction::Outbound => "Outbound",
        }
    }

    /// `inbound` / `outbound`: Open CTI's `CALL_TYPE` values.
    pub fn call_type(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }

    /// Case-insensitive `INBOUND` / `OUTBOUND`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("inbound") {
            Some(Direction::Inbound)
        } else if text.eq_ignore_ascii_case("outbound") {
            Some(Direction::Outbound)
        } else {
            None
        }
    }
}

/// `contactDirection: {type}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(default)]
pub struct ContactDirection {
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub direction_type: String,
}

/// One entry of `callAssociatedData` (SDK type `callAssociatedData`). The SDK allows `value` to
/// be an ordering object (`cadOrderData`) instead of a string; such entries have no `value`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(default, rename_all = "camelCase")]
pub struct CadVariable {
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub display_name: String,
    #[serde(deserialize_with = "lenient::opt_pii")]
    pub value: Option<Pii<String>>,
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub value_type: String,
    #[serde(deserialize_with = "lenient::boolean")]
    pub agent_editable: bool,
    #[serde(deserialize_with = "lenient::boolean")]
    pub agent_viewable: bool,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_secure: bool,
}

impl fmt::Debug for CadVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CadVariable").field("name", &self.name).field("value", &self.value).finish_non_exhaustive()
    }
}

/// Deserialises `callAssociatedData`: entries are `{name, value, …}` objects; a bare scalar
/// (what a simple host or a hand-written scenario may send) is taken as the value itself.
fn cad_map<'de, D: lenient::Input<'de>>(d: D) -> Result<Map<String, CadVariable>, D::Error> {
    use serde_json::Value;
    Ok(match &*d.value()? {
        Value::Object(entries) => entries
            .iter()
            .filter_map(|(key, entry)| {
                let var = match entry {
                    Value::Object(_) => {
                        let mut var = CadVariable::read(entry).ok()?;
                        if var.name.is_empty() {
                            var.name.clone_from(key);
                        }
                        var
                    }
                    scalar => CadVariable {
                        name: key.clone(),
                        value: Some(Pii(lenient::scalar_to_string(scalar)?)),
                        ..CadVariable::default()
                    },
                };
                Some((key.clone(), var))
            })
            .collect(),
        _ => Map::new(),
    })
}

/// One entry of `participants` (typed `any` in the SDK; shape as in the reference event).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(default, rename_all = "camelCase")]
pub struct Participant {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// `Agent`, `Customer`, `Supervisor`, …
    #[serde(deserialize_with = "lenient::string")]
    pub p_type: String,
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub participant_type: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub team_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub team_name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub queue_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub dn: String,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_consulted: bool,
    #[serde(deserialize_with = "lenient::boolean")]
    pub has_joined: bool,
    #[serde(deserialize_with = "lenient::boolean")]
    pub has_left: bool,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_wrap_up: bool,
}

impl Participant {
    pub fn is_agent(&self) -> bool {
        self.p_type.eq_ignore_ascii_case("agent")
    }
    pub fn is_customer(&self) -> bool {
        self.p_type.eq_ignore_ascii_case("customer")
    }
}

/// One entry of `media` (a media leg: main call or consult).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(default, rename_all = "camelCase")]
pub struct Media {
    #[serde(deserialize_with = "lenient::string")]
    pub media_resource_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub media_type: String,
    #[serde(deserialize_with = "lenient::string")]
    pub media_mgr: String,
    /// `mainCall` or `consult`.
    #[serde(deserialize_with = "lenient::string")]
    pub m_type: String,
    #[serde(deserialize_with = "lenient::string_vec")]
    pub participants: Vec<String>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_hold: bool,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub hold_timestamp: Option<i64>,
}

/// One entry of `callFlowParams`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(default, rename_all = "camelCase")]
pub struct CallFlowParam {
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub qualifier: String,
    #[serde(deserialize_with = "lenient::string")]
    pub value_data_type: String,
    #[serde(deserialize_with = "lenient::string")]
    pub value: String,
}

/// The interaction carried by a contact event. Unknown fields are ignored; every known field is
/// optional. `callProcessingDetails` and `callAssociatedDetails` are kept as flat text maps
/// (their values are strings, booleans or numbers depending on the field and the release).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(default, rename_all = "camelCase")]
pub struct Interaction {
    #[serde(deserialize_with = "lenient::string")]
    pub interaction_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub org_id: String,
    /// `telephony`, `chat`, `email`, `social`, …
    #[serde(deserialize_with = "lenient::string")]
    pub media_type: String,
    #[serde(deserialize_with = "lenient::string")]
    pub media_channel: String,
    /// Contact state as the desktop reports it (`new`, `connected`, `consulting`, `wrapUp`, …).
    #[serde(deserialize_with = "lenient::string")]
    pub state: String,
    #[serde(deserialize_with = "lenient::string")]
    pub owner: String,
    #[serde(rename = "currentVTeam", deserialize_with = "lenient::string")]
    pub current_vteam: String,
    #[serde(rename = "previousVTeams", deserialize_with = "lenient::string_vec")]
    pub previous_vteams: Vec<String>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_fc_managed: bool,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_terminated: bool,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub created_timestamp: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub main_interaction_id: Option<String>,
    #[serde(deserialize_with = "lenient::object_or_default")]
    pub contact_direction: ContactDirection,
    /// `OUTDIAL`, `CAMPAIGN`, `COURTESY_CALLBACK`, … (outbound interactions only).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub outbound_type: Option<String>,
    #[serde(deserialize_with = "lenient::map_of")]
    pub participants: Map<String, Participant>,
    #[serde(deserialize_with = "lenient::map_of")]
    pub media: Map<String, Media>,
    #[serde(deserialize_with = "lenient::pii_map")]
    pub call_processing_details: Map<String, Pii<String>>,
    /// Not in the SDK's types, but sent by the desktop: a flat map with `ani`, `dn` (DNIS),
    /// `virtualTeamName`, `customerName`, `ronaTimeout`, `mediaResourceId`, …
    #[serde(deserialize_with = "lenient::pii_map")]
    pub call_associated_details: Map<String, Pii<String>>,
    /// CAD variables by name: `callAssociatedData[name].value`.
    #[serde(deserialize_with = "cad_map")]
    pub call_associated_data: Map<String, CadVariable>,
    #[serde(deserialize_with = "lenient::map_of")]
    pub call_flow_params: Map<String, CallFlowParam>,
}

/// A non-empty text value or nothing.
fn non_empty(value: Option<&Pii<String>>) -> Option<&Pii<String>> {
    value.filter(|v| !v.expose().trim().is_empty())
}

impl Interaction {
    pub fn interaction_id(&self) -> &str {
        &self.interaction_id
    }

    /// `contactDirection.type` when it says INBOUND/OUTBOUND; otherwise an `outboundType`
    /// (OUTDIAL, CAMPAIGN, …) means outbound; otherwise inbound.
    pub fn direction(&self) -> Direction {
        if let Some(d) = Direction::parse(&self.contact_direction.direction_type) {
            return d;
        }
        match &self.outbound_type {
            Some(t) if !t.trim().is_empty() => Direction::Outbound,
            _ => Direction::Inbound,
        }
    }

    /// A field of `callProcessingDetails`, if present and non-empty.
    pub fn processing_detail(&self, name: &str) -> Option<&Pii<String>> {
        non_empty(self.call_processing_details.get(name))
    }

    /// A field of `callAssociatedDetails`, if present and non-empty.
    pub fn associated_detail(&self, name: &str) -> Option<&Pii<String>> {
        non_empty(self.call_associated_details.get(name))
    }

    /// `callProcessingDetails.ani`, else `callAssociatedDetails.ani`.
    pub fn ani(&self) -> Option<&Pii<String>> {
        self.processing_detail("ani").or_else(|| self.associated_detail("ani"))
    }

    /// `callProcessingDetails.dnis`, else `callAssociatedDetails.dn`.
    pub fn dnis(&self) -> Option<&Pii<String>> {
        self.processing_detail("dnis")
            .or_else(|| self.associated_detail("dn"))
            .or_else(|| self.associated_detail("dnis"))
    }

    /// `callProcessingDetails.virtualTeamName`, else `callAssociatedDetails.virtualTeamName`.
    pub fn queue_name(&self) -> Option<&str> {
        self.processing_detail("virtualTeamName")
            .or_else(|| self.associated_detail("virtualTeamName"))
            .map(|v| v.expose().as_str())
    }

    /// `callProcessingDetails.customerName`, else `callAssociatedDetails.customerName`.
    pub fn customer_name(&self) -> Option<&Pii<String>> {
        self.processing_detail("customerName").or_else(|| self.associated_detail("customerName"))
    }

    /// `mediaType`, else `mediaChannel` (e.g. `telephony`).
    pub fn media_type(&self) -> &str {
        if self.media_type.is_empty() {
            &self.media_channel
        } else {
            &self.media_type
        }
    }

    pub fn is_telephony(&self) -> bool {
        self.media_type().eq_ignore_ascii_case("telephony")
    }

    pub fn state(&self) -> &str {
        &self.state
    }

    /// The agent (participant id) who owns the interaction, if any.
    pub fn owner(&self) -> Option<&str> {
        Some(self.owner.as_str()).filter(|o| !o.is_empty())
    }

    /// True when any media leg is on hold.
    pub fn is_held(&self) -> bool {
        self.media.values().any(|m| m.is_hold)
    }

    /// The value of CAD variable `name`: exact name first, then the first name (in sorted order)
    /// equal ignoring case. Entries without a text value (the SDK's ordering object) are skipped.
    pub fn cad(&self, name: &str) -> Option<&str> {
        self.cad_pii(name).map(|v| v.expose().as_str())
    }

    /// [`Interaction::cad`], still wrapped.
    pub fn cad_pii(&self, name: &str) -> Option<&Pii<String>> {
        if let Some(v) = self.call_associated_data.get(name).and_then(|c| c.value.as_ref()) {
            return Some(v);
        }
        self.call_associated_data
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .find_map(|(_, c)| c.value.as_ref())
    }

    /// Every CAD variable with a text value, as `(name, value)`, in name order.
    pub fn cad_variables(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.call_associated_data
            .iter()
            .filter_map(|(k, c)| c.value.as_ref().map(|v| (k.as_str(), v.expose().as_str())))
    }

    /// Sets (or adds) CAD variable `name`, as the desktop does after `updateCadVariables`.
    /// An existing entry with a different case keeps its spelling.
    pub fn set_cad(&mut self, name: &str, value: &str) {
        let key = self
            .call_associated_data
            .keys()
            .find(|k| k.as_str() == name)
            .or_else(|| self.call_associated_data.keys().find(|k| k.eq_ignore_ascii_case(name)))
            .cloned()
            .unwrap_or_else(|| name.to_string());
        let entry = self
            .call_associated_data
            .entry(key.clone())
            .or_insert_with(|| CadVariable { name: key, ..CadVariable::default() });
        entry.value = Some(Pii::new(value.to_string()));
    }

    pub fn participants(&self) -> &Map<String, Participant> {
        &self.participants
    }

    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.get(id)
    }

    /// Agent participants, in id order.
    pub fn agent_participants(&self) -> impl Iterator<Item = &Participant> + '_ {
        self.participants.values().filter(|p| p.is_agent())
    }
}

impl fmt::Debug for Interaction {
    // Caller data stays out of logs: only identifiers, state and counts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interaction")
            .field("interaction_id", &self.interaction_id)
            .field("media_type", &self.media_type())
            .field("state", &self.state)
            .field("direction", &self.direction())
            .field("owner", &self.owner)
            .field("participants", &self.participants.len())
            .field("cad", &self.call_associated_data.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn interaction(v: serde_json::Value) -> Interaction {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn direction_comes_from_contact_direction_then_outbound_type() {
        assert_eq!(interaction(json!({"contactDirection": {"type": "OUTBOUND"}})).direction(), Direction::Outbound);
        assert_eq!(
            interaction(json!({"contactDirection": {"type": "inbound"}, "outboundType": "OUTDIAL"})).direction(),
            Direction::Inbound
        );
        assert_eq!(interaction(json!({"outboundType": "OUTDIAL"})).direction(), Direction::Outbound);
        assert_eq!(interaction(json!({"contactDirection": "weird"})).direction(), Direction::Inbound);
    }

    #[test]
    fn cad_lookup_is_exact_first_then_case_insensitive() {
        let i = interaction(json!({"callAssociatedData": {
            "ActivityId": {"name": "ActivityId", "value": "00T1"},
            "activityid": {"name": "activityid", "value": "00T2"},
            "Case_Number": {"name": "Case_Number", "value": 42},
            "order": {"name": "order", "value": {"pop-over": [], "interaction-panel": []}},
            "plain": "just-a-string"
        }}));
        assert_eq!(i.cad("ActivityId"), Some("00T1"));
        assert_eq!(i.cad("activityid"), Some("00T2"));
        assert_eq!(i.cad("ACTIVITYID"), Some("00T1"));
        assert_eq!(i.cad("case_number"), Some("42"));
        assert_eq!(i.cad("order"), None);
        assert_eq!(i.cad("plain"), Some("just-a-string"));
        assert_eq!(i.cad("missing"), None);
        let names: Vec<_> = i.cad_variables().map(|(k, _)| k).collect();
        assert_eq!(names, ["ActivityId", "Case_Number", "activityid", "plain"]);
    }

    #[test]
    fn set_cad_keeps_the_existing_spelling() {
        let mut i = interaction(json!({"callAssociatedData": {"ActivityId": {"value": ""}}}));
        i.set_cad("activityId", "00T9");
        assert_eq!(i.cad("ActivityId"), Some("00T9"));
        assert_eq!(i.call_associated_data.len(), 1);
        i.set_cad("New", "x");
        assert_eq!(i.cad("New"), Some("x"));
    }

    #[test]
    fn numbers_fall_back_to_call_associated_details() {
        let i = interaction(json!({
            "callProcessingDetails": {"ani": "", "virtualTeamName": "Gold"},
            "callAssociatedDetails": {"ani": "+12125550101", "dn": "8005550000", "virtualTeamName": "Silver"}
        }));
        assert_eq!(i.ani().map(|a| a.expose().as_str()), Some("+12125550101"));
        assert_eq!(i.dnis().map(|a| a.expose().as_str()), Some("8005550000"));
        assert_eq!(i.queue_name(), Some("Gold"));
    }

    #[test]
    fn debug_output_hides_caller_data() {
        let i = interaction(json!({
            "interactionId": "abc",
            "callProcessingDetails": {"ani": "+12125550101", "customerName": "Paul Potter"},
            "callAssociatedData": {"Secret": {"value": "s3cr3t"}}
        }));
        let text = format!("{i:?}");
        assert!(text.contains("abc"));
        assert!(!text.contains("5550101"));
        assert!(!text.contains("Paul"));
        assert!(!text.contains("s3cr3t"));
    }

    #[test]
    fn hold_state_comes_from_media_legs() {
        let i = interaction(json!({"media": {
            "m1": {"mediaResourceId": "m1", "mType": "mainCall", "isHold": "true", "holdTimestamp": "1700000000000"},
            "bad": 7
        }}));
        assert!(i.is_held());
        assert_eq!(i.media.len(), 1);
        assert_eq!(i.media.get("m1").and_then(|m| m.hold_timestamp), Some(1_700_000_000_000));
    }

    #[test]
    fn serialising_and_reading_back_gives_the_same_interaction() {
        let i = interaction(json!({
            "interactionId": "abc", "mediaType": "telephony", "state": "connected",
            "contactDirection": {"type": "INBOUND"},
            "participants": {"a1": {"id": "a1", "pType": "Agent", "hasJoined": true}},
            "callProcessingDetails": {"ani": "+1", "ronaTimeout": 30},
            "callAssociatedData": {"X": {"name": "X", "value": "1", "agentEditable": true}}
        }));
        let back: Interaction = serde_json::from_value(serde_json::to_value(&i).unwrap()).unwrap();
        assert_eq!(back, i);
    }
}
