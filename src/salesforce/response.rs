//! Open CTI responses `{success, returnValue, errors}` and the results the adapter reads out of
//! `returnValue`: search matches, the `runApex` string, the id `saveLog` wrote and the call
//! center settings map. Parsing is tolerant and total: any JSON gives a response, at worst a
//! failed one that says why.

use super::json::{first_text, non_empty_text, object, text, unstringify};
use crate::flat::Map as FlatMap;
use crate::pii::Pii;
use serde_json::{json, Map, Value};
use std::fmt;

/// The key of `searchAndScreenPop`'s result that is not a record.
pub const SCREEN_POP_DATA: &str = "SCREEN_POP_DATA";

/// The code of [`OpenCtiResponse::timeout`] (not one Salesforce sends).
const TIMEOUT: &str = "TIMEOUT";

/// Salesforce status codes of refusals that no retry fixes (the record or the org must change).
const PERMANENT_REFUSALS: &[&str] = &[
    "INVALID_FIELD",
    "FIELD_CUSTOM_VALIDATION_EXCEPTION",
    "FIELD_INTEGRITY_EXCEPTION",
    "STRING_TOO_LONG",
    "REQUIRED_FIELD_MISSING",
    "INVALID_TYPE",
    "MALFORMED_ID",
    "INVALID_ID_FIELD",
    "INVALID_CROSS_REFERENCE_KEY",
    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
    "ENTITY_IS_DELETED",
    "DUPLICATE_VALUE",
    "NUMBER_OUTSIDE_VALID_RANGE",
    "INVALID_EMAIL_ADDRESS",
    "INSUFFICIENT_ACCESS",
    "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
];

/// An Open CTI error code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OpenCtiErrorCode {
    InvalidParam,
    GenericError,
    ServerError,
    SoftphoneContainerError,
    Other(String),
}

impl OpenCtiErrorCode {
    pub fn as_str(&self) -> &str {
        match self {
            OpenCtiErrorCode::InvalidParam => "INVALID_PARAM",
            OpenCtiErrorCode::GenericError => "GENERIC_ERROR",
            OpenCtiErrorCode::ServerError => "SERVER_ERROR",
            OpenCtiErrorCode::SoftphoneContainerError => "SOFTPHONE_CONTAINER_ERROR",
            OpenCtiErrorCode::Other(code) => code,
        }
    }

    /// Known codes match ignoring case; anything else is kept as [`OpenCtiErrorCode::Other`].
    pub fn parse(code: &str) -> Self {
        let code = code.trim();
        [
            OpenCtiErrorCode::InvalidParam,
            OpenCtiErrorCode::GenericError,
            OpenCtiErrorCode::ServerError,
            OpenCtiErrorCode::SoftphoneContainerError,
        ]
        .into_iter()
        .find(|known| known.as_str().eq_ignore_ascii_case(code))
        .unwrap_or_else(|| OpenCtiErrorCode::Other(code.to_string()))
    }

    /// Whether sending the same call again may succeed: everything except `INVALID_PARAM`.
    pub fn is_retryable(&self) -> bool {
        !matches!(self, OpenCtiErrorCode::InvalidParam)
    }
}

impl fmt::Display for OpenCtiErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of `errors`: `{code, description, details?}`.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenCtiError {
    pub code: OpenCtiErrorCode,
    pub description: String,
    pub details: Option<Value>,
}

impl OpenCtiError {
    pub fn new(code: OpenCtiErrorCode, description: impl Into<String>) -> Self {
        OpenCtiError { code, description: description.into(), details: None }
    }

    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Object(e) => Some(OpenCtiError {
                code: text(e, "code").map(|c| OpenCtiErrorCode::parse(&c)).unwrap_or(OpenCtiErrorCode::GenericError),
                description: first_text(e, &["description", "message"]).unwrap_or_default(),
                details: e.get("details").filter(|d| !d.is_null()).cloned(),
            }),
            Value::String(s) => Some(OpenCtiError::new(OpenCtiErrorCode::GenericError, s.clone())),
            _ => None,
        }
    }

    fn to_value(&self) -> Value {
        let mut e = Map::new();
        e.insert("code".into(), self.code.as_str().into());
        e.insert("description".into(), self.description.clone().into());
        if let Some(d) = &self.details {
            e.insert("details".into(), d.clone());
        }
        Value::Object(e)
    }
}

impl fmt::Display for OpenCtiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.description)
    }
}

/// A callback's `response`.
#[derive(Clone, PartialEq)]
pub struct OpenCtiResponse {
    pub success: bool,
    pub return_value: Value,
    pub errors: Vec<OpenCtiError>,
}

impl OpenCtiResponse {
    pub fn ok(return_value: Value) -> Self {
        OpenCtiResponse { success: true, return_value, errors: Vec::new() }
    }

    pub fn failure(code: OpenCtiErrorCode, description: impl Into<String>) -> Self {
        OpenCtiResponse {
            success: false,
            return_value: Value::Null,
            errors: vec![OpenCtiError::new(code, description)],
        }
    }

    /// Reads a response. `success` may be a boolean or `"true"`; when it is missing, the response
    /// succeeded if it has no errors. `errors` may be an array, one object, a string or null.
    /// A non-object is a failed response with a `GENERIC_ERROR`.
    pub fn from_value(value: &Value) -> Self {
        let Value::Object(obj) = value else {
            return OpenCtiResponse::failure(OpenCtiErrorCode::GenericError, "Open CTI response is not an object");
        };
        let errors: Vec<OpenCtiError> = match obj.get("errors") {
            Some(Value::Array(items)) => items.iter().filter_map(OpenCtiError::from_value).collect(),
            Some(one) => OpenCtiError::from_value(one).into_iter().collect(),
            None => Vec::new(),
        };
        let success =
            super::json::flag(obj, "success").or_else(|| super::json::flag(obj, "result")).unwrap_or(errors.is_empty());
        OpenCtiResponse { success, return_value: obj.get("returnValue").cloned().unwrap_or(Value::Null), errors }
    }

    /// [`Self::from_value`] over JSON text; text that is not JSON is a failed response.
    pub fn from_json(text: &str) -> Self {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => Self::from_value(&v),
            Err(e) => {
                OpenCtiResponse::failure(OpenCtiErrorCode::GenericError, format!("Open CTI response is not JSON: {e}"))
            }
        }
    }

    /// The wire form: `{success, returnValue, errors}` with `errors: null` when there are none.
    pub fn to_value(&self) -> Value {
        let errors = if self.errors.is_empty() {
            Value::Null
        } else {
            Value::Array(self.errors.iter().map(OpenCtiError::to_value).collect())
        };
        json!({ "success": self.success, "returnValue": self.return_value, "errors": errors })
    }

    /// True when the call failed and trying again may help (no `INVALID_PARAM` among the errors).
    pub fn is_retryable_failure(&self) -> bool {
        !self.success && self.errors.iter().all(|e| e.code.is_retryable())
    }

    /// All errors as one line, e.g. `SERVER_ERROR: timeout; GENERIC_ERROR: x`.
    /// The answer that never came: the call's deadline passed (SPEC §6). What it asked for may
    /// or may not have happened.
    pub fn timeout(seconds: i64) -> Self {
        OpenCtiResponse::failure(
            OpenCtiErrorCode::Other(TIMEOUT.into()),
            format!("no answer from Salesforce within {seconds} s"),
        )
    }

    /// Whether this is [`OpenCtiResponse::timeout`].
    pub fn is_timeout(&self) -> bool {
        !self.success && self.errors.iter().any(|e| e.code.as_str() == TIMEOUT)
    }

    /// Whether Salesforce refused the call for a reason that sending it again will not change
    /// (a validation rule, a field too long, an unknown field): such a write is parked, not
    /// retried. The code may come as the error's code or inside its description.
    pub fn is_permanent_refusal(&self) -> bool {
        !self.success
            && self.errors.iter().any(|e| {
                let text = format!("{} {}", e.code.as_str(), e.description).to_ascii_uppercase();
                PERMANENT_REFUSALS.iter().any(|code| text.contains(code))
            })
    }

    pub fn error_summary(&self) -> String {
        if self.errors.is_empty() && !self.success {
            return "failed without error details".to_string();
        }
        self.errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    }
}

impl fmt::Debug for OpenCtiResponse {
    // returnValue may hold records: show only its shape.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shape = match &self.return_value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        f.debug_struct("OpenCtiResponse")
            .field("success", &self.success)
            .field("return_value", &shape)
            .field("errors", &self.errors)
            .finish()
    }
}

/// One record found by `searchAndScreenPop`.
#[derive(Clone, PartialEq)]
pub struct SearchMatch {
    pub id: String,
    /// Object API name (`Contact`, `Account`, `Lead`, `Case`, `X__c`); from `RecordType`, else
    /// `attributes.type` or `objectType`, else guessed from the Id's key prefix; may be empty.
    pub object_type: String,
    pub name: Pii<String>,
    /// Every field of the record as returned (including `Id`, `Name`, `RecordType`).
    pub fields: Map<String, Value>,
}

impl fmt::Debug for SearchMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchMatch")
            .field("id", &self.id)
            .field("object_type", &self.object_type)
            .field("fields", &self.fields.keys())
            .finish_non_exhaustive()
    }
}

/// The object type of a standard-object Id by its three-character key prefix.
pub fn object_type_from_id(id: &str) -> Option<&'static str> {
    let prefix: String = id.chars().take(3).collect();
    Some(match prefix.as_str() {
        "001" => "Account",
        "003" => "Contact",
        "00Q" => "Lead",
        "500" => "Case",
        "006" => "Opportunity",
        "00T" => "Task",
        "005" => "User",
        _ => return None,
    })
}

fn search_match(key: Option<&str>, record: &Map<String, Value>) -> Option<SearchMatch> {
    let id = non_empty_text(record, "Id")
        .or_else(|| non_empty_text(record, "id"))
        .or_else(|| key.map(str::to_string))
        .filter(|id| !id.trim().is_empty())?;
    let object_type = non_empty_text(record, "RecordType")
        .or_else(|| object(record, "RecordType").and_then(|r| non_empty_text(r, "Name")))
        .or_else(|| object(record, "attributes").and_then(|a| non_empty_text(a, "type")))
        .or_else(|| first_text(record, &["objectType", "object"]))
        .or_else(|| object_type_from_id(&id).map(str::to_string))
        .unwrap_or_default();
    Some(SearchMatch {
        id,
        object_type,
        name: Pii(non_empty_text(record, "Name").unwrap_or_default()),
        fields: record.clone(),
    })
}

/// Records in a `searchAndScreenPop` `returnValue` (a map record Id → `{Id, Name, RecordType,
/// …}`), without the `SCREEN_POP_DATA` entry, sorted by Id. Also accepts an array of records
/// or the same as JSON text. Entries that are not objects are skipped.
pub fn parse_search_results(return_value: &Value) -> Vec<SearchMatch> {
    if let Some(parsed) = unstringify(return_value) {
        return parse_search_results(&parsed);
    }
    let mut matches: Vec<SearchMatch> = match return_value {
        Value::Object(map) => map
            .iter()
            .filter(|(key, _)| key.as_str() != SCREEN_POP_DATA)
            .filter_map(|(key, record)| match record {
                Value::Object(r) => search_match(Some(key), r),
                _ => None,
            })
            .collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|record| match record {
                Value::Object(r) => search_match(None, r),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    crate::flat::sort_small_by(&mut matches, |a, b| a.id.cmp(&b.id));
    matches.dedup_by(|a, b| a.id == b.id);
    matches
}

/// The `SCREEN_POP_DATA` entry of a deferred search, if any.
pub fn screen_pop_data(return_value: &Value) -> Option<&Value> {
    return_value.get(SCREEN_POP_DATA)
}

/// What an Apex method returned through `runApex`: `returnValue.runApex`, a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunApexResult(pub String);

impl RunApexResult {
    /// Reads `returnValue.runApex` (a structured value there is re-serialised); also accepts a
    /// bare string `returnValue`.
    pub fn from_return_value(return_value: &Value) -> Option<Self> {
        let inner = match return_value {
            Value::Object(map) => map.get("runApex")?,
            other => other,
        };
        match inner {
            Value::String(s) => Some(RunApexResult(s.clone())),
            Value::Null => None,
            other => Some(RunApexResult(other.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The string parsed as JSON (Apex methods commonly return serialised JSON).
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.0).ok()
    }
}

/// The Id of the record `saveLog` created or updated: `returnValue` may be the Id itself or
/// `{recordId}` / `{Id}` / `{id}`.
pub fn save_log_record_id(return_value: &Value) -> Option<String> {
    match return_value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Object(map) => first_text(map, &["recordId", "Id", "id"]),
        _ => None,
    }
}

/// `getCallCenterSettings`' flat map (`"/reqGeneralInfo/reqAdapterUrl"` → value). Numbers and
/// booleans become text; other values are dropped. Also accepts the map as JSON text.
pub fn parse_call_center_settings(return_value: &Value) -> FlatMap<String, String> {
    if let Some(parsed) = unstringify(return_value) {
        return parse_call_center_settings(&parsed);
    }
    match return_value {
        Value::Object(map) => map.keys().filter_map(|k| text(map, k).map(|v| (k.clone(), v))).collect(),
        _ => FlatMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_responses_keep_their_codes() {
        for (code, expected, retry) in [
            ("INVALID_PARAM", OpenCtiErrorCode::InvalidParam, false),
            ("GENERIC_ERROR", OpenCtiErrorCode::GenericError, true),
            ("SERVER_ERROR", OpenCtiErrorCode::ServerError, true),
            ("SOFTPHONE_CONTAINER_ERROR", OpenCtiErrorCode::SoftphoneContainerError, true),
            ("server_error", OpenCtiErrorCode::ServerError, true),
            ("NEW_CODE", OpenCtiErrorCode::Other("NEW_CODE".into()), true),
        ] {
            let r = OpenCtiResponse::from_value(&json!({
                "success": false, "returnValue": null,
                "errors": [{"code": code, "description": "it failed", "details": {"x": 1}}]
            }));
            assert!(!r.success);
            assert_eq!(r.errors.len(), 1);
            let e = r.errors.first().unwrap();
            assert_eq!(e.code, expected);
            assert_eq!(e.description, "it failed");
            assert_eq!(e.details, Some(json!({"x": 1})));
            assert_eq!(r.is_retryable_failure(), retry);
            assert_eq!(OpenCtiResponse::from_value(&r.to_value()), r);
        }
    }

    #[test]
    fn responses_parse_tolerantly() {
        let ok = OpenCtiResponse::from_value(&json!({"success": "true", "returnValue": {"a": 1}, "errors": null}));
        assert!(ok.success);
        assert_eq!(ok.return_value, json!({"a": 1}));
        assert!(ok.errors.is_empty());
        assert!(OpenCtiResponse::from_value(&json!({"returnValue": 1})).success);
        let one = OpenCtiResponse::from_value(&json!({"errors": {"code": "SERVER_ERROR", "message": "m"}}));
        assert!(!one.success);
        assert_eq!(one.error_summary(), "SERVER_ERROR: m");
        let text = OpenCtiResponse::from_value(&json!({"success": false, "errors": ["boom"]}));
        assert_eq!(text.error_summary(), "GENERIC_ERROR: boom");
        let bad = OpenCtiResponse::from_json("<html>");
        assert!(!bad.success && bad.is_retryable_failure());
        assert!(!OpenCtiResponse::from_value(&json!([1])).success);
        assert_eq!(
            OpenCtiResponse::from_value(&json!({"success": false})).error_summary(),
            "failed without error details"
        );
        assert_eq!(
            OpenCtiResponse::ok(json!("00T1")).to_value(),
            json!({"success": true, "returnValue": "00T1", "errors": null})
        );
    }

    #[test]
    fn search_results_skip_screen_pop_data_and_sort_by_id() {
        let rv = json!({
            "003B": {"Id": "003B", "Name": "Bob", "RecordType": "Contact", "Phone": "+1 212 555 0101"},
            "00QA": {"Id": "00QA", "Name": "Ann", "RecordType": "Lead"},
            "001C": {"Name": "Acme"},
            "SCREEN_POP_DATA": {"type": "sobject", "params": {"recordId": "003B"}},
            "junk": 5
        });
        let m = parse_search_results(&rv);
        let ids: Vec<_> = m.iter().map(|m| (m.id.as_str(), m.object_type.as_str())).collect();
        assert_eq!(ids, [("001C", "Account"), ("003B", "Contact"), ("00QA", "Lead")]);
        assert_eq!(m.get(1).map(|m| m.name.expose().as_str()), Some("Bob"));
        assert_eq!(m.get(1).and_then(|m| m.fields.get("Phone")), Some(&json!("+1 212 555 0101")));
        assert!(!format!("{m:?}").contains("Bob"));
        assert_eq!(screen_pop_data(&rv).and_then(|d| d.get("type")), Some(&json!("sobject")));
        assert_eq!(parse_search_results(&json!(rv.to_string())).len(), 3);
        assert_eq!(
            parse_search_results(&json!([{"Id": "500X", "Subject": "s"}])).first().map(|m| m.object_type.as_str()),
            Some("Case")
        );
        assert!(parse_search_results(&json!(null)).is_empty());
        assert!(parse_search_results(&json!({"SCREEN_POP_DATA": {}})).is_empty());
    }

    #[test]
    fn run_apex_result_is_the_returned_string() {
        let r =
            RunApexResult::from_return_value(&json!({"runApex": "[{\"Id\":\"0N5\",\"MasterLabel\":\"Available\"}]"}))
                .unwrap();
        assert_eq!(r.json(), Some(json!([{"Id": "0N5", "MasterLabel": "Available"}])));
        assert_eq!(RunApexResult::from_return_value(&json!({"runApex": "005A"})).map(|r| r.0), Some("005A".into()));
        assert_eq!(RunApexResult::from_return_value(&json!({"runApex": [1]})).map(|r| r.0), Some("[1]".into()));
        assert_eq!(RunApexResult::from_return_value(&json!("x")).map(|r| r.0), Some("x".into()));
        assert_eq!(RunApexResult::from_return_value(&json!({})), None);
    }

    #[test]
    fn save_log_id_is_found_in_any_shape() {
        assert_eq!(save_log_record_id(&json!("00T1")), Some("00T1".into()));
        assert_eq!(save_log_record_id(&json!({"recordId": "00T2"})), Some("00T2".into()));
        assert_eq!(save_log_record_id(&json!({"Id": "00T3"})), Some("00T3".into()));
        assert_eq!(save_log_record_id(&json!({})), None);
        assert_eq!(save_log_record_id(&json!(" ")), None);
    }

    #[test]
    fn call_center_settings_are_a_flat_text_map() {
        let s = parse_call_center_settings(&json!({
            "/reqGeneralInfo/reqAdapterUrl": "https://desktop.wxcc-us1.cisco.com",
            "/reqGeneralInfo/reqSoftphoneHeight": 600, "/x": {"nested": 1}
        }));
        assert_eq!(s.len(), 2);
        assert_eq!(s.get("/reqGeneralInfo/reqSoftphoneHeight").map(String::as_str), Some("600"));
    }
}
