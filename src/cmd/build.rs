//! `certguide build`: the whole site into `public/` (or `--output`), with a progress bar on
//! long builds in a terminal.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;

use super::{Common, fail, succeed};

#[derive(Args)]
pub struct BuildArgs {
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
}

pub fn run(args: BuildArgs) -> ExitCode {
    let BuildArgs {
        output,
        base_url,
        drafts,
        common,
    } = args;
    let progress = Arc::new(certguide::Progress::default());
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
            let summary = format!(
                "Built {} pages ({} files) into {} in {} ms",
                report.pages,
                report.files,
                report.output.display(),
                report.elapsed.as_millis(),
            );
            succeed(&common, &report.warnings, &summary);
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

/// A progress bar that appears only when the build has run for a second and stderr is a
/// terminal.
fn progress_bar(progress: Arc<certguide::Progress>) -> ProgressHandle {
    use std::io::IsTerminal;
    let stop = Arc::new(AtomicBool::new(false));
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
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ProgressHandle {
    fn finish(self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread {
            let _ = t.join();
        }
    }
}
