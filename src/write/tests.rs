//! The write stage's promises: nothing of the user's is deleted, a failure leaves the old
//! output, links and leftovers are handled.

use super::*;

fn files(pairs: &[(&str, &str)]) -> Outputs {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn unsafe_paths_are_refused() {
    for bad in [
        "../x",
        "/etc/passwd",
        "a/../../b",
        "",
        "a//b",
        "./a",
        "a\\..\\b",
    ] {
        assert!(!is_safe_relative(bad), "{bad}");
    }
    assert!(is_safe_relative("tickets/57330.txt"));
}

#[test]
fn swap_replaces_and_failure_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    write_atomic(&out, &files(&[("document.md", "v1")]), false).unwrap();
    let mut f = files(&[("document.md", "v2"), ("../evil", "x")]);
    let e = write_atomic(&out, &f, false).unwrap_err();
    assert!(matches!(e, WriteError::BadPath(..)), "{e}");
    assert_eq!(std::fs::read(out.join("document.md")).unwrap(), b"v1");
    assert!(!dir.path().join("evil").exists());
    f.remove("../evil");
    let w = write_atomic(&out, &f, false).unwrap();
    assert_eq!((w.files, w.warnings.len()), (1, 0));
    assert_eq!(std::fs::read(out.join("document.md")).unwrap(), b"v2");
    // Nothing is left beside it, and the output holds exactly the files and the manifest.
    assert_eq!(names(dir.path()), ["out"]);
    assert_eq!(names(&out), [manifest::NAME, "document.md"]);
}

#[test]
fn a_folder_with_user_files_is_never_replaced() {
    // The reported data loss: a folder with a document.md, the user's thesis and a .git.
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(notes.join(".git/objects")).unwrap();
    std::fs::write(notes.join(".git/objects/ab"), "obj").unwrap();
    std::fs::write(notes.join("document.md"), "mine").unwrap();
    std::fs::write(notes.join("thesis.tex"), "precious").unwrap();
    let e = write_atomic(&notes, &files(&[("document.md", "new")]), false).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("refusing to replace"), "{msg}");
    assert!(msg.contains(".git/, document.md, thesis.tex"), "{msg}");
    assert!(e.help().contains("--force"));
    assert_eq!(
        std::fs::read(notes.join("thesis.tex")).unwrap(),
        b"precious"
    );
    assert_eq!(std::fs::read(notes.join("document.md")).unwrap(), b"mine");
    assert!(notes.join(".git/objects/ab").is_file());
    assert_eq!(names(dir.path()), ["notes"], "no staging folder left");
}

#[test]
fn a_file_the_manifest_does_not_list_stops_the_build_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let f = files(&[("document.md", "v1"), ("site/index.html", "<p>")]);
    write_atomic(&out, &f, false).unwrap();
    std::fs::write(out.join("site/notes.txt"), "mine").unwrap();
    std::fs::create_dir(out.join("empty")).unwrap();
    let e = write_atomic(&out, &f, false).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("holds files that bascule did not write"),
        "{msg}"
    );
    assert!(msg.contains("empty/, site/notes.txt"), "{msg}");
    assert!(out.join("site/notes.txt").is_file());
    // A listed file edited by hand is bascule's to overwrite.
    std::fs::remove_file(out.join("site/notes.txt")).unwrap();
    std::fs::remove_dir(out.join("empty")).unwrap();
    std::fs::write(out.join("document.md"), "edited").unwrap();
    write_atomic(&out, &f, false).unwrap();
    assert_eq!(std::fs::read(out.join("document.md")).unwrap(), b"v1");
    // --force replaces whatever is there.
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    write_atomic(&out, &f, true).unwrap();
    assert!(!out.join("notes.txt").exists());
}

#[test]
fn the_stray_list_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..20 {
        std::fs::write(dir.path().join(format!("f{i:02}")), "x").unwrap();
    }
    let e = write_atomic(dir.path(), &Outputs::new(), false).unwrap_err();
    let WriteError::NotOurs { strays, more, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!((strays.len(), *more), (STRAYS_SHOWN, true));
    assert!(e.to_string().ends_with("f07 and more"), "{e}");
}

#[test]
fn an_empty_folder_or_a_forged_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    write_atomic(&out, &files(&[("a", "1")]), false).unwrap();
    // A manifest that is not bascule's does not make a folder ours.
    std::fs::write(out.join(manifest::NAME), "{}").unwrap();
    let e = write_atomic(&out, &files(&[("a", "1")]), false).unwrap_err();
    assert!(
        matches!(
            e,
            WriteError::NotOurs {
                has_manifest: false,
                ..
            }
        ),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn a_link_is_followed_to_its_folder_which_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    let link = dir.path().join("out");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    // A link to nothing is refused: where would the output go?
    let e = write_atomic(&link, &files(&[("a", "1")]), false).unwrap_err();
    assert!(e.to_string().contains("a symbolic link to nothing"), "{e}");
    std::fs::create_dir(&real).unwrap();
    let w = write_atomic(&link, &files(&[("a", "1")]), false).unwrap();
    assert_eq!(w.out, std::fs::canonicalize(&real).unwrap());
    write_atomic(&link, &files(&[("a", "2")]), false).unwrap();
    assert!(
        std::fs::symlink_metadata(&link).unwrap().is_symlink(),
        "link kept"
    );
    assert_eq!(std::fs::read(real.join("a")).unwrap(), b"2");
    assert_eq!(std::fs::read(link.join("a")).unwrap(), b"2");
}

#[test]
fn a_file_is_not_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::write(&out, "x").unwrap();
    let e = write_atomic(&out, &Outputs::new(), true).unwrap_err();
    assert!(matches!(e, WriteError::NotAFolder(..)), "{e}");
    assert_eq!(std::fs::read(&out).unwrap(), b"x");
}

#[test]
fn leftovers_of_killed_builds_go_running_builds_stay() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A build killed while filling: its marker is there, nobody holds the lock.
    let dead = dir.path().join(".out.bascule-dead01");
    std::fs::create_dir(&dead).unwrap();
    std::fs::write(dead.join(manifest::STAGING_MARK), "").unwrap();
    std::fs::write(dead.join("document.md"), "half").unwrap();
    // A build killed after the swap: the previous output, manifest and all.
    let old = dir.path().join(".out.bascule-old002");
    write_atomic(&old, &files(&[("document.md", "old")]), false).unwrap();
    // A build still running (this test holds its lock).
    let live = Staging::begin(&out, false).unwrap();
    let live_dir = live.dir().to_path_buf();
    // Something of the user's that only looks like ours.
    let user = dir.path().join(".out.bascule-user03");
    std::fs::create_dir(&user).unwrap();
    std::fs::write(user.join("thesis.tex"), "precious").unwrap();
    write_atomic(&out, &files(&[("document.md", "new")]), false).unwrap();
    assert!(!dead.exists() && !old.exists());
    assert!(
        live_dir.is_dir(),
        "a running build's staging folder was removed"
    );
    assert!(user.join("thesis.tex").is_file());
    drop(live);
    assert!(!live_dir.exists(), "a dropped staging folder is removed");
}

#[test]
fn staging_names_are_unpredictable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let a = Staging::begin(&out, false).unwrap();
    let b = Staging::begin(&out, false).unwrap();
    let (na, nb) = (a.dir().to_path_buf(), b.dir().to_path_buf());
    assert_ne!(na, nb);
    for n in [&na, &nb] {
        let name = n.file_name().unwrap().to_str().unwrap();
        let suffix = name.strip_prefix(".out.bascule-").unwrap();
        assert!(suffix.len() >= 6, "{name}");
        assert_ne!(suffix, std::process::id().to_string());
    }
}

#[test]
fn a_file_is_written_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Staging::begin(&dir.path().join("out"), false).unwrap();
    s.put("a/b.txt", b"1").unwrap();
    let e = s.put("a/b.txt", b"2").unwrap_err();
    assert!(e.to_string().contains("written twice"), "{e}");
    let e = s.put(manifest::NAME, b"{}").unwrap_err();
    assert!(matches!(e, WriteError::BadPath(..)), "{e}");
}

#[test]
fn the_manifest_lists_every_file_with_its_digest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let f = files(&[("document.md", "abc"), ("tickets/1.txt", "t")]);
    write_atomic(&out, &f, false).unwrap();
    let on_disk = std::fs::read(out.join(manifest::NAME)).unwrap();
    assert_eq!(on_disk, manifest_for(&f));
    let text = String::from_utf8(on_disk).unwrap();
    assert!(
        text.contains(
            "\"document.md\": \"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\""
        ),
        "{text}"
    );
}
