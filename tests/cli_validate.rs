//! `wxcc-sfdc validate` and `config` as an admin runs them: output and exit codes.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

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

#[test]
fn clean_file_exits_zero() {
    let (code, out, _) = run(&["validate", "tests/fixtures/reference/cisco-legacy-callcenter-definition.xml"]);
    assert_eq!(code, 0);
    assert!(out.contains("0 error(s), 0 warning(s)"), "{out}");
}

#[test]
fn errors_exit_one_with_compiler_style_lines() {
    let (code, out, _) = run(&["validate", "tests/fixtures/config/not-boolean.xml"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("tests/fixtures/config/not-boolean.xml:4:5: error: `reqUseApi` must be true or false"),
        "{out}"
    );
    assert!(out.contains("= hint: write true or false"), "{out}");
}

#[test]
fn warnings_alone_exit_zero_and_json_is_an_array() {
    let (code, out, _) = run(&["validate", "--json", "tests/fixtures/config/unknown-item.xml"]);
    assert_eq!(code, 0);
    let parsed: serde_json::Value = serde_json::from_str(&out).expect("json");
    // The file also lacks reqInternalName and reqDisplayName (warnings, at its section).
    let items = parsed.as_array().expect("array");
    let first = items.iter().find(|d| d["code"] == "unknown-item").expect("the unknown item");
    for key in ["severity", "path", "line", "column", "message", "hint"] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    assert_eq!(first["hint"], "did you mean `reqAdapterUrl`?");
}

#[test]
fn unreadable_file_exits_two() {
    let (code, _, err) = run(&["validate", "no/such/file.xml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read no/such/file.xml"), "{err}");
}

#[test]
fn settings_map_json_is_accepted() {
    let dir = std::env::temp_dir().join(format!("wxcc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let file = dir.join("settings.json");
    std::fs::write(&file, r#"{"/reqGeneralInfo/reqSoftphoneHeight": "9000"}"#).expect("write");
    let (code, out, _) = run(&["validate", file.to_str().unwrap_or_default()]);
    assert_eq!(code, 1);
    assert!(out.contains("/reqGeneralInfo/reqSoftphoneHeight"), "{out}");
}

#[test]
fn config_prints_the_typed_configuration() {
    let (code, out, _) = run(&["config", "tests/fixtures/reference/cisco-legacy-callcenter-definition.xml"]);
    assert_eq!(code, 0);
    let parsed: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(parsed["activity"]["subject_template"], "{direction} Call {activityDatetime}");
    assert_eq!(parsed["screen_pop"]["ani_prefixes"], serde_json::json!(["+1", "+91"]));
}
