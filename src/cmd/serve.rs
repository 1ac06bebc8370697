//! `certguide serve`: the live preview.

use std::process::ExitCode;

use clap::Args;

use super::Common;

#[derive(Args)]
pub struct ServeArgs {
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
}

pub fn run(args: ServeArgs) -> ExitCode {
    let opts = certguide::serve::ServeOptions {
        root: args.common.root.clone(),
        bind: args.bind,
        port: args.port,
        open: args.open,
        drafts: args.drafts,
        quiet: args.common.quiet,
        verbose: args.common.verbose,
    };
    match certguide::serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}
