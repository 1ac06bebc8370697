//! The commands of the `certguide` binary, one module each: its arguments and a `run`
//! that calls the library and turns the result into output and an exit code. What every
//! command shares (the site root, quiet and verbose, how problems are printed) is here.

pub mod build;
pub mod check;
pub mod scaffold;
pub mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use certguide::diagnostics::{self, Diagnostic};

/// Options every command takes.
#[derive(Args, Clone)]
pub struct Common {
    /// The site root: the folder holding site.yaml
    #[arg(long, value_name = "DIR", default_value = ".", global = true)]
    pub root: PathBuf,
    /// Print only errors
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what happens
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// `, N warnings` (or nothing).
pub fn warnings_note(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".into(),
        n => format!(", {n} warnings"),
    }
}

/// Prints the warnings and then `summary` with their count (`, 2 warnings`), unless quiet.
pub fn succeed(common: &Common, warnings: &[Diagnostic], summary: &str) {
    if !common.quiet {
        diagnostics::print(&common.root, warnings);
        eprintln!("{summary}{}", warnings_note(warnings.len()));
    }
}

/// Prints every problem and a count; exit code 1.
pub fn fail(common: &Common, diags: &[Diagnostic], wrote_nothing: bool) -> ExitCode {
    diagnostics::print(&common.root, diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if !common.quiet {
        eprintln!(
            "{errors} error{} found{}",
            if errors == 1 { "" } else { "s" },
            if wrote_nothing {
                "; nothing was written"
            } else {
                ""
            }
        );
    }
    ExitCode::from(1)
}
