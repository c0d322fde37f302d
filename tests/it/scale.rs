//! A large migration, through the real binary: a generated inventory of 40 instances × 20 VMs
//! builds, `check --out` agrees with what it wrote, and a build killed half-way (SIGKILL)
//! leaves the previous output as it was, with no stray staging folder after the next build.
//! (Speed and memory are measured by benchmarks, see BENCHMARKS.md, never here.)

use crate::common::*;
use bascule::write::tree::read_tree;
use std::path::Path;

/// `bascule sample` writes the generated inventory, as a user would for a bug report.
fn sample(dir: &Path, instances: usize, vms: usize) -> std::path::PathBuf {
    let o = bascule(
        dir,
        &[
            "sample",
            "--instances",
            &instances.to_string(),
            "--vms",
            &vms.to_string(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = dir.join(format!("sample-{instances}x{vms}.yaml"));
    std::fs::write(&path, &o.stdout).unwrap();
    path
}

/// The repo's inventory built into `dir/out`.
fn build_seed(dir: &Path) {
    let seed = seed_inventory();
    let o = bascule(
        dir,
        &[
            "build",
            "--inventory",
            seed.to_str().unwrap(),
            "--out",
            "out",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_generated_40_by_20_inventory_builds_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let inv = sample(dir.path(), 40, 20);
    let inv = inv.to_str().unwrap();
    let o = bascule(dir.path(), &["build", "--inventory", inv, "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.path().join("out");
    // One annexe per instance, SVG and PNG, and the exports.
    for n in [1, 40] {
        assert!(out.join(format!("annexes/annexe-{n}.svg")).is_file());
        assert!(out.join(format!("annexes/annexe-{n}.png")).is_file());
    }
    assert!(!out.join("annexes/annexe-41.svg").exists());
    assert!(out.join("document.pdf").is_file() && out.join("document.docx").is_file());
    // Typeset in parts (groups of the body's sections, groups of annexes) and joined.
    #[cfg(feature = "pdf")]
    {
        let pdf = out.join("document.pdf");
        assert_eq!(crate::joined::problems(&pdf), Vec::<String>::new());
        crate::joined::assert_numbered_and_listed(&pdf);
    }
    let o = bascule(dir.path(), &["check", "--inventory", inv, "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("check: 0 error(s)"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn a_large_build_killed_half_way_leaves_the_previous_output() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    build_seed(dir.path());
    let out = dir.path().join("out");
    let before = read_tree(&out).unwrap().files;
    let large = sample(dir.path(), 40, 20);
    let mut child = Command::new(env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(dir.path())
        .args([
            "build",
            "--inventory",
            large.to_str().unwrap(),
            "--out",
            "out",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Half-way: files are being written into the staging folder beside out/.
    let staging = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().contains(".out.bascule-"))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let written = loop {
        if let Some(s) = staging() {
            let files = walk(&s);
            if files > 20 {
                break files;
            }
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it could be killed half-way"
        );
        assert!(std::time::Instant::now() < deadline, "no staging folder");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    child.kill().unwrap(); // SIGKILL: no handler, no cleanup.
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed after {written} files");
    assert!(
        read_tree(&out).unwrap().files == before,
        "a killed build touched out/"
    );
    assert!(
        staging().is_some(),
        "the killed build left its staging folder"
    );
    // The next build removes what the killed one left, and replaces out/.
    build_seed(dir.path());
    assert_eq!(names_in(dir.path()), ["out", "sample-40x20.yaml"]);
    assert!(read_tree(&out).unwrap().files == before);
}

/// How many files are under `dir` (racing a build that writes there: what vanishes is skipped).
fn walk(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() { walk(&p) } else { 1 }
        })
        .sum()
}

/// A build of `inventory` under a real terminal (util-linux `script` gives it a pty), with
/// `env` set: what the terminal showed.
#[cfg(target_os = "linux")]
fn on_a_terminal(dir: &Path, inventory: &Path, env: &[(&str, &str)]) -> String {
    let cmd = format!(
        "{} build --inventory {} --out out",
        env!("CARGO_BIN_EXE_bascule"),
        inventory.display()
    );
    let mut c = std::process::Command::new("script");
    c.current_dir(dir)
        .args(["-qec", &cmd, "/dev/null"])
        .env_remove("CI")
        .env("LC_ALL", "en_US.UTF-8")
        .env("TERM", "xterm");
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().expect("util-linux `script`");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Whether a progress line was drawn: a stage's bar (`annexes [==>  ] 3/12`).
#[cfg(target_os = "linux")]
fn drew_progress(shown: &str) -> bool {
    ["document", "annexes", "tickets", "exports", "site"]
        .iter()
        .any(|stage| shown.contains(&format!("{stage} [")))
}

#[cfg(target_os = "linux")]
#[test]
fn a_long_build_shows_its_progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let inv = sample(dir.path(), 12, 20);
    let shown = on_a_terminal(dir.path(), &inv, &[]);
    assert!(
        shown.contains("annexes [") && shown.contains("/12"),
        "{shown:?}"
    );
    // The line is cleared (ESC [2K) before the summary is printed.
    assert!(shown.contains("\u{1b}[2Kwrote "), "{shown:?}");
    // In a CI log, or on a dumb terminal: the summary alone.
    for env in [&[("CI", "true")][..], &[("TERM", "dumb")][..]] {
        std::fs::remove_dir_all(dir.path().join("out")).unwrap();
        let shown = on_a_terminal(dir.path(), &inv, env);
        assert!(!drew_progress(&shown), "{env:?}: {shown:?}");
        assert!(shown.contains("wrote "), "{shown:?}");
    }
    // In a pipe: the summary alone, and no carriage return.
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    let inv = inv.to_str().unwrap();
    let o = bascule(dir.path(), &["build", "--inventory", inv, "--out", "out"]);
    assert!(o.status.success());
    assert!(!drew_progress(&stderr(&o)), "{}", stderr(&o));
    assert!(!stderr(&o).contains('\r'), "{}", stderr(&o));
}
