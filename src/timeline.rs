//! One instance's timeline, replayed once from the inventory: state by state, what happens
//! to each VM (typed events, in execution order) and which DNS names it holds before and
//! after. Validation reads its conflicts; the plan reads its facts. Neither replays the
//! actions again.

use crate::diag::Pos;
use crate::model::{Action, Instance, State};

pub(crate) type StateIx = usize;
pub(crate) type VmIx = usize;

/// A DNS name held by a VM, with where the inventory gave it to the VM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// As written.
    pub name: String,
    /// Lowercase: DNS names compare without case (RFC 4343).
    pub key: String,
    pub at: Pos,
}

impl Held {
    fn new(name: &str, at: Pos) -> Held {
        Held {
            name: name.to_string(),
            key: name.to_ascii_lowercase(),
            at,
        }
    }
}

/// What happens to a VM at a state. The order of [`EventKind`] is the order of execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    /// Where the inventory asks for it.
    pub at: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    Create {
        ticket: Option<u32>,
    },
    /// This VM takes `name` from `from`.
    DnsIn {
        name: String,
        from: String,
    },
    /// This VM gives `name` to `to`.
    DnsOut {
        name: String,
        to: String,
    },
    /// This VM gives `name` up.
    DnsRelease {
        name: String,
    },
    Deactivate,
    Delete,
}

impl EventKind {
    /// The order in which a technician does them at one state.
    fn rank(&self) -> u8 {
        match self {
            EventKind::Create { .. } => 0,
            EventKind::DnsIn { .. } | EventKind::DnsOut { .. } | EventKind::DnsRelease { .. } => 1,
            EventKind::Deactivate => 2,
            EventKind::Delete => 3,
        }
    }
}

/// One VM across the states.
#[derive(Debug, Clone, Default)]
pub struct VmLine {
    pub created: Option<StateIx>,
    pub deleted: Option<StateIx>,
    pub deactivated: Option<StateIx>,
    /// Per state, in execution order.
    pub events: Vec<Vec<Event>>,
    /// Per state: names held when the state's work starts (a VM created at this state
    /// already holds its `dns`).
    pub dns_before: Vec<Vec<Held>>,
    /// Per state: names held once the state's work is done (a VM deleted at this state still
    /// shows the names it held).
    pub dns_after: Vec<Vec<Held>>,
}

impl VmLine {
    /// The VM exists at `s`: created at or before it, not deleted before it.
    pub fn exists_at(&self, s: StateIx) -> bool {
        self.created.is_none_or(|c| s >= c) && self.deleted.is_none_or(|d| s <= d)
    }

    /// No event at any state.
    pub fn untouched(&self) -> bool {
        self.events.iter().all(Vec::is_empty)
    }
}

/// A DNS name changing hands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub state: StateIx,
    pub name: String,
    pub from: VmIx,
    pub to: VmIx,
}

/// Something the inventory asks for that cannot happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    UnknownState {
        at: Pos,
        name: String,
    },
    CreatedTwice {
        vm: VmIx,
        at: Pos,
    },
    DeletedTwice {
        vm: VmIx,
        at: Pos,
    },
    AfterDeletion {
        vm: VmIx,
        at: Pos,
    },
    BeforeCreation {
        vm: VmIx,
        at: Pos,
    },
    MoveFromItself {
        vm: VmIx,
        at: Pos,
    },
    /// `from` is not a machine of the instance.
    UnknownPeer {
        vm: VmIx,
        at: Pos,
        name: String,
    },
    /// A move from a VM that does not hold the name (`holder`: who does, if anyone).
    NotHeld {
        vm: VmIx,
        at: Pos,
        name: String,
        from: String,
        holder: Option<VmIx>,
        state: StateIx,
    },
    ReleaseNotHeld {
        vm: VmIx,
        at: Pos,
        name: String,
        state: StateIx,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub vms: Vec<VmLine>,
    pub moves: Vec<Move>,
    pub conflicts: Vec<Conflict>,
}

impl Timeline {
    /// The VM holding DNS name `key` (lowercase) once state `s` is done, if any.
    pub fn holder_after(&self, s: StateIx, key: &str) -> Option<VmIx> {
        self.vms
            .iter()
            .position(|v| v.exists_at(s) && v.dns_after[s].iter().any(|h| h.key == key))
    }
}

/// Which VMs receive an instance's migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Named by `migration.target` (one machine or several), all machines of the instance.
    Named(Vec<VmIx>),
    /// Not named: the only VM the instance creates.
    Derived(VmIx),
    /// `migration.target` names a machine that is not the instance's.
    Unknown,
    /// Not named, and the instance creates no VM.
    NoCreation,
    /// Not named, and the instance creates several VMs.
    Ambiguous(Vec<VmIx>),
}

impl Target {
    /// The receiving VMs, when they are known.
    pub(crate) fn indices(&self) -> Option<Vec<VmIx>> {
        match self {
            Target::Named(v) => Some(v.clone()),
            Target::Derived(i) => Some(vec![*i]),
            _ => None,
        }
    }
}

/// The position of machine `name` in `inst`.
pub(crate) fn vm_index(inst: &Instance, name: &str) -> Option<VmIx> {
    inst.vms.iter().position(|v| v.machine.value == name)
}

/// The VMs receiving `inst`'s migration (`None` when the instance has no migration).
pub(crate) fn migration_target(inst: &Instance, t: &Timeline) -> Option<Target> {
    let m = &inst.migration.as_ref()?.value;
    Some(match &m.target {
        Some(names) => {
            let found: Option<Vec<VmIx>> = names
                .value
                .names()
                .iter()
                .map(|n| vm_index(inst, n))
                .collect();
            match found {
                Some(v) if !v.is_empty() => Target::Named(v),
                _ => Target::Unknown,
            }
        }
        None => {
            let created: Vec<VmIx> = (0..t.vms.len())
                .filter(|&i| t.vms[i].created.is_some())
                .collect();
            match created.as_slice() {
                [] => Target::NoCreation,
                [one] => Target::Derived(*one),
                _ => Target::Ambiguous(created),
            }
        }
    })
}

/// The state where a site hosted on `vm` is handled: the first state its VM stops
/// (deactivation or deletion), else jour M (`migration_state`).
pub(crate) fn hosted_site_state(
    inst: &Instance,
    t: &Timeline,
    vm: &str,
    migration_state: StateIx,
) -> StateIx {
    inst.vms
        .iter()
        .position(|v| v.machine.value == vm)
        .and_then(|i| {
            let line = &t.vms[i];
            [line.deactivated, line.deleted].into_iter().flatten().min()
        })
        .unwrap_or(migration_state)
}

/// Whether the service desk has work for `inst` at state `si`: an action other than a
/// creation (creations have tickets of their own), the instance's data migration on jour M,
/// or a hosted site to handle.
pub(crate) fn has_work(
    inst: &Instance,
    t: &Timeline,
    si: StateIx,
    migration_state: StateIx,
) -> bool {
    let acts = t.vms.iter().any(|l| {
        l.events[si]
            .iter()
            .any(|e| !matches!(e.kind, EventKind::Create { .. }))
    });
    let data = si == migration_state
        && inst.migration.as_ref().is_some_and(|m| {
            m.value.files_from.is_some()
                || m.value
                    .database
                    .as_ref()
                    .is_some_and(|d| !matches!(d.value, crate::model::Database::Stays(_)))
        });
    let sites = inst
        .hosted_sites
        .iter()
        .any(|h| hosted_site_state(inst, t, &h.vm.value, migration_state) == si);
    acts || data || sites
}

/// Replays `inst` over `states`.
pub(crate) fn replay(states: &[State], inst: &Instance) -> Timeline {
    let n = states.len();
    let mut t = Timeline {
        vms: vec![
            VmLine {
                events: vec![Vec::new(); n],
                dns_before: vec![Vec::new(); n],
                dns_after: vec![Vec::new(); n],
                ..VmLine::default()
            };
            inst.vms.len()
        ],
        ..Timeline::default()
    };
    collect_events(states, inst, &mut t);
    order_rules(&mut t);
    replay_dns(inst, &mut t);
    t
}

fn state_index(states: &[State], id: &str) -> Option<StateIx> {
    states.iter().position(|s| s.id.value == id)
}

/// Every action as an event at its state; a DNS move also as the giver's event.
fn collect_events(states: &[State], inst: &Instance, t: &mut Timeline) {
    let vm_index = |m: &str| inst.vms.iter().position(|v| v.machine.value == m);
    for (vi, vm) in inst.vms.iter().enumerate() {
        for sa in &vm.actions {
            let Some(si) = state_index(states, &sa.state.value) else {
                t.conflicts.push(Conflict::UnknownState {
                    at: Pos::from(&sa.state),
                    name: sa.state.value.clone(),
                });
                continue;
            };
            for a in &sa.actions {
                let at = Pos::from(a);
                let kind = match &a.value {
                    Action::Create(c) => EventKind::Create { ticket: c.ticket },
                    Action::Deactivate => EventKind::Deactivate,
                    Action::Delete => EventKind::Delete,
                    Action::DnsRelease(name) => EventKind::DnsRelease { name: name.clone() },
                    Action::DnsMove(m) => {
                        if m.from == vm.machine.value {
                            t.conflicts.push(Conflict::MoveFromItself { vm: vi, at });
                            continue;
                        }
                        let Some(fi) = vm_index(&m.from) else {
                            t.conflicts.push(Conflict::UnknownPeer {
                                vm: vi,
                                at,
                                name: m.from.clone(),
                            });
                            continue;
                        };
                        let out = EventKind::DnsOut {
                            name: m.name.clone(),
                            to: vm.machine.value.clone(),
                        };
                        t.vms[fi].events[si].push(Event { kind: out, at });
                        t.moves.push(Move {
                            state: si,
                            name: m.name.clone(),
                            from: fi,
                            to: vi,
                        });
                        EventKind::DnsIn {
                            name: m.name.clone(),
                            from: m.from.clone(),
                        }
                    }
                };
                t.vms[vi].events[si].push(Event { kind, at });
            }
        }
    }
    for line in &mut t.vms {
        for events in &mut line.events {
            events.sort_by_key(|e| e.kind.rank());
        }
    }
}

/// Creation and deletion states, and the actions that fall outside a VM's life.
fn order_rules(t: &mut Timeline) {
    let mut conflicts = Vec::new();
    for (vi, line) in t.vms.iter_mut().enumerate() {
        for (si, events) in line.events.iter().enumerate() {
            for e in events {
                match e.kind {
                    EventKind::Create { .. } if line.created.replace(si).is_some() => {
                        conflicts.push(Conflict::CreatedTwice { vm: vi, at: e.at })
                    }
                    EventKind::Delete if line.deleted.replace(si).is_some() => {
                        conflicts.push(Conflict::DeletedTwice { vm: vi, at: e.at })
                    }
                    EventKind::Deactivate => {
                        line.deactivated.get_or_insert(si);
                    }
                    _ => {}
                }
            }
        }
        for (si, events) in line.events.iter().enumerate() {
            // A DNS name given away is the taker's action: it is judged on the taker.
            for e in events
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::DnsOut { .. }))
            {
                if line.deleted.is_some_and(|d| si > d) {
                    conflicts.push(Conflict::AfterDeletion { vm: vi, at: e.at });
                }
                if line.created.is_some_and(|c| si < c) {
                    conflicts.push(Conflict::BeforeCreation { vm: vi, at: e.at });
                }
            }
        }
    }
    t.conflicts.extend(conflicts);
}

/// DNS holdings state by state: a VM holds its `dns` from its first state; moves and
/// releases change hands in inventory order.
fn replay_dns(inst: &Instance, t: &mut Timeline) {
    let n = t.vms.first().map_or(0, |l| l.events.len());
    let mut held: Vec<Vec<Held>> = vec![Vec::new(); inst.vms.len()];
    for si in 0..n {
        for (vi, vm) in inst.vms.iter().enumerate() {
            // A VM deleted at an earlier state holds nothing any more.
            if t.vms[vi].deleted.is_some_and(|d| d < si) {
                held[vi].clear();
            }
            if t.vms[vi].created.map_or(si == 0, |c| c == si) {
                held[vi] = vm
                    .dns
                    .iter()
                    .map(|d| Held::new(&d.value, Pos::from(d)))
                    .collect();
            }
            t.vms[vi].dns_before[si] = held[vi].clone();
        }
        for vi in 0..inst.vms.len() {
            let events = t.vms[vi].events[si].clone();
            for e in &events {
                transfer(t, &mut held, vi, si, e);
            }
        }
        for (line, names) in t.vms.iter_mut().zip(&held) {
            line.dns_after[si] = names.clone();
        }
    }
}

fn transfer(t: &mut Timeline, held: &mut [Vec<Held>], vi: VmIx, si: StateIx, e: &Event) {
    match &e.kind {
        EventKind::DnsIn { name, from } => {
            let key = name.to_ascii_lowercase();
            let giver = t
                .moves
                .iter()
                .find(|m| m.state == si && m.to == vi && m.name == *name);
            let from_ix = giver.map(|m| m.from);
            let holder = held.iter().position(|h| h.iter().any(|x| x.key == key));
            match (from_ix, holder) {
                (Some(f), Some(h)) if f == h => held[f].retain(|x| x.key != key),
                _ => t.conflicts.push(Conflict::NotHeld {
                    vm: vi,
                    at: e.at,
                    name: name.clone(),
                    from: from.clone(),
                    holder,
                    state: si,
                }),
            }
            held[vi].push(Held::new(name, e.at));
        }
        EventKind::DnsRelease { name } => {
            let key = name.to_ascii_lowercase();
            if held[vi].iter().any(|x| x.key == key) {
                held[vi].retain(|x| x.key != key);
            } else {
                t.conflicts.push(Conflict::ReleaseNotHeld {
                    vm: vi,
                    at: e.at,
                    name: name.clone(),
                    state: si,
                });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_timelines() -> Vec<Timeline> {
        let inv = crate::fixtures::seed_inventory();
        inv.instances
            .iter()
            .map(|i| replay(&inv.states, i))
            .collect()
    }

    fn names(h: &[Held]) -> Vec<&str> {
        h.iter().map(|h| h.name.as_str()).collect()
    }

    #[test]
    fn seed_creation_deletion_and_dns() {
        let t = &seed_timelines()[0];
        assert!(t.conflicts.is_empty(), "{:?}", t.conflicts);
        // campusweb (0): deactivated at jour M, deleted at M+30; campus35web (2): created.
        assert_eq!((t.vms[0].deactivated, t.vms[0].deleted), (Some(1), Some(2)));
        assert_eq!(t.vms[2].created, Some(0));
        assert_eq!(names(&t.vms[0].dns_before[1]), ["campus.cegepadistance.ca"]);
        assert!(t.vms[0].dns_after[1].is_empty());
        assert_eq!(
            names(&t.vms[2].dns_before[0]),
            ["campus35.cegepadistance.ca"]
        );
        assert_eq!(names(&t.vms[2].dns_after[1]), ["campus.cegepadistance.ca"]);
        assert_eq!(
            t.moves,
            [Move {
                state: 1,
                name: "campus.cegepadistance.ca".into(),
                from: 0,
                to: 2
            }]
        );
        assert_eq!(t.holder_after(1, "campus.cegepadistance.ca"), Some(2));
        assert!(t.vms[1].untouched());
        assert!(t.vms[0].exists_at(2) && t.vms[2].exists_at(0));
    }

    #[test]
    fn events_run_in_execution_order() {
        let t = &seed_timelines()[0];
        let kinds: Vec<u8> = t.vms[2].events[1].iter().map(|e| e.kind.rank()).collect();
        assert_eq!(kinds, [1, 1]);
        let old = &t.vms[0].events[1];
        assert!(matches!(old[0].kind, EventKind::DnsOut { .. }));
        assert!(matches!(old[1].kind, EventKind::Deactivate));
    }

    fn replay_text(text: &str) -> Timeline {
        let (_, inv) = crate::load::load_bytes("t.yaml", text.as_bytes()).unwrap();
        replay(&inv.states, &inv.instances[0])
    }

    #[test]
    fn conflicts_are_typed_and_located() {
        let text = crate::fixtures::SEED
            .replace(
                "          - { state: m30, do: [delete] }\n      - machine: campusdb2",
                "          - { state: m30, do: [delete, delete] }\n          - { state: m31, do: [delete] }\n      - machine: campusdb2",
            )
            .replace(
                "              - dns-release: campus35.cegepadistance.ca",
                "              - dns-release: nope.cegepadistance.ca",
            );
        let t = replay_text(&text);
        let kinds: Vec<String> = t
            .conflicts
            .iter()
            .map(|c| {
                format!("{c:?}")
                    .split([' ', '{'])
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert!(kinds.contains(&"UnknownState".to_string()), "{kinds:?}");
        assert!(kinds.contains(&"DeletedTwice".to_string()), "{kinds:?}");
        assert!(kinds.contains(&"ReleaseNotHeld".to_string()), "{kinds:?}");
        assert!(
            t.conflicts
                .iter()
                .all(|c| !matches!(c, Conflict::NotHeld { .. }))
        );
    }

    #[test]
    fn a_move_from_a_vm_that_lost_the_name_is_a_conflict() {
        let text = crate::fixtures::SEED.replace(
            "          - { state: jour-m, do: [deactivate] }\n          - { state: m30, do: [delete] }\n      - machine: campusdb2",
            "          - { state: reference, do: [{ dns-release: campus.cegepadistance.ca }] }\n          - { state: m30, do: [delete] }\n      - machine: campusdb2",
        );
        let t = replay_text(&text);
        let c = t
            .conflicts
            .iter()
            .find(|c| matches!(c, Conflict::NotHeld { .. }))
            .expect("NotHeld");
        let Conflict::NotHeld { holder, state, .. } = c else {
            unreachable!()
        };
        assert_eq!((*holder, *state), (None, 1));
    }
}
