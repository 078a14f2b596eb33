//! `equalize formulas`: list the shipped formulas, one line each.

use super::GlobalOptions;
use equalize::diag::Sources;
use equalize::error::Result;
use equalize::{formula, shipped};

#[derive(clap::Args, Debug)]
#[command(after_help = "Run one by its short name:\n  equalize run --formula cn --data datasets/cn-national")]
pub struct Args {}

pub fn run(_args: Args, _global: &GlobalOptions) -> Result<()> {
    let mut rows = vec![[
        "name".to_string(),
        "file".to_string(),
        "data".to_string(),
        "formula".to_string(),
    ]];
    for f in shipped::FORMULAS {
        let mut sources = Sources::default();
        let id = sources.add(f.path, f.text.to_string());
        let title = formula::load(&sources, id)
            .map(|loaded| loaded.name)
            .unwrap_or_else(|_| "(does not load)".into());
        rows.push([f.short.to_string(), f.path.to_string(), f.data.to_string(), title]);
    }
    let widths: Vec<usize> = (0..3)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for row in rows {
        text.push_str(&format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}\n",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        ));
    }
    super::print(&text)
}
