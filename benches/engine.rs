//! Native engine throughput (issues 8 and 15): how many inputs per second the sans-IO engine
//! handles, with Salesforce answered by the simulator's in-memory org (`sim::FakeOrg`) so every
//! effect of a real call is produced, executed and fed back. Run with
//! `cargo bench --profile perf --bench engine` (or `./scripts/bench`, which copies the medians into
//! BENCHMARKS.md).
//!
//! Benchmarks:
//! - `engine/inbound-call`: one inbound call (offer, answer, end, wrap-up) on a long-lived engine,
//!   calls one after another as in an agent's shift, its Persist effects not executed (the
//!   engine's own cost); throughput in inputs/s;
//! - `engine/inbound-call-persisted`: the same with every Persist executed as the widget does
//!   (`take_changes`, the records stored in memory);
//! - `engine/blind-transfer`: the call transferred from agent A to agent B (two engines, persisted);
//! - `engine/restore`: a reload: the engine rebuilt from the records of a busy session;
//! - `replay/inbound-ani-match`: the CLI's scenario replay end to end (load, run, JSON report).
//!
//! Before those, a 500-call shift with persistence writes `target/bench/persistence.json`: the
//! bytes written per call and the time per save, for each call (read by bench/report.mjs).
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use serde_json::{json, Value};
use std::hint::black_box;
use std::time::Instant;
use wxcc_sfdc_adapter::config::{self, AdapterConfig};
use wxcc_sfdc_adapter::engine::{AgentContext, Effect, Engine, Input, MemoryStore, Millis};
use wxcc_sfdc_adapter::salesforce::OpenCtiResponse;
use wxcc_sfdc_adapter::sim::FakeOrg;

const ORG: &str = include_str!("../www/sim/org.json");
const SCENARIO: &str = include_str!("../tests/scenarios/inbound-ani-match.json");
const REFERENCE: &str = include_str!("../tests/fixtures/reference/cisco-legacy-callcenter-definition.xml");

/// An agent: its WxCC id, engine and Salesforce user, answered by the shared org.
struct Agent {
    id: String,
    engine: Engine,
    user: String,
    /// The records stored at each Persist (when the shift persists).
    store: MemoryStore,
}

struct Shift {
    org: FakeOrg,
    agents: Vec<Agent>,
    now: Millis,
    calls: u64,
    /// Inputs handled so far (desktop events and the results fed back).
    inputs: u64,
    /// Whether Persist effects are executed (records taken and stored).
    persist: bool,
    /// Saves so far and the time each took (take_changes and storing), in ns.
    save_ns: Vec<u64>,
}

impl Shift {
    fn new(agents: &[(&str, &str)], config: &AdapterConfig, persist: bool) -> Shift {
        let mut shift = Shift {
            org: sample_org(),
            agents: Vec::new(),
            now: 1_795_000_000_000,
            calls: 0,
            inputs: 0,
            persist,
            save_ns: Vec::new(),
        };
        for (id, user) in agents {
            let ctx = AgentContext { agent_id: (*id).into(), agent_name: (*id).into(), ..AgentContext::default() };
            shift.agents.push(Agent {
                id: (*id).into(),
                engine: Engine::new(config.clone(), ctx),
                user: (*user).into(),
                store: MemoryStore::default(),
            });
            shift.deliver(shift.agents.len() - 1, Input::Start);
        }
        shift
    }

    /// Hands `input` to agent `a`'s engine and executes every effect until it is quiet.
    fn deliver(&mut self, a: usize, input: Input) {
        let mut queue = vec![input];
        while let Some(input) = queue.pop() {
            self.inputs += 1;
            let Some(agent) = self.agents.get_mut(a) else { return };
            agent.engine.handle(input, self.now);
            while let Some(effect) = agent.engine.poll_effect() {
                match effect {
                    Effect::OpenCti { call_id, call, .. } => {
                        let response = self.org.call(&agent.user, call.method_name(), &call.args());
                        queue.push(Input::SalesforceResult {
                            call_id,
                            response: OpenCtiResponse::from_value(&response),
                        });
                    }
                    Effect::Desktop { call_id, .. } => {
                        queue.push(Input::DesktopResult { call_id, result: Ok(json!({})) })
                    }
                    Effect::Persist if self.persist => {
                        let at = Instant::now();
                        let changes = agent.engine.take_changes();
                        agent.store.apply(changes);
                        self.save_ns.push(u64::try_from(at.elapsed().as_nanos()).unwrap_or(u64::MAX));
                    }
                    Effect::Persist => {}
                    Effect::Log { .. } => {}
                }
            }
        }
    }

    fn event(&mut self, a: usize, name: &str, data: Value) {
        self.deliver(a, Input::ContactEvent { name: name.into(), payload: json!({ "data": data }) });
    }

    /// One inbound call from Jane Doe's number, answered by agent `a`, optionally transferred to `b`.
    fn call(&mut self, a: usize, transfer_to: Option<(usize, &str)>) {
        // The in-memory org scans its Tasks; a fresh one every 50 calls keeps its share of the
        // time small and constant, so the figures are the engine's (the engines keep their state).
        if self.calls % 50 == 0 {
            self.org = sample_org();
        }
        self.calls += 1;
        let id = format!("bench-{:08}", self.calls);
        let data = |owner: &str| {
            json!({
                "interactionId": id, "agentId": owner,
                "interaction": {
                    "interactionId": id, "mediaType": "telephony", "state": "connected", "owner": owner,
                    "contactDirection": {"type": "INBOUND"},
                    "callProcessingDetails": {"ani": "+12125550101", "dnis": "+18005550100", "virtualTeamName": "Support"},
                    "callAssociatedData": {}
                }
            })
        };
        let owner = self.agents.get(a).map(|x| x.id.clone()).unwrap_or_default();
        self.event(a, "eAgentOfferContact", data(&owner));
        self.now += 4_000;
        self.event(a, "eAgentContactAssigned", data(&owner));
        self.now += 90_000;
        match transfer_to {
            Some((b, b_id)) => {
                self.event(a, "eAgentblindTransferred", data(b_id));
                self.event(a, "eAgentWrapup", data(b_id));
                self.event(b, "eAgentOfferContact", data(b_id));
                self.now += 3_000;
                self.event(b, "eAgentContactAssigned", data(b_id));
                self.now += 60_000;
                self.event(a, "eAgentContactWrappedUp", json!({"interactionId": id, "wrapUpAuxCodeId": "Transferred"}));
                self.event(b, "eAgentWrapup", data(b_id));
                self.event(b, "eAgentContactWrappedUp", json!({"interactionId": id, "wrapUpAuxCodeId": "Resolved"}));
            }
            None => {
                self.event(a, "eAgentWrapup", data(&owner));
                self.now += 20_000;
                self.event(a, "eAgentContactWrappedUp", json!({"interactionId": id, "wrapUpAuxCodeId": "Resolved"}));
            }
        }
        // The next call comes a minute later (an 8-hour shift holds about 500 such calls).
        self.now += 60_000;
        self.deliver(a, Input::Tick);
    }
}

fn sample_org() -> FakeOrg {
    let org_json: Value = serde_json::from_str(ORG).unwrap_or(Value::Null);
    FakeOrg::from_json(&org_json).unwrap_or_else(|e| panic!("sample org: {e}"))
}

fn settings_config() -> AdapterConfig {
    // The flat settings map the widget reads at run time: call notes on, and one Task per call
    // across transfers (created at connect, handed to the receiving agent).
    let settings = [
        ("/reqActivityRecordConfig/isCallNotesEnabled", "true"),
        ("/reqActivityRecordConfig/isActivityRecordCreationAtConnected", "true"),
        ("/reqActivityRecordConfig/isActivityRecordOwnershiptobeChangedForTransferredCalls", "true"),
    ];
    let loaded = config::from_settings(settings.iter().copied());
    assert!(loaded.diagnostics.is_empty(), "bench settings: {:?}", loaded.diagnostics);
    loaded.config
}

/// A 500-call shift with persistence, one agent: for each call the bytes its saves wrote (keys
/// and values, as the widget's `localStorage.setItem` gets them), the number of saves and their
/// times; and for comparison the bytes the whole snapshot would have been at each save.
fn persistence_shift(config: &AdapterConfig) -> Value {
    let mut shift = Shift::new(&[("agent-A", "005000000000001AAA")], config, true);
    let mut calls = Vec::new();
    for _ in 0..500 {
        let Some(before) = shift.agents.first().map(|a| a.store.bytes_written) else { break };
        let saves_before = shift.save_ns.len();
        shift.call(0, None);
        let Some(agent) = shift.agents.first() else { break };
        let saves = shift.save_ns.get(saves_before..).unwrap_or_default();
        calls.push(json!({
            "bytesWritten": agent.store.bytes_written - before,
            "saves": saves.len(),
            "saveNs": saves,
            "storedBytes": agent.store.size(),
            "snapshotBytes": agent.engine.snapshot().len(),
        }));
    }
    json!({ "calls": calls, "msBetweenCalls": 174_000 })
}

fn benches(c: &mut Criterion) {
    let config = settings_config();
    let shift = persistence_shift(&config);
    // Relative: cargo runs a bench in its package's folder (a path baked in at compile time would
    // follow a binary reused from another checkout).
    let dir = std::path::Path::new("target").join("bench");
    let written =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join("persistence.json"), shift.to_string()));
    if let Err(err) = written {
        eprintln!("could not write target/bench/persistence.json: {err}");
    }

    // Inputs per call, measured once so the throughput is in inputs/s; and a check that the
    // driver makes real calls (each logged once, as Salesforce sees it).
    let per_call = |transfer: bool| {
        let mut s = Shift::new(&[("agent-A", "005000000000001AAA"), ("agent-B", "005000000000002AAA")], &config, true);
        let before = s.inputs;
        s.call(0, transfer.then_some((1, "agent-B")));
        s.call(0, transfer.then_some((1, "agent-B")));
        let owners: Vec<_> = s.org.tasks().iter().filter_map(|t| t.get("OwnerId").cloned()).collect();
        let last = if transfer { "005000000000002AAA" } else { "005000000000001AAA" };
        assert_eq!(owners, [last, last], "two calls, one Task each, owned by the last agent");
        assert!(s.org.screen_pops().len() >= 2, "each call popped");
        (s.inputs - before) / 2
    };

    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(per_call(false)));
    let mut shift = Shift::new(&[("agent-A", "005000000000001AAA")], &config, false);
    group.bench_function("inbound-call", |b| b.iter(|| shift.call(0, None)));
    let mut shift = Shift::new(&[("agent-A", "005000000000001AAA")], &config, true);
    group.bench_function("inbound-call-persisted", |b| b.iter(|| shift.call(0, None)));

    group.throughput(Throughput::Elements(per_call(true)));
    let agents = [("agent-A", "005000000000001AAA"), ("agent-B", "005000000000002AAA")];
    let mut shift = Shift::new(&agents, &config, true);
    group.bench_function("blind-transfer", |b| b.iter(|| shift.call(0, Some((1, "agent-B")))));

    // A busy session: 50 calls in the last two hours, then a reload from its records.
    let mut busy = Shift::new(&[("agent-A", "005000000000001AAA")], &config, true);
    for _ in 0..50 {
        busy.call(0, None);
    }
    let stored = busy.agents.first().map(|a| a.store.stored()).unwrap_or_default();
    let bytes: usize = stored.iter().map(|(k, v)| k.len() + v.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("restore", |b| {
        b.iter(|| Engine::restore_records(config.clone(), AgentContext::default(), black_box(&stored)))
    });
    group.finish();

    let mut scenario: Value = serde_json::from_str(SCENARIO).unwrap_or(Value::Null);
    if let Some(s) = scenario.as_object_mut() {
        // The scenario names its definition by path; the bench embeds the file instead.
        s.insert("callCenter".into(), Value::String(REFERENCE.into()));
    }
    c.bench_function("replay/inbound-ani-match", |b| {
        b.iter_batched(|| scenario.clone(), |s| wxcc_sfdc_adapter::sim::replay::run(&s), BatchSize::SmallInput)
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
