//! The layout checker: shape, roles, areas, components, bindings, ids, and our widget.

use super::names::*;
use super::scan::{self, Positions};
use super::{child, did_you_mean, IssueCode as C, LayoutIssue as Issue};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Checks a desktop layout and returns every problem found, in file order. Never fails: text
/// that is not JSON gives one `malformed-json` issue with its line and column.
pub fn check(json_text: &str) -> Vec<Issue> {
    let text = json_text.strip_prefix('\u{feff}').unwrap_or(json_text);
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(err) => {
            let mut issue = Issue::error(C::MalformedJson, "", format!("the layout is not valid JSON: {err}"))
                .hint("the desktop rejects the whole file; fix the JSON syntax first (a missing comma or quote near this line)");
            issue.line = u32::try_from(err.line()).ok();
            issue.column = u32::try_from(err.column()).ok();
            return vec![issue];
        }
    };
    let positions = scan::scan(text);
    let mut checker = Checker { issues: Vec::new() };
    checker.duplicate_keys(&positions);
    checker.document(&value);
    checker.bindings(&value, "");

    let mut issues = checker.issues;
    let mut ordered: Vec<(usize, Issue)> = issues
        .drain(..)
        .map(|mut issue| {
            let offset = positions.offset_of(&issue.path).unwrap_or(0);
            if issue.line.is_none() {
                let (l, c) = scan::line_column(text, offset);
                issue.line = Some(l);
                issue.column = Some(c);
            }
            (offset, issue)
        })
        .collect();
    ordered.sort_by_key(|(offset, _)| *offset);
    ordered.into_iter().map(|(_, issue)| issue).collect()
}

struct Checker {
    issues: Vec<Issue>,
}

/// What the role-level checks need to know about one component.
struct Found {
    path: String,
    comp: String,
    script: Option<String>,
    in_headless: bool,
    /// The vendor connector (`agentx-custom-desktop` with `crmLibPath`).
    vendor_connector: bool,
}

impl Checker {
    fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }

    fn duplicate_keys(&mut self, positions: &Positions) {
        for (pointer, _) in &positions.duplicates {
            let key = pointer.rsplit('/').next().unwrap_or("");
            let parent = pointer.rfind('/').and_then(|i| pointer.get(..i)).unwrap_or("");
            let in_widgets = parent.ends_with("/widgets");
            let issue = if in_widgets {
                Issue::error(C::DuplicateId, pointer, format!("widget id `{key}` is used twice in the same `widgets`"))
                    .hint("the desktop keeps only the last one and silently drops the other widget; give each widget its own id")
            } else {
                Issue::warning(C::DuplicateId, pointer, format!("key `{key}` is given twice in the same object"))
                    .hint("only the last one is used; remove the other")
            };
            self.push(issue);
        }
    }

    fn document(&mut self, value: &Value) {
        let Some(root) = value.as_object() else {
            self.push(Issue::error(C::UnknownShape, "", "the layout must be a JSON object").hint(
                "start from layouts/wxcc-sfdc-desktop-layout.json or the layout exported from the management portal",
            ));
            return;
        };
        let roles: Vec<&str> = ROLES.iter().copied().filter(|r| root.contains_key(*r)).collect();
        let single = root.contains_key("version") || root.contains_key("area");
        match (single, roles.is_empty()) {
            (true, true) => self.role(root, "", SINGLE_ROLE_VERSION),
            (false, false) => self.roles(root),
            (true, false) => {
                self.push(
                    Issue::error(C::UnknownShape, "", "the layout mixes the single-role shape (`version` and `area` at the top) with roles (`agent`, `supervisor`, `supervisorAgent`)")
                        .hint("use one shape: 0.1.0 puts version and area inside each role; 0.0.6 has no roles"),
                );
                self.roles(root);
            }
            (false, true) => {
                let mut issue = Issue::error(
                    C::UnknownShape,
                    "",
                    "this is neither a 0.0.6 layout (`version` and `area` at the top) nor a 0.1.0 layout (`agent`, `supervisor`, `supervisorAgent`)",
                );
                let suggestion = root.keys().find_map(|k| did_you_mean(k, ROLES.iter().copied()));
                issue = match suggestion {
                    Some(s) => issue.hint(format!("did you mean the role `{s}`?")),
                    None => issue.hint("a role-based layout has the keys agent, supervisor and supervisorAgent, each with version 0.1.0 and area"),
                };
                self.push(issue);
            }
        }
    }

    fn roles(&mut self, root: &Map<String, Value>) {
        for (key, value) in root {
            let path = child("", key);
            if ROLES.contains(&key.as_str()) {
                match value.as_object() {
                    Some(role) => self.role(role, &path, ROLE_BASED_VERSION),
                    None => self.push(Issue::error(C::WrongType, &path, format!("the role `{key}` must be an object"))),
                }
            } else if key != "version" && key != "area" {
                let mut issue =
                    Issue::warning(C::UnknownRole, &path, format!("`{key}` is not a desktop role; it is ignored"));
                if let Some(s) = did_you_mean(key, ROLES.iter().copied()) {
                    issue = issue.hint(format!("did you mean `{s}`?"));
                }
                self.push(issue);
            }
        }
        for role in ROLES {
            if !root.contains_key(*role) {
                self.push(Issue::warning(C::MissingRole, "", format!("the role `{role}` is missing")).hint(format!(
                    "users who sign in as {role} get the desktop's default layout, without the Salesforce adapter"
                )));
            }
        }
    }

    fn role(&mut self, role: &Map<String, Value>, path: &str, expected_version: &str) {
        match role.get("version") {
            None => self.push(
                Issue::error(C::Version, path, "`version` is missing")
                    .hint(format!("add \"version\": \"{expected_version}\"")),
            ),
            Some(Value::String(v)) if v == expected_version => {}
            Some(Value::String(v)) if same_shape(v, expected_version) => {}
            Some(Value::String(v)) => {
                let at = child(path, "version");
                let issue = if SINGLE_ROLE_VERSIONS.contains(&v.as_str()) || ROLE_BASED_VERSIONS.contains(&v.as_str()) {
                    let why = if expected_version == ROLE_BASED_VERSION {
                        "a role-based layout needs version 0.1.0 in every role"
                    } else {
                        "version 0.1.0 needs the roles agent, supervisor and supervisorAgent at the top"
                    };
                    Issue::error(C::Version, &at, format!("version `{v}` does not match the shape of the file: {why}"))
                } else {
                    Issue::warning(C::Version, &at, format!("version `{v}` is not one this checker knows"))
                };
                self.push(issue.hint(format!("use \"{expected_version}\"")));
            }
            Some(_) => self.push(Issue::error(C::WrongType, child(path, "version"), "`version` must be a string")),
        }
        self.known_keys(role, path, ROLE_KEYS, "layout");
        let Some(area_value) = role.get("area") else {
            self.push(
                Issue::error(C::MissingKey, path, "`area` is missing: the desktop has nothing to show")
                    .hint("add \"area\" with at least \"headless\" and \"panel\""),
            );
            return;
        };
        let area_path = child(path, "area");
        let Some(area) = area_value.as_object() else {
            return; // reported by known_keys
        };
        let mut found: Vec<Found> = Vec::new();
        let mut page_ids: HashMap<String, String> = HashMap::new();
        for (name, value) in area {
            let at = child(&area_path, name);
            match name.as_str() {
                "headless" | "header" => self.page(value, &at, name == "headless", &mut found, &mut page_ids),
                "advancedHeader" => match value.as_array() {
                    Some(items) => {
                        for (i, item) in items.iter().enumerate() {
                            self.component(item, &format!("{at}/{i}"), false, &mut found);
                        }
                    }
                    None => {
                        self.push(Issue::error(C::WrongType, &at, "`advancedHeader` must be an array of components"))
                    }
                },
                "panel" => self.component(value, &at, false, &mut found),
                "navigation" => match value.as_array() {
                    Some(items) => {
                        for (i, item) in items.iter().enumerate() {
                            self.nav_entry(item, &format!("{at}/{i}"), &mut found, &mut page_ids);
                        }
                    }
                    None => self.push(Issue::error(C::WrongType, &at, "`navigation` must be an array")),
                },
                "homepage" => self.nav_entry(value, &at, &mut found, &mut page_ids),
                other => {
                    let mut issue = Issue::warning(
                        C::UnknownArea,
                        &at,
                        format!("`{other}` is not a desktop area; it is not shown"),
                    );
                    issue = match did_you_mean(other, AREAS.iter().copied()) {
                        Some(s) => issue.hint(format!("did you mean `{s}`?")),
                        None => issue.hint(format!("the areas are {}", AREAS.join(", "))),
                    };
                    self.push(issue);
                }
            }
        }
        self.our_widgets(&found);
    }

    /// Checks the keys of an object against a table: wrong types, and near misses of known keys.
    fn known_keys(&mut self, obj: &Map<String, Value>, path: &str, table: &[(&str, Kind)], what: &str) {
        for (key, value) in obj {
            let at = child(path, key);
            match table.iter().find(|(k, _)| k == key) {
                Some((_, kind)) if !kind.matches(value) => {
                    self.push(Issue::error(C::WrongType, &at, format!("`{key}` must be {}", kind.name())))
                }
                Some(_) => {}
                None => {
                    if let Some(s) = did_you_mean(key, table.iter().map(|(k, _)| *k)) {
                        self.push(
                            Issue::warning(C::UnknownKey, &at, format!("`{key}` is not a {what} key; it is ignored"))
                                .hint(format!("did you mean `{s}`?")),
                        );
                    }
                }
            }
        }
    }

    /// `headless`, `header` and navigation pages: `{id, widgets, layout}`.
    fn page(
        &mut self,
        value: &Value,
        path: &str,
        headless: bool,
        found: &mut Vec<Found>,
        page_ids: &mut HashMap<String, String>,
    ) {
        let Some(page) = value.as_object() else {
            self.push(Issue::error(C::WrongType, path, "a page must be an object with `widgets` and `layout`"));
            return;
        };
        self.known_keys(page, path, PAGE_KEYS, "page");
        if let Some(Value::String(id)) = page.get("id") {
            let at = child(path, "id");
            if let Some(first) = page_ids.get(id) {
                self.push(
                    Issue::error(C::DuplicateId, &at, format!("page id `{id}` is already used at {first}"))
                        .hint("each page needs its own id, or navigation opens the wrong one"),
                );
            } else {
                page_ids.insert(id.clone(), at);
            }
        }
        for key in ["pageHeader", "pageSubHeader"] {
            if let Some(v) = page.get(key) {
                self.component(v, &child(path, key), false, found);
            }
        }
        let widgets_path = child(path, "widgets");
        let Some(widgets) = page.get("widgets").and_then(Value::as_object) else {
            if !page.contains_key("widgets") {
                self.push(Issue::error(C::MissingKey, path, "the page has no `widgets`"));
            }
            return;
        };
        for (id, widget) in widgets {
            self.component(widget, &child(&widgets_path, id), headless, found);
        }
        let flex = page.get("useFlexLayout").and_then(Value::as_bool).unwrap_or(false);
        match page.get("layout").and_then(Value::as_object) {
            Some(layout) => self.grid(layout, &child(path, "layout"), widgets),
            None if flex || widgets.is_empty() || page.contains_key("layout") => {}
            None => self.push(
                Issue::warning(C::MissingKey, path, "the page has widgets but no `layout`, so none of them is placed")
                    .hint("add \"layout\": {\"areas\": [[\"<widget id>\"]], \"size\": {\"cols\": [1], \"rows\": [1]}}"),
            ),
        }
    }

    /// `layout: {areas: [[id…]…], size: {cols, rows}}` against the page's widgets.
    fn grid(&mut self, layout: &Map<String, Value>, path: &str, widgets: &Map<String, Value>) {
        let areas_path = child(path, "areas");
        let Some(rows) = layout.get("areas").and_then(Value::as_array) else {
            self.push(Issue::error(C::MissingKey, path, "`layout` has no `areas` (an array of rows of widget ids)"));
            return;
        };
        let mut placed: Vec<&str> = Vec::new();
        let mut widths: Vec<usize> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            let row_path = format!("{areas_path}/{r}");
            let Some(cells) = row.as_array() else {
                self.push(Issue::error(C::WrongType, &row_path, "each row of `areas` must be an array of widget ids"));
                continue;
            };
            widths.push(cells.len());
            for (c, cell) in cells.iter().enumerate() {
                let cell_path = format!("{row_path}/{c}");
                match cell.as_str() {
                    Some(".") => {}
                    Some(id) if widgets.contains_key(id) => placed.push(id),
                    Some(id) => {
                        let mut issue = Issue::error(
                            C::UnknownWidgetRef,
                            &cell_path,
                            format!("`{id}` is not a widget of this page"),
                        );
                        if let Some(s) = did_you_mean(id, widgets.keys().map(String::as_str)) {
                            issue = issue.hint(format!("did you mean `{s}`?"));
                        }
                        self.push(issue);
                    }
                    None => self.push(Issue::error(C::WrongType, &cell_path, "a cell of `areas` must be a widget id")),
                }
            }
        }
        if widths.windows(2).any(|w| w.first() != w.last()) {
            self.push(
                Issue::warning(C::GridShape, &areas_path, "the rows of `areas` have different lengths")
                    .hint("every row needs one cell per column; repeat an id to make a widget span columns"),
            );
        }
        for id in widgets.keys() {
            if !placed.contains(&id.as_str()) {
                self.push(
                    Issue::warning(
                        C::UnplacedWidget,
                        &areas_path,
                        format!("widget `{id}` is in no cell of `areas`, so it is never created"),
                    )
                    .hint(format!("add \"{id}\" to a row of `areas`")),
                );
            }
        }
        if let Some(size) = layout.get("size").and_then(Value::as_object) {
            let columns = widths.first().copied().unwrap_or(0);
            for (key, expected) in [("cols", columns), ("rows", widths.len())] {
                let at = child(&child(path, "size"), key);
                match size.get(key).and_then(Value::as_array) {
                    Some(list) if list.len() != expected && expected > 0 => self.push(
                        Issue::warning(
                            C::GridShape,
                            &at,
                            format!("`size.{key}` has {} entries for {expected} {key} in `areas`", list.len()),
                        )
                        .hint("give one size per row/column of `areas`"),
                    ),
                    Some(list) if !list.iter().all(Value::is_number) => {
                        self.push(Issue::error(C::WrongType, &at, format!("`size.{key}` must be an array of numbers")))
                    }
                    _ => {}
                }
            }
        }
    }

    /// A navigation entry or the homepage: `{nav, page, visibility}`.
    fn nav_entry(&mut self, value: &Value, path: &str, found: &mut Vec<Found>, page_ids: &mut HashMap<String, String>) {
        let Some(entry) = value.as_object() else {
            self.push(Issue::error(C::WrongType, path, "a navigation entry must be an object with `nav` and `page`"));
            return;
        };
        self.known_keys(entry, path, NAV_ENTRY_KEYS, "navigation");
        let nav = entry.get("nav").and_then(Value::as_object);
        if let Some(nav) = nav {
            self.known_keys(nav, &child(path, "nav"), NAV_KEYS, "nav");
        }
        match entry.get("page") {
            Some(page) => self.page(page, &child(path, "page"), false, found, page_ids),
            None => self.push(Issue::error(C::MissingKey, path, "the navigation entry has no `page`")),
        }
    }

    fn component(&mut self, value: &Value, path: &str, in_headless: bool, found: &mut Vec<Found>) {
        let Some(obj) = value.as_object() else {
            self.push(Issue::error(C::WrongType, path, "a component must be an object with `comp`"));
            return;
        };
        self.known_keys(obj, path, COMPONENT_KEYS, "component");
        let comp = match obj.get("comp") {
            Some(Value::String(name)) if valid_element_name(name) => name.clone(),
            Some(Value::String(name)) if name.starts_with('#') => {
                let placeholder = name.trim_start_matches('#');
                if !BUILT_IN_PLACEHOLDERS.contains(&placeholder) {
                    self.push(
                        Issue::warning(
                            C::BadElement,
                            child(path, "comp"),
                            format!("`{name}` is not a built-in placeholder this checker knows"),
                        )
                        .hint(format!("the desktop's own components are {}", BUILT_IN_PLACEHOLDERS.join(", "))),
                    );
                }
                name.clone()
            }
            Some(Value::String(name)) => {
                self.push(
                    Issue::error(C::BadElement, child(path, "comp"), format!("`{name}` is not an element name")).hint(
                        "use a tag name such as div, or a custom element name with a hyphen such as wxcc-sfdc-adapter",
                    ),
                );
                name.clone()
            }
            Some(_) => return, // wrong type, reported by known_keys
            None => {
                self.push(
                    Issue::error(C::BadElement, path, "the component has no `comp` (its element name)")
                        .hint("add \"comp\": \"<element name>\""),
                );
                String::new()
            }
        };
        let script = obj.get("script").and_then(Value::as_str).map(str::to_string);
        if let Some(url) = &script {
            self.script(url, &child(path, "script"));
            if !comp.contains('-') && !comp.is_empty() {
                self.push(
                    Issue::warning(
                        C::BadScript,
                        child(path, "script"),
                        format!("`{comp}` is a built-in element; a script cannot define it"),
                    )
                    .hint("custom elements defined by a script have a hyphen in their name"),
                );
            }
        }
        if let Some(attributes) = obj.get("attributes").and_then(Value::as_object) {
            let at = child(path, "attributes");
            for (name, v) in attributes {
                let attr_path = child(&at, name);
                if name.is_empty()
                    || name.chars().any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '>' | '/' | '='))
                {
                    self.push(Issue::error(C::BadAttribute, &attr_path, format!("`{name}` is not an attribute name")));
                }
                match v {
                    Value::Object(_) | Value::Array(_) => self.push(
                        Issue::warning(
                            C::BadAttribute,
                            &attr_path,
                            format!(
                                "attribute `{name}` holds an object or array; the element receives \"[object Object]\""
                            ),
                        )
                        .hint("attributes are strings; pass structured values through `properties`"),
                    ),
                    Value::String(s) if is_placeholder(s) => self.push(
                        Issue::warning(
                            C::Placeholder,
                            &attr_path,
                            format!("attribute `{name}` is still the placeholder `{s}`"),
                        )
                        .hint("replace it with the real value, or remove the attribute"),
                    ),
                    _ => {}
                }
            }
        }
        if let Some(wrapper) = obj.get("wrapper").and_then(Value::as_object) {
            self.known_keys(wrapper, &child(path, "wrapper"), WRAPPER_KEYS, "wrapper");
        }
        if let Some(children) = obj.get("children").and_then(Value::as_array) {
            let at = child(path, "children");
            for (i, c) in children.iter().enumerate() {
                self.component(c, &format!("{at}/{i}"), false, found);
            }
        }
        if comp == ADAPTER_ELEMENT || comp == ACTIONS_ELEMENT {
            self.our_attributes(obj, path, &comp);
        }
        let vendor_connector = comp == VENDOR_ELEMENT
            && obj.get("attributes").and_then(Value::as_object).is_some_and(|a| a.contains_key(VENDOR_MARKER));
        found.push(Found { path: path.to_string(), comp, script, in_headless, vendor_connector });
    }

    fn script(&mut self, url: &str, path: &str) {
        let lower = url.trim().to_ascii_lowercase();
        let host = url_host(&lower);
        if lower.starts_with("https://") && lower.len() > "https://".len() {
            if is_placeholder_host(host) {
                self.push(
                    Issue::warning(C::BadScript, path, format!("`{host}` is a placeholder host, not where the script is"))
                        .hint("replace it with the host that serves the widget (e.g. wxcc-sfdc layout add --script https://…)"),
                );
            }
            return;
        }
        let loopback = is_loopback_host(host);
        let issue = if lower.starts_with("http://") && loopback {
            // Browsers treat loopback as secure: it loads, but only on the machine serving it.
            Issue::warning(C::BadScript, path, "the script is on this machine's loopback (http://localhost…)")
                .hint("fine for developing a widget; every other agent's desktop needs an https host")
        } else if lower.starts_with("http://") {
            Issue::error(C::BadScript, path, "the script is loaded over http; the https desktop blocks it")
                .hint("serve widget.js over https")
        } else {
            Issue::error(C::BadScript, path, format!("`{url}` is not an absolute https URL"))
                .hint("the desktop loads scripts by absolute URL, e.g. https://cdn.example.com/wxcc-sfdc/widget.js")
        };
        self.push(issue);
    }

    /// Attributes of `wxcc-sfdc-adapter` / `wxcc-sfdc-actions` (docs/contracts.md).
    fn our_attributes(&mut self, obj: &Map<String, Value>, path: &str, comp: &str) {
        if !obj.contains_key("script") {
            self.push(
                Issue::error(C::BadScript, path, format!("`{comp}` has no `script`, so the element is never defined"))
                    .hint("add \"script\": \"https://…/widget.js\" (the same URL for both of our elements)"),
            );
        }
        let Some(attributes) = obj.get("attributes").and_then(Value::as_object) else {
            return;
        };
        let at = child(path, "attributes");
        for (name, value) in attributes {
            let attr_path = child(&at, name);
            if !ADAPTER_ATTRIBUTES.iter().any(|a| a.eq_ignore_ascii_case(name)) {
                let mut issue = Issue::warning(
                    C::AdapterAttribute,
                    &attr_path,
                    format!("`{comp}` does not read the attribute `{name}`"),
                );
                issue = match did_you_mean(name, ADAPTER_ATTRIBUTES.iter().copied()) {
                    Some(s) => issue.hint(format!("did you mean `{s}`?")),
                    None => issue.hint(format!("its attributes are {}", ADAPTER_ATTRIBUTES.join(", "))),
                };
                self.push(issue);
                continue;
            }
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Bool(b) => b.to_string(),
                _ => continue,
            };
            if name.eq_ignore_ascii_case("debug") && text != "true" && text != "false" {
                self.push(
                    Issue::warning(
                        C::AdapterAttribute,
                        &attr_path,
                        format!("`debug` is \"{text}\"; it must be true or false"),
                    )
                    .hint("anything else is read as false"),
                );
            }
            if name.eq_ignore_ascii_case("trustedOrigins") {
                for origin in text.split(',').map(str::trim).filter(|o| !o.is_empty()) {
                    if !is_origin(origin) {
                        self.push(
                            Issue::warning(C::AdapterAttribute, &attr_path, format!("`{origin}` is not an origin"))
                                .hint("an origin is scheme and host only, e.g. https://myorg.lightning.force.mil (no path, no trailing slash)"),
                        );
                    }
                }
            }
        }
    }

    /// Role-level rules about our elements and the vendor connector.
    fn our_widgets(&mut self, found: &[Found]) {
        let adapters: Vec<&Found> = found.iter().filter(|f| f.comp == ADAPTER_ELEMENT).collect();
        let actions: Vec<&Found> = found.iter().filter(|f| f.comp == ACTIONS_ELEMENT).collect();
        let vendor: Vec<&Found> = found.iter().filter(|f| f.vendor_connector).collect();
        if let (Some(ours), Some(theirs)) = (adapters.first(), vendor.first()) {
            self.push(
                Issue::error(C::TwoConnectors, &ours.path, format!("this role has both our adapter and the vendor connector (at {})", theirs.path))
                    .hint("both would pop records and log every call twice; run `wxcc-sfdc layout add` to replace the vendor connector, or remove it"),
            );
        }
        if adapters.is_empty() {
            if let Some(theirs) = vendor.first() {
                self.push(
                    Issue::info(C::TwoConnectors, &theirs.path, "this role uses the vendor's Salesforce connector")
                        .hint(
                            "`wxcc-sfdc layout add --script <widget.js URL> --panel FILE` replaces it with our adapter",
                        ),
                );
            }
        }
        for extra in adapters.iter().skip(1) {
            self.push(
                Issue::error(C::AdapterPlacement, &extra.path, "our adapter is in this role more than once")
                    .hint("keep one `wxcc-sfdc-adapter`, in the headless area"),
            );
        }
        for a in &adapters {
            if !a.in_headless {
                self.push(
                    Issue::warning(C::AdapterPlacement, &a.path, "`wxcc-sfdc-adapter` is outside the headless area")
                        .hint("put it in area.headless so it runs whatever page the agent is on; the panel tab is `wxcc-sfdc-actions`"),
                );
            }
        }
        if adapters.is_empty() {
            if let Some(first) = actions.first() {
                self.push(
                    Issue::warning(
                        C::AdapterPlacement,
                        &first.path,
                        "the Salesforce Actions tab is here but the adapter is not",
                    )
                    .hint("add `wxcc-sfdc-adapter` to area.headless of this role; the tab shows nothing without it"),
                );
            }
        }
        let scripts: Vec<(&str, &str)> = adapters
            .iter()
            .chain(actions.iter())
            .filter_map(|f| f.script.as_deref().map(|s| (f.path.as_str(), s)))
            .collect();
        if let Some((_, first)) = scripts.first() {
            for (path, other) in scripts.iter().skip(1) {
                if other != first {
                    self.push(
                        Issue::warning(
                            C::AdapterPlacement,
                            child(path, "script"),
                            "our two elements load different scripts",
                        )
                        .hint(format!(
                            "use the same widget.js for both ({first}); two versions would run side by side"
                        )),
                    );
                }
            }
        }
    }

    /// `$STORE.…` and `$I18N.…` bindings anywhere in the file.
    fn bindings(&mut self, value: &Value, path: &str) {
        match value {
            Value::String(s) => self.binding(s, path),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.bindings(item, &format!("{path}/{i}"));
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    self.bindings(v, &child(path, k));
                }
            }
            _ => {}
        }
    }

    fn binding(&mut self, s: &str, path: &str) {
        for prefix in ["$STORE", "$I18N"] {
            let lower = s.to_ascii_lowercase();
            let lower_prefix = prefix.to_ascii_lowercase();
            let Some(at) = lower.find(&lower_prefix) else {
                continue;
            };
            if !s.get(at..).is_some_and(|rest| rest.starts_with(prefix)) {
                self.push(
                    Issue::error(C::Binding, path, format!("`{s}` looks like a binding but is not spelled `{prefix}`"))
                        .hint(format!("write {prefix} in capitals; otherwise the text is passed as it is")),
                );
                continue;
            }
            if at != 0 || s.trim() != s {
                self.push(
                    Issue::warning(
                        C::Binding,
                        path,
                        format!("`{s}` has text around the binding, so it is passed as plain text"),
                    )
                    .hint(format!("a binding is the whole value, e.g. \"{prefix}.agent.agentName\"")),
                );
                continue;
            }
            let Some(segments) = binding_segments(s, prefix) else {
                self.push(
                    Issue::error(C::Binding, path, format!("`{s}` is not a valid binding"))
                        .hint(format!("a binding is {prefix} followed by .name segments, e.g. $STORE.agent.outDialEp")),
                );
                continue;
            };
            if prefix != "$STORE" {
                continue;
            }
            let mut parts = segments.into_iter();
            let Some(module) = parts.next() else { continue };
            if !STORE_MODULES.contains(&module) {
                let mut issue = Issue::warning(
                    C::Binding,
                    path,
                    format!("`{module}` is not a module of the desktop store; `{s}` stays empty"),
                );
                issue = match did_you_mean(module, STORE_MODULES.iter().copied()) {
                    Some(m) => issue.hint(format!("did you mean `$STORE.{m}`?")),
                    None => issue.hint("the store modules include agent, agentContact, app, auth"),
                };
                self.push(issue);
                continue;
            }
            if module == "agent" {
                if let Some(field) = parts.next() {
                    if !AGENT_FIELDS.contains(&field) {
                        if let Some(m) = did_you_mean(field, AGENT_FIELDS.iter().copied()) {
                            self.push(
                                Issue::warning(C::Binding, path, format!("`$STORE.agent.{field}` is not a field of the agent store; the value stays empty"))
                                    .hint(format!("did you mean `$STORE.agent.{m}`? (names are case-sensitive)")),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// `$STORE.a.b` → `["a", "b"]`; `None` when a segment is not an identifier.
fn binding_segments<'a>(s: &'a str, prefix: &str) -> Option<Vec<&'a str>> {
    let rest = s.strip_prefix(prefix)?.strip_prefix('.')?;
    let segments: Vec<&str> = rest.split('.').collect();
    let ident = |seg: &&str| {
        let mut chars = seg.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    };
    segments.iter().all(ident).then_some(segments)
}

/// A tag name: letters first, then letters, digits, `-`, `_`, `.`.
fn valid_element_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `<OutDialAniValue>`-style vendor placeholders.
pub(super) fn is_placeholder(s: &str) -> bool {
    s.len() > 2
        && s.starts_with('<')
        && s.ends_with('>')
        && s.get(1..s.len() - 1).is_some_and(|inner| inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// `https://host[:port]` (or http), nothing after the host.
fn is_origin(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|host| {
        !host.is_empty()
            && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '*'))
    })
}

/// Whether `version` is another known version of the shape `expected` belongs to.
fn same_shape(version: &str, expected: &str) -> bool {
    [SINGLE_ROLE_VERSIONS, ROLE_BASED_VERSIONS]
        .iter()
        .any(|versions| versions.contains(&version) && versions.contains(&expected))
}

/// Hosts that stand for "your host" in documentation (RFC 2606 names, `your-…`, `<…>`).
fn is_placeholder_host(host: &str) -> bool {
    let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let reserved = ["example.com", "example.org", "example.net"];
    reserved.iter().any(|r| name == *r || name.ends_with(&format!(".{r}")))
        || [".example", ".invalid", ".test"].iter().any(|tld| name.ends_with(tld))
        || name.contains("your")
        || name.contains('<')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(C, String)> {
        check(text).into_iter().map(|i| (i.code, i.path)).collect()
    }

    #[test]
    fn binding_segments_need_identifiers() {
        assert_eq!(binding_segments("$STORE.agent.outDialEp", "$STORE"), Some(vec!["agent", "outDialEp"]));
        assert_eq!(binding_segments("$STORE.agent..x", "$STORE"), None);
        assert_eq!(binding_segments("$STORE", "$STORE"), None);
        assert_eq!(binding_segments("$STORE.agent.out dial", "$STORE"), None);
    }

    #[test]
    fn placeholders_and_origins() {
        assert!(is_placeholder("<OutDialAniValue>"));
        assert!(!is_placeholder("<b>x</b>"));
        assert!(is_origin("https://myorg.lightning.force.mil"));
        assert!(is_origin("http://127.0.0.1:8080"));
        assert!(!is_origin("https://myorg.lightning.force.com/"));
    }

    #[test]
    fn agent_store_typo_is_reported_with_the_right_name() {
        let text = r#"{"version":"0.0.6","area":{"headless":{"id":"h","widgets":{"a":{"comp":"x-y","attributes":{"ep":"$STORE.agent.outdialEp"}}},"layout":{"areas":[["a"]],"size":{"cols":[1],"rows":[1]}}}}}"#;
        let issues = check(text);
        let binding = issues.iter().find(|i| i.code == C::Binding);
        assert_eq!(binding.map(|i| i.path.as_str()), Some("/area/headless/widgets/a/attributes/ep"));
        assert!(binding.and_then(|i| i.hint.as_deref()).is_some_and(|h| h.contains("outDialEp")));
    }

    fn headless(widgets: &str, areas: &str) -> String {
        format!(
            r#"{{"version":"0.0.6","area":{{"headless":{{"id":"h","widgets":{{{widgets}}},"layout":{{"areas":[[{areas}]]}}}}}}}}"#
        )
    }

    #[test]
    fn two_adapters_in_one_role_are_an_error() {
        let w = r#""a":{"comp":"wxcc-sfdc-adapter","script":"https://widgets.acme.com/w.js"},"b":{"comp":"wxcc-sfdc-adapter","script":"https://widgets.acme.com/w.js"}"#;
        assert_eq!(
            codes(&headless(w, r#""a","b""#)),
            vec![(C::AdapterPlacement, "/area/headless/widgets/b".to_string())]
        );
    }

    #[test]
    fn actions_tab_without_the_adapter_is_a_warning() {
        let text = r#"{"version":"0.0.6","area":{"panel":{"comp":"md-tabs","children":[{"comp":"wxcc-sfdc-actions","script":"https://widgets.acme.com/w.js"}]}}}"#;
        assert_eq!(codes(text), vec![(C::AdapterPlacement, "/area/panel/children/0".to_string())]);
    }

    #[test]
    fn adapter_attribute_values_are_checked() {
        let w = r#""a":{"comp":"wxcc-sfdc-adapter","script":"https://widgets.acme.com/w.js","attributes":{"debug":"yes","trustedOrigins":"https://ok.example, https://bad.example/path"}}"#;
        let issues = check(&headless(w, r#""a""#));
        let messages: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("`debug` is \"yes\"")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("`https://bad.example/path` is not an origin")), "{messages:?}");
    }

    #[test]
    fn text_around_a_binding_is_reported() {
        let w = r#""a":{"comp":"x-y","attributes":{"n":"Agent $STORE.agent.agentName"}}"#;
        assert_eq!(
            codes(&headless(w, r#""a""#)),
            vec![(C::Binding, "/area/headless/widgets/a/attributes/n".to_string())]
        );
    }

    #[test]
    fn unknown_shape_is_one_error() {
        assert_eq!(codes("{\"agnet\": {}}"), vec![(C::UnknownShape, String::new())]);
        assert_eq!(codes("[1]"), vec![(C::UnknownShape, String::new())]);
    }
}
