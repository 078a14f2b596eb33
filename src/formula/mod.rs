//! Formula files: reading, checking and evaluating the allocation rules.
//!
//! A formula file is TOML ([`spec`]) whose expressions are written in a small
//! language ([`lexer`], [`parser`], [`ast`]). The [`check`]er resolves names and
//! types into a [`program::Formula`], which [`eval`] runs per unit on exact decimals.

pub mod ast;
pub mod check;
pub mod eval;
pub mod lexer;
pub mod parser;
pub mod program;
pub mod spec;

pub use program::Formula;

use crate::diag::{FileId, Sources};
use crate::error::{Error, Result};

/// Read and check a registered formula file.
pub fn load(sources: &Sources, file: FileId) -> Result<Formula> {
    let spec = spec::read(sources, file).map_err(Error::Invalid)?;
    let origin = sources.get(file).name.clone();
    check::check(&spec, sources, &origin).map_err(Error::Invalid)
}
