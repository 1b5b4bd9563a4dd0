//! Field mappings: which Salesforce field gets which value (a CAD variable, a built-in, a
//! constant or a conditional table), parsed from both vendor JSON shapes and the v2
//! `Field={var},…` strings, with diagnostics placed inside the item.

use super::diag::{Code, Diagnostic, Pos};
use super::source::RawItem;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One Salesforce field and where its value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMapping {
    /// The Salesforce field API name, e.g. `Phone` or `Priority`.
    pub field: String,
    pub source: ValueSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ValueSource {
    /// A CAD variable of the interaction or a built-in (`phoneNumber`, `dnis`, `queueName`, …).
    Variable { name: String },
    /// The same constant for every call.
    Constant { value: String },
    /// Looked up in the conditional table by the value of variable `name`; `default` when no
    /// rule matches (the field is left out when there is none).
    Conditional { name: String, default: Option<String> },
}

/// One row of a conditional table: when `variable` equals `when` (`"*"` matches anything),
/// write `value`. `field` narrows the row to one Salesforce field when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionalRule {
    pub variable: String,
    pub when: String,
    pub value: String,
    pub field: Option<String>,
}

/// What a mapping resolved to, with the reason kept for the "why" trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Value(String),
    /// Left out; the string says why (shown in the decision trace).
    Skipped(String),
}

impl FieldMapping {
    /// Resolves the value for one call. `lookup` answers a variable name (CAD or built-in).
    pub fn resolve(&self, lookup: &dyn Fn(&str) -> Option<String>, rules: &[ConditionalRule]) -> Resolved {
        match &self.source {
            ValueSource::Constant { value } => Resolved::Value(value.clone()),
            ValueSource::Variable { name } => match lookup(name) {
                Some(v) => Resolved::Value(v),
                None => Resolved::Skipped(format!("`{name}` has no value on this call")),
            },
            ValueSource::Conditional { name, default } => {
                let actual = lookup(name);
                let applies = |r: &&ConditionalRule| {
                    r.variable.eq_ignore_ascii_case(name)
                        && r.field.as_deref().is_none_or(|f| f.eq_ignore_ascii_case(&self.field))
                };
                let exact = rules.iter().filter(applies).find(|r| actual.as_deref() == Some(r.when.as_str()));
                let catch_all = || rules.iter().filter(applies).find(|r| r.when == "*");
                match (exact.or_else(catch_all), default) {
                    (Some(rule), _) => Resolved::Value(rule.value.clone()),
                    (None, Some(d)) => Resolved::Value(d.clone()),
                    (None, None) => Resolved::Skipped(match actual {
                        // The value may identify the caller: only its last characters go in the trace.
                        Some(v) => {
                            format!("no conditional rule for `{name}` = `{}` and no `*` rule", crate::pii::redact(&v))
                        }
                        None => format!("`{name}` has no value on this call and there is no `*` rule"),
                    }),
                }
            }
        }
    }
}

/// Where a problem inside an item value is, given serde_json's 1-based line and byte column in it.
fn pos_inside(item: &RawItem, line: usize, column: usize) -> Option<Pos> {
    // Without a value position the value's lines are not the file's: no place inside it.
    let start = item.value_pos?;
    let column = crate::text::json_char_column(&item.value, line, column);
    let line_u = u32::try_from(line).unwrap_or(1).max(1);
    let column_u = u32::try_from(column).unwrap_or(1).max(1);
    Some(if line_u == 1 {
        Pos { line: start.line, column: start.column.saturating_add(column_u.saturating_sub(1)) }
    } else {
        Pos { line: start.line.saturating_add(line_u - 1), column: column_u }
    })
}

/// Parses the item as a JSON array of objects; an empty value is an empty array.
fn json_entries(item: &RawItem, diags: &mut Vec<Diagnostic>) -> Vec<Map<String, Value>> {
    if item.value.is_empty() {
        return Vec::new();
    }
    let parsed: Value = match serde_json::from_str(&item.value) {
        Ok(v) => v,
        Err(err) => {
            diags.push(
                Diagnostic::error(
                    Code::InvalidJson,
                    item.path(),
                    format!("invalid JSON at line {} column {} of the value: {}", err.line(), err.column(), strip_position(&err.to_string())),
                )
                .at(pos_inside(item, err.line(), err.column()).or(item.pos))
                .hint("the value must be a JSON array like [{\"wxccFieldName\":\"ani\",\"sfdcFieldName\":\"Phone\",\"isDefaultValueEnabled\":\"false\",\"isConditionalEnabled\":\"false\"}]; this item is ignored"),
            );
            return Vec::new();
        }
    };
    let list = match parsed {
        Value::Array(list) => list,
        Value::Object(one) => vec![Value::Object(one)],
        other => {
            diags.push(
                Diagnostic::error(
                    Code::MappingInvalid,
                    item.path(),
                    format!("expected a JSON array of mappings, found {}", kind_of(&other)),
                )
                .at(item.value_pos.or(item.pos))
                .hint("wrap the mappings in [ … ]; this item is ignored"),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (index, entry) in list.into_iter().enumerate() {
        match entry {
            // Keys match case-insensitively: fold them once here.
            Value::Object(map) => out.push(map.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect()),
            other => diags.push(
                Diagnostic::error(
                    Code::MappingInvalid,
                    item.path(),
                    format!("entry {} is {}, expected an object", index + 1, kind_of(&other)),
                )
                .at(item.value_pos.or(item.pos)),
            ),
        }
    }
    out
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A string field of an entry under any of `keys` (already lower-case); numbers and booleans
/// are taken as their text.
fn text(entry: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match entry.get(*k) {
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    })
}

/// A boolean that may be a JSON boolean or a string such as `"TRUE"`; absent is false.
fn flag(entry: &Map<String, Value>, key: &str, item: &RawItem, index: usize, diags: &mut Vec<Diagnostic>) -> bool {
    match entry.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => match super::parse_bool(s) {
            Some(b) => b,
            None => {
                diags.push(
                    Diagnostic::error(
                        Code::NotBoolean,
                        item.path(),
                        format!("entry {}: `{key}` is \"{s}\", not true or false", index + 1),
                    )
                    .at(item.value_pos.or(item.pos))
                    .hint("taken as false"),
                );
                false
            }
        },
        Some(other) => {
            diags.push(
                Diagnostic::error(
                    Code::NotBoolean,
                    item.path(),
                    format!("entry {}: `{key}` is {}, not true or false", index + 1, kind_of(other)),
                )
                .at(item.value_pos.or(item.pos))
                .hint("taken as false"),
            );
            false
        }
    }
}

/// Field mappings from a v1 item: either JSON shape, booleans as strings or booleans.
pub(crate) fn parse_mappings(item: &RawItem, diags: &mut Vec<Diagnostic>) -> Vec<FieldMapping> {
    let mut out = Vec::new();
    for (index, entry) in json_entries(item, diags).into_iter().enumerate() {
        let missing = |key: &str| {
            Diagnostic::error(
                Code::MappingMissingKey,
                item.path(),
                format!("entry {} has no `{key}`; it is ignored", index + 1),
            )
            .at(item.value_pos.or(item.pos))
        };
        let Some(field) = text(&entry, &["sfdcfieldname", "salesforcefieldname"]).filter(|s| !s.is_empty()) else {
            diags.push(
                missing("sfdcFieldName")
                    .hint("each mapping names the Salesforce field it writes: \"sfdcFieldName\":\"Phone\""),
            );
            continue;
        };
        let source_name = text(&entry, &["wxccfieldname", "cadfieldname"]).unwrap_or_default();
        let use_default = flag(&entry, "isdefaultvalueenabled", item, index, diags);
        let conditional = flag(&entry, "isconditionalenabled", item, index, diags);
        let default = text(&entry, &["defaultfieldvalue"]);
        let source =
            if conditional {
                if source_name.is_empty() {
                    diags.push(
                        missing("wxccFieldName")
                            .hint("a conditional mapping needs the variable whose value selects the rule"),
                    );
                    continue;
                }
                ValueSource::Conditional { name: source_name, default: if use_default { default } else { None } }
            } else if use_default {
                match default {
                    Some(value) => ValueSource::Constant { value },
                    None => {
                        diags.push(
                            missing("defaultFieldValue")
                                .hint("isDefaultValueEnabled is true, so the constant value must be given"),
                        );
                        continue;
                    }
                }
            } else if source_name.is_empty() {
                diags.push(missing("wxccFieldName").hint(
                    "name the CAD variable or built-in (phoneNumber, dnis, queueName, …) that supplies the value",
                ));
                continue;
            } else {
                ValueSource::Variable { name: source_name }
            };
        out.push(FieldMapping { field, source });
    }
    out
}

/// Conditional tables: `[{"wxccFieldName","wxccFieldValue","sfdcFieldValue"}, …]`.
pub(crate) fn parse_conditionals(item: &RawItem, diags: &mut Vec<Diagnostic>) -> Vec<ConditionalRule> {
    let mut out = Vec::new();
    for (index, entry) in json_entries(item, diags).into_iter().enumerate() {
        let variable = text(&entry, &["wxccfieldname", "cadfieldname"]).unwrap_or_default();
        let when = text(&entry, &["wxccfieldvalue", "cadfieldvalue"]);
        let value = text(&entry, &["sfdcfieldvalue", "salesforcefieldvalue"]);
        match (variable.is_empty(), when, value) {
            (false, Some(when), Some(value)) => out.push(ConditionalRule {
                variable,
                when,
                value,
                field: text(&entry, &["sfdcfieldname", "salesforcefieldname"]).filter(|s| !s.is_empty()),
            }),
            _ => diags.push(
                Diagnostic::error(Code::MappingMissingKey, item.path(), format!("conditional entry {} needs wxccFieldName, wxccFieldValue and sfdcFieldValue; it is ignored", index + 1))
                    .at(item.value_pos.or(item.pos))
                    .hint("example: {\"wxccFieldName\":\"queueName\",\"wxccFieldValue\":\"Gold\",\"sfdcFieldValue\":\"Premium\"} (\"*\" matches any value)"),
            ),
        }
    }
    out
}

/// v2 mappings: `Field={cadVar},Other=constant`.
pub(crate) fn parse_v2_mappings(item: &RawItem, diags: &mut Vec<Diagnostic>) -> Vec<FieldMapping> {
    let mut out = Vec::new();
    for pair in item.value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((field, value)) = pair.split_once('=') else {
            diags.push(
                Diagnostic::error(
                    Code::MappingInvalid,
                    item.path(),
                    format!("`{pair}` is not of the form SalesforceField={{cadVariable}}; it is ignored"),
                )
                .at(item.value_pos.or(item.pos))
                .hint("write e.g. Description={callReason},Priority=High"),
            );
            continue;
        };
        let (field, value) = (field.trim().to_string(), value.trim());
        let source = match value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
            Some(name) => ValueSource::Variable { name: name.trim().to_string() },
            None => ValueSource::Constant { value: value.to_string() },
        };
        out.push(FieldMapping { field, source });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(value: &str) -> RawItem {
        RawItem {
            section: "s".into(),
            name: "m".into(),
            value: value.into(),
            pos: Some(Pos { line: 10, column: 9 }),
            value_pos: Some(Pos { line: 10, column: 40 }),
        }
    }

    #[test]
    fn both_json_shapes_and_boolean_forms() {
        let mut d = Vec::new();
        let m = parse_mappings(
            &item(
                r#"[{"wxccFieldName":"phoneNumber","sfdcFieldName":"Phone","isDefaultValueEnabled":"FALSE","isConditionalEnabled":false},
                      {"CadFieldName":"","SalesforceFieldName":"LeadSource","isDefaultValueEnabled":true,"defaultFieldValue":"Phone Inquiry"},
                      {"WXCCFIELDNAME":"queueName","sfdcfieldname":"Rating","isDefaultValueEnabled":"false","isConditionalEnabled":" True "}]"#,
            ),
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            m,
            vec![
                FieldMapping { field: "Phone".into(), source: ValueSource::Variable { name: "phoneNumber".into() } },
                FieldMapping {
                    field: "LeadSource".into(),
                    source: ValueSource::Constant { value: "Phone Inquiry".into() }
                },
                FieldMapping {
                    field: "Rating".into(),
                    source: ValueSource::Conditional { name: "queueName".into(), default: None }
                },
            ]
        );
    }

    #[test]
    fn invalid_json_is_placed_inside_the_item() {
        let mut d = Vec::new();
        parse_mappings(&item(r#"[{"wxccFieldName":"a" "sfdcFieldName":"b"}]"#), &mut d);
        let first = d.first();
        assert_eq!(first.map(|d| d.code), Some(Code::InvalidJson));
        assert_eq!(first.and_then(|d| d.line), Some(10));
        // serde_json reports column 23 of the value, which starts at column 40.
        assert_eq!(first.and_then(|d| d.column), Some(62));
    }

    #[test]
    fn invalid_json_column_counts_characters_not_bytes() {
        let mut d = Vec::new();
        parse_mappings(&item(r#"[{"wxccFieldName":"é😀" "sfdcFieldName":"b"}]"#), &mut d);
        // serde_json reports byte column 28 of the value (the second `"`); it is character 24,
        // and the value starts at column 40.
        assert_eq!(d.first().and_then(|d| d.line.zip(d.column)), Some((10, 63)));
    }

    #[test]
    fn conditional_rules_pick_exact_then_catch_all() {
        let rules = vec![
            ConditionalRule { variable: "queueName".into(), when: "Gold".into(), value: "Premium".into(), field: None },
            ConditionalRule { variable: "queueName".into(), when: "*".into(), value: "Standard".into(), field: None },
        ];
        let m = FieldMapping {
            field: "Rating".into(),
            source: ValueSource::Conditional { name: "queueName".into(), default: None },
        };
        let gold = |n: &str| (n == "queueName").then(|| "Gold".to_string());
        let other = |n: &str| (n == "queueName").then(|| "Silver".to_string());
        assert_eq!(m.resolve(&gold, &rules), Resolved::Value("Premium".into()));
        assert_eq!(m.resolve(&other, &rules), Resolved::Value("Standard".into()));
        assert!(matches!(m.resolve(&other, rules.get(..1).unwrap_or_default()), Resolved::Skipped(_)));
    }

    #[test]
    fn v2_strings() {
        let mut d = Vec::new();
        let m = parse_v2_mappings(&item("Description={callReason}, Priority=High,broken"), &mut d);
        assert_eq!(m.len(), 2);
        assert_eq!(d.len(), 1);
    }
}
