//! The result of a self-check: its JSON shape and a readable rendering for the CLI.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::policy::LineEntry;
use super::provisions::Q10;
use super::{group_digits, Date, Lang, Text};
use crate::json::{json_name, json_object};
use crate::vocab::{cite_suffix, Provision};

/// The likely category of a household.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Category {
    /// 脱贫不稳定户 (Q2, Q3).
    UnstableAlleviated,
    /// 边缘易致贫户 (Q2, Q3).
    Marginal,
    /// 严重困难户 (Q2, Q3).
    SevereDifficulty,
    /// Not identified, but followed up until its problem is solved (Q13).
    Tracked,
    /// Not identified as a monitored household (possibly after the village's review, Q11).
    NotIdentified,
    /// Outside rural monitoring (Q14).
    OutOfScope,
}

impl Category {
    /// The three categories of monitored households (Q2).
    pub fn is_monitored(self) -> bool {
        matches!(
            self,
            Category::UnstableAlleviated | Category::Marginal | Category::SevereDifficulty
        )
    }

    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Category::UnstableAlleviated => "unstable_alleviated",
            Category::Marginal => "marginal",
            Category::SevereDifficulty => "severe_difficulty",
            Category::Tracked => "tracked",
            Category::NotIdentified => "not_identified",
            Category::OutOfScope => "out_of_scope",
        }
    }

    /// The category in plain Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Category::UnstableAlleviated => "脱贫不稳定户（监测帮扶对象）",
            Category::Marginal => "边缘易致贫户（监测帮扶对象）",
            Category::SevereDifficulty => "严重困难户（监测帮扶对象）",
            Category::Tracked => "不识别为监测帮扶对象，但应持续跟踪关注",
            Category::NotIdentified => "一般不识别为监测帮扶对象",
            Category::OutOfScope => "不在农村防止返贫监测帮扶范围内",
        }
    }

    /// The category in plain English.
    pub fn en(self) -> &'static str {
        match self {
            Category::UnstableAlleviated => "unstable household lifted out of poverty (monitored household)",
            Category::Marginal => "marginal household at risk of poverty (monitored household)",
            Category::SevereDifficulty => "household in severe difficulty (monitored household)",
            Category::Tracked => "not identified as a monitored household, but followed up",
            Category::NotIdentified => "usually not identified as a monitored household",
            Category::OutOfScope => "outside the scope of rural monitoring and assistance",
        }
    }
}

/// A reason, a next step or a warning: a text in both languages and the questions it rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Note {
    /// The questions of the guide cited (may be empty for a plain notice).
    pub cites: Vec<u8>,
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Note {
    pub(crate) fn new(cites: &[Provision], zh: impl Into<String>, en: impl Into<String>) -> Note {
        Note {
            cites: crate::vocab::questions(cites),
            zh: zh!(zh.into()),
            en: en!(en.into()),
        }
    }

    /// A note citing questions of the policy data (its time limits carry their own quotes,
    /// checked against the guide like the provisions).
    pub(crate) fn from_questions(cites: &[u8], zh: impl Into<String>, en: impl Into<String>) -> Note {
        Note {
            cites: cites.to_vec(),
            zh: zh!(zh.into()),
            en: en!(en.into()),
        }
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The result of a self-check. Field names and meanings are those of the case format, plus the line's
/// provenance and warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Outcome {
    /// The likely category.
    pub category: Category,
    /// The category in plain words.
    pub label: Text,
    /// Whether the category is one of the three kinds of monitored household (Q2).
    pub monitored: bool,
    /// The year of the monitoring line used.
    pub year: i32,
    /// The monitoring line used, yuan per person per year.
    pub monitoring_line: i64,
    /// Whether that line is provisional (not an announced figure).
    pub line_provisional: bool,
    /// From when the line is in force.
    pub line_effective: Date,
    /// Where the line comes from, in both languages.
    pub line_source: Text,
    /// How a provisional line was derived.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub line_derivation: Option<Text>,
    /// Whether the user replaced the line with a figure of their own.
    pub line_user_entered: bool,
    /// Per-capita net income (人均纯收入, Q12), whole yuan, rounded down.
    pub per_capita_net_income: i64,
    /// Per-capita household income after compliant out-of-pocket expenditure, claims included
    /// (Q12, Q13), whole yuan, rounded down.
    pub per_capita_income_after_expenditure: i64,
    /// Whether the guide leaves a point that decided this result to the village's assessment
    /// and review (研判评议); the reasons say which.
    pub review_needed: bool,
    /// Why, each generated from the values that decided it, citing the guide.
    pub reasons: Vec<Note>,
    /// What to do next.
    pub next_steps: Vec<Note>,
    /// Caveats about the data used (stale or provisional line, old average income, …).
    pub warnings: Vec<Note>,
}

/// The warning shown with a provisional line (Q10): it is not an announced figure, and how it
/// was derived.
pub(crate) fn provisional_line_note(entry: &LineEntry) -> Note {
    let derivation = entry.derivation.clone().unwrap_or_default();
    let derivation_zh = entry.derivation_zh.clone().unwrap_or_else(|| derivation.clone());
    Note::new(
        &[Q10],
        zh!(format!(
            "{} 年监测线 {} 元是暂定值，不是山东省公布的数字：{derivation_zh}。如知道当地公布的数字，请以公布的数字为准。",
            entry.year,
            group_digits(entry.yuan)
        )),
        en!(format!(
            "The {} line of {} yuan is provisional, not a figure announced by Shandong: {derivation}. If you know the announced local figure, it prevails.",
            entry.year,
            group_digits(entry.yuan)
        )),
    )
}

/// A readable rendering of `outcome` for a terminal, in `lang`.
pub fn render_text(outcome: &Outcome, lang: Lang) -> String {
    let mut out = String::new();
    let cite = |cites: &[u8]| cite_suffix(cites, lang);
    let marker = match (outcome.line_user_entered, outcome.line_provisional) {
        (true, _) => ("（您输入的数值）", " (the figure you entered)"),
        (false, true) => PROVISIONAL_MARKER,
        (false, false) => ("", ""),
    };
    let line_used = line_in_words(
        outcome.year,
        outcome.monitoring_line,
        outcome.line_effective,
        &outcome.line_source,
        marker,
        lang,
    );
    let (h_result, h_review, h_line, h_income, h_reasons, h_next, h_warn, yes, no) = match lang {
        Lang::Zh => (
            "自我检测结果",
            "需要村里研判评议",
            "所用监测线",
            "人均纯收入",
            "理由",
            "下一步",
            "提示",
            "是",
            "否",
        ),
        Lang::En => (
            "Self-check result",
            "Needs the village's assessment and review",
            "Line used",
            "Per-capita net income",
            "Why",
            "What next",
            "Please note",
            "yes",
            "no",
        ),
    };
    let label = outcome.label.get(lang);
    let income = match lang {
        Lang::Zh => format!("{} 元/人·年", group_digits(outcome.per_capita_net_income)),
        Lang::En => format!(
            "{} yuan per person per year",
            group_digits(outcome.per_capita_net_income)
        ),
    };
    let sep = if lang == Lang::Zh { "：" } else { ": " };
    out.push_str(&format!("{h_result}{sep}{label}\n"));
    out.push_str(&format!(
        "{h_review}{sep}{}\n",
        if outcome.review_needed { yes } else { no }
    ));
    out.push_str(&format!("{h_line}{sep}{line_used}\n"));
    out.push_str(&format!("{h_income}{sep}{income}\n"));
    out.push_str(&format!("\n{h_reasons}\n"));
    for (i, note) in outcome.reasons.iter().enumerate() {
        out.push_str(&format!("{}. {}{}\n", i + 1, note.text(lang), cite(&note.cites)));
    }
    push_notes(&mut out, h_next, &outcome.next_steps, lang);
    if !outcome.warnings.is_empty() {
        push_notes(&mut out, h_warn, &outcome.warnings, lang);
    }
    out
}

/// The marker of a provisional line in the renderings for a terminal.
pub(crate) const PROVISIONAL_MARKER: (&str, &str) = ("（暂定值）", " (provisional)");

/// The line a result used, in words, as the renderings for a terminal state it: its year, figure
/// and `marker` (provisional, entered by the user, or nothing), from when, and its source.
pub(crate) fn line_in_words(
    year: i32,
    yuan: i64,
    effective: Date,
    source: &Text,
    marker: (&str, &str),
    lang: Lang,
) -> String {
    let yuan = group_digits(yuan);
    let source = source.get(lang);
    match lang {
        Lang::Zh => format!("{year} 年省定防止返贫监测线 {yuan} 元/人·年{}，{effective} 起；来源：{source}", marker.0),
        Lang::En => format!(
            "the {year} provincial monitoring line, {yuan} yuan per person per year{}, in force from {effective}; source: {source}",
            marker.1
        ),
    }
}

/// A list of notes under `heading`, one a line with its citations, as the renderings for a
/// terminal print next steps and warnings.
pub(crate) fn push_notes(out: &mut String, heading: &str, notes: &[Note], lang: Lang) {
    out.push_str(&format!("\n{heading}\n"));
    for note in notes {
        out.push_str(&format!("- {}{}\n", note.text(lang), cite_suffix(&note.cites, lang)));
    }
}

json_name!(Category);

json_object!(Note { cites, zh, en });

json_object!(Outcome {
    category,
    label,
    monitored,
    year,
    monitoring_line,
    line_provisional,
    line_effective,
    line_source,
    ?line_derivation,
    line_user_entered,
    per_capita_net_income,
    per_capita_income_after_expenditure,
    review_needed,
    reasons,
    next_steps,
    warnings,
});
