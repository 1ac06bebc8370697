//! The `certguide` command: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use certguide::diagnostics::{self, Diagnostic};

/// A static-site generator for certification comparison guides.
#[derive(Parser)]
#[command(name = "certguide", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Common {
    /// The site root: the folder holding site.yaml
    #[arg(long, value_name = "DIR", default_value = ".", global = true)]
    root: PathBuf,
    /// Print only errors
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more about what happens
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output DIR)
    Build {
        /// Write the site here instead of ROOT/public
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Publish under this URL instead of site.yaml's base_url
        #[arg(long, value_name = "URL", value_parser = certguide::config::check_base_url)]
        base_url: Option<String>,
        /// Include records and articles marked `draft: true`
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Serve a live preview that rebuilds on every change (never writes public/)
    Serve {
        /// Address to listen on
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to try first (the next free one is used when it is taken)
        #[arg(long, short, value_name = "N", default_value_t = 1111)]
        port: u16,
        /// Open the preview in a browser
        #[arg(long)]
        open: bool,
        /// Include drafts
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Write a ready-to-edit certification or article (never overwrites)
    New {
        #[command(subcommand)]
        what: NewKind,
        #[command(flatten)]
        common: Common,
    },
    /// Create a new site in DIR: site.yaml, the default theme, an example record and article
    Init {
        /// The folder to create the site in (created if missing)
        dir: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Print the JSON Schemas of records and front matter (or write them to ROOT/schema/)
    Schema {
        /// Write the schemas into ROOT/schema/ instead of printing them
        #[arg(long)]
        write: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Run every check of `build` plus an internal-link check, writing nothing
    Check {
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
    },
}

#[derive(Subcommand)]
enum NewKind {
    /// content/certifications/SLUG.yaml, with every field present and commented
    Certification {
        /// The certification's full name, e.g. "Certified Contact Center Supervisor"
        name: String,
    },
    /// content/articles/SLUG.md, dated today
    Article {
        /// The article's title, e.g. "Is the CCCS worth it?"
        title: String,
    },
}

/// Prints what was written and returns the exit code of a scaffolding command.
fn report_written(common: &Common, result: Result<Vec<PathBuf>, String>) -> ExitCode {
    match result {
        Ok(paths) => {
            if !common.quiet {
                for p in paths {
                    eprintln!("wrote {}", p.display());
                }
            }
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
            common,
        } => {
            let progress = std::sync::Arc::new(certguide::Progress::default());
            let opts = certguide::BuildOptions {
                load: certguide::LoadOptions { base_url, drafts },
                output,
                progress: Some(progress.clone()),
            };
            let bar = (!common.quiet).then(|| progress_bar(progress));
            let result = certguide::build(&common.root, &opts);
            if let Some(bar) = bar {
                bar.finish();
            }
            match result {
                Ok(report) => {
                    if !common.quiet {
                        diagnostics::print(&common.root, &report.warnings);
                        eprintln!(
                            "Built {} pages ({} files) into {} in {} ms{}",
                            report.pages,
                            report.files,
                            report.output.display(),
                            report.elapsed.as_millis(),
                            warnings_note(report.warnings.len())
                        );
                    }
                    if common.verbose {
                        for (phase, time) in &report.phases {
                            eprintln!("  {phase:<40} {:>8.1} ms", time.as_secs_f64() * 1000.0);
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(certguide::Error::Content(diags)) => fail(&common, &diags, true),
                Err(certguide::Error::Output(e)) => fail(&common, &[e.into()], true),
            }
        }
        Command::Serve {
            bind,
            port,
            open,
            drafts,
            common,
        } => {
            let opts = certguide::serve::ServeOptions {
                root: common.root.clone(),
                bind,
                port,
                open,
                drafts,
                quiet: common.quiet,
            };
            match certguide::serve::run(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    ExitCode::from(1)
                }
            }
        }
        Command::New { what, common } => {
            let result = match what {
                NewKind::Certification { name } => {
                    certguide::scaffold::new_certification(&common.root, &name)
                }
                NewKind::Article { title } => {
                    certguide::scaffold::new_article(&common.root, &title)
                }
            };
            report_written(&common, result.map(|p| vec![p]))
        }
        Command::Init { dir, common } => {
            let result = certguide::scaffold::init(&dir);
            let code = report_written(&common, result);
            if code == ExitCode::SUCCESS && !common.quiet {
                eprintln!(
                    "A new site is in {}. Preview it with: certguide serve --root {}",
                    dir.display(),
                    dir.display()
                );
            }
            code
        }
        Command::Schema { write, common } => {
            if write {
                report_written(
                    &common,
                    certguide::scaffold::write_schemas(&common.root, true),
                )
            } else {
                let all: serde_json::Map<String, serde_json::Value> = certguide::schema::files()
                    .into_iter()
                    .map(|(name, v)| (name.to_string(), v))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
                ExitCode::SUCCESS
            }
        }
        Command::Check {
            drafts,
            strict,
            base_url,
            common,
        } => {
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
                    if !common.quiet {
                        diagnostics::print(&common.root, &report.warnings);
                        eprintln!(
                            "Checked {} pages and {} internal links: no errors{}",
                            report.pages,
                            report.links_checked,
                            warnings_note(report.warnings.len())
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => fail(&common, &diags, false),
            }
        }
    }
}

/// `, N warnings` (or nothing).
fn warnings_note(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".into(),
        n => format!(", {n} warnings"),
    }
}

/// A progress bar that appears only when the build has run for a second and stderr is a
/// terminal.
fn progress_bar(progress: std::sync::Arc<certguide::Progress>) -> ProgressHandle {
    use std::io::IsTerminal;
    use std::sync::atomic::Ordering;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let thread = std::io::stderr().is_terminal().then(|| {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let mut bar: Option<indicatif::ProgressBar> = None;
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(100));
                let total = progress.total.load(Ordering::Relaxed) as u64;
                if bar.is_none() && start.elapsed().as_secs() >= 1 && total > 0 {
                    let b = indicatif::ProgressBar::new(total);
                    if let Ok(style) = indicatif::ProgressStyle::with_template(
                        "{spinner} {bar:40} {pos}/{len} files, {elapsed}",
                    ) {
                        b.set_style(style);
                    }
                    bar = Some(b);
                }
                if let Some(b) = &bar {
                    b.set_position(progress.done.load(Ordering::Relaxed) as u64);
                }
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
        })
    });
    ProgressHandle { stop, thread }
}

struct ProgressHandle {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ProgressHandle {
    fn finish(self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread {
            let _ = t.join();
        }
    }
}

fn fail(common: &Common, diags: &[Diagnostic], wrote_nothing: bool) -> ExitCode {
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
