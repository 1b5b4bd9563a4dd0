//! Contact events of `Desktop.agentContact` (`addEventListener(name, fn)`): their names, the
//! message `{type, orgId, trackingId, data}` they carry, and a parser that turns any input into
//! either a [`ContactEvent`] with a non-empty interaction id or a [`DesktopError`] saying what
//! was wrong. It never panics, whatever the name or payload.

use super::interaction::Interaction;
use super::lenient;
use crate::value_de::Read;
use crate::value_out::Write;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Payloads nested deeper than this are refused (the reference event nests 5 levels).
const MAX_DEPTH: usize = 64;
/// How much of an unknown event name an error keeps.
const MAX_NAME_IN_ERROR: usize = 64;

macro_rules! contact_events {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal ),+ $(,)?) => {
        /// A contact event name, spelled exactly as the SDK registers it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ContactEventKind {
            $( $(#[$doc])* $variant, )+
        }

        impl ContactEventKind {
            /// Every event the adapter listens to; the wasm shell registers one listener each.
            pub const ALL: &'static [ContactEventKind] = &[ $( ContactEventKind::$variant, )+ ];

            /// The SDK's name for this event (e.g. `eAgentblindTransferred`, odd casing kept).
            pub fn name(self) -> &'static str {
                match self { $( ContactEventKind::$variant => $name, )+ }
            }

            /// The event for an SDK name; exact spelling only (the SDK binds names exactly).
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $( $name => Some(ContactEventKind::$variant), )+ _ => None }
            }
        }
    };
}

contact_events! {
    /// A contact is offered (ringing).
    OfferContact = "eAgentOfferContact",
    /// The agent is connected to the contact.
    ContactAssigned = "eAgentContactAssigned",
    /// Any update of the contact; re-sent often.
    Contact = "eAgentContact",
    ContactHeld = "eAgentContactHeld",
    ContactUnHeld = "eAgentContactUnHeld",
    /// Wrap-up started.
    Wrapup = "eAgentWrapup",
    /// Wrap-up done; `data.wrapUpAuxCodeId` carries the chosen wrap-up code.
    ContactWrappedUp = "eAgentContactWrappedUp",
    ContactEnded = "eAgentContactEnded",
    /// The offer timed out (Redirection On No Answer).
    OfferContactRona = "eAgentOfferContactRona",
    BlindTransferred = "eAgentblindTransferred",
    VteamTransfer = "eAgentvteamTransfer",
    ConsultTransfer = "eConsultTransfer",
    ContactOwnerChanged = "eContactOwnerChanged",
    /// A consult is offered to this agent.
    OfferConsult = "eAgentOfferConsult",
    ConsultCreated = "eAgentConsultCreated",
    Consulting = "eAgentConsulting",
    ConsultEnded = "eAgentConsultEnded",
    ConsultFailed = "eAgentConsultFailed",
    ConsultEndFailed = "eAgentConsultEndFailed",
    ConsultConferenced = "eAgentConsultConferenced",
    ConsultConferencing = "eAgentConsultConferencing",
    ConsultConferenceEnded = "eAgentConsultConferenceEnded",
    ConsultTransferring = "eAgentConsultTransferring",
    ConsultTransferFailed = "eAgentConsultTransferFailed",
    ConferenceTransferred = "eAgentConferenceTransferred",
    ParticipantJoinedConference = "eParticipantJoinedConference",
    ParticipantLeftConference = "eParticipantLeftConference",
    CtqCancelled = "eAgentCtqCancelled",
    CtqFailed = "eAgentCtqFailed",
    /// The caller's ANI changed (e.g. after an IVR update).
    ContactAniUpdated = "eAgentContactAniUpdated",
    ContactAssignFailed = "eAgentContactAssignFailed",
}

impl ContactEventKind {
    /// Blind, queue (vteam), consult and conference transfers.
    pub fn is_transfer(self) -> bool {
        matches!(
            self,
            ContactEventKind::BlindTransferred
                | ContactEventKind::VteamTransfer
                | ContactEventKind::ConsultTransfer
                | ContactEventKind::ConferenceTransferred
        )
    }

    /// Consult life-cycle events (offer, progress, end, failure).
    pub fn is_consult(self) -> bool {
        matches!(
            self,
            ContactEventKind::OfferConsult
                | ContactEventKind::ConsultCreated
                | ContactEventKind::Consulting
                | ContactEventKind::ConsultEnded
                | ContactEventKind::ConsultFailed
                | ContactEventKind::ConsultEndFailed
                | ContactEventKind::ConsultConferenced
                | ContactEventKind::ConsultConferencing
                | ContactEventKind::ConsultConferenceEnded
                | ContactEventKind::ConsultTransferring
                | ContactEventKind::ConsultTransferFailed
                | ContactEventKind::CtqCancelled
                | ContactEventKind::CtqFailed
        )
    }

    /// Whether the SDK's own `Listeners` type of `agentContact` declares this name. The others
    /// exist on the host's `aqm.contact` and bind at run time, but TypeScript would reject them.
    pub fn in_sdk_listener_type(self) -> bool {
        !matches!(
            self,
            ContactEventKind::BlindTransferred
                | ContactEventKind::VteamTransfer
                | ContactEventKind::ConsultTransfer
                | ContactEventKind::ConsultTransferFailed
                | ContactEventKind::ConferenceTransferred
                | ContactEventKind::ContactAssignFailed
        )
    }
}

impl std::fmt::Display for ContactEventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What went wrong reading a Desktop event.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DesktopError {
    #[error("unknown Desktop event `{0}`")]
    UnknownEvent(String),
    #[error("malformed `{event}` payload: {message}")]
    MalformedPayload { event: ContactEventKind, message: String },
    #[error("`{event}` payload has no interactionId (neither data.interactionId nor data.interaction.interactionId)")]
    MissingInteractionId { event: ContactEventKind },
}

/// `data` of a contact event (SDK `Service.Aqm.Contact.AgentContact` data). The wrap-up fields
/// are not in the SDK's types but are sent by the desktop on `eAgentContactWrappedUp`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(default, rename_all = "camelCase")]
pub struct EventData {
    #[serde(deserialize_with = "lenient::string")]
    pub interaction_id: String,
    #[serde(deserialize_with = "lenient::opt_object")]
    pub interaction: Option<Interaction>,
    #[serde(deserialize_with = "lenient::string")]
    pub agent_id: String,
    /// The agent a transfer or consult goes to (empty when none).
    #[serde(deserialize_with = "lenient::string")]
    pub dest_agent_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub owner: String,
    #[serde(deserialize_with = "lenient::string")]
    pub org_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub tracking_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub event_type: String,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub event_time: Option<i64>,
    /// The message type inside `data` (e.g. `AgentWrapup`); often empty.
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub message_type: String,
    #[serde(deserialize_with = "lenient::string")]
    pub media_resource_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub consult_media_resource_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub queue_mgr: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub queue_name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub rona_timeout: Option<i64>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_consulted: bool,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_conferencing: bool,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub from_owner: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub to_owner: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub consulting_agent_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub child_interaction_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub destination_type: Option<String>,
    /// The agent who last changed CAD variables.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub updated_by: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub reason: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub reason_code: Option<String>,
    /// Wrap-up code id chosen by the agent (`eAgentContactWrappedUp`); resolve its name with
    /// `Desktop.actions.getWrapUpCodes()`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub wrap_up_aux_code_id: Option<String>,
    /// Wrap-up reason text, when a host sends it directly (the SDK's wrapup request field name).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub wrap_up_reason: Option<String>,
}

/// The message a listener receives: `{type, orgId, trackingId, data}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(default, rename_all = "camelCase")]
pub struct EventPayload {
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub message_type: String,
    #[serde(deserialize_with = "lenient::string")]
    pub org_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub tracking_id: String,
    pub data: EventData,
}

/// A parsed contact event. `payload.data.interaction_id` is never empty; when the interaction
/// is present its `interaction_id` is filled too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactEvent {
    pub kind: ContactEventKind,
    pub payload: EventPayload,
}

impl ContactEvent {
    pub fn interaction_id(&self) -> &str {
        &self.payload.data.interaction_id
    }
    pub fn data(&self) -> &EventData {
        &self.payload.data
    }
    pub fn interaction(&self) -> Option<&Interaction> {
        self.payload.data.interaction.as_ref()
    }
    /// The agent the event is about (`data.agentId`), if given.
    pub fn agent_id(&self) -> Option<&str> {
        Some(self.payload.data.agent_id.as_str()).filter(|a| !a.is_empty())
    }
    /// The agent who owns the call according to the event (`data.owner`, else
    /// `interaction.owner`), only when it names one of the call's participants: some events
    /// carry a media resource id there, which says nothing about who has the call.
    pub fn owner_agent(&self) -> Option<&str> {
        let interaction = self.interaction()?;
        let named = Some(self.payload.data.owner.as_str()).filter(|o| !o.is_empty()).or_else(|| interaction.owner());
        named.filter(|o| interaction.participant(o).is_some())
    }
    /// Whether the event says `agent` is only consulted on the call: `data.isConsulted`, or
    /// that agent's (or the event agent's) participant entry.
    pub fn is_consulted_for(&self, agent: &str) -> bool {
        self.is_consulted()
            || (!agent.is_empty()
                && self.interaction().and_then(|i| i.participant(agent)).is_some_and(|p| p.is_consulted))
    }
    /// `data.isConsulted`, or this agent's participant entry says so.
    pub fn is_consulted(&self) -> bool {
        self.payload.data.is_consulted
            || self.agent_id().and_then(|a| self.interaction()?.participant(a)).is_some_and(|p| p.is_consulted)
    }
}

/// Parses a listener's message given as JSON text.
pub fn parse_event(name: &str, payload_json: &str) -> Result<ContactEvent, DesktopError> {
    let kind = kind_of(name)?;
    let value: Value = serde_json::from_str(payload_json).map_err(|e| malformed(kind, e.to_string()))?;
    parse_kind_value(kind, value)
}

/// Parses a listener's message already turned into JSON. Accepts the full message
/// `{type, orgId, trackingId, data}` or, as a convenience for scenarios, the bare `data` object.
pub fn parse_event_value(name: &str, payload: Value) -> Result<ContactEvent, DesktopError> {
    parse_kind_value(kind_of(name)?, payload)
}

fn kind_of(name: &str) -> Result<ContactEventKind, DesktopError> {
    ContactEventKind::from_name(name)
        .ok_or_else(|| DesktopError::UnknownEvent(name.chars().take(MAX_NAME_IN_ERROR).collect()))
}

fn malformed(event: ContactEventKind, message: impl Into<String>) -> DesktopError {
    DesktopError::MalformedPayload { event, message: message.into() }
}

fn parse_kind_value(kind: ContactEventKind, payload: Value) -> Result<ContactEvent, DesktopError> {
    if lenient::nests_deeper_than(&payload, MAX_DEPTH) {
        return Err(malformed(kind, format!("nested deeper than {MAX_DEPTH} levels")));
    }
    let Value::Object(mut envelope) = payload else {
        return Err(malformed(kind, "payload is not a JSON object"));
    };
    let data = match envelope.remove("data") {
        Some(Value::Object(data)) => data,
        Some(Value::Null) | None if envelope.contains_key("interaction") || envelope.contains_key("interactionId") => {
            std::mem::take(&mut envelope)
        }
        Some(Value::Null) | None => return Err(malformed(kind, "no `data` object")),
        Some(_) => return Err(malformed(kind, "`data` is not an object")),
    };
    // Structure is checked here so that serde's messages (which quote values) never carry
    // caller data into logs.
    match data.get("interaction") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => return Err(malformed(kind, "`data.interaction` is not an object")),
    }
    let mut payload: EventPayload =
        crate::value_de::read(&Value::Object(envelope)).map_err(|e| malformed(kind, e.to_string()))?;
    payload.data = crate::value_de::read(&Value::Object(data)).map_err(|e| malformed(kind, e.to_string()))?;
    fill_interaction_ids(kind, &mut payload.data)?;
    Ok(ContactEvent { kind, payload })
}

fn fill_interaction_ids(kind: ContactEventKind, data: &mut EventData) -> Result<(), DesktopError> {
    if data.interaction_id.trim().is_empty() {
        match &data.interaction {
            Some(i) if !i.interaction_id.trim().is_empty() => {
                data.interaction_id.clone_from(&i.interaction_id);
            }
            _ => return Err(DesktopError::MissingInteractionId { event: kind }),
        }
    }
    if let Some(i) = data.interaction.as_mut() {
        if i.interaction_id.trim().is_empty() {
            i.interaction_id.clone_from(&data.interaction_id);
        }
    }
    Ok(())
}

/// Builds the message a host sends for `data` (used by simulators and tests).
pub fn event_message(org_id: &str, tracking_id: &str, data: Value) -> Value {
    let mut message = Map::new();
    message.insert("type".into(), Value::String(String::new()));
    message.insert("orgId".into(), Value::String(org_id.into()));
    message.insert("trackingId".into(), Value::String(tracking_id.into()));
    message.insert("data".into(), data);
    Value::Object(message)
}

#[cfg(test)]
mod tests {
    use super::super::interaction::Direction;
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const REFERENCE: &str = include_str!("fixtures/agentcontact-event-data.json");

    fn reference_data() -> Value {
        serde_json::from_str(REFERENCE).unwrap()
    }

    fn reference_message() -> String {
        event_message("org", "track", reference_data()).to_string()
    }

    #[test]
    fn reference_event_parses() {
        let ev = parse_event("eAgentOfferContact", &reference_message()).unwrap();
        assert_eq!(ev.kind, ContactEventKind::OfferContact);
        assert_eq!(ev.interaction_id(), "1627c9fb-7fdd-49a6-a7a9-56c69c4e6199");
        assert_eq!(ev.agent_id(), Some("df276f7a-5113-4d30-831b-ba2d51010203"));
        assert_eq!(ev.data().rona_timeout, Some(30));
        assert!(!ev.is_consulted());
        let i = ev.interaction().unwrap();
        assert_eq!(i.direction(), Direction::Inbound);
        assert_eq!(i.ani().unwrap().expose(), "paul@gmail.com");
        assert_eq!(i.dnis().unwrap().expose(), "AgentX");
        assert_eq!(i.queue_name(), Some("TeamX"));
        assert_eq!(i.media_type(), "chat");
        assert_eq!(i.state(), "new");
        assert_eq!(i.owner(), Some("43bfcdef-5551-45b1-a8f9-a0b33e66e3fe"));
        assert_eq!(i.participants().len(), 2);
        assert_eq!(i.agent_participants().count(), 1);
        assert!(i.participant("customer").unwrap().is_customer());
        assert_eq!(i.previous_vteams, ["3380"]);
        assert_eq!(i.call_flow_params.get("Sales").map(|p| p.value.as_str()), Some("3381"));
        assert_eq!(i.cad_variables().count(), 0);
    }

    #[test]
    fn bare_data_object_is_accepted() {
        let ev = parse_event_value("eAgentContactAssigned", reference_data()).unwrap();
        assert_eq!(ev.interaction_id(), "1627c9fb-7fdd-49a6-a7a9-56c69c4e6199");
        assert_eq!(ev.payload.org_id, "");
    }

    #[test]
    fn repeated_event_parses_to_the_same_value() {
        let a = parse_event("eAgentContact", &reference_message()).unwrap();
        let b = parse_event("eAgentContact", &reference_message()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn every_name_round_trips_and_is_unique() {
        for kind in ContactEventKind::ALL {
            assert_eq!(ContactEventKind::from_name(kind.name()), Some(*kind));
        }
        let mut names: Vec<_> = ContactEventKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ContactEventKind::ALL.len());
        for spec in [
            "eAgentOfferContact",
            "eAgentContactAssigned",
            "eAgentContact",
            "eAgentContactHeld",
            "eAgentContactUnHeld",
            "eAgentWrapup",
            "eAgentContactWrappedUp",
            "eAgentContactEnded",
            "eAgentOfferContactRona",
            "eAgentblindTransferred",
            "eAgentvteamTransfer",
            "eConsultTransfer",
            "eContactOwnerChanged",
        ] {
            assert!(ContactEventKind::from_name(spec).is_some(), "{spec}");
        }
    }

    #[test]
    fn unknown_or_miscased_event_names_are_rejected() {
        assert_eq!(
            parse_event("eAgentBlindTransferred", "{}"),
            Err(DesktopError::UnknownEvent("eAgentBlindTransferred".into()))
        );
        let long = "x".repeat(10_000);
        match parse_event(&long, "{}") {
            Err(DesktopError::UnknownEvent(n)) => assert_eq!(n.len(), MAX_NAME_IN_ERROR),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_payloads_say_what_is_wrong() {
        for (payload, needle) in [
            ("not json", "expected"),
            ("[1,2]", "not a JSON object"),
            (r#"{"type":"x"}"#, "no `data`"),
            (r#"{"data":"x"}"#, "`data` is not an object"),
            (r#"{"data":{"interactionId":"i","interaction":"+12125550101"}}"#, "`data.interaction` is not an object"),
        ] {
            match parse_event("eAgentContact", payload) {
                Err(e @ DesktopError::MalformedPayload { .. }) => {
                    let text = e.to_string();
                    assert!(text.contains(needle), "{text}");
                    assert!(!text.contains("5550101"), "{text}");
                }
                other => panic!("{payload}: {other:?}"),
            }
        }
    }

    #[test]
    fn missing_interaction_id_is_its_own_error() {
        assert_eq!(
            parse_event("eAgentContactEnded", r#"{"data":{"agentId":"a"}}"#),
            Err(DesktopError::MissingInteractionId { event: ContactEventKind::ContactEnded })
        );
        assert!(matches!(
            parse_event("eAgentContactEnded", r#"{"data":{"interactionId":"  ","interaction":{}}}"#),
            Err(DesktopError::MissingInteractionId { .. })
        ));
    }

    #[test]
    fn interaction_id_is_taken_from_either_place() {
        let ev =
            parse_event_value("eAgentContact", json!({"data": {"interaction": {"interactionId": "from-interaction"}}}))
                .unwrap();
        assert_eq!(ev.interaction_id(), "from-interaction");
        let ev =
            parse_event_value("eAgentContact", json!({"data": {"interactionId": 12345, "interaction": {}}})).unwrap();
        assert_eq!(ev.interaction_id(), "12345");
        assert_eq!(ev.interaction().unwrap().interaction_id(), "12345");
    }

    #[test]
    fn wrong_field_types_fall_back_to_defaults() {
        let ev = parse_event_value(
            "eAgentContactWrappedUp",
            json!({"orgId": 5, "data": {
                "interactionId": "i", "agentId": ["x"], "isConsulted": "true", "ronaTimeout": "15",
                "wrapUpAuxCodeId": 1234, "eventTime": "x",
                "interaction": {"participants": "nope", "callProcessingDetails": [1],
                                "contactDirection": {"type": 3}, "state": {"a": 1}}
            }}),
        )
        .unwrap();
        let d = ev.data();
        assert_eq!(ev.payload.org_id, "5");
        assert_eq!(d.agent_id, "");
        assert!(d.is_consulted);
        assert_eq!(d.rona_timeout, Some(15));
        assert_eq!(d.wrap_up_aux_code_id.as_deref(), Some("1234"));
        assert_eq!(d.event_time, None);
        let i = ev.interaction().unwrap();
        assert!(i.participants().is_empty());
        assert_eq!(i.state(), "");
        assert_eq!(i.direction(), Direction::Inbound);
    }

    #[test]
    fn consulted_flag_is_also_read_from_the_participant() {
        let ev = parse_event_value(
            "eAgentOfferConsult",
            json!({"data": {"interactionId": "i", "agentId": "b", "interaction": {
                "participants": {"b": {"id": "b", "pType": "Agent", "isConsulted": true}}}}}),
        )
        .unwrap();
        assert!(ev.is_consulted());
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = fastrand::Rng::with_seed(0x5eed);
        let reference = reference_message().into_bytes();
        for _ in 0..2_000 {
            let mut bytes = reference.clone();
            for _ in 0..rng.usize(1..8) {
                let at = rng.usize(..bytes.len());
                match rng.u8(..3) {
                    0 => bytes[at] = rng.u8(..),
                    1 => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at, b"{}[]\",:0-e"[rng.usize(..10)]),
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            let kind = ContactEventKind::ALL[rng.usize(..ContactEventKind::ALL.len())];
            let _ = parse_event(kind.name(), &text);
        }
        for _ in 0..500 {
            let len = rng.usize(..64);
            let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
            let _ = parse_event("eAgentContact", &String::from_utf8_lossy(&bytes));
        }
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|f| json!(f)),
            "[a-zA-Z0-9 +]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("interactionId".to_string()),
                        Just("interaction".to_string()),
                        Just("callAssociatedData".to_string()),
                        Just("participants".to_string()),
                        Just("value".to_string()),
                        Just("data".to_string()),
                        "[a-z]{1,6}",
                    ],
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Replaces the value at a pseudo-random path of `target` with `with`.
    fn graft(target: &mut Value, mut choice: u64, with: Value) {
        let mut cur = target;
        loop {
            let len = match cur {
                Value::Object(m) if !m.is_empty() => m.len(),
                Value::Array(a) if !a.is_empty() => a.len(),
                _ => break,
            };
            if choice % 4 == 0 {
                break;
            }
            let idx = (choice as usize / 4) % len;
            choice /= 7;
            cur = match cur {
                Value::Object(m) => m.values_mut().nth(idx).unwrap(),
                Value::Array(a) => a.get_mut(idx).unwrap(),
                _ => unreachable!(),
            };
        }
        *cur = with;
    }

    proptest! {
        #[test]
        fn random_json_never_panics(v in arb_json(), idx in 0..ContactEventKind::ALL.len()) {
            let name = ContactEventKind::ALL[idx].name();
            let _ = parse_event_value(name, v.clone());
            let _ = parse_event_value(name, json!({"data": v}));
        }

        #[test]
        fn grafted_reference_never_panics(v in arb_json(), choice in any::<u64>()) {
            let mut message = event_message("o", "t", reference_data());
            graft(&mut message, choice, v);
            if let Ok(ev) = parse_event_value("eAgentContact", message) {
                prop_assert!(!ev.interaction_id().trim().is_empty());
                if let Some(i) = ev.interaction() {
                    let _ = (i.direction(), i.ani(), i.dnis(), i.queue_name(), i.cad("x"));
                }
            }
        }
    }
}
