//! The write stage's promises: nothing of the user's is deleted, a failure leaves the old
//! output, links and leftovers are handled.

use super::*;
use crate::diag::Code;

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
    assert!(e.help().en().contains("--force"));
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
    // A build still running, of a bascule without the output lock: its marker is locked
    // (this test holds it).
    let live_dir = dir.path().join(".out.bascule-live04");
    std::fs::create_dir(&live_dir).unwrap();
    let live = std::fs::File::create(live_dir.join(manifest::STAGING_MARK)).unwrap();
    live.lock().unwrap();
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
    write_atomic(&out, &files(&[("document.md", "newer")]), false).unwrap();
    assert!(!live_dir.exists(), "an abandoned staging folder is removed");
}

#[test]
fn one_build_at_a_time_and_a_dropped_staging_folder_goes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let live = Staging::begin(&out, false).unwrap();
    let live_dir = live.dir().to_path_buf();
    let short = std::time::Duration::from_millis(50);
    let e = Staging::begin_waiting(&out, false, short).err().unwrap();
    assert!(matches!(e, WriteError::Busy { .. }), "{e}");
    assert_eq!(e.code(), Code::E0707);
    assert!(
        e.to_string().contains("another bascule build is writing"),
        "{e}"
    );
    assert!(e.help().en().contains("wait for the other build"));
    assert!(live_dir.is_dir(), "a running build's staging folder stays");
    drop(live);
    assert!(!live_dir.exists(), "a dropped staging folder is removed");
    let next = Staging::begin_waiting(&out, false, short).unwrap();
    next.commit().unwrap();
    assert_eq!(names(dir.path()), ["out"]);
}

#[test]
fn staging_names_are_unpredictable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let a = Staging::begin(&out, false).unwrap();
    let na = a.dir().to_path_buf();
    drop(a);
    let b = Staging::begin(&out, false).unwrap();
    let nb = b.dir().to_path_buf();
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

#[test]
fn a_file_written_into_the_output_during_the_build_is_kept_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    write_atomic(
        &out,
        &files(&[("document.md", "v1"), ("site/a.html", "a")]),
        false,
    )
    .unwrap();
    let mut s = Staging::begin(&out, false).unwrap();
    s.put("document.md", b"v2").unwrap();
    s.put("site/a.html", b"b").unwrap();
    // Meanwhile, someone saves notes into the output folder.
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::write(out.join("site/todo.txt"), "mine too").unwrap();
    let w = s.commit().unwrap();
    assert_eq!(std::fs::read(out.join("document.md")).unwrap(), b"v2");
    assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"mine");
    assert_eq!(
        std::fs::read(out.join("site/todo.txt")).unwrap(),
        b"mine too"
    );
    assert_eq!(w.warnings.len(), 2, "{:?}", w.warnings);
    assert!(
        w.warnings[0].en().contains("notes.txt appeared"),
        "{:?}",
        w.warnings
    );
    assert_eq!(names(dir.path()), ["out"], "nothing left beside");
    // The next build refuses the folder, naming them.
    let e = write_atomic(&out, &files(&[("document.md", "v3")]), false).unwrap_err();
    assert!(e.to_string().contains("notes.txt, site/todo.txt"), "{e}");
}

#[cfg(unix)]
#[test]
fn a_read_only_output_folder_is_refused_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    write_atomic(&out, &files(&[("document.md", "v1")]), false).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    for force in [false, true] {
        let e = write_atomic(&out, &files(&[("document.md", "v2")]), force).unwrap_err();
        assert!(matches!(e, WriteError::ReadOnly(_)), "{e}");
        assert_eq!(e.code(), Code::E0706);
        assert!(e.to_string().contains("read-only"), "{e}");
        assert!(e.help().en().contains("chmod u+w"));
    }
    let mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o777,
        0o555,
        "still read-only, not replaced by a writable one"
    );
    assert_eq!(std::fs::read(out.join("document.md")).unwrap(), b"v1");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn io_faults_carry_the_code_of_their_cause() {
    use std::io::{Error, ErrorKind};
    let full = WriteError::Io("cannot write x".into(), Error::from(ErrorKind::StorageFull));
    assert_eq!(full.code(), Code::E0703);
    assert!(full.help().en().contains("space"));
    let other = WriteError::Io("cannot write x".into(), Error::from(ErrorKind::NotFound));
    assert_eq!(other.code(), Code::E0702);
    assert_eq!(
        WriteError::NotAFolder(PathBuf::from("x"), "no").code(),
        Code::E0702
    );
}
