//! What the generated-scenario suites share (tests/engine_properties.rs and
//! tests/engine_reliability.rs): the agents and their Salesforce users, reading the replay
//! output, and the two sequence mixers. The random draws are made exactly as each generator made
//! them before, so a seed gives the same scenario as it always did.
// Each test binary uses its own part of this module.
#![allow(dead_code)]

use serde_json::Value;

/// The agents a generated scenario can have.
pub const AGENTS: [&str; 3] = ["A", "B", "C"];

/// The Salesforce user Id a scenario gives an agent (`org.users`).
pub fn user_of(agent: &str) -> String {
    let n = AGENTS.iter().position(|a| *a == agent).map_or(9, |i| i + 1);
    format!("005{n:012}AAA")
}

/// The digits of a phone number.
pub fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A string field of a record in the replay output, empty when absent.
pub fn str_field<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// Adjacent re-deliveries of desktop events: each one is sent twice with probability `p`.
pub fn duplicates(rng: &mut fastrand::Rng, seq: Vec<Value>, p: f64) -> Vec<Value> {
    let mut out = Vec::with_capacity(seq.len() * 2);
    for step in seq {
        let dup = step.get("desktop").is_some() && rng.f64() < p;
        out.push(step.clone());
        if dup {
            out.push(step);
        }
    }
    out
}

/// Merges two sequences keeping each one's order.
pub fn interleave(rng: &mut fastrand::Rng, a: Vec<Value>, b: Vec<Value>) -> Vec<Value> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(_), Some(_)) => rng.f64() < 0.5,
        };
        let next = if take_a { a.next() } else { b.next() };
        out.extend(next);
    }
    out
}
