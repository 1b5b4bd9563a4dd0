//! Reliability properties over generated multi-agent scenarios: an independent generator,
//! stricter than `engine_properties.rs`, aimed at the call paths where calls come back, answers
//! get lost and Salesforce refuses for good (SPEC §5, §6, §8).
//!
//! Each run builds a scenario (1–3 agents A, B, C whose participant id is their name; 1–3 calls
//! interleaved) with realistic event data: every event carries `interaction.participants` (the
//! agents on the call, `isConsulted` on consulted ones), `owner` (top level and in the
//! interaction) and `agentId` (the agent receiving it). Calls move by blind, queue (vteam) and
//! consult transfers and by `eContactOwnerChanged`, come back (A → B → A, A → B → C → A, any
//! number of times, also queue → same agent), with consults that go nowhere, RONAs, re-sent and
//! duplicated transfer events, local re-orderings, lost answers (`noAnswer`) followed by reloads
//! at once or minutes later while the call is elsewhere, calls of several hours, transient and
//! permanent refusals (saveLog with FIELD_CUSTOM_VALIDATION_EXCEPTION / STRING_TOO_LONG /
//! INVALID_FIELD, runApex gone), CAD values of 300+ characters mapped into Task fields, notes over
//! 32,000 characters and hostile CAD values (SOSL syntax, `<script>`, RTL/emoji, 64 KB).
//!
//! The properties are judged from the scenario's own steps (so a shrunk scenario is judged by
//! what it still contains) and the replay output:
//! 1. ownership on: ≤ 1 Task per interaction; once the call is wrapped up by its last owner and
//!    every outbox is empty: exactly one, owned by that agent, Completed, with its reason;
//! 2. ownership off: ≤ 1 Task per (interaction, agent); exactly one per agent who answered and
//!    finished, Completed, with the last wrap-up reason that agent gave;
//! 3. no Task (and no saveLog) for an agent who never received the call (consulted only, RONA);
//! 4. ≤ 1 Case per interaction;
//! 5. every agent's last notes are in the Task's Description (its own Task when ownership is off);
//! 6. caller pops (search, new record, a seeded record; not a Task or Case opened) per (agent,
//!    interaction) ≤ the times the call reached that agent as owner (attributed by the call's
//!    record, caller digits or CAD reference; per agent in all, unattributed ones included);
//! 7. every outbox drained; writes refused for good are parked with a reason (output `parked`),
//!    and an interaction hit by a permanent refusal either ends complete or has a parked entry,
//!    which carries the notes that could not be written;
//! 8. the same scenario replayed twice gives byte-identical output (every 10th run);
//! 9. nothing panics and every scenario plays.
//!
//! The exactly-once parts of 1 and 2 (and 5, replaced by 7) are not required for an interaction
//! hit by a permanent refusal (a call of the refused method for it after the refusal); the
//! at-most-one parts are.
//!
//! `RELIABILITY_RUNS` sets the number of runs (default 1,500; `./scripts/reliability` runs
//! 20,000). `RELIABILITY_SEED=0x… cargo test --test engine_reliability -- --ignored --nocapture
//! print_scenario` prints the scenario of a seed, playable with `wxcc-sfdc replay`; `shrink_seed`
//! (same variable) saves every failure of a seed minimised under `target/tmp/`; `RELIABILITY_FILE=…
//! replay_file` plays a scenario file and prints the output and the properties it breaks.
//!
//! Use a target directory of this checkout: the crate is also a `cdylib`, so its rlib has no hash
//! in its name, and two checkouts sharing one `CARGO_TARGET_DIR` link each other's library.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use wxcc_sfdc_adapter::sim::replay;

mod common;
use common::{digits_of, str_field, user_of, AGENTS};

const DEFAULT_RUNS: u64 = 1_500;
/// How long the adapter keeps a call with something unwritten after the agent's last activity.
const KEEP_UNFINISHED_MS: i64 = 8 * 3_600_000;
const SEED: u64 = 0x0E11_AB1E_2026_0005;
const START: &str = "2026-11-22T15:04:00Z";
const TRANSIENT: [&str; 4] = ["SERVER_ERROR", "GENERIC_ERROR", "SOFTPHONE_CONTAINER_ERROR", "INVALID_PARAM"];
const PERMANENT: [&str; 3] = ["FIELD_CUSTOM_VALIDATION_EXCEPTION", "STRING_TOO_LONG", "INVALID_FIELD"];
/// `times` of an injected refusal that never ends.
const FOREVER: u64 = 1000;
const WORDS: [&str; 12] =
    ["refund", "caller", "wants", "escalate", "päyment", "late", "📞", "ticket", "مرحبا", "(urgent)", "VIP", "again"];
/// Marks the re-send [`own_view_before_reload`] adds before a reload.
const OWN_VIEW: &str = "resentBeforeReload";
const TRANSFERS: [&str; 3] = ["eAgentblindTransferred", "eAgentvteamTransfer", "eConsultTransfer"];

fn agent_of_user(user: &str) -> Option<&'static str> {
    AGENTS.iter().copied().find(|a| user_of(a) == user)
}

/// The notes are in the Task: whole, or, for notes longer than the field takes, cut to the
/// limit (the adapter cuts them with a diagnostic, SPEC §6): their start is there.
fn notes_in(description: &str, notes: &str, long: bool) -> bool {
    if description.contains(notes) {
        return true;
    }
    let start: String = notes.chars().take(1_000).collect();
    long && description.contains(start.as_str())
}

fn last_chars(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars.iter().skip(chars.len().saturating_sub(n)).collect()
}

// ---------------------------------------------------------------------------------------------
// Scenario generation
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Hop {
    Blind,
    Vteam,
    Consult,
    OwnerChange,
}

/// One call and the WxCC side's view of it while it is generated.
struct Call {
    k: usize,
    id: String,
    ani: String,
    outbound: bool,
    queue: &'static str,
    cad: Map<String, Value>,
    owner: Option<&'static str>,
    /// Agents on the call → consulted.
    parts: BTreeMap<&'static str, bool>,
}

impl Call {
    /// The event `data` as `agent` receives it now.
    fn data(&self, agent: &str, state: &str) -> Value {
        let mut parts = Map::new();
        for (a, consulted) in &self.parts {
            parts.insert(
                (*a).to_string(),
                json!({"id": a, "pType": "Agent", "type": "Agent", "isConsulted": consulted, "hasJoined": true}),
            );
        }
        parts.insert(format!("cust-{}", self.k), json!({"id": self.ani, "pType": "Customer", "type": "Customer"}));
        let owner = self.owner.unwrap_or("");
        json!({
            "interactionId": self.id,
            "agentId": agent,
            "owner": owner,
            "isConsulted": self.parts.get(agent).copied().unwrap_or(false),
            "interaction": {
                "interactionId": self.id,
                "mediaType": "telephony",
                "state": state,
                "owner": owner,
                "contactDirection": {"type": if self.outbound { "OUTBOUND" } else { "INBOUND" }},
                "callProcessingDetails": {"ani": self.ani, "dnis": "+18005550000", "virtualTeamName": self.queue},
                "callAssociatedData": self.cad,
                "participants": parts,
            }
        })
    }

    fn ev(&self, agent: &str, name: &str, state: &str) -> Value {
        json!({"agent": agent, "desktop": name, "data": self.data(agent, state)})
    }

    fn ev_with(&self, agent: &str, name: &str, state: &str, extra: Value) -> Value {
        let mut data = self.data(agent, state);
        if let (Some(d), Some(e)) = (data.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                d.insert(k.clone(), v.clone());
            }
        }
        json!({"agent": agent, "desktop": name, "data": data})
    }
}

fn advance(d: String) -> Value {
    json!({ "advance": d })
}

struct Gen {
    rng: fastrand::Rng,
    single_call: bool,
}

impl Gen {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.rng.usize(..items.len())).copied()
        }
    }

    fn secs(&mut self, lo: u32, hi: u32) -> Value {
        advance(format!("{}s", self.rng.u32(lo..hi)))
    }

    fn words(&mut self, n: usize) -> String {
        (0..n).map(|_| self.pick(&WORDS).unwrap_or("x")).collect::<Vec<_>>().join(" ")
    }

    /// Notes typed by `agent`: one to three revisions, the last one kept; now and then over
    /// 32,000 characters.
    fn notes(&mut self, agent: &str, call: &Call, out: &mut Vec<Value>) {
        let tag = format!("{agent}-{}-{}", call.k, self.rng.u32(..100_000));
        let n = self.rng.usize(1..4);
        let mut full = format!("{} {tag}", self.words(n));
        if self.chance(0.1) {
            full.insert_str(0, "line\nbreak ");
        }
        if self.chance(0.03) {
            let filler = self.words(8);
            let mut long = String::with_capacity(34_000);
            while long.chars().count() < 32_500 {
                long.push_str(&filler);
                long.push(' ');
            }
            full = format!("{tag} {long}{tag}");
        }
        let revisions = self.rng.usize(1..4);
        for r in 1..=revisions {
            let text = if r == revisions {
                full.clone()
            } else {
                let cut = full.chars().count() * r / (revisions + 1);
                full.chars().take(cut.max(1)).collect::<String>()
            };
            let mut step = json!({"agent": agent, "notes": text});
            if !self.single_call || self.chance(0.7) {
                step["interactionId"] = json!(call.id);
            }
            out.push(step);
        }
    }

    /// A lost answer for the next call(s) of `method`.
    fn no_answer(&mut self, method: &str) -> Value {
        json!({"salesforce": "noAnswer", "method": method, "times": self.rng.u32(1..3)})
    }

    /// The connected agent's activity: re-sends, hold, notes, a consult that goes nowhere.
    fn body(&mut self, agent: &'static str, call: &mut Call, others: &[&'static str], out: &mut Vec<Value>) {
        if self.chance(0.4) {
            out.push(call.ev(agent, "eAgentContact", "connected"));
        }
        if self.chance(0.15) {
            out.push(call.ev(agent, "eAgentContactHeld", "hold"));
            out.push(self.secs(1, 30));
            out.push(call.ev(agent, "eAgentContactUnHeld", "connected"));
        }
        if self.chance(0.75) {
            self.notes(agent, call, out);
        }
        // The agent picks one of the call's records (a Contact and a Lead share its number when
        // both are seeded; a pick of a record that did not match is ignored), or types a subject
        // (only with one call: a panel action applies to the call the agent has on screen).
        if self.chance(0.2) {
            let record = if self.chance(0.5) {
                format!("0030000000{:02}001AAA", call.k)
            } else {
                format!("00Q0000000{:02}001AAA", call.k)
            };
            out.push(json!({"agent": agent, "pick": record}));
        }
        if self.single_call && self.chance(0.2) {
            let subject = format!("subj-{agent}-{} {}", call.k, self.words(2));
            out.push(json!({"agent": agent, "subject": subject}));
        }
        if self.chance(0.08) {
            out.push(advance("2h10m".into()));
        }
        if let Some(x) = self.pick(others).filter(|_| self.chance(0.15)) {
            call.parts.insert(x, true);
            out.push(call.ev(agent, "eAgentConsultCreated", "consulting"));
            out.push(call.ev(x, "eAgentOfferContact", "new"));
            if self.chance(0.6) {
                out.push(call.ev(agent, "eAgentConsulting", "consulting"));
                out.push(call.ev(x, "eAgentContactAssigned", "consulting"));
                if self.chance(0.5) {
                    out.push(call.ev(x, "eAgentContact", "consulting"));
                }
            }
            out.push(self.secs(5, 90));
            out.push(call.ev(agent, "eAgentConsultEnded", "connected"));
            out.push(call.ev(x, "eAgentConsultEnded", "consulting"));
            call.parts.remove(x);
        }
        if self.chance(0.3) {
            out.push(call.ev(agent, "eAgentContact", "connected"));
        }
    }

    /// Sometimes the call rings another agent first, who does not answer (RONA).
    fn rona(&mut self, call: &mut Call, candidates: &[&'static str], out: &mut Vec<Value>) {
        let Some(y) = self.pick(candidates).filter(|_| self.chance(0.1)) else { return };
        let (owner, parts) = (call.owner, call.parts.clone());
        call.owner = Some(y);
        call.parts = BTreeMap::from([(y, false)]);
        out.push(call.ev(y, "eAgentOfferContact", "new"));
        out.push(self.secs(5, 30));
        call.owner = None;
        call.parts = BTreeMap::new();
        out.push(call.ev(y, "eAgentOfferContactRona", "new"));
        call.owner = owner;
        call.parts = parts;
    }

    /// Swaps adjacent events of one agent that may plausibly arrive the other way round.
    fn local_reorder(&mut self, seq: &mut [Value]) {
        const PAIRS: [(&str, &str); 3] = [
            ("eAgentOfferContact", "eAgentContactAssigned"),
            ("eAgentContactEnded", "eAgentWrapup"),
            ("eAgentWrapup", "eAgentContactWrappedUp"),
        ];
        for i in 1..seq.len() {
            let (Some(a), Some(b)) = (seq.get(i - 1), seq.get(i)) else { continue };
            let consulted = |s: &Value| s.pointer("/data/isConsulted").and_then(Value::as_bool) == Some(true);
            let pair = (
                a.get("desktop").and_then(Value::as_str).unwrap_or(""),
                b.get("desktop").and_then(Value::as_str).unwrap_or(""),
            );
            if a.get("agent") == b.get("agent")
                && !consulted(a)
                && !consulted(b)
                && PAIRS.contains(&pair)
                && self.chance(0.15)
            {
                seq.swap(i - 1, i);
            }
        }
    }

    /// Adjacent re-deliveries of desktop events.
    fn duplicates(&mut self, seq: Vec<Value>) -> Vec<Value> {
        common::duplicates(&mut self.rng, seq, 0.1)
    }

    /// Merges two sequences keeping each one's order.
    fn interleave(&mut self, a: Vec<Value>, b: Vec<Value>) -> Vec<Value> {
        common::interleave(&mut self.rng, a, b)
    }

    /// The transferring agent's side after it gave the call away: re-sends, wrap-up, lost
    /// answers and reloads.
    fn giver_post(&mut self, p: &'static str, call: &Call, notice: Value) -> Vec<Value> {
        let mut post = vec![notice.clone()];
        if self.chance(0.2) {
            post.push(notice.clone());
        }
        if self.chance(0.3) {
            post.push(call.ev(p, "eAgentContactEnded", "wrapUp"));
        }
        if self.chance(0.1) {
            post.push(notice);
        }
        if self.chance(0.9) {
            if self.chance(0.1) {
                post.push(advance("2h10m".into()));
            }
            post.push(call.ev(p, "eAgentWrapup", "wrapUp"));
            if self.chance(0.3) {
                self.notes(p, call, &mut post);
            }
            let lost = self.chance(0.15);
            if lost {
                post.push(self.no_answer("saveLog"));
            }
            let reason = self.pick(&["Transferred", "Escalated"]).unwrap_or("Transferred");
            post.push(call.ev_with(p, "eAgentContactWrappedUp", "wrapUp", json!({"wrapUpReason": reason})));
            if lost && self.chance(0.5) {
                post.push(json!({"agent": p, "reload": true}));
            }
        }
        post
    }

    fn call_steps(&mut self, call: &mut Call, agents: &[&'static str]) -> Vec<Value> {
        let others_of = |x: &str| -> Vec<&'static str> { agents.iter().copied().filter(|a| *a != x).collect() };
        let first = self.pick(agents).unwrap_or("A");
        let mut seq = Vec::new();
        if call.outbound && self.chance(0.8) {
            seq.push(json!({"agent": first, "clickToDial": {"number": call.ani, "recordId": format!("0030000000{:02}001AAA", call.k), "objectType": "Contact"}}));
        }
        self.rona(call, &others_of(first), &mut seq);
        let lost_pop = self.chance(0.08);
        if lost_pop {
            seq.push(self.no_answer("searchAndScreenPop"));
        }
        call.owner = Some(first);
        call.parts = BTreeMap::from([(first, false)]);
        seq.push(call.ev(first, "eAgentOfferContact", "new"));
        if lost_pop && self.chance(0.6) {
            seq.push(json!({"agent": first, "reload": true}));
        }
        if self.chance(0.5) {
            seq.push(self.secs(1, 15));
        }
        let lost_create = self.chance(0.1);
        if lost_create {
            let method = if self.chance(0.7) { "saveLog" } else { "runApex" };
            seq.push(self.no_answer(method));
        }
        seq.push(call.ev(first, "eAgentContactAssigned", "connected"));
        if lost_create && self.chance(0.6) {
            seq.push(json!({"agent": first, "reload": true}));
        }
        self.body(first, call, &others_of(first), &mut seq);
        let mut seq = self.duplicates(seq);
        self.local_reorder(&mut seq);

        let hops = match self.rng.u8(..10) {
            0..=2 => 0,
            3..=5 => 1,
            6..=7 => 2,
            8 => 3,
            _ => 4,
        };
        let mut holder = first;
        let mut had: Vec<&'static str> = vec![first];
        for _ in 0..hops {
            let p = holder;
            let candidates = others_of(p);
            let back: Vec<&'static str> = candidates.iter().copied().filter(|a| had.contains(a)).collect();
            let (x, kind) = if candidates.is_empty() || self.chance(0.05) {
                // The queue routes the call back to the agent who sent it there.
                (p, Hop::Vteam)
            } else {
                let x = if !back.is_empty() && self.chance(0.45) { self.pick(&back) } else { self.pick(&candidates) };
                let kind = match self.rng.u8(..8) {
                    0 | 1 => Hop::Blind,
                    2 | 3 => Hop::Vteam,
                    4..=6 => Hop::Consult,
                    _ => Hop::OwnerChange,
                };
                (x.unwrap_or(p), kind)
            };
            seq.push(self.secs(1, 120));
            if self.chance(0.1) {
                seq.push(advance("2h10m".into()));
            }
            if matches!(kind, Hop::Consult | Hop::OwnerChange) {
                call.parts.insert(x, true);
                seq.push(call.ev(p, "eAgentConsultCreated", "consulting"));
                seq.push(call.ev(x, "eAgentOfferContact", "new"));
                seq.push(call.ev(p, "eAgentConsulting", "consulting"));
                seq.push(call.ev(x, "eAgentContactAssigned", "consulting"));
                if self.chance(0.3) {
                    seq.push(call.ev(x, "eAgentContact", "consulting"));
                }
                seq.push(self.secs(1, 60));
                if self.chance(0.05) {
                    seq.push(advance("2h10m".into()));
                }
            }
            // The call leaves p.
            let mut x_seq = Vec::new();
            let notice = match kind {
                Hop::Blind | Hop::Vteam => {
                    call.owner = if kind == Hop::Blind { Some(x) } else { None };
                    call.parts = BTreeMap::new();
                    call.ev(p, if kind == Hop::Blind { TRANSFERS[0] } else { TRANSFERS[1] }, "wrapUp")
                }
                Hop::Consult => {
                    call.owner = Some(x);
                    call.parts = BTreeMap::from([(x, false)]);
                    call.ev(p, TRANSFERS[2], "wrapUp")
                }
                Hop::OwnerChange => {
                    call.owner = Some(x);
                    call.parts = BTreeMap::from([(x, false)]);
                    call.ev_with(p, "eContactOwnerChanged", "wrapUp", json!({"fromOwner": p, "toOwner": x}))
                }
            };
            let mut p_post = self.giver_post(p, call, notice);
            // The receiving side.
            match kind {
                Hop::Consult => {
                    let resends = if self.chance(0.15) { 0 } else { self.rng.usize(1..4) };
                    for _ in 0..resends {
                        x_seq.push(call.ev(x, TRANSFERS[2], "connected"));
                    }
                    for _ in 0..self.rng.usize(1..3) {
                        x_seq.push(call.ev(x, "eAgentContact", "connected"));
                    }
                    if self.chance(0.4) {
                        x_seq.push(call.ev(x, "eAgentContactAssigned", "connected"));
                    }
                }
                Hop::OwnerChange => {
                    x_seq.push(call.ev_with(
                        x,
                        "eContactOwnerChanged",
                        "connected",
                        json!({"fromOwner": p, "toOwner": x}),
                    ));
                    for _ in 0..self.rng.usize(1..3) {
                        x_seq.push(call.ev(x, "eAgentContact", "connected"));
                    }
                }
                Hop::Blind | Hop::Vteam => {
                    if kind == Hop::Vteam && self.chance(0.15) {
                        x_seq.push(advance(format!("{}m", self.rng.u32(2..20))));
                    }
                    let not_them: Vec<&'static str> = agents.iter().copied().filter(|a| *a != x && *a != p).collect();
                    self.rona(call, &not_them, &mut x_seq);
                    call.owner = Some(x);
                    call.parts = BTreeMap::from([(x, false)]);
                    x_seq.push(call.ev(x, "eAgentOfferContact", "new"));
                    if self.chance(0.4) {
                        x_seq.push(self.secs(1, 10));
                    }
                    x_seq.push(call.ev(x, "eAgentContactAssigned", "connected"));
                }
            }
            if x != p && self.chance(0.12) {
                // p's page reloads minutes later, while the call is with x.
                x_seq.push(advance(format!("{}m", self.rng.u32(3..40))));
                x_seq.push(json!({"agent": p, "reload": true}));
            }
            let not_p: Vec<&'static str> = others_of(x).into_iter().filter(|a| *a != p).collect();
            self.body(x, call, &not_p, &mut x_seq);
            p_post = self.duplicates(p_post);
            self.local_reorder(&mut p_post);
            let mut x_seq = self.duplicates(x_seq);
            self.local_reorder(&mut x_seq);
            if x == p {
                // Back to the same agent: its wrap-up of the leg comes before the new offer.
                seq.extend(p_post);
                seq.extend(x_seq);
            } else {
                let head = if self.chance(0.6) && !p_post.is_empty() { vec![p_post.remove(0)] } else { Vec::new() };
                seq.extend(head);
                let merged = self.interleave(p_post, x_seq);
                seq.extend(merged);
            }
            holder = x;
            had.push(x);
        }

        // The last owner finishes the call.
        let last = holder;
        let mut tail = vec![self.secs(1, 300)];
        if self.chance(0.1) {
            tail.push(advance("2h10m".into()));
        }
        if self.chance(0.5) {
            tail.push(call.ev(last, "eAgentContactEnded", "wrapUp"));
        }
        tail.push(call.ev(last, "eAgentWrapup", "wrapUp"));
        if self.chance(0.3) {
            self.notes(last, call, &mut tail);
        }
        tail.push(self.secs(1, 60));
        let lost = self.chance(0.15);
        if lost {
            tail.push(self.no_answer("saveLog"));
        }
        let reason = self.pick(&["Resolved", "Callback", "Sale"]).unwrap_or("Resolved");
        call.parts = BTreeMap::new();
        tail.push(call.ev_with(last, "eAgentContactWrappedUp", "wrapUp", json!({"wrapUpReason": reason})));
        if lost && self.chance(0.6) {
            tail.push(json!({"agent": last, "reload": true}));
        }
        let mut tail = self.duplicates(tail);
        self.local_reorder(&mut tail);
        seq.extend(tail);
        seq
    }

    fn hostile(&mut self, token: &str) -> (String, bool) {
        match self.rng.u8(..10) {
            0 => (format!("{token} OR Name:* {{x}} [y] (z) ^~ \\\" ' + - & | ! ?"), true),
            1 => (format!("{token} <script>alert('x')</script><img src=x onerror=alert(1)>"), true),
            2 => (format!("{token} \u{202E}مرحبا بالعالم 📞🙂 שלום\u{202C}"), true),
            3 => {
                let mut s = format!("{token} ");
                while s.len() < 65_536 {
                    s.push_str("x\u{1F4DE}y");
                }
                (s, true)
            }
            _ => (token.to_string(), false),
        }
    }

    fn settings(&mut self, ownership: bool, cad_fields: bool) -> Value {
        let b = |v: bool| Value::String(v.to_string());
        let mut s = Map::new();
        let mut set = |k: &str, v: Value| {
            s.insert(k.to_string(), v);
        };
        set("/reqActivityRecordConfig/isActivityRecordOwnershiptobeChangedForTransferredCalls", b(ownership));
        let at_connect = ownership || self.chance(0.5);
        set("/reqActivityRecordConfig/isActivityRecordCreationAtConnected", b(at_connect));
        set("/reqActivityRecordConfig/isCallNotesEnabled", b(true));
        set("/reqSFDCCaseConfig/isCaseCreationEnabledForInboundCalls", b(self.chance(0.5)));
        set("/reqSFDCCaseConfig/isCaseCreationEnabledForOutboundCalls", b(self.chance(0.5)));
        set("/reqSFDCCaseConfig/isCreatedCaseObjectToBeOpenInEditMode", b(self.chance(0.3)));
        set("/reqActivityRecordConfig/reqIsActivityAutoRefreshEnabled", b(self.chance(0.3)));
        set("/reqActivityRecordConfig/activityRecordOpenedInEditmodeConnectedState", b(at_connect && self.chance(0.3)));
        set("/reqActivityRecordConfig/activityRecordOpenedInEditmodeCallDisConnectedState", b(self.chance(0.3)));
        set("/reqNoRecordMatchConfig/isNoRecordMatchScenarioEnabled", b(self.chance(0.3)));
        set("/reqAdvanceScreenpopConfig/reqIsAdvancedScreenpopEnabled", b(self.chance(0.3)));
        set("/reqAdvanceScreenpopConfig/screenpopSearchParamCadName", Value::String("cad_variable".into()));
        let multiple = if self.chance(0.5) { "pick" } else { "search" };
        set("/reqAdvanceScreenpopConfig/multipleMatchAction", Value::String(multiple.into()));
        if cad_fields {
            set("/reqActivityRecordConfig/reqIsCadVariableUpdatedToActivity", b(true));
            set(
                "/reqActivityRecordConfig/CadSalesforceFieldMapping1",
                Value::String(
                    json!([
                        {"CadFieldName": "callReason", "SalesforceFieldName": "Reason__c", "isDefaultValueEnabled": "false", "defaultFieldValue": ""},
                        {"CadFieldName": "cad_variable", "SalesforceFieldName": "Customer_Ref__c", "isDefaultValueEnabled": "false", "defaultFieldValue": ""}
                    ])
                    .to_string(),
                ),
            );
        }
        json!({ "settings": s })
    }

    fn scenario(&mut self, ownership: bool) -> Value {
        let n_agents = 1 + self.rng.usize(..3);
        let agents: Vec<&'static str> = AGENTS.iter().copied().take(n_agents).collect();
        let n_calls = match self.rng.u8(..10) {
            0..=4 => 1,
            5..=7 => 2,
            _ => 3,
        };
        self.single_call = n_calls == 1;
        let cad_fields = self.chance(0.35);
        let mut records = Vec::new();
        let mut calls = Vec::new();
        for k in 0..n_calls {
            let digits = format!("212555{:04}", 100 + k * 37 + self.rng.usize(..30));
            let ani = if self.chance(0.5) { format!("+1{digits}") } else { digits.clone() };
            match self.rng.u8(..4) {
                0 => {}
                1 | 2 => records.push(json!({"type": "Contact", "Id": format!("0030000000{k:02}001AAA"), "LastName": format!("Caller {k}"), "Phone": digits, "AccountId": "001000000000001AAA"})),
                _ => {
                    records.push(json!({"type": "Contact", "Id": format!("0030000000{k:02}001AAA"), "LastName": format!("Caller {k}"), "Phone": digits}));
                    records.push(json!({"type": "Lead", "Id": format!("00Q0000000{k:02}001AAA"), "LastName": format!("Lead {k}"), "Phone": format!("+1 {digits}")}));
                }
            }
            let token = format!("REF{k}Q{}", self.rng.u32(1000..10_000));
            let mut cad = Map::new();
            cad.insert("ref".into(), json!({"name": "ref", "value": token}));
            if self.chance(0.5) {
                let (value, _) = self.hostile(&token);
                cad.insert("cad_variable".into(), json!({"name": "cad_variable", "value": value}));
            }
            if self.chance(0.5) {
                let n = self.rng.usize(40..70);
                let mut reason = self.words(n);
                reason.push_str(&format!(" {token}"));
                cad.insert("callReason".into(), json!({"name": "callReason", "value": reason}));
            }
            calls.push(Call {
                k,
                id: format!("call-{k}-{:04x}", self.rng.u16(..)),
                ani,
                outbound: self.chance(0.15),
                queue: self.pick(&["Support", "Sales", "Billing"]).unwrap_or("Support"),
                cad,
                owner: None,
                parts: BTreeMap::new(),
            });
        }
        let mut steps: Vec<Value> = Vec::new();
        for call in &mut calls {
            let seq = self.call_steps(call, &agents);
            steps = self.interleave(steps, seq);
        }
        // Noise anywhere: transient failures, reloads, time; now and then a refusal for good.
        let permanent_at = self.chance(0.2).then(|| self.rng.usize(..steps.len().max(1)));
        let mut noisy = Vec::with_capacity(steps.len() * 2);
        for (i, step) in steps.into_iter().enumerate() {
            if permanent_at == Some(i) {
                let (method, code) = if self.chance(0.75) {
                    ("saveLog", self.pick(&PERMANENT).unwrap_or("INVALID_FIELD"))
                } else {
                    ("runApex", "GENERIC_ERROR")
                };
                // Between two 1 ms steps, so that the calls after it are told apart by time.
                noisy.push(advance("1ms".into()));
                noisy.push(json!({"salesforce": "fail", "method": method, "times": FOREVER, "code": code}));
                noisy.push(advance("1ms".into()));
            }
            if self.chance(0.05) {
                let method = self.pick(&["saveLog", "runApex", "searchAndScreenPop"]);
                let code = self.pick(&TRANSIENT);
                noisy.push(json!({"salesforce": "fail", "method": method, "times": self.rng.u32(1..5), "code": code}));
            }
            if self.chance(0.03) {
                let agent = self.pick(&agents);
                noisy.push(json!({"agent": agent, "reload": true}));
            }
            if self.chance(0.08) {
                noisy.push(self.secs(0, 20));
            }
            noisy.push(step);
        }
        let users: Map<String, Value> = agents.iter().map(|a| ((*a).to_string(), json!(user_of(a)))).collect();
        let agent_specs: Map<String, Value> = agents.iter().map(|a| ((*a).to_string(), json!({}))).collect();
        records.push(json!({"type": "Account", "Id": "001000000000001AAA", "Name": "Acme"}));
        json!({
            "callCenter": self.settings(ownership, cad_fields),
            "org": {"records": records, "users": users},
            "agents": agent_specs,
            "start": START,
            "steps": own_view_before_reload(noisy),
        })
    }
}

/// The runner re-sends, on a reload, the interaction's data as last delivered to anyone. Before
/// each reload the agent gets its own view (a plain `eAgentContact` re-send), so that what the
/// reload re-sends is what the desktop would send that agent.
/// These steps are marked (the runner ignores the mark) and made again after shrinking.
fn own_view_before_reload(steps: Vec<Value>) -> Vec<Value> {
    let mut stored: BTreeMap<String, Value> = BTreeMap::new();
    let mut out = Vec::with_capacity(steps.len());
    for step in steps.into_iter().filter(|s| s.get(OWN_VIEW).is_none()) {
        if step.get("reload").and_then(Value::as_bool) == Some(true) {
            let agent = str_field(&step, "agent").to_string();
            for data in stored.values_mut() {
                let consulted = data.pointer(&format!("/interaction/participants/{agent}/isConsulted")).cloned();
                let Some(consulted) = consulted else { continue };
                if str_field(data, "agentId") == agent {
                    continue;
                }
                let owner = str_field(data, "owner") == agent;
                let mut mine = data.clone();
                mine["agentId"] = json!(agent);
                mine["isConsulted"] = consulted;
                mine["interaction"]["state"] = json!(if owner { "connected" } else { "consulting" });
                // What the runner keeps (and re-sends) from now on.
                *data = mine.clone();
                out.push(json!({"agent": agent, "desktop": "eAgentContact", "data": mine, OWN_VIEW: true}));
            }
        }
        if let Some(data) = step.get("data") {
            stored.insert(str_field(data, "interactionId").to_string(), data.clone());
        }
        out.push(step);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Expectations, derived from the scenario's own steps
// ---------------------------------------------------------------------------------------------

#[derive(Default, Debug, Clone)]
struct Leg {
    owner: bool,
    consulted: bool,
    /// The current leg was answered (and not yet finished).
    answered_now: bool,
    answered_ever: bool,
    finished_any: bool,
    /// Times the call reached this agent as its owner.
    arrivals: u32,
    /// An answered leg whose wrap-up has not come yet.
    awaiting_wrap_up: bool,
    /// The reason of this agent's latest leg wrap-up.
    reason: Option<String>,
    notes: Option<String>,
    notes_long: bool,
    /// Clock of this agent's last step on the interaction (an event or notes).
    last_at: i64,
    /// Since the leg's last answer, more than 8 hours passed between two of this agent's steps
    /// on it: the adapter may have forgotten the call (a call not handed back after a reload,
    /// or given away, is kept 8 hours after the agent's last activity), and a wrap-up after
    /// that cannot reach the Task.
    silent_too_long: bool,
    /// This agent's latest leg finished (given away or wrapped up) while `silent_too_long`: the
    /// adapter may have forgotten the call before it finished (SPEC §6, unfinished calls are
    /// kept 8 hours after the agent's last activity), so its Task and notes are not required.
    forgotten_open: bool,
    /// The reason of a wrap-up that came while `silent_too_long`: the adapter may have written
    /// it (it still held the call) or not (it had forgotten it), so either reason is right.
    reason_late: Option<String>,
    /// More than 8 hours passed between two of this agent's steps after its latest notes: what
    /// the adapter still held of them for the panel (a parked write) is dropped by retention.
    notes_left_alone: bool,
}

#[derive(Default, Debug)]
struct Expect {
    legs: BTreeMap<(String, String), Leg>,
    /// interaction → (agent whose wrap-up as owner ended it, reason).
    last: BTreeMap<String, (String, String)>,
    /// interaction → pop tokens (caller digits, CAD reference).
    tokens: BTreeMap<String, Vec<String>>,
    digits: BTreeMap<String, String>,
    /// (step index, clock ms, method) of refusals for good.
    permanent: Vec<(usize, i64, String)>,
    /// interaction → index of its last desktop step.
    last_step: BTreeMap<String, usize>,
    /// The clock after the last step.
    end: i64,
    ownership: bool,
    // coverage
    transfers: u64,
    comebacks: u64,
    resent: u64,
    no_answers: u64,
    reloads: u64,
    long_calls: u64,
    hostile: u64,
}

fn duration_ms(s: &str) -> i64 {
    let mut total = 0i64;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().unwrap_or(0);
        num.clear();
        total += n * match c {
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1
            }
            'h' => 3_600_000,
            'm' => 60_000,
            _ => 1000,
        };
    }
    total + num.parse::<i64>().unwrap_or(0) * 1000
}

/// `YYYY-MM-DDTHH:MM:SS(.mmm)Z` → Unix ms.
fn instant_ms(s: &str) -> i64 {
    let num = |a: usize, b: usize| s.get(a..b).and_then(|t| t.parse::<i64>().ok()).unwrap_or(0);
    let (y, m, d) = (num(0, 4), num(5, 7), num(8, 10));
    let (hh, mm, ss) = (num(11, 13), num(14, 16), num(17, 19));
    let ms = if s.get(19..20) == Some(".") { num(20, 23) } else { 0 };
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    ((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000) + ms
}

fn expectations(scenario: &Value) -> Expect {
    let settings = scenario.pointer("/callCenter/settings");
    let flag = |k: &str| settings.and_then(|s| s.get(k)).and_then(Value::as_str) == Some("true");
    let mut e = Expect {
        ownership: flag("/reqActivityRecordConfig/isActivityRecordOwnershiptobeChangedForTransferredCalls"),
        ..Expect::default()
    };
    let steps = scenario.get("steps").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut clock = instant_ms(scenario.get("start").and_then(Value::as_str).unwrap_or(START));
    let mut stored: BTreeMap<String, Value> = BTreeMap::new();
    let ids: BTreeSet<String> = steps
        .iter()
        .filter_map(|s| s.pointer("/data/interactionId").or_else(|| s.get("interactionId")))
        .filter_map(Value::as_str)
        .map(String::from)
        .collect();
    let only = if ids.len() == 1 { ids.iter().next().cloned() } else { None };
    for (index, step) in steps.iter().enumerate() {
        if let Some(d) = step.get("advance").and_then(Value::as_str) {
            let ms = duration_ms(d);
            clock += ms;
            e.long_calls += u64::from(ms >= 3_600_000);
            continue;
        }
        match step.get("salesforce").and_then(Value::as_str) {
            Some("noAnswer") => {
                e.no_answers += 1;
                continue;
            }
            Some("fail") => {
                if step.get("times").and_then(Value::as_u64).unwrap_or(1) >= FOREVER {
                    e.permanent.push((index, clock, str_field(step, "method").to_string()));
                }
                continue;
            }
            _ => {}
        }
        let Some(agent) = step.get("agent").and_then(Value::as_str) else { continue };
        if step.get("reload").is_some() {
            e.reloads += 1;
            continue;
        }
        if let Some(text) = step.get("notes").and_then(Value::as_str) {
            let id = step.get("interactionId").and_then(Value::as_str).map(String::from).or_else(|| only.clone());
            if let Some(id) = id {
                let leg = e.legs.entry((id, agent.to_string())).or_default();
                leg.last_at = clock;
                leg.notes_left_alone = false;
                leg.notes = Some(text.trim().to_string());
                leg.notes_long = text.chars().count() > 32_000;
            }
            continue;
        }
        let Some(name) = step.get("desktop").and_then(Value::as_str) else { continue };
        let data = match step.get("data") {
            Some(d) => d.clone(),
            None => {
                let id = str_field(step, "interactionId");
                let Some(d) = stored.get(id) else { continue };
                d.clone()
            }
        };
        let id = str_field(&data, "interactionId").to_string();
        if id.is_empty() {
            continue;
        }
        stored.insert(id.clone(), data.clone());
        e.last_step.insert(id.clone(), index);
        if let Some(ani) = data.pointer("/interaction/callProcessingDetails/ani").and_then(Value::as_str) {
            let digits = last_chars(&digits_of(ani), 7);
            let tokens = e.tokens.entry(id.clone()).or_default();
            if tokens.is_empty() {
                tokens.push(digits.clone());
                if let Some(r) = data.pointer("/interaction/callAssociatedData/ref/value").and_then(Value::as_str) {
                    tokens.push(r.to_string());
                }
                let hostile = data
                    .pointer("/interaction/callAssociatedData/cad_variable/value")
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.len() > 1000 || v.contains('<') || v.contains('{') || v.contains('\u{202E}'));
                e.hostile += u64::from(hostile);
            }
            e.digits.insert(id.clone(), digits);
        }
        let consulted = data.get("isConsulted").and_then(Value::as_bool) == Some(true);
        let data_owner = str_field(&data, "owner");
        let state = data.pointer("/interaction/state").and_then(Value::as_str).unwrap_or("");
        let leg = e.legs.entry((id.clone(), agent.to_string())).or_default();
        // The adapter forgets a call this agent has not finished 8 hours after the agent's last
        // activity on it (admin guide, "What the adapter keeps"): a wrap-up after that cannot
        // reach the Task any more.
        if leg.last_at > 0 && clock - leg.last_at > KEEP_UNFINISHED_MS {
            leg.silent_too_long = true;
            leg.notes_left_alone |= leg.notes.is_some();
        }
        leg.last_at = clock;
        let arrive = |leg: &mut Leg, e_comebacks: &mut u64| {
            if leg.answered_ever || leg.finished_any {
                *e_comebacks += 1;
            }
            leg.owner = true;
            leg.arrivals += 1;
            leg.answered_now = false;
        };
        let give_away = |leg: &mut Leg| {
            leg.owner = false;
            if leg.answered_now {
                leg.finished_any = true;
                leg.forgotten_open = leg.silent_too_long;
            }
            leg.answered_now = false;
        };
        // The leg is answered (assigned, consult-transferred or handed by owner change): a leg
        // answered again starts a new stretch of activity.
        let answered = |leg: &mut Leg| {
            if !leg.answered_now {
                leg.silent_too_long = false;
            }
            leg.answered_now = true;
            leg.answered_ever = true;
            leg.awaiting_wrap_up = true;
        };
        let mut comebacks = 0u64;
        match name {
            "eAgentOfferContact" | "eAgentContactAssigned" | "eAgentContact" => {
                if consulted {
                    if !leg.owner {
                        leg.consulted = true;
                    }
                } else {
                    let reaches = name != "eAgentContact" || (data_owner == agent && state == "connected");
                    if reaches && !leg.owner {
                        arrive(leg, &mut comebacks);
                    }
                    if leg.owner {
                        leg.consulted = false;
                        if name == "eAgentContactAssigned" || (name == "eAgentContact" && state == "connected") {
                            answered(leg);
                        }
                    }
                }
            }
            "eAgentContactHeld" | "eAgentContactUnHeld" if leg.owner => {
                leg.answered_now = true;
                leg.answered_ever = true;
                leg.awaiting_wrap_up = true;
            }
            "eAgentConsultEnded" if leg.consulted && !leg.owner => leg.consulted = false,
            "eAgentOfferContactRona" if leg.owner && !leg.answered_now => leg.owner = false,
            "eConsultTransfer" | "eAgentblindTransferred" | "eAgentvteamTransfer" => {
                e.transfers += 1;
                if name == "eConsultTransfer" && leg.consulted && !leg.owner {
                    leg.consulted = false;
                    arrive(leg, &mut comebacks);
                    answered(leg);
                } else if leg.owner && data_owner != agent {
                    give_away(leg);
                } else {
                    e.resent += 1;
                }
            }
            "eContactOwnerChanged" => {
                e.transfers += 1;
                let to = data.get("toOwner").and_then(Value::as_str);
                let from = data.get("fromOwner").and_then(Value::as_str);
                if to == Some(agent) && !leg.owner {
                    leg.consulted = false;
                    arrive(leg, &mut comebacks);
                    answered(leg);
                } else if from == Some(agent) && leg.owner {
                    give_away(leg);
                } else {
                    e.resent += 1;
                }
            }
            "eAgentContactWrappedUp" => {
                let reason = data.get("wrapUpReason").and_then(Value::as_str).filter(|r| !r.is_empty());
                // The wrap-up of a leg (a repeat of it carries nothing new).
                if leg.awaiting_wrap_up {
                    leg.awaiting_wrap_up = false;
                    leg.forgotten_open = leg.silent_too_long;
                    leg.reason_late = reason.filter(|_| leg.silent_too_long).map(str::to_string);
                    if let Some(r) = reason.filter(|_| !leg.silent_too_long) {
                        leg.reason = Some(r.to_string());
                    }
                }
                // The desktop says someone else has the call now: this agent gave it away.
                if leg.owner && !data_owner.is_empty() && data_owner != agent {
                    give_away(leg);
                }
                if leg.owner {
                    let ended = leg.answered_now;
                    give_away(leg);
                    if ended {
                        if let Some(r) = reason {
                            e.last.insert(id.clone(), (agent.to_string(), r.to_string()));
                        }
                    }
                }
            }
            _ => {}
        }
        e.comebacks += comebacks;
    }
    e.end = clock;
    e
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Property {
    P1OwnershipOnOneTask,
    P2OwnershipOffOneTaskPerAgent,
    P3NoTaskForConsulted,
    P4OneCase,
    P5NotesKept,
    P6NoRepeatedPop,
    P7DrainedOrParked,
    P8Deterministic,
    P9Plays,
    P10SubjectOfItsCall,
}

const PROPERTIES: [Property; 10] = [
    Property::P1OwnershipOnOneTask,
    Property::P2OwnershipOffOneTaskPerAgent,
    Property::P3NoTaskForConsulted,
    Property::P4OneCase,
    Property::P5NotesKept,
    Property::P6NoRepeatedPop,
    Property::P7DrainedOrParked,
    Property::P8Deterministic,
    Property::P9Plays,
    Property::P10SubjectOfItsCall,
];

#[derive(Debug, Clone)]
struct Failure {
    property: Property,
    /// Which part of the property (kept while shrinking).
    kind: &'static str,
    message: String,
}

#[derive(Debug, Default, Clone, Copy)]
struct Coverage {
    runs: u64,
    steps: u64,
    interactions: u64,
    drained: u64,
    transfers: u64,
    comebacks: u64,
    resent: u64,
    no_answers: u64,
    reloads: u64,
    permanent: u64,
    long_calls: u64,
    hostile: u64,
    exactly_one_checked: u64,
    exempt: u64,
    parked: u64,
    notes_checked: u64,
    pops: u64,
    never_received: u64,
}

fn any_string_contains(v: &Value, needle: &str) -> bool {
    match v {
        Value::String(s) => s.contains(needle),
        Value::Array(a) => a.iter().any(|x| any_string_contains(x, needle)),
        Value::Object(o) => o.values().any(|x| any_string_contains(x, needle)),
        _ => false,
    }
}

/// Checks one run's output against what its steps say; every broken property (once each kind).
fn check(scenario: &Value, output: &Value, cov: &mut Coverage) -> Vec<Failure> {
    use Property as P;
    let e = expectations(scenario);
    let mut failures: Vec<Failure> = Vec::new();
    let mut broke = |property: Property, kind: &'static str, message: String| {
        if !failures.iter().any(|f| f.property == property && f.kind == kind) {
            failures.push(Failure { property, kind, message });
        }
    };
    let empty = Vec::new();
    let tasks = output.pointer("/org/Task").and_then(Value::as_array).unwrap_or(&empty);
    let cases = output.pointer("/org/Case").and_then(Value::as_array).unwrap_or(&empty);
    let effects = output.get("effects").and_then(Value::as_array).unwrap_or(&empty);
    let pops = output.get("pops").and_then(Value::as_array).unwrap_or(&empty);
    let parked = output.get("parked").and_then(Value::as_array).unwrap_or(&empty);
    let drained =
        output.get("outboxes").and_then(Value::as_object).is_some_and(|o| o.values().all(|n| n.as_u64() == Some(0)));

    cov.drained += u64::from(drained);
    cov.transfers += e.transfers;
    cov.comebacks += e.comebacks;
    cov.resent += e.resent;
    cov.no_answers += e.no_answers;
    cov.reloads += e.reloads;
    cov.permanent += e.permanent.len() as u64;
    cov.long_calls += e.long_calls;
    cov.hostile += e.hostile;
    cov.parked += parked.len() as u64;

    // 7: outboxes drained; parked entries carry a reason.
    if !drained {
        broke(P::P7DrainedOrParked, "outbox not drained", format!("outboxes left: {}", output["outboxes"]));
    }
    for p in parked {
        if str_field(p, "reason").trim().is_empty() || str_field(p, "interactionId").is_empty() {
            broke(P::P7DrainedOrParked, "parked without reason", format!("parked entry without a reason: {p}"));
        }
    }

    let interactions: BTreeSet<String> = e.legs.keys().map(|(i, _)| i.clone()).collect();
    cov.interactions += interactions.len() as u64;
    for id in &interactions {
        let of_call: Vec<&Value> = tasks.iter().filter(|t| str_field(t, "CallObject") == id).collect();
        let task_ids: Vec<&str> = of_call.iter().map(|t| str_field(t, "Id")).filter(|t| !t.is_empty()).collect();
        let legs: Vec<(&String, &Leg)> =
            e.legs.iter().filter(|((i, _), _)| i == id).map(|((_, a), l)| (a, l)).collect();
        let mentions = |fx: &Value| {
            let args = fx.get("args").map(Value::to_string).unwrap_or_default();
            args.contains(id.as_str()) || task_ids.iter().any(|t| args.contains(t))
        };
        // Hit by a refusal for good: a call of the refused method for this interaction after it.
        let hit = e.permanent.iter().any(|(index, at, method)| {
            let later = |fx: &Value| instant_ms(str_field(fx, "at")) > *at;
            if method == "runApex" {
                // Asking who the user is serves every write waiting on it.
                let asks_user =
                    |fx: &Value| fx.pointer("/args/methodName").and_then(Value::as_str) == Some("currentUserId");
                e.last_step.get(id).is_some_and(|l| l > index)
                    || effects.iter().any(|fx| later(fx) && (mentions(fx) || asks_user(fx)))
            } else {
                let digits = e.digits.get(id).cloned().unwrap_or_default();
                effects.iter().any(|fx| {
                    later(fx)
                        && str_field(fx, "call") == method
                        && (mentions(fx)
                            || (fx.pointer("/args/value/entityApiName").and_then(Value::as_str) == Some("Case")
                                && !digits.is_empty()
                                && digits_of(&fx.get("args").map(Value::to_string).unwrap_or_default())
                                    .contains(&digits)))
                })
            }
        });
        cov.exempt += u64::from(hit);
        let parked_here: Vec<&Value> = parked.iter().filter(|p| str_field(p, "interactionId") == id).collect();
        let any_active = legs.iter().any(|(_, l)| l.owner && l.answered_now);
        // Notes of an agent: where they must be (None: no Task to look in).
        let mut notes_missing: Vec<(String, String, bool)> = Vec::new();
        let mut complete = true;

        // 3: nobody who never received the call logs anything.
        for (agent, leg) in &legs {
            if leg.answered_ever {
                continue;
            }
            cov.never_received += 1;
            if of_call.iter().any(|t| str_field(t, "OwnerId") == user_of(agent)) {
                broke(P::P3NoTaskForConsulted, "task", format!("agent {agent} never received {id} but owns a Task"));
            }
            let wrote = effects.iter().any(|fx| {
                str_field(fx, "agent") == agent.as_str() && str_field(fx, "call") == "saveLog" && mentions(fx)
            });
            if wrote {
                broke(
                    P::P3NoTaskForConsulted,
                    "saveLog",
                    format!("agent {agent} never received {id} but wrote its Task"),
                );
            }
        }

        if e.ownership {
            if of_call.len() > 1 {
                broke(
                    P::P1OwnershipOnOneTask,
                    "several Tasks",
                    format!("{} Tasks for interaction {id}", of_call.len()),
                );
            }
            if let Some((last, reason)) = e.last.get(id).filter(|_| drained && !any_active) {
                let task = of_call.first();
                let ok = task.is_some_and(|t| {
                    str_field(t, "OwnerId") == user_of(last)
                        && str_field(t, "Status") == "Completed"
                        && str_field(t, "CallDisposition") == reason
                });
                complete = ok && of_call.len() == 1;
                if !hit {
                    cov.exactly_one_checked += 1;
                    match task {
                        None => {
                            broke(P::P1OwnershipOnOneTask, "no Task", format!("no Task for {id}, wrapped up by {last}"))
                        }
                        Some(t) if str_field(t, "OwnerId") != user_of(last) => broke(
                            P::P1OwnershipOnOneTask,
                            "owner",
                            format!(
                                "Task of {id} owned by {:?} ({:?}), not the last agent {last}",
                                str_field(t, "OwnerId"),
                                agent_of_user(str_field(t, "OwnerId"))
                            ),
                        ),
                        Some(t) if str_field(t, "Status") != "Completed" => broke(
                            P::P1OwnershipOnOneTask,
                            "status",
                            format!("Task of {id} is {:?}, not Completed", str_field(t, "Status")),
                        ),
                        Some(t) if str_field(t, "CallDisposition") != reason => broke(
                            P::P1OwnershipOnOneTask,
                            "disposition",
                            format!(
                                "Task of {id} has CallDisposition {:?}, not {reason:?} ({last})",
                                str_field(t, "CallDisposition")
                            ),
                        ),
                        Some(_) => {}
                    }
                }
                let description = task.map(|t| str_field(t, "Description")).unwrap_or("");
                for (agent, leg) in &legs {
                    if let Some(notes) = leg.notes.as_ref().filter(|n| !n.is_empty() && leg.answered_ever) {
                        if !notes_in(description, notes, leg.notes_long) {
                            notes_missing.push(((*agent).clone(), notes.clone(), leg.notes_long));
                        }
                    }
                }
            }
        } else {
            for (agent, leg) in &legs {
                let mine: Vec<&&Value> = of_call.iter().filter(|t| str_field(t, "OwnerId") == user_of(agent)).collect();
                if mine.len() > 1 {
                    broke(
                        P::P2OwnershipOffOneTaskPerAgent,
                        "several Tasks",
                        format!("{} Tasks of agent {agent} for {id}", mine.len()),
                    );
                }
                if !(drained && leg.answered_ever && leg.finished_any && !(leg.owner && leg.answered_now)) {
                    continue;
                }
                if leg.forgotten_open && mine.is_empty() {
                    continue; // forgotten before it finished (see `Leg::forgotten_open`)
                }
                let task = mine.first();
                let ok = task.is_some_and(|t| {
                    let disposition = str_field(t, "CallDisposition");
                    str_field(t, "Status") == "Completed"
                        && (leg.reason.as_ref().is_none_or(|r| disposition == r.as_str())
                            || leg.reason_late.as_deref() == Some(disposition))
                });
                complete &= ok && mine.len() == 1;
                if !hit {
                    cov.exactly_one_checked += 1;
                    match task {
                        None => broke(
                            P::P2OwnershipOffOneTaskPerAgent,
                            "no Task",
                            format!("no Task of agent {agent} for {id} (answered, finished)"),
                        ),
                        Some(t) if str_field(t, "Status") != "Completed" => broke(
                            P::P2OwnershipOffOneTaskPerAgent,
                            "status",
                            format!("agent {agent}'s Task of {id} is {:?}, not Completed", str_field(t, "Status")),
                        ),
                        Some(t) if !ok => broke(
                            P::P2OwnershipOffOneTaskPerAgent,
                            "disposition",
                            format!(
                                "agent {agent}'s Task of {id} has CallDisposition {:?}, not {:?}",
                                str_field(t, "CallDisposition"),
                                leg.reason
                            ),
                        ),
                        _ => {}
                    }
                }
                if let Some(notes) = leg.notes.as_ref().filter(|n| !n.is_empty()) {
                    let description = task.map(|t| str_field(t, "Description")).unwrap_or("");
                    if !notes_in(description, notes, leg.notes_long) {
                        notes_missing.push(((*agent).clone(), notes.clone(), leg.notes_long));
                    }
                }
            }
        }

        // 5 (or 7 when a refusal for good hit the interaction).
        // What an agent kept for its panel is dropped once the agent has left the call alone for
        // the retention of unfinished calls (8 h, SPEC §6 data at rest): not required after it.
        let expired = |agent: &str| {
            e.legs
                .get(&(id.clone(), agent.to_string()))
                .is_some_and(|l| e.end - l.last_at > KEEP_UNFINISHED_MS || l.forgotten_open || l.notes_left_alone)
        };
        for (agent, notes, long) in &notes_missing {
            cov.notes_checked += 1;
            let in_parked = parked_here.iter().any(|p| any_string_contains(p, notes)) || expired(agent);
            let short: String = notes.chars().take(60).collect();
            if hit {
                if !in_parked {
                    broke(
                        P::P7DrainedOrParked,
                        "notes not parked",
                        format!("agent {agent}'s notes {short:?}… on {id} are neither in the Task nor parked"),
                    );
                }
            } else if !in_parked || !*long {
                broke(
                    P::P5NotesKept,
                    "notes",
                    format!(
                        "agent {agent}'s notes {short:?}… ({} chars) are not in the Task of {id}",
                        notes.chars().count()
                    ),
                );
            }
        }
        // 7: a refusal for good ends complete or parked with a reason.
        if hit && drained && !complete && parked_here.is_empty() && !legs.iter().all(|(a, _)| expired(a)) {
            broke(
                P::P7DrainedOrParked,
                "no parked entry",
                format!("{id} was refused for good, has no complete Task and nothing parked"),
            );
        }

        // 4
        if let Some(digits) = e.digits.get(id) {
            let n = cases.iter().filter(|c| digits_of(str_field(c, "ContactPhone")).ends_with(digits.as_str())).count();
            if n > 1 {
                broke(P::P4OneCase, "several Cases", format!("{n} Cases for interaction {id}"));
            }
        }
    }

    // 10: a subject the agent typed (`subj-<agent>-<k> …`) is only ever on call k's Task.
    for task in tasks {
        let subject = str_field(task, "Subject");
        let Some(rest) = subject.strip_prefix("subj-") else { continue };
        let typed_for = rest.split_once(' ').map(|(tag, _)| tag).and_then(|tag| tag.rsplit_once('-')).map(|(_, k)| k);
        let call = str_field(task, "CallObject");
        if typed_for.is_none_or(|k| !call.starts_with(&format!("call-{k}-"))) {
            broke(
                P::P10SubjectOfItsCall,
                "subject of another call",
                format!("Task of {call} has the subject {subject:?}"),
            );
        }
    }

    // 6: pops, attributed to an interaction by its record, caller digits or CAD reference.
    let records = scenario.pointer("/org/records").and_then(Value::as_array).unwrap_or(&empty);
    let mut per: BTreeMap<(String, String), u32> = BTreeMap::new();
    let mut per_agent: BTreeMap<String, u32> = BTreeMap::new();
    let seeded: BTreeSet<&str> = records.iter().map(|r| str_field(r, "Id")).collect();
    // The caller's screen pop (a search, a new record, or a seeded record), not a Task or Case
    // opened afterwards.
    let caller_pops = pops.iter().filter(|p| match str_field(p, "type") {
        "search" | "newRecord" => true,
        "sobject" => seeded.contains(str_field(p, "recordId")),
        _ => false,
    });
    for pop in caller_pops {
        cov.pops += 1;
        let agent = str_field(pop, "agent").to_string();
        *per_agent.entry(agent.clone()).or_default() += 1;
        let mut text = pop.to_string();
        if let Some(rec) = records
            .iter()
            .find(|r| !str_field(pop, "recordId").is_empty() && str_field(r, "Id") == str_field(pop, "recordId"))
        {
            text.push_str(&digits_of(str_field(rec, "Phone")));
        }
        let owners: Vec<&String> = e
            .tokens
            .iter()
            .filter(|(_, toks)| {
                toks.iter()
                    .any(|t| !t.is_empty() && (text.contains(t.as_str()) || digits_of(&text).contains(t.as_str())))
            })
            .map(|(i, _)| i)
            .collect();
        if let [only] = owners.as_slice() {
            *per.entry(((*only).clone(), agent)).or_default() += 1;
        }
    }
    // A pick in the panel opens the record picked: a pop the agent asked for, once per pick.
    let picks = |agent: &str| {
        scenario
            .get("steps")
            .and_then(Value::as_array)
            .map_or(0, |s| s.iter().filter(|x| x.get("pick").is_some() && str_field(x, "agent") == agent).count())
            as u32
    };
    for ((id, agent), n) in &per {
        let arrivals = e.legs.get(&(id.clone(), agent.clone())).map_or(0, |l| l.arrivals) + picks(agent);
        if *n > arrivals {
            broke(
                P::P6NoRepeatedPop,
                "repeated pop",
                format!("{n} pops of {id} at agent {agent}, which the call reached as owner {arrivals} times"),
            );
        }
    }
    for (agent, n) in &per_agent {
        let arrivals: u32 =
            e.legs.iter().filter(|((_, a), _)| a == agent).map(|(_, l)| l.arrivals).sum::<u32>() + picks(agent);
        if *n > arrivals {
            broke(P::P6NoRepeatedPop, "repeated pop", format!("{n} pops at agent {agent}, {arrivals} arrivals in all"));
        }
    }
    failures
}

fn play(scenario: &Value) -> Result<Value, Failure> {
    match std::panic::catch_unwind(|| replay::run(scenario)) {
        Err(_) => Err(Failure { property: Property::P9Plays, kind: "panic", message: "panic".into() }),
        Ok(Err(err)) => {
            Err(Failure { property: Property::P9Plays, kind: "replay error", message: format!("replay error: {err}") })
        }
        Ok(Ok(output)) => Ok(output),
    }
}

fn verdict(scenario: &Value, cov: &mut Coverage, twice: bool) -> Vec<Failure> {
    match play(scenario) {
        Err(f) => vec![f],
        Ok(output) => {
            let mut failures = check(scenario, &output, cov);
            if twice {
                let again = play(scenario).ok().map(|o| o.to_string());
                if again.as_deref() != Some(output.to_string().as_str()) {
                    failures.push(Failure {
                        property: Property::P8Deterministic,
                        kind: "differs",
                        message: "the second replay gave a different output".into(),
                    });
                }
            }
            failures
        }
    }
}

fn breaks(scenario: &Value, property: Property, kind: &str) -> Option<Failure> {
    let twice = property == Property::P8Deterministic;
    verdict(scenario, &mut Coverage::default(), twice).into_iter().find(|f| f.property == property && f.kind == kind)
}

/// Drops steps (halves, quarters, … then single steps) while the property still breaks the
/// same way; at most `budget` replays.
fn shrink(scenario: &Value, property: Property, kind: &str, mut budget: u32) -> Value {
    let mut best = scenario.clone();
    let mut chunk = best.get("steps").and_then(Value::as_array).map_or(1, |s| (s.len() / 2).max(1));
    loop {
        let mut i = 0;
        loop {
            let steps = best.get("steps").and_then(Value::as_array).cloned().unwrap_or_default();
            if i >= steps.len() || budget == 0 {
                break;
            }
            budget -= 1;
            let mut fewer = steps.clone();
            fewer.drain(i..(i + chunk).min(steps.len()));
            let mut candidate = best.clone();
            candidate["steps"] = Value::Array(own_view_before_reload(fewer));
            if breaks(&candidate, property, kind).is_some() {
                best = candidate;
            } else {
                i += chunk;
            }
        }
        if chunk == 1 || budget == 0 {
            break;
        }
        chunk /= 2;
    }
    best
}

fn seed_of(run: u64) -> u64 {
    // splitmix64
    let mut z = SEED.wrapping_add(run.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The scenario of a seed; its lowest bit says whether ownership change is on.
fn scenario_for(seed: u64) -> Value {
    let mut gen = Gen { rng: fastrand::Rng::with_seed(seed), single_call: true };
    gen.scenario(seed & 1 == 1)
}

fn parse_seed(s: &str) -> Option<u64> {
    let s = s.trim();
    s.strip_prefix("0x").map_or_else(|| s.parse().ok(), |hex| u64::from_str_radix(hex, 16).ok())
}

#[test]
#[ignore = "a tool: prints the scenario of RELIABILITY_SEED"]
fn print_scenario() {
    if let Some(seed) = std::env::var("RELIABILITY_SEED").ok().as_deref().and_then(parse_seed) {
        println!("{}", serde_json::to_string_pretty(&scenario_for(seed)).unwrap_or_default());
    }
}

/// 1,500 runs in `./scripts/test`; `./scripts/reliability` runs 20,000.
#[test]
fn reliability_of_generated_multi_agent_scenarios() {
    let runs = std::env::var("RELIABILITY_RUNS").ok().as_deref().and_then(parse_seed).unwrap_or(DEFAULT_RUNS);
    let started = std::time::Instant::now();
    let mut cov = Coverage::default();
    let mut first: BTreeMap<Property, (Value, Failure)> = BTreeMap::new();
    let mut seeds: BTreeMap<Property, Vec<u64>> = BTreeMap::new();
    let mut kinds: BTreeMap<(Property, &'static str), (u64, Vec<u64>)> = BTreeMap::new();
    for run in 0..runs {
        let seed = seed_of(run);
        let scenario = scenario_for(seed);
        cov.runs += 1;
        cov.steps += scenario.get("steps").and_then(Value::as_array).map_or(0, Vec::len) as u64;
        let failures = verdict(&scenario, &mut cov, run % 10 == 0);
        let mut props: BTreeSet<Property> = BTreeSet::new();
        for f in failures {
            let k = kinds.entry((f.property, f.kind)).or_default();
            k.0 += 1;
            if k.1.len() < 3 {
                k.1.push(seed);
            }
            props.insert(f.property);
            first.entry(f.property).or_insert_with(|| (scenario.clone(), f.clone()));
        }
        for p in props {
            seeds.entry(p).or_default().push(seed);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut report = String::new();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    for (property, (scenario, failure)) in &first {
        let all = seeds.get(property).cloned().unwrap_or_default();
        let listed: Vec<String> = all.iter().take(20).map(|s| format!("{s:#x}")).collect();
        let by_kind: Vec<String> = kinds
            .iter()
            .filter(|((p, _), _)| p == property)
            .map(|((_, k), (n, s))| {
                let s: Vec<String> = s.iter().map(|x| format!("{x:#x}")).collect();
                format!("{k}: {n} (e.g. {})", s.join(" "))
            })
            .collect();
        let small = shrink(scenario, *property, failure.kind, 600);
        let small_msg = breaks(&small, *property, failure.kind).map(|f| f.message).unwrap_or_default();
        let text = serde_json::to_string_pretty(&small).unwrap_or_default();
        let path = dir.join(format!("reliability-{property:?}.json"));
        let saved = std::fs::write(&path, &text).is_ok();
        let shown = if text.len() <= 60_000 { text } else { format!("({} bytes, see the file)", text.len()) };
        report.push_str(&format!(
            "\n=== {property:?}: {} of {runs} runs broke it ({}); seeds {}\nfirst: {}\nminimised ({small_msg}){}:\n{shown}\n",
            all.len(),
            by_kind.join(", "),
            listed.join(" "),
            failure.message,
            if saved { format!(", saved as {}", path.display()) } else { String::new() },
        ));
    }
    println!("{report}");
    let violations: Vec<String> =
        PROPERTIES.iter().map(|p| format!("{p:?}={}", seeds.get(p).map_or(0, Vec::len))).collect();
    println!(
        "reliability summary: {} scenarios ({} steps, {} interactions) in {seconds:.1} s; violations: {}; covered: \
         {} transfers, {} consult/queue-backs, {} resent transfer events, {} no-answer injections, {} reloads, {} \
         permanent refusals ({} interactions hit, {} parked entries), {} long calls, {} hostile payloads; {} runs \
         drained, exactly-once checked {} times, {} agents who never received a call checked, {} caller pops",
        cov.runs,
        cov.steps,
        cov.interactions,
        violations.join(" "),
        cov.transfers,
        cov.comebacks,
        cov.resent,
        cov.no_answers,
        cov.reloads,
        cov.permanent,
        cov.exempt,
        cov.parked,
        cov.long_calls,
        cov.hostile,
        cov.drained,
        cov.exactly_one_checked,
        cov.never_received,
        cov.pops,
    );
    assert!(first.is_empty(), "reliability properties broken (details above): {}", violations.join(" "));
}

/// `RELIABILITY_FILE=path cargo test --test engine_reliability -- --ignored --nocapture
/// replay_file` plays a scenario file as this test does and prints the output.
#[test]
#[ignore = "a tool: replays RELIABILITY_FILE"]
fn replay_file() {
    let Some(path) = std::env::var_os("RELIABILITY_FILE") else { return };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let scenario: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    match play(&scenario) {
        Ok(output) => {
            println!("{}", serde_json::to_string_pretty(&output).unwrap_or_default());
            for f in check(&scenario, &output, &mut Coverage::default()) {
                println!("broken: {:?} {}: {}", f.property, f.kind, f.message);
            }
        }
        Err(f) => println!("{}", f.message),
    }
}
/// `RELIABILITY_SEED=0x… cargo test --test engine_reliability -- --ignored --nocapture
/// shrink_seed` checks one seed and saves every failure it shows, minimised, under
/// `target/tmp/seed-…json`.
#[test]
#[ignore = "a tool: checks and minimises RELIABILITY_SEED"]
fn shrink_seed() {
    let Some(seed) = std::env::var("RELIABILITY_SEED").ok().as_deref().and_then(parse_seed) else { return };
    let scenario = scenario_for(seed);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    for f in verdict(&scenario, &mut Coverage::default(), true) {
        let small = shrink(&scenario, f.property, f.kind, 2000);
        let message = breaks(&small, f.property, f.kind).map(|g| g.message).unwrap_or_default();
        let path = dir.join(format!("seed-{seed:#x}-{:?}-{}.json", f.property, f.kind.replace(' ', "-")));
        let _ = std::fs::write(&path, serde_json::to_string_pretty(&small).unwrap_or_default());
        println!("{:?} {}: {}\n  minimised: {message}\n  {}", f.property, f.kind, f.message, path.display());
    }
}
