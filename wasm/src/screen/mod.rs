//! Village screening: a whole list of households in one sheet (CSV), each row checked as the
//! self-check checks one household.
//!
//! A sheet has a header row naming each column by the case field path (`members`, `hukou`,
//! `income.wages`, `problems`, …; see [`COLUMNS`]); rows above it (the template's row of labels)
//! are not read. The first column whose header is not a field path is the row's label (the
//! cadre's name or number for the household), carried through untouched and never part of the
//! case. Each row below becomes a [`Node`] and is read by the same table as a case file
//! ([`SCHEMA`]), with the spreadsheet's words accepted as the case's values (是/否, 农村/
//! 易地搬迁转城镇/农转非/城镇, `住房;饮水`, `无`); amounts go through the same money parser. Then
//! [`rules::check`] gives the same outcome as `policybook check`. A bad row is reported by row and
//! column and the other rows are still checked.
//!
//! [`encoding`] says which encoding the file's bytes are in; [`csv`] splits the text into
//! records.

pub mod csv;
pub mod encoding;

use crate::input::{Kind, Need, Node};
use crate::rules::case::SCHEMA;
use crate::rules::{self, group_digits, Case, Date, FieldError, Lang, Outcome, Policy};
use crate::vocab::cite_suffix;
use csv::{column_letter, push_record, Record};

/// The label column's header in the template (any header that is not a field path will do).
pub const LABEL_HEADER: &str = "label";

/// The largest sheet read, in bytes of text (a 2,000-household list is about 150 KB).
pub const MAX_SHEET_BYTES: usize = 8 * 1024 * 1024;

/// A column of the sheet: a case field, its name in both languages, what to write (shown in the
/// template's label row) and the template's example.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// The case field path, as the header row names it.
    pub path: &'static str,
    /// Its name in Chinese (messages, the label row).
    pub zh: &'static str,
    /// Its name in English.
    pub en: &'static str,
    /// What to write, in Chinese (the label row, after the name).
    pub write_zh: &'static str,
    /// What to write, in English.
    pub write_en: &'static str,
    /// The example row of the Chinese template.
    pub example_zh: &'static str,
    /// The example row of the English template.
    pub example_en: &'static str,
}

const fn col(
    path: &'static str,
    (zh, en): (&'static str, &'static str),
    (write_zh, write_en): (&'static str, &'static str),
    (example_zh, example_en): (&'static str, &'static str),
) -> Column {
    Column {
        path,
        zh,
        en,
        write_zh,
        write_en,
        example_zh,
        example_en,
    }
}

const YES_NO: (&str, &str) = ("是/否", "yes/no");
const YUAN: (&str, &str) = ("元/年", "yuan a year");

/// The columns a sheet may have, in the template's order: every leaf field of [`SCHEMA`] (a test
/// checks the two agree).
pub const COLUMNS: &[Column] = &[
    col(
        "year",
        ("监测线年份", "year of the line"),
        ("不填为今年", "empty: this year"),
        ("", ""),
    ),
    col(
        "members",
        ("家庭共同生活人口", "household members"),
        ("人", "people"),
        ("4", "4"),
    ),
    col(
        "members_with_labor",
        ("有劳动能力的人数", "members able to work"),
        ("人", "people"),
        ("2", "2"),
    ),
    col(
        "poverty_alleviated",
        ("是否脱贫户", "lifted out of poverty"),
        YES_NO,
        ("否", "no"),
    ),
    col(
        "hukou",
        ("户籍", "registered residence"),
        (
            "农村/易地搬迁转城镇/农转非/城镇",
            "rural/relocated_urban/converted_urban/urban",
        ),
        ("农村", "rural"),
    ),
    col(
        "urban_security",
        ("是否享受城市低保或职工养老保险", "urban allowance or employee pension"),
        ("农转非时填是/否", "converted_urban only: yes/no"),
        ("", ""),
    ),
    col("income.wages", ("工资性收入", "wage income"), YUAN, ("1.2万", "12000")),
    col(
        "income.business",
        ("生产经营性收入", "production and business income"),
        YUAN,
        ("4500", "4500"),
    ),
    col(
        "income.transfers",
        ("转移性收入", "transfer income"),
        YUAN,
        ("2千", "2000"),
    ),
    col("income.property", ("财产性收入", "property income"), YUAN, ("0", "0")),
    col(
        "income.business_costs",
        ("生产经营性支出", "production and business costs"),
        YUAN,
        ("1200", "1200"),
    ),
    col(
        "income.claims",
        ("家庭理赔收入", "household claim payments"),
        YUAN,
        ("", ""),
    ),
    col(
        "expenses.medical",
        ("合规自付医疗支出", "out-of-pocket medical costs"),
        YUAN,
        ("5000", "5000"),
    ),
    col(
        "expenses.education",
        ("合规自付教育支出", "out-of-pocket education costs"),
        YUAN,
        ("", ""),
    ),
    col(
        "expenses.disaster",
        ("灾害或意外事故支出", "disaster or accident spending"),
        YUAN,
        ("", ""),
    ),
    col(
        "problems",
        ("未解决的“三保障”和饮水安全问题", "unresolved problems"),
        (
            "义务教育;基本医疗;住房安全;饮水安全，没有写“无”",
            "education;medical;housing;water, or none",
        ),
        ("住房;饮水", "housing;water"),
    ),
    col(
        "can_resolve_alone",
        ("能否依靠自身力量解决", "can resolve them alone"),
        ("有问题时填是/否", "when there are problems: yes/no"),
        ("否", "no"),
    ),
    col(
        "sudden_hardship",
        ("是否因突发事件基本生活严重困难", "sudden severe hardship"),
        YES_NO,
        ("否", "no"),
    ),
];

/// The label column of the template: (header name in the label row, example), by language.
const LABEL_COLUMN: [(&str, &str); 2] = [
    ("户主姓名或编号（只留在您的电脑上）", "示例：编号001"),
    ("household head or number (stays on your computer)", "Example: no. 001"),
];

/// The words a cell may hold for a case's name (`rural`, `housing`): the case's own names are
/// always accepted as well.
const WORDS: &[(&str, &[&str])] = &[
    ("rural", &["农村", "农村户籍"]),
    ("relocated_urban", &["易地搬迁转城镇", "易地扶贫搬迁转城镇"]),
    ("converted_urban", &["农转非"]),
    ("urban", &["城镇", "城镇户籍"]),
    ("education", &["义务教育", "教育"]),
    ("medical", &["基本医疗", "医疗"]),
    ("housing", &["住房安全", "住房"]),
    ("water", &["饮水安全", "饮水"]),
];

/// An empty list.
const NONE_WORDS: &[&str] = &["无", "没有", "none", "[]"];
/// The separators of a list in one cell.
const LIST_SEPARATORS: &[char] = &[';', '；', '、', ',', '，'];

/// A problem found in a sheet: where (row, column) and the message, which says both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    /// The spreadsheet row, when the problem is in one.
    pub row: Option<usize>,
    /// The column's letter, when the problem is in one.
    pub column: Option<String>,
    /// The field (`hukou`, `problems[1]`), or `sheet` for the whole sheet; the messages begin
    /// with the row and column.
    pub error: FieldError,
}

/// `{"row", "column", "field", "zh", "en"}`: `null` where the problem is in no row or column.
impl crate::json::ToJson for CellError {
    fn write_json(&self, out: &mut String) {
        crate::json::Object::new(out)
            .field("row", &self.row)
            .field("column", &self.column)
            .field("field", &self.error.field)
            .field("zh", &self.error.zh)
            .field("en", &self.error.en)
            .end();
    }
}

/// One household of the sheet and its result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Its spreadsheet row.
    pub row: usize,
    /// The file line it starts on.
    pub line: usize,
    /// The label cell, untouched (empty when the sheet has no label column).
    pub label: String,
    /// The outcome, or every problem of the row.
    pub result: Result<Outcome, Vec<CellError>>,
}

/// A sheet read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// Every household row, in the file's order (blank rows left out).
    pub rows: Vec<Row>,
}

impl Sheet {
    /// How many rows could not be checked.
    pub fn invalid(&self) -> usize {
        self.rows.iter().filter(|r| r.result.is_err()).count()
    }
}

/// Where each column of the header row goes.
struct Header {
    /// The spreadsheet row of the header.
    row: usize,
    /// The label column.
    label: Option<usize>,
    /// (column index, column) of every field column.
    fields: Vec<(usize, &'static Column)>,
}

/// Reads `text` (a decoded CSV file), checks every household row against `policy` on `today`.
/// Problems with the sheet as a whole (no header row, a column named twice or unknown, a required
/// column missing, an unclosed quote) are returned instead; a bad row is a [`Row`] with its
/// errors.
pub fn screen(text: &str, policy: &Policy, today: Date) -> Result<Sheet, Vec<CellError>> {
    if text.len() > MAX_SHEET_BYTES {
        return Err(vec![sheet_error(
            None,
            zh!(format!("文件超过 {} MB；请分成几个文件检查", MAX_SHEET_BYTES >> 20)),
            en!(format!(
                "the file is larger than {} MB; split it into several files",
                MAX_SHEET_BYTES >> 20
            )),
        )]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records = csv::records(text).map_err(|(row, _, zh, en)| vec![sheet_error(Some(row), zh, en)])?;
    let header = header(&records)?;
    let rows: Vec<Row> = records
        .iter()
        .filter(|r| r.row > header.row && !r.is_blank())
        .map(|record| check_row(record, &header, policy, today))
        .collect();
    if rows.is_empty() {
        return Err(vec![sheet_error(
            Some(header.row),
            zh!(format!("第 {} 行是表头，但下面没有填写任何家庭", header.row)),
            en!(format!(
                "row {} is the header, but no household is filled in below it",
                header.row
            )),
        )]);
    }
    Ok(Sheet { rows })
}

fn sheet_error(row: Option<usize>, zh: impl Into<String>, en: impl Into<String>) -> CellError {
    CellError {
        row,
        column: None,
        error: FieldError::new("sheet", zh, en),
    }
}

fn column_of(path: &str) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.path == path)
}

/// Finds the header row: the first row with a cell that is a field path.
fn header(records: &[Record]) -> Result<Header, Vec<CellError>> {
    let Some(record) = records
        .iter()
        .find(|r| r.cells.iter().any(|c| column_of(c.trim()).is_some()))
    else {
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.path).collect();
        return Err(vec![sheet_error(
            None,
            zh!(format!(
                "找不到表头行：表头应写字段名 {}；请按模板填写",
                names.join("、")
            )),
            en!(format!(
                "no header row found: the header names the fields {}; fill in the template",
                names.join(", ")
            )),
        )]);
    };
    let row = record.row;
    let mut errors = Vec::new();
    let mut label = None;
    let mut fields: Vec<(usize, &'static Column)> = Vec::new();
    for (index, cell) in record.cells.iter().enumerate() {
        let name = cell.trim();
        let letter = column_letter(index);
        match column_of(name) {
            Some(column) => {
                if let Some((first, _)) = fields.iter().find(|(_, c)| c.path == column.path) {
                    let first = column_letter(*first);
                    errors.push(sheet_error(
                        Some(row),
                        zh!(format!("第 {row} 行表头：{name} 写了两次（{first} 列和 {letter} 列）；请删去一列")),
                        en!(format!("header row {row}: {name} is named twice (columns {first} and {letter}); delete one")),
                    ));
                } else {
                    fields.push((index, column));
                }
            }
            None if label.is_none() => label = Some(index),
            None if name.is_empty() => {}
            None => errors.push(sheet_error(
                Some(row),
                zh!(format!(
                    "第 {row} 行表头 {letter} 列“{}”不是字段名；备注请写在第一列（户主姓名或编号）里，或删去这一列",
                    rules::clip(name, 40)
                )),
                en!(format!(
                    "header row {row}, column {letter}: '{}' is not a field; put notes in the label column or delete this column",
                    rules::clip(name, 40)
                )),
            )),
        }
    }
    for field in SCHEMA.fields {
        let required = !matches!(field.need, Need::Optional) && !matches!(field.kind, Kind::Group(_));
        if required && !fields.iter().any(|(_, c)| c.path == field.name) {
            let zh_name = column_of(field.name).map_or(field.name, |c| c.zh);
            errors.push(sheet_error(
                Some(row),
                zh!(format!("第 {row} 行表头缺少必填的一列：{}（{zh_name}）", field.name)),
                en!(format!("header row {row} lacks the required column {}", field.name)),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Header { row, label, fields })
    } else {
        Err(errors)
    }
}

/// The kind of a column's field in [`SCHEMA`] (`income.wages` → the group's `wages`).
fn kind_of(path: &str) -> Option<Kind> {
    let (first, rest) = match path.split_once('.') {
        Some((group, leaf)) => (group, Some(leaf)),
        None => (path, None),
    };
    let field = SCHEMA.fields.iter().find(|f| f.name == first)?;
    match (field.kind, rest) {
        (Kind::Group(inner), Some(leaf)) => inner.iter().find(|f| f.name == leaf).map(|f| f.kind),
        (kind, None) => Some(kind),
        _ => None,
    }
}

/// Whether `s` is written as a JSON number (what a [`Node::Number`] holds).
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let ok_int = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && (int == "0" || !int.starts_with('0'));
    ok_int && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A case name written as a cell may write it: the name itself or one of its words.
fn name_for(cell: &str, names: &[&'static str]) -> Option<&'static str> {
    let lower = cell.to_ascii_lowercase();
    names
        .iter()
        .copied()
        .find(|name| *name == lower || WORDS.iter().any(|(n, words)| n == name && words.contains(&cell)))
}

/// The names with their words, for a message: `农村（rural）、…` and `rural (农村), …`.
fn names_listed(names: &[&str]) -> (String, String) {
    let word = |name: &str| WORDS.iter().find(|(n, _)| *n == name).map_or("", |(_, w)| w[0]);
    let zh: Vec<String> = names.iter().map(|n| format!("{}（{n}）", word(n))).collect();
    let en: Vec<String> = names.iter().map(|n| format!("{n} ({})", word(n))).collect();
    (zh.join("、"), en.join(", "))
}

/// A cell's value as the case's value tree, or the message (Chinese, English) saying what to
/// write.
fn cell_node(kind: Kind, cell: &str) -> Result<Node, (String, String)> {
    let shown = rules::clip(cell, 40);
    match kind {
        Kind::Bool => match cell.to_ascii_lowercase().as_str() {
            "是" | "true" | "yes" => Ok(Node::Bool(true)),
            "否" | "false" | "no" => Ok(Node::Bool(false)),
            _ => Err((
                format!("应填“是”或“否”（实际为“{shown}”）"),
                format!("must be yes or no (是 or 否; got '{shown}')"),
            )),
        },
        Kind::Whole { .. } if is_number(cell) => Ok(Node::Number(cell.to_string())),
        Kind::Choice(names) => match name_for(cell, names) {
            Some(name) => Ok(Node::Text(name.to_string())),
            None => {
                let (zh, en) = names_listed(names);
                Err((
                    format!("未知取值“{shown}”；可填：{zh}"),
                    format!("unknown value '{shown}'; write one of: {en}"),
                ))
            }
        },
        Kind::Choices(names) => {
            if NONE_WORDS.contains(&cell.to_ascii_lowercase().as_str()) {
                return Ok(Node::List(Vec::new()));
            }
            let mut items = Vec::new();
            for item in cell.split(LIST_SEPARATORS).map(str::trim).filter(|s| !s.is_empty()) {
                match name_for(item, names) {
                    Some(name) => items.push(Node::Text(name.to_string())),
                    None => {
                        let (zh, en) = names_listed(names);
                        let item = rules::clip(item, 40);
                        return Err((
                            format!("未知的问题“{item}”；可填：{zh}，用“;”分隔，没有写“无”"),
                            format!("unknown problem '{item}'; write {en}, separated by ';', or none"),
                        ));
                    }
                }
            }
            Ok(Node::List(items))
        }
        // Amounts as people type them, numbers that are not written as numbers, dates: the
        // schema reads the text and says what is wrong.
        _ => Ok(Node::Text(cell.to_string())),
    }
}

/// The error of `row` about `field` (a path the schema or the rules name), placed at its column.
fn row_error(row: usize, header: &Header, field: &str, zh: &str, en: &str) -> CellError {
    let path = field.split('[').next().unwrap_or(field);
    let at = header.fields.iter().find(|(_, c)| c.path == path);
    let (column, where_zh, where_en) = match (at, column_of(path)) {
        (Some((index, c)), _) => {
            let letter = column_letter(*index);
            (
                Some(letter.clone()),
                format!("第 {row} 行 {letter} 列（{}）", c.zh),
                format!("row {row}, column {letter} ({})", c.path),
            )
        }
        (None, Some(c)) => (
            None,
            format!("第 {row} 行（{}：表中没有这一列，请加上）", c.zh),
            format!("row {row} ({}: the sheet has no such column; add it)", c.path),
        ),
        (None, None) => (None, format!("第 {row} 行"), format!("row {row}")),
    };
    CellError {
        row: Some(row),
        column,
        error: FieldError::new(
            field,
            zh!(format!("{where_zh}：{zh}")),
            en!(format!("{where_en}: {en}")),
        ),
    }
}

/// Reads one household row and checks it.
fn check_row(record: &Record, header: &Header, policy: &Policy, today: Date) -> Row {
    let row = record.row;
    let cell = |index: usize| record.cells.get(index).map_or("", String::as_str);
    let label = header.label.map(|i| cell(i).to_string()).unwrap_or_default();
    let mut errors = Vec::new();
    // Fields whose cell was refused here, so that the schema does not also call them missing.
    let mut refused: Vec<&str> = Vec::new();
    let mut top: Vec<(String, Node)> = Vec::new();
    let mut groups: Vec<(&str, Vec<(String, Node)>)> = vec![("income", Vec::new())];
    for (index, column) in &header.fields {
        let value = cell(*index).trim();
        if value.is_empty() {
            if SCHEMA
                .fields
                .iter()
                .any(|f| f.name == column.path && f.need != Need::Optional)
            {
                let (zh, en) = if column.path == "problems" {
                    (
                        "不能为空（没有问题请写“无”）",
                        "must not be empty (write none if there are no problems)",
                    )
                } else {
                    ("不能为空，请填写", "must not be empty")
                };
                refused.push(column.path);
                errors.push(row_error(row, header, column.path, zh, en));
            }
            continue;
        }
        let Some(kind) = kind_of(column.path) else { continue };
        match cell_node(kind, value) {
            Ok(node) => match column.path.split_once('.') {
                Some((group, leaf)) => {
                    let pos = match groups.iter().position(|(g, _)| *g == group) {
                        Some(pos) => pos,
                        None => {
                            groups.push((group, Vec::new()));
                            groups.len() - 1
                        }
                    };
                    groups[pos].1.push((leaf.to_string(), node));
                }
                None => top.push((column.path.to_string(), node)),
            },
            Err((zh, en)) => {
                refused.push(column.path);
                errors.push(row_error(row, header, column.path, &zh, &en));
            }
        }
    }
    // A value in a column without a header is not silently dropped.
    let width = header
        .fields
        .iter()
        .map(|(i, _)| i + 1)
        .chain(header.label.map(|i| i + 1))
        .max()
        .unwrap_or(0);
    for (index, value) in record.cells.iter().enumerate().skip(width) {
        if !value.trim().is_empty() && !header.fields.iter().any(|(i, _)| *i == index) {
            let letter = column_letter(index);
            errors.push(CellError {
                row: Some(row),
                column: Some(letter.clone()),
                error: FieldError::new(
                    "sheet",
                    zh!(format!(
                        "第 {row} 行 {letter} 列有内容，但这一列没有表头；请删去或加上表头"
                    )),
                    en!(format!(
                        "row {row}, column {letter} has a value but no header; delete it or name the column"
                    )),
                ),
            });
        }
    }
    for (group, pairs) in groups {
        top.push((group.to_string(), Node::Map(pairs)));
    }
    let mapped = |found: Vec<FieldError>| -> Vec<CellError> {
        found
            .into_iter()
            .filter(|e| !refused.contains(&e.field.split('[').next().unwrap_or(&e.field)))
            .map(|e| row_error(row, header, &e.field, &e.zh, &e.en))
            .collect()
    };
    let result = match SCHEMA.read(&Node::Map(top), Case::validate) {
        Ok(case) if errors.is_empty() => rules::check(&case, policy, today).map_err(mapped),
        Ok(_) => Err(Vec::new()),
        Err(found) => Err(mapped(found)),
    };
    let result = result.map_err(|mut found| {
        errors.append(&mut found);
        // In the sheet's order, left to right; problems of no column last.
        errors.sort_by_key(|e| {
            e.column
                .as_ref()
                .map_or((usize::MAX, String::new()), |c| (c.len(), c.clone()))
        });
        errors
    });
    Row {
        row,
        line: record.line,
        label,
        result,
    }
}

/// The template to fill in, in `lang`: a row of labels (name and what to write), the header row
/// of field paths, and an example row. It starts with a UTF-8 byte-order mark, so that Excel
/// opens it as UTF-8.
pub fn template(lang: Lang) -> String {
    let (label, example) = match lang {
        Lang::Zh => LABEL_COLUMN[0],
        Lang::En => LABEL_COLUMN[1],
    };
    let mut out = String::from("\u{feff}");
    let labels: Vec<String> = COLUMNS
        .iter()
        .filter(|c| c.path != "year")
        .map(|c| match lang {
            Lang::Zh => format!("{}（{}）", c.zh, c.write_zh),
            Lang::En => format!("{} ({})", c.en, c.write_en),
        })
        .collect();
    push_record(
        &mut out,
        std::iter::once(label).chain(labels.iter().map(String::as_str)),
    );
    let paths = COLUMNS.iter().filter(|c| c.path != "year").map(|c| c.path);
    push_record(&mut out, std::iter::once(LABEL_HEADER).chain(paths));
    let examples = COLUMNS.iter().filter(|c| c.path != "year").map(|c| match lang {
        Lang::Zh => c.example_zh,
        Lang::En => c.example_en,
    });
    push_record(&mut out, std::iter::once(example).chain(examples));
    out
}

/// Where a row is, for a reader: `第 5 行` / `row 5`, with its label.
fn row_name(row: &Row, lang: Lang) -> String {
    match (lang, row.label.trim().is_empty()) {
        (Lang::Zh, true) => format!("第 {} 行", row.row),
        (Lang::Zh, false) => format!("第 {} 行 {}", row.row, row.label),
        (Lang::En, true) => format!("row {}", row.row),
        (Lang::En, false) => format!("row {} {}", row.row, row.label),
    }
}

/// A checked row in one line for a terminal: where, the result, review, the income against the
/// line, the questions cited. `None` for a row with errors.
pub fn render_row(row: &Row, lang: Lang) -> Option<String> {
    let o = row.result.as_ref().ok()?;
    let cites = cites_of(o);
    let (review, income) = match lang {
        Lang::Zh => (
            if o.review_needed {
                "需要村里研判评议"
            } else {
                "无需评议"
            },
            format!(
                "人均纯收入 {} 元，监测线 {} 元",
                group_digits(o.per_capita_net_income),
                group_digits(o.monitoring_line)
            ),
        ),
        Lang::En => (
            if o.review_needed {
                "village review needed"
            } else {
                "no review needed"
            },
            format!(
                "per-capita net income {} yuan, line {} yuan",
                group_digits(o.per_capita_net_income),
                group_digits(o.monitoring_line)
            ),
        ),
    };
    let sep = if lang == Lang::Zh { "：" } else { ": " };
    Some(format!(
        "{}{sep}{} · {review} · {income}{}",
        row_name(row, lang),
        o.label.get(lang),
        cite_suffix(&cites, lang)
    ))
}

/// The questions the reasons of `outcome` cite, each once, in the guide's order.
pub fn cites_of(outcome: &Outcome) -> Vec<u8> {
    let mut out: Vec<u8> = outcome.reasons.iter().flat_map(|r| r.cites.iter().copied()).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The results as a sheet, in `lang`, one row per household in the file's order: row, label,
/// result, review, per-capita net income, line, questions, reasons, errors. With a UTF-8
/// byte-order mark, for Excel.
pub fn results_csv(sheet: &Sheet, lang: Lang) -> String {
    let headers: [&str; 9] = match lang {
        Lang::Zh => [
            "行号",
            "户主姓名或编号",
            "可能的结果",
            "需要村里研判评议",
            "人均纯收入（元/人·年）",
            "监测线（元/人·年）",
            "依据",
            "理由",
            "错误",
        ],
        Lang::En => [
            "row",
            "household",
            "likely result",
            "village review needed",
            "per-capita net income (yuan per person per year)",
            "monitoring line (yuan per person per year)",
            "questions",
            "reasons",
            "errors",
        ],
    };
    let mut out = String::from("\u{feff}");
    push_record(&mut out, headers);
    for row in &sheet.rows {
        let number = row.row.to_string();
        let cells: Vec<String> = match &row.result {
            Ok(o) => {
                let cites = cites_of(o);
                let cites = match lang {
                    Lang::Zh if !cites.is_empty() => rules::cites_zh(&cites),
                    Lang::En => rules::cites_en(&cites),
                    _ => String::new(),
                };
                let reasons: Vec<String> = o
                    .reasons
                    .iter()
                    .map(|n| format!("{}{}", n.text(lang), cite_suffix(&n.cites, lang)))
                    .collect();
                let yes_no = match (lang, o.review_needed) {
                    (Lang::Zh, true) => "是",
                    (Lang::Zh, false) => "否",
                    (Lang::En, true) => "yes",
                    (Lang::En, false) => "no",
                };
                vec![
                    o.label.get(lang).to_string(),
                    yes_no.to_string(),
                    o.per_capita_net_income.to_string(),
                    o.monitoring_line.to_string(),
                    cites,
                    reasons.join("\n"),
                    String::new(),
                ]
            }
            Err(errors) => {
                let mut cells = vec![String::new(); 6];
                cells.push(
                    errors
                        .iter()
                        .map(|e| e.error.message(lang))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                cells
            }
        };
        push_record(
            &mut out,
            [number.as_str(), row.label.as_str()]
                .into_iter()
                .chain(cells.iter().map(String::as_str)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../content/policy.yaml");
        let text = std::fs::read_to_string(path).expect("content/policy.yaml");
        let value: serde_json::Value = serde_yaml::from_str(&text).expect("yaml");
        crate::input::from_json_text(&value.to_string(), "policy", ("", "")).expect("policy")
    }

    fn today() -> Date {
        Date::new(2023, 6, 1).expect("date")
    }

    const HEAD: &str = "label,members,members_with_labor,poverty_alleviated,hukou,income.wages,problems,can_resolve_alone,sudden_hardship\n";

    fn run(body: &str) -> Sheet {
        screen(&format!("{HEAD}{body}"), &policy(), today()).expect("sheet")
    }

    fn errors(row: &Row) -> Vec<(Option<&str>, &str, &str)> {
        row.result
            .as_ref()
            .expect_err("invalid row")
            .iter()
            .map(|e| (e.column.as_deref(), e.error.field.as_str(), e.error.en.as_str()))
            .collect()
    }

    #[test]
    fn the_columns_are_the_schema_s_leaf_fields() {
        let mut leaves = Vec::new();
        for field in SCHEMA.fields {
            match field.kind {
                Kind::Group(inner) => leaves.extend(inner.iter().map(|f| format!("{}.{}", field.name, f.name))),
                _ => leaves.push(field.name.to_string()),
            }
        }
        let columns: Vec<String> = COLUMNS.iter().map(|c| c.path.to_string()).collect();
        assert_eq!(columns, leaves);
        assert!(COLUMNS.iter().all(|c| kind_of(c.path).is_some()));
    }

    #[test]
    fn a_row_gives_the_outcome_of_the_same_case() {
        // The sheet's words and the case's names give the same case, hence the same outcome.
        let sheet =
            run("张三,4,2,否,农村,1.2万,住房；饮水,否,否\nLi,4,2,false,rural,12000,housing;water,false,false\n");
        let case = Case::from_json(
            r#"{"members":4,"members_with_labor":2,"poverty_alleviated":false,"hukou":"rural",
                "income":{"wages":12000},"problems":["housing","water"],"can_resolve_alone":false,
                "sudden_hardship":false}"#,
        )
        .expect("case");
        let expected = rules::check(&case, &policy(), today()).expect("outcome");
        assert_eq!(sheet.rows.len(), 2);
        for row in &sheet.rows {
            assert_eq!(row.result.as_ref().ok(), Some(&expected), "row {}", row.row);
        }
        assert_eq!((sheet.rows[0].row, sheet.rows[0].label.as_str()), (2, "张三"));
        assert_eq!(sheet.invalid(), 0);
    }

    #[test]
    fn a_bad_row_is_named_by_row_and_column_and_the_others_are_checked() {
        let sheet = run("a,4,2,否,农村,3000,无,,否\nb,4,2,也许,乡下,\"9,00\",无,,否\nc,1,0,是,城镇,0,无,,否\n");
        assert!(sheet.rows[0].result.is_ok());
        assert!(sheet.rows[2].result.is_ok());
        let bad = &sheet.rows[1];
        assert_eq!(bad.row, 3);
        let got = errors(bad);
        let at: Vec<(Option<&str>, &str)> = got.iter().map(|(c, f, _)| (*c, *f)).collect();
        // The words refused here first, then what the case's table refuses (an amount that could
        // be 900 or 9,000).
        assert_eq!(
            at,
            vec![
                (Some("D"), "poverty_alleviated"),
                (Some("E"), "hukou"),
                (Some("F"), "income.wages")
            ]
        );
        assert!(
            got[0]
                .2
                .starts_with("row 3, column D (poverty_alleviated): must be yes or no"),
            "{}",
            got[0].2
        );
        assert!(got[1].2.contains("rural (农村)"), "{}", got[1].2);
        let zh = &bad.result.as_ref().expect_err("bad")[0].error.zh;
        assert!(zh.starts_with("第 3 行 D 列（是否脱贫户）：应填“是”或“否”"), "{zh}");
    }

    #[test]
    fn the_rules_checks_together_are_named_too() {
        // More workers than members (the struct's check), and a schema bound (members ≥ 1).
        let sheet = run("a,2,3,否,农村,0,无,,否\nb,0,0,否,农村,0,无,,否\n");
        assert_eq!(errors(&sheet.rows[0]), vec![(Some("C"), "members_with_labor", "row 2, column C (members_with_labor): members able to work (3) cannot exceed the members of the household (2)")]);
        assert_eq!(errors(&sheet.rows[1])[0].1, "members");
        // can_resolve_alone left empty when there is a problem.
        let sheet = run("a,2,1,否,农村,0,住房,,否\n");
        assert_eq!(errors(&sheet.rows[0])[0].0, Some("H"));
    }

    #[test]
    fn an_empty_required_cell_is_an_error_never_a_default() {
        let sheet = run("a,,2,否,农村,0,,,\n");
        let got = errors(&sheet.rows[0]);
        let fields: Vec<&str> = got.iter().map(|(_, f, _)| *f).collect();
        assert_eq!(fields, vec!["members", "problems", "sudden_hardship"]);
        assert!(got[1].2.contains("write none"), "{}", got[1].2);
        // An empty amount is 0, as in the form and a case file.
        let sheet = run("a,1,1,否,农村,,none,,否\n");
        let o = sheet.rows[0].result.as_ref().expect("valid");
        assert_eq!(o.per_capita_net_income, 0);
    }

    #[test]
    fn reads_lists_with_every_separator() {
        for cell in [
            "住房;饮水",
            "住房；饮水",
            "住房、饮水",
            "\"housing, water\"",
            "住房安全，饮水安全",
        ] {
            let sheet = run(&format!("a,2,1,否,农村,0,{cell},否,否\n"));
            assert!(sheet.rows[0].result.is_ok(), "{cell}: {:?}", sheet.rows[0].result);
        }
        let sheet = run("a,2,1,否,农村,0,住房;住房,否,否\n");
        assert_eq!(errors(&sheet.rows[0])[0].1, "problems[1]");
        let sheet = run("a,2,1,否,农村,0,住房;吃饭,否,否\n");
        assert!(errors(&sheet.rows[0])[0].2.contains("unknown problem '吃饭'"));
    }

    #[test]
    fn the_label_is_carried_untouched_and_rows_above_the_header_are_not_read() {
        let text = format!("户主,人口\n{HEAD}\"  王 五,二组 \",1,1,否,农村,0,无,,否\n,,,,,,,,\n");
        let sheet = screen(&text, &policy(), today()).expect("sheet");
        assert_eq!(sheet.rows.len(), 1, "the blank row is left out");
        assert_eq!((sheet.rows[0].row, sheet.rows[0].label.as_str()), (3, "  王 五,二组 "));
        // Without a label column, rows have an empty label.
        let text = "members,members_with_labor,poverty_alleviated,hukou,problems,sudden_hardship\n1,0,否,农村,无,否\n";
        let sheet = screen(text, &policy(), today()).expect("sheet");
        assert_eq!(sheet.rows[0].label, "");
    }

    #[test]
    fn problems_of_the_whole_sheet() {
        let en = |text: &str| -> Vec<String> {
            screen(text, &policy(), today())
                .expect_err("refused")
                .into_iter()
                .map(|e| e.error.en)
                .collect()
        };
        assert!(en("姓名,人口\n张三,4\n")[0].starts_with("no header row found"));
        let got = en("label,members,note,members,hukou\n");
        assert_eq!(
            got[0],
            "header row 1, column C: 'note' is not a field; put notes in the label column or delete this column"
        );
        assert_eq!(
            got[1],
            "header row 1: members is named twice (columns B and D); delete one"
        );
        assert!(got
            .iter()
            .any(|e| e == "header row 1 lacks the required column sudden_hardship"));
        assert_eq!(
            en(HEAD),
            vec!["row 1 is the header, but no household is filled in below it"]
        );
        assert!(en(&format!("{HEAD}\"a,1"))[0].contains("never closed"));
    }

    #[test]
    fn a_value_beyond_the_header_is_not_dropped() {
        let sheet = run("a,1,1,否,农村,0,无,,否,,extra\n");
        assert_eq!(errors(&sheet.rows[0])[0].0, Some("K"));
    }

    #[test]
    fn the_template_is_a_valid_sheet_in_both_languages() {
        for lang in Lang::ALL {
            let text = template(lang);
            assert!(text.starts_with('\u{feff}'));
            let sheet = screen(&text, &policy(), today()).expect("template");
            assert_eq!(sheet.rows.len(), 1);
            assert_eq!(sheet.rows[0].row, 3, "labels, header, example");
            let o = sheet.rows[0].result.as_ref().expect("the example is valid");
            // 12,000 + 4,500 + 2,000 − 1,200 = 17,300 for 4 people.
            assert_eq!(o.per_capita_net_income, 4325);
        }
        assert!(template(Lang::Zh).contains("户籍（农村/易地搬迁转城镇/农转非/城镇）"));
        assert!(template(Lang::En).contains("Example: no. 001"));
    }

    #[test]
    fn the_results_sheet_has_a_row_per_household() {
        let sheet = run("张三,4,2,否,农村,1.2万,住房,否,否\n李四,x,2,否,农村,0,无,,否\n");
        let text = results_csv(&sheet, Lang::Zh);
        let records = csv::records(text.trim_start_matches('\u{feff}')).expect("csv");
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].cells[0], "行号");
        let first = &records[1].cells;
        assert_eq!((first[0].as_str(), first[1].as_str()), ("2", "张三"));
        assert_eq!(first[2], sheet.rows[0].result.as_ref().expect("ok").label.zh);
        assert_eq!(first[4], "3000");
        assert!(first[7].contains("第"), "{}", first[7]);
        let second = &records[2].cells;
        assert!(second[8].starts_with("第 3 行 B 列"), "{}", second[8]);
        let en = results_csv(&sheet, Lang::En);
        assert!(en.contains("village review needed"));
        assert!(render_row(&sheet.rows[0], Lang::En)
            .expect("valid")
            .starts_with("row 2 张三: "));
        assert_eq!(render_row(&sheet.rows[1], Lang::Zh), None);
    }
}
