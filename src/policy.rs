//! `content/policy.yaml`: the dated, sourced figures of the self-checker (monitoring lines, the
//! local rural average, the guide's time limits). Parsed strictly, then validated by the engine;
//! every problem is reported at its file and line.

use std::path::Path;

use policybook_engine::rules::{Date, Policy};

use crate::content::{parse_yaml, read_content};
use crate::error::Diagnostic;

/// Reads and validates the policy data.
pub fn load(path: &Path) -> Result<Policy, Vec<Diagnostic>> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(vec![Diagnostic::new(path, "the policy data file is missing").hint(
            "the self-checker needs policy.yaml with the monitoring line; copy it from the policybook repository",
        )]);
    }
    let text = read_content(path).map_err(|d| vec![d])?;
    check_text(path, &text)
}

/// Parses and validates the text of a policy file named `path` (in messages): the one check of
/// the build, `validate`, `check` and `line add`, so all of them refuse the same things with the
/// same messages.
pub fn check_text(path: &Path, text: &str) -> Result<Policy, Vec<Diagnostic>> {
    let policy: Policy = parse_yaml(path, text, 0).map_err(|d| vec![d])?;
    let problems = policy.validate();
    if problems.is_empty() {
        return Ok(policy);
    }
    Err(problems
        .iter()
        .map(|p| {
            let line = locate(text, &p.field);
            let d = Diagnostic::new(path, format!("{}: {}", p.field, p.en)).hint(
                "correct the entry: whole positive yuan, dates YYYY-MM-DD in ascending order, a source for every figure, a derivation for a provisional one",
            );
            match line.or_else(|| {
                text.lines()
                    .position(|l| l.trim_start().starts_with("monitoring_lines:"))
                    .map(|i| i + 1)
            }) {
                Some(l) => d.at(l, None),
                None => d,
            }
        })
        .collect())
}

/// The line of a field such as `monitoring_lines[1].effective` or `rural_average.yuan`.
pub(crate) fn locate(text: &str, field: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let (section, rest) = field.split_once(['.', '[']).unwrap_or((field, ""));
    let mut start = lines.iter().position(|l| l.starts_with(&format!("{section}:")))?;
    let mut key = rest;
    if let Some((index, after)) = rest.split_once(']') {
        // `monitoring_lines[1].effective`: the second `- ` item of the section, then its field.
        let index: usize = index.parse().ok()?;
        let mut items = lines
            .iter()
            .enumerate()
            .skip(start + 1)
            .take_while(|(_, l)| l.starts_with(' ') || l.starts_with('#') || l.trim().is_empty())
            .filter(|(_, l)| l.trim_start().starts_with("- "));
        start = items.nth(index)?.0;
        key = after.trim_start_matches('.');
        if key.is_empty() {
            return Some(start + 1);
        }
    }
    if key.is_empty() {
        return Some(start + 1);
    }
    // `village_publicity.amount`: each part of the path after the one before it.
    for part in key.split('.') {
        match lines
            .iter()
            .enumerate()
            .skip(start)
            .find(|(_, l)| l.trim_start().trim_start_matches("- ").starts_with(&format!("{part}:")))
        {
            Some((i, _)) => start = i,
            None => break,
        }
    }
    Some(start + 1)
}

/// Today's date: `SOURCE_DATE_EPOCH` (seconds) when set, for reproducible builds; else the clock.
pub fn today() -> Date {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    civil_from_days(secs.div_euclid(86_400))
}

/// Days since 1970-01-01 → calendar date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    Date::new(y, m, d).unwrap_or_else(|| Date::new(1970, 1, 1).expect("a valid date"))
}

/// Reads and validates `sensitive-words.yaml`, the health-status words of the privacy check (Q38).
pub fn load_words(path: &Path) -> Result<policybook_engine::redact::WordList, Vec<Diagnostic>> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(vec![Diagnostic::new(path, "the list of sensitive words is missing")
            .hint(
            "the privacy check of public notices needs sensitive-words.yaml; copy it from the policybook repository",
        )]);
    }
    let text = read_content(path).map_err(|d| vec![d])?;
    let value = crate::content::parse_yaml_value(path, &text).map_err(|d| vec![d])?;
    policybook_engine::redact::WordList::from_value(&value).map_err(|errors| {
        errors
            .iter()
            .map(|e| {
                let field = e.field.strip_prefix("sensitive_words.").unwrap_or(&e.field);
                let d = Diagnostic::new(path, format!("{field}: {}", e.en))
                    .hint("each entry is `- {word: 词, category: KEY}` with a category listed under `categories`");
                match locate(&text, field) {
                    Some(line) => d.at(line, None),
                    None => d,
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_days_to_dates() {
        assert_eq!(civil_from_days(0), Date::new(1970, 1, 1).unwrap());
        assert_eq!(civil_from_days(19_475), Date::new(2023, 4, 28).unwrap());
        assert_eq!(civil_from_days(11_016), Date::new(2000, 2, 29).unwrap());
    }

    #[test]
    fn locates_fields() {
        let text = "monitoring_lines:\n  - year: 2023\n    yuan: 6000\n  - year: 2024\n    yuan: -1\nrural_average:\n  year: 2020\n  yuan: 0\n";
        assert_eq!(locate(text, "monitoring_lines[1].yuan"), Some(5));
        assert_eq!(locate(text, "monitoring_lines[0]"), Some(2));
        assert_eq!(locate(text, "rural_average.yuan"), Some(8));
        let limits = "time_limits:\n  home_verification:\n    amount: 3\n  village_publicity:\n    amount: 5\n";
        assert_eq!(locate(limits, "time_limits.village_publicity.amount"), Some(5));
    }
}
