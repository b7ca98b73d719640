use clap::Parser;

fn main() -> std::process::ExitCode {
    policybook::cli::run(policybook::cli::Cli::parse())
}
