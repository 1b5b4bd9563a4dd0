//! `add`: put our widget into an admin's existing layout, replacing the vendor connector.
//!
//! Rules, per role that takes calls (`agent`, `supervisorAgent`, the single-role file; the
//! `supervisor` role only when it already had the vendor connector):
//! - headless: our adapter replaces the vendor connector under the same widget id; with no
//!   connector it is added (and the headless area created when missing); when it is already
//!   there only its `script` is updated.
//! - panel: the vendor's panel widget becomes our `wxcc-sfdc-actions` (same tab, same wrapper)
//!   with `--panel`, and its tab is removed without; with `--panel` and no tab at all, a
//!   "Salesforce Actions" tab is put first.
//!
//! Everything else keeps its value and its key order, so a second run changes nothing.

use super::check::is_placeholder;
use super::names::*;
use serde_json::{json, Map, Value};

/// Why a layout could not be changed. The input is never partly changed: all or nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    #[error("the layout is not valid JSON: {0}")]
    Json(String),
    #[error("not a desktop layout: {0}")]
    NotALayout(String),
    #[error("`{0}` is not an absolute https URL for widget.js")]
    ScriptUrl(String),
    #[error("cannot add the Salesforce Actions tab: {0}")]
    Panel(String),
}

/// Inserts our widget (and with `with_panel` our Salesforce Actions tab) into `layout_json` and
/// returns the new layout, pretty-printed with the original key order.
pub fn add(layout_json: &str, script_url: &str, with_panel: bool) -> Result<String, AddError> {
    let url = script_url.trim();
    if !is_script_url(url) {
        return Err(AddError::ScriptUrl(script_url.to_string()));
    }
    let text = layout_json.strip_prefix('\u{feff}').unwrap_or(layout_json);
    let mut root: Value = serde_json::from_str(text).map_err(|e| AddError::Json(e.to_string()))?;
    let Some(obj) = root.as_object_mut() else {
        return Err(AddError::NotALayout("the file is not a JSON object".into()));
    };
    if obj.contains_key("version") || obj.contains_key("area") {
        add_to_role(obj, "the layout", url, with_panel)?;
    } else {
        let mut roles = 0;
        for role in ROLES {
            if let Some(Value::Object(r)) = obj.get_mut(*role) {
                roles += 1;
                if *role != NON_CALLING_ROLE || has_vendor_connector(r) {
                    add_to_role(r, role, url, with_panel)?;
                }
            }
        }
        if roles == 0 {
            return Err(AddError::NotALayout(
                "no `version`/`area` (0.0.6) and no agent, supervisor or supervisorAgent role (0.1.0)".into(),
            ));
        }
    }
    let mut out = serde_json::to_string_pretty(&root).map_err(|e| AddError::Json(e.to_string()))?;
    out.push('\n');
    Ok(out)
}

/// https, or http on the loopback interface (the simulator serves widget.js there).
pub fn is_script_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let host = super::names::url_host(&lower);
    if lower.starts_with("https://") {
        return !host.is_empty();
    }
    lower.starts_with("http://") && super::names::is_loopback_host(host)
}

/// Our role-based layout with the placeholder widget URL replaced by `script_url` (what
/// `wxcc-sfdc layout new` writes): the template is given, so that the widget build carries none.
pub fn fill_script(template: &str, placeholder: &str, script_url: &str) -> Result<String, AddError> {
    let url = script_url.trim();
    if !is_script_url(url) {
        return Err(AddError::ScriptUrl(script_url.to_string()));
    }
    // As a JSON string's content: quotes and backslashes escaped.
    let quoted = serde_json::to_string(url).map_err(|e| AddError::Json(e.to_string()))?;
    let inner = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or(url);
    Ok(template.replace(placeholder, inner))
}

/// Our adapter's widget. `outDialAni` is what the replaced connector had (the vendor's layouts
/// take a number the admin enters); the desktop store has no key for the ANI an agent picks, so
/// without one the attribute is left out and the entry point's own ANI is used.
fn adapter_widget(url: &str, outdial_ani: Option<String>) -> Value {
    let mut widget = json!({
        "comp": ADAPTER_ELEMENT,
        "script": url,
        "attributes": {
            "outdialEntryPointId": "$STORE.agent.outDialEp",
            "agentId": "$STORE.agent.agentId",
            "agentName": "$STORE.agent.agentName"
        }
    });
    if let (Some(ani), Some(attributes)) = (outdial_ani, widget.get_mut("attributes").and_then(Value::as_object_mut)) {
        attributes.insert("outDialAni".into(), Value::String(ani));
    }
    widget
}

fn actions_widget(url: &str, wrapper: Option<Value>) -> Value {
    json!({
        "comp": ACTIONS_ELEMENT,
        "script": url,
        "wrapper": wrapper.unwrap_or_else(|| json!({"title": "Salesforce Actions", "maximizeAreaName": "app-maximize-area"}))
    })
}

fn actions_tab(url: &str) -> [Value; 2] {
    [
        json!({
            "comp": "md-tab",
            "attributes": {"slot": "tab", "class": "widget-pane-tab"},
            "children": [{"comp": "span", "textContent": "Salesforce Actions"}]
        }),
        json!({
            "comp": "md-tab-panel",
            "attributes": {"slot": "panel", "class": "widget-pane"},
            "children": [actions_widget(url, None)]
        }),
    ]
}

fn comp_of(v: &Value) -> Option<&str> {
    v.get("comp").and_then(Value::as_str)
}

fn is_vendor_connector(v: &Value) -> bool {
    comp_of(v) == Some(VENDOR_ELEMENT) && v.get("attributes").and_then(|a| a.get(VENDOR_MARKER)).is_some()
}

fn has_vendor_connector(role: &Map<String, Value>) -> bool {
    role.get("area")
        .and_then(|a| a.get("headless"))
        .and_then(|h| h.get("widgets"))
        .and_then(Value::as_object)
        .is_some_and(|w| w.values().any(is_vendor_connector))
}

fn add_to_role(role: &mut Map<String, Value>, name: &str, url: &str, with_panel: bool) -> Result<(), AddError> {
    let area = role.entry("area").or_insert_with(|| Value::Object(Map::new()));
    let Some(area) = area.as_object_mut() else {
        return Err(AddError::NotALayout(format!("`area` of {name} is not an object")));
    };
    let vendor_scripts = headless(area, name, url)?;
    panel(area, name, url, with_panel, &vendor_scripts)
}

/// Puts the adapter into `area.headless`; returns the scripts of the vendor connectors replaced.
fn headless(area: &mut Map<String, Value>, name: &str, url: &str) -> Result<Vec<String>, AddError> {
    if !area.contains_key("headless") {
        area.insert(
            "headless".into(),
            json!({
                "id": "dw-headless",
                "widgets": {ADAPTER_ELEMENT: adapter_widget(url, None)},
                "layout": {"areas": [[ADAPTER_ELEMENT]], "size": {"cols": [1], "rows": [1]}}
            }),
        );
        return Ok(Vec::new());
    }
    let Some(Value::Object(headless)) = area.get_mut("headless") else {
        return Err(AddError::NotALayout(format!("`area.headless` of {name} is not an object")));
    };
    let widgets = headless.entry("widgets").or_insert_with(|| Value::Object(Map::new()));
    let Some(widgets) = widgets.as_object_mut() else {
        return Err(AddError::NotALayout(format!("`area.headless.widgets` of {name} is not an object")));
    };
    let ours: Vec<String> =
        widgets.iter().filter(|(_, w)| comp_of(w) == Some(ADAPTER_ELEMENT)).map(|(k, _)| k.clone()).collect();
    let vendors: Vec<String> = widgets.iter().filter(|(_, w)| is_vendor_connector(w)).map(|(k, _)| k.clone()).collect();
    let vendor_scripts: Vec<String> = vendors
        .iter()
        .filter_map(|k| widgets.get(k).and_then(|w| w.get("script")).and_then(Value::as_str).map(str::to_string))
        .collect();

    for key in &ours {
        if let Some(Value::Object(w)) = widgets.get_mut(key) {
            w.insert("script".into(), Value::String(url.to_string()));
        }
    }
    let keep = if let Some(first) = ours.first() {
        first.clone()
    } else if let Some(first) = vendors.first() {
        let outdial = widgets
            .get(first)
            .and_then(|w| w.get("attributes"))
            .and_then(|a| a.get("outDialAni"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty() && !is_placeholder(v))
            .map(str::to_string);
        widgets.insert(first.clone(), adapter_widget(url, outdial));
        first.clone()
    } else {
        let key = unique_key(widgets, ADAPTER_ELEMENT);
        widgets.insert(key.clone(), adapter_widget(url, None));
        place_new_widget(headless, &key);
        return Ok(vendor_scripts);
    };
    let removed: Vec<&String> = vendors.iter().filter(|k| **k != keep).collect();
    for key in &removed {
        widgets.shift_remove(key.as_str());
    }
    if !removed.is_empty() {
        rename_cells(headless, &removed, &keep);
    }
    Ok(vendor_scripts)
}

fn unique_key(widgets: &Map<String, Value>, base: &str) -> String {
    if !widgets.contains_key(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|k| !widgets.contains_key(k)).unwrap_or_else(|| base.to_string())
}

/// Adds a row for a new widget to `layout.areas` (and `size.rows`), creating `layout` if needed.
fn place_new_widget(headless: &mut Map<String, Value>, key: &str) {
    let layout = headless.entry("layout").or_insert_with(|| json!({"areas": [], "size": {"cols": [1], "rows": []}}));
    let Some(layout) = layout.as_object_mut() else { return };
    let width = layout
        .get("areas")
        .and_then(Value::as_array)
        .and_then(|rows| rows.first())
        .and_then(Value::as_array)
        .map(Vec::len)
        .filter(|n| *n > 0)
        .unwrap_or(1);
    if let Some(Value::Array(rows)) = layout.get_mut("areas") {
        rows.push(Value::Array(vec![Value::String(key.to_string()); width]));
    }
    if let Some(Value::Array(sizes)) = layout.get_mut("size").and_then(|s| s.get_mut("rows")) {
        sizes.push(json!(1));
    }
}

fn rename_cells(headless: &mut Map<String, Value>, from: &[&String], to: &str) {
    let Some(Value::Array(rows)) = headless.get_mut("layout").and_then(|l| l.get_mut("areas")) else { return };
    for row in rows.iter_mut() {
        if let Value::Array(cells) = row {
            for cell in cells.iter_mut() {
                if cell.as_str().is_some_and(|c| from.iter().any(|f| f.as_str() == c)) {
                    *cell = Value::String(to.to_string());
                }
            }
        }
    }
}

/// Where a component sits in the panel tree: the indexes of `children` from the panel down.
type Chain = Vec<usize>;

fn find_in_panel(node: &Value, chain: &mut Chain, hit: &dyn Fn(&Value) -> bool, out: &mut Vec<Chain>) {
    if hit(node) {
        out.push(chain.clone());
        return;
    }
    if let Some(children) = node.get("children").and_then(Value::as_array) {
        for (i, c) in children.iter().enumerate() {
            chain.push(i);
            find_in_panel(c, chain, hit, out);
            chain.pop();
        }
    }
}

fn node_mut<'a>(root: &'a mut Value, chain: &[usize]) -> Option<&'a mut Value> {
    let mut current = root;
    for i in chain {
        current = current.get_mut("children")?.get_mut(*i)?;
    }
    Some(current)
}

fn panel(
    area: &mut Map<String, Value>,
    name: &str,
    url: &str,
    with_panel: bool,
    vendor_scripts: &[String],
) -> Result<(), AddError> {
    let Some(panel) = area.get_mut("panel") else {
        if with_panel {
            let [tab, tab_panel] = actions_tab(url);
            area.insert(
                "panel".into(),
                json!({"comp": "md-tabs", "attributes": {"class": "widget-tabs"}, "children": [tab, tab_panel]}),
            );
        }
        return Ok(());
    };
    let mut ours: Vec<Chain> = Vec::new();
    find_in_panel(panel, &mut Vec::new(), &|v| comp_of(v) == Some(ACTIONS_ELEMENT), &mut ours);
    let is_vendor_panel = |v: &Value| {
        comp_of(v) == Some(VENDOR_ELEMENT)
            && (v
                .get("attributes")
                .is_some_and(|a| a.get(VENDOR_PANEL_MARKER).is_some() || a.get(VENDOR_MARKER).is_some())
                || v.get("script").and_then(Value::as_str).is_some_and(|s| vendor_scripts.iter().any(|v| v == s)))
    };
    let mut vendors: Vec<Chain> = Vec::new();
    find_in_panel(panel, &mut Vec::new(), &is_vendor_panel, &mut vendors);

    for chain in &ours {
        if let Some(Value::Object(w)) = node_mut(panel, chain) {
            w.insert("script".into(), Value::String(url.to_string()));
        }
    }
    let mut replace_first = with_panel && ours.is_empty();
    // Highest chains first, so removing one never shifts another still to be handled.
    let mut order: Vec<(usize, &Chain)> = vendors.iter().enumerate().collect();
    order.sort_by(|a, b| b.1.cmp(a.1));
    let first_vendor = vendors.first().cloned();
    for (_, chain) in order {
        if replace_first && Some(chain) == first_vendor.as_ref() {
            replace_first = false;
            if let Some(node) = node_mut(panel, chain) {
                let wrapper = node.get("wrapper").filter(|w| w.is_object()).cloned();
                let visibility = node.get("visibility").cloned();
                let mut ours = actions_widget(url, wrapper);
                if let (Some(v), Some(obj)) = (visibility, ours.as_object_mut()) {
                    obj.insert("visibility".into(), v);
                }
                *node = ours;
            }
        } else {
            remove_vendor_tab(panel, chain);
        }
    }
    if with_panel && ours.is_empty() && vendors.is_empty() {
        let Some(children) = panel.get_mut("children").and_then(Value::as_array_mut) else {
            return Err(AddError::Panel(format!(
                "`area.panel` of {name} has no `children` tabs; add the tab by hand or remove the panel and run again"
            )));
        };
        let [tab, tab_panel] = actions_tab(url);
        children.insert(0, tab_panel);
        children.insert(0, tab);
    }
    Ok(())
}

/// Removes a vendor panel widget: its whole tab (the `md-tab-panel` holding it and the `md-tab`
/// just before) when it is the only thing in a top-level tab panel, else just the widget.
fn remove_vendor_tab(panel: &mut Value, chain: &[usize]) {
    let whole_tab = match chain {
        [tab_index, _] => {
            let tab_panel = panel.get("children").and_then(|c| c.get(*tab_index));
            comp_of(tab_panel.unwrap_or(&Value::Null)) == Some("md-tab-panel")
                && tab_panel.and_then(|p| p.get("children")).and_then(Value::as_array).is_some_and(|c| c.len() == 1)
        }
        _ => false,
    };
    if let (true, [tab_index, _]) = (whole_tab, chain) {
        let Some(children) = panel.get_mut("children").and_then(Value::as_array_mut) else { return };
        let tab_before =
            tab_index.checked_sub(1).and_then(|i| children.get(i)).is_some_and(|t| comp_of(t) == Some("md-tab"));
        if *tab_index < children.len() {
            children.remove(*tab_index);
        }
        if tab_before {
            if let Some(i) = tab_index.checked_sub(1) {
                children.remove(i);
            }
        }
        return;
    }
    let Some((last, parent_chain)) = chain.split_last() else { return };
    if let Some(children) =
        node_mut(panel, parent_chain).and_then(|p| p.get_mut("children")).and_then(Value::as_array_mut)
    {
        if *last < children.len() {
            children.remove(*last);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls_are_https_or_loopback() {
        assert!(is_script_url("https://cdn.example.com/widget.js"));
        assert!(is_script_url("http://127.0.0.1:8080/widget.js"));
        assert!(!is_script_url("http://cdn.example.com/widget.js"));
        assert!(!is_script_url("widget.js"));
        assert!(!is_script_url("https:///widget.js"));
    }

    #[test]
    fn headless_area_is_created_when_missing() {
        let out = add(r#"{"version":"0.0.6","area":{}}"#, "https://x.example/widget.js", false).unwrap_or_default();
        let v: Value = serde_json::from_str(&out).unwrap_or(Value::Null);
        assert_eq!(v.pointer("/area/headless/widgets/wxcc-sfdc-adapter/comp"), Some(&json!(ADAPTER_ELEMENT)));
        assert_eq!(v.pointer("/area/headless/layout/areas/0/0"), Some(&json!(ADAPTER_ELEMENT)));
        assert_eq!(v.pointer("/area/panel"), None);
    }

    #[test]
    fn existing_adapter_wins_over_a_leftover_vendor_connector() {
        let layout = r#"{"version":"0.0.6","area":{"headless":{"id":"h","widgets":{"v":{"comp":"agentx-custom-desktop","attributes":{"crmLibPath":"x"}},"ours":{"comp":"wxcc-sfdc-adapter","script":"https://old.example/widget.js"}},"layout":{"areas":[["v","ours"]]}}}}"#;
        let out = add(layout, "https://new.example/widget.js", false).unwrap_or_default();
        let v: Value = serde_json::from_str(&out).unwrap_or(Value::Null);
        assert_eq!(v.pointer("/area/headless/widgets/v"), None);
        assert_eq!(v.pointer("/area/headless/widgets/ours/script"), Some(&json!("https://new.example/widget.js")));
        assert_eq!(v.pointer("/area/headless/layout/areas"), Some(&json!([["ours", "ours"]])));
    }

    #[test]
    fn new_widget_gets_its_own_row_beside_others() {
        let layout = r#"{"version":"0.0.6","area":{"headless":{"id":"h","widgets":{"other":{"comp":"x-y"}},"layout":{"areas":[["other"]],"size":{"cols":[1],"rows":[1]}}}}}"#;
        let out = add(layout, "https://x.example/widget.js", false).unwrap_or_default();
        let v: Value = serde_json::from_str(&out).unwrap_or(Value::Null);
        assert_eq!(v.pointer("/area/headless/layout/areas/1/0"), Some(&json!(ADAPTER_ELEMENT)));
        assert_eq!(v.pointer("/area/headless/layout/size/rows"), Some(&json!([1, 1])));
        assert_eq!(v.pointer("/area/headless/widgets/other"), Some(&json!({"comp": "x-y"})));
    }
}
