//! The *plan* stage: every fact the outputs show, derived once from a validated inventory.
//!
//! Renderers (document, annexes, tickets, site) only read a [`Plan`]: a colour, a count or a
//! DNS move is computed here and nowhere else, so the outputs cannot disagree.

use crate::date::Date;
use crate::model::{self, Action, Database, Fate, Inventory, StateKind};
use serde::Serialize;

/// The four colours of the seed's legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    /// No intervention at any state.
    Vert,
    /// No intervention requested at this state.
    Noir,
    /// Intervention requested at this state (deactivation, deletion, DNS change).
    Rouge,
    /// Creation requested.
    Bleu,
}

impl Colour {
    pub const ALL: [Colour; 4] = [Colour::Vert, Colour::Noir, Colour::Rouge, Colour::Bleu];

    /// The French name, as in the seed's legend.
    pub fn name(self) -> &'static str {
        match self {
            Colour::Vert => "vert",
            Colour::Noir => "noir",
            Colour::Rouge => "rouge",
            Colour::Bleu => "bleu",
        }
    }

    /// Shades chosen for contrast on white and between each other (also in grayscale,
    /// helped by the symbols).
    pub fn hex(self) -> &'static str {
        match self {
            Colour::Vert => "#1b7f3b",
            Colour::Noir => "#1a1a1a",
            Colour::Rouge => "#c62828",
            Colour::Bleu => "#1f5fbf",
        }
    }

    /// A symbol so that the picture reads without colour. Every symbol bascule draws is in
    /// the WGL4 repertoire, so fonts that stand in for DejaVu Sans (Arial, Verdana,
    /// Liberation Sans…) have it too.
    pub fn symbol(self) -> &'static str {
        match self {
            Colour::Vert => "√",
            Colour::Noir => "•",
            Colour::Rouge => "▲",
            Colour::Bleu => "+",
        }
    }

    /// The seed's meaning of the colour.
    pub fn meaning(self) -> &'static str {
        match self {
            Colour::Vert => "aucune intervention tout le long de la migration",
            Colour::Noir => "aucune intervention demandée à cet état",
            Colour::Rouge => {
                "intervention demandée (désactivation, suppression, changement DNS) à cet état"
            }
            Colour::Bleu => "création demandée",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LegendEntry {
    pub colour: Colour,
    pub name: &'static str,
    pub hex: &'static str,
    pub symbol: &'static str,
    pub meaning: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub title: String,
    pub organisation: String,
    pub purpose: String,
    pub decision_meeting: String,
    pub decision_date: String,
    pub os: String,
    pub os_version: String,
    pub php: String,
    pub moodle_from: String,
    pub moodle_target: String,
    /// `3.5` for `3.5.3`: the annexe titles name the branch.
    pub moodle_target_branch: String,
    pub source_code: String,
    pub octopus_mailbox: Option<String>,
    pub states: Vec<StatePlan>,
    pub legend: Vec<LegendEntry>,
    /// Instances in inventory order.
    pub instances: Vec<InstancePlan>,
    /// Instance names in migration order.
    pub migration_order: Vec<String>,
    /// Total number of VMs to create, all instances.
    pub to_create: usize,
    /// Days between jour M and the last state (the "+ 30 jours" of the tables).
    pub after_days: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatePlan {
    pub id: String,
    /// `reference`, `migration` or `after`.
    pub kind: &'static str,
    pub label: String,
    /// The column heading without instance-specific dates.
    pub heading: String,
    pub date: Option<String>,
    pub offset_days: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstancePlan {
    pub id: String,
    pub name: String,
    pub annexe: u32,
    /// "Annexe 1. Migration Campus 3.1 vers Moodle version 3.5".
    pub annexe_title: String,
    /// Paths relative to the output folder.
    pub annexe_svg: String,
    pub annexe_png: String,
    pub users: String,
    pub role: String,
    pub url: String,
    pub order: u32,
    pub jour_m: Option<String>,
    pub scope: String,
    pub database: DatabasePlan,
    pub filedir_from: String,
    /// One column per state, headings with this instance's dates when known.
    pub columns: Vec<ColumnPlan>,
    pub vms: Vec<VmPlan>,
    /// Machines created, in inventory order.
    pub new_vms: Vec<String>,
    pub to_create: usize,
    /// Octopus numbers of the creations, in inventory order (known ones only).
    pub creation_tickets: Vec<u32>,
    pub dns_moves: Vec<DnsMovePlan>,
    /// Machines deleted by the last state.
    pub deleted: Vec<String>,
    pub already_deleted: Vec<DeletedPlan>,
    pub hosted_sites: Vec<HostedSitePlan>,
    /// Red work grouped by state, for intervention tickets.
    pub interventions: Vec<InterventionPlan>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatabasePlan {
    /// `connect` or `migrate`.
    pub strategy: &'static str,
    /// Connect: the database server that stays. Migrate: the machine the database leaves.
    pub server: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnPlan {
    pub state_id: String,
    pub label: String,
    pub heading: String,
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VmPlan {
    pub machine: String,
    pub ip: Option<String>,
    /// DNS names in the document table ("Nom de DNS actuel").
    pub dns_now: Vec<String>,
    /// "Rôle actuel" ("À être créée" for a VM to create).
    pub role_now: String,
    /// "Rôle après la migration + 30 jours" ("Supprimée" when deleted).
    pub role_after: String,
    pub to_create: bool,
    /// Index of the state where the VM is created.
    pub created_at: Option<usize>,
    /// The DNS names this VM takes from others (the VMs it replaces).
    pub replaces: Vec<ReplacedPlan>,
    pub ticket: Option<u32>,
    pub deleted: bool,
    /// No intervention at any state.
    pub green: bool,
    /// One per state, in state order.
    pub cells: Vec<CellPlan>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplacedPlan {
    /// The DNS name taken.
    pub name: String,
    /// The machine that held it.
    pub machine: String,
    pub ip: Option<String>,
    pub state_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellPlan {
    pub state_id: String,
    /// The VM exists (or is created or deleted) at this state: the annexe draws a box.
    pub present: bool,
    pub colour: Colour,
    /// The colour's symbol, for readers without colour.
    pub symbol: &'static str,
    /// DNS names held once this state's actions are done.
    pub dns: Vec<String>,
    /// DNS names held just before this state (the inventory's `dns` at the first state).
    pub dns_before: Vec<String>,
    pub ip: Option<String>,
    pub role: String,
    pub actions: Vec<ActionPlan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionPlan {
    /// `create`, `deactivate`, `delete`, `dns-in`, `dns-out`, `dns-release`.
    pub kind: &'static str,
    pub symbol: &'static str,
    /// Short French word: "création", "désactivation", …
    pub word: &'static str,
    /// The full line shown in the annexe box, e.g. "↔ DNS campus.cegepadistance.ca ← campusweb".
    pub text: String,
    /// DNS name involved, for DNS actions.
    pub dns: Option<String>,
    /// The other machine of a DNS move.
    pub peer: Option<String>,
    pub ticket: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DnsMovePlan {
    pub state_id: String,
    pub state_label: String,
    pub name: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeletedPlan {
    pub name: String,
    pub ip: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct HostedSitePlan {
    pub url: String,
    pub vm: String,
    /// The DNS names of the hosting VM now.
    pub vm_dns: Vec<String>,
    /// `move` or `delete`.
    pub fate: &'static str,
    pub move_to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InterventionPlan {
    pub state_id: String,
    pub state_label: String,
    pub heading: String,
    pub date: Option<String>,
    /// Every red action of the state, VM by VM, in inventory order.
    pub actions: Vec<VmAction>,
    /// At the migration state: the instance's filedir and database work.
    pub migration: Option<MigrationWork>,
    /// Hosted sites to handle before a deletion of their host at this state.
    pub hosted_sites: Vec<HostedSitePlan>,
    /// Every VM involved, with name, IP and DNS names at this state.
    pub vms: Vec<VmRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VmAction {
    pub machine: String,
    pub action: ActionPlan,
}

#[derive(Debug, Clone, Serialize)]
pub struct MigrationWork {
    pub new_vm: String,
    pub filedir_from: String,
    pub database: DatabasePlan,
}

#[derive(Debug, Clone, Serialize)]
pub struct VmRef {
    pub machine: String,
    pub ip: Option<String>,
    pub dns: Vec<String>,
}

/// `3.5.3` → `3.5`.
fn branch(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

fn kind_name(k: StateKind) -> &'static str {
    match k {
        StateKind::Reference => "reference",
        StateKind::Migration => "migration",
        StateKind::After => "after",
    }
}

fn state_heading(st: &model::State, date: Option<&str>) -> String {
    let label = &st.label.value;
    match st.kind.value {
        StateKind::Reference => {
            format!("État en date de {}", date.unwrap_or(label.as_str()))
        }
        StateKind::Migration => match date {
            Some(d) => format!("État le jour de migration ({label}, {d})"),
            None => format!("État le jour de migration ({label})"),
        },
        StateKind::After => {
            let n = st.offset_days.as_ref().map_or(0, |o| o.value);
            match date {
                Some(d) => format!("État {n}\u{a0}jours après la migration ({label}, {d})"),
                None => format!("État {n}\u{a0}jours après la migration ({label})"),
            }
        }
    }
}

/// The date of a state for an instance, when the inventory lets us know it.
fn state_date(st: &model::State, jour_m: Option<Date>) -> Option<String> {
    match st.kind.value {
        StateKind::Reference => st.date.as_ref().map(|d| d.value.clone()),
        StateKind::Migration => jour_m.map(crate::date::iso),
        StateKind::After => {
            let off = st.offset_days.as_ref()?.value;
            jour_m
                .and_then(|d| crate::date::add_days(d, i64::from(off)))
                .map(crate::date::iso)
        }
    }
}

/// Derives the plan. The inventory must have passed [`crate::validate`]; on anything it
/// would refuse, the plan degrades (never panics) rather than guessing.
pub fn plan(inv: &Inventory) -> Plan {
    let d = &inv.document;
    let states: Vec<StatePlan> = inv
        .states
        .iter()
        .map(|st| StatePlan {
            id: st.id.value.clone(),
            kind: kind_name(st.kind.value),
            label: st.label.value.clone(),
            heading: state_heading(st, st.date.as_ref().map(|d| d.value.as_str())),
            date: st.date.as_ref().map(|d| d.value.clone()),
            offset_days: st.offset_days.as_ref().map(|o| o.value),
        })
        .collect();
    let moodle_target_branch = branch(&d.moodle.target.value);
    let instances: Vec<InstancePlan> = inv
        .instances
        .iter()
        .map(|i| plan_instance(inv, i, &moodle_target_branch))
        .collect();
    let mut order: Vec<&InstancePlan> = instances.iter().collect();
    order.sort_by_key(|i| i.order);
    let migration_order = order.iter().map(|i| i.name.clone()).collect();
    Plan {
        title: d.title.value.clone(),
        organisation: d.organisation.value.clone(),
        purpose: d.purpose.value.clone(),
        decision_meeting: d.decision.meeting.value.clone(),
        decision_date: d.decision.date.value.clone(),
        os: d.platform.os.value.clone(),
        os_version: d.platform.os_version.value.clone(),
        php: d.platform.php.value.clone(),
        moodle_from: d.moodle.from.value.clone(),
        moodle_target: d.moodle.target.value.clone(),
        moodle_target_branch,
        source_code: d.moodle.source_code.value.clone(),
        octopus_mailbox: d.octopus_mailbox.as_ref().map(|m| m.value.clone()),
        to_create: instances.iter().map(|i| i.to_create).sum(),
        after_days: inv
            .states
            .iter()
            .rev()
            .find_map(|s| s.offset_days.as_ref().map(|o| o.value))
            .unwrap_or(0),
        states,
        legend: Colour::ALL
            .iter()
            .map(|&c| LegendEntry {
                colour: c,
                name: c.name(),
                hex: c.hex(),
                symbol: c.symbol(),
                meaning: c.meaning(),
            })
            .collect(),
        instances,
        migration_order,
    }
}

/// Per VM and state, what the inventory says happens, with DNS moves seen from both sides.
struct Timeline {
    /// actions[vm][state]
    actions: Vec<Vec<Vec<ActionPlan>>>,
    created_at: Vec<Option<usize>>,
    deleted_at: Vec<Option<usize>>,
    dns_moves: Vec<DnsMovePlan>,
}

fn action_plan(kind: &'static str, text: String) -> ActionPlan {
    let (symbol, word) = match kind {
        "create" => ("+", "création"),
        "deactivate" => ("○", "désactivation"),
        "delete" => ("×", "suppression"),
        _ => ("↔", "changement DNS"),
    };
    ActionPlan {
        kind,
        symbol,
        word,
        text: format!("{symbol} {text}"),
        dns: None,
        peer: None,
        ticket: None,
    }
}

fn timeline(inv: &Inventory, inst: &model::Instance) -> Timeline {
    let n_states = inv.states.len();
    let state_index = |id: &str| inv.states.iter().position(|s| s.id.value == id);
    let vm_index = |m: &str| inst.vms.iter().position(|v| v.machine.value == m);
    let mut t = Timeline {
        actions: vec![vec![Vec::new(); n_states]; inst.vms.len()],
        created_at: vec![None; inst.vms.len()],
        deleted_at: vec![None; inst.vms.len()],
        dns_moves: Vec::new(),
    };
    for (vi, vm) in inst.vms.iter().enumerate() {
        for sa in &vm.actions {
            let Some(si) = state_index(&sa.state.value) else {
                continue;
            };
            for a in &sa.actions {
                match &a.value {
                    Action::Create(c) => {
                        t.created_at[vi] = Some(si);
                        let mut p = action_plan("create", "création".into());
                        p.ticket = c.ticket;
                        if let Some(n) = c.ticket {
                            p.text = format!("+ création (Octopus {n})");
                        }
                        t.actions[vi][si].push(p);
                    }
                    Action::Deactivate => {
                        t.actions[vi][si].push(action_plan("deactivate", "désactivation".into()))
                    }
                    Action::Delete => {
                        t.deleted_at[vi] = Some(si);
                        t.actions[vi][si].push(action_plan("delete", "suppression".into()))
                    }
                    Action::DnsMove(m) => {
                        let me = &vm.machine.value;
                        let mut inn = action_plan("dns-in", format!("DNS {} ← {}", m.name, m.from));
                        inn.dns = Some(m.name.clone());
                        inn.peer = Some(m.from.clone());
                        t.actions[vi][si].push(inn);
                        if let Some(fi) = vm_index(&m.from) {
                            let mut out = action_plan("dns-out", format!("DNS {} → {me}", m.name));
                            out.dns = Some(m.name.clone());
                            out.peer = Some(me.clone());
                            t.actions[fi][si].push(out);
                        }
                        t.dns_moves.push(DnsMovePlan {
                            state_id: sa.state.value.clone(),
                            state_label: inv.states[si].label.value.clone(),
                            name: m.name.clone(),
                            from: m.from.clone(),
                            to: me.clone(),
                        });
                    }
                    Action::DnsRelease(name) => {
                        let mut p = action_plan("dns-release", format!("DNS {name} retiré"));
                        p.dns = Some(name.clone());
                        t.actions[vi][si].push(p);
                    }
                }
            }
        }
    }
    // A DNS name leaves before anything else happens to the VM, so list dns-out first.
    for per_vm in &mut t.actions {
        for acts in per_vm.iter_mut() {
            acts.sort_by_key(|a| match a.kind {
                "create" => 0,
                "dns-out" | "dns-in" | "dns-release" => 1,
                "deactivate" => 2,
                _ => 3,
            });
        }
    }
    t
}

fn plan_instance(inv: &Inventory, inst: &model::Instance, target_branch: &str) -> InstancePlan {
    let jour_m = inst
        .jour_m
        .as_ref()
        .and_then(|d| crate::date::parse(&d.value).ok());
    let columns: Vec<ColumnPlan> = inv
        .states
        .iter()
        .map(|st| {
            let date = state_date(st, jour_m);
            ColumnPlan {
                state_id: st.id.value.clone(),
                label: st.label.value.clone(),
                heading: state_heading(st, date.as_deref()),
                date,
            }
        })
        .collect();
    let t = timeline(inv, inst);
    let last = inv.states.len().saturating_sub(1);

    // DNS holdings, state by state.
    let mut held: Vec<Vec<String>> = vec![Vec::new(); inst.vms.len()];
    let mut dns_at: Vec<Vec<Vec<String>>> = vec![Vec::new(); inst.vms.len()];
    for si in 0..inv.states.len() {
        for (vi, vm) in inst.vms.iter().enumerate() {
            if t.created_at[vi].map_or(si == 0, |c| c == si) {
                held[vi] = vm.dns.iter().map(|d| d.value.clone()).collect();
            }
        }
        for (vi, per_vm) in t.actions.iter().enumerate() {
            for a in &per_vm[si] {
                let name = a.dns.clone().unwrap_or_default();
                match a.kind {
                    "dns-in" => held[vi].push(name),
                    "dns-out" | "dns-release" => held[vi].retain(|n| *n != name),
                    _ => {}
                }
            }
        }
        for vi in 0..inst.vms.len() {
            dns_at[vi].push(held[vi].clone());
        }
    }

    let vms: Vec<VmPlan> = inst
        .vms
        .iter()
        .enumerate()
        .map(|(vi, vm)| {
            let created = t.created_at[vi];
            let deleted = t.deleted_at[vi];
            let green = t.actions[vi].iter().all(Vec::is_empty);
            let role_now = vm.role.as_ref().map(|r| r.value.clone());
            let role_after = vm.role_after.as_ref().map(|r| r.value.clone());
            let cells = (0..inv.states.len())
                .map(|si| {
                    let present =
                        created.is_none_or(|c| si >= c) && deleted.is_none_or(|d| si <= d);
                    let actions = t.actions[vi][si].clone();
                    let colour = if green {
                        Colour::Vert
                    } else if actions.iter().any(|a| a.kind == "create") {
                        Colour::Bleu
                    } else if actions.is_empty() {
                        Colour::Noir
                    } else {
                        Colour::Rouge
                    };
                    // The role a box shows: the new role once the VM is in service or at the
                    // last state; the current one before.
                    let role = if created.is_some() || (si == last && deleted.is_none()) {
                        role_after.clone().or(role_now.clone())
                    } else {
                        role_now.clone().or(role_after.clone())
                    }
                    .unwrap_or_default();
                    CellPlan {
                        state_id: inv.states[si].id.value.clone(),
                        dns_before: match si.checked_sub(1) {
                            Some(p) => dns_at[vi][p].clone(),
                            None => vm.dns.iter().map(|d| d.value.clone()).collect(),
                        },
                        present,
                        colour,
                        symbol: colour.symbol(),
                        dns: dns_at[vi][si].clone(),
                        ip: vm.ip.as_ref().map(|i| i.value.clone()),
                        role,
                        actions,
                    }
                })
                .collect();
            VmPlan {
                machine: vm.machine.value.clone(),
                ip: vm.ip.as_ref().map(|i| i.value.clone()),
                dns_now: vm.dns.iter().map(|d| d.value.clone()).collect(),
                role_now: if created.is_some() {
                    "À être créée".to_string()
                } else {
                    role_now.clone().unwrap_or_default()
                },
                role_after: if deleted.is_some() {
                    "Supprimée".to_string()
                } else {
                    role_after.clone().unwrap_or_default()
                },
                to_create: created.is_some(),
                created_at: created,
                replaces: t
                    .dns_moves
                    .iter()
                    .filter(|m| m.to == vm.machine.value)
                    .map(|m| ReplacedPlan {
                        name: m.name.clone(),
                        machine: m.from.clone(),
                        ip: inst
                            .vms
                            .iter()
                            .find(|v| v.machine.value == m.from)
                            .and_then(|v| v.ip.as_ref().map(|i| i.value.clone())),
                        state_label: m.state_label.clone(),
                    })
                    .collect(),
                ticket: t.actions[vi]
                    .iter()
                    .flatten()
                    .find(|a| a.kind == "create")
                    .and_then(|a| a.ticket),
                deleted: deleted.is_some(),
                green,
                cells,
            }
        })
        .collect();

    let new_vms: Vec<String> = vms
        .iter()
        .filter(|v| v.to_create)
        .map(|v| v.machine.clone())
        .collect();
    let database = match &inst.migration.database.value {
        Database::Connect(m) => DatabasePlan {
            strategy: "connect",
            server: m.clone(),
        },
        Database::Migrate(m) => DatabasePlan {
            strategy: "migrate",
            server: m.clone(),
        },
    };
    let hosted_sites: Vec<HostedSitePlan> = inst
        .hosted_sites
        .iter()
        .map(|h| HostedSitePlan {
            url: h.url.value.clone(),
            vm: h.vm.value.clone(),
            vm_dns: vms
                .iter()
                .find(|v| v.machine == h.vm.value)
                .map(|v| v.dns_now.clone())
                .unwrap_or_default(),
            fate: match h.fate.value {
                Fate::MoveTo(_) => "move",
                Fate::Delete => "delete",
            },
            move_to: match &h.fate.value {
                Fate::MoveTo(t) => Some(t.clone()),
                Fate::Delete => None,
            },
        })
        .collect();

    let interventions = inv
        .states
        .iter()
        .enumerate()
        .filter_map(|(si, st)| {
            let actions: Vec<VmAction> = vms
                .iter()
                .flat_map(|v| {
                    v.cells[si]
                        .actions
                        .iter()
                        .filter(|a| a.kind != "create")
                        .map(|a| VmAction {
                            machine: v.machine.clone(),
                            action: a.clone(),
                        })
                })
                .collect();
            let migration = (st.kind.value == StateKind::Migration).then(|| MigrationWork {
                new_vm: new_vms.first().cloned().unwrap_or_default(),
                filedir_from: inst.migration.filedir_from.value.clone(),
                database: database.clone(),
            });
            if actions.is_empty() && migration.is_none() {
                return None;
            }
            let deleted_here: Vec<&str> = actions
                .iter()
                .filter(|a| a.action.kind == "delete")
                .map(|a| a.machine.as_str())
                .collect();
            let sites = hosted_sites
                .iter()
                .filter(|h| deleted_here.contains(&h.vm.as_str()))
                .cloned()
                .collect();
            let mut involved: Vec<&str> = actions.iter().map(|a| a.machine.as_str()).collect();
            if let Some(m) = &migration {
                involved.extend([
                    m.new_vm.as_str(),
                    m.filedir_from.as_str(),
                    m.database.server.as_str(),
                ]);
            }
            let refs = vms
                .iter()
                .filter(|v| involved.contains(&v.machine.as_str()))
                .map(|v| VmRef {
                    machine: v.machine.clone(),
                    ip: v.ip.clone(),
                    dns: v.cells[si].dns.clone(),
                })
                .collect();
            Some(InterventionPlan {
                state_id: st.id.value.clone(),
                state_label: st.label.value.clone(),
                heading: columns[si].heading.clone(),
                date: columns[si].date.clone(),
                actions,
                migration,
                hosted_sites: sites,
                vms: refs,
            })
        })
        .collect();

    InstancePlan {
        id: inst.id.value.clone(),
        name: inst.name.value.clone(),
        annexe: inst.annexe.value,
        annexe_title: format!(
            "Annexe {}. Migration {} {} vers Moodle version {}",
            inst.annexe.value, inst.name.value, inv.document.moodle.from.value, target_branch
        ),
        annexe_svg: format!("annexes/annexe-{}.svg", inst.annexe.value),
        annexe_png: format!("annexes/annexe-{}.png", inst.annexe.value),
        users: inst.users.value.clone(),
        role: inst.role.value.clone(),
        url: inst.url.value.clone(),
        order: inst.order.value,
        jour_m: jour_m.map(crate::date::iso),
        scope: inst.scope.value.clone(),
        database,
        filedir_from: inst.migration.filedir_from.value.clone(),
        columns,
        to_create: new_vms.len(),
        creation_tickets: vms.iter().filter_map(|v| v.ticket).collect(),
        new_vms,
        dns_moves: t.dns_moves,
        deleted: vms
            .iter()
            .filter(|v| v.deleted)
            .map(|v| v.machine.clone())
            .collect(),
        already_deleted: inst
            .already_deleted
            .iter()
            .map(|d| DeletedPlan {
                name: d.name.value.clone(),
                ip: d.ip.value.clone(),
            })
            .collect(),
        hosted_sites,
        interventions,
        vms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::fixtures::seed_plan;

    fn vm<'a>(p: &'a Plan, inst: usize, machine: &str) -> &'a VmPlan {
        p.instances[inst]
            .vms
            .iter()
            .find(|v| v.machine == machine)
            .unwrap()
    }

    fn colours(v: &VmPlan) -> Vec<Colour> {
        v.cells.iter().map(|c| c.colour).collect()
    }

    #[test]
    fn seed_colours_follow_the_legend() {
        let p = seed_plan();
        use Colour::*;
        assert_eq!(colours(vm(&p, 0, "campusweb")), [Noir, Rouge, Rouge]);
        assert_eq!(colours(vm(&p, 0, "campusdb2")), [Vert, Vert, Vert]);
        assert_eq!(colours(vm(&p, 0, "campus35web")), [Bleu, Rouge, Noir]);
        assert_eq!(colours(vm(&p, 0, "campus-dev")), [Noir, Noir, Rouge]);
        assert_eq!(colours(vm(&p, 1, "campus-gq")), [Noir, Rouge, Rouge]);
        assert_eq!(colours(vm(&p, 1, "projets35")), [Bleu, Rouge, Noir]);
    }

    #[test]
    fn seed_counts_tickets_and_moves() {
        let p = seed_plan();
        let c = &p.instances[0];
        assert_eq!(
            (c.to_create, c.creation_tickets.as_slice()),
            (1, &[57330][..])
        );
        assert_eq!(p.instances[1].creation_tickets, [57838]);
        assert_eq!(c.deleted, ["campusweb", "campus-dev"]);
        assert_eq!(c.dns_moves.len(), 1);
        assert_eq!(c.dns_moves[0].from, "campusweb");
        assert_eq!(c.dns_moves[0].to, "campus35web");
        assert_eq!(p.migration_order, ["Campus", "Projets"]);
        assert_eq!(
            c.annexe_title,
            "Annexe 1. Migration Campus 3.1 vers Moodle version 3.5"
        );
    }

    #[test]
    fn dns_names_follow_the_moves() {
        let p = seed_plan();
        let new = vm(&p, 0, "campus35web");
        assert_eq!(new.cells[0].dns, ["campus35.cegepadistance.ca"]);
        assert_eq!(new.cells[1].dns, ["campus.cegepadistance.ca"]);
        assert!(vm(&p, 0, "campusweb").cells[1].dns.is_empty());
    }

    #[test]
    fn deleted_vms_vanish_after_their_deletion() {
        let p = seed_plan();
        let old = vm(&p, 0, "campusweb");
        assert!(old.cells.iter().all(|c| c.present));
        assert_eq!(old.role_after, "Supprimée");
        assert_eq!(vm(&p, 0, "campus35web").role_now, "À être créée");
    }

    /// WGL4 symbols: in Arial, Verdana, Liberation Sans and DejaVu Sans alike, so a reader
    /// whose browser substitutes the font still sees them (checked once with librsvg and
    /// Liberation Sans only).
    const WGL4_SYMBOLS: &str = "√•▲+○×↔←→■";

    #[test]
    fn every_symbol_is_in_wgl4() {
        let p = seed_plan();
        let mut used: Vec<&str> = Colour::ALL.iter().map(|c| c.symbol()).collect();
        for inst in &p.instances {
            for vm in &inst.vms {
                for cell in &vm.cells {
                    used.extend(cell.actions.iter().map(|a| a.symbol));
                }
            }
        }
        for s in used {
            assert!(
                s.chars().all(|c| WGL4_SYMBOLS.contains(c)),
                "{s} is not in WGL4"
            );
        }
    }

    #[test]
    fn headings_carry_the_dates_when_known() {
        let p = seed_plan();
        let h: Vec<&str> = p.instances[0]
            .columns
            .iter()
            .map(|c| c.heading.as_str())
            .collect();
        assert_eq!(
            h,
            [
                "État en date de 2018-12-12",
                "État le jour de migration (jour M)",
                "État 30\u{a0}jours après la migration (M+30)"
            ]
        );
    }
}
