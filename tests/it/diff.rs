//! `bascule diff` end to end: each format on edits of the seed, exit codes (with and without
//! `--exit-code`), an invalid side, colours, and `--against` in a Git repository made here.

use crate::common::{SEED, seed_inventory, stderr, stdout, tool_missing};
use std::path::Path;
use std::process::{Command, Output};

/// The binary in `dir`, with `env` set and the colour variables of the caller removed.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bascule"));
    c.env("LC_ALL", "en_US.UTF-8").current_dir(dir).args(args);
    for v in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        c.env_remove(v);
    }
    c.envs(env.iter().copied()).output().expect("run bascule")
}

/// The seed edited: a VM added, another deactivated at jour M, a ticket renumbered, a DNS
/// move dropped, and a title with Markdown in it.
fn edited(dir: &Path) -> std::path::PathBuf {
    let mut text = SEED.to_string();
    for (from, to) in [
        ("title: Opérations sur", "title: Les | *opérations* sur"),
        (
            "{ create: { ticket: 57330 } }",
            "{ create: { ticket: 57331 } }",
        ),
        (
            "      - machine: campus-dev\n        ip: 10.88.0.204\n        dns: [campus-dev.cegepadistance.ca]\n        role: Serveur de tests Moodle 3.1.2\n        actions:\n",
            "      - machine: campus-dev\n        ip: 10.88.0.204\n        dns: [campus-dev.cegepadistance.ca]\n        role: Serveur de tests Moodle 3.1.2\n        actions:\n          - { state: jour-m, do: [deactivate] }\n",
        ),
        (
            "    already_deleted:\n",
            "      - machine: campus-cache\n        ip: 10.88.0.230\n        dns: [campus-cache.cegepadistance.ca]\n        role: Cache\n        role_after: Cache\n    already_deleted:\n",
        ),
        (
            "              - dns-move: { name: projets.cegepadistance.ca, from: campus-gq }\n",
            "",
        ),
    ] {
        assert!(text.contains(from), "the seed has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    let path = dir.join("new.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

fn pair(dir: &Path) -> [String; 2] {
    [
        seed_inventory().display().to_string(),
        edited(dir).display().to_string(),
    ]
}

#[test]
fn human_names_every_change_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    let [old, new] = pair(tmp.path());
    let o = run(tmp.path(), &["diff", &old, &new], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for line in [
        "Changements du plan\u{a0}:",
        "Document\n  ~ titre\u{a0}: Opérations sur",
        "Campus (campus)\u{a0}: instance modifiée",
        "  + VM ajoutée campus-cache\u{a0}: Cache",
        "  ~ case de l’annexe campus-dev, jour M\u{a0}: • aucune intervention (noir) → ○ désactivation (rouge)",
        "  ~ ticket de création campus35web\u{a0}: Octopus 57330 → Octopus 57331",
        "  ~ nombre de VM\u{a0}: 6 → 7",
        "Projets (projets)\u{a0}: instance modifiée",
        "  - changement DNS projets.cegepadistance.ca\u{a0}: campus-gq → projets35, jour M",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    assert!(!out.contains('\u{1b}'), "colour in a pipe:\n{out}");
}

#[test]
fn markdown_is_a_table_per_part_with_values_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let [old, new] = pair(tmp.path());
    let o = run(
        tmp.path(),
        &["diff", &old, &new, "--format", "markdown"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let header = "| | Changement | Objet | État | Avant | Après |\n|---|---|---|---|---|---|\n";
    assert_eq!(out.matches(header).count(), 3, "{out}");
    assert!(
        out.contains("#### Campus (campus)\u{a0}: instance modifiée"),
        "{out}"
    );
    assert!(
        out.contains("| Les \\| \\*opérations\\* sur"),
        "not escaped:\n{out}"
    );
    assert!(
        out.contains("| + | VM ajoutée | campus-cache |  | — | Cache |"),
        "{out}"
    );
    assert!(out.contains("| \\~ | case de l’annexe | campus-dev | jour M | • aucune intervention (noir) | ○ désactivation (rouge) |"), "{out}");
    // Every table row has the header's six cells (no `|` of a value breaks one).
    for row in out.lines().filter(|l| l.starts_with("| ")) {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 7, "{row}");
    }
}

#[test]
fn json_is_the_comparison_with_sorted_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let [old, new] = pair(tmp.path());
    let o = run(tmp.path(), &["diff", &old, &new, "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["old"], old);
    let campus = &v["instances"][0];
    assert_eq!(
        (&campus["id"], &campus["status"]),
        (&"campus".into(), &"changed".into())
    );
    let rows = campus["rows"].as_array().unwrap();
    let cell = rows
        .iter()
        .find(|r| r["kind"] == "cell" && r["subject"] == "campus-dev")
        .unwrap();
    assert_eq!(cell["state"], "jour M");
    let ticket = rows.iter().find(|r| r["kind"] == "ticket-changed").unwrap();
    assert_eq!(
        (&ticket["key"], &ticket["old"], &ticket["new"]),
        (&"creation".into(), &"57330".into(), &"57331".into())
    );
    let keys: Vec<&String> = cell.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["kind", "new", "old", "state", "subject"]);
    // The same input gives the same bytes.
    let again = run(tmp.path(), &["diff", &old, &new, "--format", "json"], &[]);
    assert_eq!(o.stdout, again.stdout);
}

#[test]
fn exit_codes_follow_git_diff() {
    let tmp = tempfile::tempdir().unwrap();
    let [old, new] = pair(tmp.path());
    let same = run(tmp.path(), &["diff", &old, &old], &[]);
    assert_eq!(same.status.code(), Some(0));
    assert!(
        stdout(&same).contains("Aucun changement du plan."),
        "{}",
        stdout(&same)
    );
    for format in ["human", "markdown", "json"] {
        let args = ["diff", &old, &old, "--exit-code", "--format", format];
        assert_eq!(
            run(tmp.path(), &args, &[]).status.code(),
            Some(0),
            "{format}"
        );
        let args = ["diff", &old, &new, "--exit-code", "--format", format];
        assert_eq!(
            run(tmp.path(), &args, &[]).status.code(),
            Some(1),
            "{format}"
        );
    }
    let one = run(tmp.path(), &["diff", &old], &[]);
    assert_eq!(one.status.code(), Some(2), "{}", stderr(&one));
    let both = run(tmp.path(), &["diff", &old, &new, "--against", "HEAD"], &[]);
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
}

#[test]
fn an_invalid_side_is_reported_located() {
    let tmp = tempfile::tempdir().unwrap();
    let old = seed_inventory().display().to_string();
    let bad = tmp.path().join("bad.yaml");
    std::fs::write(&bad, SEED.replacen("ip: 10.88.0.210", "ip: 10.88.0.999", 1)).unwrap();
    let bad = bad.display().to_string();
    let o = run(tmp.path(), &["diff", &old, &bad], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("error[E0101]"), "{err}");
    let line = SEED
        .lines()
        .position(|l| l.contains("ip: 10.88.0.210"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("{bad}:{line}:13")), "{err}");
    assert!(err.contains(&format!("{bad} cannot be compared")), "{err}");
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    let o = run(tmp.path(), &["diff", &old, &bad, "--exit-code"], &[]);
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let [old, new] = pair(tmp.path());
    let forced = run(
        tmp.path(),
        &["diff", &old, &new],
        &[("CLICOLOR_FORCE", "1")],
    );
    let out = stdout(&forced);
    assert!(out.contains("\u{1b}[32m  + VM ajoutée"), "{out:?}");
    assert!(out.contains("\u{1b}[31m  - changement DNS"), "{out:?}");
    assert!(out.contains("\u{1b}[33m  ~ titre"), "{out:?}");
    let no = run(
        tmp.path(),
        &["diff", &old, &new],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!stdout(&no).contains('\u{1b}'), "NO_COLOR ignored");
    let md = run(
        tmp.path(),
        &["diff", &old, &new, "--format", "markdown"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(!stdout(&md).contains('\u{1b}'), "colour in Markdown");
}

fn git(dir: &Path, args: &[&str]) -> Option<Output> {
    let o = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .ok()?;
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    Some(o)
}

#[test]
fn against_a_revision_reads_the_inventory_from_git() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    if git(repo, &["init", "-q"]).is_none() {
        return tool_missing("git");
    }
    std::fs::create_dir(repo.join("inventory")).unwrap();
    let inv = repo.join("inventory/migration.yaml");
    std::fs::write(&inv, SEED).unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);
    let same = run(repo, &["diff", "--against", "HEAD", "--exit-code"], &[]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    std::fs::copy(edited(tmp.path()), &inv).unwrap();
    let o = run(repo, &["diff", "--against", "HEAD", "--exit-code"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("HEAD:inventory/migration.yaml → inventory/migration.yaml"),
        "{out}"
    );
    assert!(out.contains("+ VM ajoutée campus-cache"), "{out}");
    // From elsewhere, naming the inventory; and a revision that does not exist.
    let path = inv.display().to_string();
    let far = run(
        Path::new("/"),
        &["diff", "--against", "HEAD", "--inventory", &path],
        &[],
    );
    assert!(
        stdout(&far).contains("+ VM ajoutée campus-cache"),
        "{}",
        stderr(&far)
    );
    let none = run(repo, &["diff", "--against", "nope"], &[]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("error[E0004]"), "{}", stderr(&none));
    assert!(
        stderr(&none).contains("nope:inventory/migration.yaml"),
        "{}",
        stderr(&none)
    );
    // In bascule's words, unescaped, the revision named: not git's `invalid object name \'nope\'`.
    assert!(
        stderr(&none).contains("this Git repository has no revision `nope`"),
        "{}",
        stderr(&none)
    );
    assert!(!stderr(&none).contains("\\'"), "{}", stderr(&none));
    assert!(!stderr(&none).contains("fatal"), "{}", stderr(&none));
    // A revision without the file.
    std::fs::write(repo.join("other.yaml"), SEED).unwrap();
    let absent = run(
        repo,
        &["diff", "--against", "HEAD", "--inventory", "other.yaml"],
        &[],
    );
    assert!(
        stderr(&absent).contains("other.yaml is not in revision `HEAD`"),
        "{}",
        stderr(&absent)
    );
    let dash = run(repo, &["diff", "--against=--output=/tmp/x"], &[]);
    assert!(
        stderr(&dash).contains("is not a revision"),
        "{}",
        stderr(&dash)
    );
}

/// An inventory committed as a link (`inventory.yaml -> inventaires/reel.yaml`) is read as
/// Git holds it at the revision: the link followed, not its text parsed.
#[cfg(unix)]
#[test]
fn against_a_revision_follows_a_committed_link() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    if git(repo, &["init", "-q"]).is_none() {
        return tool_missing("git");
    }
    std::fs::create_dir_all(repo.join("inventaires/anciens")).unwrap();
    std::fs::write(repo.join("inventaires/reel.yaml"), SEED).unwrap();
    std::os::unix::fs::symlink("inventaires/reel.yaml", repo.join("inventory.yaml")).unwrap();
    // A link to a link, relative to its own folder.
    std::os::unix::fs::symlink("../reel.yaml", repo.join("inventaires/anciens/lien.yaml")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", repo.join("dehors.yaml")).unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);
    for inv in ["inventory.yaml", "inventaires/anciens/lien.yaml"] {
        let o = run(
            repo,
            &[
                "diff",
                "--against",
                "HEAD",
                "--inventory",
                inv,
                "--exit-code",
            ],
            &[],
        );
        assert_eq!(o.status.code(), Some(0), "{inv}: {}", stderr(&o));
    }
    let o = run(
        repo,
        &["diff", "--against", "HEAD", "--inventory", "dehors.yaml"],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a link out of the repository is not followed"),
        "{}",
        stderr(&o)
    );
}
