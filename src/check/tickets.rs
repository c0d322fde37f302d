//! The tickets against the plan, read through their manifest (`tickets/index.json`): each
//! ticket lists only VMs of its own instance, its file exists, and its text names each of its
//! VMs and its Octopus number as whole words.

use super::markdown::has_token;
use crate::diag::{Code, Diagnostic, Pos, shown};
use crate::files::Outputs;
use crate::plan::Plan;
use serde::Deserialize;

#[derive(Deserialize)]
struct Entry {
    instance: String,
    number: Option<u32>,
    vms: Vec<String>,
    txt: String,
}

pub fn check(plan: &Plan, outputs: &Outputs, out_label: &str, diags: &mut Vec<Diagnostic>) {
    let index_file = format!("{out_label}/tickets/index.json");
    let Some(entries) = outputs
        .get("tickets/index.json")
        .and_then(|b| serde_json::from_slice::<Vec<Entry>>(b).ok())
    else {
        diags.push(Diagnostic::error(
            Code::E0530,
            &index_file,
            Pos::default(),
            "the ticket manifest is missing or unreadable",
        ));
        return;
    };
    for t in entries {
        let file = format!("{out_label}/{}", t.txt);
        let Some(text) = outputs.get(&t.txt).map(|b| String::from_utf8_lossy(b)) else {
            diags.push(Diagnostic::error(
                Code::E0531,
                &index_file,
                Pos::default(),
                format!("ticket file `{}` is listed but missing", shown(&t.txt)),
            ));
            continue;
        };
        let own = plan.instances.iter().find(|i| i.id == t.instance);
        for vm in &t.vms {
            if let Some(other) = plan
                .instances
                .iter()
                .find(|i| i.id != t.instance && i.vms.iter().any(|v| v.machine == *vm))
            {
                diags.push(
                    Diagnostic::error(
                        Code::E0532,
                        &file,
                        Pos::default(),
                        format!(
                            "a ticket of `{}` lists `{}`, a machine of {}",
                            shown(&t.instance),
                            shown(vm),
                            shown(&other.name)
                        ),
                    )
                    .with_help("a ticket asks only for its instance's VMs"),
                );
            }
            if own.is_some() && !has_token(&text, vm) {
                diags.push(Diagnostic::error(
                    Code::E0533,
                    &file,
                    Pos::default(),
                    format!("the ticket does not name `{}`", shown(vm)),
                ));
            }
        }
        if let Some(n) = t.number
            && !has_token(&text, &n.to_string())
        {
            diags.push(Diagnostic::error(
                Code::E0533,
                &file,
                Pos::default(),
                format!("the ticket does not cite its number {n}"),
            ));
        }
    }
}
