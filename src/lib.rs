//! `equalize`: exact, auditable fiscal transfer allocation.
//!
//! A formula file ([`formula`]) says how each unit's need, capacity and gap are
//! computed and how fixed pools are split ([`allocate`]); a data table
//! ([`data`]) gives each unit's figures; the [`engine`] runs one on the other
//! in exact decimals ([`money`]) and [`report`] writes the results. Problems
//! are collected as [`diag::Diagnostic`]s and surface as one [`error::Error`].
//! [`pipeline`] runs all of it end to end from plain [`pipeline::RunInputs`]; the
//! command line is a thin face over it in the binary (docs/architecture.md).

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
// Diagnostics are large but travel only on the cold error path.
#![allow(clippy::result_large_err)]

pub mod allocate;
pub mod audit;
pub mod civil;
pub mod data;
pub mod diag;
pub mod engine;
pub mod error;
pub mod files;
pub mod formula;
pub mod i18n;
pub mod money;
pub mod multiply;
pub mod pipeline;
pub mod report;
pub mod shipped;
pub mod sorting;
pub mod stats;
pub mod sweep;
pub mod testing;
pub mod threads;
pub mod tomlspan;
