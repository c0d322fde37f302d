//! Attacks and careless uses, through the real binary: nothing of the user's is lost,
//! nothing hangs, nothing panics.

use crate::common::*;
use std::path::Path;
use std::process::{Command, Stdio};

fn build_into(dir: &Path, out: &str, extra: &[&str]) -> std::process::Output {
    let inv = seed_inventory();
    let mut args = vec!["build", "--inventory", inv.to_str().unwrap(), "--out", out];
    args.extend_from_slice(extra);
    bascule(dir, &args)
}

#[test]
fn build_never_deletes_files_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(notes.join(".git")).unwrap();
    std::fs::write(notes.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(notes.join("document.md"), "mine").unwrap();
    std::fs::write(notes.join("thesis.tex"), "precious").unwrap();
    let o = build_into(dir.path(), "notes", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("refusing to replace notes"), "{err}");
    assert!(err.contains("thesis.tex") && err.contains(".git/"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read(notes.join("thesis.tex")).unwrap(),
        b"precious"
    );
    assert!(notes.join(".git/HEAD").is_file());
    // Asked for, it replaces.
    let o = build_into(dir.path(), "notes", &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!notes.join("thesis.tex").exists());
    assert!(notes.join(".bascule-manifest.json").is_file());
    // A user file added to a bascule output stops the next build, by name.
    std::fs::write(notes.join("site/todo.txt"), "mine").unwrap();
    let o = build_into(dir.path(), "notes", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("site/todo.txt"), "{}", stderr(&o));
    assert!(notes.join("site/todo.txt").is_file());
}

#[cfg(unix)]
#[test]
fn a_linked_output_folder_is_replaced_behind_its_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::os::unix::fs::symlink("real", dir.path().join("out")).unwrap();
    let o = build_into(dir.path(), "out", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("behind the link out"), "{}", stderr(&o));
    assert!(dir.path().join("real/document.md").is_file());
    let o = build_into(dir.path(), "out", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let link = std::fs::symlink_metadata(dir.path().join("out")).unwrap();
    assert!(link.is_symlink(), "the link is kept");
    // Nothing but the link and its folder beside them.
    assert_eq!(names_in(dir.path()), ["out", "real"]);
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let inv = seed_inventory();
    for args in [
        vec!["tickets", "--inventory", inv.to_str().unwrap()],
        vec![
            "check",
            "--inventory",
            inv.to_str().unwrap(),
            "--format",
            "json",
        ],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bascule"))
            .env("LC_ALL", "en_US.UTF-8")
            .current_dir(dir.path())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written (`| head -0`).
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert!(o.status.code().is_some(), "{args:?}: killed by a signal");
    }
}

#[cfg(unix)]
#[test]
fn devices_and_pipes_are_not_inventories() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("inv.yaml");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    for inv in ["/dev/zero", fifo.to_str().unwrap()] {
        let o = bascule(dir.path(), &["build", "--inventory", inv]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{inv}: {err}");
        assert!(err.contains("error[E0001]"), "{inv}: {err}");
        assert!(err.contains("not a regular file"), "{inv}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn check_out_reads_no_link_and_no_pipe() {
    let dir = tempfile::tempdir().unwrap();
    assert!(build_into(dir.path(), "out", &[]).status.success());
    let out = dir.path().join("out");
    std::fs::remove_file(out.join("document.md")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", out.join("document.md")).unwrap();
    let fifo = out.join("tickets/pipe.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let inv = seed_inventory();
    let o = bascule(
        dir.path(),
        &[
            "check",
            "--inventory",
            inv.to_str().unwrap(),
            "--out",
            "out",
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[E0514]: not read: a symbolic link"),
        "{err}"
    );
    assert!(err.contains("out/tickets/pipe.txt"), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert!(
        err.contains("error[E0511]"),
        "document.md counts as missing: {err}"
    );
}

#[test]
fn unwritable_or_unreadable_output_folders_are_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    // A build into a folder of someone else's files: refused, E0701.
    std::fs::create_dir(dir.path().join("theirs")).unwrap();
    std::fs::write(dir.path().join("theirs/x.txt"), "x").unwrap();
    let o = build_into(dir.path(), "theirs", &[]);
    assert!(stderr(&o).contains("error[E0701]"), "{}", stderr(&o));
    // A build under a file: the folder cannot be made, E0702, a fault of the machine's
    // folders rather than of the inventory (exit 3).
    let o = build_into(dir.path(), "notes.txt/out", &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("error[E0702]"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    // check --out on something that is not a folder: E0510.
    let inv = seed_inventory();
    let o = bascule(
        dir.path(),
        &[
            "check",
            "--inventory",
            inv.to_str().unwrap(),
            "--out",
            "notes.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[E0510]"), "{}", stderr(&o));
}
