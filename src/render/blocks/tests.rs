//! The document's blocks: parsing, ids, raw HTML, nesting.

use super::*;

fn text(s: &str) -> Inline {
    Inline::Text(s.into())
}

#[test]
fn headings_take_their_attribute_or_a_unique_slug() {
    let blocks = parse(
        "# Titre {#haut}\n\n## Schémas de VM\n\n## Schémas de VM\n\n## Schémas de VM-1\n\n### Œuvre ç\n\n## ???\n\n## <a id=\"machines-virtuelles-campus\"></a>Machines virtuelles Campus\n",
    );
    let ids: Vec<(u8, &str, &str)> = blocks
        .iter()
        .map(|b| match b {
            Block::Heading { level, text, id } => (*level, text.as_str(), id.as_str()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        ids,
        [
            (1, "Titre", "haut"),
            (2, "Schémas de VM", "schemas-de-vm"),
            (2, "Schémas de VM", "schemas-de-vm-1"),
            (2, "Schémas de VM-1", "schemas-de-vm-1-1"),
            (3, "Œuvre ç", "oeuvre-c"),
            (2, "???", "section"),
            (
                2,
                "Machines virtuelles Campus",
                "machines-virtuelles-campus"
            ),
        ]
    );
}

#[test]
fn every_heading_level() {
    let levels: Vec<u8> = parse("# a\n## b\n### c\n#### d\n##### e\n###### f\n")
        .iter()
        .map(|b| match b {
            Block::Heading { level, .. } => *level,
            _ => 0,
        })
        .collect();
    assert_eq!(levels, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn paragraphs_with_every_inline() {
    let blocks = parse("a **gras** *it* `code` [lien](https://x.y/a%20b) \\*b\\*  \nfin\nsuite");
    assert_eq!(
        blocks,
        [Block::Paragraph(vec![
            text("a "),
            Inline::Strong(vec![text("gras")]),
            text(" "),
            Inline::Emph(vec![text("it")]),
            text(" "),
            Inline::Code("code".into()),
            text(" "),
            Inline::Link {
                href: "https://x.y/a%20b".into(),
                children: vec![text("lien")]
            },
            text(" *b*\nfin suite"),
        ])]
    );
}

#[test]
fn tight_and_loose_lists_nest() {
    let blocks = parse("- un\n  - deux ;\n- trois\n\n1. a\n2. b\n");
    let [
        Block::List {
            ordered: false,
            items,
        },
        Block::List {
            ordered: true,
            items: o,
        },
    ] = blocks.as_slice()
    else {
        panic!("{blocks:?}")
    };
    assert_eq!(items.len(), 2);
    assert_eq!(items[0][0], Block::Paragraph(vec![text("un")]));
    assert_eq!(
        items[0][1],
        Block::List {
            ordered: false,
            items: vec![vec![Block::Paragraph(vec![text("deux ;")])]]
        }
    );
    assert_eq!(items[1], [Block::Paragraph(vec![text("trois")])]);
    assert_eq!(o.len(), 2);
    let loose = parse("- a\n\n- b\n");
    assert_eq!(
        loose,
        [Block::List {
            ordered: false,
            items: vec![
                vec![Block::Paragraph(vec![text("a")])],
                vec![Block::Paragraph(vec![text("b")])]
            ]
        }]
    );
}

#[test]
fn tables_keep_header_rows_and_inline_cells() {
    let blocks = parse("| A | **B** |\n|---|---|\n| 1 | a\\|b |\n|  | x |\n");
    assert_eq!(
        blocks,
        [Block::Table {
            header: vec![vec![text("A")], vec![Inline::Strong(vec![text("B")])]],
            rows: vec![
                vec![vec![text("1")], vec![text("a|b")]],
                vec![vec![], vec![text("x")]],
            ],
        }]
    );
}

#[test]
fn a_lone_image_is_a_block_and_an_inline_one_its_alt_text() {
    assert_eq!(
        parse("![Annexe 1](annexes/annexe-1.svg)\n"),
        [Block::Image {
            src: "annexes/annexe-1.svg".into(),
            alt: "Annexe 1".into()
        }]
    );
    assert_eq!(
        parse("voir ![le schéma](a.svg) ici\n"),
        [Block::Paragraph(vec![text("voir le schéma ici")])]
    );
    assert_eq!(
        parse("[![x](a.png)](b)\n"),
        [Block::Paragraph(vec![Inline::Link {
            href: "b".into(),
            children: vec![text("x")]
        }])]
    );
}

#[test]
fn swatches_are_kept_and_other_html_dropped() {
    let blocks = parse(
        "- <span class=\"swatch swatch-vert\">■</span> (vert) ;\n- <span class=\"x\">a</span> <b>b</b>\n\n<div>\nbloc\n</div>\n\nfin <span class=\"swatch swatch-Vert\">■</span> <span class=\"swatch swatch-\">■</span>\n",
    );
    assert_eq!(
        blocks,
        [
            Block::List {
                ordered: false,
                items: vec![
                    vec![Block::Paragraph(vec![
                        Inline::Swatch { key: "vert".into() },
                        text(" (vert) ;")
                    ])],
                    vec![Block::Paragraph(vec![text("a b")])],
                ]
            },
            Block::Paragraph(vec![text("fin ■ ■")]),
        ]
    );
}

#[test]
fn escaped_inventory_text_stays_text() {
    assert_eq!(
        parse("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\[x\\](y)\n"),
        [Block::Paragraph(vec![text(
            "<script>alert(1)</script> & [x](y)"
        )])]
    );
}

#[test]
fn quotes_code_blocks_and_rules_are_unwrapped() {
    assert_eq!(
        parse("> cité\n\n---\n\n```\nfn x\n```\n"),
        [
            Block::Paragraph(vec![text("cité")]),
            Block::Paragraph(vec![Inline::Code("fn x\n".into())]),
        ]
    );
}

#[test]
fn deep_nesting_is_flattened_without_overflow() {
    let deep = format!("{}x\n", "> ".repeat(5000));
    let blocks = parse(&deep);
    assert_eq!(plain(&blocks), "x");
    let stars = format!("{}x{}", "*a ".repeat(3000), " b*".repeat(3000));
    assert!(plain(&parse(&stars)).contains('x'));
    let lists = format!("{}x\n", "- ".repeat(3000));
    assert!(plain(&parse(&lists)).contains('x'));
}

fn plain(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(i) => plain_text(i),
            Block::List { items, .. } => items.iter().map(|i| plain(i)).collect(),
            Block::Heading { text, .. } => text.clone(),
            Block::Table { .. } | Block::Image { .. } => String::new(),
        })
        .collect()
}

#[test]
fn plain_text_flattens_formatting() {
    let i = [
        Inline::Strong(vec![text("a"), Inline::Emph(vec![text("b")])]),
        Inline::Code("c".into()),
        Inline::Link {
            href: "h".into(),
            children: vec![text("d")],
        },
        Inline::Swatch { key: "k".into() },
    ];
    assert_eq!(plain_text(&i), "abcd■");
}

#[test]
fn serializes_with_kind_and_value() {
    let b = Block::Paragraph(vec![Inline::Swatch {
        key: "rouge".into(),
    }]);
    assert_eq!(
        serde_json::to_string(&b).unwrap(),
        r#"{"kind":"paragraph","value":[{"kind":"swatch","value":{"key":"rouge"}}]}"#
    );
}

#[test]
fn the_seed_document_parses_into_its_sections() {
    let plan = crate::fixtures::seed_plan();
    let t = crate::templates::Templates::load(None).unwrap();
    let md = crate::render::document::markdown(&plan, &t).unwrap();
    let blocks = parse(&md);
    let headings = blocks
        .iter()
        .filter(|b| matches!(b, Block::Heading { level: 2, .. }))
        .count();
    assert_eq!(headings, 8);
    let swatches = md.matches("class=\"swatch").count();
    // The legend, and one per box of the operations tables.
    assert_eq!(swatches, 4 + 3 * 8);
    assert!(blocks.iter().any(|b| matches!(b, Block::Image { .. })));
    assert_eq!(
        blocks
            .iter()
            .filter(|b| matches!(b, Block::Table { .. }))
            .count(),
        5
    );
}
