//! `FakeOrg`: an in-memory Salesforce that answers Open CTI calls in wire form, used natively by
//! the scenario replay runner and, compiled to wasm, by the simulated Lightning console. It owns
//! records (keyed by deterministic Ids), the phone/text search of SPEC §8 (see `search`), `saveLog`,
//! the Apex methods we ship, per-user Omni presence, injected failures and call counts. It must
//! stay pure and deterministic: no browser, no clock, no randomness, ordered maps only — the same
//! scenario gives the same Ids and the same output every run. It speaks JSON only, so it does not
//! depend on the adapter's own Open CTI types.

mod apex;
mod clock;
pub mod preview;
pub mod replay;
mod search;

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, VecDeque};

/// Objects searched by `searchAndScreenPop` unless [`FakeOrg::set_searchable_objects`] says
/// otherwise (the default softphone layout).
const DEFAULT_SEARCHABLE: &[&str] = &["Contact", "Account", "Lead", "Case"];

/// Standard objects whose API-name casing is normalised on create.
const STANDARD_OBJECTS: &[&str] = &["Account", "Case", "Contact", "Event", "Lead", "Opportunity", "Task", "User"];

/// Open CTI methods that only act on the console UI: success with a null `returnValue`.
const UI_METHODS: &[&str] = &[
    "refreshView",
    "enableClickToDial",
    "disableClickToDial",
    "notifyInitializationComplete",
    "publish",
    "subscribe",
    "unsubscribe",
    "getAppViewInfo",
    "getSoftphoneLayout",
    "isSoftphonePanelVisible",
    "setSoftphonePanelVisibility",
    "setSoftphonePanelHeight",
    "setSoftphonePanelWidth",
    "setSoftphoneItemLabel",
    "setSoftphonePanelLabel",
    "setSoftphoneItemIcon",
    "setSoftphonePanelIcon",
    "onClickToDial",
    "onNavigationChange",
    "hvs.onWorkStart",
    "hvs.completeWork",
];

/// Lengths Salesforce enforces on the standard fields the adapter writes (a longer value makes
/// the whole `saveLog` fail with `STRING_TOO_LONG`).
const FIELD_LENGTHS: &[(&str, &str, usize)] = &[
    ("Task", "Subject", 255),
    ("Task", "CallDisposition", 255),
    ("Task", "CallObject", 255),
    ("Task", "Description", 32_000),
    ("Case", "Subject", 255),
    ("Case", "Description", 32_000),
];

/// Refuses a value longer than its field takes, as Salesforce does.
fn check_lengths(sobject: &str, changes: &[(String, Value)]) -> Result<(), CtiError> {
    for (name, value) in changes {
        let Some(text) = value.as_str() else { continue };
        let limit =
            FIELD_LENGTHS.iter().find(|(o, f, _)| *o == sobject && f.eq_ignore_ascii_case(name)).map(|(_, _, n)| *n);
        if let Some(limit) = limit.filter(|l| text.encode_utf16().count() > *l) {
            return Err(CtiError {
                code: "STRING_TOO_LONG".into(),
                description: format!("{name}: data value too large (max length={limit})"),
            });
        }
    }
    Ok(())
}

/// `sforce.opencti.SCREENPOP_TYPE` values.
const SCREEN_POP_TYPES: &[&str] = &["url", "sobject", "objecthome", "list", "search", "newRecord", "flow"];

/// Case numbers start after this one (`00001001` is the first).
const FIRST_CASE_NUMBER: u64 = 1000;

/// A problem in the scenario's `org` object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    #[error("org must be a JSON object (or null), found {found}")]
    NotAnObject { found: String },
    #[error("org: unknown key `{key}` (expected records, users, omniStatuses, omniPresence, searchableObjects)")]
    UnknownKey { key: String },
    #[error("org.{key} must be {expected}")]
    WrongShape { key: String, expected: &'static str },
    #[error("org.records[{index}]: {problem}")]
    BadRecord { index: usize, problem: String },
    #[error("org.records: duplicate Id `{id}`")]
    DuplicateId { id: String },
    #[error("org.omniStatuses[{index}] needs string `Id` and `MasterLabel`")]
    BadOmniStatus { index: usize },
}

/// An Open CTI error answer (`errors[0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct CtiError {
    code: String,
    description: String,
}

impl CtiError {
    fn invalid_param(description: impl Into<String>) -> Self {
        CtiError { code: "INVALID_PARAM".to_owned(), description: description.into() }
    }
    fn generic(description: impl Into<String>) -> Self {
        CtiError { code: "GENERIC_ERROR".to_owned(), description: description.into() }
    }
}

fn success(return_value: Value) -> Value {
    json!({"success": true, "returnValue": return_value, "errors": Value::Null})
}

fn failure(error: CtiError) -> Value {
    json!({
        "success": false,
        "returnValue": Value::Null,
        "errors": [{"code": error.code, "description": error.description}],
    })
}

/// A stored record: its sobject type and its fields (always a JSON object holding `Id`).
#[derive(Debug, Clone, PartialEq)]
struct Record {
    sobject: String,
    fields: Value,
}

impl Record {
    fn fields(&self) -> Option<&Map<String, Value>> {
        self.fields.as_object()
    }
}

/// Pending injected failures of one method: `remaining` more calls fail with `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct InjectedFailure {
    code: String,
    remaining: u32,
}

/// An in-memory Salesforce org answering Open CTI calls (see the module doc).
#[derive(Debug, Clone)]
pub struct FakeOrg {
    records: BTreeMap<String, Record>,
    users: BTreeMap<String, String>,
    omni_statuses: Vec<Value>,
    omni_presence: BTreeMap<String, String>,
    searchable: Vec<String>,
    call_center_settings: Value,
    id_counters: BTreeMap<&'static str, u64>,
    last_case_number: u64,
    failures: BTreeMap<String, VecDeque<InjectedFailure>>,
    calls_by_method: BTreeMap<String, u64>,
    calls_total: u64,
    screen_pops: Vec<Value>,
    save_log_returns_object: bool,
}

impl Default for FakeOrg {
    fn default() -> Self {
        FakeOrg {
            records: BTreeMap::new(),
            users: BTreeMap::new(),
            omni_statuses: Vec::new(),
            omni_presence: BTreeMap::new(),
            searchable: DEFAULT_SEARCHABLE.iter().map(|s| (*s).to_owned()).collect(),
            call_center_settings: Value::Object(Map::new()),
            id_counters: BTreeMap::new(),
            last_case_number: FIRST_CASE_NUMBER,
            failures: BTreeMap::new(),
            calls_by_method: BTreeMap::new(),
            calls_total: 0,
            screen_pops: Vec::new(),
            save_log_returns_object: false,
        }
    }
}

/// The 3-character key prefix Salesforce uses for an object (custom objects share `a0X`).
fn id_prefix(sobject: &str) -> &'static str {
    match sobject.to_ascii_lowercase().as_str() {
        "task" => "00T",
        "case" => "500",
        "contact" => "003",
        "lead" => "00Q",
        "account" => "001",
        _ => "a0X",
    }
}

/// An API name as Salesforce accepts it: ASCII letters, digits and `_`, starting with a letter.
fn is_api_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The canonical spelling of a standard object name, or the name as given.
fn canonical_sobject(name: &str) -> String {
    STANDARD_OBJECTS.iter().find(|s| s.eq_ignore_ascii_case(name)).map_or_else(|| name.to_owned(), |s| (*s).to_owned())
}

/// The key of the `Id` field in a value object (field names are case-insensitive in Salesforce).
fn id_key(fields: &Map<String, Value>) -> Option<&String> {
    fields.keys().find(|k| k.eq_ignore_ascii_case("Id"))
}

fn is_case(sobject: &str) -> bool {
    sobject.eq_ignore_ascii_case("Case")
}

fn is_read_only(sobject: &str, field: &str) -> bool {
    is_case(sobject) && field.eq_ignore_ascii_case("CaseNumber")
}

fn str_arg<'a>(args: &'a Value, name: &str) -> Result<&'a str, CtiError> {
    args.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| CtiError::invalid_param(format!("`{name}` must be a non-empty string")))
}

impl FakeOrg {
    /// Builds an org from the scenario's `org` object (SPEC §8):
    /// `{"records": [{"type", "Id"?, …fields}], "users": {agent: userId},
    /// "omniStatuses": [{"Id", "MasterLabel"}], "omniPresence": {userId: statusId}?,
    /// "searchableObjects": [..]?}`. `null` gives an empty org.
    ///
    /// Records without an `Id` get deterministic ones in the order given, after every explicit
    /// Id is known (so they never collide); Cases without a `CaseNumber` get the next number.
    pub fn from_json(org: &Value) -> Result<FakeOrg, SimError> {
        let mut fake = FakeOrg::default();
        let obj = match org {
            Value::Null => return Ok(fake),
            Value::Object(obj) => obj,
            other => return Err(SimError::NotAnObject { found: json_kind(other).to_owned() }),
        };
        for key in obj.keys() {
            if !["records", "users", "omniStatuses", "omniPresence", "searchableObjects"].contains(&key.as_str()) {
                return Err(SimError::UnknownKey { key: key.clone() });
            }
        }
        fake.users = string_map(obj.get("users"), "users")?;
        fake.omni_presence = string_map(obj.get("omniPresence"), "omniPresence")?;
        fake.omni_statuses = omni_statuses(obj.get("omniStatuses"))?;
        if let Some(list) = obj.get("searchableObjects") {
            let wrong = || SimError::WrongShape {
                key: "searchableObjects".to_owned(),
                expected: "an array of object API names",
            };
            let names = list.as_array().ok_or_else(wrong)?;
            let names: Option<Vec<&str>> = names.iter().map(Value::as_str).collect();
            fake.set_searchable_objects(names.ok_or_else(wrong)?);
        }
        let records = match obj.get("records") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => {
                list.iter().enumerate().map(|(index, r)| parse_seed_record(index, r)).collect::<Result<Vec<_>, _>>()?
            }
            Some(_) => return Err(SimError::WrongShape { key: "records".to_owned(), expected: "an array of records" }),
        };
        // Explicit Ids and case numbers first, so generated ones skip them.
        for (_, sobject, fields) in &records {
            fake.note_case_number(sobject, fields);
            if let Some(id) = fields.get("Id").and_then(Value::as_str) {
                if fake.records.contains_key(id) {
                    return Err(SimError::DuplicateId { id: id.to_owned() });
                }
                fake.records
                    .insert(id.to_owned(), Record { sobject: sobject.clone(), fields: Value::Object(fields.clone()) });
            }
        }
        for (_, sobject, mut fields) in records {
            let id = match fields.get("Id").and_then(Value::as_str) {
                Some(id) => id.to_owned(),
                None => {
                    let id = fake.new_id(&sobject);
                    fields.insert("Id".to_owned(), Value::String(id.clone()));
                    id
                }
            };
            if is_case(&sobject) && !fields.contains_key("CaseNumber") {
                let number = fake.new_case_number();
                fields.insert("CaseNumber".to_owned(), Value::String(number));
            }
            fake.records.insert(id, Record { sobject, fields: Value::Object(fields) });
        }
        Ok(fake)
    }

    /// Answers one Open CTI call as the console would: the `response` object
    /// `{"success", "returnValue", "errors"}`. `user` is the calling agent's Salesforce user Id.
    /// Every call is counted, including failed ones; an injected failure changes nothing else.
    pub fn call(&mut self, user: &str, method: &str, args: &Value) -> Value {
        self.calls_total = self.calls_total.saturating_add(1);
        let count = self.calls_by_method.entry(method.to_owned()).or_insert(0);
        *count = count.saturating_add(1);
        if let Some(code) = self.take_failure(method) {
            return failure(CtiError { code, description: format!("injected failure of {method}") });
        }
        let result = match method {
            "saveLog" => self.save_log(user, args),
            "searchAndScreenPop" => self.search_and_screen_pop(user, args),
            "runApex" => self.run_apex(user, args),
            "screenPop" => self.screen_pop(user, args),
            "getCallCenterSettings" => Ok(self.call_center_settings.clone()),
            m if UI_METHODS.contains(&m) => Ok(Value::Null),
            _ => Err(CtiError::invalid_param(format!("unknown Open CTI method `{method}`"))),
        };
        match result {
            Ok(value) => success(value),
            Err(error) => failure(error),
        }
    }

    // ---- configuration -------------------------------------------------------------------

    /// Limits `searchAndScreenPop` to these objects (the softphone layout's search objects).
    pub fn set_searchable_objects<I, S>(&mut self, objects: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.searchable = objects.into_iter().map(|s| canonical_sobject(s.as_ref())).collect();
    }

    pub fn searchable_objects(&self) -> &[String] {
        &self.searchable
    }

    /// The flat `/section/item` map `getCallCenterSettings` returns (default: `{}`).
    pub fn set_call_center_settings(&mut self, settings: Value) {
        self.call_center_settings = settings;
    }

    /// When on, `saveLog` answers `{"recordId": id}` instead of the bare Id string, so the
    /// adapter's parser can be tested against both shapes seen from real consoles.
    pub fn set_save_log_returns_object(&mut self, on: bool) {
        self.save_log_returns_object = on;
    }

    /// The next `times` calls of `method` fail with `code` and change nothing. Calls queue up:
    /// a second `fail_next` on the same method applies after the first is used up.
    pub fn fail_next(&mut self, method: &str, times: u32, code: &str) {
        if times == 0 {
            return;
        }
        let code = if code.trim().is_empty() { "GENERIC_ERROR" } else { code };
        self.failures
            .entry(method.to_owned())
            .or_default()
            .push_back(InjectedFailure { code: code.to_owned(), remaining: times });
    }

    /// How many injected failures are still waiting, over all methods.
    pub fn pending_failures(&self) -> u64 {
        self.failures.values().flatten().map(|f| u64::from(f.remaining)).sum()
    }

    fn take_failure(&mut self, method: &str) -> Option<String> {
        let queue = self.failures.get_mut(method)?;
        let front = queue.front_mut()?;
        let code = front.code.clone();
        front.remaining = front.remaining.saturating_sub(1);
        if front.remaining == 0 {
            queue.pop_front();
        }
        if queue.is_empty() {
            self.failures.remove(method);
        }
        Some(code)
    }

    // ---- users and Omni presence ---------------------------------------------------------

    /// The Salesforce user Id of a scenario agent (`org.users`).
    pub fn user_id(&self, agent: &str) -> Option<&str> {
        self.users.get(agent).map(String::as_str)
    }

    pub fn users(&self) -> &BTreeMap<String, String> {
        &self.users
    }

    /// The Omni-Channel statuses `[{"Id", "MasterLabel"}]`.
    pub fn omni_statuses(&self) -> &[Value] {
        &self.omni_statuses
    }

    /// The `MasterLabel` of an Omni status Id.
    pub fn omni_status_label(&self, status_id: &str) -> Option<&str> {
        self.omni_statuses
            .iter()
            .find(|s| s.get("Id").and_then(Value::as_str) == Some(status_id))
            .and_then(|s| s.get("MasterLabel"))
            .and_then(Value::as_str)
    }

    /// The Omni status Id a user is in (none until set).
    pub fn omni_status(&self, user: &str) -> Option<String> {
        self.omni_presence.get(user).cloned()
    }

    pub fn set_omni_status(&mut self, user: &str, status_id: &str) {
        self.omni_presence.insert(user.to_owned(), status_id.to_owned());
    }

    // ---- records -------------------------------------------------------------------------

    /// Adds a record directly (not through Open CTI, not counted): `fields` is an object,
    /// with or without `Id`. Returns the record Id.
    pub fn insert_record(&mut self, sobject: &str, fields: Value) -> Result<String, SimError> {
        let mut seed = match fields {
            Value::Object(map) => map,
            other => {
                return Err(SimError::BadRecord {
                    index: 0,
                    problem: format!("fields must be an object, found {}", json_kind(&other)),
                })
            }
        };
        seed.insert("type".to_owned(), Value::String(sobject.to_owned()));
        let (_, sobject, mut fields) = parse_seed_record(0, &Value::Object(seed))?;
        let id = match fields.get("Id").and_then(Value::as_str) {
            Some(id) if self.records.contains_key(id) => return Err(SimError::DuplicateId { id: id.to_owned() }),
            Some(id) => id.to_owned(),
            None => {
                let id = self.new_id(&sobject);
                fields.insert("Id".to_owned(), Value::String(id.clone()));
                id
            }
        };
        self.note_case_number(&sobject, &fields);
        if is_case(&sobject) && !fields.contains_key("CaseNumber") {
            let number = self.new_case_number();
            fields.insert("CaseNumber".to_owned(), Value::String(number));
        }
        self.records.insert(id.clone(), Record { sobject, fields: Value::Object(fields) });
        Ok(id)
    }

    /// One record's fields (with `Id`), by its full Id or its 15-character form.
    pub fn record(&self, id: &str) -> Option<&Value> {
        self.resolve_id(id).and_then(|id| self.records.get(id)).map(|r| &r.fields)
    }

    /// The sobject type of a record.
    pub fn record_type(&self, id: &str) -> Option<&str> {
        self.resolve_id(id).and_then(|id| self.records.get(id)).map(|r| r.sobject.as_str())
    }

    /// All records of one type (case-insensitive API name), sorted by Id.
    pub fn records_of(&self, sobject: &str) -> Vec<&Value> {
        self.records.values().filter(|r| r.sobject.eq_ignore_ascii_case(sobject)).map(|r| &r.fields).collect()
    }

    pub fn tasks(&self) -> Vec<&Value> {
        self.records_of("Task")
    }

    pub fn cases(&self) -> Vec<&Value> {
        self.records_of("Case")
    }

    /// Every record grouped by type, as the replay output's `org`:
    /// `{"Case": [...], "Contact": [...], "Task": [...]}` (types and records sorted).
    pub fn to_json(&self) -> Value {
        let mut by_type: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
        for record in self.records.values() {
            by_type.entry(record.sobject.as_str()).or_default().push(record.fields.clone());
        }
        let map: Map<String, Value> = by_type.into_iter().map(|(k, v)| (k.to_owned(), Value::Array(v))).collect();
        Value::Object(map)
    }

    /// The whole org in the shape [`FakeOrg::from_json`] reads, so a simulator can save and
    /// restore it (calls, failures and screen pops are not part of it).
    pub fn snapshot(&self) -> Value {
        let records: Vec<Value> = self
            .records
            .values()
            .map(|r| {
                let mut fields = r.fields().cloned().unwrap_or_default();
                fields.insert("type".to_owned(), Value::String(r.sobject.clone()));
                Value::Object(fields)
            })
            .collect();
        json!({
            "records": records,
            "users": self.users,
            "omniStatuses": self.omni_statuses,
            "omniPresence": self.omni_presence,
            "searchableObjects": self.searchable,
        })
    }

    // ---- counters and console effects ----------------------------------------------------

    /// Open CTI calls answered so far (all methods, failed ones included).
    pub fn calls_made(&self) -> u64 {
        self.calls_total
    }

    /// Open CTI calls of one method answered so far.
    pub fn calls_made_of(&self, method: &str) -> u64 {
        self.calls_by_method.get(method).copied().unwrap_or(0)
    }

    pub fn calls_by_method(&self) -> &BTreeMap<String, u64> {
        &self.calls_by_method
    }

    /// Where the console navigated, in order: `{"user", "type", "params"}` for every successful
    /// `screenPop` and every pop a non-deferred `searchAndScreenPop` made.
    pub fn screen_pops(&self) -> &[Value] {
        &self.screen_pops
    }

    // ---- Open CTI methods ----------------------------------------------------------------

    fn save_log(&mut self, user: &str, args: &Value) -> Result<Value, CtiError> {
        let value = args
            .get("value")
            .or_else(|| args.get("object"))
            .and_then(Value::as_object)
            .ok_or_else(|| CtiError::invalid_param("saveLog needs an object `value`"))?;
        let entity = match value.get("entityApiName") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if is_api_name(s) => Some(s.as_str()),
            Some(_) => return Err(CtiError::invalid_param("`entityApiName` must be an object API name")),
        };
        let id = match id_key(value).and_then(|k| value.get(k)) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.as_str()),
            Some(_) => return Err(CtiError::invalid_param("`Id` must be a non-empty string")),
        };
        let mut changes = Vec::new();
        for (name, field_value) in value {
            if name == "entityApiName" || name.eq_ignore_ascii_case("Id") {
                continue;
            }
            if !is_api_name(name) {
                return Err(CtiError::invalid_param(format!("`{name}` is not a field API name")));
            }
            if field_value.is_object() || field_value.is_array() {
                return Err(CtiError::invalid_param(format!(
                    "field `{name}` must be a string, number, boolean or null"
                )));
            }
            changes.push((name.clone(), field_value.clone()));
        }
        let id = match id {
            Some(id) => self.update_record(id, entity, changes)?,
            None => {
                let entity =
                    entity.ok_or_else(|| CtiError::invalid_param("saveLog without `Id` needs `entityApiName`"))?;
                self.create_record(user, entity, changes)?
            }
        };
        Ok(if self.save_log_returns_object { json!({ "recordId": id }) } else { Value::String(id) })
    }

    fn create_record(&mut self, user: &str, entity: &str, changes: Vec<(String, Value)>) -> Result<String, CtiError> {
        let sobject = canonical_sobject(entity);
        check_lengths(&sobject, &changes)?;
        if let Some((name, _)) = changes.iter().find(|(n, _)| is_read_only(&sobject, n)) {
            return Err(CtiError::generic(format!(
                "Unable to create/update fields: {name}. Please check the security settings of this field."
            )));
        }
        let mut fields = Map::new();
        match sobject.as_str() {
            "Task" => {
                fields.insert("Status".to_owned(), json!("Not Started"));
                fields.insert("Priority".to_owned(), json!("Normal"));
            }
            "Case" => {
                fields.insert("Status".to_owned(), json!("New"));
            }
            _ => {}
        }
        if !user.is_empty() {
            fields.insert("OwnerId".to_owned(), Value::String(user.to_owned()));
        }
        for (name, value) in changes {
            if !value.is_null() {
                fields.insert(name, value);
            }
        }
        let id = self.new_id(&sobject);
        fields.insert("Id".to_owned(), Value::String(id.clone()));
        if is_case(&sobject) {
            let number = self.new_case_number();
            fields.insert("CaseNumber".to_owned(), Value::String(number));
        }
        self.records.insert(id.clone(), Record { sobject, fields: Value::Object(fields) });
        Ok(id)
    }

    fn update_record(
        &mut self,
        id: &str,
        entity: Option<&str>,
        changes: Vec<(String, Value)>,
    ) -> Result<String, CtiError> {
        let full_id = self
            .resolve_id(id)
            .map(str::to_owned)
            .ok_or_else(|| CtiError::generic(format!("entity is deleted or does not exist: {id}")))?;
        let record =
            self.records.get_mut(&full_id).ok_or_else(|| CtiError::generic(format!("entity does not exist: {id}")))?;
        if let Some(entity) = entity {
            if !entity.eq_ignore_ascii_case(&record.sobject) {
                return Err(CtiError::invalid_param(format!("record {id} is a {}, not a {entity}", record.sobject)));
            }
        }
        if let Some((name, _)) = changes.iter().find(|(n, _)| is_read_only(&record.sobject, n)) {
            return Err(CtiError::generic(format!(
                "Unable to create/update fields: {name}. Please check the security settings of this field."
            )));
        }
        check_lengths(&record.sobject, &changes)?;
        let fields =
            record.fields.as_object_mut().ok_or_else(|| CtiError::generic(format!("record {id} is corrupt")))?;
        for (name, value) in changes {
            if value.is_null() {
                fields.remove(&name);
            } else {
                fields.insert(name, value);
            }
        }
        Ok(full_id)
    }

    fn search_and_screen_pop(&mut self, user: &str, args: &Value) -> Result<Value, CtiError> {
        let search = match args.get("searchParams") {
            Some(Value::String(s)) => s.as_str(),
            _ => return Err(CtiError::invalid_param("searchAndScreenPop needs a string `searchParams`")),
        };
        match args.get("callType") {
            None | Some(Value::Null) => {}
            Some(Value::String(t)) if ["inbound", "outbound", "internal"].iter().any(|c| c.eq_ignore_ascii_case(t)) => {
            }
            Some(_) => return Err(CtiError::invalid_param("`callType` must be inbound, outbound or internal")),
        }
        let deferred = match args.get("deferred") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(CtiError::invalid_param("`deferred` must be a boolean")),
        };
        let query = search::Query::parse(search);
        let mut found = Map::new();
        for (id, record) in &self.records {
            if !self.searchable.iter().any(|s| s.eq_ignore_ascii_case(&record.sobject)) {
                continue;
            }
            let Some(fields) = record.fields() else {
                continue;
            };
            if query.matches(&record.sobject, fields) {
                let mut entry = fields.clone();
                entry.insert("Id".to_owned(), Value::String(id.clone()));
                entry.insert("Name".to_owned(), Value::String(search::display_name(&record.sobject, fields)));
                entry.insert("RecordType".to_owned(), Value::String(record.sobject.clone()));
                found.insert(id.clone(), Value::Object(entry));
            }
        }
        // What the console pops for this result with the default softphone layout
        // (one match: the record; several: the search page; none: nothing).
        let pop = match found.len() {
            0 => None,
            1 => found.keys().next().map(|id| json!({"type": "sobject", "params": {"recordId": id}})),
            _ => Some(json!({"type": "search", "params": {"searchString": search}})),
        };
        if let Some(pop) = pop {
            if deferred {
                found.insert("SCREEN_POP_DATA".to_owned(), pop);
            } else {
                self.record_pop(user, &pop);
            }
        }
        Ok(Value::Object(found))
    }

    fn screen_pop(&mut self, user: &str, args: &Value) -> Result<Value, CtiError> {
        let pop_type = str_arg(args, "type")?;
        if !SCREEN_POP_TYPES.contains(&pop_type) {
            return Err(CtiError::invalid_param(format!("`type` must be one of {}", SCREEN_POP_TYPES.join(", "))));
        }
        let params = args.get("params").cloned().unwrap_or(Value::Null);
        self.record_pop(user, &json!({"type": pop_type, "params": params}));
        Ok(Value::Null)
    }

    fn record_pop(&mut self, user: &str, pop: &Value) {
        self.screen_pops.push(json!({
            "user": user,
            "type": pop.get("type").cloned().unwrap_or(Value::Null),
            "params": pop.get("params").cloned().unwrap_or(Value::Null),
        }));
    }

    fn run_apex(&self, user: &str, args: &Value) -> Result<Value, CtiError> {
        let class = str_arg(args, "apexClass")?;
        let method = str_arg(args, "methodName")?;
        let params = apex::parse_method_params(args.get("methodParams"));
        let is = |c: &str, m: &str| class.eq_ignore_ascii_case(c) && method.eq_ignore_ascii_case(m);
        let answer = if is("sfdcOmniChannel", "fetchOmniPresenceStatusCodes") {
            Value::Array(self.omni_statuses.clone()).to_string()
        } else if is("WxccCtiService", "currentUserId") {
            user.to_owned()
        } else if is("WxccCtiService", "findTaskByCallObject") {
            let owner = apex::param(&params, "ownerId").filter(|v| !v.is_empty());
            let fields: Vec<&str> = apex::param(&params, "fields")
                .map(|f| f.split(',').map(str::trim).filter(|f| !f.is_empty()).collect())
                .unwrap_or_default();
            apex::param(&params, "callObject")
                .filter(|v| !v.is_empty())
                .and_then(|v| self.find_task_by_call_object(v, owner))
                .map(|task| apex::task_summary(task, &fields))
                .unwrap_or_default()
        } else {
            return Err(CtiError::generic(format!("No such Apex method: {class}.{method}")));
        };
        Ok(json!({ "runApex": answer }))
    }

    /// The first Task (by Id) with this `CallObject`, owned by `owner` when one is given.
    fn find_task_by_call_object(&self, call_object: &str, owner: Option<&str>) -> Option<&Map<String, Value>> {
        self.records
            .values()
            .filter(|r| r.sobject == "Task")
            .filter_map(Record::fields)
            .filter(|f| owner.is_none_or(|o| f.get("OwnerId").and_then(Value::as_str) == Some(o)))
            .find(|f| f.get("CallObject").and_then(Value::as_str) == Some(call_object))
    }

    // ---- Ids -----------------------------------------------------------------------------

    /// The stored Id for `id`: itself, or the 18-character Id whose first 15 characters it is.
    fn resolve_id<'a>(&'a self, id: &'a str) -> Option<&'a str> {
        if let Some((key, _)) = self.records.get_key_value(id) {
            return Some(key.as_str());
        }
        if id.chars().count() != 15 {
            return None;
        }
        self.records
            .range::<str, _>((std::ops::Bound::Included(id), std::ops::Bound::Unbounded))
            .next()
            .map(|(key, _)| key.as_str())
            .filter(|key| key.len() == 18 && key.starts_with(id))
    }

    /// The next deterministic Id for an object: prefix, 12-digit counter, and the checksum
    /// suffix Salesforce gives 18-character Ids.
    fn new_id(&mut self, sobject: &str) -> String {
        let prefix = id_prefix(sobject);
        let counter = self.id_counters.entry(prefix).or_insert(0);
        loop {
            *counter = counter.saturating_add(1);
            let id15 = format!("{prefix}{:012}", *counter);
            let id = format!("{id15}{}", crate::salesforce::id_suffix(&id15).unwrap_or_else(|| "AAA".into()));
            if !self.records.contains_key(&id) || *counter == u64::MAX {
                return id;
            }
        }
    }

    fn new_case_number(&mut self) -> String {
        self.last_case_number = self.last_case_number.saturating_add(1);
        format!("{:08}", self.last_case_number)
    }

    /// Keeps generated case numbers above any numeric `CaseNumber` already in the org.
    fn note_case_number(&mut self, sobject: &str, fields: &Map<String, Value>) {
        if !is_case(sobject) {
            return;
        }
        let number = fields.get("CaseNumber").and_then(Value::as_str).and_then(|s| s.trim().parse::<u64>().ok());
        if let Some(n) = number {
            self.last_case_number = self.last_case_number.max(n);
        }
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A seed record: `(index, sobject, fields without "type")`, checked.
fn parse_seed_record(index: usize, value: &Value) -> Result<(usize, String, Map<String, Value>), SimError> {
    let bad = |problem: String| SimError::BadRecord { index, problem };
    let mut fields =
        value.as_object().cloned().ok_or_else(|| bad(format!("must be an object, found {}", json_kind(value))))?;
    let sobject = match fields.remove("type") {
        Some(Value::String(t)) if is_api_name(&t) => canonical_sobject(&t),
        Some(_) => return Err(bad("`type` must be an object API name".to_owned())),
        None => return Err(bad("missing `type` (the sobject, e.g. \"Contact\")".to_owned())),
    };
    if let Some(key) = id_key(&fields).cloned() {
        match fields.remove(&key) {
            Some(Value::String(id)) if !id.trim().is_empty() => {
                fields.insert("Id".to_owned(), Value::String(id));
            }
            Some(Value::Null) | None => {}
            Some(_) => return Err(bad("`Id` must be a non-empty string".to_owned())),
        }
    }
    Ok((index, sobject, fields))
}

fn string_map(value: Option<&Value>, key: &str) -> Result<BTreeMap<String, String>, SimError> {
    let wrong = || SimError::WrongShape { key: key.to_owned(), expected: "an object of strings" };
    match value {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => {
            map.iter().map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())).ok_or_else(wrong)).collect()
        }
        Some(_) => Err(wrong()),
    }
}

fn omni_statuses(value: Option<&Value>) -> Result<Vec<Value>, SimError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(index, status)| {
                let ok = status.get("Id").is_some_and(Value::is_string)
                    && status.get("MasterLabel").is_some_and(Value::is_string);
                if ok {
                    Ok(status.clone())
                } else {
                    Err(SimError::BadOmniStatus { index })
                }
            })
            .collect(),
        Some(_) => {
            Err(SimError::WrongShape { key: "omniStatuses".to_owned(), expected: "an array of {Id, MasterLabel}" })
        }
    }
}

#[cfg(test)]
mod tests;
