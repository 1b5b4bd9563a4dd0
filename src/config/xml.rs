//! Reads the call center definition XML into raw items, streaming, so that a truncated or
//! partly broken file still yields every item before the break (with a diagnostic at it).
//!
//! Accepts what admins produce: with or without the XML declaration and the metadata `xmlns`,
//! a BOM, CRLF, comments, entities, CDATA, attributes in any order. Two forms, also mixed: the
//! file form (`<callCenter><section name><item name>value`) and the Metadata API form that
//! `sf project retrieve start -m CallCenter` gives (`<CallCenter>` with `adapterUrl`,
//! `displayName`, `customSettings` JSON and `<sections><items><name/><value/></items><name/>`).

use super::diag::{Code, Diagnostic, Pos, Positions};
use super::source::{RawDefinition, RawItem, RawSection};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Where the parser is in the `<callCenter><section><item>` hierarchy.
struct OpenItem {
    name: Option<String>,
    pos: Pos,
    value: String,
    value_pos: Option<Pos>,
    /// False once the value stops being a plain run of the file's text (a `&#10;` line break,
    /// or markup or a comment between two parts of it): its lines and columns are no longer
    /// the file's, so no position inside it can be placed in the file.
    lines_match: bool,
}

impl OpenItem {
    /// Markup, a comment or a line-break reference was met; it matters once the value started.
    fn interrupted(&mut self) {
        if self.value_pos.is_some() {
            self.lines_match = false;
        }
    }
}

pub(crate) fn parse(input: &str) -> RawDefinition {
    // Every leading BOM: the reader would skip one more itself, and its positions would then
    // be three bytes short of the text's.
    let text = input.trim_start_matches('\u{feff}');
    let mut raw = RawDefinition::default();
    let mut reader = Reader::from_str(text);
    // Offsets come in increasing order: positions are counted in one pass over the text.
    let mut positions = Positions::new(text);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;

    // Names of the open elements, outermost first.
    let mut stack: Vec<String> = Vec::new();
    let mut section: Option<String> = None;
    let mut item: Option<OpenItem> = None;
    let mut saw_root = false;
    // The Metadata API form: a leaf element whose text is being read, the <sections> being read.
    let mut meta = Meta::default();

    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(err) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(start);
                let mut d = Diagnostic::error(
                    Code::MalformedXml,
                    current_path(&section, &item),
                    format!("the XML is malformed: {err}"),
                )
                .at(Some(positions.at(at)));
                d = d.hint(match &item {
                    Some(_) => "this item and everything after this point were not read; defaults are used for them",
                    None => "everything after this point was not read; defaults are used for it",
                });
                raw.diagnostics.push(d);
                break;
            }
        };
        match event {
            // An empty element (`<item/>`) opens and closes at once.
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = local_name(e);
                if meta.open(&mut positions, start, &name, &stack) {
                    raw.metadata_form = true;
                } else {
                    open_element(
                        &mut positions,
                        start,
                        e,
                        &name,
                        &stack,
                        &mut section,
                        &mut item,
                        &mut raw,
                        &mut saw_root,
                    );
                }
                if matches!(event, Event::Empty(_)) {
                    meta.close(&name, &stack, &mut raw);
                    close_element(&name, &mut section, &mut item, &mut raw);
                } else {
                    stack.push(name);
                }
            }
            Event::End(_) => {
                if let Some(name) = stack.pop() {
                    meta.close(&name, &stack, &mut raw);
                    close_element(&name, &mut section, &mut item, &mut raw);
                }
            }
            Event::Text(t) => {
                if let Some(open) = item.as_mut().or(meta.field.as_mut()) {
                    match t.decode() {
                        Ok(s) => append_value(open, &mut positions, start, &s),
                        Err(err) => raw.diagnostics.push(
                            Diagnostic::error(
                                Code::MalformedXml,
                                current_path(&section, &item),
                                format!("text is not valid: {err}"),
                            )
                            .at(Some(positions.at(start))),
                        ),
                    }
                }
            }
            Event::CData(c) => {
                if let Some(open) = item.as_mut().or(meta.field.as_mut()) {
                    let body = String::from_utf8_lossy(&c.into_inner()).into_owned();
                    // The value starts after `<![CDATA[`.
                    append_value(open, &mut positions, start.saturating_add(9), &body);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    r.decode().ok().and_then(|n| quick_xml::escape::resolve_predefined_entity(&n)).map(String::from)
                };
                let literal = String::from_utf8_lossy(&r).into_owned();
                let value = match resolved {
                    Some(v) => v,
                    None => {
                        raw.diagnostics.push(
                            Diagnostic::warning(
                                Code::MalformedXml,
                                current_path(&section, &item),
                                format!("unknown entity `&{literal};` kept as written"),
                            )
                            .at(Some(positions.at(start)))
                            .hint("only &lt; &gt; &amp; &apos; &quot; and numeric references like &#38; are defined"),
                        );
                        format!("&{literal};")
                    }
                };
                if let Some(open) = item.as_mut().or(meta.field.as_mut()) {
                    if value.contains('\n') {
                        open.interrupted();
                    }
                    append_value(open, &mut positions, start, &value);
                }
            }
            Event::Eof => {
                meta.finish(&mut raw);
                if let Some(open) = stack.last() {
                    let what = match &item {
                        Some(i) => format!("item `{}` is", i.name.as_deref().unwrap_or("?")),
                        None => format!("<{open}> is"),
                    };
                    raw.diagnostics.push(
                        Diagnostic::error(
                            Code::MalformedXml,
                            current_path(&section, &item),
                            format!("the file ends early: {what} not closed"),
                        )
                        .at(Some(positions.at(text.len())))
                        .hint("the file looks truncated; items read before this point are used"),
                    );
                } else if !saw_root {
                    raw.diagnostics.push(
                        Diagnostic::error(Code::MalformedXml, "/", "no <callCenter> element found")
                            .at(Some(positions.at(0)))
                            .hint("a call center definition starts with <callCenter> and holds <section> elements"),
                    );
                }
                break;
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {
                if let Some(open) = item.as_mut() {
                    open.interrupted();
                }
            }
        }
    }
    raw
}

/// `<callCenter>`, or `<CallCenter>` as the Metadata API writes it.
fn is_root(name: &str) -> bool {
    name.eq_ignore_ascii_case("callCenter")
}

/// Where a top-level element of the Metadata API form goes among the items.
const META_FIELDS: &[(&str, &str)] = &[("adapterUrl", "reqAdapterUrl"), ("displayName", "reqDisplayName")];
/// Top-level elements of the Metadata API form that carry nothing the adapter uses.
const META_LABELS: &[&str] = &["displayNameLabel", "internalNameLabel", "fullName", "version"];

/// An `<items>` of the Metadata API form, as read so far.
#[derive(Default)]
struct MetaItem {
    name: Option<String>,
    value: Option<OpenItem>,
    pos: Option<Pos>,
}

/// The Metadata API form, read alongside the file form.
#[derive(Default)]
struct Meta {
    /// The leaf element whose text is being read, by name.
    field: Option<OpenItem>,
    /// The <sections> being read: its items, and its name once seen (it comes after them).
    items: Vec<MetaItem>,
    current: Option<MetaItem>,
    section_name: Option<String>,
    section_pos: Option<Pos>,
    /// Top-level fields (adapterUrl, displayName, customSettings) with their text.
    top: Vec<OpenItem>,
}

impl Meta {
    /// Opens an element of the Metadata API form; false when it is not one.
    fn open(&mut self, positions: &mut Positions<'_>, start: usize, name: &str, stack: &[String]) -> bool {
        let pos = positions.at(start);
        let leaf =
            || OpenItem { name: Some(name.to_string()), pos, value: String::new(), value_pos: None, lines_match: true };
        let path: Vec<&str> = stack.iter().map(String::as_str).collect();
        match path.as_slice() {
            [root] if is_root(root) => {
                if name == "sections" {
                    self.items.clear();
                    self.section_name = None;
                    self.section_pos = Some(pos);
                } else if name == "customSettings" || META_FIELDS.iter().any(|(f, _)| *f == name) {
                    self.field = Some(leaf());
                } else if !META_LABELS.contains(&name) {
                    return false;
                }
                true
            }
            [root, "sections"] if is_root(root) => {
                match name {
                    "items" => self.current = Some(MetaItem { pos: Some(pos), ..MetaItem::default() }),
                    "name" => self.field = Some(leaf()),
                    _ => {} // the section's label
                }
                true
            }
            [root, "sections", "items"] if is_root(root) => {
                if name == "name" || name == "value" {
                    self.field = Some(leaf());
                }
                true
            }
            [root, "sections", "items", _] if is_root(root) => true,
            [root, "sections", _] if is_root(root) => true,
            _ => false,
        }
    }

    fn close(&mut self, name: &str, stack: &[String], raw: &mut RawDefinition) {
        let path: Vec<&str> = stack.iter().map(String::as_str).collect();
        match path.as_slice() {
            [root, "sections", "items"] if is_root(root) => {
                let Some(field) = self.field.take() else { return };
                if let Some(current) = self.current.as_mut() {
                    match name {
                        "name" => current.name = Some(field.value.trim().to_string()),
                        "value" => current.value = Some(field),
                        _ => {}
                    }
                }
            }
            [root, "sections"] if is_root(root) => match name {
                "items" => self.items.extend(self.current.take()),
                "name" => self.section_name = self.field.take().map(|f| f.value.trim().to_string()),
                _ => {}
            },
            [root] if is_root(root) && name == "sections" => self.close_section(raw),
            [root] if is_root(root) => {
                if let Some(field) = self.field.take() {
                    self.top.push(field);
                }
            }
            _ => {}
        }
    }

    fn close_section(&mut self, raw: &mut RawDefinition) {
        let items = std::mem::take(&mut self.items);
        let Some(section) = self.section_name.take().filter(|n| !n.is_empty()) else {
            if !items.is_empty() {
                raw.diagnostics.push(
                    Diagnostic::error(Code::MissingName, "/", "a <sections> has no <name>; its items are ignored")
                        .at(self.section_pos)
                        .hint("write <name>reqGeneralInfo</name> inside <sections>, after its <items>"),
                );
            }
            return;
        };
        raw.sections.push(RawSection { name: section.clone(), pos: self.section_pos });
        for item in items {
            let Some(name) = item.name.filter(|n| !n.is_empty()) else {
                raw.diagnostics.push(
                    Diagnostic::error(
                        Code::MissingName,
                        format!("/{section}"),
                        "an <items> has no <name>; it is ignored",
                    )
                    .at(item.pos)
                    .hint("write <items><name>reqAdapterUrl</name><value>…</value></items>"),
                );
                continue;
            };
            let (value, value_pos) = match item.value {
                Some(v) => (v.value.trim().to_string(), v.value_pos.filter(|_| v.lines_match)),
                None => (String::new(), None),
            };
            raw.items.push(RawItem { section: section.clone(), name, value, pos: item.pos, value_pos });
        }
    }

    /// At the end: the top-level fields become items, unless a section gives them already.
    fn finish(&mut self, raw: &mut RawDefinition) {
        let given = |raw: &RawDefinition, name: &str| raw.items.iter().any(|i| i.name == name);
        for field in std::mem::take(&mut self.top) {
            let element = field.name.clone().unwrap_or_default();
            let value = field.value.trim().to_string();
            let value_pos = field.value_pos.filter(|_| field.lines_match);
            if element == "customSettings" {
                self.custom_settings(raw, &value, field.pos, value_pos);
                continue;
            }
            let Some((_, item)) = META_FIELDS.iter().find(|(f, _)| *f == element) else { continue };
            if !given(raw, item) {
                raw.items.push(RawItem {
                    section: "reqGeneralInfo".into(),
                    name: (*item).to_string(),
                    value,
                    pos: Some(field.pos),
                    value_pos,
                });
            }
        }
    }

    /// `customSettings`: a JSON object of general items (`reqTimeout`, `reqUseApi`, …).
    fn custom_settings(&self, raw: &mut RawDefinition, value: &str, pos: Pos, value_pos: Option<Pos>) {
        if value.is_empty() {
            return;
        }
        match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(value) {
            Ok(map) => {
                for (name, v) in map {
                    if raw.items.iter().any(|i| i.name == name) {
                        continue;
                    }
                    let value = match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    let section = super::items::section_of(&name).unwrap_or("reqGeneralInfo").to_string();
                    raw.items.push(RawItem { section, name, value, pos: Some(pos), value_pos: None });
                }
            }
            Err(err) => raw.diagnostics.push(
                Diagnostic::error(
                    Code::InvalidJson,
                    "/customSettings",
                    format!("customSettings is not a JSON object: {err}"),
                )
                .at(value_pos.or(Some(pos)))
                .hint("Salesforce writes it as {\"reqTimeout\":\"10000\",…}; its items are ignored"),
            ),
        }
    }
}

fn local_name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

fn current_path(section: &Option<String>, item: &Option<OpenItem>) -> String {
    match (section, item) {
        (Some(s), Some(OpenItem { name: Some(n), .. })) => format!("/{s}/{n}"),
        (Some(s), _) => format!("/{s}"),
        _ => "/".to_string(),
    }
}

fn attribute(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key.as_bytes())
        .and_then(|a| a.unescape_value().ok().map(|v| v.trim().to_string()))
}

#[allow(clippy::too_many_arguments)]
fn open_element(
    positions: &mut Positions<'_>,
    start: usize,
    e: &BytesStart<'_>,
    name: &str,
    stack: &[String],
    section: &mut Option<String>,
    item: &mut Option<OpenItem>,
    raw: &mut RawDefinition,
    saw_root: &mut bool,
) {
    let pos = positions.at(start);
    let parent = stack.last().map(String::as_str);
    match (parent, name) {
        (None, root) if is_root(root) => *saw_root = true,
        (Some(root), "section") if is_root(root) => {
            let section_name = attribute(e, "name");
            if section_name.is_none() {
                raw.diagnostics.push(
                    Diagnostic::error(
                        Code::MissingName,
                        "/",
                        "a <section> has no name attribute; its items are ignored",
                    )
                    .at(Some(pos))
                    .hint("write <section sortOrder=\"0\" name=\"reqGeneralInfo\" label=\"…\">"),
                );
            }
            if let Some(n) = &section_name {
                raw.sections.push(RawSection { name: n.clone(), pos: Some(pos) });
            }
            *section = section_name;
        }
        (Some("section"), "item") => {
            let item_name = attribute(e, "name");
            if item_name.is_none() && section.is_some() {
                raw.diagnostics.push(
                    Diagnostic::error(
                        Code::MissingName,
                        current_path(section, &None),
                        "an <item> has no name attribute; it is ignored",
                    )
                    .at(Some(pos))
                    .hint("write <item sortOrder=\"0\" name=\"reqAdapterUrl\" label=\"…\">value</item>"),
                );
            }
            *item = Some(OpenItem { name: item_name, pos, value: String::new(), value_pos: None, lines_match: true });
        }
        (None, other) => {
            *saw_root = true;
            raw.diagnostics.push(
                Diagnostic::error(
                    Code::UnexpectedElement,
                    "/",
                    format!("the root element is <{other}>, expected <callCenter>"),
                )
                .at(Some(pos))
                .hint("a call center definition starts with <callCenter>; sections inside it are still read"),
            );
        }
        (Some(_), other) => {
            if let Some(open) = item.as_mut() {
                open.interrupted();
            }
            // Markup inside an item value, or unknown elements: say so once, at the element.
            raw.diagnostics.push(
                Diagnostic::warning(Code::UnexpectedElement, current_path(section, item), format!("unexpected element <{other}> here; it is ignored"))
                    .at(Some(pos))
                    .hint("only <section> inside <callCenter> and <item> inside <section> are read; escape < as &lt; inside values"),
            );
        }
    }
}

fn close_element(name: &str, section: &mut Option<String>, item: &mut Option<OpenItem>, raw: &mut RawDefinition) {
    match name {
        "item" => {
            if let Some(open) = item.take() {
                if let (Some(section_name), Some(item_name)) = (section.as_ref(), open.name) {
                    let trimmed = open.value.trim().to_string();
                    raw.items.push(RawItem {
                        section: section_name.clone(),
                        name: item_name,
                        value: trimmed,
                        pos: Some(open.pos),
                        value_pos: open.value_pos.filter(|_| open.lines_match),
                    });
                }
            }
        }
        "section" => *section = None,
        _ => {}
    }
}

fn append_value(open: &mut OpenItem, positions: &mut Positions<'_>, start: usize, chunk: &str) {
    // Without a position yet, the value so far is blank: no need to trim it again for every
    // chunk (quadratic on thousands of chunks).
    if open.value_pos.is_none() {
        let leading = chunk.len().saturating_sub(chunk.trim_start().len());
        if leading < chunk.len() {
            open.value_pos = Some(positions.at(start.saturating_add(leading)));
        }
    }
    open.value.push_str(chunk);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(raw: &RawDefinition) -> Vec<(String, String, String)> {
        raw.items.iter().map(|i| (i.section.clone(), i.name.clone(), i.value.clone())).collect()
    }

    #[test]
    fn reads_what_admins_write() {
        let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<callCenter xmlns=\"http://soap.sforce.com/2006/04/metadata\">\r\n\
            <!-- general -->\r\n<section label=\"G\" name=\"reqGeneralInfo\" sortOrder=\"0\">\r\n\
            <item name=\"reqDisplayName\" sortOrder=\"1\">  Tom &amp; Jerry &#x41; </item>\r\n\
            <item sortOrder=\"2\" name=\"ActivitySubjectTemplate\"><![CDATA[{direction} <Call>]]></item>\r\n\
            <item name=\"empty\"/>\r\n</section></callCenter>";
        let raw = parse(xml);
        assert!(raw.diagnostics.is_empty(), "{:?}", raw.diagnostics);
        assert_eq!(
            items(&raw),
            vec![
                ("reqGeneralInfo".into(), "reqDisplayName".into(), "Tom & Jerry A".into()),
                ("reqGeneralInfo".into(), "ActivitySubjectTemplate".into(), "{direction} <Call>".into()),
                ("reqGeneralInfo".into(), "empty".into(), "".into()),
            ]
        );
        let first = raw.items.first().and_then(|i| i.pos);
        assert_eq!(first, Some(Pos { line: 5, column: 1 }));
    }

    #[test]
    fn truncated_file_keeps_items_before_the_cut() {
        let xml = "<callCenter>\n<section name=\"s\">\n<item name=\"a\">1</item>\n<item name=\"b\">2";
        let raw = parse(xml);
        assert_eq!(items(&raw), vec![("s".into(), "a".into(), "1".into())]);
        let d = raw.diagnostics.first();
        assert_eq!(d.map(|d| d.code), Some(Code::MalformedXml));
        assert_eq!(d.and_then(|d| d.line), Some(4));
    }

    #[test]
    fn mismatched_tags_are_located() {
        let xml = "<callCenter>\n<section name=\"s\">\n<item name=\"a\">1</itm>\n</section></callCenter>";
        let raw = parse(xml);
        let d = raw.diagnostics.first();
        assert_eq!(d.map(|d| d.code), Some(Code::MalformedXml));
        assert_eq!(d.and_then(|d| d.line), Some(3));
        assert_eq!(d.map(|d| d.path.as_str()), Some("/s/a"));
    }

    #[test]
    fn many_elements_on_one_line_are_all_placed() {
        // 20,000 misplaced elements on one line, blanks between them: each gets a diagnostic
        // with its position. Counting every position from the start of the file, and trimming
        // the blank value again for every blank, made this take seconds.
        let count = 20_000;
        let xml = format!(
            "<callCenter><section name=\"s\"><item name=\"a\">{}</item></section></callCenter>",
            "<b/> ".repeat(count)
        );
        let raw = parse(&xml);
        assert_eq!(raw.diagnostics.len(), count);
        let last = raw.diagnostics.last();
        let column = u32::try_from(xml.find("<b/> </item>").unwrap_or(0) + 1).unwrap_or(0);
        assert_eq!(last.and_then(|d| d.line.zip(d.column)), Some((1, column)));
        assert_eq!(raw.items.first().map(|i| i.value.as_str()), Some(""));
    }

    #[test]
    fn a_line_break_reference_inside_a_value_drops_its_position() {
        let xml = "<callCenter><section name=\"s\">\n  <item name=\"m\">[1,&#10;&#10;x]</item>\n  <item name=\"n\">&#10;[2]</item></section></callCenter>";
        let raw = parse(xml);
        let at: Vec<Option<Pos>> = raw.items.iter().map(|i| i.value_pos).collect();
        // A leading reference is trimmed away with the value's whitespace: the position stays.
        assert_eq!(at, [None, Some(Pos { line: 3, column: 23 })]);
        // So with markup or a comment inside the value: before it, fine; after it started, lost.
        let xml = "<callCenter><section name=\"s\">\n<item name=\"a\"><b/>[1]</item>\n\
            <item name=\"b\">[1,<!--\n-->2]</item>\n<item name=\"c\">[1,<b \n/>2]</item></section></callCenter>";
        let at: Vec<Option<Pos>> = parse(xml).items.iter().map(|i| i.value_pos).collect();
        assert_eq!(at, [Some(Pos { line: 2, column: 20 }), None, None]);
        assert_eq!(raw.items.first().map(|i| i.value.as_str()), Some("[1,\n\nx]"));
    }

    #[test]
    fn a_doubled_bom_does_not_shift_positions() {
        let raw = parse(
            "\u{feff}\u{feff}<callCenter>\n<section name=\"s\">\n<item name=\"a\">1</item></section></callCenter>",
        );
        assert_eq!(raw.items.first().and_then(|i| i.pos), Some(Pos { line: 3, column: 1 }));
        assert!(raw.diagnostics.is_empty(), "{:?}", raw.diagnostics);
    }

    #[test]
    fn value_position_points_inside_the_item() {
        let xml = "<callCenter><section name=\"s\">\n  <item name=\"m\">\n    [1,]</item></section></callCenter>";
        let raw = parse(xml);
        let item = raw.items.first();
        assert_eq!(item.and_then(|i| i.value_pos), Some(Pos { line: 3, column: 5 }));
    }
}
