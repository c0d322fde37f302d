//! `cargo bench --bench load`: what the schema check costs the loader. The repo's inventory and
//! a large one at the documented limits (100 instances × 20 VMs), loaded as now and as before
//! (deserialisation alone); the schema check alone through jsonschema (the loader's) and
//! boon; the YAML tree with positions; and a large inventory with a fault in every other VM
//! (deserialisation fails, the tree is read and checked, every fault located). Also what the
//! messages cost every run: the catalog of one language made ready, and the seed's faults
//! rendered. Figures in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;

const SEED: &str = include_str!("../inventory/moodle-3.5.yaml");

/// The seed's head (document, application, platform, states), then `instances` instances of
/// `vms` VMs each: every VM with an IP, a DNS name, a role and actions.
fn large(instances: usize, vms: usize, fault: bool) -> String {
    let head = &SEED[..SEED.find("instances:").unwrap()];
    let mut y = format!("{head}instances:\n");
    for i in 0..instances {
        let _ = write!(
            y,
            "  - id: inst{i}\n    name: Instance {i}\n    environment: test\n    users: Équipe {i}\n    \
             role: Rôle {i}\n    url: https://inst{i}.example.ca\n    vms:\n"
        );
        for v in 0..vms {
            let key = if fault && v % 2 == 0 { "rol" } else { "role" };
            let _ = write!(
                y,
                "      - machine: vm{i}x{v}\n        ip: 10.{}.{}.{v}\n        dns: [vm{i}x{v}.example.ca]\n        \
                 {key}: Serveur {v}\n        actions:\n          - {{ state: jour-m, do: [deactivate] }}\n          \
                 - {{ state: m30, do: [delete] }}\n",
                i / 250,
                i % 250
            );
        }
    }
    y
}

fn benches(c: &mut Criterion) {
    let big = large(100, 20, false);
    let faulty = large(100, 20, true);
    assert!(bascule::load::load("big.yaml", big.as_bytes()).is_ok());
    let faults = bascule::load::load("faulty.yaml", faulty.as_bytes()).unwrap_err();
    assert_eq!(faults.len(), 1000, "one fault per faulty VM");
    for (name, text) in [("seed", SEED), ("large (2000 VMs)", big.as_str())] {
        c.bench_function(&format!("{name}: load now"), |b| {
            b.iter(|| black_box(bascule::load::load("i.yaml", text.as_bytes()).is_ok()))
        });
        c.bench_function(
            &format!("{name}: load before (deserialisation alone)"),
            |b| b.iter(|| black_box(bascule::load::typed_only(text).is_ok())),
        );
    }
    let json: serde_json::Value = serde_saphyr::from_str(&big).unwrap();
    let validator = bascule::schema::validator().unwrap();
    c.bench_function("large: schema check alone, jsonschema", |b| {
        b.iter(|| black_box(validator.is_valid(&json)))
    });
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("urn:s", bascule::schema::schema().clone())
        .unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler.compile("urn:s", &mut schemas).unwrap();
    c.bench_function("large: schema check alone, boon", |b| {
        b.iter(|| black_box(schemas.validate(&json, index).is_ok()))
    });
    c.bench_function("large: YAML tree as JSON, no positions", |b| {
        b.iter(|| black_box(serde_saphyr::from_str::<serde_json::Value>(&big).is_ok()))
    });
    c.bench_function("large with 1000 faults: load, every fault located", |b| {
        b.iter(|| black_box(bascule::load::load("f.yaml", faulty.as_bytes()).is_err()))
    });
    // Hostile: one mapping of 49 000 unknown keys (the node budget allows about that many).
    let wide: String = (0..49_000).fold(String::from("document:\n"), |mut y, i| {
        let _ = writeln!(y, "  k{i}: 1");
        y
    });
    let n = bascule::load::load("w.yaml", wide.as_bytes())
        .unwrap_err()
        .len();
    assert!(n > 49_000, "{n}");
    c.bench_function(
        "hostile: 49 000 unknown keys in one mapping, every one located",
        |b| b.iter(|| black_box(bascule::load::load("w.yaml", wide.as_bytes()).is_err())),
    );
}

/// The catalog every command makes once, and the rendering of a run's faults.
fn catalog(c: &mut Criterion) {
    use bascule::diag::{Catalog, Lang};
    c.bench_function("catalog: the French messages made ready", |b| {
        b.iter(|| black_box(Catalog::embedded(Lang::Fr).lang()))
    });
    let faulty = large(100, 20, true);
    let faults = bascule::load::load("faulty.yaml", faulty.as_bytes()).unwrap_err();
    let words = Catalog::embedded(Lang::Fr);
    c.bench_function("catalog: 1000 faults rendered rustc-style, French", |b| {
        b.iter(|| {
            let n: usize = faults.iter().map(|d| d.human(None, &words).len()).sum();
            black_box(n)
        })
    });
}

criterion_group! {
    name = catalog_benches;
    config = Criterion::default().sample_size(20);
    targets = catalog
}

criterion_group! {
    name = load_benches;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(load_benches, catalog_benches);
