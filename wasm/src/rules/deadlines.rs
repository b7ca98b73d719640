//! Procedure deadlines (Q23, Q24, Q33, Q34, Q36): from the date a risk was found, or the date a
//! household entered the Green Channel, the dates by which each step of the procedure is due.
//!
//! Every amount comes from the policy data (`time_limits` in `content/policy.yaml`), never from
//! this file; each item carries the limit's questions and the guide's sentence.
//!
//! # How days are counted
//!
//! The guide gives its limits in calendar days and months and does not say how to count them. The
//! tool follows the rule for periods of the Civil Code (《民法典》第二百零一条、第二百零二条):
//!
//! * the day the period starts from is not counted: "within N days of D" is due on **D + N**
//!   (within 3 days of 2024-02-27 → 2024-03-01);
//! * "within N months of D" is due on the same day of the month N months later, or on that month's
//!   last day when it has no such day (2024-01-31 + 1 month → 2024-02-29; 2023-01-31 → 2023-02-28);
//! * days are calendar days: weekends and holidays count. The Civil Code moves a period ending on
//!   a public holiday to the next working day (第二百零三条); the tool has no holiday calendar and
//!   does **not** do that, so a date shown is never later than the one that applies.
//!
//! The input is `{"risk_found": D}` (regular identification) and/or `{"green_channel_entry": D}`,
//! optionally with `county_approval` and `publicity_start` for the regular track. See
//! [`DeadlineInput`] and [`timeline`].

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::outcome::{push_notes, Note};
use super::policy::{Policy, TimeLimit, TimeUnit};
use super::provisions::{Q24, Q33};
use super::{Date, FieldError, Lang};
use crate::input::typed::from_fields;
use crate::input::{Field, Kind, Schema};
use crate::json::{json_name, json_object};
use crate::vocab::{cite_suffix, Text};

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

/// The dates a timeline is computed from. At least one of `risk_found` and
/// `green_channel_entry` is required; `county_approval` and `publicity_start` belong to the
/// regular procedure and need `risk_found`.
///
/// It is read only through [`SCHEMA`] (the page's JSON and the command line's YAML alike), which
/// refuses repeated keys as well as unknown ones, so it has no serde derive of its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeadlineInput {
    /// The day the risk was found — the household applied, a cadre found it or a department
    /// warned (发现风险线索之日, Q34).
    pub risk_found: Option<Date>,
    /// The day the county entered the household in the Green Channel (录入“绿色通道”, Q24).
    pub green_channel_entry: Option<Date>,
    /// The day the county approved the identification (县级批准, Q33, Q36), once known.
    pub county_approval: Option<Date>,
    /// The day the village publicity (村内公示, Q34) was posted, once known.
    pub publicity_start: Option<Date>,
}

/// The fields of [`DeadlineInput`], as written in the input (the rows mirror the struct).
pub const SCHEMA: Schema = Schema {
    root: "input",
    fields: &[
        Field::optional("risk_found", Kind::Date),
        Field::optional("green_channel_entry", Kind::Date),
        Field::optional("county_approval", Kind::Date),
        Field::optional("publicity_start", Kind::Date),
    ],
};

crate::input::readers!(DeadlineInput, SCHEMA);

from_fields!(DeadlineInput {
    risk_found,
    green_channel_entry,
    county_approval,
    publicity_start,
});

impl DeadlineInput {
    /// Checks the dates together; every problem names its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.risk_found.is_none() && self.green_channel_entry.is_none() {
            errors.push(FieldError::new(
                "risk_found",
                zh!("请填写发现风险的日期（risk_found）或录入“绿色通道”的日期（green_channel_entry）"),
                en!("give the date the risk was found (risk_found) or the date of entry in the Green Channel (green_channel_entry)"),
            ));
        }
        for (name, date) in [
            ("county_approval", self.county_approval),
            ("publicity_start", self.publicity_start),
        ] {
            let Some(date) = date else { continue };
            match self.risk_found {
                None => errors.push(FieldError::new(
                    name,
                    zh!(format!(
                        "{name} 属于常规识别程序，需要同时填写发现风险的日期（risk_found）"
                    )),
                    en!(format!(
                        "{name} belongs to the regular procedure and needs the date the risk was found (risk_found)"
                    )),
                )),
                Some(found) if date < found => errors.push(FieldError::new(
                    name,
                    zh!(format!("{date} 早于发现风险的日期 {found}")),
                    en!(format!("{date} is before the date the risk was found, {found}")),
                )),
                Some(_) => {}
            }
        }
        errors
    }
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/// Which procedure a deadline belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Track {
    /// Regular identification (常态化识别, Q33, Q34, Q36).
    Regular,
    /// The Green Channel (绿色通道, Q24).
    GreenChannel,
}

/// One step of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Deadline {
    /// `home_verification`, `village_publicity`, `identification`, `system_entry`,
    /// `assistance_plan`, `green_channel_assistance` or `green_channel_verification`.
    pub key: String,
    /// The procedure it belongs to.
    pub track: Track,
    /// The input date the period counts from (`risk_found`, `county_approval`, …), or `None`
    /// when that date is not known yet.
    pub from_field: Option<String>,
    /// That date.
    pub from: Option<Date>,
    /// The length of the period, from the policy data (0 for "at once").
    pub amount: i64,
    /// Its unit.
    pub unit: TimeUnit,
    /// The date by which the step is due (`from` + the period), or `None` when it cannot be
    /// dated from the input (the text says why).
    pub due: Option<Date>,
    /// When `due` is unknown because the county has not approved yet: the date it would be if
    /// identification were completed on the last day allowed (Q34).
    pub due_if_on_time: Option<Date>,
    /// The questions of the guide that set it.
    pub cites: Vec<u8>,
    /// What is due, with the date and how it was counted, in Chinese.
    pub zh: String,
    /// The same in English.
    pub en: String,
    /// The guide's sentence.
    pub quote: String,
}

/// The timeline: the counting convention, the steps in procedure order, and warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Timeline {
    /// How days and months are counted.
    pub counting: Text,
    /// The steps, regular track first (procedure order), then the Green Channel.
    pub items: Vec<Deadline>,
    /// Dates given that do not fit the guide's limits or order.
    pub warnings: Vec<Note>,
}

impl Track {
    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Track::Regular => "regular",
            Track::GreenChannel => "green_channel",
        }
    }
}

json_name!(Track);

json_object!(Deadline {
    key,
    track,
    from_field,
    from,
    amount,
    unit,
    due,
    due_if_on_time,
    cites,
    zh,
    en,
    quote,
});

json_object!(Timeline {
    counting,
    items,
    warnings
});

/// The counting convention, as stated in every timeline.
pub fn counting_text() -> Text {
    Text {
        zh: zh!("按日历日计算（含周末和节假日）。参照《民法典》第二百零一条、第二百零二条：开始的当日不计入，“某日起 N 天内”的截止日为该日加 N 天；“N 个月内”的截止日为 N 个月后的对应日，没有对应日的为该月最后一日（如 1 月 31 日加 1 个月为 2 月 28 日或闰年的 2 月 29 日）。本工具不按法定节假日顺延，所示日期不会晚于实际截止日。".into()),
        en: en!("Calendar days, weekends and holidays included. Following the Civil Code (Articles 201 and 202), the starting day is not counted: \"within N days of D\" is due on D + N; \"within N months\" is due on the same day N months later, or on that month's last day when it has no such day (31 January + 1 month = 28 February, or 29 February in a leap year). The tool does not move a date that falls on a public holiday, so a date shown is never later than the real one.".into()),
    }
}

/// Computes the timeline of `input` with the time limits of `policy`. Errors name the field: the
/// input's, or `policy.time_limits.…` for unusable data, or the input date whose due date would
/// fall after 9999-12-31.
pub fn timeline(input: &DeadlineInput, policy: &Policy) -> Result<Timeline, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = policy.validate().iter().map(|p| p.to_field_error()).collect();
    errors.extend(input.validate());
    if !errors.is_empty() {
        return Err(errors);
    }
    let t = &policy.time_limits;
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    if let Some(found) = input.risk_found {
        let home = dated(
            "home_verification",
            Track::Regular,
            "risk_found",
            found,
            &t.home_verification,
            ("镇村入户核实", "Home verification by the town and village"),
            ("发现风险线索之日", "the day the risk was found"),
        )?;
        let identified = due(found, &t.identification, "risk_found")?;
        items.push(home);
        items.push(publicity(
            input,
            found,
            identified,
            &t.village_publicity,
            &mut warnings,
        )?);
        items.push(dated(
            "identification",
            Track::Regular,
            "risk_found",
            found,
            &t.identification,
            (
                "完成监测帮扶对象识别认定（一般不超过此日）",
                "Identification and confirmation complete (usually no later than this)",
            ),
            ("发现风险线索之日", "the day the risk was found"),
        )?);
        match input.county_approval {
            Some(approval) => {
                if approval > identified {
                    warnings.push(Note::from_questions(
                        &t.identification.cites,
                        zh!(format!(
                            "县级批准日期 {approval} 晚于识别认定期限 {identified}（发现风险线索之日 {found} 起 {}，指南说“一般不超过”）。",
                            t.identification.zh()
                        )),
                        en!(format!(
                            "The county approval on {approval} is later than the identification limit of {identified} ({} from {found}, the day the risk was found; the guide says \"usually no more than\").",
                            t.identification.en()
                        )),
                    ));
                }
                items.push(dated(
                    "system_entry",
                    Track::Regular,
                    "county_approval",
                    approval,
                    &t.system_entry,
                    ("完成系统录入", "Entry in the information system"),
                    ("县级批准之日", "the day of the county's approval"),
                )?);
                let mut item = dated(
                    "assistance_plan",
                    Track::Regular,
                    "county_approval",
                    approval,
                    &t.assistance_plan,
                    (
                        "完成帮扶计划制定和帮扶措施申报",
                        "Assistance plan drawn up and assistance measures applied for",
                    ),
                    (
                        "县级批准（识别时间）之日",
                        "the day of the county's approval, the date of identification",
                    ),
                )?;
                item.zh.push_str(PLAN_FROM_ZH);
                item.en.push_str(PLAN_FROM_EN);
                items.push(item);
            }
            None => {
                items.push(undated_after_approval(
                    "system_entry",
                    &t.system_entry,
                    identified,
                    ("完成系统录入", "Entry in the information system"),
                    "",
                    "",
                )?);
                items.push(undated_after_approval(
                    "assistance_plan",
                    &t.assistance_plan,
                    identified,
                    (
                        "完成帮扶计划制定和帮扶措施申报",
                        "Assistance plan drawn up and assistance measures applied for",
                    ),
                    PLAN_FROM_ZH,
                    PLAN_FROM_EN,
                )?);
            }
        }
    }

    if let Some(entry) = input.green_channel_entry {
        let limit = &t.green_channel_verification;
        items.push(Deadline {
            key: "green_channel_assistance".into(),
            track: Track::GreenChannel,
            from_field: Some("green_channel_entry".into()),
            from: Some(entry),
            amount: 0,
            unit: TimeUnit::Days,
            due: Some(entry),
            due_if_on_time: None,
            cites: vec![Q24.question],
            zh: zh!(format!("“绿色通道”：{entry} 录入后，由相关部门和镇村两级第一时间实施帮扶（先帮扶、后补充完善识别程序）。")),
            en: en!(format!("Green Channel: after entry on {entry}, the departments concerned and the town and village give assistance at once (assistance first, the identification procedure completed afterwards).")),
            quote: Q24.quote.into(),
        });
        let mut item = dated(
            "green_channel_verification",
            Track::GreenChannel,
            "green_channel_entry",
            entry,
            limit,
            (
                "完成是否符合监测帮扶对象识别条件的核实",
                "Verification of whether the household meets the conditions for identification",
            ),
            ("录入“绿色通道”之日", "the day of entry in the Green Channel"),
        )?;
        item.zh.push_str(&format!(
            "符合条件的，按识别程序补充完善手续，识别时间以录入“绿色通道”的时间（{entry}）为准（第36问）；不符合条件的，由县级乡村振兴部门在信息系统中备注说明情况后从“绿色通道”中退出，同时中止相关帮扶措施。"
        ));
        item.en.push_str(&format!(
            " If it does, the identification procedure is completed and the date of identification is the date of entry in the Green Channel ({entry}, Q36); if not, the county rural revitalization department notes why in the information system and removes the household from the Green Channel, and the assistance stops."
        ));
        item.cites.push(36);
        items.push(item);
    }

    Ok(Timeline {
        counting: counting_text(),
        items,
        warnings,
    })
}

const PLAN_FROM_ZH: &str = "第23问的 10 天针对“新识别的监测帮扶对象”，没有写明起算日；本工具从县级批准（常态化识别的识别时间，第36问）起算。帮扶计划可与认定同步开展（第34问），可以更早完成。";
const PLAN_FROM_EN: &str = " Q23's limit applies to a \"newly identified\" household and does not say what it counts from; the tool counts from the county approval, which is the date of identification in regular identification (Q36). The plan may be drawn up alongside identification (Q34), so it can be done earlier.";

/// `from` + `limit`; beyond 9999-12-31, an error naming `field`, the input date it counts from.
fn due(from: Date, limit: &TimeLimit, field: &str) -> Result<Date, Vec<FieldError>> {
    limit.due_from(from).ok_or_else(|| {
        vec![FieldError::new(
            field,
            zh!(format!(
                "{from} 加 {} 超出了可计算的日期范围（9999-12-31 以前）",
                limit.zh()
            )),
            en!(format!(
                "{from} + {} falls outside the dates that can be computed (up to 9999-12-31)",
                limit.en()
            )),
        )]
    })
}

/// A step with a due date: `from` (the input's `from_field`) + the limit.
fn dated(
    key: &str,
    track: Track,
    from_field: &str,
    from: Date,
    limit: &TimeLimit,
    what: (&str, &str),
    since: (&str, &str),
) -> Result<Deadline, Vec<FieldError>> {
    let due = due(from, limit, from_field)?;
    Ok(Deadline {
        key: key.into(),
        track,
        from_field: Some(from_field.into()),
        from: Some(from),
        amount: limit.amount,
        unit: limit.unit,
        due: Some(due),
        due_if_on_time: None,
        cites: limit.cites.clone(),
        // "最迟…（含当日）", not "…前": the due day itself is allowed, as the English "by" says.
        zh: format!(
            "{}：最迟 {due}（含当日；自{} {from} 起 {}内）。",
            what.0,
            since.0,
            limit.zh()
        ),
        en: en!(format!(
            "{}: by {due}, that day included (within {} of {from}, {}).",
            what.1,
            limit.en(),
            since.1
        )),
        quote: limit.quote.clone(),
    })
}

/// A step counted from the county approval, which is not known yet.
fn undated_after_approval(
    key: &str,
    limit: &TimeLimit,
    identified: Date,
    what: (&str, &str),
    extra_zh: &str,
    extra_en: &str,
) -> Result<Deadline, Vec<FieldError>> {
    let on_time = due(identified, limit, "risk_found")?;
    Ok(Deadline {
        key: key.into(),
        track: Track::Regular,
        from_field: Some("county_approval".into()),
        from: None,
        amount: limit.amount,
        unit: limit.unit,
        due: None,
        due_if_on_time: Some(on_time),
        cites: limit.cites.clone(),
        zh: zh!(format!(
            "{}：县级批准后 {}内。填写县级批准日期（county_approval）即可算出日期；如在识别认定期限 {identified} 当天批准，则为 {on_time}。{extra_zh}",
            what.0,
            limit.zh()
        )),
        en: en!(format!(
            "{}: within {} of the county approval. Give the approval date (county_approval) to get the date; if approval comes on the last day allowed for identification, {identified}, it is {on_time}.{extra_en}",
            what.1,
            limit.en()
        )),
        quote: limit.quote.clone(),
    })
}

/// The village publicity: a period of N days inside the identification limit, dated only when
/// its start is given.
fn publicity(
    input: &DeadlineInput,
    found: Date,
    identified: Date,
    limit: &TimeLimit,
    warnings: &mut Vec<Note>,
) -> Result<Deadline, Vec<FieldError>> {
    let Some(start) = input.publicity_start else {
        let back = match limit.unit {
            TimeUnit::Days => identified.add_days(-limit.amount),
            TimeUnit::Months => identified.add_months(-limit.amount),
        };
        let latest = back.map_or_else(|| identified.to_string(), |d| d.to_string());
        return Ok(Deadline {
            key: "village_publicity".into(),
            track: Track::Regular,
            from_field: Some("publicity_start".into()),
            from: None,
            amount: limit.amount,
            unit: limit.unit,
            due: None,
            due_if_on_time: None,
            cites: limit.cites.clone(),
            zh: zh!(format!(
                "村内公示：为期 {}，是识别认定期限（最迟 {identified}，含当日）中的一段，不是从发现风险之日起算的截止日。填写公示开始日期（publicity_start）即可算出公示结束日期；要最迟在 {identified}（含当日）完成认定，公示最迟应在 {} 开始。",
                limit.zh(),
                latest
            )),
            en: en!(format!(
                "Village publicity: a period of {}, part of the time allowed for identification (by {identified}, that day included), not a deadline counted from the day the risk was found. Give the day the notice was posted (publicity_start) to get its end; to finish identification by {identified}, it should be posted by {} at the latest.",
                limit.en(),
                latest
            )),
            quote: limit.quote.clone(),
        });
    };
    let end = due(start, limit, "publicity_start")?;
    if end > identified {
        warnings.push(Note::from_questions(
            &limit.cites,
            zh!(format!("公示 {start} 开始、{end} 结束，晚于识别认定期限 {identified}（发现风险线索之日 {found} 起）。")),
            en!(format!("Publicity from {start} ends on {end}, later than the identification limit of {identified} (counted from {found}, the day the risk was found).")),
        ));
    }
    if let Some(approval) = input.county_approval {
        if approval < end {
            warnings.push(Note::new(
                &[Q33],
                zh!(format!("县级批准日期 {approval} 早于公示结束日期 {end}：认定程序中，村级公示在县级批准之前（第33问）。")),
                en!(format!("The county approval on {approval} is before the publicity ends on {end}: in the procedure, the village publicity comes before the county's approval (Q33).")),
            ));
        }
    }
    Ok(Deadline {
        key: "village_publicity".into(),
        track: Track::Regular,
        from_field: Some("publicity_start".into()),
        from: Some(start),
        amount: limit.amount,
        unit: limit.unit,
        due: Some(end),
        due_if_on_time: None,
        cites: limit.cites.clone(),
        zh: zh!(format!(
            "村内公示：{start} 张贴，公示 {}，{end} 期满（张贴当日不计入）。期满前不得撤下，期满后方可进入下一步。",
            limit.zh()
        )),
        en: en!(format!(
            "Village publicity: posted on {start}, for {}, ending on {end} (the day of posting is not counted). It stays up until then; the next step follows after it ends.",
            limit.en()
        )),
        quote: limit.quote.clone(),
    })
}

/// A readable, printable rendering of `timeline` for a terminal, in `lang`.
pub fn render_text(timeline: &Timeline, lang: Lang) -> String {
    let mut out = String::new();
    let (title, regular, green, warn, undated) = match lang {
        Lang::Zh => ("程序时限", "常规识别", "“绿色通道”", "提示", "待定"),
        Lang::En => (
            "Procedure deadlines",
            "Regular identification",
            "Green Channel",
            "Please note",
            "to be set",
        ),
    };
    let cite = |cites: &[u8]| cite_suffix(cites, lang);
    out.push_str(&format!("{title}\n{}\n", timeline.counting.get(lang)));
    for (track, heading) in [(Track::Regular, regular), (Track::GreenChannel, green)] {
        let items: Vec<&Deadline> = timeline.items.iter().filter(|i| i.track == track).collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{heading}\n"));
        for item in items {
            let date = item.due.map_or_else(|| undated.to_string(), |d| d.to_string());
            // Pad to 10 columns; CJK characters take two.
            let width: usize = date.chars().map(|c| if u32::from(c) >= 0x1100 { 2 } else { 1 }).sum();
            let date = format!("{date}{}", " ".repeat(10usize.saturating_sub(width)));
            let text = match lang {
                Lang::Zh => &item.zh,
                Lang::En => &item.en,
            };
            out.push_str(&format!("{date}  {text}{}\n", cite(&item.cites)));
        }
    }
    if !timeline.warnings.is_empty() {
        push_notes(&mut out, warn, &timeline.warnings, lang);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::tests::d;
    use crate::rules::policy::tests::sample;

    #[test]
    fn regular_timeline_from_the_policy() {
        let input = DeadlineInput {
            risk_found: Some(d("2023-12-25")),
            ..DeadlineInput::default()
        };
        let timeline = timeline(&input, &sample()).expect("valid");
        let due = |key: &str| timeline.items.iter().find(|i| i.key == key).expect(key).due;
        assert_eq!(due("home_verification"), Some(d("2023-12-28")));
        assert_eq!(due("identification"), Some(d("2024-01-09")));
        assert_eq!(due("village_publicity"), None);
        assert_eq!(due("system_entry"), None);
        let plan = timeline
            .items
            .iter()
            .find(|i| i.key == "assistance_plan")
            .expect("plan");
        assert_eq!(plan.due_if_on_time, Some(d("2024-01-19")));
        assert!(timeline.warnings.is_empty());
    }
}
