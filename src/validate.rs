//! The *validate* stage: every rule the inventory must follow, each with its own code.
//! All faults are collected in one run, each pointing at the value it is about.

use crate::date::Date;
use crate::diag::{Code, Diagnostic, Pos, did_you_mean};
use crate::model::{Action, Database, Fate, Instance, Inventory, S, StateKind, Vm};
use std::collections::{BTreeMap, BTreeSet};

/// How strict: `build` warns about a creation without ticket, `check` refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Build,
    Check,
}

struct V<'a> {
    file: &'a str,
    out: Vec<Diagnostic>,
}

impl V<'_> {
    fn err<T>(&mut self, code: Code, at: &S<T>, msg: String, help: &str) {
        let d = Diagnostic::error(code, self.file, Pos::from(at), msg);
        self.out.push(if help.is_empty() {
            d
        } else {
            d.with_help(help)
        });
    }
    fn warn<T>(&mut self, code: Code, at: &S<T>, msg: String, help: &str) {
        let d = Diagnostic::warning(code, self.file, Pos::from(at), msg).with_help(help);
        self.out.push(d);
    }
}

/// Checks the inventory; returns every diagnostic, sorted by position.
pub fn validate(file: &str, inv: &Inventory, mode: Mode) -> Vec<Diagnostic> {
    let mut v = V {
        file,
        out: Vec::new(),
    };
    text_rules(&mut v, inv);
    let dates = state_rules(&mut v, inv);
    let mut machines: BTreeMap<&str, &S<String>> = BTreeMap::new();
    let mut ids: BTreeMap<&str, ()> = BTreeMap::new();
    let mut annexes: BTreeMap<u32, ()> = BTreeMap::new();
    let mut tickets: BTreeMap<u32, ()> = BTreeMap::new();
    for inst in &inv.instances {
        if !is_slug(&inst.id.value) {
            v.err(
                Code::E0121,
                &inst.id,
                format!("instance id `{}` is not a lowercase slug", inst.id.value),
                "use lowercase letters, digits and `-` (it names output files)",
            );
        }
        if ids.insert(&inst.id.value, ()).is_some() {
            v.err(
                Code::E0122,
                &inst.id,
                format!("instance id `{}` is used twice", inst.id.value),
                "give each instance its own id",
            );
        }
        if annexes.insert(inst.annexe.value, ()).is_some() || inst.annexe.value == 0 {
            v.err(
                Code::E0122,
                &inst.annexe,
                format!("annexe number {} is zero or used twice", inst.annexe.value),
                "number the annexes 1, 2, …",
            );
        }
        url_rule(&mut v, &inst.url);
        for vm in &inst.vms {
            if let Some(prev) = machines.insert(&vm.machine.value, &vm.machine) {
                v.err(
                    Code::E0104,
                    &vm.machine,
                    format!(
                        "machine name `{}` is already used at line {}",
                        vm.machine.value,
                        prev.referenced.line()
                    ),
                    "machine names are unique across the inventory",
                );
            }
            for sa in &vm.actions {
                for a in &sa.actions {
                    if let Action::Create(c) = &a.value {
                        match c.ticket {
                            Some(n) if tickets.insert(n, ()).is_some() => v.err(
                                Code::E0118,
                                a,
                                format!("Octopus ticket {n} asks for two creations"),
                                "each creation has its own ticket number",
                            ),
                            Some(_) => {}
                            None if mode == Mode::Check => v.err(
                                Code::E0117,
                                a,
                                format!(
                                    "the creation of `{}` has no Octopus ticket number",
                                    vm.machine.value
                                ),
                                "write `create: { ticket: NUMBER }` once the request is filed",
                            ),
                            None => v.warn(
                                Code::W0117,
                                a,
                                format!(
                                    "the creation of `{}` has no Octopus ticket number yet",
                                    vm.machine.value
                                ),
                                "write `create: { ticket: NUMBER }` once the request is filed",
                            ),
                        }
                    }
                }
            }
        }
        instance_rules(&mut v, inv, inst, &dates);
    }
    cross_state_rules(&mut v, inv);
    order_rules(&mut v, inv);
    let mut out = v.out;
    crate::diag::sort(&mut out);
    out
}

/// Every string: not empty, no control characters (they would corrupt every output).
fn text_rules(v: &mut V, inv: &Inventory) {
    let d = &inv.document;
    let mut all: Vec<&S<String>> = vec![
        &d.title,
        &d.organisation,
        &d.purpose,
        &d.decision.meeting,
        &d.decision.date,
        &d.platform.os,
        &d.platform.os_version,
        &d.platform.php,
        &d.moodle.from,
        &d.moodle.target,
        &d.moodle.source_code,
    ];
    all.extend(d.zones.iter().chain(&d.dns_allow).chain(&d.octopus_mailbox));
    for st in &inv.states {
        all.extend([&st.id, &st.label]);
        all.extend(&st.date);
    }
    for i in &inv.instances {
        all.extend([
            &i.id,
            &i.name,
            &i.users,
            &i.role,
            &i.url,
            &i.scope,
            &i.migration.filedir_from,
        ]);
        all.extend(&i.jour_m);
        for vm in &i.vms {
            all.push(&vm.machine);
            all.extend(
                vm.ip
                    .iter()
                    .chain(&vm.dns)
                    .chain(&vm.role)
                    .chain(&vm.role_after),
            );
            all.extend(vm.actions.iter().map(|a| &a.state));
        }
        for x in &i.already_deleted {
            all.extend([&x.name, &x.ip]);
        }
        for h in &i.hosted_sites {
            all.extend([&h.url, &h.vm]);
        }
    }
    for s in all {
        if s.value.trim().is_empty() {
            v.err(
                Code::E0120,
                s,
                "empty text".into(),
                "write a value or remove the key",
            );
        } else if let Some(c) = s.value.chars().find(|c| c.is_control()) {
            v.err(
                Code::E0120,
                s,
                format!("text contains the control character U+{:04X}", c as u32),
                "remove it: control characters cannot be shown in the document, SVG or tickets",
            );
        }
    }
}

/// State list shape and dates. Returns the parsed reference date.
fn state_rules(v: &mut V, inv: &Inventory) -> Dates {
    let mut dates = Dates::default();
    if let Err(e) = crate::date::parse(&inv.document.decision.date.value) {
        v.err(
            Code::E0109,
            &inv.document.decision.date,
            e,
            "write the date as AAAA-MM-JJ",
        );
    }
    let kinds: Vec<StateKind> = inv.states.iter().map(|s| s.kind.value).collect();
    let expected = [StateKind::Reference, StateKind::Migration, StateKind::After];
    if kinds != expected {
        // Point at the first state that is not the expected one.
        let at = inv
            .states
            .iter()
            .zip(expected)
            .find(|(s, k)| s.kind.value != *k)
            .map(|(s, _)| Pos::from(&s.kind))
            .or_else(|| inv.states.last().map(|s| Pos::from(&s.id)))
            .unwrap_or(Pos::new(1, 1));
        v.out.push(
            Diagnostic::error(
                Code::E0110,
                v.file,
                at,
                "the states must be, in order: one `reference`, one `migration` (jour M), one `after`",
            )
            .with_help("the annexes have exactly these three columns"),
        );
    }
    let mut seen = BTreeSet::new();
    for st in &inv.states {
        if !seen.insert(st.id.value.as_str()) {
            v.err(
                Code::E0110,
                &st.id,
                format!("state id `{}` is used twice", st.id.value),
                "give each state its own id",
            );
        }
        if !is_slug(&st.id.value) {
            v.err(
                Code::E0121,
                &st.id,
                format!("state id `{}` is not a lowercase slug", st.id.value),
                "use lowercase letters, digits and `-` (it names output files)",
            );
        }
        match st.kind.value {
            StateKind::Reference => match &st.date {
                None => v.err(
                    Code::E0110,
                    &st.kind,
                    "the reference state needs a `date`".into(),
                    "add `date: AAAA-MM-JJ`",
                ),
                Some(d) => match crate::date::parse(&d.value) {
                    Ok(date) => dates.reference = Some(date),
                    Err(e) => v.err(Code::E0109, d, e, "write the date as AAAA-MM-JJ"),
                },
            },
            StateKind::After => {
                if st.offset_days.as_ref().is_none_or(|o| o.value == 0) {
                    v.err(
                        Code::E0110,
                        &st.kind,
                        "the `after` state needs `offset_days` of at least 1".into(),
                        "add e.g. `offset_days: 30`",
                    );
                }
            }
            StateKind::Migration => {}
        }
        if st.kind.value != StateKind::Reference
            && let Some(d) = &st.date
        {
            v.err(
                Code::E0110,
                d,
                "only the reference state has a fixed date".into(),
                "give each instance its `jour_m` date instead",
            );
        }
    }
    dates
}

#[derive(Default)]
struct Dates {
    reference: Option<Date>,
}

fn instance_rules(v: &mut V, inv: &Inventory, inst: &Instance, dates: &Dates) {
    let state_ids: Vec<&str> = inv.states.iter().map(|s| s.id.value.as_str()).collect();
    let state_index = |id: &str| state_ids.iter().position(|s| *s == id);
    let machine_names: Vec<&str> = inst.vms.iter().map(|m| m.machine.value.as_str()).collect();
    let known = |v: &mut V, at: &S<String>, name: &str, what: &str| {
        if !machine_names.contains(&name) {
            let help = match did_you_mean(name, machine_names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "machines of {}: {}",
                    inst.name.value,
                    machine_names.join(", ")
                ),
            };
            v.err(
                Code::E0119,
                at,
                format!("{what} `{name}` is not a machine of {}", inst.name.value),
                &help,
            );
        }
    };
    if let Some(j) = &inst.jour_m {
        match crate::date::parse(&j.value) {
            Err(e) => v.err(Code::E0109, j, e, "write the date as AAAA-MM-JJ"),
            Ok(d) => {
                if dates.reference.is_some_and(|r| d <= r) {
                    v.err(
                        Code::E0111,
                        j,
                        format!("jour M {} is not after the reference date", d),
                        "jour M comes after the reference state",
                    );
                }
            }
        }
    }
    known(
        v,
        &inst.migration.filedir_from,
        &inst.migration.filedir_from.value,
        "filedir_from",
    );
    let db = &inst.migration.database;
    let (Database::Connect(m) | Database::Migrate(m)) = &db.value;
    let db_name = S {
        value: m.clone(),
        referenced: db.referenced,
        defined: db.defined,
    };
    known(v, &db_name, m, "the database server");
    for h in &inst.hosted_sites {
        known(v, &h.vm, &h.vm.value, "hosting VM");
        url_rule(v, &h.url);
        if let Fate::MoveTo(host) = &h.fate.value
            && !is_fqdn(host)
        {
            v.err(
                Code::E0103,
                &h.fate,
                format!("`{host}` is not a valid DNS name"),
                "write a full name such as `fad.example.ca`",
            );
        }
    }
    for d in &inst.already_deleted {
        ip_rule(v, &d.ip);
    }
    for vm in &inst.vms {
        if !is_hostname_label(&vm.machine.value) {
            v.err(
                Code::E0102,
                &vm.machine,
                format!("`{}` is not a valid machine name", vm.machine.value),
                "use letters, digits and `-` (1 to 63 characters, no `/`, `.` or spaces)",
            );
        }
        if let Some(ip) = &vm.ip {
            ip_rule(v, ip);
        }
        for d in &vm.dns {
            dns_rule(v, inv, d);
        }
        let mut created: Option<usize> = None;
        let mut deleted: Option<usize> = None;
        let mut acted: Vec<(usize, &S<Action>)> = Vec::new();
        for sa in &vm.actions {
            let Some(si) = state_index(&sa.state.value) else {
                let help = match did_you_mean(&sa.state.value, state_ids.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("states: {}", state_ids.join(", ")),
                };
                v.err(
                    Code::E0113,
                    &sa.state,
                    format!("unknown state `{}`", sa.state.value),
                    &help,
                );
                continue;
            };
            for a in &sa.actions {
                acted.push((si, a));
                match &a.value {
                    Action::Create(_) => {
                        if created.replace(si).is_some() {
                            v.err(
                                Code::E0125,
                                a,
                                format!("`{}` is created twice", vm.machine.value),
                                "keep one `create`",
                            );
                        }
                    }
                    Action::Delete => {
                        if deleted.replace(si).is_some() {
                            v.err(
                                Code::E0125,
                                a,
                                format!("`{}` is deleted twice", vm.machine.value),
                                "keep one `delete`",
                            );
                        }
                    }
                    Action::DnsMove(m) => {
                        if !is_fqdn(&m.name) {
                            v.err(
                                Code::E0103,
                                a,
                                format!("`{}` is not a valid DNS name", m.name),
                                "write a full name such as `www.example.ca`",
                            );
                        }
                        if m.from == vm.machine.value {
                            v.err(
                                Code::E0107,
                                a,
                                format!(
                                    "`{}` cannot take a DNS name from itself",
                                    vm.machine.value
                                ),
                                "name the VM that holds it now in `from`",
                            );
                        } else {
                            let at = S {
                                value: m.from.clone(),
                                referenced: a.referenced,
                                defined: a.defined,
                            };
                            known(v, &at, &m.from, "dns-move `from`");
                        }
                    }
                    Action::DnsRelease(name) => {
                        if !is_fqdn(name) {
                            v.err(
                                Code::E0103,
                                a,
                                format!("`{name}` is not a valid DNS name"),
                                "write a full name such as `www.example.ca`",
                            );
                        }
                    }
                    Action::Deactivate => {}
                }
            }
        }
        for (si, a) in &acted {
            if let Some(d) = deleted
                && *si > d
            {
                v.err(
                    Code::E0114,
                    a,
                    format!("`{}` is acted on after its deletion", vm.machine.value),
                    "remove the action or move the deletion later",
                );
            }
            if let Some(c) = created
                && *si < c
            {
                v.err(
                    Code::E0115,
                    a,
                    format!("`{}` is acted on before its creation", vm.machine.value),
                    "a created VM does not exist before its creation",
                );
            }
        }
        if created.is_none() && vm.role.is_none() {
            v.err(
                Code::E0124,
                &vm.machine,
                format!("`{}` has no `role`", vm.machine.value),
                "add its current `role` (only a VM to create has none)",
            );
        }
        match (deleted.is_some(), &vm.role_after) {
            (true, Some(r)) => v.err(
                Code::E0116,
                r,
                format!(
                    "`{}` is deleted, so it has no role after the migration",
                    vm.machine.value
                ),
                "remove `role_after`",
            ),
            (false, None) => v.err(
                Code::E0116,
                &vm.machine,
                format!("`{}` stays but has no `role_after`", vm.machine.value),
                "add `role_after`, or a `delete` action",
            ),
            _ => {}
        }
    }
    dns_holding_rules(v, inv, inst);
}

/// Replays DNS holdings state by state: one holder per name, moves only from the holder.
fn dns_holding_rules(v: &mut V, inv: &Inventory, inst: &Instance) {
    let n = inv.states.len();
    let index = |id: &str| inv.states.iter().position(|s| s.id.value == id);
    let created: Vec<Option<usize>> = inst
        .vms
        .iter()
        .map(|vm| first_state_with(inv, vm, |a| matches!(a, Action::Create(_))))
        .collect();
    let mut held: BTreeMap<String, usize> = BTreeMap::new();
    for si in 0..n {
        for (vi, vm) in inst.vms.iter().enumerate() {
            if created[vi].map_or(si == 0, |c| c == si) {
                for d in &vm.dns {
                    if let Some(&other) = held.get(&d.value)
                        && other != vi
                    {
                        v.err(
                            Code::E0106,
                            d,
                            format!(
                                "`{}` is already held by `{}` in state `{}`",
                                d.value, inst.vms[other].machine.value, inv.states[si].id.value
                            ),
                            "a DNS name has one holder per state: use a dns-move",
                        );
                        continue;
                    }
                    held.insert(d.value.clone(), vi);
                }
            }
        }
        for (vi, vm) in inst.vms.iter().enumerate() {
            for sa in vm
                .actions
                .iter()
                .filter(|sa| index(&sa.state.value) == Some(si))
            {
                for a in &sa.actions {
                    match &a.value {
                        Action::DnsMove(m) => match held.get(&m.name) {
                            Some(&h) if inst.vms[h].machine.value == m.from => {
                                held.insert(m.name.clone(), vi);
                            }
                            Some(&h) => v.err(
                                Code::E0107,
                                a,
                                format!(
                                    "`{}` is held by `{}`, not `{}`",
                                    m.name, inst.vms[h].machine.value, m.from
                                ),
                                "a name moves from the VM that holds it in that state",
                            ),
                            None => v.err(
                                Code::E0107,
                                a,
                                format!(
                                    "no VM holds `{}` at this state, so it cannot move from `{}`",
                                    m.name, m.from
                                ),
                                "list the name in `dns` of the VM that holds it",
                            ),
                        },
                        Action::DnsRelease(name) => {
                            if held.get(name) == Some(&vi) {
                                held.remove(name);
                            } else {
                                v.err(
                                    Code::E0107,
                                    a,
                                    format!(
                                        "`{}` does not hold `{name}` at this state",
                                        vm.machine.value
                                    ),
                                    "release only a name the VM holds",
                                );
                            }
                        }
                        Action::Delete => held.retain(|_, h| *h != vi),
                        _ => {}
                    }
                }
            }
        }
    }
}

/// Unique IPs among the VMs that exist in a same state, across instances.
/// Index of the first state where `vm` has an action matching `kind`.
fn first_state_with(inv: &Inventory, vm: &Vm, kind: fn(&Action) -> bool) -> Option<usize> {
    vm.actions.iter().find_map(|sa| {
        sa.actions
            .iter()
            .any(|a| kind(&a.value))
            .then(|| inv.states.iter().position(|s| s.id.value == sa.state.value))
            .flatten()
    })
}

fn cross_state_rules(v: &mut V, inv: &Inventory) {
    for si in 0..inv.states.len() {
        let mut ips: BTreeMap<&str, &str> = BTreeMap::new();
        for inst in &inv.instances {
            for vm in &inst.vms {
                let Some(ip) = &vm.ip else { continue };
                let created = first_state_with(inv, vm, |a| matches!(a, Action::Create(_)));
                let deleted = first_state_with(inv, vm, |a| matches!(a, Action::Delete));
                if created.is_some_and(|c| si < c) || deleted.is_some_and(|d| si > d) {
                    continue;
                }
                if let Some(other) = ips.insert(&ip.value, &vm.machine.value)
                    && other != vm.machine.value
                {
                    v.err(
                        Code::E0105,
                        ip,
                        format!(
                            "IP {} is also used by `{other}` in state `{}`",
                            ip.value, inv.states[si].id.value
                        ),
                        "two VMs that exist at the same time need different addresses",
                    );
                }
            }
        }
    }
    // The same fault is found in every state it spans: report it once.
    v.out.dedup_by(|a, b| {
        a.code == Code::E0105 && a.code == b.code && a.line == b.line && a.col == b.col
    });
}

fn order_rules(v: &mut V, inv: &Inventory) {
    let mut orders = BTreeMap::new();
    for inst in &inv.instances {
        if let Some(prev) = orders.insert(inst.order.value, &inst.name.value) {
            v.err(
                Code::E0112,
                &inst.order,
                format!("migration order {} is also {prev}'s", inst.order.value),
                "give each instance its own order (1 migrates first)",
            );
        }
    }
    let dated: Vec<(&Instance, Date)> = inv
        .instances
        .iter()
        .filter_map(|i| Some((i, crate::date::parse(&i.jour_m.as_ref()?.value).ok()?)))
        .collect();
    for (a, da) in &dated {
        for (b, db) in &dated {
            if a.order.value < b.order.value
                && da > db
                && let Some(j) = &a.jour_m
            {
                v.err(
                    Code::E0112,
                    j,
                    format!(
                        "{} migrates before {} (order {} < {}) but its jour M {} is later than {}",
                        a.name.value, b.name.value, a.order.value, b.order.value, da, db
                    ),
                    "fix the dates or the `order`",
                );
            }
        }
    }
}

fn ip_rule(v: &mut V, ip: &S<String>) {
    if ip.value.parse::<std::net::Ipv4Addr>().is_err() {
        v.err(
            Code::E0101,
            ip,
            format!("`{}` is not an IPv4 address", ip.value),
            "write four numbers from 0 to 255 separated by dots, e.g. 10.88.0.210",
        );
    }
}

fn dns_rule(v: &mut V, inv: &Inventory, name: &S<String>) {
    if !is_fqdn(&name.value) {
        v.err(
            Code::E0103,
            name,
            format!("`{}` is not a valid DNS name", name.value),
            "write a full name such as `campus.example.ca`",
        );
        return;
    }
    let lower = name.value.to_ascii_lowercase();
    let in_zone = inv.document.zones.iter().any(|z| {
        let z = z.value.to_ascii_lowercase();
        lower == z || lower.ends_with(&format!(".{z}"))
    });
    let allowed = inv
        .document
        .dns_allow
        .iter()
        .any(|a| a.value.eq_ignore_ascii_case(&name.value));
    if !in_zone && !allowed {
        let zones: Vec<&str> = inv
            .document
            .zones
            .iter()
            .map(|z| z.value.as_str())
            .collect();
        v.warn(
            Code::W0108,
            name,
            format!(
                "`{}` is outside the inventory's zones ({})",
                name.value,
                zones.join(", ")
            ),
            "fix the name if it is a typo, or add it to `document.dns_allow` if it is right",
        );
    }
}

fn url_rule(v: &mut V, url: &S<String>) {
    let host = url
        .value
        .strip_prefix("https://")
        .or_else(|| url.value.strip_prefix("http://"))
        .map(|r| r.split('/').next().unwrap_or(""));
    if !host.is_some_and(is_fqdn) {
        v.err(
            Code::E0123,
            url,
            format!("`{}` is not an http(s) URL with a valid host", url.value),
            "write e.g. `https://campus.example.ca`",
        );
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// One DNS label: letters, digits and `-`, 1–63 chars, not starting or ending with `-`.
pub fn is_hostname_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A fully qualified name: at least two valid labels, ≤ 253 characters, a non-numeric TLD.
pub fn is_fqdn(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    s.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| is_hostname_label(l))
        && labels
            .last()
            .is_some_and(|t| t.bytes().any(|b| b.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_fqdn("campus.cegepadistance.ca"));
        assert!(!is_fqdn("campus"));
        assert!(!is_fqdn("a..b.ca"));
        assert!(!is_fqdn("../etc.ca"));
        assert!(is_hostname_label("campusweb-UPG2"));
        assert!(!is_hostname_label("a/b"));
        assert!(!is_hostname_label(".."));
    }

    #[test]
    fn seed_inventory_has_only_the_qc_ca_warning() {
        let text = crate::fixtures::SEED;
        let (_, inv) = crate::load::load_bytes("i.yaml", text.as_bytes()).unwrap();
        let d = validate("i.yaml", &inv, Mode::Check);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].code, Code::W0108);
        assert!(d[0].message.contains("campusdbupg.cegepadistance.qc.ca"));
    }
}
