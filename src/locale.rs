//! The language bascule writes in, defined once, and its grammar as the templates use it.
//! Every output that declares a language reads it here: the annexe SVG's `xml:lang`, the
//! site's `<html lang>`, the PDF's text (hyphenation, quotes), the Word styles and
//! properties, the calendar's names. Templates and labels get the grammar of
//! [`crate::french`] as Tera filters from [`register_filters`].

use tera::{Kwargs, State, Tera};

/// The language, as ISO 639-1.
pub(crate) const LANGUAGE: &str = "fr";

/// The region whose usage the text follows (OQLF typography, AAAA-MM-JJ dates), ISO 3166-1.
pub(crate) const REGION: &str = "CA";

/// The BCP 47 tag of language and region: `fr-CA`.
pub(crate) fn tag() -> String {
    format!("{LANGUAGE}-{REGION}")
}

/// The French grammar of [`crate::french`] as Tera filters, for templates and labels:
/// `de`, `que`, `le`, `la`, `du` (elision: `{{ name | de }}` is « d’Examens »), `nombre` and
/// `nombre_f` (« un », « une », « trois »), `pluriel(un=…, plusieurs=…)`, `liste` (« A, B et
/// C »; `liste(conj="ou")`), `majuscule` (first letter only).
pub(crate) fn register_filters(t: &mut Tera) {
    use crate::french::{self, Gender};
    t.register_filter("de", |v: &str, _: Kwargs, _: &State| french::elide("de", v));
    t.register_filter("que", |v: &str, _: Kwargs, _: &State| {
        french::elide("que", v)
    });
    t.register_filter("le", |v: &str, _: Kwargs, _: &State| french::elide("le", v));
    t.register_filter("la", |v: &str, _: Kwargs, _: &State| french::elide("la", v));
    t.register_filter("du", |v: &str, _: Kwargs, _: &State| french::elide("du", v));
    t.register_filter("nombre", |n: u64, _: Kwargs, _: &State| {
        french::number_words(n, Gender::Masculine)
    });
    t.register_filter("nombre_f", |n: u64, _: Kwargs, _: &State| {
        french::number_words(n, Gender::Feminine)
    });
    t.register_filter("en_lettres", |n: u64, _: Kwargs, _: &State| {
        french::number_words(n, Gender::Masculine)
    });
    t.register_filter(
        "pluriel",
        |n: u64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let one: String = kw.must_get("un")?;
            let many: String = kw.must_get("plusieurs")?;
            Ok(french::plural(n, &one, &many).to_string())
        },
    );
    t.register_filter(
        "liste",
        |items: Vec<tera::Value>, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let conj: Option<String> = kw.get("conj")?;
            let attribute: Option<String> = kw.get("attribut")?;
            let words: Vec<String> = items
                .iter()
                .map(|v| match &attribute {
                    Some(a) => v
                        .get_from_path(a)
                        .map(|x| x.to_string())
                        .unwrap_or_default(),
                    None => v.to_string(),
                })
                .collect();
            Ok(french::list(&words, conj.as_deref().unwrap_or("et")))
        },
    );
    t.register_filter("phrase", |v: &str, _: Kwargs, _: &State| {
        french::sentence(v)
    });
    t.register_filter("majuscule", |v: &str, _: Kwargs, _: &State| {
        french::capitalise(v)
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tag_joins_language_and_region() {
        assert_eq!(super::tag(), "fr-CA");
    }
}
