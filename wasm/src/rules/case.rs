//! The household case: what the household (or a cadre on a home visit) answers.
//!
//! The same shape is read from YAML by the CLI, from JSON by the page, and from the case files of
//! the tests. Unknown fields and values are rejected, and every problem names its field, including
//! the ones serde finds (wrong type, negative amount): see [`Case::from_value`].
//!
//! Required: `members`, `members_with_labor`, `poverty_alleviated`, `hukou`, `income` (the object;
//! its components may be omitted and then count as 0), `problems` (may be `[]`) and
//! `sudden_hardship`. Required only where they matter: `urban_security` when `hukou` is
//! `converted_urban`, `can_resolve_alone` when `problems` is not empty. Optional: `year`,
//! `expenses` (omitted = no compliant out-of-pocket expenditure). Answers that decide a result are
//! never silently assumed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::FieldError;

/// A household's answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The year whose monitoring line applies; omitted: the line in force today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Co-living members who share income and expenditure (Q15, Q16); at least 1.
    pub members: u32,
    /// Members able to work (Q20, Q29); at most `members`.
    pub members_with_labor: u32,
    /// Registered as a household lifted out of poverty (脱贫户); otherwise an ordinary rural
    /// household (一般农户).
    pub poverty_alleviated: bool,
    /// The household's registered residence (Q14–Q16).
    pub hukou: Hukou,
    /// Receives the urban minimum living allowance or the urban employee basic pension (Q14, Q15);
    /// required when `hukou` is `converted_urban`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urban_security: Option<bool>,
    /// Household income for the year, by component (Q12).
    pub income: Income,
    /// Compliant out-of-pocket expenditure for the year (合规自付支出, Q12); omitted = none.
    #[serde(default)]
    pub expenses: Expenses,
    /// Unresolved problems with the Three Guarantees or safe drinking water (Q7, Q13).
    pub problems: Vec<Problem>,
    /// The household can resolve its problems by its own means (Q7, Q13); required when
    /// `problems` is not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_resolve_alone: Option<bool>,
    /// A sudden event (illness, disaster, accident …) caused large unavoidable expenditure or a
    /// sharp drop in income, so that basic living is in severe difficulty (Q2, Q3, Q7).
    pub sudden_hardship: bool,
}

/// The household's registered residence (户籍).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hukou {
    /// Rural household registration (农村户籍).
    Rural,
    /// Moved under poverty-alleviation relocation (including accompanying relocation) and now
    /// registered as urban (易地扶贫搬迁（含同步搬迁）已转为城镇户籍).
    RelocatedUrban,
    /// Converted from rural to urban registration, living in a city planning area (城市规划区居住的
    /// 农转非人口).
    ConvertedUrban,
    /// Urban registration otherwise (城镇户籍).
    Urban,
}

impl Hukou {
    /// The values accepted in a case, as written there.
    pub const NAMES: [&'static str; 4] = ["rural", "relocated_urban", "converted_urban", "urban"];
}

/// The largest amount accepted for one income or expenditure component, in yuan: one billion, far
/// beyond any household's, so that sums and per-capita figures stay exact (a larger amount is a
/// typing error, and is refused by name).
pub const MAX_YUAN: u64 = 1_000_000_000;

/// Income for the year, whole household, whole yuan (Q12). Omitted components count as 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Income {
    /// Wage income (工资性收入): wages, pay from public-welfare jobs, work away from home.
    pub wages: u64,
    /// Production and business income (生产经营性收入): farming, livestock, a shop — before costs.
    pub business: u64,
    /// Transfer income (转移性收入): rural basic pension, support from children, subsidies.
    pub transfers: u64,
    /// Property income (财产性收入): land rent, dividends, interest.
    pub property: u64,
    /// Production and business costs (生产经营性支出): seed, fertiliser, feed, stock; deducted.
    pub business_costs: u64,
    /// Household claim payments (家庭理赔): commercial insurance claims (not the reimbursements of
    /// the three-tier medical security) and third-party compensation.
    pub claims: u64,
}

impl Income {
    /// The field names, as written in a case.
    pub const NAMES: [&'static str; 6] = ["wages", "business", "transfers", "property", "business_costs", "claims"];
}

/// Compliant out-of-pocket expenditure for the year, whole household, whole yuan (Q12).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Expenses {
    /// Medical costs paid by the household after basic medical insurance, critical-illness
    /// insurance and medical assistance.
    pub medical: u64,
    /// Unavoidable education costs of members: tuition, boarding.
    pub education: u64,
    /// Unavoidable actual spending caused by natural disasters or sudden accidents.
    pub disaster: u64,
}

impl Expenses {
    /// The field names, as written in a case.
    pub const NAMES: [&'static str; 3] = ["medical", "education", "disaster"];

    /// The total, in yuan (never overflows: computed in 128 bits).
    pub fn total(&self) -> i128 {
        i128::from(self.medical) + i128::from(self.education) + i128::from(self.disaster)
    }
}

/// A problem with the Three Guarantees (三保障) or safe drinking water (饮水安全).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Compulsory education (义务教育).
    Education,
    /// Basic medical care (基本医疗).
    Medical,
    /// Safe housing (住房安全).
    Housing,
    /// Safe drinking water (饮水安全).
    Water,
}

impl Problem {
    /// The values accepted in a case, as written there.
    pub const NAMES: [&'static str; 4] = ["education", "medical", "housing", "water"];

    /// The guide's term.
    pub fn zh(self) -> &'static str {
        match self {
            Problem::Education => "义务教育",
            Problem::Medical => "基本医疗",
            Problem::Housing => "住房安全",
            Problem::Water => "饮水安全",
        }
    }

    /// The English term.
    pub fn en(self) -> &'static str {
        match self {
            Problem::Education => "compulsory education",
            Problem::Medical => "basic medical care",
            Problem::Housing => "safe housing",
            Problem::Water => "safe drinking water",
        }
    }
}

/// The top-level fields of a case, as written there.
pub const CASE_FIELDS: [&str; 11] = [
    "year",
    "members",
    "members_with_labor",
    "poverty_alleviated",
    "hukou",
    "urban_security",
    "income",
    "expenses",
    "problems",
    "can_resolve_alone",
    "sudden_hardship",
];

const REQUIRED_FIELDS: [&str; 7] = [
    "members",
    "members_with_labor",
    "poverty_alleviated",
    "hukou",
    "income",
    "problems",
    "sudden_hardship",
];

impl Case {
    /// Reads a case from JSON text. Every problem names its field; `case` when the text is not
    /// JSON at all.
    pub fn from_json(text: &str) -> Result<Case, Vec<FieldError>> {
        let value: Value = serde_json::from_str(text).map_err(|err| {
            vec![FieldError::new(
                "case",
                format!("不是有效的 JSON：{err}"),
                format!("not valid JSON: {err}"),
            )]
        })?;
        Case::from_value(&value)
    }

    /// Reads a case from a parsed JSON value (the CLI converts YAML to a `serde_json::Value`
    /// first). Returns every problem found — shape and type problems first (unknown fields,
    /// wrong types, negative amounts, unknown values, missing fields), then the checks of
    /// [`Case::validate`] — each naming its field.
    pub fn from_value(value: &Value) -> Result<Case, Vec<FieldError>> {
        let problems = diagnose(value);
        if !problems.is_empty() {
            return Err(problems);
        }
        let case: Case = serde_json::from_value(value.clone()).map_err(|err| {
            // `diagnose` mirrors the model, so this is not expected; keep serde's words.
            vec![FieldError::new(
                "case",
                format!("无法读取：{err}"),
                format!("cannot be read: {err}"),
            )]
        })?;
        let errors = case.validate();
        if errors.is_empty() {
            Ok(case)
        } else {
            Err(errors)
        }
    }

    /// Checks the answers together; every problem names its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.members < 1 {
            errors.push(FieldError::new(
                "members",
                "家庭共同生活人口至少为 1 人",
                "the household has at least 1 member",
            ));
        }
        if self.members_with_labor > self.members {
            errors.push(FieldError::new(
                "members_with_labor",
                format!(
                    "有劳动能力的人数（{}）不能多于家庭人口（{}）",
                    self.members_with_labor, self.members
                ),
                format!(
                    "members able to work ({}) cannot exceed the members of the household ({})",
                    self.members_with_labor, self.members
                ),
            ));
        }
        if self.hukou == Hukou::ConvertedUrban && self.urban_security.is_none() {
            errors.push(FieldError::new(
                "urban_security",
                "农转非家庭需要回答：是否享受城市低保或职工基本养老保险等城镇保障政策",
                "for a household converted from rural to urban registration, answer whether it receives the urban minimum living allowance or an employee basic pension",
            ));
        }
        if !self.problems.is_empty() && self.can_resolve_alone.is_none() {
            errors.push(FieldError::new(
                "can_resolve_alone",
                "有“三保障”或饮水安全问题时需要回答：能否依靠自身力量解决",
                "when there is a problem with the Three Guarantees or safe drinking water, answer whether the household can resolve it on its own",
            ));
        }
        for (index, problem) in self.problems.iter().enumerate() {
            if self.problems[..index].contains(problem) {
                errors.push(FieldError::new(
                    format!("problems[{index}]"),
                    format!("“{}”重复填写", problem.zh()),
                    format!("'{}' is listed twice", Problem::NAMES[*problem as usize]),
                ));
            }
        }
        if let Some(year) = self.year {
            if !(1..=9999).contains(&year) {
                errors.push(FieldError::new(
                    "year",
                    "年份应为四位数",
                    "the year must be a four-digit year",
                ));
            }
        }
        errors
    }

    /// Whether the household reports a problem it cannot resolve on its own (Q7, Q13).
    pub fn has_unresolved_problem(&self) -> bool {
        !self.problems.is_empty() && self.can_resolve_alone == Some(false)
    }
}

/// Finds every shape and type problem in a case value, naming the field. Empty when serde will
/// accept the value.
fn diagnose(value: &Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let Some(object) = value.as_object() else {
        errors.push(FieldError::new(
            "case",
            "应为一个对象（字段: 值）",
            "must be an object of fields and values",
        ));
        return errors;
    };
    for (key, value) in object {
        match key.as_str() {
            "year" => {
                if !value.is_null() {
                    whole_number(&mut errors, key, value, i32::MAX.unsigned_abs().into());
                }
            }
            "members" | "members_with_labor" => {
                whole_number(&mut errors, key, value, u32::MAX.into());
            }
            "poverty_alleviated" | "sudden_hardship" => boolean(&mut errors, key, value),
            "urban_security" | "can_resolve_alone" => {
                if !value.is_null() {
                    boolean(&mut errors, key, value);
                }
            }
            "hukou" => one_of(&mut errors, key, value, &Hukou::NAMES),
            "income" => amounts(&mut errors, key, value, &Income::NAMES),
            "expenses" => amounts(&mut errors, key, value, &Expenses::NAMES),
            "problems" => match value.as_array() {
                Some(items) => {
                    for (index, item) in items.iter().enumerate() {
                        one_of(&mut errors, &format!("problems[{index}]"), item, &Problem::NAMES);
                    }
                }
                None => errors.push(FieldError::new(
                    key,
                    format!(
                        "应为列表，例如 [housing, water]（可选值：{}）",
                        Problem::NAMES.join("、")
                    ),
                    format!(
                        "must be a list such as [housing, water] (values: {})",
                        Problem::NAMES.join(", ")
                    ),
                )),
            },
            _ => errors.push(unknown_field(key, &CASE_FIELDS)),
        }
    }
    for required in REQUIRED_FIELDS {
        if !object.contains_key(required) {
            let (zh_hint, en_hint) = match required {
                "income" => ("（没有收入请写 income: {}）", " (write income: {} if there is none)"),
                "problems" => (
                    "（没有问题请写 problems: []）",
                    " (write problems: [] if there are none)",
                ),
                _ => ("", ""),
            };
            errors.push(FieldError::new(
                required,
                format!("缺少必填字段 {required}{zh_hint}"),
                format!("the field {required} is required{en_hint}"),
            ));
        }
    }
    errors
}

fn unknown_field(key: &str, expected: &[&str]) -> FieldError {
    FieldError::new(
        key,
        format!("未知字段“{key}”；可用字段：{}", expected.join("、")),
        format!("unknown field '{key}'; expected one of: {}", expected.join(", ")),
    )
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn whole_number(errors: &mut Vec<FieldError>, field: &str, value: &Value, max: u64) {
    match value {
        Value::Number(n) if n.as_u64().is_some_and(|v| v <= max) => {}
        Value::Number(n) if n.as_i64().is_some_and(|v| v < 0) => errors.push(FieldError::new(
            field,
            format!("不能为负数（实际为 {n}）"),
            format!("must not be negative (got {n})"),
        )),
        Value::Number(n) if n.is_f64() => errors.push(FieldError::new(
            field,
            format!("应为整数，不带小数（实际为 {n}）"),
            format!("must be a whole number, without decimals (got {n})"),
        )),
        Value::Number(n) => {
            let most = super::group_digits(i64::try_from(max).unwrap_or(i64::MAX));
            errors.push(FieldError::new(
                field,
                format!("数值过大（实际为 {n}，最大为 {most}）"),
                format!("is too large (got {n}; the largest accepted is {most})"),
            ))
        }
        other => errors.push(FieldError::new(
            field,
            format!("应为整数（实际为{}）", describe_zh(other)),
            format!("must be a whole number (got {})", describe(other)),
        )),
    }
}

fn describe_zh(value: &Value) -> &'static str {
    match value {
        Value::Null => "空值",
        Value::Bool(_) => "是/否",
        Value::Number(_) => "数字",
        Value::String(_) => "文字",
        Value::Array(_) => "列表",
        Value::Object(_) => "对象",
    }
}

fn boolean(errors: &mut Vec<FieldError>, field: &str, value: &Value) {
    if !value.is_boolean() {
        errors.push(FieldError::new(
            field,
            format!("应为 true 或 false（实际为{}）", describe_zh(value)),
            format!("must be true or false (got {})", describe(value)),
        ));
    }
}

fn one_of(errors: &mut Vec<FieldError>, field: &str, value: &Value, names: &[&str]) {
    match value.as_str() {
        Some(text) if names.contains(&text) => {}
        Some(text) => errors.push(FieldError::new(
            field,
            format!("未知取值“{text}”；可选值：{}", names.join("、")),
            format!("unknown value '{text}'; expected one of: {}", names.join(", ")),
        )),
        None => errors.push(FieldError::new(
            field,
            format!("应为以下之一：{}（实际为{}）", names.join("、"), describe_zh(value)),
            format!("must be one of: {} (got {})", names.join(", "), describe(value)),
        )),
    }
}

fn amounts(errors: &mut Vec<FieldError>, field: &str, value: &Value, names: &[&str]) {
    let Some(object) = value.as_object() else {
        errors.push(FieldError::new(
            field,
            format!("应为各项金额（元/年），例如 {{{}: 0}}", names[0]),
            format!("must list amounts in yuan per year, e.g. {{{}: 0}}", names[0]),
        ));
        return;
    };
    for (key, amount) in object {
        let path = format!("{field}.{key}");
        if !names.contains(&key.as_str()) {
            let mut error = unknown_field(key, names);
            error.field = path;
            errors.push(error);
        } else {
            // Amounts are whole yuan: say "yuan" in the message.
            let before = errors.len();
            whole_number(errors, &path, amount, MAX_YUAN);
            if let Some(error) = errors.get_mut(before) {
                if error.en.starts_with("must be a whole number") {
                    error.en = error.en.replacen("a whole number", "a whole number of yuan", 1);
                    error.zh = error.zh.replacen("应为整数", "应为整数（元）", 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Value {
        json!({
            "members": 4, "members_with_labor": 2, "poverty_alleviated": true,
            "hukou": "rural", "income": {"wages": 10000}, "problems": [],
            "sudden_hardship": false
        })
    }

    /// The fields named, sorted (object iteration order depends on serde_json's features).
    fn fields(value: &Value) -> Vec<String> {
        let mut fields: Vec<String> = Case::from_value(value)
            .expect_err("should be rejected")
            .into_iter()
            .map(|e| e.field)
            .collect();
        fields.sort();
        fields
    }

    #[test]
    fn reads_a_minimal_case_with_defaults() {
        let case = Case::from_value(&base()).expect("valid");
        assert_eq!(case.income.wages, 10000);
        assert_eq!(case.income.business_costs, 0);
        assert_eq!(case.expenses, Expenses::default());
        assert_eq!(case.year, None);
        assert_eq!(case.urban_security, None);
    }

    #[test]
    fn names_unknown_and_missing_fields() {
        let mut v = base();
        v["member"] = json!(3);
        v.as_object_mut().expect("object").remove("hukou");
        assert_eq!(fields(&v), vec!["hukou", "member"]);
    }

    #[test]
    fn names_wrong_types_and_negative_amounts() {
        let mut v = base();
        v["members"] = json!("four");
        v["income"] = json!({"wages": -5, "business": 1.5, "rent": 3});
        v["expenses"] = json!({"medical": "lots"});
        v["poverty_alleviated"] = json!("yes");
        let errors = Case::from_value(&v).expect_err("invalid");
        let mut got: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        got.sort_unstable();
        assert_eq!(
            got,
            vec![
                "expenses.medical",
                "income.business",
                "income.rent",
                "income.wages",
                "members",
                "poverty_alleviated",
            ]
        );
        let wages = errors.iter().find(|e| e.field == "income.wages").expect("wages");
        assert!(wages.en.contains("negative"), "{}", wages.en);
        let business = errors.iter().find(|e| e.field == "income.business").expect("business");
        assert!(business.en.contains("whole number"), "{}", business.en);
    }

    #[test]
    fn names_unknown_values() {
        let mut v = base();
        v["hukou"] = json!("village");
        v["problems"] = json!(["water", "food"]);
        assert_eq!(fields(&v), vec!["hukou", "problems[1]"]);
    }

    #[test]
    fn validates_answers_together() {
        let mut v = base();
        v["members"] = json!(0);
        assert_eq!(fields(&v), vec!["members", "members_with_labor"]);

        let mut v = base();
        v["members_with_labor"] = json!(5);
        assert_eq!(fields(&v), vec!["members_with_labor"]);

        let mut v = base();
        v["hukou"] = json!("converted_urban");
        v["problems"] = json!(["water", "water"]);
        assert_eq!(fields(&v), vec!["can_resolve_alone", "problems[1]", "urban_security"]);
    }

    #[test]
    fn rejects_non_objects_and_bad_json() {
        assert_eq!(fields(&json!([1, 2])), vec!["case"]);
        let errors = Case::from_json("{members: 4").expect_err("not json");
        assert_eq!(errors[0].field, "case");
    }

    #[test]
    fn null_optionals_are_accepted() {
        let mut v = base();
        v["year"] = Value::Null;
        v["can_resolve_alone"] = Value::Null;
        assert!(Case::from_value(&v).is_ok());
    }
}
