//! `certguide check`: every validation of `build` plus the internal-link crawl, writing
//! nothing; `--strict` fails on warnings too.

use std::process::ExitCode;

use clap::Args;

use super::{Common, fail, succeed, warnings_note};
use certguide::diagnostics;

#[derive(Args)]
pub struct CheckArgs {
    /// Check drafts too
    #[arg(long)]
    drafts: bool,
    /// Fail (exit 1) on warnings too: unverified and stale records
    #[arg(long)]
    strict: bool,
    /// Check links as they would be under this URL (a sub-path, say)
    #[arg(long, value_name = "URL", value_parser = certguide::config::check_base_url)]
    base_url: Option<String>,
    #[command(flatten)]
    common: Common,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let CheckArgs {
        drafts,
        strict,
        base_url,
        common,
    } = args;
    let opts = certguide::LoadOptions { base_url, drafts };
    match certguide::check(&common.root, &opts) {
        Ok(report) if strict && !report.warnings.is_empty() => {
            diagnostics::print(&common.root, &report.warnings);
            eprintln!(
                "{}; --strict makes them errors",
                warnings_note(report.warnings.len()).trim_start_matches(", ")
            );
            ExitCode::from(1)
        }
        Ok(report) => {
            let summary = format!(
                "Checked {} pages and {} internal links: no errors",
                report.pages, report.links_checked
            );
            succeed(&common, &report.warnings, &summary);
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&common, &diags, false),
    }
}
