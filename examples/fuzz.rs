//! A structured fuzzer for the adapter's untrusted inputs, on stable Rust (no cargo-fuzz, no
//! nightly): per target, a generator builds inputs from the repository's own fixtures by
//! structure-aware mutation (elements, JSON trees, tokens) plus byte-level edits, a check feeds
//! them to the real entry points and asserts what the code documents, and a panic or a broken
//! invariant is caught, reported with its seed and case number, and saved for replay.
//!
//! ```text
//! cargo run --profile fuzz --example fuzz -- --help
//! ./scripts/fuzz 60     # every target for 60 s each, two at a time
//! ```
//!
//! There is no coverage instrumentation. Instead each check returns a coarse signature of what
//! the input made the code do (which diagnostics, which kind of result), and an input with a new
//! signature joins the corpus that later cases mutate. A run is deterministic for its seed: case
//! `n` is generated from the seed, `n` and the corpus built by cases before it, so a crash that
//! kills the process (a stack overflow, an abort) is found again with `--seed S --cases n+1`.

use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use wxcc_sfdc_adapter::config::{
    self, AdapterConfig, ChangeKind, Code, ConditionalRule, Diagnostic, FieldMapping, Resolved, Severity, ValueSource,
};
use wxcc_sfdc_adapter::desktop::{self, AgentState, ContactEventKind, DesktopError};
use wxcc_sfdc_adapter::engine::{AgentContext, Effect, Engine, Input, MemoryStore};
use wxcc_sfdc_adapter::phone;
use wxcc_sfdc_adapter::salesforce::{self, OpenCtiCall, OpenCtiErrorCode, OpenCtiResponse, ScreenPop};
use wxcc_sfdc_adapter::template::{DatePattern, PatternError, SubjectTemplate};

const USAGE: &str = "\
Structured fuzzer for the adapter's parsers (stable Rust; no cargo-fuzz, no nightly).

USAGE:
    cargo run --profile fuzz --example fuzz -- [OPTIONS] [TARGET...]

Runs each TARGET (default: all of them) in turn until its budget is spent, then prints one
line per target:
    fuzz <target>: <cases> cases in <seconds> s, <failures> failures
A failing case (a panic, an arithmetic overflow, a broken invariant, a case slower than 10 s)
is reported with its target, seed and case number, and its input is written to
target/fuzz-crashes/<target>-<seed>-<case>.bin. Exits 1 when a case failed, 2 on bad usage.

OPTIONS:
    --seconds N     time budget per target (default: 10, unless --cases is given)
    --cases N       case budget per target; with --seconds, whichever is spent first
    --seed N        seed of the generators (default: from the clock; printed at the start)
    --slow S        a case that takes longer than S seconds is a failure (default: 10)
    --replay FILE   run one saved input through its target once and report the result
    --target T      the target of --replay (default: the start of FILE's name)
    --list          print the targets and what each one feeds
    -h, --help      print this text

Use the `fuzz` profile (panics unwind and are caught; overflow checks and debug assertions
on). ./scripts/fuzz SECONDS runs every target, two processes at a time.
";

/// A case slower than this is a failure (a hang or a quadratic blow-up on hostile input);
/// `--slow` changes it. Cases slower than a tenth of it are mentioned on stderr.
const SLOW_CASE: Duration = Duration::from_secs(10);
/// Inputs kept beyond the seeds; a new one replaces a random old one when full.
const CORPUS_LIMIT: usize = 2_048;
/// Generated inputs are cut to this many bytes: ten times the largest real definition file.
/// (At 256 KB, `corrected_xml` takes seconds on thousands of broken items: it is
/// O(problems × items), which is fine for an admin's file.)
const MAX_INPUT: usize = 64 * 1024;
/// Distinct failures printed and saved per target; later ones are only counted.
const MAX_REPORTED: usize = 20;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("fuzz: {message}\n(run with --help for usage)");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Opts {
    seconds: Option<f64>,
    cases: Option<u64>,
    seed: Option<u64>,
    slow: Option<f64>,
    replay: Option<PathBuf>,
    target: Option<String>,
    list: bool,
    help: bool,
    targets: Vec<String>,
}

fn parse_opts(args: Vec<String>) -> Result<Opts, String> {
    let mut opts = Opts::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| inline.clone().or_else(|| args.next()).ok_or(format!("{name} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => opts.help = true,
            "--list" => opts.list = true,
            "--seconds" => {
                let v = value("--seconds")?;
                let s: f64 = v.parse().map_err(|_| format!("--seconds {v:?} is not a number"))?;
                if !(s.is_finite() && s >= 0.0) {
                    return Err(format!("--seconds {v:?} must be zero or more"));
                }
                opts.seconds = Some(s);
            }
            "--slow" => {
                let v = value("--slow")?;
                let s: f64 = v.parse().map_err(|_| format!("--slow {v:?} is not a number"))?;
                if !(s.is_finite() && s > 0.0) {
                    return Err(format!("--slow {v:?} must be more than zero"));
                }
                opts.slow = Some(s);
            }
            "--cases" => {
                let v = value("--cases")?;
                opts.cases = Some(v.parse().map_err(|_| format!("--cases {v:?} is not a whole number"))?);
            }
            "--seed" => {
                let v = value("--seed")?;
                let parsed = match v.strip_prefix("0x") {
                    Some(hex) => u64::from_str_radix(hex, 16),
                    None => v.parse(),
                };
                opts.seed = Some(parsed.map_err(|_| format!("--seed {v:?} is not a whole number"))?);
            }
            "--replay" => opts.replay = Some(PathBuf::from(value("--replay")?)),
            "--target" => opts.target = Some(value("--target")?),
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            _ => opts.targets.push(arg),
        }
    }
    Ok(opts)
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let opts = parse_opts(args)?;
    if opts.help {
        print!("{USAGE}\nTARGETS:\n");
        for t in TARGETS {
            println!("    {:<14}{}", t.name, t.about);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if opts.list {
        for t in TARGETS {
            println!("{:<14}{}", t.name, t.about);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(file) = &opts.replay {
        return replay(file, opts.target.as_deref());
    }
    let selected: Vec<&Target> = if opts.targets.is_empty() {
        TARGETS.iter().collect()
    } else {
        opts.targets.iter().map(|name| find_target(name)).collect::<Result<_, _>>()?
    };
    let seed = opts.seed.unwrap_or_else(clock_seed);
    let budget = Budget {
        time: match (opts.seconds, opts.cases) {
            (Some(s), _) => Some(Duration::from_secs_f64(s)),
            (None, Some(_)) => None,
            (None, None) => Some(Duration::from_secs(10)),
        },
        cases: opts.cases,
        slow: opts.slow.map_or(SLOW_CASE, Duration::from_secs_f64),
    };
    install_quiet_panic_hook();
    let mut failed = false;
    for target in selected {
        let outcome = fuzz(target, seed, &budget, root);
        println!(
            "fuzz {}: {} cases in {:.1} s, {} failures",
            target.name,
            outcome.cases,
            outcome.elapsed.as_secs_f64(),
            outcome.failures
        );
        failed |= outcome.failures > 0;
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn find_target(name: &str) -> Result<&'static Target, String> {
    TARGETS.iter().find(|t| t.name == name).ok_or_else(|| {
        let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
        format!("unknown target {name:?}; the targets are {}", names.join(", "))
    })
}

fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    // Short enough to type back in.
    (nanos as u64 ^ u64::from(std::process::id()).rotate_left(32)) % 1_000_000_000
}

// ---------------------------------------------------------------------------------------------
// The fuzzing loop
// ---------------------------------------------------------------------------------------------

/// One fuzz target: where its seeds come from, how it makes a case, and what it checks.
struct Target {
    name: &'static str,
    about: &'static str,
    seeds: fn(&Path) -> Vec<Vec<u8>>,
    generate: fn(&mut Gen<'_>) -> Vec<u8>,
    /// Ok: a coarse signature of what the input did (new signatures grow the corpus).
    check: fn(&[u8]) -> Result<u64, Failure>,
}

const TARGETS: &[Target] = &[
    Target {
        name: "config-xml",
        about: "call center definition XML: config::from_xml and config::corrected_xml",
        seeds: seeds_config_xml,
        generate: generate_config_xml,
        check: check_config_xml,
    },
    Target {
        name: "settings-map",
        about: "getCallCenterSettings map (JSON): from_settings_json, parse_call_center_settings, from_settings",
        seeds: seeds_settings_map,
        generate: generate_settings_map,
        check: check_settings_map,
    },
    Target {
        name: "mapping-json",
        about: "field-mapping item values (v1 JSON, v2 strings) from both sources, and their resolution",
        seeds: seeds_mapping_json,
        generate: generate_mapping_json,
        check: check_mapping_json,
    },
    Target {
        name: "desktop-event",
        about: "Desktop SDK event JSON: desktop::parse_event, AgentState, then an Engine driven by it",
        seeds: seeds_desktop_event,
        generate: generate_desktop_event,
        check: check_desktop_event,
    },
    Target {
        name: "date-pattern",
        about: "SubjectDateFormat patterns (DatePattern) and subject templates, parsed and rendered",
        seeds: seeds_date_pattern,
        generate: generate_date_pattern,
        check: check_date_pattern,
    },
    Target {
        name: "phone",
        about: "phone numbers and prefix lists: strip_prefix, search_candidates, dial_digits, …",
        seeds: seeds_phone,
        generate: generate_phone,
        check: check_phone,
    },
];

/// A broken invariant: which one, and the particulars.
#[derive(Debug)]
struct Failure {
    invariant: &'static str,
    detail: String,
}

/// Fails the check with `invariant` and a formatted detail unless `cond` holds.
macro_rules! ensure {
    ($cond:expr, $invariant:expr, $($detail:tt)+) => {
        if !$cond {
            return Err(Failure { invariant: $invariant, detail: format!($($detail)+) });
        }
    };
}

struct Budget {
    time: Option<Duration>,
    cases: Option<u64>,
    slow: Duration,
}

struct Outcome {
    cases: u64,
    elapsed: Duration,
    failures: u64,
}

/// Generator state for one case: its random numbers and the corpus to mutate.
struct Gen<'a> {
    rng: fastrand::Rng,
    corpus: &'a [Vec<u8>],
}

fn fuzz(target: &Target, seed: u64, budget: &Budget, root: &Path) -> Outcome {
    let mut corpus = (target.seeds)(root);
    let fixed = corpus.len();
    eprintln!("fuzz {}: seed {seed}, {fixed} seed inputs", target.name);
    let mut signatures: HashSet<u64> = HashSet::new();
    let mut reported: HashMap<String, u64> = HashMap::new();
    let mut failures = 0u64;
    let started = Instant::now();
    let mut next_progress = Duration::from_secs(60);
    let mut case = 0u64;
    let mut corpus_rng = fastrand::Rng::with_seed(seed ^ 0xC0_4B05);
    loop {
        let elapsed = started.elapsed();
        if budget.cases.is_some_and(|n| case >= n) || budget.time.is_some_and(|t| elapsed >= t) {
            break;
        }
        if elapsed >= next_progress {
            eprintln!("fuzz {}: {case} cases, {:.0} s, corpus {}", target.name, elapsed.as_secs_f64(), corpus.len());
            next_progress += Duration::from_secs(60);
        }
        // The seeds themselves first, then generated cases.
        let input = match usize::try_from(case).ok().and_then(|i| corpus.get(i)).filter(|_| case < fixed as u64) {
            Some(seed_input) => seed_input.clone(),
            None => {
                let mut g = Gen { rng: fastrand::Rng::with_seed(case_seed(seed, case)), corpus: &corpus };
                let mut bytes = (target.generate)(&mut g);
                bytes.truncate(MAX_INPUT);
                bytes
            }
        };
        let check_started = Instant::now();
        let result = run_check(target, &input);
        let took = check_started.elapsed();
        if took > budget.slow / 10 {
            eprintln!("fuzz {}: case {case} took {:.1} s ({} bytes)", target.name, took.as_secs_f64(), input.len());
        }
        let result = match result {
            Ok(_) if took > budget.slow => Err(("slow-case".to_string(), format!("took {:.1} s", took.as_secs_f64()))),
            other => other,
        };
        match result {
            Ok(signature) => {
                if signatures.insert(signature) && case >= fixed as u64 {
                    if corpus.len() < fixed + CORPUS_LIMIT {
                        corpus.push(input);
                    } else if let Some(slot) = corpus.get_mut(corpus_rng.usize(fixed..fixed + CORPUS_LIMIT)) {
                        *slot = input;
                    }
                }
            }
            Err((key, detail)) => {
                failures += 1;
                let seen = reported.entry(key.clone()).or_insert(0);
                *seen += 1;
                if *seen == 1 && reported.len() <= MAX_REPORTED {
                    report(target.name, seed, case, &input, &key, &detail, root);
                }
            }
        }
        case += 1;
    }
    if failures > 0 {
        eprintln!("fuzz {}: {failures} failing cases, by kind:", target.name);
        for (key, count) in &reported {
            eprintln!("  {count:>8}  {key}");
        }
    }
    Outcome { cases: case, elapsed: started.elapsed(), failures }
}

fn case_seed(seed: u64, case: u64) -> u64 {
    let mut h = DefaultHasher::new();
    (seed, case).hash(&mut h);
    h.finish()
}

/// Runs the check with panics caught: `Err((kind, detail))` on a panic or a broken invariant.
fn run_check(target: &Target, input: &[u8]) -> Result<u64, (String, String)> {
    LAST_PANIC.with(|p| p.borrow_mut().take());
    match panic::catch_unwind(AssertUnwindSafe(|| (target.check)(input))) {
        Ok(Ok(signature)) => Ok(signature),
        Ok(Err(f)) => Err((format!("invariant: {}", f.invariant), f.detail)),
        Err(payload) => {
            let (location, message) = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| ("?".to_string(), panic_message(payload.as_ref())));
            Err((format!("panic at {location}"), message))
        }
    }
}

fn report(target: &str, seed: u64, case: u64, input: &[u8], kind: &str, detail: &str, root: &Path) {
    let dir = root.join("target").join("fuzz-crashes");
    let file = dir.join(format!("{target}-{seed}-{case}.bin"));
    let saved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, input));
    eprintln!("\nfuzz FAILURE: target {target}, seed {seed}, case {case}: {kind}");
    eprintln!("  {}", shorten(detail, 2_000).replace('\n', "\n  "));
    match saved {
        Ok(()) => eprintln!(
            "  input ({} bytes): {}\n  replay: cargo run --profile fuzz --example fuzz -- --replay {} --target {target}\n",
            input.len(),
            file.display(),
            file.display()
        ),
        Err(err) => eprintln!("  could not save the input to {}: {err}\n", file.display()),
    }
}

fn replay(file: &Path, target: Option<&str>) -> Result<ExitCode, String> {
    let name = match target {
        Some(t) => t.to_string(),
        None => {
            let stem = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            TARGETS
                .iter()
                .map(|t| t.name)
                .find(|n| stem.starts_with(&format!("{n}-")))
                .ok_or_else(|| format!("--target is needed: {} does not start with a target name", file.display()))?
                .to_string()
        }
    };
    let target = find_target(&name)?;
    let input = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    install_quiet_panic_hook();
    let started = Instant::now();
    let result = run_check(target, &input);
    let took = started.elapsed().as_secs_f64();
    match result {
        Ok(signature) => {
            println!("fuzz replay {name}: ok in {took:.3} s (signature {signature:016x}), {} bytes", input.len());
            Ok(ExitCode::SUCCESS)
        }
        Err((kind, detail)) => {
            println!("fuzz replay {name}: FAILED in {took:.3} s: {kind}\n  {}", detail.replace('\n', "\n  "));
            Ok(ExitCode::from(1))
        }
    }
}

thread_local! {
    /// `(location, message)` of the last panic on this thread, kept by the quiet hook.
    static LAST_PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Panics are expected (and caught) while fuzzing: keep their message for the report instead
/// of printing every one.
fn install_quiet_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        let message = panic_message(info.payload());
        LAST_PANIC.with(|p| *p.borrow_mut() = Some((location.unwrap_or_else(|| "?".into()), message)));
    }));
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_string())
}

fn shorten(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        format!("{}… ({} chars in all)", s.chars().take(max_chars).collect::<String>(), s.chars().count())
    }
}

/// `{:?}` of a value, cut to a readable length.
fn dbg_short(v: &impl std::fmt::Debug) -> String {
    shorten(&format!("{v:?}"), 300)
}

fn hash_of(v: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

// ---------------------------------------------------------------------------------------------
// Generator helpers shared by the targets
// ---------------------------------------------------------------------------------------------

/// Strings that are hard on a parser, a search or a log.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{feff}",
    "\u{200b}",
    "\u{200e}",
    "\u{202e}",
    "\u{202d}evil\u{202c}",
    "\u{2066}x\u{2069}",
    "\u{2028}",
    "\u{fffd}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{10ffff}",
    "😀",
    "👩‍👩‍👧‍👦",
    "e\u{301}\u{301}\u{301}",
    "ß",
    "İı",
    "ﬁ",
    "Å",
    "مرحبا",
    "日本語",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "١٢٣٤٥٦٧",
    "１２３",
    "true",
    "TRUE",
    "false",
    " yes ",
    "on",
    "1",
    "0",
    "-1",
    "+1",
    "4294967295",
    "4294967296",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "1e308",
    "-0",
    "0.5",
    "NaN",
    "Infinity",
    "0x10",
    "1_000",
    "null",
    "[]",
    "{}",
    "[{}]",
    "\"",
    "'",
    "\\",
    "\\u0000",
    "<",
    ">",
    "&",
    "&amp;",
    "&#10;",
    "]]>",
    "<![CDATA[",
    "-->",
    "<!--",
    "{direction}",
    "{",
    "}",
    "{{ani}}",
    "*",
    "?",
    "%s%n",
    "${jndi:x}",
    "../../etc/passwd",
    "https://",
    "http://desktop.wxcc-us1.cisco.com/",
    "https://desktop.wxcc-us1.cisco.com/",
    "https://desktop.wxcc-eu3.cisco.com:443/x?y#z",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE Contact;--",
    "FIND {x} IN ALL FIELDS RETURNING Contact",
    "a+b (c) -d",
    "*?{}[]()^~:\\\"'+-&|!",
    "+1 (212) 555-0101 x12",
    "2125550101",
    "+919876543210",
    "MM-dd-yyyy hh:mm a",
    "YYYY-MM-DD [at] HH:mm",
    "My_Object__c",
    "Contact",
];

/// Characters that are hard on text handling, for insertion anywhere.
const HOSTILE_CHARS: &[char] = &[
    '\u{0}',
    '\u{9}',
    '\u{a}',
    '\u{d}',
    '\u{1f}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    '\u{ad}',
    '\u{200b}',
    '\u{200d}',
    '\u{200e}',
    '\u{200f}',
    '\u{202a}',
    '\u{202e}',
    '\u{2066}',
    '\u{2069}',
    '\u{2028}',
    '\u{feff}',
    '\u{fffd}',
    '\u{ffff}',
    '\u{10ffff}',
    '\u{1f4de}',
    '\u{301}',
    'é',
    'İ',
    'ß',
    '٣',
    '߀',
    '&',
    '<',
    '>',
    '"',
    '\'',
    '\\',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '=',
    '/',
    '+',
    '-',
    '*',
    '#',
    ';',
    'x',
];

impl Gen<'_> {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.usize(..items.len())]
    }

    /// A random corpus entry (empty when there is none).
    fn base(&mut self) -> Vec<u8> {
        if self.corpus.is_empty() {
            return Vec::new();
        }
        self.corpus[self.rng.usize(..self.corpus.len())].clone()
    }

    fn base_text(&mut self) -> String {
        String::from_utf8_lossy(&self.base()).into_owned()
    }

    fn hostile(&mut self) -> String {
        match self.rng.u8(..12) {
            0 => self.long_string(),
            1 => (0..self.rng.usize(1..12)).map(|_| self.pick(HOSTILE_CHARS)).collect(),
            2 => (0..self.rng.usize(1..24)).map(|_| self.rng.char(..)).collect(),
            3 => format!("{}{}", self.pick(HOSTILE), self.pick(HOSTILE)),
            4 => self.number_text(),
            _ => self.pick(HOSTILE).to_string(),
        }
    }

    fn long_string(&mut self) -> String {
        let unit = match self.rng.u8(..5) {
            0 => "x".to_string(),
            1 => self.pick(HOSTILE).to_string(),
            2 => "9".to_string(),
            3 => "é😀".to_string(),
            _ => self.pick(HOSTILE_CHARS).to_string(),
        };
        let count = match self.rng.u8(..4) {
            0 => self.rng.usize(60..100),
            1 => self.rng.usize(200..300),
            2 => self.rng.usize(1_000..5_000),
            _ => self.rng.usize(10_000..70_000),
        };
        unit.repeat(count.min(MAX_INPUT / unit.len().max(1)))
    }

    fn number_text(&mut self) -> String {
        match self.rng.u8(..8) {
            0 => self.rng.u64(..).to_string(),
            1 => self.rng.i64(..).to_string(),
            2 => "9".repeat(self.rng.usize(10..400)),
            3 => format!("-{}", self.rng.u32(..)),
            4 => format!("{}e{}", self.rng.u8(..), self.rng.i16(..)),
            5 => format!("{}.{}", self.rng.u16(..), self.rng.u16(..)),
            6 => {
                self.pick(&["0", "00", "-0", "+5", " 7 ", "240", "2560", "2561", "600000", "600001", "1e3"]).to_string()
            }
            _ => self.rng.u32(..3000).to_string(),
        }
    }

    /// A random char boundary of `text`.
    fn boundary(&mut self, text: &str) -> usize {
        floor_char(text, self.rng.usize(..=text.len()))
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte-level edits: the mutations a coverage-guided fuzzer would make, biased towards the
/// bytes and tokens that matter to `dict`'s format.
fn mutate_bytes(g: &mut Gen<'_>, data: &mut Vec<u8>, dict: &[&str]) {
    let edits = 1 + g.rng.usize(..4);
    for _ in 0..edits {
        let len = data.len();
        match g.rng.u8(..12) {
            0 if len > 0 => {
                let i = g.rng.usize(..len);
                data[i] ^= 1 << g.rng.u8(..8);
            }
            1 if len > 0 => {
                let i = g.rng.usize(..len);
                data[i] = g.pick(b"<>&;\"'/=!?[]{}:,\\ \n\r\t\x00\xff\xc3\xa9\x80a1-#");
            }
            2 => {
                let token = g.pick(dict).as_bytes().to_vec();
                let at = g.rng.usize(..=len);
                data.splice(at..at, token);
            }
            3 if len > 0 => {
                let start = g.rng.usize(..len);
                let end = (start + 1 + g.rng.usize(..64)).min(len);
                data.drain(start..end);
            }
            4 if len > 0 => {
                let start = g.rng.usize(..len);
                let end = (start + 1 + g.rng.usize(..256)).min(len);
                let chunk = data[start..end].to_vec();
                let at = g.rng.usize(..=len);
                data.splice(at..at, chunk);
            }
            5 if len > 0 => data.truncate(g.rng.usize(..len)),
            6 => {
                // Splice in a piece of another input.
                let other = g.base();
                if !other.is_empty() {
                    let start = g.rng.usize(..other.len());
                    let end = (start + 1 + g.rng.usize(..512)).min(other.len());
                    let at = g.rng.usize(..=len);
                    let cut = (at + g.rng.usize(..64)).min(len);
                    data.splice(at..cut, other[start..end].iter().copied());
                }
            }
            7 => {
                let mut buf = [0u8; 4];
                let c = g.pick(HOSTILE_CHARS);
                let at = g.rng.usize(..=len);
                data.splice(at..at, c.encode_utf8(&mut buf).bytes());
            }
            8 if len > 0 => {
                // Repeat a small piece many times: long names, long values, deep nesting.
                let start = g.rng.usize(..len);
                let end = (start + 1 + g.rng.usize(..16)).min(len);
                let times = g.pick(&[2usize, 10, 100, 1_000, 10_000]);
                let chunk = data[start..end].repeat(times);
                data.splice(start..start, chunk);
            }
            9 => {
                // Replace a run of digits by another number.
                if let Some(start) =
                    (0..8).map(|_| g.rng.usize(..=len)).find(|&i| data.get(i).is_some_and(u8::is_ascii_digit))
                {
                    let end = start + data[start..].iter().take_while(|b| b.is_ascii_digit()).count();
                    let number = g.number_text().into_bytes();
                    data.splice(start..end, number);
                }
            }
            10 => {
                let text = g.hostile().into_bytes();
                let at = g.rng.usize(..=len);
                data.splice(at..at, text);
            }
            _ => {
                let at = g.rng.usize(..=len);
                data.insert(at, g.rng.u8(..));
            }
        }
        data.truncate(MAX_INPUT);
    }
}

/// Files under `dir` (relative to the repository) whose names end with `suffix`, sorted.
fn files(root: &Path, dir: &str, suffix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.to_str().is_some_and(|s| s.ends_with(suffix)) && p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn read_all(paths: &[PathBuf]) -> Vec<Vec<u8>> {
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// The scenario files' JSON (tests/scenarios), for seeds.
fn scenarios(root: &Path) -> Vec<Value> {
    files(root, "tests/scenarios", ".json")
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|t| serde_json::from_str(&t).ok())
        .collect()
}

/// Checks every diagnostic of a source with lines (the XML file) against `text`: the path is
/// an item path, the message is not empty, and line and column (when given) lie inside the
/// text, as `pos_at` counts them (1-based, columns in characters; the end of the text counts).
fn check_positions(text: &str, diagnostics: &[Diagnostic]) -> Result<(), Failure> {
    // The reader skips leading BOMs: positions count from after them.
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<usize> = text.split('\n').map(|l| l.chars().count()).collect();
    for d in diagnostics {
        ensure!(d.path.starts_with('/'), "diagnostic-path", "path {:?} of {}", d.path, dbg_short(d));
        ensure!(!d.message.trim().is_empty(), "diagnostic-message", "empty message: {}", dbg_short(d));
        ensure!(d.line.is_some() == d.column.is_some(), "diagnostic-position", "line without column: {}", dbg_short(d));
        if let (Some(line), Some(column)) = (d.line, d.column) {
            let line_len = usize::try_from(line).ok().and_then(|l| l.checked_sub(1)).and_then(|i| lines.get(i));
            ensure!(
                line_len.is_some(),
                "diagnostic-inside-input",
                "line {line} of a text with {} lines: {}",
                lines.len(),
                dbg_short(d)
            );
            let line_len = line_len.copied().unwrap_or(0);
            ensure!(
                column >= 1 && usize::try_from(column).is_ok_and(|c| c <= line_len + 1),
                "diagnostic-inside-input",
                "column {column} of line {line}, which has {line_len} characters: {}",
                dbg_short(d)
            );
        }
    }
    Ok(())
}

/// Diagnostics of the settings map: the map has no lines, so no position, and item paths.
fn check_unpositioned(diagnostics: &[Diagnostic], skip_first_json_error: bool) -> Result<(), Failure> {
    for (i, d) in diagnostics.iter().enumerate() {
        ensure!(!d.message.trim().is_empty(), "diagnostic-message", "empty message: {}", dbg_short(d));
        ensure!(d.path.starts_with('/'), "diagnostic-path", "path {:?} of {}", d.path, dbg_short(d));
        if i == 0 && skip_first_json_error && d.code == Code::MalformedSettings {
            continue;
        }
        ensure!(d.line.is_none() && d.column.is_none(), "settings-without-position", "{}", dbg_short(d));
    }
    Ok(())
}

/// The loaded configuration survives a JSON round trip (the CLI prints it, the studio reads it).
fn check_config_round_trip(c: &AdapterConfig) -> Result<(), Failure> {
    let text =
        serde_json::to_string(c).map_err(|e| Failure { invariant: "config-serialises", detail: e.to_string() })?;
    let back: Result<AdapterConfig, _> = serde_json::from_str(&text);
    ensure!(
        back.as_ref().ok() == Some(c),
        "config-round-trip",
        "{} after a round trip through {}",
        dbg_short(&back.map_err(|e| e.to_string())),
        shorten(&text, 300)
    );
    Ok(())
}

fn diagnostic_signature(diagnostics: &[Diagnostic]) -> BTreeSet<(&'static str, Severity)> {
    diagnostics.iter().map(|d| (d.code.as_str(), d.severity)).collect()
}

// ---------------------------------------------------------------------------------------------
// config-xml
// ---------------------------------------------------------------------------------------------

const XML_TOKENS: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "<item name=\"x\">",
    "</item>",
    "<section name=\"reqGeneralInfo\">",
    "</section>",
    "<callCenter>",
    "</callCenter>",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE callCenter [<!ENTITY e \"boom\">]>",
    "&amp;",
    "&lt;",
    "&#10;",
    "&#x0;",
    "&#xD800;",
    "&#1114112;",
    "&#99999999999999999999;",
    "&e;",
    "&",
    "&#;",
    "&#x;",
    "=\"",
    "\"",
    "'",
    " name=",
    " sortOrder=\"0\"",
    "xmlns:x=\"u\"",
    "x:",
    "\u{feff}",
    "\r\n",
];

fn seeds_config_xml(root: &Path) -> Vec<Vec<u8>> {
    let mut paths = files(root, "tests/fixtures/reference", ".xml");
    paths.extend(files(root, "tests/fixtures/config", ".xml"));
    // (tests/fixtures/reference holds the vendor's reference definitions.)
    paths.extend(files(root, "layouts", ".xml"));
    read_all(&paths)
}

/// Byte ranges of `<tag …>…</tag>` and `<tag …/>` elements (not nesting-aware: good enough to
/// pick things to copy, move and remove).
fn element_spans(text: &str, tag: &str) -> Vec<Range<usize>> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|rest| rest.find(&open)) {
        let start = from + i;
        let after = start + open.len();
        let rest = text.get(after..).unwrap_or("");
        if !rest.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
            from = after;
            continue;
        }
        let Some(tag_end) = rest.find('>').map(|j| after + j + 1) else { break };
        let end = if text.get(..tag_end).is_some_and(|t| t.ends_with("/>")) {
            tag_end
        } else {
            text.get(tag_end..).and_then(|r| r.find(&close)).map_or(text.len(), |j| tag_end + j + close.len())
        };
        out.push(start..end);
        from = tag_end;
    }
    out
}

/// The value range inside an item span (between its start tag and `</item>`).
fn item_value(text: &str, span: &Range<usize>) -> Option<Range<usize>> {
    let body = text.get(span.clone())?;
    let start = span.start + body.find('>')? + 1;
    let end = span.start + body.rfind("</item>")?;
    (start <= end).then_some(start..end)
}

/// The range of the value of attribute `name` in the start tag at `span.start`.
fn attribute_value(text: &str, span: &Range<usize>, name: &str) -> Option<Range<usize>> {
    let body = text.get(span.clone())?;
    let tag = body.get(..body.find('>')?)?;
    let key = format!("{name}=\"");
    let at = tag.find(&key)? + key.len();
    let len = tag.get(at..)?.find('"')?;
    Some(span.start + at..span.start + at + len)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A value for an item: typed for what the item holds, or hostile.
fn item_value_for(g: &mut Gen<'_>, name: &str) -> String {
    if g.chance(0.3) {
        return g.hostile();
    }
    let lower = name.to_ascii_lowercase();
    if lower.contains("mapping") {
        mapping_value(g)
    } else if lower.contains("url") {
        g.pick(&[
            "https://desktop.wxcc-us1.cisco.com/",
            "https://desktop.wxcc-eu2.cisco.com",
            "https://desktop.wxcc-us2.cisco.com/",
            "http://desktop.wxcc-us1.cisco.com/",
            "https://",
            "https:///x",
            "https://:443",
            "https://DESKTOP.WXCC-US1.CISCO.COM/?x#y",
            "ftp://x",
        ])
        .to_string()
    } else if lower.contains("height") || lower.contains("width") || lower.contains("timeout") {
        g.number_text()
    } else if lower.contains("dateformat") {
        date_pattern_text(g)
    } else if lower.contains("template") {
        template_text(g)
    } else if lower.contains("prefix") {
        prefix_text(g)
    } else if lower.starts_with("is") || lower.contains("enable") || lower.starts_with("req") {
        g.pick(&["true", "false", "TRUE", " false ", "yes", "ture", "flase", "1", "", "on", "maybe"]).to_string()
    } else {
        g.pick(HOSTILE).to_string()
    }
}

fn mutate_name(g: &mut Gen<'_>, name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    match g.rng.u8(..9) {
        0 => {
            let known: Vec<(&str, &str)> = config::known_item_names().collect();
            g.pick(&known).1.to_string()
        }
        1 => {
            let known: Vec<(&str, &str)> = config::known_item_names().collect();
            g.pick(&known).0.to_string()
        }
        2 if !chars.is_empty() => {
            chars.remove(g.rng.usize(..chars.len()));
            chars.into_iter().collect()
        }
        3 => {
            let at = g.rng.usize(..=chars.len());
            chars.insert(at, g.rng.alphabetic());
            chars.into_iter().collect()
        }
        4 if chars.len() > 1 => {
            let i = g.rng.usize(..chars.len() - 1);
            chars.swap(i, i + 1);
            chars.into_iter().collect()
        }
        5 => format!("{}{}", name.trim_end_matches(|c: char| c.is_ascii_digit()), g.number_text()),
        6 => name.to_ascii_lowercase(),
        7 => format!("{name}{}", g.pick(HOSTILE_CHARS)),
        _ => g.hostile(),
    }
}

fn mutate_xml(g: &mut Gen<'_>, text: &mut String) {
    let items = element_spans(text, "item");
    let sections = element_spans(text, "section");
    let pick_span = |g: &mut Gen<'_>, spans: &[Range<usize>]| -> Option<Range<usize>> {
        (!spans.is_empty()).then(|| spans[g.rng.usize(..spans.len())].clone())
    };
    match g.rng.u8(..17) {
        0 => {
            // Duplicate an item, next to itself or elsewhere.
            if let Some(span) = pick_span(g, &items) {
                let copy = text.get(span.clone()).unwrap_or("").to_string();
                let at = pick_span(g, &items).map_or(span.end, |s| if g.chance(0.5) { s.start } else { s.end });
                text.insert_str(at, &copy);
            }
        }
        1 => {
            if let Some(span) = pick_span(g, &items) {
                text.replace_range(span, "");
            }
        }
        2 => {
            // An item (or section) from another file.
            let other = g.base_text();
            let tag = if g.chance(0.8) { "item" } else { "section" };
            let spans = element_spans(&other, tag);
            if let (Some(from), Some(to)) = (pick_span(g, &spans), pick_span(g, &items)) {
                let piece = other.get(from).unwrap_or("").to_string();
                let at = if g.chance(0.5) { to.start } else { to.end };
                if g.chance(0.3) {
                    text.replace_range(to, &piece);
                } else {
                    text.insert_str(at, &piece);
                }
            }
        }
        3 | 4 => {
            // A new value, typed for the item or hostile, escaped or raw.
            if let Some(span) = pick_span(g, &items) {
                let name = attribute_value(text, &span, "name").and_then(|r| text.get(r)).unwrap_or("").to_string();
                if let Some(value) = item_value(text, &span) {
                    let v = item_value_for(g, &name);
                    let v = if g.chance(0.8) { xml_escape(&v) } else { v };
                    text.replace_range(value, &v);
                }
            }
        }
        5 => {
            if let Some(span) = pick_span(g, &items) {
                if let Some(r) = attribute_value(text, &span, "name") {
                    let name = mutate_name(g, text.get(r.clone()).unwrap_or(""));
                    text.replace_range(r, &xml_escape(&name));
                }
            }
        }
        6 => {
            if let Some(span) = pick_span(g, &sections) {
                if let Some(r) = attribute_value(text, &span, "name") {
                    let name = mutate_name(g, text.get(r.clone()).unwrap_or(""));
                    text.replace_range(r, &xml_escape(&name));
                }
            }
        }
        7 => {
            // A value in CDATA (sometimes holding `]]>` or markup).
            if let Some(value) = pick_span(g, &items).and_then(|s| item_value(text, &s)) {
                let inner = text.get(value.clone()).unwrap_or("").to_string();
                let extra = g.pick(&["", "]]>", "<item name=\"x\">", "&amp;", "\n"]);
                text.replace_range(value, &format!("<![CDATA[{inner}{extra}]]>"));
            }
        }
        8 => {
            // Markup inside a value: nested items, unknown elements, deep nesting.
            if let Some(value) = pick_span(g, &items).and_then(|s| item_value(text, &s)) {
                let at = value.start + floor_char(text.get(value.clone()).unwrap_or(""), g.rng.usize(..=value.len()));
                let depth = g.pick(&[1usize, 2, 10, 100, 1_000, 20_000]);
                let el = g.pick(&["item", "section", "b", "callCenter", "x:item"]);
                let closing = if g.chance(0.8) { format!("</{el}>").repeat(depth) } else { String::new() };
                text.insert_str(at, &format!("{}v{closing}", format!("<{el} name=\"n\">").repeat(depth)));
            }
        }
        9 => {
            // Entity and character references anywhere, or inside a value.
            let r = g.pick(&[
                "&amp;",
                "&lt;",
                "&gt;",
                "&quot;",
                "&apos;",
                "&#10;",
                "&#13;",
                "&#x0;",
                "&#0;",
                "&#xD800;",
                "&#xDFFF;",
                "&#x10FFFF;",
                "&#x110000;",
                "&#1114112;",
                "&#99999999999999999999;",
                "&#-1;",
                "&#x;",
                "&#;",
                "&;",
                "&e;",
                "&nbsp;",
                "&amp",
                "&#x41",
                "&#X41;",
                "&#65;",
                "&#x202E;",
                "&#xFEFF;",
                "&#12;",
            ]);
            let at = match pick_span(g, &items).and_then(|s| item_value(text, &s)) {
                Some(v) if g.chance(0.8) => {
                    v.start + floor_char(text.get(v.clone()).unwrap_or(""), g.rng.usize(..=v.len()))
                }
                _ => g.boundary(text),
            };
            let times = g.pick(&[1usize, 1, 2, 5, 50]);
            text.insert_str(at, &r.repeat(times));
        }
        10 => {
            // Start tag trouble: extra, duplicate, unquoted or namespaced attributes.
            if let Some(span) = pick_span(g, &items).or_else(|| pick_span(g, &sections)) {
                let tag_end = text.get(span.clone()).and_then(|b| b.find('>')).map(|i| span.start + i);
                if let Some(at) = tag_end {
                    let at = if text.get(..at).is_some_and(|t| t.ends_with('/')) { at - 1 } else { at };
                    let attr = g.pick(&[
                        " name=\"dup\"",
                        " name=dup",
                        " name='single'",
                        " name=\"\"",
                        " name=\" \"",
                        " label=\"&e;\"",
                        " x:name=\"ns\"",
                        " name=\"a\" name=\"b\"",
                        " =\"x\"",
                        " name",
                        " \"",
                        " name=\"&#x202E;rtl\"",
                        " name=\"&lt;&gt;\"",
                    ]);
                    text.insert_str(at, attr);
                }
            }
        }
        11 => {
            // Numbered items: gaps, huge and repeated numbers.
            if let Some(span) = pick_span(g, &items) {
                if let Some(r) = attribute_value(text, &span, "name") {
                    let base =
                        text.get(r.clone()).unwrap_or("").trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
                    let n =
                        g.pick(&["0", "1", "2", "7", "10", "4294967295", "4294967296", "99999999999999999999", "01"]);
                    text.replace_range(r, &format!("{base}{n}"));
                }
            }
        }
        12 => {
            // Swap two values.
            let a = pick_span(g, &items).and_then(|s| item_value(text, &s));
            let b = pick_span(g, &items).and_then(|s| item_value(text, &s));
            if let (Some(a), Some(b)) = (a, b) {
                if a.end <= b.start {
                    let (va, vb) =
                        (text.get(a.clone()).unwrap_or("").to_string(), text.get(b.clone()).unwrap_or("").to_string());
                    text.replace_range(b, &va);
                    text.replace_range(a, &vb);
                }
            }
        }
        13 => match g.rng.u8(..7) {
            0 => text.insert(0, '\u{feff}'),
            1 => *text = text.replace("\r\n", "\n").replace('\n', "\r\n"),
            2 => *text = text.replace("\r\n", "\n"),
            3 => {
                if let Some(end) = text.find("?>") {
                    text.replace_range(..end + 2, "");
                }
            }
            4 => text.insert_str(
                0,
                "<!DOCTYPE callCenter [<!ENTITY e \"boom\"><!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n",
            ),
            5 => *text = text.replace("\n", "\r"),
            _ => text.insert_str(0, "<?xml version=\"1.1\" encoding=\"UTF-16\"?>"),
        },
        14 => {
            if let Some(span) = pick_span(g, &sections) {
                let copy = text.get(span.clone()).unwrap_or("").to_string();
                if g.chance(0.5) {
                    text.insert_str(span.end, &copy);
                } else {
                    text.replace_range(span, "");
                }
            }
        }
        15 => {
            // A whole new item in a section.
            if let Some(span) = pick_span(g, &sections) {
                let known: Vec<(&str, &str)> = config::known_item_names().collect();
                let (_, name) = g.pick(&known);
                let name = if g.chance(0.3) { mutate_name(g, name) } else { name.to_string() };
                let value = xml_escape(&item_value_for(g, &name));
                let item = format!(
                    "\n    <item sortOrder=\"9\" name=\"{}\" label=\"{}\">{value}</item>",
                    xml_escape(&name),
                    xml_escape(&name)
                );
                let at = text.get(span.clone()).and_then(|b| b.find('>')).map_or(span.start, |i| span.start + i + 1);
                text.insert_str(at, &item);
            }
        }
        _ => {
            // Truncate at an interesting place.
            let points: Vec<usize> = text.match_indices(['<', '>', '&', '"']).map(|(i, _)| i).collect();
            if !points.is_empty() {
                let at = points[g.rng.usize(..points.len())];
                text.truncate(at + usize::from(g.chance(0.5)));
            }
        }
    }
}

fn generate_config_xml(g: &mut Gen<'_>) -> Vec<u8> {
    let mut text = g.base_text();
    if text.is_empty() {
        text = "<callCenter><section name=\"reqGeneralInfo\"></section></callCenter>".to_string();
    }
    for _ in 0..1 + g.rng.usize(..4) {
        if g.chance(0.75) {
            mutate_xml(g, &mut text);
        } else {
            let mut bytes = std::mem::take(&mut text).into_bytes();
            mutate_bytes(g, &mut bytes, XML_TOKENS);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        if text.len() > MAX_INPUT {
            text.truncate(floor_char(&text, MAX_INPUT));
        }
    }
    text.into_bytes()
}

/// Loads the text and corrects it. Diagnostics lie inside the text and name an item path; the
/// config survives a JSON round trip; loading is deterministic; the corrected file keeps the
/// BOMs, reports every error and warning, stays well-formed when the input was, and is the
/// input plus its comments when nothing was fixed.
fn check_config_xml(input: &[u8]) -> Result<u64, Failure> {
    let text = String::from_utf8_lossy(input);
    let loaded = config::from_xml(&text);
    check_positions(&text, &loaded.diagnostics)?;
    check_config_round_trip(&loaded.config)?;
    ensure!(config::from_xml(&text) == loaded, "deterministic", "two loads of the same text differ");

    let corrected = config::corrected_xml(&text);
    let boms = |s: &str| s.chars().take_while(|&c| c == '\u{feff}').count();
    ensure!(
        boms(&corrected.xml) == boms(&text),
        "corrected-keeps-bom",
        "{} BOMs in, {} out",
        boms(&text),
        boms(&corrected.xml)
    );
    let reported = loaded.diagnostics.iter().filter(|d| d.severity != Severity::Info).count();
    ensure!(
        corrected.changes.len() == reported,
        "corrected-reports-every-problem",
        "{} changes for {reported} errors and warnings",
        corrected.changes.len()
    );
    let reloaded = config::from_xml(&corrected.xml);
    check_positions(&corrected.xml, &reloaded.diagnostics)?;
    let malformed = |l: &config::Loaded| l.diagnostics.iter().any(|d| d.code == Code::MalformedXml);
    ensure!(
        malformed(&loaded) || !malformed(&reloaded),
        "corrected-stays-well-formed",
        "the input is well-formed, the corrected file is not: {}",
        dbg_short(&reloaded.diagnostics.iter().find(|d| d.code == Code::MalformedXml))
    );
    let fixed = corrected.changes.iter().any(|c| c.kind != ChangeKind::Noted);
    if !fixed && !text.contains("wxcc-sfdc") {
        let unmarked = |s: &str| s.trim_start_matches('\u{feff}').to_string();
        let (stripped, text) = (strip_inserted_comments(&unmarked(&corrected.xml)), unmarked(&text));
        ensure!(
            stripped == text,
            "corrected-changes-nothing-else",
            "with only notes, the corrected file minus its comments differs from the input at byte {}",
            stripped.bytes().zip(text.bytes()).position(|(a, b)| a != b).unwrap_or(stripped.len().min(text.len()))
        );
    }
    let kinds: BTreeSet<String> = corrected.changes.iter().map(|c| format!("{:?}", c.kind)).collect();
    Ok(hash_of(&(diagnostic_signature(&loaded.diagnostics), kinds, loaded.diagnostics.len().min(8))))
}

/// The corrected file without the `<!-- wxcc-sfdc … -->` notes (and the summary) the corrector
/// inserted: a note on its own line goes with its indentation and line break, an inline one alone.
fn strip_inserted_comments(xml: &str) -> String {
    const MARKERS: [&str; 2] = ["<!-- wxcc-sfdc ", "<!-- Checked by the wxcc-sfdc-adapter studio"];
    let newline = if xml.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let mut from = 0;
    while let Some(found) = rest.get(from..).and_then(|r| r.find("<!-- ")) {
        let start = from + found;
        let tail = rest.get(start..).unwrap_or("");
        let Some(len) = tail.find("-->").filter(|_| MARKERS.iter().any(|m| tail.starts_with(m))) else {
            from = start + 1;
            continue;
        };
        let end = start + len + 3;
        let before = rest.get(..start).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let own_line = before.get(line_start..).is_some_and(|s| s.chars().all(|c| c == ' ' || c == '\t'))
            && rest.get(end..).is_some_and(|r| r.starts_with(newline));
        if own_line {
            out.push_str(before.get(..line_start).unwrap_or(""));
            rest = rest.get(end + newline.len()..).unwrap_or("");
        } else {
            out.push_str(before);
            rest = rest.get(end..).unwrap_or("");
        }
        from = 0;
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// settings-map
// ---------------------------------------------------------------------------------------------

const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "\\uDFFF",
    "\\\"",
    "null",
    "true",
    "false",
    "-0",
    "1e999",
    "-1e-999",
    "0.0000000000000000000001",
    "18446744073709551616",
    "\"settings\":",
    "\"returnValue\":",
    "\"success\":",
    "\"/reqGeneralInfo/reqAdapterUrl\":",
    "/",
    "//",
    "\u{feff}",
    "\n",
    " ",
];

fn seeds_settings_map(root: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for scenario in scenarios(root) {
        if let Some(settings) = scenario.get("callCenter").and_then(|c| c.get("settings")) {
            out.push(settings.to_string().into_bytes());
            out.push(json!({"settings": settings}).to_string().into_bytes());
            out.push(json!({"success": true, "returnValue": settings, "errors": null}).to_string().into_bytes());
        }
    }
    // Every known item with a plausible value, as Salesforce returns it.
    let mut all = Map::new();
    all.insert("/label".into(), json!("Webex CC"));
    all.insert("/internalNameLabel".into(), json!("Internal Name"));
    for (section, item) in config::known_item_names() {
        all.insert(format!("/{section}/label"), json!(section));
        all.insert(format!("/{section}/{item}/label"), json!(item));
        all.insert(format!("/{section}/{item}/sortOrder"), json!("1"));
        let value = if item.contains("Mapping") {
            "[]"
        } else if item.contains("Url") {
            "https://desktop.wxcc-us1.cisco.com/"
        } else {
            "false"
        };
        all.insert(format!("/{section}/{item}"), json!(value));
    }
    out.push(Value::Object(all).to_string().into_bytes());
    out
}

fn settings_key(g: &mut Gen<'_>) -> String {
    let known: Vec<(&str, &str)> = config::known_item_names().collect();
    let (section, item) = g.pick(&known);
    match g.rng.u8(..16) {
        0 => format!("/{section}/{item}/label"),
        1 => format!("/{section}/{item}/sortOrder"),
        2 => format!("/{section}/label"),
        3 => g
            .pick(&["/label", "/internalNameLabel", "", "/", "//", "///", "label", "/a/b/c/d", "a//b", "/x/", "//x"])
            .to_string(),
        4 => format!("/{}/{item}", mutate_name(g, section)),
        5 => format!("/{section}/{}", mutate_name(g, item)),
        6 => format!("{section}/{item}"),
        7 => format!("/{section}/{item}/"),
        8 => format!("/{section}/{item}{}", g.pick(&["1", "2", "0", "10", "4294967296"])),
        9 => format!("/{}/{}", g.hostile(), g.hostile()),
        10 => format!("/{section}/{item}/{}", g.hostile()),
        _ => format!("/{section}/{item}"),
    }
}

fn json_junk(g: &mut Gen<'_>, depth: usize) -> Value {
    match g.rng.u8(..if depth == 0 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(g.chance(0.5)),
        2 => json!(g.rng.i64(..)),
        3 => json!(g.rng.f64() * 1e12 - 5e11),
        4 => json!(g.rng.u64(..)),
        5 => json!(g.hostile()),
        6 => Value::Array((0..g.rng.usize(..4)).map(|_| json_junk(g, depth - 1)).collect()),
        _ => {
            let keys =
                ["interactionId", "data", "value", "Id", "type", "x", "success", "returnValue", "name", "settings"];
            Value::Object((0..g.rng.usize(..4)).map(|_| (g.pick(&keys).to_string(), json_junk(g, depth - 1))).collect())
        }
    }
}

fn generate_settings_map(g: &mut Gen<'_>) -> Vec<u8> {
    if g.chance(0.3) {
        let mut bytes = g.base();
        mutate_bytes(g, &mut bytes, JSON_TOKENS);
        return bytes;
    }
    // Entries written out by hand so that a key can repeat.
    let mut entries: Vec<String> = Vec::new();
    if g.chance(0.5) {
        // Start from a seed map and change some of it.
        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&g.base()) {
            let map = match map.get("settings").or_else(|| map.get("returnValue")) {
                Some(Value::Object(inner)) => inner.clone(),
                _ => map,
            };
            for (k, v) in map {
                if g.chance(0.9) {
                    entries.push(format!("{}:{}", Value::String(k), v));
                }
            }
        }
    }
    for _ in 0..g.rng.usize(..24) {
        let key = settings_key(g);
        let item = key.rsplit('/').next().unwrap_or("").to_string();
        let value = match g.rng.u8(..10) {
            0 => json_junk(g, 2),
            1 => json!(g.rng.i64(..)),
            2 => json!(g.chance(0.5)),
            _ => json!(item_value_for(g, &item)),
        };
        let entry = format!("{}:{}", Value::String(key), value);
        let at = g.rng.usize(..=entries.len());
        entries.insert(at, entry);
    }
    let object = format!("{{{}}}", entries.join(if g.chance(0.8) { "," } else { ",\n  " }));
    let text = match g.rng.u8(..10) {
        0 => format!("{{\"settings\":{object}}}"),
        1 => format!("{{\"success\":true,\"returnValue\":{object},\"errors\":null}}"),
        2 => format!("{{\"success\":true,\"returnValue\":{},\"errors\":null}}", Value::String(object)),
        3 => Value::String(object).to_string(),
        4 => format!("[{object}]"),
        _ => object,
    };
    let mut bytes = text.into_bytes();
    if g.chance(0.15) {
        mutate_bytes(g, &mut bytes, JSON_TOKENS);
    }
    bytes
}

/// Reads the text as the CLI does (`from_settings_json`) and as the widget does (the response,
/// `parse_call_center_settings`, `from_settings`). No positions but the JSON syntax error's
/// (inside the text); item paths; the config round-trips; the map's order does not matter; the
/// map given as JSON text reads like the map; both readers agree on a map of strings.
fn check_settings_map(input: &[u8]) -> Result<u64, Failure> {
    let text = String::from_utf8_lossy(input);
    // What the CLI and the replay runner read.
    let from_json = config::from_settings_json(&text);
    let parsed: Option<Value> = serde_json::from_str(&text).ok();
    check_unpositioned(&from_json.diagnostics, parsed.is_none())?;
    if parsed.is_none() {
        ensure!(
            from_json.diagnostics.first().is_some_and(|d| d.code == Code::MalformedSettings && d.is_error()),
            "malformed-json-reported",
            "{}",
            dbg_short(&from_json.diagnostics.first())
        );
        if let Some(d) = from_json.diagnostics.first() {
            // serde_json's position: inside the text (its column may be one past the line end).
            check_positions(&format!("{text}\n"), std::slice::from_ref(d))?;
        }
    }
    check_config_round_trip(&from_json.config)?;

    // What the widget reads: the callback's response, its returnValue, the flat map.
    let response = OpenCtiResponse::from_json(&text);
    let settings = salesforce::parse_call_center_settings(&response.return_value);
    let widget = config::from_settings(settings.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    check_unpositioned(&widget.diagnostics, false)?;
    check_config_round_trip(&widget.config)?;
    // The map's order does not matter.
    let reversed = config::from_settings(settings.iter().rev().map(|(k, v)| (k.as_str(), v.as_str())));
    ensure!(reversed == widget, "settings-order-independent", "the map read in reverse order loads differently");

    if let Some(value) = &parsed {
        let direct = salesforce::parse_call_center_settings(value);
        // The map given as JSON text reads the same as the map itself.
        if value.is_object() {
            let stringified = salesforce::parse_call_center_settings(&Value::String(text.to_string()));
            ensure!(stringified == direct, "settings-as-text", "{} vs {}", dbg_short(&stringified), dbg_short(&direct));
        }
        // With only string values (and no `settings` wrapper) both readers agree.
        if let Value::Object(map) = value {
            if !map.contains_key("settings") && map.values().all(Value::is_string) {
                let widget_view = config::from_settings(direct.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                ensure!(
                    widget_view == from_json,
                    "settings-readers-agree",
                    "from_settings_json and parse_call_center_settings + from_settings differ: {} vs {}",
                    dbg_short(&from_json.diagnostics),
                    dbg_short(&widget_view.diagnostics)
                );
            }
        }
    }
    Ok(hash_of(&(diagnostic_signature(&from_json.diagnostics), diagnostic_signature(&widget.diagnostics))))
}

// ---------------------------------------------------------------------------------------------
// mapping-json
// ---------------------------------------------------------------------------------------------

/// Every mapping item, as `(section, item)`.
const MAPPING_ITEMS: &[(&str, &str)] = &[
    ("reqNoRecordMatchConfig", "sfdcObjetFieldCadVariableMappings1"),
    ("reqNoRecordMatchConfig", "sfdcObjectFieldConditionalMappings1"),
    ("reqActivityRecordConfig", "CadSalesforceFieldMapping1"),
    ("reqSFDCCaseConfig", "sfdcCaseFieldCadVariableMappings1"),
    ("reqSFDCCaseConfig", "sfdcCaseFieldConditionalMappings1"),
    ("wxCCCallActivity", "objectFieldMapping"),
    ("objectCreationManagement", "objectFieldMapping"),
    ("screenpopNoRecordMatch", "noRecordMatchObjectFieldMappings"),
];

const MAPPING_KEYS: &[&str] = &[
    "wxccFieldName",
    "sfdcFieldName",
    "isDefaultValueEnabled",
    "isConditionalEnabled",
    "defaultFieldValue",
    "CadFieldName",
    "SalesforceFieldName",
    "wxccFieldValue",
    "sfdcFieldValue",
    "cadFieldValue",
    "salesforceFieldValue",
    "WXCCFIELDNAME",
    "sfdcfieldname",
    "other",
];

fn seeds_mapping_json(root: &Path) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = vec![
        br#"[{"wxccFieldName":"phoneNumber","sfdcFieldName":"Phone","isDefaultValueEnabled":"false","isConditionalEnabled":"false"}]"#.to_vec(),
        br#"[{"wxccFieldName":"queueName","wxccFieldValue":"Gold","sfdcFieldValue":"Premium"},{"wxccFieldName":"queueName","wxccFieldValue":"*","sfdcFieldValue":"Standard","sfdcFieldName":"Rating"}]"#.to_vec(),
        br#"[{"CadFieldName":"","SalesforceFieldName":"LeadSource","isDefaultValueEnabled":true,"defaultFieldValue":"Phone Inquiry"},{"WXCCFIELDNAME":"queueName","sfdcfieldname":"Rating","isConditionalEnabled":" True ","isDefaultValueEnabled":"TRUE","defaultFieldValue":"Cold"}]"#.to_vec(),
        b"Description={callReason}, Priority=High,broken".to_vec(),
        b"[\n  {\"wxccFieldName\":\"a\" \"sfdcFieldName\":\"b\"}\n]".to_vec(),
        b"".to_vec(),
    ];
    // The mapping values of the definition files.
    for xml in seeds_config_xml(root) {
        let text = String::from_utf8_lossy(&xml).into_owned();
        for span in element_spans(&text, "item") {
            let name = attribute_value(&text, &span, "name").and_then(|r| text.get(r)).unwrap_or("");
            if name.to_ascii_lowercase().contains("mapping") {
                if let Some(v) = item_value(&text, &span).and_then(|r| text.get(r)) {
                    let v = v.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
                    if !v.trim().is_empty() && !out.iter().any(|o| o == v.as_bytes()) {
                        out.push(v.into_bytes());
                    }
                }
            }
        }
    }
    out
}

fn mapping_entry(g: &mut Gen<'_>) -> Value {
    if g.chance(0.05) {
        return json_junk(g, 2);
    }
    let mut entry = Map::new();
    for _ in 0..g.rng.usize(..7) {
        let key = g.pick(MAPPING_KEYS).to_string();
        let lower = key.to_ascii_lowercase();
        let value = match g.rng.u8(..10) {
            0 => json_junk(g, 1),
            _ if lower.starts_with("is") => {
                json!(g.pick(&["true", "false", "TRUE", " True ", "yes", "", "tru"]))
            }
            1 | 2 if lower.starts_with("is") => json!(g.chance(0.5)),
            _ if lower.contains("value") && g.chance(0.3) => json!("*"),
            _ if lower.contains("wxcc") || lower.contains("cad") => json!(g.pick(&[
                "phoneNumber",
                "ani",
                "dnis",
                "queueName",
                "interactionId",
                "callReason",
                "Account",
                "",
                " ",
                "QUEUENAME",
            ])),
            3 => json!(g.hostile()),
            _ => json!(g.pick(&[
                "Phone",
                "Description",
                "Priority",
                "Rating",
                "LeadSource",
                "Subject",
                "Gold",
                "Premium",
                "",
                "X__c"
            ])),
        };
        entry.insert(key, value);
    }
    Value::Object(entry)
}

fn mapping_value(g: &mut Gen<'_>) -> String {
    match g.rng.u8(..10) {
        0 => {
            // v2: Field={var},Other=constant
            (0..g.rng.usize(..5))
                .map(|_| {
                    let field = g.pick(&["Description", "Priority", "", " ", "=", "X__c"]);
                    let value = g.pick(&["{callReason}", "{ ani }", "High", "{", "}", "{}", "{{x}}", "", "a=b"]);
                    match g.rng.u8(..4) {
                        0 => field.to_string(),
                        _ => format!("{field}={value}"),
                    }
                })
                .collect::<Vec<_>>()
                .join(g.pick(&[",", ", ", ",,", ";"]))
        }
        1 => json_junk(g, 2).to_string(),
        2 => mapping_entry(g).to_string(),
        _ => {
            let list = Value::Array((0..g.rng.usize(..6)).map(|_| mapping_entry(g)).collect());
            if g.chance(0.5) {
                serde_json::to_string_pretty(&list).unwrap_or_default()
            } else {
                list.to_string()
            }
        }
    }
}

fn generate_mapping_json(g: &mut Gen<'_>) -> Vec<u8> {
    if g.chance(0.4) {
        let mut bytes = g.base();
        mutate_bytes(g, &mut bytes, JSON_TOKENS);
        return bytes;
    }
    let mut bytes = mapping_value(g).into_bytes();
    if g.chance(0.2) {
        mutate_bytes(g, &mut bytes, JSON_TOKENS);
    }
    bytes
}

/// The mapping item `value` in every mapping item of a definition file, one item per line,
/// so that positions inside values can be checked against the file.
fn mapping_xml(value: &str) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<callCenter>\n");
    let mut open: Option<&str> = None;
    for (section, item) in MAPPING_ITEMS {
        if open != Some(section) {
            if open.is_some() {
                xml.push_str("  </section>\n");
            }
            xml.push_str(&format!("  <section sortOrder=\"1\" name=\"{section}\" label=\"{section}\">\n"));
            open = Some(section);
        }
        xml.push_str(&format!("    <item sortOrder=\"1\" name=\"{item}\" label=\"x\">{}</item>\n", xml_escape(value)));
    }
    xml.push_str("  </section>\n</callCenter>\n");
    xml
}

/// Whether XML text can carry `value` exactly (the parser sees what the settings map sees).
fn xml_safe(value: &str) -> bool {
    value.chars().all(|c| c == '\n' || c == '\t' || (!c.is_control() && c != '\u{fffe}' && c != '\u{ffff}'))
}

/// Puts the value in every mapping item, through the settings map and through a definition
/// file. Positions lie inside the file; both sources load the same config; every mapping
/// resolves as documented and never quotes the caller's value when it skips.
fn check_mapping_json(input: &[u8]) -> Result<u64, Failure> {
    let value = String::from_utf8_lossy(input);
    let keys: Vec<String> = MAPPING_ITEMS.iter().map(|(s, i)| format!("/{s}/{i}")).collect();
    let pairs: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), value.as_ref())).collect();
    let settings = config::from_settings(pairs.iter().copied());
    check_unpositioned(&settings.diagnostics, false)?;
    check_config_round_trip(&settings.config)?;

    let xml = mapping_xml(&value);
    let from_xml = config::from_xml(&xml);
    check_positions(&xml, &from_xml.diagnostics)?;
    if xml_safe(&value) {
        ensure!(
            from_xml.config == settings.config,
            "sources-agree",
            "the same mapping value loads differently from the XML file and the settings map"
        );
    }

    // Resolve every mapping against made-up call values.
    let c = &settings.config;
    let mut rng = fastrand::Rng::with_seed(hash_of(&input));
    let mut names: Vec<String> = Vec::new();
    let mut whens: Vec<String> = Vec::new();
    for m in c.no_match.field_mappings.iter().chain(&c.activity.field_mappings).chain(&c.case.field_mappings) {
        if let ValueSource::Variable { name } | ValueSource::Conditional { name, .. } = &m.source {
            names.push(name.clone());
        }
    }
    for r in c.no_match.conditional_rules.iter().chain(&c.case.conditional_rules) {
        names.push(r.variable.clone());
        whens.push(r.when.clone());
    }
    let mut lookups: BTreeMap<String, String> = BTreeMap::new();
    for name in names {
        let v = match rng.u8(..4) {
            0 => continue,
            1 if !whens.is_empty() => whens[rng.usize(..whens.len())].clone(),
            2 => (0..rng.usize(7..13)).map(|_| rng.digit(10)).collect(),
            _ => format!("v{}", rng.u16(..)),
        };
        let name = if rng.bool() { name.to_ascii_uppercase() } else { name };
        lookups.insert(name, v);
    }
    check_resolution(&c.no_match.field_mappings, &c.no_match.conditional_rules, &lookups)?;
    check_resolution(&c.case.field_mappings, &c.case.conditional_rules, &lookups)?;
    check_resolution(&c.activity.field_mappings, &[], &lookups)?;

    let mappings = c.no_match.field_mappings.len() + c.case.field_mappings.len() + c.activity.field_mappings.len();
    Ok(hash_of(&(diagnostic_signature(&settings.diagnostics), mappings.min(6), c.case.conditional_rules.len().min(3))))
}

/// `FieldMapping::resolve` does what its documentation says: constants as given, variables as
/// looked up, conditionals by the exact rule, then the `*` rule, then the default; a skipped
/// conditional never quotes the caller's value in full.
fn check_resolution(
    mappings: &[FieldMapping],
    rules: &[ConditionalRule],
    lookups: &BTreeMap<String, String>,
) -> Result<(), Failure> {
    let lookup = |name: &str| lookups.get(name).cloned();
    for m in mappings {
        let resolved = m.resolve(&lookup, rules);
        let expected = match &m.source {
            ValueSource::Constant { value } => Some(value.clone()),
            ValueSource::Variable { name } => lookup(name),
            ValueSource::Conditional { name, default } => {
                let actual = lookup(name);
                let applies = |r: &&ConditionalRule| {
                    r.variable.eq_ignore_ascii_case(name)
                        && r.field.as_deref().is_none_or(|f| f.eq_ignore_ascii_case(&m.field))
                };
                rules
                    .iter()
                    .filter(applies)
                    .find(|r| actual.as_deref() == Some(r.when.as_str()))
                    .or_else(|| rules.iter().filter(applies).find(|r| r.when == "*"))
                    .map(|r| r.value.clone())
                    .or_else(|| default.clone())
            }
        };
        match (&resolved, expected) {
            (Resolved::Value(v), Some(e)) => {
                ensure!(*v == e, "mapping-resolves-as-documented", "{m:?} gave {v:?}, not {e:?}")
            }
            (Resolved::Skipped(why), None) => {
                if let ValueSource::Conditional { name, .. } = &m.source {
                    if let Some(actual) = lookup(name) {
                        let digits = actual.len() >= 7 && actual.bytes().all(|b| b.is_ascii_digit());
                        ensure!(
                            !(digits && why.contains(&actual) && !name.contains(&actual)),
                            "mapping-trace-redacts",
                            "the skip reason quotes the caller's value: {why:?}"
                        );
                    }
                }
            }
            (r, e) => ensure!(false, "mapping-resolves-as-documented", "{m:?} gave {r:?}, expected {e:?}"),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// desktop-event
// ---------------------------------------------------------------------------------------------

const DESKTOP_KEYS: &[&str] = &[
    "interactionId",
    "interaction",
    "data",
    "agentId",
    "destAgentId",
    "owner",
    "isConsulted",
    "isConferencing",
    "queueName",
    "wrapUpAuxCodeId",
    "wrapUpReason",
    "callProcessingDetails",
    "callAssociatedData",
    "participants",
    "contactDirection",
    "mediaType",
    "state",
    "ani",
    "dnis",
    "virtualTeamName",
    "customerName",
    "value",
    "name",
    "type",
    "pType",
    "hasLeft",
    "isWrapUp",
    "media",
    "mediaResourceId",
    "idleCode",
    "idleCodes",
    "wrapupCodes",
    "subStatus",
    "auxCodeId",
    "previousVTeams",
    "callFlowParams",
    "eventTime",
    "ronaTimeout",
];

/// The agent id of the reference event: the agent the engine plays.
const REFERENCE_AGENT: &str = "df276f7a-5113-4d30-831b-ba2d51010203";

fn seeds_desktop_event(root: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let reference =
        std::fs::read_to_string(root.join("src/desktop/fixtures/agentcontact-event-data.json")).unwrap_or_default();
    if let Ok(data) = serde_json::from_str::<Value>(&reference) {
        let mut telephony = data.clone();
        if let Some(i) = telephony.get_mut("interaction") {
            i["mediaType"] = json!("telephony");
            i["callProcessingDetails"]["ani"] = json!("+1 (212) 555-0101");
            i["callAssociatedData"] = json!({"cad_variable": {"name": "cad_variable", "value": "ACME-42"}});
        }
        for name in ["eAgentOfferContact", "eAgentContactAssigned", "eAgentContactWrappedUp", "eAgentContact"] {
            out.push(event_case(name, &data));
            out.push(event_case(name, &desktop::event_message("org", "t-1", telephony.clone())));
        }
    }
    for scenario in scenarios(root) {
        for step in scenario.get("steps").and_then(Value::as_array).into_iter().flatten() {
            if let (Some(name), Some(data)) = (step.get("desktop").and_then(Value::as_str), step.get("data")) {
                out.push(event_case(name, data));
            }
        }
    }
    out.push(event_case("latestData", &json!({"subStatus": "Idle", "idleCode": {"id": "11", "name": "Not Ready"}, "idleCodes": [{"id": "11", "name": "Not Ready"}], "wrapupCodes": [{"id": "w1", "name": "Resolved"}]})));
    out
}

fn event_case(name: &str, payload: &Value) -> Vec<u8> {
    format!("{name}\n{payload}").into_bytes()
}

/// Splits a case into the event name (first line) and the payload text.
fn split_event_case(input: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(input);
    match text.split_once('\n') {
        Some((name, payload)) => (name.to_string(), payload.to_string()),
        None => (text.into_owned(), String::new()),
    }
}

fn count_nodes(v: &Value) -> usize {
    let mut count = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        count += 1;
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    count
}

/// The `n`-th node of `v` in pre-order.
fn node_mut<'a>(v: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
    if *n == 0 {
        return Some(v);
    }
    *n -= 1;
    match v {
        Value::Array(items) => items.iter_mut().find_map(|item| node_mut(item, n)),
        Value::Object(map) => map.values_mut().find_map(|item| node_mut(item, n)),
        _ => None,
    }
}

fn deep_value(g: &mut Gen<'_>, depth: usize) -> Value {
    let mut v = json!({"interactionId": "deep"});
    for _ in 0..depth {
        v = if g.chance(0.5) { json!([v]) } else { json!({"interaction": v}) };
    }
    v
}

fn mutate_json(g: &mut Gen<'_>, root: &mut Value) {
    let mut index = g.rng.usize(..count_nodes(root));
    let whole = root.clone();
    let Some(node) = node_mut(root, &mut index) else { return };
    match g.rng.u8(..12) {
        0 => *node = json!(g.hostile()),
        1 => *node = json_junk(g, 3),
        2 => {
            if let Value::Object(map) = node {
                if !map.is_empty() {
                    let key = map.keys().nth(g.rng.usize(..map.len())).cloned().unwrap_or_default();
                    map.remove(&key);
                }
            }
        }
        3 => {
            if let Value::Object(map) = node {
                let key = g.pick(DESKTOP_KEYS).to_string();
                let value = if g.chance(0.5) { json!(g.hostile()) } else { json_junk(g, 2) };
                map.insert(key, value);
            }
        }
        4 => {
            // The same value as another JSON type, as hosts send it.
            *node = match node.take() {
                Value::String(s) => match s.parse::<i64>() {
                    Ok(n) => json!(n),
                    Err(_) => json!(s == "true"),
                },
                Value::Number(n) => json!(n.to_string()),
                Value::Bool(b) => json!(b.to_string()),
                Value::Null => json!(""),
                other => json!(other.to_string()),
            }
        }
        5 => {
            let taken = node.take();
            *node = match g.rng.u8(..3) {
                0 => json!([taken]),
                1 => json!({"data": taken}),
                _ => json!({"interaction": taken}),
            };
        }
        6 => {
            let depth = g.pick(&[60usize, 62, 63, 64, 65, 66, 120, 127, 128, 129, 200]);
            *node = deep_value(g, depth);
        }
        7 => *node = json!(g.long_string()),
        8 => {
            // A copy of another part of the event.
            let mut i = g.rng.usize(..count_nodes(&whole));
            let mut copy = whole.clone();
            if let Some(piece) = node_mut(&mut copy, &mut i) {
                *node = piece.take();
            }
        }
        9 => {
            if let Value::Object(map) = node {
                let v = match g.rng.u8(..6) {
                    0 => json!(""),
                    1 => json!("   "),
                    2 => Value::Null,
                    3 => json!(g.rng.i64(..)),
                    4 => json!(g.long_string()),
                    _ => json!(g.hostile()),
                };
                map.insert("interactionId".into(), v);
            }
        }
        10 => {
            if let Value::Object(map) = node {
                let key = g.pick(&["ani", "dnis", "customerName", "virtualTeamName"]).to_string();
                let ani = ani_text(g);
                map.insert(key, json!(ani));
            }
        }
        _ => {
            if let Value::Object(map) = node {
                let cad: Map<String, Value> = (0..g.rng.usize(1..4))
                    .map(|_| {
                        let name = g.pick(&["cad_variable", "ActivityId", "activityid", "callReason", "x"]).to_string();
                        let value = if g.chance(0.5) { json!(g.hostile()) } else { json!(ani_text(g)) };
                        let entry =
                            if g.chance(0.7) { json!({"name": name, "value": value, "type": "STRING"}) } else { value };
                        (name, entry)
                    })
                    .collect();
                map.insert("callAssociatedData".into(), Value::Object(cad));
            }
        }
    }
}

fn event_name(g: &mut Gen<'_>) -> String {
    let base = g.pick(ContactEventKind::ALL).name();
    match g.rng.u8(..20) {
        0 => base.to_ascii_lowercase(),
        1 => format!(" {base}"),
        2 => format!("{base}\u{0}"),
        3 => String::new(),
        4 => "x".repeat(g.rng.usize(60..5_000)),
        5 => g.hostile().replace('\n', ""),
        6 => "latestData".to_string(),
        _ => base.to_string(),
    }
}

fn generate_desktop_event(g: &mut Gen<'_>) -> Vec<u8> {
    let (name, payload) = split_event_case(&g.base());
    match g.rng.u8(..10) {
        0..=5 => {
            let mut value: Value = serde_json::from_str(&payload).unwrap_or_else(|_| json!({"interactionId": "x"}));
            for _ in 0..1 + g.rng.usize(..4) {
                mutate_json(g, &mut value);
            }
            let name = if g.chance(0.2) { event_name(g) } else { name };
            let text = if g.chance(0.2) {
                serde_json::to_string_pretty(&value).unwrap_or_default()
            } else {
                value.to_string()
            };
            format!("{name}\n{text}").into_bytes()
        }
        6 | 7 => {
            let mut bytes = payload.into_bytes();
            mutate_bytes(g, &mut bytes, JSON_TOKENS);
            let mut out = format!("{name}\n").into_bytes();
            out.extend(bytes);
            out
        }
        _ => {
            let payload = match g.rng.u8(..3) {
                0 => json_junk(g, 4),
                1 => {
                    let depth = g.rng.usize(55..140);
                    json!({"type": "x", "data": deep_value(g, depth)})
                }
                _ => {
                    let id = g.hostile();
                    json!({"interactionId": id, "interaction": {"interactionId": id, "mediaType": "telephony",
                        "contactDirection": {"type": g.pick(&["INBOUND", "OUTBOUND", "inbound", ""])},
                        "callProcessingDetails": {"ani": ani_text(g), "dnis": ani_text(g)}}})
                }
            };
            format!("{}\n{payload}", event_name(g)).into_bytes()
        }
    }
}

fn ani_text(g: &mut Gen<'_>) -> String {
    let digits: String = (0..g.rng.usize(3..16)).map(|_| g.rng.digit(10)).collect();
    match g.rng.u8(..8) {
        0 => format!("+{digits}"),
        1 => format!("+1 ({}) {}", digits.get(..3).unwrap_or(""), digits.get(3..).unwrap_or("")),
        2 => format!("*{digits}?"),
        3 => format!("{digits} x12"),
        4 => format!("{digits}{}", g.pick(HOSTILE)),
        5 => g.hostile(),
        _ => digits,
    }
}

/// The configurations the engine runs the events with: the defaults, and one with every
/// feature on (search by CAD, Task at connect, Cases, mappings, Omni-Channel sync).
fn engine_configs() -> &'static [AdapterConfig] {
    static CONFIGS: OnceLock<Vec<AdapterConfig>> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        let mut rich = AdapterConfig::default();
        rich.screen_pop.search_by_cad = true;
        rich.screen_pop.fallback_to_ani = true;
        rich.no_match.open_new_record = true;
        rich.activity.create_task_at_connect = true;
        rich.activity.open_task_at_connect = true;
        rich.activity.open_task_at_wrapup = true;
        rich.activity.transfer_task_ownership = true;
        rich.activity.live_notes = true;
        rich.activity.refresh_after_create = true;
        rich.activity.write_cad_fields = true;
        rich.activity.subject_date_pattern = "dddd D MMM YYYY [at] h:mm a".into();
        rich.activity.subject_template = "{direction} {ani} {callReason} {activityDatetime} {queue}".into();
        rich.activity.field_mappings = vec![
            FieldMapping { field: "Description".into(), source: ValueSource::Variable { name: "callReason".into() } },
            FieldMapping {
                field: "Priority".into(),
                source: ValueSource::Conditional { name: "queueName".into(), default: Some("Low".into()) },
            },
        ];
        rich.case.create_for_inbound = true;
        rich.case.create_for_outbound = true;
        rich.case.conditional_rules =
            vec![ConditionalRule { variable: "queueName".into(), when: "*".into(), value: "High".into(), field: None }];
        rich.omni.sync_enabled = true;
        vec![AdapterConfig::default(), rich]
    })
}

/// A parsed event has the name's kind and a non-blank interaction id; an error names the event
/// (an unknown name cut to 64 characters); text and value parse alike; the agent's state
/// round-trips and idle codes have ids; then the engine runs it (see [`drive_engine`]).
fn check_desktop_event(input: &[u8]) -> Result<u64, Failure> {
    let (name, payload_text) = split_event_case(input);
    let parsed = desktop::parse_event(&name, &payload_text);
    let value: Option<Value> = serde_json::from_str(&payload_text).ok();
    let kind = ContactEventKind::from_name(&name);
    match &parsed {
        Ok(event) => {
            ensure!(
                Some(event.kind) == kind && event.kind.name() == name,
                "event-kind",
                "{:?} for name {name:?}",
                event.kind
            );
            ensure!(
                !event.interaction_id().trim().is_empty(),
                "event-has-interaction-id",
                "{:?}",
                event.interaction_id()
            );
            if let Some(i) = event.interaction() {
                ensure!(
                    !i.interaction_id.trim().is_empty(),
                    "event-has-interaction-id",
                    "interaction {:?}",
                    i.interaction_id
                );
            }
        }
        Err(DesktopError::UnknownEvent(n)) => {
            ensure!(kind.is_none(), "event-kind", "known name {name:?} reported unknown");
            ensure!(n.chars().count() <= 64 && name.starts_with(n.as_str()), "unknown-name-cut", "{n:?} for {name:?}");
        }
        Err(DesktopError::MalformedPayload { event, .. } | DesktopError::MissingInteractionId { event }) => {
            ensure!(Some(*event) == kind, "event-kind", "error names {event:?} for {name:?}");
        }
    }
    if let Some(v) = &value {
        let from_value = desktop::parse_event_value(&name, v.clone());
        ensure!(
            from_value == parsed,
            "parse-text-and-value-agree",
            "{} vs {}",
            dbg_short(&from_value),
            dbg_short(&parsed)
        );
        // The agent's state and idle codes read from the same JSON: never fail, round-trip.
        let mut state = AgentState::from_latest_data(v);
        let again = serde_json::to_value(&state).map(|s| AgentState::from_latest_data(&s));
        ensure!(again.as_ref().ok() == Some(&state), "agent-state-round-trip", "{}", dbg_short(&state));
        state.apply_updates(v);
        for code in desktop::parse_idle_codes(v) {
            ensure!(!code.id.trim().is_empty(), "idle-codes-have-ids", "{code:?}");
        }
    }
    let effects = match value {
        Some(payload) => drive_engine(&name, payload, input)?,
        None => 0,
    };
    let outcome = match &parsed {
        Ok(e) => format!("ok {:?} {}", e.kind, e.interaction().is_some()),
        Err(err) => format!("{:?}", std::mem::discriminant(err)),
    };
    Ok(hash_of(&(outcome, effects.min(40))))
}

/// Feeds the event (then the rest of a call's life with the same payload) to an engine, answers
/// every call it makes, and checks its outputs. Returns how many effects it produced.
fn drive_engine(name: &str, payload: Value, input: &[u8]) -> Result<usize, Failure> {
    let h = hash_of(&input);
    let configs = engine_configs();
    let config = configs[usize::try_from(h % configs.len() as u64).unwrap_or(0)].clone();
    let ctx = AgentContext {
        agent_id: REFERENCE_AGENT.into(),
        agent_name: "Fuzz Agent".into(),
        utc_offset_minutes: 330,
        outdial_entry_point_id: "ep-1".into(),
        outdial_ani: "+18005550000".into(),
    };
    let caller = caller_digits(&payload);
    let mut run = EngineRun {
        engine: Engine::new(config.clone(), ctx.clone()),
        rng: fastrand::Rng::with_seed(h),
        now: 1_795_359_845_123,
        effects: 0,
        inputs: 0,
        store: MemoryStore::default(),
        wake: None,
        caller,
    };
    run.feed(Input::Start)?;
    let mut names = vec![name.to_string()];
    if ContactEventKind::from_name(name).is_some() {
        names.extend(
            ["eAgentContactAssigned", "eAgentContact", "eAgentWrapup", "eAgentContactWrappedUp", "eAgentContactEnded"]
                .iter()
                .map(|n| n.to_string()),
        );
    }
    for n in names {
        if n == "latestData" {
            run.feed(Input::AgentState(payload.clone()))?;
        } else {
            run.feed(Input::ContactEvent { name: n, payload: payload.clone() })?;
        }
        run.now += 4_000;
    }
    if let Some(at) = run.wake.take() {
        run.now = run.now.max(at);
        run.feed(Input::Tick)?;
    }
    let diagnostics = run.engine.diagnostics().len();
    ensure!(diagnostics <= 200, "engine-diagnostics-bounded", "{diagnostics} diagnostics");
    let stored = run.store.stored();
    if !stored.is_empty() {
        let restored = Engine::restore_records(config, ctx, &stored);
        ensure!(
            restored.diagnostics().is_empty(),
            "snapshot-restores",
            "the engine's own records do not restore: {}",
            dbg_short(&restored.diagnostics())
        );
    }
    Ok(run.effects)
}

/// Digits of the caller's number in the payload (7 or more), when they appear nowhere else in
/// it: the engine must never log them.
fn caller_digits(payload: &Value) -> Option<String> {
    let details = payload
        .pointer("/interaction/callProcessingDetails")
        .or_else(|| payload.pointer("/data/interaction/callProcessingDetails"))?;
    let ani = details.get("ani")?.as_str()?;
    let digits: String = ani.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 7 {
        return None;
    }
    let text = payload.to_string();
    let elsewhere = text.matches(&digits).count() > usize::from(ani.contains(&digits));
    (!elsewhere).then_some(digits)
}

struct EngineRun {
    engine: Engine,
    rng: fastrand::Rng,
    now: i64,
    effects: usize,
    inputs: usize,
    /// The records stored at each Persist, as the widget stores them.
    store: MemoryStore,
    wake: Option<i64>,
    caller: Option<String>,
}

impl EngineRun {
    /// Handles `input`, then answers the engine's calls until it asks for nothing more.
    fn feed(&mut self, input: Input) -> Result<(), Failure> {
        let mut queue = vec![input];
        while let Some(input) = queue.pop() {
            self.inputs += 1;
            if self.inputs > 400 {
                break;
            }
            self.engine.handle(input, self.now);
            if let Some(at) = self.engine.poll_timeout() {
                self.wake = Some(self.wake.map_or(at, |w| w.max(at)));
            }
            while let Some(effect) = self.engine.poll_effect() {
                self.effects += 1;
                if let Some(answer) = self.check_effect(&effect)? {
                    queue.insert(0, answer);
                }
            }
        }
        Ok(())
    }

    fn check_effect(&mut self, effect: &Effect) -> Result<Option<Input>, Failure> {
        Ok(match effect {
            Effect::OpenCti { call_id, call, .. } => {
                match call {
                    OpenCtiCall::SearchAndScreenPop(s) => check_search(s.search_params.expose())?,
                    OpenCtiCall::ScreenPop(ScreenPop::Search { search_string }) => {
                        check_search(search_string.expose())?
                    }
                    _ => {}
                }
                let response = self.response(call.method_name());
                Some(Input::SalesforceResult { call_id: *call_id, response })
            }
            Effect::Desktop { call_id, .. } => {
                let result = match self.rng.u8(..4) {
                    0 => Err("refused".to_string()),
                    1 => Ok(json!([{"id": "11", "name": "Not Ready"}, {"id": "0", "name": "Available"}])),
                    _ => Ok(Value::Null),
                };
                Some(Input::DesktopResult { call_id: *call_id, result })
            }
            Effect::Persist => {
                let changes = self.engine.take_changes();
                self.store.apply(changes);
                None
            }
            Effect::Log { message, .. } => {
                if let Some(digits) = &self.caller {
                    ensure!(!message.contains(digits.as_str()), "logs-redact-caller", "log line {message:?}");
                }
                None
            }
        })
    }

    fn response(&mut self, method: &str) -> OpenCtiResponse {
        match self.rng.u8(..10) {
            0 => OpenCtiResponse::failure(OpenCtiErrorCode::parse("SERVER_ERROR"), "boom"),
            1 => OpenCtiResponse::failure(OpenCtiErrorCode::parse("INVALID_PARAM"), "no"),
            2 => OpenCtiResponse::from_value(&json!({"success": "true", "returnValue": "x", "errors": {"code": 1}})),
            _ => OpenCtiResponse::ok(match method {
                "searchAndScreenPop" => match self.rng.u8(..4) {
                    0 => json!({}),
                    1 => {
                        json!({"003000000000001AAA": {"Id": "003000000000001AAA", "Name": "Ada", "RecordType": "Contact",
                        "AccountId": "001000000000001AAA"}})
                    }
                    2 => json!({"003000000000001AAA": {"Id": "003000000000001AAA", "RecordType": "Contact"},
                        "00Q000000000001AAA": {"Id": "00Q000000000001AAA", "RecordType": "Lead"},
                        "SCREEN_POP_DATA": {"type": "search", "params": {"searchString": "x"}}}),
                    _ => json!("{\"500000000000001AAA\": {\"Id\": \"500000000000001AAA\"}}"),
                },
                "saveLog" => json!(format!("00T{:012}AAA", self.rng.u32(..100))),
                "runApex" => json!({"runApex": "005000000000001AAA"}),
                _ => Value::Null,
            }),
        }
    }
}

/// A search value as the engine sends it: at most 80 characters before escaping, every SOSL
/// reserved character escaped, no control or bidirectional-override characters, and at least
/// two letters or digits.
fn check_search(sent: &str) -> Result<(), Failure> {
    const RESERVED: &[char] =
        &['?', '&', '|', '!', '{', '}', '[', ']', '(', ')', '^', '~', '*', ':', '\\', '"', '\'', '+', '-'];
    let mut unescaped = String::new();
    let mut chars = sent.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let next = chars.next();
            ensure!(next.is_some_and(|n| RESERVED.contains(&n)), "search-escaped", "dangling backslash in {sent:?}");
            unescaped.extend(next);
        } else {
            ensure!(!RESERVED.contains(&c), "search-escaped", "unescaped {c:?} in {sent:?}");
            unescaped.push(c);
        }
    }
    ensure!(unescaped.chars().count() <= 80, "search-at-most-80", "{} chars: {sent:?}", unescaped.chars().count());
    let bidi = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    ensure!(!unescaped.chars().any(|c| c.is_control() || bidi(c)), "search-clean", "{sent:?}");
    ensure!(unescaped.chars().filter(|c| c.is_alphanumeric()).count() >= 2, "search-searchable", "{sent:?}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// date-pattern
// ---------------------------------------------------------------------------------------------

/// `millis offset` on the first line, the pattern (also read as a subject template) after it.
fn seeds_date_pattern(_root: &Path) -> Vec<Vec<u8>> {
    let patterns = [
        "MM-dd-yyyy hh:mm a",
        "MM-DD-YYYY hh:mm a",
        "dd/MM/yyyy HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss.SSS",
        "YYYY-MM-DD[T]HH:mm:ss",
        "EEEE, MMMM d, yyyy",
        "dddd D MMM YYYY",
        "hh 'o''clock' a",
        "''yy",
        "[Week of] MMM D",
        "yyyy年MM月dd日",
        "yyyy-QQ",
        "MMMMM",
        "yyyy 'T",
        "YYYY [T",
        "{direction} Call {activityDatetime}",
        "{ani}{ani} {{dnis}} {a{queue} }{",
        "",
    ];
    let instants =
        ["1795359845123 -300", "0 0", "-1 0", "9223372036854775807 2147483647", "-9223372036854775808 -2147483648"];
    let mut out = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        out.push(format!("{}\n{p}", instants[i % instants.len()]).into_bytes());
    }
    out
}

fn date_pattern_text(g: &mut Gen<'_>) -> String {
    const TOKENS: &[&str] = &[
        "yyyy",
        "yy",
        "y",
        "yyy",
        "YYYY",
        "YY",
        "Y",
        "M",
        "MM",
        "MMM",
        "MMMM",
        "d",
        "dd",
        "ddd",
        "dddd",
        "D",
        "DD",
        "E",
        "EEE",
        "EEEE",
        "H",
        "HH",
        "h",
        "hh",
        "m",
        "mm",
        "s",
        "ss",
        "SSS",
        "a",
        "aa",
        "A",
        "'",
        "''",
        "'at'",
        "[",
        "]",
        "[at]",
        "-",
        "/",
        ":",
        " ",
        ".",
        ",",
        "年",
        "😀",
        "\u{202e}",
        "Q",
        "x",
        "Z",
        "S",
        "SS",
        "SSSS",
        "MMMMM",
        "AA",
        "yyyyy",
        "{",
        "}",
        "{direction}",
        "{activityDatetime}",
        "{ ani }",
        "\\",
        "\n",
        "T",
    ];
    (0..g.rng.usize(..16)).map(|_| if g.chance(0.9) { g.pick(TOKENS).to_string() } else { g.hostile() }).collect()
}

fn template_text(g: &mut Gen<'_>) -> String {
    const TOKENS: &[&str] = &[
        "{direction}",
        "{activityDatetime}",
        "{ani}",
        "{dnis}",
        "{queue}",
        "{interactionId}",
        "{callReason}",
        " Call ",
        "{",
        "}",
        "{ }",
        "{{",
        "}}",
        "{Direction}",
        "{ani ",
        "x",
    ];
    (0..g.rng.usize(..10)).map(|_| if g.chance(0.9) { g.pick(TOKENS).to_string() } else { g.hostile() }).collect()
}

fn generate_date_pattern(g: &mut Gen<'_>) -> Vec<u8> {
    let millis = match g.rng.u8(..8) {
        0 => g.pick(&[
            i64::MIN,
            i64::MAX,
            0,
            -1,
            253_402_300_799_999,
            253_402_300_800_000,
            -377_705_116_800_000,
            -377_705_116_800_001,
        ]),
        1 => g.rng.i64(..),
        2 => g.rng.i64(-400_000_000_000_000..300_000_000_000_000),
        _ => g.rng.i64(1_600_000_000_000..1_900_000_000_000),
    };
    let offset = match g.rng.u8(..6) {
        0 => g.pick(&[i32::MIN, i32::MAX, 0, -1, 1, 1_440, -1_440, 840, -720]),
        1 => g.rng.i32(..),
        _ => g.rng.i32(-1_440..=1_440),
    };
    let pattern = match g.rng.u8(..10) {
        0..=4 => date_pattern_text(g),
        5 => template_text(g),
        6 => format!("{}{}", date_pattern_text(g), template_text(g)),
        _ => {
            let (_, pattern) = split_date_case(&g.base());
            let mut bytes = pattern.into_bytes();
            mutate_bytes(
                g,
                &mut bytes,
                &["y", "M", "d", "D", "H", "h", "m", "s", "S", "a", "A", "E", "'", "[", "]", "{", "}", "Q"],
            );
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    format!("{millis} {offset}\n{pattern}").into_bytes()
}

fn split_date_case(input: &[u8]) -> ((i64, i32), String) {
    let text = String::from_utf8_lossy(input);
    let (head, pattern) = text.split_once('\n').unwrap_or(("", text.as_ref()));
    let mut numbers = head.split_whitespace();
    let millis = numbers.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let offset = numbers.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    ((millis, offset), pattern.to_string())
}

/// An error points inside the pattern, at its token; a pattern without letters, quotes or
/// brackets is literal; formatting at an offset is formatting the shifted instant; quoted and
/// bracketed text is literal; a template lists each variable once and renders each; the config
/// keeps exactly the patterns that parse and reports the others.
fn check_date_pattern(input: &[u8]) -> Result<u64, Failure> {
    let ((millis, offset), pattern) = split_date_case(input);
    let chars = pattern.chars().count();
    let parsed = DatePattern::parse(&pattern);
    let signature = match &parsed {
        Err(err) => {
            ensure!(err.position() < chars, "pattern-error-position", "{err:?} in a pattern of {chars} chars");
            ensure!(!err.to_string().is_empty(), "pattern-error-message", "{err:?}");
            if let PatternError::UnknownLetter { token, position }
            | PatternError::UnsupportedLength { token, position } = err
            {
                let at: String = pattern.chars().skip(*position).take(token.chars().count()).collect();
                ensure!(at == *token, "pattern-error-token", "{err:?} but the pattern has {at:?} there");
            }
            format!("err {:?}", std::mem::discriminant(err))
        }
        Ok(p) => {
            ensure!(p.as_str() == pattern && p.to_string() == pattern, "pattern-as-written", "{:?}", p.as_str());
            let out = p.format(millis, offset);
            // Every character that is not a letter, a quote or a bracket is literal.
            if !pattern.chars().any(|c| c.is_ascii_alphabetic() || c == '\'' || c == '[') {
                ensure!(out == pattern, "pattern-literals", "{pattern:?} formats as {out:?}");
            }
            // Formatting at an offset is formatting the shifted instant in UTC (inside the range
            // where nothing is clamped).
            let local = i128::from(millis) + i128::from(offset) * 60_000;
            if (-377_000_000_000_000..253_000_000_000_000).contains(&local) {
                if let Ok(shifted) = i64::try_from(local) {
                    let utc = p.format(shifted, 0);
                    ensure!(out == utc, "pattern-offset-is-a-shift", "{out:?} at offset {offset} vs {utc:?} shifted");
                }
            }
            format!("ok {}", out.chars().filter(char::is_ascii_digit).count().min(20))
        }
    };
    // Quoted or bracketed, any text is literal.
    let quoted: String = pattern.chars().filter(|&c| c != '\'').collect();
    if !quoted.is_empty() {
        let p = DatePattern::parse(&format!("'{quoted}'"));
        let out = p.as_ref().map(|p| p.format(millis, offset));
        ensure!(out.as_deref() == Ok(quoted.as_str()), "quoted-text-is-literal", "'{quoted}' gives {out:?}");
    }
    let bracketed: String = pattern.chars().filter(|&c| c != ']').collect();
    let p = DatePattern::parse(&format!("[{bracketed}]"));
    let out = p.as_ref().map(|p| p.format(millis, offset));
    ensure!(out.as_deref() == Ok(bracketed.as_str()), "bracketed-text-is-literal", "[{bracketed}] gives {out:?}");

    // The same text as a Task subject template.
    let template = SubjectTemplate::parse(&pattern);
    ensure!(template.as_str() == pattern, "template-as-written", "{:?}", template.as_str());
    let names: Vec<String> = template.variables().map(str::to_string).collect();
    let unique: BTreeSet<&String> = names.iter().collect();
    ensure!(unique.len() == names.len(), "template-variables-once", "{names:?}");
    for n in &names {
        ensure!(!n.is_empty() && n.trim() == n && !n.contains(['{', '}']), "template-variable-names", "{n:?}");
    }
    let marked = template.render(|n| Some(format!("\u{1}{n}\u{2}")));
    for n in &names {
        ensure!(
            marked.contains(&format!("\u{1}{n}\u{2}")),
            "template-renders-variables",
            "{n:?} missing from {marked:?}"
        );
    }
    let bare = template.render(|_| None);
    ensure!(bare.len() <= pattern.len(), "template-unknown-renders-nothing", "{bare:?} longer than {pattern:?}");
    if !pattern.contains(['{', '}']) {
        ensure!(bare == pattern, "template-without-braces", "{bare:?} vs {pattern:?}");
    }

    // Through the configuration: a pattern that parses is used, one that does not is reported.
    let loaded = config::from_settings([
        ("/reqActivityRecordConfig/SubjectDateFormat", pattern.as_str()),
        ("/reqActivityRecordConfig/ActivitySubjectTemplate", pattern.as_str()),
    ]);
    let trimmed = pattern.trim();
    let usable = DatePattern::parse(trimmed).is_ok();
    let reported = loaded.diagnostics.iter().any(|d| d.code == Code::BadDatePattern);
    ensure!(usable != reported, "config-date-pattern", "parses: {usable}, reported: {reported}");
    if usable {
        ensure!(
            loaded.config.activity.subject_date_pattern == trimmed,
            "config-date-pattern",
            "{:?} configured for {trimmed:?}",
            loaded.config.activity.subject_date_pattern
        );
    }
    check_unpositioned(&loaded.diagnostics, false)?;
    Ok(hash_of(&(
        signature,
        names.len().min(4),
        pattern.chars().filter(char::is_ascii_alphabetic).collect::<BTreeSet<char>>(),
    )))
}

// ---------------------------------------------------------------------------------------------
// phone
// ---------------------------------------------------------------------------------------------

/// The number on the first line, the prefix list text after it.
fn seeds_phone(_root: &Path) -> Vec<Vec<u8>> {
    let cases = [
        ("+12125550101", "+1,+91"),
        ("+1 (212) 555-0101 x12", "+1"),
        ("001 212 555 0101", "001,00"),
        ("+919876543210", "+91,+1"),
        ("00919876543210", ""),
        ("(212) 555-0101", " +1 , +91 ,"),
        ("212-555-0101 ext. 9", "+ 1"),
        ("212 555 0101;ext=12", "1"),
        ("1-800-XEROX", "1"),
        ("jane@example.com", "+1"),
        ("٠١٢ １２ 3", ""),
        ("+1+12125550101", "+1,+12"),
        ("4001", ""),
        ("é12", "é"),
    ];
    cases.iter().map(|(n, p)| format!("{n}\n{p}").into_bytes()).collect()
}

fn prefix_text(g: &mut Gen<'_>) -> String {
    (0..g.rng.usize(..5))
        .map(|_| match g.rng.u8(..6) {
            0 => g.hostile(),
            1 => g.pick(&["", " ", "+", "+ 1", "(+1)", "0", "00", "011"]).to_string(),
            _ => format!(
                "{}{}",
                if g.chance(0.6) { "+" } else { "" },
                (0..g.rng.usize(1..4)).map(|_| g.rng.digit(10)).collect::<String>()
            ),
        })
        .collect::<Vec<_>>()
        .join(g.pick(&[",", ", ", " , ", ",,"]))
}

fn generate_phone(g: &mut Gen<'_>) -> Vec<u8> {
    const ALPHABET: &[char] = &[
        '+',
        '0',
        '1',
        '2',
        '5',
        '9',
        ' ',
        '(',
        ')',
        '-',
        '.',
        '/',
        'x',
        'X',
        'e',
        't',
        'n',
        's',
        'i',
        'o',
        '#',
        ';',
        '=',
        'é',
        '١',
        '１',
        '\u{200b}',
        '\u{1F4DE}',
        '\u{202e}',
        '\t',
        '*',
        '?',
    ];
    let number = match g.rng.u8(..10) {
        0..=3 => ani_text(g),
        4..=6 => (0..g.rng.usize(..30)).map(|_| g.pick(ALPHABET)).collect(),
        7 => format!(
            "{} {}",
            ani_text(g),
            g.pick(&["x12", "ext. 9", "extension 1", ";ext=3", "#4", "EXT 5", "x", "ext"])
        ),
        8 => g.long_string(),
        _ => {
            let (number, _) = split_phone_case(&g.base());
            let mut bytes = number.into_bytes();
            mutate_bytes(g, &mut bytes, &["+", "1", "00", " ", "x", "ext.", ";ext=", "#", "(", ")", "-"]);
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    let number = number.replace('\n', " ");
    format!("{number}\n{}", prefix_text(g)).into_bytes()
}

fn split_phone_case(input: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(input);
    match text.split_once('\n') {
        Some((n, p)) => (n.to_string(), p.to_string()),
        None => (text.into_owned(), String::new()),
    }
}

/// What `src/phone.rs` documents: prefix lists clean, unique and longest first; the longest
/// prefix stripped whatever the order; digits only, and idempotent, for dialing; at most three
/// distinct search candidates, the key as configured first.
fn check_phone(input: &[u8]) -> Result<u64, Failure> {
    let (number, prefix_list) = split_phone_case(input);
    let prefixes = phone::parse_prefix_list(&prefix_list);
    // The prefix list: trimmed, no empties, no duplicates, longest first; reading it back is a no-op.
    for (i, p) in prefixes.iter().enumerate() {
        ensure!(!p.is_empty() && p.trim() == p && !p.contains(','), "prefix-list-clean", "{prefixes:?}");
        ensure!(!prefixes.iter().skip(i + 1).any(|q| q == p), "prefix-list-unique", "{prefixes:?}");
        if let Some(next) = prefixes.get(i + 1) {
            ensure!(p.chars().count() >= next.chars().count(), "prefix-list-longest-first", "{prefixes:?}");
        }
    }
    ensure!(phone::parse_prefix_list(&prefixes.join(",")) == prefixes, "prefix-list-idempotent", "{prefixes:?}");
    // What the configuration keeps (split, trimmed; not sorted): order must not matter.
    let configured: Vec<String> =
        prefix_list.split(',').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect();
    let mut reversed = configured.clone();
    reversed.reverse();

    // strip_prefix: the longest matching prefix goes, whatever the order; the rest is trimmed.
    let stripped = phone::strip_prefix(&number, &configured);
    let trimmed = number.trim();
    let longest =
        configured.iter().map(|p| p.trim()).filter(|p| !p.is_empty() && trimmed.starts_with(p)).max_by_key(|p| p.len());
    let expected = longest.map_or(trimmed, |p| trimmed.get(p.len()..).unwrap_or("")).trim();
    ensure!(stripped == expected, "strip-longest-prefix", "{stripped:?}, expected {expected:?}");
    ensure!(phone::strip_prefix(&number, &reversed) == stripped, "strip-order-independent", "{configured:?}");
    ensure!(phone::strip_prefix(&number, &prefixes) == stripped, "strip-order-independent", "{prefixes:?}");

    // digits and dial_digits: ASCII digits only, and normalising twice changes nothing.
    let digits = phone::digits(&number);
    ensure!(digits.bytes().all(|b| b.is_ascii_digit()), "digits-only", "{digits:?}");
    ensure!(digits.len() == number.bytes().filter(u8::is_ascii_digit).count(), "digits-all", "{digits:?}");
    ensure!(phone::digits(&digits) == digits, "digits-idempotent", "{digits:?}");
    let dial = phone::dial_digits(&number, &configured);
    ensure!(dial.bytes().all(|b| b.is_ascii_digit()), "dial-digits-only", "{dial:?}");
    ensure!(dial.len() <= digits.len() && digits.contains(&dial), "dial-from-the-number", "{dial:?} from {digits:?}");
    ensure!(phone::dial_digits(&dial, &[]) == dial, "dial-idempotent", "{dial:?}");
    ensure!(phone::dial_digits(&number, &reversed) == dial, "dial-order-independent", "{configured:?}");

    // search_candidates: at most three, distinct, non-empty; the key as configured first; the
    // others are digits (E.164 at most 20, national at most 10).
    let looks = phone::looks_like_phone(&number);
    let candidates = phone::search_candidates(&number);
    ensure!(candidates.len() <= 3, "candidates-at-most-3", "{candidates:?}");
    for (i, c) in candidates.iter().enumerate() {
        ensure!(
            !c.is_empty() && !candidates.iter().skip(i + 1).any(|d| d == c),
            "candidates-distinct",
            "{candidates:?}"
        );
    }
    match candidates.first() {
        None => ensure!(trimmed.is_empty(), "candidates-configured-first", "no candidate for {trimmed:?}"),
        Some(first) => ensure!(first == trimmed, "candidates-configured-first", "{first:?} for {trimmed:?}"),
    }
    if !looks {
        ensure!(candidates.len() <= 1, "candidates-not-a-phone", "{candidates:?}");
    } else {
        ensure!(digits.len() >= 3, "looks-like-phone-digits", "{number:?}");
        for c in candidates.iter().skip(1) {
            ensure!(c.bytes().all(|b| b.is_ascii_digit()) && c.len() <= 20, "candidates-digits", "{candidates:?}");
        }
        if let Some(last) = candidates.get(1..).and_then(<[String]>::last) {
            ensure!(last.len() <= 11, "candidates-national-last", "{candidates:?}");
        }
    }
    Ok(hash_of(&(looks, candidates.len(), dial.len().min(21), prefixes.len().min(4), stripped.len() < trimmed.len())))
}
