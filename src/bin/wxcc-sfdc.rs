//! `wxcc-sfdc`: the admin and developer command line of the adapter.
//!
//! `main` only maps `run()` to an exit code; every subcommand returns a `Result` and the error
//! enum decides the code in one place.
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wxcc_sfdc_adapter::config::{self, Loaded};
use wxcc_sfdc_adapter::layout;

/// Checks and explains Salesforce call center definitions for the WxCC ↔ Salesforce adapter.
#[derive(Parser)]
#[command(name = "wxcc-sfdc", version, about, long_about = None)]
struct Opts {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a call center definition (XML, or a getCallCenterSettings map as JSON) and print
    /// every problem with its line and a hint. Exits 0 with no errors (warnings allowed),
    /// 1 with errors, 2 when the file cannot be read.
    Validate {
        /// The call center definition: `.xml`, or `.json` holding {"/section/item": "value"}.
        file: PathBuf,
        /// Print the diagnostics as a JSON array of {severity, code, path, line, column, message, hint}.
        #[arg(long)]
        json: bool,
    },
    /// Print the configuration the adapter will run with, as JSON (our names, defaults filled
    /// in for missing or broken items). Diagnostics go to stderr.
    Config {
        /// The call center definition (XML or settings-map JSON).
        file: PathBuf,
    },
    /// Run a scenario (SPEC §8) natively against the in-memory Salesforce and print the
    /// result as one JSON document: the calls made, the pops, the Tasks and Cases left in the
    /// org, presence, round trips and diagnostics. Same scenario, same output, every run.
    Replay {
        /// The scenario JSON; a `callCenter` path is read relative to it.
        file: PathBuf,
    },
    /// Write our WxCC desktop layout for your widget host, check a layout, or insert our widget
    /// into one.
    Layout {
        #[command(subcommand)]
        command: LayoutCommand,
    },
}

#[derive(Subcommand)]
enum LayoutCommand {
    /// Print our role-based desktop layout (the adapter in every role that takes calls, and the
    /// "Salesforce Actions" tab) with your widget host filled in, ready to upload.
    New {
        /// The URL of our widget.js (https).
        #[arg(long)]
        script: String,
    },
    /// Check a desktop layout (0.0.6 or role-based 0.1.0) and print every problem with its JSON
    /// pointer, line and a hint. Exits 0 with no errors (warnings allowed), 1 with errors,
    /// 2 when the file cannot be read.
    Check {
        /// The desktop layout JSON.
        file: PathBuf,
        /// Print the problems as a JSON array of {severity, code, path, line, column, message, hint}.
        #[arg(long)]
        json: bool,
    },
    /// Insert wxcc-sfdc-adapter into every role that takes calls (replacing the vendor
    /// connector) and print the new layout to stdout; nothing else changes, and running it
    /// again changes nothing.
    Add {
        /// The URL of our widget.js (https).
        #[arg(long)]
        script: String,
        /// Also give each of those roles the "Salesforce Actions" panel tab (wxcc-sfdc-actions).
        #[arg(long)]
        panel: bool,
        /// The existing desktop layout JSON.
        file: PathBuf,
    },
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{0} error(s) in the call center definition")]
    Invalid(usize),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0} error(s) in the desktop layout")]
    LayoutInvalid(usize),
    #[error("{0}")]
    Replay(#[from] wxcc_sfdc_adapter::sim::replay::ReplayError),
    #[error("the scenario is not valid JSON: {0}")]
    Scenario(serde_json::Error),
    #[error("{0}")]
    LayoutAdd(#[from] layout::AddError),
    /// The reader of our output went away (`wxcc-sfdc validate … | head`): stop quietly.
    #[error("output closed")]
    ClosedPipe,
    #[error("cannot write the output: {0}")]
    Write(std::io::Error),
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid(_)
            | CliError::LayoutInvalid(_)
            | CliError::LayoutAdd(_)
            | CliError::Replay(_)
            | CliError::Scenario(_) => 1,
            CliError::Read { .. } | CliError::Json(_) | CliError::Write(_) => 2,
            CliError::ClosedPipe => 0,
        }
    }
}

/// Our role-based layout, as shipped (layouts/), and the placeholder widget URL it carries.
const OUR_LAYOUT: &str = include_str!("../../layouts/wxcc-sfdc-desktop-layout.json");
const OUR_LAYOUT_SCRIPT: &str = "https://widgets.example.com/wxcc-sfdc-adapter/0.1.0/widget.js";

fn main() -> ExitCode {
    // The npm package runs this program as WebAssembly (WASI) under Node, with the host's `/`
    // as its only directory; its runner passes the working directory in `PWD`, so that paths
    // are read and printed exactly as the native CLI does.
    #[cfg(target_os = "wasi")]
    if let Some(dir) = std::env::var_os("PWD") {
        if let Err(err) = std::env::set_current_dir(&dir) {
            eprintln!("wxcc-sfdc: cannot use the working directory {}: {err}", Path::new(&dir).display());
        }
    }
    let opts = Opts::parse();
    match run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if !matches!(err, CliError::Invalid(_) | CliError::ClosedPipe) {
                eprintln!("wxcc-sfdc: {err}");
            }
            ExitCode::from(err.exit_code())
        }
    }
}

fn run(opts: Opts) -> Result<(), CliError> {
    match opts.command {
        Command::Validate { file, json } => validate(&file, json),
        Command::Replay { file } => replay(&file),
        Command::Layout { command: LayoutCommand::Check { file, json } } => layout_check(&file, json),
        Command::Layout { command: LayoutCommand::New { script } } => {
            out(&layout::fill_script(OUR_LAYOUT, OUR_LAYOUT_SCRIPT, &script)?)
        }
        Command::Layout { command: LayoutCommand::Add { script, panel, file } } => {
            out(&layout::add(&read(&file)?, &script, panel)?)?;
            Ok(())
        }
        Command::Config { file } => {
            let loaded = load(&file)?;
            for d in &loaded.diagnostics {
                eprintln!("{}", d.render(&file.display().to_string()));
            }
            outln(&serde_json::to_string_pretty(&loaded.config)?)?;
            Ok(())
        }
    }
}

/// Writes to stdout; a reader that went away ends the command quietly instead of a panic.
fn out(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(|e| match e.kind() {
        std::io::ErrorKind::BrokenPipe => CliError::ClosedPipe,
        _ => CliError::Write(e),
    })
}

fn outln(text: &str) -> Result<(), CliError> {
    out(&format!("{text}\n"))
}

fn load(file: &Path) -> Result<Loaded, CliError> {
    let text = read(file)?;
    let is_json = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start_matches('\u{feff}').trim_start().starts_with('{');
    Ok(if is_json { config::from_definition_json(&text) } else { config::from_xml(&text) })
}

fn validate(file: &Path, json: bool) -> Result<(), CliError> {
    let loaded = load(file)?;
    let name = file.display().to_string();
    if json {
        outln(&serde_json::to_string_pretty(&loaded.diagnostics)?)?;
    } else {
        for d in &loaded.diagnostics {
            outln(&d.render(&name))?;
        }
        let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = loaded.diagnostics.iter().filter(|d| d.severity == config::Severity::Warning).count();
        outln(&format!("{name}: {errors} error(s), {warnings} warning(s)"))?;
    }
    match loaded.diagnostics.iter().filter(|d| d.is_error()).count() {
        0 => Ok(()),
        n => Err(CliError::Invalid(n)),
    }
}

/// Reads a file, naming it as given when it cannot be read. The reason leaves out the OS error
/// number, which differs between the native CLI and its WebAssembly build (WASI numbers errors
/// its own way), so both print the same line.
fn read(file: &Path) -> Result<String, CliError> {
    if file.is_dir() {
        // Said in our words: the two builds' systems name this error differently.
        return Err(CliError::Read { path: file.display().to_string(), reason: "it is a folder, not a file".into() });
    }
    std::fs::read_to_string(file).map_err(|err| {
        let text = err.to_string();
        let reason = text.split(" (os error").next().unwrap_or(&text).to_string();
        CliError::Read { path: file.display().to_string(), reason }
    })
}

fn layout_check(file: &Path, json: bool) -> Result<(), CliError> {
    let issues = layout::check(&read(file)?);
    let name = file.display().to_string();
    if json {
        outln(&serde_json::to_string_pretty(&issues)?)?;
    } else {
        for issue in &issues {
            outln(&issue.render(&name))?;
        }
        let errors = issues.iter().filter(|i| i.is_error()).count();
        let warnings = issues.iter().filter(|i| i.severity == config::Severity::Warning).count();
        outln(&format!("{name}: {errors} error(s), {warnings} warning(s)"))?;
    }
    match issues.iter().filter(|i| i.is_error()).count() {
        0 => Ok(()),
        n => Err(CliError::LayoutInvalid(n)),
    }
}

fn replay(file: &Path) -> Result<(), CliError> {
    let mut scenario: serde_json::Value = serde_json::from_str(&read(file)?).map_err(CliError::Scenario)?;
    // A callCenter given as a path is read here, relative to the scenario, so the replay
    // itself stays free of file access.
    if let Some(serde_json::Value::String(path)) = scenario.get("callCenter") {
        if !path.trim_start_matches('\u{feff}').trim_start().starts_with('<') {
            let full = file.parent().unwrap_or_else(|| Path::new(".")).join(path);
            let text = read(&full)?;
            let value = if full.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
                serde_json::from_str(&text).map_err(CliError::Scenario)?
            } else {
                serde_json::Value::String(text)
            };
            if let Some(obj) = scenario.as_object_mut() {
                obj.insert("callCenter".into(), value);
            }
        }
    }
    let output = wxcc_sfdc_adapter::sim::replay::run(&scenario)?;
    outln(&serde_json::to_string_pretty(&output)?)?;
    Ok(())
}
