//! Inputs that try to break bascule, through the real binary, each run under `ulimit -v`
//! (1 GiB of address space) and a time limit: every one ends with outputs or with located
//! errors — never a signal, an abort, a panic or a hang.
//!
//! The time limit is for this (debug) test binary; the release binary, which users run,
//! is about ten times faster (BENCHMARKS.md). `BASCULE_ADVERSARIAL_CASES` sets the number of
//! random cases (60 by default).

use crate::common::*;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const MEMORY_KIB: u64 = 1024 * 1024;
const SECONDS: u64 = 60;

/// `bascule ARGS` in `dir` under the memory and time limits.
fn limited(dir: &Path, args: &[&str]) -> (Output, Duration) {
    let bin = env!("CARGO_BIN_EXE_bascule");
    let script = format!("ulimit -v {MEMORY_KIB}; exec timeout -s KILL {SECONDS} \"$0\" \"$@\"");
    let start = Instant::now();
    let o = Command::new("sh")
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(dir)
        .args(["-c", &script, bin])
        .args(args)
        .output()
        .expect("run bascule under limits");
    (o, start.elapsed())
}

/// Ended by itself, with 0 (accepted) or 1 (located errors), nothing panicked.
fn ends_well(o: &Output, what: &str) {
    let err = stderr(o);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{what}: status {:?} (a signal, an abort or the time limit)\n{}",
        o.status,
        err.chars().take(2000).collect::<String>()
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
    if o.status.code() == Some(1) {
        assert!(err.contains("error["), "{what}: no diagnostic in\n{err}");
    }
}

fn write(dir: &Path, text: &str) -> String {
    let p = dir.join("inv.yaml");
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn a_200_000_character_role_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(200_000);
    let inv = write(
        dir.path(),
        &SEED.replacen(
            "role: Serveur BD de production Campus\n",
            &format!("role: {long}\n"),
            1,
        ),
    );
    for cmd in ["check", "build"] {
        let (o, _) = limited(dir.path(), &[cmd, "--inventory", &inv]);
        ends_well(&o, cmd);
        let err = stderr(&o);
        assert!(
            err.contains("error[E0126]: 200000 characters: at most 256 here"),
            "{err}"
        );
        assert!(
            err.len() < 10_000,
            "the message quotes the whole text: {} bytes",
            err.len()
        );
    }
}

#[test]
fn thousands_of_tiny_vms_are_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let vms: String = (0..3000)
        .map(|i| {
            format!(
                "      - {{ machine: vm{i}, ip: 10.1.{}.{}, role: r, role_after: r }}\n",
                i / 250,
                i % 250 + 1
            )
        })
        .collect();
    let text = SEED.replacen("    vms:\n", &format!("    vms:\n{vms}"), 1);
    let inv = write(dir.path(), &text);
    let (o, _) = limited(dir.path(), &["check", "--inventory", &inv]);
    ends_well(&o, "3000 VMs");
    assert!(stderr(&o).contains("error[E0127]"), "{}", stderr(&o));
}

#[test]
fn a_long_misspelt_name_gets_no_slow_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let name = "campuswe".repeat(25_000);
    let inv = write(
        dir.path(),
        &SEED.replacen("files_from: campusweb", &format!("files_from: {name}"), 1),
    );
    let (o, took) = limited(dir.path(), &["check", "--inventory", &inv]);
    ends_well(&o, "long name");
    assert!(stderr(&o).contains("error[E0119]"), "{}", stderr(&o));
    assert!(took < Duration::from_secs(20), "{took:?}");
}

/// One random change that an attacker or a careless writer could make.
fn mutate(rng: &mut fastrand::Rng, text: &str) -> String {
    let at = |rng: &mut fastrand::Rng, t: &str| {
        let mut i = rng.usize(..=t.len());
        while !t.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match rng.u8(..7) {
        0 => {
            // A value made huge, with characters every format must escape.
            let n = [10, 300, 70_000, 1_000_000][rng.usize(..4)];
            let unit = ["<&>|*\"'", "é", "\u{202e}", "x y "][rng.usize(..4)];
            let i = at(rng, text);
            let huge: String = unit.repeat(n / unit.len().max(1) + 1);
            format!(
                "{}\"{}\"{}",
                &text[..i],
                huge.replace('"', "\\\""),
                &text[i..]
            )
        }
        1 => {
            // The instances repeated: duplicate ids, names, IPs, tickets.
            let i = text.find("instances:\n").map_or(0, |i| i + 11);
            let block = &text[i..];
            format!("{}{}", text, block.repeat(rng.usize(1..40)))
        }
        2 => {
            // Numbers out of range.
            let big = ["4294967295", "99999999999999999999", "-1", "0", "1e309"][rng.usize(..5)];
            text.replace("offset_days: 30", &format!("offset_days: {big}"))
                .replace("annexe: 1", &format!("annexe: {big}"))
        }
        3 => {
            // Deep nesting and aliases.
            let depth = rng.usize(10..5000);
            let i = at(rng, text);
            format!(
                "{}{}x{}{}",
                &text[..i],
                "[".repeat(depth),
                "]".repeat(depth),
                &text[i..]
            )
        }
        4 => {
            // Random bytes (kept UTF-8 so that the parser, not the decoder, is tried).
            let mut t = text.to_string();
            for _ in 0..rng.usize(1..50) {
                let i = at(rng, &t);
                t.insert(
                    i,
                    ['\0', ':', '-', '{', '&', '*', '!', '\n', '\t', '#', '%'][rng.usize(..11)],
                );
            }
            t
        }
        5 => {
            // A generated inventory at the limits of its shape.
            let shape = bascule::sample::Shape {
                seed: rng.u64(..),
                instances: 12,
                vms: 25,
                vary: false,
                hostile: true,
            };
            bascule::sample::inventory(shape)
        }
        _ => text
            .lines()
            .filter(|_| rng.u8(..10) > 0)
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn random_hostile_inventories_end_well_within_the_limits() {
    let cases: u64 = std::env::var("BASCULE_ADVERSARIAL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let dir = tempfile::tempdir().unwrap();
    let mut slowest = Duration::ZERO;
    for seed in 0..cases {
        let mut rng = fastrand::Rng::with_seed(seed);
        let base = if rng.bool() {
            SEED.to_string()
        } else {
            bascule::sample::inventory(bascule::sample::Shape {
                seed,
                instances: 4,
                vms: 6,
                vary: true,
                hostile: true,
            })
        };
        let mut text = mutate(&mut rng, &base);
        if rng.bool() {
            text = mutate(&mut rng, &text);
        }
        let inv = write(dir.path(), &text);
        let cmd = if seed % 5 == 0 { "build" } else { "check" };
        let (o, took) = limited(
            dir.path(),
            &[cmd, "--inventory", &inv, "--out", "out", "--force"]
                [..if cmd == "build" { 6 } else { 3 }],
        );
        ends_well(&o, &format!("seed {seed} ({cmd}, {} bytes)", text.len()));
        slowest = slowest.max(took);
    }
    eprintln!("slowest case: {slowest:?}");
}
