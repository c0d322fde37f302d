//! The parts' tagged PDFs joined into one (lopdf): one page tree, one structure tree under
//! the first part's Document element (each later part's elements moved under it, its
//! parent tree's keys and the pages' and annotations' `/StructParents` and
//! `/StructParent` shifted past the ones before, its element IDs renamed so that none
//! collides), the role maps and named destinations merged, the outlines chained, the
//! first part's catalog, information and XMP (its page count set to the whole's). A link
//! a part makes to `bascule-dest:ID` (a heading in another part) becomes a link to the
//! named destination ID, and reads as that heading's title.

use super::emit;
use super::tree::{Tree, document_element, id_at, load, outline_items, read};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use std::collections::BTreeMap;

/// The scheme of a link to a heading of another part.
pub(super) const DEST_SCHEME: &str = "bascule-dest:";

/// The PDFs `parts`, in order, as one file; `titles` gives each heading's title by its id
/// (the text of a link to it from another part). Each part is read, renumbered past the
/// ones before and written out before the next is read: only the first part's catalog,
/// page tree root, structure tree root, Document element, outline and metadata (the
/// skeleton, written last) and every part's top-level outline items are held.
pub fn join(parts: Vec<Vec<u8>>, titles: &BTreeMap<String, String>) -> Result<Vec<u8>, String> {
    let size = parts.iter().map(Vec::len).sum();
    let mut out = pdf_writer::Pdf::with_capacity(size);
    let mut parts = parts.into_iter();
    let first = load(&parts.next().ok_or("no part to join")?)?;
    let mut whole = read(&first)?;
    let next = first.max_id + 1;
    let trailer = first.trailer.clone();
    let (mut skeleton, rest) = split(first, &whole, true)?;
    skeleton.trailer = trailer;
    let catalog = skeleton.catalog().map_err(|e| e.to_string())?;
    let pages = id_at(catalog, b"Pages")?;
    let root = skeleton
        .get_dictionary(id_at(catalog, b"StructTreeRoot")?)
        .map_err(|e| e.to_string())?;
    let document = document_element(&skeleton, root)?;
    let mut next = next;
    emit::objects(&mut out, relink(rest, titles));
    for (k, bytes) in parts.enumerate() {
        let mut doc = load(&bytes)?;
        drop(bytes);
        doc.renumber_objects_with(next);
        next = doc.max_id + 1;
        let mut part = read(&doc)?;
        shift_struct_parents(&mut doc.objects, whole.next_key);
        rename_ids(&mut doc.objects, &mut part, k + 1);
        let (held, mut rest) = split(doc, &part, false)?;
        skeleton.objects.extend(held.objects);
        adopt(&mut rest, &part, pages, document);
        emit::objects(&mut out, relink(rest, titles));
        absorb(&mut whole, part);
    }
    skeleton.max_id = next - 1;
    write(&mut skeleton, &whole)?;
    set_xmp_pages(&mut skeleton, whole.pages.len())?;
    emit::skeleton(out, skeleton)
}

/// A part's objects divided into what the join rewrites (its skeleton: catalog, page tree
/// root, structure tree root and Document element, outline root and top-level items,
/// information and metadata) and the rest, written as they are. The first part's
/// skeleton is kept; a later part's is dropped but for its top-level outline items.
fn split(
    mut doc: Document,
    tree: &Tree,
    first: bool,
) -> Result<(Document, BTreeMap<ObjectId, Object>), String> {
    let catalog = doc.catalog().map_err(|e| e.to_string())?.clone();
    let struct_root = id_at(&catalog, b"StructTreeRoot")?;
    let root = doc.get_dictionary(struct_root).map_err(|e| e.to_string())?;
    let mut skeleton = vec![
        doc.trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .map_err(|e| e.to_string())?,
        id_at(&catalog, b"Pages")?,
        struct_root,
        document_element(&doc, root)?,
    ];
    let indirect = |d: &Dictionary, key: &[u8]| d.get(key).and_then(Object::as_reference).ok();
    skeleton.extend(indirect(root, b"ParentTree"));
    skeleton.extend(indirect(root, b"IDTree"));
    skeleton.extend(indirect(root, b"RoleMap"));
    for key in [b"Metadata".as_slice(), b"Outlines", b"Names"] {
        skeleton.extend(indirect(&catalog, key));
    }
    skeleton.extend(doc.trailer.get(b"Info").and_then(Object::as_reference).ok());
    let items = outline_items(&doc, tree.outlines.first().copied());
    let mut held = Document::new();
    for id in skeleton.iter().chain(&items) {
        if let Some(obj) = doc.objects.remove(id)
            && (first || items.contains(id))
        {
            held.objects.insert(*id, obj);
        }
    }
    Ok((held, doc.objects))
}

/// A later part's pages put under the first part's page tree root, and the children of
/// its Document element under the first part's.
fn adopt(
    objects: &mut BTreeMap<ObjectId, Object>,
    part: &Tree,
    pages: ObjectId,
    document: ObjectId,
) {
    let mut set = |id: ObjectId, key: &str, to: ObjectId| {
        if let Some(Object::Dictionary(d)) = objects.get_mut(&id) {
            d.set(key, to);
        }
    };
    for &page in &part.pages {
        set(page, "Parent", pages);
    }
    for kid in &part.kids {
        if let Ok(id) = kid.as_reference() {
            set(id, "P", document);
        }
    }
}

/// Every dictionary of `doc`, streams' included.
fn dicts_mut(objects: &mut BTreeMap<ObjectId, Object>) -> impl Iterator<Item = &mut Dictionary> {
    objects.values_mut().filter_map(|o| match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&mut s.dict),
        _ => None,
    })
}

/// Adds `offset` to every `/StructParents` and `/StructParent` of a later part.
fn shift_struct_parents(objects: &mut BTreeMap<ObjectId, Object>, offset: i64) {
    for d in dicts_mut(objects) {
        for key in [b"StructParents".as_slice(), b"StructParent"] {
            if let Ok(Object::Integer(n)) = d.get_mut(key) {
                *n += offset;
            }
        }
    }
}

/// Renames the structure element IDs of part `k` (`ID` becomes `ID-pK`), in its ID tree,
/// on its elements and in the `/Headers` of its table cells.
fn rename_ids(objects: &mut BTreeMap<ObjectId, Object>, part: &mut Tree, k: usize) {
    if part.ids.is_empty() {
        return;
    }
    let renamed = |id: &[u8]| [id, format!("-p{k}").as_bytes()].concat();
    for (name, _) in &mut part.ids {
        *name = renamed(name);
    }
    let strings = |o: &mut Object| {
        if let Object::String(s, _) = o {
            *s = renamed(s);
        }
    };
    for d in dicts_mut(objects) {
        if let Ok(id) = d.get_mut(b"ID") {
            strings(id);
        }
        let attributes: Vec<&mut Dictionary> = match d.get_mut(b"A") {
            Ok(Object::Dictionary(a)) => vec![a],
            Ok(Object::Array(list)) => list
                .iter_mut()
                .filter_map(|a| a.as_dict_mut().ok())
                .collect(),
            _ => Vec::new(),
        };
        for a in attributes {
            if let Ok(Object::Array(headers)) = a.get_mut(b"Headers") {
                headers.iter_mut().for_each(strings);
            }
        }
    }
}

/// `part` added after what `whole` holds; its parent tree's keys shifted past `whole`'s.
fn absorb(whole: &mut Tree, part: Tree) {
    let offset = whole.next_key;
    whole.pages.extend(part.pages);
    whole.kids.extend(part.kids);
    whole
        .parents
        .extend(part.parents.into_iter().map(|(k, v)| (k + offset, v)));
    whole.next_key = offset + part.next_key;
    whole.ids.extend(part.ids);
    for (k, v) in part.role_map.into_iter() {
        if !whole.role_map.has(&k) {
            whole.role_map.set(k, v);
        }
    }
    for (name, dest) in part.dests {
        if !whole.dests.iter().any(|(n, _)| *n == name) {
            whole.dests.push((name, dest));
        }
    }
    whole.outlines.extend(part.outlines);
}

fn get_mut(doc: &mut Document, id: ObjectId) -> Result<&mut Dictionary, String> {
    doc.get_dictionary_mut(id).map_err(|e| e.to_string())
}

/// The joined tree written into `base`, the first part's document.
fn write(base: &mut Document, whole: &Tree) -> Result<(), String> {
    let catalog = base.catalog().map_err(|e| e.to_string())?.clone();
    let pages = id_at(&catalog, b"Pages")?;
    let kids: Vec<Object> = whole.pages.iter().map(|&p| p.into()).collect();
    let root = get_mut(base, pages)?;
    root.set("Count", kids.len() as i64);
    root.set("Kids", kids);
    write_structure(base, id_at(&catalog, b"StructTreeRoot")?, whole)?;
    write_dests(base, &catalog, whole)?;
    write_outlines(base, &catalog, &whole.outlines)
}

/// The structure tree: every part's elements under the first Document element, one
/// parent tree, one ID tree, one role map.
fn write_structure(base: &mut Document, root: ObjectId, whole: &Tree) -> Result<(), String> {
    let document = document_element(base, base.get_dictionary(root).map_err(|e| e.to_string())?)?;
    get_mut(base, document)?.set("K", whole.kids.clone());
    let nums: Vec<Object> = whole
        .parents
        .iter()
        .flat_map(|(k, v)| [Object::Integer(*k), v.clone()])
        .collect();
    let r = get_mut(base, root)?;
    r.set(
        "ParentTree",
        Dictionary::from_iter([("Nums", Object::Array(nums))]),
    );
    r.set("ParentTreeNextKey", whole.next_key);
    if !whole.ids.is_empty() {
        r.set("IDTree", name_tree_of(&whole.ids));
    }
    if !whole.role_map.is_empty() {
        r.set("RoleMap", whole.role_map.clone());
    }
    Ok(())
}

/// A flat name tree of `pairs`, sorted by name as a name tree must be.
fn name_tree_of(pairs: &[(Vec<u8>, Object)]) -> Dictionary {
    let mut sorted: Vec<&(Vec<u8>, Object)> = pairs.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<Object> = sorted
        .into_iter()
        .flat_map(|(k, v)| [Object::String(k.clone(), StringFormat::Literal), v.clone()])
        .collect();
    Dictionary::from_iter([("Names", Object::Array(names))])
}

/// Every part's named destinations in the catalog's `/Names`.
fn write_dests(base: &mut Document, catalog: &Dictionary, whole: &Tree) -> Result<(), String> {
    if whole.dests.is_empty() {
        return Ok(());
    }
    let tree = name_tree_of(&whole.dests);
    match catalog.get(b"Names") {
        Ok(Object::Reference(id)) => get_mut(base, *id)?.set("Dests", tree),
        Ok(Object::Dictionary(names)) => {
            let mut names = names.clone();
            names.set("Dests", tree);
            base.catalog_mut()
                .map_err(|e| e.to_string())?
                .set("Names", names);
        }
        _ => {
            let names = Dictionary::from_iter([("Dests", Object::Dictionary(tree))]);
            base.catalog_mut()
                .map_err(|e| e.to_string())?
                .set("Names", names);
        }
    }
    Ok(())
}

/// The parts' outlines chained under the first part's outline root.
fn write_outlines(
    base: &mut Document,
    catalog: &Dictionary,
    chains: &[(ObjectId, ObjectId, i64)],
) -> Result<(), String> {
    let (Some(first), Some(last)) = (chains.first(), chains.last()) else {
        return Ok(());
    };
    let root = match catalog.get(b"Outlines").and_then(Object::as_reference) {
        Ok(id) => id,
        Err(_) => {
            let id = base.add_object(Dictionary::from_iter([(
                "Type",
                Object::Name(b"Outlines".to_vec()),
            )]));
            base.catalog_mut()
                .map_err(|e| e.to_string())?
                .set("Outlines", id);
            id
        }
    };
    for pair in chains.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        get_mut(base, a.1)?.set("Next", b.0);
        get_mut(base, b.0)?.set("Prev", a.1);
    }
    for &(from, to, _) in chains {
        let mut item = from;
        loop {
            let d = get_mut(base, item)?;
            d.set("Parent", root);
            if item == to {
                break;
            }
            item = d
                .get(b"Next")
                .and_then(Object::as_reference)
                .map_err(|e| e.to_string())?;
        }
    }
    let r = get_mut(base, root)?;
    r.set("First", first.0);
    r.set("Last", last.1);
    r.set("Count", chains.iter().map(|c| c.2).sum::<i64>());
    Ok(())
}

/// Links to `bascule-dest:ID` made links to the named destination ID (the heading every
/// part labels with its id), read as the heading's title; to nothing when no heading has
/// that id.
fn relink(
    mut objects: BTreeMap<ObjectId, Object>,
    titles: &BTreeMap<String, String>,
) -> BTreeMap<ObjectId, Object> {
    for d in dicts_mut(&mut objects) {
        let target = match d.get(b"A").and_then(Object::as_dict) {
            Ok(a) => match a.get(b"URI") {
                Ok(Object::String(uri, _)) => {
                    uri.strip_prefix(DEST_SCHEME.as_bytes()).map(<[u8]>::to_vec)
                }
                _ => None,
            },
            Err(_) => None,
        };
        let Some(name) = target else { continue };
        d.remove(b"A");
        let title = titles.get(&*String::from_utf8_lossy(&name));
        if title.is_some() {
            d.set("Dest", Object::String(name, StringFormat::Literal));
        }
        d.set("Contents", text_string(title.map_or("", String::as_str)));
    }
    objects
}

/// A PDF text string: UTF-16BE with its byte order mark.
fn text_string(s: &str) -> Object {
    let bytes = [0xFE, 0xFF]
        .into_iter()
        .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The XMP's page count (`xmpTPg:NPages`) set to the joined document's.
fn set_xmp_pages(base: &mut Document, pages: usize) -> Result<(), String> {
    let Ok(id) = base
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(Object::as_reference)
    else {
        return Ok(());
    };
    let Ok(Object::Stream(stream)) = base.get_object_mut(id) else {
        return Ok(());
    };
    let xml = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let text = String::from_utf8(xml).map_err(|_| "the PDF's XMP is not UTF-8")?;
    let (open, close) = ("<xmpTPg:NPages>", "</xmpTPg:NPages>");
    let Some(from) = text.find(open).map(|i| i + open.len()) else {
        return Ok(());
    };
    let to = from
        + text[from..]
            .find(close)
            .ok_or("the PDF's XMP is cut short")?;
    let fixed = format!("{}{pages}{}", &text[..from], &text[to..]);
    stream.set_plain_content(fixed.into_bytes());
    Ok(())
}
