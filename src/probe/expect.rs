//! What `probe` expects of the network at one state, read from the plan only: every DNS
//! name held at that state and the VM (and IP) that holds it, and every name a VM held
//! before and gave up (released, or its VM deleted) that must no longer point at it.

use crate::plan::{InstancePlan, SiteFate, VmPlan};
use std::collections::BTreeSet;

/// One name to look up, and what the plan says of it at the probed state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expect {
    /// The instance's name, as the document writes it.
    pub(crate) instance: String,
    /// The DNS name.
    pub(crate) name: String,
    /// What it must give.
    pub(crate) kind: Kind,
}

/// What a name must give at the probed state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Held by `vm` once the state's work is done: it must give `ip`, when the inventory
    /// knows it (else any address found is reported, with the line to add).
    Held { vm: String, ip: Option<String> },
    /// Held by `vm` at an earlier state and held by no VM now: it must no longer give
    /// `ip` (`None`: the inventory does not know it, so nothing can be told).
    Gone {
        vm: String,
        ip: Option<String>,
        why: Why,
    },
}

/// Why a name no longer belongs to the VM that held it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// The VM released it (or it moved away and nobody holds it now).
    Released,
    /// The VM is deleted by this state.
    Deleted,
}

/// The expectations of one instance at `state`.
pub(crate) fn of_instance(inst: &InstancePlan, state: usize) -> Vec<Expect> {
    let held_now: BTreeSet<&str> = (inst.vms.iter()).flat_map(|vm| holds(vm, state)).collect();
    let mut out = Vec::new();
    for vm in &inst.vms {
        let Some(cell) = vm.cells.get(state) else {
            continue;
        };
        let ip = cell.ip.clone().or_else(|| vm.ip.clone());
        if holds(vm, state).next().is_some() {
            for name in &cell.dns {
                let kind = Kind::Held {
                    vm: vm.machine.clone(),
                    ip: ip.clone(),
                };
                out.push(expect(inst, name, kind));
            }
        }
        for name in given_up(vm, state) {
            if held_now.contains(name) {
                continue; // moved: the VM that holds it now is its check
            }
            let why = match vm.deleted_at {
                Some(d) if d <= state => Why::Deleted,
                _ => Why::Released,
            };
            let vm = vm.machine.clone();
            let ip = ip.clone();
            out.push(expect(inst, name, Kind::Gone { vm, ip, why }));
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The names `vm` held at the start or at any state up to `state` and no longer holds
/// once `state`'s work is done (all of them when it is gone by then).
fn given_up(vm: &VmPlan, state: usize) -> BTreeSet<&str> {
    let now: BTreeSet<&str> = holds(vm, state).collect();
    let before = (vm.dns_now.iter().map(String::as_str)).chain(
        (vm.cells.iter().take(state + 1))
            .flat_map(|c| c.dns.iter().chain(&c.dns_before))
            .map(String::as_str),
    );
    before.filter(|n| !now.contains(n)).collect()
}

/// The names `vm` holds once `state`'s work is done: none when it is absent, or deleted
/// at that state or before (its deletion takes its names out of the DNS).
fn holds(vm: &VmPlan, state: usize) -> impl Iterator<Item = &str> {
    let deleted = vm.deleted_at.is_some_and(|d| d <= state);
    (vm.cells.get(state))
        .filter(|c| c.present && !deleted)
        .into_iter()
        .flat_map(|c| c.dns.iter().map(String::as_str))
}

fn expect(inst: &InstancePlan, name: &str, kind: Kind) -> Expect {
    Expect {
        instance: inst.name.clone(),
        name: name.to_string(),
        kind,
    }
}

/// A site to request, and what it must do at the probed state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SiteExpect {
    /// Its URL, as the inventory writes it.
    pub(crate) url: String,
    /// The URL's host, which probe's DNS query resolves.
    pub(crate) host: String,
    /// The VM that hosts it (empty for the instance's own URL).
    pub(crate) vm: String,
    /// It must answer (else it is deleted by this state and must no longer be served).
    pub(crate) answers: bool,
}

/// The sites of `inst` at `state`: its own URL, which answers while one of its VMs runs
/// (once none does, nothing is expected of it: the runbook no longer checks it either), and
/// each hosted site, which answers until the state that deletes it.
pub(crate) fn sites_of(inst: &InstancePlan, state: usize) -> Vec<SiteExpect> {
    let runs = inst.vms.iter().any(|v| v.runs_after(state));
    let own = site(&inst.url, "", true).filter(|_| runs);
    let mut out: Vec<SiteExpect> = own.into_iter().collect();
    for group in &inst.hosted {
        for s in &group.sites {
            let handled = (inst.columns.iter()).position(|c| c.state_id == s.state_id);
            let deleted = s.fate == SiteFate::Delete && handled.is_some_and(|h| h <= state);
            out.extend(site(&s.url, &group.vm, !deleted));
        }
    }
    out
}

/// A site of `url` (none when it has no host, which validation refuses).
fn site(url: &str, vm: &str, answers: bool) -> Option<SiteExpect> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_string();
    Some(SiteExpect {
        url: url.to_string(),
        host,
        vm: vm.to_string(),
        answers,
    })
}
