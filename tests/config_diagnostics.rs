//! Every kind of problem an admin can make in a call center definition is reported with the
//! item path and the line, and the rest of the file still loads.
#![cfg(not(target_arch = "wasm32"))]

use wxcc_sfdc_adapter::config::{self, AdapterConfig, Code, Severity};

struct Case {
    file: &'static str,
    code: Code,
    severity: Severity,
    path: &'static str,
    line: u32,
    hint_contains: &'static str,
}

const CASES: &[Case] = &[
    Case {
        file: "missing-required.xml",
        code: Code::MissingRequired,
        severity: Severity::Warning,
        path: "/reqGeneralInfo/reqAdapterUrl",
        line: 3,
        hint_contains: "add <item name=\"reqAdapterUrl\">",
    },
    Case {
        file: "service-cloud-voice.xml",
        code: Code::ServiceCloudVoice,
        severity: Severity::Error,
        path: "/reqGeneralInfo/reqVendorInfoApiName",
        line: 5,
        hint_contains: "Open CTI call center definition",
    },
    Case {
        file: "misspelled-item.xml",
        code: Code::MisspelledItem,
        severity: Severity::Warning,
        path: "/reqGeneralInfo/reqSalesforceCompatabilityMode",
        line: 7,
        hint_contains: "rename it to `reqSalesforceCompatibilityMode`",
    },
    Case {
        file: "unknown-item.xml",
        code: Code::UnknownItem,
        severity: Severity::Warning,
        path: "/reqGeneralInfo/reqAdaptorUrl",
        line: 4,
        hint_contains: "did you mean `reqAdapterUrl`?",
    },
    Case {
        file: "unknown-item-numbered.xml",
        code: Code::UnknownItem,
        severity: Severity::Warning,
        path: "/reqSFDCCaseConfig/sfdcCaseFieldCadVariableMapings2",
        line: 4,
        hint_contains: "did you mean `sfdcCaseFieldCadVariableMappings2`?",
    },
    Case {
        file: "unknown-section.xml",
        code: Code::UnknownSection,
        severity: Severity::Warning,
        path: "/reqGeneralInfoo",
        line: 3,
        hint_contains: "did you mean `reqGeneralInfo`?",
    },
    Case {
        file: "not-boolean.xml",
        code: Code::NotBoolean,
        severity: Severity::Error,
        path: "/reqGeneralInfo/reqUseApi",
        line: 4,
        hint_contains: "true or false",
    },
    Case {
        file: "not-integer.xml",
        code: Code::NotInteger,
        severity: Severity::Error,
        path: "/reqGeneralInfo/reqSoftphoneWidth",
        line: 4,
        hint_contains: "default",
    },
    Case {
        file: "out-of-range.xml",
        code: Code::OutOfRange,
        severity: Severity::Error,
        path: "/reqGeneralInfo/reqSoftphoneHeight",
        line: 4,
        hint_contains: "240 to 2560",
    },
    Case {
        file: "invalid-json.xml",
        code: Code::InvalidJson,
        severity: Severity::Error,
        path: "/reqNoRecordMatchConfig/sfdcObjetFieldCadVariableMappings1",
        line: 4,
        hint_contains: "JSON array",
    },
    Case {
        file: "mapping-invalid.xml",
        code: Code::MappingInvalid,
        severity: Severity::Error,
        path: "/reqNoRecordMatchConfig/sfdcObjetFieldCadVariableMappings1",
        line: 4,
        hint_contains: "[ … ]",
    },
    Case {
        file: "mapping-missing-key.xml",
        code: Code::MappingMissingKey,
        severity: Severity::Error,
        path: "/reqSFDCCaseConfig/sfdcCaseFieldCadVariableMappings1",
        line: 4,
        hint_contains: "sfdcFieldName",
    },
    Case {
        file: "conditional-without-table.xml",
        code: Code::ConditionalWithoutTable,
        severity: Severity::Error,
        path: "/reqSFDCCaseConfig/sfdcCaseFieldCadVariableMappings1",
        line: 4,
        hint_contains: "sfdcCaseFieldConditionalMappings",
    },
    Case {
        file: "numbering-gap.xml",
        code: Code::NumberingGap,
        severity: Severity::Warning,
        path: "/reqSFDCCaseConfig/sfdcCaseFieldCadVariableMappings3",
        line: 5,
        hint_contains: "joined in order",
    },
    Case {
        file: "duplicate-item.xml",
        code: Code::DuplicateItem,
        severity: Severity::Warning,
        path: "/reqGeneralInfo/reqUseApi",
        line: 5,
        hint_contains: "last one is used",
    },
    Case {
        file: "misplaced-item.xml",
        code: Code::MisplacedItem,
        severity: Severity::Warning,
        path: "/reqGeneralInfo/reqIsOutDialAniToBeSet",
        line: 4,
        hint_contains: "reqOutDialConfig",
    },
    Case {
        file: "prerequisite-off.xml",
        code: Code::PrerequisiteOff,
        severity: Severity::Warning,
        path: "/reqActivityRecordConfig/activityRecordOpenedInEditmodeConnectedState",
        line: 4,
        hint_contains: "isActivityRecordCreationAtConnected",
    },
    Case {
        file: "unknown-template-variable.xml",
        code: Code::UnknownTemplateVariable,
        severity: Severity::Warning,
        path: "/reqActivityRecordConfig/ActivitySubjectTemplate",
        line: 4,
        hint_contains: "did you mean `{direction}`?",
    },
    Case {
        file: "bad-date-pattern.xml",
        code: Code::BadDatePattern,
        severity: Severity::Error,
        path: "/reqActivityRecordConfig/SubjectDateFormat",
        line: 4,
        hint_contains: "MM-dd-yyyy hh:mm a is used",
    },
    Case {
        file: "adapter-url-http.xml",
        code: Code::AdapterUrl,
        severity: Severity::Error,
        path: "/reqGeneralInfo/reqAdapterUrl",
        line: 4,
        hint_contains: "https://desktop.wxcc-us1.cisco.com/",
    },
    Case {
        file: "unknown-data-center.xml",
        code: Code::UnknownDataCenter,
        severity: Severity::Warning,
        path: "/reqGeneralInfo/reqAdapterUrl",
        line: 4,
        hint_contains: "did you mean https://desktop.wxcc-us1.cisco.com/?",
    },
    Case {
        file: "internal-name.xml",
        code: Code::InternalName,
        severity: Severity::Error,
        path: "/reqGeneralInfo/reqInternalName",
        line: 4,
        hint_contains: "40 letters and digits",
    },
    Case {
        file: "compatibility-mode.xml",
        code: Code::CompatibilityMode,
        severity: Severity::Error,
        path: "/reqGeneralInfo/reqSalesforceCompatibilityMode",
        line: 4,
        hint_contains: "Classic_and_Lightning",
    },
    Case {
        file: "standby-without-timeout.xml",
        code: Code::StandbyWithoutTimeout,
        severity: Severity::Error,
        path: "/reqGeneralInfo/reqStandbyUrl",
        line: 4,
        hint_contains: "both",
    },
    Case {
        file: "omni-status-missing.xml",
        code: Code::OmniStatusMissing,
        severity: Severity::Error,
        path: "/reqOmniStateSyncConfig/defaultOmniStateForCall",
        line: 5,
        hint_contains: "exactly as it is labelled",
    },
    Case {
        file: "invalid-object-name.xml",
        code: Code::InvalidObjectName,
        severity: Severity::Error,
        path: "/reqNoRecordMatchConfig/nameOfCrmRecordObject",
        line: 4,
        hint_contains: "My_Object__c",
    },
    Case {
        file: "conflicting-flags.xml",
        code: Code::ConflictingFlags,
        severity: Severity::Warning,
        path: "/reqSFDCCaseConfig/isOpenCaseObjectAlwaysInViewMode",
        line: 5,
        hint_contains: "edit mode is used",
    },
    Case {
        file: "missing-name.xml",
        code: Code::MissingName,
        severity: Severity::Error,
        path: "/reqGeneralInfo",
        line: 4,
        hint_contains: "name=",
    },
    Case {
        file: "unexpected-element.xml",
        code: Code::UnexpectedElement,
        severity: Severity::Warning,
        path: "/reqGeneralInfo",
        line: 4,
        hint_contains: "<item> inside <section>",
    },
    Case {
        file: "malformed-xml-truncated.xml",
        code: Code::MalformedXml,
        severity: Severity::Error,
        path: "/reqGeneralInfo/reqSoftphoneHeight",
        line: 5,
        hint_contains: "truncated",
    },
    Case {
        file: "malformed-xml-mismatch.xml",
        code: Code::MalformedXml,
        severity: Severity::Error,
        path: "/reqGeneralInfo/reqUseApi",
        line: 4,
        hint_contains: "not read",
    },
];

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/config/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_diagnostic_kind_is_reported_at_its_item_and_line() {
    for case in CASES {
        let loaded = config::from_xml(&fixture(case.file));
        let found: Vec<_> = loaded.diagnostics.iter().filter(|d| d.code == case.code).collect();
        assert_eq!(found.len(), 1, "{}: expected one {:?}, got {:#?}", case.file, case.code, loaded.diagnostics);
        let d = found[0];
        assert_eq!(d.severity, case.severity, "{}", case.file);
        assert_eq!(d.path, case.path, "{}", case.file);
        assert_eq!(d.line, Some(case.line), "{}: {d:?}", case.file);
        assert!(d.column.is_some(), "{}", case.file);
        let hint = d.hint.as_deref().unwrap_or("");
        assert!(hint.contains(case.hint_contains), "{}: hint {hint:?} lacks {:?}", case.file, case.hint_contains);
        // Exactly this problem: nothing else is an error unless the case itself is one.
        let other_errors: Vec<_> = loaded.diagnostics.iter().filter(|x| x.is_error() && x.code != case.code).collect();
        assert!(other_errors.is_empty(), "{}: unexpected {other_errors:#?}", case.file);
    }
}

#[test]
fn every_code_has_a_fixture() {
    // Codes that only the settings-map loader can produce are covered in config_reference.rs.
    let covered: Vec<Code> = CASES.iter().map(|c| c.code).collect();
    let all = [
        Code::MalformedXml,
        Code::UnexpectedElement,
        Code::MissingName,
        Code::UnknownSection,
        Code::UnknownItem,
        Code::MisplacedItem,
        Code::DuplicateItem,
        Code::NotBoolean,
        Code::NotInteger,
        Code::OutOfRange,
        Code::InvalidJson,
        Code::MappingMissingKey,
        Code::MappingInvalid,
        Code::ConditionalWithoutTable,
        Code::NumberingGap,
        Code::PrerequisiteOff,
        Code::UnknownTemplateVariable,
        Code::BadDatePattern,
        Code::AdapterUrl,
        Code::UnknownDataCenter,
        Code::InternalName,
        Code::CompatibilityMode,
        Code::StandbyWithoutTimeout,
        Code::OmniStatusMissing,
        Code::InvalidObjectName,
        Code::ConflictingFlags,
        Code::MissingRequired,
        Code::ServiceCloudVoice,
        Code::MisspelledItem,
    ];
    for code in all {
        assert!(covered.contains(&code), "no fixture for {code:?}");
    }
}

#[test]
fn broken_items_fall_back_to_defaults_and_the_rest_loads() {
    let loaded = config::from_xml(&fixture("not-boolean.xml"));
    assert!(loaded.config.general.use_api, "reqUseApi keeps its default");
    let loaded = config::from_xml(&fixture("malformed-xml-truncated.xml"));
    // reqUseApi=false came before the cut and is kept; the cut item falls back.
    assert!(!loaded.config.general.use_api);
    assert_eq!(loaded.config.general.softphone_height, AdapterConfig::default().general.softphone_height);
    let loaded = config::from_xml(&fixture("out-of-range.xml"));
    assert_eq!(loaded.config.general.softphone_height, 550);
    let loaded = config::from_xml(&fixture("bad-date-pattern.xml"));
    assert_eq!(loaded.config.activity.subject_date_pattern, "MM-dd-yyyy hh:mm a");
}

#[test]
fn invalid_json_points_into_the_value() {
    let loaded = config::from_xml(&fixture("invalid-json.xml"));
    let d = loaded.diagnostics.iter().find(|d| d.code == Code::InvalidJson);
    let d = d.expect("invalid-json diagnostic");
    // serde_json stops at column 25 of the value (the `"` after the missing comma).
    let line = fixture("invalid-json.xml").lines().nth(3).unwrap_or_default().to_string();
    let value_col = line.find("[{").map(|i| i + 1).unwrap_or(0) as u32;
    assert_eq!(d.column, Some(value_col + 24), "{d:?}");
    assert!(d.message.contains("column 25"), "{}", d.message);
}

#[test]
fn an_empty_or_unrelated_definition_is_refused() {
    for (what, loaded) in [
        ("an empty <callCenter/>", config::from_xml("<callCenter/>")),
        ("{}", config::from_definition_json("{}")),
        ("an unrelated object", config::from_definition_json(r#"{"name": "x", "items": [1, 2]}"#)),
    ] {
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{what}: {:#?}", loaded.diagnostics);
        assert_eq!(errors.first().map(|d| d.code), Some(Code::MissingRequired), "{what}");
    }
}

#[test]
fn a_service_cloud_voice_contact_center_gets_one_diagnostic_that_names_it() {
    let loaded = config::from_xml(&fixture("service-cloud-voice.xml"));
    assert_eq!(loaded.diagnostics.len(), 1, "{:#?}", loaded.diagnostics);
    assert!(loaded.diagnostics.iter().all(|d| d.message.contains("Service Cloud Voice")));
}

#[test]
fn the_metadata_api_form_reads_into_the_same_configuration() {
    // What `sf project retrieve start -m CallCenter` writes: <CallCenter>, top-level fields,
    // customSettings JSON, and <sections> whose <name> follows their <items>.
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CallCenter xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n\
        <adapterUrl>https://desktop.wxcc-eu1.cisco.com/</adapterUrl>\n\
        <customSettings>{&quot;reqSoftphoneHeight&quot;:&quot;600&quot;,&quot;reqUseApi&quot;:&quot;true&quot;}</customSettings>\n\
        <displayName>WxCC</displayName>\n<displayNameLabel>Display Name</displayNameLabel>\n\
        <sections>\n<items>\n<label>Create at connect</label>\n<name>isActivityRecordCreationAtConnected</name>\n\
        <value>true</value>\n</items>\n<label>Activity</label>\n<name>reqActivityRecordConfig</name>\n</sections>\n\
        <sections>\n<items><label>x</label><name>reqSoftphoneWidth</name><value>500</value></items>\n\
        <name>reqGeneralInfo</name>\n</sections>\n</CallCenter>";
    let loaded = config::from_xml(xml);
    assert!(loaded.diagnostics.iter().all(|d| !d.is_error()), "{:#?}", loaded.diagnostics);
    assert_eq!(loaded.config.general.adapter_url, "https://desktop.wxcc-eu1.cisco.com/");
    assert_eq!(loaded.config.general.softphone_height, 600);
    assert_eq!(loaded.config.general.softphone_width, 500);
    assert!(loaded.config.activity.create_task_at_connect);
    // Positions point into the file: the item's <items> element.
    let lower = xml.replace("CallCenter", "callCenter");
    let again = config::from_xml(&lower);
    assert_eq!(again.config.general.softphone_width, 500, "a lower-case root wrapping the same body reads too");
}
