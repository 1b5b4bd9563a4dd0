use super::*;

/// Every effect the engine has, in order (the one drain loop: `poll_effect` until it is empty).
/// The effects due, executed as a shell would for Persist (the records taken).
fn drain(e: &mut Engine) -> Vec<Effect> {
    let effects: Vec<Effect> = std::iter::from_fn(|| e.poll_effect()).collect();
    if effects.contains(&Effect::Persist) {
        e.take_changes();
    }
    effects
}

#[test]
fn start_enables_click_to_dial_and_reports_ready() {
    let mut e = Engine::new(AdapterConfig::default(), AgentContext::default());
    e.handle(Input::Start, 0);
    let methods: Vec<&str> = drain(&mut e)
        .iter()
        .filter_map(|x| match x {
            Effect::OpenCti { call, .. } => Some(call.method_name()),
            _ => None,
        })
        .collect();
    assert_eq!(
        methods,
        vec!["enableClickToDial", "onClickToDial", "onNavigationChange", "notifyInitializationComplete"]
    );
}

fn kinds(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::OpenCti { call, .. } => Some(call.method_name().to_string()),
            Effect::Desktop { call, .. } => Some(call.method_name().to_string()),
            Effect::Persist => Some("Persist".into()),
            Effect::Log { .. } => None,
        })
        .collect()
}

/// Answers every call in `effects` (and the calls those answers lead to) with an empty success.
fn settle(e: &mut Engine, effects: Vec<Effect>, now: Millis) {
    let mut effects = effects;
    while !effects.is_empty() {
        for effect in effects {
            match effect {
                Effect::OpenCti { call_id, .. } => e.handle(
                    Input::SalesforceResult { call_id, response: OpenCtiResponse::ok(serde_json::json!({})) },
                    now,
                ),
                Effect::Desktop { call_id, .. } => {
                    e.handle(Input::DesktopResult { call_id, result: Ok(serde_json::json!({})) }, now)
                }
                _ => {}
            }
        }
        effects = drain(e);
    }
}

/// The event → screen-pop latency of SPEC §7 must not include saving the state: the search goes
/// out first (it is safe to repeat after a reload); a write still waits for the saved state.
#[test]
fn a_pop_search_goes_out_before_the_state_is_saved_and_a_write_after_it() {
    // The vendor defaults as the widget reads them (an empty settings map): calls are logged.
    let ctx = AgentContext { agent_id: "agent-1".into(), ..AgentContext::default() };
    let mut e = Engine::new(crate::config::from_settings(std::iter::empty()).config, ctx);
    e.handle(Input::Start, 0);
    drain(&mut e);
    let data = serde_json::json!({"data": {"interactionId": "i-1", "agentId": "agent-1", "interaction": {
        "interactionId": "i-1", "mediaType": "telephony", "state": "connected", "owner": "agent-1",
        "contactDirection": {"type": "INBOUND"},
        "callProcessingDetails": {"ani": "+12125550101", "dnis": "+18005550100", "virtualTeamName": "Support"}}}});
    e.handle(Input::ContactEvent { name: "eAgentOfferContact".into(), payload: data.clone() }, 1_000);
    let offered = drain(&mut e);
    assert_eq!(kinds(&offered), ["searchAndScreenPop", "Persist"]);
    settle(&mut e, offered, 1_100);
    for (name, at) in [("eAgentContactAssigned", 2_000), ("eAgentWrapup", 60_000)] {
        e.handle(Input::ContactEvent { name: name.into(), payload: data.clone() }, at);
        let effects = drain(&mut e);
        settle(&mut e, effects, at);
    }
    let mut wrapped_up = data.clone();
    if let Some(d) = wrapped_up.get_mut("data").and_then(serde_json::Value::as_object_mut) {
        d.insert("wrapUpReason".into(), "Resolved".into());
    }
    e.handle(Input::ContactEvent { name: "eAgentContactWrappedUp".into(), payload: wrapped_up }, 70_000);
    let wrapped = kinds(&drain(&mut e));
    let persist = wrapped.iter().position(|k| k == "Persist");
    let save = wrapped.iter().position(|k| k == "saveLog");
    assert!(matches!((persist, save), (Some(p), Some(s)) if p < s), "the state is saved before the write: {wrapped:?}");
}

/// Hands `input` to `engine` and answers every call it makes from `org`, until it is quiet.
/// The simulator's sample org (www/sim/org.json).
fn sample_org() -> crate::sim::FakeOrg {
    let org_json: serde_json::Value = serde_json::from_str(include_str!("../../www/sim/org.json")).unwrap_or_default();
    crate::sim::FakeOrg::from_json(&org_json).expect("sample org")
}

fn drive(org: &mut crate::sim::FakeOrg, engine: &mut Engine, user: &str, input: Input, now: Millis) {
    let mut queue = vec![input];
    while let Some(input) = queue.pop() {
        engine.handle(input, now);
        for effect in drain(engine) {
            match effect {
                Effect::OpenCti { call_id, call, .. } => {
                    let response = org.call(user, call.method_name(), &call.args());
                    queue.push(Input::SalesforceResult { call_id, response: OpenCtiResponse::from_value(&response) });
                }
                Effect::Desktop { call_id, .. } => {
                    queue.push(Input::DesktopResult { call_id, result: Ok(serde_json::json!({})) })
                }
                Effect::Persist | Effect::Log { .. } => {}
            }
        }
    }
}

/// Memory stays flat over a shift of transfers: the agent who transferred a call away forgets it
/// two hours later like any other finished call (it used to keep every one, and its saved state
/// grew by about 1 KB a transfer for ever).
#[test]
fn calls_transferred_away_are_forgotten_after_two_hours() {
    let settings = [
        ("/reqActivityRecordConfig/isActivityRecordCreationAtConnected", "true"),
        ("/reqActivityRecordConfig/isActivityRecordOwnershiptobeChangedForTransferredCalls", "true"),
    ];
    let config = crate::config::from_settings(settings).config;
    let mut org = sample_org();
    let (ua, ub) = ("005000000000001AAA", "005000000000002AAA");
    let ctx = |id: &str| AgentContext { agent_id: id.into(), ..AgentContext::default() };
    let (mut a, mut b) = (Engine::new(config.clone(), ctx("agent-A")), Engine::new(config, ctx("agent-B")));
    let mut now: Millis = 1_795_000_000_000;
    drive(&mut org, &mut a, ua, Input::Start, now);
    drive(&mut org, &mut b, ub, Input::Start, now);
    let event = |name: &str, data: serde_json::Value| Input::ContactEvent {
        name: name.into(),
        payload: serde_json::json!({ "data": data }),
    };
    for n in 0..120 {
        let id = format!("t-{n}");
        let data = |owner: &str| {
            serde_json::json!({"interactionId": id, "agentId": owner, "interaction": {
                "interactionId": id, "mediaType": "telephony", "state": "connected", "owner": owner,
                "contactDirection": {"type": "INBOUND"},
                "callProcessingDetails": {"ani": "+12125550101", "dnis": "+18005550100", "virtualTeamName": "Support"}}})
        };
        drive(&mut org, &mut a, ua, event("eAgentOfferContact", data("agent-A")), now);
        drive(&mut org, &mut a, ua, event("eAgentContactAssigned", data("agent-A")), now + 4_000);
        now += 90_000;
        drive(&mut org, &mut a, ua, event("eAgentblindTransferred", data("agent-B")), now);
        drive(&mut org, &mut a, ua, event("eAgentWrapup", data("agent-B")), now);
        drive(&mut org, &mut b, ub, event("eAgentOfferContact", data("agent-B")), now);
        drive(&mut org, &mut b, ub, event("eAgentContactAssigned", data("agent-B")), now + 3_000);
        now += 60_000;
        let wrapped = |code: &str| serde_json::json!({"interactionId": id, "wrapUpAuxCodeId": code});
        drive(&mut org, &mut a, ua, event("eAgentContactWrappedUp", wrapped("Transferred")), now);
        drive(&mut org, &mut b, ub, event("eAgentWrapup", data("agent-B")), now);
        drive(&mut org, &mut b, ub, event("eAgentContactWrappedUp", wrapped("Resolved")), now);
        now += 60_000;
        drive(&mut org, &mut a, ua, Input::Tick, now);
        drive(&mut org, &mut b, ub, Input::Tick, now);
    }
    assert_eq!(org.tasks().len(), 120, "one Task per call");
    // Three and a half minutes a call: about 35 calls fall inside the two hours kept.
    let kept = |e: &Engine| {
        let snapshot: serde_json::Value = serde_json::from_str(&e.snapshot()).unwrap_or_default();
        snapshot.get("calls").and_then(serde_json::Value::as_object).map_or(0, |c| c.len())
    };
    assert!(kept(&b) <= 40, "the receiving agent keeps {} calls", kept(&b));
    assert!(kept(&a) <= 40, "the transferring agent keeps {} calls", kept(&a));
}

/// SDK 2.x tells the agent's desktop when the caller's number changes mid-call
/// (`eAgentContactAniUpdated`, an AgentContact payload): the panel shows the new number.
#[test]
fn the_callers_number_changed_mid_call_is_taken_in() {
    let mut e = Engine::new(AdapterConfig::default(), AgentContext::default());
    e.handle(Input::Start, 0);
    let data = |ani: &str| {
        serde_json::json!({"interactionId": "ani-1", "interaction": {"interactionId": "ani-1", "mediaType": "telephony",
            "state": "connected", "contactDirection": {"type": "INBOUND"}, "callProcessingDetails": {"ani": ani}}})
    };
    e.handle(Input::ContactEvent { name: "eAgentContactAssigned".into(), payload: data("+12125550101") }, 1_000);
    e.handle(Input::ContactEvent { name: "eAgentContactAniUpdated".into(), payload: data("+13035550199") }, 2_000);
    let view = e.current_call().map(|c| c.number).unwrap_or_default();
    assert!(view.ends_with("0199"), "{view}");
}

/// A full storage quota loses nothing: while the browser refuses the records, the shell asks for
/// all of them again (`rewrite_all`), and once there is room the store brings back the same state
/// as the engine holds.
#[test]
fn records_refused_by_a_full_store_are_written_again_once_there_is_room() {
    let mut org = sample_org();
    let ctx = AgentContext { agent_id: "agent-A".into(), ..AgentContext::default() };
    let config = crate::config::from_settings([("/reqActivityRecordConfig/isCallNotesEnabled", "true")]).config;
    let mut e = Engine::new(config.clone(), ctx.clone());
    let mut store = MemoryStore::default();
    let mut full = false;
    let mut now: Millis = 1_795_000_000_000;
    let mut feed = |e: &mut Engine, store: &mut MemoryStore, full: bool, input: Input, now: Millis| {
        let mut queue = vec![input];
        while let Some(input) = queue.pop() {
            e.handle(input, now);
            while let Some(effect) = e.poll_effect() {
                match effect {
                    Effect::OpenCti { call_id, call, .. } => {
                        let response = org.call("005000000000001AAA", call.method_name(), &call.args());
                        queue.push(Input::SalesforceResult {
                            call_id,
                            response: OpenCtiResponse::from_value(&response),
                        });
                    }
                    Effect::Desktop { call_id, .. } => {
                        queue.push(Input::DesktopResult { call_id, result: Ok(serde_json::json!({})) })
                    }
                    Effect::Persist if full => {
                        // As localStorage does when its quota is full: every setItem throws,
                        // removeItem still works.
                        let removals = e.take_changes().into_iter().filter(|r| r.value.is_none()).collect();
                        store.apply(removals);
                        e.rewrite_all();
                    }
                    Effect::Persist => {
                        let changes = e.take_changes();
                        store.apply(changes);
                    }
                    Effect::Log { .. } => {}
                }
            }
        }
    };
    feed(&mut e, &mut store, full, Input::Start, now);
    for n in 0..60 {
        full = (20..35).contains(&n);
        let id = format!("q-{n}");
        let data = serde_json::json!({"interactionId": id, "interaction": {"interactionId": id, "mediaType": "telephony",
            "contactDirection": {"type": "INBOUND"}, "callProcessingDetails": {"ani": "+12125550101", "virtualTeamName": "Support"}}});
        let event = |name: &str| Input::ContactEvent { name: name.into(), payload: serde_json::json!({"data": data}) };
        feed(&mut e, &mut store, full, event("eAgentOfferContact"), now);
        feed(&mut e, &mut store, full, event("eAgentContactAssigned"), now + 2_000);
        feed(
            &mut e,
            &mut store,
            full,
            Input::Notes { interaction_id: Some(id.clone()), text: format!("notes {n}") },
            now + 9_000,
        );
        now += 60_000;
        feed(&mut e, &mut store, full, event("eAgentWrapup"), now);
        feed(&mut e, &mut store, full, event("eAgentContactWrappedUp"), now + 5_000);
        now += 180_000;
        feed(&mut e, &mut store, full, Input::Tick, now);
    }
    let state = |engine: &Engine| {
        let mut v: serde_json::Value = serde_json::from_str(&engine.snapshot()).unwrap_or_default();
        if let Some(m) = v.as_object_mut() {
            m.remove("next_call_id");
        }
        v
    };
    let from_store = Engine::restore_records(config.clone(), ctx.clone(), &store.stored());
    let from_engine = Engine::restore(config, ctx, &e.snapshot());
    assert!(from_store.diagnostics().is_empty(), "{:?}", from_store.diagnostics());
    assert_eq!(state(&from_store), state(&from_engine), "the store holds what the engine holds");
    assert!(
        state(&from_engine)["forgotten"].as_array().is_some_and(|f| f.len() > 20),
        "calls were forgotten meanwhile"
    );
}

/// A record picked among several matches by the first agent is shown as picked to the agent the
/// call is handed to (ownership change: the Task it takes over is related to it), who is not
/// asked to pick again.
#[test]
fn the_record_picked_before_a_transfer_is_the_receiving_agents_pick_too() {
    let settings = [
        ("/reqAdvanceScreenpopConfig/multipleMatchAction", "pick"),
        ("/reqActivityRecordConfig/isActivityRecordCreationAtConnected", "true"),
        ("/reqActivityRecordConfig/isActivityRecordOwnershiptobeChangedForTransferredCalls", "true"),
    ];
    let config = crate::config::from_settings(settings).config;
    let mut org = sample_org();
    let (ua, ub) = ("005000000000001AAA", "005000000000002AAA");
    let ctx = |id: &str| AgentContext { agent_id: id.into(), ..AgentContext::default() };
    let (mut a, mut b) = (Engine::new(config.clone(), ctx("agent-A")), Engine::new(config, ctx("agent-B")));
    let now: Millis = 1_795_000_000_000;
    drive(&mut org, &mut a, ua, Input::Start, now);
    drive(&mut org, &mut b, ub, Input::Start, now);
    let maria = "003000000000003AAA"; // Contact, (415) 555-0199, as is a Lead
    let event = |name: &str, owner: &str, task: &str| Input::ContactEvent {
        name: name.into(),
        payload: serde_json::json!({"data": {"interactionId": "t-pick", "agentId": owner, "interaction": {
            "interactionId": "t-pick", "mediaType": "telephony", "state": "connected", "owner": owner,
            "contactDirection": {"type": "INBOUND"},
            "callProcessingDetails": {"ani": "+14155550199", "virtualTeamName": "Support"},
            "callAssociatedData": {"ActivityId": {"name": "ActivityId", "value": task}}}}}),
    };
    drive(&mut org, &mut a, ua, event("eAgentOfferContact", "agent-A", ""), now);
    assert_eq!(a.current_call().map(|c| c.candidates.len()), Some(2), "two records to pick from");
    drive(&mut org, &mut a, ua, Input::Action(PanelAction::Pick(maria.into())), now + 1_000);
    drive(&mut org, &mut a, ua, event("eAgentContactAssigned", "agent-A", ""), now + 2_000);
    let task =
        org.tasks().first().and_then(|t| t.get("Id")).and_then(|v| v.as_str()).map(String::from).unwrap_or_default();
    assert!(!task.is_empty(), "the Task was created at connect");
    drive(&mut org, &mut a, ua, event("eAgentblindTransferred", "agent-B", &task), now + 60_000);
    drive(&mut org, &mut b, ub, event("eAgentOfferContact", "agent-B", &task), now + 61_000);
    drive(&mut org, &mut b, ub, event("eAgentContactAssigned", "agent-B", &task), now + 63_000);
    let seen = b.current_call().expect("B's call");
    assert_eq!(seen.candidates.len(), 2, "B's search found both records too");
    assert_eq!(seen.picked.as_deref(), Some(maria), "A's pick is B's pick");
    assert_eq!(org.tasks().len(), 1);
}
