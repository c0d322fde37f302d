//! Texts and counts: no empty text, no control character, no space around a text, no text
//! or list longer than its documented limit (so that no box, page or ticket grows past a
//! readable size, and no input makes the build slow).

use super::Report;
use crate::diag::{Code, Pos, Text};
use crate::model::{Application, Instance, Inventory, Platform, S, Software, WriterSections};
use crate::msg;

/// The documented limits (README, « Limits »).
pub mod limits {
    /// Instances in one inventory.
    pub const INSTANCES: usize = 100;
    /// VMs of one instance.
    pub const VMS_PER_INSTANCE: usize = 60;
    /// VMs of all instances together.
    pub const VMS: usize = 2_000;
    /// States of the inventory; also the states one VM lists actions at.
    pub const STATES: usize = 8;
    /// DNS names one VM holds (`dns`).
    pub const DNS_PER_VM: usize = 8;
    /// Actions of one VM at one state (its `do` list).
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
    /// The rationale and each section of the writer's (Markdown, several lines).
    pub const BLOCK: usize = 4_000;
}

fn too_many(r: &mut Report, what: Text, n: usize, max: usize, at: Pos) -> bool {
    if n <= max {
        return false;
    }
    r.at(
        Code::E0127,
        at,
        msg!("texts.too_many", n = n, what = what, max = max),
        msg!("texts.too_many.help"),
    );
    true
}

/// A count, its limit, and where to say it is exceeded.
type Count = (Text, usize, usize, Pos);

/// Every count against its limit; `true` when one is exceeded.
pub(super) fn count_rules(r: &mut Report, inv: &Inventory) -> bool {
    let top = Pos::new(1, 1);
    let counts = document_counts(inv, top)
        .into_iter()
        .chain(inv.instances.iter().flat_map(instance_counts));
    let mut over = false;
    for (what, n, max, at) in counts {
        over |= too_many(r, what, n, max, at);
    }
    if inv.instances.is_empty() {
        r.at(
            Code::E0130,
            top,
            msg!("texts.no_instance"),
            msg!("texts.no_instance.help"),
        );
    }
    over
}

/// The counts of the whole inventory, said at its top.
fn document_counts(inv: &Inventory, top: Pos) -> Vec<Count> {
    let total: usize = inv.instances.iter().map(|i| i.vms.len()).sum();
    let d = &inv.document;
    let mut out = vec![
        (
            msg!("texts.count.instances"),
            inv.instances.len(),
            limits::INSTANCES,
            top,
        ),
        (
            msg!("texts.count.states"),
            inv.states.len(),
            limits::STATES,
            top,
        ),
        (msg!("texts.count.vms"), total, limits::VMS, top),
        (msg!("texts.count.zones"), d.zones.len(), limits::LIST, top),
        (
            msg!("texts.count.dns_allow"),
            d.dns_allow.len(),
            limits::LIST,
            top,
        ),
    ];
    let platforms =
        (inv.platform.iter()).chain(inv.instances.iter().filter_map(|i| i.platform.as_ref()));
    for p in platforms {
        out.push((
            msg!("texts.count.components"),
            p.components.len(),
            limits::LIST,
            top,
        ));
    }
    out
}

/// The counts of one instance and its VMs, each said where it is written.
fn instance_counts(inst: &Instance) -> Vec<Count> {
    let at = Pos::from(&inst.id);
    let mut out = vec![
        (
            msg!("texts.count.vms_per_instance"),
            inst.vms.len(),
            limits::VMS_PER_INSTANCE,
            at,
        ),
        (
            msg!("texts.count.already_deleted"),
            inst.already_deleted.len(),
            limits::LIST,
            at,
        ),
        (
            msg!("texts.count.hosted_sites"),
            inst.hosted_sites.len(),
            limits::LIST,
            at,
        ),
        (
            msg!("texts.count.interventions"),
            inst.interventions.len(),
            limits::LIST,
            at,
        ),
    ];
    for vm in &inst.vms {
        let at = Pos::from(&vm.machine);
        out.push((
            msg!("texts.count.dns_per_vm"),
            vm.dns.len(),
            limits::DNS_PER_VM,
            at,
        ));
        out.push((
            msg!("texts.count.vm_states"),
            vm.actions.len(),
            limits::STATES,
            at,
        ));
        for sa in &vm.actions {
            let n = sa.actions.len();
            let at = Pos::from(&sa.state);
            out.push((
                msg!("texts.count.actions"),
                n,
                limits::ACTIONS_PER_STATE,
                at,
            ));
        }
    }
    out
}

/// The texts of an application, with their limits.
fn application_texts(a: &Application) -> Vec<(&S<String>, usize)> {
    let mut all = vec![(&a.name, limits::SHORT_TEXT)];
    let versions = a.from.iter().chain(&a.target).chain(&a.version);
    let more = versions.chain(&a.source_code).chain(&a.data_dir);
    all.extend(more.map(|s| (s, limits::SHORT_TEXT)));
    all
}

/// The texts of a piece of software, with their limits.
fn software_texts(s: &Software) -> Vec<(&S<String>, usize)> {
    let mut all = vec![(&s.name, limits::TEXT), (&s.version, limits::SHORT_TEXT)];
    all.extend(s.from.iter().map(|f| (f, limits::SHORT_TEXT)));
    all
}

/// The texts of a platform, with their limits.
fn platform_texts(p: &Platform) -> Vec<(&S<String>, usize)> {
    let mut all: Vec<(&S<String>, usize)> =
        p.name.iter().map(|n| (n, limits::SHORT_TEXT)).collect();
    all.extend(p.os.iter().flat_map(software_texts));
    all.extend(p.components.iter().flat_map(software_texts));
    all
}

/// The Markdown sections of `s`, in order.
pub(super) fn sections(s: &WriterSections) -> Vec<&S<String>> {
    s.notes
        .iter()
        .chain(&s.communication)
        .chain(&s.rollback)
        .collect()
}

/// The texts written over several lines (the rationale, the writer's sections): newlines
/// and tabs are allowed there.
pub(super) fn blocks(inv: &Inventory) -> Vec<&S<String>> {
    let mut all: Vec<&S<String>> = inv.document.rationale.iter().collect();
    all.extend(sections(&inv.document.sections));
    for i in &inv.instances {
        all.extend(sections(&i.sections));
    }
    all
}

/// Every text of the inventory with its length limit.
pub(super) fn all_texts(inv: &Inventory) -> Vec<(&S<String>, usize)> {
    use limits::{LONG_TEXT, SHORT_TEXT, TEXT};
    let d = &inv.document;
    let mut all: Vec<(&S<String>, usize)> = vec![
        (&d.title, LONG_TEXT),
        (&d.purpose, LONG_TEXT),
        (&d.organisation, TEXT),
        (&d.decision.meeting, SHORT_TEXT),
        (&d.decision.date, SHORT_TEXT),
    ];
    all.extend(inv.application.iter().flat_map(application_texts));
    all.extend(inv.platform.iter().flat_map(platform_texts));
    all.extend(d.time_zone.iter().map(|s| (s, SHORT_TEXT)));
    let long = d.zones.iter().chain(&d.dns_allow).chain(&d.octopus_mailbox);
    let long = long.chain(&d.site_url);
    all.extend(long.map(|s| (s, TEXT)));
    if let Some(o) = &inv.octopus {
        let all_of = [&o.mailbox, &o.sender, &o.update_subject, &o.kind_label];
        all.extend(all_of.into_iter().flatten().map(|s| (s, TEXT)));
        all.extend(o.sr_token.iter().map(|s| (s, SHORT_TEXT)));
    }
    for st in &inv.states {
        all.push((&st.id, SHORT_TEXT));
        all.extend(st.label.iter().chain(&st.date).map(|s| (s, SHORT_TEXT)));
    }
    for i in &inv.instances {
        all.extend([(&i.id, SHORT_TEXT), (&i.name, SHORT_TEXT)]);
        all.extend([(&i.users, TEXT), (&i.role, TEXT), (&i.url, TEXT)]);
        all.extend(i.scope.iter().map(|s| (s, TEXT)));
        all.extend(i.jour_m.iter().chain(&i.follows).map(|s| (s, SHORT_TEXT)));
        if let Some(m) = &i.migration {
            all.extend(m.value.files_from.iter().map(|s| (s, SHORT_TEXT)));
        }
        all.extend(i.application.iter().flat_map(application_texts));
        all.extend(i.platform.iter().flat_map(platform_texts));
        for t in &i.interventions {
            all.push((&t.state, SHORT_TEXT));
            let more = t.start.iter().chain(&t.duration);
            all.extend(more.map(|s| (s, SHORT_TEXT)));
            all.extend(t.contacts.iter().map(|s| (s, TEXT)));
        }
        all.extend(i.rollback_until.iter().map(|s| (s, SHORT_TEXT)));
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
            all.extend(vm.software.iter().flat_map(software_texts));
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
pub(super) fn text_rules(r: &mut Report, inv: &Inventory) {
    for (s, max) in all_texts(inv) {
        text_rule(r, s, max, false);
    }
    for s in blocks(inv) {
        text_rule(r, s, limits::BLOCK, true);
    }
}

/// One text's rules; a `block` (several lines) may hold newlines and tabs, and spaces
/// around it.
fn text_rule(r: &mut Report, s: &S<String>, max: usize, block: bool) {
    let v = &s.value;
    let n = v.chars().count();
    let control = |c: &char| c.is_control() && !(block && matches!(c, '\n' | '\t'));
    if v.trim().is_empty() {
        r.err(
            Code::E0120,
            s,
            msg!("texts.empty"),
            msg!("texts.empty.help"),
        );
    } else if let Some(c) = v.chars().find(control) {
        r.err(
            Code::E0120,
            s,
            msg!("texts.control", code = format!("U+{:04X}", c as u32)),
            msg!("texts.control.help"),
        );
    } else if !block && v.trim() != v {
        r.err(
            Code::E0120,
            s,
            msg!("texts.spaces", value = crate::diag::shown(v)),
            msg!("texts.spaces.help"),
        );
    }
    if let Some(c) = v.chars().find(|&c| !drawable(c)) {
        r.err(
            Code::E0133,
            s,
            msg!(
                "texts.undrawable",
                character = c.escape_debug(),
                code = format!("U+{:04X}", c as u32)
            ),
            msg!("texts.undrawable.help"),
        );
    }
    if n > max {
        r.err(
            Code::E0126,
            s,
            msg!("texts.too_long", n = n, max = max),
            msg!("texts.too_long.help"),
        );
    }
}
