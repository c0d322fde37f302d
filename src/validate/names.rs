//! Names and addresses: ids and annexe numbers, machine names (unique without case), DNS
//! names (syntax, zones), IPv4 addresses, URLs (through the `url` crate), mailboxes, and
//! every reference to a machine of the instance.

use super::Report;
use crate::diag::{Code, Pos, Text, shown};
use crate::model::{Fate, Instance, Inventory, S};
use crate::msg;
use std::collections::BTreeMap;

/// An id: lowercase ASCII letters, digits and `-`, 1 to 64 bytes, not starting with `-`.
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
                    msg!("names.dns_invalid", name = shown(host)),
                    msg!("names.dns_invalid.help"),
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
        slug_rule(r, &inst.id, msg!("names.slug.instance"));
        if ids.insert(&inst.id.value, ()).is_some() {
            r.err(
                Code::E0122,
                &inst.id,
                msg!("names.instance_id_twice", id = shown(&inst.id.value)),
                msg!("names.instance_id_twice.help"),
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
                msg!("names.annexe_twice", n = n),
                msg!("names.annexe_twice.help"),
            );
        }
    }
    for st in &inv.states {
        slug_rule(r, &st.id, msg!("names.slug.state"));
    }
}

fn slug_rule(r: &mut Report, id: &S<String>, what: Text) {
    if !is_slug(&id.value) {
        r.err(
            Code::E0121,
            id,
            msg!("names.slug", what = what, id = shown(&id.value)),
            msg!("names.slug.help"),
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
                msg!("names.machine_invalid", name = shown(&name.value)),
                msg!("names.machine_invalid.help"),
            );
        }
        match seen.get(&name.value.to_ascii_lowercase()) {
            Some(prev) => {
                let same = prev.value == name.value;
                let msg = if same {
                    msg!(
                        "names.machine_twice",
                        name = shown(&name.value),
                        line = prev.referenced.line()
                    )
                } else {
                    msg!(
                        "names.machine_case",
                        name = shown(&name.value),
                        other = shown(&prev.value),
                        line = prev.referenced.line()
                    )
                };
                r.err(Code::E0104, name, msg, msg!("names.machine_twice.help"));
            }
            None => {
                seen.insert(name.value.to_ascii_lowercase(), name);
            }
        }
    }
}

/// A reference to a machine of `inst`, with « did you mean » when it is not one.
fn known(r: &mut Report, inst: &Instance, at: Pos, name: &str, what: Text) {
    let machines: Vec<&str> = inst.vms.iter().map(|m| m.machine.value.as_str()).collect();
    if machines.contains(&name) {
        return;
    }
    let help = Report::suggest(
        name,
        machines.iter().copied(),
        msg!(
            "names.unknown_machine.help",
            instance = shown(&inst.name.value),
            machines = machines.join(", ")
        ),
    );
    r.at(
        Code::E0119,
        at,
        msg!(
            "names.unknown_machine",
            what = what,
            name = shown(name),
            instance = shown(&inst.name.value)
        ),
        help,
    );
}

fn reference_rules(r: &mut Report, inst: &Instance) {
    if let Some(m) = &inst.migration {
        if let Some(t) = &m.value.target {
            for name in t.value.names() {
                known(r, inst, Pos::from(t), name, msg!("names.ref.target"));
            }
        }
        if let Some(f) = &m.value.files_from {
            known(
                r,
                inst,
                Pos::from(f),
                &f.value,
                msg!("names.ref.files_from"),
            );
        }
        if let Some(db) = &m.value.database {
            for s in db.value.machines() {
                known(r, inst, Pos::from(db), s, msg!("names.ref.database"));
            }
        }
    }
    for h in &inst.hosted_sites {
        known(
            r,
            inst,
            Pos::from(&h.vm),
            &h.vm.value,
            msg!("names.ref.hosting"),
        );
    }
}

fn ip_rule(r: &mut Report, ip: &S<String>) {
    if ip.value.parse::<std::net::Ipv4Addr>().is_err() {
        r.err(
            Code::E0101,
            ip,
            msg!("names.ip_invalid", value = shown(&ip.value)),
            msg!("names.ip_invalid.help"),
        );
    }
}

/// A DNS name's syntax, and whether it is in the inventory's zones.
pub(super) fn dns_rule(r: &mut Report, inv: &Inventory, name: &S<String>) {
    if !is_fqdn(&name.value) {
        r.err(
            Code::E0103,
            name,
            msg!("names.dns_invalid", name = shown(&name.value)),
            msg!("names.dns_invalid.help"),
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
            msg!(
                "names.outside_zones",
                name = shown(&name.value),
                zones = zones.join(", ")
            ),
            msg!("names.outside_zones.help"),
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
            msg!("names.url_invalid", url = shown(&url.value)),
            msg!("names.url_invalid.help"),
        );
    }
}
