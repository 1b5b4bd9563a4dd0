use super::*;

#[test]
fn start_enables_click_to_dial_and_reports_ready() {
    let mut e = Engine::new(AdapterConfig::default(), AgentContext::default());
    e.handle(Input::Start, 0);
    let methods: Vec<&str> = e
        .drain_effects()
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
            Effect::WakeAt(_) | Effect::Log { .. } => None,
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
        effects = e.drain_effects();
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
    e.drain_effects();
    let data = serde_json::json!({"data": {"interactionId": "i-1", "agentId": "agent-1", "interaction": {
        "interactionId": "i-1", "mediaType": "telephony", "state": "connected", "owner": "agent-1",
        "contactDirection": {"type": "INBOUND"},
        "callProcessingDetails": {"ani": "+12125550101", "dnis": "+18005550100", "virtualTeamName": "Support"}}}});
    e.handle(Input::ContactEvent { name: "eAgentOfferContact".into(), payload: data.clone() }, 1_000);
    let offered = e.drain_effects();
    assert_eq!(kinds(&offered), ["searchAndScreenPop", "Persist"]);
    settle(&mut e, offered, 1_100);
    for (name, at) in [("eAgentContactAssigned", 2_000), ("eAgentWrapup", 60_000)] {
        e.handle(Input::ContactEvent { name: name.into(), payload: data.clone() }, at);
        let effects = e.drain_effects();
        settle(&mut e, effects, at);
    }
    let mut wrapped_up = data.clone();
    if let Some(d) = wrapped_up.get_mut("data").and_then(serde_json::Value::as_object_mut) {
        d.insert("wrapUpReason".into(), "Resolved".into());
    }
    e.handle(Input::ContactEvent { name: "eAgentContactWrappedUp".into(), payload: wrapped_up }, 70_000);
    let wrapped = kinds(&e.drain_effects());
    let persist = wrapped.iter().position(|k| k == "Persist");
    let save = wrapped.iter().position(|k| k == "saveLog");
    assert!(matches!((persist, save), (Some(p), Some(s)) if p < s), "the state is saved before the write: {wrapped:?}");
}
