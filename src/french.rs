//! French grammar for generated prose: elision (« d’Examens », « de CNRS »), agreement in
//! number, number words, lists (« A, B et C »), dates (AAAA-MM-JJ or « 6 avril 2024 »).
//!
//! Every sentence bascule writes is assembled in a template; this module only gives the
//! templates (as Tera filters, see [`crate::templates`]) the small pieces French grammar
//! needs, so that a sentence agrees whatever the names and counts of an inventory.

/// The apostrophe of French typography (U+2019).
pub const APOSTROPHE: char = '\u{2019}';

/// Words beginning with an aspirated h: no elision (« le hangar », « de Hautes-Rives »).
const ASPIRATED_H: &[&str] = &[
    "hache",
    "haie",
    "haine",
    "hall",
    "halte",
    "hamac",
    "hameau",
    "hamster",
    "hanche",
    "handicap",
    "hangar",
    "hareng",
    "haricot",
    "harpe",
    "hasard",
    "hausse",
    "haut",
    "haute",
    "hautes",
    "hauts",
    "havre",
    "hérisson",
    "héros",
    "hêtre",
    "hibou",
    "hiérarchie",
    "hockey",
    "homard",
    "honte",
    "hors",
    "housse",
    "hublot",
    "huit",
    "hurlement",
    "hutte",
];

/// Whether `word` begins with a vowel sound, so that « de », « le », « la », « que »
/// elide before it. Rules:
/// - a vowel (accented or not) elides: « d’Examens », « l’Orientation »;
/// - an `h` elides unless the word is in the aspirated-h list: « d’Hébergement » but
///   « de Hautes-Rives »;
/// - a `y` elides before a consonant (« d’Yvonne »), not before a vowel (« de Yannick »);
/// - an acronym (all capitals) elides only when its first letter is a vowel (« d’UQAM »,
///   « de CNRS »);
/// - anything else (digits, punctuation, symbols) does not elide.
pub fn starts_with_vowel_sound(word: &str) -> bool {
    let word = word.trim_start();
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let lower: String = first.to_lowercase().collect();
    let head = lower.chars().next().unwrap_or(first);
    if is_vowel(head) {
        return head != 'y' || !chars.next().is_some_and(|c| is_vowel(lower_char(c)));
    }
    if head == 'h' && !is_acronym(word) {
        let first_word: String = word
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("")
            .to_lowercase();
        return !ASPIRATED_H.contains(&first_word.as_str());
    }
    false
}

fn lower_char(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn is_vowel(c: char) -> bool {
    "aàâäeéèêëiîïoôöuùûüyÿæœ".contains(c)
}

/// An acronym: at least two letters, all of them capitals (« CNRS », « UQAM »).
fn is_acronym(word: &str) -> bool {
    let token: Vec<char> = word.chars().take_while(|c| c.is_alphanumeric()).collect();
    token.iter().filter(|c| c.is_alphabetic()).count() >= 2
        && token.iter().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

/// `word` after the particle `particle` (« de », « le », « la », « que », « du »), with
/// elision when French wants it: `elide("de", "Examens")` is « d’Examens »,
/// `elide("du", "Orientation")` is « de l’Orientation ».
pub fn elide(particle: &str, word: &str) -> String {
    let word = word.trim();
    let vowel = starts_with_vowel_sound(word);
    match (particle, vowel) {
        ("du", true) => format!("de l{APOSTROPHE}{word}"),
        ("de" | "le" | "la" | "que" | "je" | "ne" | "se", true) => {
            let mut p = particle.to_string();
            p.pop();
            format!("{p}{APOSTROPHE}{word}")
        }
        ("lorsque" | "puisque", true) => {
            format!("{}{APOSTROPHE}{word}", &particle[..particle.len() - 1])
        }
        _ => format!("{particle} {word}"),
    }
}

/// Grammatical gender, for number words and articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Masculine,
    Feminine,
}

/// The number `n` in words up to twenty (« une VM », « trois parties »), in digits beyond.
pub fn number_words(n: u64, gender: Gender) -> String {
    const WORDS: [&str; 21] = [
        "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
        "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
        "dix-neuf", "vingt",
    ];
    match (n, gender) {
        (1, Gender::Feminine) => "une".into(),
        (n, _) => usize::try_from(n)
            .ok()
            .and_then(|i| WORDS.get(i))
            .map_or_else(|| n.to_string(), |w| (*w).to_string()),
    }
}

/// `one` when `n` is 0 or 1 (French singular), else `many`.
pub fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n <= 1 { one } else { many }
}

/// « A », « A et B », « A, B et C » (`conjunction` « et » or « ou »).
pub fn list(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// `s` ending with a full stop, unless it already ends with `.`, `!`, `?` or `…`.
pub fn sentence(s: &str) -> String {
    let s = s.trim_end();
    if s.ends_with(['.', '!', '?', '…']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// The first letter in capitals, the rest as is (« le jour M » → « Le jour M »).
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// How dates are written in the prose. The inventory's `document.date_style`: its doc
/// comments are in French, as the writer reads them in the editor (the JSON Schema).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Deserialize,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum DateStyle {
    /// AAAA-MM-JJ (2024-04-06), comme le document de référence.
    #[default]
    Iso,
    /// « 6 avril 2024 », « 1ᵉʳ mai 2024 ».
    Long,
}

/// A date in `style`, from its AAAA-MM-JJ form; anything else is returned as it is.
pub fn date(iso: &str, style: DateStyle) -> String {
    match (style, crate::date::parse(iso)) {
        (DateStyle::Long, Ok(d)) => {
            let day = if d.day() == 1 {
                "1\u{1d49}\u{2b3}".to_string()
            } else {
                d.day().to_string()
            };
            let month = MONTHS[usize::from(d.month().unsigned_abs()) - 1];
            format!("{day}\u{a0}{month} {}", d.year())
        }
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elision_before_vowels_and_mute_h() {
        assert_eq!(elide("de", "Examens"), "d’Examens");
        assert_eq!(elide("de", "Archives"), "d’Archives");
        assert_eq!(elide("de", "Campus"), "de Campus");
        assert_eq!(elide("de", "Éducation"), "d’Éducation");
        assert_eq!(elide("de", "Hébergement"), "d’Hébergement");
        assert_eq!(elide("de", "Hautes-Rives"), "de Hautes-Rives");
        assert_eq!(elide("le", "hangar"), "le hangar");
        assert_eq!(elide("la", "Orientation"), "l’Orientation");
        assert_eq!(elide("que", "Examens"), "qu’Examens");
        assert_eq!(elide("du", "Orientation"), "de l’Orientation");
        assert_eq!(elide("du", "Campus"), "du Campus");
        assert_eq!(elide("lorsque", "il"), "lorsqu’il");
    }

    #[test]
    fn acronyms_y_digits_and_symbols() {
        assert_eq!(elide("de", "SIPI"), "de SIPI");
        assert_eq!(elide("de", "UQAM"), "d’UQAM");
        assert_eq!(elide("de", "HEC"), "de HEC");
        assert_eq!(elide("de", "Yvonne"), "d’Yvonne");
        assert_eq!(elide("de", "Yannick"), "de Yannick");
        assert_eq!(elide("de", "Ypres"), "d’Ypres");
        assert_eq!(elide("de", "3CX"), "de 3CX");
        assert_eq!(elide("de", "« Examens »"), "de « Examens »");
        assert_eq!(elide("de", "&co"), "de &co");
        assert_eq!(elide("de", ""), "de ");
        assert_eq!(elide("de", "  Archives "), "d’Archives");
        assert!(!starts_with_vowel_sound(""));
        assert!(starts_with_vowel_sound("Œuvres"));
        assert!(starts_with_vowel_sound("a"));
        assert!(starts_with_vowel_sound("h"));
        assert!(!starts_with_vowel_sound("Haut-Richelieu"));
        assert!(!starts_with_vowel_sound("HTML"));
        assert!(!starts_with_vowel_sound("Yaourt"));
        assert!(starts_with_vowel_sound("Y"));
    }

    #[test]
    fn numbers_agree_in_gender() {
        assert_eq!(number_words(1, Gender::Feminine), "une");
        assert_eq!(number_words(1, Gender::Masculine), "un");
        assert_eq!(number_words(0, Gender::Feminine), "zéro");
        assert_eq!(number_words(3, Gender::Feminine), "trois");
        assert_eq!(number_words(20, Gender::Masculine), "vingt");
        assert_eq!(number_words(21, Gender::Masculine), "21");
        assert_eq!(
            number_words(u64::MAX, Gender::Masculine),
            u64::MAX.to_string()
        );
    }

    #[test]
    fn singular_for_zero_and_one() {
        assert_eq!(plural(0, "jour", "jours"), "jour");
        assert_eq!(plural(1, "jour", "jours"), "jour");
        assert_eq!(plural(2, "jour", "jours"), "jours");
    }

    #[test]
    fn lists_join_with_commas_and_a_conjunction() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(list(&s(&[]), "et"), "");
        assert_eq!(list(&s(&["A"]), "et"), "A");
        assert_eq!(list(&s(&["A", "B"]), "et"), "A et B");
        assert_eq!(list(&s(&["A", "B", "C"]), "ou"), "A, B ou C");
    }

    #[test]
    fn sentences_end_with_one_full_stop() {
        assert_eq!(sentence("Présenter"), "Présenter.");
        assert_eq!(sentence("Présenter."), "Présenter.");
        assert_eq!(sentence("Vraiment ?"), "Vraiment ?");
        assert_eq!(sentence("Etc… "), "Etc…");
    }

    #[test]
    fn capitalise_touches_only_the_first_letter() {
        assert_eq!(capitalise("le jour M"), "Le jour M");
        assert_eq!(capitalise("à M+30"), "À M+30");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn dates_in_both_styles() {
        assert_eq!(date("2024-04-06", DateStyle::Iso), "2024-04-06");
        assert_eq!(date("2024-04-06", DateStyle::Long), "6\u{a0}avril 2024");
        assert_eq!(date("2024-05-01", DateStyle::Long), "1ᵉʳ\u{a0}mai 2024");
        assert_eq!(date("2019-12-31", DateStyle::Long), "31\u{a0}décembre 2019");
        assert_eq!(date("2019-01-15", DateStyle::Long), "15\u{a0}janvier 2019");
        assert_eq!(date("pas une date", DateStyle::Long), "pas une date");
    }
}
