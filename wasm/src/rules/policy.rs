//! The policy data a trainer maintains in `content/policy.yaml`: the provincial monitoring line
//! per year, the local rural average income used by Q13, and the guide's time limits.
//!
//! Every value is dated and sourced. The monitoring line in force is chosen by date (the entry with
//! the latest `effective` date not after today), and a result always says which line it used, from
//! when, from what source, and whether it is provisional. When today's year has no entry yet, the
//! latest earlier line is used *and the result says so* — a line is never silently used past its
//! year.

use std::collections::BTreeMap;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::{cites_en, cites_zh, group_digits, Date, FieldError, Lang, Text};
use crate::input::typed::{from_fields, named};
use crate::json::{json_name, json_object};

/// The policy data: everything a result depends on besides the household's answers.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Policy {
    /// The provincial monitoring lines (省定防止返贫监测线), one entry per year, in ascending order
    /// of `effective` date. The guide (Q10) says the line is adjusted and announced every year in
    /// the first quarter.
    pub monitoring_lines: Vec<LineEntry>,
    /// The local rural average income that Q13 compares household income with
    /// ("明显高于当地农村平均水平").
    pub rural_average: RuralAverage,
    /// The guide's time limits, each citing its question.
    pub time_limits: TimeLimits,
}

/// One year's provincial monitoring line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct LineEntry {
    /// The year the line applies to (incomes of that year are compared with it).
    pub year: i32,
    /// The date from which the line is in force; must fall in `year`.
    pub effective: Date,
    /// The line, in whole yuan per person per year.
    pub yuan: i64,
    /// `true` while the figure is not an announced Shandong figure; every place that shows it then
    /// says it is provisional.
    pub provisional: bool,
    /// Where the figure comes from: the announcing document, or the sources of its derivation
    /// (shown on English pages, and on Chinese pages when `source_zh` is absent).
    pub source: String,
    /// The same source in Chinese, for the Chinese pages; optional.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub source_zh: Option<String>,
    /// How a provisional figure was derived (English); required when `provisional` is true.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub derivation: Option<String>,
    /// The same derivation in Chinese; optional, the English text is shown when absent.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub derivation_zh: Option<String>,
}

impl LineEntry {
    /// The source shown in `lang`: `source_zh` for Chinese when there is one, else `source`.
    pub fn source_in(&self, lang: Lang) -> &str {
        match (lang, &self.source_zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.source,
        }
    }

    /// The source in both languages (see [`LineEntry::source_in`]).
    pub fn sources(&self) -> Text {
        Text {
            zh: zh!(self.source_in(Lang::Zh).to_string()),
            en: en!(self.source_in(Lang::En).to_string()),
        }
    }
}

/// The local rural average income of Q13, with its year. Only one figure is known to us.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RuralAverage {
    /// The year the figure describes.
    pub year: i32,
    /// Rural residents' per-capita disposable income, whole yuan per person per year.
    pub yuan: i64,
    /// The area the figure covers, in Chinese (e.g. 山东省).
    pub area_zh: String,
    /// The area the figure covers, in English (e.g. Shandong).
    pub area_en: String,
    /// Where the figure comes from.
    pub source: String,
}

/// The guide's time limits. Each is a fixed, named field so the rules can refer to it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TimeLimits {
    /// Home verification by town and village (镇村入户核实), Q34: 3 days.
    pub home_verification: TimeLimit,
    /// Public posting in the village (村内公示), Q34: 5 days.
    pub village_publicity: TimeLimit,
    /// Assistance plan and measures after identification (帮扶计划制定和帮扶措施申报), Q23: 10 days.
    pub assistance_plan: TimeLimit,
    /// Entry into the information system after county approval (批准后完成系统录入), Q36: 10 days.
    pub system_entry: TimeLimit,
    /// The whole identification, from the first lead to confirmation (识别认定), Q34: 15 days.
    pub identification: TimeLimit,
    /// Verification after entry into the Green Channel (绿色通道核实), Q24: 1 month.
    pub green_channel_verification: TimeLimit,
    /// How long income must stay stable before the risk is marked eliminated (收入持续稳定), Q27:
    /// at least 6 months.
    pub stable_income: TimeLimit,
}

/// A time limit of the guide.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TimeLimit {
    /// The number of units.
    pub amount: i64,
    /// `days` or `months`.
    pub unit: TimeUnit,
    /// The questions of the guide that set it.
    pub cites: Vec<u8>,
    /// The guide's sentence, quoted.
    pub quote: String,
}

/// The longest time limit accepted in days: ten years. The guide's longest is 15 days; a limit
/// of billions of days would build and then make every date computed from it fail.
pub const MAX_LIMIT_DAYS: i64 = 3650;
/// The longest time limit accepted in months: ten years (the guide's longest is 6 months).
pub const MAX_LIMIT_MONTHS: i64 = 120;

/// The unit of a [`TimeLimit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TimeUnit {
    /// Calendar days.
    Days,
    /// Calendar months.
    Months,
}

// The pages' copy of the policy data (JSON written by the build) is read by these, the CLI's
// YAML by serde (with the file's line numbers); the fields are the structs', in order.

from_fields!(Policy {
    monitoring_lines,
    rural_average,
    time_limits,
});

from_fields!(LineEntry {
    year,
    effective,
    yuan,
    provisional,
    source,
    source_zh,
    derivation,
    derivation_zh,
});

from_fields!(RuralAverage {
    year,
    yuan,
    area_zh,
    area_en,
    source,
});

json_object!(RuralAverage {
    year,
    yuan,
    area_zh,
    area_en,
    source,
});

/// Read and written with the same fields.
macro_rules! time_limits {
    ($with:ident) => {
        $with!(TimeLimits {
            home_verification,
            village_publicity,
            assistance_plan,
            system_entry,
            identification,
            green_channel_verification,
            stable_income,
        });
    };
}
time_limits!(from_fields);
time_limits!(json_object);

from_fields!(TimeLimit {
    amount,
    unit,
    cites,
    quote,
});

json_object!(TimeLimit {
    amount,
    unit,
    cites,
    quote,
});

named!(TimeUnit {
    Days: "days",
    Months: "months",
});

impl TimeUnit {
    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Days => "days",
            TimeUnit::Months => "months",
        }
    }
}

json_name!(TimeUnit);

impl TimeLimit {
    /// The date this limit counted from `from` falls due: `from + amount` days or months (the
    /// starting day not counted; a month with no such day ends on its last day). `None` outside
    /// years 1–9999.
    pub fn due_from(&self, from: Date) -> Option<Date> {
        match self.unit {
            TimeUnit::Days => from.add_days(self.amount),
            TimeUnit::Months => from.add_months(self.amount),
        }
    }

    /// `3 天`, `1 个月`.
    pub fn zh(&self) -> String {
        match self.unit {
            TimeUnit::Days => format!("{} 天", self.amount),
            TimeUnit::Months => format!("{} 个月", self.amount),
        }
    }

    /// `3 days`, `1 month`, `6 months`.
    pub fn en(&self) -> String {
        let (one, many) = match self.unit {
            TimeUnit::Days => ("day", "days"),
            TimeUnit::Months => ("month", "months"),
        };
        format!("{} {}", self.amount, if self.amount == 1 { one } else { many })
    }
}

/// Identifies a line entry in an error: its position in the list and its year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct LineRef {
    /// Zero-based index in `monitoring_lines`.
    pub index: usize,
    /// The entry's `year`.
    pub year: i32,
}

/// A problem in the policy data.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct PolicyError {
    /// The monitoring-line entry concerned, if any.
    pub entry: Option<LineRef>,
    /// The path of the field: `monitoring_lines[1].effective`, `rural_average.yuan`, …
    pub field: String,
    /// Message in Chinese.
    pub zh: String,
    /// Message in English.
    pub en: String,
}

impl PolicyError {
    /// The same problem as a [`FieldError`] whose path starts with `policy.`.
    pub fn to_field_error(&self) -> FieldError {
        FieldError::new(format!("policy.{}", self.field), &self.zh, &self.en)
    }
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.en)
    }
}

impl std::error::Error for PolicyError {}

/// The monitoring line chosen for a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineChoice<'a> {
    /// The entry used.
    pub entry: &'a LineEntry,
    /// Its index in `monitoring_lines`.
    pub index: usize,
    /// `true` when the line was chosen by date and today's year has no entry of its own, so an
    /// earlier year's line is used; the result then carries a warning.
    pub stale: bool,
    /// The year of "today" as passed in.
    pub today_year: i32,
}

impl Policy {
    /// Checks the time limits' citations against the guide as the content has it (`questions`:
    /// each question's number and its official Chinese text): every question cited exists, and
    /// the quote occurs in the text of one of them (line breaks removed). The build tool runs it
    /// with the questions it loaded; the page, which has no text, relies on the build.
    pub fn check_citations(&self, questions: &BTreeMap<u8, String>) -> Vec<PolicyError> {
        let mut errors = Vec::new();
        for (name, limit) in self.time_limits.named() {
            let field = |part: &str| format!("time_limits.{name}.{part}");
            let unknown: Vec<String> = limit
                .cites
                .iter()
                .filter(|c| !questions.contains_key(c))
                .map(u8::to_string)
                .collect();
            if !unknown.is_empty() {
                errors.push(PolicyError {
                    entry: None,
                    field: field("cites"),
                    zh: zh!(format!("指南中没有第 {} 问", unknown.join("、"))),
                    en: en!(format!("the guide has no question {}", unknown.join(", "))),
                });
            } else if !limit
                .cites
                .iter()
                .any(|c| questions.get(c).is_some_and(|text| quoted_in(&limit.quote, text)))
            {
                errors.push(PolicyError {
                    entry: None,
                    field: field("quote"),
                    zh: zh!(format!("所引问题（{}）的原文中没有这句话", cites_zh(&limit.cites))),
                    en: en!(format!(
                        "the text of the questions cited ({}) does not contain these words",
                        cites_en(&limit.cites)
                    )),
                });
            }
        }
        errors
    }

    /// Every problem in the data, in order; empty when the data is usable.
    ///
    /// Checks: at least one line; positive amounts; each `effective` date falls in its `year`;
    /// `effective` dates strictly ascending; years unique; sources non-empty; a derivation for every
    /// provisional line; time limits positive, citing questions and quoting the guide. Whether the questions cited
    /// exist and hold the quotes depends on the guide's text: [`Policy::check_citations`].
    pub fn validate(&self) -> Vec<PolicyError> {
        let mut errors = Vec::new();
        if self.monitoring_lines.is_empty() {
            errors.push(PolicyError {
                entry: None,
                field: "monitoring_lines".into(),
                zh: zh!("至少需要一条省定防止返贫监测线".into()),
                en: en!("at least one provincial monitoring line is needed".into()),
            });
        }
        for (index, line) in self.monitoring_lines.iter().enumerate() {
            let entry = LineRef { index, year: line.year };
            let mut push = |field: &str, zh: String, en: String| {
                errors.push(PolicyError {
                    entry: Some(entry),
                    field: format!("monitoring_lines[{index}].{field}"),
                    zh: zh!(format!("第 {} 条（{} 年）：{zh}", index + 1, line.year)),
                    en: en!(format!("entry {} (year {}): {en}", index + 1, line.year)),
                });
            };
            if !(1..=9999).contains(&line.year) {
                push(
                    "year",
                    "年份应为四位数".into(),
                    "the year must be a four-digit year".into(),
                );
            }
            if line.yuan <= 0 {
                push(
                    "yuan",
                    format!("监测线应为正整数（元/人·年），实际为 {}", line.yuan),
                    format!(
                        "the line must be a positive whole number of yuan per person per year, not {}",
                        line.yuan
                    ),
                );
            }
            if line.effective.year() != line.year {
                push(
                    "effective",
                    format!("生效日期 {} 不在 {} 年内", line.effective, line.year),
                    format!("the effective date {} does not fall in {}", line.effective, line.year),
                );
            }
            if index > 0 {
                let previous = &self.monitoring_lines[index - 1];
                if line.effective <= previous.effective {
                    push(
                        "effective",
                        format!(
                            "生效日期应晚于上一条（{} 年，{}），实际为 {}；请按生效日期从早到晚排列",
                            previous.year, previous.effective, line.effective
                        ),
                        format!(
                            "the effective date must be later than the previous entry's ({}, {}), not {}; list the entries from oldest to newest",
                            previous.year, previous.effective, line.effective
                        ),
                    );
                }
            }
            if let Some(first) = self.monitoring_lines[..index]
                .iter()
                .position(|other| other.year == line.year)
            {
                push(
                    "year",
                    format!("{} 年已有一条监测线（第 {} 条）；每年只录入一条", line.year, first + 1),
                    format!(
                        "{} already has a line (entry {}); enter one line per year",
                        line.year,
                        first + 1
                    ),
                );
            }
            if line.source.trim().is_empty() {
                push(
                    "source",
                    "必须注明来源（公布监测线的文件，或推算所依据的资料）".into(),
                    "a source is required (the document that announced the line, or the sources of its derivation)"
                        .into(),
                );
            }
            if line.source_zh.as_deref().is_some_and(|s| s.trim().is_empty()) {
                push(
                    "source_zh",
                    "中文来源不能为空：写上中文来源，或删去 source_zh（中文页面就显示 source）".into(),
                    "the Chinese source is empty: write it, or remove source_zh (Chinese pages then show source)"
                        .into(),
                );
            }
            let has_derivation = line.derivation.as_deref().is_some_and(|d| !d.trim().is_empty());
            if line.provisional && !has_derivation {
                push(
                    "derivation",
                    "暂定值必须说明推算方法（derivation）".into(),
                    "a provisional line needs its derivation".into(),
                );
            }
        }

        let avg = &self.rural_average;
        if avg.yuan <= 0 {
            errors.push(PolicyError {
                entry: None,
                field: "rural_average.yuan".into(),
                zh: zh!(format!("当地农村平均收入应为正整数（元），实际为 {}", avg.yuan)),
                en: en!(format!(
                    "the local rural average income must be a positive whole number of yuan, not {}",
                    avg.yuan
                )),
            });
        }
        if !(1..=9999).contains(&avg.year) {
            errors.push(PolicyError {
                entry: None,
                field: "rural_average.year".into(),
                zh: zh!("年份应为四位数".into()),
                en: en!("the year must be a four-digit year".into()),
            });
        }
        if avg.source.trim().is_empty() {
            errors.push(PolicyError {
                entry: None,
                field: "rural_average.source".into(),
                zh: zh!("必须注明来源".into()),
                en: en!("a source is required".into()),
            });
        }
        for (name, value) in [("area_zh", &avg.area_zh), ("area_en", &avg.area_en)] {
            if value.trim().is_empty() {
                errors.push(PolicyError {
                    entry: None,
                    field: format!("rural_average.{name}"),
                    zh: zh!("必须注明数字所覆盖的地区".into()),
                    en: en!("the area the figure covers is required".into()),
                });
            }
        }

        for (name, limit) in self.time_limits.named() {
            let field = |part: &str| format!("time_limits.{name}.{part}");
            let (most, unit_zh, unit_en) = match limit.unit {
                TimeUnit::Days => (MAX_LIMIT_DAYS, "天", "days"),
                TimeUnit::Months => (MAX_LIMIT_MONTHS, "个月", "months"),
            };
            if limit.amount <= 0 {
                errors.push(PolicyError {
                    entry: None,
                    field: field("amount"),
                    zh: zh!(format!("时限应为正整数，实际为 {}", limit.amount)),
                    en: en!(format!(
                        "a time limit must be a positive whole number, not {}",
                        limit.amount
                    )),
                });
            } else if limit.amount > most {
                errors.push(PolicyError {
                    entry: None,
                    field: field("amount"),
                    zh: zh!(format!("时限最长为 {most} {unit_zh}（十年），实际为 {}", limit.amount)),
                    en: en!(format!(
                        "a time limit may be at most {most} {unit_en} (ten years), not {}",
                        limit.amount
                    )),
                });
            }
            if limit.cites.is_empty() || limit.cites.contains(&0) {
                errors.push(PolicyError {
                    entry: None,
                    field: field("cites"),
                    zh: zh!("应引用指南的问题编号".into()),
                    en: en!("must cite the guide's question numbers".into()),
                });
            }
            if limit.quote.trim().is_empty() {
                errors.push(PolicyError {
                    entry: None,
                    field: field("quote"),
                    zh: zh!("应引用指南原文".into()),
                    en: en!("must quote the guide's sentence".into()),
                });
            }
        }
        errors
    }

    /// The index in `monitoring_lines` of the line in force on `on`: the latest `effective` date
    /// on or before it; `None` before the first.
    pub fn in_force(&self, on: Date) -> Option<usize> {
        super::date::in_force(&self.monitoring_lines, on, |line| line.effective)
    }

    /// The monitoring line to use.
    ///
    /// With an explicit `year`, the entry of that year (an error lists the years available).
    /// Otherwise the entry in force on `today`: the one with the latest `effective` date not after
    /// `today`; [`LineChoice::stale`] tells whether today's year has no entry of its own.
    pub fn line_for(&self, year: Option<i32>, today: Date) -> Result<LineChoice<'_>, FieldError> {
        let years = self.years_zh_en();
        if let Some(year) = year {
            return self
                .monitoring_lines
                .iter()
                .position(|line| line.year == year)
                .map(|index| LineChoice {
                    entry: &self.monitoring_lines[index],
                    index,
                    stale: false,
                    today_year: today.year(),
                })
                .ok_or_else(|| {
                    FieldError::new(
                        "year",
                        zh!(format!(
                            "没有录入 {year} 年的省定防止返贫监测线；已录入的年份：{}",
                            years.0
                        )),
                        en!(format!(
                            "no provincial monitoring line has been entered for {year}; years available: {}",
                            years.1
                        )),
                    )
                });
        }
        match self.in_force(today) {
            Some(index) => Ok(LineChoice {
                entry: &self.monitoring_lines[index],
                index,
                stale: !self
                    .monitoring_lines
                    .iter()
                    .any(|line| line.year == today.year()),
                today_year: today.year(),
            }),
            None => Err(FieldError::new(
                "year",
                zh!(format!(
                    "{today} 时还没有生效的省定防止返贫监测线（已录入的年份：{}）；请填写 year 指定年份",
                    years.0
                )),
                en!(format!(
                    "no provincial monitoring line is in force on {today} (years available: {}); give the year explicitly",
                    years.1
                )),
            )),
        }
    }

    fn years_zh_en(&self) -> (String, String) {
        let list: Vec<String> = self.monitoring_lines.iter().map(|line| line.year.to_string()).collect();
        if list.is_empty() {
            ("无".into(), "none".into())
        } else {
            (list.join("、"), list.join(", "))
        }
    }
}

impl TimeLimits {
    /// Each limit with its field name, in a fixed order.
    pub fn named(&self) -> [(&'static str, &TimeLimit); 7] {
        [
            ("home_verification", &self.home_verification),
            ("village_publicity", &self.village_publicity),
            ("assistance_plan", &self.assistance_plan),
            ("system_entry", &self.system_entry),
            ("identification", &self.identification),
            ("green_channel_verification", &self.green_channel_verification),
            ("stable_income", &self.stable_income),
        ]
    }
}

impl LineEntry {
    /// `2023 年省定防止返贫监测线 6,000 元（暂定值）`.
    pub fn describe_zh(&self) -> String {
        format!(
            "{} 年省定防止返贫监测线 {} 元{}",
            self.year,
            group_digits(self.yuan),
            if self.provisional { "（暂定值）" } else { "" }
        )
    }

    /// `the 2023 provincial monitoring line of 6,000 yuan (provisional)`.
    pub fn describe_en(&self) -> String {
        format!(
            "the {} provincial monitoring line of {} yuan{}",
            self.year,
            group_digits(self.yuan),
            if self.provisional { " (provisional)" } else { "" }
        )
    }
}

/// Whether `quote` occurs in the official `text` of a question, line breaks removed (they are
/// the PDF's, not the text's).
pub fn quoted_in(quote: &str, text: &str) -> bool {
    let joined: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    !quote.is_empty() && joined.contains(quote)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn limit(amount: i64, unit: TimeUnit, cite: u8) -> TimeLimit {
        TimeLimit {
            amount,
            unit,
            cites: vec![cite],
            quote: "原文".into(),
        }
    }

    pub(crate) fn line(year: i32, effective: &str, yuan: i64, provisional: bool) -> LineEntry {
        LineEntry {
            year,
            effective: Date::parse(effective).expect("test date"),
            yuan,
            provisional,
            source: "source".into(),
            source_zh: None,
            derivation: provisional.then(|| "1.5 × 4,000".to_string()),
            derivation_zh: None,
        }
    }

    /// A valid policy like the shipped one, for unit tests.
    pub(crate) fn sample() -> Policy {
        Policy {
            monitoring_lines: vec![line(2023, "2023-01-01", 6000, true)],
            rural_average: RuralAverage {
                year: 2020,
                yuan: 18753,
                area_zh: "山东省".into(),
                area_en: "Shandong".into(),
                source: "齐鲁网 2021-02-24".into(),
            },
            time_limits: TimeLimits {
                home_verification: limit(3, TimeUnit::Days, 34),
                village_publicity: limit(5, TimeUnit::Days, 34),
                assistance_plan: limit(10, TimeUnit::Days, 23),
                system_entry: limit(10, TimeUnit::Days, 36),
                identification: limit(15, TimeUnit::Days, 34),
                green_channel_verification: limit(1, TimeUnit::Months, 24),
                stable_income: limit(6, TimeUnit::Months, 27),
            },
        }
    }

    fn date(text: &str) -> Date {
        Date::parse(text).expect("test date")
    }

    #[test]
    fn sample_is_valid() {
        assert_eq!(sample().validate(), vec![]);
    }

    #[test]
    fn reports_every_problem_with_entry_and_field() {
        let mut policy = sample();
        policy.monitoring_lines = vec![
            line(2023, "2023-03-01", 6000, false),
            line(2023, "2023-02-01", 0, true),
            line(2025, "2024-12-31", -5, false),
        ];
        policy.monitoring_lines[1].derivation = None;
        policy.monitoring_lines[2].source = "  ".into();
        policy.monitoring_lines[2].source_zh = Some(" ".into());
        let errors = policy.validate();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "monitoring_lines[1].yuan",
                "monitoring_lines[1].effective",
                "monitoring_lines[1].year",
                "monitoring_lines[1].derivation",
                "monitoring_lines[2].yuan",
                "monitoring_lines[2].effective",
                "monitoring_lines[2].source",
                "monitoring_lines[2].source_zh",
            ]
        );
        assert_eq!(errors[0].entry, Some(LineRef { index: 1, year: 2023 }));
        assert!(errors[2].en.contains("2023 already has a line (entry 1)"));
        assert!(errors[4].zh.contains("第 3 条（2025 年）"));
        assert_eq!(errors[0].to_field_error().field, "policy.monitoring_lines[1].yuan");
    }

    #[test]
    fn time_limits_are_bounded() {
        let mut policy = sample();
        policy.time_limits.village_publicity.amount = 4_000_000_000;
        policy.time_limits.stable_income.amount = MAX_LIMIT_MONTHS + 1;
        let errors = policy.validate();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "time_limits.village_publicity.amount",
                "time_limits.stable_income.amount"
            ]
        );
        assert_eq!(
            errors[0].en,
            "a time limit may be at most 3650 days (ten years), not 4000000000"
        );
        policy.time_limits.village_publicity.amount = MAX_LIMIT_DAYS;
        policy.time_limits.stable_income.amount = MAX_LIMIT_MONTHS;
        assert!(policy.validate().is_empty());
    }

    #[test]
    fn reports_empty_lines_and_bad_time_limits() {
        let mut policy = sample();
        policy.monitoring_lines.clear();
        policy.rural_average.yuan = 0;
        policy.rural_average.source.clear();
        policy.time_limits.village_publicity.amount = 0;
        policy.time_limits.stable_income.cites = vec![];
        let fields: Vec<String> = policy.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "monitoring_lines",
                "rural_average.yuan",
                "rural_average.source",
                "time_limits.village_publicity.amount",
                "time_limits.stable_income.cites",
            ]
        );
    }

    #[test]
    fn citations_are_checked_against_the_guide_given() {
        let mut policy = sample();
        let mut questions = BTreeMap::new();
        for (_, limit) in policy.time_limits.named() {
            for c in &limit.cites {
                questions.insert(*c, format!("前文\n{}\n后文", limit.quote));
            }
        }
        assert_eq!(policy.check_citations(&questions), vec![]);
        policy.time_limits.stable_income.cites = vec![43];
        policy.time_limits.village_publicity.quote = "指南里没有的话".into();
        let fields: Vec<String> = policy
            .check_citations(&questions)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec!["time_limits.village_publicity.quote", "time_limits.stable_income.cites"]
        );
        assert!(quoted_in("收入持续稳定", "收入持续\n稳定"));
        assert!(!quoted_in("", "收入"));
    }

    #[test]
    fn chooses_the_line_in_force_by_date() {
        let mut policy = sample();
        policy.monitoring_lines.push(line(2024, "2024-03-15", 6300, false));
        let before = policy.line_for(None, date("2024-03-14")).expect("line");
        assert_eq!((before.entry.year, before.stale), (2023, false));
        let on = policy.line_for(None, date("2024-03-15")).expect("line");
        assert_eq!((on.entry.year, on.stale), (2024, false));
        let later = policy.line_for(None, date("2026-07-01")).expect("line");
        assert_eq!((later.entry.year, later.stale), (2024, true));
    }

    #[test]
    fn explicit_year_must_exist() {
        let policy = sample();
        let ok = policy.line_for(Some(2023), date("2030-01-01")).expect("line");
        assert_eq!((ok.entry.yuan, ok.stale), (6000, false));
        let err = policy
            .line_for(Some(2021), date("2023-06-01"))
            .expect_err("no 2021 line");
        assert_eq!(err.field, "year");
        assert!(err.en.contains("years available: 2023"), "{}", err.en);
    }

    #[test]
    fn no_line_before_the_first_effective_date() {
        let err = sample()
            .line_for(None, date("2022-12-31"))
            .expect_err("nothing in force");
        assert_eq!(err.field, "year");
    }

    #[test]
    fn time_limit_texts() {
        let p = sample();
        assert_eq!(p.time_limits.home_verification.zh(), "3 天");
        assert_eq!(p.time_limits.green_channel_verification.en(), "1 month");
        assert_eq!(p.time_limits.stable_income.en(), "6 months");
    }
}
