//! The command line. Each command returns its exit status or an [`Error`]; [`run`] alone prints
//! errors (to standard error, with the file, line and what to do) and maps them to exit codes,
//! so every command reports a problem the same way.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use policybook_engine::rules;

use crate::error::{Diagnostic, Error, Result};
use crate::site::{self, BuildOptions};
use crate::Lang;

/// Turns a policy guide into a static, bilingual handbook with search and a self-checker.
#[derive(Debug, Parser)]
#[command(name = "policybook", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--lang`: `zh` (the default) or `en`, read by the engine's `Lang`.
fn lang_arg() -> impl clap::builder::TypedValueParser<Value = Lang> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(["zh", "en"]).try_map(|s| s.parse::<Lang>())
}

/// How `check`, `deadlines` and `redact` print their result.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct OutputArgs {
    /// Language of the readable result (and of the findings on standard error).
    #[arg(long, value_parser = lang_arg(), default_value = "zh")]
    pub lang: Lang,
    /// Print the result as JSON on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Output format of `validate`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Readable, with the offending lines.
    Text,
    /// One JSON object.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from the content folder into the output folder.
    Build {
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// The output folder; updated (changed files only) only when the whole build succeeds.
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Also list every page and asset written, and the time of each phase.
        #[arg(long, short, conflicts_with = "quiet")]
        verbose: bool,
    },
    /// Check the content, theme and links as the build does, without writing anything, plus lints
    /// (outdated translations, glossary, policy sources, this year's line). Exit status 1 on errors.
    Validate {
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// `text` (with the offending lines) or `json` (for scripts).
        #[arg(long, value_enum, default_value = "text")]
        format: FormatArg,
    },
    /// Build into memory and serve the site on 127.0.0.1; rebuild and reload open pages when
    /// content/ or themes/ change. Nothing is written to disk; site/ is not touched.
    Serve {
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// The port on 127.0.0.1; 0 picks a free one (the address is printed).
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
    /// Self-check a household case (YAML or JSON; `-` reads standard input), or with `--batch`
    /// a sheet of households (CSV), or print the sheet's template with `--template`.
    Check {
        /// The case file, or `-` for standard input.
        #[arg(required_unless_present_any = ["batch", "template"], conflicts_with_all = ["batch", "template"])]
        case: Option<PathBuf>,
        /// A sheet of households (CSV in UTF-8, GBK/GB18030 or UTF-16, as spreadsheets save it;
        /// `-` reads standard input): one result per row. Exit status 2 when any row is invalid
        /// (the valid rows are still printed).
        #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["elimination", "template"])]
        batch: Option<PathBuf>,
        /// Print the sheet's template (a row of labels, the header row, an example row).
        #[arg(long, conflicts_with_all = ["elimination", "json", "today"])]
        template: bool,
        /// How to print the result.
        #[command(flatten)]
        output: OutputArgs,
        /// The policy data (monitoring lines and time limits).
        #[arg(long, default_value = "content/policy.yaml")]
        policy: PathBuf,
        /// The date that picks the line in force, YYYY-MM-DD (default: today).
        #[arg(long)]
        today: Option<String>,
        /// The case is a monitored household proposed for risk elimination (Q25–Q29, Q31).
        #[arg(long)]
        elimination: bool,
    },
    /// Procedure deadlines (Q23, Q24, Q33, Q34, Q36) from the date a risk was found or a
    /// Green Channel entry date (YAML or JSON; `-` reads standard input).
    Deadlines {
        /// The input file, e.g. `risk_found: 2024-02-20`, or `-` for standard input.
        input: PathBuf,
        /// How to print the result.
        #[command(flatten)]
        output: OutputArgs,
        /// The policy data (time limits).
        #[arg(long, default_value = "content/policy.yaml")]
        policy: PathBuf,
    },
    /// Privacy check of a public notice (Q38): prints the masked text; lists findings on
    /// standard error. Exit status 0 when nothing was found, 1 when something was, 2 on bad input.
    Redact {
        /// The notice's text file, or `-` for standard input.
        input: PathBuf,
        /// How to print the result.
        #[command(flatten)]
        output: OutputArgs,
        /// The list of health-status words.
        #[arg(long, default_value = "content/sensitive-words.yaml")]
        words: PathBuf,
    },
    /// The yearly monitoring line in policy.yaml: `line add` appends next year's entry (keeping
    /// every comment), `line list` shows the lines with their dates and sources.
    Line {
        /// What to do with the lines.
        #[command(subcommand)]
        action: LineAction,
    },
    /// Search the built site's index, with the same engine as the pages.
    Search {
        /// What to look for.
        query: String,
        /// Which language's index.
        #[arg(long, value_parser = lang_arg(), default_value = "zh")]
        lang: Lang,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// The built site.
        #[arg(long, default_value = "site")]
        site: PathBuf,
        /// How many results at most.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

/// `policybook line …`.
#[derive(Debug, Subcommand)]
pub enum LineAction {
    /// Append a year's line at the end of `monitoring_lines`, keeping every comment and the
    /// layout; refused, with `validate`'s messages and nothing written, when the check fails.
    Add {
        /// The entry.
        #[command(flatten)]
        entry: crate::line::NewLine,
        /// The policy data file.
        #[arg(long, default_value = "content/policy.yaml")]
        policy: PathBuf,
    },
    /// Show the monitoring lines with their dates, status and sources.
    List {
        /// The policy data file.
        #[arg(long, default_value = "content/policy.yaml")]
        policy: PathBuf,
    },
}

/// Runs the command line; returns the process's exit code. The one place where an error is
/// printed and given its exit status: 2 for a command's bad input, 1 for the rest.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", e.report());
            ExitCode::from(e.exit_code())
        }
    }
}

fn dispatch(command: Command) -> Result<ExitCode> {
    match command {
        Command::Build {
            content,
            out,
            quiet,
            verbose,
        } => build(content, out, quiet, verbose),
        Command::Validate { content, format } => Ok(crate::validate::run(
            content,
            match format {
                FormatArg::Text => crate::validate::Format::Text,
                FormatArg::Json => crate::validate::Format::Json,
            },
        )),
        Command::Serve { content, port } => crate::serve::run(content, port),
        Command::Check {
            template: true, output, ..
        } => {
            emit(&policybook_engine::screen::template(output.lang));
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            batch: Some(sheet),
            output,
            policy,
            today,
            ..
        } => batch(&sheet, output.lang, output.json, &policy, today.as_deref()),
        Command::Check {
            case,
            output,
            policy,
            today,
            elimination,
            ..
        } => {
            // clap requires a case unless --batch or --template is given.
            let case = case.unwrap_or_else(|| PathBuf::from("-"));
            check(&case, output.lang, output.json, &policy, today.as_deref(), elimination)
        }
        Command::Deadlines { input, output, policy } => deadlines(&input, output.lang, output.json, &policy),
        Command::Redact { input, output, words } => redact(&input, output.lang, output.json, &words),
        Command::Line { action } => Ok(line_outcome(match action {
            LineAction::Add { entry, policy } => crate::line::add(&policy, &entry, stderr_color()),
            LineAction::List { policy } => crate::line::list(&policy, crate::clock::today(), stderr_color()),
        })),
        Command::Search {
            query,
            lang,
            json,
            site,
            limit,
        } => search(&query, lang, json, &site, limit),
    }
}

fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `line` prints its own report (with the offending lines of the policy file) and exit status.
fn line_outcome(o: crate::line::Outcome) -> ExitCode {
    emit(&o.stdout);
    eprint!("{}", o.stderr);
    ExitCode::from(o.code)
}

fn build(content: PathBuf, out: PathBuf, quiet: bool, verbose: bool) -> Result<ExitCode> {
    let opts = BuildOptions {
        content,
        out,
        themes: None,
    };
    let report = site::build(&opts).map_err(|e| {
        e.noted(format!(
            "The previous output in {} was left as it was.",
            opts.out.display()
        ))
    })?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    if verbose {
        print!("{}", verbose_report(&report));
    }
    if !quiet {
        println!(
            "built {} pages in 2 languages into {} in {} ms",
            report.pages,
            opts.out.display(),
            report.elapsed.as_millis()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `--verbose`: every file written with its size, by kind, and the time of each phase.
fn verbose_report(report: &site::BuildReport) -> String {
    let size = |n: usize| {
        if n >= 1024 * 1024 {
            format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
        } else {
            format!("{:.1} KB", n as f64 / 1024.0)
        }
    };
    let mut out = String::new();
    let kind = |path: &str| {
        if path.ends_with(".html") {
            "pages"
        } else if path.starts_with("assets/") {
            "assets"
        } else {
            "other files"
        }
    };
    for name in ["pages", "assets", "other files"] {
        let files: Vec<&(String, usize)> = report.written.iter().filter(|(p, _)| kind(p) == name).collect();
        let total: usize = files.iter().map(|(_, n)| n).sum();
        out.push_str(&format!("{name} ({}, {}):\n", files.len(), size(total)));
        for (path, n) in files {
            out.push_str(&format!("  {path:<56} {:>9}\n", size(*n)));
        }
    }
    let phases: Vec<String> = report
        .phases
        .iter()
        .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
        .collect();
    out.push_str(&format!("phases: {}\n", phases.join(" · ")));
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

/// Reads a file, or standard input for `-` (at most as much as a content file): (name for
/// messages, text).
fn read_input(path: &Path) -> Result<(String, String)> {
    if path != Path::new("-") {
        return crate::source::read_text(path)
            .map(|s| (path.display().to_string(), s))
            .map_err(Error::bad_input);
    }
    const STDIN: &str = "standard input";
    let max = crate::source::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::bad_input(Diagnostic::new(STDIN, format!("cannot read: {e}"))))?;
    if bytes.len() as u64 > max {
        return Err(Error::bad_input(
            Diagnostic::new(
                STDIN,
                format!(
                    "more than {} MB; the input is one household's answers, a few hundred bytes",
                    max / (1024 * 1024)
                ),
            )
            .hint("check that the right file is given"),
        ));
    }
    let s = String::from_utf8(bytes)
        .map_err(|_| Error::bad_input(Diagnostic::new(STDIN, "not UTF-8 text").hint("save the input as UTF-8")))?;
    Ok((STDIN.to_string(), s))
}

/// Reads YAML or JSON input into a JSON value, with file:line:column on a syntax error.
fn read_yaml_input(path: &Path) -> Result<(String, serde_json::Value)> {
    let (name, text) = read_input(path)?;
    match crate::yaml::to_value(&text) {
        Ok(v) => Ok((name, v)),
        Err(e) => {
            let d = Diagnostic::new(&name, format!("not valid YAML or JSON: {}", e.message))
                .hint("write one `field: value` per line, as in tests/cases/README.md");
            Err(Error::bad_input(match e.line {
                Some(l) => d.at(l, Some(e.column.unwrap_or(1))),
                None => d,
            }))
        }
    }
}

fn load_policy(path: &Path) -> Result<rules::Policy> {
    crate::policy::load(path).map_err(Error::BadInput)
}

/// The engine's field errors in a command's input `name`, as `name: FIELD: message`.
fn field_errors(name: &str, lang: Lang) -> impl FnOnce(Vec<rules::FieldError>) -> Error + '_ {
    move |errors| {
        Error::BadInput(
            errors
                .iter()
                .map(|e| Diagnostic {
                    path: PathBuf::from(name),
                    line: None,
                    column: None,
                    message: format!("{}: {}", e.field, if lang == Lang::Zh { &e.zh } else { &e.en }),
                    hint: None,
                })
                .collect(),
        )
    }
}

/// A result of the engine as the page receives it, laid out for reading.
fn print_json(value: &dyn policybook_engine::json::ToJson) {
    use policybook_engine::json;
    emit(&format!("{}\n", json::pretty(&json::to_string(value))));
}

/// `--today`, or the clock's date.
fn today_arg(today: Option<&str>) -> Result<rules::Date> {
    match today {
        Some(t) => rules::Date::parse(t).map_err(|e| {
            Error::bad_input(Diagnostic::new(format!("--today {t}"), e).hint("write the date as YYYY-MM-DD"))
        }),
        None => Ok(crate::clock::today()),
    }
}

/// Exit codes of `check`: 0 a result, 2 bad input (the case, the policy data or the options).
fn check(
    case_path: &Path,
    lang: Lang,
    json: bool,
    policy_path: &Path,
    today: Option<&str>,
    elimination: bool,
) -> Result<ExitCode> {
    let policy = load_policy(policy_path)?;
    let today = today_arg(today)?;
    let (name, value) = read_yaml_input(case_path)?;
    if elimination {
        use rules::elimination::{check_elimination, render_text, EliminationCase};
        let outcome = EliminationCase::from_value(&value)
            .and_then(|case| check_elimination(&case, &policy, today))
            .map_err(field_errors(&name, lang))?;
        if json {
            print_json(&outcome);
        } else {
            emit(&render_text(&outcome, lang));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let outcome = rules::Case::from_value(&value)
        .and_then(|case| rules::check(&case, &policy, today))
        .map_err(field_errors(&name, lang))?;
    if json {
        print_json(&outcome);
    } else {
        emit(&rules::render_text(&outcome, lang));
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a sheet's bytes (a file, or standard input for `-`), at most the engine's limit, and
/// decodes them in the encoding they are in: (name for messages, text).
fn read_sheet(path: &Path) -> Result<(String, String)> {
    use policybook_engine::screen::{encoding, MAX_SHEET_BYTES};
    let name = if path == Path::new("-") {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    let cannot = |e: std::io::Error| Error::bad_input(Diagnostic::new(&name, format!("cannot read: {e}")));
    let mut bytes = Vec::new();
    let limit = MAX_SHEET_BYTES as u64 + 1;
    if path == Path::new("-") {
        std::io::stdin().take(limit).read_to_end(&mut bytes).map_err(cannot)?;
    } else {
        let meta = std::fs::metadata(path).map_err(cannot)?;
        if !meta.is_file() {
            return Err(Error::bad_input(crate::source::not_a_file(path, meta.file_type())));
        }
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(cannot)?;
    }
    if bytes.len() > MAX_SHEET_BYTES {
        return Err(Error::bad_input(
            Diagnostic::new(&name, format!("more than {} MB", MAX_SHEET_BYTES >> 20))
                .hint("split the list into several files"),
        ));
    }
    Ok((name, encoding::decode(&bytes).0))
}

/// Exit codes of `check --batch`: 0 every row checked, 2 any row (or the sheet) invalid; the
/// valid rows are printed either way, the problems go through the one error path.
fn batch(sheet_path: &Path, lang: Lang, json: bool, policy_path: &Path, today: Option<&str>) -> Result<ExitCode> {
    use policybook_engine::screen;
    let policy = load_policy(policy_path)?;
    let today = today_arg(today)?;
    let (name, text) = read_sheet(sheet_path)?;
    let message = |e: &screen::CellError| e.error.message(lang).to_string();
    let sheet = screen::screen(&text, &policy, today).map_err(|errors| {
        Error::BadInput(
            errors
                .iter()
                .map(|e| {
                    let d = Diagnostic::new(&name, message(e)).hint(if lang == Lang::Zh {
                        "从页面或 policybook check --template 取得模板，按模板填写"
                    } else {
                        "start from the template (policybook check --template, or the screening page)"
                    });
                    match e.row {
                        Some(row) => d.at(row, None),
                        None => d,
                    }
                })
                .collect(),
        )
    })?;
    let mut out = String::new();
    let mut problems = Vec::new();
    for row in &sheet.rows {
        match &row.result {
            Ok(_) if json => {
                out.push_str(&policybook_engine::api::screen_row_json(row));
                out.push('\n');
            }
            Ok(_) => {
                out.push_str(&screen::render_row(row, lang).unwrap_or_default());
                out.push('\n');
            }
            Err(errors) => problems.extend(errors.iter().map(|e| {
                // The file's line and the column's number, where the row starts (a cell with a
                // line break moves the rows below it down a line).
                let column = e.column.as_deref().map(column_number);
                Diagnostic::new(&name, message(e)).at(row.line, column)
            })),
        }
    }
    emit(&out);
    if problems.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Error::BadInput(problems))
    }
}

/// `A` → 1, `AA` → 27.
fn column_number(letters: &str) -> usize {
    letters
        .bytes()
        .fold(0, |n, b| n * 26 + usize::from(b.saturating_sub(b'A')) + 1)
}

/// Exit codes of `deadlines`: 0 a timeline, 2 bad input.
fn deadlines(input: &Path, lang: Lang, json: bool, policy_path: &Path) -> Result<ExitCode> {
    use rules::deadlines::{render_text, timeline, DeadlineInput};
    let policy = load_policy(policy_path)?;
    let (name, value) = read_yaml_input(input)?;
    let t = DeadlineInput::from_value(&value)
        .and_then(|i| timeline(&i, &policy))
        .map_err(field_errors(&name, lang))?;
    if json {
        print_json(&t);
    } else {
        emit(&render_text(&t, lang));
    }
    Ok(ExitCode::SUCCESS)
}

/// Exit codes of `redact`: 0 nothing found, 1 something found, 2 bad input.
fn redact(input: &Path, lang: Lang, json: bool, words_path: &Path) -> Result<ExitCode> {
    use policybook_engine::redact::{redact, render_findings};
    let words = crate::policy::load_words(words_path).map_err(Error::BadInput)?;
    let (_, text) = read_input(input)?;
    let result = redact(&text, &words);
    if json {
        print_json(&result);
    } else {
        emit(&result.masked);
        if result.found {
            eprint!("{}", render_findings(&result, lang));
        }
    }
    Ok(if result.found {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Exit codes of `search`: 0 (also when nothing is found), 2 when the index cannot be read.
fn search(query: &str, lang: Lang, json: bool, site: &Path, limit: usize) -> Result<ExitCode> {
    let assets = site.join("assets");
    let prefix = format!("search-{}.", lang.code());
    let file = std::fs::read_dir(&assets).ok().and_then(|dir| {
        dir.filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&prefix)))
    });
    let mut index = file
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|s| crate::search_index::from_script(&s))
        .ok_or_else(|| {
            Error::bad_input(
                Diagnostic::new(&assets, format!("no readable search index for `{}`", lang.code()))
                    .hint("build the site first (policybook build), or pass --site DIR"),
            )
        })?;
    // A chunked index names the chunks the query needs, as it does in the page: the same files.
    index
        .search_loading(query, limit, |path| crate::search_index::read_chunk(site, path))
        .map_err(|(path, message)| {
            Error::bad_input(Diagnostic::new(site.join(path), message).hint("build the site again (policybook build)"))
        })?;
    let out = policybook_engine::api::search_json(&index, query, limit);
    if json {
        emit(&format!("{out}\n"));
        return Ok(ExitCode::SUCCESS);
    }
    let hits = index.query(query, limit);
    let mut text = String::new();
    if hits.is_empty() {
        text.push_str(if lang == Lang::Zh {
            "没有找到结果。\n"
        } else {
            "No results.\n"
        });
    }
    for hit in hits {
        let n = hit.number.map(|n| format!("{n:>2}. ")).unwrap_or_default();
        let plain = hit.snippet.replace("<mark>", "[").replace("</mark>", "]");
        text.push_str(&format!(
            "{n}{}  ({})\n    {}\n",
            hit.title,
            hit.url,
            html_unescape(&plain)
        ));
    }
    emit(&text);
    Ok(ExitCode::SUCCESS)
}

fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Writes to standard output; a closed pipe (`policybook … | head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the output: {e}");
        }
    }
}
