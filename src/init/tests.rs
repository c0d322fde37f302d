//! Unit tests of `init`: the skeleton validates, quoting holds, ids are checked, nothing is
//! overwritten.

use super::*;

fn opts(org: Option<&str>, ids: &[&str]) -> Options {
    Options {
        organisation: org.map(str::to_string),
        instances: ids.iter().map(|s| s.to_string()).collect(),
    }
}

fn loaded(text: &str) -> crate::model::Inventory {
    crate::load::load_bytes("i.yaml", text.as_bytes())
        .unwrap_or_else(|d| panic!("{}\n{text}", d.human(Some(text), crate::diag::english())))
        .1
}

#[test]
fn the_default_skeleton_validates_with_one_instance() {
    let text = inventory(&Options::default()).unwrap();
    assert!(errors_of(&text).is_empty(), "{:?}", errors_of(&text));
    let inv = loaded(&text);
    assert_eq!(inv.instances.len(), 1);
    assert_eq!(inv.instances[0].name.value, "Principale");
    assert_eq!(inv.document.organisation.value, PLACEHOLDER);
    let kinds: Vec<_> = inv.states.iter().map(|s| s.kind.value.key()).collect();
    assert_eq!(kinds, ["reference", "migration", "after"]);
}

#[test]
fn one_instance_per_id_capitalised_in_order() {
    let text = inventory(&opts(Some("Org"), &["erp", "portail", "x2"])).unwrap();
    assert!(errors_of(&text).is_empty(), "{:?}", errors_of(&text));
    let inv = loaded(&text);
    let names: Vec<_> = inv
        .instances
        .iter()
        .map(|i| i.name.value.as_str())
        .collect();
    assert_eq!(names, ["Erp", "Portail", "X2"]);
    let plan = crate::fixtures::plan_with(&inv, &Labels::defaults());
    assert_eq!(plan.to_create, 3);
}

#[test]
fn hostile_organisations_stay_one_yaml_value() {
    for org in [
        "L’« École » # 1",
        "\"quoted\" and 'single'",
        "- a: b",
        "yes",
        "{ x: [1] }",
        "&anchor *alias",
        "%TAG !x",
        "123",
    ] {
        let text = inventory(&opts(Some(org), &[])).unwrap();
        assert_eq!(loaded(&text).document.organisation.value, org, "{text}");
    }
}

#[test]
fn organisations_the_validator_refuses_are_usage_errors() {
    for org in ["a\nb", "bell\u{7}", " padded", ""] {
        match files(&opts(Some(org), &[])) {
            Err(InitError::Usage(_)) => {}
            other => panic!("{org:?}: {other:?}"),
        }
    }
}

#[test]
fn ids_must_be_slugs_that_make_host_names() {
    for good in ["erp", "a", "site-2", &"a".repeat(40)] {
        assert!(parse_id(good).is_ok(), "{good}");
    }
    for bad in [
        "",
        "Erp",
        "a_b",
        "-a",
        "a-",
        "a--b",
        "é",
        "a.b",
        &"a".repeat(41),
    ] {
        assert!(parse_id(bad).is_err(), "{bad}");
    }
    assert!(matches!(
        files(&opts(None, &["a", "a"])),
        Err(InitError::Usage(_))
    ));
}

#[test]
fn names_as_written_and_ids_suggested() {
    let t = inventory(&opts(None, &["glpi=GLPI", "nextcloud"])).unwrap();
    let inv = loaded(&t);
    let names: Vec<&str> = inv
        .instances
        .iter()
        .map(|i| i.name.value.as_str())
        .collect();
    assert_eq!(names, ["GLPI", "Nextcloud"]);
    assert_eq!(inv.instances[0].id.value, "glpi");
    let e = parse_id("GLPI").unwrap_err();
    assert!(
        e.contains("did you mean `glpi`? (`glpi=GLPI` keeps the name as written)"),
        "{e}"
    );
    let e = parse_id("Mon ERP=ERP").unwrap_err();
    assert!(e.contains("did you mean `mon-erp=ERP`?"), "{e}");
    assert!(parse_id("glpi=").unwrap_err().contains("no name after `=`"));
    let twice = inventory(&opts(None, &["glpi=GLPI", "glpi"])).unwrap_err();
    assert!(
        twice.contains("`glpi` is given twice in `--instances`"),
        "{twice}"
    );
    let e = files(&opts(Some(""), &[])).unwrap_err();
    match e {
        InitError::Usage(m) => assert!(m.starts_with("`--organisation NAME` cannot make"), "{m}"),
        other => panic!("{other:?}"),
    }
    match files(&opts(None, &["a=x\ty"])).unwrap_err() {
        InitError::Usage(m) => assert!(
            m.starts_with("an instance name of `--instances ID=Name`"),
            "{m}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn writes_every_file_once_then_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let all = files(&Options::default()).unwrap();
    let done = write(dir.path(), &all, false).unwrap();
    assert!(
        done.iter().all(|d| matches!(d, Done::Created(_))),
        "{done:?}"
    );
    assert_eq!(done.len(), 5);
    for (rel, text) in &all {
        assert_eq!(
            &std::fs::read_to_string(dir.path().join(rel)).unwrap(),
            text
        );
    }
    // Again: every file kept, none changed, .gitignore not duplicated.
    let again = write(dir.path(), &all, false).unwrap();
    assert!(
        again.iter().all(|d| matches!(d, Done::Kept { .. })),
        "{again:?}"
    );
    for (rel, text) in &all {
        assert_eq!(
            &std::fs::read_to_string(dir.path().join(rel)).unwrap(),
            text
        );
    }
}

#[test]
fn an_existing_repository_is_completed_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let git = dir.path().join(".gitignore");
    std::fs::write(&git, "target/\n*~\n").unwrap();
    std::fs::write(dir.path().join(".gitlab-ci.yml"), "mine: {}\n").unwrap();
    let all = files(&Options::default()).unwrap();
    let done = write(dir.path(), &all, false).unwrap();
    let merged = std::fs::read_to_string(&git).unwrap();
    assert!(
        merged.starts_with("target/\n*~\n\n# Ajouté par `bascule init`"),
        "{merged}"
    );
    assert_eq!(
        merged.matches("*~").count(),
        1,
        "never duplicated: {merged}"
    );
    assert!(merged.contains("/.out.bascule-*\n"), "{merged}");
    let n = missing_lines("target/\n*~\n", GITIGNORE).len();
    assert!(done.contains(&Done::Merged(git.clone(), n)), "{done:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".gitlab-ci.yml")).unwrap(),
        "mine: {}\n"
    );
    assert!(done.contains(&Done::Kept {
        path: dir.path().join(".gitlab-ci.yml"),
        replaceable: true
    }));
    assert!(
        dir.path().join(INVENTORY_PATH).is_file(),
        "the others are written"
    );
    // A second run appends nothing more.
    write(dir.path(), &all, false).unwrap();
    assert_eq!(std::fs::read_to_string(&git).unwrap(), merged);
    // --force replaces the recipe, never the inventory (the writer's work).
    std::fs::write(dir.path().join(INVENTORY_PATH), "edited\n").unwrap();
    let forced = write(dir.path(), &all, true).unwrap();
    assert!(forced.contains(&Done::Replaced(dir.path().join(".gitlab-ci.yml"))));
    assert_eq!(
        std::fs::read_to_string(dir.path().join(INVENTORY_PATH)).unwrap(),
        "edited\n"
    );
    assert_ne!(
        std::fs::read_to_string(dir.path().join(".gitlab-ci.yml")).unwrap(),
        "mine: {}\n"
    );
}
