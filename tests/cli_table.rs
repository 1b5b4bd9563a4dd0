//! The shared CLI table (tests/cli/cases.json) against the native `wxcc-sfdc`; the npm
//! release's WebAssembly build runs the same table (tests/release/cli.test.mjs).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::process::Command;

fn texts(case: &Value, key: &str) -> Vec<String> {
    case[key].as_array().map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect()).unwrap_or_default()
}

#[test]
fn every_case_of_the_shared_cli_table_holds_natively() {
    let root = env!("CARGO_MANIFEST_DIR");
    let table: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/tests/cli/cases.json")).expect("table"))
            .expect("table JSON");
    let cases = table["cases"].as_array().expect("cases");
    assert!(cases.len() >= 15, "the table covers every command");
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let args: Vec<String> = texts(case, "args");
        let out = Command::new(env!("CARGO_BIN_EXE_wxcc-sfdc"))
            .args(&args)
            .current_dir(root)
            .output()
            .expect("run wxcc-sfdc");
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code().map(i64::from), case["exit"].as_i64(), "{name}: exit code\n{stdout}\n{stderr}");
        for want in texts(case, "stdout") {
            assert!(stdout.contains(&want), "{name}: stdout lacks {want:?}:\n{stdout}");
        }
        for want in texts(case, "stderr") {
            assert!(stderr.contains(&want), "{name}: stderr lacks {want:?}:\n{stderr}");
        }
    }
}
