//! The formulas shipped with `equalize`, compiled into the binary.
//!
//! `--formula cn` (a short name) or `--formula cn-equalization` (a file stem) picks one
//! of these when no file of that name exists, so the shipped formulas work from any
//! directory. Each names the dataset it was written for, used when `--data` is omitted.

pub struct Shipped {
    /// Short name for `--formula`.
    pub short: &'static str,
    /// Path in the repository, used as the display name.
    pub path: &'static str,
    pub text: &'static str,
    /// The dataset it was written for, relative to the repository root.
    pub data: &'static str,
}

pub const FORMULAS: &[Shipped] = &[
    Shipped {
        short: "demo",
        path: "formulas/demo.toml",
        text: include_str!("../formulas/demo.toml"),
        data: "datasets/demo",
    },
    Shipped {
        short: "cn",
        path: "formulas/cn-equalization.toml",
        text: include_str!("../formulas/cn-equalization.toml"),
        data: "datasets/cn-national",
    },
    Shipped {
        short: "jp",
        path: "formulas/jp-local-allocation-tax.toml",
        text: include_str!("../formulas/jp-local-allocation-tax.toml"),
        data: "datasets/jp-municipalities/units.csv",
    },
    Shipped {
        short: "ca",
        path: "formulas/ca-equalization.toml",
        text: include_str!("../formulas/ca-equalization.toml"),
        data: "datasets/ca-provinces/provinces.csv",
    },
    Shipped {
        short: "au",
        path: "formulas/au-gst.toml",
        text: include_str!("../formulas/au-gst.toml"),
        data: "datasets/au-states/states.csv",
    },
    Shipped {
        short: "in",
        path: "formulas/in-finance-commission.toml",
        text: include_str!("../formulas/in-finance-commission.toml"),
        data: "datasets/in-states/states.csv",
    },
];

/// A shipped formula by short name, file stem or repository path.
pub fn find(name: &str) -> Option<&'static Shipped> {
    let stem = name.trim_start_matches("formulas/").trim_end_matches(".toml");
    FORMULAS.iter().find(|f| {
        f.short == name || f.path == name || f.path.trim_start_matches("formulas/").trim_end_matches(".toml") == stem
    })
}
