#![cfg(not(target_arch = "wasm32"))]
//! `wxcc-sfdc layout check` and `layout add` as an admin runs them, on the vendor's reference
//! layout, on ours, and on broken ones; plus the call center definition we ship.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

const VENDOR_LAYOUT: &str = "tests/fixtures/reference/cisco-legacy-salesforce-desktop-layout.json";
const OUR_LAYOUT: &str = "layouts/wxcc-sfdc-desktop-layout.json";
const SINGLE_ROLE: &str = "tests/fixtures/layout/single-role-0.0.6.json";
const BROKEN: &str = "tests/fixtures/layout/broken.json";
const SCRIPT: &str = "https://widgets.example.com/wxcc-sfdc-adapter/0.1.0/widget.js";

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wxcc-sfdc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run wxcc-sfdc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)).expect("read");
    serde_json::from_str(&text).expect("json")
}

/// Writes `text` to a fresh file for one test and returns its path.
fn temp_file(name: &str, text: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layout_cli");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let file = dir.join(name);
    std::fs::write(&file, text).expect("write");
    file.display().to_string()
}

fn add(file: &str, panel: bool) -> String {
    let mut args = vec!["layout", "add", "--script", SCRIPT];
    if panel {
        args.push("--panel");
    }
    args.push(file);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "layout add failed: {err}");
    out
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The JSON pointers where two trees differ: a key on one side only, a different array
/// length, or different scalars / types.
fn tree_diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let p = format!("{path}/{}", escape(k));
                match y.get(k) {
                    Some(w) => tree_diff(v, w, &p, out),
                    None => out.push(p),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{path}/{}", escape(k)));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                out.push(path.to_string());
            }
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                tree_diff(v, w, &format!("{path}/{i}"), out);
            }
        }
        _ if a != b => out.push(path.to_string()),
        _ => {}
    }
}

/// Object keys in document order, recursively, for comparing key order.
fn key_order(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{path}/{}", escape(k));
                out.push(p.clone());
                key_order(child, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                key_order(child, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn check_accepts_the_vendor_reference_layout() {
    let (code, out, _) = run(&["layout", "check", VENDOR_LAYOUT]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": 0 error(s)"), "{out}");
    // It still says where the vendor connector is and that its placeholder was never filled in.
    assert!(out.contains("info: this role uses the vendor's Salesforce connector"), "{out}");
    assert!(out.contains("`outDialAni` is still the placeholder `<OutDialAniValue>` [placeholder]"), "{out}");
}

#[test]
fn check_accepts_our_layout_and_only_asks_for_the_real_host() {
    let (code, out, _) = run(&["layout", "check", OUR_LAYOUT]);
    assert_eq!(code, 0, "{out}");
    // Our layout is a template: its widget host is a placeholder until the admin fills it in,
    // and that is the only thing the checker says (so the studio never calls it ready to use).
    assert!(out.contains(": 0 error(s), 4 warning(s)"), "{out}");
    let warnings: Vec<&str> = out.lines().filter(|l| l.contains(": warning: ")).collect();
    assert!(
        warnings
            .iter()
            .all(|l| l.contains("`widgets.example.com` is a placeholder host") && l.ends_with("[bad-script]")),
        "{out}"
    );
}

#[test]
fn real_world_layouts_use_built_in_placeholders_and_loopback_scripts() {
    // Cisco's 0.0.2 layouts name the desktop's own components `#NAME`; sample widgets are
    // served from the developer's loopback. Neither is an error.
    let layout = r##"{"version":"0.0.2","appTitle":"x","logo":"","dragDropEnabled":false,"notificationTimer":8,"maximumNotificationCount":3,"browserNotificationTimer":8,"wxmConfigured":false,"area":{"panel":{"comp":"md-tabs","children":[{"comp":"#IVR_TRANSCRIPT_TAB"},{"comp":"#SCREEN_POP"},{"comp":"#NOT_A_THING"}]},"headless":{"id":"h","widgets":{"w":{"comp":"my-widget","script":"http://localhost:5173/w.js"}},"layout":{"areas":[["w"]],"size":{"cols":[1],"rows":[1]}}}}}"##;
    let dir = std::env::temp_dir().join(format!("wxcc-sfdc-layout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("real.json");
    std::fs::write(&file, layout).expect("write");
    let (code, out, _) = run(&["layout", "check", file.to_str().unwrap_or_default()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("`#NOT_A_THING` is not a built-in placeholder this checker knows"), "{out}");
    assert!(!out.contains("#IVR_TRANSCRIPT_TAB"), "{out}");
    assert!(out.contains("warning: the script is on this machine's loopback"), "{out}");
    assert!(!out.contains("[version]"), "0.0.2 is a known version: {out}");
}

#[test]
fn our_layout_has_the_adapter_and_the_actions_tab_for_every_calling_role() {
    let ours = read_json(OUR_LAYOUT);
    for role in ["agent", "supervisorAgent"] {
        let adapter = ours.pointer(&format!("/{role}/area/headless/widgets/comp1")).expect("adapter");
        assert_eq!(adapter["comp"], "wxcc-sfdc-adapter");
        assert_eq!(adapter["attributes"]["outdialEntryPointId"], "$STORE.agent.outDialEp");
        assert_eq!(adapter["attributes"]["agentName"], "$STORE.agent.agentName");
        let tab = ours.pointer(&format!("/{role}/area/panel/children/0/children/0/textContent"));
        assert_eq!(tab, Some(&Value::from("Salesforce Actions")));
        let actions = ours.pointer(&format!("/{role}/area/panel/children/1/children/0")).expect("actions");
        assert_eq!(actions["comp"], "wxcc-sfdc-actions");
        assert_eq!(actions["script"], adapter["script"], "one script defines both elements");
        assert_eq!(ours[role]["version"], "0.1.0");
    }
    assert_eq!(ours["supervisor"]["version"], "0.1.0");
    assert!(!ours["supervisor"].to_string().contains("wxcc-sfdc"), "the supervisor role takes no calls");
}

#[test]
fn add_on_the_vendor_reference_only_swaps_the_connector_for_our_widget() {
    let before = read_json(VENDOR_LAYOUT);
    let after: Value = serde_json::from_str(&add(VENDOR_LAYOUT, true)).expect("json out");
    let mut diffs = Vec::new();
    tree_diff(&before, &after, "", &mut diffs);
    let swapped = [
        "/agent/area/headless/widgets/comp1",
        "/agent/area/panel/children/1/children/0",
        "/supervisorAgent/area/headless/widgets/comp1",
        "/supervisorAgent/area/panel/children/1/children/0",
    ];
    assert!(!diffs.is_empty());
    for d in &diffs {
        assert!(swapped.iter().any(|s| d == s || d.starts_with(&format!("{s}/"))), "unexpected difference at {d}");
    }
    for s in swapped {
        let comp = after.pointer(&format!("{s}/comp")).and_then(Value::as_str);
        assert!(matches!(comp, Some("wxcc-sfdc-adapter" | "wxcc-sfdc-actions")), "{s} is {comp:?}");
        assert_eq!(after.pointer(&format!("{s}/script")), Some(&Value::from(SCRIPT)));
        let was = before.pointer(&format!("{s}/comp")).and_then(Value::as_str);
        assert_eq!(was, Some("agentx-custom-desktop"), "{s} was the vendor connector");
    }
    // The tab keeps the vendor's wrapper (title and maximize area).
    assert_eq!(
        after.pointer("/agent/area/panel/children/1/children/0/wrapper"),
        before.pointer("/agent/area/panel/children/1/children/0/wrapper")
    );
    assert!(!after.to_string().contains("crmLibPath"));
}

#[test]
fn add_keeps_every_key_in_its_original_order() {
    let before = read_json(VENDOR_LAYOUT);
    let after: Value = serde_json::from_str(&add(VENDOR_LAYOUT, true)).expect("json out");
    let (mut a, mut b) = (Vec::new(), Vec::new());
    key_order(&before, "", &mut a);
    key_order(&after, "", &mut b);
    let outside = |p: &&String| !p.contains("/headless/widgets/comp1/") && !p.contains("/panel/children/1/children/0/");
    let a: Vec<&String> = a.iter().filter(outside).collect();
    let b: Vec<&String> = b.iter().filter(outside).collect();
    assert_eq!(a, b);
}

#[test]
fn add_twice_changes_nothing() {
    for panel in [true, false] {
        let once = add(VENDOR_LAYOUT, panel);
        let file = temp_file(&format!("once-{panel}.json"), &once);
        assert_eq!(add(&file, panel), once, "second run with panel={panel} changed the layout");
    }
    let once = add(SINGLE_ROLE, true);
    let file = temp_file("single-once.json", &once);
    assert_eq!(add(&file, true), once);
}

#[test]
fn add_result_passes_check_with_no_warnings() {
    // With the admin's real host (the placeholder host is a warning of its own).
    let added = add(VENDOR_LAYOUT, true).replace("https://widgets.example.com/", "https://widgets.acme.com/");
    let file = temp_file("added.json", &added);
    let (code, out, _) = run(&["layout", "check", &file]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": 0 error(s), 0 warning(s)"), "{out}");
    assert!(!out.contains("vendor"), "{out}");
}

#[test]
fn add_without_panel_removes_the_vendor_tab_and_adds_none() {
    let before = read_json(VENDOR_LAYOUT);
    let after: Value = serde_json::from_str(&add(VENDOR_LAYOUT, false)).expect("json out");
    let tabs = |v: &Value, role: &str| v[role]["area"]["panel"]["children"].as_array().map(Vec::len).unwrap_or(0);
    for role in ["agent", "supervisorAgent"] {
        assert_eq!(tabs(&after, role) + 2, tabs(&before, role), "{role}: the vendor's tab pair is gone");
        assert_eq!(after[role]["area"]["headless"]["widgets"]["comp1"]["comp"], "wxcc-sfdc-adapter");
    }
    assert_eq!(after["supervisor"], before["supervisor"]);
    let text = after.to_string();
    assert!(!text.contains("agentx-custom-desktop") && !text.contains("wxcc-sfdc-actions"), "{text}");
}

#[test]
fn add_on_a_single_role_layout_replaces_the_connector_in_place() {
    let before = read_json(SINGLE_ROLE);
    let after: Value = serde_json::from_str(&add(SINGLE_ROLE, true)).expect("json out");
    let mut diffs = Vec::new();
    tree_diff(&before, &after, "", &mut diffs);
    for d in &diffs {
        assert!(
            d.starts_with("/area/headless/widgets/crm") || d.starts_with("/area/panel/children/1/children/0"),
            "unexpected difference at {d}"
        );
    }
    let adapter = &after["area"]["headless"]["widgets"]["crm"];
    assert_eq!(adapter["comp"], "wxcc-sfdc-adapter");
    // The admin's real outdial ANI is carried over from the vendor connector.
    assert_eq!(adapter["attributes"]["outDialAni"], "+12125550100");
    assert_eq!(after["area"]["headless"]["widgets"]["recorder"], before["area"]["headless"]["widgets"]["recorder"]);
    assert_eq!(after["area"]["panel"]["children"][1]["children"][0]["wrapper"]["title"], "CRM");
}

#[test]
fn add_puts_a_new_tab_first_when_there_is_no_connector() {
    let layout = r#"{"version":"0.0.6","area":{"panel":{"comp":"md-tabs","children":[{"comp":"md-tab"},{"comp":"md-tab-panel"}]}}}"#;
    let file = temp_file("no-connector.json", layout);
    let after: Value = serde_json::from_str(&add(&file, true)).expect("json out");
    assert_eq!(after["area"]["panel"]["children"][0]["children"][0]["textContent"], "Salesforce Actions");
    assert_eq!(after["area"]["panel"]["children"][1]["children"][0]["comp"], "wxcc-sfdc-actions");
    assert_eq!(after["area"]["panel"]["children"].as_array().map(Vec::len), Some(4));
    assert_eq!(after["area"]["headless"]["widgets"]["wxcc-sfdc-adapter"]["comp"], "wxcc-sfdc-adapter");
}

#[test]
fn add_refuses_an_http_script_and_a_file_that_is_not_a_layout() {
    let (code, _, err) = run(&["layout", "add", "--script", "http://widgets.example.com/widget.js", VENDOR_LAYOUT]);
    assert_eq!(code, 1);
    assert!(err.contains("is not an absolute https URL"), "{err}");
    let file = temp_file("not-a-layout.json", "[1, 2]");
    let (code, out, err) = run(&["layout", "add", "--script", SCRIPT, &file]);
    assert_eq!(code, 1);
    assert!(out.is_empty() && err.contains("not a desktop layout"), "{err}");
}

#[test]
fn broken_layout_gives_located_problems() {
    let (code, out, _) = run(&["layout", "check", "--json", BROKEN]);
    assert_eq!(code, 1, "{out}");
    let issues: Vec<Value> = serde_json::from_str(&out).expect("json array");
    let found = |code: &str, path: &str| {
        issues
            .iter()
            .find(|i| i["code"] == code && i["path"] == path)
            .map(|i| (i["line"].clone(), i["severity"].clone()))
    };
    let expect = [
        ("version", "/agent/version", 3, "error"),
        ("duplicate-id", "/agent/area/headless/widgets/comp1", 13, "error"),
        ("two-connectors", "/agent/area/headless/widgets/comp2", 18, "error"),
        ("bad-script", "/agent/area/headless/widgets/comp2/script", 20, "error"),
        ("binding", "/agent/area/headless/widgets/comp2/attributes/outdialEntryPointId", 22, "warning"),
        ("binding", "/agent/area/headless/widgets/comp2/attributes/agentName", 23, "error"),
        ("adapter-attribute", "/agent/area/headless/widgets/comp2/attributes/debugg", 24, "warning"),
        ("unplaced-widget", "/agent/area/headless/layout/areas", 29, "warning"),
        ("unknown-widget-ref", "/agent/area/headless/layout/areas/0/1", 29, "error"),
        ("bad-element", "/agent/area/panel/children/0", 36, "error"),
        ("bad-attribute", "/agent/area/panel/children/1/attributes/config", 37, "warning"),
        ("unknown-key", "/agent/area/panel/children/1/wrapper/titel", 37, "warning"),
        ("unknown-area", "/agent/area/sidebar", 40, "warning"),
        ("binding", "/supervisorAgent/area/navigation/0/nav/label", 59, "error"),
        ("binding", "/supervisorAgent/area/navigation/0/page/widgets/w/properties/m", 60, "warning"),
        ("duplicate-id", "/supervisorAgent/area/navigation/1/page/id", 64, "error"),
    ];
    for (code, path, line, severity) in expect {
        assert_eq!(found(code, path), Some((Value::from(line), Value::from(severity))), "{code} at {path}: {out}");
    }
    assert_eq!(issues.len(), expect.len(), "{out}");
    let typo = issues.iter().find(|i| i["path"] == "/agent/area/headless/widgets/comp2/attributes/outdialEntryPointId");
    assert_eq!(
        typo.map(|i| i["hint"].clone()),
        Some(Value::from("did you mean `$STORE.agent.outDialEp`? (names are case-sensitive)"))
    );
}

#[test]
fn text_output_is_compiler_style_with_the_pointer_and_hint() {
    let (code, out, err) = run(&["layout", "check", BROKEN]);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("{BROKEN}:29:31: error: `comp3` is not a widget of this page [unknown-widget-ref]")),
        "{out}"
    );
    assert!(out.contains("  --> /agent/area/headless/layout/areas/0/1\n  = hint: did you mean `comp1`?"), "{out}");
    assert!(out.contains(&format!("{BROKEN}: 9 error(s), 7 warning(s)")), "{out}");
    assert!(err.contains("9 error(s) in the desktop layout"), "{err}");
}

#[test]
fn malformed_json_is_one_problem_with_its_line_and_column() {
    let file = temp_file("malformed.json", "{\n  \"agent\": {\n    \"version\": \"0.1.0\",\n  }\n}\n");
    let (code, out, _) = run(&["layout", "check", "--json", &file]);
    assert_eq!(code, 1);
    let issues: Vec<Value> = serde_json::from_str(&out).expect("json array");
    assert_eq!(issues.len(), 1, "{out}");
    assert_eq!(issues[0]["code"], "malformed-json");
    assert_eq!((issues[0]["line"].clone(), issues[0]["column"].clone()), (Value::from(4), Value::from(3)));
}

#[test]
fn single_role_and_role_based_shapes_must_not_be_mixed() {
    let file = temp_file("mixed.json", r#"{"version":"0.1.0","area":{},"agent":{"version":"0.1.0","area":{}}}"#);
    let (code, out, _) = run(&["layout", "check", &file]);
    assert_eq!(code, 1);
    assert!(out.contains("mixes the single-role shape"), "{out}");
}

#[test]
fn missing_roles_are_warnings_not_errors() {
    let file = temp_file("agent-only.json", r#"{"agent":{"version":"0.1.0","area":{}}}"#);
    let (code, out, _) = run(&["layout", "check", &file]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("the role `supervisor` is missing") && out.contains("the role `supervisorAgent` is missing"),
        "{out}"
    );
}

#[test]
fn unreadable_layout_exits_two() {
    let (code, _, err) = run(&["layout", "check", "no/such/layout.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read no/such/layout.json"), "{err}");
    let (code, _, _) = run(&["layout", "add", "--script", SCRIPT, "no/such/layout.json"]);
    assert_eq!(code, 2);
}

#[test]
fn shipped_call_center_definition_has_no_diagnostics() {
    let (code, out, _) = run(&["validate", "--json", "layouts/wxcc-sfdc-callcenter.xml"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(serde_json::from_str::<Value>(&out).expect("json"), Value::Array(Vec::new()));
    let (_, config, _) = run(&["config", "layouts/wxcc-sfdc-callcenter.xml"]);
    let config: Value = serde_json::from_str(&config).expect("config json");
    assert_eq!(config["general"]["adapter_url"], "https://desktop.wxcc-us1.cisco.com/");
}

#[test]
fn admin_guide_explains_every_diagnostic_code() {
    let guide =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/admin-guide.md")).expect("guide");
    let diag =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/config/diag.rs")).expect("diag");
    // The config codes, as `Code::X => "name",` in `Code::as_str`.
    let config_codes: Vec<&str> = diag
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Code::"))
        .filter_map(|l| l.split_once("=> \"").map(|(_, rest)| rest.trim_end_matches("\",")))
        .collect();
    assert!(config_codes.len() >= 27, "{config_codes:?}");
    let layout_codes = wxcc_sfdc_adapter::layout::IssueCode::ALL.iter().map(|c| c.as_str());
    for code in config_codes.into_iter().chain(layout_codes) {
        assert!(guide.contains(&format!("| `{code}` |")), "docs/admin-guide.md has no row for `{code}`");
    }
}

#[test]
fn layout_new_writes_our_layout_for_the_admins_host() {
    let (code, out, err) = run(&["layout", "new", "--script", "https://cdn.acme.com/wxcc-sfdc/0.1.0/widget.js"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("example.com"), "every placeholder is replaced");
    assert_eq!(
        out.matches("https://cdn.acme.com/wxcc-sfdc/0.1.0/widget.js").count(),
        4,
        "both elements in both calling roles"
    );
    let file = temp_file("new.json", &out);
    let (code, checked, _) = run(&["layout", "check", &file]);
    assert_eq!(code, 0, "{checked}");
    assert!(checked.contains(": 0 error(s), 0 warning(s)"), "ready to upload: {checked}");
    let (code, _, err) = run(&["layout", "new", "--script", "http://cdn.acme.com/widget.js"]);
    assert_ne!(code, 0);
    assert!(err.contains("not an absolute https URL"), "{err}");
}
