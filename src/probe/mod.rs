//! `bascule probe`: on the day, does the live DNS match the plan? For the state in force
//! (by the inventory's dates, instance by instance, or the one asked for), every name the
//! plan says is held is looked up and compared with its VM's IP, and every name a VM gave
//! up (released, or its VM deleted) must no longer point at it. Read-only: DNS queries
//! only, one per name, to the inventory's names. HTTP(S) checks are not made yet.

mod dns;
mod expect;
mod print;
mod verdict;

pub use print::{github, human, json};
pub use verdict::{Line, Verdict};

use crate::date::Date;
use crate::diag::Text;
use crate::model::Inventory;
use crate::msg;
use crate::plan::{InstancePlan, Plan};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

/// What to probe, and how.
pub struct Options {
    /// The state to probe (its id), for every instance; `None`: the state in force on
    /// `today` by each instance's dates.
    pub state: Option<String>,
    /// The instances to probe (their ids); empty: all.
    pub instances: Vec<String>,
    /// The name server asked, as `ADDR[:PORT]`; `None`: the system's first.
    pub server: Option<String>,
    /// How long one DNS query may wait for its reply.
    pub timeout: Duration,
    /// The day whose state is in force (today's date by default).
    pub today: Date,
}

/// One instance's findings.
pub struct Group {
    /// The instance's heading line: its name and the state probed, with its date.
    pub heading: Text,
    /// The instance's id.
    pub instance: String,
    /// The id of the state probed.
    pub state: String,
    /// One line per name, sorted by name.
    pub lines: Vec<Line>,
}

/// What `probe` found, instance by instance.
pub struct Report {
    /// The name server asked.
    pub server: SocketAddr,
    /// The instances in the plan's order.
    pub groups: Vec<Group>,
}

/// The exit code of a probe that found `report`: 0 when every name is as planned, 4 when
/// one differs, else 5 when one could not be told.
pub fn exit_code(report: &Report) -> u8 {
    let all = report.groups.iter().flat_map(|g| &g.lines);
    let verdicts: Vec<Verdict> = all.map(|l| l.verdict).collect();
    if verdicts.contains(&Verdict::Differs) {
        EXIT_DIFFERS
    } else if verdicts.contains(&Verdict::Unknown) {
        EXIT_UNKNOWN
    } else {
        0
    }
}

/// A name differs from the plan.
pub const EXIT_DIFFERS: u8 = 4;
/// No name differs, but at least one could not be told.
pub const EXIT_UNKNOWN: u8 = 5;

/// At most this many queries are in flight at once.
const IN_FLIGHT: usize = 8;

/// Probes the names of `plan` (made from `inventory`, which gives the positions of the
/// lines to add). `Err`: a usage fault (an unknown state or instance, an unreadable name
/// server).
pub fn run(
    plan: &Plan,
    inventory: &Inventory,
    source: &str,
    opts: &Options,
) -> Result<Report, Text> {
    let server = match &opts.server {
        Some(text) => dns::parse_server(text)
            .ok_or_else(|| msg!("probe.usage.server", server = text.as_str()))?,
        None => dns::system_server().map_err(|e| msg!("probe.usage.system", reason = e))?,
    };
    let chosen = choose(plan, opts)?;
    let expected: Vec<(usize, Vec<expect::Expect>)> = (chosen.iter())
        .map(|&(inst, state)| (inst, expect::of_instance(&plan.instances[inst], state)))
        .collect();
    let mut names: Vec<String> = (expected.iter())
        .flat_map(|(_, e)| e.iter().map(|x| x.name.clone()))
        .collect();
    names.sort_unstable();
    names.dedup();
    let answers = lookup(&names, server, opts.timeout);
    let place = |vm: &str| verdict::place_of(inventory, source, vm);
    let groups = (chosen.iter().zip(expected))
        .map(|(&(i, state), (_, exp))| {
            let inst = &plan.instances[i];
            Group {
                heading: heading(inst, state, opts.state.is_none().then_some(opts.today)),
                instance: inst.id.clone(),
                state: plan.states[state].id.clone(),
                lines: exp
                    .iter()
                    .map(|e| verdict::judge(e, &answers[e.name.as_str()], &place))
                    .collect(),
            }
        })
        .collect();
    Ok(Report { server, groups })
}

/// Each name's answer, asked a few at a time.
fn lookup(
    names: &[String],
    server: SocketAddr,
    timeout: Duration,
) -> BTreeMap<String, dns::Answer> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(IN_FLIGHT)
        .build();
    let ask = || -> Vec<dns::Answer> {
        names
            .par_iter()
            .map(|n| dns::resolve(n, server, timeout))
            .collect()
    };
    let answers = match &pool {
        Ok(pool) => pool.install(ask),
        Err(_) => ask(),
    };
    names.iter().cloned().zip(answers).collect()
}

/// The instances to probe, each with the index of its state.
fn choose(plan: &Plan, opts: &Options) -> Result<Vec<(usize, usize)>, Text> {
    for id in &opts.instances {
        if !plan.instances.iter().any(|i| i.id == *id) {
            let known = plan
                .instances
                .iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>();
            return Err(msg!(
                "probe.usage.instance",
                instance = id.as_str(),
                known = known.join(", ")
            ));
        }
    }
    let fixed = match &opts.state {
        Some(id) => Some(
            plan.states
                .iter()
                .position(|s| s.id == *id)
                .ok_or_else(|| {
                    let known = plan
                        .states
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>();
                    msg!(
                        "probe.usage.state",
                        state = id.as_str(),
                        known = known.join(", ")
                    )
                })?,
        ),
        None => None,
    };
    Ok((plan.instances.iter().enumerate())
        .filter(|(_, i)| opts.instances.is_empty() || opts.instances.contains(&i.id))
        .map(|(n, inst)| (n, fixed.unwrap_or_else(|| in_force(inst, opts.today))))
        .collect())
}

/// The state in force on `today` for `inst`: the last whose date has come (the first
/// state when none has, or none is dated).
fn in_force(inst: &InstancePlan, today: Date) -> usize {
    (inst.columns.iter().enumerate())
        .filter(|(_, c)| c.iso.is_some_and(|d| d <= today))
        .map(|(i, _)| i)
        .next_back()
        .unwrap_or(0)
}

/// The instance's heading: its name and the state probed, with the state's date, and
/// whether it is the one in force on `today` or the one asked for.
fn heading(inst: &InstancePlan, state: usize, today: Option<Date>) -> Text {
    let column = &inst.columns[state];
    // A state labelled by its date (the reference state) is not dated twice.
    let date = (column.iso.map(|d| d.to_string()))
        .filter(|d| *d != column.label)
        .unwrap_or_default();
    let (instance, state) = (inst.name.as_str(), column.label.as_str());
    match today {
        Some(today) => msg!(
            "probe.heading.in_force",
            instance = instance,
            state = state,
            date = date,
            today = today
        ),
        None => msg!(
            "probe.heading.asked",
            instance = instance,
            state = state,
            date = date
        ),
    }
}
