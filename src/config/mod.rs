//! The call center definition, read into one typed [`AdapterConfig`] plus [`Diagnostic`]s.
//!
//! Sources: the XML file (feature `xml`; CLI and studio) and the flat map that
//! `sforce.opencti.getCallCenterSettings` returns at run time (the widget). Both the vendor's v1
//! item names and its v2 names are accepted. Loading never fails: a broken item falls back to
//! its default, the rest still loads, and every problem is a diagnostic with a path, a position
//! and a hint. The vendor's item names live only in `items.rs`; everything else uses ours.

#[cfg(feature = "xml")]
mod correct;
mod diag;
mod items;
mod mapping;
mod source;
#[cfg(feature = "xml")]
mod xml;

#[cfg(feature = "xml")]
pub use correct::{corrected_xml, Change, ChangeKind, Corrected};
pub use diag::{Code, Diagnostic, DiagnosticCode, Pos, Severity};
pub use items::{known_item_names, KNOWN_DATA_CENTERS};
pub use mapping::{ConditionalRule, FieldMapping, Resolved, ValueSource};

use serde::{Deserialize, Serialize};

/// Everything the adapter does that an admin can configure, in our words. Its `Default` is the
/// vendor's documented defaults (the reference definition file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdapterConfig {
    pub general: General,
    pub screen_pop: ScreenPop,
    pub no_match: NoMatch,
    pub activity: Activity,
    pub case: CaseCreation,
    pub outdial: Outdial,
    pub omni: Omni,
}

/// `reqGeneralInfo`: what Salesforce needs to host the softphone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct General {
    pub internal_name: String,
    pub display_name: String,
    pub description: String,
    /// The WxCC desktop of the tenant's data center, loaded in the softphone panel.
    pub adapter_url: String,
    pub use_api: bool,
    pub softphone_height: u32,
    pub softphone_width: u32,
    pub compatibility_mode: CompatibilityMode,
    pub standby_url: Option<String>,
    pub timeout_ms: Option<u32>,
    /// The v2 `openCtiWxCCRegion` (us1, eu1, …), when given.
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompatibilityMode {
    Lightning,
    ClassicAndLightning,
}

/// How the caller's record is found when a call is offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreenPop {
    /// Search with the value of a CAD variable instead of the caller's number.
    pub search_by_cad: bool,
    pub search_cad_variable: String,
    /// Search with the caller's number when that CAD variable has no value.
    pub fallback_to_ani: bool,
    /// Prefixes (country codes) removed from the caller's number; the longest match wins.
    pub ani_prefixes: Vec<String>,
    /// Several records matched: open the search page, or list them in the panel to pick one.
    pub multiple_match: MultipleMatch,
}

/// What the adapter does when several records match (an item of ours,
/// `reqAdvanceScreenpopConfig/multipleMatchAction`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MultipleMatch {
    /// Salesforce's search page with the search value (the vendor's behaviour).
    #[default]
    Search,
    /// The candidates listed in the Salesforce Actions panel; the one picked is popped and
    /// related to the call log.
    Pick,
}

/// What happens when no record matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoMatch {
    /// Open a new-record form prefilled with `field_mappings`.
    pub open_new_record: bool,
    /// The object of that form: Contact, Lead, Account or a custom `X__c`.
    pub object: String,
    pub field_mappings: Vec<FieldMapping>,
    pub conditional_rules: Vec<ConditionalRule>,
}

/// The call log (Task).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Activity {
    /// False only when the v2 `disableActivityRecord` is set.
    pub log_calls: bool,
    /// The vendor package namespace; kept for reference, no behaviour.
    pub namespace: String,
    /// Refresh the console view right after the Task is created.
    pub refresh_after_create: bool,
    /// Create the Task when the call connects instead of at wrap-up.
    pub create_task_at_connect: bool,
    pub open_task_at_connect: bool,
    pub open_task_at_wrapup: bool,
    /// On transfer, hand the existing Task to the receiving agent instead of logging another.
    pub transfer_task_ownership: bool,
    /// The CAD variable that carries the Task Id with the call.
    pub task_id_cad_variable: String,
    pub live_notes: bool,
    pub notes_field: String,
    pub subject_date_pattern: String,
    pub subject_template: String,
    /// The agent may change the subject in the panel before wrap-up.
    pub subject_editable: bool,
    /// Write `field_mappings` into the Task.
    pub write_cad_fields: bool,
    pub field_mappings: Vec<FieldMapping>,
}

/// Automatic Cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseCreation {
    pub create_for_inbound: bool,
    pub create_for_outbound: bool,
    pub open_in_edit_mode: bool,
    pub open_in_view_mode: bool,
    pub field_mappings: Vec<FieldMapping>,
    pub conditional_rules: Vec<ConditionalRule>,
}

/// Click-to-dial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Outdial {
    /// Prefixes removed from a clicked number before dialing; the longest match wins.
    pub dial_prefixes: Vec<String>,
    /// Dial with the outdial ANI the agent chose instead of the profile default.
    pub use_agent_outdial_ani: bool,
    /// Search Salesforce for the number of an outbound call the agent dialed in the desktop
    /// (not clicked in Salesforce), and relate the call log like an inbound pop.
    pub search_manual_dials: bool,
}

/// Omni-Channel presence sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Omni {
    pub sync_enabled: bool,
    /// Omni-Channel status (by label) while the agent is on a voice call.
    pub status_during_call: String,
    /// WxCC idle code (by name) while the agent works Omni-Channel items.
    pub idle_code_during_omni_work: String,
}

impl Default for General {
    fn default() -> Self {
        General {
            internal_name: "WebexCCAgentDesktopV20241121".into(),
            display_name: "Webex Contact Center Agent Desktop 2.0(Nov 2024)".into(),
            description: String::new(),
            adapter_url: "https://desktop.wxcc-us1.cisco.com/".into(),
            use_api: true,
            softphone_height: 550,
            softphone_width: 500,
            compatibility_mode: CompatibilityMode::Lightning,
            standby_url: None,
            timeout_ms: None,
            region: None,
        }
    }
}

impl Default for ScreenPop {
    fn default() -> Self {
        ScreenPop {
            search_by_cad: false,
            search_cad_variable: "cad_variable".into(),
            fallback_to_ani: true,
            ani_prefixes: vec!["+1".into(), "+91".into()],
            multiple_match: MultipleMatch::Search,
        }
    }
}

impl Default for NoMatch {
    fn default() -> Self {
        NoMatch {
            open_new_record: false,
            object: "Contact".into(),
            field_mappings: vec![variable("Phone", "phoneNumber")],
            conditional_rules: Vec::new(),
        }
    }
}

impl Default for Activity {
    fn default() -> Self {
        Activity {
            log_calls: true,
            namespace: "ciscocjs".into(),
            refresh_after_create: false,
            create_task_at_connect: false,
            open_task_at_connect: false,
            open_task_at_wrapup: false,
            transfer_task_ownership: false,
            task_id_cad_variable: "ActivityId".into(),
            live_notes: false,
            notes_field: "Description".into(),
            subject_date_pattern: "MM-dd-yyyy hh:mm a".into(),
            subject_template: "{direction} Call {activityDatetime}".into(),
            subject_editable: true,
            write_cad_fields: false,
            field_mappings: Vec::new(),
        }
    }
}

impl Default for CaseCreation {
    fn default() -> Self {
        CaseCreation {
            create_for_inbound: false,
            create_for_outbound: false,
            open_in_edit_mode: false,
            open_in_view_mode: false,
            field_mappings: vec![
                variable("AccountId", "AccountId"),
                variable("ContactId", "ContactId"),
                variable("ContactPhone", "phoneNumber"),
            ],
            conditional_rules: Vec::new(),
        }
    }
}

impl Default for Outdial {
    fn default() -> Self {
        Outdial { dial_prefixes: vec!["+1".into()], use_agent_outdial_ani: false, search_manual_dials: true }
    }
}

impl Default for Omni {
    fn default() -> Self {
        Omni {
            sync_enabled: false,
            status_during_call: "Not Ready".into(),
            idle_code_during_omni_work: "Not Ready".into(),
        }
    }
}

fn variable(field: &str, name: &str) -> FieldMapping {
    FieldMapping { field: field.into(), source: ValueSource::Variable { name: name.into() } }
}

/// A loaded definition: the config the adapter will run with, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loaded {
    pub config: AdapterConfig,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// `true`/`false` in any case, with surrounding whitespace.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Loads a call center definition file.
#[cfg(feature = "xml")]
pub fn from_xml(text: &str) -> Loaded {
    items::build_definition(xml::parse(text))
}

/// Loads the run-time settings map of `getCallCenterSettings`.
pub fn from_settings<'a>(settings: impl IntoIterator<Item = (&'a str, &'a str)>) -> Loaded {
    items::build(source::from_settings(settings))
}

/// Loads a call center definition given as a settings map in JSON (what `wxcc-sfdc validate`
/// reads from a `.json` file): like [`from_settings_json`], and what Salesforce's import would
/// refuse is said too (an object with no call center item in it is an error).
pub fn from_definition_json(text: &str) -> Loaded {
    match settings_pairs(text) {
        Ok(pairs) => {
            items::build_definition(source::from_settings(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
        }
        Err(problem) => refused(problem),
    }
}

/// Loads a settings map given as JSON: `{"/section/item": "value", …}` or `{"settings": {…}}`.
/// Non-string values are taken as their JSON text.
pub fn from_settings_json(text: &str) -> Loaded {
    match settings_pairs(text) {
        Ok(pairs) => from_settings(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        Err(problem) => refused(problem),
    }
}

/// The `(key, value)` pairs of a settings map in JSON, or why it is not one.
fn settings_pairs(text: &str) -> Result<Vec<(String, String)>, Diagnostic> {
    let parsed: serde_json::Value = serde_json::from_str(text).map_err(|err| {
        Diagnostic::error(Code::MalformedSettings, "/", format!("the settings map is not valid JSON: {err}"))
            .at(Some(Pos {
                line: u32::try_from(err.line()).unwrap_or(0),
                column: u32::try_from(crate::text::json_char_column(text, err.line(), err.column())).unwrap_or(0),
            }))
            .hint("expected an object like {\"/reqGeneralInfo/reqAdapterUrl\": \"https://…\"}; defaults are used")
    })?;
    let serde_json::Value::Object(map) = parsed.get("settings").unwrap_or(&parsed).clone() else {
        return Err(Diagnostic::error(Code::MalformedSettings, "/", "the settings map must be a JSON object")
            .hint("expected {\"/reqGeneralInfo/reqAdapterUrl\": \"https://…\"}; defaults are used"));
    };
    Ok(map
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, value)
        })
        .collect())
}

/// The defaults, with the one problem that stopped the map from being read first.
fn refused(problem: Diagnostic) -> Loaded {
    let mut loaded = from_settings(std::iter::empty());
    loaded.diagnostics.insert(0, problem);
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_json_error_column_counts_characters() {
        // serde_json reports byte column 15 for the missing value; `é` and `😀` are 6 bytes, 2 characters.
        let loaded = from_settings_json("{\"/é😀/b\": }");
        let d = loaded.diagnostics.first();
        assert_eq!(d.map(|d| d.code), Some(Code::MalformedSettings));
        assert_eq!(d.and_then(|d| d.line.zip(d.column)), Some((1, 11)));
    }

    #[test]
    fn json_errors_after_line_break_references_stay_inside_the_file() {
        // `&#10;` makes the value three lines long while the file has one: the error is placed
        // at the item rather than on a line that does not exist.
        let xml = "<callCenter><section name=\"reqSFDCCaseConfig\"><item name=\"sfdcCaseFieldCadVariableMappings1\">[&#10;&#10;x]</item></section></callCenter>";
        let loaded = from_xml(xml);
        let d = loaded.diagnostics.iter().find(|d| d.code == Code::InvalidJson);
        assert_eq!(d.and_then(|d| d.line.zip(d.column)), Some((1, 47)));
    }
}
