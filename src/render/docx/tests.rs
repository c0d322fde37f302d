//! The Word export: styles, tables, pictures, language, properties, identical bytes.

use super::*;
use crate::files::Outputs;
use crate::render::exports::ExportInput;

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
    // Text width 9972 twips × 635 EMU; half as tall.
    assert!(doc.contains("cx=\"6332220\" cy=\"3166110\""), "{doc}");
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
        assert!(e.message.contains("a/x.png changed"), "{}", e.message);
    }
}

#[test]
fn creation_date_only_when_given() {
    assert_eq!(w3c_date(1_544_572_800), "2018-12-12T00:00:00Z");
    assert_eq!(w3c_date(1_544_619_845), "2018-12-12T13:04:05Z");
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
    assert!(e.message.contains("disk full"), "{}", e.message);
}
