//! What a part of the PDF says about itself, read with lopdf from its catalog: its pages,
//! its structure tree (the Document element's children, the parent tree, the element
//! IDs, the role map), its named destinations and its outline. `join.rs` merges these.

use lopdf::{Dictionary, Document, Object, ObjectId};

/// What a part contributes to the joined document, read from its catalog.
#[derive(Default)]
pub(super) struct Tree {
    /// Its pages, in order.
    pub(super) pages: Vec<ObjectId>,
    /// The children of its Document structure element.
    pub(super) kids: Vec<Object>,
    /// Its parent tree, flattened, and the key after its last.
    pub(super) parents: Vec<(i64, Object)>,
    pub(super) next_key: i64,
    /// Its structure elements' IDs.
    pub(super) ids: Vec<(Vec<u8>, Object)>,
    pub(super) role_map: Dictionary,
    /// Its named destinations.
    pub(super) dests: Vec<(Vec<u8>, Object)>,
    /// Its outline's first and last top-level items and its count (a part's, then
    /// each part's in order).
    pub(super) outlines: Vec<(ObjectId, ObjectId, i64)>,
}

/// A part, without the object and cross-reference streams it was read from (their
/// objects are loaded; the writer does not write them again, so they would only leave
/// gaps in the numbering).
pub(super) fn load(bytes: &[u8]) -> Result<Document, String> {
    let mut doc =
        Document::load_mem(bytes).map_err(|e| format!("reading a part of the PDF: {e}"))?;
    doc.objects.retain(|_, o| {
        !matches!(o.type_name(), Ok(t) if t == b"ObjStm".as_slice() || t == b"XRef".as_slice())
    });
    Ok(doc)
}

/// `obj`, or what it refers to.
pub(super) fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    doc.dereference(obj).map_or(obj, |(_, o)| o)
}

pub(super) fn dict_at<'a>(
    doc: &'a Document,
    d: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    deref(doc, d.get(key).ok()?).as_dict().ok()
}

pub(super) fn id_at(d: &Dictionary, key: &[u8]) -> Result<ObjectId, String> {
    d.get(key)
        .and_then(Object::as_reference)
        .map_err(|_| format!("a part of the PDF has no /{}", String::from_utf8_lossy(key)))
}

/// A part's contribution, read from its catalog.
pub(super) fn read(doc: &Document) -> Result<Tree, String> {
    let catalog = doc.catalog().map_err(|e| e.to_string())?;
    let root = doc
        .get_dictionary(id_at(catalog, b"StructTreeRoot")?)
        .map_err(|e| e.to_string())?;
    let document = document_element(doc, root)?;
    let kids = match doc
        .get_dictionary(document)
        .ok()
        .and_then(|d| d.get(b"K").ok())
    {
        Some(Object::Array(a)) => a.clone(),
        Some(other) => vec![other.clone()],
        None => Vec::new(),
    };
    let mut parents = Vec::new();
    if let Ok(tree) = root.get(b"ParentTree") {
        number_tree(doc, deref(doc, tree), &mut parents);
    }
    let next_key = root
        .get(b"ParentTreeNextKey")
        .and_then(Object::as_i64)
        .unwrap_or_else(|_| parents.iter().map(|(k, _)| k + 1).max().unwrap_or(0));
    let mut ids = Vec::new();
    if let Ok(tree) = root.get(b"IDTree") {
        name_tree(doc, deref(doc, tree), &mut ids);
    }
    let mut dests = Vec::new();
    if let Some(tree) = dict_at(doc, catalog, b"Names").and_then(|n| n.get(b"Dests").ok()) {
        name_tree(doc, deref(doc, tree), &mut dests);
    }
    Ok(Tree {
        pages: doc.get_pages().into_values().collect(),
        kids,
        parents,
        next_key,
        ids,
        role_map: dict_at(doc, root, b"RoleMap").cloned().unwrap_or_default(),
        dests,
        outlines: outline(doc, catalog).into_iter().collect(),
    })
}

/// The structure tree's one Document element.
pub(super) fn document_element(doc: &Document, root: &Dictionary) -> Result<ObjectId, String> {
    let k = root
        .get(b"K")
        .map_err(|_| "a part's structure tree is empty")?;
    let first = match k {
        Object::Array(a) if a.len() == 1 => &a[0],
        Object::Array(_) => return Err("a part's structure tree has several roots".into()),
        other => other,
    };
    let id = first.as_reference().map_err(|e| e.to_string())?;
    let _ = doc.get_dictionary(id).map_err(|e| e.to_string())?;
    Ok(id)
}

/// The first and last top-level items of the outline, and its count.
fn outline(doc: &Document, catalog: &Dictionary) -> Option<(ObjectId, ObjectId, i64)> {
    let o = dict_at(doc, catalog, b"Outlines")?;
    let first = o.get(b"First").ok()?.as_reference().ok()?;
    let last = o.get(b"Last").ok()?.as_reference().ok()?;
    Some((
        first,
        last,
        o.get(b"Count").and_then(Object::as_i64).unwrap_or(0),
    ))
}

/// A number tree's pairs, in order.
fn number_tree(doc: &Document, node: &Object, out: &mut Vec<(i64, Object)>) {
    tree_leaves(doc, node, b"Nums", &|k| k.as_i64().ok(), out);
}

/// A name tree's pairs, in order.
fn name_tree(doc: &Document, node: &Object, out: &mut Vec<(Vec<u8>, Object)>) {
    tree_leaves(
        doc,
        node,
        b"Names",
        &|k| k.as_str().ok().map(<[u8]>::to_vec),
        out,
    );
}

/// The pairs of a number or name tree (`leaves` is `Nums` or `Names`), in order: each
/// node's own, then its kids'; `key` reads a key (a pair whose key it cannot read is left).
fn tree_leaves<K>(
    doc: &Document,
    node: &Object,
    leaves: &[u8],
    key: &dyn Fn(&Object) -> Option<K>,
    out: &mut Vec<(K, Object)>,
) {
    let Ok(d) = node.as_dict() else { return };
    if let Ok(pairs) = d.get(leaves).and_then(Object::as_array) {
        for pair in pairs.chunks(2) {
            if let [k, v] = pair
                && let Some(k) = key(k)
            {
                out.push((k, v.clone()));
            }
        }
    }
    if let Ok(kids) = d.get(b"Kids").and_then(Object::as_array) {
        for kid in kids {
            tree_leaves(doc, deref(doc, kid), leaves, key, out);
        }
    }
}

/// The top-level items of an outline, from its first to its last.
pub(super) fn outline_items(
    doc: &Document,
    outline: Option<(ObjectId, ObjectId, i64)>,
) -> Vec<ObjectId> {
    let mut items = Vec::new();
    let Some((mut item, last, _)) = outline else {
        return items;
    };
    while !items.contains(&item) {
        items.push(item);
        let next = doc
            .get_dictionary(item)
            .ok()
            .and_then(|d| d.get(b"Next").ok());
        match next.and_then(|n| n.as_reference().ok()) {
            Some(n) if item != last => item = n,
            _ => break,
        }
    }
    items
}
