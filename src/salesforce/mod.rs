//! Open CTI for Lightning (`sforce.opencti`, API 57) as data: the calls the adapter makes with
//! their exact JavaScript arguments, the `{success, returnValue, errors}` responses, the results
//! we read from them (search matches, `runApex` strings, saved Ids) and the click-to-dial and
//! navigation payloads. This module only reads and builds JSON; it never touches the browser
//! bindings or a clock, and it never panics on what Salesforce sends.

mod call;
mod json;
mod listener;
mod response;

pub use call::{CallType, FlowArg, OpenCtiCall, ScreenPop, SearchAndScreenPop};
pub use listener::{listener_payload, AppViewInfo, ClickToDialPayload, NavigationChange};
pub use response::{
    object_type_from_id, parse_call_center_settings, parse_search_results, save_log_record_id, screen_pop_data,
    OpenCtiError, OpenCtiErrorCode, OpenCtiResponse, RunApexResult, SearchMatch, SCREEN_POP_DATA,
};

/// What went wrong reading an Open CTI call or payload.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SalesforceError {
    #[error("unknown Open CTI method `{0}`")]
    UnknownMethod(String),
    /// What a real Salesforce answers with `INVALID_PARAM`.
    #[error("invalid `{method}` arguments: {reason}")]
    InvalidArgs { method: &'static str, reason: String },
    #[error("invalid {what}: {reason}")]
    InvalidPayload { what: &'static str, reason: String },
}

impl SalesforceError {
    /// The failed response a Salesforce console would send for this error.
    pub fn to_response(&self) -> OpenCtiResponse {
        let code = match self {
            SalesforceError::UnknownMethod(_) => OpenCtiErrorCode::GenericError,
            SalesforceError::InvalidArgs { .. } | SalesforceError::InvalidPayload { .. } => {
                OpenCtiErrorCode::InvalidParam
            }
        };
        OpenCtiResponse::failure(code, self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    #[test]
    fn invalid_arguments_become_invalid_param_responses() {
        let err = OpenCtiCall::from_method_and_args("saveLog", &json!({})).unwrap_err();
        let r = err.to_response();
        assert!(!r.success);
        assert_eq!(r.errors.first().map(|e| &e.code), Some(&OpenCtiErrorCode::InvalidParam));
        assert_eq!(
            SalesforceError::UnknownMethod("x".into()).to_response().errors.first().map(|e| e.code.clone()),
            Some(OpenCtiErrorCode::GenericError)
        );
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|f| json!(f)),
            "[a-zA-Z0-9 {}\\[\\]\":_]{0,16}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("type".to_string()),
                        Just("params".to_string()),
                        Just("returnValue".to_string()),
                        Just("errors".to_string()),
                        Just("number".to_string()),
                        Just("runApex".to_string()),
                        Just("SCREEN_POP_DATA".to_string()),
                        "[a-zA-Z]{1,8}",
                    ],
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn random_json_never_panics(v in arb_json(), m in 0..OpenCtiCall::METHOD_NAMES.len()) {
            let method = OpenCtiCall::METHOD_NAMES[m];
            if let Ok(call) = OpenCtiCall::from_method_and_args(method, &v) {
                // Whatever was accepted reads back the same from its own arguments.
                prop_assert_eq!(
                    OpenCtiCall::from_method_and_args(call.method_name(), &call.args()),
                    Ok(call.clone())
                );
            }
            let r = OpenCtiResponse::from_value(&v);
            prop_assert_eq!(OpenCtiResponse::from_value(&r.to_value()).success, r.success);
            let matches = parse_search_results(&v);
            prop_assert!(matches.windows(2).all(|w| w[0].id < w[1].id));
            let _ = (RunApexResult::from_return_value(&v), save_log_record_id(&v));
            let _ = (ClickToDialPayload::from_value(&v), NavigationChange::from_value(&v));
            let _ = parse_call_center_settings(&v);
        }
    }
}

/// The three characters that turn a 15-character Salesforce Id into its 18-character form:
/// for each five characters, which of them are upper-case letters, as one character of
/// `A–Z0–5`. `None` unless `id15` is 15 ASCII letters and digits.
pub fn id_suffix(id15: &str) -> Option<String> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    let bytes = id15.as_bytes();
    if bytes.len() != 15 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    bytes
        .chunks(5)
        .map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_uppercase())
                .map(|(i, _)| 1usize << i)
                .sum::<usize>();
            ALPHABET.get(bits).map(|c| char::from(*c))
        })
        .collect()
}

/// Whether `id` is a well-formed Salesforce record Id with this key prefix (e.g. `00T` for a
/// Task): 15 letters and digits, or 18 whose last three are the right checksum. A CAD value
/// can be edited by agents and flows, so nothing else may drive a write or a pop.
pub fn is_record_id(id: &str, key_prefix: &str) -> bool {
    let Some(first) = id.get(..15) else { return false };
    let Some(expected) = id_suffix(first) else { return false };
    id.starts_with(key_prefix)
        && match id.get(15..) {
            Some("") => true,
            Some(suffix) => suffix.eq_ignore_ascii_case(&expected),
            None => false,
        }
}

#[cfg(test)]
mod id_tests {
    use super::*;

    #[test]
    fn eighteen_character_ids_carry_their_checksum() {
        // Salesforce's documented example pair.
        assert_eq!(id_suffix("001A0000006Vm9r").as_deref(), Some("IAC"));
        assert!(is_record_id("001A0000006Vm9rIAC", "001"));
        assert!(is_record_id("001A0000006Vm9r", "001"));
        assert!(!is_record_id("001A0000006Vm9rAAA", "001"), "wrong checksum");
        assert!(!is_record_id("001A0000006Vm9rIAC", "00T"), "another object");
        assert!(!is_record_id("00Tnotanid", "00T"));
        assert!(!is_record_id("00T00000000000!AAA", "00T"));
        assert!(!is_record_id("00T0000000000001EAAX", "00T"), "too long");
    }
}
