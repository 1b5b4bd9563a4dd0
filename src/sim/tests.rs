use super::*;
use proptest::prelude::*;

const USER_A: &str = "005000000000001AAA";
const USER_B: &str = "005000000000002AAA";

fn org() -> FakeOrg {
    let scenario = json!({
        "records": [
            {"type": "Contact", "Id": "003000000000001AAA", "FirstName": "Jane", "LastName": "Doe",
             "Phone": "(212) 555-0101", "Email": "jane@acme.com"},
            {"type": "Account", "Name": "Acme Corp", "Phone": "+1 212 555 0199", "AccountNumber": "ACC-1001"},
            {"type": "Lead", "FirstName": "John", "LastName": "Smith", "MobilePhone": "646.555.0142", "Company": "Globex"},
            {"type": "Opportunity", "Name": "Acme Corp renewal"},
            {"type": "Case", "Subject": "Broken", "ContactId": "003000000000001AAA"}
        ],
        "users": {"A": USER_A, "B": USER_B},
        "omniStatuses": [
            {"Id": "0N5000000000001AAA", "MasterLabel": "Available"},
            {"Id": "0N5000000000002AAA", "MasterLabel": "Not Ready"}
        ]
    });
    match FakeOrg::from_json(&scenario) {
        Ok(org) => org,
        Err(e) => panic!("fixture org: {e}"),
    }
}

fn ok_value(response: &Value) -> &Value {
    assert_eq!(response["success"], json!(true), "{response}");
    assert_eq!(response["errors"], Value::Null);
    &response["returnValue"]
}

fn error_code(response: &Value) -> &str {
    assert_eq!(response["success"], json!(false), "{response}");
    assert_eq!(response["returnValue"], Value::Null);
    assert!(response["errors"][0]["description"].is_string());
    response["errors"][0]["code"].as_str().unwrap_or("")
}

fn search(org: &mut FakeOrg, term: &str, deferred: bool) -> Value {
    let r = org.call(
        USER_A,
        "searchAndScreenPop",
        &json!({"searchParams": term, "callType": "inbound", "deferred": deferred,
                "defaultFieldValues": {}, "queryParams": ""}),
    );
    ok_value(&r).clone()
}

fn found_ids(result: &Value) -> Vec<String> {
    result.as_object().map(|m| m.keys().filter(|k| *k != "SCREEN_POP_DATA").cloned().collect()).unwrap_or_default()
}

fn save(org: &mut FakeOrg, user: &str, value: Value) -> Value {
    org.call(user, "saveLog", &json!({ "value": value }))
}

fn apex(org: &mut FakeOrg, user: &str, class: &str, method: &str, params: &str) -> Value {
    org.call(user, "runApex", &json!({"apexClass": class, "methodName": method, "methodParams": params}))
}

// ---- construction and Ids ---------------------------------------------------------------

#[test]
fn records_without_id_get_prefixed_counter_ids() {
    let org = org();
    assert_eq!(org.records_of("Account")[0]["Id"], "001000000000001AAA");
    assert_eq!(org.records_of("Lead")[0]["Id"], "00Q000000000001EAA");
    assert_eq!(org.records_of("Opportunity")[0]["Id"], "a0X000000000001EAA");
    assert_eq!(org.cases()[0]["Id"], "500000000000001AAA");
    assert_eq!(org.cases()[0]["CaseNumber"], "00001001");
    assert_eq!(org.record_type("003000000000001AAA"), Some("Contact"));
}

#[test]
fn same_scenario_gives_same_ids_and_output_every_run() {
    let run = || {
        let mut org = org();
        for n in 0..3 {
            save(&mut org, USER_A, json!({"entityApiName": "Task", "Subject": format!("call {n}")}));
            save(&mut org, USER_B, json!({"entityApiName": "Case", "Subject": "x"}));
        }
        org.to_json()
    };
    let first = run();
    assert_eq!(first, run());
    let task_ids: Vec<&Value> =
        first["Task"].as_array().map(|a| a.iter().map(|t| &t["Id"]).collect()).unwrap_or_default();
    assert_eq!(task_ids, vec!["00T000000000001EAA", "00T000000000002EAA", "00T000000000003EAA"]);
}

#[test]
fn generated_ids_skip_explicit_ones_given_later() {
    let org = FakeOrg::from_json(&json!({"records": [
        {"type": "Contact", "LastName": "Generated"},
        {"type": "Contact", "Id": "003000000000001AAA", "LastName": "Explicit"}
    ]}));
    let org = org.unwrap_or_default();
    let ids: Vec<&Value> = org.records_of("Contact").iter().map(|c| &c["Id"]).collect();
    assert_eq!(ids, vec!["003000000000001AAA", "003000000000002AAA"]);
    assert_eq!(org.record("003000000000002AAA").map(|c| &c["LastName"]), Some(&json!("Generated")));
}

#[test]
fn case_numbers_continue_after_seeded_ones() {
    let mut org = FakeOrg::from_json(&json!({"records": [
        {"type": "Case", "CaseNumber": "00001041"},
        {"type": "Case"}
    ]}))
    .unwrap_or_default();
    let r = save(&mut org, USER_A, json!({"entityApiName": "Case"}));
    let id = ok_value(&r).as_str().unwrap_or("").to_owned();
    let numbers: Vec<&Value> = org.cases().iter().map(|c| &c["CaseNumber"]).collect();
    assert_eq!(numbers, vec!["00001041", "00001042", "00001043"]);
    assert_eq!(org.record(&id).map(|c| &c["Status"]), Some(&json!("New")));
}

#[test]
fn from_json_rejects_malformed_orgs() {
    let cases = [
        (json!([]), "object"),
        (json!({"record": []}), "unknown key"),
        (json!({"records": [{"Id": "003"}]}), "missing `type`"),
        (json!({"records": [{"type": "Contact", "Id": 5}]}), "`Id`"),
        (json!({"records": [{"type": "Bad Name"}]}), "API name"),
        (json!({"records": [{"type": "Contact", "Id": "x"}, {"type": "Lead", "Id": "x"}]}), "duplicate"),
        (json!({"users": {"A": 1}}), "users"),
        (json!({"omniStatuses": [{"Id": "0N5"}]}), "omniStatuses[0]"),
        (json!({"searchableObjects": "Contact"}), "searchableObjects"),
    ];
    for (input, needle) in cases {
        match FakeOrg::from_json(&input) {
            Ok(_) => panic!("accepted {input}"),
            Err(e) => assert!(e.to_string().contains(needle), "{e} lacks {needle}"),
        }
    }
    assert!(FakeOrg::from_json(&Value::Null).is_ok());
}

#[test]
fn snapshot_round_trips() {
    let mut org = org();
    save(&mut org, USER_A, json!({"entityApiName": "Task", "CallObject": "i-1"}));
    org.set_omni_status(USER_A, "0N5000000000002AAA");
    org.set_searchable_objects(["Contact"]);
    let restored = FakeOrg::from_json(&org.snapshot());
    let restored = restored.unwrap_or_default();
    assert_eq!(restored.to_json(), org.to_json());
    assert_eq!(restored.snapshot(), org.snapshot());
    assert_eq!(restored.omni_status(USER_A).as_deref(), Some("0N5000000000002AAA"));
}

// ---- searchAndScreenPop ----------------------------------------------------------------

#[test]
fn phone_search_finds_record_with_or_without_country_code() {
    let mut org = org();
    for key in ["+12125550101", "2125550101", "(212) 555-0101", "555-0101"] {
        let result = search(&mut org, key, true);
        assert_eq!(found_ids(&result), vec!["003000000000001AAA"], "{key}");
    }
}

#[test]
fn phone_search_needs_seven_digits() {
    let mut org = org();
    assert!(found_ids(&search(&mut org, "0101", true)).is_empty());
    assert!(found_ids(&search(&mut org, "55-0101", true)).is_empty());
}

#[test]
fn search_result_carries_id_name_record_type_and_fields() {
    let mut org = org();
    let result = search(&mut org, "+1 646 555 0142", true);
    let lead = &result["00Q000000000001EAA"];
    assert_eq!(lead["Id"], "00Q000000000001EAA");
    assert_eq!(lead["Name"], "John Smith");
    assert_eq!(lead["RecordType"], "Lead");
    assert_eq!(lead["Company"], "Globex");
}

#[test]
fn deferred_search_adds_screen_pop_data_and_navigates_nowhere() {
    let mut org = org();
    let one = search(&mut org, "jane@acme.com", true);
    assert_eq!(one["SCREEN_POP_DATA"], json!({"type": "sobject", "params": {"recordId": "003000000000001AAA"}}));
    let none = search(&mut org, "nobody", true);
    assert_eq!(none, json!({}));
    assert!(org.screen_pops().is_empty());
}

#[test]
fn several_matches_pop_the_search_page() {
    let mut org = org();
    org.insert_record("Contact", json!({"LastName": "Doe", "Phone": "212-555-0101"})).unwrap_or_default();
    let result = search(&mut org, "2125550101", true);
    assert_eq!(found_ids(&result).len(), 2);
    assert_eq!(result["SCREEN_POP_DATA"], json!({"type": "search", "params": {"searchString": "2125550101"}}));
}

#[test]
fn non_deferred_search_records_the_console_pop() {
    let mut org = org();
    search(&mut org, "ACC-1001", false);
    assert_eq!(
        org.screen_pops(),
        &[json!({"user": USER_A, "type": "sobject", "params": {"recordId": "001000000000001AAA"}})]
    );
}

#[test]
fn text_search_matches_whole_terms_only() {
    let mut org = org();
    assert_eq!(found_ids(&search(&mut org, "DOE", true)), vec!["003000000000001AAA"]);
    assert_eq!(found_ids(&search(&mut org, "jane doe", true)), vec!["003000000000001AAA"]);
    assert!(found_ids(&search(&mut org, "Do", true)).is_empty());
    assert!(found_ids(&search(&mut org, "jane smith", true)).is_empty());
    assert_eq!(found_ids(&search(&mut org, "acme corp", true)), vec!["001000000000001AAA"]);
}

#[test]
fn escaped_sosl_characters_match_literally() {
    let mut org = org();
    assert_eq!(found_ids(&search(&mut org, r"ACC\-1001", true)), vec!["001000000000001AAA"]);
    assert_eq!(found_ids(&search(&mut org, r"\+1 \(212\) 555\-0101", true)), vec!["003000000000001AAA"]);
}

#[test]
fn search_is_limited_to_the_layout_objects() {
    let mut org = org();
    assert!(found_ids(&search(&mut org, "renewal", true)).is_empty());
    org.set_searchable_objects(["opportunity"]);
    assert_eq!(org.searchable_objects(), &["Opportunity".to_owned()]);
    assert_eq!(found_ids(&search(&mut org, "renewal", true)), vec!["a0X000000000001EAA"]);
    assert!(found_ids(&search(&mut org, "2125550101", true)).is_empty());
}

#[test]
fn search_rejects_malformed_arguments() {
    let mut org = org();
    for args in [
        json!({}),
        json!({"searchParams": 5}),
        json!({"searchParams": "x", "callType": "sideways"}),
        json!({"searchParams": "x", "deferred": "yes"}),
    ] {
        let r = org.call(USER_A, "searchAndScreenPop", &args);
        assert_eq!(error_code(&r), "INVALID_PARAM", "{args}");
    }
}

// ---- saveLog ---------------------------------------------------------------------------

#[test]
fn save_log_creates_a_task_owned_by_the_caller() {
    let mut org = org();
    let r = save(
        &mut org,
        USER_B,
        json!({"entityApiName": "Task", "Subject": "Inbound Call", "CallObject": "i-1",
               "WhoId": "003000000000001AAA", "Description": null}),
    );
    assert_eq!(ok_value(&r), "00T000000000001EAA");
    assert_eq!(
        org.tasks(),
        vec![&json!({"Id": "00T000000000001EAA", "OwnerId": USER_B, "Subject": "Inbound Call",
                     "CallObject": "i-1", "WhoId": "003000000000001AAA",
                     "Status": "Not Started", "Priority": "Normal"})]
    );
}

#[test]
fn save_log_accepts_the_wire_object_key_and_explicit_owner() {
    let mut org = org();
    let r = org.call(USER_A, "saveLog", &json!({"object": {"entityApiName": "task", "OwnerId": USER_B}}));
    let id = ok_value(&r).as_str().unwrap_or("").to_owned();
    assert_eq!(org.record_type(&id), Some("Task"));
    assert_eq!(org.record(&id).map(|t| &t["OwnerId"]), Some(&json!(USER_B)));
}

#[test]
fn save_log_without_entity_name_is_invalid_and_creates_nothing() {
    let mut org = org();
    let before = org.to_json();
    for args in [
        json!({"value": {"Subject": "x"}}),
        json!({"value": "Subject=x"}),
        json!({}),
        json!({"value": {"entityApiName": "Task", "Bad Field": 1}}),
        json!({"value": {"entityApiName": "Task", "Subject": {"nested": 1}}}),
        json!({"value": {"entityApiName": "Task; DROP"}}),
        json!({"value": {"Id": 42}}),
    ] {
        let r = org.call(USER_A, "saveLog", &args);
        assert_eq!(error_code(&r), "INVALID_PARAM", "{args}");
    }
    assert_eq!(org.to_json(), before);
}

#[test]
fn save_log_with_id_merges_fields() {
    let mut org = org();
    save(&mut org, USER_A, json!({"entityApiName": "Task", "Subject": "s", "Description": "first"}));
    let r = save(
        &mut org,
        USER_B,
        json!({"Id": "00T000000000001EAA", "OwnerId": USER_B, "Status": "Completed",
               "CallDurationInSeconds": 90, "Description": null}),
    );
    assert_eq!(ok_value(&r), "00T000000000001EAA");
    assert_eq!(
        org.tasks(),
        vec![&json!({"Id": "00T000000000001EAA", "OwnerId": USER_B, "Subject": "s",
                     "Status": "Completed", "Priority": "Normal", "CallDurationInSeconds": 90})]
    );
}

#[test]
fn save_log_update_accepts_a_15_character_id() {
    let mut org = org();
    save(&mut org, USER_A, json!({"entityApiName": "Task"}));
    let r = save(&mut org, USER_A, json!({"Id": "00T000000000001", "Status": "Completed"}));
    assert_eq!(ok_value(&r), "00T000000000001EAA");
    assert_eq!(org.tasks()[0]["Status"], "Completed");
}

#[test]
fn save_log_with_unknown_id_fails_and_changes_nothing() {
    let mut org = org();
    let before = org.to_json();
    let r = save(&mut org, USER_A, json!({"Id": "00T000000000099AAA", "Status": "x"}));
    assert_eq!(error_code(&r), "GENERIC_ERROR");
    let r = save(&mut org, USER_A, json!({"Id": "003000000000001AAA", "entityApiName": "Task", "Status": "x"}));
    assert_eq!(error_code(&r), "INVALID_PARAM");
    assert_eq!(org.to_json(), before);
}

#[test]
fn case_number_is_assigned_and_read_only() {
    let mut org = org();
    let r = save(&mut org, USER_A, json!({"entityApiName": "Case", "Origin": "Phone"}));
    let id = ok_value(&r).as_str().unwrap_or("").to_owned();
    assert_eq!(id, "500000000000002AAA");
    assert_eq!(org.record(&id).map(|c| &c["CaseNumber"]), Some(&json!("00001002")));
    let r = save(&mut org, USER_A, json!({"Id": id, "CaseNumber": "1"}));
    assert_eq!(error_code(&r), "GENERIC_ERROR");
    let r = save(&mut org, USER_A, json!({"entityApiName": "Case", "CaseNumber": "1"}));
    assert_eq!(error_code(&r), "GENERIC_ERROR");
    assert_eq!(org.cases().len(), 2);
}

#[test]
fn save_log_can_answer_with_a_record_id_object() {
    let mut org = org();
    org.set_save_log_returns_object(true);
    let r = save(&mut org, USER_A, json!({"entityApiName": "Task"}));
    assert_eq!(ok_value(&r), &json!({"recordId": "00T000000000001EAA"}));
}

// ---- runApex ---------------------------------------------------------------------------

#[test]
fn apex_returns_omni_status_codes_as_json_text() {
    let mut org = org();
    let r = apex(&mut org, USER_A, "sfdcOmniChannel", "fetchOmniPresenceStatusCodes", "");
    let text = ok_value(&r)["runApex"].as_str().unwrap_or("");
    let parsed: Value = serde_json::from_str(text).unwrap_or_default();
    assert_eq!(parsed, json!(org.omni_statuses()));
    assert_eq!(parsed[1]["MasterLabel"], "Not Ready");
}

#[test]
fn apex_returns_the_calling_user_id() {
    let mut org = org();
    let r = apex(&mut org, USER_B, "WxccCtiService", "currentUserId", "");
    assert_eq!(ok_value(&r), &json!({"runApex": USER_B}));
    assert_eq!(org.user_id("B"), Some(USER_B));
}

#[test]
fn apex_finds_the_first_task_by_call_object() {
    let mut org = org();
    save(&mut org, USER_A, json!({"entityApiName": "Task", "CallObject": "other"}));
    save(&mut org, USER_A, json!({"entityApiName": "Task", "CallObject": "i-1", "WhatId": "500000000000001AAA"}));
    save(&mut org, USER_B, json!({"entityApiName": "Task", "CallObject": "i-1"}));
    let r = apex(&mut org, USER_B, "WxccCtiService", "findTaskByCallObject", "callObject=i-1");
    let text = ok_value(&r)["runApex"].as_str().unwrap_or("");
    let parsed: Value = serde_json::from_str(text).unwrap_or_default();
    assert_eq!(parsed, json!({"Id": "00T000000000002EAA", "WhatId": "500000000000001AAA", "OwnerId": USER_A}));
    let r = apex(&mut org, USER_B, "WxccCtiService", "findTaskByCallObject", "callObject=i%2D1");
    assert_eq!(ok_value(&r)["runApex"].as_str().map(str::len), Some(text.len()));
}

#[test]
fn apex_answers_empty_string_when_no_task_matches() {
    let mut org = org();
    for params in ["callObject=nope", "callObject=", "", "other=i-1"] {
        let r = apex(&mut org, USER_A, "WxccCtiService", "findTaskByCallObject", params);
        assert_eq!(ok_value(&r), &json!({"runApex": ""}), "{params}");
    }
}

#[test]
fn apex_unknown_method_is_a_generic_error() {
    let mut org = org();
    let r = apex(&mut org, USER_A, "WxccCtiService", "dropTables", "");
    assert_eq!(error_code(&r), "GENERIC_ERROR");
    let r = org.call(USER_A, "runApex", &json!({"methodName": "currentUserId"}));
    assert_eq!(error_code(&r), "INVALID_PARAM");
}

// ---- other methods, failures, counting -------------------------------------------------

#[test]
fn ui_methods_succeed_with_null_and_unknown_methods_are_invalid() {
    let mut org = org();
    for method in ["refreshView", "enableClickToDial", "notifyInitializationComplete", "publish"] {
        let r = org.call(USER_A, method, &json!({}));
        assert_eq!(ok_value(&r), &Value::Null, "{method}");
    }
    let r = org.call(USER_A, "formatHardDrive", &json!({}));
    assert_eq!(error_code(&r), "INVALID_PARAM");
    let r = org.call(USER_A, "getCallCenterSettings", &json!({}));
    assert_eq!(ok_value(&r), &json!({}));
    org.set_call_center_settings(json!({"/reqGeneralInfo/reqAdapterUrl": "https://x"}));
    let r = org.call(USER_A, "getCallCenterSettings", &Value::Null);
    assert_eq!(ok_value(&r)["/reqGeneralInfo/reqAdapterUrl"], "https://x");
}

#[test]
fn screen_pop_is_recorded_and_validates_its_type() {
    let mut org = org();
    let args = json!({"type": "sobject", "params": {"recordId": "003000000000001AAA"}});
    assert_eq!(ok_value(&org.call(USER_A, "screenPop", &args)), &Value::Null);
    let r = org.call(USER_A, "screenPop", &json!({"type": "teleport"}));
    assert_eq!(error_code(&r), "INVALID_PARAM");
    assert_eq!(org.screen_pops().len(), 1);
    assert_eq!(org.screen_pops()[0]["params"]["recordId"], "003000000000001AAA");
}

#[test]
fn injected_failures_change_nothing_then_run_out() {
    let mut org = org();
    let before = org.to_json();
    org.fail_next("saveLog", 2, "SERVER_ERROR");
    org.fail_next("saveLog", 1, "");
    org.fail_next("screenPop", 0, "SERVER_ERROR");
    assert_eq!(org.pending_failures(), 3);
    let task = json!({"entityApiName": "Task", "CallObject": "i-1"});
    assert_eq!(error_code(&save(&mut org, USER_A, task.clone())), "SERVER_ERROR");
    assert_eq!(error_code(&save(&mut org, USER_A, task.clone())), "SERVER_ERROR");
    assert_eq!(error_code(&save(&mut org, USER_A, task.clone())), "GENERIC_ERROR");
    assert_eq!(org.to_json(), before);
    assert_eq!(org.pending_failures(), 0);
    assert_eq!(ok_value(&save(&mut org, USER_A, task)), "00T000000000001EAA");

    org.fail_next("searchAndScreenPop", 1, "SOFTPHONE_CONTAINER_ERROR");
    let r = org.call(USER_A, "searchAndScreenPop", &json!({"searchParams": "Doe"}));
    assert_eq!(error_code(&r), "SOFTPHONE_CONTAINER_ERROR");
    assert!(org.screen_pops().is_empty());
}

#[test]
fn calls_are_counted_per_method_including_failures() {
    let mut org = org();
    org.fail_next("runApex", 1, "SERVER_ERROR");
    apex(&mut org, USER_A, "WxccCtiService", "currentUserId", "");
    apex(&mut org, USER_A, "WxccCtiService", "currentUserId", "");
    save(&mut org, USER_A, json!({}));
    org.call(USER_A, "nope", &json!({}));
    assert_eq!(org.calls_made(), 4);
    assert_eq!(org.calls_made_of("runApex"), 2);
    assert_eq!(org.calls_made_of("saveLog"), 1);
    assert_eq!(org.calls_made_of("screenPop"), 0);
    assert_eq!(org.calls_by_method().len(), 3);
}

#[test]
fn omni_status_is_kept_per_user() {
    let mut org = org();
    assert_eq!(org.omni_status(USER_A), None);
    org.set_omni_status(USER_A, "0N5000000000001AAA");
    org.set_omni_status(USER_B, "0N5000000000002AAA");
    assert_eq!(org.omni_status(USER_A).as_deref(), Some("0N5000000000001AAA"));
    assert_eq!(org.omni_status_label("0N5000000000002AAA"), Some("Not Ready"));
    assert_eq!(org.omni_status_label("0N5000000000009AAA"), None);
}

#[test]
fn insert_record_rejects_duplicates_and_non_objects() {
    let mut org = org();
    assert!(org.insert_record("Contact", json!({"Id": "003000000000001AAA"})).is_err());
    assert!(org.insert_record("Contact", json!("x")).is_err());
    assert!(org.insert_record("Not An Object", json!({})).is_err());
    assert_eq!(org.insert_record("Widget__c", json!({})).ok().as_deref(), Some("a0X000000000002EAA"));
}

// ---- robustness ------------------------------------------------------------------------

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        prop::sample::select(vec![
            "Task",
            "Case",
            "Contact",
            "00T000000000001EAA",
            "00T000000000001",
            "2125550101",
            r"\+1 \(212\)",
            "WxccCtiService",
            "findTaskByCallObject",
            "currentUserId",
            "callObject=i-1",
            "sobject",
            "search",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "value",
                    "object",
                    "entityApiName",
                    "Id",
                    "Subject",
                    "CaseNumber",
                    "searchParams",
                    "deferred",
                    "callType",
                    "apexClass",
                    "methodName",
                    "methodParams",
                    "type",
                    "params",
                    "x y",
                    "",
                ])
                .prop_map(str::to_owned),
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn random_calls_never_panic_and_always_answer_in_wire_form(
        calls in prop::collection::vec(
            (
                prop::sample::select(vec![
                    "saveLog", "searchAndScreenPop", "runApex", "screenPop",
                    "refreshView", "getCallCenterSettings", "bogus", "",
                ]),
                arb_json(),
            ),
            1..12,
        )
    ) {
        let mut org = org();
        for (method, args) in &calls {
            let r = org.call(USER_A, method, args);
            let ok = r["success"].as_bool();
            prop_assert!(ok.is_some());
            if ok == Some(false) {
                prop_assert!(r["errors"][0]["code"].is_string());
            }
        }
        prop_assert_eq!(org.calls_made(), calls.len() as u64);
    }

    #[test]
    fn random_search_strings_never_panic(s in ".{0,200}") {
        let mut org = org();
        let r = org.call(USER_A, "searchAndScreenPop", &json!({"searchParams": s, "deferred": true}));
        prop_assert_eq!(&r["success"], &json!(true));
        let _ = search::Query::parse(&s);
        let _ = apex::parse_method_params(Some(&json!(s)));
    }

    #[test]
    fn phone_search_finds_the_number_in_any_common_format(
        area in 200u32..999, exchange in 200u32..999, line in 0u32..9999,
    ) {
        let mut org = FakeOrg::default();
        let id = org
            .insert_record("Contact", json!({"Phone": format!("({area}) {exchange}-{line:04}")}))
            .unwrap_or_default();
        for key in [
            format!("+1{area}{exchange}{line:04}"),
            format!("{area}{exchange}{line:04}"),
            format!("{exchange}-{line:04}"),
            format!("+1 {area} {exchange} {line:04}"),
        ] {
            let r = search(&mut org, &key, true);
            prop_assert_eq!(found_ids(&r), vec![id.clone()]);
        }
    }
}
