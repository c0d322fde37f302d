//! Tests of the schema: its patterns take exactly what the validator's rules take, every
//! field is described, every mapping refuses unknown keys, no reference instance is named.

use super::*;
use crate::model::patterns;
use crate::validate::{is_fqdn, is_hostname_label, is_slug};

/// A matcher for `pattern`, as the loader's validator (the `regex` engine) reads it.
fn matcher(pattern: &str) -> impl Fn(&str) -> bool {
    let schema = serde_json::json!({ "type": "string", "pattern": pattern });
    let v = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(&schema)
        .expect("the pattern compiles");
    move |s: &str| v.is_valid(&Value::String(s.to_string()))
}

/// Short random strings over the characters that matter to names, addresses and dates.
fn samples(alphabet: &[u8], n: usize) -> Vec<String> {
    let mut rng = fastrand::Rng::with_seed(7);
    (0..n)
        .map(|_| {
            let len = rng.usize(0..14);
            (0..len)
                .map(|_| alphabet[rng.usize(..alphabet.len())] as char)
                .collect()
        })
        .collect()
}

fn agree(pattern: &str, rule: impl Fn(&str) -> bool, alphabet: &[u8], known: &[&str]) {
    let mut all = samples(alphabet, 4000);
    all.extend(known.iter().map(|s| s.to_string()));
    let matches = matcher(pattern);
    for s in &all {
        assert_eq!(matches(s), rule(s), "{pattern} on {s:?}");
    }
}

#[test]
fn patterns_take_the_names_the_rules_take() {
    let names = b"aZ0-9.";
    agree(
        patterns::MACHINE,
        is_hostname_label,
        names,
        &[
            "web1",
            "-a",
            "a-",
            &"a".repeat(63),
            &"a".repeat(64),
            "a_b",
            "é",
        ],
    );
    agree(
        patterns::DNS,
        is_fqdn,
        names,
        &[
            "a.b.ca",
            "a.example.ca",
            "a.1",
            "a.1a",
            "a.1-",
            "a..b",
            "a.b.",
            ".a.b",
            "a",
        ],
    );
    agree(
        patterns::SLUG,
        is_slug,
        b"az09-A",
        &[
            "jour-m",
            "m30",
            "-x",
            "x-",
            "Jour",
            &"a".repeat(64),
            &"a".repeat(65),
        ],
    );
}

#[test]
fn patterns_take_the_addresses_and_dates_the_rules_take() {
    let ip = |s: &str| s.parse::<std::net::Ipv4Addr>().is_ok();
    agree(
        patterns::IPV4,
        ip,
        b"0125.9",
        &[
            "10.0.0.12",
            "255.255.255.255",
            "256.1.1.1",
            "01.1.1.1",
            "1.1.1",
            "1.1.1.1.",
        ],
    );
    let date_shape = |s: &str| {
        let shaped = crate::date::has_shape(s);
        assert_eq!(
            shaped,
            crate::date::parse(s).is_ok() || calendar_only(s),
            "{s}"
        );
        shaped
    };
    agree(
        patterns::DATE,
        date_shape,
        b"0129-/",
        &[
            "2024-01-15",
            "2018-02-30",
            "15/01/2024",
            "2024-1-15",
            "2024-01-15 ",
        ],
    );
}

/// A date of the right shape that the calendar refuses (the pattern takes it; the validator
/// then says « no such day »).
fn calendar_only(s: &str) -> bool {
    crate::date::parse(s).is_err_and(|e| e.key() == "date.calendar")
}

/// Every schema node under `node`, with its JSON pointer.
fn walk<'v>(node: &'v Value, at: String, out: &mut Vec<(String, &'v Value)>) {
    out.push((at.clone(), node));
    match node {
        Value::Object(o) => {
            for (k, v) in o {
                walk(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                walk(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_field_is_described_and_every_mapping_is_closed() {
    let mut all = Vec::new();
    walk(schema(), String::new(), &mut all);
    let mut fields = 0;
    for (at, node) in &all {
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            assert_eq!(
                node.get("additionalProperties"),
                Some(&Value::Bool(false)),
                "{at} takes unknown keys"
            );
            for (key, prop) in props {
                fields += 1;
                let described = prop.get("description").or_else(|| {
                    // A tagged variant's value: the variant carries the description.
                    node.get("description")
                        .filter(|_| props.len() == 1)
                        .or_else(|| resolve(prop)?.get("description"))
                });
                assert!(
                    described.is_some(),
                    "{at}/properties/{key} has no description"
                );
            }
        }
    }
    assert!(fields > 60, "only {fields} fields");
}

#[test]
fn enums_and_patterns_are_there() {
    let text = text();
    for needle in [
        "\"production\"",
        "\"sandbox\"",
        "\"reference\"",
        "\"after\"",
        "\"deactivate\"",
        "\"dns-release\"",
        "\"move-to\"",
        "\"connect\"",
        "\"migrate\"",
        "\"long\"",
        "4294967295",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
    for p in [
        patterns::DATE,
        patterns::IPV4,
        patterns::DNS,
        patterns::SLUG,
        patterns::MACHINE,
    ] {
        assert!(text.contains(&serde_json::to_string(p).unwrap()), "{p}");
    }
}

#[test]
fn names_no_reference_instance() {
    let text = text().to_lowercase();
    for name in ["campus", "projets", "moodle", "cégep", "cegep"] {
        assert!(!text.contains(name), "the schema names {name}");
    }
}

#[test]
fn compiles_and_its_descriptions_are_french() {
    assert!(validator().is_some());
    let d = node("/definitions/Vm/properties/machine")
        .and_then(|m| m.get("description"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    assert!(d.starts_with("Le nom de machine"), "{d}");
    // French typography: no plain space before « : », « ; ».
    assert!(!text().contains(" :") && !text().contains(" ;"));
}
