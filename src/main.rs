//! The `certguide` command: parses arguments and hands each command to its module in
//! `cmd/`.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options (its `malloc_conf`, under the prefix tikv-jemallocator gives its
/// symbols). Freed pages go back to the system after 0.1 s instead of 10 s: a build frees
/// most of what it makes as it goes, and with the default its peak memory at 10,000
/// records was 8 % higher for no time saved. One arena for both threads, not one each:
/// a page is often freed by the other thread than made it, and with an arena each the
/// peak was 10 MB higher at 10,000 records (1.3 MB at 1,000) for no time saved.
/// `_RJEM_MALLOC_CONF` overrides it.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: &[u8; 29] = b"dirty_decay_ms:100,narenas:1\0";

/// A static-site generator for certification comparison guides.
#[derive(Parser)]
#[command(name = "certguide", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output DIR)
    Build(cmd::build::BuildArgs),
    /// Serve a live preview that rebuilds on every change (never writes public/)
    Serve(cmd::serve::ServeArgs),
    /// Write a ready-to-edit certification or article (never overwrites)
    New(cmd::scaffold::NewArgs),
    /// Create a new site in DIR: site.yaml, the default theme, an example record and article
    Init(cmd::scaffold::InitArgs),
    /// Print the JSON Schemas of records and front matter (or write them to ROOT/schema/)
    Schema(cmd::scaffold::SchemaArgs),
    /// Run every check of `build` plus an internal-link check, writing nothing
    Check(cmd::check::CheckArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => cmd::build::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::New(args) => cmd::scaffold::new(args),
        Command::Init(args) => cmd::scaffold::init(args),
        Command::Schema(args) => cmd::scaffold::schema(args),
        Command::Check(args) => cmd::check::run(args),
    }
}
