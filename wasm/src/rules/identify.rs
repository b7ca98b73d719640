//! The guide's rules, each a small function under the sentence it implements.
//!
//! [`check`] applies them in order: validate the inputs; choose the line (by year or by date);
//! scope (Q14–Q16); income (Q12); position against the line (Q3, Q7, Q11); the category
//! (Q2, Q3, Q7, Q11, Q13); the points the guide leaves to the village (研判评议); next steps
//! (Q16, Q20, Q23–Q29, Q33, Q34, Q36, Q42). Every reason is built from the values that decided
//! it and cites its questions.
//!
//! Decisions where the guide is silent or loose (documented again where applied):
//! * Exactly at the line the guide's articles disagree. Q3 defines 脱贫不稳定户 and 边缘易致贫户
//!   by income "以下" (at or below: the figure itself included) and 严重困难户 by income "超出"
//!   (above), so its definitions cover every income; Q7, Q11 and Q13 say "低于" (strictly below)
//!   and "高于" (above), so neither of Q7's cases covers the line itself. A household exactly at
//!   the line is assessed by Q3's definitions (at or below), the result says the articles
//!   disagree, citing both, and the point is flagged for the village's review.
//! * Per-capita net income (人均纯收入, Q12) is wages + business + transfers + property − business
//!   costs, divided by members. Claims (家庭理赔) and compliant out-of-pocket expenditure
//!   (合规自付支出) are collected separately (Q12) and do not enter it.
//! * Q13's "扣除合规自付支出后家庭收入" is household income — per-capita net income's total plus
//!   claims, which Q12 lists on the income side — minus compliant out-of-pocket expenditure,
//!   compared per person with the local rural average.
//! * Comparisons are exact, on household totals (`net < line × members`); the per-person figures
//!   shown are rounded down to the whole yuan. All arithmetic is integer (128-bit, no overflow).
//! * `can_resolve_alone` qualifies the problems with the Three Guarantees and drinking water, as
//!   the case format defines it. A reported sudden hardship counts on its own, but because the guide gives
//!   no amount for "刚性支出较大" or "收入大幅缩减", a result resting on it needs review.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::case::{Case, Expenses, Hukou, Income, Problem};
#[cfg(test)]
use super::outcome::render_text;
use super::outcome::{provisional_line_note, Category, Note, Outcome};
use super::policy::{LineEntry, Policy, PolicyError, RuralAverage, TimeLimit};
use super::provisions::*;
use super::{group_digits, Date, FieldError};
use crate::input::typed::from_fields;
use crate::input::{Field, Kind, Schema};
use crate::vocab::Text;

/// Options of a check beyond the case, the policy and the date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct CheckOptions {
    /// A monitoring line entered by the user (whole yuan per person per year) in place of the
    /// policy's, e.g. when the local announced figure differs; the result says so.
    pub line_yuan: Option<i64>,
}

/// The fields of the options, as written there: the line may be typed as people type money.
pub const OPTIONS: Schema = Schema {
    root: "options",
    fields: &[Field::optional("line_yuan", Kind::Money)],
};

crate::input::readers!(CheckOptions, OPTIONS);

from_fields!(CheckOptions { line_yuan });

impl CheckOptions {
    /// A line entered must be positive.
    pub fn validate(&self) -> Vec<FieldError> {
        match self.line_yuan {
            Some(yuan) if yuan <= 0 => vec![FieldError::new(
                "line_yuan",
                zh!(format!("监测线应为正整数（元/人·年），实际为 {yuan}")),
                en!(format!(
                    "the line must be a positive whole number of yuan per person per year, not {yuan}"
                )),
            )],
            _ => Vec::new(),
        }
    }
}

/// Checks `case` against `policy` on `today`.
pub fn check(case: &Case, policy: &Policy, today: Date) -> Result<Outcome, Vec<FieldError>> {
    check_with(case, policy, today, &CheckOptions::default())
}

/// Checks `case` against `policy` on `today`, with `options`. Returns every input problem, each
/// naming its field (policy fields start with `policy.`), or the outcome.
pub fn check_with(
    case: &Case,
    policy: &Policy,
    today: Date,
    options: &CheckOptions,
) -> Result<Outcome, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = policy.validate().iter().map(PolicyError::to_field_error).collect();
    errors.extend(case.validate());
    errors.extend(options.validate());
    if !errors.is_empty() {
        return Err(errors);
    }
    let choice = policy.line_for(case.year, today).map_err(|e| vec![e])?;
    let line = LineUsed {
        entry: choice.entry,
        yuan: options.line_yuan.unwrap_or(choice.entry.yuan),
        user_entered: options.line_yuan.is_some(),
    };

    let figures = Figures::of(case);
    let scope = scope(case);
    let position = position(&figures, line.yuan);
    let mut findings = vec![scope.finding.clone(), income_finding(case, &figures)];
    let category = if scope.in_scope {
        findings.push(line_finding(position, &figures, &line));
        let (category, mut more) = classify(case, position, &figures, &policy.rural_average);
        findings.append(&mut more);
        if let Some(finding) = large_expenditure(case, category, &figures, &line) {
            findings.push(finding);
        }
        category
    } else {
        Category::OutOfScope
    };

    let mut warnings = scope.warnings;
    warnings.extend(line_warnings(&line, choice.stale, choice.today_year));

    Ok(Outcome {
        category,
        label: Text {
            zh: zh!(category.zh().into()),
            en: en!(category.en().into()),
        },
        monitored: category.is_monitored(),
        year: line.entry.year,
        monitoring_line: line.yuan,
        line_provisional: line.provisional(),
        line_effective: line.entry.effective,
        line_source: if line.user_entered {
            Text {
                zh: zh!("用户输入".into()),
                en: en!("entered by the user".into()),
            }
        } else {
            line.entry.sources()
        },
        line_derivation: match (&line.entry.derivation, line.provisional()) {
            (Some(en), true) => Some(Text {
                zh: zh!(line.entry.derivation_zh.clone().unwrap_or_else(|| en.clone())),
                en: en!(en.clone()),
            }),
            _ => None,
        },
        line_user_entered: line.user_entered,
        per_capita_net_income: figures.per_capita_net_income,
        per_capita_income_after_expenditure: figures.per_capita_after_expenditure,
        review_needed: findings.iter().any(|f| f.review),
        reasons: findings.into_iter().map(|f| f.note).collect(),
        next_steps: next_steps(case, category, policy),
        warnings,
    })
}

/// A reason, and whether it leaves the decision to the village's assessment and review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The reason.
    pub note: Note,
    /// `true` where the guide leaves this point to the village (研判评议).
    pub review: bool,
}

impl Finding {
    fn new(cites: &[Provision], zh: impl Into<String>, en: impl Into<String>) -> Finding {
        Finding {
            note: Note::new(cites, zh, en),
            review: false,
        }
    }

    fn review(cites: &[Provision], zh: impl Into<String>, en: impl Into<String>) -> Finding {
        Finding {
            note: Note::new(cites, zh, en),
            review: true,
        }
    }
}

/// The line a check uses: the policy entry, or the user's figure for that year.
struct LineUsed<'a> {
    entry: &'a LineEntry,
    yuan: i64,
    user_entered: bool,
}

impl LineUsed<'_> {
    fn provisional(&self) -> bool {
        self.entry.provisional && !self.user_entered
    }

    /// `2023 年省定防止返贫监测线 6,000 元（暂定值）`.
    fn zh(&self) -> String {
        if self.user_entered {
            format!("您输入的 {} 年监测线 {} 元", self.entry.year, group_digits(self.yuan))
        } else {
            self.entry.describe_zh()
        }
    }

    /// As [`LineUsed::zh`], spaced for use after a verb: `低于 2023 年…`, `低于您输入的…`.
    fn zh_spaced(&self) -> String {
        if self.user_entered {
            self.zh()
        } else {
            format!(" {}", self.zh())
        }
    }

    /// `the 2023 provincial monitoring line of 6,000 yuan (provisional)`.
    fn en(&self) -> String {
        if self.user_entered {
            format!(
                "the {} monitoring line you entered, {} yuan",
                self.entry.year,
                group_digits(self.yuan)
            )
        } else {
            self.entry.describe_en()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scope (Q14–Q16)
// ---------------------------------------------------------------------------------------------

/// Whether the household is within rural monitoring, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// Within the scope of monitoring and assistance.
    pub in_scope: bool,
    /// The reason.
    pub finding: Finding,
    /// Caveats (e.g. Q15 on members receiving urban support).
    pub warnings: Vec<Note>,
}

/// Scope by registered residence.
///
/// > 防止返贫监测帮扶工作面向所有农村地区、所有农村户籍人口开展。易地扶贫搬迁（含同步搬迁）等已转为
/// > 城镇户籍的人口中，符合条件的应及时识别为监测帮扶对象；城市规划区居住的农转非人口中，没有享受
/// > 城市低保、职工基本养老保险等城镇相关保障政策、符合条件的可以识别为监测帮扶对象。（第14问）
///
/// > 对于实际共同生活家庭成员为城镇户籍或集体户籍，但没有享受城市低保、职工基本养老保险等城镇相关
/// > 保障政策、符合条件的可按实际共同生活人口识别为监测帮扶对象。（第15问）
pub fn scope(case: &Case) -> Scope {
    let mut warnings = Vec::new();
    let receives_urban_support = case.urban_security == Some(true);
    let (in_scope, finding) = match case.hukou {
        Hukou::Rural => (
            true,
            Finding::new(
                &[Q14],
                zh!("户籍为农村户籍：防止返贫监测帮扶面向所有农村户籍人口，本户在监测范围内。"),
                en!("The household has rural household registration: monitoring and assistance cover all people with rural household registration, so the household is within scope."),
            ),
        ),
        Hukou::RelocatedUrban => (
            true,
            Finding::new(
                &[Q14, Q16],
                zh!("经易地扶贫搬迁（含同步搬迁）已转为城镇户籍：这类人口中符合条件的应及时识别为监测帮扶对象，由迁入地负主体责任。"),
                en!("The household moved under poverty-alleviation relocation (including accompanying relocation) and now has urban household registration: such households should be identified promptly if they meet the conditions, and the place they moved to bears the primary responsibility."),
            ),
        ),
        Hukou::ConvertedUrban if !receives_urban_support => (
            true,
            Finding::new(
                &[Q14],
                zh!("属于城市规划区居住的农转非人口，没有享受城市低保、职工基本养老保险等城镇相关保障政策：符合条件的可以识别为监测帮扶对象。"),
                en!("The household was converted from rural to urban registration and lives in a city planning area, but receives no urban support such as the urban minimum living allowance or the employee basic pension: if it meets the conditions it can be identified as a monitored household."),
            ),
        ),
        Hukou::ConvertedUrban => (
            false,
            Finding::new(
                &[Q14],
                zh!("属于农转非人口，已享受城市低保或职工基本养老保险等城镇相关保障政策：第14问只把没有享受这些政策的农转非人口纳入识别范围，因此不在防止返贫监测帮扶范围内。"),
                en!("The household was converted from rural to urban registration and already receives urban support such as the urban minimum living allowance or the employee basic pension: Q14 admits converted households only if they receive no such support, so the household is outside the scope of monitoring and assistance."),
            ),
        ),
        Hukou::Urban => (
            false,
            Finding::new(
                &[Q14, Q15],
                zh!("户籍为城镇户籍：防止返贫监测帮扶面向农村户籍人口（易地扶贫搬迁转为城镇户籍的，以及没有享受城镇保障的农转非人口除外，请相应选择），因此不在监测范围内。如果家庭以农村户籍为主，只有个别共同生活成员是城镇或集体户籍，请选择“农村户籍”：这些成员没有享受城市低保、职工基本养老保险等政策的，可以按实际共同生活人口一起识别。"),
                en!("The household has urban household registration: monitoring and assistance cover people with rural household registration (except households relocated under poverty-alleviation relocation and converted households without urban support; choose those answers if they apply), so it is outside the scope. If the household is mainly rural-registered and only some co-living members have urban or collective registration, answer \"rural\": members who receive no urban minimum living allowance or employee basic pension can be identified together with the co-living household."),
            ),
        ),
    };
    if receives_urban_support && matches!(case.hukou, Hukou::Rural | Hukou::RelocatedUrban) {
        warnings.push(Note::new(
            &[Q15],
            zh!("您回答家里有人享受城市低保或职工基本养老保险等城镇保障：按第15问，共同生活的城镇或集体户籍成员，没有享受这些政策、符合条件的，可按实际共同生活人口识别为监测帮扶对象；享受这些政策的成员是否计入家庭人口，第15问没有写，请向村里咨询。"),
            en!("You answered that someone in the household receives urban support such as the urban minimum living allowance or an employee basic pension. Under Q15, co-living members with urban or collective registration who receive no such support and meet the conditions may be identified with the household on the basis of the people who actually live together; Q15 does not say whether members who do receive it count as household members, so ask the village."),
        ));
    }
    Scope {
        in_scope,
        finding,
        warnings,
    }
}

// ---------------------------------------------------------------------------------------------
// Income (Q12, Q13)
// ---------------------------------------------------------------------------------------------

/// The money figures of a case, in whole yuan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figures {
    /// Household net income: the total behind per-capita net income.
    pub net_income: i128,
    /// Per-capita net income, rounded down.
    pub per_capita_net_income: i64,
    /// Household claim payments.
    pub claims: i128,
    /// Compliant out-of-pocket expenditure.
    pub expenditure: i128,
    /// Household income after compliant out-of-pocket expenditure (claims included).
    pub after_expenditure: i128,
    /// The same per person, rounded down.
    pub per_capita_after_expenditure: i64,
    /// Co-living members.
    pub members: i128,
}

impl Figures {
    /// The figures of `case`.
    pub fn of(case: &Case) -> Figures {
        let net_income = household_net_income(&case.income);
        let after_expenditure = income_after_expenditure(&case.income, &case.expenses);
        Figures {
            net_income,
            per_capita_net_income: per_capita(net_income, case.members),
            claims: i128::from(case.income.claims),
            expenditure: case.expenses.total(),
            after_expenditure,
            per_capita_after_expenditure: per_capita(after_expenditure, case.members),
            members: i128::from(case.members),
        }
    }
}

/// Household net income, the total behind per-capita net income.
///
/// > 人均纯收入计算口径与脱贫享受政策人口保持一致，主要包括工资性收入、生产经营性收入、转移性收入
/// > （含农村基本养老金、赡养收入等）、财产性收入，并扣减生产经营性支出（第12问）
///
/// Claims (家庭理赔) are collected beside per-capita net income, not in it. May be negative when
/// business costs exceed income.
pub fn household_net_income(income: &Income) -> i128 {
    i128::from(income.wages) + i128::from(income.business) + i128::from(income.transfers) + i128::from(income.property)
        - i128::from(income.business_costs)
}

/// Household income after compliant out-of-pocket expenditure, for Q13.
///
/// > 收入主要是人均纯收入和家庭理赔……支出主要是合规自付支出（第12问）
/// > 扣除合规自付支出后家庭收入明显高于当地农村平均水平（第13问）
///
/// Household net income plus claims, minus compliant out-of-pocket expenditure (medical,
/// education, disaster).
pub fn income_after_expenditure(income: &Income, expenses: &Expenses) -> i128 {
    household_net_income(income) + i128::from(income.claims) - expenses.total()
}

/// A household total per member, rounded down to the whole yuan (towards minus infinity, so a
/// shown figure is never above the true one); saturates at the bounds of `i64`. Zero members
/// (rejected by validation) gives 0.
pub fn per_capita(total: i128, members: u32) -> i64 {
    if members == 0 {
        return 0;
    }
    let value = total.div_euclid(i128::from(members));
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

fn income_finding(case: &Case, f: &Figures) -> Finding {
    let i = &case.income;
    let g = |v: u64| group_digits(i64::try_from(v).unwrap_or(i64::MAX));
    let g128 = |v: i128| group_digits(i64::try_from(v).unwrap_or(i64::MAX));
    // The figures of the sum, written once for both languages.
    let [wages, business, transfers, property, costs] =
        [i.wages, i.business, i.transfers, i.property, i.business_costs].map(g);
    let (net, members, per_capita) = (g128(f.net_income), case.members, group_digits(f.per_capita_net_income));
    let mut zh = format!(
        "人均纯收入按第12问的口径计算：工资性收入 {wages} 元 + 生产经营性收入 {business} 元 + 转移性收入 {transfers} 元 + 财产性收入 {property} 元 − 生产经营性支出 {costs} 元 = 家庭纯收入 {net} 元，除以共同生活人口 {members} 人，得 {per_capita} 元（向下取整到元）。"
    );
    let mut en = format!(
        "Per-capita net income as Q12 defines it: wage income {wages} + production and business income {business} + transfer income {transfers} + property income {property} − production and business costs {costs} = household net income of {net} yuan, divided by {members} co-living members = {per_capita} yuan (rounded down to the yuan)."
    );
    if f.claims > 0 || f.expenditure > 0 {
        zh.push_str(&format!(
            "家庭理赔 {} 元和合规自付支出 {} 元不计入人均纯收入，另行考虑。",
            g128(f.claims),
            g128(f.expenditure)
        ));
        en.push_str(&format!(
            " Household claim payments ({} yuan) and compliant out-of-pocket expenditure ({} yuan) are not part of per-capita net income; they are considered separately.",
            g128(f.claims),
            g128(f.expenditure)
        ));
    }
    Finding::new(&[Q12], zh, en)
}

// ---------------------------------------------------------------------------------------------
// Position against the line (Q3, Q7, Q11)
// ---------------------------------------------------------------------------------------------

/// Where per-capita net income stands against the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// Strictly below the line ("低于").
    Below,
    /// Exactly at the line.
    Equal,
    /// Above the line ("高于", "超出").
    Above,
}

impl Position {
    /// Below in the sense of Q7, Q11 and Q13 ("低于"): strictly below.
    pub fn is_below(self) -> bool {
        self == Position::Below
    }

    /// "以下" in the sense of Q3's definitions: at or below, the line itself included.
    pub fn is_at_or_below(self) -> bool {
        self != Position::Above
    }
}

/// Per-capita net income against the line, compared exactly on household totals.
///
/// > 农户人均纯收入低于省定防止返贫监测线……虽然农户人均纯收入高于省定防止返贫监测线（第7问）
///
/// "低于" is read as strictly below, "以下" as at or below: a household exactly at the line is
/// [`Position::Equal`], where Q3 and Q7 disagree.
pub fn position(figures: &Figures, line_yuan: i64) -> Position {
    let threshold = i128::from(line_yuan) * figures.members;
    match figures.net_income.cmp(&threshold) {
        std::cmp::Ordering::Less => Position::Below,
        std::cmp::Ordering::Equal => Position::Equal,
        std::cmp::Ordering::Greater => Position::Above,
    }
}

fn line_finding(position: Position, f: &Figures, line: &LineUsed<'_>) -> Finding {
    let pc = group_digits(f.per_capita_net_income);
    match position {
        Position::Below => Finding::new(
            &[Q3, Q7],
            zh!(format!("人均纯收入 {pc} 元，低于{}。", line.zh_spaced())),
            en!(format!("Per-capita net income of {pc} yuan is below {}.", line.en())),
        ),
        Position::Equal => Finding::review(
            &[Q3, Q7, Q11, Q13],
            zh!(format!(
                "人均纯收入 {pc} 元，正好等于{}。在这一点上指南的条文不一致：第3问的定义用“以下”（包括监测线本数），正好等于监测线属于脱贫不稳定户、边缘易致贫户的收入条件，而严重困难户要求“超出”监测线；第7问的认定条件用“低于”和“高于”（第11、13问也用“低于”），正好等于监测线的情形两类都没有写到。本工具按第3问的定义判断，这一点由村里研判评议。",
                line.zh_spaced()
            )),
            en!(format!(
                "Per-capita net income of {pc} yuan is exactly {}. Here the guide's articles disagree: Q3 defines unstable households lifted out of poverty and marginal households at risk of poverty by income at or below the line (以下, the line itself included) and households in severe difficulty by income exceeding it (超出), while Q7's conditions say below (低于) and above (高于), as Q11 and Q13 say below, so neither of Q7's two cases covers income exactly at the line. This self-check follows Q3's definitions; this point is for the village's assessment and review.",
                line.en()
            )),
        ),
        // A per-person figure rounded down to the line itself while the total is above it: the
        // sentence states the comparison the decision used, never "7,000 above 7,000".
        Position::Above if f.per_capita_net_income == line.yuan => {
            let threshold = i128::from(line.yuan) * f.members;
            let t = group_digits(i64::try_from(threshold).unwrap_or(i64::MAX));
            let n = group_digits(i64::try_from(f.net_income).unwrap_or(i64::MAX));
            let y = group_digits(line.yuan);
            let m = f.members;
            Finding::new(
                &[Q3, Q7],
                zh!(format!(
                    "人均纯收入高于{}：家庭纯收入 {n} 元，高于 {y} 元 × {m} 人 = {t} 元。人均纯收入向下取整到元显示为 {pc} 元，与监测线相同，实际略高于监测线。",
                    line.zh_spaced()
                )),
                en!(format!(
                    "Per-capita net income is above {}: household net income of {n} yuan is more than {y} yuan × {m} members = {t} yuan. Rounded down to the yuan, per-capita net income shows as {pc} yuan, the same as the line, but it is slightly above it.",
                    line.en()
                )),
            )
        }
        Position::Above => Finding::new(
            &[Q3, Q7],
            zh!(format!("人均纯收入 {pc} 元，高于{}。", line.zh_spaced())),
            en!(format!("Per-capita net income of {pc} yuan is above {}.", line.en())),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Categories (Q2, Q3, Q7, Q11, Q13)
// ---------------------------------------------------------------------------------------------

fn problem_list(problems: &[Problem]) -> (String, String) {
    let zh: Vec<&str> = problems.iter().map(|p| p.zh()).collect();
    let en: Vec<&str> = problems.iter().map(|p| p.en()).collect();
    (zh.join("、"), en.join(", "))
}

/// What puts a household at risk in the sense of Q7: an unresolved problem, a sudden hardship.
fn risk_triggers(case: &Case) -> Option<(String, String)> {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if case.has_unresolved_problem() {
        let (pz, pe) = problem_list(&case.problems);
        zh.push(format!("“三保障”和饮水安全出现突出问题（{pz}），依靠自身力量难以解决"));
        en.push(format!(
            "there is a serious problem with the Three Guarantees or safe drinking water ({pe}) that the household cannot resolve on its own"
        ));
    }
    if case.sudden_hardship {
        zh.push("因突发事件导致刚性支出较大或收入大幅缩减，基本生活出现严重困难".to_string());
        en.push("a sudden event caused large unavoidable expenditure or a sharp drop in income, so that basic living is in severe difficulty".to_string());
    }
    if zh.is_empty() {
        None
    } else {
        Some((zh.join("，同时"), en.join(", and ")))
    }
}

/// The category, with the findings that decided it.
///
/// In order: a risk (unresolved problem or sudden hardship) at or below the line (Q3's "以下") →
/// unstable household lifted out of poverty or marginal household ([`below_line_with_risk`]); a
/// risk above the line → household in severe difficulty ([`severe_difficulty`]); a problem the household can resolve
/// alone → tracked if income after expenditure is above the local rural average
/// ([`tracked_high_income`]), else not identified, for review ([`resolvable_problem`]); no risk
/// below the line → not identified, for review ([`below_line_without_risk`]); otherwise not
/// identified ([`no_risk_not_below`]).
pub fn classify(
    case: &Case,
    position: Position,
    figures: &Figures,
    average: &RuralAverage,
) -> (Category, Vec<Finding>) {
    if let Some(found) = below_line_with_risk(case, position) {
        return found;
    }
    if let Some(found) = severe_difficulty(case, position) {
        return found;
    }
    if !case.problems.is_empty() {
        if let Some(found) = tracked_high_income(case, figures, average) {
            return found;
        }
        return resolvable_problem(case, position, figures, average);
    }
    if position.is_below() {
        return below_line_without_risk();
    }
    no_risk_not_below(position)
}

/// At or below the line with a risk: unstable household lifted out of poverty or marginal
/// household. Exactly at the line only Q3's "以下" covers the household (Q7 and Q13 say "低于"),
/// so Q13's sentence is added only strictly below it.
///
/// > 脱贫不稳定户是指人均纯收入在省定防止返贫监测线以下，且受各种原因影响存在返贫风险，被纳入监测
/// > 帮扶的脱贫户。边缘易致贫户是指人均纯收入在省定防止返贫监测线以下，且受各种原因影响存在致贫风险，
/// > 被纳入监测帮扶的一般农户。（第3问）
///
/// > 一是农户人均纯收入低于省定防止返贫监测线，且因受各种原因影响导致基本生活出现严重困难或
/// > “三保障”和饮水安全出现突出问题，依靠自身力量难以解决，存在返贫致贫风险的农户，一般应识别为
/// > 脱贫不稳定户、边缘易致贫户。（第7问）
///
/// > 人均纯收入低于省定防止返贫监测线的农户（含脱贫户），出现“三保障”和饮水安全未保障情况，依靠
/// > 自身能力无法解决的，应识别为监测帮扶对象（第13问）
pub fn below_line_with_risk(case: &Case, position: Position) -> Option<(Category, Vec<Finding>)> {
    if !position.is_at_or_below() {
        return None;
    }
    let (tz, te) = risk_triggers(case)?;
    let unresolved = case.has_unresolved_problem();
    let (category, kind_zh, kind_en) = if case.poverty_alleviated {
        (
            Category::UnstableAlleviated,
            "存在返贫风险。该户是脱贫户，一般应识别为脱贫不稳定户。",
            "so there is a risk of returning to poverty. The household is a household lifted out of poverty, so it should usually be identified as an unstable household lifted out of poverty.",
        )
    } else {
        (
            Category::Marginal,
            "存在致贫风险。该户是一般农户（不是脱贫户），一般应识别为边缘易致贫户。",
            "so there is a risk of falling into poverty. The household is an ordinary rural household (not a household lifted out of poverty), so it should usually be identified as a marginal household at risk of poverty.",
        )
    };
    let (q13_zh, q13_en) = clause(
        unresolved && position.is_below(),
        "按第13问，这种情况应识别为监测帮扶对象，第一时间落实帮扶措施。",
        " Under Q13 such a household should be identified as a monitored household and assistance given at once.",
    );
    let cites: &[Provision] = if q13_zh.is_empty() {
        &[Q2, Q3, Q7]
    } else {
        &[Q2, Q3, Q7, Q13]
    };
    let (income_zh, income_en) = if position.is_below() {
        ("人均纯收入低于监测线", "Per-capita net income is below the line")
    } else {
        (
            "人均纯收入正好等于监测线，在第3问所说的监测线“以下”",
            "Per-capita net income is exactly at the line, which is at or below it in Q3's words (以下),",
        )
    };
    let mut findings = vec![Finding::new(
        cites,
        zh!(format!("{income_zh}，且{tz}，{kind_zh}{q13_zh}")),
        en!(format!("{income_en} and {te}, {kind_en}{q13_en}")),
    )];
    if !unresolved {
        findings.push(sudden_hardship_review(case));
    }
    Some((category, findings))
}

/// Above the line, with a risk: household in severe difficulty. Q3 says "超出" and Q7 "高于":
/// income exactly at the line is not above it.
///
/// > 严重困难户是指虽然人均纯收入超出省定防止返贫监测线，但受突发事件等各类因素影响导致刚性支出较大
/// > 或收入大幅缩减，导致基本生活出现严重困难并存在返贫致贫风险，被纳入监测帮扶的农户。这类群体可以
/// > 是脱贫户，也可以是一般农户。（第3问）
///
/// > 二是虽然农户人均纯收入高于省定防止返贫监测线，但因突发事件等各类因素导致刚性支出较大或收入大幅
/// > 缩减导致基本生活出现严重困难，或“三保障”和饮水安全出现突出问题，依靠自身力量难以解决，存在
/// > 返贫致贫风险的农户，一般应识别为严重困难户。（第7问）
pub fn severe_difficulty(case: &Case, position: Position) -> Option<(Category, Vec<Finding>)> {
    if position.is_at_or_below() {
        return None;
    }
    let (tz, te) = risk_triggers(case)?;
    let mut findings = vec![Finding::new(
        &[Q2, Q3, Q7],
        zh!(format!("虽然人均纯收入高于监测线，但{tz}，存在返贫致贫风险，一般应识别为严重困难户（脱贫户和一般农户都可以是严重困难户）。")),
        en!(format!("Although per-capita net income is above the line, {te}, so there is a risk of returning to or falling into poverty: the household should usually be identified as a household in severe difficulty (a household lifted out of poverty or an ordinary rural household alike).")),
    )];
    if !case.has_unresolved_problem() {
        findings.push(sudden_hardship_review(case));
    }
    Some((Category::SevereDifficulty, findings))
}

/// A result resting on a sudden hardship alone needs the village's review: the guide sets no
/// amount for large expenditure or a sharp drop in income.
///
/// > 因突发事件等各类因素导致刚性支出较大或收入大幅缩减导致基本生活出现严重困难（第7问）
pub fn sudden_hardship_review(case: &Case) -> Finding {
    let total = case.expenses.total();
    let (zh_exp, en_exp) = if total > 0 {
        let t = group_digits(i64::try_from(total).unwrap_or(i64::MAX));
        (
            format!("（本户报告的合规自付支出为 {t} 元）"),
            format!(" (the household reports {t} yuan of compliant out-of-pocket expenditure)"),
        )
    } else {
        (String::new(), String::new())
    };
    Finding::review(
        &[Q3, Q7],
        zh!(format!("指南没有给出“刚性支出较大”“收入大幅缩减”的具体数值：突发困难是否使基本生活出现严重困难，由村里入户核实后研判评议{zh_exp}。")),
        en!(format!("The guide gives no amount for \"large unavoidable expenditure\" or a \"sharp drop in income\": whether the sudden event has put basic living in severe difficulty is for the village to judge after home verification, in its assessment and review{en_exp}.")),
    )
}

/// A problem the household can resolve alone, with high income: not identified, but tracked.
///
/// > 如果农户收入较高（扣除合规自付支出后家庭收入明显高于当地农村平均水平），出现“三保障”和饮水
/// > 安全未保障情况，可以依靠自身能力解决的，根据实际情况，不识别为监测帮扶对象，但应持续跟踪关注，
/// > 督促尽快解决“三保障”和饮水安全保障问题。（第13问）
///
/// "明显高于" has no number: this tests "above", and the result says the village judges
/// "clearly". The average is compared per person (income after expenditure ÷ members), exactly.
pub fn tracked_high_income(case: &Case, figures: &Figures, average: &RuralAverage) -> Option<(Category, Vec<Finding>)> {
    if case.problems.is_empty() || case.can_resolve_alone != Some(true) {
        return None;
    }
    if figures.after_expenditure <= i128::from(average.yuan) * figures.members {
        return None;
    }
    let (pz, pe) = problem_list(&case.problems);
    let a = group_digits(figures.per_capita_after_expenditure);
    let avg = group_digits(average.yuan);
    Some((
        Category::Tracked,
        vec![
            Finding::new(
                &[Q12, Q13],
                zh!(format!(
                    "出现“三保障”和饮水安全未保障情况（{pz}），本户表示可以依靠自身能力解决；扣除合规自付支出后的家庭收入（含家庭理赔）人均 {a} 元，高于 {} 年{}农村居民人均可支配收入 {avg} 元。按第13问，收入较高的农户出现这种情况、可以依靠自身能力解决的，根据实际情况不识别为监测帮扶对象，但应持续跟踪关注，督促尽快解决问题。",
                    average.year, average.area_zh
                )),
                en!(format!(
                    "There is a problem with the Three Guarantees or safe drinking water ({pe}) that the household says it can resolve on its own, and its household income after compliant out-of-pocket expenditure (claims included) is {a} yuan per person, above the {} {} rural residents' per-capita disposable income of {avg} yuan. Under Q13 such a higher-income household, depending on the actual situation, is not identified as a monitored household, but is followed up and urged to solve the problem soon.",
                    average.year, average.area_en
                )),
            ),
            Finding::review(
                &[Q13],
                zh!(format!(
                    "“明显高于当地农村平均水平”没有具体数值：本工具只看是否高于，是否“明显”高于由村里根据实际情况判断。所用的平均水平是 {} 年{}的数字（没有更新的数字），当地（市、县）的水平可能不同。",
                    average.year, average.area_zh
                )),
                en!(format!(
                    "The guide gives no number for \"clearly above the local rural average\": this self-check only tests whether the income is above it; whether it is clearly above is for the village to judge from the actual situation. The average used is the {} figure for {} (no later figure is available); the local (city or county) level may differ.",
                    average.year, average.area_en
                )),
            ),
        ],
    ))
}

/// A problem the household says it can resolve alone, without the high income of Q13: usually
/// not identified, but the village judges whether it really can.
///
/// > 且……“三保障”和饮水安全出现突出问题，依靠自身力量难以解决，存在返贫致贫风险的农户（第7问）
/// > 认定条件是一套综合体系，主要包括农户的收入、合规自付支出、突出困难问题和自主应对能力……进行
/// > 综合研判。（第7问）
pub fn resolvable_problem(
    case: &Case,
    position: Position,
    figures: &Figures,
    average: &RuralAverage,
) -> (Category, Vec<Finding>) {
    let (pz, pe) = problem_list(&case.problems);
    let a = group_digits(figures.per_capita_after_expenditure);
    let avg = group_digits(average.yuan);
    let (below_zh, below_en) = clause(
        position.is_below(),
        "（虽然人均纯收入低于监测线）",
        " (although per-capita net income is below the line)",
    );
    (
        Category::NotIdentified,
        vec![Finding::review(
            &[Q7, Q13],
            zh!(format!(
                "出现“三保障”和饮水安全问题（{pz}），本户表示可以依靠自身力量解决。认定条件要求问题“依靠自身力量难以解决”，所以一般不识别{below_zh}；但扣除合规自付支出后的家庭人均收入 {a} 元不高于 {} 年{}农村居民人均可支配收入 {avg} 元，不属于第13问所说“收入较高”可以不识别的情形。能否真正自行解决，由村里结合收入支出和自主应对能力研判评议。",
                average.year, average.area_zh
            )),
            en!(format!(
                "There is a problem with the Three Guarantees or safe drinking water ({pe}) that the household says it can resolve on its own. Identification requires a problem the household cannot resolve on its own, so it is usually not identified{below_en}; but its household income after compliant out-of-pocket expenditure, {a} yuan per person, is not above the {} {} rural residents' per-capita disposable income of {avg} yuan, so this is not the higher-income case in which Q13 allows non-identification. Whether the household can really resolve the problem on its own is for the village to judge in its assessment and review, weighing income, expenditure and its ability to cope on its own.",
                average.year, average.area_en
            )),
        )],
    )
}

/// Below the line, no problem and no sudden hardship: the village may, after review, not identify.
///
/// > 农户（含脱贫户）年人均纯收入低于省定防止返贫监测线是识别监测帮扶对象的重要条件之一，但不是唯一
/// > 条件，更不是新的贫困标准。部分农户（含脱贫户）年人均纯收入虽然低于省定防止返贫监测线，但收入
/// > 稳定，且“三保障”和饮水安全没有问题，不存在返贫致贫风险，经研判评议后，可不识别。（第11问）
pub fn below_line_without_risk() -> (Category, Vec<Finding>) {
    (
        Category::NotIdentified,
        vec![Finding::review(
            &[Q7, Q11],
            zh!("人均纯收入低于监测线是识别监测帮扶对象的重要条件之一，但不是唯一条件，更不是新的贫困标准。本户没有报告“三保障”和饮水安全问题，也没有报告突发困难。按第11问，收入稳定、“三保障”和饮水安全没有问题、不存在返贫致贫风险的，经研判评议后，可不识别。是否识别由村里研判评议决定，主要看：收入是否稳定；义务教育、基本医疗、住房安全（“三保障”）和饮水安全是否有保障；是否存在返贫致贫风险。"),
            en!("Per-capita net income below the line is one important condition for identifying a monitored household, but not the only one, and it is not a new poverty standard. The household reports no problem with the Three Guarantees or safe drinking water and no sudden hardship. Under Q11, a household whose income is stable, whose Three Guarantees and safe drinking water are secured and which has no risk of returning to or falling into poverty may, after assessment and review, not be identified. The village decides in its assessment and review, weighing whether income is stable; whether compulsory education, basic medical care and safe housing (the Three Guarantees) and safe drinking water are secured; and whether there is a risk of returning to or falling into poverty."),
        )],
    )
}

/// At or above the line, no problem and no sudden hardship: the conditions of Q7 are not met
/// (both of its cases need a risk). The sentence uses the guide's words: "高于", or exactly at
/// the line.
///
/// > 认定监测帮扶对象可分为两类情况：一是农户人均纯收入低于省定防止返贫监测线，且……；二是虽然农户
/// > 人均纯收入高于省定防止返贫监测线，但因突发事件等各类因素导致……（第7问）
pub fn no_risk_not_below(position: Position) -> (Category, Vec<Finding>) {
    let (zh, en) = if position == Position::Equal {
        (
            "人均纯收入正好等于监测线",
            "Per-capita net income is exactly at the line",
        )
    } else {
        ("人均纯收入高于监测线", "Per-capita net income is above the line")
    };
    (
        Category::NotIdentified,
        vec![Finding::new(
            &[Q7],
            zh!(format!("{zh}，没有报告“三保障”和饮水安全问题，也没有报告突发困难，不符合第7问的认定条件（两类情况都要求存在返贫致贫风险），一般不识别为监测帮扶对象。")),
            en!(format!("{en}, and the household reports no problem with the Three Guarantees or safe drinking water and no sudden hardship, so it does not meet the conditions of Q7 (both of its cases need a risk of returning to or falling into poverty) and is usually not identified as a monitored household.")),
        )],
    )
}

/// Large compliant expenditure without a reported sudden event: flagged for the village.
///
/// > 因病因灾因意外事故等刚性支出较大或收入大幅缩减导致基本生活出现严重困难户（第2问）
/// > 支出主要是合规自付支出，包括经基本医疗保险、大病保险、医疗救助等报销后的自付费用，家庭成员
/// > 学费、住宿费等教育刚性支出，因自然灾害、突发意外事故等造成不可避免的实际支出等（第12问）
///
/// "刚性支出较大" has no number. For a household not otherwise identified and without a reported
/// sudden hardship, the self-check flags the expenditure for review when it brings household
/// income after expenditure (claims included) below the line per person — a flag, not a decision.
fn large_expenditure(case: &Case, category: Category, figures: &Figures, line: &LineUsed<'_>) -> Option<Finding> {
    if category != Category::NotIdentified || case.sudden_hardship || figures.expenditure <= 0 {
        return None;
    }
    if figures.after_expenditure >= i128::from(line.yuan) * figures.members {
        return None;
    }
    let e = &case.expenses;
    let g = |v: u64| group_digits(i64::try_from(v).unwrap_or(i64::MAX));
    let total = group_digits(i64::try_from(figures.expenditure).unwrap_or(i64::MAX));
    let a = group_digits(figures.per_capita_after_expenditure);
    Some(Finding::review(
        &[Q2, Q3, Q7, Q12],
        zh!(format!(
            "本户合规自付支出 {total} 元（医疗 {} 元、教育 {} 元、灾害或意外 {} 元），扣除后家庭人均收入（含家庭理赔）为 {a} 元，低于{}。指南没有给出“刚性支出较大”的具体数值：这些支出是否使基本生活出现严重困难、存在返贫致贫风险，由村里研判评议。如果支出是因病、因灾、因意外事故等突发事件造成的，请在“突发困难”一项选择“是”。",
            g(e.medical),
            g(e.education),
            g(e.disaster),
            line.zh_spaced()
        )),
        en!(format!(
            "The household's compliant out-of-pocket expenditure is {total} yuan (medical {}, education {}, disaster or accident {}); after it, household income per person (claims included) is {a} yuan, below {}. The guide gives no amount for \"large unavoidable expenditure\": whether this expenditure puts basic living in severe difficulty, with a risk of returning to or falling into poverty, is for the village to judge in its assessment and review. If it was caused by a sudden event such as illness, a disaster or an accident, answer \"yes\" to sudden hardship.",
            g(e.medical),
            g(e.education),
            g(e.disaster),
            line.en()
        )),
    ))
}

// ---------------------------------------------------------------------------------------------
// Warnings about the data used (Q10)
// ---------------------------------------------------------------------------------------------

/// Caveats about the line: stale (no entry for today's year), provisional, or entered by the
/// user.
///
/// > 年度调整的均为省定防止返贫监测线……于当年一季度调整公布，各市参照执行。（第10问）
fn line_warnings(line: &LineUsed<'_>, stale: bool, today_year: i32) -> Vec<Note> {
    let entry = line.entry;
    let mut warnings = Vec::new();
    if stale {
        warnings.push(Note::new(
            &[Q10],
            zh!(format!(
                "还没有录入 {today_year} 年的省定防止返贫监测线，本次使用 {} 年的监测线（{} 起）。监测线每年一季度调整公布，请以当地公布的数字为准。",
                entry.year, entry.effective
            )),
            en!(format!(
                "No provincial monitoring line has been entered for {today_year}; the {} line (in force from {}) is used. The line is adjusted and announced in the first quarter of each year; the announced figure prevails.",
                entry.year, entry.effective
            )),
        ));
    }
    if line.user_entered {
        warnings.push(Note::new(
            &[Q10],
            zh!(format!(
                "使用您输入的监测线 {} 元，代替数据中的 {}。",
                group_digits(line.yuan),
                entry.describe_zh()
            )),
            en!(format!(
                "The line you entered, {} yuan, is used instead of {} in the data.",
                group_digits(line.yuan),
                entry.describe_en()
            )),
        ));
    } else if entry.provisional {
        warnings.push(provisional_line_note(entry));
    }
    warnings
}

// ---------------------------------------------------------------------------------------------
// Next steps (Q16, Q20, Q23–Q29, Q33, Q34, Q36, Q42)
// ---------------------------------------------------------------------------------------------

/// What to do next, with the time limits taken from the policy data.
///
/// > 农户可通过拨打12317电话（与12345政务热线归并整合运行）咨询防止返贫监测帮扶政策、申报监测帮扶
/// > 对象（第42问）
/// > 认定程序包括：镇村入户核实和农户授权承诺，县级信息比对，村级民主评议，镇级审核反馈，村级公示，
/// > 县级批准、公告和录入系统。（第33问）
/// > 一般不超过15天，其中镇村入户核实需在3天内完成，村内公示5天。（第34问）
pub fn next_steps(case: &Case, category: Category, policy: &Policy) -> Vec<Note> {
    let t = &policy.time_limits;
    let mut steps = Vec::new();
    let disclaimer = Note::new(
        &[Q33],
        zh!("这是自我检测，不是认定结果：是否识别为监测帮扶对象、属于哪一类，由镇村按程序核实、评议，经县级批准后确定。"),
        en!("This is a self-check, not a determination: whether the household is identified as a monitored household, and in which category, is decided through the procedure of verification and review by the town and village and approval by the county."),
    );
    if category == Category::OutOfScope {
        steps.push(Note::new(
            &[Q14, Q15, Q42],
            zh!("如果对是否属于监测范围有疑问（例如搬迁后转为城镇户籍，或只有个别家庭成员是城镇、集体户籍），可以向村里（社区）咨询，或拨打 12317 电话（与 12345 政务热线归并整合运行）。"),
            en!("If you are unsure whether the household is within scope (for example, it moved and now has urban registration, or only some members have urban or collective registration), ask the village (or community), or call 12317 (run together with the 12345 government hotline)."),
        ));
        steps.push(disclaimer);
        return steps;
    }

    let (when_zh, when_en) = clause(
        !category.is_monitored(),
        "如果情况发生变化（收入下降、出现“三保障”和饮水安全问题或突发困难），或认为应当识别，",
        "If circumstances change (income falls, a problem with the Three Guarantees or safe drinking water appears, or a sudden hardship strikes), or you believe the household should be identified, ",
    );
    let (where_zh, where_en) = if case.hukou == Hukou::RelocatedUrban {
        (
            "向现在居住地（迁入地）的村（社区）或镇里申报：易地搬迁群众由迁入地负主体责任，迁出地配合。",
            "apply to the village (or community) or town where the household now lives: for relocated households the place they moved to bears the primary responsibility, and the place they left assists.",
        )
    } else if case.hukou == Hukou::ConvertedUrban {
        (
            "向现在居住地（常住地）的社区（村）或镇（街道）咨询申报：本户农转非后已是城镇户籍，按第16问，一般先由户籍所在地开展识别，确有特殊情况不能由户籍地开展识别的，由常住地牵头负责。",
            "ask and apply at the community (or village) or town (or subdistrict) where the household lives: its registration is now urban, and under Q16 identification is generally carried out first by the place of household registration, but where it truly cannot be, the place of habitual residence takes the lead.",
        )
    } else {
        (
            "向户籍所在地的村里或镇里申报；确有特殊情况不能由户籍地识别的，由常住地负责。",
            "apply to the village or town where the household is registered; where that is truly not possible, the place of habitual residence takes charge.",
        )
    };
    let apply_en = format!("{when_en}{where_en}");
    let apply_en = if when_en.is_empty() {
        let mut chars = apply_en.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default()
    } else {
        apply_en
    };
    steps.push(Note::new(
        &[Q16, Q42],
        zh!(format!("{when_zh}{where_zh}也可以拨打 12317 电话（与 12345 政务热线归并整合运行）咨询政策、申报监测帮扶对象。")),
        en!(format!("{apply_en} You can also call 12317 (run together with the 12345 government hotline) for advice on the policy and to apply as a monitored household.")),
    ));

    let procedure_cites = limits_cites(
        &[Q33.question],
        &[&t.home_verification, &t.village_publicity, &t.identification],
    );
    steps.push(Note::from_questions(
        &procedure_cites,
        zh!(format!(
            "认定程序：镇村入户核实（{}内完成）和农户授权承诺，县级信息比对，村级民主评议，镇级审核反馈，村内公示 {}，县级批准、公告和录入系统。从申报之日起，一般不超过 {}完成识别认定。",
            t.home_verification.zh(),
            t.village_publicity.zh(),
            t.identification.zh()
        )),
        en!(format!(
            "The procedure: home verification by the town and village (within {}) and the household's authorization and commitment, data cross-check by the county, democratic appraisal in the village, examination and feedback by the town, public posting in the village for {}, then approval, announcement and system entry by the county. From the application, identification and confirmation usually take no more than {}.",
            t.home_verification.en(),
            t.village_publicity.en(),
            t.identification.en()
        )),
    ));

    if category.is_monitored() {
        steps.push(Note::from_questions(
            &limits_cites(&[], &[&t.system_entry, &t.assistance_plan]),
            zh!(format!(
                "县级批准后 {}内录入系统；对新识别的监测帮扶对象，镇级指导村级原则上在 {}内完成帮扶计划制定和帮扶措施申报（可与认定同步开展）。",
                t.system_entry.zh(),
                t.assistance_plan.zh()
            )),
            en!(format!(
                "After county approval the household is entered in the system within {}; for a newly identified monitored household the town guides the village to draw up the assistance plan and apply for the assistance measures, in principle within {} (this may run alongside identification).",
                t.system_entry.en(),
                t.assistance_plan.en()
            )),
        ));
        if case.sudden_hardship {
            steps.push(Note::from_questions(
                &t.green_channel_verification.cites,
                zh!(format!(
                    "因灾因意外事故等突发困难、生活陷入严重困难事实清楚、急需帮扶的，经镇村两级确认，可由县级乡村振兴部门先录入“绿色通道”，第一时间实施帮扶；录入后 {}内核实是否符合识别条件。",
                    t.green_channel_verification.zh()
                )),
                en!(format!(
                    "Where a disaster or accident has caused a sudden hardship, the severe difficulty is clear and help is urgent, once the town and village have endorsed it the county rural revitalization department can first enter the household in the Green Channel so that assistance starts at once; within {} of entry it verifies whether the household meets the conditions.",
                    t.green_channel_verification.en()
                )),
            ));
        }
        steps.extend(assistance(case, policy));
    }
    steps.push(disclaimer);
    steps
}

/// A clause in both languages where it applies (`wanted`), else nothing.
fn clause(wanted: bool, zh: &'static str, en: &'static str) -> (&'static str, &'static str) {
    if wanted {
        (zh, en)
    } else {
        ("", "")
    }
}

/// The questions of a note stating time limits: `first` and those of each of `limits`, in order,
/// each once.
fn limits_cites(first: &[u8], limits: &[&TimeLimit]) -> Vec<u8> {
    let mut cites: Vec<u8> = first.to_vec();
    for limit in limits {
        cites.extend(limit.cites.iter().copied());
    }
    cites.sort_unstable();
    cites.dedup();
    cites
}

/// Assistance and risk elimination by the household's ability to work.
///
/// > 对有劳动能力、有意愿的监测帮扶对象，至少落实一项产业就业等开发式帮扶措施……对符合条件的无劳动
/// > 能力监测帮扶对象，做好兜底保障（第20问）
/// > 整户无劳动能力兜底保障户，是指监测帮扶对象中整户无劳动能力、主要或只能通过社会综合保障政策维持
/// > 基本生活的家庭……由镇村进行认定（第29问）；……暂不消除风险（第28问）
/// > 收入稳定超过当年省定防止返贫监测线、“三保障”和饮水安全持续巩固……按程序标注风险消除（第25问）；
/// > 收入持续稳定原则上不少于半年（第27问）
pub fn assistance(case: &Case, policy: &Policy) -> Vec<Note> {
    let stable = &policy.time_limits.stable_income;
    if case.members_with_labor == 0 {
        return vec![Note::new(
            &[Q20, Q28, Q29],
            zh!("本户没有有劳动能力的成员：符合条件的做好兜底保障；整户无劳动能力、主要或只能通过社会综合保障政策维持基本生活的，由镇村认定为整户无劳动能力兜底保障户，落实相关措施后暂不消除风险。"),
            en!("No member of the household is able to work: eligible members receive safety-net support; a household with no member able to work that lives mainly or only on social security policies is confirmed by the town and village as a safety-net household with no member able to work, and its risk is not eliminated for now once the measures are in place."),
        )];
    }
    let elimination_cites = limits_cites(&[Q25.question], &[stable]);
    vec![
        Note::new(
            &[Q20],
            zh!(format!(
                "帮扶计划因人因户制定：对有劳动能力、有意愿的成员（本户 {} 人有劳动能力），至少落实一项产业就业等开发式帮扶措施。",
                case.members_with_labor
            )),
            en!(format!(
                "The assistance plan is made for each person and household: members able and willing to work ({} in this household) receive at least one development-oriented assistance measure in industry or employment.",
                case.members_with_labor
            )),
        ),
        Note::from_questions(
            &elimination_cites,
            zh!(format!(
                "风险消除：收入稳定超过当年省定防止返贫监测线（收入持续稳定原则上不少于 {}）、“三保障”和饮水安全持续巩固，经综合分析研判后按程序标注风险消除。",
                stable.zh()
            )),
            en!(format!(
                "Risk elimination: when income stays above that year's provincial monitoring line (stable for, in principle, at least {}) and the Three Guarantees and safe drinking water stay secured, the risk is marked eliminated by the procedure after an overall assessment.",
                stable.en()
            )),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::policy::tests::sample;

    fn case() -> Case {
        Case {
            year: None,
            members: 4,
            members_with_labor: 2,
            poverty_alleviated: false,
            hukou: Hukou::Rural,
            urban_security: None,
            income: Income {
                wages: 20_000,
                ..Income::default()
            },
            expenses: Expenses::default(),
            problems: vec![],
            can_resolve_alone: None,
            sudden_hardship: false,
        }
    }

    fn today() -> Date {
        Date::parse("2023-06-01").expect("date")
    }

    fn run(case: &Case) -> Outcome {
        check(case, &sample(), today()).expect("valid case")
    }

    /// The sample case with `wages` of wage income.
    fn earning(wages: u64) -> Case {
        let mut c = case();
        c.income.wages = wages;
        c
    }

    /// Gives `c` one problem and the answer whether the household can resolve it on its own (a
    /// case with a problem must say).
    fn set_problem(c: &mut Case, problem: Problem, can_resolve_alone: bool) {
        c.problems = vec![problem];
        c.can_resolve_alone = Some(can_resolve_alone);
    }

    /// Runs `c`, checking its category and whether it needs the village's review.
    fn assert_result(c: &Case, category: Category, review_needed: bool) -> Outcome {
        let o = run(c);
        assert_eq!(
            (o.category, o.review_needed),
            (category, review_needed),
            "{:#?}",
            o.reasons
        );
        o
    }

    fn all_cites(outcome: &Outcome) -> Vec<u8> {
        let mut cites: Vec<u8> = outcome.reasons.iter().flat_map(|r| r.cites.iter().copied()).collect();
        cites.sort_unstable();
        cites.dedup();
        cites
    }

    #[test]
    fn net_income_deducts_business_costs_only() {
        let income = Income {
            wages: 10_000,
            business: 8_000,
            transfers: 3_000,
            property: 1_000,
            business_costs: 2_000,
            claims: 50_000,
        };
        assert_eq!(household_net_income(&income), 20_000);
        let expenses = Expenses {
            medical: 30_000,
            education: 5_000,
            disaster: 1_000,
        };
        assert_eq!(income_after_expenditure(&income, &expenses), 34_000);
    }

    #[test]
    fn per_capita_rounds_down_and_saturates() {
        assert_eq!(per_capita(23_999, 4), 5_999);
        assert_eq!(per_capita(-1, 4), -1);
        assert_eq!(per_capita(-8, 4), -2);
        assert_eq!(per_capita(i128::MAX, 1), i64::MAX);
        assert_eq!(per_capita(100, 0), 0);
    }

    #[test]
    fn position_is_exact_on_totals() {
        let mut c = earning(23_999);
        assert_eq!(position(&Figures::of(&c), 6_000), Position::Below);
        c.income.wages = 24_000;
        assert_eq!(position(&Figures::of(&c), 6_000), Position::Equal);
        c.income.wages = 24_001;
        assert_eq!(position(&Figures::of(&c), 6_000), Position::Above);
        assert_eq!(Figures::of(&c).per_capita_net_income, 6_000);
    }

    #[test]
    fn scope_by_hukou() {
        let mut c = case();
        assert!(scope(&c).in_scope);
        c.hukou = Hukou::RelocatedUrban;
        assert!(scope(&c).in_scope);
        c.hukou = Hukou::ConvertedUrban;
        c.urban_security = Some(false);
        assert!(scope(&c).in_scope);
        c.urban_security = Some(true);
        assert!(!scope(&c).in_scope);
        c.hukou = Hukou::Urban;
        c.urban_security = Some(false);
        let s = scope(&c);
        assert!(!s.in_scope);
        assert_eq!(s.finding.note.cites, vec![14, 15]);
        c.hukou = Hukou::Rural;
        c.urban_security = Some(true);
        let s = scope(&c);
        assert!(s.in_scope);
        assert_eq!(s.warnings.len(), 1);
        assert_eq!(s.warnings[0].cites, vec![15]);
    }

    #[test]
    fn below_line_with_unresolved_problem_is_marginal_or_unstable() {
        let mut c = case();
        set_problem(&mut c, Problem::Housing, false);
        let o = assert_result(&c, Category::Marginal, false);
        assert!(all_cites(&o).contains(&13));
        c.poverty_alleviated = true;
        let o = run(&c);
        assert_eq!(o.category, Category::UnstableAlleviated);
        assert!(
            o.reasons[2]
                .zh
                .contains("人均纯收入 5,000 元，低于 2023 年省定防止返贫监测线 6,000 元（暂定值）"),
            "{}",
            o.reasons[2].zh
        );
        assert!(o.reasons[2]
            .en
            .contains("5,000 yuan is below the 2023 provincial monitoring line of 6,000 yuan (provisional)"));
        assert!(o.reasons[3].zh.contains("住房安全"));
        assert!(o.reasons[3].en.contains("safe housing"));
    }

    #[test]
    fn below_line_with_sudden_hardship_needs_review() {
        let mut c = case();
        c.sudden_hardship = true;
        let o = assert_result(&c, Category::Marginal, true);
        assert!(o.reasons.iter().any(|r| r.zh.contains("刚性支出较大")));
        assert!(o.next_steps.iter().any(|s| s.cites == vec![24]));
    }

    #[test]
    fn above_line_with_risk_is_severe_difficulty() {
        let mut c = earning(40_000);
        set_problem(&mut c, Problem::Water, false);
        assert_result(&c, Category::SevereDifficulty, false);
        c.problems.clear();
        c.can_resolve_alone = None;
        c.sudden_hardship = true;
        c.poverty_alleviated = true;
        assert_result(&c, Category::SevereDifficulty, true);
    }

    #[test]
    fn exactly_at_the_line_follows_q3_and_needs_review() {
        let mut c = earning(24_000);
        set_problem(&mut c, Problem::Medical, false);
        let with_problem = assert_result(&c, Category::Marginal, true);
        assert!(with_problem.reasons[2].zh.contains("正好等于"));
        assert!(with_problem.reasons[2].zh.contains("条文不一致"));
        c.problems.clear();
        c.can_resolve_alone = None;
        let without = assert_result(&c, Category::NotIdentified, true);
        // Exactly at the line is never called "not below" it, with a problem or without.
        for o in [&with_problem, &without] {
            assert!(
                o.reasons.iter().all(|r| !r.zh.contains("不低于监测线")),
                "{:#?}",
                o.reasons
            );
        }
    }

    #[test]
    fn below_line_without_risk_is_for_the_village() {
        let o = assert_result(&case(), Category::NotIdentified, true);
        let q11 = o.reasons.last().expect("reason");
        assert_eq!(q11.cites, vec![7, 11]);
        assert!(q11.zh.contains("研判评议"));
        assert!(q11.en.contains("whether income is stable"));
        assert!(q11.en.contains("Three Guarantees"));
        assert!(q11.en.contains("safe drinking water"));
    }

    #[test]
    fn above_line_without_risk_is_not_identified() {
        assert_result(&earning(30_000), Category::NotIdentified, false);
    }

    #[test]
    fn high_income_with_resolvable_problem_is_tracked() {
        let mut c = earning(100_000);
        c.expenses.medical = 20_000;
        set_problem(&mut c, Problem::Housing, true);
        let o = assert_result(&c, Category::Tracked, true);
        assert_eq!(o.per_capita_income_after_expenditure, 20_000);
        assert!(o
            .reasons
            .iter()
            .any(|r| r.zh.contains("2020 年山东省农村居民人均可支配收入 18,753 元")));
        // Exactly at the average is not above it.
        c.income.wages = 18_753 * 4 + 20_000;
        assert_eq!(run(&c).category, Category::NotIdentified);
    }

    #[test]
    fn resolvable_problem_without_high_income_is_for_the_village() {
        let mut c = earning(40_000);
        set_problem(&mut c, Problem::Education, true);
        let o = assert_result(&c, Category::NotIdentified, true);
        assert!(o
            .reasons
            .last()
            .expect("reason")
            .en
            .contains("ability to cope on its own"));
    }

    #[test]
    fn large_expenditure_without_sudden_event_is_flagged() {
        let mut c = earning(40_000);
        c.expenses.medical = 30_000;
        let o = assert_result(&c, Category::NotIdentified, true);
        let flag = o.reasons.last().expect("reason");
        assert_eq!(flag.cites, vec![2, 3, 7, 12]);
        assert!(flag.zh.contains("刚性支出较大"));
        assert!(flag.zh.contains("2,500 元"), "{}", flag.zh);
        // Claims offset it.
        c.income.claims = 20_000;
        assert!(!run(&c).review_needed);
    }

    #[test]
    fn out_of_scope_keeps_figures_and_steps() {
        let mut c = case();
        c.hukou = Hukou::Urban;
        let o = run(&c);
        assert_eq!(o.category, Category::OutOfScope);
        assert_eq!(o.per_capita_net_income, 5_000);
        assert_eq!(o.next_steps.len(), 2);
        assert!(o.next_steps[0].zh.contains("12317"));
    }

    #[test]
    fn next_steps_take_time_limits_from_the_data() {
        let mut policy = sample();
        policy.time_limits.village_publicity.amount = 7;
        let mut c = case();
        set_problem(&mut c, Problem::Water, false);
        let o = check(&c, &policy, today()).expect("valid");
        let procedure = &o.next_steps[1];
        assert!(procedure.zh.contains("村内公示 7 天"), "{}", procedure.zh);
        assert!(procedure.en.contains("within 3 days"));
        assert_eq!(procedure.cites, vec![33, 34]);
        assert!(o.next_steps.iter().any(|s| s.zh.contains("12317")));
        assert!(o.next_steps.iter().any(|s| s.zh.contains("不少于 6 个月")));
        assert!(o
            .next_steps
            .last()
            .expect("step")
            .en
            .contains("self-check, not a determination"));
    }

    #[test]
    fn no_labor_means_safety_net() {
        let mut c = case();
        c.members_with_labor = 0;
        set_problem(&mut c, Problem::Water, false);
        let o = run(&c);
        assert!(o.next_steps.iter().any(|s| s.cites == vec![20, 28, 29]));
    }

    #[test]
    fn warnings_for_stale_provisional_and_entered_lines() {
        let o = check(&case(), &sample(), Date::parse("2025-02-01").expect("date")).expect("valid");
        assert_eq!(o.warnings.len(), 2);
        assert!(o.warnings[0]
            .en
            .contains("No provincial monitoring line has been entered for 2025"));
        assert!(o.warnings[1].zh.contains("暂定值"));
        let options = CheckOptions { line_yuan: Some(4_800) };
        let o = check_with(&case(), &sample(), today(), &options).expect("valid");
        assert!(o.line_user_entered);
        assert!(!o.line_provisional);
        assert_eq!(o.monitoring_line, 4_800);
        assert_eq!(o.category, Category::NotIdentified);
        assert!(!o.review_needed, "5,000 is above an entered 4,800 line");
        let bad = CheckOptions { line_yuan: Some(0) };
        let errors = check_with(&case(), &sample(), today(), &bad).expect_err("bad line");
        assert_eq!(errors[0].field, "line_yuan");
    }

    #[test]
    fn invalid_policy_and_year_are_reported() {
        let mut policy = sample();
        policy.monitoring_lines[0].yuan = 0;
        let errors = check(&case(), &policy, today()).expect_err("bad policy");
        assert_eq!(errors[0].field, "policy.monitoring_lines[0].yuan");
        let mut c = case();
        c.year = Some(2019);
        let errors = check(&c, &sample(), today()).expect_err("no 2019 line");
        assert_eq!(errors[0].field, "year");
    }

    #[test]
    fn renders_readable_text_in_both_languages() {
        let mut c = case();
        set_problem(&mut c, Problem::Water, false);
        let o = run(&c);
        let zh = render_text(&o, crate::rules::Lang::Zh);
        assert!(zh.starts_with("自我检测结果：边缘易致贫户"), "{zh}");
        assert!(zh.contains("（第2、3、7、13问）"));
        assert!(zh.contains("6,000 元/人·年（暂定值）"));
        let en = render_text(&o, crate::rules::Lang::En);
        assert!(en.starts_with("Self-check result: marginal household at risk of poverty"));
        assert!(en.contains("(Q2, Q3, Q7, Q13)"));
    }
}
