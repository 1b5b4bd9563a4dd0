//! The widget's readers (`#[derive(Read)]`, src/value_de.rs) and writers (`#[derive(Write)]`,
//! src/value_out.rs) against serde's derived code, over the values the engine really reads and
//! writes and mutations of them: the same value or the same error message, for every type the
//! widget reads, and the same JSON text for every value read.
//!
//! Seeds: every value the replay scenarios (tests/scenarios) hand the engines (desktop events,
//! agent states, desktop answers) and every snapshot and stored record after each step, with
//! all their nested values, plus the reference desktop event. Each seed that one type reads is
//! then mutated (a value replaced by one of another JSON type or by another part of the seed,
//! keys removed, added or renamed, list items dropped or repeated, numbers as text and back) and
//! both readers must agree on the result.

use super::call::Call;
use super::omni::OmniSync;
use super::outbox::Entry;
use super::records::{CallRecordIn, Gone, Session};
use super::Durable;
use crate::desktop::{AgentState, CadVariable, EventData, EventPayload, IdleCode, Interaction, Media, Participant};
use crate::value_de::{from_value, read, Read};
use crate::value_out::Write;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// What a reader made of a value: the value written back as JSON, or the error's message.
fn outcome<T: Serialize>(read: Result<T, serde_json::Error>) -> Result<Value, String> {
    read.map(|t| serde_json::to_value(&t).unwrap_or(Value::Null)).map_err(|e| e.to_string())
}

fn ours<T: Read + Serialize>(v: &Value) -> Result<Value, String> {
    outcome(read::<T>(v))
}

fn serdes<T: DeserializeOwned + Serialize>(v: &Value) -> Result<Value, String> {
    outcome(from_value::<T>(v.clone()))
}

/// What the replay scenarios (tests/scenarios) show as they play (`replay::values_seen`), played
/// once for both tests.
fn played() -> &'static [crate::sim::replay::Seen] {
    static PLAYED: std::sync::OnceLock<Vec<crate::sim::replay::Seen>> = std::sync::OnceLock::new();
    PLAYED.get_or_init(|| scenarios().iter().map(|s| crate::sim::replay::values_seen(s).expect("replay")).collect())
}

/// The replay scenarios, a definition given by path read in, as the CLI does.
fn scenarios() -> Vec<Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios");
    let mut paths: Vec<_> =
        std::fs::read_dir(dir).expect("scenarios").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    let json = paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json"));
    json.map(|path| {
        let mut scenario: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
        if let Some(Value::String(file)) =
            scenario.get("callCenter").filter(|c| !c.as_str().is_some_and(|s| s.starts_with('<')))
        {
            let xml = std::fs::read_to_string(std::path::Path::new(dir).join(file)).expect("definition");
            scenario["callCenter"] = Value::String(xml);
        }
        scenario
    })
    .collect()
}

fn seeds() -> Vec<Value> {
    let mut values: Vec<Value> = Vec::new();
    for seen in played() {
        values.extend(seen.read.iter().cloned());
    }
    let reference = include_str!("../desktop/fixtures/agentcontact-event-data.json");
    values.push(serde_json::from_str(reference).expect("reference event"));
    // Every nested value too, once each.
    let mut all = Vec::new();
    let mut texts = BTreeSet::new();
    while let Some(v) = values.pop() {
        match &v {
            Value::Object(o) => values.extend(o.values().cloned()),
            Value::Array(a) => values.extend(a.iter().cloned()),
            _ => continue,
        }
        if texts.insert(v.to_string()) {
            all.push(v);
        }
    }
    all
}

fn odd() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(4_294_967_296_u64),
        json!(""),
        json!("x"),
        json!("12"),
        json!("true"),
        json!([]),
        json!({}),
        json!([1, "a"]),
        json!(["x", "y"]),
        json!([["a", "b"]]),
        json!({"a": 1}),
        json!({"Ready": null}),
        json!("Ready"),
        json!({"Parked": {"reason": 3}}),
    ]
}

/// Every place in `v`, as a path of keys and positions.
fn places(v: &Value, at: &mut Vec<Place>, out: &mut Vec<Vec<Place>>) {
    out.push(at.clone());
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                at.push(Place::Key(k.clone()));
                places(child, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                at.push(Place::Item(i));
                places(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum Place {
    Key(String),
    Item(usize),
}

fn at_mut<'a>(v: &'a mut Value, path: &[Place]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, p| match p {
        Place::Key(k) => v.get_mut(k.as_str()),
        Place::Item(i) => v.get_mut(*i),
    })
}

fn mutate(v: &mut Value, rng: &mut fastrand::Rng) {
    let mut all = Vec::new();
    places(v, &mut Vec::new(), &mut all);
    let donor = {
        let path = &all[rng.usize(..all.len())];
        at_mut(&mut v.clone(), path).map(|d| d.clone()).unwrap_or(Value::Null)
    };
    let path = all[rng.usize(..all.len())].clone();
    let Some(node) = at_mut(v, &path) else { return };
    match (rng.u8(..8), &mut *node) {
        (0, Value::Object(o)) if !o.is_empty() => {
            let k = o.keys().nth(rng.usize(..o.len())).cloned().unwrap_or_default();
            o.shift_remove(&k);
        }
        (1, Value::Object(o)) => {
            o.insert(format!("unknown{}", rng.u8(..3)), donor);
        }
        (2, Value::Object(o)) if o.len() > 1 => {
            // A key renamed to another field's name: that field's value is replaced.
            let keys: Vec<String> = o.keys().cloned().collect();
            let (from, to) = (&keys[rng.usize(..keys.len())], &keys[rng.usize(..keys.len())]);
            if let Some(value) = o.shift_remove(from) {
                o.insert(to.clone(), value);
            }
        }
        (3, Value::Array(a)) if !a.is_empty() => {
            let i = rng.usize(..a.len());
            if rng.bool() {
                a.remove(i);
            } else {
                let item = a[i].clone();
                a.push(item);
            }
        }
        (4, Value::Number(n)) => *node = Value::String(n.to_string()),
        (4, Value::String(s)) => *node = serde_json::from_str(s).unwrap_or_else(|_| json!(s.len())),
        (5, _) => *node = donor,
        _ => {
            let odd = odd();
            *node = odd[rng.usize(..odd.len())].clone();
        }
    }
}

/// Both readers over the seeds `T` reads and `rounds` mutations of each; returns how many of
/// the cases read and how many failed, so that a type is seen to be tried both ways.
fn agree<T: DeserializeOwned + Read + Serialize + Write>(name: &str, seeds: &[Value], rounds: usize) -> (usize, usize) {
    let mut rng = fastrand::Rng::with_seed(0x5eed_0f2e);
    let (mut ok, mut failed) = (0, 0);
    let mut check = |v: &Value| {
        let theirs = serdes::<T>(v);
        assert_eq!(ours::<T>(v), theirs, "{name} read differently from serde's derived code: {v}");
        if let Ok(t) = from_value::<T>(v.clone()) {
            let text = serde_json::to_string(&t).unwrap_or_default();
            assert_eq!(crate::value_out::text(&t), text, "{name} written differently from serde's derived code");
        }
        if theirs.is_ok() {
            ok += 1;
        } else {
            failed += 1;
        }
    };
    let own: Vec<&Value> = seeds.iter().filter(|v| serdes::<T>(v).is_ok()).take(400).collect();
    for seed in &own {
        check(seed);
        for _ in 0..rounds {
            let mut v = (*seed).clone();
            for _ in 0..rng.usize(1..=3) {
                mutate(&mut v, &mut rng);
            }
            check(&v);
        }
    }
    for odd in odd() {
        check(&odd);
    }
    (ok, failed)
}

#[test]
fn the_widgets_readers_read_as_serdes_derived_code() {
    let seeds = seeds();
    assert!(seeds.len() > 1000, "the scenarios give {} values", seeds.len());
    let results = [
        ("Durable", agree::<Durable>("Durable", &seeds, 40)),
        ("Session", agree::<Session>("Session", &seeds, 40)),
        ("CallRecordIn", agree::<CallRecordIn>("CallRecordIn", &seeds, 40)),
        ("Gone", agree::<Gone>("Gone", &seeds, 40)),
        ("Call", agree::<Call>("Call", &seeds, 20)),
        ("Entry", agree::<Entry>("Entry", &seeds, 20)),
        ("OmniSync", agree::<OmniSync>("OmniSync", &seeds, 20)),
        ("EventPayload", agree::<EventPayload>("EventPayload", &seeds, 20)),
        ("EventData", agree::<EventData>("EventData", &seeds, 20)),
        ("Interaction", agree::<Interaction>("Interaction", &seeds, 20)),
        ("AgentState", agree::<AgentState>("AgentState", &seeds, 20)),
        ("IdleCode", agree::<IdleCode>("IdleCode", &seeds, 20)),
        ("CadVariable", agree::<CadVariable>("CadVariable", &seeds, 10)),
        ("Participant", agree::<Participant>("Participant", &seeds, 10)),
        ("Media", agree::<Media>("Media", &seeds, 10)),
    ];
    for (name, (ok, failed)) in results {
        // The strict (engine) types must have been refused as well as read; the desktop's
        // tolerant types read anything that is an object.
        assert!(ok >= 10, "{name}: only {ok} cases read");
        if ["Durable", "Session", "CallRecordIn", "Gone", "Call", "Entry", "OmniSync"].contains(&name) {
            assert!(failed >= 10, "{name}: only {failed} cases refused");
        }
    }
}

/// What the engines hand the page (the panel's view, pop traces, diagnostics) as the replay
/// scenarios play, and the diagnostics of every real-world and sample definition, written by
/// `#[derive(Write)]` as serde writes them.
#[test]
fn the_widgets_writers_write_as_serdes_derived_code() {
    let mut pairs = Vec::new();
    for seen in played() {
        pairs.extend(seen.written.iter().cloned());
    }
    let views = pairs.iter().filter(|(serde, _)| serde.get("interactionId").is_some()).count();
    let mut definitions = 0;
    for sub in ["tests/fixtures/real-world/definitions", "tests/fixtures/config", "layouts"] {
        let Ok(entries) = std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(sub)) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
            if path.extension().is_some_and(|e| e == "xml") {
                let loaded = crate::config::from_xml(&std::fs::read_to_string(&path).unwrap_or_default());
                pairs.push((serde_json::to_value(&loaded.diagnostics).expect("serde"), loaded.diagnostics.write()));
                definitions += 1;
            }
        }
    }
    let diagnostics: usize = pairs
        .iter()
        .filter_map(|(serde, _)| serde.as_array())
        .map(|a| a.iter().filter(|d| d.get("code").is_some()).count())
        .sum();
    assert!(
        views > 100 && definitions > 20 && diagnostics > 100,
        "{views} call views, {definitions} definitions, {diagnostics} diagnostics"
    );
    for (serde, ours) in &pairs {
        assert_eq!(ours.to_string(), serde.to_string());
    }
}
