//! Where mapped values come from (CAD variables and built-ins), the Task subject, and search
//! values made safe for Salesforce search (SOSL).

use super::call::Call;
use super::AgentContext;
use crate::config::{AdapterConfig, ConditionalRule, FieldMapping, Resolved};
use crate::template::{DatePattern, SubjectTemplate};
use serde_json::{Map, Value};

/// Longest search value sent to Salesforce, in characters (before escaping).
pub(crate) const SEARCH_MAX_CHARS: usize = 80;

/// SOSL reserved characters, escaped with a backslash in search values.
const SOSL_RESERVED: &[char] =
    &['?', '&', '|', '!', '{', '}', '[', ']', '(', ')', '^', '~', '*', ':', '\\', '"', '\'', '+', '-'];

/// Makes a search value safe: control characters dropped, cut to [`SEARCH_MAX_CHARS`], SOSL
/// reserved characters escaped. `None` when fewer than two letters or digits remain (Salesforce
/// rejects such searches).
pub(crate) fn sanitize_search(value: &str) -> Option<String> {
    // Control characters and bidirectional overrides (which can make a value display as
    // something else) are dropped.
    let cleaned: String =
        value.chars().filter(|c| !c.is_control() && !is_bidi_control(*c)).take(SEARCH_MAX_CHARS).collect();
    let trimmed = cleaned.trim();
    if trimmed.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return None;
    }
    let mut out = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        if SOSL_RESERVED.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    Some(out)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A CAD variable of the call: exact name first, then ignoring case.
pub(crate) fn cad<'a>(call: &'a Call, name: &str) -> Option<&'a str> {
    call.cad
        .get(name)
        .or_else(|| call.cad.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
        .map(|v| v.expose().as_str())
        .filter(|v| !v.is_empty())
}

/// The caller's number with the configured prefix removed.
pub(crate) fn stripped_ani(call: &Call, config: &AdapterConfig) -> String {
    crate::phone::strip_prefix(call.ani.expose(), &config.screen_pop.ani_prefixes)
}

/// The other party's number with the configured prefix removed: the caller's (screen-pop
/// prefixes), or the number dialed (click-to-dial prefixes; an outbound call's ANI is our line).
pub(crate) fn party_number(call: &Call, config: &AdapterConfig) -> String {
    match call.direction {
        Some(crate::desktop::Direction::Outbound) => {
            crate::phone::strip_prefix(call.dnis.expose(), &config.outdial.dial_prefixes)
        }
        _ => stripped_ani(call, config),
    }
}

/// The value of a mapping source or template variable for this call.
pub(crate) fn lookup(call: &Call, config: &AdapterConfig, ctx: &AgentContext, name: &str) -> Option<String> {
    if let Some(v) = cad(call, name) {
        return Some(v.to_string());
    }
    let record = call.record();
    let of_type = |t: &str| record.filter(|r| r.object_type.eq_ignore_ascii_case(t)).map(|r| r.id.clone());
    let value = match name.to_ascii_lowercase().as_str() {
        "phonenumber" => Some(party_number(call, config)),
        "ani" => Some(stripped_ani(call, config)),
        "dnis" => Some(call.dnis.expose().clone()),
        "queuename" | "virtualteamname" | "queue" => call.queue.clone(),
        "interactionid" => Some(call.id.clone()),
        "direction" => Some(call.direction_word().to_string()),
        "agentname" => Some(ctx.agent_name.clone()),
        "customername" => call.customer_name.as_ref().map(|n| n.expose().clone()),
        "contactid" => of_type("Contact"),
        "leadid" => of_type("Lead"),
        "accountid" => of_type("Account").or_else(|| record.and_then(|r| r.account_id.clone())),
        "recordid" => record.map(|r| r.id.clone()),
        "caseid" => call.case_id.clone(),
        _ => None,
    };
    value.filter(|v| !v.is_empty())
}

/// Resolves mappings into `{field: value}`; what was left out and why goes into `skipped`.
pub(crate) fn mapped_fields(
    mappings: &[FieldMapping],
    rules: &[ConditionalRule],
    resolve: &dyn Fn(&str) -> Option<String>,
    skipped: &mut Vec<String>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for m in mappings {
        match m.resolve(resolve, rules) {
            Resolved::Value(v) => {
                out.insert(m.field.clone(), Value::String(v));
            }
            Resolved::Skipped(why) => skipped.push(format!("{} left out: {why}", m.field)),
        }
    }
    out
}

/// The Task subject for this call: the one the agent typed, else the template's at the time the
/// call started, in the agent's time zone.
pub(crate) fn subject(call: &Call, config: &AdapterConfig, ctx: &AgentContext) -> String {
    if let Some(typed) = &call.subject {
        return typed.clone();
    }
    let at = call.connected_at.unwrap_or(call.first_seen);
    let pattern = DatePattern::parse(&config.activity.subject_date_pattern).unwrap_or_default();
    let template = SubjectTemplate::parse(&config.activity.subject_template);
    let rendered = template.render(|name| match name {
        "direction" => Some(call.direction_word().to_string()),
        "activityDatetime" => Some(pattern.format(at, ctx.utc_offset_minutes)),
        "queue" => call.queue.clone(),
        other => lookup(call, config, ctx, other),
    });
    // Salesforce's Subject holds 255 characters.
    rendered.chars().take(255).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_search_values_are_escaped_and_capped() {
        assert_eq!(sanitize_search("a+b (c)").as_deref(), Some("a\\+b \\(c\\)"));
        assert_eq!(sanitize_search("{}*?").as_deref(), None);
        let long = "x".repeat(70_000);
        assert_eq!(sanitize_search(&long).map(|s| s.chars().count()), Some(SEARCH_MAX_CHARS));
        assert_eq!(sanitize_search("<script>alert(1)</script>").as_deref(), Some("<script>alert\\(1\\)</script>"));
        assert_eq!(sanitize_search("\u{0}\u{7}ab").as_deref(), Some("ab"));
        assert_eq!(sanitize_search("مرحبا 😀").as_deref(), Some("مرحبا 😀"));
        assert_eq!(sanitize_search("\u{202e}evil\u{202c}").as_deref(), Some("evil"));
    }
}

/// Salesforce's limit for a long text field (a Task's or Case's `Description`, and the notes
/// field) as the adapter applies it.
pub(crate) const LONG_TEXT_LIMIT: usize = 32_000;
/// The limit of a text field (`Subject`, `CallDisposition`, `CallObject`, and any mapped field
/// whose type the adapter cannot read: Open CTI has no `describe`, so 255, Salesforce's
/// largest plain text field, is the documented default).
pub(crate) const TEXT_LIMIT: usize = 255;

/// The length limit the adapter applies to a field it writes.
pub(crate) fn field_limit(field: &str, notes_field: &str) -> usize {
    if field.eq_ignore_ascii_case("Description") || field.eq_ignore_ascii_case(notes_field) {
        LONG_TEXT_LIMIT
    } else {
        TEXT_LIMIT
    }
}

/// Cuts every text value of a `saveLog` value to its field's limit, counted in UTF-16 code
/// units as Salesforce counts them, so that a long CAD value or notes never make Salesforce
/// refuse the whole record. Returns the fields that were cut.
pub(crate) fn cut_to_limits(value: &mut Map<String, Value>, notes_field: &str) -> Vec<String> {
    let mut cut = Vec::new();
    for (field, v) in value.iter_mut() {
        if field == "entityApiName" || field.eq_ignore_ascii_case("Id") {
            continue;
        }
        let Value::String(text) = v else { continue };
        let limit = field_limit(field, notes_field);
        if text.encode_utf16().count() <= limit {
            continue;
        }
        *text = cut_text(text, limit);
        cut.push(field.clone());
    }
    cut
}

/// The start of `text` that fits in `limit` UTF-16 code units.
pub(crate) fn cut_text(text: &str, limit: usize) -> String {
    let mut units = 0;
    text.chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= limit
        })
        .collect()
}

#[cfg(test)]
mod limit_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_values_are_cut_to_salesforce_limits_in_utf16_units() {
        let mut v = json!({"entityApiName": "Task", "Subject": "x".repeat(300), "Description": "📞".repeat(20_000),
            "CallObject": "abc", "Id": "y".repeat(400), "CallDurationInSeconds": 5})
        .as_object()
        .cloned()
        .unwrap_or_default();
        let mut cut = cut_to_limits(&mut v, "Description");
        cut.sort();
        assert_eq!(cut, vec!["Description", "Subject"]);
        assert_eq!(v["Subject"].as_str().map(str::len), Some(255));
        assert_eq!(v["Description"].as_str().map(|s| s.encode_utf16().count()), Some(32_000));
        assert_eq!(v["Id"].as_str().map(str::len), Some(400), "Ids are never touched");
    }
}
