//! Two VMs that exist at the same state cannot share an IP address or a DNS name, anywhere in
//! the inventory (DNS names compare without case). One diagnostic per clashing pair, at the
//! second of the two, however many states the clash spans.

use super::Report;
use crate::diag::{Code, shown};
use crate::model::Inventory;
use crate::msg;
use crate::timeline::Timeline;
use std::collections::{BTreeMap, BTreeSet};

/// A VM: (instance index, VM index).
type VmKey = (usize, usize);

fn machine(inv: &Inventory, (i, v): VmKey) -> (&str, &str) {
    let inst = &inv.instances[i];
    (&inst.vms[v].machine.value, &inst.name.value)
}

/// Every VM that exists at state `si`, in inventory order.
fn alive(timelines: &[Timeline], si: usize) -> impl Iterator<Item = VmKey> + '_ {
    timelines.iter().enumerate().flat_map(move |(i, t)| {
        t.vms
            .iter()
            .enumerate()
            .filter(move |(_, l)| l.exists_at(si))
            .map(move |(v, _)| (i, v))
    })
}

pub(super) fn ip_rules(r: &mut Report, inv: &Inventory, timelines: &[Timeline]) {
    let mut reported: BTreeSet<(VmKey, VmKey)> = BTreeSet::new();
    for si in 0..inv.states.len() {
        let mut owner: BTreeMap<&str, VmKey> = BTreeMap::new();
        for key in alive(timelines, si) {
            let Some(ip) = &inv.instances[key.0].vms[key.1].ip else {
                continue;
            };
            let Some(&first) = owner.get(ip.value.as_str()) else {
                owner.insert(&ip.value, key);
                continue;
            };
            if reported.insert((first, key)) {
                let (m, inst) = machine(inv, first);
                r.err(
                    Code::E0105,
                    ip,
                    msg!(
                        "clashes.ip",
                        ip = shown(&ip.value),
                        machine = shown(m),
                        instance = shown(inst),
                        state = shown(&inv.states[si].id.value)
                    ),
                    msg!("clashes.ip.help"),
                );
            }
        }
    }
}

pub(super) fn dns_rules(r: &mut Report, inv: &Inventory, timelines: &[Timeline]) {
    let mut reported: BTreeSet<(String, VmKey, VmKey)> = BTreeSet::new();
    for si in 0..inv.states.len() {
        let mut holder: BTreeMap<&str, (VmKey, &str)> = BTreeMap::new();
        for key in alive(timelines, si) {
            for h in &timelines[key.0].vms[key.1].dns_after[si] {
                let Some(&(first, spelled)) = holder.get(h.key.as_str()) else {
                    holder.insert(&h.key, (key, &h.name));
                    continue;
                };
                if first == key || !reported.insert((h.key.clone(), first, key)) {
                    continue;
                }
                let (m, inst) = machine(inv, first);
                let text = msg!(
                    "clashes.dns",
                    name = shown(&h.name),
                    machine = shown(m),
                    instance = shown(inst),
                    state = shown(&inv.states[si].id.value),
                    spelled = if spelled == h.name {
                        String::new()
                    } else {
                        shown(spelled)
                    }
                );
                r.at(Code::E0106, h.at, text, msg!("clashes.dns.help"));
            }
        }
    }
}
