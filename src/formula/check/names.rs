//! Binding names: inputs, params, vars and stages, each once, none a built-in or reserved.

use super::*;

impl Checker<'_> {
    pub(super) fn bind(&mut self, name: &str, span: Span, binding: Binding, what: &str) {
        if builtins::lookup(name).is_some() {
            self.error_t(span, "check-name-is-function", crate::args![what = what, name = name])
                .notes
                .push(crate::tr!("check-name-is-function-note"));
            return;
        }
        if RESERVED.contains(&name) {
            self.error_t(span, "check-name-reserved", crate::args![what = what, name = name]);
            return;
        }
        if !is_identifier(name) {
            self.error_t(span, "check-name-invalid", crate::args![what = what, name = name])
                .notes
                .push(crate::tr!("check-name-invalid-note"));
            return;
        }
        match self.names.get(name) {
            Some(Binding::ParamGroup) if matches!(binding, Binding::ParamGroup) => {}
            Some(existing) => {
                let existing = match existing {
                    Binding::Input(_) => crate::tr!("check-existing-input"),
                    Binding::Param(_) | Binding::ParamGroup => crate::tr!("check-existing-param"),
                    Binding::Var(_) => crate::tr!("check-existing-var"),
                    Binding::Stage(_) => crate::tr!("check-existing-stage"),
                    Binding::Broken => crate::tr!("check-existing-var"),
                };
                self.error_t(
                    span,
                    "check-name-taken",
                    crate::args![what = what, name = name, existing = existing],
                )
                .notes
                .push(crate::tr!("check-name-taken-note"));
            }
            None => {
                self.names.insert(name.to_string(), binding);
            }
        }
    }

    pub(super) fn bind_names(&mut self, spec: &FormulaSpec) {
        for (i, input) in spec.inputs.iter().enumerate() {
            if input.prior.is_some() {
                // Made by `prior(...)` under a name no formula can write (`formula::prior`).
                self.names.insert(input.name.clone(), Binding::Input(i));
                continue;
            }
            self.bind(
                &input.name,
                input.span,
                Binding::Input(i),
                &crate::tr!("check-kind-input"),
            );
        }
        for (i, param) in spec.params.iter().enumerate() {
            let parts: Vec<&str> = param.name.split('.').collect();
            // Dotted names are checked part by part; a part after the first may be a row
            // number (`stratum.2`, `stratum.from.2` of a bracket table).
            let valid = |(n, p): (usize, &&str)| {
                is_identifier(p) || (n > 0 && !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            };
            let all_valid = parts.iter().enumerate().all(valid);
            for end in 1..parts.len() {
                let group = parts[..end].join(".");
                if end == 1 {
                    self.bind(
                        &group,
                        param.span,
                        Binding::ParamGroup,
                        &crate::tr!("check-kind-param-group"),
                    );
                } else if all_valid && !matches!(self.names.get(&group), Some(b) if !matches!(b, Binding::ParamGroup)) {
                    self.names.insert(group, Binding::ParamGroup);
                }
            }
            if all_valid {
                let full = param.name.clone();
                match self.names.get(&full) {
                    Some(_) => {
                        self.error_t(param.span, "check-param-twice", crate::args![name = &full]);
                    }
                    None if builtins::lookup(&full).is_some() || RESERVED.contains(&full.as_str()) => {
                        self.bind(&full, param.span, Binding::Param(i), &crate::tr!("check-kind-param"))
                    }
                    None => {
                        self.names.insert(full, Binding::Param(i));
                    }
                }
            } else {
                self.error_t(param.span, "check-param-invalid", crate::args![name = &param.name]);
            }
        }
        for (i, var) in spec.vars.iter().enumerate() {
            self.bind(&var.name, var.span, Binding::Var(i), &crate::tr!("check-kind-var"));
        }
        for (i, stage) in spec.stages.iter().enumerate() {
            self.bind(
                &stage.name,
                stage.span,
                Binding::Stage(i),
                &crate::tr!("check-kind-stage"),
            );
        }
        for name in &spec.broken {
            self.names.entry(name.clone()).or_insert(Binding::Broken);
        }
    }
}

pub(super) fn is_identifier(name: &str) -> bool {
    use crate::formula::lexer::{is_name_char, is_name_start};
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}
