//! `check` for the exports: the text of `document.pdf` (every run Typst laid out on its
//! pages, as it typeset the file) and of `document.docx` (its `w:t` runs, read back from the
//! package bascule just wrote) names every VM, every creation ticket and every colour word
//! of the plan. A template that drops a fact is caught; no PDF is ever parsed.

use crate::diag::{Code, Diagnostic, Pos};
use crate::files::Outputs;
use crate::plan::Plan;
use std::io::{Cursor, Read};

/// The largest XML part read from a Word file (a zip bomb stops there).
const MAX_PART: u64 = 64 << 20;

/// What the exports must name: (what it is, text).
pub fn facts(plan: &Plan) -> Vec<(crate::diag::Text, String)> {
    let mut out = Vec::new();
    for inst in &plan.instances {
        for vm in &inst.vms {
            out.push((crate::msg!("exports.fact.vm"), vm.machine.clone()));
        }
        let interventions = inst.interventions.iter().filter_map(|i| i.ticket);
        for t in inst.creation_tickets.iter().copied().chain(interventions) {
            out.push((crate::msg!("exports.fact.octopus"), t.to_string()));
        }
    }
    for c in &plan.legend {
        out.push((crate::msg!("exports.fact.colour"), c.word.clone()));
    }
    out
}

/// Every export rule; `pdf_text` is the text of the PDF as it was typeset (`None` when it
/// was not); `out_label` names the output folder in diagnostics. Without the `pdf` feature
/// there is no PDF to check.
pub fn check_exports(
    plan: &Plan,
    outputs: &Outputs,
    pdf_text: Option<&str>,
    out_label: &str,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    #[cfg(feature = "pdf")]
    {
        let text = match (outputs.contains_key(Export::PDF.file), pdf_text) {
            (false, _) => Err(crate::msg!("exports.none")),
            (true, None) => Err(crate::msg!("exports.pdf_unknown")),
            (true, Some(t)) => Ok(t.to_string()),
        };
        check_one(plan, text, out_label, Export::PDF, &mut diags);
    }
    #[cfg(not(feature = "pdf"))]
    let _ = pdf_text;
    let text = match outputs.get(Export::DOCX.file) {
        None => Err(crate::msg!("exports.none")),
        Some(b) => docx_text(b).map_err(|e| crate::msg!("exports.unreadable", reason = e)),
    };
    check_one(plan, text, out_label, Export::DOCX, &mut diags);
    diags
}

/// One export: its file and its codes (unreadable, fact missing).
struct Export {
    file: &'static str,
    unreadable: Code,
    missing: Code,
}

impl Export {
    #[cfg(feature = "pdf")]
    const PDF: Export = Export {
        file: "document.pdf",
        unreadable: Code::E0540,
        missing: Code::E0541,
    };
    const DOCX: Export = Export {
        file: "document.docx",
        unreadable: Code::E0542,
        missing: Code::E0543,
    };
}

fn check_one(
    plan: &Plan,
    text: Result<String, crate::diag::Text>,
    label: &str,
    e: Export,
    diags: &mut Vec<Diagnostic>,
) {
    let file = format!("{label}/{}", e.file);
    let help = crate::msg!("exports.help");
    let text = match text {
        Ok(t) => t,
        Err(msg) => {
            let d = Diagnostic::error(e.unreadable, &file, Pos::default(), msg);
            diags.push(d.with_help(help));
            return;
        }
    };
    for (what, fact) in facts(plan) {
        if !contains_across_breaks(&text, &fact) {
            let text = crate::msg!("exports.missing", what = what, fact = &fact, file = e.file);
            let d = Diagnostic::error(e.missing, &file, Pos::default(), text);
            diags.push(d.with_help(help.clone()));
        }
    }
}

/// The text of a Word file: its `w:t` runs, a line per paragraph.
pub fn docx_text(bytes: &[u8]) -> Result<String, String> {
    let fail = |e: &dyn std::fmt::Display| format!("the Word file cannot be read: {e}");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| fail(&e))?;
    let part = zip.by_name("word/document.xml").map_err(|e| fail(&e))?;
    let mut xml = String::new();
    part.take(MAX_PART)
        .read_to_string(&mut xml)
        .map_err(|e| fail(&e))?;
    let doc = roxmltree::Document::parse(&xml).map_err(|e| fail(&e))?;
    let mut text = String::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        match node.tag_name().name() {
            "t" => text.push_str(node.text().unwrap_or_default()),
            "tab" | "br" => text.push(' '),
            "p" => text.push('\n'),
            _ => {}
        }
    }
    Ok(text)
}

/// Whether `needle` is in `hay`, allowing line breaks inside it as typesetting makes
/// them: spaces and newlines, and a hyphen added at a line end.
pub fn contains_across_breaks(hay: &str, needle: &str) -> bool {
    let hay: Vec<char> = hay.chars().collect();
    let needle: Vec<char> = needle.chars().collect();
    if needle.is_empty() {
        return true;
    }
    (0..hay.len()).any(|start| matches_at(&hay, start, &needle))
}

fn matches_at(hay: &[char], start: usize, needle: &[char]) -> bool {
    let mut h = start;
    for (i, &c) in needle.iter().enumerate() {
        if i > 0 {
            h = skip_break(hay, h, c);
        }
        if hay.get(h) != Some(&c) {
            return false;
        }
        h += 1;
    }
    true
}

/// Past a line break at `h`: white space, or a hyphen that typesetting added before a
/// line end. Nothing is skipped where the needle itself has a space or a hyphen.
fn skip_break(hay: &[char], h: usize, expected: char) -> usize {
    let spaces = |from: usize| {
        hay.get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_whitespace() || **c == '\u{AD}')
            .count()
    };
    if expected.is_whitespace() {
        return h;
    }
    let n = spaces(h);
    if n > 0 {
        return h + n;
    }
    if hay.get(h) == Some(&'-') && expected != '-' {
        let n = spaces(h + 1);
        if hay[h + 1..h + 1 + n].contains(&'\n') {
            return h + 1 + n;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_inside_a_name_are_allowed() {
        assert!(contains_across_breaks("a campus35web b", "campus35web"));
        assert!(contains_across_breaks("cam-\npus35web", "campus35web"));
        assert!(contains_across_breaks("campus-\ndev", "campus-dev"));
        assert!(contains_across_breaks("campus\ndev.x", "campusdev.x"));
        assert!(contains_across_breaks("x", ""));
        assert!(!contains_across_breaks("cam-pus35web", "campus35web"));
        assert!(!contains_across_breaks("campusweb", "campus35web"));
        assert!(!contains_across_breaks("campus", "campusweb"));
        assert!(contains_across_breaks("Octopus 57330.", "57330"));
        assert!(contains_across_breaks("a b", "a b"));
    }

    #[test]
    fn facts_name_every_vm_ticket_and_colour() {
        let f = facts(&crate::fixtures::seed_plan());
        let texts: Vec<&str> = f.iter().map(|(_, t)| t.as_str()).collect();
        for t in [
            "campusweb",
            "projets35",
            "57330",
            "57838",
            "vert",
            "noir",
            "rouge",
            "bleu",
        ] {
            assert!(texts.contains(&t), "{t}");
        }
        assert_eq!(
            f.iter()
                .filter(|(k, _)| k.key() == "exports.fact.vm")
                .count(),
            8
        );
    }

    /// The exports of the reference inventory, checked against a plan with one more VM:
    /// the VM is missing from the extracted texts (E0541 for the PDF, E0543 for Word).
    #[test]
    fn a_fact_missing_from_an_export_is_reported() {
        let plan = crate::fixtures::seed_plan();
        let t = crate::templates::Templates::load(None).unwrap();
        let (src, inv) =
            crate::load::load_bytes("i.yaml", crate::fixtures::SEED.as_bytes()).unwrap();
        let p = crate::pipeline::Prepared {
            source: src,
            inventory: inv,
            plan: plan.clone(),
            diagnostics: vec![],
        };
        let mut out = Outputs::new();
        let mut texts = std::collections::BTreeMap::new();
        struct Keep<'a>(
            &'a mut Outputs,
            &'a mut std::collections::BTreeMap<String, String>,
        );
        impl crate::files::Sink for Keep<'_> {
            fn put(&mut self, rel: &str, b: Vec<u8>) -> Result<(), Box<Diagnostic>> {
                self.0.put(rel, b)
            }
            fn get(&self, rel: &str) -> Option<Vec<u8>> {
                self.0.get(rel).cloned()
            }
            fn note_text(&mut self, rel: &str, text: String) {
                self.1.insert(rel.to_string(), text);
            }
        }
        crate::pipeline::render_into(
            &p,
            &t,
            &Default::default(),
            crate::pipeline::Heavy::Make,
            &mut Keep(&mut out, &mut texts),
        )
        .unwrap();
        let pdf = texts.get("document.pdf").map(String::as_str);
        #[cfg(feature = "pdf")]
        assert!(
            pdf.is_some_and(|t| t.contains("Table des matières")),
            "{pdf:?}"
        );
        assert!(check_exports(&plan, &out, pdf, "out").is_empty());
        let mut more = plan.clone();
        let mut extra = more.instances[0].vms[0].clone();
        extra.machine = "absente42".into();
        more.instances[0].vms.push(extra);
        let d = check_exports(&more, &out, pdf, "out");
        assert!(
            d.iter()
                .any(|d| d.code == "E0543" && d.message.en().contains("absente42")),
            "{d:?}"
        );
        #[cfg(feature = "pdf")]
        assert!(
            d.iter()
                .any(|d| d.code == "E0541" && d.message.en().contains("absente42")),
            "{d:?}"
        );
    }

    #[test]
    fn unreadable_or_missing_exports_are_reported() {
        let plan = crate::fixtures::seed_plan();
        let mut out = Outputs::new();
        out.insert("document.docx".into(), b"not a zip".to_vec());
        let d = check_exports(&plan, &out, None, "out");
        assert!(d.iter().any(|d| d.code == "E0542"), "{d:?}");
        #[cfg(feature = "pdf")]
        assert!(
            d.iter()
                .any(|d| d.code == "E0540" && d.message.en().contains("not generated"))
        );
        assert!(docx_text(b"").is_err());
        // A PDF whose text is not known (taken, not typeset) is not vouched for.
        out.insert("document.pdf".into(), b"%PDF-1.7".to_vec());
        let d = check_exports(&plan, &out, None, "out");
        let untypeset = d
            .iter()
            .any(|d| d.code == "E0540" && d.message.en().contains("not typeset"));
        // Without the `pdf` feature no PDF is checked at all.
        assert_eq!(untypeset, cfg!(feature = "pdf"), "{d:?}");
    }
}
