//! The thin JSON-in, JSON-out boundary that the wasm exports wrap, testable natively.
//!
//! Every function takes and returns strings and never panics: bad input comes back as
//! `{"error": {"field", "zh", "en"}, "errors": [...]}` (`error` is the first of `errors`).

// =============================================================================================
// Eligibility self-check (rules)
// =============================================================================================

use crate::input::{from_json_text, FromNode, Node};
use crate::json::{self, Object, ToJson};
use crate::rules::case::asks_can_resolve_alone;
use crate::rules::identify::{household_net_income, per_capita};
use crate::rules::{self, Case, CheckOptions, Date, FieldError, Hukou, Income, Policy, Problem};

// Written by the engine's own writer (`json`), as serde_json wrote them before: the page engines
// are built without serde. Objects built from several values list their keys in alphabetical
// order, as `serde_json::json!` did.

/// Checks a case. `case_json` is a case (the format of tests/cases/README.md), `policy_json` the policy data
/// (content/policy.yaml converted to JSON by the build), `today` the date `YYYY-MM-DD`.
/// Returns the outcome as JSON, or the errors.
pub fn check_json(case_json: &str, policy_json: &str, today: &str) -> String {
    check_json_opts(case_json, policy_json, today, "")
}

/// As [`check_json`], with options: `{"line_yuan": 6500}` replaces the line by a figure the user
/// entered; an empty string means no options.
pub fn check_json_opts(case_json: &str, policy_json: &str, today: &str, options_json: &str) -> String {
    let run = || -> Result<rules::Outcome, Vec<FieldError>> {
        let policy = parse_policy(policy_json)?;
        let today = parse_today(today)?;
        let options = parse_options(options_json)?;
        let case = Case::from_json(case_json)?;
        rules::check_with(&case, &policy, today, &options)
    };
    result_json(run())
}

/// Validates a case alone, for inline validation in the form: `{"ok": true}` or the errors.
pub fn validate_case_json(case_json: &str) -> String {
    ok_json(Case::from_json(case_json))
}

/// What the engine says of a case still being filled in, so that the form asks only what applies
/// and shows a running total: which conditional questions the answers so far call for
/// (`urban_security` for the registrations that need it, `can_resolve_alone` once a problem is
/// ticked), the household net income of the components given (Q12, the total behind per-capita
/// net income) and, once `members` is known, the same per person. `case_json` is the form's
/// partial case: any of its fields may be missing; amounts are whole yuan, already read by
/// [`parse_money_json`]. `{"asks": {"can_resolve_alone": bool, "urban_security": bool},
/// "net_income": n, "per_capita_net_income": n | null}`, or the errors (field `case`, `hukou`,
/// `problems` or `income`).
pub fn case_draft_json(case_json: &str) -> String {
    let run = || -> Result<Draft, Vec<FieldError>> {
        let Node::Map(pairs) = Node::parse_json(case_json, "case").map_err(|e| vec![e])? else {
            return Err(vec![FieldError::new(
                "case",
                zh!("测评内容应当是一组字段"),
                en!("the answers must be a set of fields"),
            )]);
        };
        let part = |name: &str| {
            pairs
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, node)| node.clone())
                .filter(|node| *node != Node::Null)
        };
        let invalid = |name: &'static str| {
            move |err: String| {
                vec![FieldError::new(
                    name,
                    zh!(format!("{name} 无法读取：{err}")),
                    en!(format!("{name} cannot be read: {err}")),
                )]
            }
        };
        let hukou = part("hukou")
            .map(Hukou::from_node)
            .transpose()
            .map_err(invalid("hukou"))?;
        let problems = part("problems")
            .map(Vec::<Problem>::from_node)
            .transpose()
            .map_err(invalid("problems"))?
            .unwrap_or_default();
        let income = part("income")
            .map(Income::from_node)
            .transpose()
            .map_err(invalid("income"))?
            .unwrap_or_default();
        let members = part("members").and_then(|m| u32::from_node(m).ok()).filter(|m| *m >= 1);
        let net = household_net_income(&income);
        Ok(Draft {
            asks: Asks {
                can_resolve_alone: asks_can_resolve_alone(&problems),
                urban_security: hukou.is_some_and(Hukou::asks_urban_security),
            },
            net_income: i64::try_from(net).unwrap_or(i64::MAX),
            per_capita_net_income: members.map(|m| per_capita(net, m)),
        })
    };
    result_json(run())
}

/// The answer of [`case_draft_json`].
struct Draft {
    asks: Asks,
    net_income: i64,
    per_capita_net_income: Option<i64>,
}
json::json_object!(Draft {
    asks,
    net_income,
    per_capita_net_income
});

/// Which conditional questions a draft calls for.
struct Asks {
    can_resolve_alone: bool,
    urban_security: bool,
}
json::json_object!(Asks {
    can_resolve_alone,
    urban_security
});

/// Reads an amount of money as people type it (`9000`, `9,000`, `９０００`, `9千`, `0.9万`,
/// `9 千元`, `1.2万元`; see [`crate::input::money`]) for the form to echo before use:
/// `{"en": "9,000 yuan", "yuan": 9000, "zh": "9,000 元"}`, or the errors (field `amount`) with a
/// message saying what to write instead — never a different amount.
pub fn parse_money_json(text: &str) -> String {
    match crate::input::parse_money(text) {
        Ok(yuan) => {
            let echo = crate::input::echo(yuan);
            let mut out = String::new();
            Object::new(&mut out)
                .field("en", &echo.en)
                .field("yuan", &yuan)
                .field("zh", &echo.zh)
                .end();
            out
        }
        Err(message) => errors_json(&[FieldError::new("amount", message.zh, message.en)]),
    }
}

/// The data the form shows before a check: the line in force on `today` (year, yuan,
/// provisional, effective, source, derivation, stale), the local rural average and the time
/// limits. Errors as for [`check_json`].
pub fn policy_summary_json(policy_json: &str, today: &str) -> String {
    let run = || -> Result<String, Vec<FieldError>> {
        let policy = parse_policy(policy_json)?;
        let today = parse_today(today)?;
        let choice = policy.line_for(None, today).map_err(|e| vec![e])?;
        let entry = choice.entry;
        let derivation = entry.derivation.as_ref().map(|en| Derivation {
            zh: entry.derivation_zh.as_ref().unwrap_or(en),
            en,
        });
        let years: Vec<i32> = policy.monitoring_lines.iter().map(|l| l.year).collect();
        let mut out = String::new();
        Object::new(&mut out)
            .field("derivation", &derivation)
            .field("effective", &entry.effective)
            .field("monitoring_line", &entry.yuan)
            .field("provisional", &entry.provisional)
            .field("rural_average", &policy.rural_average)
            .field("source", &entry.sources())
            .field("stale", &choice.stale)
            .field("time_limits", &policy.time_limits)
            .field("year", &entry.year)
            .field("years", &years)
            .end();
        Ok(out)
    };
    match run() {
        Ok(out) => out,
        Err(errors) => errors_json(&errors),
    }
}

/// A derivation in both languages, keys in alphabetical order.
struct Derivation<'a> {
    zh: &'a str,
    en: &'a str,
}

json::json_object!(Derivation<'_> { en, zh });

fn parse_policy(policy_json: &str) -> Result<Policy, Vec<FieldError>> {
    let policy: Policy = from_json_text(policy_json, "policy", ("政策数据", "the policy data")).map_err(|e| vec![e])?;
    let problems = policy.validate();
    if problems.is_empty() {
        Ok(policy)
    } else {
        Err(problems.iter().map(|p| p.to_field_error()).collect())
    }
}

fn parse_today(today: &str) -> Result<Date, Vec<FieldError>> {
    Date::parse(today).map_err(|err| {
        vec![FieldError::new(
            "today",
            zh!(format!("今天的日期应为 YYYY-MM-DD：{err}")),
            en!(format!("today's date must be YYYY-MM-DD: {err}")),
        )]
    })
}

fn parse_options(options_json: &str) -> Result<CheckOptions, Vec<FieldError>> {
    if options_json.trim().is_empty() {
        return Ok(CheckOptions::default());
    }
    CheckOptions::from_json(options_json)
}

/// A result as JSON, or its errors.
fn result_json<T: ToJson>(result: Result<T, Vec<FieldError>>) -> String {
    match result {
        Ok(value) => json::to_string(&value),
        Err(errors) => errors_json(&errors),
    }
}

/// `{"ok":true}`, or the errors.
fn ok_json<T>(result: Result<T, Vec<FieldError>>) -> String {
    match result {
        Ok(_) => String::from(r#"{"ok":true}"#),
        Err(errors) => errors_json(&errors),
    }
}

fn errors_json(errors: &[FieldError]) -> String {
    let first = errors
        .first()
        .cloned()
        .unwrap_or_else(|| FieldError::new("case", zh!("输入有误"), en!("the input is invalid")));
    let mut out = String::new();
    Object::new(&mut out)
        .field("error", &first)
        .field("errors", &errors)
        .end();
    out
}

// =============================================================================================
// Search: the shape of `policybook search --json` and of the page's search results
// =============================================================================================

/// Runs `query` on `index` and returns
/// `{"results":[{"number":24,"title":"…","snippet":"…","url":"/zh/q/24/","score":1.0}]}`,
/// best first, at most `limit` results. `number` is `null` for pages that are not one of the
/// guide's items; `title` is plain text (insert it as text); `snippet` is escaped HTML with
/// `<mark>` around the matches; `score` is relative to the best hit, rounded to three decimals.
/// Never fails: an empty, huge or binary query gives `{"results":[]}`.
///
/// A chunked index that lacks chunks for this query answers `{"need":["search/zh-…/t3.js",…]}`
/// instead: the scripts to load (paths relative to the site's root) before asking again.
pub fn search_json(index: &crate::search::Index, query: &str, limit: usize) -> String {
    // Written by hand, exactly as serde_json would write it (see `search::wire`): this runs in the
    // page's search engine, which is smaller without serde_json.
    use crate::json::{push_str, push_uint};
    use crate::search::wire::{push_strs, push_thousandths};
    let hits = match index.search(query, limit) {
        crate::search::Answer::Hits(hits) => hits,
        crate::search::Answer::Need(paths) => {
            let mut out = String::from(r#"{"need":"#);
            push_strs(&mut out, &paths);
            out.push('}');
            return out;
        }
    };
    let mut out = String::from(r#"{"results":["#);
    for (i, hit) in hits.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"number":"#);
        match hit.number {
            Some(n) => push_uint(&mut out, u64::from(n)),
            None => out.push_str("null"),
        }
        out.push_str(r#","title":"#);
        push_str(&mut out, &hit.title);
        out.push_str(r#","snippet":"#);
        push_str(&mut out, &hit.snippet);
        out.push_str(r#","url":"#);
        push_str(&mut out, &hit.url);
        out.push_str(r#","score":"#);
        let thousandths = (hit.score * 1000.0).round();
        if thousandths.is_finite() {
            // |score| <= 1 in practice; the cast saturates for anything else.
            push_thousandths(&mut out, thousandths as i64);
        } else {
            out.push_str("null");
        }
        out.push_str(r#","hl":"#);
        push_str(&mut out, &hit.hl);
        out.push('}');
    }
    out.push_str("]}");
    out
}

// =============================================================================================
// Cadre tools: risk-elimination check, procedure deadlines, privacy check for notices
// =============================================================================================

/// Checks whether a monitored household can be proposed for risk elimination (Q25–Q29, Q31;
/// procedure Q37). `case_json` is an elimination case (see [`crate::rules::elimination`]),
/// `policy_json` the policy data, `today` `YYYY-MM-DD` (chooses the line in force). Returns
/// `{"eligible", "verdict": "can_propose"|"not_yet"|"not_applicable", "label", "year",
/// "monitoring_line", "line_provisional", "line_effective", "line_source",
/// "per_capita_net_income", "months_required", "safety_net_household", "reasons":[{key, met,
/// cites, zh, en}], "next_steps":[{cites, zh, en}], "warnings":[…]}`, or the errors.
pub fn elimination_json(case_json: &str, policy_json: &str, today: &str) -> String {
    let run = || -> Result<rules::elimination::EliminationOutcome, Vec<FieldError>> {
        let policy = parse_policy(policy_json)?;
        let today = parse_today(today)?;
        let case = rules::elimination::EliminationCase::from_json(case_json)?;
        rules::elimination::check_elimination(&case, &policy, today)
    };
    result_json(run())
}

/// Validates an elimination case alone, for inline validation in the form: `{"ok": true}` or the
/// errors.
pub fn validate_elimination_json(case_json: &str) -> String {
    ok_json(rules::elimination::EliminationCase::from_json(case_json))
}

/// The procedure timeline (Q23, Q24, Q33, Q34, Q36). `input_json` is
/// `{"risk_found": "YYYY-MM-DD"}` and/or `{"green_channel_entry": "YYYY-MM-DD"}`, optionally with
/// `county_approval` and `publicity_start`; `policy_json` the policy data (the amounts come from
/// its `time_limits`). Returns `{"counting": {zh, en}, "items": [{key, track, from_field, from,
/// amount, unit, due, due_if_on_time, cites, zh, en, quote}], "warnings": [...]}` (`due` is
/// `null` for a step that cannot be dated from the input; its text says why), or the errors.
pub fn deadlines_json(input_json: &str, policy_json: &str) -> String {
    let run = || -> Result<rules::deadlines::Timeline, Vec<FieldError>> {
        let policy = parse_policy(policy_json)?;
        let input = rules::deadlines::DeadlineInput::from_json(input_json)?;
        rules::deadlines::timeline(&input, &policy)
    };
    result_json(run())
}

/// The privacy check of a notice (Q38). `text` is the notice; `words_json` the list of health
/// words (`content/sensitive-words.yaml` converted to JSON by the build, like the policy data).
/// Returns `{"found": bool, "counts": {"mobile": 1, …}, "findings": [{kind, start, end,
/// byte_start, byte_end, utf16_start, utf16_end, line, column, text, masked, category?, reason:
/// {zh, en}, cites: [38]}], "masked": "…", "summary": {zh, en}}` — offsets in characters, UTF-8
/// bytes and UTF-16 units (JavaScript indices), ends exclusive — or the errors of the word list
/// (fields `sensitive_words…`).
pub fn redact_json(text: &str, words_json: &str) -> String {
    result_json(crate::redact::WordList::from_json(words_json).map(|words| crate::redact::redact(text, &words)))
}

// =============================================================================================
// Village screening: a sheet of households
// =============================================================================================

/// Screens a sheet (`sheet_text`: a decoded CSV file, see [`crate::screen`]) against the policy
/// data on `today`. Returns `{"rows":[ROW,…]}`, one per household row in the file's order, each a
/// [`screen_row_json`]; or, when the sheet as a whole cannot be read, the errors
/// (`{"error", "errors"}`, field `sheet` or that of the policy data, messages naming the row).
pub fn screen_json(sheet_text: &str, policy_json: &str, today: &str) -> String {
    match screen(sheet_text, policy_json, today) {
        Ok(sheet) => {
            let mut out = String::from(r#"{"rows":["#);
            for (i, row) in sheet.rows.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&screen_row_json(row));
            }
            out.push_str("]}");
            out
        }
        Err(errors) => errors_json(&errors),
    }
}

/// The results of [`screen_json`] as a CSV sheet in `lang` (`zh`, `en`; see
/// [`crate::screen::results_csv`]), or the same errors as JSON (starting `{`; a sheet starts with
/// a byte-order mark).
pub fn screen_results_csv(sheet_text: &str, policy_json: &str, today: &str, lang: &str) -> String {
    let lang = crate::vocab::Lang::parse(lang).unwrap_or_default();
    match screen(sheet_text, policy_json, today) {
        Ok(sheet) => crate::screen::results_csv(&sheet, lang),
        Err(errors) => errors_json(&errors),
    }
}

/// One screened row: `{"row", "line", "row_label", …}` (the spreadsheet row, the file line, the
/// label cell untouched) followed by the fields of the outcome exactly as `check --json` gives them, or by `"errors":[{"row", "column", "field", "zh", "en"}]`
/// (`column` is the letter, or `null`; the messages begin with the row and column). The command
/// line's `check --batch --json` prints one per line.
pub fn screen_row_json(row: &crate::screen::Row) -> String {
    let mut out = String::new();
    let mut object = Object::new(&mut out);
    object
        .field("row", &row.row)
        .field("line", &row.line)
        .field("row_label", &row.label);
    match &row.result {
        Ok(outcome) => object.flatten(outcome),
        Err(errors) => object.field("errors", errors),
    };
    object.end();
    out
}

fn screen(sheet_text: &str, policy_json: &str, today: &str) -> Result<crate::screen::Sheet, Vec<FieldError>> {
    let policy = parse_policy(policy_json)?;
    let today = parse_today(today)?;
    crate::screen::screen(sheet_text, &policy, today).map_err(|errors| errors.into_iter().map(|e| e.error).collect())
}
