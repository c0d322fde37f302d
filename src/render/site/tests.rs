//! The site's pages from the seed plan, and from a hostile one.

use super::*;
use crate::files::Outputs;

fn site_of(plan: &Plan) -> Outputs {
    let templates = Templates::load(None).unwrap();
    let md = crate::render::document::markdown(plan, &templates).unwrap();
    let tickets = crate::render::tickets::tickets(plan, &templates).unwrap();
    let mut earlier = Outputs::new();
    for inst in &plan.instances {
        let svg = crate::render::annexe::svg(plan, inst, &templates.labels).unwrap();
        earlier.insert(inst.annexe_svg.clone(), svg.into_bytes());
        earlier.insert(inst.annexe_png.clone(), b"png".to_vec());
    }
    for t in &tickets {
        earlier.insert(t.txt_name(), t.text().into_bytes());
    }
    earlier.insert("document.docx".into(), b"docx".to_vec());
    earlier.insert("document.md".into(), md.clone().into_bytes());
    let get = |p: &str| earlier.get(p).cloned();
    let input = SiteInput {
        plan,
        markdown: &md,
        tickets: &tickets,
        inventory: "inv.yaml",
        get: &get,
    };
    let mut site: Outputs = files(&templates, &input).unwrap().into_iter().collect();
    // What the pipeline copies, as its sink does: the files that exist.
    for (from, to) in copies(plan, &tickets) {
        if let Some(b) = earlier.get(&from) {
            site.insert(to, b.clone());
        }
    }
    site
}

fn page(site: &Outputs, name: &str) -> String {
    String::from_utf8(site[&format!("site/{name}")].clone()).unwrap()
}

#[test]
fn the_seed_site_has_every_page_and_copy() {
    let site = site_of(&crate::fixtures::seed_plan());
    let names: Vec<&str> = site.keys().map(String::as_str).collect();
    for want in [
        "site/index.html",
        "site/annexe-1.html",
        "site/annexe-2.html",
        "site/tickets.html",
        "site/style.css",
        "site/site.js",
        "site/document.md",
        "site/document.docx",
        "site/annexes/annexe-1.svg",
        "site/annexes/annexe-2.png",
        "site/tickets/campus-creation-campus35web.txt",
        "site/tickets/campus-jour-m.txt",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    // Not made here, so not copied.
    assert!(!names.contains(&"site/document.pdf"));
    assert!(!names.contains(&"site/tickets/campus-creation-campus35web.eml"));
}

#[test]
fn the_home_page_has_a_toc_anchors_and_coloured_cells() {
    let site = site_of(&crate::fixtures::seed_plan());
    let h = page(&site, "index.html");
    assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"), "{h}");
    assert!(h.contains("<h2 id=\"machines-virtuelles-campus\">"), "{h}");
    assert!(
        h.contains("<a href=\"#machines-virtuelles-campus\">"),
        "{h}"
    );
    assert!(h.contains("<h2 id=\"annexe-1\">"), "{h}");
    assert!(h.contains("<li><a href=\"#but-du-document\">But du document</a></li>"));
    assert!(
        h.contains(".state-red { border-left-color: #c62828; }"),
        "{h}"
    );
    assert!(h.contains("<td class=\"state state-red\"><span class=\"swatch swatch-red\" aria-hidden=\"true\">■</span> × suppression (rouge)</td>"));
    assert!(
        h.contains("<a href=\"annexe-2.html\">Voir l’annexe 2"),
        "{h}"
    );
    assert!(h.contains("État de référence&nbsp;: 2018-12-12"), "{h}");
    assert_eq!(h.matches("<h1").count(), 1, "{h}");
    assert_eq!(
        h.contains("href=\"document.pdf\""),
        cfg!(feature = "pdf"),
        "the PDF link follows the feature"
    );
}

#[test]
fn annexe_pages_inline_the_svg_and_table_every_box() {
    let plan = crate::fixtures::seed_plan();
    let site = site_of(&plan);
    let h = page(&site, "annexe-1.html");
    assert!(
        h.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{h}"
    );
    assert!(!h.contains("<?xml"));
    assert!(h.contains("<h1>Annexe 1. Migration Campus 3.1 vers Moodle version 3.5</h1>"));
    assert!(h.contains("aria-current=\"page\">Annexe 1</a>"), "{h}");
    for vm in &plan.instances[0].vms {
        assert!(
            h.contains(&format!("<th scope=\"row\">{}</th>", vm.machine)),
            "{}",
            vm.machine
        );
    }
    assert_eq!(
        h.matches("<td class=\"state state-").count(),
        plan.instances[0]
            .vms
            .iter()
            .flat_map(|v| &v.cells)
            .filter(|c| c.present)
            .count()
    );
    assert!(
        h.contains("<span class=\"badge badge-red\">▲ rouge</span>"),
        "{h}"
    );
}

#[test]
fn the_tickets_page_lists_every_ticket_with_its_files() {
    let plan = crate::fixtures::seed_plan();
    let templates = Templates::load(None).unwrap();
    let tickets = crate::render::tickets::tickets(&plan, &templates).unwrap();
    let h = page(&site_of(&plan), "tickets.html");
    for t in &tickets {
        assert!(h.contains(&format!("id=\"ticket-{}\"", t.id)), "{}", t.id);
        assert!(
            h.contains(&format!("href=\"tickets/{}.eml\"", t.id)),
            "{}",
            t.id
        );
    }
    assert!(h.contains("Création — Octopus 57330"), "{h}");
    assert!(h.contains("<script src=\"site.js\"></script>"));
    assert!(h.contains("hidden>Copier l’objet</button>"), "{h}");
}

#[test]
fn inventory_text_stays_text_on_every_page() {
    let text = crate::fixtures::SEED
        .replacen(
            "role: Serveur fichiers de production (Campus)",
            "role: \"<script>alert(1)</script> & <b>x</b> [l](javascript:alert(2))\"",
            1,
        )
        .replacen("    name: Campus\n", "    name: \"Cam<i>pus\"\n", 1);
    let plan = crate::fixtures::plan_of(&text);
    let site = site_of(&plan);
    for name in ["index.html", "annexe-1.html", "tickets.html"] {
        let h = page(&site, name);
        assert!(!h.contains("<script>alert"), "{name}");
        assert!(!h.contains("<b>x</b>") && !h.contains("<i>pus"), "{name}");
        assert!(!h.contains("href=\"javascript"), "{name}");
        assert!(h.contains("Cam&lt;i&gt;pus"), "{name}");
        if name != "tickets.html" {
            assert!(
                h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{name}"
            );
        }
    }
}

#[test]
fn inline_svg_drops_the_xml_declaration() {
    assert_eq!(
        inline_svg("\u{feff}<?xml version=\"1.0\"?>\n<svg/>\n"),
        "<svg/>"
    );
    assert_eq!(inline_svg("<svg/>"), "<svg/>");
}

/// WCAG's contrast ratio of two `#rrggbb` colours.
fn contrast(a: &str, b: &str) -> f64 {
    let lum = |hex: &str| {
        let c: Vec<f64> = (1..7)
            .step_by(2)
            .map(|i| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0)
            .map(|x| {
                if x <= 0.039_28 {
                    x / 12.92
                } else {
                    ((x + 0.055) / 1.055).powf(2.4)
                }
            })
            .collect();
        0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn state_bars_stand_out_in_dark_mode_too() {
    let plan = crate::fixtures::seed_plan();
    let html = page(&site_of(&plan), "index.html");
    let dark = &html[html
        .find("@media (prefers-color-scheme: dark)")
        .expect("a dark block")..];
    let css = include_str!("../../../templates/style.css");
    let palette = &css[css.find("prefers-color-scheme: dark").unwrap()..];
    let backgrounds: Vec<&str> = ["--paper: ", "--stripe: ", "--band: "]
        .iter()
        .map(|v| &palette[palette.find(v).unwrap() + v.len()..][..7])
        .collect();
    assert_eq!(plan.legend.len(), 4);
    for c in &plan.legend {
        let rule = format!(
            ".state-{} {{ border-left-color: {}; }}",
            c.key, c.hex_on_dark
        );
        assert!(dark.contains(&rule), "{rule} in {dark}");
        for bg in &backgrounds {
            let r = contrast(c.hex_on_dark, bg);
            assert!(r >= 4.5, "{} on {bg}: {r:.2}", c.key);
        }
        assert!(contrast(c.hex, "#ffffff") >= 4.5, "{} on white", c.key);
    }
    // The black of the light page is what the dark one needed another shade for.
    assert!(contrast(crate::plan::Colour::Black.hex(), backgrounds[0]) < 1.5);
}
