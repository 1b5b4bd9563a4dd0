//! The shell in headless Chromium, with object-literal fakes of `Desktop` and
//! `sforce.opencti`: events in, Open CTI calls out, storage across a reload, one writer per
//! agent, the panel, and logs without caller numbers.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use wxcc_sfdc_adapter::web::{start_adapter, AdapterHandle};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function makeDesktop(agentId) {
  const listeners = {};
  const d = {
    calls: [],
    lines: [],
    agentContact: {
      addEventListener(name, fn) { (listeners[name] ??= []).push(fn); },
      removeEventListener(name, fn) { listeners[name] = (listeners[name] || []).filter((f) => f !== fn); },
    },
    agentStateInfo: {
      latestData: { agentId, agentName: 'Agent ' + agentId, subStatus: 'Available' },
      addEventListener() {}, removeEventListener() {},
      stateChange(args) { d.calls.push(['stateChange', args]); return Promise.resolve({}); },
    },
    dialer: {
      startOutdial(args) { d.calls.push(['startOutdial', args]); return Promise.resolve({}); },
      updateCadVariables(args) { d.calls.push(['updateCadVariables', args]); return Promise.resolve({}); },
    },
    actions: { getIdleCodes() { return Promise.resolve([]); } },
    emit(name, data) { (listeners[name] || []).forEach((fn) => fn({ type: name, orgId: 'o', trackingId: 't', data })); },
    listenerCount() { return Object.values(listeners).reduce((n, l) => n + l.length, 0); },
  };
  d.logger = { info: (m) => d.lines.push(m), warn: (m) => d.lines.push(m), error: (m) => d.lines.push(m) };
  return d;
}

export function makeOpenCti(settings) {
  const o = { calls: [], tasks: {}, failSaveLog: 0, listeners: {}, nextId: 1 };
  const reply = (args, response) => setTimeout(() => args.callback(response), 0);
  const ok = (returnValue) => ({ success: true, returnValue, errors: null });
  const contacts = { '003000000000001AAA': { Id: '003000000000001AAA', Name: 'Ada Lovelace', RecordType: 'Contact', Phone: '2125550101' } };
  const methods = {
    getCallCenterSettings: () => ok(settings),
    searchAndScreenPop: (a) => ok(Object.fromEntries(Object.entries(contacts).filter(([, c]) => c.Phone.endsWith(a.searchParams)))),
    saveLog: (a) => {
      if (o.failSaveLog > 0) { o.failSaveLog--; return { success: false, returnValue: null, errors: [{ code: 'SERVER_ERROR', description: 'down' }] }; }
      const v = a.value;
      const id = v.Id || '00T00000000000' + String(o.nextId++).padStart(1, '0') + 'AAA';
      o.tasks[id] = Object.assign(o.tasks[id] || {}, v, { Id: id });
      return ok(id);
    },
  };
  for (const m of ['getCallCenterSettings', 'searchAndScreenPop', 'saveLog', 'screenPop', 'runApex', 'refreshView',
                   'enableClickToDial', 'notifyInitializationComplete', 'publish']) {
    o[m] = (args) => { o.calls.push([m, JSON.parse(JSON.stringify(args))]); reply(args, (methods[m] || (() => ok(null)))(args)); };
  }
  for (const m of ['onClickToDial', 'onNavigationChange', 'subscribe']) {
    o[m] = (args) => { o.calls.push([m, {}]); o.listeners[m] = args.listener; };
  }
  o.count = (m) => o.calls.filter(([n]) => n === m).length;
  o.last = (m) => [...o.calls].reverse().find(([n]) => n === m)?.[1];
  o.taskCount = () => Object.keys(o.tasks).length;
  return o;
}

export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

export function earlyLock(name) {
  let granted;
  const answer = new Promise((resolve) => { granted = resolve; });
  navigator.locks.request(name, () => new Promise((release) => granted(release)));
  return { name, answer };
}

export function deep(levels) { let o = { end: true }; for (let i = 0; i < levels; i++) o = { data: o }; return o; }
"#)]
extern "C" {
    fn deep(levels: u32) -> JsValue;
    #[wasm_bindgen(js_name = earlyLock)]
    fn early_lock(name: &str) -> JsValue;
    fn makeDesktop(agent_id: &str) -> JsValue;
    fn makeOpenCti(settings: &JsValue) -> JsValue;
    fn sleep(ms: u32) -> Promise;
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn call(v: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    let f: js_sys::Function = get(v, method).dyn_into().expect("method");
    f.apply(v, &args.iter().collect::<Array>()).expect("call")
}

/// Polls until `cond` holds (up to 5 s): waiting for a condition, never a fixed sleep.
async fn until(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..500 {
        if cond() {
            return;
        }
        let _ = JsFuture::from(sleep(10)).await;
    }
    panic!("timed out waiting for: {what}");
}

fn settings() -> JsValue {
    let s = js_sys::Object::new();
    let _ = Reflect::set(&s, &"/reqActivityRecordConfig/isCallNotesEnabled".into(), &"true".into());
    s.into()
}

fn options(prefix: &str) -> JsValue {
    let o = js_sys::Object::new();
    let _ = Reflect::set(&o, &"storagePrefix".into(), &prefix.into());
    o.into()
}

fn offer(id: &str, queue: &str) -> JsValue {
    let data = serde_json::json!({
        "interactionId": id,
        "interaction": {"interactionId": id, "mediaType": "telephony", "contactDirection": {"type": "INBOUND"},
            "callProcessingDetails": {"ani": "+12125550101", "dnis": "+18005550000", "virtualTeamName": queue}}
    });
    data.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).expect("js")
}
use serde::Serialize;

fn status(h: &AdapterHandle) -> String {
    get(&h.status(), "state").as_string().unwrap_or_default()
}

async fn started(desktop: &JsValue, opencti: &JsValue, prefix: &str) -> AdapterHandle {
    start_adapter(desktop.clone(), opencti.clone(), options(prefix), JsValue::UNDEFINED, JsValue::UNDEFINED)
        .await
        .map_err(JsValue::from)
        .expect("adapter starts")
}

fn count(o: &JsValue, m: &str) -> f64 {
    call(o, "count", &[m.into()]).as_f64().unwrap_or(0.0)
}

#[wasm_bindgen_test]
async fn offered_call_pops_the_contact_and_wrap_up_logs_it_once() {
    let desktop = makeDesktop("agent-1");
    let opencti = makeOpenCti(&settings());
    let h = started(&desktop, &opencti, "t1").await;
    until("active", || status(&h) == "active").await;
    assert!(call(&desktop, "listenerCount", &[]).as_f64().unwrap_or(0.0) >= 13.0, "a listener per SDK event");
    until("ready", || count(&opencti, "notifyInitializationComplete") == 1.0).await;
    assert_eq!(count(&opencti, "enableClickToDial"), 1.0);

    call(&desktop, "emit", &["eAgentOfferContact".into(), offer("i-1", "Support")]);
    until("screen pop", || count(&opencti, "screenPop") == 1.0).await;
    let search = call(&opencti, "last", &["searchAndScreenPop".into()]);
    assert_eq!(get(&search, "searchParams").as_string().as_deref(), Some("2125550101"));
    let pop = call(&opencti, "last", &["screenPop".into()]);
    assert_eq!(get(&get(&pop, "params"), "recordId").as_string().as_deref(), Some("003000000000001AAA"));

    for name in
        ["eAgentContactAssigned", "eAgentWrapup", "eAgentContactWrappedUp", "eAgentContactWrappedUp", "eAgentContact"]
    {
        call(&desktop, "emit", &[name.into(), offer("i-1", "Support")]);
    }
    until("task written", || call(&opencti, "taskCount", &[]).as_f64() == Some(1.0)).await;
    until("outbox empty", || h.outbox_length() == 0).await;
    assert_eq!(count(&opencti, "saveLog"), 1.0, "repeated events write nothing more");
    assert_eq!(count(&opencti, "searchAndScreenPop"), 1.0);
    h.stop();
}

#[wasm_bindgen_test]
async fn a_reload_in_the_middle_of_a_failing_write_finishes_it_once() {
    let desktop = makeDesktop("agent-2");
    let opencti = makeOpenCti(&settings());
    let _ = Reflect::set(&opencti, &"failSaveLog".into(), &JsValue::from(1000));
    let first = started(&desktop, &opencti, "t2").await;
    until("active", || status(&first) == "active").await;
    call(&desktop, "emit", &["eAgentOfferContact".into(), offer("i-2", "Support")]);
    call(&desktop, "emit", &["eAgentContactAssigned".into(), offer("i-2", "Support")]);
    first.notes("caller wants a refund".into());
    call(&desktop, "emit", &["eAgentContactWrappedUp".into(), offer("i-2", "Support")]);
    let stored = || {
        web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item("t2:agent-2:state:call:i-2").ok().flatten())
    };
    // The reload comes after the failure is known (a write still in flight at a reload is
    // looked up first, through Apex this fake does not answer).
    until("first attempt failed", || stored().is_some_and(|s| s.contains("\"attempts\":1"))).await;
    assert_eq!(call(&opencti, "taskCount", &[]).as_f64(), Some(0.0));
    let stored = stored();
    assert!(stored.is_some_and(|s| s.contains("caller wants a refund")), "notes kept in storage until written");
    first.stop(); // the page goes away

    let _ = Reflect::set(&opencti, &"failSaveLog".into(), &JsValue::from(0));
    let desktop2 = makeDesktop("agent-2");
    let second = started(&desktop2, &opencti, "t2").await;
    until("task written after reload", || call(&opencti, "taskCount", &[]).as_f64() == Some(1.0)).await;
    until("outbox empty", || second.outbox_length() == 0).await;
    let tasks = get(&opencti, "tasks");
    let task = js_sys::Object::values(&tasks.unchecked_into()).get(0);
    assert_eq!(get(&task, "Description").as_string().as_deref(), Some("caller wants a refund"));
    assert_eq!(get(&task, "CallObject").as_string().as_deref(), Some("i-2"));
    second.stop();
}

/// This origin's `localStorage` keys that start with `prefix`, with their values.
fn stored_with(prefix: &str) -> Vec<(String, String)> {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return Vec::new() };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect();
    keys.into_iter().filter_map(|k| Some((k.clone(), storage.get_item(&k).ok().flatten()?))).collect()
}

#[wasm_bindgen_test]
async fn the_whole_snapshot_of_version_0_1_is_taken_up_and_replaced_by_records() {
    let opencti = makeOpenCti(&settings());
    let _ = Reflect::set(&opencti, &"failSaveLog".into(), &JsValue::from(1000));
    let desktop = makeDesktop("agent-9");
    let first = started(&desktop, &opencti, "t9").await;
    until("active", || status(&first) == "active").await;
    call(&desktop, "emit", &["eAgentOfferContact".into(), offer("i-9", "Support")]);
    call(&desktop, "emit", &["eAgentContactAssigned".into(), offer("i-9", "Support")]);
    first.notes("call back on Monday".into());
    call(&desktop, "emit", &["eAgentContactWrappedUp".into(), offer("i-9", "Support")]);
    until("the write failed once", || {
        stored_with("t9:agent-9:state:call:i-9").iter().any(|(_, v)| v.contains("\"attempts\":1"))
    })
    .await;
    first.stop();

    // What version 0.1 kept: the same state as one `snapshot` key, and no records.
    let records: Vec<(String, String)> = stored_with("t9:agent-9:state:")
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("t9:agent-9:state:")?.to_string(), v)))
        .collect();
    let loaded = wxcc_sfdc_adapter::config::from_settings([("/reqActivityRecordConfig/isCallNotesEnabled", "true")]);
    let ctx = wxcc_sfdc_adapter::engine::AgentContext { agent_id: "agent-9".into(), ..Default::default() };
    let snapshot = wxcc_sfdc_adapter::engine::Engine::restore_records(loaded.config, ctx, &records).snapshot();
    assert!(snapshot.contains("call back on Monday"), "the notes are in the whole snapshot");
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("localStorage");
    for (key, _) in stored_with("t9:agent-9:state:") {
        let _ = storage.remove_item(&key);
    }
    let _ = storage.set_item("t9:agent-9:snapshot", &snapshot);

    let _ = Reflect::set(&opencti, &"failSaveLog".into(), &JsValue::from(0));
    let second = started(&makeDesktop("agent-9"), &opencti, "t9").await;
    until("the Task written after the upgrade", || call(&opencti, "taskCount", &[]).as_f64() == Some(1.0)).await;
    until("outbox empty", || second.outbox_length() == 0).await;
    let tasks = get(&opencti, "tasks");
    let task = js_sys::Object::values(&tasks.unchecked_into()).get(0);
    assert_eq!(get(&task, "Description").as_string().as_deref(), Some("call back on Monday"));
    assert_eq!(storage.get_item("t9:agent-9:snapshot").ok().flatten(), None, "the old key is removed");
    assert!(!stored_with("t9:agent-9:state:session").is_empty(), "the state is kept as records now");
    second.stop();
}

#[wasm_bindgen_test]
async fn a_second_tab_of_the_same_agent_waits_and_takes_over() {
    let opencti = makeOpenCti(&settings());
    let first = started(&makeDesktop("agent-3"), &opencti, "t3").await;
    until("first active", || status(&first) == "active").await;
    let desktop2 = makeDesktop("agent-3");
    let second = started(&desktop2, &opencti, "t3").await;
    assert_eq!(status(&second), "passive");
    assert_eq!(call(&desktop2, "listenerCount", &[]).as_f64(), Some(0.0), "the passive tab does not listen");
    first.stop();
    until("second takes over", || status(&second) == "active").await;
    assert!(call(&desktop2, "listenerCount", &[]).as_f64().unwrap_or(0.0) >= 13.0);
    second.stop();
}

#[wasm_bindgen_test]
async fn the_panel_shows_hostile_values_as_text_and_logs_hide_the_number() {
    let desktop = makeDesktop("agent-4");
    let opencti = makeOpenCti(&settings());
    let h = started(&desktop, &opencti, "t4").await;
    until("active", || status(&h) == "active").await;
    let doc = web_sys::window().and_then(|w| w.document()).expect("document");
    let root: web_sys::HtmlElement = doc.create_element("div").expect("div").dyn_into().expect("html");
    doc.body().expect("body").append_child(&root).expect("append");
    h.attach_panel(root.clone());
    let hostile = "<img src=x onerror=alert(1)>";
    call(&desktop, "emit", &["eAgentOfferContact".into(), offer("i-4", hostile)]);
    call(&desktop, "emit", &["eAgentContactAssigned".into(), offer("i-4", hostile)]);
    until("panel shows the call", || root.text_content().unwrap_or_default().contains(hostile)).await;
    assert!(root.query_selector("img").ok().flatten().is_none(), "no markup from a CAD value");
    assert!(root.text_content().unwrap_or_default().contains("Active: handling calls."));
    // Click-to-dial logs the number it dials: redacted.
    let listener: js_sys::Function =
        get(&get(&opencti, "listeners"), "onClickToDial").dyn_into().expect("click-to-dial listener");
    let click =
        serde_json::json!({"number": "+1 (212) 555-0101", "recordId": "003000000000001AAA", "objectType": "Contact"});
    let _ = listener
        .call1(&JsValue::NULL, &click.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).expect("js"));
    until("dialed", || Array::from(&get(&desktop, "calls")).length() > 0).await;
    let dialed = Array::from(&get(&desktop, "calls")).get(0);
    assert_eq!(
        get(&get(&Array::from(&dialed).get(1), "data"), "destination").as_string().as_deref(),
        Some("2125550101")
    );
    let lines = Array::from(&get(&desktop, "lines"));
    assert!(lines.length() > 0, "the adapter logged through Desktop.logger");
    for line in lines.iter() {
        let text = line.as_string().unwrap_or_default();
        assert!(!text.contains("2125550101") && !text.contains("12125550101"), "caller number in a log line: {text}");
    }
    h.stop();
}

#[wasm_bindgen_test]
async fn a_salesforce_error_is_retried_until_the_write_lands() {
    let desktop = makeDesktop("agent-5");
    let opencti = makeOpenCti(&settings());
    let _ = Reflect::set(&opencti, &"failSaveLog".into(), &JsValue::from(2));
    let h = started(&desktop, &opencti, "t5").await;
    until("active", || status(&h) == "active").await;
    for name in ["eAgentOfferContact", "eAgentContactAssigned", "eAgentContactWrappedUp"] {
        call(&desktop, "emit", &[name.into(), offer("i-5", "Support")]);
    }
    // Refused twice (SERVER_ERROR), retried after 1 s and 2 s, written on the third attempt.
    until("written after retries", || call(&opencti, "taskCount", &[]).as_f64() == Some(1.0)).await;
    assert_eq!(count(&opencti, "saveLog"), 3.0);
    let diagnostics = js_sys::Array::from(&h.diagnostics());
    assert!(diagnostics.iter().any(|d| get(&d, "message").as_string().unwrap_or_default().contains("retried")));
    h.stop();
}

/// Security check of issue 8: with debug off, no log line holds more than the last 4 digits of
/// the caller's number nor any CAD value; with debug on the same call does log the CAD value (so
/// the first half can fail).
#[wasm_bindgen_test]
async fn logs_hide_cad_values_and_caller_digits_unless_debug_is_on() {
    const SECRET: &str = "QX77319ZEBRA";
    async fn run_call(debug: bool, prefix: &str) -> Vec<String> {
        let desktop = makeDesktop(prefix);
        let s = settings();
        let _ = Reflect::set(&s, &"/reqAdvanceScreenpopConfig/reqIsAdvancedScreenpopEnabled".into(), &"true".into());
        let _ =
            Reflect::set(&s, &"/reqAdvanceScreenpopConfig/screenpopSearchParamCadName".into(), &"accountNumber".into());
        let _ = Reflect::set(&s, &"/reqActivityRecordConfig/reqIsCadVariableUpdatedToActivity".into(), &"true".into());
        let opencti = makeOpenCti(&s);
        // A failing write and a click-to-dial make the adapter log about this very call.
        let _ = Reflect::set(&opencti, &"failSaveLog".into(), &JsValue::from_f64(2.0));
        let o = options(prefix);
        let _ = Reflect::set(&o, &"debug".into(), &JsValue::from_bool(debug));
        let h = start_adapter(desktop.clone(), opencti.clone(), o, JsValue::UNDEFINED, JsValue::UNDEFINED)
            .await
            .map_err(JsValue::from)
            .expect("starts");
        until("active", || status(&h) == "active").await;
        let data = serde_json::json!({
            "interactionId": "i-cad",
            "interaction": {"interactionId": "i-cad", "mediaType": "telephony", "contactDirection": {"type": "INBOUND"},
                "callProcessingDetails": {"ani": "+12125550101", "dnis": "+18005550000", "virtualTeamName": "Support"},
                "callAssociatedData": {"accountNumber": {"name": "accountNumber", "value": SECRET}}}
        });
        let data = data.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).expect("js");
        for name in ["eAgentOfferContact", "eAgentContactAssigned", "eAgentWrapup", "eAgentContactWrappedUp"] {
            call(&desktop, "emit", &[name.into(), data.clone()]);
        }
        until("searched by the CAD value", || {
            get(&call(&opencti, "last", &["searchAndScreenPop".into()]), "searchParams").as_string().as_deref()
                == Some(SECRET)
        })
        .await;
        until("task written", || call(&opencti, "taskCount", &[]).as_f64() == Some(1.0)).await;
        until("outbox empty", || h.outbox_length() == 0).await;
        let listener: js_sys::Function =
            get(&get(&opencti, "listeners"), "onClickToDial").dyn_into().expect("click-to-dial listener");
        let click = serde_json::json!({"number": "+1 (212) 555-0101", "recordId": "003000000000001AAA"});
        let _ = listener
            .call1(&JsValue::NULL, &click.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).expect("js"));
        until("dialed", || Array::from(&get(&desktop, "calls")).length() > 0).await;
        h.stop();
        Array::from(&get(&desktop, "lines")).iter().map(|l| l.as_string().unwrap_or_default()).collect()
    }

    let quiet = run_call(false, "t-cad-quiet").await;
    assert!(quiet.len() >= 3, "the failed writes and the dial were logged: {quiet:?}");
    for line in &quiet {
        assert!(!line.contains(SECRET) && !line.contains("77319"), "CAD value in a log line without debug: {line}");
        // A number may be formatted ("(212) 555-0101"): join the digits of each run of digits and
        // separators, then look for any 5 consecutive digits of the caller's number.
        let caller = "12125550101";
        for span in line.split(|c: char| !(c.is_ascii_digit() || " ()-.+/".contains(c))) {
            let digits: String = span.chars().filter(char::is_ascii_digit).collect();
            let leaked = (0..=caller.len() - 5).any(|i| caller.get(i..i + 5).is_some_and(|w| digits.contains(w)));
            assert!(!leaked, "caller digits beyond the last 4 in a log line: {line}");
        }
    }
    let verbose = run_call(true, "t-cad-debug").await;
    assert!(verbose.iter().any(|l| l.contains(SECRET)), "debug on logs the CAD value: {verbose:?}");
}

/// SPEC §6 "Depth and size": a payload thousands of levels deep handed to any listener is
/// refused with a log line; the module goes on working (before, it trapped for good).
#[wasm_bindgen_test]
async fn a_deeply_nested_payload_is_refused_and_the_adapter_keeps_working() {
    let desktop = makeDesktop("agent-deep");
    let opencti = makeOpenCti(&settings());
    let h = started(&desktop, &opencti, "t-deep").await;
    until("ready", || count(&opencti, "notifyInitializationComplete") == 1.0).await;

    call(&desktop, "emit", &["eAgentContact".into(), deep(2_500)]);
    let click = get(&get(&opencti, "listeners"), "onClickToDial");
    if let Ok(f) = click.dyn_into::<js_sys::Function>() {
        let _ = f.call1(&JsValue::NULL, &deep(2_500));
    }
    let lines =
        || js_sys::Array::from(&get(&desktop, "lines")).iter().filter_map(|l| l.as_string()).collect::<Vec<_>>();
    until("refusals logged", || lines().iter().filter(|l| l.contains("ignored a")).count() >= 2).await;

    call(&desktop, "emit", &["eAgentOfferContact".into(), offer("i-deep", "Support")]);
    until("the next call still pops", || count(&opencti, "screenPop") == 1.0).await;
    assert!(js_sys::Array::from(&get(&desktop, "calls")).length() == 0, "the deep click-to-dial dialed nothing");
    h.stop();
}

/// Which release runs is the first thing the widget logs (issue 14: support asks for it).
#[wasm_bindgen_test]
async fn the_first_log_line_names_the_release() {
    let desktop = makeDesktop("agent-version");
    let opencti = makeOpenCti(&settings());
    let h = started(&desktop, &opencti, "t-version").await;
    let first = js_sys::Array::from(&get(&desktop, "lines")).get(0).as_string().unwrap_or_default();
    assert_eq!(first, format!("[wxcc-sfdc-adapter] wxcc-sfdc-adapter {} starting", env!("CARGO_PKG_VERSION")));
    h.stop();
}

/// The loader asks for the writer lock at script evaluation and hands the request over: the
/// first tab writes, a second tab of the same agent waits and takes over when the first goes.
#[wasm_bindgen_test]
async fn a_writer_lock_asked_for_by_the_loader_is_taken_over_by_the_adapter() {
    let opencti = makeOpenCti(&settings());
    let options = |agent: &str| {
        let o = js_sys::Object::new();
        let _ = Reflect::set(&o, &"agentId".into(), &agent.into());
        JsValue::from(o)
    };
    let name = "wxcc-sfdc-adapter:agent-6:writer";
    let first = start_adapter(
        makeDesktop("agent-6"),
        opencti.clone(),
        options("agent-6"),
        JsValue::UNDEFINED,
        early_lock(name),
    )
    .await
    .map_err(JsValue::from)
    .expect("starts");
    until("first active", || status(&first) == "active").await;
    let desktop2 = makeDesktop("agent-6");
    let second =
        start_adapter(desktop2.clone(), opencti.clone(), options("agent-6"), JsValue::UNDEFINED, early_lock(name))
            .await
            .map_err(JsValue::from)
            .expect("starts");
    assert_eq!(status(&second), "passive", "the lock is the first tab's");
    first.stop();
    until("second takes over", || status(&second) == "active").await;
    // A request under another name (another prefix) is let go, and the adapter asks for its own.
    let third = start_adapter(
        makeDesktop("agent-7"),
        opencti,
        options("agent-7"),
        JsValue::UNDEFINED,
        early_lock("other:agent-7:writer"),
    )
    .await
    .map_err(JsValue::from)
    .expect("starts");
    until("third active", || status(&third) == "active").await;
    second.stop();
    third.stop();
}
