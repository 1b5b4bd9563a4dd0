//! Payloads Salesforce pushes to our listeners: `onClickToDial` (the agent clicked a phone
//! number) and `onNavigationChange` (the console shows another page; `getAppViewInfo` returns
//! the same shape). Read tolerantly; the payload may also arrive wrapped in a response's
//! `returnValue` or as JSON text.

use super::json::{first_text, flag, non_empty_text, object, unstringify};
use super::SalesforceError;
use crate::pii::Pii;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The payload's object: itself, its `returnValue`, or either given as JSON text.
fn payload_object(value: &Value) -> Option<Cow<'_, Map<String, Value>>> {
    if let Some(parsed) = unstringify(value) {
        return payload_object(&parsed).map(|m| Cow::Owned(m.into_owned()));
    }
    let Value::Object(map) = value else {
        return None;
    };
    let looks_wrapped = map.contains_key("returnValue")
        && !map.contains_key("number")
        && !map.contains_key("recordId")
        && !map.contains_key("url");
    if looks_wrapped {
        match map.get("returnValue") {
            Some(Value::Object(inner)) => return Some(Cow::Borrowed(inner)),
            Some(other) => {
                if let Some(parsed) = unstringify(other) {
                    return payload_object(&parsed).map(|m| Cow::Owned(m.into_owned()));
                }
            }
            None => {}
        }
    }
    Some(Cow::Borrowed(map))
}

fn insert_opt(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        map.insert(key.into(), v.into());
    }
}

/// `onClickToDial`: `{number, recordId, recordName, objectType, accountId?, personAccount?}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClickToDialPayload {
    pub number: Pii<String>,
    pub record_id: Option<String>,
    pub record_name: Option<Pii<String>>,
    pub object_type: Option<String>,
    pub account_id: Option<String>,
    pub person_account: bool,
}

impl ClickToDialPayload {
    /// Reads the payload; it is invalid only without a non-empty `number` (a JSON number is
    /// accepted as text).
    pub fn from_value(value: &Value) -> Result<Self, SalesforceError> {
        let invalid =
            |reason: &str| SalesforceError::InvalidPayload { what: "onClickToDial payload", reason: reason.into() };
        let obj = payload_object(value).ok_or_else(|| invalid("not an object"))?;
        let number = non_empty_text(&obj, "number").ok_or_else(|| invalid("`number` missing"))?;
        Ok(ClickToDialPayload {
            number: Pii(number),
            record_id: non_empty_text(&obj, "recordId"),
            record_name: non_empty_text(&obj, "recordName").map(Pii),
            object_type: first_text(&obj, &["objectType", "object"]),
            account_id: non_empty_text(&obj, "accountId"),
            person_account: flag(&obj, "personAccount").unwrap_or(false),
        })
    }

    /// The payload as Salesforce sends it (for simulators).
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("number".into(), self.number.expose().clone().into());
        insert_opt(&mut map, "recordId", self.record_id.as_deref());
        insert_opt(&mut map, "recordName", self.record_name.as_ref().map(|n| n.expose().as_str()));
        insert_opt(&mut map, "objectType", self.object_type.as_deref());
        insert_opt(&mut map, "accountId", self.account_id.as_deref());
        map.insert("personAccount".into(), self.person_account.into());
        Value::Object(map)
    }
}

/// `onNavigationChange` / `getAppViewInfo`: `{url, recordId, recordName, objectType, …}`; every
/// field is optional (a list view or home page has no record).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NavigationChange {
    pub url: Option<String>,
    pub record_id: Option<String>,
    pub record_name: Option<Pii<String>>,
    pub object_type: Option<String>,
    pub account_id: Option<String>,
    pub person_account: bool,
}

/// `getAppViewInfo` returns the same shape.
pub type AppViewInfo = NavigationChange;

impl NavigationChange {
    /// Reads the payload; anything unreadable gives the empty value (no record shown).
    pub fn from_value(value: &Value) -> Self {
        let Some(obj) = payload_object(value) else {
            return NavigationChange::default();
        };
        NavigationChange {
            url: non_empty_text(&obj, "url"),
            record_id: non_empty_text(&obj, "recordId"),
            record_name: non_empty_text(&obj, "recordName").map(Pii),
            object_type: first_text(&obj, &["objectType", "object"])
                .or_else(|| object(&obj, "attributes").and_then(|a| non_empty_text(a, "type"))),
            account_id: non_empty_text(&obj, "accountId"),
            person_account: flag(&obj, "personAccount").unwrap_or(false),
        }
    }

    /// The payload as Salesforce sends it (for simulators).
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        insert_opt(&mut map, "url", self.url.as_deref());
        insert_opt(&mut map, "recordId", self.record_id.as_deref());
        insert_opt(&mut map, "recordName", self.record_name.as_ref().map(|n| n.expose().as_str()));
        insert_opt(&mut map, "objectType", self.object_type.as_deref());
        insert_opt(&mut map, "accountId", self.account_id.as_deref());
        map.insert("personAccount".into(), self.person_account.into());
        Value::Object(map)
    }

    /// True when the page shows a record.
    pub fn has_record(&self) -> bool {
        self.record_id.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn click_to_dial_is_read_tolerantly() {
        let p = ClickToDialPayload::from_value(&json!({
            "number": "+1 (212) 555-0101", "recordId": "003A", "recordName": "Bob Smith",
            "objectType": "Contact", "personAccount": "false", "extra": [1]
        }))
        .unwrap();
        assert_eq!(p.number.expose(), "+1 (212) 555-0101");
        assert_eq!(p.record_id.as_deref(), Some("003A"));
        assert_eq!(p.object_type.as_deref(), Some("Contact"));
        assert!(!p.person_account);
        assert!(!format!("{p:?}").contains("555"));
        assert!(!format!("{p:?}").contains("Bob"));
        assert_eq!(ClickToDialPayload::from_value(&p.to_value()), Ok(p.clone()));

        let n = ClickToDialPayload::from_value(&json!({"number": 2125550101_u64})).unwrap();
        assert_eq!(n.number.expose(), "2125550101");
        assert_eq!(n.record_id, None);

        let wrapped = json!({"success": true, "returnValue": {"number": "5550101", "recordId": "00QX"}});
        assert_eq!(ClickToDialPayload::from_value(&wrapped).map(|p| p.record_id), Ok(Some("00QX".into())));
        let as_text = json!("{\"number\":\"5550101\"}");
        assert!(ClickToDialPayload::from_value(&as_text).is_ok());
    }

    #[test]
    fn click_to_dial_without_number_is_invalid() {
        for v in [json!({}), json!({"number": ""}), json!({"number": null}), json!(7), json!("x")] {
            assert!(matches!(ClickToDialPayload::from_value(&v), Err(SalesforceError::InvalidPayload { .. })));
        }
    }

    #[test]
    fn navigation_change_fields_are_all_optional() {
        let n = NavigationChange::from_value(&json!({
            "url": "https://x.lightning.force.com/lightning/r/Account/001A/view",
            "recordId": "001A", "recordName": "Acme", "objectType": "Account"
        }));
        assert!(n.has_record());
        assert_eq!(n.object_type.as_deref(), Some("Account"));
        assert_eq!(NavigationChange::from_value(&n.to_value()), n);
        let home = NavigationChange::from_value(&json!({"url": "/lightning/page/home", "recordId": ""}));
        assert!(!home.has_record());
        assert_eq!(NavigationChange::from_value(&json!(null)), NavigationChange::default());
        let view = AppViewInfo::from_value(&json!({"success": true, "returnValue": {"recordId": "500C"}}));
        assert_eq!(view.record_id.as_deref(), Some("500C"));
    }
}

/// A listener's payload as the engine reads it, whichever shape it came in. Salesforce's
/// library hands a listener the reply's `response` unchanged, and the console posts the payload
/// itself there (`payload.number` for click-to-dial, the message itself on a message channel);
/// a console that wraps it in `{success, returnValue, errors}` is read too.
pub fn listener_payload(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(mut o) if o.contains_key("success") && o.contains_key("returnValue") => {
            o.remove("returnValue").unwrap_or(serde_json::Value::Null)
        }
        other => other,
    }
}

#[cfg(test)]
mod payload_tests {
    use super::listener_payload;
    use serde_json::json;

    #[test]
    fn listener_payloads_are_read_bare_or_wrapped() {
        let bare = json!({"number": "+1 212 555 0101", "recordId": "003000000000001AAA"});
        assert_eq!(listener_payload(bare.clone()), bare);
        let wrapped = json!({"success": true, "returnValue": bare.clone(), "errors": null});
        assert_eq!(listener_payload(wrapped), bare);
        let message = json!({"source": "bridge", "type": "statusChanged", "success": true});
        assert_eq!(listener_payload(message.clone()), message, "a message with its own success flag stays whole");
    }
}
