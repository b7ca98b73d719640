//! `policybook line add` and `policybook line list`: the yearly update of the monitoring line
//! without hand-editing YAML.
//!
//! `add` edits `policy.yaml` as text — the new entry goes right after the last entry of
//! `monitoring_lines`, indented like the entries there, with the file's own line endings — so
//! every comment and the layout stay as the trainer (or the maintainers) wrote them. The result
//! is checked with the same check as the build and `validate` ([`crate::policy::check_text`]),
//! shown with the same messages; only a file that passes is written, atomically (a temporary file
//! beside it, then a rename), so a refused or interrupted update leaves the file as it was.

use std::io::Write;
use std::path::Path;

use policybook_engine::rules::{group_digits, Policy};

use crate::validate::{render_text, Finding, Report};

/// The entry `line add` appends, as given on the command line (these are its options).
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct NewLine {
    /// The year the line applies to.
    #[arg(long)]
    pub year: i32,
    /// The day it takes effect, YYYY-MM-DD (in `--year`, later than the last entry).
    // Kept as typed: the policy check judges it, with the same message as `validate`'s.
    #[arg(long)]
    pub effective: String,
    /// Yuan per person per year, a whole number without commas.
    #[arg(long, allow_negative_numbers = true)]
    pub yuan: i64,
    /// The announcing document's number and date (or the sources of an estimate).
    #[arg(long)]
    pub source: String,
    /// The same source in Chinese, shown on the Chinese pages (without it they show --source).
    #[arg(long)]
    pub source_zh: Option<String>,
    /// The figure is an estimate, not an announced line; needs --derivation.
    #[arg(long)]
    pub provisional: bool,
    /// How the estimate was derived (English).
    #[arg(long, requires = "provisional")]
    pub derivation: Option<String>,
    /// How the estimate was derived (Chinese).
    #[arg(long, requires = "provisional")]
    pub derivation_zh: Option<String>,
}

/// Where the entry went and what the file became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    /// The whole new text of the file.
    pub text: String,
    /// The 1-based line of the entry's first line (`- year: …`) in the new text.
    pub first_line: usize,
    /// The entry's lines, without line breaks.
    pub lines: Vec<String>,
}

/// A YAML scalar that reads back as exactly `s`: plain when that is unambiguous, otherwise
/// double-quoted with escapes.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && s.chars().next().is_some_and(|c| c.is_ascii_digit());
    if plain {
        return s.to_string();
    }
    quoted(s)
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Inserts `entry` after the last entry of `monitoring_lines` in `text`. Errors say why the file
/// cannot be edited as text (no such section, or a list written on one line).
pub fn insert(text: &str, entry: &NewLine) -> Result<Inserted, String> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.trim_end().starts_with("monitoring_lines:")) else {
        return Err("there is no `monitoring_lines:` section at the start of a line".into());
    };
    let rest = lines[start].trim_end()["monitoring_lines:".len()..].trim_start();
    if !rest.is_empty() && !rest.starts_with('#') {
        return Err(
            "`monitoring_lines:` is not followed by a list of entries on the next lines (it is written on one line)"
                .into(),
        );
    }
    // The section runs until the next line that starts in the first column (the next key or a
    // comment heading the next section); blank lines and such comments just before the next key
    // belong to it, so the entry goes after the last line that is part of an entry.
    let mut end = start + 1;
    while end < lines.len() {
        let l = lines[end];
        if !l.trim().is_empty() && !l.starts_with([' ', '#', '-']) {
            break;
        }
        end += 1;
    }
    let mut at = end;
    while at > start + 1 && (lines[at - 1].trim().is_empty() || lines[at - 1].starts_with('#')) {
        at -= 1;
    }
    let item = lines[start + 1..at]
        .iter()
        .find(|l| l.trim_start().starts_with("- "))
        .copied();
    // The dash's column and the fields' column, as the existing entries have them.
    let (indent, gap) = match item {
        Some(l) => {
            let after_dash = &l.trim_start()[1..];
            (
                l.len() - l.trim_start().len(),
                1 + after_dash.len() - after_dash.trim_start().len(),
            )
        }
        None if at == start + 1 => (2, 2),
        None => return Err("the entries under `monitoring_lines:` are not written as `- year: …` items".into()),
    };
    let dash = format!("{}-{}", " ".repeat(indent), " ".repeat(gap - 1));
    let pad = " ".repeat(indent + gap);
    let mut entry_lines = vec![
        format!("{dash}year: {}", entry.year),
        format!("{pad}effective: {}", scalar(&entry.effective)),
        format!("{pad}yuan: {}", entry.yuan),
        format!("{pad}provisional: {}", entry.provisional),
        format!("{pad}source: {}", quoted(&entry.source)),
    ];
    if let Some(s) = &entry.source_zh {
        entry_lines.push(format!("{pad}source_zh: {}", quoted(s)));
    }
    if let Some(d) = &entry.derivation {
        entry_lines.push(format!("{pad}derivation: {}", quoted(d)));
    }
    if let Some(d) = &entry.derivation_zh {
        entry_lines.push(format!("{pad}derivation_zh: {}", quoted(d)));
    }
    // Rebuild the text from its lines, keeping every other line exactly, and whether the file
    // ended with a line break.
    let mut out = String::with_capacity(text.len() + 256);
    for l in &lines[..at] {
        out.push_str(l);
        out.push_str(eol);
    }
    for l in &entry_lines {
        out.push_str(l);
        out.push_str(eol);
    }
    for (i, l) in lines[at..].iter().enumerate() {
        out.push_str(l);
        if at + i + 1 < lines.len() || text.ends_with('\n') {
            out.push_str(eol);
        }
    }
    Ok(Inserted {
        text: out,
        first_line: at + 1,
        lines: entry_lines,
    })
}

/// Writes `text` to `path` through a temporary file beside it and a rename, so the file is
/// either the old one or the new one, never half written.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.policybook-new"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The `build` command that goes with a policy file: `--content` only when it is not the default.
fn next_build(policy: &Path) -> String {
    match policy.parent() {
        Some(dir) if dir == Path::new("content") => "policybook build".into(),
        Some(dir) if !dir.as_os_str().is_empty() => format!("policybook build --content {}", dir.display()),
        _ => "policybook build --content .".into(),
    }
}

/// What a `line` command prints and its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// 0 done, 1 refused by the policy check (nothing written), 2 the file cannot be read,
    /// edited or written.
    pub code: u8,
    /// For standard output.
    pub stdout: String,
    /// For standard error.
    pub stderr: String,
}

impl Outcome {
    fn failed(code: u8, stderr: String) -> Outcome {
        Outcome {
            code,
            stdout: String::new(),
            stderr,
        }
    }
}

/// The problems as `validate` shows them, with their lines taken from `text`.
fn problems(problems: &[crate::Diagnostic], text: &str, color: bool) -> String {
    let mut findings: Vec<Finding> = problems
        .iter()
        .map(|d| Finding::from_diagnostic(d, None).with_snippet_from(text))
        .collect();
    let errors = findings.len();
    let omitted = errors.saturating_sub(crate::error::MAX_LISTED);
    findings.truncate(crate::error::MAX_LISTED);
    let report = Report {
        ok: false,
        errors,
        warnings: 0,
        pages: None,
        findings,
        omitted,
    };
    render_text(&report, color)
}

fn read(policy: &Path) -> Result<String, Outcome> {
    crate::source::read_content(policy).map_err(|d| {
        Outcome::failed(
            2,
            format!("error: {d}\n  hint: run the command in the folder that holds content/, or pass --policy FILE\n"),
        )
    })
}

/// `policybook line add`: appends `entry` to the policy file when the result passes the check.
/// `color` styles the error report.
pub fn add(policy: &Path, entry: &NewLine, color: bool) -> Outcome {
    // `text` is what every check sees (no byte-order mark, LF line breaks); the edit is made on
    // the file's own bytes, which `read` has just found to be UTF-8, so a file saved by Windows
    // keeps its CRLF line breaks and its mark.
    let text = match read(policy) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let raw = std::fs::read_to_string(policy).unwrap_or_else(|_| text.clone());
    if let Err(found) = crate::policy::check_text(policy, &text) {
        return Outcome::failed(
            1,
            format!(
                "{}{} already has errors and was not changed: correct them first (see `policybook validate`), then add the line.\n",
                problems(&found, &text, color),
                policy.display()
            ),
        );
    }
    let inserted = match insert(&raw, entry) {
        Ok(i) => i,
        Err(why) => {
            return Outcome::failed(
                2,
                format!(
                    "error: {}: cannot add the entry: {why}\n  hint: the file must have `monitoring_lines:` on a line of its own, followed by its entries as `- year: …` items (see the comment at the top of the file)\n",
                    policy.display()
                ),
            )
        }
    };
    let as_read = inserted
        .text
        .strip_prefix('\u{feff}')
        .unwrap_or(&inserted.text)
        .replace("\r\n", "\n");
    let checked = match crate::policy::check_text(policy, &as_read) {
        Ok(p) => p,
        Err(found) => {
            return Outcome::failed(
                1,
                format!(
                    "{}{} was not changed: the entry would make it invalid (the line numbers are those the entry would have).\n",
                    problems(&found, &as_read, color),
                    policy.display()
                ),
            )
        }
    };
    if let Err(e) = write_atomically(policy, &inserted.text) {
        return Outcome::failed(
            2,
            format!(
                "error: {}: cannot write the file: {e}\n  hint: check that the file is not read-only or open in another program, and that the disk is not full; the file was left as it was\n",
                policy.display()
            ),
        );
    }
    let mut out = format!(
        "added the {} monitoring line to {} (lines {}–{}):\n",
        entry.year,
        policy.display(),
        inserted.first_line,
        inserted.first_line + inserted.lines.len() - 1
    );
    for l in &inserted.lines {
        out.push_str(&format!("+ {l}\n"));
    }
    let n = checked.monitoring_lines.len();
    out.push_str(&format!(
        "{} yuan per person per year from {}{}; {n} line{} in the file, every comment kept.\n",
        group_digits(entry.yuan),
        entry.effective,
        if entry.provisional { " (provisional)" } else { "" },
        if n == 1 { "" } else { "s" }
    ));
    out.push_str(&format!(
        "next: {}   (Windows: .\\policybook.exe build; then upload site/)\n",
        next_build(policy)
    ));
    Outcome {
        code: 0,
        stdout: out,
        stderr: String::new(),
    }
}

/// The lines of a policy file, for `line list`.
pub fn render_list(policy: &Policy, today: policybook_engine::rules::Date) -> String {
    let in_force = policy.line_for(None, today).ok().map(|c| c.index);
    let mut out = String::new();
    for (i, l) in policy.monitoring_lines.iter().enumerate() {
        let status = match in_force {
            Some(c) if c == i => "in force",
            Some(c) if i < c => "superseded",
            _ => "upcoming",
        };
        out.push_str(&format!(
            "{}  from {}  {:>7} yuan  {}{}\n",
            l.year,
            l.effective,
            group_digits(l.yuan),
            status,
            if l.provisional { ", provisional" } else { "" }
        ));
        out.push_str(&format!("      source: {}\n", l.source.trim()));
        if let Some(s) = &l.source_zh {
            out.push_str(&format!("      source_zh: {}\n", s.trim()));
        }
        if l.provisional {
            if let Some(d) = &l.derivation {
                out.push_str(&format!("      derivation: {}\n", d.trim()));
            }
            if let Some(d) = &l.derivation_zh {
                out.push_str(&format!("      derivation_zh: {}\n", d.trim()));
            }
        }
    }
    out
}

/// `policybook line list`: the lines in force on `today`'s terms; exit status 1 when the file
/// does not pass the policy check.
pub fn list(policy: &Path, today: policybook_engine::rules::Date, color: bool) -> Outcome {
    let text = match read(policy) {
        Ok(t) => t,
        Err(o) => return o,
    };
    match crate::policy::check_text(policy, &text) {
        Ok(p) => {
            let n = p.monitoring_lines.len();
            Outcome {
                code: 0,
                stdout: format!(
                    "{}: {n} monitoring line{} (today is {today})\n{}",
                    policy.display(),
                    if n == 1 { "" } else { "s" },
                    render_list(&p, today)
                ),
                stderr: String::new(),
            }
        }
        Err(found) => Outcome::failed(1, problems(&found, &text, color)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> NewLine {
        NewLine {
            year: 2027,
            effective: "2027-03-15".into(),
            yuan: 7000,
            source: "山东省乡村振兴局 \"测试\" 1号".into(),
            provisional: false,
            derivation: None,
            derivation_zh: None,
            source_zh: None,
        }
    }

    #[test]
    fn goes_after_the_last_entry_before_the_next_sections_comments() {
        let text = "# head\nmonitoring_lines:\n  - year: 2023\n    yuan: 1 # why\n\n# about the next\nrural_average:\n  year: 1\n";
        let ins = insert(text, &entry()).expect("insert");
        assert_eq!(ins.first_line, 5);
        assert!(ins.text.starts_with(
            "# head\nmonitoring_lines:\n  - year: 2023\n    yuan: 1 # why\n  - year: 2027\n    effective: 2027-03-15\n"
        ));
        assert!(ins.text.ends_with("\n\n# about the next\nrural_average:\n  year: 1\n"));
        assert!(ins.text.contains("    source: \"山东省乡村振兴局 \\\"测试\\\" 1号\"\n"));
    }

    #[test]
    fn keeps_crlf_and_a_missing_final_line_break() {
        let text = "monitoring_lines:\r\n    - year: 2023\r\n      yuan: 1";
        let ins = insert(text, &entry()).expect("insert");
        assert!(ins
            .text
            .starts_with("monitoring_lines:\r\n    - year: 2023\r\n      yuan: 1\r\n    - year: 2027\r\n"));
        assert!(!ins.text.ends_with("\r\n\r\n"));
        assert!(!ins.text.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn odd_dates_are_quoted_so_the_check_sees_them_as_typed() {
        assert_eq!(scalar("2027-03-15"), "2027-03-15");
        assert_eq!(scalar("2027-03-15\n  x: 1"), "\"2027-03-15\\n  x: 1\"");
        assert_eq!(scalar("true"), "\"true\"");
    }

    #[test]
    fn refuses_a_one_line_list() {
        assert!(insert("monitoring_lines: []\n", &entry()).is_err());
        assert!(insert("rural_average:\n  year: 1\n", &entry()).is_err());
    }
}
