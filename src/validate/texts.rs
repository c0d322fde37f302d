//! Texts and counts: no empty text, no control character, no space around a text, no text
//! or list longer than its documented limit (so that no box, page or ticket grows past a
//! readable size, and no input makes the build slow).

use super::Report;
use crate::diag::{Code, Pos};
use crate::model::{Inventory, S};

/// The documented limits (README, « Limits »).
pub mod limits {
    pub const INSTANCES: usize = 100;
    pub const VMS_PER_INSTANCE: usize = 60;
    pub const VMS: usize = 2_000;
    pub const STATES: usize = 8;
    pub const DNS_PER_VM: usize = 8;
    pub const ACTIONS_PER_STATE: usize = 8;
    /// `already_deleted`, `hosted_sites`, `zones`, `dns_allow`, `components`,
    /// `interventions`: each list.
    pub const LIST: usize = 100;
    /// Ids, names, machine names, versions, labels, the meeting.
    pub const SHORT_TEXT: usize = 64;
    /// Roles, users, scopes, URLs, DNS names, addresses.
    pub const TEXT: usize = 256;
    /// Title and purpose.
    pub const LONG_TEXT: usize = 600;
}

fn too_many(r: &mut Report, what: &str, n: usize, max: usize, at: Pos) -> bool {
    if n <= max {
        return false;
    }
    r.at(
        Code::E0127,
        at,
        format!("{n} {what}: at most {max}"),
        "split the migration into several inventories (see README.md, « Limits »)",
    );
    true
}

/// Every count against its limit; `true` when one is exceeded.
pub fn count_rules(r: &mut Report, inv: &Inventory) -> bool {
    let top = Pos::new(1, 1);
    let mut over = too_many(r, "instances", inv.instances.len(), limits::INSTANCES, top);
    over |= too_many(r, "states", inv.states.len(), limits::STATES, top);
    let total: usize = inv.instances.iter().map(|i| i.vms.len()).sum();
    over |= too_many(r, "VMs in all", total, limits::VMS, top);
    let d = &inv.document;
    over |= too_many(r, "zones", d.zones.len(), limits::LIST, top);
    over |= too_many(
        r,
        "names in dns_allow",
        d.dns_allow.len(),
        limits::LIST,
        top,
    );
    let components = inv.platform.components.len();
    over |= too_many(r, "components", components, limits::LIST, top);
    for inst in &inv.instances {
        let at = Pos::from(&inst.id);
        over |= too_many(
            r,
            "VMs in one instance",
            inst.vms.len(),
            limits::VMS_PER_INSTANCE,
            at,
        );
        for (what, n) in [
            ("already deleted VMs", inst.already_deleted.len()),
            ("hosted sites", inst.hosted_sites.len()),
            ("intervention numbers", inst.interventions.len()),
        ] {
            over |= too_many(r, what, n, limits::LIST, at);
        }
        for vm in &inst.vms {
            let at = Pos::from(&vm.machine);
            over |= too_many(
                r,
                "DNS names on one VM",
                vm.dns.len(),
                limits::DNS_PER_VM,
                at,
            );
            over |= too_many(
                r,
                "state entries on one VM",
                vm.actions.len(),
                limits::STATES,
                at,
            );
            for sa in &vm.actions {
                let n = sa.actions.len();
                over |= too_many(
                    r,
                    "actions at one state",
                    n,
                    limits::ACTIONS_PER_STATE,
                    Pos::from(&sa.state),
                );
            }
        }
    }
    if inv.instances.is_empty() {
        r.at(
            Code::E0130,
            top,
            "the inventory has no instance".into(),
            "list at least one instance under `instances:`",
        );
    }
    over
}

/// Every text of the inventory with its length limit.
pub(super) fn all_texts(inv: &Inventory) -> Vec<(&S<String>, usize)> {
    use limits::{LONG_TEXT, SHORT_TEXT, TEXT};
    let d = &inv.document;
    let a = &inv.application;
    let p = &inv.platform;
    let mut all: Vec<(&S<String>, usize)> = vec![
        (&d.title, LONG_TEXT),
        (&d.purpose, LONG_TEXT),
        (&d.organisation, TEXT),
        (&d.decision.meeting, SHORT_TEXT),
        (&d.decision.date, SHORT_TEXT),
        (&a.name, SHORT_TEXT),
        (&a.from, SHORT_TEXT),
        (&a.target, SHORT_TEXT),
        (&p.name, SHORT_TEXT),
        (&p.os.name, TEXT),
        (&p.os.version, SHORT_TEXT),
    ];
    all.extend(
        a.source_code
            .iter()
            .chain(&a.data_dir)
            .map(|s| (s, SHORT_TEXT)),
    );
    for c in &p.components {
        all.extend([(&c.name, TEXT), (&c.version, SHORT_TEXT)]);
    }
    let long = d.zones.iter().chain(&d.dns_allow).chain(&d.octopus_mailbox);
    all.extend(long.map(|s| (s, TEXT)));
    for st in &inv.states {
        all.push((&st.id, SHORT_TEXT));
        all.extend(st.label.iter().chain(&st.date).map(|s| (s, SHORT_TEXT)));
    }
    for i in &inv.instances {
        all.extend([(&i.id, SHORT_TEXT), (&i.name, SHORT_TEXT)]);
        all.extend([(&i.users, TEXT), (&i.role, TEXT), (&i.url, TEXT)]);
        all.extend(i.scope.iter().map(|s| (s, TEXT)));
        all.extend(i.jour_m.iter().map(|s| (s, SHORT_TEXT)));
        if let Some(m) = &i.migration {
            let refs = m.value.target.iter().chain(&m.value.files_from);
            all.extend(refs.map(|s| (s, SHORT_TEXT)));
        }
        all.extend(i.interventions.iter().map(|t| (&t.state, SHORT_TEXT)));
        for vm in &i.vms {
            all.push((&vm.machine, SHORT_TEXT));
            all.extend(vm.ip.iter().map(|s| (s, SHORT_TEXT)));
            all.extend(
                vm.dns
                    .iter()
                    .chain(&vm.role)
                    .chain(&vm.role_after)
                    .map(|s| (s, TEXT)),
            );
            all.extend(vm.actions.iter().map(|a| (&a.state, SHORT_TEXT)));
        }
        for x in &i.already_deleted {
            all.extend([(&x.name, TEXT), (&x.ip, SHORT_TEXT)]);
        }
        for h in &i.hosted_sites {
            all.extend([(&h.url, TEXT), (&h.vm, SHORT_TEXT)]);
        }
    }
    all
}

/// Whether a character of the inventory can be drawn: by the bundled faces (every output
/// that draws text uses them), or a control character, which the rule above reports.
fn drawable(c: char) -> bool {
    c.is_ascii() || c.is_control() || crate::font::covers(c)
}

/// Every string: not empty, no control character (it would corrupt every output), no space
/// around it, not longer than its limit.
pub fn text_rules(r: &mut Report, inv: &Inventory) {
    for (s, max) in all_texts(inv) {
        let v = &s.value;
        let n = v.chars().count();
        if v.trim().is_empty() {
            r.err(
                Code::E0120,
                s,
                "empty text".into(),
                "write a value or remove the key",
            );
        } else if let Some(c) = v.chars().find(|c| c.is_control()) {
            r.err(
                Code::E0120,
                s,
                format!("text contains the control character U+{:04X}", c as u32),
                "remove it: control characters cannot be shown in the document, SVG or tickets",
            );
        } else if v.trim() != v {
            r.err(
                Code::E0120,
                s,
                format!("`{}` starts or ends with a space", crate::diag::shown(v)),
                "remove the spaces around the text",
            );
        }
        if let Some(c) = v.chars().find(|&c| !drawable(c)) {
            r.err(
                Code::E0133,
                s,
                format!(
                    "`{}` (U+{:04X}) cannot be drawn with the bundled font (DejaVu Sans): the PDF and the annexes would show a blank box",
                    c.escape_debug(),
                    c as u32
                ),
                "write it with other characters: the bundled font covers the Latin, Greek and Cyrillic alphabets and the usual symbols, not emoji",
            );
        }
        if n > max {
            r.err(
                Code::E0126,
                s,
                format!("{n} characters: at most {max} here"),
                "shorten it (see README.md, « Limits »)",
            );
        }
    }
}
