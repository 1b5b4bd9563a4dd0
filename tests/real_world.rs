//! Every public layout and call center definition in tests/fixtures/real-world/ (Cisco's,
//! Salesforce's and other vendors', with their sources) gives the outcome written beside it in
//! expected.tsv: the same error codes, or none. Real files found a defect each time we tried
//! them; this keeps them found.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use wxcc_sfdc_adapter::{config, layout};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real-world")
}

/// `file → column values` of a tab-separated table with a header row.
fn table(name: &str) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(dir().join(name)).expect("table");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t').map(String::from);
            (cols.next().unwrap_or_default(), cols.collect())
        })
        .collect()
}

/// The error codes a file gets, sorted, joined with commas (`-` for none).
fn outcome(file: &str, text: &str) -> String {
    let errors: BTreeSet<String> = if file.starts_with("definitions/") {
        config::from_xml(text)
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str().to_string())
            .collect()
    } else {
        layout::check(text).iter().filter(|i| i.is_error()).map(|i| i.code.as_str().to_string()).collect()
    };
    if errors.is_empty() {
        "-".into()
    } else {
        errors.into_iter().collect::<Vec<_>>().join(",")
    }
}

#[test]
fn every_real_file_gives_the_outcome_written_beside_it() {
    let expected = table("expected.tsv");
    let sources = table("sources.tsv");
    let mut files = Vec::new();
    for sub in ["definitions", "layouts"] {
        for entry in std::fs::read_dir(dir().join(sub)).expect("dir").flatten() {
            files.push(format!("{sub}/{}", entry.file_name().to_string_lossy()));
        }
    }
    files.sort();
    assert!(files.len() >= 40, "the corpus has {} files", files.len());
    let mut wrong = Vec::new();
    for file in &files {
        assert!(sources.contains_key(file), "{file} has no source in sources.tsv");
        let want =
            expected.get(file).and_then(|c| c.first()).unwrap_or_else(|| panic!("{file} has no row in expected.tsv"));
        let text = String::from_utf8_lossy(&std::fs::read(dir().join(file)).expect("read")).into_owned();
        let got = outcome(file, &text);
        if &got != want {
            wrong.push(format!("{file}: expected {want}, got {got}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} files differ:\n{}", wrong.len(), files.len(), wrong.join("\n"));
}

#[test]
fn no_layout_from_ciscos_repositories_has_an_element_or_script_error() {
    let sources = table("sources.tsv");
    for (file, cols) in sources.iter().filter(|(f, _)| f.starts_with("layouts/")) {
        let repository = cols.first().map(String::as_str).unwrap_or("");
        if !(repository.starts_with("CiscoDevNet/")
            || repository.starts_with("WebexSamples/")
            || repository.starts_with("webex/"))
        {
            continue;
        }
        let text = std::fs::read_to_string(dir().join(file)).expect("read");
        let bad: Vec<_> = layout::check(&text)
            .into_iter()
            .filter(|i| i.is_error() && matches!(i.code.as_str(), "bad-element" | "bad-script"))
            .collect();
        assert!(bad.is_empty(), "{file}: {bad:#?}");
    }
}

#[test]
fn every_metadata_api_sample_reads() {
    let sources = table("sources.tsv");
    let metadata: Vec<_> =
        sources.iter().filter(|(_, c)| c.get(3).map(String::as_str) == Some("definition-metadata")).collect();
    assert!(!metadata.is_empty());
    for (file, _) in metadata {
        let text = std::fs::read_to_string(dir().join(file)).expect("read");
        let loaded = config::from_xml(&text);
        let structural: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| {
                matches!(
                    d.code,
                    config::Code::MalformedXml | config::Code::MissingRequired | config::Code::UnexpectedElement
                )
            })
            .collect();
        assert!(structural.is_empty(), "{file}: {structural:#?}");
        assert!(!loaded.config.general.adapter_url.is_empty(), "{file}: the adapter URL is read");
    }
}
