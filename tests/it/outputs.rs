//! The output folder under attack and under load, through the real binary: `check --out`
//! believes nothing the folder says of itself, nothing written into the folder during a
//! build is lost, builds run one at a time, and a fault of the machine (a full disk, a
//! read-only file system, a busy folder) is told apart from a fault of the inventory.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn build_into(dir: &Path, out: &str) -> std::process::Output {
    let inv = seed_inventory();
    bascule(
        dir,
        &["build", "--inventory", inv.to_str().unwrap(), "--out", out],
    )
}

fn check_out(dir: &Path, out: &str) -> std::process::Output {
    let inv = seed_inventory();
    bascule(
        dir,
        &["check", "--inventory", inv.to_str().unwrap(), "--out", out],
    )
}

/// Rewrites the digest of `rel` in `out`'s manifest to that of its bytes now: what an
/// attacker who can write the folder does to make a forged file look like bascule's.
fn vouch_for(out: &Path, rel: &str) {
    let path = out.join(".bascule-manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let digest = bascule::write::manifest::digest(&std::fs::read(out.join(rel)).unwrap());
    m["files"][rel] = serde_json::Value::String(digest);
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap() + "\n").unwrap();
}

#[test]
fn a_pdf_typeset_from_another_inventory_is_not_vouched_for() {
    let dir = tempfile::tempdir().unwrap();
    assert!(build_into(dir.path(), "out").status.success());
    // The same document, typeset from an inventory with another title and another IP.
    let other = mutated_all(
        dir.path(),
        &[
            ("title: Opérations", "title: Autres opérations"),
            ("ip: 10.88.0.210", "ip: 10.88.0.199"),
        ],
    )
    .0;
    let o = bascule(
        dir.path(),
        &[
            "build",
            "--inventory",
            other.to_str().unwrap(),
            "--out",
            "other",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::copy(
        dir.path().join("other/document.pdf"),
        dir.path().join("out/document.pdf"),
    )
    .unwrap();
    vouch_for(&dir.path().join("out"), "document.pdf");
    let o = check_out(dir.path(), "out");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error[E0512]") && err.contains("out/document.pdf"),
        "{err}"
    );
}

/// `annexe-1.png` replaced by `annexe-2.png`, whose stamp is rewritten to name
/// annexe 1's SVG, the manifest updated: every mark of bascule's, none of its pixels.
#[test]
fn another_annexes_picture_with_a_forged_stamp_is_not_vouched_for() {
    let dir = tempfile::tempdir().unwrap();
    assert!(build_into(dir.path(), "out").status.success());
    let out = dir.path().join("out");
    let one = std::fs::read(out.join("annexes/annexe-1.png")).unwrap();
    let two = std::fs::read(out.join("annexes/annexe-2.png")).unwrap();
    let forged = with_stamp_of(&two, &one);
    assert_ne!(forged, one);
    std::fs::write(out.join("annexes/annexe-1.png"), &forged).unwrap();
    vouch_for(&out, "annexes/annexe-1.png");
    let o = check_out(dir.path(), "out");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("out/annexes/annexe-1.png"),
        "{}",
        stderr(&o)
    );
}

/// `png` with its `tEXt` chunk replaced by that of `donor` (its CRC computed again).
fn with_stamp_of(png: &[u8], donor: &[u8]) -> Vec<u8> {
    let text = |p: &[u8]| -> (usize, usize) {
        let mut at = 8;
        loop {
            let len = u32::from_be_bytes(p[at..at + 4].try_into().unwrap()) as usize;
            if &p[at + 4..at + 8] == b"tEXt" {
                return (at, 12 + len);
            }
            at += 12 + len;
        }
    };
    let (start, len) = text(png);
    let (d_start, d_len) = text(donor);
    let mut chunk = donor[d_start..d_start + d_len].to_vec();
    let mut crc = flate2::Crc::new();
    crc.update(&chunk[4..d_len - 4]);
    let n = chunk.len();
    chunk[n - 4..].copy_from_slice(&crc.sum().to_be_bytes());
    [&png[..start], &chunk[..], &png[start + len..]].concat()
}

/// A hostile PDF in the folder, vouched for by the manifest, is compared, never parsed: no
/// allocation its header asks for, no abort.
#[test]
fn a_hostile_pdf_in_the_folder_is_compared_not_parsed() {
    let dir = tempfile::tempdir().unwrap();
    assert!(build_into(dir.path(), "out").status.success());
    let out = dir.path().join("out");
    let mut pdf =
        b"%PDF-1.7\n1 0 obj << /Type /ObjStm /N 2147483647 /First 4 /Length 4000000 >>\nstream\n"
            .to_vec();
    pdf.resize(4_000_000, b'0');
    pdf.extend_from_slice(b"\nendstream\nendobj\nxref\n0 2147483647\ntrailer << /Size 2147483647 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n");
    std::fs::write(out.join("document.pdf"), &pdf).unwrap();
    vouch_for(&out, "document.pdf");
    let o = check_out(dir.path(), "out");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error[E0512]"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked") && !stderr(&o).contains("memory allocation"));
}

/// What `check` passes, `build` can make: an emoji in a role and an annexe over the
/// picture limit are refused by `check`, located, before any build meets them.
#[test]
fn check_refuses_what_build_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let (inv, text) = mutated_all(
        dir.path(),
        &[(
            "role: Serveur fichiers de production (Campus)",
            "role: Serveur 🚀 de production",
        )],
    );
    let o = bascule(dir.path(), &["check", "--inventory", inv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let line = text.lines().position(|l| l.contains('🚀')).unwrap() + 1;
    let err = stderr(&o);
    assert!(
        err.contains("error[E0133]") && err.contains("U+1F680"),
        "{err}"
    );
    assert!(err.contains(&format!("inv.yaml:{line}:")), "{err}");
    // An instance of many VMs with long roles: its annexe is over the picture limit.
    let sample = bascule(
        dir.path(),
        &["sample", "--instances", "1", "--vms", "60", "--seed", "2"],
    );
    let long = format!("role: \"{}\"", "Serveur de fichiers ".repeat(12).trim_end());
    let mut big = String::new();
    for l in stdout(&sample).lines() {
        match l.find("role: \"") {
            Some(at) => big.push_str(&format!("{}{long}\n", &l[..at])),
            None => big.push_str(&format!("{l}\n")),
        }
    }
    std::fs::write(dir.path().join("big.yaml"), big).unwrap();
    let o = bascule(dir.path(), &["check", "--inventory", "big.yaml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[E0602]"), "{err}");
    let o = bascule(
        dir.path(),
        &["build", "--inventory", "big.yaml", "--out", "big"],
    );
    assert!(stderr(&o).contains("error[E0602]"), "{}", stderr(&o));
}

/// A user's own Typst template with a fault: `check` typesets it, as `build` would.
#[test]
fn check_typesets_a_writers_own_pdf_template() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("tpl")).unwrap();
    std::fs::write(
        dir.path().join("tpl/document.typ"),
        "#let x = (1, 2)\n#x.at(5)\n",
    )
    .unwrap();
    let inv = seed_inventory();
    let args = [
        "check",
        "--inventory",
        inv.to_str().unwrap(),
        "--templates",
        "tpl",
    ];
    let o = bascule(dir.path(), &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[E0402]") && err.contains("document.typ:2:"),
        "{err}"
    );
}

/// Starts `bascule build` of `inv` into `out` (in `dir`), its output captured.
fn spawn_build(dir: &Path, inv: &Path, out: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(dir)
        .args(["build", "--inventory", inv.to_str().unwrap(), "--out", out])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A synthetic inventory large enough that a build lasts a while.
fn slow_inventory(dir: &Path) -> PathBuf {
    let o = bascule(
        dir,
        &["sample", "--instances", "6", "--vms", "20", "--seed", "5"],
    );
    let path = dir.join("slow.yaml");
    std::fs::write(&path, stdout(&o)).unwrap();
    path
}

#[test]
fn a_file_written_into_the_output_during_a_build_is_kept_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let inv = slow_inventory(dir.path());
    let first = spawn_build(dir.path(), &inv, "out")
        .wait_with_output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let mut child = spawn_build(dir.path(), &inv, "out");
    // Once the build has looked at the folder (its staging folder exists), a file arrives.
    let staging = || {
        names_in(dir.path())
            .iter()
            .any(|n| n.starts_with(".out.bascule-"))
    };
    while !staging() {
        assert!(child.try_wait().unwrap().is_none(), "the build ended first");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    std::fs::write(dir.path().join("out/notes.txt"), "mine").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning[W0708]") && err.contains("notes.txt"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("out/notes.txt")).unwrap(),
        b"mine"
    );
    let stray = names_in(dir.path());
    assert_eq!(stray, ["out", "slow.yaml"], "nothing left beside");
    // The next build refuses the folder by name: the file is the user's to move.
    let o = spawn_build(dir.path(), &inv, "out")
        .wait_with_output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("notes.txt"), "{}", stderr(&o));
}

/// Six builds and a check at once, round after round: each build succeeds (one at a time),
/// the check always sees one whole output, and nothing is left beside the folder.
#[test]
fn concurrent_builds_and_checks_never_trip_over_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let inv = seed_inventory();
    assert!(build_into(&work, "out").status.success());
    for round in 0..6 {
        let builds: Vec<Child> = (0..6).map(|_| spawn_build(&work, &inv, "out")).collect();
        let check = Command::new(env!("CARGO_BIN_EXE_bascule"))
            .env("LC_ALL", "en_US.UTF-8")
            .current_dir(&work)
            .args([
                "check",
                "--inventory",
                inv.to_str().unwrap(),
                "--out",
                "out",
            ])
            .output()
            .unwrap();
        assert!(check.status.success(), "round {round}: {}", stderr(&check));
        for b in builds {
            let o = b.wait_with_output().unwrap();
            let err = stderr(&o);
            let locked = o.status.code() == Some(3) && err.contains("error[E0707]");
            assert!(o.status.success() || locked, "round {round}: {err}");
        }
        assert_eq!(names_in(&work), ["out"], "round {round}");
        assert!(check_out(&work, "out").status.success(), "round {round}");
    }
}

#[test]
fn a_busy_output_folder_is_a_fault_of_the_machine() {
    if Command::new("flock").arg("--version").output().is_err() {
        return tool_missing("flock (util-linux)");
    }
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    // Another process holds the folder's lock (a build, `serve`…).
    let mut holder = Command::new("flock")
        .args(["-x", work.to_str().unwrap(), "-c", "sleep 5"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let inv = seed_inventory();
    let o = Command::new(env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(&work)
        .env("BASCULE_LOCK_WAIT", "0")
        .args([
            "build",
            "--inventory",
            inv.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let d: Vec<_> = json_diagnostics(&stdout(&o))
        .into_iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "E0707");
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("another bascule build")
    );
    assert!(!work.join("out").exists());
}

/// Runs `script` with `sh` in a mount namespace of its own (a user namespace mapping this
/// user to root), where it may mount file systems; `$BASCULE` is the binary, `$SEED` the
/// repo's inventory. `None` when this machine does not allow such namespaces.
fn in_mount_namespace(dir: &Path, script: &str) -> Option<std::process::Output> {
    let probe = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: this machine does not allow mount namespaces (unshare)");
        return None;
    }
    let o = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-euc", script])
        .current_dir(dir)
        .env("BASCULE", env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .env("SEED", seed_inventory())
        .output()
        .unwrap();
    Some(o)
}

/// A full disk is E0703 and exit 3, whichever file meets it first.
#[test]
fn a_full_disk_is_one_code_and_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let script = r#"
        for size in 64k 400k 1200k; do
          mkdir -p "disk-$size"
          mount -t tmpfs -o size=$size none "disk-$size"
          set +e
          "$BASCULE" build --inventory "$SEED" --out "disk-$size/out" --format json > "$size.json" 2> "$size.err"
          echo "$size $?"
          set -e
          ls -A "disk-$size" > "$size.ls"
        done
    "#;
    let Some(o) = in_mount_namespace(dir.path(), script) else {
        return;
    };
    assert!(o.status.success(), "{}", stderr(&o));
    for size in ["64k", "400k", "1200k"] {
        assert!(stdout(&o).contains(&format!("{size} 3")), "{}", stdout(&o));
        let json = std::fs::read_to_string(dir.path().join(format!("{size}.json"))).unwrap();
        let d = json_diagnostics(&json);
        let codes: Vec<&str> = d.iter().filter_map(|d| d["code"].as_str()).collect();
        assert!(codes.contains(&"E0703"), "{size}: {codes:?}");
        assert!(
            !codes.contains(&"E0702") && !codes.contains(&"E0408"),
            "{size}: {codes:?}"
        );
        let ls = std::fs::read_to_string(dir.path().join(format!("{size}.ls"))).unwrap();
        assert_eq!(ls, "", "{size}: a failed build leaves nothing");
    }
}

/// A read-only file system is E0705 and exit 3; an output folder that is a mount point (a
/// container's volume) is built into, checked and built again.
#[test]
fn read_only_file_systems_and_mount_points() {
    let dir = tempfile::tempdir().unwrap();
    let script = r#"
        mkdir ro vol
        mount -t tmpfs none ro
        mount -o remount,ro ro
        set +e
        "$BASCULE" build --inventory "$SEED" --out ro/out 2> ro.err
        echo "ro $?"
        set -e
        mount -t tmpfs none vol
        "$BASCULE" build --inventory "$SEED" --out vol > /dev/null 2> vol1.err
        echo "vol1 $?"
        echo mine > vol/site/notes.txt
        "$BASCULE" build --inventory "$SEED" --out vol > /dev/null 2> vol2.err || echo "vol2 refused"
        rm vol/site/notes.txt
        "$BASCULE" build --inventory "$SEED" --out vol > /dev/null 2> vol3.err
        echo "vol3 $?"
        "$BASCULE" check --inventory "$SEED" --out vol 2> check.err
        echo "check $?"
        ls -A vol > vol.ls
        ls -A . > here.ls
    "#;
    let Some(o) = in_mount_namespace(dir.path(), script) else {
        return;
    };
    let read = |n: &str| std::fs::read_to_string(dir.path().join(n)).unwrap_or_default();
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let said = stdout(&o);
    assert!(said.contains("ro 3"), "{said}");
    assert!(
        read("ro.err").contains("error[E0705]"),
        "{}",
        read("ro.err")
    );
    assert!(
        said.contains("vol1 0") && said.contains("vol3 0"),
        "{said}\n{}",
        read("vol1.err")
    );
    assert!(said.contains("vol2 refused"), "{said}");
    assert!(
        read("vol2.err").contains("site/notes.txt"),
        "{}",
        read("vol2.err")
    );
    assert!(said.contains("check 0"), "{said}\n{}", read("check.err"));
    let inside = read("vol.ls");
    assert!(
        !inside.contains(".vol.bascule-"),
        "a staging folder left inside: {inside}"
    );
    assert!(inside.contains("document.md") && inside.contains(".bascule-manifest.json"));
    assert!(
        !read("here.ls").contains(".vol.bascule-"),
        "{}",
        read("here.ls")
    );
}
