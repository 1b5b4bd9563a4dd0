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
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{0} error(s) in the call center definition")]
    Invalid(usize),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid(_) => 1,
            CliError::Read { .. } | CliError::Json(_) => 2,
        }
    }
}

fn main() -> ExitCode {
    let opts = Opts::parse();
    match run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if !matches!(err, CliError::Invalid(_)) {
                eprintln!("wxcc-sfdc: {err}");
            }
            ExitCode::from(err.exit_code())
        }
    }
}

fn run(opts: Opts) -> Result<(), CliError> {
    match opts.command {
        Command::Validate { file, json } => validate(&file, json),
        Command::Config { file } => {
            let loaded = load(&file)?;
            for d in &loaded.diagnostics {
                eprintln!("{}", d.render(&file.display().to_string()));
            }
            println!("{}", serde_json::to_string_pretty(&loaded.config)?);
            Ok(())
        }
    }
}

fn load(file: &Path) -> Result<Loaded, CliError> {
    let text =
        std::fs::read_to_string(file).map_err(|source| CliError::Read { path: file.display().to_string(), source })?;
    let is_json = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start_matches('\u{feff}').trim_start().starts_with('{');
    Ok(if is_json { config::from_settings_json(&text) } else { config::from_xml(&text) })
}

fn validate(file: &Path, json: bool) -> Result<(), CliError> {
    let loaded = load(file)?;
    let name = file.display().to_string();
    if json {
        println!("{}", serde_json::to_string_pretty(&loaded.diagnostics)?);
    } else {
        for d in &loaded.diagnostics {
            println!("{}", d.render(&name));
        }
        let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = loaded.diagnostics.iter().filter(|d| d.severity == config::Severity::Warning).count();
        println!("{name}: {errors} error(s), {warnings} warning(s)");
    }
    match loaded.diagnostics.iter().filter(|d| d.is_error()).count() {
        0 => Ok(()),
        n => Err(CliError::Invalid(n)),
    }
}
