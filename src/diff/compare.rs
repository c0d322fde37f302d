//! Two plans in, their differences out: every fact, VM, cell, DNS move, ticket and count the
//! outputs show, compared by identity (a VM by machine name, a state by id, a move by DNS
//! name, a creation by machine, an intervention by state), never by text.

use super::rows::Rows;
use super::types::{Count, Diff, Fact, InstanceDiff, Key, Kind, Row, Status, Ticket};
use crate::plan::{DnsMovePlan, InstancePlan, Plan, StatePlan, VmPlan};

/// What changes from `old` to `new`; `old_name` and `new_name` say where each was read.
pub fn compare(old_name: &str, old: &Plan, new_name: &str, new: &Plan) -> Diff {
    let mut instances = Vec::new();
    for n in &new.instances {
        let o = old.instances.iter().find(|o| o.id == n.id);
        let status = if o.is_some() {
            Status::Changed
        } else {
            Status::Added
        };
        let rows = instance_rows(old, o, new, Some(n));
        if !rows.is_empty() || status == Status::Added {
            instances.push(diff_of(n, status, rows));
        }
    }
    for o in &old.instances {
        if !new.instances.iter().any(|n| n.id == o.id) {
            let rows = instance_rows(old, Some(o), new, None);
            instances.push(diff_of(o, Status::Removed, rows));
        }
    }
    Diff {
        old: old_name.to_string(),
        new: new_name.to_string(),
        document: document_rows(old, new),
        instances,
    }
}

fn diff_of(i: &InstancePlan, status: Status, rows: Vec<Row>) -> InstanceDiff {
    InstanceDiff {
        id: i.id.clone(),
        name: i.name.clone(),
        status,
        rows,
    }
}

fn document_rows(old: &Plan, new: &Plan) -> Vec<Row> {
    let mut r = Rows::default();
    r.fact(Fact::Title, None, Some(&old.title), Some(&new.title));
    r.fact(
        Fact::Organisation,
        None,
        Some(&old.organisation),
        Some(&new.organisation),
    );
    r.fact(Fact::Purpose, None, Some(&old.purpose), Some(&new.purpose));
    let (od, nd) = (&old.decision, &new.decision);
    r.fact(
        Fact::DecisionMeeting,
        None,
        Some(&od.meeting),
        Some(&nd.meeting),
    );
    r.fact(Fact::DecisionDate, None, Some(&od.date), Some(&nd.date));
    r.fact(
        Fact::Rationale,
        None,
        old.rationale.as_ref(),
        new.rationale.as_ref(),
    );
    // As the inventory writes it (`public_site: true`).
    r.fact(
        Fact::PublicSite,
        None,
        Some(old.public_site),
        Some(new.public_site),
    );
    octopus_rows(&mut r, old, new);
    state_rows(&mut r, &old.states, &new.states);
    r.count(Count::Instances, old.instances.len(), new.instances.len());
    let total = |p: &Plan, f: fn(&InstancePlan) -> usize| p.instances.iter().map(f).sum::<usize>();
    r.count(
        Count::Vms,
        total(old, |i| i.vms.len()),
        total(new, |i| i.vms.len()),
    );
    r.count(Count::ToCreate, old.to_create, new.to_create);
    r.count(
        Count::Deleted,
        total(old, |i| i.deleted.len()),
        total(new, |i| i.deleted.len()),
    );
    r.0
}

/// Where the outputs go and how requests reach Octopus: what a writer sets once, and that
/// changes every ticket or export when it changes.
fn octopus_rows(r: &mut Rows, old: &Plan, new: &Plan) {
    r.fact(
        Fact::SiteUrl,
        None,
        old.site_url.as_ref(),
        new.site_url.as_ref(),
    );
    let paper = |p: &Plan| p.paper.map(crate::model::Paper::name);
    r.fact(Fact::Paper, None, paper(old), paper(new));
    r.fact(
        Fact::OctopusMailbox,
        None,
        old.octopus_mailbox.as_ref(),
        new.octopus_mailbox.as_ref(),
    );
    let (oo, no) = (&old.octopus, &new.octopus);
    r.fact(
        Fact::OctopusSender,
        None,
        oo.sender.as_ref(),
        no.sender.as_ref(),
    );
    r.fact(
        Fact::OctopusRequest,
        None,
        Some(&oo.kind_label),
        Some(&no.kind_label),
    );
}

/// States added or removed (by id), and labels changed.
fn state_rows(r: &mut Rows, old: &[StatePlan], new: &[StatePlan]) {
    for n in new {
        match old.iter().find(|o| o.id == n.id) {
            Some(o) => r.fact(
                Fact::StateLabel,
                Some(&n.id),
                Some(&o.label),
                Some(&n.label),
            ),
            None => r.push(
                Kind::StateAdded,
                None,
                Some(&n.id),
                None,
                Some(n.label.clone()),
            ),
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|n| n.id == o.id)) {
        r.push(
            Kind::StateRemoved,
            None,
            Some(&o.id),
            Some(o.label.clone()),
            None,
        );
    }
}

/// Every row of one instance; a side is `None` when the instance is not in it.
fn instance_rows(
    op: &Plan,
    old: Option<&InstancePlan>,
    np: &Plan,
    new: Option<&InstancePlan>,
) -> Vec<Row> {
    let mut r = Rows::default();
    if let (Some(o), Some(n)) = (old, new) {
        super::facts::instance_facts(&mut r, o, n);
    }
    let none: &[VmPlan] = &[];
    let ovms = old.map_or(none, |i| &i.vms[..]);
    let nvms = new.map_or(none, |i| &i.vms[..]);
    vm_rows(&mut r, ovms, nvms);
    for n in nvms {
        if let Some(o) = ovms.iter().find(|o| o.machine == n.machine) {
            cell_rows(&mut r, np, o, n);
        }
    }
    dns_rows(
        &mut r,
        op,
        old.map_or(&[][..], |i| &i.dns_moves[..]),
        np,
        new.map_or(&[][..], |i| &i.dns_moves[..]),
    );
    ticket_rows(&mut r, op, old, np, new);
    let count = |i: Option<&InstancePlan>, f: fn(&InstancePlan) -> usize| i.map_or(0, f);
    r.count(
        Count::Vms,
        count(old, |i| i.vms.len()),
        count(new, |i| i.vms.len()),
    );
    r.count(
        Count::ToCreate,
        count(old, |i| i.to_create),
        count(new, |i| i.to_create),
    );
    r.count(
        Count::Deleted,
        count(old, |i| i.deleted.len()),
        count(new, |i| i.deleted.len()),
    );
    r.0
}

/// VMs added or removed, and the facts of those in both.
fn vm_rows(r: &mut Rows, old: &[VmPlan], new: &[VmPlan]) {
    for n in new {
        let Some(o) = old.iter().find(|o| o.machine == n.machine) else {
            r.push(
                Kind::VmAdded,
                None,
                Some(&n.machine),
                None,
                Some(n.role_now.clone()),
            );
            continue;
        };
        let m = Some(n.machine.as_str());
        r.fact(Fact::Ip, m, o.ip.as_ref(), n.ip.as_ref());
        r.fact(
            Fact::Dns,
            m,
            Some(o.dns_now.join(", ")),
            Some(n.dns_now.join(", ")),
        );
        r.fact(Fact::RoleNow, m, Some(&o.role_now), Some(&n.role_now));
        r.fact(Fact::RoleAfter, m, Some(&o.role_after), Some(&n.role_after));
    }
    for o in old
        .iter()
        .filter(|o| !new.iter().any(|n| n.machine == o.machine))
    {
        r.push(
            Kind::VmRemoved,
            None,
            Some(&o.machine),
            Some(o.role_now.clone()),
            None,
        );
    }
}

/// The label of state `id` in `plan`.
fn label<'a>(plan: &'a Plan, id: &'a str) -> &'a str {
    plan.states
        .iter()
        .find(|s| s.id == id)
        .map_or(id, |s| &s.label)
}

/// A VM's colour or actions changed at a state both sides have.
fn cell_rows(r: &mut Rows, np: &Plan, o: &VmPlan, n: &VmPlan) {
    for nc in &n.cells {
        let Some(oc) = o.cells.iter().find(|c| c.state_id == nc.state_id) else {
            continue;
        };
        let same = oc.present == nc.present
            && oc.colour.colour == nc.colour.colour
            && oc.summary == nc.summary;
        if !same {
            r.push(
                Kind::Cell,
                None,
                Some(&n.machine),
                Some(oc.summary.clone()),
                Some(nc.summary.clone()),
            );
            r.at(label(np, &nc.state_id));
        }
    }
}

fn move_text(plan: &Plan, m: &DnsMovePlan) -> String {
    format!("{} → {}, {}", m.from, m.to, label(plan, &m.state_id))
}

/// DNS moves by name: those of a name on both sides are paired in order.
fn dns_rows(r: &mut Rows, op: &Plan, old: &[DnsMovePlan], np: &Plan, new: &[DnsMovePlan]) {
    let mut names: Vec<&str> = new.iter().chain(old).map(|m| m.name.as_str()).collect();
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| seen.insert(*n));
    for name in names {
        let os: Vec<&DnsMovePlan> = old.iter().filter(|m| m.name == name).collect();
        let ns: Vec<&DnsMovePlan> = new.iter().filter(|m| m.name == name).collect();
        for i in 0..os.len().max(ns.len()) {
            let o = os.get(i).map(|m| move_text(op, m));
            let n = ns.get(i).map(|m| move_text(np, m));
            let kind = match (&o, &n) {
                (None, Some(_)) => Kind::DnsMoveAdded,
                (Some(_), None) => Kind::DnsMoveRemoved,
                (o, n) if o != n => Kind::DnsMoveChanged,
                _ => continue,
            };
            r.push(kind, None, Some(name), o, n);
        }
    }
}

/// One side's tickets of a kind: (identity, shown subject, number).
type Tickets = Vec<(String, String, Option<u32>)>;

fn creations(i: Option<&InstancePlan>) -> Tickets {
    i.map_or_else(Vec::new, |i| {
        i.creations
            .iter()
            .map(|c| (c.machine.clone(), c.machine.clone(), c.ticket))
            .collect()
    })
}

fn interventions(p: &Plan, i: Option<&InstancePlan>) -> Tickets {
    i.map_or_else(Vec::new, |i| {
        let id = |s: &str| s.to_string();
        i.interventions
            .iter()
            .map(|t| (id(&t.state_id), id(label(p, &t.state_id)), t.ticket))
            .collect()
    })
}

/// Creation and intervention requests added, removed, or whose Octopus number changed.
fn ticket_rows(
    r: &mut Rows,
    op: &Plan,
    old: Option<&InstancePlan>,
    np: &Plan,
    new: Option<&InstancePlan>,
) {
    let kinds = [
        (Ticket::Creation, creations(old), creations(new)),
        (
            Ticket::Intervention,
            interventions(op, old),
            interventions(np, new),
        ),
    ];
    for (t, os, ns) in kinds {
        let key = Some(Key::Ticket(t));
        let num = |n: Option<u32>| n.map(|n| n.to_string());
        for (id, subject, n) in &ns {
            match os.iter().find(|o| &o.0 == id) {
                None => r.push(Kind::TicketAdded, key, Some(subject), None, num(*n)),
                Some(o) if o.2 != *n => {
                    r.push(Kind::TicketChanged, key, Some(subject), num(o.2), num(*n))
                }
                Some(_) => {}
            }
        }
        for (id, subject, o) in &os {
            if !ns.iter().any(|n| &n.0 == id) {
                r.push(Kind::TicketRemoved, key, Some(subject), num(*o), None);
            }
        }
    }
}
