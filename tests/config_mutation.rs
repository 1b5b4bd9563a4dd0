//! Random byte edits, truncations and duplications of the reference definition never crash the
//! loader: every case returns a config and diagnostics that point into the file.
#![cfg(not(target_arch = "wasm32"))]

use wxcc_sfdc_adapter::config::{self, Code};

const CASES: usize = 10_000;

fn mutate(rng: &mut fastrand::Rng, original: &[u8]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    let edits = rng.usize(1..4);
    for _ in 0..edits {
        let len = bytes.len().max(1);
        match rng.u8(0..5) {
            0 => {
                // Replace a byte, preferring the characters that matter to XML and JSON.
                let i = rng.usize(0..len);
                let pool = b"<>&;\"'/=!?[]{}:,\\ \n\r\t\x00\xff\xc3\xa9a1";
                if let (Some(b), Some(c)) = (bytes.get_mut(i), pool.get(rng.usize(0..pool.len()))) {
                    *b = *c;
                }
            }
            1 => bytes.truncate(rng.usize(0..len)),
            2 => {
                // Duplicate a slice somewhere else.
                let a = rng.usize(0..len);
                let b = (a + rng.usize(0..200)).min(bytes.len());
                let slice: Vec<u8> = bytes.get(a..b).map(<[u8]>::to_vec).unwrap_or_default();
                let at = rng.usize(0..=bytes.len());
                bytes.splice(at..at, slice);
            }
            3 => {
                let i = rng.usize(0..len);
                if i < bytes.len() {
                    bytes.remove(i);
                }
            }
            _ => {
                let i = rng.usize(0..=bytes.len());
                bytes.insert(i, rng.u8(..));
            }
        }
    }
    bytes
}

#[test]
fn ten_thousand_mutations_of_the_reference_never_panic() {
    let original = std::fs::read(format!(
        "{}/tests/fixtures/reference/cisco-legacy-callcenter-definition.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("reference file");
    let mut rng = fastrand::Rng::with_seed(0x5EED_2026);
    let mut with_diagnostics = 0;
    for case in 0..CASES {
        let bytes = mutate(&mut rng, &original);
        let text = String::from_utf8_lossy(&bytes);
        let loaded = config::from_xml(&text);
        let lines = text.lines().count() as u32 + 1;
        for d in &loaded.diagnostics {
            assert!(d.path.starts_with('/'), "case {case}: {d:?}");
            assert!(!d.message.is_empty(), "case {case}");
            if let Some(line) = d.line {
                assert!(line >= 1 && line <= lines, "case {case}: line {line} beyond {lines}: {d:?}");
            }
        }
        if !loaded.diagnostics.is_empty() {
            with_diagnostics += 1;
        }
        // A cut before the closing tag is always reported.
        if !text.contains("</callCenter>") {
            assert!(
                loaded.diagnostics.iter().any(|d| d.code == Code::MalformedXml),
                "case {case}: truncation unreported"
            );
        }
    }
    // Most mutations break something an admin must hear about.
    assert!(with_diagnostics > CASES / 2, "only {with_diagnostics} of {CASES} had diagnostics");
}

#[test]
fn random_settings_maps_never_panic() {
    let mut rng = fastrand::Rng::with_seed(7);
    let names: Vec<(&str, &str)> = config::known_item_names().collect();
    for _ in 0..2_000 {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for _ in 0..rng.usize(0..20) {
            let (section, item) = names.get(rng.usize(0..names.len())).copied().unwrap_or(("a", "b"));
            let value: String = (0..rng.usize(0..30)).map(|_| rng.char(..)).collect();
            let key =
                if rng.bool() { format!("/{section}/{item}{}", rng.u8(0..4)) } else { format!("/{section}/{item}") };
            pairs.push((key, value));
        }
        let loaded = config::from_settings(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert!(loaded.diagnostics.iter().all(|d| d.line.is_none()));
    }
}
