//! CSV as RFC 4180 writes it and spreadsheets save it: records of comma-separated cells, a cell
//! in double quotes may hold commas, quotes (doubled) and line breaks; records end with CRLF, LF
//! or a lone CR. Each record keeps its spreadsheet row (records counted from 1, blank ones
//! included) and the file line it starts on, for messages.

/// The most records a sheet may have: a village list is hundreds of households, a township's a
/// few thousand; past this the sheet is refused rather than checked for minutes.
pub const MAX_RECORDS: usize = 20_000;
/// The most columns a record may have (the template has 18).
pub const MAX_COLUMNS: usize = 200;

/// One record of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Its row in a spreadsheet, from 1.
    pub row: usize,
    /// The line of the file it starts on, from 1 (differs from `row` after a cell with a line
    /// break).
    pub line: usize,
    /// Its cells, as written (quotes removed, `""` read as `"`).
    pub cells: Vec<String>,
}

impl Record {
    /// Whether every cell is empty or spaces (a row a spreadsheet saved without content).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// Why a text is not a sheet: (row, line, Chinese, English).
pub type CsvError = (usize, usize, String, String);

/// Splits `text` into records. An unclosed quote, too many records or columns are refused with
/// the row and line where the problem starts.
pub fn records(text: &str) -> Result<Vec<Record>, CsvError> {
    let mut out = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let (mut row, mut line, mut start_line) = (1usize, 1usize, 1usize);
    let mut quoted = false;
    // Where the open quote is, for the message when it never closes.
    let mut quote_line = 0usize;
    let mut chars = text.chars().peekable();
    let mut record_has_content = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\r' | '\n' => {
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            // A quote opens a quoted cell only at its start; elsewhere it is text (what
            // spreadsheets do with `5"`).
            '"' if cell.is_empty() => {
                quoted = true;
                quote_line = line;
                record_has_content = true;
            }
            ',' => {
                cells.push(std::mem::take(&mut cell));
                record_has_content = true;
                if cells.len() >= MAX_COLUMNS {
                    return Err((
                        row,
                        start_line,
                        format!("第 {row} 行的列数超过 {MAX_COLUMNS} 列；请检查是否选错了文件"),
                        format!("row {row} has more than {MAX_COLUMNS} columns; check that this is the right file"),
                    ));
                }
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                cells.push(std::mem::take(&mut cell));
                out.push(Record {
                    row,
                    line: start_line,
                    cells: std::mem::take(&mut cells),
                });
                record_has_content = false;
                row += 1;
                line += 1;
                start_line = line;
                if out.len() > MAX_RECORDS {
                    return Err(too_many(row, start_line));
                }
            }
            _ => {
                cell.push(c);
                record_has_content = true;
            }
        }
    }
    if quoted {
        return Err((
            row,
            quote_line,
            format!("第 {row} 行（文件第 {quote_line} 行）的引号 \" 没有闭合；请在表格软件中重新保存为 CSV"),
            format!("the quote \" in row {row} (line {quote_line} of the file) is never closed; save the sheet as CSV again from the spreadsheet"),
        ));
    }
    if record_has_content || !cell.is_empty() || !cells.is_empty() {
        cells.push(cell);
        out.push(Record {
            row,
            line: start_line,
            cells,
        });
    }
    if out.len() > MAX_RECORDS {
        return Err(too_many(row, start_line));
    }
    Ok(out)
}

fn too_many(row: usize, line: usize) -> CsvError {
    (
        row,
        line,
        format!("表格超过 {MAX_RECORDS} 行；请分成几个文件检查"),
        format!("the sheet has more than {MAX_RECORDS} rows; split it into several files"),
    )
}

/// The spreadsheet letter of the column at `index` (from 0): A … Z, AA, AB, ….
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Appends `cell` to `out` as a CSV cell: quoted when it holds a comma, a quote, a line break or
/// leading or trailing spaces.
pub fn push_cell(out: &mut String, cell: &str) {
    let needs = cell.contains([',', '"', '\n', '\r']) || cell.trim() != cell;
    if needs {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// Appends a record: its cells, then CRLF (what spreadsheets write and RFC 4180 asks).
pub fn push_record<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(out, cell);
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<Vec<String>> {
        records(text).expect("csv").into_iter().map(|r| r.cells).collect()
    }

    #[test]
    fn reads_quotes_commas_and_line_breaks() {
        assert_eq!(
            cells("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x\n"),
            vec![vec!["a", "b,c", "say \"hi\""], vec!["two\nlines", "x"]]
        );
        // No final line break; empty cells kept; a lone CR ends a record; a quote inside a cell
        // is text.
        assert_eq!(cells("a,,\rb,5\"x"), vec![vec!["a", "", ""], vec!["b", "5\"x"]]);
        assert!(cells("").is_empty());
    }

    #[test]
    fn keeps_rows_and_lines() {
        let got = records("h\n\"x\ny\"\n\nz").expect("csv");
        let at: Vec<(usize, usize)> = got.iter().map(|r| (r.row, r.line)).collect();
        assert_eq!(at, vec![(1, 1), (2, 2), (3, 4), (4, 5)]);
        assert!(got[2].is_blank());
    }

    #[test]
    fn refuses_an_unclosed_quote_with_its_place() {
        let (row, line, zh, en) = records("a\nb\n\"open,\nstill").expect_err("unclosed");
        assert_eq!((row, line), (3, 3));
        assert!(zh.contains("第 3 行"), "{zh}");
        assert!(en.contains("never closed"), "{en}");
    }

    #[test]
    fn refuses_too_many_rows_or_columns() {
        assert!(records(&"x\n".repeat(MAX_RECORDS + 1)).is_err());
        assert!(records(&"x\n".repeat(MAX_RECORDS)).is_ok());
        assert!(records(&",".repeat(MAX_COLUMNS)).is_err());
    }

    #[test]
    fn names_columns_as_spreadsheets_do() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702].map(column_letter).to_vec();
        assert_eq!(names, vec!["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn writes_what_it_reads() {
        let mut out = String::new();
        push_record(&mut out, ["a", "b,c", "say \"hi\"", " pad", "two\nlines"]);
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\" pad\",\"two\nlines\"\r\n");
        assert_eq!(cells(&out), vec![vec!["a", "b,c", "say \"hi\"", " pad", "two\nlines"]]);
    }
}
