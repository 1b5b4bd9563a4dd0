//! The worker probe (feature `probe`, bench/worker-probe): how fast a cold start could be if the
//! engine ran in a dedicated Worker and the page only relayed. Not part of the widget.

use crate::engine::{AgentContext, Engine, Input};
use wasm_bindgen::prelude::*;

/// The engine's start as the widget runs it once the settings are in, without the page's part
/// (storage, the lock, the panel, the SDK): the settings read into the configuration, the
/// engine restored from no records, started and given an empty agent state. Returns how many
/// effects it asked for (the page would execute them).
#[wasm_bindgen(js_name = probeEngineStart)]
pub fn probe_engine_start(settings_response: JsValue, now_ms: f64) -> u32 {
    let loaded = super::startup::configuration(&settings_response);
    let ctx = AgentContext { agent_id: "probe".into(), agent_name: "Probe".into(), ..AgentContext::default() };
    let mut engine = Engine::restore_records(loaded.config, ctx, &[]);
    let now = now_ms as i64;
    engine.handle(Input::Start, now);
    engine.handle(Input::AgentState(serde_json::Value::Null), now);
    let mut effects = 0;
    while engine.poll_effect().is_some() {
        effects += 1;
    }
    effects
}
