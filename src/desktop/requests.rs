//! Arguments for the Desktop SDK calls the adapter makes, built exactly as the SDK methods take
//! them: `agentStateInfo.stateChange`, `dialer.updateCadVariables` and `dialer.startOutdial`.
//! The SDK only logs bad input ("Assert failed…"), so these builders are the place to get the
//! shape right.

use serde_json::{json, Map, Value};

/// The two states `agentStateInfo.stateChange` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TargetState {
    Available,
    Idle,
}

impl TargetState {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetState::Available => "Available",
            TargetState::Idle => "Idle",
        }
    }
}

/// `Desktop.agentStateInfo.stateChange({state, auxCodeIdArray})`. Despite its name
/// `auxCodeIdArray` is one id string; for `Available` the desktop uses `"0"`
/// ([`super::AVAILABLE_AUX_CODE_ID`]).
pub fn state_change_request(state: TargetState, aux_code_id: &str) -> Value {
    json!({ "state": state.as_str(), "auxCodeIdArray": aux_code_id })
}

/// `Desktop.dialer.updateCadVariables({interactionId, data: {attributes: {name: value}}})`.
/// Values are strings (SDK `updateCadPayLoad`). The SDK also declares `keyId`/`keyVersion`
/// (secure CAD only) which we leave out.
pub fn update_cad_request<I, K, V>(interaction_id: &str, attributes: I) -> Value
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<String>,
{
    let attributes: Map<String, Value> =
        attributes.into_iter().map(|(k, v)| (k.into(), Value::String(v.into()))).collect();
    json!({ "interactionId": interaction_id, "data": { "attributes": attributes } })
}

/// `Desktop.dialer.startOutdial({data: {entryPointId, destination, direction: "OUTBOUND",
/// origin, attributes: {}, mediaType: "telephony", outboundType: "OUTDIAL"}})`. `origin` (the
/// outdial ANI) is left out when not chosen. `attributes` must be present: the SDK's check
/// reads `attributes.key` and throws on a missing object.
pub fn outdial_request(entry_point_id: &str, destination: &str, origin: Option<&str>) -> Value {
    let mut data = Map::new();
    data.insert("entryPointId".into(), entry_point_id.into());
    data.insert("destination".into(), destination.into());
    data.insert("direction".into(), "OUTBOUND".into());
    if let Some(origin) = origin.filter(|o| !o.trim().is_empty()) {
        data.insert("origin".into(), origin.into());
    }
    data.insert("attributes".into(), Value::Object(Map::new()));
    data.insert("mediaType".into(), "telephony".into());
    data.insert("outboundType".into(), "OUTDIAL".into());
    json!({ "data": data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_change_carries_one_aux_code_id() {
        assert_eq!(state_change_request(TargetState::Idle, "11"), json!({"state": "Idle", "auxCodeIdArray": "11"}));
        assert_eq!(
            state_change_request(TargetState::Available, super::super::AVAILABLE_AUX_CODE_ID),
            json!({"state": "Available", "auxCodeIdArray": "0"})
        );
    }

    #[test]
    fn cad_update_nests_attributes_under_data() {
        assert_eq!(
            update_cad_request("i-1", [("ActivityId", "00T1")]),
            json!({"interactionId": "i-1", "data": {"attributes": {"ActivityId": "00T1"}}})
        );
        assert_eq!(
            update_cad_request("i-1", Vec::<(String, String)>::new()),
            json!({"interactionId": "i-1", "data": {"attributes": {}}})
        );
    }

    #[test]
    fn outdial_has_the_sdk_shape() {
        assert_eq!(
            outdial_request("ep-1", "+12125550101", Some("+18005550000")),
            json!({"data": {"entryPointId": "ep-1", "destination": "+12125550101",
                "direction": "OUTBOUND", "origin": "+18005550000", "attributes": {},
                "mediaType": "telephony", "outboundType": "OUTDIAL"}})
        );
        let no_origin = outdial_request("ep-1", "+12125550101", Some(" "));
        assert!(no_origin.pointer("/data/origin").is_none());
        assert_eq!(no_origin.pointer("/data/attributes"), Some(&json!({})));
    }
}
