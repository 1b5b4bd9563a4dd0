//! The vendor's item names (v1 and v2) and what each one sets in [`AdapterConfig`], plus the
//! checks that span items. This is the only place that knows the vendor's names.

use super::diag::{did_you_mean, Code, Diagnostic, Pos};
use super::mapping::{self, ConditionalRule, FieldMapping, ValueSource};
use super::source::{RawDefinition, RawItem};
use super::{parse_bool, AdapterConfig, CompatibilityMode, Loaded, MultipleMatch};
use crate::flat::Map;
use crate::template::{DatePattern, SubjectTemplate, BUILTIN_VARIABLES};

/// WxCC data centers whose desktop lives at `https://desktop.wxcc-<dc>.cisco.com/`.
pub const KNOWN_DATA_CENTERS: &[&str] = &["us1", "eu1", "eu2", "anz1", "sg1", "ca1", "jp1", "in1"];

/// What an item sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Setting {
    InternalName,
    DisplayName,
    Description,
    AdapterUrl,
    UseApi,
    SoftphoneHeight,
    SoftphoneWidth,
    CompatibilityMode,
    StandbyUrl,
    Timeout,
    Region,
    SearchByCad,
    SearchCadVariable,
    FallbackToAni,
    AniPrefixes,
    MultipleMatch,
    OpenNewRecord,
    NoMatchObject,
    NoMatchMappings,
    NoMatchConditionals,
    NoMatchMappingsV2,
    Namespace,
    RefreshAfterCreate,
    CreateTaskAtConnect,
    OpenTaskAtConnect,
    OpenTaskAtWrapup,
    TransferTaskOwnership,
    TaskIdCadVariable,
    LiveNotes,
    NotesField,
    SubjectDatePattern,
    SubjectTemplate,
    SubjectEditable,
    WriteCadFields,
    TaskMappings,
    TaskMappingsV2,
    DisableActivity,
    CaseInbound,
    CaseOutbound,
    CaseEditMode,
    CaseViewMode,
    CaseMappings,
    CaseConditionals,
    CaseMappingsV2,
    DialPrefixes,
    UseAgentOutdialAni,
    SearchManualDials,
    OmniSync,
    OmniStatusDuringCall,
    OmniIdleCode,
    /// Known to the vendor, no behaviour in this adapter (kept so it is not "unknown").
    Kept,
}

/// `(section, item, setting, numbered)`: numbered items are split across `Name1`, `Name2`, ….
const ITEMS: &[(&str, &str, Setting, bool)] = &[
    // v1 (the legacy definition file)
    ("reqGeneralInfo", "reqInternalName", Setting::InternalName, false),
    ("reqGeneralInfo", "reqDisplayName", Setting::DisplayName, false),
    ("reqGeneralInfo", "reqDescription", Setting::Description, false),
    ("reqGeneralInfo", "reqAdapterUrl", Setting::AdapterUrl, false),
    ("reqGeneralInfo", "reqUseApi", Setting::UseApi, false),
    ("reqGeneralInfo", "reqSoftphoneHeight", Setting::SoftphoneHeight, false),
    ("reqGeneralInfo", "reqSoftphoneWidth", Setting::SoftphoneWidth, false),
    ("reqGeneralInfo", "reqSalesforceCompatibilityMode", Setting::CompatibilityMode, false),
    ("reqGeneralInfo", "reqStandbyUrl", Setting::StandbyUrl, false),
    ("reqGeneralInfo", "reqTimeout", Setting::Timeout, false),
    ("reqAdvanceScreenpopConfig", "reqIsAdvancedScreenpopEnabled", Setting::SearchByCad, false),
    ("reqAdvanceScreenpopConfig", "screenpopSearchParamCadName", Setting::SearchCadVariable, false),
    ("reqAdvanceScreenpopConfig", "prefixStringTobeRemoved", Setting::AniPrefixes, false),
    // Ours (not in the vendor's definitions): `search` (default) or `pick`.
    ("reqAdvanceScreenpopConfig", "multipleMatchAction", Setting::MultipleMatch, false),
    ("reqNoRecordMatchConfig", "isNoRecordMatchScenarioEnabled", Setting::OpenNewRecord, false),
    ("reqNoRecordMatchConfig", "nameOfCrmRecordObject", Setting::NoMatchObject, false),
    ("reqNoRecordMatchConfig", "sfdcObjetFieldCadVariableMappings", Setting::NoMatchMappings, true),
    // The vendor's spelling is "Objet"; accept the corrected spelling too.
    ("reqNoRecordMatchConfig", "sfdcObjectFieldCadVariableMappings", Setting::NoMatchMappings, true),
    ("reqNoRecordMatchConfig", "sfdcObjectFieldConditionalMappings", Setting::NoMatchConditionals, true),
    ("reqActivityRecordConfig", "reqSalesforceNamespace", Setting::Namespace, false),
    ("reqActivityRecordConfig", "reqIsActivityAutoRefreshEnabled", Setting::RefreshAfterCreate, false),
    ("reqActivityRecordConfig", "isActivityRecordCreationAtConnected", Setting::CreateTaskAtConnect, false),
    ("reqActivityRecordConfig", "activityRecordOpenedInEditmodeConnectedState", Setting::OpenTaskAtConnect, false),
    (
        "reqActivityRecordConfig",
        "activityRecordOpenedInEditmodeCallDisConnectedState",
        Setting::OpenTaskAtWrapup,
        false,
    ),
    (
        "reqActivityRecordConfig",
        "isActivityRecordOwnershiptobeChangedForTransferredCalls",
        Setting::TransferTaskOwnership,
        false,
    ),
    ("reqActivityRecordConfig", "nameOfTheCadvariableHoldingActivityRecordId", Setting::TaskIdCadVariable, false),
    ("reqActivityRecordConfig", "isCallNotesEnabled", Setting::LiveNotes, false),
    ("reqActivityRecordConfig", "sfdcFieldForcallNotes", Setting::NotesField, false),
    ("reqActivityRecordConfig", "SubjectDateFormat", Setting::SubjectDatePattern, false),
    ("reqActivityRecordConfig", "ActivitySubjectTemplate", Setting::SubjectTemplate, false),
    // Ours; the v2 `recordCallLiveSubject` sets the same.
    ("reqActivityRecordConfig", "isActivitySubjectEditable", Setting::SubjectEditable, false),
    ("reqActivityRecordConfig", "reqIsCadVariableUpdatedToActivity", Setting::WriteCadFields, false),
    ("reqActivityRecordConfig", "CadSalesforceFieldMapping", Setting::TaskMappings, true),
    ("reqSFDCCaseConfig", "isCaseCreationEnabledForInboundCalls", Setting::CaseInbound, false),
    ("reqSFDCCaseConfig", "isCaseCreationEnabledForOutboundCalls", Setting::CaseOutbound, false),
    ("reqSFDCCaseConfig", "isCreatedCaseObjectToBeOpenInEditMode", Setting::CaseEditMode, false),
    ("reqSFDCCaseConfig", "isOpenCaseObjectAlwaysInViewMode", Setting::CaseViewMode, false),
    ("reqSFDCCaseConfig", "sfdcCaseFieldCadVariableMappings", Setting::CaseMappings, true),
    ("reqSFDCCaseConfig", "sfdcCaseFieldConditionalMappings", Setting::CaseConditionals, true),
    ("reqOutDialConfig", "reqPrefixStringTobeRemoved", Setting::DialPrefixes, false),
    ("reqOutDialConfig", "reqIsOutDialAniToBeSet", Setting::UseAgentOutdialAni, false),
    // Ours; the v2 `openCtiEnableCrmSearch` sets the same.
    ("reqOutDialConfig", "isCrmSearchEnabledForManualOutdial", Setting::SearchManualDials, false),
    // In the vendor's first definitions only (misspelt there, see ALIASES); the prefix list
    // above is what strips, so the flag is kept and not acted on.
    ("reqOutDialConfig", "reqIsOutDialPhoneNumberPrefixToBeRemoved", Setting::Kept, false),
    ("reqOmniStateSyncConfig", "isOmniStateSyncEnabled", Setting::OmniSync, false),
    ("reqOmniStateSyncConfig", "defaultOmniStateForCall", Setting::OmniStatusDuringCall, false),
    ("reqOmniStateSyncConfig", "defaultOmniStateForOmniChannel", Setting::OmniIdleCode, false),
    // v2 (the metadata-API definition)
    ("wxCCReqData", "openCtiWxCCRegion", Setting::Region, false),
    ("wxCCReqData", "wxccWebRtcDomain", Setting::Kept, false),
    ("wxCCCallActivity", "subjectDateFormat", Setting::SubjectDatePattern, false),
    ("wxCCCallActivity", "subjectTemplate", Setting::SubjectTemplate, false),
    ("wxCCCallActivity", "recordCallLiveNotes", Setting::LiveNotes, false),
    ("wxCCCallActivity", "recordCallLiveSubject", Setting::SubjectEditable, false),
    ("wxCCCallActivity", "liveCallNotesFieldMapping", Setting::NotesField, false),
    ("wxCCCallActivity", "changeActivityRecordOwnership", Setting::TransferTaskOwnership, false),
    ("wxCCCallActivity", "cadVarNameWithActivityId", Setting::TaskIdCadVariable, false),
    ("wxCCCallActivity", "objectFieldMapping", Setting::TaskMappingsV2, false),
    ("wxCCCallActivity", "agentSharedRecord", Setting::Kept, false),
    ("wxCCCallActivity", "assignActivityToSharedRecord", Setting::Kept, false),
    ("wxCCCallActivity", "disableActivityRecord", Setting::DisableActivity, false),
    ("wxCCCallActivity", "openCtiEnableActivityScreenPopConnected", Setting::OpenTaskAtConnect, false),
    ("wxCCCallActivity", "openCtiEnableActivityScreenPopWrapup", Setting::OpenTaskAtWrapup, false),
    ("outdialData", "outdialRemovePrefix", Setting::DialPrefixes, false),
    ("outdialData", "openCtiEnableCrmSearch", Setting::SearchManualDials, false),
    ("advancedScreenPopData", "openCtiEnableAdvancedScreenPop", Setting::SearchByCad, false),
    ("advancedScreenPopData", "openCtiCadSearchVariable", Setting::SearchCadVariable, false),
    ("advancedScreenPopData", "openCtiRemoveANIPrefix", Setting::AniPrefixes, false),
    ("advancedScreenPopData", "openCtiFallbackToAni", Setting::FallbackToAni, false),
    ("objectCreationManagement", "createObjectIncoming", Setting::CaseInbound, false),
    ("objectCreationManagement", "createObjectOutgoing", Setting::CaseOutbound, false),
    ("objectCreationManagement", "openInEditMode", Setting::CaseEditMode, false),
    ("objectCreationManagement", "objectFieldMapping", Setting::CaseMappingsV2, false),
    ("screenpopNoRecordMatch", "noRecordMatchObjectFieldMappings", Setting::NoMatchMappingsV2, false),
    ("omnichannelStateSyncConfiguration", "enableOmniChannelSync", Setting::OmniSync, false),
    ("omnichannelStateSyncConfiguration", "omniChannelNotReadyReason", Setting::OmniStatusDuringCall, false),
    ("omnichannelStateSyncConfiguration", "wxCCIdleReasonCode", Setting::OmniIdleCode, false),
    ("widgetSettings", "sendBrowserNotifications", Setting::Kept, false),
];

/// Item names the vendor misspelt in definitions it shipped, and the names meant: read as meant,
/// with a warning.
const ALIASES: &[(&str, &str)] = &[
    ("reqIsOuDialPhonumberPrefixTobeRemoved", "reqIsOutDialPhoneNumberPrefixToBeRemoved"),
    ("reqSalesforceCompatabilityMode", "reqSalesforceCompatibilityMode"),
];

/// Items Salesforce's import requires in `reqGeneralInfo` of an Open CTI call center (the
/// Metadata API form names the internal name in its file name, so it is not asked for there).
const REQUIRED: &[&str] = &["reqInternalName", "reqDisplayName", "reqAdapterUrl"];

/// The section an item name belongs to, when it is known in exactly one.
pub(crate) fn section_of(name: &str) -> Option<&'static str> {
    let mut found = ITEMS.iter().filter(|(_, i, _, _)| *i == name).map(|(s, _, _, _)| *s);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// Loads a call center definition (a file an admin imports), not the run-time map Salesforce
/// hands the softphone: a Service Cloud Voice contact center is named as such, and what
/// Salesforce's import refuses is said (nothing that is a call center item: an error).
pub(crate) fn build_definition(raw: RawDefinition) -> Loaded {
    let metadata_form = raw.metadata_form;
    let scv = raw
        .items
        .iter()
        .find(|i| i.name == "reqVendorInfoApiName")
        .map(|i| (i.path(), i.pos))
        .or_else(|| raw.sections.iter().find(|s| s.name == "reqHvcc").map(|s| (format!("/{}", s.name), s.pos)));
    if let Some((path, pos)) = scv {
        let mut diagnostics: Vec<Diagnostic> =
            raw.diagnostics.into_iter().filter(|d| d.code == Code::MalformedXml).collect();
        diagnostics.push(
            Diagnostic::error(
                Code::ServiceCloudVoice,
                path,
                "this is a Service Cloud Voice contact center (reqHvcc, reqVendorInfoApiName), not an Open CTI call center",
            )
            .at(pos)
            .hint("this adapter runs from an Open CTI call center definition; import ours (layouts/wxcc-sfdc-callcenter.xml)"),
        );
        return Loaded { config: AdapterConfig::default(), diagnostics };
    }
    let general = raw.sections.iter().any(|s| s.name == "reqGeneralInfo")
        || raw.items.iter().any(|i| i.section == "reqGeneralInfo");
    let known =
        raw.items.iter().filter(|i| lookup(&i.section, &i.name).is_some() || section_of(&i.name).is_some()).count();
    let mut required = Vec::new();
    let structural = raw.diagnostics.iter().any(|d| d.code == Code::MalformedXml);
    let known_sections = sections();
    let any_known_section = raw.sections.iter().any(|sec| known_sections.contains(&sec.name.as_str()));
    if structural {
        // A broken or truncated file: what it lacks may be past the break; the break is the news.
    } else if known == 0 && !any_known_section {
        required.push(
            Diagnostic::error(Code::MissingRequired, "/", "nothing here is a call center definition item")
                .hint("Salesforce's import needs at least <section name=\"reqGeneralInfo\"> with reqInternalName, reqDisplayName and reqAdapterUrl"),
        );
    } else if !general {
        required.push(
            Diagnostic::warning(Code::MissingRequired, "/reqGeneralInfo", "there is no reqGeneralInfo section")
                .hint("Salesforce's import refuses a definition without it: add reqInternalName, reqDisplayName and reqAdapterUrl"),
        );
    } else {
        let section_pos = raw.sections.iter().find(|s| s.name == "reqGeneralInfo").and_then(|s| s.pos);
        for name in REQUIRED.iter().filter(|n| !(metadata_form && **n == "reqInternalName")) {
            // A misspelling of it counts: that item gets its own diagnostic (and correction).
            let given = raw.items.iter().any(|i| {
                i.section == "reqGeneralInfo"
                    && (i.name == *name
                        || alias_of(&i.name) == Some(name)
                        || did_you_mean(&i.name, std::iter::once(*name)).is_some())
            });
            if !given {
                required.push(
                    Diagnostic::warning(
                        Code::MissingRequired,
                        format!("/reqGeneralInfo/{name}"),
                        format!("`{name}` is missing; Salesforce's import requires it"),
                    )
                    .at(section_pos)
                    .hint(format!("add <item name=\"{name}\"> to the reqGeneralInfo section")),
                );
            }
        }
    }
    let mut loaded = build(raw);
    loaded.diagnostics.extend(required);
    crate::flat::sort_small_by(&mut loaded.diagnostics, |a, b| position(a).cmp(&position(b)));
    loaded
}

/// The intended name of a misspelt item.
/// Where a diagnostic sorts: by line and column, those without a position (settings map) last.
fn position(d: &Diagnostic) -> (bool, Option<u32>, Option<u32>) {
    (d.line.is_none(), d.line, d.column)
}

fn alias_of(name: &str) -> Option<&'static &'static str> {
    ALIASES.iter().find(|(wrong, _)| *wrong == name).map(|(_, meant)| meant)
}

/// Every `(section, item)` name pair the adapter understands (numbered items without number).
pub fn known_item_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    ITEMS.iter().map(|(s, i, _, _)| (*s, *i))
}

fn sections() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = ITEMS.iter().map(|(s, _, _, _)| *s).collect();
    names.dedup();
    crate::flat::sort_small_by(&mut names, |a, b| a.cmp(b));
    names.dedup();
    names
}

/// Splits `Mappings12` into `("Mappings", Some(12))`.
fn split_number(name: &str) -> (&str, Option<u32>) {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = name.get(base.len()..).unwrap_or("");
    (base, digits.parse().ok())
}

/// Finds the setting for an item in its section: `(setting, numbered index)`.
fn lookup(section: &str, name: &str) -> Option<(Setting, Option<u32>)> {
    if let Some((_, _, setting, _)) = ITEMS.iter().find(|(s, i, _, _)| *s == section && *i == name) {
        return Some((*setting, None));
    }
    let (base, number) = split_number(name);
    ITEMS
        .iter()
        .find(|(s, i, _, numbered)| *numbered && *s == section && *i == base)
        .map(|(_, _, setting, _)| (*setting, number))
}

pub(crate) fn build(raw: RawDefinition) -> Loaded {
    let mut config = AdapterConfig::default();
    let mut diags = raw.diagnostics;
    let known_sections = sections();

    for section in &raw.sections {
        if !known_sections.contains(&section.name.as_str()) {
            let mut d = Diagnostic::warning(
                Code::UnknownSection,
                format!("/{}", section.name),
                format!("unknown section `{}`; its items are checked by name", section.name),
            )
            .at(section.pos);
            if let Some(s) = did_you_mean(&section.name, known_sections.iter().copied()) {
                d = d.hint(format!("did you mean `{s}`?"));
            }
            diags.push(d);
        }
    }

    // Resolve every item to a setting; numbered items are gathered and joined in order.
    let mut scalars: Vec<(Setting, &RawItem)> = Vec::new();
    let mut numbered: Map<Setting, Vec<(u32, &RawItem)>> = Map::new();
    let mut seen: Map<(String, String), Option<Pos>> = Map::new();
    for item in &raw.items {
        if let Some(first) = seen.get(&(item.section.clone(), item.name.clone())) {
            let where_first = first.map(|p| format!(" (first at line {})", p.line)).unwrap_or_default();
            diags.push(
                Diagnostic::warning(
                    Code::DuplicateItem,
                    item.path(),
                    format!("`{}` is given more than once{where_first}", item.name),
                )
                .at(item.pos)
                .hint("the last one is used; remove the others"),
            );
        }
        seen.insert((item.section.clone(), item.name.clone()), item.pos);

        let meant = alias_of(&item.name).copied();
        if let Some(meant) = meant {
            diags.push(
                Diagnostic::warning(
                    Code::MisspelledItem,
                    item.path(),
                    format!("`{}` is a misspelling the vendor shipped; it is read as `{meant}`", item.name),
                )
                .at(item.pos)
                .hint(format!("rename it to `{meant}`")),
            );
        }
        let name = meant.unwrap_or(item.name.as_str());
        let resolved = lookup(&item.section, name).or_else(|| {
            // Known name in another section: use it, but say where it belongs.
            let elsewhere: Vec<&(&str, &str, Setting, bool)> = ITEMS.iter().filter(|(_, i, _, _)| *i == name).collect();
            match elsewhere.as_slice() {
                [(section, name, setting, _)] => {
                    diags.push(
                        Diagnostic::warning(
                            Code::MisplacedItem,
                            item.path(),
                            format!("`{name}` belongs in section `{section}`"),
                        )
                        .at(item.pos)
                        .hint(format!("move it into <section name=\"{section}\">; it is used anyway")),
                    );
                    Some((*setting, None))
                }
                _ => None,
            }
        });
        match resolved {
            Some((setting, number)) if is_list(setting) => {
                numbered.entry(setting).or_default().push((number.unwrap_or(0), item));
            }
            Some((setting, _)) => scalars.push((setting, item)),
            None => {
                let in_section: Vec<&str> =
                    ITEMS.iter().filter(|(s, _, _, _)| *s == item.section).map(|(_, i, _, _)| *i).collect();
                let pool: Vec<&str> =
                    if in_section.is_empty() { ITEMS.iter().map(|(_, i, _, _)| *i).collect() } else { in_section };
                let (base, number) = split_number(&item.name);
                let mut d = Diagnostic::warning(
                    Code::UnknownItem,
                    item.path(),
                    format!("unknown item `{}`; it is ignored", item.name),
                )
                .at(item.pos);
                if let Some(s) = did_you_mean(base, pool.iter().copied()) {
                    let numbered_name = match number {
                        Some(n) if ITEMS.iter().any(|(_, i, _, num)| *num && *i == s) => format!("{s}{n}"),
                        _ => s.to_string(),
                    };
                    d = d.hint(format!("did you mean `{numbered_name}`?"));
                }
                diags.push(d);
            }
        }
    }

    for (setting, item) in &scalars {
        apply_scalar(&mut config, *setting, item, &mut diags);
    }
    let mut mapping_items: Vec<(Setting, &RawItem)> = Vec::new();
    for (setting, mut parts) in numbered {
        crate::flat::sort_small_by(&mut parts, |a, b| a.0.cmp(&b.0));
        check_numbering(&parts, &mut diags);
        apply_list(&mut config, setting, &parts, &mut diags);
        mapping_items.extend(parts.iter().map(|(_, item)| (setting, *item)));
    }
    cross_checks(&config, &scalars, &mapping_items, &mut diags);
    // Errors in file order; diagnostics without a position (settings map) keep their order.
    crate::flat::sort_small_by(&mut diags, |a, b| position(a).cmp(&position(b)));
    Loaded { config, diagnostics: diags }
}

const LIST_SETTINGS: &[Setting] = &[
    Setting::NoMatchMappings,
    Setting::NoMatchConditionals,
    Setting::NoMatchMappingsV2,
    Setting::TaskMappings,
    Setting::TaskMappingsV2,
    Setting::CaseMappings,
    Setting::CaseConditionals,
    Setting::CaseMappingsV2,
];

fn is_list(setting: Setting) -> bool {
    LIST_SETTINGS.contains(&setting)
}

fn check_numbering(parts: &[(u32, &RawItem)], diags: &mut Vec<Diagnostic>) {
    let mut expected = parts.first().map(|(n, _)| *n).unwrap_or(0);
    for (n, item) in parts {
        if *n > expected {
            let (base, _) = split_number(&item.name);
            diags.push(
                Diagnostic::warning(
                    Code::NumberingGap,
                    item.path(),
                    format!("`{base}{expected}` is missing before `{}`", item.name),
                )
                .at(item.pos)
                .hint("numbered items are joined in order; the gap is skipped, check nothing was lost"),
            );
        }
        expected = n.saturating_add(1);
    }
}

fn apply_list(config: &mut AdapterConfig, setting: Setting, parts: &[(u32, &RawItem)], diags: &mut Vec<Diagnostic>) {
    let mut mappings: Vec<FieldMapping> = Vec::new();
    let mut rules: Vec<ConditionalRule> = Vec::new();
    for (_, item) in parts {
        match setting {
            Setting::NoMatchConditionals | Setting::CaseConditionals => {
                rules.extend(mapping::parse_conditionals(item, diags))
            }
            Setting::NoMatchMappingsV2 | Setting::TaskMappingsV2 | Setting::CaseMappingsV2 => {
                mappings.extend(mapping::parse_v2_mappings(item, diags))
            }
            _ => mappings.extend(mapping::parse_mappings(item, diags)),
        }
    }
    match setting {
        Setting::NoMatchMappings => config.no_match.field_mappings = mappings,
        Setting::NoMatchConditionals => config.no_match.conditional_rules = rules,
        Setting::NoMatchMappingsV2 => {
            // v2 has no separate switch: mappings present turn the new-record form on.
            config.no_match.open_new_record = !mappings.is_empty();
            config.no_match.field_mappings = mappings;
        }
        Setting::TaskMappings => config.activity.field_mappings = mappings,
        Setting::TaskMappingsV2 => {
            config.activity.write_cad_fields = !mappings.is_empty();
            config.activity.field_mappings = mappings;
        }
        Setting::CaseMappings | Setting::CaseMappingsV2 => config.case.field_mappings = mappings,
        Setting::CaseConditionals => config.case.conditional_rules = rules,
        _ => {}
    }
}

fn flag(item: &RawItem, diags: &mut Vec<Diagnostic>) -> Option<bool> {
    let parsed = parse_bool(&item.value);
    if parsed.is_none() {
        diags.push(
            Diagnostic::error(
                Code::NotBoolean,
                item.path(),
                format!("`{}` must be true or false, found \"{}\"", item.name, shorten(&item.value)),
            )
            .at(item.pos)
            .hint("write true or false; the default is used"),
        );
    }
    parsed
}

fn integer(item: &RawItem, min: u32, max: u32, diags: &mut Vec<Diagnostic>) -> Option<u32> {
    match item.value.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        Ok(n) => {
            diags.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    item.path(),
                    format!("`{}` is {n}, outside {min}–{max}", item.name),
                )
                .at(item.pos)
                .hint(format!("Salesforce accepts {min} to {max} in Lightning; the default is used")),
            );
            None
        }
        Err(_) => {
            diags.push(
                Diagnostic::error(
                    Code::NotInteger,
                    item.path(),
                    format!("`{}` must be a whole number, found \"{}\"", item.name, shorten(&item.value)),
                )
                .at(item.pos)
                .hint("the default is used"),
            );
            None
        }
    }
}

/// Non-empty text, or the default when empty (an empty name means "not set").
fn text(item: &RawItem) -> Option<String> {
    (!item.value.is_empty()).then(|| item.value.clone())
}

fn prefixes(item: &RawItem) -> Vec<String> {
    item.value.split(',').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

fn is_api_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.contains("___")
}

fn apply_scalar(config: &mut AdapterConfig, setting: Setting, item: &RawItem, diags: &mut Vec<Diagnostic>) {
    let c = config;
    macro_rules! set_flag {
        ($field:expr) => {
            if let Some(b) = flag(item, diags) {
                $field = b;
            }
        };
    }
    match setting {
        Setting::InternalName => {
            let v = &item.value;
            let valid = v.chars().next().is_some_and(|ch| ch.is_ascii_alphabetic()) && v.chars().all(|ch| ch.is_ascii_alphanumeric()) && v.len() <= 40;
            if valid {
                c.general.internal_name = v.clone();
            } else {
                diags.push(
                    Diagnostic::error(Code::InternalName, item.path(), format!("internal name \"{}\" is not accepted by Salesforce", shorten(v)))
                        .at(item.pos)
                        .hint("use at most 40 letters and digits, starting with a letter (no spaces or underscores)"),
                );
            }
        }
        Setting::DisplayName => {
            if let Some(t) = text(item) {
                c.general.display_name = t;
            }
        }
        Setting::Description => c.general.description = item.value.clone(),
        Setting::AdapterUrl => check_adapter_url(c, item, diags),
        Setting::UseApi => set_flag!(c.general.use_api),
        Setting::SoftphoneHeight => {
            if let Some(n) = integer(item, 240, 2560, diags) {
                c.general.softphone_height = n;
            }
        }
        Setting::SoftphoneWidth => {
            if let Some(n) = integer(item, 200, 1920, diags) {
                c.general.softphone_width = n;
            }
        }
        Setting::CompatibilityMode => match item.value.to_ascii_lowercase().as_str() {
            "lightning" => c.general.compatibility_mode = CompatibilityMode::Lightning,
            "classic_and_lightning" => c.general.compatibility_mode = CompatibilityMode::ClassicAndLightning,
            _ => diags.push(
                Diagnostic::error(Code::CompatibilityMode, item.path(), format!("compatibility mode \"{}\" is not known", shorten(&item.value)))
                    .at(item.pos)
                    .hint("use Lightning or Classic_and_Lightning; Lightning is used"),
            ),
        },
        Setting::StandbyUrl => c.general.standby_url = text(item),
        Setting::Timeout => {
            if let Some(n) = integer(item, 1, 600_000, diags) {
                c.general.timeout_ms = Some(n);
            }
        }
        Setting::Region => c.general.region = text(item),
        Setting::SearchByCad => set_flag!(c.screen_pop.search_by_cad),
        Setting::SearchCadVariable => {
            if let Some(t) = text(item) {
                c.screen_pop.search_cad_variable = t;
            }
        }
        Setting::FallbackToAni => set_flag!(c.screen_pop.fallback_to_ani),
        Setting::AniPrefixes => c.screen_pop.ani_prefixes = prefixes(item),
        Setting::MultipleMatch => match item.value.trim().to_ascii_lowercase().as_str() {
            "search" => c.screen_pop.multiple_match = MultipleMatch::Search,
            "pick" => c.screen_pop.multiple_match = MultipleMatch::Pick,
            _ => diags.push(
                Diagnostic::error(Code::UnknownValue, item.path(), format!("multiple-match action \"{}\" is not known", shorten(&item.value)))
                    .at(item.pos)
                    .hint("use search (Salesforce's search page) or pick (a list in the Salesforce Actions tab); search is used"),
            ),
        },
        Setting::OpenNewRecord => set_flag!(c.no_match.open_new_record),
        Setting::NoMatchObject => {
            if is_api_name(&item.value) {
                c.no_match.object = item.value.clone();
            } else {
                diags.push(
                    Diagnostic::error(Code::InvalidObjectName, item.path(), format!("\"{}\" is not a Salesforce object API name", shorten(&item.value)))
                        .at(item.pos)
                        .hint("use the API name, e.g. Contact, Lead, Account or My_Object__c; Contact is used"),
                );
            }
        }
        Setting::Namespace => c.activity.namespace = item.value.clone(),
        Setting::RefreshAfterCreate => set_flag!(c.activity.refresh_after_create),
        Setting::CreateTaskAtConnect => set_flag!(c.activity.create_task_at_connect),
        Setting::OpenTaskAtConnect => set_flag!(c.activity.open_task_at_connect),
        Setting::OpenTaskAtWrapup => set_flag!(c.activity.open_task_at_wrapup),
        Setting::TransferTaskOwnership => set_flag!(c.activity.transfer_task_ownership),
        Setting::TaskIdCadVariable => {
            if let Some(t) = text(item) {
                c.activity.task_id_cad_variable = t;
            }
        }
        Setting::LiveNotes => set_flag!(c.activity.live_notes),
        Setting::NotesField => {
            if let Some(t) = text(item) {
                c.activity.notes_field = t;
            }
        }
        Setting::SubjectDatePattern => match DatePattern::parse(&item.value) {
            Ok(_) => c.activity.subject_date_pattern = item.value.clone(),
            Err(err) => diags.push(
                Diagnostic::error(Code::BadDatePattern, item.path(), format!("date pattern \"{}\" cannot be used: {err}", shorten(&item.value)))
                    .at(item.pos)
                    .hint("use Java letters (yyyy MM dd HH hh mm ss a EEE MMM) or moment letters (YYYY DD A); quote literal text as 'text'; MM-dd-yyyy hh:mm a is used"),
            ),
        },
        Setting::SubjectTemplate => {
            if let Some(t) = text(item) {
                check_template(&t, item, diags);
                c.activity.subject_template = t;
            }
        }
        Setting::WriteCadFields => set_flag!(c.activity.write_cad_fields),
        Setting::SubjectEditable => set_flag!(c.activity.subject_editable),
        Setting::DisableActivity => {
            if let Some(b) = flag(item, diags) {
                c.activity.log_calls = !b;
            }
        }
        Setting::CaseInbound => set_flag!(c.case.create_for_inbound),
        Setting::CaseOutbound => set_flag!(c.case.create_for_outbound),
        Setting::CaseEditMode => set_flag!(c.case.open_in_edit_mode),
        Setting::CaseViewMode => set_flag!(c.case.open_in_view_mode),
        Setting::DialPrefixes => c.outdial.dial_prefixes = prefixes(item),
        Setting::UseAgentOutdialAni => set_flag!(c.outdial.use_agent_outdial_ani),
        Setting::SearchManualDials => set_flag!(c.outdial.search_manual_dials),
        Setting::OmniSync => set_flag!(c.omni.sync_enabled),
        // Empty status names are reported by the cross checks when sync is on.
        Setting::OmniStatusDuringCall => c.omni.status_during_call = item.value.clone(),
        Setting::OmniIdleCode => c.omni.idle_code_during_omni_work = item.value.clone(),
        Setting::Kept => {}
        Setting::NoMatchMappings
        | Setting::NoMatchConditionals
        | Setting::NoMatchMappingsV2
        | Setting::TaskMappings
        | Setting::TaskMappingsV2
        | Setting::CaseMappings
        | Setting::CaseConditionals
        | Setting::CaseMappingsV2 => {}
    }
}

fn check_adapter_url(c: &mut AdapterConfig, item: &RawItem, diags: &mut Vec<Diagnostic>) {
    let url = item.value.trim();
    let Some(rest) = url.strip_prefix("https://") else {
        let message = if url.starts_with("http://") {
            "the adapter URL must use https: Salesforce will not load an http softphone in Lightning".to_string()
        } else {
            format!("\"{}\" is not an https URL", shorten(url))
        };
        diags.push(
            Diagnostic::error(Code::AdapterUrl, item.path(), message)
                .at(item.pos)
                .hint("use the WxCC desktop of your data center, e.g. https://desktop.wxcc-us1.cisco.com/"),
        );
        return;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("").split(':').next().unwrap_or("").to_ascii_lowercase();
    if host.is_empty() {
        diags.push(
            Diagnostic::error(Code::AdapterUrl, item.path(), "the adapter URL has no host")
                .at(item.pos)
                .hint("e.g. https://desktop.wxcc-us1.cisco.com/"),
        );
        return;
    }
    c.general.adapter_url = url.to_string();
    let dc = host.strip_prefix("desktop.wxcc-").and_then(|h| h.strip_suffix(".cisco.com"));
    if !dc.is_some_and(|dc| KNOWN_DATA_CENTERS.contains(&dc)) {
        let suggestion = dc.and_then(|dc| did_you_mean(dc, KNOWN_DATA_CENTERS.iter().copied()));
        let hint = match suggestion {
            Some(s) => format!("did you mean https://desktop.wxcc-{s}.cisco.com/?"),
            None => format!(
                "the WxCC desktop is https://desktop.wxcc-<dc>.cisco.com/ with <dc> one of {}; ignore this if you host the desktop elsewhere",
                KNOWN_DATA_CENTERS.join(", ")
            ),
        };
        diags.push(
            Diagnostic::warning(
                Code::UnknownDataCenter,
                item.path(),
                format!("`{host}` is not the desktop of a known WxCC data center"),
            )
            .at(item.pos)
            .hint(hint),
        );
    }
}

fn check_template(template: &str, item: &RawItem, diags: &mut Vec<Diagnostic>) {
    let parsed = SubjectTemplate::parse(template);
    for variable in parsed.variables() {
        if BUILTIN_VARIABLES.contains(&variable) {
            continue;
        }
        match did_you_mean(variable, BUILTIN_VARIABLES.iter().copied()) {
            Some(builtin) => diags.push(
                Diagnostic::warning(
                    Code::UnknownTemplateVariable,
                    item.path(),
                    format!("`{{{variable}}}` is not a built-in variable"),
                )
                .at(item.pos)
                .hint(format!(
                    "did you mean `{{{builtin}}}`? As written it is read from a CAD variable named `{variable}`"
                )),
            ),
            None => diags.push(
                Diagnostic::info(
                    Code::UnknownTemplateVariable,
                    item.path(),
                    format!("`{{{variable}}}` will be filled from the CAD variable `{variable}`"),
                )
                .at(item.pos)
                .hint(format!(
                    "built-in variables are {}; a call without that CAD variable leaves it empty",
                    BUILTIN_VARIABLES.join(", ")
                )),
            ),
        }
    }
}

fn first_item<'a>(items: &[(Setting, &'a RawItem)], setting: Setting) -> Option<&'a RawItem> {
    items.iter().rev().find(|(s, _)| *s == setting).map(|(_, i)| *i)
}

fn cross_checks(
    c: &AdapterConfig,
    scalars: &[(Setting, &RawItem)],
    mapping_items: &[(Setting, &RawItem)],
    diags: &mut Vec<Diagnostic>,
) {
    let pos_of = |s: Setting| first_item(scalars, s).and_then(|i| i.pos);
    let path_of =
        |s: Setting, fallback: &str| first_item(scalars, s).map(RawItem::path).unwrap_or_else(|| fallback.to_string());

    if c.activity.open_task_at_connect && !c.activity.create_task_at_connect {
        diags.push(
            Diagnostic::warning(
                Code::PrerequisiteOff,
                path_of(
                    Setting::OpenTaskAtConnect,
                    "/reqActivityRecordConfig/activityRecordOpenedInEditmodeConnectedState",
                ),
                "the Task is opened at connect, but it is only created at wrap-up",
            )
            .at(pos_of(Setting::OpenTaskAtConnect))
            .hint("also set isActivityRecordCreationAtConnected to true, or nothing opens at connect"),
        );
    }
    if c.activity.transfer_task_ownership && !c.activity.create_task_at_connect {
        diags.push(
            Diagnostic::warning(
                Code::PrerequisiteOff,
                path_of(
                    Setting::TransferTaskOwnership,
                    "/reqActivityRecordConfig/isActivityRecordOwnershiptobeChangedForTransferredCalls",
                ),
                "ownership change on transfer needs the Task to be created at connect",
            )
            .at(pos_of(Setting::TransferTaskOwnership))
            .hint(
                "set isActivityRecordCreationAtConnected to true; otherwise the first agent has no Task to hand over",
            ),
        );
    }
    if c.general.standby_url.is_some() != c.general.timeout_ms.is_some() {
        let (present, missing) = if c.general.standby_url.is_some() {
            (Setting::StandbyUrl, "reqTimeout")
        } else {
            (Setting::Timeout, "reqStandbyUrl")
        };
        diags.push(
            Diagnostic::error(
                Code::StandbyWithoutTimeout,
                path_of(present, "/reqGeneralInfo"),
                format!("reqStandbyUrl and reqTimeout go together, but `{missing}` is missing"),
            )
            .at(pos_of(present))
            .hint("Salesforce rejects the definition unless both are given (or neither)"),
        );
    }
    if c.case.open_in_edit_mode && c.case.open_in_view_mode {
        diags.push(
            Diagnostic::warning(
                Code::ConflictingFlags,
                path_of(Setting::CaseViewMode, "/reqSFDCCaseConfig/isOpenCaseObjectAlwaysInViewMode"),
                "the Case is set to open both in edit mode and in view mode",
            )
            .at(pos_of(Setting::CaseViewMode))
            .hint("edit mode is used; turn one of them off"),
        );
    }
    if c.omni.sync_enabled {
        for (setting, value, what) in [
            (
                Setting::OmniStatusDuringCall,
                &c.omni.status_during_call,
                "the Omni-Channel status to set during a voice call",
            ),
            (
                Setting::OmniIdleCode,
                &c.omni.idle_code_during_omni_work,
                "the WxCC idle code to set during Omni-Channel work",
            ),
        ] {
            if value.trim().is_empty() {
                diags.push(
                    Diagnostic::error(Code::OmniStatusMissing, path_of(setting, "/reqOmniStateSyncConfig"), format!("Omni-Channel sync is on but {what} is empty"))
                        .at(pos_of(setting).or(pos_of(Setting::OmniSync)))
                        .hint("give the status or idle code name exactly as it is labelled; sync of that direction is off until then"),
                );
            }
        }
    }
    // Conditional mappings need a conditional table with a rule for their variable.
    for (mapping_setting, rules, table_name) in [
        (Setting::NoMatchMappings, &c.no_match.conditional_rules, "sfdcObjectFieldConditionalMappings"),
        (Setting::CaseMappings, &c.case.conditional_rules, "sfdcCaseFieldConditionalMappings"),
        (Setting::TaskMappings, &Vec::new(), "(none: Task mappings have no conditional table)"),
    ] {
        let mappings = match mapping_setting {
            Setting::NoMatchMappings => &c.no_match.field_mappings,
            Setting::CaseMappings => &c.case.field_mappings,
            _ => &c.activity.field_mappings,
        };
        for m in mappings {
            if let ValueSource::Conditional { name, default } = &m.source {
                if !rules.iter().any(|r| r.variable.eq_ignore_ascii_case(name)) {
                    // The item that names the field; the JSON may spell it with escapes, so fall
                    // back to the setting's first item rather than to no path at all.
                    let of_setting = || mapping_items.iter().filter(|(s, _)| *s == mapping_setting);
                    let item = of_setting()
                        .find(|(_, i)| i.value.contains(m.field.as_str()))
                        .or_else(|| of_setting().next())
                        .map(|(_, i)| *i);
                    let fallback =
                        if default.is_some() { "its default value is used" } else { "the field is left out" };
                    diags.push(
                        Diagnostic::error(Code::ConditionalWithoutTable, item.map(RawItem::path).unwrap_or_default(), format!("`{}` is conditional on `{name}`, but no conditional rule names `{name}`", m.field))
                            .at(item.and_then(|i| i.value_pos.or(i.pos)))
                            .hint(format!("add rules to {table_name}, e.g. {{\"wxccFieldName\":\"{name}\",\"wxccFieldValue\":\"*\",\"sfdcFieldValue\":\"…\"}}; until then {fallback}")),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::from_settings;
    use super::*;

    #[test]
    fn conditional_without_table_has_the_item_path_when_the_field_is_escaped() {
        // The field `Pri"ority` is written `Pri\"ority` in the JSON, so the value does not
        // contain it as such.
        let loaded = from_settings([(
            "/reqSFDCCaseConfig/sfdcCaseFieldCadVariableMappings1",
            r#"[{"wxccFieldName":"queueName","sfdcFieldName":"Pri\"ority","isConditionalEnabled":"true"}]"#,
        )]);
        let d = loaded.diagnostics.iter().find(|d| d.code == Code::ConditionalWithoutTable);
        assert_eq!(d.map(|d| d.path.as_str()), Some("/reqSFDCCaseConfig/sfdcCaseFieldCadVariableMappings1"));
    }
}
