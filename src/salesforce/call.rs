//! The Open CTI calls the adapter makes, as one enum. [`OpenCtiCall::args`] is exactly the object
//! the JavaScript passes to `sforce.opencti.<method>(args)` without its `callback`/`listener`;
//! [`OpenCtiCall::from_method_and_args`] reads it back (and also the `postMessage` wire form), so
//! a fake Salesforce can parse what it receives and reject what a real one would.

use super::json::{flag, non_empty_text, object, text};
use super::SalesforceError;
use crate::pii::Pii;
use serde_json::{json, Map, Value};
use std::fmt;

/// Open CTI `CALL_TYPE`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CallType {
    #[default]
    Inbound,
    Outbound,
    Internal,
}

impl CallType {
    pub fn as_str(self) -> &'static str {
        match self {
            CallType::Inbound => "inbound",
            CallType::Outbound => "outbound",
            CallType::Internal => "internal",
        }
    }

    /// Case-insensitive `inbound` / `outbound` / `internal`.
    pub fn parse(text: &str) -> Option<Self> {
        [CallType::Inbound, CallType::Outbound, CallType::Internal]
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Arguments of `searchAndScreenPop`.
#[derive(Clone, PartialEq)]
pub struct SearchAndScreenPop {
    /// The search string (a phone number or a CAD value): personal data.
    pub search_params: Pii<String>,
    pub call_type: CallType,
    /// `true`: search only, navigate nowhere, return `SCREEN_POP_DATA` for us to decide.
    pub deferred: bool,
    /// Prefilled fields for the layout's own new-record pop.
    pub default_field_values: Map<String, Value>,
    /// Extra query-string for the layout's own pop (e.g. to a Visualforce page).
    pub query_params: Option<String>,
}

impl fmt::Debug for SearchAndScreenPop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchAndScreenPop")
            .field("search_params", &self.search_params)
            .field("call_type", &self.call_type)
            .field("deferred", &self.deferred)
            .field("default_fields", &self.default_field_values.keys())
            .finish_non_exhaustive()
    }
}

/// One input variable of a flow screen pop: `{name, type, value}`.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowArg {
    pub name: String,
    /// Flow variable type, e.g. `String`, `Number`, `Boolean`, `SObject`.
    pub arg_type: String,
    pub value: Value,
}

/// `screenPop({type, params})`, one variant per `SCREENPOP_TYPE`.
#[derive(Clone, PartialEq)]
pub enum ScreenPop {
    /// `url`: `{url}` (relative to the org).
    Url { url: String },
    /// `sobject`: `{recordId}`.
    SObject { record_id: String },
    /// `objecthome`: `{scope}` (object API name).
    ObjectHome { scope: String },
    /// `list`: `{listViewId, scope}`.
    List { list_view_id: String, scope: String },
    /// `search`: `{searchString}` (at least 3 characters for Salesforce).
    Search { search_string: Pii<String> },
    /// `newRecord`: `{entityName, defaultFieldValues}`.
    NewRecord { entity_name: String, default_field_values: Map<String, Value> },
    /// `flow`: `{flowDevName, flowArgs: [{name, type, value}]}`.
    Flow { flow_dev_name: String, flow_args: Vec<FlowArg> },
}

impl ScreenPop {
    /// The `SCREENPOP_TYPE` value.
    pub fn type_name(&self) -> &'static str {
        match self {
            ScreenPop::Url { .. } => "url",
            ScreenPop::SObject { .. } => "sobject",
            ScreenPop::ObjectHome { .. } => "objecthome",
            ScreenPop::List { .. } => "list",
            ScreenPop::Search { .. } => "search",
            ScreenPop::NewRecord { .. } => "newRecord",
            ScreenPop::Flow { .. } => "flow",
        }
    }

    /// The `params` object.
    pub fn params(&self) -> Value {
        match self {
            ScreenPop::Url { url } => json!({ "url": url }),
            ScreenPop::SObject { record_id } => json!({ "recordId": record_id }),
            ScreenPop::ObjectHome { scope } => json!({ "scope": scope }),
            ScreenPop::List { list_view_id, scope } => json!({ "listViewId": list_view_id, "scope": scope }),
            ScreenPop::Search { search_string } => json!({ "searchString": search_string }),
            ScreenPop::NewRecord { entity_name, default_field_values } => {
                json!({ "entityName": entity_name, "defaultFieldValues": default_field_values })
            }
            ScreenPop::Flow { flow_dev_name, flow_args } => {
                let args: Vec<Value> =
                    flow_args.iter().map(|a| json!({ "name": a.name, "type": a.arg_type, "value": a.value })).collect();
                json!({ "flowDevName": flow_dev_name, "flowArgs": args })
            }
        }
    }

    /// Reads `{type, params}`. The type matches case-insensitively and may also be given by its
    /// enum key (`SOBJECT`, `NEW_RECORD_MODAL`, …). Required params must be present.
    pub fn from_args(args: &Map<String, Value>) -> Result<Self, SalesforceError> {
        let invalid = |reason: String| SalesforceError::InvalidArgs { method: "screenPop", reason };
        let kind = non_empty_text(args, "type").ok_or_else(|| invalid("`type` missing".into()))?;
        let empty = Map::new();
        let params = object(args, "params").unwrap_or(&empty);
        let need = |key: &str| {
            non_empty_text(params, key).ok_or_else(|| invalid(format!("`params.{key}` missing for type `{kind}`")))
        };
        let k = kind.trim().to_ascii_lowercase();
        Ok(match k.as_str() {
            "url" => ScreenPop::Url { url: need("url")? },
            "sobject" => ScreenPop::SObject { record_id: need("recordId")? },
            "objecthome" => ScreenPop::ObjectHome { scope: need("scope")? },
            "list" => ScreenPop::List { list_view_id: need("listViewId")?, scope: need("scope")? },
            "search" => ScreenPop::Search { search_string: Pii(need("searchString")?) },
            "newrecord" | "new_record_modal" => ScreenPop::NewRecord {
                entity_name: need("entityName")?,
                // The wire forwards only {type, params}; a top-level copy is accepted for
                // callers that follow the documentation's argument table.
                default_field_values: object(params, "defaultFieldValues")
                    .or_else(|| object(args, "defaultFieldValues"))
                    .cloned()
                    .unwrap_or_default(),
            },
            "flow" => {
                ScreenPop::Flow { flow_dev_name: need("flowDevName")?, flow_args: flow_args(params.get("flowArgs"))? }
            }
            _ => return Err(invalid(format!("unknown screen pop type `{kind}`"))),
        })
    }
}

fn flow_args(value: Option<&Value>) -> Result<Vec<FlowArg>, SalesforceError> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(SalesforceError::InvalidArgs {
                method: "screenPop",
                reason: "`params.flowArgs` is not an array".into(),
            })
        }
    };
    items
        .iter()
        .map(|item| match item {
            Value::Object(arg) => Ok(FlowArg {
                name: text(arg, "name").unwrap_or_default(),
                arg_type: text(arg, "type").unwrap_or_default(),
                value: arg.get("value").cloned().unwrap_or(Value::Null),
            }),
            _ => Err(SalesforceError::InvalidArgs {
                method: "screenPop",
                reason: "a flow argument is not an object".into(),
            }),
        })
        .collect()
}

impl fmt::Debug for ScreenPop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ScreenPop");
        d.field("type", &self.type_name());
        match self {
            ScreenPop::SObject { record_id } => d.field("record_id", record_id),
            ScreenPop::ObjectHome { scope } | ScreenPop::List { scope, .. } => d.field("scope", scope),
            ScreenPop::NewRecord { entity_name, default_field_values } => {
                d.field("entity_name", entity_name).field("default_fields", &default_field_values.keys())
            }
            ScreenPop::Flow { flow_dev_name, .. } => d.field("flow", flow_dev_name),
            ScreenPop::Url { .. } | ScreenPop::Search { .. } => &mut d,
        };
        d.finish_non_exhaustive()
    }
}

/// A call the adapter makes to `sforce.opencti`.
#[derive(Clone, PartialEq)]
pub enum OpenCtiCall {
    SearchAndScreenPop(SearchAndScreenPop),
    ScreenPop(ScreenPop),
    /// `saveLog({value})`: create (with `entityApiName`) or update (with `Id`) a record.
    SaveLog {
        value: Map<String, Value>,
    },
    /// `runApex({apexClass, methodName, methodParams})`; `methodParams` is `a=1&b=2` text.
    RunApex {
        apex_class: String,
        method_name: String,
        method_params: String,
    },
    RefreshView,
    /// `publish({channelName, message})` on a Lightning message channel.
    Publish {
        channel_name: String,
        message: Value,
    },
    /// `subscribe({channelName, listener})`.
    Subscribe {
        channel_name: String,
    },
    EnableClickToDial,
    DisableClickToDial,
    /// `onClickToDial({listener})`.
    OnClickToDial,
    /// `onNavigationChange({listener})`.
    OnNavigationChange,
    NotifyInitializationComplete,
    GetCallCenterSettings,
    GetAppViewInfo,
    SetSoftphonePanelVisibility {
        visible: bool,
    },
}

impl OpenCtiCall {
    /// Every method name [`OpenCtiCall::from_method_and_args`] understands.
    pub const METHOD_NAMES: &'static [&'static str] = &[
        "searchAndScreenPop",
        "screenPop",
        "saveLog",
        "runApex",
        "refreshView",
        "publish",
        "subscribe",
        "enableClickToDial",
        "disableClickToDial",
        "onClickToDial",
        "onNavigationChange",
        "notifyInitializationComplete",
        "getCallCenterSettings",
        "getAppViewInfo",
        "setSoftphonePanelVisibility",
    ];

    /// The `sforce.opencti` method (and the wire `methodName`).
    pub fn method_name(&self) -> &'static str {
        match self {
            OpenCtiCall::SearchAndScreenPop(_) => "searchAndScreenPop",
            OpenCtiCall::ScreenPop(_) => "screenPop",
            OpenCtiCall::SaveLog { .. } => "saveLog",
            OpenCtiCall::RunApex { .. } => "runApex",
            OpenCtiCall::RefreshView => "refreshView",
            OpenCtiCall::Publish { .. } => "publish",
            OpenCtiCall::Subscribe { .. } => "subscribe",
            OpenCtiCall::EnableClickToDial => "enableClickToDial",
            OpenCtiCall::DisableClickToDial => "disableClickToDial",
            OpenCtiCall::OnClickToDial => "onClickToDial",
            OpenCtiCall::OnNavigationChange => "onNavigationChange",
            OpenCtiCall::NotifyInitializationComplete => "notifyInitializationComplete",
            OpenCtiCall::GetCallCenterSettings => "getCallCenterSettings",
            OpenCtiCall::GetAppViewInfo => "getAppViewInfo",
            OpenCtiCall::SetSoftphonePanelVisibility { .. } => "setSoftphonePanelVisibility",
        }
    }

    /// Whether the JS call takes a `listener` (the shell must add one) rather than a `callback`.
    pub fn takes_listener(&self) -> bool {
        matches!(self, OpenCtiCall::OnClickToDial | OpenCtiCall::OnNavigationChange | OpenCtiCall::Subscribe { .. })
    }

    /// The argument object for `sforce.opencti.<method>(args)`, without `callback`/`listener`.
    pub fn args(&self) -> Value {
        match self {
            OpenCtiCall::SearchAndScreenPop(s) => {
                let mut args = Map::new();
                args.insert("searchParams".into(), s.search_params.expose().clone().into());
                args.insert("callType".into(), s.call_type.as_str().into());
                args.insert("deferred".into(), s.deferred.into());
                args.insert("defaultFieldValues".into(), Value::Object(s.default_field_values.clone()));
                if let Some(q) = &s.query_params {
                    args.insert("queryParams".into(), q.clone().into());
                }
                Value::Object(args)
            }
            OpenCtiCall::ScreenPop(pop) => {
                json!({ "type": pop.type_name(), "params": pop.params() })
            }
            OpenCtiCall::SaveLog { value } => json!({ "value": value }),
            OpenCtiCall::RunApex { apex_class, method_name, method_params } => json!({
                "apexClass": apex_class,
                "methodName": method_name,
                "methodParams": method_params,
            }),
            OpenCtiCall::Publish { channel_name, message } => {
                json!({ "channelName": channel_name, "message": message })
            }
            OpenCtiCall::Subscribe { channel_name } => json!({ "channelName": channel_name }),
            OpenCtiCall::SetSoftphonePanelVisibility { visible } => json!({ "visible": visible }),
            OpenCtiCall::RefreshView
            | OpenCtiCall::EnableClickToDial
            | OpenCtiCall::DisableClickToDial
            | OpenCtiCall::OnClickToDial
            | OpenCtiCall::OnNavigationChange
            | OpenCtiCall::NotifyInitializationComplete
            | OpenCtiCall::GetCallCenterSettings
            | OpenCtiCall::GetAppViewInfo => Value::Object(Map::new()),
        }
    }

    /// Reads a call back from its method name and arguments: the JS form ([`Self::args`]) or the
    /// `postMessage` wire form (`saveLog {object}`, `publish/subscribe {eventName}`).
    /// Missing required arguments are [`SalesforceError::InvalidArgs`] (Salesforce would answer
    /// `INVALID_PARAM`); unknown extra keys are ignored.
    pub fn from_method_and_args(method: &str, args: &Value) -> Result<Self, SalesforceError> {
        let method: &'static str = Self::METHOD_NAMES
            .iter()
            .find(|m| **m == method)
            .copied()
            .ok_or_else(|| SalesforceError::UnknownMethod(method.chars().take(64).collect()))?;
        let invalid = |reason: &str| SalesforceError::InvalidArgs { method, reason: reason.to_string() };
        let empty = Map::new();
        let args = match args {
            Value::Object(map) => map,
            Value::Null => &empty,
            _ => return Err(invalid("arguments are not an object")),
        };
        let channel = || {
            ["channelName", "eventName", "channel"]
                .iter()
                .find_map(|k| non_empty_text(args, k))
                .ok_or_else(|| invalid("`channelName` missing"))
        };
        Ok(match method {
            "searchAndScreenPop" => {
                let search_params = text(args, "searchParams").ok_or_else(|| invalid("`searchParams` missing"))?;
                let call_type = text(args, "callType")
                    .as_deref()
                    .and_then(CallType::parse)
                    .ok_or_else(|| invalid("`callType` missing or not inbound/outbound/internal"))?;
                OpenCtiCall::SearchAndScreenPop(SearchAndScreenPop {
                    search_params: Pii(search_params),
                    call_type,
                    deferred: flag(args, "deferred").unwrap_or(false),
                    default_field_values: object(args, "defaultFieldValues").cloned().unwrap_or_default(),
                    query_params: text(args, "queryParams"),
                })
            }
            "screenPop" => OpenCtiCall::ScreenPop(ScreenPop::from_args(args)?),
            "saveLog" => {
                let value = object(args, "value")
                    .or_else(|| object(args, "object"))
                    .ok_or_else(|| invalid("`value` is not an object"))?;
                OpenCtiCall::SaveLog { value: value.clone() }
            }
            "runApex" => OpenCtiCall::RunApex {
                apex_class: non_empty_text(args, "apexClass").ok_or_else(|| invalid("`apexClass` missing"))?,
                method_name: non_empty_text(args, "methodName").ok_or_else(|| invalid("`methodName` missing"))?,
                method_params: text(args, "methodParams").unwrap_or_default(),
            },
            "publish" => OpenCtiCall::Publish {
                channel_name: channel()?,
                message: args.get("message").cloned().unwrap_or(Value::Null),
            },
            "subscribe" => OpenCtiCall::Subscribe { channel_name: channel()? },
            "setSoftphonePanelVisibility" => OpenCtiCall::SetSoftphonePanelVisibility {
                visible: flag(args, "visible").ok_or_else(|| invalid("`visible` missing"))?,
            },
            "refreshView" => OpenCtiCall::RefreshView,
            "enableClickToDial" => OpenCtiCall::EnableClickToDial,
            "disableClickToDial" => OpenCtiCall::DisableClickToDial,
            "onClickToDial" => OpenCtiCall::OnClickToDial,
            "onNavigationChange" => OpenCtiCall::OnNavigationChange,
            "notifyInitializationComplete" => OpenCtiCall::NotifyInitializationComplete,
            "getCallCenterSettings" => OpenCtiCall::GetCallCenterSettings,
            "getAppViewInfo" => OpenCtiCall::GetAppViewInfo,
            _ => return Err(SalesforceError::UnknownMethod(method.to_string())),
        })
    }
}

impl fmt::Debug for OpenCtiCall {
    // Record fields, search strings and messages may carry caller data: show names only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenCtiCall::SearchAndScreenPop(s) => fmt::Debug::fmt(s, f),
            OpenCtiCall::ScreenPop(p) => fmt::Debug::fmt(p, f),
            OpenCtiCall::SaveLog { value } => f
                .debug_struct("saveLog")
                .field("Id", &value.get("Id"))
                .field("entityApiName", &value.get("entityApiName"))
                .field("fields", &value.keys())
                .finish(),
            OpenCtiCall::RunApex { apex_class, method_name, .. } => f
                .debug_struct("runApex")
                .field("apex_class", apex_class)
                .field("method_name", method_name)
                .finish_non_exhaustive(),
            OpenCtiCall::Publish { channel_name, .. } => {
                f.debug_struct("publish").field("channel_name", channel_name).finish_non_exhaustive()
            }
            OpenCtiCall::Subscribe { channel_name } => {
                f.debug_struct("subscribe").field("channel_name", channel_name).finish()
            }
            OpenCtiCall::SetSoftphonePanelVisibility { visible } => {
                f.debug_struct("setSoftphonePanelVisibility").field("visible", visible).finish()
            }
            other => f.write_str(other.method_name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    fn every_call() -> Vec<OpenCtiCall> {
        let pops = vec![
            ScreenPop::Url { url: "/lightning/o/Task/home".into() },
            ScreenPop::SObject { record_id: "003000000000001".into() },
            ScreenPop::ObjectHome { scope: "Account".into() },
            ScreenPop::List { list_view_id: "00B000000000001".into(), scope: "Contact".into() },
            ScreenPop::Search { search_string: Pii::new("2125550101".into()) },
            ScreenPop::NewRecord {
                entity_name: "Lead".into(),
                default_field_values: map(json!({"Phone": "+12125550101", "Company": "Acme"})),
            },
            ScreenPop::Flow {
                flow_dev_name: "Caller_Flow".into(),
                flow_args: vec![FlowArg {
                    name: "ani".into(),
                    arg_type: "String".into(),
                    value: json!("+12125550101"),
                }],
            },
        ];
        let mut calls: Vec<OpenCtiCall> = pops.into_iter().map(OpenCtiCall::ScreenPop).collect();
        calls.extend([
            OpenCtiCall::SearchAndScreenPop(SearchAndScreenPop {
                search_params: Pii::new("+12125550101".into()),
                call_type: CallType::Inbound,
                deferred: true,
                default_field_values: map(json!({"Phone": "+12125550101"})),
                query_params: None,
            }),
            OpenCtiCall::SearchAndScreenPop(SearchAndScreenPop {
                search_params: Pii::new("Acme".into()),
                call_type: CallType::Outbound,
                deferred: false,
                default_field_values: Map::new(),
                query_params: Some("a=1".into()),
            }),
            OpenCtiCall::SaveLog {
                value: map(json!({"entityApiName": "Task", "Subject": "Inbound Call", "CallObject": "i-1"})),
            },
            OpenCtiCall::RunApex {
                apex_class: "sfdcOmniChannel".into(),
                method_name: "fetchOmniPresenceStatusCodes".into(),
                method_params: String::new(),
            },
            OpenCtiCall::RefreshView,
            OpenCtiCall::Publish {
                channel_name: "OmniBridge__c".into(),
                message: json!({"action": "setStatus", "statusId": "0N5"}),
            },
            OpenCtiCall::Subscribe { channel_name: "OmniBridge__c".into() },
            OpenCtiCall::EnableClickToDial,
            OpenCtiCall::DisableClickToDial,
            OpenCtiCall::OnClickToDial,
            OpenCtiCall::OnNavigationChange,
            OpenCtiCall::NotifyInitializationComplete,
            OpenCtiCall::GetCallCenterSettings,
            OpenCtiCall::GetAppViewInfo,
            OpenCtiCall::SetSoftphonePanelVisibility { visible: true },
        ]);
        calls
    }

    #[test]
    fn every_call_reads_back_from_its_own_args() {
        let calls = every_call();
        for call in &calls {
            let back = OpenCtiCall::from_method_and_args(call.method_name(), &call.args());
            assert_eq!(back.as_ref(), Ok(call), "{}", call.method_name());
        }
        let mut names: Vec<_> = calls.iter().map(|c| c.method_name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OpenCtiCall::METHOD_NAMES.len());
    }

    #[test]
    fn args_have_the_documented_shapes() {
        let calls = every_call();
        let args =
            |name: &str| -> Vec<Value> { calls.iter().filter(|c| c.method_name() == name).map(|c| c.args()).collect() };
        assert_eq!(
            args("searchAndScreenPop").first(),
            Some(&json!({"searchParams": "+12125550101", "callType": "inbound", "deferred": true,
                         "defaultFieldValues": {"Phone": "+12125550101"}}))
        );
        assert_eq!(
            args("saveLog").first(),
            Some(&json!({"value": {"entityApiName": "Task", "Subject": "Inbound Call", "CallObject": "i-1"}}))
        );
        assert_eq!(
            args("publish").first(),
            Some(&json!({"channelName": "OmniBridge__c", "message": {"action": "setStatus", "statusId": "0N5"}}))
        );
        let pops = args("screenPop");
        assert!(pops.contains(&json!({"type": "sobject", "params": {"recordId": "003000000000001"}})));
        assert!(pops.contains(&json!({"type": "newRecord", "params": {"entityName": "Lead",
            "defaultFieldValues": {"Phone": "+12125550101", "Company": "Acme"}}})));
        assert!(pops.contains(&json!({"type": "flow", "params": {"flowDevName": "Caller_Flow",
            "flowArgs": [{"name": "ani", "type": "String", "value": "+12125550101"}]}})));
        assert_eq!(OpenCtiCall::GetAppViewInfo.args(), json!({}));
        assert!(OpenCtiCall::OnClickToDial.takes_listener());
        assert!(!OpenCtiCall::RefreshView.takes_listener());
    }

    #[test]
    fn wire_forms_are_accepted_too() {
        assert_eq!(
            OpenCtiCall::from_method_and_args("saveLog", &json!({"object": {"Id": "00T1"}})),
            Ok(OpenCtiCall::SaveLog { value: map(json!({"Id": "00T1"})) })
        );
        assert_eq!(
            OpenCtiCall::from_method_and_args("subscribe", &json!({"eventName": "OmniBridge__c", "subscription": 3})),
            Ok(OpenCtiCall::Subscribe { channel_name: "OmniBridge__c".into() })
        );
        assert_eq!(
            OpenCtiCall::from_method_and_args(
                "screenPop",
                &json!({"type": "NEW_RECORD_MODAL", "params": {"entityName": "Contact"},
                        "defaultFieldValues": {"LastName": "X"}})
            ),
            Ok(OpenCtiCall::ScreenPop(ScreenPop::NewRecord {
                entity_name: "Contact".into(),
                default_field_values: map(json!({"LastName": "X"}))
            }))
        );
        assert_eq!(OpenCtiCall::from_method_and_args("refreshView", &Value::Null), Ok(OpenCtiCall::RefreshView));
        assert_eq!(
            OpenCtiCall::from_method_and_args(
                "searchAndScreenPop",
                &json!({"searchParams": 2125550101_u64, "callType": "INBOUND", "deferred": "true",
                        "params": {}, "queryParams": null})
            )
            .map(|c| c.args()),
            Ok(json!({"searchParams": "2125550101", "callType": "inbound", "deferred": true,
                      "defaultFieldValues": {}}))
        );
    }

    #[test]
    fn missing_required_arguments_are_invalid() {
        for (method, args) in [
            ("screenPop", json!({"type": "sobject", "params": {}})),
            ("screenPop", json!({"type": "teleport", "params": {"recordId": "x"}})),
            ("screenPop", json!({"params": {"recordId": "x"}})),
            ("screenPop", json!({"type": "flow", "params": {"flowDevName": "F", "flowArgs": 3}})),
            ("searchAndScreenPop", json!({"callType": "inbound"})),
            ("searchAndScreenPop", json!({"searchParams": "x", "callType": "sideways"})),
            ("saveLog", json!({"value": "Subject=x"})),
            ("runApex", json!({"apexClass": "C"})),
            ("publish", json!({"message": {}})),
            ("setSoftphonePanelVisibility", json!({})),
            ("refreshView", json!([1])),
        ] {
            assert!(
                matches!(OpenCtiCall::from_method_and_args(method, &args), Err(SalesforceError::InvalidArgs { .. })),
                "{method} {args}"
            );
        }
        assert_eq!(
            OpenCtiCall::from_method_and_args("hvs.completeWork", &json!({})),
            Err(SalesforceError::UnknownMethod("hvs.completeWork".into()))
        );
    }

    #[test]
    fn debug_output_hides_record_values() {
        for call in every_call() {
            let text = format!("{call:?}");
            assert!(!text.contains("5550101"), "{text}");
            assert!(!text.contains("Inbound Call"), "{text}");
        }
    }
}
