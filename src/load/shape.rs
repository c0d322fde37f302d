//! The schema check of the YAML tree: every violation of the inventory's JSON Schema, sorted
//! out into faults a writer can act on. Alternatives (`oneOf`, `anyOf`: actions, fates, optional
//! values) are narrowed to the one the writer meant, so that one mistake gives one fault.

use crate::model::patterns;
use crate::schema;
use jsonschema::error::{ValidationError, ValidationErrorKind as Kind};
use serde_json::Value;

/// One thing wrong with the tree's shape. `at` is a JSON pointer into the inventory.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Fault {
    /// A key the mapping at `at` does not take; `allowed` are the keys it takes.
    Unknown {
        at: String,
        key: String,
        allowed: Vec<String>,
    },
    /// A key the mapping at `at` lacks, and what the schema says of it.
    Missing {
        at: String,
        key: String,
        description: Option<String>,
    },
    /// A value of another kind than the schema's (`want`: `array`, `object`, `string`, …);
    /// `keys` are those a mapping due here must have.
    Type {
        at: String,
        want: Vec<String>,
        keys: Vec<String>,
    },
    /// A value that is not one of `values`, nor a mapping of one of `tags` (an enum, an
    /// action, a fate, a database strategy).
    Value {
        at: String,
        values: Vec<String>,
        tags: Vec<String>,
    },
    /// A tagged value (`create`, `move-to`) written without its value.
    Bare {
        at: String,
        tag: String,
        takes_object: bool,
    },
    /// A plain value (`delete`) written as a key with a value.
    NotTag { at: String, tag: String },
    /// Several keys in one item where one tag is due (`{ dns-move: …, dns-release: … }`).
    Tags { at: String, keys: Vec<String> },
    /// A number out of its range.
    Range { at: String, min: bool },
    /// A date not written AAAA-MM-JJ.
    Date { at: String },
}

impl Fault {
    /// The pointer of the node the fault is about.
    pub(super) fn at(&self) -> &str {
        match self {
            Fault::Unknown { at, .. }
            | Fault::Missing { at, .. }
            | Fault::Type { at, .. }
            | Fault::Value { at, .. }
            | Fault::Bare { at, .. }
            | Fault::NotTag { at, .. }
            | Fault::Tags { at, .. }
            | Fault::Range { at, .. }
            | Fault::Date { at } => at,
        }
    }

    /// Whether deserialisation cannot go on: a date of the wrong shape is still a string,
    /// that the validator's rules then read (and whose own message this one replaces).
    pub(super) fn blocks(&self) -> bool {
        !matches!(self, Fault::Date { .. })
    }
}

/// Every fault of `instance` against the inventory schema.
pub(super) fn check(instance: &Value) -> Vec<Fault> {
    let Some(validator) = schema::validator() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in validator.iter_errors(instance) {
        classify(&e, &mut out);
    }
    out
}

fn classify(e: &ValidationError, out: &mut Vec<Fault>) {
    let at = e.instance_path().as_str().to_string();
    let instance: &Value = e.instance();
    match e.kind() {
        Kind::AdditionalProperties { unexpected } => {
            let allowed = allowed_keys(e.schema_path().as_str());
            out.extend(unexpected.iter().map(|key| Fault::Unknown {
                at: at.clone(),
                key: key.clone(),
                allowed: allowed.clone(),
            }));
        }
        Kind::Required { property } => {
            let key = property.as_str().unwrap_or_default().to_string();
            let description = property_description(e.schema_path().as_str(), &key);
            out.push(Fault::Missing {
                at,
                key,
                description,
            });
        }
        Kind::Type { .. } => {
            let want = types(schema::schema().pointer(e.schema_path().as_str()));
            if !lenient(&want, instance) {
                let keys = owner(e.schema_path().as_str())
                    .and_then(|o| o.get("required"))
                    .and_then(Value::as_array)
                    .map_or_else(Vec::new, strings);
                out.push(Fault::Type { at, want, keys });
            }
        }
        Kind::Enum { options } => out.push(Fault::Value {
            at,
            values: strings(options.as_array().into_iter().flatten()),
            tags: Vec::new(),
        }),
        Kind::Constant { expected_value } => out.push(Fault::Value {
            at,
            values: strings([expected_value.as_ref()]),
            tags: Vec::new(),
        }),
        Kind::Minimum { .. } | Kind::ExclusiveMinimum { .. } => {
            out.push(Fault::Range { at, min: true });
        }
        Kind::Maximum { .. } | Kind::ExclusiveMaximum { .. } => {
            out.push(Fault::Range { at, min: false });
        }
        Kind::Pattern { pattern } if pattern == patterns::DATE => out.push(Fault::Date { at }),
        Kind::OneOfNotValid { context } | Kind::AnyOf { context } => {
            alternatives(e, context, out);
        }
        // Name and address shapes, lengths, counts: the validator's rules say it better.
        _ => {}
    }
}

/// What serde-saphyr reads anyway: a plain scalar as text (`3.1`, `yes`), a quoted number as
/// a number (`"57330"`). Refusing them would refuse inventories that load.
fn lenient(want: &[String], instance: &Value) -> bool {
    let wants = |t: &str| want.iter().any(|w| w == t);
    match instance {
        Value::Number(_) | Value::Bool(_) => wants("string"),
        Value::String(s) => wants("integer") && as_u32(s).is_some(),
        _ => false,
    }
}

/// A quoted number as serde-saphyr reads it into a `u32`: spaces, `+`, `_`, `0x`, `0o`, `0b`.
fn as_u32(s: &str) -> Option<u32> {
    let t: String = s.trim().trim_start_matches('+').replace('_', "");
    let (digits, radix) = match t.get(..2) {
        Some("0x") => (&t[2..], 16),
        Some("0o") => (&t[2..], 8),
        Some("0b") => (&t[2..], 2),
        _ => (t.as_str(), 10),
    };
    u32::from_str_radix(digits, radix).ok()
}

fn strings<'v>(values: impl IntoIterator<Item = &'v Value>) -> Vec<String> {
    values
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The JSON types a schema node takes (its `type`, or what its consts, enums and
/// alternatives take).
fn types(node: Option<&'static Value>) -> Vec<String> {
    let Some(node) = node else { return Vec::new() };
    let mut out = match node {
        Value::String(t) => vec![t.clone()],
        Value::Array(ts) => strings(ts),
        Value::Object(o) => match o.get("type") {
            Some(t) => types(Some(t)),
            None => {
                let consts = o.get("const").into_iter().chain(
                    o.get("enum")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                );
                let mut out: Vec<String> = consts.map(|c| json_type(c).to_string()).collect();
                for alt in branches(node) {
                    out.extend(types(schema::resolve(alt)));
                }
                out
            }
        },
        _ => Vec::new(),
    };
    out.sort();
    out.dedup();
    out
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether a schema of `types` takes `v` (an integer is a number too).
fn takes(types: &[String], v: &Value) -> bool {
    let t = json_type(v);
    types.is_empty()
        || types
            .iter()
            .any(|w| w == t || (w == "number" && t == "integer"))
}

fn branches(node: &'static Value) -> impl Iterator<Item = &'static Value> {
    ["oneOf", "anyOf"]
        .into_iter()
        .filter_map(|k| node.get(k).and_then(Value::as_array))
        .flatten()
}

/// The object schema that owns the keyword at `keyword_path` (`…/required`).
fn owner(keyword_path: &str) -> Option<&'static Value> {
    let parent = keyword_path.rsplit_once('/').map_or("", |(p, _)| p);
    schema::schema().pointer(parent)
}

/// The description of the property `key` of the object that owns `keyword_path`.
fn property_description(keyword_path: &str, key: &str) -> Option<String> {
    let prop = owner(keyword_path)?.get("properties")?.get(key)?;
    let text = prop
        .get("description")
        .or_else(|| schema::resolve(prop)?.get("description"))?;
    Some(
        text.as_str()?
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The keys the object schema that owns `…/additionalProperties` takes.
fn allowed_keys(keyword_path: &str) -> Vec<String> {
    let props = owner(keyword_path)
        .and_then(|o| o.get("properties"))
        .and_then(Value::as_object);
    props
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// One alternative of a `oneOf`/`anyOf`: its index, the types it takes, and its tag when it
/// is an externally tagged variant (an object with one required key and no other).
struct Branch {
    index: usize,
    types: Vec<String>,
    tag: Option<String>,
    /// Whether the tag's value is a mapping (`create: { ticket: N }`).
    takes_object: bool,
    consts: Vec<String>,
}

fn branch(index: usize, raw: &'static Value) -> Branch {
    let node = schema::resolve(raw);
    let kinds = types(node);
    let props = node
        .and_then(|n| n.get("properties"))
        .and_then(Value::as_object);
    let required = node
        .and_then(|n| n.get("required"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let tag = match props {
        Some(p) if p.len() == 1 && required == 1 => p.keys().next().cloned(),
        _ => None,
    };
    let takes_object = tag.as_ref().is_some_and(|t| {
        let inner = props.and_then(|p| p.get(t)).and_then(schema::resolve);
        types(inner).iter().any(|t| t == "object")
    });
    let consts = node.map_or_else(Vec::new, |n| {
        let mut c = strings(n.get("const"));
        c.extend(strings(
            n.get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        ));
        c
    });
    Branch {
        index,
        types: kinds,
        tag,
        takes_object,
        consts,
    }
}

/// A value that fits none of the alternatives: the alternative the writer meant (by the kind
/// of value, then by its tag) gives the faults; when none is meant, one fault says what fits.
fn alternatives(e: &ValidationError, context: &[Vec<ValidationError>], out: &mut Vec<Fault>) {
    let instance: &Value = e.instance();
    let Some(list) = schema::schema()
        .pointer(e.schema_path().as_str())
        .and_then(Value::as_array)
    else {
        return;
    };
    let all: Vec<Branch> = list.iter().enumerate().map(|(i, b)| branch(i, b)).collect();
    let descend = |b: &Branch, out: &mut Vec<Fault>| {
        for sub in context.get(b.index).into_iter().flatten() {
            classify(sub, out);
        }
    };
    // An optional value (`anyOf: [X, null]`) that is not null is an X.
    let real: Vec<&Branch> = all.iter().filter(|b| b.types != ["null"]).collect();
    if let [only] = real.as_slice()
        && real.len() < all.len()
        && !instance.is_null()
    {
        return descend(only, out);
    }
    let fitting: Vec<&Branch> = all.iter().filter(|b| takes(&b.types, instance)).collect();
    if let [only] = fitting.as_slice() {
        let meant = match &only.tag {
            Some(tag) => instance.get(tag).is_some(),
            None => only.consts.is_empty(),
        };
        if meant {
            return descend(only, out);
        }
    }
    let at = e.instance_path().as_str().to_string();
    if let Value::Object(o) = instance
        && let Some(b) = all
            .iter()
            .find(|b| b.tag.as_ref().is_some_and(|t| o.contains_key(t)))
        && o.len() == 1
    {
        return descend(b, out);
    }
    out.push(unmeant(at, instance, &all));
}

/// The fault of a value that no alternative was meant for.
fn unmeant(at: String, instance: &Value, all: &[Branch]) -> Fault {
    let tags: Vec<String> = all.iter().filter_map(|b| b.tag.clone()).collect();
    let consts: Vec<String> = all.iter().flat_map(|b| b.consts.clone()).collect();
    match instance {
        Value::String(s) if tags.contains(s) => Fault::Bare {
            at,
            tag: s.clone(),
            takes_object: all
                .iter()
                .any(|b| b.tag.as_ref() == Some(s) && b.takes_object),
        },
        Value::Object(o) if o.len() == 1 && !tags.is_empty() => {
            let key = o.keys().next().cloned().unwrap_or_default();
            if consts.contains(&key) {
                Fault::NotTag { at, tag: key }
            } else {
                let mut allowed = consts;
                allowed.extend(tags);
                Fault::Unknown { at, key, allowed }
            }
        }
        Value::Object(o) if !tags.is_empty() => Fault::Tags {
            at,
            keys: o.keys().cloned().collect(),
        },
        Value::Object(_) | Value::Array(_) => {
            let mut want: Vec<String> = all.iter().flat_map(|b| b.types.clone()).collect();
            want.sort();
            want.dedup();
            Fault::Type {
                at,
                want,
                keys: Vec::new(),
            }
        }
        // A scalar or nothing where one of the values (or a tagged one) is due.
        _ => Fault::Value {
            at,
            values: consts,
            tags,
        },
    }
}
