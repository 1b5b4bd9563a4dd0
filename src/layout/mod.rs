//! The WxCC desktop layout JSON: check an admin's layout and insert our widget into it.
//!
//! [`check`] reads a layout in either shape the desktop accepts (the single-role `0.0.6` shape
//! with `version` and `area` at the top, or the role-based `0.1.0` shape with `agent`,
//! `supervisor` and `supervisorAgent`) and reports every problem as a [`LayoutIssue`] located by
//! a JSON pointer and, where the text has one, a line and column. [`add`] puts our
//! `wxcc-sfdc-adapter` (and optionally the `wxcc-sfdc-actions` tab) into every role that takes
//! calls, replacing the vendor connector when it is there, and leaves everything else as it was
//! (key order included). Pure: no I/O, no clock; the CLI and the studio own the files.

mod add;
mod check;
mod names;
mod scan;

pub use add::{add, fill_script, is_script_url, AddError};
pub use check::check;
pub use names::{ACTIONS_ELEMENT, ADAPTER_ATTRIBUTES, ADAPTER_ELEMENT, VENDOR_ELEMENT};

use crate::config::{Diagnostic, DiagnosticCode};
use serde::{Deserialize, Serialize};

/// The stable kind of a layout problem, documented in `docs/admin-guide.md` (troubleshooting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IssueCode {
    /// Not JSON at all (with line and column).
    MalformedJson,
    /// Neither the `0.0.6` nor the `0.1.0` shape, or a mix of both.
    UnknownShape,
    /// A role key other than agent, supervisor, supervisorAgent.
    UnknownRole,
    /// A role the desktop expects is not in the file.
    MissingRole,
    /// `version` missing, or not the one the shape needs.
    Version,
    /// A required key is missing.
    MissingKey,
    /// A key whose value has the wrong JSON type.
    WrongType,
    /// A key the desktop does not know, close to one it does (a typo).
    UnknownKey,
    /// An area name the desktop does not know.
    UnknownArea,
    /// `comp` missing, empty or not an element name.
    BadElement,
    /// `script` is not an absolute https URL.
    BadScript,
    /// An attribute value the desktop cannot set as an attribute (object or array).
    BadAttribute,
    /// A `$STORE.…` (or `$I18N.…`) binding that is malformed or names nothing known.
    Binding,
    /// The same key twice in one object (the desktop silently keeps the last one), or the same
    /// page id twice.
    DuplicateId,
    /// A `layout.areas` cell naming a widget that is not in `widgets`.
    UnknownWidgetRef,
    /// A widget that is in `widgets` but in no `layout.areas` cell, so it is never created.
    UnplacedWidget,
    /// `layout.areas` rows of different lengths, or `size` not matching them.
    GridShape,
    /// A vendor placeholder such as `<OutDialAniValue>` left in.
    Placeholder,
    /// Our adapter and the vendor connector in the same role: both would log every call.
    TwoConnectors,
    /// Our adapter twice in one role, or our actions tab without the adapter.
    AdapterPlacement,
    /// An attribute of our widget that it does not read, or a value it cannot use.
    AdapterAttribute,
}

impl IssueCode {
    /// The kebab-case name used in `--json` output and the admin guide.
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::MalformedJson => "malformed-json",
            IssueCode::UnknownShape => "unknown-shape",
            IssueCode::UnknownRole => "unknown-role",
            IssueCode::MissingRole => "missing-role",
            IssueCode::Version => "version",
            IssueCode::MissingKey => "missing-key",
            IssueCode::WrongType => "wrong-type",
            IssueCode::UnknownKey => "unknown-key",
            IssueCode::UnknownArea => "unknown-area",
            IssueCode::BadElement => "bad-element",
            IssueCode::BadScript => "bad-script",
            IssueCode::BadAttribute => "bad-attribute",
            IssueCode::Binding => "binding",
            IssueCode::DuplicateId => "duplicate-id",
            IssueCode::UnknownWidgetRef => "unknown-widget-ref",
            IssueCode::UnplacedWidget => "unplaced-widget",
            IssueCode::GridShape => "grid-shape",
            IssueCode::Placeholder => "placeholder",
            IssueCode::TwoConnectors => "two-connectors",
            IssueCode::AdapterPlacement => "adapter-placement",
            IssueCode::AdapterAttribute => "adapter-attribute",
        }
    }

    /// Every code, in the order of the admin guide.
    pub const ALL: &'static [IssueCode] = &[
        IssueCode::MalformedJson,
        IssueCode::UnknownShape,
        IssueCode::UnknownRole,
        IssueCode::MissingRole,
        IssueCode::Version,
        IssueCode::MissingKey,
        IssueCode::WrongType,
        IssueCode::UnknownKey,
        IssueCode::UnknownArea,
        IssueCode::BadElement,
        IssueCode::BadScript,
        IssueCode::BadAttribute,
        IssueCode::Binding,
        IssueCode::DuplicateId,
        IssueCode::UnknownWidgetRef,
        IssueCode::UnplacedWidget,
        IssueCode::GridShape,
        IssueCode::Placeholder,
        IssueCode::TwoConnectors,
        IssueCode::AdapterPlacement,
        IssueCode::AdapterAttribute,
    ];
}

/// One problem in a desktop layout: the crate's one diagnostic type, with a layout code and a
/// JSON pointer (RFC 6901) as its path (`""`: the whole file).
pub type LayoutIssue = Diagnostic<IssueCode>;

impl DiagnosticCode for IssueCode {
    fn name(self) -> &'static str {
        self.as_str()
    }
}

/// Escapes one JSON pointer segment (`~` → `~0`, `/` → `~1`).
pub(crate) fn pointer_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// `parent` + `/` + escaped `key`.
pub(crate) fn child(parent: &str, key: &str) -> String {
    format!("{parent}/{}", pointer_segment(key))
}

/// A "did you mean" suggestion for a layout name: one edit per four characters, 1 to 4.
pub(crate) fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    crate::text::did_you_mean(name, candidates, 1, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_the_serialized_names_and_all_differ() {
        let mut seen = std::collections::HashSet::new();
        for code in IssueCode::ALL {
            let json = serde_json::to_string(code).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
        }
    }

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(child("/a", "b/c~d"), "/a/b~1c~0d");
    }
}
