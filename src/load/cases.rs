//! The loader's words, case by case: one mistake in the seed, one fault, its code and words
//! (the first-try mistakes of the issue are in `tests/it/mistakes.rs`, through the binary).

use super::load;
use crate::diag::Code;

/// `from → to` in the seed gives exactly one fault, with `code`, and `msg` and `help` in it.
fn one(from: &str, to: &str, code: Code, msg: &str, help: &str) {
    let seed = crate::fixtures::SEED;
    assert!(seed.contains(from), "{from}");
    let text = seed.replacen(from, to, 1);
    let all = load("t.yaml", text.as_bytes()).expect_err(to);
    assert_eq!(all.len(), 1, "{to:?}: {all:#?}");
    let d = &all[0];
    assert_eq!(d.code, code, "{to:?}: {d:?}");
    assert!(d.message.en().contains(msg), "{to:?}: {}", d.message.en());
    let h = d.help.as_ref().map(|h| h.en()).unwrap_or_default();
    assert!(h.contains(help), "{to:?}: {h}");
    let line = text[..text.find(to.trim_start()).unwrap()]
        .matches('\n')
        .count() as u32
        + 1;
    assert_eq!(d.line, line, "{to:?}: {d:?}");
}

#[test]
fn mappings_lists_and_texts() {
    one(
        "  decision:\n    meeting: DRI\n    date: 2018-11-28\n",
        "  decision: DRI 2018-11-28\n",
        Code::E0013,
        "`decision` takes keys",
        "`meeting: …`, `date: …`",
    );
    one(
        "    - name: PHP\n      version: 7.0.7\n",
        "    - PHP 7.0.7\n",
        Code::E0013,
        "an item of `components` takes keys",
        "write it as keys after `- `",
    );
    one(
        "zones: [cegepadistance.ca]",
        "zones:",
        Code::E0013,
        "`zones` is empty",
        "write a list",
    );
    one(
        "  title: Op",
        "  title:\n  # Op",
        Code::E0120,
        "`title` is empty",
        "write its text after `title:`",
    );
}

#[test]
fn values_actions_and_strategies() {
    one(
        "    kind: after\n",
        "    kind: 12\n",
        Code::E0011,
        "unknown value `12` for `kind`",
        "`reference`, `before`, `migration`, `after`",
    );
    one(
        "do: [deactivate] }",
        "do: [~] }",
        Code::E0011,
        "an item of `do` is empty",
        "`deactivate`, `delete`, `create: …`",
    );
    one(
        "do: [deactivate] }",
        "do: [create] }",
        Code::E0013,
        "`create` needs a value",
        "write `create: {}` until the Octopus number is known",
    );
    one(
        "do: [{ create: { ticket: 57330 } }] }",
        "do: [{ create: }] }",
        Code::E0013,
        "`create` takes keys, not a single value",
        "write `create: {}` until the Octopus number is known, then `create: { ticket: 12345 }`",
    );
    one(
        "do: [deactivate] }",
        "do: [{delete: x}] }",
        Code::E0013,
        "`delete` takes no value",
        "alone",
    );
    one(
        "do: [deactivate] }",
        "do: [{ dns-release: a.b.ca, create: {} }] }",
        Code::E0013,
        "one item holds several keys: create, dns-release",
        "one per item",
    );
    one(
        "database: { connect: campusdb2 }",
        "database: { conect: campusdb2 }",
        Code::E0010,
        "unknown key `conect`",
        "did you mean `connect`?",
    );
    one(
        "database: { connect: campusdb2 }",
        "database: campusdb2",
        Code::E0011,
        "unknown value `campusdb2` for `database`",
        "`connect: …`, `migrate: …`",
    );
}

#[test]
fn numbers_and_dates() {
    one(
        "    annexe: 1\n",
        "    annexe: -1\n",
        Code::E0013,
        "cannot be negative",
        "",
    );
    one(
        "    annexe: 1\n",
        "    annexe: 99999999999\n",
        Code::E0013,
        "too large",
        "",
    );
    one(
        "    annexe: 1\n",
        "    annexe: un\n",
        Code::E0013,
        "`annexe` takes a whole number",
        "without quotes",
    );
    for (to, help) in [
        ("12/12/2018", "write 2018-12-12"),
        ("2018-12-12 10:00", "write 2018-12-12"),
        ("03/04/2018", "write 2018-04-03 (if 03 is the day)"),
        ("le 12 décembre", "write the date as AAAA-MM-JJ"),
    ] {
        // A date of the wrong shape alone does not stop deserialisation: the fault comes
        // with the inventory, for the validator's report.
        let text = crate::fixtures::SEED.replacen("date: 2018-12-12", &format!("date: {to}"), 1);
        let loaded = load("t.yaml", text.as_bytes()).expect("loads");
        let d = &loaded.diagnostics;
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::E0109);
        assert!(
            d[0].help
                .as_ref()
                .map(|h| h.en())
                .as_deref()
                .unwrap_or_default()
                .contains(help),
            "{d:?}"
        );
    }
}

#[test]
fn what_deserialisation_reads_anyway_is_not_a_fault() {
    for (from, to) in [
        ("from: \"3.1\"", "from: 3.1"),
        ("ticket: 57330", "ticket: \"57330\""),
        ("version: 12 SP3", "version: 12"),
        ("meeting: DRI", "meeting: yes"),
    ] {
        let text = crate::fixtures::SEED.replacen(from, to, 1);
        let loaded = load("t.yaml", text.as_bytes()).unwrap_or_else(|d| panic!("{to}: {d:?}"));
        assert!(loaded.diagnostics.is_empty(), "{to}");
    }
}
