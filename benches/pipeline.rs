//! `cargo bench --bench pipeline`: the whole `build` (in memory) and `check --out out` on the
//! repo's own inventory, through the library (no process start). Figures in BENCHMARKS.md.

use bascule::pipeline::{self, RenderOptions};
use bascule::templates::Templates;
use bascule::validate::Mode;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn benches(c: &mut Criterion) {
    let inventory = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventory/moodle-3.5.yaml");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("out");
    let opts = RenderOptions::default();
    let templates = Templates::load(None).unwrap();
    let prepare = || {
        pipeline::prepare(&inventory, Mode::Check, &templates)
            .unwrap_or_else(|_| panic!("seed inventory"))
    };

    c.bench_function("load + validate + plan", |b| {
        b.iter(|| black_box(prepare()))
    });
    c.bench_function("build in memory (all outputs, PNGs drawn)", |b| {
        b.iter(|| {
            let p = prepare();
            let t = Templates::load(None).unwrap();
            black_box(pipeline::generate(&p, &t, &opts, pipeline::Heavy::Make).unwrap())
        })
    });
    c.bench_function(
        "check --out out (everything rendered afresh, folder compared)",
        |b| {
            b.iter(|| {
                let p = prepare();
                let t = Templates::load(None).unwrap();
                let d = bascule::check::run(&p, &t, &opts, Some(&out));
                assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
                black_box(d)
            })
        },
    );
}

criterion_group! {
    name = pipeline_benches;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(pipeline_benches);
