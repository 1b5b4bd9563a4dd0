//! The raw form of a call center definition: `(section, item, value)` triples with positions.
//!
//! Both sources (the XML file and the run-time settings map) are read into this form first, so
//! every rule about items is written once, in `items.rs`.

use super::diag::{Code, Diagnostic, Pos};
use crate::flat::Map;

/// One `<item>` (or one `/section/item` key of the settings map).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawItem {
    pub section: String,
    pub name: String,
    /// The value with surrounding whitespace trimmed.
    pub value: String,
    /// Where the `<item` tag starts.
    pub pos: Option<Pos>,
    /// Where the trimmed value starts, to place errors found inside it (JSON positions). `None`
    /// when the value is empty, or when its text is not the file's line for line (a `&#10;`,
    /// markup or a comment inside it).
    pub value_pos: Option<Pos>,
}

impl RawItem {
    pub fn path(&self) -> String {
        format!("/{}/{}", self.section, self.name)
    }
}

/// A `<section>` as found, for unknown-section diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawSection {
    pub name: String,
    pub pos: Option<Pos>,
}

#[derive(Debug, Default)]
pub(crate) struct RawDefinition {
    /// Read (at least partly) in the Metadata API form (`<sections>`, `adapterUrl`, …).
    pub metadata_form: bool,
    pub sections: Vec<RawSection>,
    pub items: Vec<RawItem>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the flat map returned by `sforce.opencti.getCallCenterSettings`:
/// `"/reqGeneralInfo/reqAdapterUrl" → value`, plus `/label`, `/internalNameLabel`,
/// `/<section>/label|sortOrder` and `/<section>/<item>/label|sortOrder`, which carry no behaviour.
pub(crate) fn from_settings<'a>(settings: impl IntoIterator<Item = (&'a str, &'a str)>) -> RawDefinition {
    let mut raw = RawDefinition::default();
    // Sorted so that the result does not depend on the map's iteration order.
    let sorted: Map<&str, &str> = settings.into_iter().collect();
    for (key, value) in sorted {
        let parts: Vec<&str> = key.trim_start_matches('/').split('/').collect();
        match parts.as_slice() {
            [section, item] if !section.is_empty() && !item.is_empty() => {
                if *item == "label" || *item == "sortOrder" {
                    continue;
                }
                if !raw.sections.iter().any(|s| s.name == *section) {
                    raw.sections.push(RawSection { name: (*section).to_string(), pos: None });
                }
                raw.items.push(RawItem {
                    section: (*section).to_string(),
                    name: (*item).to_string(),
                    value: value.trim().to_string(),
                    pos: None,
                    value_pos: None,
                });
            }
            [_] => {} // "/label", "/internalNameLabel"
            [_, _, meta] if *meta == "label" || *meta == "sortOrder" => {}
            _ => raw.diagnostics.push(
                Diagnostic::warning(
                    Code::MalformedSettings,
                    // A diagnostic path starts with `/`, even for a key written without one.
                    format!("/{}", key.trim_start_matches('/')),
                    format!("settings key `{key}` is not of the form /section/item"),
                )
                .hint("getCallCenterSettings keys look like /reqGeneralInfo/reqAdapterUrl"),
            ),
        }
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_map_skips_labels_and_sort_orders() {
        let raw = from_settings([
            ("/label", "Cisco"),
            ("/internalNameLabel", "x"),
            ("/reqGeneralInfo/label", "General"),
            ("/reqGeneralInfo/sortOrder", "0"),
            ("/reqGeneralInfo/reqAdapterUrl", " https://desktop.wxcc-us1.cisco.com/ "),
            ("/reqGeneralInfo/reqAdapterUrl/label", "CTI Adapter URL"),
            ("/reqGeneralInfo/reqAdapterUrl/sortOrder", "2"),
        ]);
        assert_eq!(raw.items.len(), 1);
        assert_eq!(raw.items.first().map(|i| i.value.as_str()), Some("https://desktop.wxcc-us1.cisco.com/"));
        assert!(raw.diagnostics.is_empty());
    }

    #[test]
    fn odd_settings_keys_are_reported() {
        let raw = from_settings([("/a/b/c/d", "x"), ("a//b", "y")]);
        let paths: Vec<&str> = raw.diagnostics.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["/a/b/c/d", "/a//b"]);
    }
}
