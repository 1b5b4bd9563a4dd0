//! Generated input for the engine itself (issue 3): thousands of seeded random sequences of
//! every kind of input, fed straight to [`Engine::handle`], with the answers to its own calls
//! made up at random too.
//!
//! Inputs: contact events by known and unknown names with well-formed, partial and malformed
//! payloads (wrong types, no interaction, huge strings, deep nesting, unicode, SOSL syntax in
//! numbers and CAD values); Salesforce answers to the calls the engine made (success with
//! random return values, the four Open CTI error codes, garbage), answers to calls nobody made,
//! desktop answers, timer ticks with time jumping forwards and backwards, click-to-dial and
//! navigation payloads, notes, Omni-Channel messages, agent states, panel buttons, and restores
//! from the last persisted snapshot or from garbage; each sequence with a random configuration.
//!
//! After every input:
//! - nothing panicked;
//! - every `searchAndScreenPop` search (and search-page pop) is at most 80 characters before
//!   escaping (160 after), and every SOSL reserved character in it is escaped with a backslash;
//! - an unknown event produced no effect other than a log line (time is not moved for it, and
//!   a tick at the same time goes first so that nothing else is due);
//! - no `Effect::Log` line holds a run of 7 digits of a caller number fed in.
//!
//! Each property is one test; the 6,000 sequences are played once per test binary and shared.
//! A failure prints how many sequences broke the property, their seeds, and the last inputs of
//! the first one.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Map, Value};
use wxcc_sfdc_adapter::config::{AdapterConfig, ConditionalRule, FieldMapping, MultipleMatch, ValueSource};
use wxcc_sfdc_adapter::desktop::ContactEventKind;
use wxcc_sfdc_adapter::engine::{AgentContext, CallId, Effect, Engine, Input, MemoryStore, PanelAction};
use wxcc_sfdc_adapter::salesforce::{OpenCtiCall, OpenCtiErrorCode, OpenCtiResponse, ScreenPop};

const SEQUENCES: u64 = 6_000;
const SEED: u64 = 0x0E6E_2026_0003;
const SEARCH_MAX_CHARS: usize = 80;
const SOSL_RESERVED: &[char] =
    &['?', '&', '|', '!', '{', '}', '[', ']', '(', ')', '^', '~', '*', ':', '\\', '"', '\'', '+', '-'];
const ERROR_CODES: &[&str] = &["INVALID_PARAM", "GENERIC_ERROR", "SERVER_ERROR", "SOFTPHONE_CONTAINER_ERROR"];

/// Text that is hard on a parser, a search or a log: SOSL syntax, markup, RTL, emoji, controls.
const NASTY: &[&str] = &[
    "a+b (c) -d",
    "*?{}[]()^~:\\\"'+-&|!",
    "O'Brien & Sons",
    "<script>alert(1)</script>",
    "مرحبا بالعالم",
    "\u{202e}evil\u{202c}",
    "😀📞🎉",
    "\u{0}\u{7}\u{1b}[31m",
    "Robert'); DROP TABLE Contact;--",
    "FIND {x} IN ALL FIELDS RETURNING Contact",
    "   ",
    "",
    "\\",
    "null",
    "ÅÄÖ ß ﬁ",
];

struct Fed {
    /// Digits of every caller number fed in (7 or more of them).
    caller_digits: Vec<String>,
}

impl Fed {
    fn note_number(&mut self, number: &str) {
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 7 && !self.caller_digits.contains(&digits) {
            self.caller_digits.push(digits);
        }
    }
}

struct Gen {
    rng: fastrand::Rng,
    ids: Vec<String>,
    anis: Vec<String>,
}

impl Gen {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    fn nasty(&mut self) -> String {
        match self.rng.u8(..10) {
            0 => "x".repeat(self.rng.usize(1_000..70_000)),
            1 => (0..self.rng.usize(1..40)).map(|_| self.rng.char('\u{0}'..='\u{10ffff}')).collect(),
            2 => (0..self.rng.usize(1..200)).map(|_| *self.pick(SOSL_RESERVED)).collect(),
            3 => format!("{} {}", self.pick(NASTY), self.pick(NASTY)),
            4 => (0..self.rng.usize(0..120)).map(|_| self.rng.alphanumeric()).collect(),
            _ => (*self.pick(NASTY)).to_string(),
        }
    }

    /// A caller number: digits in any format, with prefixes, SOSL syntax or junk around them.
    fn new_ani(&mut self) -> String {
        let digits: String = (0..self.rng.usize(7..16)).map(|_| self.rng.digit(10)).collect();
        match self.rng.u8(..8) {
            0 => format!("+{digits}"),
            1 => format!("+1 ({}) {}", digits.get(..3).unwrap_or(""), digits.get(3..).unwrap_or("")),
            2 => format!("*{digits}?"),
            3 => format!("+91-{digits}-\"x\""),
            4 => format!("tel:{digits};ext=12"),
            5 => format!("{digits}{}", self.pick(NASTY)),
            _ => digits,
        }
    }

    fn any_ani(&mut self) -> String {
        if self.anis.is_empty() || self.chance(0.2) {
            let a = self.new_ani();
            self.anis.push(a.clone());
            a
        } else {
            self.pick(&self.anis.clone()).clone()
        }
    }

    fn id(&mut self) -> String {
        if self.ids.is_empty() || self.chance(0.25) {
            let id = match self.rng.u8(..6) {
                0 => self.nasty().chars().take(200).collect(),
                _ => format!("int-{:x}", self.rng.u32(..)),
            };
            self.ids.push(id.clone());
            id
        } else {
            self.pick(&self.ids.clone()).clone()
        }
    }

    /// Any JSON at all, `depth` levels at most.
    fn junk(&mut self, depth: usize) -> Value {
        match self.rng.u8(..if depth == 0 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => json!(self.chance(0.5)),
            2 => json!(self.rng.i64(..)),
            3 => json!(self.rng.f64() * 1e9),
            4 => json!(self.nasty()),
            5 => Value::Array((0..self.rng.usize(0..4)).map(|_| self.junk(depth - 1)).collect()),
            _ => {
                let keys = ["interactionId", "data", "value", "Id", "type", "x", "success", "returnValue"];
                Value::Object(
                    (0..self.rng.usize(0..4)).map(|_| (self.pick(&keys).to_string(), self.junk(depth - 1))).collect(),
                )
            }
        }
    }

    fn deep(&mut self, depth: usize) -> Value {
        let mut v = json!({"interactionId": "deep"});
        for _ in 0..depth {
            v = if self.chance(0.5) { json!([v]) } else { json!({ "interaction": v }) };
        }
        v
    }

    /// Sometimes replaces a value by one of the wrong type.
    fn w(&mut self, make: impl FnOnce(&mut Gen) -> Value) -> Value {
        let v = make(self);
        if self.chance(0.08) {
            self.junk(2)
        } else {
            v
        }
    }

    fn cad(&mut self) -> Value {
        let mut cad = Map::new();
        for _ in 0..self.rng.usize(0..5) {
            let name = match self.rng.u8(..6) {
                0 => "ActivityId".to_string(),
                1 => "cad_variable".to_string(),
                2 => "activityid".to_string(),
                3 => self.nasty().chars().take(50).collect(),
                _ => format!("var{}", self.rng.u8(..5)),
            };
            let value = match self.rng.u8(..8) {
                0 => json!(format!("00T{:012}AAA", self.rng.u32(..1000))),
                1 => json!(self.nasty()),
                2 => json!(self.any_ani()),
                3 => self.junk(2),
                _ => json!(format!("value {}", self.nasty().chars().take(30).collect::<String>())),
            };
            let entry = if self.chance(0.7) {
                json!({"name": name, "value": value, "type": "STRING", "agentEditable": self.chance(0.5)})
            } else {
                value
            };
            cad.insert(name, entry);
        }
        Value::Object(cad)
    }

    fn interaction(&mut self, id: &str) -> Value {
        let state = self.pick(&["new", "connected", "conference", "hold", "consulting", "wrapUp", "ended", "", "?"]);
        let direction = self.pick(&["INBOUND", "INBOUND", "INBOUND", "OUTBOUND", "inbound", "", "SIDEWAYS"]);
        let media = self.pick(&["telephony", "telephony", "telephony", "chat", "email", "", "TELEPHONY", "social"]);
        let ani = self.any_ani();
        let mut parts = Map::new();
        for agent in ["A", "B", ""] {
            if self.chance(0.4) {
                parts.insert(
                    agent.to_string(),
                    json!({"id": agent, "pType": "Agent", "isConsulted": self.chance(0.3), "hasLeft": self.chance(0.2)}),
                );
            }
        }
        let mut details = json!({
            "ani": ani,
            "dnis": self.w(|_| json!("+18005550000")),
            "virtualTeamName": self.w(|g| json!(g.pick(&["Support", "Sales", "", "مبيعات"]))),
            "customerName": self.w(|g| json!(g.nasty().chars().take(40).collect::<String>())),
        });
        if self.chance(0.1) {
            details["ani"] = self.junk(2);
        }
        let mut i = json!({
            "interactionId": self.w(|_| json!(id)),
            "mediaType": self.w(|_| json!(media)),
            "state": self.w(|_| json!(state)),
            "contactDirection": self.w(|_| json!({"type": direction})),
            "callProcessingDetails": self.w(|_| details),
            "callAssociatedData": self.w(|g| g.cad()),
            "participants": self.w(|_| Value::Object(parts)),
            "isFcManaged": self.chance(0.5),
        });
        self.drop_keys(&mut i);
        i
    }

    fn drop_keys(&mut self, v: &mut Value) {
        if let Some(o) = v.as_object_mut() {
            let keys: Vec<String> = o.keys().cloned().collect();
            for k in keys {
                if self.rng.f64() < 0.08 {
                    o.remove(&k);
                }
            }
        }
    }

    fn event_data(&mut self) -> Value {
        let id = self.id();
        let mut data = json!({
            "interactionId": self.w(|_| json!(id)),
            "interaction": if self.chance(0.85) { self.interaction(&id) } else { self.junk(2) },
            "agentId": self.w(|g| json!(g.pick(&["A", "B", "", "agent-x"]))),
            "isConsulted": self.w(|g| json!(g.chance(0.2))),
            "queueName": self.w(|_| json!("Support")),
            "fromOwner": self.w(|g| json!(g.pick(&["A", "B", ""]))),
            "toOwner": self.w(|g| json!(g.pick(&["A", "B", ""]))),
            "wrapUpReason": self.w(|g| json!(g.pick(&["Resolved", "", "😀"]))),
            "wrapUpAuxCodeId": self.w(|g| json!(g.pick(&["w1", "", "w2"]))),
        });
        self.drop_keys(&mut data);
        data
    }

    fn payload(&mut self) -> Value {
        match self.rng.u8(..20) {
            0 => self.junk(3),
            1 => {
                let depth = self.rng.usize(60..70);
                self.deep(depth)
            }
            2 => {
                let depth = self.rng.usize(1..200);
                json!({"type": "x", "data": self.deep(depth)})
            }
            3..=7 => self.event_data(),
            _ => json!({
                "type": self.pick(&["AgentContact", "", "AgentWrapup"]),
                "orgId": self.w(|_| json!("org-1")),
                "trackingId": self.w(|_| json!("t-1")),
                "data": self.event_data(),
            }),
        }
    }

    fn unknown_event_name(&mut self) -> String {
        let known: Vec<&str> = ContactEventKind::ALL.iter().map(|k| k.name()).collect();
        let base = self.pick(&known).to_string();
        let name = match self.rng.u8(..8) {
            0 => base.to_ascii_lowercase(),
            1 => base.to_ascii_uppercase(),
            2 => format!(" {base}"),
            3 => format!("{base}\u{0}"),
            4 => String::new(),
            5 => "eAgentBlindTransferred".to_string(),
            6 => self.nasty().chars().filter(|c| !c.is_ascii_digit()).take(2_000).collect(),
            _ => format!("eAgent{}", self.rng.alphabetic()),
        };
        if ContactEventKind::from_name(&name).is_some() {
            "eNoSuchEvent".into()
        } else {
            name
        }
    }

    fn response_for(&mut self, method: &str) -> OpenCtiResponse {
        match self.rng.u8(..10) {
            0 => {
                let code = self.pick(ERROR_CODES).to_string();
                OpenCtiResponse::failure(OpenCtiErrorCode::parse(&code), "refused")
            }
            1 => OpenCtiResponse::from_value(&self.junk(3)),
            2 => OpenCtiResponse::from_value(&json!({"success": false, "errors": self.junk(2)})),
            _ => OpenCtiResponse::ok(self.return_value(method)),
        }
    }

    fn return_value(&mut self, method: &str) -> Value {
        if self.chance(0.1) {
            return self.junk(3);
        }
        match method {
            "searchAndScreenPop" => {
                let mut found = Map::new();
                for _ in 0..self.rng.usize(0..4) {
                    let (prefix, kind) = *self.pick(&[
                        ("003", "Contact"),
                        ("001", "Account"),
                        ("00Q", "Lead"),
                        ("500", "Case"),
                        ("a0X", "X__c"),
                    ]);
                    let id = format!("{prefix}{:012}AAA", self.rng.u32(..50));
                    let phone = self.any_ani();
                    found.insert(
                        id.clone(),
                        json!({"Id": id, "Name": self.nasty().chars().take(30).collect::<String>(), "RecordType": kind,
                               "Phone": phone, "AccountId": self.w(|_| json!("001000000000001AAA"))}),
                    );
                }
                if self.chance(0.3) {
                    found.insert("SCREEN_POP_DATA".into(), json!({"type": "sobject", "params": {"recordId": "003"}}));
                }
                if self.chance(0.1) {
                    json!(Value::Object(found).to_string())
                } else {
                    Value::Object(found)
                }
            }
            "saveLog" => match self.rng.u8(..5) {
                0 => json!({"recordId": format!("00T{:012}AAA", self.rng.u32(..100))}),
                1 => json!(format!("500{:012}AAA", self.rng.u32(..100))),
                2 => json!(""),
                _ => json!(format!("00T{:012}AAA", self.rng.u32(..100))),
            },
            "runApex" => {
                let inner = match self.rng.u8(..6) {
                    0 => String::new(),
                    1 => format!("005{:012}AAA", self.rng.u32(..10)),
                    2 => json!([{"Id": "0N5000000000001", "MasterLabel": "Not Ready"}, {"Id": "0N5000000000002", "MasterLabel": "available"}])
                        .to_string(),
                    3 => self.nasty(),
                    _ => json!({
                        "Id": self.w(|g| json!(format!("00T{:012}AAA", g.rng.u32(..100)))),
                        "WhatId": self.w(|g| json!(format!("500{:012}AAA", g.rng.u32(..100)))),
                        "OwnerId": self.w(|g| json!(format!("005{:012}AAA", g.rng.u32(..3)))),
                        "Description": self.w(|g| json!(g.nasty().chars().take(200).collect::<String>())),
                    })
                    .to_string(),
                };
                json!({ "runApex": inner })
            }
            _ => Value::Null,
        }
    }

    fn click_to_dial(&mut self) -> Value {
        let mut v = json!({
            "number": self.w(|g| json!(g.any_ani())),
            "recordId": self.w(|g| json!(g.pick(&["003000000000001AAA", "001000000000001AAA", "", "x"]))),
            "objectType": self.w(|g| json!(g.pick(&["Contact", "Account", "Lead", ""]))),
            "recordName": self.nasty().chars().take(40).collect::<String>(),
        });
        self.drop_keys(&mut v);
        if self.chance(0.2) {
            json!(v.to_string())
        } else if self.chance(0.05) {
            self.junk(3)
        } else {
            v
        }
    }

    fn omni_message(&mut self) -> Value {
        let mut v = json!({
            "source": self.pick(&["bridge", "adapter", ""]),
            "type": self.pick(&["statusChanged", "workAccepted", "workClosed", "loggedOut", "other"]),
            "statusId": self.w(|g| json!(g.pick(&["0N5000000000001", "0N5000000000002", ""]))),
            "statusName": "Not Ready",
            "workId": self.w(|g| json!(format!("0Bz{}", g.rng.u8(..4)))),
            "requestId": self.w(|g| json!(format!("{}-{}", g.pick(&["A", "agent", ""]), g.rng.u8(..6)))),
        });
        self.drop_keys(&mut v);
        v
    }

    fn agent_state(&mut self) -> Value {
        let mut v = json!({
            "subStatus": self.pick(&["Available", "Idle", "RONA", "", "available"]),
            "auxCodeId": self.w(|g| json!(g.pick(&["0", "11", "12", ""]))),
            "idleCode": self.w(|_| json!({"id": "11", "name": "Not Ready"})),
        });
        self.drop_keys(&mut v);
        v
    }

    fn config(&mut self) -> AdapterConfig {
        let mut c = AdapterConfig::default();
        let b = |g: &mut Gen| g.chance(0.5);
        c.screen_pop.search_by_cad = b(self);
        c.screen_pop.fallback_to_ani = b(self);
        c.screen_pop.search_cad_variable = self.pick(&["cad_variable", "CAD_VARIABLE", "", "var1"]).to_string();
        c.screen_pop.ani_prefixes =
            (0..self.rng.usize(0..4)).map(|_| self.pick(&["+1", "+91", "", "+", "1", "*"]).to_string()).collect();
        c.screen_pop.multiple_match = if b(self) { MultipleMatch::Pick } else { MultipleMatch::Search };
        c.outdial.search_manual_dials = b(self);
        c.activity.subject_editable = self.chance(0.8);
        c.no_match.open_new_record = b(self);
        c.no_match.object = self.pick(&["Contact", "Lead", "X__c", ""]).to_string();
        let mut mappings = Vec::new();
        for _ in 0..self.rng.usize(0..4) {
            let name = self
                .pick(&[
                    "phoneNumber",
                    "ani",
                    "dnis",
                    "queueName",
                    "var1",
                    "cad_variable",
                    "ContactId",
                    "agentName",
                    "nope",
                ])
                .to_string();
            let source = match self.rng.u8(..3) {
                0 => ValueSource::Variable { name },
                1 => ValueSource::Constant { value: self.nasty().chars().take(50).collect() },
                _ => ValueSource::Conditional { name, default: self.chance(0.5).then(|| "dflt".to_string()) },
            };
            mappings.push(FieldMapping {
                field: self.pick(&["Phone", "Subject", "Priority", "Bad Field", "Description"]).to_string(),
                source,
            });
        }
        let rules = vec![ConditionalRule {
            variable: "queueName".into(),
            when: self.pick(&["Support", "*", ""]).to_string(),
            value: "Gold".into(),
            field: None,
        }];
        c.no_match.field_mappings = mappings.clone();
        c.no_match.conditional_rules = rules.clone();
        c.activity.log_calls = self.chance(0.85);
        c.activity.refresh_after_create = b(self);
        c.activity.create_task_at_connect = b(self);
        c.activity.open_task_at_connect = b(self);
        c.activity.open_task_at_wrapup = b(self);
        c.activity.transfer_task_ownership = b(self);
        c.activity.task_id_cad_variable = self.pick(&["ActivityId", "activityid", "", "var1"]).to_string();
        c.activity.live_notes = b(self);
        c.activity.notes_field = self.pick(&["Description", "Notes__c", "", "Bad Field"]).to_string();
        c.activity.subject_date_pattern =
            self.pick(&["MM-dd-yyyy hh:mm a", "MM-DD-YYYY", "", "'", "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "QQQQ"]).to_string();
        c.activity.subject_template = self
            .pick(&["{direction} Call {activityDatetime}", "{ani} {nope} {", "", "{var1}{queue}{interactionId}", "}{"])
            .to_string();
        c.activity.write_cad_fields = b(self);
        c.activity.field_mappings = mappings.clone();
        c.case.create_for_inbound = b(self);
        c.case.create_for_outbound = b(self);
        c.case.open_in_edit_mode = b(self);
        c.case.open_in_view_mode = b(self);
        if self.chance(0.5) {
            c.case.field_mappings = mappings;
            c.case.conditional_rules = rules;
        }
        c.outdial.dial_prefixes =
            (0..self.rng.usize(0..3)).map(|_| self.pick(&["+1", "+", "", "00"]).to_string()).collect();
        c.outdial.use_agent_outdial_ani = b(self);
        c.omni.sync_enabled = b(self);
        c.omni.status_during_call = self.pick(&["Not Ready", "not ready", "", "Busy"]).to_string();
        c.omni.idle_code_during_omni_work = self.pick(&["Not Ready", "not ready", "", "Lunch"]).to_string();
        c
    }

    fn context(&mut self) -> AgentContext {
        AgentContext {
            agent_id: self.pick(&["A", "B", "", "agent-ü"]).to_string(),
            agent_name: self.pick(&["Grace", "", "<b>Ada</b>", "مرحبا"]).to_string(),
            utc_offset_minutes: match self.rng.u8(..10) {
                0 => *self.pick(&[i32::MIN, i32::MAX, -100_000, 100_000]),
                _ => self.rng.i32(-14 * 60..=14 * 60),
            },
            outdial_entry_point_id: self.pick(&["ep-1", ""]).to_string(),
            outdial_ani: self.pick(&["+18005550000", "", "x"]).to_string(),
        }
    }
}

/// A search value as sent: `Some(unescaped length)` when every SOSL reserved character is
/// escaped, `None` when one is bare or a backslash escapes nothing reserved.
fn escaped_search_length(search: &str) -> Option<usize> {
    let mut chars = search.chars();
    let mut n = 0;
    while let Some(c) = chars.next() {
        if c == '\\' {
            let next = chars.next()?;
            if !SOSL_RESERVED.contains(&next) {
                return None;
            }
        } else if SOSL_RESERVED.contains(&c) {
            return None;
        }
        n += 1;
    }
    Some(n)
}

fn check_search(what: &str, search: &str) -> Result<(), String> {
    match escaped_search_length(search) {
        None => Err(format!("{what}: a SOSL reserved character is not escaped in {search:?}")),
        Some(n) if n > SEARCH_MAX_CHARS || search.chars().count() > 2 * SEARCH_MAX_CHARS => {
            Err(format!("{what}: search of {n} characters (unescaped), {} sent", search.chars().count()))
        }
        Some(_) => Ok(()),
    }
}

/// The longest run of a caller's digits (7 or more) that a log line repeats, if any.
fn leaked_digits(message: &str, fed: &Fed) -> Option<String> {
    let runs: Vec<String> =
        message.split(|c: char| !c.is_ascii_digit()).filter(|r| r.len() >= 7).map(String::from).collect();
    for run in &runs {
        for digits in &fed.caller_digits {
            for start in 0..=digits.len().saturating_sub(7) {
                let Some(window) = digits.get(start..start + 7) else { continue };
                if run.contains(window) {
                    return Some(window.to_string());
                }
            }
        }
    }
    None
}

/// What is checked after every input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Property {
    /// Neither `handle` nor `restore` panics.
    NoPanic,
    /// Search values are capped and SOSL-escaped.
    SearchSafe,
    /// An unknown event produces no effect other than a log line.
    UnknownEventInert,
    /// Log lines never hold 7 digits of a caller number.
    LogRedacted,
    /// The records stored from `take_changes` bring back the same state as the whole snapshot.
    RecordsMatchSnapshot,
}

/// A property a sequence broke, where, and the inputs that led there.
struct Broken {
    property: Property,
    seed: u64,
    step: usize,
    message: String,
    trace: Vec<String>,
}

#[derive(Default)]
struct Counts {
    sequences: u64,
    inputs: u64,
    unknown_events: u64,
    searches: u64,
    logs: u64,
    restores: u64,
    garbage_restores: u64,
    effects: u64,
}

#[derive(Clone)]
struct Pending {
    id: CallId,
    method: &'static str,
    desktop: bool,
}

/// One sequence being played.
struct Run<'a> {
    seed: u64,
    g: Gen,
    engine: Engine,
    fed: Fed,
    pending: Vec<Pending>,
    last_snapshot: Option<String>,
    /// The records stored at each Persist, as the widget stores them.
    store: MemoryStore,
    trace: Vec<String>,
    counts: &'a mut Counts,
    broken: Vec<Broken>,
}

impl Run<'_> {
    /// Records a broken property (once per property and sequence).
    fn found(&mut self, property: Property, step: usize, message: String) {
        if self.broken.iter().any(|b| b.property == property) {
            return;
        }
        let trace = self.trace.iter().rev().take(25).rev().cloned().collect();
        self.broken.push(Broken { property, seed: self.seed, step, message, trace });
    }

    fn finish(self) -> Vec<Broken> {
        self.broken
    }

    /// Feeds one input and checks every effect it produced; `false` when the engine panicked
    /// (the sequence stops there).
    fn feed(&mut self, step: usize, input: Input, at: i64, label: String, unknown: bool) -> bool {
        self.trace.push(label);
        self.counts.inputs += 1;
        let engine = &mut self.engine;
        let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            engine.handle(input, at);
            std::iter::from_fn(|| engine.poll_effect()).collect::<Vec<_>>()
        }));
        let effects = match handled {
            Ok(effects) => effects,
            Err(p) => {
                let why = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
                    .unwrap_or_default();
                self.found(Property::NoPanic, step, format!("the engine panicked: {why}"));
                return false;
            }
        };
        self.counts.effects += effects.len() as u64;
        for effect in effects {
            if unknown && !matches!(effect, Effect::Log { .. }) {
                let message = format!("an unknown event produced an effect: {}", effect_name(&effect));
                self.found(Property::UnknownEventInert, step, message);
            }
            match effect {
                Effect::OpenCti { call_id, call, .. } => {
                    let search = match &call {
                        OpenCtiCall::SearchAndScreenPop(s) => Some(("searchAndScreenPop", s.search_params.expose())),
                        OpenCtiCall::ScreenPop(ScreenPop::Search { search_string }) => {
                            Some(("screenPop search", search_string.expose()))
                        }
                        _ => None,
                    };
                    if let Some((what, value)) = search {
                        self.counts.searches += 1;
                        if let Err(message) = check_search(what, value) {
                            self.found(Property::SearchSafe, step, message);
                        }
                    }
                    self.pending.push(Pending { id: call_id, method: call.method_name(), desktop: false });
                }
                Effect::Desktop { call_id, call } => {
                    self.pending.push(Pending { id: call_id, method: call.method_name(), desktop: true });
                }
                Effect::Persist => {
                    let changes = self.engine.take_changes();
                    self.store.apply(changes);
                    self.last_snapshot = Some(self.engine.snapshot());
                }
                Effect::Log { message, .. } => {
                    self.counts.logs += 1;
                    if let Some(digits) = leaked_digits(&message, &self.fed) {
                        let message = format!("a log line holds the caller digits {digits}: {message:?}");
                        self.found(Property::LogRedacted, step, message);
                    }
                }
            }
        }
        true
    }
}

macro_rules! feed {
    ($run:expr, $step:expr, $input:expr, $at:expr, $label:expr, $unknown:expr) => {
        if !$run.feed($step, $input, $at, $label, $unknown) {
            return $run.finish();
        }
    };
}

/// Plays one seeded sequence; returns the properties it broke.
fn run_sequence(seed: u64, counts: &mut Counts) -> Vec<Broken> {
    counts.sequences += 1;
    let mut g = Gen { rng: fastrand::Rng::with_seed(seed), ids: Vec::new(), anis: Vec::new() };
    let config = g.config();
    let ctx = g.context();
    let mut now: i64 = match g.rng.u8(..20) {
        0 => 0,
        1 => i64::MAX - 1_000,
        2 => -86_400_000,
        _ => 1_700_000_000_000 + g.rng.i64(0..100_000_000_000),
    };
    let steps = g.rng.usize(5..70);
    let mut run = Run {
        seed,
        g,
        engine: Engine::new(config.clone(), ctx.clone()),
        fed: Fed { caller_digits: Vec::new() },
        pending: Vec::new(),
        last_snapshot: None,
        store: MemoryStore::default(),
        trace: Vec::new(),
        counts,
        broken: Vec::new(),
    };
    feed!(run, 0, Input::Start, now, "Start".into(), false);
    for step in 1..=steps {
        // Time moves: mostly forwards a little, sometimes far, sometimes back.
        now = match run.g.rng.u8(..20) {
            0 => now.saturating_sub(run.g.rng.i64(0..10_000_000)),
            1 => now.saturating_add(run.g.rng.i64(0..10_000_000_000)),
            _ => now.saturating_add(run.g.rng.i64(0..120_000)),
        };
        match run.g.rng.u8(..30) {
            0..=9 => {
                // Offers and connects (which pop) more often than the rest.
                let name = if run.g.chance(0.4) {
                    run.g.pick(&["eAgentOfferContact", "eAgentContactAssigned", "eAgentContact"]).to_string()
                } else {
                    (*run.g.pick(ContactEventKind::ALL)).name().to_string()
                };
                let payload = run.g.payload();
                if let Some(ani) = payload
                    .pointer("/interaction/callProcessingDetails/ani")
                    .or_else(|| payload.pointer("/data/interaction/callProcessingDetails/ani"))
                    .and_then(Value::as_str)
                {
                    run.fed.note_number(ani);
                }
                for ani in &run.g.anis {
                    run.fed.note_number(ani);
                }
                let label = format!("ContactEvent {name} {}", short(&payload));
                feed!(run, step, Input::ContactEvent { name, payload }, now, label, false);
            }
            10..=11 => {
                // Whatever is due goes first; then the unknown event must do nothing.
                feed!(run, step, Input::Tick, now, "Tick (before an unknown event)".into(), false);
                let name = run.g.unknown_event_name();
                let payload = run.g.payload();
                run.counts.unknown_events += 1;
                let label = format!("ContactEvent (unknown) {:?} {}", short(&json!(name)), short(&payload));
                feed!(run, step, Input::ContactEvent { name, payload }, now, label, true);
            }
            12..=18 => {
                // Answer one of the calls the engine made (or one it never made).
                if run.pending.is_empty() || run.g.chance(0.05) {
                    let id = CallId(run.g.rng.u64(..200));
                    let response = run.g.response_for("saveLog");
                    feed!(
                        run,
                        step,
                        Input::SalesforceResult { call_id: id, response },
                        now,
                        format!("SalesforceResult for unknown {id:?}"),
                        false
                    );
                    continue;
                }
                let i = run.g.rng.usize(..run.pending.len());
                let call = if run.g.chance(0.9) { run.pending.remove(i) } else { run.pending[i].clone() };
                if call.desktop {
                    let result = if run.g.chance(0.75) { Ok(run.g.junk(3)) } else { Err(run.g.nasty()) };
                    let label = format!("DesktopResult {} {:?} ok={}", call.method, call.id, result.is_ok());
                    feed!(run, step, Input::DesktopResult { call_id: call.id, result }, now, label, false);
                } else {
                    let response = run.g.response_for(call.method);
                    let label = format!("SalesforceResult {} {:?} success={}", call.method, call.id, response.success);
                    feed!(run, step, Input::SalesforceResult { call_id: call.id, response }, now, label, false);
                }
            }
            19..=20 => feed!(run, step, Input::Tick, now, "Tick".into(), false),
            21 => {
                let v = run.g.click_to_dial();
                if let Some(n) = v.get("number").and_then(Value::as_str) {
                    run.fed.note_number(n);
                }
                let label = format!("ClickToDial {}", short(&v));
                feed!(run, step, Input::ClickToDial(v), now, label, false);
            }
            22 => {
                let v = if run.g.chance(0.8) {
                    json!({"recordId": run.g.pick(&["003000000000001AAA", "001000000000001AAA", ""]), "objectType": run.g.pick(&["Contact", "Account", ""]), "url": "/x"})
                } else {
                    run.g.junk(3)
                };
                let label = format!("NavigationChange {}", short(&v));
                feed!(run, step, Input::NavigationChange(v), now, label, false);
            }
            23..=24 => {
                let interaction_id = if run.g.chance(0.7) { Some(run.g.id()) } else { None };
                let text = if run.g.chance(0.5) { run.g.nasty() } else { format!("notes {}", run.g.rng.u16(..)) };
                let label = format!(
                    "Notes {:?} ({} chars)",
                    interaction_id.as_deref().map(|s| s.chars().take(20).collect::<String>()),
                    text.len()
                );
                feed!(run, step, Input::Notes { interaction_id, text }, now, label, false);
            }
            25 => {
                let v = if run.g.chance(0.85) { run.g.omni_message() } else { run.g.junk(3) };
                let label = format!("OmniMessage {}", short(&v));
                feed!(run, step, Input::OmniMessage(v), now, label, false);
            }
            26 => {
                let v = if run.g.chance(0.85) { run.g.agent_state() } else { run.g.junk(3) };
                let label = format!("AgentState {}", short(&v));
                feed!(run, step, Input::AgentState(v), now, label, false);
            }
            27 => {
                // Picks name records a search can return (and some it cannot); subjects are nasty.
                let action = match run.g.rng.u8(..5) {
                    0 => PanelAction::OpenTask,
                    1 => PanelAction::RelateShownRecord,
                    2 => PanelAction::CreateCase,
                    3 => {
                        let prefix = *run.g.pick(&["003", "001", "00Q", "500", "a0X"]);
                        PanelAction::Pick(format!("{prefix}{:012}AAA", run.g.rng.u32(..50)))
                    }
                    _ => PanelAction::SetSubject(run.g.nasty()),
                };
                feed!(run, step, Input::Action(action.clone()), now, format!("Action {}", action.name()), false);
            }
            _ => {
                // A reload: restore from the last snapshot (or from garbage), then start again.
                run.counts.restores += 1;
                // `None`: a clean reload, from the records stored (as the widget does), checked
                // against the whole snapshot taken at the same save.
                let garbage = match (run.g.rng.u8(..6), &run.last_snapshot) {
                    (0, _) => Some(run.g.nasty()),
                    (1, Some(s)) => Some(s.chars().take(run.g.rng.usize(..s.chars().count().max(1))).collect()),
                    (2, Some(s)) => {
                        let mut v: Value = serde_json::from_str(s).unwrap_or(Value::Null);
                        mutate(&mut run.g, &mut v, 0);
                        Some(v.to_string())
                    }
                    _ => None,
                };
                let stored = run.store.stored();
                if garbage.is_some() {
                    run.counts.garbage_restores += 1;
                    // The engine starts from other text than the records: they start over too.
                    run.store = MemoryStore::default();
                } else if let Some(s) = &run.last_snapshot {
                    let whole = state_of(&Engine::restore(config.clone(), ctx.clone(), s));
                    let from_records = state_of(&Engine::restore_records(config.clone(), ctx.clone(), &stored));
                    if whole != from_records {
                        let message = first_difference(&from_records, &whole);
                        run.found(Property::RecordsMatchSnapshot, step, message);
                    }
                }
                let restored = std::panic::catch_unwind(|| match &garbage {
                    Some(text) => Engine::restore(config.clone(), ctx.clone(), text),
                    None => Engine::restore_records(config.clone(), ctx.clone(), &stored),
                });
                run.trace.push(match &garbage {
                    Some(text) => format!("restore from {} chars of damaged text", text.len()),
                    None => format!("restore from {} records", stored.len()),
                });
                match restored {
                    Ok(engine) => run.engine = engine,
                    Err(_) => {
                        run.found(Property::NoPanic, step, "Engine::restore panicked".into());
                        return run.finish();
                    }
                }
                let keep: Vec<bool> = run.pending.iter().map(|_| run.g.chance(0.3)).collect();
                let mut keep = keep.into_iter();
                run.pending.retain(|_| keep.next().unwrap_or(false)); // answers to the old page mostly never come
                feed!(run, step, Input::Start, now, "Start (after restore)".into(), false);
            }
        }
    }
    run.finish()
}

/// The first line where two pretty JSON texts differ, with the lines before it.
fn first_difference(records: &str, whole: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (records.lines().collect(), whole.lines().collect());
    let at = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(6);
    format!(
        "records and snapshot differ at line {at}:\n  {}\nrecords: {:?}\nsnapshot: {:?}",
        a.get(from..at).unwrap_or_default().join("\n  "),
        a.get(at),
        b.get(at)
    )
}

/// An engine's durable state as JSON, without the call counter (not kept in the records: any
/// value is safe after a reload, as no call is in flight).
fn state_of(engine: &Engine) -> String {
    let mut state: Value = serde_json::from_str(&engine.snapshot()).unwrap_or(Value::Null);
    if let Some(map) = state.as_object_mut() {
        map.remove("next_call_id");
    }
    serde_json::to_string_pretty(&state).unwrap_or_default()
}

/// Replaces a few values of a snapshot by values of other types.
fn mutate(g: &mut Gen, v: &mut Value, depth: usize) {
    match v {
        Value::Object(map) => {
            for (_, child) in map.iter_mut() {
                if g.chance(0.05) {
                    *child = g.junk(2);
                } else if depth < 12 {
                    mutate(g, child, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for child in items.iter_mut() {
                if g.chance(0.05) {
                    *child = g.junk(2);
                } else if depth < 12 {
                    mutate(g, child, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn effect_name(e: &Effect) -> String {
    match e {
        Effect::OpenCti { call, .. } => format!("OpenCti {}", call.method_name()),
        Effect::Desktop { call, .. } => format!("Desktop {}", call.method_name()),
        Effect::Persist => "Persist".into(),
        Effect::Log { message, .. } => format!("Log {message:?}"),
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 300 {
        format!("{}… ({} chars)", s.chars().take(300).collect::<String>(), s.chars().count())
    } else {
        s
    }
}

/// Every sequence, played once per test binary and shared by the tests below.
fn outcome() -> &'static (Counts, Vec<Broken>, f64) {
    static OUTCOME: std::sync::OnceLock<(Counts, Vec<Broken>, f64)> = std::sync::OnceLock::new();
    OUTCOME.get_or_init(|| {
        let started = std::time::Instant::now();
        let mut counts = Counts::default();
        let mut broken = Vec::new();
        for n in 0..SEQUENCES {
            broken.extend(run_sequence(SEED.wrapping_add(n.wrapping_mul(0x9E37_79B9)), &mut counts));
        }
        (counts, broken, started.elapsed().as_secs_f64())
    })
}

fn assert_property(property: Property) {
    let (c, broken, seconds) = outcome();
    println!(
        "{property:?}: {} random sequences in {seconds:.1} s: {} inputs ({} unknown events, {} restores of which {} \
         from garbage), {} effects, {} searches and {} log lines checked",
        c.sequences, c.inputs, c.unknown_events, c.restores, c.garbage_restores, c.effects, c.searches, c.logs
    );
    let mine: Vec<&Broken> = broken.iter().filter(|b| b.property == property).collect();
    if let Some(first) = mine.first() {
        let seeds: Vec<String> = mine.iter().take(20).map(|b| format!("{:#x}", b.seed)).collect();
        let mut kinds: Vec<String> =
            mine.iter().map(|b| b.message.chars().filter(|c| !c.is_ascii_digit()).take(60).collect()).collect();
        kinds.sort();
        kinds.dedup();
        panic!(
            "{property:?} broken by {} of {} sequences (seeds {}).\nKinds:\n  {}\nFirst: seed {:#x}, step {}: {}\nlast inputs:\n  {}",
            mine.len(),
            c.sequences,
            seeds.join(" "),
            kinds.join("\n  "),
            first.seed,
            first.step,
            first.message,
            first.trace.join("\n  ")
        );
    }
}

#[test]
fn random_input_never_panics_the_engine() {
    assert_property(Property::NoPanic);
}

#[test]
fn searches_are_capped_and_sosl_escaped() {
    assert_property(Property::SearchSafe);
}

#[test]
fn unknown_events_produce_no_effect() {
    assert_property(Property::UnknownEventInert);
}

#[test]
fn log_lines_never_hold_a_caller_number() {
    assert_property(Property::LogRedacted);
}

#[test]
fn records_stored_as_they_change_restore_the_whole_state() {
    assert_property(Property::RecordsMatchSnapshot);
}
