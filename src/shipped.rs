//! The formulas shipped with `equalize`, compiled into the binary.
//!
//! A formula named without a folder or a `.toml` ending (`--formula cn`, or the file stem
//! `cn-equalization`) is one of these, always: the copy compiled into this binary, never a
//! file of that name that happens to be in the folder. Anything else (`formulas/cn.toml`,
//! `./cn`) is a file path, read from disk and never replaced by a built-in copy. A built-in
//! formula is named `built-in cn` wherever a file name would appear (summaries, manifests,
//! reports, messages). Each names the dataset it was written for, used when `--data` is
//! omitted.

#[derive(Debug)]
pub struct Shipped {
    /// Short name for `--formula`.
    pub short: &'static str,
    /// Path in the repository, used as the display name.
    pub path: &'static str,
    pub text: &'static str,
    /// The dataset it was written for, relative to the repository root.
    pub data: &'static str,
}

/// The demo formula, run when no formula is given.
pub const DEMO: &Shipped = &FORMULAS[0];

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
        short: "cn-townships",
        path: "formulas/cn-townships.toml",
        text: include_str!("../formulas/cn-townships.toml"),
        data: "datasets/cn-townships",
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

/// Is this text the name of a built-in formula rather than a file path? Names have no
/// folder separator and no `.toml` ending.
pub fn is_name(text: &str) -> bool {
    !text.contains(['/', '\\']) && !text.ends_with(".toml") && !text.is_empty()
}

/// The built-in formula a name stands for, or an error that says what to write instead.
pub fn builtin(name: &str) -> Result<&'static Shipped, crate::diag::Diagnostic> {
    find(name).filter(|_| is_name(name)).ok_or_else(|| {
        let names = FORMULAS.iter().map(|f| f.short).collect::<Vec<_>>().join(", ");
        match crate::diag::did_you_mean(name, FORMULAS.iter().map(|f| f.short)) {
            Some(hint) => crate::diag::Diagnostic::error_t(
                "pipeline-no-builtin-hint",
                crate::args![name = name, hint = hint, names = names],
            ),
            None => crate::diag::Diagnostic::error_t("pipeline-no-builtin", crate::args![name = name, names = names]),
        }
    })
}

impl Shipped {
    /// How a built-in formula is named where a file name would be.
    pub fn display_name(&self) -> String {
        format!("built-in {}", self.short)
    }
}

/// A shipped formula by short name, file stem or repository path.
pub fn find(name: &str) -> Option<&'static Shipped> {
    let stem = name.trim_start_matches("formulas/").trim_end_matches(".toml");
    FORMULAS.iter().find(|f| {
        f.short == name || f.path == name || f.path.trim_start_matches("formulas/").trim_end_matches(".toml") == stem
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_built_in_and_paths_are_files() {
        assert!(is_name("cn") && is_name("cn-equalization"));
        assert!(!is_name("formulas/cn-equalization.toml") && !is_name("cn.toml") && !is_name("./cn"));
        assert_eq!(builtin("cn").unwrap().path, "formulas/cn-equalization.toml");
        assert_eq!(builtin("cn-equalization").unwrap().short, "cn");
        assert!(builtin("formulas/cn-equalization.toml").is_err());
        let err = builtin("jpp").unwrap_err().message;
        assert!(
            err.starts_with("there is no built-in formula 'jpp' (did you mean 'jp'?)"),
            "{err}"
        );
        assert_eq!(builtin("au").unwrap().display_name(), "built-in au");
    }
}
