//! `cargo bench --bench annexes`: the two seed annexes, SVG and PNG. Figures in BENCHMARKS.md.

use bascule::render::{annexe, png};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn seed() -> bascule::plan::Plan {
    let text = include_str!("../inventory/moodle-3.5.yaml");
    let (_, inv) = bascule::load::load_bytes("moodle-3.5.yaml", text.as_bytes()).unwrap();
    let labels = bascule::labels::Labels::defaults();
    bascule::pipeline::plan_built("moodle-3.5.yaml", &inv, &labels).unwrap()
}

fn benches(c: &mut Criterion) {
    let plan = seed();
    let labels = bascule::labels::Labels::defaults();
    let svgs: Vec<String> = plan
        .instances
        .iter()
        .map(|i| annexe::svg(&plan, i, &labels).unwrap())
        .collect();
    let scales: Vec<f32> = svgs
        .iter()
        .map(|s| png::default_scale(png::svg_width(s).unwrap()))
        .collect();

    c.bench_function("svg, both annexes, cold (empty measure cache)", |b| {
        b.iter(|| {
            bascule::font::clear_measure_cache();
            for i in &plan.instances {
                black_box(annexe::svg(&plan, i, &labels).unwrap());
            }
        })
    });
    c.bench_function("svg, both annexes, warm", |b| {
        b.iter(|| {
            for i in &plan.instances {
                black_box(annexe::svg(&plan, i, &labels).unwrap());
            }
        })
    });
    c.bench_function("png, both annexes (parse, render, encode)", |b| {
        b.iter(|| {
            for (s, &k) in svgs.iter().zip(&scales) {
                black_box(png::png(s, k).unwrap());
            }
        })
    });
    c.bench_function("png, both annexes, two threads", |b| {
        b.iter(|| {
            std::thread::scope(|sc| {
                let hs: Vec<_> = svgs
                    .iter()
                    .zip(&scales)
                    .map(|(s, &k)| sc.spawn(move || png::png(s, k).unwrap()))
                    .collect();
                for h in hs {
                    black_box(h.join().unwrap());
                }
            })
        })
    });
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(group);
