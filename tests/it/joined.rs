//! What a tagged PDF joined from parts must hold, read back with lopdf: one Document element
//! whose tree is consistent (each element's `/P` is its parent), a parent tree that maps
//! every page's marked content and every annotation back to the element that holds it,
//! unique element IDs, named destinations that exist and lead to pages of the file, links
//! and outline items that lead to them, and no link left to `bascule-dest:`.

use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map_or(o, |(_, o)| o)
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    deref(doc, o).as_dict().ok()
}

fn numbers(doc: &Document, node: &Object, out: &mut Vec<(i64, Object)>) {
    let Some(d) = dict(doc, node) else { return };
    if let Ok(nums) = d.get(b"Nums").and_then(Object::as_array) {
        for pair in nums.chunks(2) {
            out.push((pair[0].as_i64().unwrap(), pair[1].clone()));
        }
    }
    for kid in d
        .get(b"Kids")
        .and_then(Object::as_array)
        .into_iter()
        .flatten()
    {
        numbers(doc, kid, out);
    }
}

fn names(doc: &Document, node: &Object, out: &mut Vec<(Vec<u8>, Object)>) {
    let Some(d) = dict(doc, node) else { return };
    if let Ok(list) = d.get(b"Names").and_then(Object::as_array) {
        for pair in list.chunks(2) {
            out.push((pair[0].as_str().unwrap().to_vec(), pair[1].clone()));
        }
    }
    for kid in d
        .get(b"Kids")
        .and_then(Object::as_array)
        .into_iter()
        .flatten()
    {
        names(doc, kid, out);
    }
}

/// Marked content (page, MCID) and annotations, each with the element that holds it.
#[derive(Default)]
struct Held {
    content: BTreeMap<(ObjectId, i64), ObjectId>,
    annotations: BTreeMap<ObjectId, ObjectId>,
}

/// Walks the structure tree from `elem` (whose parent is `parent`), noting what each
/// element holds and every element whose `/P` is not its parent.
fn walk(
    doc: &Document,
    elem: ObjectId,
    parent: ObjectId,
    page: Option<ObjectId>,
    held: &mut Held,
    problems: &mut Vec<String>,
) {
    let Ok(d) = doc.get_dictionary(elem) else {
        return problems.push(format!("{elem:?} is not an element"));
    };
    if d.get(b"P").and_then(Object::as_reference).ok() != Some(parent) {
        problems.push(format!("{elem:?}'s /P is not its parent {parent:?}"));
    }
    let page = d.get(b"Pg").and_then(Object::as_reference).ok().or(page);
    let kids = match d.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(o) => vec![o.clone()],
        Err(_) => Vec::new(),
    };
    for kid in &kids {
        match kid {
            Object::Integer(mcid) => {
                held.content.insert((page.unwrap(), *mcid), elem);
            }
            Object::Reference(id) => walk(doc, *id, elem, page, held, problems),
            Object::Dictionary(k) if k.get(b"MCID").is_ok() => {
                let pg = k.get(b"Pg").and_then(Object::as_reference).ok().or(page);
                held.content.insert(
                    (pg.unwrap(), k.get(b"MCID").unwrap().as_i64().unwrap()),
                    elem,
                );
            }
            Object::Dictionary(k) if k.get(b"Obj").is_ok() => {
                held.annotations
                    .insert(k.get(b"Obj").unwrap().as_reference().unwrap(), elem);
            }
            _ => {}
        }
    }
}

/// Everything wrong with the tagged structure, the destinations and the outline of the
/// PDF at `path` (empty when all holds).
pub(crate) fn problems(path: &Path) -> Vec<String> {
    let doc = Document::load(path).unwrap();
    let mut problems = Vec::new();
    let catalog = doc.catalog().unwrap();
    let pages = doc.get_pages();
    let page_ids: BTreeSet<ObjectId> = pages.values().copied().collect();
    let root_id = catalog
        .get(b"StructTreeRoot")
        .unwrap()
        .as_reference()
        .unwrap();
    let root = doc.get_dictionary(root_id).unwrap();
    let top = match root.get(b"K").unwrap() {
        Object::Array(a) => a.clone(),
        o => vec![o.clone()],
    };
    assert_eq!(top.len(), 1, "one Document element");
    let document = top[0].as_reference().unwrap();
    let s = doc
        .get_dictionary(document)
        .unwrap()
        .get(b"S")
        .unwrap()
        .as_name()
        .unwrap();
    assert_eq!(s, b"Document");
    let mut held = Held::default();
    walk(&doc, document, root_id, None, &mut held, &mut problems);
    parent_tree(&doc, root, &pages, &held, &mut problems);
    ids(&doc, root, &mut problems);
    let dests = destinations(&doc, catalog, &page_ids, &mut problems);
    links(&doc, &dests, &mut problems);
    outline(&doc, catalog, &dests, &mut problems);
    problems
}

/// Every page's `/StructParents` and every annotation's `/StructParent` lead back to the
/// elements that hold them, and no key is used twice.
fn parent_tree(
    doc: &Document,
    root: &Dictionary,
    pages: &BTreeMap<u32, ObjectId>,
    held: &Held,
    problems: &mut Vec<String>,
) {
    let mut pairs = Vec::new();
    numbers(doc, root.get(b"ParentTree").unwrap(), &mut pairs);
    let tree: BTreeMap<i64, Object> = pairs.iter().cloned().collect();
    if tree.len() != pairs.len() {
        problems.push("a parent tree key is used twice".into());
    }
    let next = root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap();
    if tree.keys().any(|&k| k >= next) {
        problems.push("a parent tree key is past ParentTreeNextKey".into());
    }
    for (n, &page) in pages {
        let d = doc.get_dictionary(page).unwrap();
        let key = d.get(b"StructParents").and_then(Object::as_i64);
        let array = key
            .ok()
            .and_then(|k| tree.get(&k))
            .map(|o| deref(doc, o).as_array().unwrap().clone())
            .unwrap_or_default();
        for (&(pg, mcid), &elem) in held.content.range((page, i64::MIN)..=(page, i64::MAX)) {
            let _ = pg;
            let found = array.get(mcid as usize).and_then(|o| o.as_reference().ok());
            if found != Some(elem) {
                problems.push(format!(
                    "page {n}: MCID {mcid} does not lead back to its element"
                ));
            }
        }
        for annot in d
            .get(b"Annots")
            .and_then(Object::as_array)
            .into_iter()
            .flatten()
        {
            let id = annot.as_reference().unwrap();
            let a = doc.get_dictionary(id).unwrap();
            let Ok(key) = a.get(b"StructParent").and_then(Object::as_i64) else {
                continue;
            };
            let found = tree.get(&key).and_then(|o| o.as_reference().ok());
            if found.is_none() || found != held.annotations.get(&id).copied() {
                problems.push(format!(
                    "page {n}: an annotation does not lead back to its element"
                ));
            }
        }
    }
}

/// The ID tree's names are unique and name elements with that `/ID`.
fn ids(doc: &Document, root: &Dictionary, problems: &mut Vec<String>) {
    let Ok(tree) = root.get(b"IDTree") else {
        return;
    };
    let mut pairs = Vec::new();
    names(doc, tree, &mut pairs);
    let unique: BTreeSet<&Vec<u8>> = pairs.iter().map(|(k, _)| k).collect();
    if unique.len() != pairs.len() {
        problems.push("an element ID is used twice".into());
    }
    // Every table cell's /Headers names an ID of the tree.
    for object in doc.objects.values() {
        let Ok(d) = object.as_dict() else { continue };
        let attributes = match d.get(b"A") {
            Ok(Object::Array(list)) => list.iter().filter_map(|a| dict(doc, a)).collect(),
            Ok(a) => dict(doc, a).into_iter().collect(),
            Err(_) => Vec::new(),
        };
        for a in attributes {
            for h in a
                .get(b"Headers")
                .and_then(Object::as_array)
                .into_iter()
                .flatten()
            {
                let h = h.as_str().unwrap();
                if !unique.contains(&h.to_vec()) {
                    problems.push(format!(
                        "a cell's header {} is no ID",
                        String::from_utf8_lossy(h)
                    ));
                }
            }
        }
    }
    for (name, elem) in &pairs {
        let id = dict(doc, elem)
            .and_then(|d| d.get(b"ID").ok())
            .and_then(|o| o.as_str().ok());
        if id != Some(name.as_slice()) {
            problems.push(format!(
                "ID {} names an element without it",
                String::from_utf8_lossy(name)
            ));
        }
    }
}

/// The named destinations, each leading to a page of the file.
fn destinations(
    doc: &Document,
    catalog: &Dictionary,
    pages: &BTreeSet<ObjectId>,
    problems: &mut Vec<String>,
) -> BTreeSet<Vec<u8>> {
    let mut pairs = Vec::new();
    if let Some(tree) = catalog
        .get(b"Names")
        .ok()
        .and_then(|n| dict(doc, n))
        .and_then(|n| n.get(b"Dests").ok())
    {
        names(doc, tree, &mut pairs);
    }
    for (name, dest) in &pairs {
        let page = deref(doc, dest)
            .as_array()
            .ok()
            .and_then(|a| a.first())
            .and_then(|p| p.as_reference().ok());
        if !page.is_some_and(|p| pages.contains(&p)) {
            problems.push(format!(
                "destination {} leads to no page",
                String::from_utf8_lossy(name)
            ));
        }
    }
    pairs.into_iter().map(|(k, _)| k).collect()
}

/// Every link annotation leads to a destination that exists or to a URL, never to
/// `bascule-dest:`.
fn links(doc: &Document, dests: &BTreeSet<Vec<u8>>, problems: &mut Vec<String>) {
    for object in doc.objects.values() {
        let Ok(d) = object.as_dict() else { continue };
        if d.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Link") {
            continue;
        }
        if let Ok(name) = d.get(b"Dest").and_then(Object::as_str)
            && !dests.contains(name)
        {
            let name = String::from_utf8_lossy(name);
            problems.push(format!("a link leads to no destination: {name}"));
        }
        let uri = d
            .get(b"A")
            .ok()
            .and_then(|a| dict(doc, a))
            .and_then(|a| a.get(b"URI").ok())
            .and_then(|u| u.as_str().ok());
        if uri.is_some_and(|u| u.starts_with(b"bascule-dest:")) {
            problems.push("a link to another part was left as a URL".into());
        }
    }
}

/// The outline's top-level items chain from `/First` to `/Last` under its root, each
/// leading to a destination that exists.
fn outline(
    doc: &Document,
    catalog: &Dictionary,
    dests: &BTreeSet<Vec<u8>>,
    problems: &mut Vec<String>,
) {
    let Ok(root_ref) = catalog.get(b"Outlines") else {
        return;
    };
    let root_id = root_ref.as_reference().unwrap();
    let root = doc.get_dictionary(root_id).unwrap();
    let mut item = root.get(b"First").unwrap().as_reference().unwrap();
    let last = root.get(b"Last").unwrap().as_reference().unwrap();
    let mut seen = 0;
    loop {
        seen += 1;
        let d = doc.get_dictionary(item).unwrap();
        if d.get(b"Parent").and_then(Object::as_reference).ok() != Some(root_id) {
            problems.push("an outline item is not under the outline's root".into());
        }
        let dest = d.get(b"Dest").ok().map(|o| deref(doc, o));
        let named = dest.and_then(|o| o.as_str().ok());
        if named.is_some_and(|n| !dests.contains(n)) || dest.is_none() {
            problems.push("an outline item leads nowhere".into());
        }
        match d.get(b"Next").and_then(Object::as_reference) {
            Ok(next) if seen < 100_000 => item = next,
            _ => break,
        }
    }
    if item != last {
        problems.push("the outline's chain does not end at /Last".into());
    }
    if root.get(b"Count").and_then(Object::as_i64).unwrap_or(0) < seen {
        problems.push(format!("the outline counts fewer than its {seen} items"));
    }
}

/// Each page's text as pdftotext reads it, its spaces (no-break ones included) made one.
fn pages_text(pdf: &Path) -> Vec<String> {
    let o = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftotext failed");
    let text = String::from_utf8(o.stdout).unwrap().replace('\u{2060}', "");
    let mut pages: Vec<String> = text
        .split('\u{c}')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    pages
}

/// Every page after the title page says « Page N de TOTAL » with its own number, and every
/// entry of the table of contents gives the page its heading is on.
pub(crate) fn assert_numbered_and_listed(pdf: &Path) {
    let pages = pages_text(pdf);
    let total = pages.len();
    for (i, page) in pages.iter().enumerate().skip(1) {
        let footer = format!("Page {} de {total}", i + 1);
        assert!(
            page.contains(&footer),
            "page {} lacks « {footer} »: {page:.200}",
            i + 1
        );
    }
    let contents = pages[1]
        .strip_prefix("Table des matières")
        .expect("the contents");
    // Entries read « title . . . . page »: the words up to the dots, the number after.
    let (mut entries, mut words, mut dots) = (Vec::new(), Vec::new(), false);
    for token in contents.split_whitespace() {
        if token == "." {
            dots = true;
        } else if dots {
            if let Ok(page) = token.parse::<usize>() {
                entries.push((words.join(" "), page));
            }
            (words, dots) = (Vec::new(), false);
        } else {
            words.push(token);
        }
    }
    assert!(
        entries.len() > 3,
        "no entries read in the contents: {contents:.300}"
    );
    for (title, page) in entries {
        let shown = &pages[page - 1];
        assert!(
            shown.contains(&title),
            "« {title} » is not on page {page}: {shown:.200}"
        );
    }
}
