//! A call preview for the admin studio: one call described in a few fields becomes a replay
//! scenario (SPEC §8) that offers, answers and wraps up the call for one agent against a
//! [`FakeOrg`](super::FakeOrg) seeded with sample records. The replay engine then says what would
//! pop (with the "why this record" trace) and which Task and Case would be written.
//!
//! Preview fields (all optional):
//! `{"ani": "+1 212 555 0101", "direction": "inbound" | "outbound", "cad": {"name": "value"},
//!   "queue": "Support", "dnis": "+18005550000", "records": [{"type": "Contact", …}],
//!   "wrapUpReason": "Resolved", "talkSeconds": 95, "clickedRecordId": "003…" (outbound only),
//!   "utcOffsetMinutes": -300, "start": "2026-11-22T15:04:00Z"}`.
//! For an inbound call `ani` is the caller's number; for an outbound call it is the number the
//! agent dials (the call's DNIS), and the call's ANI is `dnis`.

use super::replay::{self, ReplayError};
use serde_json::{json, Map, Value};

/// The interaction id of the previewed call.
pub const PREVIEW_INTERACTION_ID: &str = "preview-0001";
/// The Salesforce user Id of the previewed agent (`A`).
pub const PREVIEW_USER_ID: &str = "005000000000001AAA";

const DEFAULT_DNIS: &str = "+18005550000";
const DEFAULT_QUEUE: &str = "Support";
const DEFAULT_TALK_SECONDS: u64 = 95;
/// Talk time is capped at a day: a preview is one call, not a shift.
const MAX_TALK_SECONDS: u64 = 86_400;

/// Builds the replay scenario for a preview. `call_center` is the scenario's `callCenter`
/// (XML text or `{"settings": {…}}`). Errors name the preview field that is wrong.
pub fn scenario(call_center: Value, preview: &Value) -> Result<Value, String> {
    let empty = Map::new();
    let p = match preview {
        Value::Object(p) => p,
        Value::Null => &empty,
        _ => return Err("the preview must be a JSON object".into()),
    };
    let text = |key: &str, default: &str| -> Result<String, String> {
        match p.get(key) {
            None | Some(Value::Null) => Ok(default.to_string()),
            Some(Value::String(s)) => Ok(s.trim().to_string()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            Some(_) => Err(format!("`{key}` must be text")),
        }
    };
    let number = text("ani", "")?;
    let outbound = match text("direction", "inbound")?.to_ascii_lowercase().as_str() {
        "inbound" | "" => false,
        "outbound" => true,
        other => return Err(format!("`direction` must be inbound or outbound, not `{other}`")),
    };
    let queue = match text("queue", DEFAULT_QUEUE)? {
        q if q.is_empty() => DEFAULT_QUEUE.to_string(),
        q => q,
    };
    let dnis = match text("dnis", DEFAULT_DNIS)? {
        d if d.is_empty() => DEFAULT_DNIS.to_string(),
        d => d,
    };
    let wrap_up_reason = text("wrapUpReason", "Resolved")?;
    let talk_seconds = match p.get("talkSeconds") {
        None | Some(Value::Null) => DEFAULT_TALK_SECONDS,
        Some(v) => v.as_u64().ok_or("`talkSeconds` must be a whole number of seconds")?.min(MAX_TALK_SECONDS),
    };
    let cad = cad_variables(p.get("cad"))?;
    let records = match p.get("records") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list.clone(),
        Some(_) => return Err("`records` must be a JSON array of records like {\"type\": \"Contact\", …}".into()),
    };

    let (ani, call_dnis) = if outbound { (dnis, number.clone()) } else { (number.clone(), dnis) };
    let interaction = json!({
        "interactionId": PREVIEW_INTERACTION_ID,
        "mediaType": "telephony",
        "state": "new",
        "contactDirection": {"type": if outbound { "OUTBOUND" } else { "INBOUND" }},
        "callProcessingDetails": {"ani": ani, "dnis": call_dnis, "virtualTeamName": queue},
        "callAssociatedData": cad,
    });

    let mut steps: Vec<Value> = Vec::new();
    if outbound {
        if let Some(click) = click_to_dial(p.get("clickedRecordId"), &records, &number)? {
            steps.push(json!({"agent": "A", "clickToDial": click}));
            steps.push(json!({"advance": "2s"}));
        }
    }
    let again = |event: &str| json!({"agent": "A", "desktop": event, "interactionId": PREVIEW_INTERACTION_ID});
    steps.push(json!({"agent": "A", "desktop": "eAgentOfferContact", "data": {
        "interactionId": PREVIEW_INTERACTION_ID,
        "interaction": interaction,
    }}));
    steps.push(json!({"advance": "4s"}));
    steps.push(again("eAgentContactAssigned"));
    steps.push(json!({"advance": format!("{talk_seconds}s")}));
    steps.push(again("eAgentContactEnded"));
    steps.push(again("eAgentWrapup"));
    steps.push(json!({"advance": "20s"}));
    let mut wrapped = again("eAgentContactWrappedUp");
    if let Some(step) = wrapped.as_object_mut() {
        step.insert("with".into(), json!({"wrapUpReason": wrap_up_reason}));
    }
    steps.push(wrapped);

    let mut agent = Map::new();
    agent.insert("name".into(), json!("Preview Agent"));
    match p.get("utcOffsetMinutes") {
        None | Some(Value::Null) => {}
        Some(v) => {
            let minutes = v
                .as_i64()
                .filter(|m| (-14 * 60..=14 * 60).contains(m))
                .ok_or("`utcOffsetMinutes` must be a whole number between -840 and 840")?;
            agent.insert("utcOffsetMinutes".into(), json!(minutes));
        }
    }
    let mut out = Map::new();
    out.insert("description".into(), json!("studio call preview"));
    out.insert("callCenter".into(), call_center);
    out.insert("org".into(), json!({"records": records, "users": {"A": PREVIEW_USER_ID}}));
    out.insert("agents".into(), json!({"A": agent}));
    match p.get("start") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => {
            out.insert("start".into(), json!(s));
        }
        Some(_) => return Err("`start` must be an ISO 8601 instant like 2026-11-22T15:04:00Z".into()),
    }
    out.insert("steps".into(), Value::Array(steps));
    Ok(Value::Object(out))
}

/// Runs the preview of one call under the call center definition `call_center_xml`.
#[cfg(feature = "xml")]
pub fn run(call_center_xml: &str, preview: &Value) -> Result<Value, ReplayError> {
    let scenario = scenario(Value::String(call_center_xml.to_string()), preview).map_err(ReplayError::Scenario)?;
    replay::run(&scenario)
}

/// Runs the preview with a scenario `callCenter` value (XML text or `{"settings": {…}}`).
pub fn run_with(call_center: Value, preview: &Value) -> Result<Value, ReplayError> {
    let scenario = scenario(call_center, preview).map_err(ReplayError::Scenario)?;
    replay::run(&scenario)
}

/// `{"name": "value"}` → the desktop's `callAssociatedData` shape.
fn cad_variables(cad: Option<&Value>) -> Result<Value, String> {
    let mut out = Map::new();
    let entries = match cad {
        None | Some(Value::Null) => return Ok(Value::Object(out)),
        Some(Value::Object(o)) => o,
        Some(_) => return Err("`cad` must be an object of CAD variable names and values".into()),
    };
    for (name, value) in entries {
        let name = name.trim();
        if name.is_empty() {
            return Err("a CAD variable needs a name".into());
        }
        let value = match value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            _ => return Err(format!("the CAD variable `{name}` must have a text value")),
        };
        out.insert(
            name.to_string(),
            json!({"name": name, "value": value, "agentEditable": false, "displayName": name, "type": "STRING"}),
        );
    }
    Ok(Value::Object(out))
}

/// The click-to-dial event of an outbound preview: the agent clicked `number` on a sample record.
fn click_to_dial(clicked: Option<&Value>, records: &[Value], number: &str) -> Result<Option<Value>, String> {
    let id = match clicked {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s.trim(),
        Some(_) => return Err("`clickedRecordId` must be a record Id".into()),
    };
    let record = records
        .iter()
        .find(|r| r.get("Id").and_then(Value::as_str) == Some(id))
        .ok_or_else(|| format!("`clickedRecordId` {id} is not the Id of a sample record"))?;
    let object_type = record.get("type").and_then(Value::as_str).unwrap_or("Contact");
    let name = ["Name", "LastName"]
        .iter()
        .find_map(|k| record.get(*k).and_then(Value::as_str))
        .map(|last| match record.get("FirstName").and_then(Value::as_str) {
            Some(first) if record.get("Name").is_none() => format!("{first} {last}"),
            _ => last.to_string(),
        })
        .unwrap_or_default();
    Ok(Some(json!({"number": number, "recordId": id, "recordName": name, "objectType": object_type})))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ada() -> Value {
        json!({"type": "Contact", "Id": "003000000000001AAA", "FirstName": "Ada", "LastName": "Lovelace", "Phone": "(212) 555-0101"})
    }

    fn settings() -> Value {
        json!({"settings": {"/reqAdvanceScreenpopConfig/prefixStringTobeRemoved": "+1,+91"}})
    }

    #[test]
    fn inbound_preview_offers_answers_and_wraps_up_one_call() {
        let preview = json!({"ani": "+1 212 555 0101", "cad": {"accountNumber": "AE-1842", "tier": 3}, "queue": "Gold", "records": [ada()]});
        let s = scenario(settings(), &preview).unwrap_or(Value::Null);
        let steps = s["steps"].as_array().cloned().unwrap_or_default();
        let events: Vec<&str> = steps.iter().filter_map(|st| st.get("desktop").and_then(Value::as_str)).collect();
        assert_eq!(
            events,
            [
                "eAgentOfferContact",
                "eAgentContactAssigned",
                "eAgentContactEnded",
                "eAgentWrapup",
                "eAgentContactWrappedUp"
            ]
        );
        let interaction = &steps[0]["data"]["interaction"];
        assert_eq!(interaction["contactDirection"]["type"], "INBOUND");
        assert_eq!(interaction["callProcessingDetails"]["ani"], "+1 212 555 0101");
        assert_eq!(interaction["callProcessingDetails"]["virtualTeamName"], "Gold");
        assert_eq!(interaction["callAssociatedData"]["accountNumber"]["value"], "AE-1842");
        assert_eq!(interaction["callAssociatedData"]["tier"]["value"], "3");
        assert_eq!(s["org"]["records"][0]["Id"], "003000000000001AAA");
        assert_eq!(s["org"]["users"]["A"], PREVIEW_USER_ID);
    }

    #[test]
    fn inbound_preview_pops_the_matching_contact_and_logs_one_task() {
        let preview = json!({"ani": "+1 212 555 0101", "records": [ada()]});
        let out = run_with(settings(), &preview).unwrap_or(Value::Null);
        assert_eq!(out["pops"], json!([{"agent": "A", "type": "sobject", "recordId": "003000000000001AAA"}]));
        let tasks = out["org"]["Task"].as_array().cloned().unwrap_or_default();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0]["WhoId"], "003000000000001AAA");
        assert_eq!(tasks[0]["CallType"], "Inbound");
        assert_eq!(tasks[0]["CallObject"], PREVIEW_INTERACTION_ID);
        assert_eq!(tasks[0]["CallDurationInSeconds"], 95);
        assert_eq!(tasks[0]["CallDisposition"], "Resolved");
        assert_eq!(out["traces"][0]["decision"], "sobject");
    }

    #[test]
    fn outbound_preview_dials_the_number_and_relates_the_clicked_record() {
        let preview = json!({"ani": "+1 212 555 0101", "direction": "Outbound", "records": [ada()], "clickedRecordId": "003000000000001AAA", "talkSeconds": 30});
        let s = scenario(settings(), &preview).unwrap_or(Value::Null);
        assert_eq!(s["steps"][0]["clickToDial"]["recordName"], "Ada Lovelace");
        let out = run_with(settings(), &preview).unwrap_or(Value::Null);
        let tasks = out["org"]["Task"].as_array().cloned().unwrap_or_default();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0]["CallType"], "Outbound");
        assert_eq!(tasks[0]["WhoId"], "003000000000001AAA");
        assert_eq!(tasks[0]["CallDurationInSeconds"], 30);
        assert_eq!(out["pops"], json!([]));
    }

    #[test]
    fn an_empty_preview_is_an_anonymous_inbound_call() {
        let out = run_with(Value::Null, &Value::Null).unwrap_or(Value::Null);
        assert_eq!(out["org"]["Task"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn wrong_fields_are_named() {
        let wrong = |p: Value| scenario(Value::Null, &p).err().unwrap_or_default();
        assert!(wrong(json!({"direction": "sideways"})).contains("direction"));
        assert!(wrong(json!({"cad": ["x"]})).contains("cad"));
        assert!(wrong(json!({"cad": {"x": {"nested": 1}}})).contains("`x`"));
        assert!(wrong(json!({"records": {"type": "Contact"}})).contains("records"));
        assert!(wrong(json!({"talkSeconds": -1})).contains("talkSeconds"));
        assert!(wrong(json!({"direction": "outbound", "clickedRecordId": "nope"})).contains("nope"));
        assert!(wrong(json!([1])).contains("object"));
        let bad_record = run_with(Value::Null, &json!({"records": [{"Id": "x"}]}));
        assert!(matches!(bad_record, Err(ReplayError::Scenario(_))));
    }

    #[cfg(feature = "xml")]
    #[test]
    fn the_reference_definition_strips_plus_one_and_pops() {
        let xml = include_str!("../../tests/fixtures/reference/cisco-legacy-callcenter-definition.xml");
        let out = run(xml, &json!({"ani": "+1 212 555 0101", "records": [ada()]})).unwrap_or(Value::Null);
        assert_eq!(out["pops"][0]["recordId"], "003000000000001AAA");
        assert_eq!(out["diagnostics"], json!([]));
    }
}
