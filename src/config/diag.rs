//! Diagnostics: what is wrong with a call center definition, where, and how to fix it.
//!
//! Every problem the config layer finds becomes a [`Diagnostic`]; nothing in this layer fails
//! hard. The CLI prints them compiler-style, the widget and the studio show them to people.

use crate::value_out::Write;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a problem is. `Error` means the item was ignored and its default is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Write, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// A 1-based line and column in the source file (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Write, Deserialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// The stable kind of a diagnostic, documented in `docs/admin-guide.md` (troubleshooting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Write, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    MalformedXml,
    MalformedSettings,
    UnexpectedElement,
    MissingName,
    UnknownSection,
    UnknownItem,
    MisplacedItem,
    DuplicateItem,
    NotBoolean,
    NotInteger,
    OutOfRange,
    InvalidJson,
    MappingMissingKey,
    MappingInvalid,
    ConditionalWithoutTable,
    NumberingGap,
    PrerequisiteOff,
    UnknownTemplateVariable,
    BadDatePattern,
    AdapterUrl,
    UnknownDataCenter,
    InternalName,
    CompatibilityMode,
    StandbyWithoutTimeout,
    OmniStatusMissing,
    InvalidObjectName,
    /// A value that is none of the item's choices (e.g. `multipleMatchAction`).
    UnknownValue,
    ConflictingFlags,
    /// Something Salesforce's import requires is missing (or nothing here is a definition).
    MissingRequired,
    /// A Service Cloud Voice contact center: not an Open CTI call center.
    ServiceCloudVoice,
    /// An item name the vendor misspelled in old definitions, read as the intended one.
    MisspelledItem,
    // Problems found while the adapter runs (the panel and `diagnostics()`), not in a file.
    /// Salesforce answered an Open CTI call with an error (the write is kept and retried).
    SalesforceRefused,
    /// A write is not sent again: refused for good, failed every attempt, or unsafe to repeat.
    WriteParked,
    /// Our Apex class `WxccCtiService` did not answer (not deployed, no access, failing).
    ApexUnavailable,
    /// A value was longer than its Salesforce field takes and was cut (the whole text is kept).
    ValueCut,
    /// The Desktop SDK refused a call (a dial) or sent an event the adapter cannot read.
    DesktopRefused,
    /// The saved adapter state could not be read after a reload; the adapter started fresh.
    SnapshotUnreadable,
    /// A click-to-dial the adapter cannot dial (no digits, unreadable payload).
    ClickToDialInvalid,
    /// The call's Task Id variable holds something that is not a Task Id.
    CadTaskIdInvalid,
    /// A panel action on a call this agent no longer holds.
    CallNotHeld,
}

impl Code {
    /// The kebab-case name used in `--json` output and the admin guide.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::MalformedXml => "malformed-xml",
            Code::MalformedSettings => "malformed-settings",
            Code::UnexpectedElement => "unexpected-element",
            Code::MissingName => "missing-name",
            Code::UnknownSection => "unknown-section",
            Code::UnknownItem => "unknown-item",
            Code::MisplacedItem => "misplaced-item",
            Code::DuplicateItem => "duplicate-item",
            Code::NotBoolean => "not-boolean",
            Code::NotInteger => "not-integer",
            Code::OutOfRange => "out-of-range",
            Code::InvalidJson => "invalid-json",
            Code::MappingMissingKey => "mapping-missing-key",
            Code::MappingInvalid => "mapping-invalid",
            Code::ConditionalWithoutTable => "conditional-without-table",
            Code::NumberingGap => "numbering-gap",
            Code::PrerequisiteOff => "prerequisite-off",
            Code::UnknownTemplateVariable => "unknown-template-variable",
            Code::BadDatePattern => "bad-date-pattern",
            Code::AdapterUrl => "adapter-url",
            Code::UnknownDataCenter => "unknown-data-center",
            Code::InternalName => "internal-name",
            Code::CompatibilityMode => "compatibility-mode",
            Code::StandbyWithoutTimeout => "standby-without-timeout",
            Code::OmniStatusMissing => "omni-status-missing",
            Code::InvalidObjectName => "invalid-object-name",
            Code::UnknownValue => "unknown-value",
            Code::ConflictingFlags => "conflicting-flags",
            Code::MissingRequired => "missing-required",
            Code::ServiceCloudVoice => "service-cloud-voice",
            Code::MisspelledItem => "misspelled-item",
            Code::SalesforceRefused => "salesforce-refused",
            Code::WriteParked => "write-parked",
            Code::ApexUnavailable => "apex-unavailable",
            Code::ValueCut => "value-cut",
            Code::DesktopRefused => "desktop-refused",
            Code::SnapshotUnreadable => "snapshot-unreadable",
            Code::ClickToDialInvalid => "click-to-dial-invalid",
            Code::CadTaskIdInvalid => "cad-task-id-invalid",
            Code::CallNotHeld => "call-not-held",
        }
    }
}

/// A kind of problem with a stable name (the admin guide's rows): [`Code`] for call center
/// definitions and the running adapter, `layout::IssueCode` for desktop layouts.
pub trait DiagnosticCode: Copy {
    /// The kebab-case name used in `--json` output and the admin guide.
    fn name(self) -> &'static str;
}

impl DiagnosticCode for Code {
    fn name(self) -> &'static str {
        self.as_str()
    }
}

/// One problem, where it is and how to fix it: the one diagnostic type of the definition, the
/// running adapter and (as `layout::LayoutIssue`) the desktop layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write, Deserialize)]
pub struct Diagnostic<C = Code> {
    pub severity: Severity,
    pub code: C,
    /// Where: the item path `/section/item` (`/` the whole file) of a definition, the JSON
    /// pointer of a layout value (`""` the whole file), `/salesforce/…` or `/desktop/…` at run time.
    pub path: String,
    /// 1-based; `None` when the source has no lines (the run-time settings map).
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    pub hint: Option<String>,
}

impl<C: DiagnosticCode> Diagnostic<C> {
    pub fn new(severity: Severity, code: C, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity, code, path: path.into(), line: None, column: None, message: message.into(), hint: None }
    }
    pub fn error(code: C, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path, message)
    }
    pub fn warning(code: C, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, path, message)
    }
    pub fn info(code: C, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, path, message)
    }
    pub fn at(mut self, pos: Option<Pos>) -> Self {
        if let Some(p) = pos {
            self.line = Some(p.line);
            self.column = Some(p.column);
        }
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Compiler-style rendering: `file:line:col: error: message [code]`, `  --> path`, then
    /// `  = hint: …`.
    pub fn render(&self, file: &str) -> String {
        let location = match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_string(),
        };
        let path = if self.path.is_empty() { "(the whole file)" } else { self.path.as_str() };
        let mut out = format!("{location}: {}: {} [{}]\n  --> {path}", self.severity, self.message, self.code.name());
        if let Some(h) = &self.hint {
            out.push_str("\n  = hint: ");
            out.push_str(h);
        }
        out
    }
}

/// Positions of byte offsets in one text. Asked in increasing order (as the XML reader meets
/// them), they cost one pass over the text in all; counting each from the start would be
/// quadratic on a large file.
#[cfg_attr(not(feature = "xml"), allow(dead_code))]
pub(crate) struct Positions<'a>(crate::text::LineColumns<'a>);

#[cfg_attr(not(feature = "xml"), allow(dead_code))]
impl<'a> Positions<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Positions(crate::text::LineColumns::new(text))
    }

    pub(crate) fn at(&mut self, byte_offset: usize) -> Pos {
        let (line, column) = self.0.at(byte_offset);
        Pos { line, column }
    }
}

/// A "did you mean" suggestion for a config name: one edit per four characters, 2 to 6.
pub(crate) fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    crate::text::did_you_mean(name, candidates, 2, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_names_get_suggestions() {
        assert_eq!(did_you_mean("reqAdaptorUrl", ["reqAdapterUrl", "reqUseApi"]), Some("reqAdapterUrl"));
        assert_eq!(Positions::new("a\nb").at(2), Pos { line: 2, column: 1 });
    }
}
