//! Scenario replay (SPEC §8): agents' adapters (the real engine) against one [`FakeOrg`],
//! with the runner playing the WxCC desktop and the Omni-Channel bridge. Same scenario, same
//! output, every run: no clock, no randomness, ordered maps only.
//!
//! Steps beyond SPEC §8, for what the agent does in the console and the panel:
//! `{"agent": "A", "navigate": {onNavigationChange payload}}`, `{"agent": "A", "action":
//! "openTask" | "relateShownRecord" | "createCase"}` (or `"pick"` / `"subject"` with `"value"`),
//! `{"agent": "A", "pick": "<record Id>"}` (one of several matches picked in the panel),
//! `{"agent": "A", "subject": "…"}` (the call log's subject typed in the panel) and
//! `{"agent": "A", "logout": true}`.

use super::clock::{format_instant, parse_duration, parse_instant};
use super::FakeOrg;
use crate::config::{self, AdapterConfig, Diagnostic};
use crate::engine::{AgentContext, DesktopCall, Effect, Engine, Input, MemoryStore, Millis};
use crate::salesforce::{OpenCtiCall, OpenCtiResponse};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// How long the runner keeps time moving after the last step for outboxes to drain.
const DRAIN_LIMIT_MS: Millis = 3_600_000;

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("the scenario is not valid: {0}")]
    Scenario(String),
    #[error("step {step}: {message}")]
    Step { step: usize, message: String },
}

struct AgentRun {
    engine: Engine,
    ctx: AgentContext,
    user: String,
    /// The records the agent's page stored (see [`Engine::take_changes`]).
    store: MemoryStore,
    wakes: BTreeSet<Millis>,
    /// The engine's timeout as last armed (see [`Engine::poll_timeout`]).
    armed: Option<Millis>,
    idle_codes: Value,
    /// `[{id, name}]`: the desktop's wrap-up codes, given to the adapter with the agent state.
    wrap_up_codes: Value,
    /// `Available` or the idle code id.
    wxcc_state: String,
    open_work: Vec<String>,
}

struct Runner {
    config: AdapterConfig,
    org: FakeOrg,
    agents: BTreeMap<String, AgentRun>,
    interactions: BTreeMap<String, Value>,
    now: Millis,
    effects: Vec<Value>,
    pops: Vec<Value>,
    round_trips: u64,
    next_work: u64,
    /// Calls whose answer is lost: `(method, times)`.
    no_answer: BTreeMap<String, u32>,
    /// See [`values_seen`].
    #[cfg(test)]
    seen: Vec<Value>,
    #[cfg(test)]
    written: Vec<(Value, Value)>,
}

/// Runs a scenario (`callCenter` already given as XML text or a settings object; the CLI reads
/// a path for you) and returns the output document of SPEC §8.
pub fn run(scenario: &Value) -> Result<Value, ReplayError> {
    let (runner, config_diagnostics) = play(scenario)?;
    Ok(runner.output(config_diagnostics))
}

/// For the tests that hold the widget's readers and writers to serde's
/// (src/engine/read_parity_tests.rs), what `scenario` shows as it plays:
/// - every JSON value the agents' engines read: the desktop's events and agent states as handed
///   over, and after each step each agent's snapshot and stored records;
/// - what the engines hand the page after each step (the panel's view of the call, pop traces,
///   diagnostics), each as serde writes it and as `value_out::Write` does.
#[cfg(test)]
pub(crate) fn values_seen(scenario: &Value) -> Result<Seen, ReplayError> {
    let (runner, _) = play(scenario)?;
    Ok(Seen { read: runner.seen, written: runner.written })
}

/// See [`values_seen`].
#[cfg(test)]
pub(crate) struct Seen {
    pub read: Vec<Value>,
    /// `(serde's, ours)`.
    pub written: Vec<(Value, Value)>,
}

fn play(scenario: &Value) -> Result<(Runner, Vec<Diagnostic>), ReplayError> {
    let bad = |m: &str| ReplayError::Scenario(m.to_string());
    let (config, config_diagnostics) = load_config(scenario.get("callCenter"))?;
    let org = FakeOrg::from_json(scenario.get("org").unwrap_or(&Value::Null))
        .map_err(|e| ReplayError::Scenario(e.to_string()))?;
    let start = match scenario.get("start") {
        Some(Value::String(s)) => parse_instant(s).ok_or_else(|| bad("`start` is not an ISO 8601 instant"))?,
        None => parse_instant("2026-11-22T15:04:00Z").unwrap_or(0),
        Some(_) => return Err(bad("`start` must be a string")),
    };
    let mut runner = Runner {
        config,
        org,
        agents: BTreeMap::new(),
        interactions: BTreeMap::new(),
        now: start,
        effects: Vec::new(),
        pops: Vec::new(),
        round_trips: 0,
        next_work: 0,
        no_answer: BTreeMap::new(),
        #[cfg(test)]
        seen: Vec::new(),
        #[cfg(test)]
        written: Vec::new(),
    };
    let agents = scenario.get("agents").and_then(Value::as_object).cloned().unwrap_or_default();
    for (name, spec) in &agents {
        runner.add_agent(name, spec);
    }
    let steps = scenario.get("steps").and_then(Value::as_array).cloned().unwrap_or_default();
    for (i, step) in steps.iter().enumerate() {
        runner.step(step).map_err(|message| ReplayError::Step { step: i + 1, message })?;
        #[cfg(test)]
        runner.note_states();
    }
    runner.drain();
    Ok((runner, config_diagnostics))
}

fn load_config(source: Option<&Value>) -> Result<(AdapterConfig, Vec<Diagnostic>), ReplayError> {
    let loaded = match source {
        None | Some(Value::Null) => config::Loaded { config: AdapterConfig::default(), diagnostics: Vec::new() },
        Some(Value::Object(o)) => config::from_settings_json(&Value::Object(o.clone()).to_string()),
        #[cfg(feature = "xml")]
        Some(Value::String(xml)) if xml.trim_start_matches('\u{feff}').trim_start().starts_with('<') => {
            config::from_xml(xml)
        }
        Some(Value::String(_)) => {
            return Err(ReplayError::Scenario(
                "`callCenter` must be XML text or {\"settings\": {…}} here (the CLI reads paths)".into(),
            ))
        }
        Some(_) => {
            return Err(ReplayError::Scenario("`callCenter` must be a path, XML text or {\"settings\": {…}}".into()))
        }
    };
    Ok((loaded.config, loaded.diagnostics))
}

impl Runner {
    fn add_agent(&mut self, name: &str, spec: &Value) {
        let text = |k: &str| spec.get(k).and_then(Value::as_str).map(String::from);
        let ctx = AgentContext {
            agent_id: text("agentId").unwrap_or_else(|| name.to_string()),
            agent_name: text("name").unwrap_or_else(|| format!("Agent {name}")),
            utc_offset_minutes: spec
                .get("utcOffsetMinutes")
                .and_then(Value::as_i64)
                .and_then(|v| i32::try_from(v).ok())
                .unwrap_or(0),
            outdial_entry_point_id: text("outdialEntryPointId").unwrap_or_else(|| "outdial-ep".into()),
            outdial_ani: text("outdialAni").unwrap_or_default(),
        };
        let user = self.org.user_id(name).map(String::from).unwrap_or_else(|| format!("005{name}"));
        let run = AgentRun {
            engine: Engine::new(self.config.clone(), ctx.clone()),
            ctx,
            user,
            store: MemoryStore::default(),
            wakes: BTreeSet::new(),
            armed: None,
            idle_codes: spec.get("idleCodes").cloned().unwrap_or_else(|| json!([])),
            wrap_up_codes: spec
                .get("wrapUpCodes")
                .or_else(|| spec.get("wrapupCodes"))
                .cloned()
                .unwrap_or_else(|| json!([])),
            wxcc_state: "Available".into(),
            open_work: Vec::new(),
        };
        self.agents.insert(name.to_string(), run);
        self.deliver(name, Input::Start);
        let latest = self.latest_state(name);
        self.deliver(name, Input::AgentState(latest));
    }

    fn latest_state(&self, agent: &str) -> Value {
        let state = self.agents.get(agent).map(|a| a.wxcc_state.clone()).unwrap_or_default();
        let codes = self.agents.get(agent).map(|a| a.wrap_up_codes.clone()).unwrap_or(Value::Null);
        if state == "Available" {
            json!({"subStatus": "Available", "wrapupCodes": codes})
        } else {
            json!({"subStatus": "Idle", "auxCodeId": state, "idleCode": {"id": state}, "wrapupCodes": codes})
        }
    }

    fn step(&mut self, step: &Value) -> Result<(), String> {
        if let Some(d) = step.get("advance") {
            let ms = d
                .as_str()
                .and_then(parse_duration)
                .or_else(|| d.as_i64().map(|s| s * 1000))
                .ok_or("`advance` must be like \"90s\"")?;
            let target = self.now.saturating_add(ms);
            self.advance_to(target);
            return Ok(());
        }
        if step.get("salesforce").and_then(Value::as_str) == Some("noAnswer") {
            // Salesforce carries the next call(s) out, but the answer never comes back (the
            // page went away, the network dropped): the adapter cannot know it landed.
            let method = step.get("method").and_then(Value::as_str).ok_or("`noAnswer` needs a `method`")?;
            let times = step.get("times").and_then(Value::as_u64).unwrap_or(1);
            self.no_answer.insert(method.to_string(), u32::try_from(times).unwrap_or(u32::MAX));
            return Ok(());
        }
        if step.get("salesforce").and_then(Value::as_str) == Some("fail") {
            let method = step.get("method").and_then(Value::as_str).ok_or("`fail` needs a `method`")?;
            let times = step.get("times").and_then(Value::as_u64).unwrap_or(1);
            let code = step.get("code").and_then(Value::as_str).unwrap_or("SERVER_ERROR");
            self.org.fail_next(method, u32::try_from(times).unwrap_or(u32::MAX), code);
            return Ok(());
        }
        let agent = step
            .get("agent")
            .and_then(Value::as_str)
            .ok_or("a step needs `agent` (or `advance` / `salesforce`)")?
            .to_string();
        if !self.agents.contains_key(&agent) {
            self.add_agent(&agent, &Value::Null);
        }
        if let Some(name) = step.get("desktop").and_then(Value::as_str) {
            let data = match step.get("data") {
                Some(d) => {
                    let id = d
                        .get("interactionId")
                        .or_else(|| d.pointer("/interaction/interactionId"))
                        .and_then(Value::as_str)
                        .ok_or("`data` has no interactionId")?
                        .to_string();
                    let merged = self.merge_known_cad(&id, d.clone());
                    self.interactions.insert(id, merged.clone());
                    merged
                }
                None => {
                    let id = step
                        .get("interactionId")
                        .and_then(Value::as_str)
                        .ok_or("a desktop step needs `data` or `interactionId`")?;
                    let mut d = self
                        .interactions
                        .get(id)
                        .cloned()
                        .ok_or_else(|| format!("interaction {id} was never delivered"))?;
                    if let Some(extra) = step.get("with").and_then(Value::as_object) {
                        if let Some(obj) = d.as_object_mut() {
                            for (k, v) in extra {
                                obj.insert(k.clone(), v.clone());
                            }
                        }
                    }
                    d
                }
            };
            let payload = json!({"type": name, "orgId": data.get("orgId").cloned().unwrap_or(Value::Null), "trackingId": data.get("trackingId").cloned().unwrap_or(Value::Null), "data": data});
            self.deliver(&agent, Input::ContactEvent { name: name.to_string(), payload });
        } else if let Some(notes) = step.get("notes").and_then(Value::as_str) {
            let interaction_id = step.get("interactionId").and_then(Value::as_str).map(String::from);
            self.deliver(&agent, Input::Notes { interaction_id, text: notes.to_string() });
        } else if let Some(click) = step.get("clickToDial") {
            self.deliver(&agent, Input::ClickToDial(click.clone()));
        } else if let Some(nav) = step.get("navigate") {
            self.deliver(&agent, Input::NavigationChange(nav.clone()));
        } else if let Some(action) = step.get("action").and_then(Value::as_str) {
            let value = step.get("value").and_then(Value::as_str);
            self.deliver(&agent, Input::Action(crate::engine::PanelAction::parse(action, value)?));
        } else if let Some(record_id) = step.get("pick").and_then(Value::as_str) {
            // The agent picks one of several matches in the panel.
            self.deliver(&agent, Input::Action(crate::engine::PanelAction::Pick(record_id.to_string())));
        } else if let Some(subject) = step.get("subject").and_then(Value::as_str) {
            self.deliver(&agent, Input::Action(crate::engine::PanelAction::SetSubject(subject.to_string())));
        } else if let Some(omni) = step.get("omni") {
            self.omni_step(&agent, omni)?;
        } else if step.get("reload").and_then(Value::as_bool) == Some(true) {
            self.reload(&agent);
        } else if step.get("logout").and_then(Value::as_bool) == Some(true) {
            // The agent logs out of the desktop: its state says so.
            let codes = self.agents.get(&agent).map(|a| a.wrap_up_codes.clone()).unwrap_or(Value::Null);
            self.deliver(
                &agent,
                Input::AgentState(json!({"status": "LoggedOut", "subStatus": "LoggedOut", "wrapupCodes": codes})),
            );
        } else {
            return Err("unknown step".into());
        }
        Ok(())
    }

    /// CAD written by any agent (`updateCadVariables`) stays on the interaction.
    fn merge_known_cad(&self, id: &str, mut data: Value) -> Value {
        let Some(known) = self
            .interactions
            .get(id)
            .and_then(|d| d.pointer("/interaction/callAssociatedData"))
            .and_then(Value::as_object)
        else {
            return data;
        };
        if let Some(cad) = data.pointer_mut("/interaction/callAssociatedData").and_then(Value::as_object_mut) {
            for (k, v) in known {
                cad.entry(k.clone()).or_insert_with(|| v.clone());
            }
        } else if let Some(interaction) = data.get_mut("interaction").and_then(Value::as_object_mut) {
            interaction.insert("callAssociatedData".into(), Value::Object(known.clone()));
        }
        data
    }

    fn omni_step(&mut self, agent: &str, omni: &Value) -> Result<(), String> {
        match omni {
            Value::String(s) if s == "workAccepted" => {
                self.next_work += 1;
                let work = format!("0Bz{:012}", self.next_work);
                if let Some(a) = self.agents.get_mut(agent) {
                    a.open_work.push(work.clone());
                }
                self.deliver(
                    agent,
                    Input::OmniMessage(
                        json!({"source": "bridge", "type": "workAccepted", "workId": work, "workItemId": work}),
                    ),
                );
            }
            Value::String(s) if s == "workClosed" => {
                let work =
                    self.agents.get_mut(agent).and_then(|a| a.open_work.pop()).ok_or("no Omni-Channel work is open")?;
                self.deliver(
                    agent,
                    Input::OmniMessage(
                        json!({"source": "bridge", "type": "workClosed", "workId": work, "workItemId": work}),
                    ),
                );
            }
            Value::Object(o) => {
                let label = o.get("status").and_then(Value::as_str).ok_or("`omni` object needs `status`")?;
                let id = self
                    .org
                    .omni_statuses()
                    .iter()
                    .find(|s| s.get("MasterLabel").and_then(Value::as_str) == Some(label))
                    .and_then(|s| s.get("Id"))
                    .and_then(Value::as_str)
                    .map(String::from)
                    .ok_or_else(|| format!("no Omni status `{label}` in the org"))?;
                let user = self.agents.get(agent).map(|a| a.user.clone()).unwrap_or_default();
                self.org.set_omni_status(&user, &id);
                self.deliver(
                    agent,
                    Input::OmniMessage(
                        json!({"source": "bridge", "type": "statusChanged", "statusId": id, "statusName": label}),
                    ),
                );
            }
            _ => return Err("`omni` must be workAccepted, workClosed or {\"status\": …}".into()),
        }
        Ok(())
    }

    fn reload(&mut self, agent: &str) {
        let Some(a) = self.agents.get_mut(agent) else { return };
        a.engine = Engine::restore_records(self.config.clone(), a.ctx.clone(), &a.store.stored());
        a.wakes.clear();
        a.armed = None;
        self.deliver(agent, Input::Start);
        let latest = self.latest_state(agent);
        self.deliver(agent, Input::AgentState(latest));
        // The desktop re-sends the interactions this agent has, as it does after a reload.
        let ids: Vec<String> = self.interactions.keys().cloned().collect();
        for id in ids {
            let Some(data) = self.interactions.get(&id).cloned() else { continue };
            let mine = data
                .pointer("/interaction/participants")
                .and_then(Value::as_object)
                .is_none_or(|p| p.contains_key(agent));
            if mine {
                let payload = json!({"type": "eAgentContact", "data": data});
                self.deliver(agent, Input::ContactEvent { name: "eAgentContact".into(), payload });
            }
        }
    }

    fn advance_to(&mut self, target: Millis) {
        loop {
            let next =
                self.agents.values().filter_map(|a| a.wakes.iter().next().copied()).filter(|t| *t <= target).min();
            let Some(t) = next else { break };
            self.now = self.now.max(t);
            let due: Vec<String> = self
                .agents
                .iter()
                .filter(|(_, a)| a.wakes.iter().next().is_some_and(|w| *w <= t))
                .map(|(n, _)| n.clone())
                .collect();
            for name in due {
                if let Some(a) = self.agents.get_mut(&name) {
                    a.wakes.retain(|w| *w > t);
                }
                self.deliver(&name, Input::Tick);
            }
        }
        self.now = self.now.max(target);
    }

    fn drain(&mut self) {
        let limit = self.now.saturating_add(DRAIN_LIMIT_MS);
        while self.agents.values().any(|a| a.engine.outbox_len() > 0) {
            let next = self.agents.values().filter_map(|a| a.wakes.iter().next().copied()).min();
            match next {
                Some(t) if t <= limit => self.advance_to(t),
                _ => break,
            }
        }
    }

    /// Hands an input to an agent's engine and executes every effect until it is quiet.
    fn deliver(&mut self, agent: &str, input: Input) {
        let mut queue = vec![input];
        while let Some(input) = queue.pop() {
            #[cfg(test)]
            match &input {
                Input::ContactEvent { payload, .. } | Input::AgentState(payload) => self.seen.push(payload.clone()),
                Input::DesktopResult { result: Ok(answer), .. } => self.seen.push(answer.clone()),
                _ => {}
            }
            let now = self.now;
            let Some(a) = self.agents.get_mut(agent) else { return };
            a.engine.handle(input, now);
            let effects: Vec<Effect> = std::iter::from_fn(|| a.engine.poll_effect()).collect();
            // One timer per agent, re-armed when the engine's next deadline changes.
            if let Some(t) = a.engine.poll_timeout().filter(|t| a.armed != Some(*t)) {
                a.armed = Some(t);
                a.wakes.insert(t);
            }
            let mut follow: Vec<Input> = Vec::new();
            for effect in effects {
                follow.extend(self.execute(agent, effect));
            }
            // Answers are delivered in the order the calls were made.
            follow.reverse();
            queue.extend(follow);
        }
    }

    #[cfg(test)]
    fn note_states(&mut self) {
        use crate::value_out::Write;
        fn both<T: serde::Serialize + Write>(t: &T) -> (Value, Value) {
            (serde_json::to_value(t).unwrap_or(Value::Null), t.write())
        }
        for a in self.agents.values() {
            self.written.push(both(&a.engine.current_call()));
            self.written.push(both(&a.engine.pop_traces()));
            self.written.push(both(&a.engine.diagnostics()));
            self.seen.extend(serde_json::from_str::<Value>(&a.engine.snapshot()));
            self.seen.extend(a.store.stored().iter().filter_map(|(_, text)| serde_json::from_str::<Value>(text).ok()));
        }
    }

    fn record(&mut self, agent: &str, call: &str, args: Value) {
        self.effects.push(json!({"agent": agent, "at": format_instant(self.now), "call": call, "args": args}));
    }

    fn execute(&mut self, agent: &str, effect: Effect) -> Vec<Input> {
        let user = self.agents.get(agent).map(|a| a.user.clone()).unwrap_or_default();
        match effect {
            Effect::OpenCti { call_id, call, interaction_id } => {
                let method = call.method_name();
                let args = call.args();
                self.record(agent, method, args.clone());
                if interaction_id.is_some() {
                    self.round_trips += 1;
                }
                let pops_before = self.org.screen_pops().len();
                let response = self.org.call(&user, method, &args);
                for pop in self.org.screen_pops().iter().skip(pops_before) {
                    let mut flat = Map::new();
                    flat.insert("agent".into(), Value::String(agent.to_string()));
                    flat.insert("type".into(), pop.get("type").cloned().unwrap_or(Value::Null));
                    if let Some(params) = pop.get("params").and_then(Value::as_object) {
                        for (k, v) in params {
                            flat.insert(k.clone(), v.clone());
                        }
                    }
                    self.pops.push(Value::Object(flat));
                }
                if let Some(left) = self.no_answer.get_mut(method).filter(|n| **n > 0) {
                    *left -= 1;
                    return Vec::new();
                }
                let mut inputs =
                    vec![Input::SalesforceResult { call_id, response: OpenCtiResponse::from_value(&response) }];
                if let OpenCtiCall::Publish { message, .. } = &call {
                    inputs.extend(self.bridge(agent, &user, message));
                }
                inputs
            }
            Effect::Desktop { call_id, call } => {
                self.record(agent, call.method_name(), call.args());
                match call {
                    DesktopCall::UpdateCadVariables(args) => {
                        self.write_cad(&args);
                        vec![Input::DesktopResult { call_id, result: Ok(json!({})) }]
                    }
                    DesktopCall::GetIdleCodes => {
                        let codes = self.agents.get(agent).map(|a| a.idle_codes.clone()).unwrap_or_default();
                        vec![Input::DesktopResult { call_id, result: Ok(codes) }]
                    }
                    DesktopCall::StateChange(args) => {
                        let state = match args.get("state").and_then(Value::as_str) {
                            Some("Available") => "Available".to_string(),
                            _ => args.get("auxCodeIdArray").and_then(Value::as_str).unwrap_or("").to_string(),
                        };
                        if let Some(a) = self.agents.get_mut(agent) {
                            a.wxcc_state = state;
                        }
                        let latest = self.latest_state(agent);
                        vec![Input::DesktopResult { call_id, result: Ok(json!({})) }, Input::AgentState(latest)]
                    }
                    DesktopCall::StartOutdial(_) => vec![Input::DesktopResult { call_id, result: Ok(json!({})) }],
                }
            }
            Effect::Persist => {
                if let Some(a) = self.agents.get_mut(agent) {
                    let changes = a.engine.take_changes();
                    a.store.apply(changes);
                }
                Vec::new()
            }
            Effect::Log { message, .. } => {
                if std::env::var_os("REPLAY_LOGS").is_some() {
                    eprintln!("{agent} {} {message}", format_instant(self.now));
                }
                Vec::new()
            }
        }
    }

    /// The Omni-Channel bridge (our Aura component) answering the adapter's messages.
    fn bridge(&mut self, _agent: &str, user: &str, message: &Value) -> Vec<Input> {
        let request = message.get("requestId").cloned().unwrap_or(Value::Null);
        match message.get("type").and_then(Value::as_str) {
            Some("setStatus") => {
                let Some(status) = message.get("statusId").and_then(Value::as_str) else { return Vec::new() };
                self.org.set_omni_status(user, status);
                let name = self.org.omni_status_label(status).map(String::from);
                vec![Input::OmniMessage(
                    json!({"source": "bridge", "type": "statusChanged", "statusId": status, "statusName": name, "requestId": request}),
                )]
            }
            Some("getStatus") => {
                let status = self.org.omni_status(user);
                let name = status.as_deref().and_then(|s| self.org.omni_status_label(s)).map(String::from);
                vec![Input::OmniMessage(
                    json!({"source": "bridge", "type": "statusChanged", "statusId": status, "statusName": name, "requestId": request}),
                )]
            }
            _ => Vec::new(),
        }
    }

    fn write_cad(&mut self, args: &Value) {
        let Some(id) = args.get("interactionId").and_then(Value::as_str) else { return };
        let Some(attributes) = args.pointer("/data/attributes").and_then(Value::as_object) else { return };
        let Some(data) = self.interactions.get_mut(id) else { return };
        let Some(interaction) = data.get_mut("interaction").and_then(Value::as_object_mut) else { return };
        let cad = interaction.entry("callAssociatedData").or_insert_with(|| json!({}));
        if let Some(cad) = cad.as_object_mut() {
            for (k, v) in attributes {
                cad.insert(
                    k.clone(),
                    json!({"name": k, "value": v, "agentEditable": true, "displayName": k, "type": "STRING"}),
                );
            }
        }
    }

    fn output(&self, config_diagnostics: Vec<Diagnostic>) -> Value {
        let mut diagnostics: Vec<Value> =
            config_diagnostics.iter().map(|d| serde_json::to_value(d).unwrap_or(Value::Null)).collect();
        let mut traces = Vec::new();
        let mut presence = Map::new();
        for (name, a) in &self.agents {
            for d in a.engine.diagnostics() {
                let mut v = serde_json::to_value(d).unwrap_or(Value::Null);
                if let Some(o) = v.as_object_mut() {
                    o.insert("agent".into(), Value::String(name.clone()));
                }
                diagnostics.push(v);
            }
            for t in a.engine.pop_traces() {
                let mut v = serde_json::to_value(t).unwrap_or(Value::Null);
                if let Some(o) = v.as_object_mut() {
                    o.insert("agent".into(), Value::String(name.clone()));
                }
                traces.push(v);
            }
            let omni = self.org.omni_status(&a.user).and_then(|s| self.org.omni_status_label(&s).map(String::from));
            let wxcc = if a.wxcc_state == "Available" {
                "Available".to_string()
            } else {
                a.idle_codes
                    .as_array()
                    .and_then(|codes| {
                        codes.iter().find(|c| c.get("id").and_then(Value::as_str) == Some(a.wxcc_state.as_str()))
                    })
                    .and_then(|c| c.get("name").and_then(Value::as_str))
                    .map(|n| format!("Idle: {n}"))
                    .unwrap_or_else(|| format!("Idle: {}", a.wxcc_state))
            };
            presence.insert(name.clone(), json!({"omni": omni, "wxcc": wxcc}));
        }
        let org = self.org.to_json();
        json!({
            "effects": self.effects,
            "pops": self.pops,
            "org": {"Task": org.get("Task").cloned().unwrap_or_else(|| json!([])), "Case": org.get("Case").cloned().unwrap_or_else(|| json!([]))},
            "presence": presence,
            "roundTrips": self.round_trips,
            "traces": traces,
            "outboxes": self.agents.iter().map(|(n, a)| (n.clone(), json!(a.engine.outbox_len()))).collect::<Map<String, Value>>(),
            "parked": self.agents.iter().flat_map(|(n, a)| a.engine.parked_writes().into_iter().map(move |p| {
                json!({"agent": n, "interactionId": p.interaction_id, "op": p.op, "reason": p.reason, "notes": p.notes})
            })).collect::<Vec<Value>>(),
            "stored": self.agents.iter().map(|(n, a)| (n.clone(), json!(a.engine.stored_interactions()))).collect::<Map<String, Value>>(),
            "diagnostics": diagnostics,
        })
    }
}
