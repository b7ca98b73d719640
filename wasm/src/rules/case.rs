//! The household case: what the household (or a cadre on a home visit) answers.
//!
//! The same shape is read from YAML by the CLI, from JSON by the page, and from the case files of
//! the tests, through the table [`SCHEMA`] (see [`crate::input`]): unknown fields and values, keys
//! written twice, wrong types and out-of-range numbers are rejected, every problem naming its
//! field. Amounts may be written as people type them (`9,000`, `9千`, `0.9万`).
//!
//! Required: `members`, `members_with_labor`, `poverty_alleviated`, `hukou`, `income` (the object;
//! its components may be omitted and then count as 0), `problems` (may be `[]`) and
//! `sudden_hardship`. Required only where they matter: `urban_security` when `hukou` is
//! `converted_urban`, `can_resolve_alone` when `problems` is not empty. Optional: `year`,
//! `expenses` (omitted = no compliant out-of-pocket expenditure). Answers that decide a result are
//! never silently assumed.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::FieldError;
use crate::input::typed::{amounts, from_fields, named};
pub use crate::input::MAX_YUAN;
use crate::input::{Field, Kind, Schema};

/// A household's answers.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Case {
    /// The year whose monitoring line applies; omitted: the line in force today.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
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
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub urban_security: Option<bool>,
    /// Household income for the year, by component (Q12).
    pub income: Income,
    /// Compliant out-of-pocket expenditure for the year (合规自付支出, Q12); omitted = none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub expenses: Expenses,
    /// Unresolved problems with the Three Guarantees or safe drinking water (Q7, Q13).
    pub problems: Vec<Problem>,
    /// The household can resolve its problems by its own means (Q7, Q13); required when
    /// `problems` is not empty.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub can_resolve_alone: Option<bool>,
    /// A sudden event (illness, disaster, accident …) caused large unavoidable expenditure or a
    /// sharp drop in income, so that basic living is in severe difficulty (Q2, Q3, Q7).
    pub sudden_hardship: bool,
}

/// The household's registered residence (户籍).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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

named!(Hukou {
    Rural: "rural",
    RelocatedUrban: "relocated_urban",
    ConvertedUrban: "converted_urban",
    Urban: "urban",
});

impl Hukou {
    /// Whether a household with this registration must say if it receives urban security
    /// (`urban_security`): only a converted household's coverage depends on it (Q14).
    pub fn asks_urban_security(self) -> bool {
        self == Hukou::ConvertedUrban
    }
}

/// Income for the year, whole household, whole yuan (Q12). Omitted components count as 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
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

amounts!(
    /// The components of [`Income`], as written in a case (shared with the elimination case).
    INCOME,
    Income { wages, business, transfers, property, business_costs, claims }
);

/// Compliant out-of-pocket expenditure for the year, whole household, whole yuan (Q12).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct Expenses {
    /// Medical costs paid by the household after basic medical insurance, critical-illness
    /// insurance and medical assistance.
    pub medical: u64,
    /// Unavoidable education costs of members: tuition, boarding.
    pub education: u64,
    /// Unavoidable actual spending caused by natural disasters or sudden accidents.
    pub disaster: u64,
}

amounts!(
    /// The components of [`Expenses`], as written in a case.
    EXPENSES,
    Expenses { medical, education, disaster }
);

impl Expenses {
    /// The total, in yuan (never overflows: computed in 128 bits).
    pub fn total(&self) -> i128 {
        i128::from(self.medical) + i128::from(self.education) + i128::from(self.disaster)
    }
}

/// A problem with the Three Guarantees (三保障) or safe drinking water (饮水安全).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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

named!(Problem {
    Education: "education",
    Medical: "medical",
    Housing: "housing",
    Water: "water",
});

impl Problem {
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

/// `year`: the year whose monitoring line applies (omitted: the line in force today).
pub const YEAR: Field = Field::optional(
    "year",
    Kind::Whole {
        min: 1,
        max: 9999,
        unit: "",
    },
);

/// `members`: co-living members, at least one.
pub const MEMBERS: Field = Field::required("members", members(1));

/// `members_with_labor`: members able to work.
pub const MEMBERS_WITH_LABOR: Field = Field::required("members_with_labor", members(0));

/// `income`: the household's income by component (shared with the elimination case).
pub const INCOME_FIELD: Field = Field::required_hint(
    "income",
    INCOME,
    "（没有收入请写 income: {}）",
    " (write income: {} if there is none)",
);

/// `problems`: unresolved problems with the Three Guarantees or drinking water.
pub const PROBLEMS_FIELD: Field = Field::required_hint(
    "problems",
    Kind::Choices(&Problem::NAMES),
    "（没有未解决的问题请写 problems: []）",
    " (write problems: [] if there are none)",
);

/// A number of members. More than 99 people sharing one household's income is a typing error
/// (the form's fields stop there too).
const fn members(min: u64) -> Kind {
    Kind::Whole {
        min,
        max: 99,
        unit: "人",
    }
}

/// The fields of a case, as written there (the rows mirror [`Case`]).
pub const SCHEMA: Schema = Schema {
    root: "case",
    fields: &[
        YEAR,
        MEMBERS,
        MEMBERS_WITH_LABOR,
        Field::required("poverty_alleviated", Kind::Bool),
        Field::required("hukou", Kind::Choice(&Hukou::NAMES)),
        Field::optional("urban_security", Kind::Bool),
        INCOME_FIELD,
        Field::optional("expenses", EXPENSES),
        PROBLEMS_FIELD,
        Field::optional("can_resolve_alone", Kind::Bool),
        Field::required("sudden_hardship", Kind::Bool),
    ],
};

crate::input::readers!(Case, SCHEMA);

from_fields!(Case {
    year,
    members,
    members_with_labor,
    poverty_alleviated,
    hukou,
    urban_security,
    income,
    expenses: default,
    problems,
    can_resolve_alone,
    sudden_hardship,
});

impl Case {
    /// Checks the answers together; every problem names its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = household_errors(self.members, self.members_with_labor);
        if self.hukou.asks_urban_security() && self.urban_security.is_none() {
            errors.push(FieldError::new(
                "urban_security",
                zh!("农转非家庭需要回答：是否享受城市低保或职工基本养老保险等城镇保障政策"),
                en!("for a household converted from rural to urban registration, answer whether it receives the urban minimum living allowance or an employee basic pension"),
            ));
        }
        if asks_can_resolve_alone(&self.problems) && self.can_resolve_alone.is_none() {
            errors.push(FieldError::new(
                "can_resolve_alone",
                zh!("有“三保障”或饮水安全问题时需要回答：能否依靠自身力量解决"),
                en!("when there is a problem with the Three Guarantees or safe drinking water, answer whether the household can resolve it on its own"),
            ));
        }
        errors
    }

    /// Whether the household reports a problem it cannot resolve on its own (Q7, Q13).
    pub fn has_unresolved_problem(&self) -> bool {
        !self.problems.is_empty() && self.can_resolve_alone == Some(false)
    }
}

/// Whether a household reporting `problems` must say if it can resolve them on its own
/// (`can_resolve_alone`): whenever it reports any (Q7, Q13).
pub fn asks_can_resolve_alone(problems: &[Problem]) -> bool {
    !problems.is_empty()
}

/// The checks of a household's size shared by every case: at least one member (a case built in
/// code, not read, may have none), and no more members able to work than members.
pub(crate) fn household_errors(members: u32, members_with_labor: u32) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if members < 1 {
        errors.push(FieldError::new(
            "members",
            zh!("家庭共同生活人口至少为 1 人"),
            en!("the household has at least 1 member"),
        ));
    }
    if members_with_labor > members {
        errors.push(FieldError::new(
            "members_with_labor",
            zh!(format!(
                "有劳动能力的人数（{}）不能多于家庭人口（{}）",
                members_with_labor, members
            )),
            en!(format!(
                "members able to work ({}) cannot exceed the members of the household ({})",
                members_with_labor, members
            )),
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use serde_json::Value;

    fn base() -> Value {
        json!({
            "members": 4, "members_with_labor": 2, "poverty_alleviated": true,
            "hukou": "rural", "income": {"wages": 10000}, "problems": [],
            "sudden_hardship": false
        })
    }

    /// The fields named, sorted (object iteration order depends on serde_json's features).
    fn fields(value: &Value) -> Vec<String> {
        FieldError::sorted_fields(&Case::from_value(value).expect_err("should be rejected"))
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
        assert_eq!(fields(&v), vec!["members"]);

        let mut v = base();
        v["members_with_labor"] = json!(5);
        assert_eq!(fields(&v), vec!["members_with_labor"]);

        let mut v = base();
        v["hukou"] = json!("converted_urban");
        v["problems"] = json!(["water"]);
        assert_eq!(fields(&v), vec!["can_resolve_alone", "urban_security"]);

        // A value listed twice is a reading problem, found before the answers are compared.
        let mut v = base();
        v["problems"] = json!(["water", "water"]);
        assert_eq!(fields(&v), vec!["problems[1]"]);
    }

    #[test]
    fn the_schema_mirrors_the_struct() {
        let full = Case {
            year: Some(2024),
            members: 1,
            members_with_labor: 1,
            poverty_alleviated: false,
            hukou: Hukou::Rural,
            urban_security: Some(true),
            income: Income::default(),
            expenses: Expenses::default(),
            problems: vec![],
            can_resolve_alone: Some(true),
            sudden_hardship: false,
        };
        let value = serde_json::to_value(&full).expect("serialises");
        let keys: Vec<&str> = value.as_object().expect("object").keys().map(String::as_str).collect();
        let mut names = SCHEMA.names();
        names.sort_unstable();
        assert_eq!(keys, names);
        for (kind, value) in [
            (INCOME, json!(Income::default())),
            (EXPENSES, json!(Expenses::default())),
        ] {
            let Kind::Group(fields) = kind else { panic!("a group") };
            let mut names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            names.sort_unstable();
            let keys: Vec<&str> = value.as_object().expect("object").keys().map(String::as_str).collect();
            assert_eq!(keys, names);
        }
        assert_eq!(Case::from_value(&value), Ok(full));
    }

    #[test]
    fn amounts_may_be_written_as_people_type_them() {
        let mut v = base();
        v["income"] = json!({"wages": "9,000", "business": "0.9万", "transfers": "1.2万元"});
        v["expenses"] = json!({"medical": "９０００"});
        let case = Case::from_value(&v).expect("valid");
        assert_eq!(
            (case.income.wages, case.income.business, case.income.transfers),
            (9000, 9000, 12000)
        );
        assert_eq!(case.expenses.medical, 9000);
        v["income"] = json!({"wages": "9千5"});
        assert_eq!(fields(&v), vec!["income.wages"]);
    }

    #[test]
    fn absurd_numbers_are_refused_by_name() {
        let mut v = base();
        v["members"] = json!(100);
        v["members_with_labor"] = json!(4_294_967_296_u64);
        v["year"] = json!(10_000);
        let errors = Case::from_value(&v).expect_err("absurd");
        let en: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.en.as_str())).collect();
        assert_eq!(
            en,
            vec![
                ("year", "is too large (got 10000; the largest accepted is 9,999)"),
                ("members", "is too large (got 100; the largest accepted is 99)"),
                (
                    "members_with_labor",
                    "is too large (got 4294967296; the largest accepted is 99)"
                ),
            ]
        );
    }

    #[test]
    fn a_key_written_twice_is_refused() {
        let text = r#"{"members": 2, "members_with_labor": 1, "poverty_alleviated": true, "hukou": "rural",
            "income": {}, "problems": [], "sudden_hardship": false, "members": 50}"#;
        let errors = Case::from_json(text).expect_err("repeated key");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "members");
        assert!(errors[0].en.contains("written twice"), "{}", errors[0].en);
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
