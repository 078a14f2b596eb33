//! Which row of a table is its header, as finance offices lay tables out.
//!
//! Office tables often start with a title row (`2025年甘肃省县级财政收支情况表`, merged
//! across the columns) and a units row (`单位：万元`) before the header, and some have a
//! two-level header (`一般公共预算收入` over `税收收入` and `非税收入`). A table may say where its
//! header is (`header_row = 3`, `header_rows = 2` in dataset.toml); otherwise the header is
//! the first row whose cells are mostly filled and mostly text, and a warning names the
//! row taken when it is not the first.

/// Where a table's header is, as dataset.toml says (or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderSpec {
    /// The header's first row, 1-based; None to find it.
    pub row: Option<usize>,
    /// Rows the header spans: 1, or 2 for a two-level header.
    pub rows: usize,
}

impl Default for HeaderSpec {
    fn default() -> Self {
        HeaderSpec { row: None, rows: 1 }
    }
}

/// Rows looked at to find the header.
pub const SEARCHED_ROWS: usize = 20;

/// The header found: its first row (0-based), the column names, and whether it was
/// found by looking rather than given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub index: usize,
    pub names: Vec<String>,
    pub found: bool,
}

impl Header {
    /// The first data row (0-based).
    pub fn data_start(&self, spec: HeaderSpec) -> usize {
        self.index + spec.rows
    }

    /// The warning to give when the header was found below the first row.
    pub fn note(&self, spec: HeaderSpec, first_rows: &[Vec<String>]) -> Option<String> {
        if !self.found || self.index == 0 {
            return None;
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
        Some(format!(
            "took row {} as the header; the rows above look like a title ({}); say header_row = {}{} in dataset.toml to make it explicit",
            self.index + 1,
            if above.is_empty() { "empty".to_string() } else { above.join(" / ") },
            self.index + 1,
            if spec.rows > 1 { format!(", header_rows = {}", spec.rows) } else { String::new() }
        ))
    }
}

/// Find the header among `first_rows` (the table's first rows as text, up to
/// [`SEARCHED_ROWS`]).
pub fn find(first_rows: &[Vec<String>], spec: HeaderSpec) -> Result<Header, String> {
    let index = match spec.row {
        Some(0) => return Err("header_row counts from 1".into()),
        Some(row) => {
            if row + spec.rows - 1 > first_rows.len() {
                return Err(format!(
                    "header_row = {row} but the table has {} rows",
                    first_rows.len()
                ));
            }
            row - 1
        }
        None => detect(first_rows),
    };
    let names = if spec.rows >= 2 && index + 1 < first_rows.len() {
        two_level(&first_rows[index], &first_rows[index + 1])
    } else {
        first_rows.get(index).cloned().unwrap_or_default()
    };
    Ok(Header {
        index,
        names,
        found: spec.row.is_none(),
    })
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
        let header = find(&table, HeaderSpec::default()).unwrap();
        assert_eq!((header.index, header.names[0].as_str()), (2, "县代码"));
        assert!(header
            .note(HeaderSpec::default(), &table)
            .unwrap()
            .contains("took row 3 as the header"));
        // A plain table: the first row, and nothing to say.
        let plain = rows(&[&["code", "population"], &["1", "2"]]);
        let header = find(&plain, HeaderSpec::default()).unwrap();
        assert_eq!(header.index, 0);
        assert_eq!(header.note(HeaderSpec::default(), &plain), None);
    }

    #[test]
    fn a_given_header_row_is_taken_as_given() {
        let table = rows(&[&["title", ""], &["a", "b"], &["1", "2"]]);
        let spec = HeaderSpec { row: Some(2), rows: 1 };
        assert_eq!(find(&table, spec).unwrap().names, ["a", "b"]);
        assert!(find(&table, HeaderSpec { row: Some(9), rows: 1 }).is_err());
        assert!(find(&table, HeaderSpec { row: Some(0), rows: 1 }).is_err());
    }

    #[test]
    fn two_level_headers_name_columns_by_child_or_parent_slash_child() {
        let table = rows(&[
            &["县代码", "一般公共预算收入", "", "上年", ""],
            &["", "税收收入", "合计", "税收收入", "合计"],
        ]);
        let spec = HeaderSpec { row: Some(1), rows: 2 };
        assert_eq!(
            find(&table, spec).unwrap().names,
            [
                "县代码",
                "一般公共预算收入/税收收入",
                "一般公共预算收入/合计",
                "上年/税收收入",
                "上年/合计"
            ]
        );
        assert_eq!(child_of("上年/合计"), Some("合计"));
        assert_eq!(child_of("县代码"), None);
    }
}
