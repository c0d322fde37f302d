//! The catalog against the sources: every message a source makes renders in French and in
//! English with the arguments that source gives, every key of the catalog is used, and the
//! French follows OQLF typography.

use super::*;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// One use of `msg!` in the sources: the file, the key and the names of its arguments.
#[derive(Debug)]
struct Use {
    file: String,
    key: String,
    args: BTreeSet<String>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text between `(` at `open` and its matching `)`, skipping strings and characters.
fn balanced(code: &str, open: usize) -> Option<&str> {
    let bytes = code.as_bytes();
    let (mut depth, mut i, mut in_str) = (0usize, open, false);
    while i < bytes.len() {
        match (bytes[i], in_str) {
            (b'\\', true) => i += 1,
            (b'"', _) => in_str = !in_str,
            (b'(' | b'[' | b'{', false) => depth += 1,
            (b')' | b']' | b'}', false) => {
                depth -= 1;
                if depth == 0 {
                    return Some(&code[open + 1..i]);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The pieces of `body` separated by commas outside brackets and strings.
fn top_level(body: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start, mut in_str, mut escaped) = (vec![], 0i32, 0, false, false);
    for (i, c) in body.char_indices() {
        match (c, in_str, escaped) {
            (_, true, true) => escaped = false,
            ('\\', true, false) => escaped = true,
            ('"', _, _) => in_str = !in_str,
            ('(' | '[' | '{', false, _) => depth += 1,
            (')' | ']' | '}', false, _) => depth -= 1,
            (',', false, _) if depth == 0 => {
                out.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&body[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

fn uses() -> Vec<Use> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut out = Vec::new();
    for path in files {
        let code = std::fs::read_to_string(&path).unwrap();
        for (at, _) in code.match_indices("msg!(") {
            let line_start = code[..at].rfind('\n').map_or(0, |i| i + 1);
            if code[line_start..at].trim_start().starts_with("//") {
                continue; // documentation
            }
            let Some(body) = balanced(&code, at + 4) else {
                continue;
            };
            let parts = top_level(body);
            let Some(key) = parts
                .first()
                .and_then(|k| k.strip_prefix('"')?.strip_suffix('"'))
            else {
                continue; // the macro's own definition
            };
            let args = parts[1..]
                .iter()
                .map(|p| p.split('=').next().unwrap().trim().to_string())
                .collect();
            let file = path.strip_prefix(&src).unwrap().display().to_string();
            out.push(Use {
                file,
                key: key.to_string(),
                args,
            });
        }
    }
    out
}

/// The variables a template reads: `{{ name … }}` and `{% if name %}`.
fn variables(template: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for opener in ["{{", "{% if", "{% elif"] {
        for part in template.split(opener).skip(1) {
            let name: String = part
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// The variables a template agrees with, through a number filter (`{{ n | pluriel(…) }}`):
/// their sources give a [`Count`].
fn counts(template: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for part in template.split("{{").skip(1) {
        let inside = part.split("}}").next().unwrap_or_default();
        let mut words = inside.split('|').map(str::trim);
        let name = words.next().unwrap_or_default();
        let filters = ["pluriel", "nombre", "nombre_f", "en_lettres"];
        if words.any(|f| filters.iter().any(|n| f.starts_with(n))) {
            out.insert(name.to_string());
        }
    }
    out
}

#[test]
fn a_count_agrees_with_its_words() {
    let t =
        |e: u64, w: u64| crate::msg!("cli.checked", errors = Count(e), warnings = Count(w)).fr();
    assert_eq!(t(0, 1), "check\u{a0}: 0 erreur, 1 avertissement");
    assert_eq!(t(2, 3), "check\u{a0}: 2 erreurs, 3 avertissements");
    assert_eq!(Count::of(5).0, 5);
    let en = crate::msg!("cli.checked", errors = Count(1), warnings = Count(0)).en();
    assert_eq!(en, "check: 1 error(s), 0 warning(s)");
}

fn entries() -> Entries {
    parse(DEFAULT).unwrap()
}

#[test]
fn the_sources_make_messages() {
    let uses = uses();
    assert!(uses.len() > 300, "{}", uses.len());
    assert!(uses.iter().any(|u| u.key == "names.ip_invalid"
        && u.args == BTreeSet::from(["value".to_string()])));
}

#[test]
fn every_message_renders_in_french_and_english_with_the_arguments_it_is_given() {
    let entries = entries();
    let mut faults = Vec::new();
    for u in uses() {
        let Some(langs) = entries.get(&u.key) else {
            faults.push(format!("{}: `{}` is not in {FILE}", u.file, u.key));
            continue;
        };
        for (lang, catalog) in [("fr", french()), ("en", english())] {
            let Some(template) = langs.get(lang) else {
                faults.push(format!("{}: `{}` has no `{lang}` text", u.file, u.key));
                continue;
            };
            let read = variables(template);
            let unknown: Vec<&String> = read.difference(&u.args).collect();
            if !unknown.is_empty() {
                faults.push(format!(
                    "{}: `{}` ({lang}) reads {unknown:?}, not given",
                    u.file, u.key
                ));
            }
            let args = u.args.iter().map(|a| {
                let counted = counts(template).contains(a);
                let v = if counted {
                    Arg::Count(2)
                } else {
                    Arg::Value("Valeur".into())
                };
                (a.as_str(), v)
            });
            let leaked: Vec<(&'static str, Arg)> = args
                .map(|(a, v)| (&*String::leak(a.to_string()), v))
                .collect();
            let text = Text::new(String::leak(u.key.clone()), leaked);
            match catalog.try_render(&text) {
                Ok(s) if !s.trim().is_empty() => {}
                other => faults.push(format!("{}: `{}` ({lang}): {other:?}", u.file, u.key)),
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn every_key_of_the_catalog_is_used() {
    let used: BTreeSet<String> = uses().into_iter().map(|u| u.key).collect();
    let unused: Vec<String> = (entries().into_keys())
        .filter(|k| !used.contains(k) && k != "raw")
        .collect();
    assert!(unused.is_empty(), "keys no source uses: {unused:?}");
}

#[test]
fn every_key_has_both_languages_and_only_those() {
    for (key, langs) in entries() {
        let have: Vec<&str> = langs.keys().map(String::as_str).collect();
        assert_eq!(have, ["en", "fr"], "{key}");
    }
}

/// OQLF typography outside backquoted code: a no-break space before « : » and inside
/// guillemets, a narrow one before « ; ? ! », and the typographic apostrophe.
#[test]
fn the_french_follows_oqlf_typography() {
    let mut faults = Vec::new();
    for (key, langs) in entries() {
        let fr = &langs["fr"];
        for (i, prose) in fr.split('`').enumerate() {
            if i % 2 == 1 {
                continue;
            }
            let prose = prose.replace("{{", "").replace("}}", "");
            let bad = [" :", " ;", " ?", " !", "« ", " »", "'"];
            let narrow = ['\u{a0}', '\u{202f}'];
            for b in bad.iter().filter(|b| prose.contains(*b)) {
                faults.push(format!("{key}: `{b}` in {fr:?}"));
            }
            for (i, c) in prose.char_indices() {
                let before = prose[..i].chars().last();
                if matches!(c, ':' | ';' | '?' | '!')
                    && before.is_some_and(|b| !narrow.contains(&b))
                    && prose[i + c.len_utf8()..].starts_with(' ')
                {
                    faults.push(format!("{key}: no space before `{c}` in {fr:?}"));
                }
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn a_text_is_rendered_in_the_language_of_its_catalog_and_so_are_its_parts() {
    let t = crate::msg!(
        "texts.too_many",
        n = 3,
        what = crate::msg!("texts.count.states"),
        max = 2
    );
    assert_eq!(t.en(), "3 states: at most 2");
    assert_eq!(t.fr(), "3 états\u{a0}: au plus 2");
    assert_eq!(t.key(), "texts.too_many");
    assert_eq!(t.arg("n"), Some("3"));
    assert_eq!(t.arg("what"), None);
}

#[test]
fn french_elides_before_a_vowel() {
    let t = crate::msg!("document.octopus", instance = "Atelier", n = 12);
    assert_eq!(
        t.fr(),
        "la section d’Atelier ne cite pas la demande Octopus 12"
    );
    let t = crate::msg!("document.octopus", instance = "Banque", n = 12);
    assert_eq!(
        t.fr(),
        "la section de Banque ne cite pas la demande Octopus 12"
    );
}

#[test]
fn a_text_the_catalog_cannot_render_shows_its_key_and_arguments() {
    let t = Text::new(
        "nowhere.in.the.catalog",
        vec![("a", Arg::Value("1".into()))],
    );
    assert_eq!(english().render(&t), "nowhere.in.the.catalog (a=1)");
    assert!(english().try_render(&t).is_err());
    assert_eq!(Text::raw("as is").fr(), "as is");
}

#[test]
fn the_locale_chooses_english_only_when_it_names_english() {
    for (locale, lang) in [
        ("en_US.UTF-8", Lang::En),
        ("en", Lang::En),
        ("EN-ca", Lang::En),
        ("en_GB@euro", Lang::En),
        ("fr_CA.UTF-8", Lang::Fr),
        ("C.UTF-8", Lang::Fr),
        ("C", Lang::Fr),
        ("POSIX", Lang::Fr),
        ("", Lang::Fr),
        ("english", Lang::Fr),
    ] {
        assert_eq!(Lang::from_locale(locale), lang, "{locale}");
    }
}

#[test]
fn an_override_replaces_the_texts_it_gives_and_refuses_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(dir.path().join(FILE), text).unwrap();
    write("severity.error:\n  fr: \"faute\"\n");
    let c = Catalog::load(Lang::Fr, Some(dir.path())).unwrap();
    assert_eq!(c.render(&crate::msg!("severity.error")), "faute");
    assert_eq!(c.render(&crate::msg!("severity.warning")), "avertissement");
    assert_eq!(c.lang(), Lang::Fr);
    let en = Catalog::load(Lang::En, Some(dir.path())).unwrap();
    assert_eq!(en.render(&crate::msg!("severity.error")), "error");
    write("severity.eror:\n  fr: \"faute\"\n");
    let e = Catalog::load(Lang::Fr, Some(dir.path())).err().unwrap();
    assert_eq!(e.key(), "catalog.unknown_key");
    assert_eq!(e.arg("key"), Some("severity.eror"));
    write("severity.error:\n  de: \"Fehler\"\n");
    let e = Catalog::load(Lang::Fr, Some(dir.path())).err().unwrap();
    assert_eq!(e.arg("key"), Some("severity.error.de"));
    write("severity.error:\n  fr: \"{{ oops\"\n");
    let e = Catalog::load(Lang::Fr, Some(dir.path())).err().unwrap();
    assert_eq!(e.key(), "catalog.unreadable");
    write("[not, a, catalog]\n");
    let e = Catalog::load(Lang::Fr, Some(dir.path())).err().unwrap();
    assert_eq!(e.key(), "catalog.unreadable");
}
