//! `cargo bench --bench exports`: the PDF (Typst, warm: fonts and library cached) and the
//! Word file of the repo's own inventory, and reading both back for `check`. Figures in
//! BENCHMARKS.md.

use bascule::pipeline::{self, RenderOptions};
use bascule::render::exports::{self, ExportInput};
use bascule::templates::Templates;
use bascule::validate::Mode;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn benches(c: &mut Criterion) {
    let inventory = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventory/moodle-3.5.yaml");
    let t = Templates::load(None).unwrap();
    let p = pipeline::prepare(&inventory, Mode::Check, &t).unwrap_or_else(|_| panic!("seed"));
    let out = pipeline::generate(&p, &t, &RenderOptions::default(), pipeline::Heavy::Make).unwrap();
    let md = String::from_utf8(out["document.md"].clone()).unwrap();
    let input = ExportInput::new(
        &p.plan,
        &md,
        &|f| out.get(f).cloned(),
        exports::Paper::Letter,
        None,
    );

    c.bench_function("parse document.md into blocks", |b| {
        b.iter(|| black_box(bascule::render::blocks::parse(&md)))
    });
    #[cfg(feature = "pdf")]
    c.bench_function("document.pdf (Typst compile + PDF export, warm)", |b| {
        let typ = t.asset("document.typ").unwrap();
        b.iter(|| black_box(bascule::render::pdf::pdf(typ, &input).unwrap()))
    });
    c.bench_function("document.docx (docx-rust parts, zip written once)", |b| {
        b.iter(|| black_box(bascule::render::docx::docx(&input, &|f| out.get(f).cloned()).unwrap()))
    });
    c.bench_function("read document.docx back (zip + roxmltree)", |b| {
        b.iter(|| black_box(bascule::check::exports::docx_text(&out["document.docx"]).unwrap()))
    });
}

criterion_group! {
    name = export_benches;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(export_benches);
