//! The commands that write files for the user to edit: `new`, `init` and `schema`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::Common;

#[derive(Args)]
pub struct NewArgs {
    #[command(subcommand)]
    what: NewKind,
    #[command(flatten)]
    common: Common,
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

#[derive(Args)]
pub struct InitArgs {
    /// The folder to create the site in (created if missing)
    dir: PathBuf,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
pub struct SchemaArgs {
    /// Write the schemas into ROOT/schema/ instead of printing them
    #[arg(long)]
    write: bool,
    #[command(flatten)]
    common: Common,
}

/// `certguide new certification NAME` / `new article TITLE`.
pub fn new(args: NewArgs) -> ExitCode {
    let result = match args.what {
        NewKind::Certification { name } => {
            certguide::scaffold::new_certification(&args.common.root, &name)
        }
        NewKind::Article { title } => certguide::scaffold::new_article(&args.common.root, &title),
    };
    report_written(&args.common, result.map(|p| vec![p]))
}

/// `certguide init DIR`.
pub fn init(args: InitArgs) -> ExitCode {
    let result = certguide::scaffold::init(&args.dir);
    let code = report_written(&args.common, result);
    if code == ExitCode::SUCCESS && !args.common.quiet {
        eprintln!(
            "A new site is in {}. Preview it with: certguide serve --root {}",
            args.dir.display(),
            args.dir.display()
        );
    }
    code
}

/// `certguide schema [--write]`.
pub fn schema(args: SchemaArgs) -> ExitCode {
    if args.write {
        return report_written(
            &args.common,
            certguide::scaffold::write_schemas(&args.common.root, true),
        );
    }
    let all: serde_json::Map<String, serde_json::Value> = certguide::schema::files()
        .into_iter()
        .map(|(name, v)| (name.to_string(), v))
        .collect();
    println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
    ExitCode::SUCCESS
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
