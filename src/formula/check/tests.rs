//! The checker on small formulas: exact messages, exact places, and the program it builds.

use crate::diag::{Location, Sources};
use crate::formula::program::{Formula, Step};
use crate::formula::{self};

const HEAD: &str = "[formula]\nname = \"t\"\nkey = \"k\"\n[inputs.need]\n[inputs.revenue]\n[inputs.region]\ntype = \"text\"\n[params]\npool = \"100\"\n";
const STAGE: &str = "[[allocation]]\nname = \"grant\"\npool = \"pool\"\nweight = \"gap\"\n";

fn load(vars: &str) -> Result<Formula, Vec<(String, usize, usize)>> {
    let mut sources = Sources::default();
    let id = sources.add("t.toml", format!("{HEAD}[vars]\n{vars}{STAGE}"));
    formula::load(&sources, id).map_err(|e| {
        e.diagnostics()
            .into_iter()
            .map(|d| match d.location {
                Location::Source { line, column, .. } => (d.message, line, column),
                _ => (d.message, 0, 0),
            })
            .collect()
    })
}

/// The line of the first var (`[vars]` is line 10).
const VARS: usize = 11;

#[test]
fn an_unknown_name_is_placed_on_its_token_with_a_suggestion() {
    let errors = load("gap = \"need - revenu\"\n").unwrap_err();
    assert_eq!(
        errors,
        [("unknown name 'revenu' (did you mean 'revenue'?)".to_string(), VARS, 15)]
    );
}

#[test]
fn vars_are_evaluated_after_what_they_use_whatever_their_order_in_the_file() {
    let formula = load("gap = \"max(raw, 0)\"\nraw = \"need - revenue\"\n").unwrap();
    let names: Vec<&str> = formula
        .plan
        .iter()
        .filter_map(|step| match step {
            Step::Var(i) => Some(formula.vars[*i].name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["raw", "gap"]);
}

#[test]
fn a_cycle_is_reported_with_its_path() {
    let errors = load("gap = \"a\"\na = \"b + 1\"\nb = \"a * 2\"\n").unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].0 == "circular definition: a -> b -> a" || errors[0].0 == "circular definition: b -> a -> b",
        "{errors:?}"
    );
}

#[test]
fn a_var_may_not_take_a_functions_name_and_types_are_checked() {
    let errors = load("gap = \"need\"\nsum = \"1\"\nbad = \"if(need, 1, 2)\"\n").unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.0.as_str()).collect();
    assert!(
        messages.contains(&"var 'sum' has the name of a built-in function"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"the condition of if(): expected a condition (true/false), found a number"),
        "{messages:?}"
    );
}

#[test]
fn argument_counts_come_from_the_function_table() {
    let errors = load("gap = \"clamp(need, 0)\"\n").unwrap_err();
    assert_eq!(errors, [("clamp takes 3 arguments, found 2".to_string(), VARS, 8)]);
    let errors = load("gap = \"min(need)\"\n").unwrap_err();
    assert_eq!(errors[0].0, "min takes at least 2 arguments, found 1");
}

#[test]
fn a_grouped_aggregate_groups_by_an_input_or_a_var() {
    assert!(load("gap = \"sum_by(region, need)\"\n").is_ok());
    // A number input or var is a group too (whole values are checked when run).
    assert!(load("gap = \"sum_by(need, revenue)\"\n").is_ok());
    assert!(load("s = \"need * 2\"\ngap = \"sum_by(s, revenue)\"\n").is_ok());
    let errors = load("gap = \"sum_by(pool, revenue)\"\n").unwrap_err();
    assert_eq!(
        errors,
        [(
            "the first argument of sum_by must name an input or a var to group by, found 'pool'".to_string(),
            VARS,
            15
        )]
    );
    let errors = load("gap = \"sum_by(need * 2, revenue)\"\n").unwrap_err();
    assert_eq!(
        errors[0].0,
        "the first argument of sum_by must name what to group by: an input or a var"
    );
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let errors = load("gap = \"nede\"\nx = \"unknown_fn(1)\"\ny = \"1 +\"\n").unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:?}");
    let lines: Vec<usize> = errors.iter().map(|e| e.1).collect();
    assert_eq!(lines, [VARS, VARS + 1, VARS + 2]);
}
