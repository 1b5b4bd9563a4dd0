//! The vendor's real definition files load: the legacy one with no diagnostics and exactly the
//! documented defaults, the v2 one mapped onto the same fields, and the run-time settings map
//! gives the same result as the file.
#![cfg(not(target_arch = "wasm32"))]

use wxcc_sfdc_adapter::config::{self, AdapterConfig, Code, CompatibilityMode, FieldMapping, Severity, ValueSource};

fn reference(name: &str) -> String {
    let path = format!("{}/tests/fixtures/reference/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn var(field: &str, name: &str) -> FieldMapping {
    FieldMapping { field: field.into(), source: ValueSource::Variable { name: name.into() } }
}

#[test]
fn legacy_definition_loads_with_zero_diagnostics_and_the_documented_defaults() {
    let loaded = config::from_xml(&reference("cisco-legacy-callcenter-definition.xml"));
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let c = &loaded.config;
    assert_eq!(*c, AdapterConfig::default());

    // Every field, spelled out, so a changed default is a visible decision.
    let g = &c.general;
    assert_eq!(g.internal_name, "WebexCCAgentDesktopV20241121");
    assert_eq!(g.display_name, "Webex Contact Center Agent Desktop 2.0(Nov 2024)");
    assert_eq!(g.description, "");
    assert_eq!(g.adapter_url, "https://desktop.wxcc-us1.cisco.com/");
    assert!(g.use_api);
    assert_eq!(g.softphone_height, 550);
    assert_eq!(g.softphone_width, 500);
    assert_eq!(g.compatibility_mode, CompatibilityMode::Lightning);
    assert_eq!(g.standby_url, None);
    assert_eq!(g.timeout_ms, None);
    assert_eq!(g.region, None);

    let s = &c.screen_pop;
    assert!(!s.search_by_cad);
    assert_eq!(s.search_cad_variable, "cad_variable");
    assert!(s.fallback_to_ani);
    assert_eq!(s.ani_prefixes, vec!["+1", "+91"]);

    let n = &c.no_match;
    assert!(!n.open_new_record);
    assert_eq!(n.object, "Contact");
    assert_eq!(n.field_mappings, vec![var("Phone", "phoneNumber")]);
    assert!(n.conditional_rules.is_empty());

    let a = &c.activity;
    assert!(a.log_calls);
    assert_eq!(a.namespace, "ciscocjs");
    assert!(!a.refresh_after_create);
    assert!(!a.create_task_at_connect);
    assert!(!a.open_task_at_connect);
    assert!(!a.open_task_at_wrapup);
    assert!(!a.transfer_task_ownership);
    assert_eq!(a.task_id_cad_variable, "ActivityId");
    assert!(!a.live_notes);
    assert_eq!(a.notes_field, "Description");
    assert_eq!(a.subject_date_pattern, "MM-dd-yyyy hh:mm a");
    assert_eq!(a.subject_template, "{direction} Call {activityDatetime}");
    assert!(!a.write_cad_fields);
    assert!(a.field_mappings.is_empty());

    let k = &c.case;
    assert!(!k.create_for_inbound);
    assert!(!k.create_for_outbound);
    assert!(!k.open_in_edit_mode);
    assert!(!k.open_in_view_mode);
    // Two numbered items joined in order.
    assert_eq!(
        k.field_mappings,
        vec![var("AccountId", "AccountId"), var("ContactId", "ContactId"), var("ContactPhone", "phoneNumber")]
    );
    assert!(k.conditional_rules.is_empty());

    assert_eq!(c.outdial.dial_prefixes, vec!["+1"]);
    assert!(!c.outdial.use_agent_outdial_ani);

    assert!(!c.omni.sync_enabled);
    assert_eq!(c.omni.status_during_call, "Not Ready");
    assert_eq!(c.omni.idle_code_during_omni_work, "Not Ready");
}

#[test]
fn v2_definition_maps_onto_the_same_fields() {
    let loaded = config::from_xml(&reference("cisco-v2-opencti-callcenter.xml"));
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Its adapter URL is the vendor's connector page, not a WxCC desktop: a warning, not an error.
    assert!(loaded.diagnostics.iter().all(|d| d.code == Code::UnknownDataCenter), "{:#?}", loaded.diagnostics);
    let c = &loaded.config;
    assert_eq!(c.general.region.as_deref(), Some("eu2"));
    assert_eq!(c.general.internal_name, "wxCcCallCenter");
    assert_eq!(c.general.description, "Webex Contact Center Salesforce Integration");
    assert_eq!(c.general.softphone_width, 400);
    assert_eq!(c.activity.subject_date_pattern, "MM-DD-YYYY hh:mm a");
    assert!(c.activity.live_notes);
    assert!(c.activity.log_calls);
    assert_eq!(c.activity.task_id_cad_variable, "ActivityId", "empty value keeps the default");
    assert!(!c.screen_pop.fallback_to_ani);
    assert!(c.screen_pop.ani_prefixes.is_empty());
    assert!(c.outdial.dial_prefixes.is_empty());
    assert!(!c.omni.sync_enabled);
    assert_eq!(c.omni.status_during_call, "");
}

#[test]
fn v2_item_names_set_our_fields() {
    let settings = [
        ("/advancedScreenPopData/openCtiEnableAdvancedScreenPop", "true"),
        ("/advancedScreenPopData/openCtiCadSearchVariable", "accountNumber"),
        ("/advancedScreenPopData/openCtiRemoveANIPrefix", " +44 , +1 "),
        ("/advancedScreenPopData/openCtiFallbackToAni", "TRUE"),
        ("/wxCCCallActivity/subjectDateFormat", "dd/MM/yyyy HH:mm"),
        ("/wxCCCallActivity/changeActivityRecordOwnership", "true"),
        ("/wxCCCallActivity/cadVarNameWithActivityId", "TaskId"),
        ("/wxCCCallActivity/objectFieldMapping", "Description={callReason},Priority=High"),
        ("/objectCreationManagement/createObjectIncoming", "true"),
        ("/screenpopNoRecordMatch/noRecordMatchObjectFieldMappings", "LastName={customerName}"),
        ("/omnichannelStateSyncConfiguration/enableOmniChannelSync", "true"),
        ("/omnichannelStateSyncConfiguration/omniChannelNotReadyReason", "Busy"),
        ("/omnichannelStateSyncConfiguration/wxCCIdleReasonCode", "CRM Work"),
    ];
    let loaded = config::from_settings(settings);
    let c = &loaded.config;
    assert!(c.screen_pop.search_by_cad);
    assert_eq!(c.screen_pop.search_cad_variable, "accountNumber");
    assert_eq!(c.screen_pop.ani_prefixes, vec!["+44", "+1"]);
    assert!(c.screen_pop.fallback_to_ani);
    assert_eq!(c.activity.subject_date_pattern, "dd/MM/yyyy HH:mm");
    assert!(c.activity.transfer_task_ownership);
    assert_eq!(c.activity.task_id_cad_variable, "TaskId");
    assert!(c.activity.write_cad_fields);
    assert_eq!(
        c.activity.field_mappings,
        vec![
            var("Description", "callReason"),
            FieldMapping { field: "Priority".into(), source: ValueSource::Constant { value: "High".into() } }
        ]
    );
    assert!(c.case.create_for_inbound);
    assert!(c.no_match.open_new_record);
    assert_eq!(c.no_match.field_mappings, vec![var("LastName", "customerName")]);
    assert!(c.omni.sync_enabled);
    assert_eq!(c.omni.status_during_call, "Busy");
    assert_eq!(c.omni.idle_code_during_omni_work, "CRM Work");
    // Ownership change without create-at-connect is flagged, with no line (settings map).
    let d = loaded.diagnostics.iter().find(|d| d.code == Code::PrerequisiteOff);
    assert_eq!(d.map(|d| d.path.as_str()), Some("/wxCCCallActivity/changeActivityRecordOwnership"));
    assert_eq!(d.and_then(|d| d.line), None);
}

/// The flat map `getCallCenterSettings` returns for a definition, as Salesforce builds it.
fn settings_map_of(xml: &str) -> Vec<(String, String)> {
    let mut out = vec![
        ("/label".to_string(), "Cisco".to_string()),
        ("/internalNameLabel".to_string(), "InternalName".to_string()),
    ];
    let mut section = String::new();
    for line in xml.lines() {
        let attr =
            |name: &str| line.split(&format!("{name}=\"")).nth(1).and_then(|r| r.split('"').next()).map(String::from);
        if line.trim_start().starts_with("<section") {
            section = attr("name").unwrap_or_default();
            out.push((format!("/{section}/label"), attr("label").unwrap_or_default()));
            out.push((format!("/{section}/sortOrder"), attr("sortOrder").unwrap_or_default()));
        } else if line.trim_start().starts_with("<item") {
            let name = attr("name").unwrap_or_default();
            let value = line
                .split_once('>')
                .map(|(_, r)| r)
                .and_then(|r| r.rsplit_once("</item>"))
                .map(|(v, _)| v)
                .unwrap_or_default();
            out.push((format!("/{section}/{name}"), value.replace("&amp;", "&")));
            out.push((format!("/{section}/{name}/label"), attr("label").unwrap_or_default()));
            out.push((format!("/{section}/{name}/sortOrder"), attr("sortOrder").unwrap_or_default()));
        }
    }
    out
}

#[test]
fn run_time_settings_map_gives_the_same_config_as_the_file() {
    for name in ["cisco-legacy-callcenter-definition.xml", "cisco-v2-opencti-callcenter.xml"] {
        let xml = reference(name);
        let from_file = config::from_xml(&xml);
        let map = settings_map_of(&xml);
        let from_map = config::from_settings(map.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(from_map.config, from_file.config, "{name}");
        assert_eq!(from_map.diagnostics.len(), from_file.diagnostics.len(), "{name}");
    }
}

#[test]
fn settings_map_json_in_both_forms() {
    let direct = config::from_settings_json(
        r#"{"/reqGeneralInfo/reqSoftphoneHeight": 600, "/reqGeneralInfo/reqUseApi": "false"}"#,
    );
    assert_eq!(direct.config.general.softphone_height, 600);
    assert!(!direct.config.general.use_api);
    let wrapped = config::from_settings_json(r#"{"settings": {"/reqGeneralInfo/reqSoftphoneHeight": "600"}}"#);
    assert_eq!(wrapped.config.general.softphone_height, 600);
    let broken = config::from_settings_json("{\n  \"/a/b\": ");
    let d = broken.diagnostics.first();
    assert_eq!(d.map(|d| d.code), Some(Code::MalformedSettings));
    assert_eq!(d.map(|d| d.severity), Some(Severity::Error));
    assert_eq!(d.and_then(|d| d.line), Some(2));
    assert_eq!(broken.config, AdapterConfig::default());
}

#[test]
fn what_admins_write_is_accepted() {
    let xml = "\u{feff}<callCenter>\r\n<!-- edited by hand -->\r\n<section name=\"reqActivityRecordConfig\" sortOrder=\"3\" label=\"A\">\r\n\
        <item label=\"x\" name=\"isCallNotesEnabled\" sortOrder=\"0\"> True </item>\r\n\
        <item name=\"ActivitySubjectTemplate\"><![CDATA[{direction} call & {queue}]]></item>\r\n\
        <item name=\"reqIsCadVariableUpdatedToActivity\">TRUE</item>\r\n\
        <item name=\"CadSalesforceFieldMapping2\">[{\"CadFieldName\":\"reason\",\"SalesforceFieldName\":\"Reason__c\",\"isDefaultValueEnabled\":false}]</item>\r\n\
        <item name=\"CadSalesforceFieldMapping1\">[{\"cadfieldname\":\"\",\"salesforcefieldname\":\"Source__c\",\"isDefaultValueEnabled\":\"true\",\"defaultFieldValue\":\"WxCC &amp; SF\"}]</item>\r\n\
        </section>\r\n</callCenter>";
    let loaded = config::from_xml(xml);
    assert!(loaded.diagnostics.iter().all(|d| !d.is_error()), "{:#?}", loaded.diagnostics);
    let a = &loaded.config.activity;
    assert!(a.live_notes);
    assert_eq!(a.subject_template, "{direction} call & {queue}");
    assert!(a.write_cad_fields);
    assert_eq!(
        a.field_mappings,
        vec![
            FieldMapping { field: "Source__c".into(), source: ValueSource::Constant { value: "WxCC & SF".into() } },
            var("Reason__c", "reason"),
        ]
    );
}
