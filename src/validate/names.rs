//! Names and addresses: ids and annexe numbers, machine names (unique without case), DNS
//! names (syntax, zones), IPv4 addresses, URLs (through the `url` crate), mailboxes, and
//! every reference to a machine of the instance.

use super::Report;
use crate::diag::{Code, Pos, shown};
use crate::model::{Fate, Instance, Inventory, S};
use std::collections::BTreeMap;

pub fn is_slug(s: &str) -> bool {
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

pub(super) fn name_rules(r: &mut Report, inv: &Inventory) {
    id_rules(r, inv);
    machine_rules(r, inv);
    if let Some(url) = &inv.document.site_url {
        url_rule(r, url);
    }
    for inst in &inv.instances {
        url_rule(r, &inst.url);
        reference_rules(r, inst);
        for vm in &inst.vms {
            if let Some(ip) = &vm.ip {
                ip_rule(r, ip);
            }
            for d in &vm.dns {
                dns_rule(r, inv, d);
            }
        }
        for d in &inst.already_deleted {
            ip_rule(r, &d.ip);
        }
        for h in &inst.hosted_sites {
            url_rule(r, &h.url);
            if let Fate::MoveTo(host) = &h.fate.value
                && !is_fqdn(host)
            {
                r.err(
                    Code::E0103,
                    &h.fate,
                    format!("`{}` is not a valid DNS name", shown(host)),
                    "write a full name such as `fad.example.ca`",
                );
            }
        }
    }
}

/// Instance and state ids are slugs and unique; annexe numbers are unique and not zero.
fn id_rules(r: &mut Report, inv: &Inventory) {
    let mut ids: BTreeMap<&str, ()> = BTreeMap::new();
    let mut annexes: BTreeMap<u32, ()> = BTreeMap::new();
    for (i, inst) in inv.instances.iter().enumerate() {
        slug_rule(r, &inst.id, "instance");
        if ids.insert(&inst.id.value, ()).is_some() {
            r.err(
                Code::E0122,
                &inst.id,
                format!("instance id `{}` is used twice", shown(&inst.id.value)),
                "give each instance its own id",
            );
        }
        let (n, at) = match &inst.annexe {
            Some(a) => (a.value, Pos::from(a)),
            None => (i as u32 + 1, Pos::from(&inst.id)),
        };
        if annexes.insert(n, ()).is_some() || n == 0 {
            r.at(
                Code::E0122,
                at,
                format!("annexe number {n} is zero or used twice"),
                "number the annexes 1, 2, … (an instance without `annexe` takes its place in the list)",
            );
        }
    }
    for st in &inv.states {
        slug_rule(r, &st.id, "state");
    }
}

fn slug_rule(r: &mut Report, id: &S<String>, what: &str) {
    if !is_slug(&id.value) {
        r.err(
            Code::E0121,
            id,
            format!("{what} id `{}` is not a lowercase slug", shown(&id.value)),
            "use lowercase letters, digits and `-` (it names output files)",
        );
    }
}

/// Machine names are host-name labels, unique across the inventory without case.
fn machine_rules(r: &mut Report, inv: &Inventory) {
    let mut seen: BTreeMap<String, &S<String>> = BTreeMap::new();
    for vm in inv.instances.iter().flat_map(|i| &i.vms) {
        let name = &vm.machine;
        if !is_hostname_label(&name.value) {
            r.err(
                Code::E0102,
                name,
                format!("`{}` is not a valid machine name", shown(&name.value)),
                "use letters, digits and `-` (1 to 63 characters, no `/`, `.` or spaces)",
            );
        }
        match seen.get(&name.value.to_ascii_lowercase()) {
            Some(prev) => {
                let same = prev.value == name.value;
                let msg = if same {
                    format!(
                        "machine name `{}` is already used at line {}",
                        shown(&name.value),
                        prev.referenced.line()
                    )
                } else {
                    format!(
                        "machine name `{}` is `{}` of line {} (names compare without case)",
                        shown(&name.value),
                        shown(&prev.value),
                        prev.referenced.line()
                    )
                };
                r.err(
                    Code::E0104,
                    name,
                    msg,
                    "machine names are unique across the inventory",
                );
            }
            None => {
                seen.insert(name.value.to_ascii_lowercase(), name);
            }
        }
    }
}

/// A reference to a machine of `inst`, with « did you mean » when it is not one.
fn known(r: &mut Report, inst: &Instance, at: Pos, name: &str, what: &str) {
    let machines: Vec<&str> = inst.vms.iter().map(|m| m.machine.value.as_str()).collect();
    if machines.contains(&name) {
        return;
    }
    let help = Report::suggest(
        name,
        machines.iter().copied(),
        format!(
            "machines of {}: {}",
            shown(&inst.name.value),
            machines.join(", ")
        ),
    );
    r.at(
        Code::E0119,
        at,
        format!(
            "{what} `{}` is not a machine of {}",
            shown(name),
            shown(&inst.name.value)
        ),
        &help,
    );
}

fn reference_rules(r: &mut Report, inst: &Instance) {
    if let Some(m) = &inst.migration {
        if let Some(t) = &m.value.target {
            for name in t.value.names() {
                known(r, inst, Pos::from(t), name, "migration target");
            }
        }
        if let Some(f) = &m.value.files_from {
            known(r, inst, Pos::from(f), &f.value, "files_from");
        }
        if let Some(db) = &m.value.database {
            for s in db.value.machines() {
                known(r, inst, Pos::from(db), s, "the database server");
            }
        }
    }
    for h in &inst.hosted_sites {
        known(r, inst, Pos::from(&h.vm), &h.vm.value, "hosting VM");
    }
}

fn ip_rule(r: &mut Report, ip: &S<String>) {
    if ip.value.parse::<std::net::Ipv4Addr>().is_err() {
        r.err(
            Code::E0101,
            ip,
            format!("`{}` is not an IPv4 address", shown(&ip.value)),
            "write four numbers from 0 to 255 separated by dots, e.g. 10.88.0.210",
        );
    }
}

/// A DNS name's syntax, and whether it is in the inventory's zones.
pub(super) fn dns_rule(r: &mut Report, inv: &Inventory, name: &S<String>) {
    if !is_fqdn(&name.value) {
        r.err(
            Code::E0103,
            name,
            format!("`{}` is not a valid DNS name", shown(&name.value)),
            "write a full name such as `examens.example.ca`",
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
        r.err(
            Code::W0108,
            name,
            format!(
                "`{}` is outside the inventory's zones ({})",
                shown(&name.value),
                zones.join(", ")
            ),
            "fix the name if it is a typo, or add it to `document.dns_allow` if it is right",
        );
    }
}

/// An http(s) URL whose host is a DNS name (a port, a path, a query are fine).
pub(super) fn url_rule(r: &mut Report, url: &S<String>) {
    let ok = url::Url::parse(&url.value).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && u.username().is_empty()
            && u.password().is_none()
            && matches!(u.host(), Some(url::Host::Domain(d)) if is_fqdn(d))
    });
    if !ok {
        r.err(
            Code::E0123,
            url,
            format!(
                "`{}` is not an http(s) URL with a valid host",
                shown(&url.value)
            ),
            "write e.g. `https://examens.example.ca` (a port and a path may follow)",
        );
    }
}
