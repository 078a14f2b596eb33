//! Which row of a table is its header, as finance offices lay tables out.
//!
//! Office tables often start with a title row (`2025年甘肃省县级财政收支情况表`, merged
//! across the columns) and a units row (`单位：万元`) before the header, and some have a
//! two-level header (`一般公共预算收入` over `税收收入` and `非税收入`). A table may say where its
//! header is (`header_row = 3`, `header_rows = 2` in dataset.toml); otherwise the header is
//! the first row whose cells are mostly filled and mostly text, and a warning names the
//! row taken when it is not the first.

/// Where a table's header is, as dataset.toml says (or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeaderSpec {
    /// The header's first row, 1-based; None to find it.
    pub row: Option<usize>,
    /// Rows the header spans: 1, or 2 for a two-level header; None to find out.
    pub rows: Option<usize>,
}

/// Rows looked at to find the header.
pub const SEARCHED_ROWS: usize = 20;

/// The header found: its first row (0-based), how many rows it spans, the column names,
/// and what was found by looking rather than given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub index: usize,
    /// The header's row as the file numbers it (a sheet's row, a CSV's line), and the
    /// second level's.
    pub number: usize,
    pub second_number: usize,
    pub rows: usize,
    pub names: Vec<String>,
    /// The row was found, not given.
    pub found_row: bool,
    /// A second header row was found, not given.
    pub found_second: bool,
}

impl Header {
    /// The first data row (0-based).
    pub fn data_start(&self) -> usize {
        self.index + self.rows
    }

    /// The warning to give when the header was found below the first row, or found to span
    /// two rows: what was taken, and the lines that say it.
    pub fn note(&self, first_rows: &[Vec<String>]) -> Option<crate::diag::Diagnostic> {
        use crate::diag::Diagnostic;
        let below_title = self.found_row && self.index > 0;
        if !below_title && !self.found_second {
            return None;
        }
        // The settings that say the same, as the user would write them in dataset.toml.
        let explicit = if self.rows > 1 {
            format!("header_row = {}, header_rows = {}", self.number, self.rows)
        } else {
            format!("header_row = {}", self.number)
        };
        if !below_title {
            return Some(Diagnostic::warning_t(
                "data-header-taken-two-levels",
                crate::args![row = self.number, second = self.second_number, explicit = explicit],
            ));
        }
        let above: Vec<String> = first_rows[..self.index]
            .iter()
            .map(|row| {
                row.iter()
                    .filter(|c| !c.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|t| !t.is_empty())
            .collect();
        let above = if above.is_empty() {
            crate::tr!("data-header-title-empty")
        } else {
            above.join(" / ")
        };
        Some(if self.found_second {
            Diagnostic::warning_t(
                "data-header-below-title-two-levels",
                crate::args![
                    row = self.number,
                    second = self.second_number,
                    above = above,
                    explicit = explicit
                ],
            )
        } else {
            Diagnostic::warning_t(
                "data-header-below-title",
                crate::args![row = self.number, above = above, explicit = explicit],
            )
        })
    }
}

/// Find the header among `first_rows` (the table's first rows as text, up to
/// [`SEARCHED_ROWS`]), numbered by `numbers` as the file numbers them (a sheet's rows from
/// its first used row; a CSV's lines, where blank lines hold no row).
pub fn find(
    first_rows: &[Vec<String>],
    numbers: &[usize],
    spec: HeaderSpec,
) -> Result<Header, crate::diag::Diagnostic> {
    use crate::diag::Diagnostic;
    let given_rows = spec.rows.unwrap_or(1);
    let index = match spec.row {
        Some(0) => return Err(Diagnostic::error_t("data-header-row-zero", crate::args![])),
        Some(row) => {
            let Some(index) = numbers.iter().position(|&n| n == row) else {
                return Err(match (numbers.first(), numbers.last()) {
                    (Some(&first), Some(&last)) => Diagnostic::error_t(
                        "data-header-row-not-read",
                        crate::args![row = row, first = first, last = last],
                    ),
                    _ => Diagnostic::error_t("data-header-row-no-rows", crate::args![row = row]),
                });
            };
            if index + given_rows > first_rows.len() {
                return Err(Diagnostic::error_t(
                    "data-header-no-room",
                    crate::args![row = row, rows = given_rows],
                ));
            }
            index
        }
        None => detect(first_rows),
    };
    let found_second = spec.rows.is_none() && second_level(first_rows, index);
    let rows = if found_second { 2 } else { given_rows };
    let names = if rows >= 2 && index + 1 < first_rows.len() {
        two_level(&first_rows[index], &first_rows[index + 1])
    } else {
        first_rows.get(index).cloned().unwrap_or_default()
    };
    let number_of = |i: usize| numbers.get(i).copied().unwrap_or(i + 1);
    Ok(Header {
        index,
        number: number_of(index),
        second_number: number_of(index + 1),
        rows,
        names,
        found_row: spec.row.is_none(),
        found_second,
    })
}

/// Is the row below the header a second header level? It has text and no numbers, nothing
/// under the first column, and text under an empty cell of the header (a parent merged
/// across several columns); a data row has numbers and a key, and a one-level header has
/// no such gaps.
fn second_level(rows: &[Vec<String>], index: usize) -> bool {
    let (Some(header), Some(next)) = (rows.get(index), rows.get(index + 1)) else {
        return false;
    };
    let filled: Vec<&String> = next.iter().filter(|c| !c.is_empty()).collect();
    // Nothing under the first column (usually the key: a data row has one there).
    next.first().is_none_or(String::is_empty)
        && !filled.is_empty()
        && filled.iter().all(|c| crate::money::parse_decimal(c).is_err())
        && next
            .iter()
            .enumerate()
            .any(|(c, child)| !child.is_empty() && header.get(c).is_none_or(String::is_empty))
}

/// The first row at least half as full as the fullest searched row (and with two cells
/// or more), with more text than numbers: a title or a units row above it has one cell.
fn detect(rows: &[Vec<String>]) -> usize {
    let filled = |row: &Vec<String>| row.iter().filter(|c| !c.is_empty()).count();
    let fullest = rows.iter().map(filled).max().unwrap_or(0);
    rows.iter()
        .position(|row| {
            let n = filled(row);
            let numbers = row.iter().filter(|c| crate::money::parse_decimal(c).is_ok()).count();
            n >= 2.min(fullest) && n * 2 >= fullest && numbers * 2 < n.max(1)
        })
        .unwrap_or(0)
}

/// A two-level header: each parent spans the empty cells to its right (a merged cell); a
/// column is named `parent/child`, by its parent where the child is empty and by its child
/// where there is no parent. (An input may also name the child alone where that is unique
/// in the table: see the load plan.)
fn two_level(parents: &[String], children: &[String]) -> Vec<String> {
    let width = parents.len().max(children.len());
    let mut carried = String::new();
    (0..width)
        .map(|column| {
            let parent = parents.get(column).map(String::as_str).unwrap_or("");
            if !parent.is_empty() {
                carried = parent.to_string();
            }
            let child = children.get(column).map(String::as_str).unwrap_or("");
            match (child.is_empty(), carried.is_empty()) {
                (true, _) => parent.to_string(),
                (false, true) => child.to_string(),
                (false, false) => format!("{carried}/{child}"),
            }
        })
        .collect()
}

/// The child part of a two-level header name (`一般公共预算收入/本年` → `本年`).
pub fn child_of(header: &str) -> Option<&str> {
    header
        .rsplit_once('/')
        .map(|(_, child)| child)
        .filter(|c| !c.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
        text.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn a_title_and_a_units_row_above_the_header_are_passed_over() {
        let table = rows(&[
            &["2025年甘肃省县级财政收支情况表", "", "", ""],
            &["单位：万元", "", "", ""],
            &["县代码", "县名", "收入", "支出"],
            &["620102", "城关区", "11601", "20000"],
        ]);
        let header = find(&table, &[1, 2, 3, 4], HeaderSpec::default()).unwrap();
        assert_eq!((header.index, header.names[0].as_str()), (2, "县代码"));
        assert!(header
            .note(&table)
            .unwrap()
            .message
            .contains("took row 3 as the header"));
        // A plain table: the first row, and nothing to say.
        let plain = rows(&[&["code", "population"], &["1", "2"]]);
        let header = find(&plain, &[1, 2], HeaderSpec::default()).unwrap();
        assert_eq!(header.index, 0);
        assert!(header.note(&plain).is_none());
    }

    #[test]
    fn a_given_header_row_is_taken_as_given() {
        let table = rows(&[&["title", ""], &["a", "b"], &["1", "2"]]);
        let spec = HeaderSpec {
            row: Some(2),
            rows: Some(1),
        };
        assert_eq!(find(&table, &[1, 2, 3], spec).unwrap().names, ["a", "b"]);
        assert!(find(
            &table,
            &[1, 2, 3],
            HeaderSpec {
                row: Some(9),
                rows: Some(1)
            }
        )
        .is_err());
        assert!(find(
            &table,
            &[1, 2, 3],
            HeaderSpec {
                row: Some(0),
                rows: Some(1)
            }
        )
        .is_err());
    }

    #[test]
    fn two_level_headers_name_columns_by_child_or_parent_slash_child() {
        let table = rows(&[
            &["县代码", "一般公共预算收入", "", "上年", ""],
            &["", "税收收入", "合计", "税收收入", "合计"],
        ]);
        let spec = HeaderSpec {
            row: Some(1),
            rows: Some(2),
        };
        assert_eq!(
            find(&table, &[1, 2, 3], spec).unwrap().names,
            [
                "县代码",
                "一般公共预算收入/税收收入",
                "一般公共预算收入/合计",
                "上年/税收收入",
                "上年/合计"
            ]
        );
        assert_eq!(child_of("上年/合计"), Some("合计"));
        // Not given: a row of text under the merged cells of the header is its second level,
        // and the warning says which rows were taken and what to write.
        let office = rows(&[
            &["2025年收支情况表", "", "", "", ""],
            &["县代码", "县名", "一般公共预算收入", "", "均衡性转移支付"],
            &["", "", "本年", "上年", "上年"],
            &["640104", "兴庆区", "50,658", "48,000", "6,123"],
        ]);
        let header = find(&office, &[1, 2, 3, 4], HeaderSpec::default()).unwrap();
        assert_eq!((header.index, header.rows, header.data_start()), (1, 2, 3));
        assert_eq!(header.names[2], "一般公共预算收入/本年");
        let note = header.note(&office).unwrap().message;
        assert!(
            note.contains("took row 2 as the header and row 3 below it as its second level"),
            "{note}"
        );
        assert!(note.contains("header_row = 2, header_rows = 2"), "{note}");
        // A one-level header over data is not taken for two levels.
        let plain = rows(&[&["code", "name", "pop"], &["1", "a", "2"]]);
        assert_eq!(find(&plain, &[1, 2], HeaderSpec::default()).unwrap().rows, 1);
        assert_eq!(child_of("县代码"), None);
    }
}
