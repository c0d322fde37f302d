//! What `send` decides for each request, from the journal, case by case.

use super::*;
use crate::journal::{Delivery, Journal, Purpose, Status};
use crate::render::tickets::{Kind, Ticket};

fn ticket(id: &str, number: Option<u32>, body: &str) -> Ticket {
    Ticket {
        id: id.into(),
        number,
        kind: Kind::Intervention,
        subject: format!("Intervention {id}"),
        body: body.into(),
        instance: "a".into(),
        state: "jour-m".into(),
        vms: vec![],
        attachments: vec![],
        ics: None,
        to: None,
        sr_token: None,
    }
}

fn delivery(key: &str, digest: &str, status: Status, started: &str) -> Delivery {
    Delivery {
        key: key.into(),
        purpose: Purpose::New,
        number: None,
        message_id: "<m@x>".into(),
        digest: digest.into(),
        subject: "s".into(),
        to: "o@x.org".into(),
        status,
        started: started.into(),
        finished: Some("2026-12-02T10:00:00Z".into()),
        error: None,
    }
}

fn one(t: &Ticket, journal: &Journal, retry: bool) -> Action {
    let retry: BTreeSet<String> = retry.then(|| t.id.clone()).into_iter().collect();
    decide(
        std::slice::from_ref(t),
        std::slice::from_ref(t),
        journal,
        &retry,
    )
    .remove(0)
    .action
}

fn journal_of(d: Vec<Delivery>) -> Journal {
    Journal {
        version: crate::journal::VERSION,
        deliveries: d,
    }
}

#[test]
fn each_case_of_the_journal() {
    let t = ticket("a-jour-m", None, "corps\n");
    let d = digest(&t);
    let empty = Journal::default();
    assert_eq!(one(&t, &empty, false), Action::New);
    let numbered = ticket("a-jour-m", Some(61234), "corps\n");
    assert_eq!(
        one(&numbered, &empty, false),
        Action::Filed { number: 61234 }
    );

    let sent = journal_of(vec![delivery(
        "a-jour-m",
        &d,
        Status::Sent,
        "2026-12-01T09:00:00Z",
    )]);
    assert_eq!(
        one(&t, &sent, false),
        Action::AlreadySent {
            at: "2026-12-02".into()
        }
    );
    let changed = ticket("a-jour-m", None, "autre corps\n");
    assert_eq!(
        one(&changed, &sent, false),
        Action::Held {
            since: "2026-12-01".into()
        }
    );
    let changed_numbered = ticket("a-jour-m", Some(61234), "autre corps\n");
    assert_eq!(
        one(&changed_numbered, &sent, false),
        Action::Update {
            number: 61234,
            since: "2026-12-01".into()
        }
    );
    // A refused delivery delivered nothing.
    let refused = journal_of(vec![delivery(
        "a-jour-m",
        &d,
        Status::Refused,
        "2026-12-01T09:00:00Z",
    )]);
    assert_eq!(one(&t, &refused, false), Action::New);
    // Another request's delivery is not this one's.
    let other = journal_of(vec![delivery(
        "b-jour-m",
        &d,
        Status::Sent,
        "2026-12-01T09:00:00Z",
    )]);
    assert_eq!(one(&t, &other, false), Action::New);
}

#[test]
fn a_cut_delivery_is_uncertain_until_retried() {
    let t = ticket("a-jour-m", None, "corps\n");
    let d = digest(&t);
    let cut = journal_of(vec![delivery(
        "a-jour-m",
        &d,
        Status::Sending,
        "2026-12-03T09:00:00Z",
    )]);
    assert_eq!(
        one(&t, &cut, false),
        Action::Uncertain {
            at: "2026-12-03".into()
        }
    );
    assert!(!one(&t, &cut, false).sends());
    assert_eq!(one(&t, &cut, true), Action::New);
    // Cut after an earlier delivery that arrived: retried, it compares with that one.
    let both = journal_of(vec![
        delivery("a-jour-m", &d, Status::Sent, "2026-12-01T09:00:00Z"),
        delivery(
            "a-jour-m",
            "sha256:other",
            Status::Sending,
            "2026-12-03T09:00:00Z",
        ),
    ]);
    assert!(matches!(one(&t, &both, true), Action::AlreadySent { .. }));
}

#[test]
fn numbers_are_no_change_but_every_word_is() {
    let a = ticket("a", None, "corps\n");
    let mut b = a.clone();
    b.number = Some(5);
    assert_eq!(digest(&a), digest(&b));
    let mut c = a.clone();
    c.subject.push('!');
    assert_ne!(digest(&a), digest(&c));
    let mut e = a.clone();
    e.sr_token = Some("CreateSR".into());
    assert_ne!(
        digest(&a),
        digest(&e),
        "the enclosed body is what Octopus reads"
    );
    assert!(digest(&a).starts_with("sha256:") && digest(&a).len() == 7 + 64);
}

#[test]
fn an_update_has_octopus_subject_and_no_token() {
    let octopus = OctopusPlan {
        sender: None,
        request: crate::model::RequestKind::ServiceRequest,
        sr_token: Some("CreateSR".into()),
        update_subject: crate::model::DEFAULT_UPDATE_SUBJECT.into(),
        kind_label: "Demande de service".into(),
    };
    let mut t = ticket("a", Some(7), "corps\n");
    t.sr_token = Some("CreateSR".into());
    let new = Request {
        ticket: t.clone(),
        digest: String::new(),
        action: Action::New,
    };
    assert_eq!(new.subject(&octopus), "Intervention a");
    assert_eq!(new.body(), "CreateSR\ncorps\nCreateSR\n");
    let update = Request {
        action: Action::Update {
            number: 7,
            since: "2026-12-01".into(),
        },
        ..new
    };
    assert_eq!(
        update.subject(&octopus),
        "[Demande de service] #7 Intervention a"
    );
    assert_eq!(update.body(), "corps\n");
    for a in [&update.action, &Action::New] {
        assert!(a.sends());
    }
    for a in [
        Action::AlreadySent { at: "d".into() },
        Action::Filed { number: 1 },
        Action::Held { since: "d".into() },
    ] {
        assert!(!a.sends(), "{a:?}");
        assert!(!a.why().en().is_empty());
    }
}

#[test]
fn each_request_is_compared_by_its_own_numberless_rendering() {
    // As rendered, the number is in the text; the digest reads the rendering without it.
    let with_number = ticket("a-jour-m", Some(61234), "Ticket Octopus : 61234\n");
    let erased = ticket("a-jour-m", None, "Ticket Octopus : à obtenir\n");
    let other = ticket("b-jour-m", None, "autre\n");
    let sent = journal_of(vec![delivery(
        "a-jour-m",
        &digest(&erased),
        Status::Sent,
        "2026-12-01T09:00:00Z",
    )]);
    let tickets = [other.clone(), with_number];
    let decided = decide(&tickets, &[other, erased.clone()], &sent, &BTreeSet::new());
    assert_eq!(decided[1].digest, digest(&erased));
    assert!(
        matches!(decided[1].action, Action::AlreadySent { .. }),
        "a number that arrives is no change: {:?}",
        decided[1].action
    );
    assert_eq!(decided[0].action, Action::New);
}
