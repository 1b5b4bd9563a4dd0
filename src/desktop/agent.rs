//! The agent's own state as `Desktop.agentStateInfo` exposes it (`latestData` and the
//! `"updated"` listener's `[{name, value, oldValue}]` changes), and idle/wrap-up codes as
//! `Desktop.actions.getIdleCodes()` / `getWrapUpCodes()` return them. Read tolerantly; nothing
//! here fails on odd input.

use super::lenient;
use crate::value_de::Read;
use crate::value_out::Write;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The aux code id the desktop uses for "Available" (SDK constant `AgentState.AvailableAuxCodeId`).
pub const AVAILABLE_AUX_CODE_ID: &str = "0";

/// An idle (or wrap-up) code: SDK `Service.Aqm.Configs.Entity` `{id, name, isSystem, isDefault}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Write, Deserialize, Read)]
#[serde(default, rename_all = "camelCase")]
pub struct IdleCode {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_system: bool,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_default: bool,
}

/// Wrap-up codes have the same shape (`getWrapUpCodes()` → `WrapUpReason[]`).
pub type WrapUpCode = IdleCode;

/// How a name matched in [`find_idle_code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameMatch {
    Exact,
    /// Matched only ignoring case: worth a warning, since the vendor connector fails silently here.
    IgnoringCase,
}

/// Reads the result of `getIdleCodes()` / `getWrapUpCodes()`: an array of codes. Entries without
/// an id are dropped; a non-array gives an empty list. Also accepts the paginated
/// `{data: [...], meta}` shape of the configuration API.
pub fn parse_idle_codes(value: &Value) -> Vec<IdleCode> {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("data") {
            Some(Value::Array(items)) => items,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    items.iter().filter_map(|item| IdleCode::read(item).ok()).filter(|code| !code.id.trim().is_empty()).collect()
}

/// The code called `name`: exact match first, then ignoring case.
pub fn find_idle_code<'a>(codes: &'a [IdleCode], name: &str) -> Option<(&'a IdleCode, NameMatch)> {
    codes
        .iter()
        .find(|c| c.name == name)
        .map(|c| (c, NameMatch::Exact))
        .or_else(|| codes.iter().find(|c| c.name.eq_ignore_ascii_case(name)).map(|c| (c, NameMatch::IgnoringCase)))
}

/// `Desktop.agentStateInfo.latestData` (SDK `LatestInfoData`). `status` is e.g. `LoggedIn`;
/// `sub_status` is `Available` or `Idle`; `idle_code` is the current aux code `{id, name}`
/// (id `"0"` when available).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
#[serde(default, rename_all = "camelCase")]
pub struct AgentState {
    #[serde(deserialize_with = "lenient::string")]
    pub agent_name: String,
    #[serde(rename = "agentProfileID", deserialize_with = "lenient::string")]
    pub agent_profile_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub agent_session_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub team_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub team_name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub dn: String,
    #[serde(deserialize_with = "lenient::string")]
    pub status: String,
    #[serde(deserialize_with = "lenient::string")]
    pub sub_status: String,
    #[serde(deserialize_with = "lenient::opt_object")]
    pub idle_code: Option<IdleCode>,
    #[serde(deserialize_with = "lenient::vec_of")]
    pub idle_codes: Vec<IdleCode>,
    #[serde(deserialize_with = "lenient::vec_of")]
    pub wrapup_codes: Vec<WrapUpCode>,
    #[serde(deserialize_with = "lenient::string")]
    pub out_dial_regex: String,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_outbound_enabled_for_tenant: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_outbound_enabled_for_agent: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_adhoc_dialing_enabled: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_agent_available_after_outdial: Option<bool>,
}

impl AgentState {
    /// Reads `latestData`; anything that is not an object gives the empty state.
    pub fn from_latest_data(value: &Value) -> AgentState {
        match value {
            Value::Object(_) => AgentState::read(value).unwrap_or_default(),
            _ => AgentState::default(),
        }
    }

    /// Applies the array an `"updated"` listener receives: `[{name, value, oldValue}]`, where
    /// `name` is a `latestData` key and `value` its new value (an object for `idleCode`).
    /// Unknown names and malformed items are ignored.
    pub fn apply_updates(&mut self, updates: &Value) {
        let Value::Array(items) = updates else {
            return;
        };
        let mut merged = match self.write() {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        for item in items {
            if let (Some(Value::String(name)), Some(value)) = (item.get("name"), item.get("value")) {
                merged.insert(name.clone(), value.clone());
            }
        }
        *self = AgentState::from_latest_data(&Value::Object(merged));
    }

    /// The agent logged out (or its station did): `status`/`subStatus` `LoggedOut`, `Logout` …
    pub fn is_logged_out(&self) -> bool {
        [&self.status, &self.sub_status].iter().any(|s| {
            let s = s.to_ascii_lowercase().replace(['_', '-', ' '], "");
            s == "loggedout" || s == "logout" || s == "stationlogout"
        })
    }

    pub fn is_available(&self) -> bool {
        self.sub_status.eq_ignore_ascii_case("available")
    }

    pub fn is_idle(&self) -> bool {
        self.sub_status.eq_ignore_ascii_case("idle")
    }

    /// The current idle code id, when idle with a code other than the "available" one.
    pub fn idle_code_id(&self) -> Option<&str> {
        self.idle_code.as_ref().map(|c| c.id.as_str()).filter(|id| !id.is_empty() && *id != AVAILABLE_AUX_CODE_ID)
    }

    /// The current idle code's name, looked up in `idle_codes` when the event only gave the id.
    pub fn idle_code_name(&self) -> Option<&str> {
        let code = self.idle_code.as_ref()?;
        if !code.name.is_empty() {
            return Some(&code.name);
        }
        self.idle_codes.iter().find(|c| c.id == code.id).map(|c| c.name.as_str()).filter(|n| !n.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn latest_data_is_read() {
        let s = AgentState::from_latest_data(&json!({
            "agentName": "Ann", "agentProfileID": "p1", "teamId": "t", "dn": "+1555",
            "status": "LoggedIn", "subStatus": "Idle", "idleCode": {"id": "11", "name": "Lunch"},
            "idleCodes": [{"id": "11", "name": "Lunch", "isSystem": false, "isDefault": "true"}, 3],
            "isOutboundEnabledForAgent": true, "somethingNew": [1]
        }));
        assert!(s.is_idle());
        assert_eq!(s.agent_profile_id, "p1");
        assert_eq!(s.idle_code_id(), Some("11"));
        assert_eq!(s.idle_code_name(), Some("Lunch"));
        assert_eq!(s.idle_codes.len(), 1);
        assert!(s.idle_codes.first().is_some_and(|c| c.is_default));
        assert_eq!(s.is_outbound_enabled_for_agent, Some(true));
        assert_eq!(s.is_adhoc_dialing_enabled, None);
        assert_eq!(AgentState::from_latest_data(&json!("x")), AgentState::default());
    }

    #[test]
    fn updated_listener_changes_are_applied() {
        let mut s = AgentState::from_latest_data(&json!({
            "subStatus": "Idle", "idleCode": {"id": "11", "name": "Lunch"},
            "idleCodes": [{"id": "11", "name": "Lunch"}, {"id": "12", "name": "Break"}]
        }));
        s.apply_updates(&json!([
            {"name": "subStatus", "value": "Available", "oldValue": "Idle"},
            {"name": "idleCode", "value": {"id": "0"}, "oldValue": {"id": "11", "name": "Lunch"}},
            {"bogus": true}, 7
        ]));
        assert!(s.is_available());
        assert_eq!(s.idle_code_id(), None);
        s.apply_updates(&json!([{"name": "subStatus", "value": "Idle"},
                                {"name": "idleCode", "value": {"id": "12"}}]));
        assert_eq!(s.idle_code_name(), Some("Break"));
        assert_eq!(s.idle_codes.len(), 2);
        s.apply_updates(&json!({"not": "an array"}));
        assert!(s.is_idle());
    }

    #[test]
    fn idle_codes_parse_tolerantly() {
        let codes = parse_idle_codes(&json!([
            {"id": 11, "name": "Not Ready", "isSystem": "false", "isDefault": true},
            {"name": "no id"},
            "junk"
        ]));
        assert_eq!(codes, [IdleCode { id: "11".into(), name: "Not Ready".into(), is_system: false, is_default: true }]);
        assert_eq!(parse_idle_codes(&json!({"data": [{"id": "1", "name": "A"}], "meta": {}})).len(), 1);
        assert!(parse_idle_codes(&json!(null)).is_empty());
    }

    #[test]
    fn idle_code_names_match_exactly_before_ignoring_case() {
        let codes = parse_idle_codes(&json!([
            {"id": "1", "name": "not ready"}, {"id": "2", "name": "Not Ready"}
        ]));
        let (c, m) = find_idle_code(&codes, "Not Ready").unwrap();
        assert_eq!((c.id.as_str(), m), ("2", NameMatch::Exact));
        let (c, m) = find_idle_code(&codes, "NOT READY").unwrap();
        assert_eq!((c.id.as_str(), m), ("1", NameMatch::IgnoringCase));
        assert!(find_idle_code(&codes, "Lunch").is_none());
    }
}
