//! The plan's side of `probe`, without a network: what each state expects of the intranet
//! example (its old VM gives one name up and one away at jour M, and is deleted at M+30),
//! which state is in force on a day, and how each answer is judged.

use super::dns::{Answer, parse_server};
use super::expect::{Expect, Kind, Why, of_instance, sites_of};
use super::http::Reply;
use super::verdict::{judge, judge_site};
use super::*;

/// The example, dated (jour M 2026-03-09), with its old VM's own name.
fn plan() -> Plan {
    let text = include_str!("../../examples/intranet-seul.yaml")
        .replace(
            "    url: https://intranet.chhr.example\n",
            "    url: https://intranet.chhr.example\n    jour_m: 2026-03-09\n",
        )
        .replace(
            "dns: [intranet.chhr.example, portail.chhr.example]",
            "dns: [intranet.chhr.example, portail.chhr.example, intranet7.chhr.example]",
        );
    crate::fixtures::plan_of(&text)
}

fn held(name: &str, vm: &str, ip: Option<&str>) -> Expect {
    Expect {
        instance: "Intranet".into(),
        name: name.into(),
        kind: Kind::Held {
            vm: vm.into(),
            ip: ip.map(str::to_string),
        },
    }
}

fn gone(name: &str, why: Why) -> Expect {
    Expect {
        instance: "Intranet".into(),
        name: name.into(),
        kind: Kind::Gone {
            vm: "intranet7".into(),
            ip: Some("192.168.40.21".into()),
            why,
        },
    }
}

#[test]
fn each_state_expects_its_own_holders_and_what_was_given_up() {
    let plan = plan();
    let inst = &plan.instances[0];
    let old = Some("192.168.40.21");
    let db = held(
        "bd-intranet.chhr.example",
        "bd-intranet",
        Some("192.168.40.22"),
    );
    assert_eq!(
        of_instance(inst, 0),
        vec![
            db.clone(),
            held("intranet.chhr.example", "intranet7", old),
            held("intranet7.chhr.example", "intranet7", old),
            held("intranet8.chhr.example", "intranet8", None),
            held("portail.chhr.example", "intranet7", old),
        ],
        "the reference state: the old VM holds its names"
    );
    assert_eq!(
        of_instance(inst, 1),
        vec![
            db.clone(),
            held("intranet.chhr.example", "intranet8", None),
            held("intranet7.chhr.example", "intranet7", old),
            held("intranet8.chhr.example", "intranet8", None),
            gone("portail.chhr.example", Why::Released),
        ],
        "jour M: the name moved is the new VM's, the one released nobody's"
    );
    assert_eq!(
        of_instance(inst, 2),
        vec![
            db,
            held("intranet.chhr.example", "intranet8", None),
            gone("intranet7.chhr.example", Why::Deleted),
            held("intranet8.chhr.example", "intranet8", None),
            gone("portail.chhr.example", Why::Deleted),
        ],
        "M+30: the deleted VM holds nothing"
    );
}

#[test]
fn a_hosted_site_must_answer_until_the_state_that_deletes_it() {
    let plan = plan();
    let inst = &plan.instances[0];
    let answers = |state| -> Vec<(String, bool)> {
        (sites_of(inst, state).into_iter())
            .map(|s| (s.url, s.answers))
            .collect()
    };
    let journal = "https://ancien-journal.chhr.example/archives".to_string();
    assert!(answers(0).contains(&(journal.clone(), true)));
    assert!(
        answers(1).contains(&(journal.clone(), false)),
        "deleted at jour M"
    );
    assert!(answers(2).contains(&(journal, false)));
    let own = &sites_of(inst, 2)[0];
    assert_eq!(
        (own.url.as_str(), own.host.as_str(), own.answers),
        (
            "https://intranet.chhr.example",
            "intranet.chhr.example",
            true
        )
    );
}

#[test]
fn an_instance_whose_vms_are_all_switched_off_is_not_expected_to_answer() {
    // The example's sandbox: both VMs switched off at M+14.
    let ville = include_str!("../../examples/ville-debian12.yaml")
        .replace(
            "        role_after: Bac à sable (Debian 10)\n",
            "        role_after: Bac à sable (Debian 10)\n        actions:\n          - { state: m14, do: [deactivate] }\n",
        )
        .replace(
            "        role: Ancien bac à sable\n        actions:\n",
            "        role: Ancien bac à sable\n        actions:\n          - { state: m14, do: [deactivate] }\n",
        );
    let plan = crate::fixtures::plan_of(&ville);
    let sandbox = plan.instances.iter().find(|i| i.id == "atelier").unwrap();
    let m14 = plan.states.iter().position(|s| s.id == "m14").unwrap();
    let urls = |state| -> Vec<String> {
        sites_of(sandbox, state)
            .into_iter()
            .map(|s| s.url)
            .collect()
    };
    assert_eq!(urls(m14 - 1), ["https://atelier.ville.example"]);
    assert!(urls(m14).is_empty(), "{:?}", urls(m14));
}

#[test]
fn the_state_in_force_is_the_last_whose_date_has_come() {
    let plan = plan();
    let inst = &plan.instances[0];
    let day = |d: &str| crate::date::parse(d).unwrap();
    assert_eq!(
        in_force(inst, day("2026-01-01")),
        0,
        "before any date: the first"
    );
    assert_eq!(in_force(inst, day("2026-03-08")), 0);
    assert_eq!(in_force(inst, day("2026-03-09")), 1, "jour M itself");
    assert_eq!(in_force(inst, day("2026-04-07")), 1);
    assert_eq!(in_force(inst, day("2026-04-08")), 2, "M+30");
}

#[test]
fn name_servers_are_an_address_and_a_port() {
    let at = |s: &str| parse_server(s).map(|a| a.to_string());
    assert_eq!(at("127.0.0.1").as_deref(), Some("127.0.0.1:53"));
    assert_eq!(at("127.0.0.1:5353").as_deref(), Some("127.0.0.1:5353"));
    assert_eq!(at("::1").as_deref(), Some("[::1]:53"));
    assert_eq!(at("[::1]:5353").as_deref(), Some("[::1]:5353"));
    assert_eq!(at("ns.example"), None);
    assert_eq!(at("127.0.0.1:99999"), None);
}

fn addresses(ips: &[&str]) -> Answer {
    Answer::Addresses(ips.iter().map(|i| i.parse().unwrap()).collect())
}

#[test]
fn a_held_name_is_as_planned_only_with_its_vms_address_alone() {
    let e = held("a.example", "web", Some("127.0.0.5"));
    let none = |_: &str| None;
    let v = |a: Answer| judge(&e, &a, &none).verdict;
    assert_eq!(v(addresses(&["127.0.0.5"])), Verdict::AsPlanned);
    assert_eq!(v(addresses(&["127.0.0.6"])), Verdict::Differs);
    assert_eq!(
        v(addresses(&["127.0.0.5", "127.0.0.6"])),
        Verdict::Differs,
        "another beside"
    );
    assert_eq!(v(addresses(&[])), Verdict::Differs);
    assert_eq!(v(Answer::NoSuchName), Verdict::Differs);
    assert_eq!(v(Answer::Unknown("timeout".into())), Verdict::Unknown);
    let line = judge(&e, &addresses(&["127.0.0.6"]), &none);
    assert_eq!((line.check, line.found.as_str()), ("held", "127.0.0.6"));
    assert_eq!(line.expected.as_deref(), Some("127.0.0.5"));
    // Without the VM's IP: any address is reported with the line to add, at the VM's place.
    let e = held("a.example", "web", None);
    let place = |vm: &str| Some(format!("inv.yaml:{}", vm.len()));
    let line = judge(&e, &addresses(&["127.0.0.9"]), &place);
    assert_eq!(line.verdict, Verdict::Unknown);
    let said = line.text.en();
    assert!(
        said.contains("add the line `ip: 127.0.0.9` to it (inv.yaml:3)"),
        "{said}"
    );
    assert_eq!(
        judge(&e, &Answer::NoSuchName, &place).verdict,
        Verdict::Differs
    );
}

#[test]
fn a_name_given_up_differs_only_while_it_still_gives_the_old_address() {
    let none = |_: &str| None;
    for why in [Why::Released, Why::Deleted] {
        let e = gone("p.example", why);
        let v = |a: Answer| judge(&e, &a, &none).verdict;
        assert_eq!(v(addresses(&["192.168.40.21"])), Verdict::Differs);
        assert_eq!(
            v(addresses(&["10.0.0.1", "192.168.40.21"])),
            Verdict::Differs
        );
        assert_eq!(v(addresses(&["10.0.0.1"])), Verdict::AsPlanned);
        assert_eq!(v(Answer::NoSuchName), Verdict::AsPlanned);
        assert_eq!(v(addresses(&[])), Verdict::AsPlanned);
        assert_eq!(v(Answer::Unknown("refused".into())), Verdict::Unknown);
    }
    let check = |why| judge(&gone("p.example", why), &Answer::NoSuchName, &none).check;
    assert_eq!(
        (check(Why::Released), check(Why::Deleted)),
        ("released", "deleted")
    );
    let no_ip = Expect {
        kind: Kind::Gone {
            vm: "x".into(),
            ip: None,
            why: Why::Released,
        },
        ..gone("p.example", Why::Released)
    };
    assert_eq!(
        judge(&no_ip, &addresses(&["10.0.0.1"]), &none).verdict,
        Verdict::Unknown
    );
}

#[test]
fn a_site_answers_under_400_and_a_deleted_one_must_not() {
    let site = |answers| super::expect::SiteExpect {
        url: "https://s.example/".into(),
        host: "s.example".into(),
        vm: "web".into(),
        answers,
    };
    let ok = addresses(&["127.0.0.5"]);
    let v = |answers, reply: Reply| judge_site(&site(answers), &ok, Some(&reply)).verdict;
    assert_eq!(v(true, Reply::Status(200, None)), Verdict::AsPlanned);
    assert_eq!(
        v(true, Reply::Status(399, Some("/x".into()))),
        Verdict::AsPlanned
    );
    assert_eq!(v(true, Reply::Status(400, None)), Verdict::Differs);
    assert_eq!(v(true, Reply::Refused), Verdict::Differs);
    assert_eq!(
        v(true, Reply::Certificate("expired".into())),
        Verdict::Differs
    );
    assert_eq!(v(true, Reply::Unknown("timeout".into())), Verdict::Unknown);
    assert_eq!(v(false, Reply::Status(200, None)), Verdict::Differs);
    assert_eq!(v(false, Reply::Status(404, None)), Verdict::AsPlanned);
    assert_eq!(v(false, Reply::Refused), Verdict::AsPlanned);
    assert_eq!(v(false, Reply::Certificate("x".into())), Verdict::Unknown);
    // Unresolved: differs for a site that must answer, as planned for a deleted one.
    let unresolved = |answers| judge_site(&site(answers), &Answer::NoSuchName, None).verdict;
    assert_eq!(
        (unresolved(true), unresolved(false)),
        (Verdict::Differs, Verdict::AsPlanned)
    );
    let dns_silent = judge_site(&site(true), &Answer::Unknown("t".into()), None);
    assert_eq!(dns_silent.verdict, Verdict::Unknown);
    let line = judge_site(
        &site(false),
        &ok,
        Some(&Reply::Status(301, Some("/y".into()))),
    );
    assert_eq!(
        (line.check, line.found.as_str()),
        ("site_deleted", "301 /y")
    );
}

#[test]
fn the_exit_code_says_the_worst_verdict() {
    let report = |verdicts: &[Verdict]| Report {
        server: "127.0.0.1:53".parse().unwrap(),
        groups: vec![Group {
            heading: crate::msg!("probe.found", found = "x"),
            instance: "i".into(),
            state: "s".into(),
            lines: (verdicts.iter())
                .map(|&verdict| Line {
                    name: "n".into(),
                    check: "held",
                    vm: "v".into(),
                    verdict,
                    expected: None,
                    found: String::new(),
                    text: crate::msg!("probe.found", found = "x"),
                })
                .collect(),
        }],
    };
    use Verdict::*;
    assert_eq!(exit_code(&report(&[])), 0);
    assert_eq!(exit_code(&report(&[AsPlanned])), 0);
    assert_eq!(exit_code(&report(&[AsPlanned, Unknown])), EXIT_UNKNOWN);
    assert_eq!(exit_code(&report(&[Unknown, Differs])), EXIT_DIFFERS);
}
