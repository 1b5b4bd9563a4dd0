//! A corrected call center definition for the admin studio's download: the admin's own file,
//! changed only where the fix is certain, with every other problem written beside its item as an
//! XML comment. Nothing else moves: whitespace, attribute order, comments and entities stay.
//!
//! Fixed: an unknown item or section name with a "did you mean" suggestion is renamed (its
//! `label` too when the label was the same misspelling, unless the suggested name is already in
//! that section), and a flag that is not `true`/`false` but clearly means one (`yes`, `on`, `1`,
//! `TRUE `, `ture`, …) is written as `true`/`false`. Noted (as `<!-- wxcc-sfdc … -->` before the
//! item): every other error and warning, with its code, message and hint.

use super::diag::{Code, Diagnostic, Pos, Severity};
use super::source::RawDefinition;
use quick_xml::events::Event;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// What was done about one diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// An item or section name replaced by its suggestion.
    Renamed,
    /// A flag value rewritten as `true` or `false`.
    Normalised,
    /// Not changed: the diagnostic is written as a comment.
    Noted,
}

/// One entry of the correction report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub severity: Severity,
    pub code: Code,
    pub path: String,
    /// The line in the original file.
    pub line: Option<u32>,
    /// What was changed, or the diagnostic's message.
    pub detail: String,
}

/// The corrected file and what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Corrected {
    pub xml: String,
    pub changes: Vec<Change>,
}

/// One text edit in the (BOM-less) source: replace `range` with `text`. Insertions have an empty
/// range; at the same offset they keep the order they were made in.
struct Edit {
    range: Range<usize>,
    text: String,
}

/// Corrects what can be corrected for sure and annotates the rest (see the module docs).
/// Informational diagnostics are neither fixed nor noted.
pub fn corrected_xml(input: &str) -> Corrected {
    // The reader skips every leading BOM (see `xml::parse`); they are put back as they were.
    let text = input.trim_start_matches('\u{feff}');
    let boms = input.get(..input.len() - text.len()).unwrap_or("");
    let raw = super::xml::parse(text);
    let loaded = super::from_xml(text);
    let top = after_declaration(text);
    let item_tags = item_tag_offsets(text);

    let mut replacements: Vec<Edit> = Vec::new();
    let mut notes: Vec<Edit> = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    let mut fixed = 0usize;
    let mut offsets = Offsets::new(text);
    for d in loaded.diagnostics.iter().filter(|d| d.severity != Severity::Info) {
        let at = d.line.and_then(|line| offsets.of(Pos { line, column: d.column.unwrap_or(1) }));
        let fix = at.and_then(|offset| match d.code {
            Code::UnknownItem | Code::UnknownSection | Code::MisspelledItem => rename(text, offset, d, &raw),
            Code::NotBoolean => normalise_flag(text, d, &raw),
            _ => None,
        });
        let fix = fix.filter(|(edits, _, _)| {
            edits
                .iter()
                .all(|e| replacements.iter().all(|r| e.range.end <= r.range.start || r.range.end <= e.range.start))
        });
        let insert_at = at.map(|offset| note_offset(text, offset, top, &item_tags)).unwrap_or(top);
        let (kind, detail) = match fix {
            Some((edits, kind, detail)) => {
                replacements.extend(edits);
                fixed += 1;
                (kind, detail)
            }
            None => (ChangeKind::Noted, d.message.clone()),
        };
        let comment = match kind {
            ChangeKind::Noted => {
                let hint = d.hint.as_deref().map(|h| format!(" Hint: {h}")).unwrap_or_default();
                format!("wxcc-sfdc {} [{}]: {}.{hint}", d.severity, d.code.as_str(), d.message.trim_end_matches('.'))
            }
            _ => format!("wxcc-sfdc corrected [{}]: {detail}", d.code.as_str()),
        };
        notes.push(Edit { range: insert_at..insert_at, text: comment_line(text, insert_at, &comment) });
        changes.push(Change { kind, severity: d.severity, code: d.code, path: d.path.clone(), line: d.line, detail });
    }
    let noted = changes.len().saturating_sub(fixed);
    let summary = format!(
        "Checked by the wxcc-sfdc-adapter studio: {fixed} correction(s) made, {noted} problem(s) left for you, each noted below as a comment beside its item."
    );
    let mut edits = vec![Edit { range: top..top, text: comment_line(text, top, &summary) }];
    edits.extend(notes);
    edits.extend(replacements);
    // Stable: at one offset, the summary first, then the notes in diagnostic order.
    edits.sort_by_key(|e| e.range.start);

    let mut out = String::with_capacity(text.len() + 256);
    out.push_str(boms);
    let mut done = 0usize;
    for edit in &edits {
        if edit.range.start < done {
            continue;
        }
        out.push_str(text.get(done..edit.range.start).unwrap_or(""));
        out.push_str(&edit.text);
        done = edit.range.end;
    }
    out.push_str(text.get(done..).unwrap_or(""));
    Corrected { xml: out, changes }
}

/// The byte offset of a 1-based line and character column (as [`super::diag::Positions`] counts).
fn offset_of(text: &str, pos: Pos) -> Option<usize> {
    Offsets::new(text).of(pos)
}

/// [`offset_of`] for positions asked in increasing order (the diagnostics come sorted): it
/// carries on from the previous position, so a file with thousands of problems is read once,
/// not once per problem.
struct Offsets<'a> {
    text: &'a str,
    /// The first character not passed yet, and its line and column.
    offset: usize,
    line: u32,
    column: u32,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Offsets { text, offset: 0, line: 1, column: 1 }
    }

    /// Same as [`offset_of`]; a position before the previous one starts over.
    fn of(&mut self, pos: Pos) -> Option<usize> {
        if (pos.line, pos.column) < (self.line, self.column) {
            *self = Offsets::new(self.text);
        }
        let rest = self.text.get(self.offset..).unwrap_or("");
        for (i, ch) in rest.char_indices() {
            let at = self.offset + i;
            if self.line == pos.line && (self.column == pos.column || ch == '\n') {
                self.offset = at;
                return Some(at);
            }
            if ch == '\n' {
                self.line = self.line.saturating_add(1);
                self.column = 1;
            } else {
                self.column = self.column.saturating_add(1);
            }
        }
        self.offset = self.text.len();
        (self.line == pos.line).then_some(self.text.len())
    }
}

/// Just after the XML declaration (and its line break), or 0 without one.
fn after_declaration(text: &str) -> usize {
    if !text.starts_with("<?xml") {
        return 0;
    }
    let Some(end) = text.find("?>").map(|i| i + 2) else { return 0 };
    let rest = text.get(end..).unwrap_or("");
    let line_break = if rest.starts_with("\r\n") {
        2
    } else if rest.starts_with('\n') {
        1
    } else {
        0
    };
    end + line_break
}

/// Byte offsets of the `<item` start tags as the XML reader sees them, in order: not the text
/// `<item` in a comment (a commented-out item), a CDATA section or another tag, where a note
/// would end the comment early or split the tag. Up to the first error, like the diagnostics.
fn item_tag_offsets(text: &str) -> Vec<usize> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut offsets = Vec::new();
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"item" => offsets.push(start),
            Ok(Event::Eof) | Err(_) => return offsets,
            Ok(_) => {}
        }
    }
}

/// Where the note about a problem at `offset` goes: before the `<item` that contains it (never
/// inside a value or a tag), at the start of that line when only indentation precedes it.
/// `item_tags` are the [`item_tag_offsets`] of `text`.
fn note_offset(text: &str, offset: usize, top: usize, item_tags: &[usize]) -> usize {
    let before = text.get(..offset).unwrap_or("");
    // An `<item` still open at `offset`: neither closed by `</item>` nor self-closing (`/>`).
    let open = |i: &usize| {
        let rest = before.get(*i..).unwrap_or("");
        let self_closing = rest.find('>').is_some_and(|end| rest.get(..end).is_some_and(|tag| tag.ends_with('/')));
        !rest.contains("</item>") && !self_closing
    };
    let last_before = item_tags.partition_point(|&i| i < offset).checked_sub(1);
    let item_start = last_before.and_then(|k| item_tags.get(k)).copied().filter(open);
    let anchor = match item_start {
        Some(i) => i,
        None if text.get(offset..).is_some_and(|s| s.starts_with('<')) => offset,
        // Not at a tag (a malformed file): the start of the line.
        None => before.rfind('\n').map(|i| i + 1).unwrap_or(0),
    };
    let line_start = text.get(..anchor).and_then(|b| b.rfind('\n')).map(|i| i + 1).unwrap_or(0);
    let indentation = text.get(line_start..anchor).unwrap_or("x");
    let at = if indentation.chars().all(|c| c == ' ' || c == '\t') { line_start } else { anchor };
    at.max(top)
}

/// `<!-- comment -->` for insertion at `at`: on its own line (indented like the next line) when
/// `at` starts a line, inline otherwise.
fn comment_line(text: &str, at: usize, comment: &str) -> String {
    let mut safe = String::with_capacity(comment.len() + 8);
    let mut previous = ' ';
    for ch in comment.chars() {
        let ch = if ch.is_control() { ' ' } else { ch };
        if ch == '-' && previous == '-' {
            safe.push(' ');
        }
        safe.push(ch);
        previous = ch;
    }
    if safe.ends_with('-') {
        safe.push(' ');
    }
    let starts_line = at == 0 || text.get(..at).is_some_and(|b| b.ends_with('\n'));
    if !starts_line {
        return format!("<!-- {safe} -->");
    }
    let rest = text.get(at..).unwrap_or("");
    let indentation: String = rest.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    format!("{indentation}<!-- {safe} -->{newline}")
}

/// `did you mean `name`?` → `name` (the hint the config layer writes for unknown names).
fn suggestion(d: &Diagnostic) -> Option<&str> {
    let hint = d.hint.as_deref()?;
    let rest = hint.strip_prefix("did you mean `").or_else(|| hint.strip_prefix("rename it to `"))?;
    let name = rest.get(..rest.find('`')?)?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(name)
}

/// The attributes of the start tag at `tag_start`: `(name, value range in text)`.
fn attributes(text: &str, tag_start: usize) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let Some(tag) = text.get(tag_start..) else { return out };
    let bytes = tag.as_bytes();
    let mut i = 1usize;
    // Skip the element name.
    while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>' && *b != b'/') {
        i += 1;
    }
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let name_start = i;
        while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace() && *b != b'=' && *b != b'>' && *b != b'/') {
            i += 1;
        }
        if i == name_start {
            return out;
        }
        let name = tag.get(name_start..i).unwrap_or("").to_string();
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            return out;
        }
        i += 1;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let Some(&quote) = bytes.get(i).filter(|q| **q == b'"' || **q == b'\'') else { return out };
        let value_start = i + 1;
        let Some(len) = tag.get(value_start..).and_then(|s| s.find(char::from(quote))) else { return out };
        out.push((name, tag_start + value_start..tag_start + value_start + len));
        i = value_start + len + 1;
    }
}

type Fix = (Vec<Edit>, ChangeKind, String);

/// Renames an unknown item or section at `offset` (its start tag) to the suggested name.
fn rename(text: &str, offset: usize, d: &Diagnostic, raw: &RawDefinition) -> Option<Fix> {
    let new_name = suggestion(d)?;
    let mut segments = d.path.trim_start_matches('/').split('/');
    let (section, old_name) = match (d.code, segments.next(), segments.next()) {
        (Code::UnknownItem | Code::MisspelledItem, Some(section), Some(item)) => (Some(section), item),
        (Code::UnknownSection, Some(section), None) => (None, section),
        _ => return None,
    };
    let element = if section.is_some() { "<item" } else { "<section" };
    if !text.get(offset..).is_some_and(|t| t.starts_with(element)) {
        return None;
    }
    // Never rename into a name the file already has (the one given later would silently win).
    let taken = match section {
        Some(s) => raw.items.iter().any(|i| i.section == s && i.name == new_name),
        None => raw.sections.iter().any(|s| s.name == new_name),
    };
    if taken {
        return None;
    }
    let attributes = attributes(text, offset);
    let value_is_old = |r: &Range<usize>| text.get(r.clone()).is_some_and(|v| v.trim() == old_name);
    let name = attributes.iter().find(|(n, r)| n == "name" && value_is_old(r))?;
    let mut edits = vec![Edit { range: name.1.clone(), text: new_name.to_string() }];
    if let Some((_, r)) = attributes.iter().find(|(n, r)| n == "label" && value_is_old(r)) {
        edits.push(Edit { range: r.clone(), text: new_name.to_string() });
    }
    let what = if section.is_some() { "item" } else { "section" };
    Some((edits, ChangeKind::Renamed, format!("{what} `{old_name}` renamed to `{new_name}`")))
}

/// What a flag value clearly means, or `None` when it is not clear.
fn clear_boolean(value: &str) -> Option<bool> {
    let t = value.trim().trim_matches(|c| c == '"' || c == '\'').trim().to_ascii_lowercase();
    match t.as_str() {
        "true" | "yes" | "y" | "on" | "1" | "enabled" | "enable" | "t" => Some(true),
        "false" | "no" | "n" | "off" | "0" | "disabled" | "disable" | "f" => Some(false),
        other if other.len() >= 3 => match crate::text::did_you_mean(other, ["true", "false"], 1, 1) {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Rewrites a non-boolean flag value as `true`/`false` when its meaning is clear.
fn normalise_flag(text: &str, d: &Diagnostic, raw: &RawDefinition) -> Option<Fix> {
    let at = Pos { line: d.line?, column: d.column? };
    let item = raw.items.iter().find(|i| i.path() == d.path && i.pos == Some(at))?;
    let meaning = clear_boolean(&item.value)?;
    let start = offset_of(text, item.value_pos?)?;
    let range = start..start.checked_add(item.value.len())?;
    // Only when the source is the value as written (no entity or CDATA in it).
    if text.get(range.clone()) != Some(item.value.as_str()) {
        return None;
    }
    Some((
        vec![Edit { range, text: meaning.to_string() }],
        ChangeKind::Normalised,
        format!("`{}` value \"{}\" written as {meaning}", item.name, item.value),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<callCenter xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n";

    fn errors(xml: &str) -> usize {
        super::super::from_xml(xml).diagnostics.iter().filter(|d| d.is_error()).count()
    }

    #[test]
    fn misspelled_names_and_clear_flags_are_fixed_in_place() {
        let xml = format!(
            "{HEAD}  <section sortOrder=\"0\" name=\"reqGeneralInfo\" label=\"General\"><item name=\"reqInternalName\">WxCC</item><item name=\"reqDisplayName\">WxCC</item>\n    <item sortOrder=\"0\" name=\"reqAdaptorUrl\" label=\"reqAdaptorUrl\">https://desktop.wxcc-us1.cisco.com/</item>\n    <item sortOrder=\"1\" name=\"reqUseApi\" label=\"Use API\"> Yes </item>\n  </section>\n  <section sortOrder=\"1\" name=\"reqActivityRecordConfig\" label=\"A\">\n    <item sortOrder=\"0\" name=\"isCallNotesEnabled\" label=\"n\">ture</item>\n  </section>\n</callCenter>\n"
        );
        let fixed = corrected_xml(&xml);
        assert!(fixed.xml.contains("name=\"reqAdapterUrl\" label=\"reqAdapterUrl\">https://"), "{}", fixed.xml);
        assert!(fixed.xml.contains("label=\"Use API\"> true </item>"), "{}", fixed.xml);
        assert!(fixed.xml.contains("label=\"n\">true</item>"), "{}", fixed.xml);
        let kinds: Vec<ChangeKind> = fixed.changes.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ChangeKind::Renamed, ChangeKind::Normalised, ChangeKind::Normalised]);
        assert!(errors(&xml) >= 2);
        let after = super::super::from_xml(&fixed.xml);
        assert!(after.diagnostics.is_empty(), "{:?}", after.diagnostics);
        assert!(after.config.general.use_api && after.config.activity.live_notes);
        // The notes are comments on their own lines, indented like the item.
        assert!(fixed.xml.contains(
            "\n    <!-- wxcc-sfdc corrected [unknown-item]: item `reqAdaptorUrl` renamed to `reqAdapterUrl` -->\n    <item"
        ));
        assert!(fixed.xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Checked by the wxcc-sfdc-adapter studio: 3 correction(s) made, 0 problem(s)"
        ));
    }

    #[test]
    fn what_cannot_be_fixed_is_noted_beside_its_item_and_the_rest_is_unchanged() {
        let xml = format!(
            "{HEAD}<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">x</item><item name=\"reqDisplayName\">x</item><item name=\"reqAdapterUrl\">https://desktop.wxcc-us1.cisco.com/</item></section><section sortOrder=\"0\" name=\"reqNoRecordMatchConfig\" label=\"x\">\n  <item sortOrder=\"0\" name=\"sfdcObjetFieldCadVariableMappings1\" label=\"m\">\n    [{{\"wxccFieldName\":\"ani\" \"sfdcFieldName\":\"Phone\"}}]\n  </item>\n  <item sortOrder=\"1\" name=\"isNoRecordMatchScenarioEnabled\" label=\"y\">maybe</item>\n  <!-- keep me -->\n</section>\n</callCenter>"
        );
        let fixed = corrected_xml(&xml);
        let noted: Vec<Code> = fixed.changes.iter().filter(|c| c.kind == ChangeKind::Noted).map(|c| c.code).collect();
        assert_eq!(noted, [Code::InvalidJson, Code::NotBoolean]);
        // The JSON note goes before the item, not inside its value.
        assert!(fixed.xml.contains("  <!-- wxcc-sfdc error [invalid-json]: invalid JSON at line 1"), "{}", fixed.xml);
        assert!(fixed.xml.contains("-->\n  <item sortOrder=\"0\" name=\"sfdcObjetFieldCadVariableMappings1\""));
        assert!(fixed.xml.contains("maybe</item>") && fixed.xml.contains("<!-- keep me -->"));
        // Removing our comments gives back the original file.
        let without: String = fixed
            .xml
            .lines()
            .filter(|l| !l.trim_start().starts_with("<!-- wxcc-sfdc") && !l.starts_with("<!-- Checked by"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(without.trim_end(), xml.trim_end());
        assert_eq!(errors(&fixed.xml), errors(&xml));
    }

    #[test]
    fn comments_never_break_the_xml() {
        // One line, CRLF elsewhere, a message with "--" in it, a truncated file.
        let one_line = "<?xml version=\"1.0\"?><callCenter><section name=\"reqGeneralInfo\"><item name=\"reqUseApi\">--x--</item></section></callCenter>";
        let fixed = corrected_xml(one_line);
        assert!(fixed.xml.starts_with("<?xml version=\"1.0\"?><!-- Checked"), "{}", fixed.xml);
        assert!(!fixed.xml.contains("---"));
        let after = super::super::from_xml(&fixed.xml);
        assert!(after.diagnostics.iter().all(|d| d.code != Code::MalformedXml), "{:?}", after.diagnostics);

        let truncated = "<callCenter>\r\n<section name=\"s\">\r\n<item name=\"a\">1</item>\r\n<item name=\"b\">2";
        let fixed = corrected_xml(truncated);
        assert!(fixed.xml.contains("\r\n<!-- wxcc-sfdc error [malformed-xml]"), "{}", fixed.xml);
        assert!(fixed.xml.ends_with("<item name=\"b\">2"));
    }

    #[test]
    fn a_note_after_a_self_closing_item_stays_at_its_own_line() {
        let xml = format!("{HEAD}<section name=\"reqGeneralInfo\">\n<item name=\"reqDescription\"/>\n</section>\n<section name=\"reqOutDialConfg\">\n</section>\n</callCenter>");
        let fixed = corrected_xml(&xml);
        assert!(
            fixed.xml.contains("<item name=\"reqDescription\"/>\n</section>\n<!-- wxcc-sfdc corrected [unknown-section]: section `reqOutDialConfg` renamed to `reqOutDialConfig` -->\n<section name=\"reqOutDialConfig\">"),
            "{}",
            fixed.xml
        );
    }

    #[test]
    fn a_rename_never_duplicates_an_item() {
        let xml = format!(
            "{HEAD}<section name=\"reqGeneralInfo\">\n<item name=\"reqAdaptorUrl\">https://a.example/</item>\n<item name=\"reqAdapterUrl\">https://desktop.wxcc-us1.cisco.com/</item>\n</section>\n</callCenter>"
        );
        let fixed = corrected_xml(&xml);
        assert!(fixed.xml.contains("name=\"reqAdaptorUrl\""));
        assert_eq!(fixed.changes.first().map(|c| c.kind), Some(ChangeKind::Noted));
    }

    #[test]
    fn the_reference_file_only_gets_the_summary() {
        let xml = include_str!("../../tests/fixtures/reference/cisco-legacy-callcenter-definition.xml");
        let fixed = corrected_xml(xml);
        assert!(fixed.changes.is_empty());
        assert_eq!(fixed.xml.lines().count(), xml.lines().count() + 1);
    }

    #[test]
    fn a_commented_out_start_tag_never_takes_a_note() {
        // A note placed at the `<item` inside the comment would close the comment early.
        let xml = "<callCenter>\n<!-- <item name=\"old\"> -->\n<section name=\"reqGeneralInfx\">\n\
            <item name=\"reqUseApi\">maybe</item>\n<item name=\"reqTimeout\">x</item>\n</section>\n</callCenter>\n";
        let fixed = corrected_xml(xml);
        let reloaded = crate::config::from_xml(&fixed.xml);
        assert!(!reloaded.diagnostics.iter().any(|d| d.code == Code::MalformedXml), "{}", fixed.xml);
        assert!(fixed.xml.contains("<!-- <item name=\"old\"> -->"), "{}", fixed.xml);
    }

    #[test]
    fn an_item_tag_inside_another_tag_never_takes_a_note() {
        // The reader takes `label=<item x` as a broken attribute of the first tag.
        let xml = "<callCenter>\n<section name=\"reqNoRecordMatchConfig\">\n\
            <item name=\"sfdcObjetFieldCadVariableMappings1\" label=<item x>[1,]</item>\n</section>\n</callCenter>\n";
        assert!(!crate::config::from_xml(xml).diagnostics.iter().any(|d| d.code == Code::MalformedXml));
        let fixed = corrected_xml(xml);
        let reloaded = crate::config::from_xml(&fixed.xml);
        assert!(!reloaded.diagnostics.iter().any(|d| d.code == Code::MalformedXml), "{}", fixed.xml);
    }

    #[test]
    fn cdata_text_in_an_attribute_hides_no_item() {
        // `<![CDATA[` inside an attribute value opens nothing: the next item still gets its note.
        let xml = "<callCenter>\n<section name=\"reqGeneralInfo\">\n<item name=\"reqUseApi\" label=\"a<![CDATA[b\">true</item>\n\
            <item name=\"reqTimeout\">x</item>\n</section>\n</callCenter>\n";
        let fixed = corrected_xml(xml);
        assert!(
            fixed.xml.contains("found \"x\". Hint: the default is used -->\n<item name=\"reqTimeout\">"),
            "{}",
            fixed.xml
        );
    }

    #[test]
    fn a_doubled_bom_stays_and_notes_go_before_their_items() {
        let xml =
            "\u{feff}\u{feff}<callCenter>\n<section name=\"reqGeneralInfo\">\n<item name=\"reqUseApi\">maybe</item>\n\
            <item name=\"reqTimeout\">x</item>\n</section>\n</callCenter>\n";
        let fixed = corrected_xml(xml);
        assert!(fixed.xml.starts_with("\u{feff}\u{feff}<!-- Checked"), "{}", fixed.xml);
        assert!(fixed.xml.contains("-->\n<item name=\"reqTimeout\">x</item>"), "{}", fixed.xml);
    }

    #[test]
    fn offsets_asked_in_any_order_match_one_at_a_time() {
        let text = "ab\ncé\n\nxyz😀\r\nend";
        let mut positions: Vec<Pos> =
            (1..=7).flat_map(|line| (1..=9).map(move |column| Pos { line, column })).collect();
        let reversed: Vec<Pos> = positions.iter().rev().copied().collect();
        positions.extend(reversed);
        positions.extend([Pos { line: 2, column: 9 }, Pos { line: 2, column: 2 }, Pos { line: 6, column: 4 }]);
        let mut offsets = Offsets::new(text);
        for pos in positions {
            let one_pass = Offsets::new(text).of(pos);
            assert_eq!(offsets.of(pos), one_pass, "{pos:?}");
        }
        assert_eq!(offset_of(text, Pos { line: 5, column: 3 }), Some(text.len() - 1));
        assert_eq!(offset_of(text, Pos { line: 5, column: 9 }), Some(text.len()));
        assert_eq!(offset_of(text, Pos { line: 6, column: 1 }), None);
    }

    #[test]
    fn helpers() {
        assert_eq!(offset_of("ab\ncé\nxyz", Pos { line: 3, column: 2 }), Some(8));
        assert_eq!(offset_of("ab\n", Pos { line: 1, column: 9 }), Some(2));
        assert_eq!(clear_boolean(" \"FALSE\" "), Some(false));
        assert_eq!(clear_boolean("flase"), Some(false));
        assert_eq!(clear_boolean("maybe"), None);
        let attrs = attributes("<item a='1'  name = \"x y\">", 0);
        assert_eq!(attrs.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["a", "name"]);
    }
}
