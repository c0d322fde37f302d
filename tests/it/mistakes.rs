//! A writer's first-try mistakes: each gets one located message in plain words, and all of them
//! are reported in one run. Help lines point at README sections that exist.

use crate::common::*;
use serde_json::Value;

/// `check --format json` on the seed with `pairs` applied: every diagnostic, and the text.
fn run(pairs: &[(&str, &str)]) -> (Vec<Value>, String, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    let (inv, text) = mutated_all(dir.path(), pairs);
    let o = bascule(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--inventory",
            inv.to_str().unwrap(),
        ],
    );
    let found = json_diagnostics(&stdout(&o));
    (found, text, o.status.code())
}

fn line_of(text: &str, needle: &str) -> u64 {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?}"));
    text[..at].matches('\n').count() as u64 + 1
}

/// One mistake, one error: its code, its line (that of `on`), words in its message and help.
fn one(from: &str, to: &str, on: &str, code: &str, message: &str, help: &str) {
    let (found, text, status) = run(&[(from, to)]);
    let errors: Vec<&Value> = found.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{to:?}: {errors:#?}");
    let d = errors[0];
    assert_eq!(d["code"], code, "{to:?}: {d}");
    assert_eq!(d["line"], line_of(&text, on), "{to:?}: {d}");
    assert!(d["col"].as_u64().unwrap() > 0);
    let (msg, hlp) = (d["message"].as_str().unwrap(), d["help"].as_str().unwrap());
    assert!(msg.contains(message), "{to:?}: {msg}");
    assert!(hlp.contains(help), "{to:?}: {hlp}");
    for jargon in ["u32", "sequence", "variant", "field", "invalid type"] {
        assert!(
            !msg.contains(jargon) && !hlp.contains(jargon),
            "{msg} / {hlp}"
        );
    }
    assert_eq!(status, Some(1));
}

#[test]
fn a_scalar_where_a_list_is_expected() {
    one(
        "dns: [campus.cegepadistance.ca]",
        "dns: campus.cegepadistance.ca",
        "dns: campus.",
        "E0013",
        "`dns` takes a list: write `dns: [campus.cegepadistance.ca]`",
        "",
    );
}

#[test]
fn an_enum_value_with_a_typo() {
    one(
        "do: [delete] }",
        "do: [deleted] }",
        "do: [deleted]",
        "E0011",
        "unknown value `deleted`",
        "did you mean `delete`?",
    );
    one(
        "environment: production",
        "environment: prod",
        "environment: prod",
        "E0011",
        "`prod`",
        "did you mean `production`?",
    );
}

#[test]
fn a_date_written_the_other_way() {
    one(
        "date: 2018-11-28",
        "date: 28/11/2018",
        "date: 28/11",
        "E0109",
        "`28/11/2018` is not a date written AAAA-MM-JJ",
        "write 2018-11-28",
    );
}

#[test]
fn a_ticket_with_letters() {
    one(
        "ticket: 57330",
        "ticket: \"OCT-120451\"",
        "ticket: \"OCT",
        "E0013",
        "a ticket is a number, e.g. `ticket: 120451`",
        "",
    );
}

#[test]
fn machine_where_name_is_expected_and_the_reverse() {
    one(
        "{ name: campus-dev-boris,",
        "{ machine: campus-dev-boris,",
        "machine: campus-dev-boris",
        "E0010",
        "unknown key `machine`",
        "did you mean `name`?",
    );
    one(
        "- machine: campusdb2\n",
        "- name: campusdb2\n",
        "name: campusdb2",
        "E0010",
        "unknown key `name`",
        "did you mean `machine`?",
    );
}

#[test]
fn a_fate_with_a_typo() {
    one(
        "fate: delete }",
        "fate: deleted }",
        "fate: deleted",
        "E0011",
        "unknown value `deleted` for `fate`",
        "did you mean `delete`?",
    );
}

#[test]
fn a_missing_key_points_at_its_mapping() {
    one(
        "    url: https://projets.cegepadistance.ca\n",
        "",
        "  - id: projets",
        "E0012",
        "missing key `url`",
        "add `url:` to this mapping",
    );
}

#[test]
fn a_typo_in_a_key_is_not_also_a_missing_key() {
    one(
        "    users: SIPI",
        "    usrs: SIPI",
        "usrs: SIPI",
        "E0010",
        "unknown key `usrs`",
        "did you mean `users`?",
    );
}

#[test]
fn five_first_try_mistakes_in_one_run() {
    let (found, text, status) = run(&[
        ("    url: https://projets.cegepadistance.ca\n", ""),
        ("    role: Outil", "    rol: Outil"),
        ("{ name: campus-dev-tuan,", "{ machine: campus-dev-tuan,"),
        ("fate: delete }", "fate: deleted }"),
        ("date: 2018-12-12", "date: 15/01/2024"),
    ]);
    assert_eq!(status, Some(1));
    let got: Vec<(&str, u64)> = found
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    let want = vec![
        ("E0109", line_of(&text, "date: 15/01/2024")),
        ("E0010", line_of(&text, "rol: Outil")),
        ("E0010", line_of(&text, "machine: campus-dev-tuan")),
        ("E0012", line_of(&text, "  - id: projets")),
        ("E0011", line_of(&text, "fate: deleted")),
    ];
    assert_eq!(got, want, "{found:#?}");
    let helps: Vec<&str> = found.iter().map(|d| d["help"].as_str().unwrap()).collect();
    assert!(helps[0].contains("write 2024-01-15"), "{helps:?}");
    assert!(helps[1].contains("did you mean `role`?"), "{helps:?}");
    assert!(helps[2].contains("did you mean `name`?"), "{helps:?}");
    assert!(helps[3].contains("add `url:`"), "{helps:?}");
    assert!(helps[4].contains("did you mean `delete`?"), "{helps:?}");
}

#[test]
fn the_human_format_locates_every_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let (inv, _) = mutated_all(
        dir.path(),
        &[
            (
                "dns: [campus.cegepadistance.ca]",
                "dns: campus.cegepadistance.ca",
            ),
            ("fate: delete }", "fate: deleted }"),
        ],
    );
    let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        err.matches(&format!("--> {}:", inv.display())).count(),
        2,
        "{err}"
    );
    assert!(err.contains("error: 2 error(s)"), "{err}");
    assert!(!dir.path().join("out").exists());
}

/// Every `README.md, « Section »` a message cites names a heading of the README.
#[test]
fn help_lines_cite_readme_sections_that_exist() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let headings: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    let mut cited = 0;
    let mut dirs = vec![repo().join("src"), repo().join("templates")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for part in text.split("README.md, « ").skip(1) {
                let section = part.split(" »").next().unwrap_or_default();
                assert!(
                    headings.contains(&section),
                    "{} cites README.md, « {section} », which is not a heading",
                    path.display()
                );
                cited += 1;
            }
        }
    }
    assert!(cited >= 3, "{cited}");
}

/// A placeholder left in the inventory is a located warning; `--deny-warnings` fails on it.
#[test]
fn a_placeholder_warns_until_filled() {
    let dir = tempfile::tempdir().unwrap();
    let (inv, text) = mutated_all(
        dir.path(),
        &[("    meeting: DRI", "    meeting: à compléter")],
    );
    let inv = inv.to_str().unwrap();
    let o = bascule(
        dir.path(),
        &["check", "--format", "json", "--inventory", inv],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let found: Vec<Value> = json_diagnostics(&stdout(&o))
        .into_iter()
        .filter(|d: &Value| d["code"] == "W0132")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["line"], line_of(&text, "meeting: à compléter"));
    assert_eq!(found[0]["severity"], "warning");
    let o = bascule(
        dir.path(),
        &["check", "--deny-warnings", "--inventory", inv],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("warning[W0132]"), "{}", stderr(&o));
}
