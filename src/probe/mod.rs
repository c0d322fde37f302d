//! `bascule probe`: on the day, does the live DNS match the plan? For the state in force
//! (by the inventory's dates, instance by instance, or the one asked for), every name the
//! plan says is held is looked up and compared with its VM's IP, and every name a VM gave
//! up (released, or its VM deleted) must no longer point at it. Each instance's URL (while
//! one of its VMs runs) and hosted site is requested once (GET, redirects not followed) at
//! the addresses that query gave: it must answer, or no longer answer once deleted. Read-only: DNS queries and GET
//! requests only, to the inventory's names.

mod dns;
mod expect;
mod http;
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
    /// PEM certificates the sites' certificates may chain to (an internal CA); `None`: the
    /// system's roots.
    pub ca: Option<Vec<u8>>,
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
    let roots = http::roots(opts.ca.as_deref()).map_err(|e| msg!("probe.usage.ca", reason = e))?;
    let chosen = choose(plan, opts)?;
    let expected: Vec<(Vec<expect::Expect>, Vec<expect::SiteExpect>)> = (chosen.iter())
        .map(|&(i, state)| {
            let inst = &plan.instances[i];
            (
                expect::of_instance(inst, state),
                expect::sites_of(inst, state),
            )
        })
        .collect();
    let answers = lookup(&expected, server, opts.timeout);
    let sites: Vec<&expect::SiteExpect> = expected.iter().flat_map(|(_, s)| s).collect();
    let replies = request(&sites, &answers, opts.timeout, &roots);
    let place = |vm: &str| verdict::place_of(inventory, source, vm);
    let groups = (chosen.iter().zip(&expected))
        .map(|(&(i, state), (names, sites))| {
            let inst = &plan.instances[i];
            let lines = (names.iter())
                .map(|e| verdict::judge(e, &answers[e.name.as_str()], &place))
                .chain(sites.iter().map(|s| {
                    let reply = replies.get(s.url.as_str());
                    verdict::judge_site(s, &answers[s.host.as_str()], reply)
                }))
                .collect();
            Group {
                heading: heading(inst, state, opts.state.is_none().then_some(opts.today)),
                instance: inst.id.clone(),
                state: plan.states[state].id.clone(),
                lines,
            }
        })
        .collect();
    Ok(Report { server, groups })
}

/// The answer for every name `expected` looks up (its names and its sites' hosts), each
/// asked once, a few at a time.
fn lookup(
    expected: &[(Vec<expect::Expect>, Vec<expect::SiteExpect>)],
    server: SocketAddr,
    timeout: Duration,
) -> BTreeMap<String, dns::Answer> {
    let mut names: Vec<&str> = (expected.iter())
        .flat_map(|(e, s)| {
            let names = e.iter().map(|x| x.name.as_str());
            names.chain(s.iter().map(|x| x.host.as_str()))
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    let answers = in_pool(|| {
        (names.par_iter())
            .map(|n| dns::resolve(n, server, timeout))
            .collect::<Vec<_>>()
    });
    (names.iter().map(|n| n.to_string())).zip(answers).collect()
}

/// Each site whose host resolved, requested a few at a time (once per URL).
fn request(
    sites: &[&expect::SiteExpect],
    answers: &BTreeMap<String, dns::Answer>,
    timeout: Duration,
    roots: &ureq::tls::RootCerts,
) -> BTreeMap<String, http::Reply> {
    let mut asked: Vec<(&str, Vec<std::net::IpAddr>)> = (sites.iter())
        .filter_map(|s| match &answers[s.host.as_str()] {
            dns::Answer::Addresses(a) if !a.is_empty() => Some((s.url.as_str(), a.clone())),
            _ => None,
        })
        .collect();
    asked.sort();
    asked.dedup();
    let replies = in_pool(|| {
        (asked.par_iter())
            .map(|(url, ips)| http::get(url, ips, timeout, roots))
            .collect::<Vec<_>>()
    });
    (asked.iter().map(|(u, _)| u.to_string()))
        .zip(replies)
        .collect()
}

/// `work` on a pool of [`IN_FLIGHT`] threads (on the global one if that cannot be made).
fn in_pool<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(IN_FLIGHT)
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
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

#[cfg(test)]
mod tests;
