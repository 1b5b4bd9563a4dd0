//! The FakeOrg search rule (SPEC §8), kept apart from record storage so it can be read and tested
//! on its own. It models what a Salesforce search finds for a screen-pop key; it does not parse
//! SOSL operators, wildcards or phrases (the adapter escapes those, so they are matched literally).
//!
//! The exact rule, applied to the search string after unescaping (`\x` → `x` for every SOSL
//! reserved character `x`):
//! - **Phone**: when the string looks like a phone number (only ASCII digits, whitespace and
//!   `+ - ( ) . /`, at least one digit), its digits `s` are compared with the digits `r` of every
//!   phone field (a field whose name, without a `__c` suffix, ends in `Phone` or is `Fax`, any case).
//!   The field matches when `r` ends with `s` and `s` has ≥ 7 digits, or `s` ends with `r` and `r`
//!   has ≥ 7 digits.
//! - **Text**: the text fields are `Name`, `FirstName`, `LastName`, `AccountNumber`, `Email`,
//!   `CaseNumber`, `Company` and every other `__c` custom field, plus the computed name
//!   (`FirstName LastName`) of a Contact or Lead. A field's *words* are its whitespace-separated
//!   tokens with leading and trailing non-alphanumeric characters trimmed; search *terms* are made
//!   from the search string the same way. Everything is compared case-insensitively (Unicode
//!   lowercase). The record matches when the whole trimmed search string equals the whole value of
//!   one of its text fields, or when **every** term equals a word of some text field of the record
//!   (terms are AND-ed across the record, as a Salesforce search does). No substrings, no prefixes.
//! - A record matches when its phone or its text rule matches.

use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Characters that SOSL reserves; the adapter escapes them with a backslash.
const SOSL_RESERVED: &[char] =
    &['?', '&', '|', '!', '{', '}', '[', ']', '(', ')', '^', '~', '*', ':', '\\', '"', '\'', '+', '-'];

/// Standard fields searched as text (compared case-insensitively).
const TEXT_FIELDS: &[&str] = &["Name", "FirstName", "LastName", "AccountNumber", "Email", "CaseNumber", "Company"];

/// Minimum number of digits on the shorter side of a phone comparison.
const MIN_PHONE_DIGITS: usize = 7;

/// Removes SOSL backslash escapes: `\x` becomes `x` for a reserved `x`; any other backslash
/// (before an ordinary character or at the end) is kept as typed.
pub(crate) fn unescape_sosl(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if SOSL_RESERVED.contains(&next) {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// True for a phone field: the name without a `__c` suffix ends in `Phone` or is `Fax`.
pub(crate) fn is_phone_field(name: &str) -> bool {
    let base = strip_custom_suffix(name).to_ascii_lowercase();
    base.ends_with("phone") || base == "fax"
}

/// True for a field searched as text (see the module doc).
pub(crate) fn is_text_field(name: &str) -> bool {
    if is_phone_field(name) {
        return false;
    }
    TEXT_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(name)) || is_custom_field(name)
}

fn is_custom_field(name: &str) -> bool {
    name.len() > 3 && name.get(name.len() - 3..).is_some_and(|s| s.eq_ignore_ascii_case("__c"))
}

fn strip_custom_suffix(name: &str) -> &str {
    if is_custom_field(name) {
        name.get(..name.len() - 3).unwrap_or(name)
    } else {
        name
    }
}

/// The ASCII digits of a string, in order.
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A word trimmed of leading and trailing punctuation, lowercased; `None` when nothing is left.
fn normalise_word(token: &str) -> Option<String> {
    let trimmed = token.trim_matches(|c: char| !c.is_alphanumeric());
    (!trimmed.is_empty()).then(|| trimmed.to_lowercase())
}

/// A field value as searchable text: strings as they are, numbers in decimal, nothing else.
fn field_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A parsed search string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Query {
    /// The whole unescaped string, trimmed and lowercased.
    whole: String,
    /// Distinct words of the string (see [`normalise_word`]).
    terms: BTreeSet<String>,
    /// Digits of the string when it looks like a phone number.
    phone_digits: Option<String>,
}

impl Query {
    pub(crate) fn parse(raw: &str) -> Query {
        let text = unescape_sosl(raw);
        let trimmed = text.trim();
        let terms = trimmed.split_whitespace().filter_map(normalise_word).collect();
        let looks_like_phone = trimmed.chars().any(|c| c.is_ascii_digit())
            && trimmed.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || "+-()./".contains(c));
        Query { whole: trimmed.to_lowercase(), terms, phone_digits: looks_like_phone.then(|| digits(trimmed)) }
    }

    /// Whether a record of type `sobject` with these fields is found by this query.
    pub(crate) fn matches(&self, sobject: &str, fields: &Map<String, Value>) -> bool {
        self.matches_phone(fields) || self.matches_text(sobject, fields)
    }

    fn matches_phone(&self, fields: &Map<String, Value>) -> bool {
        let Some(searched) = self.phone_digits.as_deref() else {
            return false;
        };
        fields
            .iter()
            .filter(|(name, _)| is_phone_field(name))
            .filter_map(|(_, value)| field_text(value))
            .any(|value| phone_digits_match(searched, &digits(&value)))
    }

    fn matches_text(&self, sobject: &str, fields: &Map<String, Value>) -> bool {
        if self.whole.is_empty() {
            return false;
        }
        let mut values: Vec<String> =
            fields.iter().filter(|(name, _)| is_text_field(name)).filter_map(|(_, value)| field_text(value)).collect();
        if let Some(full) = person_name(sobject, fields) {
            values.push(full);
        }
        if values.iter().any(|v| v.trim().to_lowercase() == self.whole) {
            return true;
        }
        if self.terms.is_empty() {
            return false;
        }
        let words: BTreeSet<String> =
            values.iter().flat_map(|v| v.split_whitespace()).filter_map(normalise_word).collect();
        self.terms.iter().all(|t| words.contains(t))
    }
}

/// The digit rule of SPEC §8: one side ends with the other, and that other has ≥ 7 digits.
pub(crate) fn phone_digits_match(searched: &str, record: &str) -> bool {
    if searched.is_empty() || record.is_empty() {
        return false;
    }
    (searched.len() >= MIN_PHONE_DIGITS && record.ends_with(searched))
        || (record.len() >= MIN_PHONE_DIGITS && searched.ends_with(record))
}

fn string_field<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    fields.get(name).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// `FirstName LastName` of a Contact or Lead that has no stored `Name`.
fn person_name(sobject: &str, fields: &Map<String, Value>) -> Option<String> {
    let is_person = sobject.eq_ignore_ascii_case("Contact") || sobject.eq_ignore_ascii_case("Lead");
    if !is_person || string_field(fields, "Name").is_some() {
        return None;
    }
    let parts: Vec<&str> =
        [string_field(fields, "FirstName"), string_field(fields, "LastName")].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The `Name` the console shows for a record: `Name`; for a Contact or Lead without one,
/// `FirstName LastName`; then `CaseNumber` (Cases), then `Subject` (activities); else empty.
pub(crate) fn display_name(sobject: &str, fields: &Map<String, Value>) -> String {
    string_field(fields, "Name")
        .map(str::to_owned)
        .or_else(|| person_name(sobject, fields))
        .or_else(|| string_field(fields, "CaseNumber").map(str::to_owned))
        .or_else(|| string_field(fields, "Subject").map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn finds(search: &str, sobject: &str, record: Value) -> bool {
        Query::parse(search).matches(sobject, &fields(record))
    }

    #[test]
    fn phone_matches_with_or_without_country_code() {
        let rec = json!({"Phone": "(212) 555-0101"});
        assert!(finds("+12125550101", "Contact", rec.clone()));
        assert!(finds("2125550101", "Contact", rec.clone()));
        let intl = json!({"MobilePhone": "+1 212 555 0101"});
        assert!(finds("2125550101", "Contact", intl.clone()));
        assert!(finds("(212) 555-0101", "Contact", intl));
    }

    #[test]
    fn phone_matches_without_area_code() {
        let rec = json!({"Phone": "(212) 555-0101"});
        assert!(finds("555-0101", "Contact", rec));
        let local = json!({"HomePhone": "555 0101"});
        assert!(finds("+1 212 555 0101", "Contact", local));
    }

    #[test]
    fn phone_needs_seven_digits_on_the_shorter_side() {
        let rec = json!({"Phone": "(212) 555-0101"});
        assert!(!finds("55-0101", "Contact", rec.clone()));
        assert!(!finds("0101", "Contact", rec));
        let short = json!({"Phone": "50101"});
        assert!(!finds("2125550101", "Contact", short));
        let seven = json!({"Phone": "5550101"});
        assert!(finds("2125550101", "Contact", seven));
    }

    #[test]
    fn phone_compares_formatted_numbers_by_digits() {
        let rec = json!({"OtherPhone": "212.555.0101", "Fax": "+44 (0)20 7946 0958"});
        assert!(finds("212 555 0101", "Contact", rec.clone()));
        assert!(finds("020 7946 0958", "Contact", rec.clone()));
        assert!(!finds("212 555 0199", "Contact", rec));
    }

    #[test]
    fn phone_fields_are_recognised_by_name() {
        for name in [
            "Phone",
            "MobilePhone",
            "HomePhone",
            "OtherPhone",
            "Fax",
            "AssistantPhone",
            "ContactPhone",
            "Work_Phone__c",
        ] {
            assert!(is_phone_field(name), "{name}");
            assert!(!is_text_field(name), "{name}");
        }
        assert!(!is_phone_field("Phoneme"));
        assert!(is_text_field("Loyalty_Id__c"));
    }

    #[test]
    fn phone_search_does_not_look_in_text_fields_or_text_searches_in_phones() {
        assert!(!finds("2125550101", "Contact", json!({"Email": "x2125550101@y.com"})));
        assert!(!finds("acct 2125550101", "Contact", json!({"Phone": "2125550101"})));
    }

    #[test]
    fn text_matches_whole_terms_case_insensitively() {
        let rec = json!({"FirstName": "Jane", "LastName": "O'Brien-Smith", "Email": "jane@acme.com"});
        assert!(finds("jane", "Contact", rec.clone()));
        assert!(finds("JANE@ACME.COM", "Contact", rec.clone()));
        assert!(finds("Jane O'Brien-Smith", "Contact", rec.clone()));
        assert!(!finds("Jan", "Contact", rec.clone()));
        assert!(!finds("acme", "Contact", rec.clone()));
        assert!(!finds("Jane Doe", "Contact", rec));
    }

    #[test]
    fn text_terms_are_anded_across_fields() {
        let rec = json!({"FirstName": "Jane", "LastName": "Doe"});
        assert!(finds("Doe Jane", "Lead", rec.clone()));
        assert!(finds("  Doe,   Jane ", "Lead", rec));
    }

    #[test]
    fn text_matches_the_whole_field_value() {
        let rec = json!({"Name": "Acme & Sons (EU)"});
        assert!(finds("acme & sons (eu)", "Account", rec.clone()));
        assert!(finds("Sons", "Account", rec.clone()));
        assert!(finds("(EU)", "Account", rec));
    }

    #[test]
    fn text_searches_custom_fields_and_numbers() {
        let rec = json!({"Loyalty_Id__c": "LX-4711", "Score__c": 42, "Description": "gold"});
        assert!(finds("lx-4711", "Contact", rec.clone()));
        assert!(finds("42", "Contact", rec.clone()));
        assert!(!finds("gold", "Contact", rec));
    }

    #[test]
    fn escaped_sosl_characters_are_unescaped_before_matching() {
        assert_eq!(unescape_sosl(r#"\?\&\|\!\{\}\[\]\(\)\^\~\*\:\\\"\'\+\-"#), r#"?&|!{}[]()^~*:\"'+-"#);
        assert_eq!(unescape_sosl(r"a\b\"), r"a\b\");
        let rec = json!({"AccountNumber": "ACC-1001", "LastName": "O'Neil"});
        assert!(finds(r"ACC\-1001", "Contact", rec.clone()));
        assert!(finds(r"O\'Neil", "Contact", rec.clone()));
        let phone = json!({"Phone": "(212) 555-0101"});
        assert!(finds(r"\+1 \(212\) 555\-0101", "Contact", phone));
    }

    #[test]
    fn empty_or_punctuation_only_search_finds_nothing() {
        let rec = json!({"Name": "Acme", "Phone": "2125550101"});
        assert!(!finds("", "Account", rec.clone()));
        assert!(!finds("   ", "Account", rec.clone()));
        assert!(!finds("+-()", "Account", rec));
    }

    #[test]
    fn display_name_prefers_name_then_person_then_case_number() {
        assert_eq!(display_name("Contact", &fields(json!({"FirstName": "Jane", "LastName": "Doe"}))), "Jane Doe");
        assert_eq!(display_name("Lead", &fields(json!({"Name": "J. Doe", "FirstName": "Jane"}))), "J. Doe");
        assert_eq!(display_name("Case", &fields(json!({"CaseNumber": "00001001"}))), "00001001");
        assert_eq!(display_name("Account", &fields(json!({}))), "");
    }
}
