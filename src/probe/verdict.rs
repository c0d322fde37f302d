//! What each answer means against the plan: as planned, differs (expected vs found), or
//! could not tell — each worded as one line, and for a VM whose IP the inventory does not
//! know yet, the line to add to it.

use super::dns::Answer;
use super::expect::{Expect, Kind, SiteExpect, Why};
use super::http::Reply;
use crate::diag::Text;
use crate::model::Inventory;
use crate::msg;

/// How a name compares with the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The name gives what the plan says.
    AsPlanned,
    /// The name gives something else.
    Differs,
    /// Nothing could be told: no answer, or nothing in the inventory to compare with.
    Unknown,
}

/// One name's finding.
pub struct Line {
    /// The DNS name.
    pub name: String,
    /// What the plan expects of it (`held`, `released`, `deleted`).
    pub check: &'static str,
    /// The VM the expectation is about.
    pub vm: String,
    /// How it compares.
    pub verdict: Verdict,
    /// The address expected (held), or the one it must no longer give (released, deleted);
    /// `None` when the inventory does not know it.
    pub expected: Option<String>,
    /// What the name server said: the addresses, `NXDOMAIN`, or why nothing came.
    pub found: String,
    /// The line, worded.
    pub text: Text,
}

/// The finding for `e`, given the server's `answer`; `place(vm)` says where the VM is
/// written in the inventory (for the line to add).
pub(super) fn judge(e: &Expect, answer: &Answer, place: &dyn Fn(&str) -> Option<String>) -> Line {
    let found = found(answer);
    let (check, vm, expected) = match &e.kind {
        Kind::Held { vm, ip } => ("held", vm, ip),
        Kind::Gone {
            vm,
            ip,
            why: Why::Released,
        } => ("released", vm, ip),
        Kind::Gone {
            vm,
            ip,
            why: Why::Deleted,
        } => ("deleted", vm, ip),
    };
    let (verdict, text) = match &e.kind {
        Kind::Held { vm, ip } => held(&e.name, vm, ip.as_deref(), answer, place),
        Kind::Gone { vm, ip, why } => gone(&e.name, vm, ip.as_deref(), *why, answer),
    };
    Line {
        name: e.name.clone(),
        check,
        vm: vm.clone(),
        verdict,
        expected: expected.clone(),
        found,
        text,
    }
}

/// What the server said, as the lines show it, worded.
fn found_text(answer: &Answer) -> Text {
    match answer {
        Answer::Addresses(a) if a.is_empty() => msg!("probe.found.none"),
        Answer::NoSuchName => msg!("probe.found.nxdomain"),
        _ => msg!("probe.found", found = found(answer)),
    }
}

/// What the server said, as the JSON record gives it: the addresses, `NXDOMAIN`, `none`,
/// or why nothing came.
fn found(answer: &Answer) -> String {
    match answer {
        Answer::Addresses(a) if a.is_empty() => "none".into(),
        Answer::Addresses(a) => a
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Answer::NoSuchName => "NXDOMAIN".into(),
        Answer::Unknown(why) => why.clone(),
    }
}

/// A name the plan says `vm` holds.
fn held(
    name: &str,
    vm: &str,
    ip: Option<&str>,
    answer: &Answer,
    place: &dyn Fn(&str) -> Option<String>,
) -> (Verdict, Text) {
    let shown = found_text(answer);
    match (answer, ip) {
        (Answer::Unknown(why), _) => (
            Verdict::Unknown,
            msg!("probe.no_answer", name = name, reason = why.as_str()),
        ),
        (Answer::Addresses(a), Some(ip)) if a.len() == 1 && a[0].to_string() == ip => (
            Verdict::AsPlanned,
            msg!("probe.held.ok", name = name, vm = vm, ip = ip),
        ),
        (Answer::Addresses(a), None) if !a.is_empty() => {
            let first = a[0].to_string();
            let at = place(vm).unwrap_or_default();
            (
                Verdict::Unknown,
                msg!(
                    "probe.held.unknown_ip",
                    name = name,
                    vm = vm,
                    found = shown,
                    line = format!("ip: {first}"),
                    at = at
                ),
            )
        }
        (_, Some(ip)) => (
            Verdict::Differs,
            msg!(
                "probe.held.differs",
                name = name,
                vm = vm,
                expected = ip,
                found = shown
            ),
        ),
        (_, None) => (
            Verdict::Differs,
            msg!("probe.held.missing", name = name, vm = vm, found = shown),
        ),
    }
}

/// A name `vm` gave up, which must no longer give its `ip`.
fn gone(name: &str, vm: &str, ip: Option<&str>, why: Why, answer: &Answer) -> (Verdict, Text) {
    let shown = found_text(answer);
    let Some(ip) = ip else {
        return (
            Verdict::Unknown,
            msg!("probe.gone.no_ip", name = name, vm = vm),
        );
    };
    match answer {
        Answer::Unknown(why) => (
            Verdict::Unknown,
            msg!("probe.no_answer", name = name, reason = why.as_str()),
        ),
        Answer::Addresses(a) if a.iter().any(|x| x.to_string() == ip) => (
            Verdict::Differs,
            match why {
                Why::Released => msg!("probe.released.differs", name = name, vm = vm, ip = ip),
                Why::Deleted => msg!("probe.deleted.differs", name = name, vm = vm, ip = ip),
            },
        ),
        _ => (
            Verdict::AsPlanned,
            match why {
                Why::Released => msg!("probe.released.ok", name = name, vm = vm, found = shown),
                Why::Deleted => msg!("probe.deleted.ok", name = name, vm = vm, found = shown),
            },
        ),
    }
}

/// `FILE:LINE` of the VM `vm`'s `machine:` key in `inventory` (read from `source`).
pub(super) fn place_of(inventory: &Inventory, source: &str, vm: &str) -> Option<String> {
    let found = (inventory.instances.iter())
        .flat_map(|i| &i.vms)
        .find(|v| v.machine.value == vm)?;
    let pos = crate::diag::Pos::from(&found.machine);
    Some(format!("{source}:{}", pos.line))
}

/// The finding for the site `s`, given its host's `answer` and, when it was requested, its
/// `reply`.
pub(super) fn judge_site(s: &SiteExpect, answer: &Answer, reply: Option<&Reply>) -> Line {
    let (verdict, found, text) = match (answer, reply) {
        (Answer::Unknown(why), _) => (
            Verdict::Unknown,
            why.clone(),
            msg!(
                "probe.no_answer",
                name = s.host.as_str(),
                reason = why.as_str()
            ),
        ),
        (_, None) => unresolved(s, answer),
        (_, Some(reply)) => match s.answers {
            true => must_answer(s, reply),
            false => must_not_answer(s, reply),
        },
    };
    Line {
        name: s.url.clone(),
        check: if s.answers { "site" } else { "site_deleted" },
        vm: s.vm.clone(),
        verdict,
        expected: None,
        found,
        text,
    }
}

/// A site whose host does not resolve.
fn unresolved(s: &SiteExpect, answer: &Answer) -> (Verdict, String, Text) {
    let (url, host, shown) = (s.url.as_str(), s.host.as_str(), found_text(answer));
    match s.answers {
        true => (
            Verdict::Differs,
            found(answer),
            msg!(
                "probe.site.unresolved",
                url = url,
                host = host,
                found = shown
            ),
        ),
        false => (
            Verdict::AsPlanned,
            found(answer),
            msg!("probe.site.gone_ok", url = url, found = shown),
        ),
    }
}

/// What a reply was, for the JSON record.
fn reply_found(reply: &Reply) -> String {
    match reply {
        Reply::Status(code, Some(to)) => format!("{code} {to}"),
        Reply::Status(code, None) => code.to_string(),
        Reply::Certificate(why) => format!("certificate: {why}"),
        Reply::Refused => "refused".into(),
        Reply::Unknown(why) => why.clone(),
    }
}

/// A site that must answer.
fn must_answer(s: &SiteExpect, reply: &Reply) -> (Verdict, String, Text) {
    let url = s.url.as_str();
    let (verdict, text) = match reply {
        Reply::Status(code, to) if *code < 400 => (
            Verdict::AsPlanned,
            match to {
                Some(to) => msg!(
                    "probe.site.redirects",
                    url = url,
                    status = code,
                    to = to.as_str()
                ),
                None => msg!("probe.site.ok", url = url, status = code),
            },
        ),
        Reply::Status(code, _) => (
            Verdict::Differs,
            msg!("probe.site.status", url = url, status = code),
        ),
        Reply::Certificate(why) => (
            Verdict::Differs,
            msg!("probe.site.certificate", url = url, reason = why.as_str()),
        ),
        Reply::Refused => (Verdict::Differs, msg!("probe.site.refused", url = url)),
        Reply::Unknown(why) => (
            Verdict::Unknown,
            msg!("probe.no_answer", name = url, reason = why.as_str()),
        ),
    };
    (verdict, reply_found(reply), text)
}

/// A site deleted by the probed state, which must no longer be served.
fn must_not_answer(s: &SiteExpect, reply: &Reply) -> (Verdict, String, Text) {
    let url = s.url.as_str();
    let found = reply_found(reply);
    let (verdict, text) = match reply {
        Reply::Status(code, _) if *code < 400 => (
            Verdict::Differs,
            msg!("probe.site.still_served", url = url, status = code),
        ),
        Reply::Status(..) | Reply::Refused => (
            Verdict::AsPlanned,
            msg!("probe.site.gone_ok", url = url, found = found.as_str()),
        ),
        Reply::Certificate(why) | Reply::Unknown(why) => (
            Verdict::Unknown,
            msg!("probe.no_answer", name = url, reason = why.as_str()),
        ),
    };
    (verdict, found, text)
}
