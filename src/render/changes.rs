//! The yearly update: everything the pages show about the monitoring line comes from
//! `policy.yaml` through here, so that adding one dated entry and rebuilding changes every place
//! at once — the home page box, the checker's prefill, the box on the questions that mention the
//! line (a template condition in `question.html` includes `line-note.html`), and the "changes"
//! page `/{zh,en}/changes/index.html`, which lists the line's history with its sources and what
//! the notice and the 附则 say about the 2022 trial version.
//!
//! Only the changes page shows superseded lines: the policy data given to the pages' scripts
//! starts at the line in force on the build date, so no page can fall back to last year's figure.

use serde::Serialize;
use serde_json::json;

use policybook_engine::rules::policy::{RuralAverage, TimeLimits};
use policybook_engine::rules::{group_digits, Date, FieldError, LineEntry, Policy};

use super::{display_date, Renderer};
use crate::error::Result;
use crate::output::Files;
use crate::Lang;

/// The policy data for the pages' scripts: the line in force on `today` and any later-dated
/// entries (a phone whose date has passed the next `effective` date switches by itself); earlier
/// lines are left out. Everything else is unchanged.
pub(super) fn policy_for_pages(policy: &Policy, today: Date) -> Policy {
    let mut out = policy.clone();
    if let Ok(choice) = policy.line_for(None, today) {
        out.monitoring_lines = policy.monitoring_lines[choice.index..].to_vec();
    }
    out
}

/// What every page knows of the monitoring line (the `line` variable of every template): the
/// line in force on `today` with its source, how it was derived when it is an estimate, the next
/// dated entry if one is already entered, the rural average and the time limits.
#[derive(Serialize, Debug)]
pub(super) struct LineSummary<'a> {
    year: i32,
    /// Yuan per person per year.
    monitoring_line: i64,
    /// The same figure with grouped digits, `7,000`.
    yuan_text: String,
    provisional: bool,
    effective: Date,
    source: Derivation<'a>,
    derivation: Option<Derivation<'a>>,
    /// Today's year has no entry of its own: an earlier year's line is shown.
    stale: bool,
    today_year: i32,
    /// The years the pages' policy data has (the line in force and later ones).
    years: Vec<i32>,
    rural_average: &'a RuralAverage,
    time_limits: &'a TimeLimits,
    upcoming: Option<Upcoming>,
}

/// How an estimated line was derived, in both languages.
#[derive(Serialize, Debug)]
struct Derivation<'a> {
    zh: &'a str,
    en: &'a str,
}

/// The next dated entry, already entered but not yet in force.
#[derive(Serialize, Debug)]
struct Upcoming {
    year: i32,
    yuan_text: String,
    provisional: bool,
    effective_zh: String,
    effective_en: String,
}

/// The summary of `policy` (the pages' data, see [`policy_for_pages`]) on `today`; an error
/// when no line is in force yet.
pub(super) fn summary(policy: &Policy, today: Date) -> Result<LineSummary<'_>, FieldError> {
    let choice = policy.line_for(None, today)?;
    let entry = choice.entry;
    Ok(LineSummary {
        year: entry.year,
        monitoring_line: entry.yuan,
        yuan_text: group_digits(entry.yuan),
        provisional: entry.provisional,
        effective: entry.effective,
        source: Derivation {
            zh: entry.source_in(Lang::Zh),
            en: entry.source_in(Lang::En),
        },
        derivation: entry.derivation.as_deref().map(|en| Derivation {
            zh: entry.derivation_zh.as_deref().unwrap_or(en),
            en,
        }),
        stale: choice.stale,
        today_year: today.year(),
        years: policy.monitoring_lines.iter().map(|l| l.year).collect(),
        rural_average: &policy.rural_average,
        time_limits: &policy.time_limits,
        upcoming: policy
            .monitoring_lines
            .iter()
            .find(|l| l.effective > today)
            .map(|l| Upcoming {
                year: l.year,
                yuan_text: group_digits(l.yuan),
                provisional: l.provisional,
                effective_zh: display_date(&l.effective.to_string(), Lang::Zh),
                effective_en: display_date(&l.effective.to_string(), Lang::En),
            }),
    })
}

/// One monitoring line on the changes page.
#[derive(Serialize)]
struct HistoryEntry {
    year: i32,
    yuan_text: String,
    effective: String,
    /// `in_force`, `upcoming` or `superseded`.
    status: &'static str,
    provisional: bool,
    source: String,
    derivation: Option<String>,
}

fn history_entry(entry: &LineEntry, status: &'static str, lang: Lang) -> HistoryEntry {
    let derivation = match lang {
        Lang::Zh => entry.derivation_zh.clone().or_else(|| entry.derivation.clone()),
        Lang::En => entry.derivation.clone(),
    };
    HistoryEntry {
        year: entry.year,
        yuan_text: group_digits(entry.yuan),
        effective: display_date(&entry.effective.to_string(), lang),
        status,
        provisional: entry.provisional,
        source: entry.source_in(lang).to_string(),
        derivation,
    }
}

/// Renders `/{zh,en}/changes/index.html` into `files`.
pub(super) fn render(r: &Renderer<'_>, today: Date, files: &mut Files) -> Result<()> {
    let policy = &r.guide.policy;
    let current = policy.line_for(None, today).ok().map(|choice| choice.index);
    for lang in Lang::ALL {
        let mut ctx = r.context(lang, "changes/")?;
        let history: Vec<HistoryEntry> = policy
            .monitoring_lines
            .iter()
            .enumerate()
            .rev()
            .map(|(i, entry)| {
                let status = match current {
                    Some(c) if i == c => "in_force",
                    Some(c) if i < c => "superseded",
                    _ => "upcoming",
                };
                history_entry(entry, status, lang)
            })
            .collect();
        ctx.insert("history", &history);
        let numbers: Vec<u32> = r.guide.questions.iter().map(|q| q.number).collect();
        ctx.insert("question_numbers", &numbers);
        let avg = &policy.rural_average;
        ctx.insert(
            "rural_average",
            &json!({
                "year": avg.year,
                "yuan_text": group_digits(avg.yuan),
                "area": if lang == Lang::Zh { &avg.area_zh } else { &avg.area_en },
                "source": avg.source,
            }),
        );
        files.insert(
            format!("{}/changes/index.html", lang.code()),
            r.page("changes.html", &ctx)?,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(year: i32, effective: &str, yuan: i64) -> LineEntry {
        LineEntry {
            year,
            effective: Date::parse(effective).expect("date"),
            yuan,
            provisional: false,
            source: format!("announcement {year}"),
            source_zh: None,
            derivation: None,
            derivation_zh: None,
        }
    }

    fn policy(lines: Vec<LineEntry>) -> Policy {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/content/policy.yaml")).expect("policy");
        let mut p: Policy = serde_yaml::from_str(&text).expect("parse");
        p.monitoring_lines = lines;
        p
    }

    #[test]
    fn pages_get_the_line_in_force_and_later_ones_only() {
        let p = policy(vec![
            line(2025, "2025-03-01", 6600),
            line(2026, "2026-03-01", 6800),
            line(2027, "2027-03-15", 7000),
        ]);
        let today = Date::parse("2026-11-29").expect("date");
        let years: Vec<i32> = policy_for_pages(&p, today)
            .monitoring_lines
            .iter()
            .map(|l| l.year)
            .collect();
        assert_eq!(years, vec![2026, 2027]);
        assert!(policy_for_pages(&p, today).validate().is_empty());
        // Before the first line: nothing is in force, nothing is dropped.
        let early = Date::parse("2024-01-01").expect("date");
        assert_eq!(policy_for_pages(&p, early).monitoring_lines.len(), 3);
    }

    #[test]
    fn the_summary_gets_the_grouped_figure_and_the_next_line() {
        let p = policy(vec![line(2026, "2026-03-01", 6800), line(2027, "2027-03-15", 7000)]);
        let s = summary(&p, Date::parse("2027-01-10").expect("date")).expect("a line in force");
        assert_eq!(
            (s.year, s.yuan_text.as_str(), s.today_year, s.stale),
            (2026, "6,800", 2027, false)
        );
        let next = s.upcoming.as_ref().expect("the 2027 line is upcoming");
        assert_eq!(next.yuan_text, "7,000");
        assert_eq!(next.effective_en, display_date("2027-03-15", Lang::En));
        assert_eq!(next.effective_zh, "2027年3月15日");
        let later = summary(&p, Date::parse("2027-04-01").expect("date")).expect("a line in force");
        assert!(later.upcoming.is_none());
        let next_year = summary(&p, Date::parse("2028-05-01").expect("date")).expect("a line in force");
        assert!(next_year.stale, "2028 has no line of its own");
        assert!(summary(&p, Date::parse("2025-12-31").expect("date")).is_err());
    }
}
