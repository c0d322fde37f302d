//! The document against the plan, read as structure: each instance's section (by its
//! anchor) holds the row of each of its VMs and the row of its operations per state, exactly
//! as the plan has them, cites its Octopus numbers, and no section lists another instance's
//! VM; every annexe image is shown.

use super::markdown::{self, Doc, Section, has_token};
use crate::diag::{Code, Diagnostic, Pos, Text, shown};
use crate::files::Outputs;
use crate::msg;
use crate::plan::{InstancePlan, Plan, VmPlan};

/// A VM's row of its instance's table: with what it runs when the table has that column.
fn vm_row(vm: &VmPlan, with_software: bool) -> Vec<String> {
    let mut row = vec![
        vm.dns_now.join(", "),
        vm.ip.clone().unwrap_or_default(),
        vm.machine.clone(),
        vm.role_now.clone(),
        vm.role_after.clone(),
    ];
    if with_software {
        let list: Vec<String> = vm
            .software
            .iter()
            .map(|s| format!("{} {}", s.name, s.version))
            .collect();
        row.push(list.join(", "));
    }
    row
}

fn operations_row(vm: &VmPlan) -> Vec<String> {
    std::iter::once(vm.machine.clone())
        .chain(vm.cells.iter().map(|c| c.summary.clone()))
        .collect()
}

struct Ctx<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn err(&mut self, code: Code, line: u32, text: Text, help: Text) {
        self.diags
            .push(Diagnostic::error(code, self.file, Pos::new(line, 1), text).with_help(help));
    }
}

pub(super) fn check(plan: &Plan, outputs: &Outputs, out_label: &str, diags: &mut Vec<Diagnostic>) {
    let file = format!("{out_label}/document.md");
    let mut c = Ctx { file: &file, diags };
    let Some(md) = outputs
        .get("document.md")
        .map(|b| String::from_utf8_lossy(b))
    else {
        c.err(
            Code::E0501,
            0,
            msg!("document.none"),
            msg!("document.none.help"),
        );
        return;
    };
    let doc = markdown::parse(&md);
    for inst in &plan.instances {
        match doc.section(&inst.anchor) {
            None => c.err(
                Code::E0502,
                0,
                msg!(
                    "document.no_section",
                    instance = shown(&inst.name),
                    anchor = &inst.anchor
                ),
                msg!("document.no_section.help"),
            ),
            Some(sec) => instance_section(&mut c, inst, sec),
        }
        if !doc.images.contains(&inst.annexe_svg) {
            c.err(
                Code::E0508,
                0,
                msg!("document.no_annexe", file = &inst.annexe_svg),
                msg!("document.no_annexe.help"),
            );
        }
    }
    foreign_rows(&mut c, plan, &doc);
    for entry in &plan.calendar {
        let listed = doc
            .sections
            .iter()
            .flat_map(|s| &s.rows)
            .any(|row| row.contains(&entry.what) && row.contains(&entry.instance));
        if !listed {
            c.err(
                Code::E0535,
                0,
                msg!(
                    "document.calendar",
                    instance = shown(&entry.instance),
                    what = shown(&entry.what)
                ),
                msg!("document.calendar.help"),
            );
        }
    }
}

fn instance_section(c: &mut Ctx, inst: &InstancePlan, sec: &Section) {
    let help = msg!("document.rows.help");
    for vm in &inst.vms {
        let row = vm_row(vm, inst.with_software);
        if !sec.rows.contains(&row) {
            c.err(
                Code::E0503,
                sec.line,
                msg!(
                    "document.row",
                    instance = shown(&inst.name),
                    machine = shown(&vm.machine),
                    row = row.join(" | ")
                ),
                help.clone(),
            );
        }
        let ops = operations_row(vm);
        if !sec.rows.contains(&ops) {
            c.err(
                Code::E0504,
                sec.line,
                msg!(
                    "document.operations",
                    machine = shown(&vm.machine),
                    ops = ops.join(" | ")
                ),
                help.clone(),
            );
        }
    }
    let numbers = inst
        .creation_tickets
        .iter()
        .chain(inst.interventions.iter().filter_map(|i| i.ticket.as_ref()));
    for n in numbers {
        if !has_token(&sec.prose, &n.to_string()) {
            c.err(
                Code::E0506,
                sec.line,
                msg!("document.octopus", instance = shown(&inst.name), n = n),
                msg!("document.octopus.help"),
            );
        }
    }
}

/// A row of one instance's VM in another instance's section.
fn foreign_rows(c: &mut Ctx, plan: &Plan, doc: &Doc) {
    for sec in &doc.sections {
        let Some(owner) = plan
            .instances
            .iter()
            .find(|i| sec.anchor.as_deref() == Some(i.anchor.as_str()))
        else {
            continue;
        };
        for other in plan.instances.iter().filter(|o| o.id != owner.id) {
            for vm in &other.vms {
                if sec.rows.contains(&vm_row(vm, other.with_software))
                    || sec.rows.contains(&operations_row(vm))
                {
                    c.err(
                        Code::E0507,
                        sec.line,
                        msg!(
                            "document.foreign",
                            instance = shown(&owner.name),
                            machine = shown(&vm.machine),
                            other = shown(&other.name)
                        ),
                        msg!("document.foreign.help"),
                    );
                }
            }
        }
    }
}
