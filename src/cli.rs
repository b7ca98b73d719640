//! The command line: `policybook build`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::site::{self, BuildOptions};

/// Turns a policy guide into a static, bilingual handbook.
#[derive(Debug, Parser)]
#[command(name = "policybook", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from the content folder into the output folder.
    Build {
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// The output folder; replaced as a whole only when the build succeeds.
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
}

/// Runs the command line; returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build { content, out, quiet } => {
            let opts = BuildOptions {
                content,
                out,
                themes: None,
            };
            match site::build(&opts) {
                Ok(report) => {
                    for w in &report.warnings {
                        eprintln!("warning: {w}");
                    }
                    if !quiet {
                        println!(
                            "built {} pages in 2 languages into {} in {} ms",
                            report.pages,
                            opts.out.display(),
                            report.elapsed.as_millis()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{}", prefixed(&e));
                    if !e.diagnostics().is_empty() || matches!(e, crate::Error::Io { .. }) {
                        eprintln!("The previous output in {} was left as it was.", opts.out.display());
                    }
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn prefixed(e: &crate::Error) -> String {
    let s = e.to_string();
    if s.starts_with("error: ") {
        s
    } else {
        format!("error: {s}")
    }
}
