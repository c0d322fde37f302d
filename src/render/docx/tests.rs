//! The Word export: styles, tables, pictures, language, properties, identical bytes.

use super::*;
use crate::files::Outputs;
use crate::render::exports::ExportInput;
use std::io::Read;

fn part(docx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn build(markdown: &str, outputs: &Outputs, paper: Paper) -> Vec<u8> {
    let plan = crate::fixtures::seed_plan();
    let input = ExportInput::new(&plan, markdown, &|p| outputs.get(p).cloned(), paper, None);
    docx(&input, &|p| outputs.get(p).cloned()).unwrap()
}

#[test]
fn styles_tables_language_and_properties() {
    let md = "# T\n\n## Section\n\n### Sous\n\n#### Bas\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- x\n  - y\n\n1. un\n";
    let d = build(md, &Outputs::new(), Paper::Letter);
    let doc = part(&d, "word/document.xml");
    for style in ["Title", "Heading1", "Heading2", "Heading3", "ListParagraph"] {
        assert!(
            doc.contains(&format!("<w:pStyle w:val=\"{style}\"/>")),
            "{style}"
        );
    }
    assert_eq!(doc.matches("<w:tblHeader").count(), 1);
    assert_eq!(doc.matches("<w:tr>").count(), 2, "{doc}");
    assert_eq!(
        doc.matches("<w:trPr><w:cantSplit/>").count(),
        2,
        "every row, the header too, stays on one page: {doc}"
    );
    assert!(
        doc.contains("<w:numId w:val=\"2\"/>"),
        "ordered list numbered apart"
    );
    assert!(doc.contains("w:w=\"12240\" w:h=\"15840\""), "Letter");
    assert!(part(&d, "word/styles.xml").contains("<w:lang w:val=\"fr-CA\""));
    let core = part(&d, "docProps/core.xml");
    assert!(core.contains("<dc:title>Opérations sur les machines virtuelles"));
    assert!(core.contains("<dc:creator>"));
    assert!(core.contains("<dc:language>fr-CA</dc:language>"), "{core}");
    assert!(!core.contains("dcterms:created"), "no timestamp by default");
    // The package's relationships, with the Open Packaging Conventions' type for the core
    // properties (docx-rust's own writer spelled it `officedocument/…`, which no reader knows).
    let rels = part(&d, "_rels/.rels");
    assert!(rels.contains(r#"Target="docProps/core.xml" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties""#), "{rels}");
    assert!(rels.contains(r#"Target="word/document.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument""#), "{rels}");
    let a4 = part(&build(md, &Outputs::new(), Paper::A4), "word/document.xml");
    assert!(a4.contains("w:w=\"11906\" w:h=\"16838\""), "A4");
}

#[test]
fn text_is_escaped_and_swatches_coloured() {
    let md = "&lt;w:p&gt; &amp; \\*x\\* <span class=\"swatch swatch-red\">■</span>\n";
    let doc = part(
        &build(md, &Outputs::new(), Paper::Letter),
        "word/document.xml",
    );
    assert!(doc.contains("&lt;w:p&gt; &amp; *x* "), "{doc}");
    assert!(doc.contains("<w:color w:val=\"c62828\"/>"), "{doc}");
}

#[test]
fn pictures_are_the_pngs_of_the_svgs_and_bytes_are_stable() {
    let png = crate::render::exports::png_header(2000, 1000);
    let mut outputs = Outputs::new();
    outputs.insert("a/x.png".into(), png.clone());
    outputs.insert("a/y.png".into(), png);
    let md = "![X](a/x.svg)\n\n![Y](a/y.png)\n\n![Z](a/z.svg)\n";
    let d = build(md, &outputs, Paper::Letter);
    let doc = part(&d, "word/document.xml");
    assert_eq!(doc.matches("<w:drawing>").count(), 2, "{doc}");
    assert!(
        doc.contains(">Z</w:t>"),
        "a missing picture reads as its text"
    );
    // Wider than tall: a landscape page, as in the PDF (the only section: nothing comes
    // before the pictures). Text width (15840 − 2 × 1134) twips × 635 EMU; half as tall.
    assert!(doc.contains("cx=\"8618220\" cy=\"4309110\""), "{doc}");
    assert_eq!(doc.matches("<w:sectPr>").count(), 1, "{doc}");
    assert!(doc.contains("<w:pgSz w:w=\"15840\" w:h=\"12240\" w:orient=\"landscape\"/>"));
    for _ in 0..3 {
        assert_eq!(build(md, &outputs, Paper::Letter), d, "identical bytes");
    }
    let z = zip::ZipArchive::new(Cursor::new(&d)).unwrap();
    assert_eq!(z.file_names().next(), Some("[Content_Types].xml"));
    let mut z = z;
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        assert_eq!(
            f.last_modified(),
            Some(zip::DateTime::default()),
            "{}",
            f.name()
        );
    }
}

#[test]
fn pictures_are_read_as_the_package_is_written() {
    let png = crate::render::exports::png_header(2000, 1000);
    let mut outputs = Outputs::new();
    outputs.insert("a/x.png".into(), png.clone());
    let plan = crate::fixtures::seed_plan();
    let input = ExportInput::new(
        &plan,
        "![X](a/x.svg)\n",
        &|p| outputs.get(p).cloned(),
        Paper::Letter,
        None,
    );
    assert!(
        input.outputs.is_empty(),
        "the PNG is not kept: {:?}",
        input.outputs.keys()
    );
    assert_eq!(input.png_sizes["a/x.png"], (2000, 1000));
    let d = docx(&input, &|p| outputs.get(p).cloned()).unwrap();
    let mut z = zip::ZipArchive::new(Cursor::new(&d)).unwrap();
    let mut media = Vec::new();
    z.by_name("word/media/image1.png")
        .unwrap()
        .read_to_end(&mut media)
        .unwrap();
    assert_eq!(media, png);
    // Gone, or another picture, by the time the package is written: a fault, not a
    // picture the body was not laid out for.
    let mut other = png.clone();
    other[19] = 7;
    for read in [None, Some(other)] {
        let e = docx(&input, &|_| read.clone()).unwrap_err();
        assert_eq!(e.code, crate::diag::Code::E0408);
        assert!(
            e.message.en().contains("a/x.png changed"),
            "{}",
            e.message.en()
        );
    }
}

#[test]
fn creation_date_only_when_given() {
    assert_eq!(w3c_date(1_544_572_800).unwrap(), "2018-12-12T00:00:00Z");
    assert_eq!(w3c_date(1_544_619_845).unwrap(), "2018-12-12T13:04:05Z");
    assert_eq!(w3c_date(-1).unwrap(), "1969-12-31T23:59:59Z");
    assert_eq!(w3c_date(i64::MAX), None);
    let plan = crate::fixtures::seed_plan();
    let outputs = Outputs::new();
    let input = ExportInput::new(
        &plan,
        "x\n",
        &|p| outputs.get(p).cloned(),
        Paper::Letter,
        Some(0),
    );
    let core = part(&docx(&input, &|_| None).unwrap(), "docProps/core.xml");
    assert!(core.contains("1970-01-01T00:00:00Z"), "{core}");
}

#[test]
fn a_writer_failure_is_a_located_diagnostic() {
    let e = super::fault("zip: disk full");
    assert_eq!(
        (e.code, e.file.as_str()),
        (crate::diag::Code::E0408, "document.docx")
    );
    assert!(e.message.en().contains("disk full"), "{}", e.message.en());
}

/// An attribute's value in an XML tag.
fn attr_of(tag: &str, name: &str) -> u64 {
    let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    tag[at..].split('"').next().unwrap().parse().unwrap()
}

/// A document whose annexe 1 (landscape) is cut into two parts of the pieces given, and
/// whose annexe 2 is a picture taller than wide: its Word file.
fn two_annexes_the_first_cut() -> Vec<u8> {
    use crate::render::annexe::layout::Rect;
    use crate::render::exports::{Printed, PrintedPart};
    let plan = crate::fixtures::seed_plan();
    let mut outputs = Outputs::new();
    let png = crate::render::exports::png_header;
    outputs.insert("a/x.png".into(), png(1000, 2000));
    outputs.insert("a/y.png".into(), png(800, 1200));
    let md = "# T\n\n## Contexte\n\nTexte.\n\n## Annexe 1\n\n![Un](a/x.svg)\n\n## Annexe 2\n\n![Deux](a/y.svg)\n";
    let get = |p: &str| outputs.get(p).cloned();
    let mut input = ExportInput::new(&plan, md, &get, Paper::Letter, None);
    let r = |x, y, w, h| Rect { x, y, w, h };
    let part = |n, pieces| PrintedPart {
        title: format!("Annexe 1 (partie {n} sur 2)"),
        pieces,
    };
    let printed = Printed {
        landscape: true,
        size: (500.0, 1000.0),
        parts: vec![
            part(
                1,
                vec![r(10.0, 20.0, 300.0, 400.0), r(10.0, 900.0, 480.0, 90.0)],
            ),
            part(
                2,
                vec![
                    r(10.0, 20.0, 300.0, 30.0),
                    r(10.0, 500.0, 300.0, 300.0),
                    r(10.0, 900.0, 480.0, 90.0),
                ],
            ),
        ],
    };
    input.printed = [("a/x.svg".to_string(), printed)].into();
    docx(&input, &get).unwrap()
}

#[test]
fn annexes_are_printed_as_the_pdf_prints_them_section_by_section() {
    let d = two_annexes_the_first_cut();
    let doc = part_xml(&d);
    // The body, portrait, ends before annexe 1; annexe 1 (landscape) ends before annexe 2,
    // whose picture is taller than wide: the last section, portrait.
    let tags = |name: &str| -> Vec<String> {
        doc.match_indices(&format!("<{name} "))
            .map(|(i, _)| doc[i..i + doc[i..].find("/>").unwrap()].to_string())
            .collect()
    };
    assert_eq!(
        tags("w:pgSz"),
        [
            r#"<w:pgSz w:w="12240" w:h="15840""#,
            r#"<w:pgSz w:w="15840" w:h="12240" w:orient="landscape""#,
            r#"<w:pgSz w:w="12240" w:h="15840""#,
        ]
    );
    // Each part: its title (the second on a new page), then its pieces of the one picture.
    let titles: Vec<usize> = doc
        .match_indices("w:val=\"PartTitle\"")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(titles.len(), 2);
    let breaks: Vec<usize> = doc
        .match_indices("<w:pageBreakBefore/>")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(breaks.len(), 1, "{doc}");
    assert!(
        breaks[0] > titles[1] && doc[titles[1]..breaks[0]].len() < 40,
        "{doc}"
    );
    assert!(doc.contains(">Annexe 1 (partie 2 sur 2)</w:t>"));
    assert_eq!(
        tags("a:srcRect")[0],
        r#"<a:srcRect l="2000" t="2000" r="38000" b="58000""#,
        "10/500, 20/1000, (500 − 310)/500, (1000 − 420)/1000"
    );
    let extents: Vec<(u64, u64)> = tags("wp:extent")
        .iter()
        .map(|t| (attr_of(t, "cx"), attr_of(t, "cy")))
        .collect();
    assert_eq!(extents.len(), 6, "five pieces and annexe 2");
    one_scale_per_part(&extents[..2], &[(300, 400), (480, 90)]);
    one_scale_per_part(&extents[2..5], &[(300, 30), (300, 300), (480, 90)]);
    let ids: Vec<u64> = tags("wp:docPr").iter().map(|t| attr_of(t, "id")).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    let z = zip::ZipArchive::new(Cursor::new(&d)).unwrap();
    let media: Vec<&str> = z
        .file_names()
        .filter(|n| n.starts_with("word/media/"))
        .collect();
    assert_eq!(media.len(), 2, "one picture per annexe: {media:?}");
}

fn part_xml(d: &[u8]) -> String {
    part(d, "word/document.xml")
}

/// A part's pieces (`sizes` in the layout's units) at one scale, as large as the landscape
/// Letter text allows (the height binds in the test's cases).
fn one_scale_per_part(views: &[(u64, u64)], sizes: &[(u32, u32)]) {
    let text_w = (15_840 - 2 * 1_134) * 635;
    let high = (12_240 - 2 * 1_134) * 635 * 8 / 10;
    let k = views[0].0 as f64 / f64::from(sizes[0].0);
    for ((cx, cy), &(w, h)) in views.iter().zip(sizes) {
        assert!((*cx as f64 - k * f64::from(w)).abs() <= 1.0, "{views:?}");
        assert!((*cy as f64 - k * f64::from(h)).abs() <= 1.0, "{views:?}");
        assert!(*cx <= text_w);
    }
    let tall: u64 = views.iter().map(|v| v.1).sum();
    assert!(tall <= high - 24 * 12_700, "{tall}");
    assert!(
        tall + 30 * 12_700 >= high - views.len() as u64 * 4 * 12_700,
        "{tall}"
    );
}

/// A part's scale: the text width binds a wide part, 80 % of the text height less the
/// title (24 pt) and 3 pt a piece binds a tall one; the crop is each piece's share of the
/// whole picture, in thousandths of a percent.
#[test]
fn a_parts_scale_is_what_the_page_allows() {
    use crate::render::annexe::layout::Rect;
    let r = |x, y, w, h| Rect { x, y, w, h };
    let (text_w, text_h) = ((15_840 - 2 * 1_134) * 635, (12_240 - 2 * 1_134) * 635);
    let page = (Paper::Letter, true);
    // Wide: 2 000 units across, 20 down in two pieces.
    let wide = part_views(
        &[r(0.0, 0.0, 2_000.0, 10.0), r(0.0, 50.0, 1_000.0, 10.0)],
        (2_000.0, 100.0),
        0,
        page,
    );
    let k = text_w as f64 / 2_000.0;
    assert_eq!(wide[0].extent, (text_w, (10.0 * k) as u64));
    assert_eq!(wide[1].extent, ((1_000.0 * k) as u64, (10.0 * k) as u64));
    assert_eq!(wide[1].crop, Some([0, 50_000, 50_000, 40_000]));
    // Tall: three pieces 500 units down in all.
    let tall = part_views(
        &[
            r(0.0, 0.0, 100.0, 100.0),
            r(0.0, 100.0, 100.0, 300.0),
            r(0.0, 400.0, 100.0, 100.0),
        ],
        (100.0, 500.0),
        0,
        page,
    );
    let high = text_h * 8 / 10 - (24 + 3 * 3) * 12_700;
    let k = high as f64 / 500.0;
    let heights: Vec<u64> = tall.iter().map(|v| v.extent.1).collect();
    assert_eq!(
        heights,
        [(100.0 * k) as u64, (300.0 * k) as u64, (100.0 * k) as u64]
    );
    assert_eq!(tall[0].extent.0, (100.0 * k) as u64);
}
