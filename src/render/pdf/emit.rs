//! The joined PDF written with pdf-writer (Typst's own PDF writer): lopdf's objects, as
//! `join.rs` reads and rewrites them, each written once under its number, then the
//! skeleton with the catalog and the information dictionary the trailer names.

use lopdf::{Document, Object, ObjectId};
use pdf_writer::{Name, Null, Obj, Pdf, Ref, Str};
use std::collections::BTreeMap;

/// Writes `objects` into `out`, in the order of their numbers.
pub(super) fn objects(out: &mut Pdf, objects: BTreeMap<ObjectId, Object>) {
    for (id, object) in &objects {
        indirect(out, *id, object);
    }
}

fn reference(id: ObjectId) -> Ref {
    Ref::new(i32::try_from(id.0).unwrap_or(i32::MAX))
}

/// One indirect object (a stream's `/Length` is pdf-writer's to write).
fn indirect(out: &mut Pdf, id: ObjectId, object: &Object) {
    match object {
        Object::Stream(s) => {
            let mut stream = out.stream(reference(id), &s.content);
            for (key, v) in s.dict.iter().filter(|(k, _)| k.as_slice() != b"Length") {
                value(stream.insert(Name(key)), v);
            }
        }
        other => value(out.indirect(reference(id)), other),
    }
}

/// One direct value.
fn value(w: Obj, object: &Object) {
    match object {
        Object::Null => w.primitive(Null),
        Object::Boolean(b) => w.primitive(*b),
        Object::Integer(i) => w.primitive(i32::try_from(*i).unwrap_or(i32::MAX)),
        Object::Real(r) => w.primitive(*r),
        Object::Name(n) => w.primitive(Name(n)),
        Object::String(s, _) => w.primitive(Str(s)),
        Object::Reference(id) => w.primitive(reference(*id)),
        Object::Array(items) => {
            let mut array = w.array();
            for item in items {
                value(array.push(), item);
            }
        }
        Object::Dictionary(d) => {
            let mut dict = w.dict();
            for (key, v) in d.iter() {
                value(dict.insert(Name(key)), v);
            }
        }
        // A stream is never a direct value in a PDF lopdf could read.
        Object::Stream(_) => w.primitive(Null),
    }
}

/// Writes the skeleton (the first part's catalog and information dictionary as the
/// trailer's, and the objects the join rewrote) and ends the file.
pub(super) fn skeleton(mut out: Pdf, skeleton: Document) -> Result<Vec<u8>, String> {
    let id_of = |key: &[u8]| {
        skeleton
            .trailer
            .get(key)
            .and_then(Object::as_reference)
            .ok()
    };
    let root = id_of(b"Root").ok_or("the first part has no catalog")?;
    let info = id_of(b"Info");
    for (id, object) in &skeleton.objects {
        if *id != root && Some(*id) != info {
            indirect(&mut out, *id, object);
        }
    }
    let catalog = skeleton.get_dictionary(root).map_err(|e| e.to_string())?;
    let mut writer = out.catalog(reference(root));
    for (key, v) in catalog.iter().filter(|(k, _)| k.as_slice() != b"Type") {
        value(writer.insert(Name(key)), v);
    }
    drop(writer);
    if let Some(info) = info {
        let dict = skeleton.get_dictionary(info).map_err(|e| e.to_string())?;
        let mut writer = out.document_info(reference(info));
        for (key, v) in dict.iter() {
            value(writer.insert(Name(key)), v);
        }
    }
    if let Ok(Object::Array(ids)) = skeleton.trailer.get(b"ID")
        && let [Object::String(a, _), Object::String(b, _)] = ids.as_slice()
    {
        out.set_file_id((a.clone(), b.clone()));
    }
    Ok(out.finish())
}
