//! The inventory as a plain YAML tree with the position of every key and value, and its JSON
//! twin for the schema check. It is read by serde-saphyr with the very options and budgets of
//! deserialisation, so both passes read the same YAML (aliases, merge keys, duplicate keys,
//! depth) and the tree costs what a parse costs.

use crate::diag::Pos;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::HashMap;

/// A mapping with more keys than this gets an index, so that locating every fault of a huge
/// (hostile) mapping stays linear.
const INDEXED_FROM: usize = 16;

/// A YAML node as the schema sees it.
#[derive(Debug)]
pub(super) enum Node {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Mapping),
}

/// A mapping's entries in order, and an index of its keys when it is large.
#[derive(Debug)]
pub(super) struct Mapping {
    pub entries: Vec<(Spanned<Node>, Spanned<Node>)>,
    index: Option<HashMap<String, usize>>,
}

impl Mapping {
    fn new(entries: Vec<(Spanned<Node>, Spanned<Node>)>) -> Self {
        let index = (entries.len() > INDEXED_FROM).then(|| {
            let mut index = HashMap::with_capacity(entries.len());
            for (i, (k, _)) in entries.iter().enumerate() {
                index.entry(key_text(&k.value)).or_insert(i);
            }
            index
        });
        Mapping { entries, index }
    }

    /// The entry whose key reads `key`.
    pub(super) fn get(&self, key: &str) -> Option<&(Spanned<Node>, Spanned<Node>)> {
        match &self.index {
            Some(index) => index.get(key).and_then(|&i| self.entries.get(i)),
            None => self.entries.iter().find(|(k, _)| key_is(&k.value, key)),
        }
    }
}

fn key_is(node: &Node, key: &str) -> bool {
    match node {
        Node::Str(s) => s == key,
        other => key_text(other) == key,
    }
}

/// A key as JSON names it: scalars by their text, anything else by its JSON form.
pub(super) fn key_text(node: &Node) -> String {
    match node {
        Node::Str(s) => s.clone(),
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Float(f) => f.to_string(),
        Node::Seq(_) | Node::Map(_) => to_json(node).to_string(),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        Ok(i128::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = a.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = a.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(Mapping::new(entries)))
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
}

/// The JSON value the schema checks. Numbers too large for JSON become floats, as they would
/// in any JSON tool.
pub(super) fn to_json(node: &Node) -> Value {
    match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => {
            if let Ok(n) = i64::try_from(*i) {
                n.into()
            } else if let Ok(n) = u64::try_from(*i) {
                n.into()
            } else {
                serde_json::Number::from_f64(*i as f64).map_or(Value::Null, Value::Number)
            }
        }
        Node::Float(f) => serde_json::Number::from_f64(*f)
            .map_or_else(|| Value::String(f.to_string()), Value::Number),
        Node::Str(s) => Value::String(s.clone()),
        Node::Seq(items) => Value::Array(items.iter().map(|n| to_json(&n.value)).collect()),
        Node::Map(m) => Value::Object(
            m.entries
                .iter()
                .map(|(k, v)| (key_text(&k.value), to_json(&v.value)))
                .collect(),
        ),
    }
}

pub(super) fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::from(s)
}

/// The line of the last value under `node` (where a mapping or a list ends).
pub(super) fn last_line(node: &Node) -> Option<u32> {
    let mut node = node;
    let mut line = None;
    loop {
        let last = match node {
            Node::Map(m) => m.entries.last().map(|(_, v)| v),
            Node::Seq(items) => items.last(),
            _ => return line,
        }?;
        line = Some(pos(last).line);
        node = &last.value;
    }
}

/// What a JSON pointer names in the tree: the node, its position, and for a mapping value the
/// position of its key.
pub(super) struct Located<'t> {
    pub node: &'t Node,
    pub at: Pos,
    pub key: Option<Pos>,
}

/// Follows a JSON pointer (`/instances/0/vms`) from `root`.
pub(super) fn locate<'t>(root: &'t Spanned<Node>, pointer: &str) -> Option<Located<'t>> {
    let mut here = Located {
        node: &root.value,
        at: pos(root),
        key: None,
    };
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        here = match here.node {
            Node::Map(m) => {
                let (k, v) = m.get(&seg)?;
                Located {
                    node: &v.value,
                    at: pos(v),
                    key: Some(pos(k)),
                }
            }
            Node::Seq(items) => {
                let item = items.get(seg.parse::<usize>().ok()?)?;
                Located {
                    node: &item.value,
                    at: pos(item),
                    key: None,
                }
            }
            _ => return None,
        };
    }
    Some(here)
}
