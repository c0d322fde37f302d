//! The PDF and Word exports through real readers: qpdf, poppler (pdffonts, pdfinfo,
//! pdftotext) and LibreOffice, plus bascule's own `check::exports`.
//!
//! `.ci/run` installs the tools. Locally, a missing tool skips its test with a notice;
//! under CI (`CI` set) a missing tool is a failure.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tool_missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing under CI: .ci/run must install it");
    }
    eprintln!("SKIPPED: {what} is not installed (see .ci/run)");
}

fn has(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

fn built(extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let inv = seed_inventory();
    let mut args = vec!["build", "--inventory", inv.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = bascule(dir.path(), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

#[cfg_attr(not(feature = "pdf"), allow(dead_code))]
fn run(tool: &str, args: &[&str], file: &Path) -> String {
    let o = Command::new(tool).args(args).arg(file).output().unwrap();
    assert!(
        o.status.success() || tool == "qpdf",
        "{tool}: {}",
        stderr(&o)
    );
    stdout(&o) + &stderr(&o)
}

/// The seed's facts that every export must show, as the prose writes them.
const FACTS: &[&str] = &[
    "Présenter les opérations sur les machines virtuelles (VM) durant la mise à jour de Campus",
    "SUSE",
    "PHP à la version 7.0.7",
    "réunion DRI du 2018-11-28",
    "Étudiants et tuteurs de Cégep à distance",
    "https://campus.cegepadistance.ca",
    "Service de l’ingénierie pédagogique et de l’innovation",
    "code source de Campus 3.1.5",
    "se connecter à la base de données (pour Campus)",
    "migrer la base de données (pour Projets)",
    "État en date de 2018-12-12",
    "aucune intervention tout le long de la migration",
    "création demandée",
    "campusweb",
    "campusdb2",
    "campus35web",
    "campuswebUPG",
    "campusdb2UPG",
    "campus-dev",
    "campus-gq",
    "projets35",
    "10.88.0.210",
    "10.87.0.211",
    "Serveur fichiers de production Campus 3.5.3",
    "57330",
    "57838",
    "campus-preprod.cegepadistance.ca (10.88.0.205)",
    "campus-dev-tuan (10.88.0.220)",
    "déplacé sur fad.cegepadistance.ca",
    "Annexe 1. Migration Campus 3.1 vers Moodle version 3.5",
    "Annexe 2. Migration Projets 3.1 vers Moodle version 3.5",
];

/// Text with runs of white space as one space and the hyphens of line ends removed.
fn flat(text: &str) -> String {
    let t = text.replace(['\u{a0}', '\u{202f}'], " ");
    let words: Vec<&str> = t.split_whitespace().collect();
    words.join(" ")
}

fn assert_facts(text: &str, what: &str) {
    let text = flat(text);
    let missing: Vec<&&str> = FACTS
        .iter()
        .filter(|f| !bascule::check::exports::contains_across_breaks(&text, &flat(f)))
        .collect();
    assert!(missing.is_empty(), "{what} lacks {missing:#?}\n{text}");
}

#[test]
fn outputs_list_the_exports_and_check_finds_every_fact() {
    let dir = built(&[]);
    let out = bascule::write::tree::read_tree(&dir.path().join("out"))
        .unwrap()
        .files;
    assert!(out.contains_key("document.docx") && out.contains_key("site/document.docx"));
    assert_eq!(out["document.docx"], out["site/document.docx"]);
    #[cfg(feature = "pdf")]
    assert_eq!(out["document.pdf"], out["site/document.pdf"]);
    #[cfg(not(feature = "pdf"))]
    assert!(!out.contains_key("document.pdf"));
    let templates = bascule::templates::Templates::load(None).unwrap();
    let plan = bascule::pipeline::prepare(
        &seed_inventory(),
        bascule::validate::Mode::Build,
        &templates,
    )
    .ok()
    .unwrap()
    .plan;
    // The PDF's text as an independent reader extracts it from the file.
    let pdf_text = out
        .get("document.pdf")
        .map(|b| pdf_extract::extract_text_from_mem(b).unwrap());
    let diags = bascule::check::exports::check_exports(&plan, &out, pdf_text.as_deref(), "out");
    assert!(diags.is_empty(), "{diags:#?}");
    // A Word file whose machine names were edited out is caught.
    let mut tampered = out.clone();
    let docx = String::from_utf8_lossy(&out["document.docx"]).into_owned();
    assert!(!docx.contains("campus35web"), "the XML is compressed");
    tampered.insert("document.docx".into(), b"PK\x03\x04".to_vec());
    let diags =
        bascule::check::exports::check_exports(&plan, &tampered, pdf_text.as_deref(), "out");
    assert!(diags.iter().any(|d| d.code == "E0542"), "{diags:#?}");
}

#[test]
fn two_builds_write_identical_exports() {
    let a = built(&[]);
    let b = built(&[]);
    for f in ["out/document.docx", "out/document.pdf"] {
        let (x, y) = (a.path().join(f), b.path().join(f));
        if !x.exists() {
            continue; // no `pdf` feature
        }
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{f} differs"
        );
    }
}

#[cfg(feature = "pdf")]
mod pdf {
    use super::*;

    fn pdf_tools() -> bool {
        let ok = has("qpdf") && has("pdftotext") && has("pdffonts") && has("pdfinfo");
        if !ok {
            tool_missing("qpdf and poppler-utils (apt-get install qpdf poppler-utils)");
        }
        ok
    }

    /// The seed's PDF is typeset in two parts (the prose, the annexes) and joined: one
    /// tagged document whose structure, destinations, outline, page numbers and table of
    /// contents hold across the join.
    #[test]
    fn the_pdf_joined_from_its_parts_is_one_tagged_document() {
        if !pdf_tools() {
            return;
        }
        let dir = built(&[]);
        let pdf = dir.path().join("out/document.pdf");
        assert_eq!(crate::joined::problems(&pdf), Vec::<String>::new());
        crate::joined::assert_numbered_and_listed(&pdf);
        let info = run("pdfinfo", &[], &pdf);
        assert!(info.contains("Tagged:          yes"), "{info}");
        assert!(info.contains("Pages:           10"), "{info}");
        // The XMP (the first part's) counts the whole document's pages.
        let meta = run("pdfinfo", &["-meta"], &pdf);
        assert!(meta.contains("<xmpTPg:NPages>10</xmpTPg:NPages>"), "{meta}");
        assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
    }

    #[test]
    fn pdf_is_valid_embeds_its_fonts_and_holds_every_fact() {
        if !pdf_tools() {
            return;
        }
        let dir = built(&[]);
        let pdf = dir.path().join("out/document.pdf");
        let check = run("qpdf", &["--check"], &pdf);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{check}"
        );
        assert!(!check.to_lowercase().contains("warning"), "{check}");
        let fonts = run("pdffonts", &[], &pdf);
        let rows: Vec<&str> = fonts
            .lines()
            .skip(2)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(!rows.is_empty(), "{fonts}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert!(
                cols.len() >= 7 && cols[cols.len() - 5] == "yes",
                "not embedded: {row}"
            );
        }
        let txt = dir.path().join("doc.txt");
        run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap()], &txt);
        let text = std::fs::read_to_string(&txt).unwrap();
        assert_facts(&text, "pdftotext of document.pdf");
        // pdftotext writes no-break spaces as spaces; pdf-extract keeps them.
        let exact = pdf_extract::extract_text_from_mem(&std::fs::read(&pdf).unwrap()).unwrap();
        for label in [
            "Table des matières",
            "Page\u{a0}2 de\u{a0}",
            "État de référence\u{a0}: 2018-12-12",
        ] {
            assert!(flat(&text).contains(&flat(label)), "{label:?} missing");
            assert!(exact.contains(label), "{label:?} missing");
        }
        let info = run("pdfinfo", &[], &pdf);
        let pages: u32 = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap();
        assert!((5..=15).contains(&pages), "{pages} pages");
        assert!(info.contains("Tagged:          yes"), "{info}");
        assert!(info.contains("Title:           Opérations"), "{info}");
    }

    #[test]
    fn paper_is_letter_unless_a4_is_asked() {
        if !pdf_tools() {
            return;
        }
        let letter = built(&[]);
        let info = run("pdfinfo", &[], &letter.path().join("out/document.pdf"));
        assert!(info.contains("612 x 792 pts (letter)"), "{info}");
        let a4 = built(&["--paper", "a4"]);
        let info = run("pdfinfo", &[], &a4.path().join("out/document.pdf"));
        assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
        // The annexe pages are landscape: one page wider than tall at least.
        let all = run(
            "pdfinfo",
            &["-f", "1", "-l", "99"],
            &a4.path().join("out/document.pdf"),
        );
        assert!(all.contains("841.89 x 595.276"), "{all}");
    }

    /// `document.paper` in the inventory, `--paper` over it; a folder built with the flag
    /// and checked without it is said to be (E0515), not only stale.
    #[test]
    fn paper_comes_from_the_inventory_and_check_says_when_the_folder_differs() {
        if !pdf_tools() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let inv = mutated(dir.path(), "document:\n", "document:\n  paper: a4\n");
        let inv = inv.to_str().unwrap();
        let pdf = dir.path().join("out/document.pdf");
        let o = bascule(dir.path(), &["build", "--inventory", inv]);
        assert!(o.status.success(), "{}", stderr(&o));
        let info = run("pdfinfo", &[], &pdf);
        assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
        let docx = std::fs::read(dir.path().join("out/document.docx")).unwrap();
        let o = bascule(dir.path(), &["check", "--inventory", inv, "--out", "out"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let o = bascule(
            dir.path(),
            &["build", "--inventory", inv, "--paper", "letter"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let info = run("pdfinfo", &[], &pdf);
        assert!(
            info.contains("612 x 792 pts (letter)"),
            "the flag wins: {info}"
        );
        assert_ne!(
            std::fs::read(dir.path().join("out/document.docx")).unwrap(),
            docx
        );
        let o = bascule(dir.path(), &["check", "--inventory", inv, "--out", "out"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("error[E0515]"), "{err}");
        assert!(
            err.contains("out/ was built with paper `letter`; this check uses `a4`"),
            "{err}"
        );
        assert!(err.contains("document.paper: letter"), "{err}");
        let o = bascule(
            dir.path(),
            &[
                "check",
                "--inventory",
                inv,
                "--out",
                "out",
                "--paper",
                "letter",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }

    /// The URIs of a PDF's link annotations (qpdf's uncompressed form).
    fn uris(pdf: &Path) -> Vec<String> {
        let qdf = pdf.with_extension("qdf.pdf");
        let o = Command::new("qpdf")
            .args(["--qdf", "--object-streams=disable"])
            .arg(pdf)
            .arg(&qdf)
            .output()
            .unwrap();
        assert!(
            o.status.code().is_some_and(|c| c == 0 || c == 3),
            "{}",
            stderr(&o)
        );
        let text = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
        text.split("/URI (")
            .skip(1)
            .map(|rest| rest.split(')').next().unwrap_or("").to_string())
            .collect()
    }

    /// A PDF attached to a ticket has no folder beside it: its links lead to the published
    /// site (`document.site_url`) or are plain text, in the PDF and the Word file alike.
    #[test]
    fn the_exports_link_to_the_site_or_to_nothing() {
        if !pdf_tools() {
            return;
        }
        let alone = built(&[]);
        let links = uris(&alone.path().join("out/document.pdf"));
        assert!(links.iter().any(|u| u.starts_with("https://")), "{links:?}");
        assert!(
            links
                .iter()
                .all(|u| u.contains("://") || u.starts_with("mailto:")),
            "{links:?}"
        );
        let rels = |dir: &Path| {
            Package::open(&dir.join("out/document.docx")).text("word/_rels/document.xml.rels")
        };
        assert!(
            !rels(alone.path()).contains("Target=\"annexes/"),
            "{}",
            rels(alone.path())
        );

        let dir = tempfile::tempdir().unwrap();
        let inv = mutated(
            dir.path(),
            "document:\n",
            "document:\n  site_url: https://docs.example.ca/migration\n",
        );
        let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let links = uris(&dir.path().join("out/document.pdf"));
        let png = "https://docs.example.ca/migration/annexes/annexe-1.png";
        assert!(links.iter().any(|u| u == png), "{links:?}");
        assert!(
            links
                .iter()
                .all(|u| u.contains("://") || u.starts_with("mailto:")),
            "{links:?}"
        );
        assert!(
            rels(dir.path()).contains(&format!("Target=\"{png}\"")),
            "{}",
            rels(dir.path())
        );

        let bad = mutated(
            dir.path(),
            "document:\n",
            "document:\n  site_url: docs/migration\n",
        );
        let o = bascule(dir.path(), &["check", "--inventory", bad.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("error[E0123]"), "{}", stderr(&o));
    }

    /// The PDF in `dir/out`, and the source its manifest records for it.
    fn pdf_and_source(dir: &Path) -> (Vec<u8>, String) {
        let pdf = std::fs::read(dir.join("out/document.pdf")).unwrap();
        let m = std::fs::read(dir.join("out/.bascule-manifest.json")).unwrap();
        let m: serde_json::Value = serde_json::from_slice(&m).unwrap();
        let source = m["sources"]["document.pdf"].as_str().unwrap_or_default();
        (pdf, source.to_string())
    }

    /// Puts `bytes` in place of `out/document.pdf`; with `vouch`, the manifest records
    /// them too, as if bascule had written them.
    fn replace_pdf(dir: &Path, bytes: &[u8], vouch: bool) {
        std::fs::write(dir.join("out/document.pdf"), bytes).unwrap();
        if vouch {
            let path = dir.join("out/.bascule-manifest.json");
            let m = std::fs::read(&path).unwrap();
            let mut m: serde_json::Value = serde_json::from_slice(&m).unwrap();
            m["files"]["document.pdf"] = bascule::write::manifest::digest(bytes).into();
            std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
        }
    }

    #[test]
    fn the_pdf_is_typeset_again_only_when_its_source_changed() {
        let dir = tempfile::tempdir().unwrap();
        let build = |inv: &Path| {
            let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
            assert!(o.status.success(), "{}", stderr(&o));
        };
        let inv = mutated(dir.path(), "purpose: ", "purpose: ");
        build(&inv);
        let (typeset, source) = pdf_and_source(dir.path());
        assert!(
            source.starts_with("sha256:") && source.len() == 71,
            "{source}"
        );
        // Bytes only the previous build can have given: the same source takes them again.
        let mut marked = typeset.clone();
        marked.extend_from_slice(b"% taken again\n");
        replace_pdf(dir.path(), &marked, true);
        build(&inv);
        assert!(pdf_and_source(dir.path()) == (marked.clone(), source.clone()));
        let site = std::fs::read(dir.path().join("out/site/document.pdf")).unwrap();
        assert!(site == marked, "the site copies the PDF taken again");
        // A PDF changed since it was written is not taken again.
        let mut edited = typeset.clone();
        edited.extend_from_slice(b"% edited by hand\n");
        replace_pdf(dir.path(), &edited, false);
        build(&inv);
        assert!(pdf_and_source(dir.path()) == (typeset.clone(), source.clone()));
        // Nor one typeset from another source: a one-word edit of the prose.
        replace_pdf(dir.path(), &marked, true);
        let inv = mutated(dir.path(), "purpose: ", "purpose: Bref. ");
        build(&inv);
        let (again, new_source) = pdf_and_source(dir.path());
        assert_ne!(new_source, source);
        assert!(
            again != marked && again != typeset,
            "typeset from the new prose"
        );
    }

    /// The PDF is typeset while the PNGs are drawn, from the annexes' shapes; a document
    /// that shows a PNG itself (a template of the user's) still finds it in the PDF.
    #[test]
    fn a_png_the_document_shows_is_in_the_pdf() {
        if !has("pdfimages") {
            return tool_missing("poppler-utils (apt-get install poppler-utils)");
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/document.md.tera"),
            "# {{ title }}\n\n## Annexe\n\n![Annexe, en PNG](annexes/annexe-1.png)\n\n![Annexe, en SVG](annexes/annexe-2.svg)\n",
        )
        .unwrap();
        let inv = seed_inventory();
        let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let list = run(
            "pdfimages",
            &["-list"],
            &dir.path().join("out/document.pdf"),
        );
        let images: Vec<&str> = list.lines().skip(2).collect();
        assert_eq!(
            images.len(),
            1,
            "the PNG, and the SVG drawn as shapes: {list}"
        );
        let png = bascule::render::exports::png_size(
            &std::fs::read(dir.path().join("out/annexes/annexe-1.png")).unwrap(),
        )
        .unwrap();
        let cols: Vec<&str> = images[0].split_whitespace().collect();
        assert_eq!(
            (cols[3], cols[4]),
            (&*png.0.to_string(), &*png.1.to_string()),
            "{list}"
        );
    }

    /// A writer's template written before parts (it never reads `data.part`) gets the
    /// whole document in one part, as it did: its title page is not printed per part.
    #[test]
    fn a_template_that_does_not_read_its_part_gets_the_whole_document() {
        if !pdf_tools() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        let typ = "#let data = json(\"data.json\")\n#set document(title: data.title)\n\
                   Titre unique. #data.annexes.len() annexes, #data.body.len() blocs.\n";
        std::fs::write(dir.path().join("templates/document.typ"), typ).unwrap();
        let inv = seed_inventory();
        let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let pdf = dir.path().join("out/document.pdf");
        let txt = dir.path().join("doc.txt");
        run("pdftotext", &[pdf.to_str().unwrap()], &txt);
        let text = std::fs::read_to_string(&txt).unwrap();
        assert_eq!(text.matches("Titre unique").count(), 1, "{text}");
        assert!(text.contains("2 annexes"), "{text}");
        assert!(run("pdfinfo", &[], &pdf).contains("Pages:           1\n"));
    }

    #[test]
    fn a_template_error_is_located() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/document.typ"),
            "#let data = json(\"data.json\")\n\n#data.title\n#nope(1)\n",
        )
        .unwrap();
        let inv = seed_inventory();
        let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(err.contains("error[E0402]"), "{err}");
        assert!(err.contains("document.typ:4:2"), "{err}");
        assert!(err.contains("unknown variable: nope"), "{err}");
        assert!(!dir.path().join("out").exists());
    }
}

fn soffice() -> Option<PathBuf> {
    ["soffice", "libreoffice"]
        .iter()
        .find(|t| has(t))
        .map(PathBuf::from)
}

/// LibreOffice's PDF of `dir/out/document.docx` (`soffice --headless --convert-to pdf`),
/// written in `dir/lo/`.
fn libreoffice_pdf(soffice: &Path, dir: &Path) -> PathBuf {
    let conv = dir.join("lo");
    // A profile of its own, so a running LibreOffice or a stale lock cannot interfere.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let o = Command::new(soffice)
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&conv)
        .arg(dir.join("out/document.docx"))
        .output()
        .unwrap();
    let pdf = conv.join("document.pdf");
    assert!(
        o.status.success() && pdf.is_file(),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    pdf
}

#[test]
fn docx_opens_in_libreoffice_and_holds_every_fact() {
    let Some(soffice) = soffice() else {
        return tool_missing("LibreOffice (apt-get install libreoffice-writer-nogui)");
    };
    if !has("pdftotext") {
        return tool_missing("poppler-utils (apt-get install poppler-utils)");
    }
    let dir = built(&[]);
    let pdf = libreoffice_pdf(&soffice, dir.path());
    let txt = dir.path().join("lo.txt");
    let o = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg(&txt)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_facts(
        &std::fs::read_to_string(txt).unwrap(),
        "LibreOffice's PDF of document.docx",
    );
}

/// A Word file's package, its parts read by name.
struct Package(zip::ZipArchive<std::io::Cursor<Vec<u8>>>);

impl Package {
    fn open(path: &Path) -> Package {
        let bytes = std::fs::read(path).unwrap();
        Package(zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap())
    }

    fn bytes(&mut self, name: &str) -> Vec<u8> {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut self.0.by_name(name).unwrap(), &mut b).unwrap();
        b
    }

    fn text(&mut self, name: &str) -> String {
        String::from_utf8(self.bytes(name)).unwrap()
    }

    /// How many pictures it holds.
    fn media(&self) -> usize {
        self.0
            .file_names()
            .filter(|n| n.starts_with("word/media/"))
            .count()
    }
}

#[test]
fn docx_xml_has_word_structure() {
    let dir = built(&[]);
    let mut docx = Package::open(&dir.path().join("out/document.docx"));
    let media = docx.media();
    let mut read = |name: &str| docx.text(name);
    let doc = read("word/document.xml");
    assert!(doc.contains("<w:pStyle w:val=\"Heading1\"/>"));
    assert!(doc.contains("<w:tblHeader w:val=\"on\"/>"));
    // Annexe 1 is cut into parts on Letter, as in the PDF: a titled page per part, showing
    // pieces of its one picture; annexe 2 prints whole.
    let titles = doc.matches("<w:pStyle w:val=\"PartTitle\"/>").count();
    assert!(titles >= 2, "{doc}");
    let pieces = doc.matches("<a:srcRect ").count();
    assert!(
        pieces >= 2 * titles,
        "each part shows its grid and the legend: {doc}"
    );
    assert_eq!(doc.matches("<w:drawing>").count(), pieces + 1);
    assert_eq!(media, 2, "one picture per annexe");
    assert!(read("word/styles.xml").contains("<w:lang w:val=\"fr-CA\""));
    let core = read("docProps/core.xml");
    assert!(core.contains("<dc:title>Opérations sur les machines virtuelles lors de la mise à jour vers Moodle 3.5.3</dc:title>"));
    assert!(core.contains("<dc:creator>Cégep à distance</dc:creator>"));
    assert!(!core.contains("dcterms:modified") && !core.contains("dcterms:created"));
}

/// A table of 30 rows whose second cell wraps over several lines: each row's first and
/// last words on one page, in the PDF (pdftotext) and in LibreOffice's rendering of the
/// Word file, while the table itself spans pages.
#[test]
fn a_table_row_never_spans_two_pages() {
    let Some(soffice) = soffice() else {
        return tool_missing("LibreOffice (apt-get install libreoffice-writer-nogui)");
    };
    if !has("pdftotext") {
        return tool_missing("poppler-utils (apt-get install poppler-utils)");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut md = String::from("# Rangées\n\n| Nom | Rôle |\n|---|---|\n");
    let filler = "mot ".repeat(150);
    for i in 0..30 {
        md.push_str(&format!("| vm{i:02} | debut{i:02}x {filler}fin{i:02}x |\n"));
    }
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/document.md.tera"), md).unwrap();
    let inv = seed_inventory();
    let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut pdfs = vec![];
    if cfg!(feature = "pdf") {
        pdfs.push(("document.pdf", dir.path().join("out/document.pdf")));
    }
    pdfs.push((
        "LibreOffice's PDF of document.docx",
        libreoffice_pdf(&soffice, dir.path()),
    ));
    for (what, pdf) in pdfs {
        let o = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        let text = stdout(&o);
        let pages: Vec<&str> = text.split('\u{c}').collect();
        let page_of = |word: &str| {
            let found: Vec<usize> = (0..pages.len())
                .filter(|&p| pages[p].contains(word))
                .collect();
            assert_eq!(found.len(), 1, "{what}: {word} on pages {found:?}");
            found[0]
        };
        let mut spanned = std::collections::BTreeSet::new();
        for i in 0..30 {
            let (first, last) = (
                page_of(&format!("debut{i:02}x")),
                page_of(&format!("fin{i:02}x")),
            );
            assert_eq!(
                first,
                last,
                "{what}: row {i} starts on page {} and ends on page {}",
                first + 1,
                last + 1
            );
            spanned.insert(first);
        }
        assert!(
            spanned.len() >= 2,
            "{what}: the table fits one page, nothing was tested"
        );
    }
}

/// The smallest text on the PDF's annexe pages (those with a legend), in points: the height
/// pdftotext gives each word's box is its font size.
fn smallest_annexe_text(pdf: &Path) -> (f64, usize) {
    let o = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let html = stdout(&o);
    let (mut smallest, mut pages) = (f64::MAX, 0);
    for page in html
        .split("<page ")
        .skip(1)
        .filter(|p| p.contains(">Légende</word>"))
    {
        pages += 1;
        for word in page.split("<word ").skip(1) {
            let attr = |name: &str| -> f64 {
                let at = word.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                word[at..].split('"').next().unwrap().parse().unwrap()
            };
            smallest = smallest.min(attr("yMax") - attr("yMin"));
        }
    }
    (smallest, pages)
}

/// The smallest text of the Word file's annexe pictures, in points on the page, and how
/// many pictures there are. A picture's text prints at its size in the SVG × its width on the
/// page (`wp:extent`) ÷ the width in pixels of what it shows of its PNG (all of it, less
/// what `a:srcRect` cuts off left and right) × the pixels per SVG unit (`scale`, as given to
/// `--png-scale`). The smallest size of every annexe SVG serves for every picture.
fn smallest_word_picture_text(out: &Path, scale: f64) -> (f64, usize) {
    let mut least_font = f64::MAX;
    for e in std::fs::read_dir(out.join("annexes")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "svg") {
            let svg = std::fs::read_to_string(&path).unwrap();
            for size in svg.split("font-size=\"").skip(1) {
                let size: f64 = size.split('"').next().unwrap().parse().unwrap();
                least_font = least_font.min(size);
            }
        }
    }
    let mut docx = Package::open(&out.join("document.docx"));
    let doc = docx.text("word/document.xml");
    let rels = docx.text("word/_rels/document.xml.rels");
    let attr = |text: &str, name: &str| -> String {
        let at = text.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        text[at..].split('"').next().unwrap().to_string()
    };
    let (mut smallest, mut pictures) = (f64::MAX, 0);
    for drawing in doc.split("<w:drawing>").skip(1) {
        pictures += 1;
        let cx_pt: f64 = attr(drawing, "cx").parse::<f64>().unwrap() / 12_700.0;
        let rel = attr(drawing, "r:embed");
        let rel_at = rels.find(&format!("Id=\"{rel}\"")).unwrap();
        let rel_tag = &rels[rels[..rel_at].rfind('<').unwrap()..];
        let target = attr(&rel_tag[..rel_tag.find("/>").unwrap()], "Target");
        let png = docx.bytes(&format!("word/{target}"));
        let png_w = f64::from(u32::from_be_bytes(png[16..20].try_into().unwrap()));
        let cut = |side: &str| match drawing.find("<a:srcRect ") {
            Some(at) => attr(&drawing[at..], side).parse::<f64>().unwrap() / 100_000.0,
            None => 0.0,
        };
        let shown_w = png_w * (1.0 - cut("l") - cut("r"));
        smallest = smallest.min(least_font * cx_pt / (shown_w / scale));
    }
    (smallest, pictures)
}

/// Generated inventories from 1 to 60 VMs per instance and 3 to 8 states: on every annexe
/// page of the PDF and in every annexe picture of the Word file, no text is smaller than
/// 7 pt; a large annexe takes several pages.
#[test]
fn annexe_text_prints_at_7_pt_at_least() {
    let pdf = cfg!(feature = "pdf") && has("pdftotext");
    if cfg!(feature = "pdf") && !pdf {
        tool_missing("poppler-utils (apt-get install poppler-utils)");
    }
    for (args, paper) in [
        (
            ["--instances", "3", "--vms", "60", "--vary", "--seed", "11"],
            "letter",
        ),
        (
            ["--instances", "1", "--vms", "60", "--seed", "4", "--vary"],
            "a4",
        ),
        (
            [
                "--instances",
                "2",
                "--vms",
                "14",
                "--seed",
                "7",
                "--hostile",
            ],
            "letter",
        ),
        // Eight states (seed 18), sixty VMs each.
        (
            [
                "--instances",
                "1",
                "--vms",
                "60",
                "--seed",
                "18",
                "--hostile",
            ],
            "letter",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let sample = bascule(dir.path(), &[&["sample"][..], &args[..]].concat());
        assert!(sample.status.success(), "{}", stderr(&sample));
        std::fs::write(dir.path().join("inv.yaml"), &sample.stdout).unwrap();
        let o = bascule(
            dir.path(),
            &[
                "build",
                "--inventory",
                "inv.yaml",
                "--paper",
                paper,
                "--png-scale",
                "1",
            ],
        );
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let out = dir.path().join("out");
        let (smallest, pictures) = smallest_word_picture_text(&out, 1.0);
        eprintln!("{args:?} {paper}: {pictures} Word pictures, smallest text {smallest:.2} pt");
        assert!(
            smallest >= 6.99,
            "{args:?} on {paper}, Word: text of {smallest:.2} pt"
        );
        if pdf {
            let (smallest, pages) = smallest_annexe_text(&out.join("document.pdf"));
            eprintln!("{args:?} {paper}: {pages} annexe pages, smallest text {smallest:.2} pt");
            assert!(pages >= 1, "{args:?}: no annexe page found");
            assert!(
                smallest >= 6.99,
                "{args:?} on {paper}: text of {smallest:.2} pt"
            );
        }
    }
}

/// `SOURCE_DATE_EPOCH` dates the exports to the second (pdfinfo reads the PDF's, the Word
/// file carries it as `dcterms:created`); without it they carry no date.
#[test]
fn source_date_epoch_dates_both_exports() {
    let dir = tempfile::tempdir().unwrap();
    let inv = seed_inventory();
    let o = Command::new(env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(dir.path())
        .args(["build", "--inventory", inv.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1544619845")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    let core = Package::open(&out.join("document.docx")).text("docProps/core.xml");
    assert!(
        core.contains(">2018-12-12T13:04:05Z</dcterms:created>"),
        "{core}"
    );
    if !cfg!(feature = "pdf") {
        return;
    }
    if !has("pdfinfo") {
        return tool_missing("poppler-utils (apt-get install poppler-utils)");
    }
    let info = Command::new("pdfinfo")
        .args(["-isodates", out.join("document.pdf").to_str().unwrap()])
        .output()
        .unwrap();
    let info = stdout(&info);
    assert!(info.contains("2018-12-12T13:04:05"), "{info}");
}
