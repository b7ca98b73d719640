//! The risk-elimination check (Q25–Q29, Q31; procedure Q37): can a monitored household be
//! proposed for marking its risk as eliminated (风险消除)?
//!
//! > 收入稳定超过当年省定防止返贫监测线、“三保障”和饮水安全持续巩固，经综合分析研判，监测帮扶对象
//! > 识别时的返贫致贫风险已经稳定消除或自然消除，且不存在新增返贫致贫风险的，按程序标注风险消除。
//! > （第25问）
//! > 过渡期内，除风险自然消除外，收入持续稳定原则上不少于半年。（第27问）
//! > ……暂不消除风险。（第28问）
//!
//! Q28 answers this for whole-household safety-net households once the measures are in place
//! (its question: 对整户无劳动能力兜底保障的监测帮扶对象落实相关措施后，能否消除风险？).
//!
//! # The case ([`EliminationCase`])
//!
//! Read from YAML by the CLI and from JSON by the page through the table [`SCHEMA`] (see
//! [`crate::input`]); unknown fields and values are rejected and every problem names its field.
//!
//! | field | required | meaning |
//! |---|---|---|
//! | `members` | yes | co-living members, ≥ 1 |
//! | `members_with_labor` | yes | members able to work, ≤ `members` |
//! | `safety_net_support` | yes | the household lives mainly or only on social safety-net support: rural dispersed support for people in extreme poverty (分散供养特困), or the full or top-tier rural minimum living allowance (低保) (Q29) |
//! | `income` | yes | the household's income over the last year, by component, whole yuan — the checker's `income` (wages, business, transfers, property, business_costs, claims); per-capita net income is computed as there (Q12) |
//! | `months_above_line` | unless `natural_elimination` | how many consecutive months, up to today, income has stayed stably above the line in force |
//! | `problems` | yes | remaining problems with the Three Guarantees or drinking water (`education`, `medical`, `housing`, `water`); `[]` when consolidated |
//! | `new_risk` | yes | a new risk of returning to or falling into poverty has appeared |
//! | `natural_elimination` | yes | the risk found at identification has disappeared of itself (风险自然消除, Q25, Q27) |
//! | `year` | no | the year whose line applies; omitted: the line in force today |
//!
//! # Decisions
//!
//! * A whole-household safety-net household (整户无劳动能力兜底保障户, Q29) is one where **no member
//!   is able to work** (`members_with_labor: 0`) **and** it lives on safety-net support
//!   (`safety_net_support: true`). Its risk is not eliminated for now (Q28): the verdict is
//!   `not_applicable`, whatever else the case says.
//! * "超过" (above) is strictly above: per-capita net income exactly at the line is not above it.
//!   Compared exactly on household totals; per-person figures are rounded down.
//! * The six months of Q27 are read from `time_limits.stable_income` in the policy data and must
//!   be given in months there. Natural elimination lifts the duration (Q27) but not the other
//!   conditions of Q25.
//! * Months above the line count only when the last year's income is above it: months given
//!   while that income is not above the line contradict it, and the result says so in one
//!   unmet reason rather than counting the months as met beside an income that is not.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::case::{household_errors, Income, Problem, INCOME_FIELD, MEMBERS, MEMBERS_WITH_LABOR, PROBLEMS_FIELD, YEAR};
use super::identify::{household_net_income, per_capita};
use super::outcome::{line_in_words, provisional_line_note, push_notes, Note, PROVISIONAL_MARKER};
use super::policy::{LineEntry, Policy, PolicyError, TimeUnit};
use super::provisions::*;
use super::{group_digits, Date, FieldError, Lang};
use crate::input::typed::from_fields;
use crate::input::{Field, Kind, Schema};
use crate::json::{json_name, json_object};
use crate::vocab::{cite_suffix, Text};

/// A monitored household's answers for the elimination check.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct EliminationCase {
    /// The year whose monitoring line applies; omitted: the line in force today.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub year: Option<i32>,
    /// Co-living members; at least 1.
    pub members: u32,
    /// Members able to work; at most `members`.
    pub members_with_labor: u32,
    /// Lives mainly or only on social safety-net support (特困供养, full or top-tier 低保), Q29.
    pub safety_net_support: bool,
    /// Household income over the last year, by component (Q12).
    pub income: Income,
    /// Consecutive months, up to today, that income has stayed stably above the line; required
    /// unless `natural_elimination`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub months_above_line: Option<u32>,
    /// Remaining problems with the Three Guarantees or safe drinking water; empty when
    /// consolidated.
    pub problems: Vec<Problem>,
    /// A new risk has appeared (Q25).
    pub new_risk: bool,
    /// The risk has disappeared of itself (Q25, Q27).
    pub natural_elimination: bool,
}

/// The fields of a case, as written there (the rows mirror [`EliminationCase`]).
pub const SCHEMA: Schema = Schema {
    root: "case",
    fields: &[
        YEAR,
        MEMBERS,
        MEMBERS_WITH_LABOR,
        Field::required("safety_net_support", Kind::Bool),
        INCOME_FIELD,
        // Ten years: far beyond the six months asked, and a typing error above it.
        Field::optional(
            "months_above_line",
            Kind::Whole {
                min: 0,
                max: 120,
                unit: "个月",
            },
        ),
        PROBLEMS_FIELD,
        Field::required("new_risk", Kind::Bool),
        Field::required("natural_elimination", Kind::Bool),
    ],
};

crate::input::readers!(EliminationCase, SCHEMA);

from_fields!(EliminationCase {
    year,
    members,
    members_with_labor,
    safety_net_support,
    income,
    months_above_line,
    problems,
    new_risk,
    natural_elimination,
});

impl EliminationCase {
    /// Checks the answers together.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = household_errors(self.members, self.members_with_labor);
        if self.months_above_line.is_none() && !self.natural_elimination {
            errors.push(FieldError::new(
                "months_above_line",
                zh!("需要回答：收入已连续稳定超过监测线几个月（风险自然消除时可不填）"),
                en!("answer how many consecutive months income has stayed above the line (not needed when the risk has disappeared of itself)"),
            ));
        }
        errors
    }

    /// Whether the household is a whole-household safety-net household (Q29): no member able to
    /// work and living on safety-net support.
    pub fn is_safety_net_household(&self) -> bool {
        self.members_with_labor == 0 && self.safety_net_support
    }
}

// ---------------------------------------------------------------------------------------------
// Outcome
// ---------------------------------------------------------------------------------------------

/// The verdict of an elimination check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Verdict {
    /// Every condition of Q25 and Q27 is met: elimination can be proposed (Q37's procedure).
    CanPropose,
    /// Some condition is not met yet; the reasons say which.
    NotYet,
    /// A whole-household safety-net household: its risk is not eliminated for now (Q28, Q29).
    NotApplicable,
}

impl Verdict {
    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::CanPropose => "can_propose",
            Verdict::NotYet => "not_yet",
            Verdict::NotApplicable => "not_applicable",
        }
    }

    /// The verdict in plain words.
    pub fn text(self) -> Text {
        let (zh, en) = match self {
            Verdict::CanPropose => (
                "可以提出风险消除，按程序办理",
                "Elimination of the risk can be proposed, through the procedure",
            ),
            Verdict::NotYet => ("暂不能提出风险消除", "Elimination cannot be proposed yet"),
            Verdict::NotApplicable => (
                "整户无劳动能力兜底保障户，暂不消除风险",
                "Whole-household safety-net household: the risk is not eliminated for now",
            ),
        };
        Text {
            zh: zh!(zh.into()),
            en: en!(en.into()),
        }
    }
}

/// A condition of elimination, whether it is met, and why — generated from the values that
/// decided it, citing the guide.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Reason {
    /// `safety_net`, `income`, `stable_months`, `three_guarantees` or `new_risk`.
    pub key: String,
    /// Whether the condition is met.
    pub met: bool,
    /// The questions cited.
    pub cites: Vec<u8>,
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Reason {
    fn new(key: &str, met: bool, cites: &[Provision], zh: impl Into<String>, en: impl Into<String>) -> Reason {
        Reason {
            key: key.into(),
            met,
            cites: crate::vocab::questions(cites),
            zh: zh!(zh.into()),
            en: en!(en.into()),
        }
    }
}

/// The result of an elimination check.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct EliminationOutcome {
    /// Whether elimination can be proposed (`verdict == can_propose`).
    pub eligible: bool,
    /// The verdict.
    pub verdict: Verdict,
    /// The verdict in plain words.
    pub label: Text,
    /// The year of the monitoring line used.
    pub year: i32,
    /// The monitoring line used, yuan per person per year.
    pub monitoring_line: i64,
    /// Whether that line is provisional.
    pub line_provisional: bool,
    /// From when the line is in force.
    pub line_effective: Date,
    /// Where the line comes from, in both languages.
    pub line_source: Text,
    /// Per-capita net income (Q12), whole yuan, rounded down.
    pub per_capita_net_income: i64,
    /// The months of stable income required (Q27), from the policy data.
    pub months_required: i64,
    /// Whether the household is a whole-household safety-net household (Q29).
    pub safety_net_household: bool,
    /// Each condition, met or not, in order; for a safety-net household only that one.
    pub reasons: Vec<Reason>,
    /// What to do next (the procedure of Q37 when elimination can be proposed).
    pub next_steps: Vec<Note>,
    /// Caveats about the data used.
    pub warnings: Vec<Note>,
}

json_name!(Verdict);

json_object!(Reason {
    key,
    met,
    cites,
    zh,
    en
});

json_object!(EliminationOutcome {
    eligible,
    verdict,
    label,
    year,
    monitoring_line,
    line_provisional,
    line_effective,
    line_source,
    per_capita_net_income,
    months_required,
    safety_net_household,
    reasons,
    next_steps,
    warnings,
});

/// Checks `case` against `policy` on `today`. Errors name the field (policy fields start with
/// `policy.`).
pub fn check_elimination(
    case: &EliminationCase,
    policy: &Policy,
    today: Date,
) -> Result<EliminationOutcome, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = policy.validate().iter().map(PolicyError::to_field_error).collect();
    errors.extend(case.validate());
    let stable = &policy.time_limits.stable_income;
    if stable.unit != TimeUnit::Months {
        errors.push(FieldError::new(
            "policy.time_limits.stable_income.unit",
            zh!("收入持续稳定的时限应以月计（months）"),
            en!("the time for stable income must be given in months"),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let choice = policy.line_for(case.year, today).map_err(|e| vec![e])?;
    let line = choice.entry;
    let required = stable.amount;
    let net = household_net_income(&case.income);
    let pcni = per_capita(net, case.members);
    let members = case.members;
    let mut warnings = line_warnings(line, choice.stale, choice.today_year);

    let outcome =
        |verdict: Verdict, reasons: Vec<Reason>, next_steps: Vec<Note>, warnings: Vec<Note>| EliminationOutcome {
            eligible: verdict == Verdict::CanPropose,
            verdict,
            label: verdict.text(),
            year: line.year,
            monitoring_line: line.yuan,
            line_provisional: line.provisional,
            line_effective: line.effective,
            line_source: line.sources(),
            per_capita_net_income: pcni,
            months_required: required,
            safety_net_household: case.is_safety_net_household(),
            reasons,
            next_steps,
            warnings,
        };

    // Q28, Q29: never for a whole-household safety-net household.
    if case.is_safety_net_household() {
        let reason = Reason::new(
            "safety_net",
            false,
            &[Q28, Q29],
            zh!(format!(
                "家庭 {members} 人均无劳动能力，主要依靠兜底保障政策维持基本生活，属于整户无劳动能力兜底保障户（第29问）；对这类监测帮扶对象落实相关措施后，暂不消除风险。"
            )),
            en!(format!(
                "None of the household's {members} members is able to work and it lives on safety-net support, so it is a whole-household safety-net household (Q29); for such households the risk is not eliminated for now, even once the measures are in place."
            )),
        );
        return Ok(outcome(
            Verdict::NotApplicable,
            vec![reason],
            safety_net_steps(),
            warnings,
        ));
    }

    let mut reasons = Vec::new();
    let labor = case.members_with_labor;
    if labor == 0 {
        reasons.push(Reason::new(
            "safety_net",
            true,
            &[Q28, Q29],
            zh!(format!("家庭 {members} 人均无劳动能力，但没有主要依靠兜底保障政策维持基本生活，不属于整户无劳动能力兜底保障户。")),
            en!(format!("None of the household's {members} members is able to work, but it does not live mainly on safety-net support, so it is not a whole-household safety-net household.")),
        ));
        warnings.push(Note::new(
            &[Q29],
            zh!("整户无劳动能力兜底保障户由镇村认定、在系统中标识：如本户主要或只能依靠特困供养、全额或最高档次农村低保等社会综合保障政策维持基本生活，就属于这类家庭，暂不消除风险。"),
            en!("Whole-household safety-net households are determined by the town and village and marked in the system: if this household lives mainly or only on social safety-net support (support for people in extreme poverty, the full or top-tier rural minimum living allowance), it is one, and its risk is not eliminated for now."),
        ));
    } else {
        reasons.push(Reason::new(
            "safety_net",
            true,
            &[Q28, Q29],
            zh!(format!("家庭 {members} 人中 {labor} 人有劳动能力，不属于整户无劳动能力兜底保障户。")),
            en!(format!(
                "{labor} of the household's {members} members {} able to work, so it is not a whole-household safety-net household.",
                if labor == 1 { "is" } else { "are" }
            )),
        ));
    }

    // Q25 with Q12: income above the line in force.
    let above = net > i128::from(line.yuan) * i128::from(members);
    reasons.push(income_reason(above, pcni, net, members, line));

    // Q27: six months, unless the risk disappeared of itself.
    let months = case.months_above_line;
    let months_met = case.natural_elimination || (above && months.is_some_and(|m| i64::from(m) >= required));
    reasons.push(months_reason(case, required, above));

    // Q25: Three Guarantees and drinking water consolidated.
    let problems_met = case.problems.is_empty();
    reasons.push(if problems_met {
        Reason::new(
            "three_guarantees",
            true,
            &[Q25],
            zh!("“三保障”和饮水安全持续巩固，没有未解决的问题。"),
            en!("The Three Guarantees and safe drinking water are consolidated, with no problem left."),
        )
    } else {
        let zh: Vec<&str> = case.problems.iter().map(|p| p.zh()).collect();
        let en: Vec<&str> = case.problems.iter().map(|p| p.en()).collect();
        Reason::new(
            "three_guarantees",
            false,
            &[Q25],
            zh!(format!("“三保障”和饮水安全尚未持续巩固：{}仍有问题。", zh.join("、"))),
            en!(format!(
                "The Three Guarantees and safe drinking water are not yet consolidated: problems remain with {}.",
                en.join(", ")
            )),
        )
    });

    // Q25: no new risk.
    reasons.push(if case.new_risk {
        Reason::new(
            "new_risk",
            false,
            &[Q25],
            zh!("存在新增返贫致贫风险。"),
            en!("A new risk of returning to or falling into poverty has appeared."),
        )
    } else {
        Reason::new(
            "new_risk",
            true,
            &[Q25],
            zh!("不存在新增返贫致贫风险。"),
            en!("No new risk of returning to or falling into poverty has appeared."),
        )
    });

    let verdict = if reasons.iter().all(|r| r.met) {
        Verdict::CanPropose
    } else {
        Verdict::NotYet
    };
    let mut steps = Vec::new();
    if verdict == Verdict::CanPropose {
        steps.extend(procedure_steps());
    } else {
        steps.push(Note::new(
            &[Q25],
            zh!("继续落实帮扶措施，针对上面未满足的条件开展帮扶；条件都满足后，再按程序提出风险消除。"),
            en!("Keep the assistance going and address the conditions not met above; once they all are, propose elimination through the procedure."),
        ));
        if above && !months_met && problems_met && !case.new_risk {
            if let Some(m) = months {
                let missing = required - i64::from(m);
                if let Some(from) = today.add_months(missing) {
                    steps.push(Note::from_questions(
                        &stable.cites,
                        zh!(format!("如收入继续稳定超过监测线，到 {from} 前后满 {required} 个月（还差 {missing} 个月），届时可再作检查。")),
                        en!(format!("If income stays stably above the line, it reaches {required} months around {from} ({missing} more); check again then.")),
                    ));
                }
            }
        }
    }
    steps.push(Note::new(
        &[Q26],
        zh!("不得设置风险消除比例要求：是否消除风险只看本户情况，不按比例或指标决定。"),
        en!("No quota may be set for eliminating risks: whether a risk is eliminated depends on the household alone, never on a proportion or target."),
    ));
    steps.push(disclaimer());
    Ok(outcome(verdict, reasons, steps, warnings))
}

fn income_reason(above: bool, pcni: i64, net: i128, members: u32, line: &LineEntry) -> Reason {
    let shown = group_digits(pcni);
    let line_zh = line.describe_zh();
    let line_en = line.describe_en();
    if above && pcni == line.yuan {
        // A per-person figure rounded down to the line itself while the total is above it: the
        // sentence states the comparison the decision used, never "7,000 above 7,000".
        let total = group_digits(i64::try_from(net).unwrap_or(i64::MAX));
        let needed = group_digits(line.yuan.saturating_mul(i64::from(members)));
        let y = group_digits(line.yuan);
        Reason::new(
            "income",
            true,
            &[Q12, Q25],
            zh!(format!("人均纯收入超过 {line_zh}：家庭纯收入 {total} 元，超过 {y} 元 × {members} 人 = {needed} 元。人均纯收入向下取整到元显示为 {shown} 元，与监测线相同，实际略高于监测线。")),
            en!(format!("Per-capita net income is above {line_en}: household net income of {total} yuan is more than {y} yuan × {members} members = {needed} yuan. Rounded down to the yuan, per-capita net income shows as {shown} yuan, the same as the line, but it is slightly above it.")),
        )
    } else if above {
        Reason::new(
            "income",
            true,
            &[Q12, Q25],
            zh!(format!("人均纯收入 {shown} 元，超过 {line_zh}。")),
            en!(format!("Per-capita net income of {shown} yuan is above {line_en}.")),
        )
    } else {
        let relation_zh = if pcni == line.yuan && net == i128::from(line.yuan) * i128::from(members) {
            "等于"
        } else {
            "低于"
        };
        let relation_en = if relation_zh == "等于" { "equal to" } else { "below" };
        Reason::new(
            "income",
            false,
            &[Q12, Q25],
            zh!(format!(
                "人均纯收入 {shown} 元，{relation_zh} {line_zh}，没有稳定超过监测线。"
            )),
            en!(format!(
                "Per-capita net income of {shown} yuan is {relation_en} {line_en}, not stably above the line."
            )),
        )
    }
}

fn months_reason(case: &EliminationCase, required: i64, above: bool) -> Reason {
    let cites = [Q27];
    match (case.natural_elimination, case.months_above_line) {
        (false, Some(m)) if m > 0 && !above => Reason::new(
            "stable_months",
            false,
            &cites,
            zh!(format!("填写了收入稳定超过监测线 {m} 个月，但按所填最近一年的收入，人均纯收入没有超过监测线：两项回答互相矛盾，这 {m} 个月不能算作“收入持续稳定不少于 {required} 个月”。请核对收入和月数后再检查。")),
            en!(format!("The answers contradict each other: income is said to have stayed stably above the line for {m} months, but by the last year's income given, per-capita net income is not above the line, so those {m} months cannot count towards the at least {required} months of stable income. Check the income and the months, then check again.")),
        ),
        (true, months) => {
            // Months above the line are mentioned only where the income agrees with them.
            let (zh, en) = months.filter(|_| above).map_or((String::new(), String::new()), |m| {
                (
                    format!("收入稳定超过监测线 {m} 个月；"),
                    format!("Income has been stably above the line for {m} months; "),
                )
            });
            let en = if en.is_empty() {
                format!("The risk has disappeared of itself (natural elimination), so the rule that income be stable for at least {required} months does not apply.")
            } else {
                format!("{en}the risk has disappeared of itself (natural elimination), so the rule that income be stable for at least {required} months does not apply.")
            };
            Reason::new(
                "stable_months",
                true,
                &cites,
                zh!(format!("{zh}风险自然消除，不受“收入持续稳定原则上不少于 {required} 个月”的限制。")),
                en,
            )
        }
        (false, Some(m)) if i64::from(m) >= required => Reason::new(
            "stable_months",
            true,
            &cites,
            zh!(format!("收入稳定超过监测线 {m} 个月，已满 {required} 个月。")),
            en!(format!("Income has been stably above the line for {m} months, at least the {required} required.")),
        ),
        (false, months) => {
            let m = months.unwrap_or(0);
            Reason::new(
                "stable_months",
                false,
                &cites,
                zh!(format!("收入稳定超过监测线 {m} 个月，未满 {required} 个月。")),
                en!(format!("Income has been stably above the line for {m} months, fewer than the {required} required.")),
            )
        }
    }
}

/// The procedure of Q37, with Q38 and Q31.
fn procedure_steps() -> Vec<Note> {
    vec![
        Note::new(
            &[Q33, Q37],
            zh!("按程序提出风险消除：参照识别程序，依次为镇村入户核实，村级民主评议，镇级审核反馈，村级公示，县级批准、公告和系统标注。"),
            en!("Propose elimination through the procedure, modelled on identification: home verification by the town and village, democratic appraisal in the village, examination and feedback by the town, public posting in the village, then approval, announcement and marking in the system by the county."),
        ),
        Note::new(
            &[Q38],
            zh!("公示公告中不得公开农户身份证件号码、手机号、银行账号、健康状况等敏感信息；张贴前可用隐私检查工具检查公示文本。"),
            en!("Public postings and announcements must not show the household's ID numbers, mobile numbers, bank account numbers, health conditions or other sensitive information; check the notice with the privacy check before posting it."),
        ),
        Note::new(
            &[Q31],
            zh!("风险消除后，如又出现新的返贫致贫风险，应按程序重新识别为监测帮扶对象，并及时落实帮扶措施。"),
            en!("If a new risk appears after elimination, the household is identified again as a monitored household through the procedure and assistance is given promptly."),
        ),
    ]
}

/// What to do for a whole-household safety-net household (Q28, Q29).
fn safety_net_steps() -> Vec<Note> {
    vec![
        Note::new(
            &[Q28],
            zh!("继续落实兜底保障和帮扶措施，暂不消除风险。"),
            en!("Keep the safety-net support and assistance in place; the risk is not eliminated for now."),
        ),
        Note::new(
            &[Q29],
            zh!("整户无劳动能力兜底保障户由镇村认定并在系统中标识。如其低保、特困供养身份发生变化，由市乡村振兴局汇总审核后报省乡村振兴局，经国家乡村振兴局同意备案后统一操作。"),
            en!("Whole-household safety-net households are determined by the town and village and marked in the system. If a household's minimum-living-allowance or extreme-poverty-support status changes, the city's rural revitalization bureau examines it and reports to the province, which applies to the national administration; the change is made once the national administration has approved and filed it."),
        ),
        disclaimer(),
    ]
}

fn disclaimer() -> Note {
    Note::new(
        &[Q25, Q37],
        zh!("这是自我检查，不是认定结果：风险是否消除，经综合分析研判，由村级民主评议、县级批准等程序确定。"),
        en!("This is a self-check, not a determination: whether the risk is eliminated is decided after an overall assessment, through democratic appraisal in the village and approval by the county."),
    )
}

/// Caveats about the line: stale or provisional (Q10).
fn line_warnings(entry: &LineEntry, stale: bool, today_year: i32) -> Vec<Note> {
    let mut warnings = Vec::new();
    if stale {
        warnings.push(Note::new(
            &[Q10, Q25],
            zh!(format!(
                "还没有录入 {today_year} 年的省定防止返贫监测线，本次使用 {} 年的监测线（{} 起）；第25问比较的是当年的监测线，请以当地公布的数字为准。",
                entry.year, entry.effective
            )),
            en!(format!(
                "No provincial monitoring line has been entered for {today_year}; the {} line (in force from {}) is used. Q25 compares with the current year's line; the announced figure prevails.",
                entry.year, entry.effective
            )),
        ));
    }
    if entry.provisional {
        warnings.push(provisional_line_note(entry));
    }
    warnings
}

/// A readable rendering for a terminal, in `lang`.
pub fn render_text(outcome: &EliminationOutcome, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let cite = |cites: &[u8]| cite_suffix(cites, lang);
    let sep = if zh { "：" } else { ": " };
    let mut out = String::new();
    let (h_result, h_line, h_income, h_reasons, h_next, h_warn) = if zh {
        ("风险消除检查", "所用监测线", "人均纯收入", "条件", "下一步", "提示")
    } else {
        (
            "Risk-elimination check",
            "Line used",
            "Per-capita net income",
            "Conditions",
            "What next",
            "Please note",
        )
    };
    let label = outcome.label.get(lang);
    out.push_str(&format!("{h_result}{sep}{label}\n"));
    let marker = if outcome.line_provisional {
        PROVISIONAL_MARKER
    } else {
        ("", "")
    };
    let line = line_in_words(
        outcome.year,
        outcome.monitoring_line,
        outcome.line_effective,
        &outcome.line_source,
        marker,
        lang,
    );
    out.push_str(&format!("{h_line}{sep}{line}\n"));
    let income = group_digits(outcome.per_capita_net_income);
    if zh {
        out.push_str(&format!("{h_income}{sep}{income} 元/人·年\n"));
    } else {
        out.push_str(&format!("{h_income}{sep}{income} yuan per person per year\n"));
    }
    out.push_str(&format!("\n{h_reasons}\n"));
    for reason in &outcome.reasons {
        let mark = if reason.met { "[x]" } else { "[ ]" };
        let text = if zh { &reason.zh } else { &reason.en };
        out.push_str(&format!("{mark} {text}{}\n", cite(&reason.cites)));
    }
    push_notes(&mut out, h_next, &outcome.next_steps, lang);
    if !outcome.warnings.is_empty() {
        push_notes(&mut out, h_warn, &outcome.warnings, lang);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::policy::tests::sample;
    use serde_json::json;
    use serde_json::Value;

    fn base() -> Value {
        json!({
            "members": 3, "members_with_labor": 2, "safety_net_support": false,
            "income": {"wages": 24000}, "months_above_line": 6, "problems": [],
            "new_risk": false, "natural_elimination": false
        })
    }

    fn run(value: &Value) -> EliminationOutcome {
        let case = EliminationCase::from_value(value).expect("valid case");
        check_elimination(&case, &sample(), Date::parse("2023-06-01").expect("date")).expect("outcome")
    }

    #[test]
    fn all_conditions_met_can_propose() {
        let outcome = run(&base());
        assert_eq!(outcome.verdict, Verdict::CanPropose);
        assert!(outcome.eligible);
        assert_eq!(outcome.per_capita_net_income, 8000);
        assert!(outcome.next_steps.iter().any(|n| n.cites.contains(&37)));
    }

    #[test]
    fn the_tie_is_explained_when_rounding_hides_it() {
        let mut v = base();
        v["income"] = json!({"wages": 18001});
        let outcome = run(&v);
        let income = outcome.reasons.iter().find(|r| r.key == "income").expect("income");
        assert!(income.met);
        assert!(income.zh.contains("18,001"), "{}", income.zh);
        v["income"] = json!({"wages": 18000});
        let income = run(&v).reasons.into_iter().find(|r| r.key == "income").expect("income");
        assert!(!income.met);
        assert!(income.zh.contains("等于"), "{}", income.zh);
    }

    #[test]
    fn months_required_come_from_the_policy() {
        let mut policy = sample();
        policy.time_limits.stable_income.amount = 8;
        let case = EliminationCase::from_value(&base()).expect("valid");
        let outcome = check_elimination(&case, &policy, Date::parse("2023-06-01").expect("date")).expect("outcome");
        assert_eq!(outcome.verdict, Verdict::NotYet);
        assert_eq!(outcome.months_required, 8);
        let reason = outcome
            .reasons
            .iter()
            .find(|r| r.key == "stable_months")
            .expect("months");
        assert!(reason.zh.contains("6 个月，未满 8 个月"), "{}", reason.zh);
    }

    #[test]
    fn policy_in_days_is_refused() {
        let mut policy = sample();
        policy.time_limits.stable_income.unit = TimeUnit::Days;
        let case = EliminationCase::from_value(&base()).expect("valid");
        let errors = check_elimination(&case, &policy, Date::parse("2023-06-01").expect("date")).expect_err("refused");
        assert_eq!(errors[0].field, "policy.time_limits.stable_income.unit");
    }

    #[test]
    fn names_fields() {
        let mut v = base();
        v["months_above_lines"] = json!(3);
        v["income"] = json!({"wage": 1, "business": -1});
        v["problems"] = json!(["roads"]);
        v.as_object_mut().expect("object").remove("new_risk");
        let fields = FieldError::sorted_fields(&EliminationCase::from_value(&v).expect_err("invalid"));
        assert_eq!(
            fields,
            vec![
                "income.business",
                "income.wage",
                "months_above_lines",
                "new_risk",
                "problems[0]"
            ]
        );
    }
}
