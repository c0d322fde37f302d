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
    /// Masculine: 1 is « un ».
    Masculine,
    /// Feminine: 1 is « une » (every other number is the same).
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
    match crate::date::parse(iso) {
        Ok(d) => day(d, style),
        Err(_) => iso.to_string(),
    }
}

/// A calendar date in `style`: « 2024-04-06 », « 6 avril 2024 », « 1ᵉʳ mai 2024 ».
pub fn day(d: crate::date::Date, style: DateStyle) -> String {
    match style {
        DateStyle::Long => {
            let day = if d.day() == 1 {
                "1\u{1d49}\u{2b3}".to_string()
            } else {
                d.day().to_string()
            };
            let month = MONTHS[usize::from(d.month().unsigned_abs()) - 1];
            format!("{day}\u{a0}{month} {}", d.year())
        }
        DateStyle::Iso => crate::date::iso(d),
    }
}

/// A time of day the Québec way: « 18 h », « 9 h 05 », for `minutes` after midnight (past
/// 24 h, the next day's).
pub fn clock(minutes: u32) -> String {
    let (h, m) = ((minutes / 60) % 24, minutes % 60);
    if m == 0 {
        format!("{h}\u{a0}h")
    } else {
        format!("{h}\u{a0}h\u{a0}{m:02}")
    }
}

/// French typography in the writer's prose: a no-break space before « : » and inside
/// guillemets, a narrow one before « ; », « ! », « ? » (OQLF), where a plain space or none
/// was typed. Inline code (between backticks) is left as written.
pub fn typography(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                part.to_string()
            } else {
                spaces(part)
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

fn spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let space_before = |out: &mut String, nb: char| {
            if out.ends_with(' ') {
                out.pop();
            }
            if !(out.ends_with('\u{a0}')
                || out.ends_with('\u{202f}')
                || out.is_empty()
                || out.ends_with('\n'))
            {
                out.push(nb);
            }
        };
        let next_is_space = chars.peek().is_none_or(|n| n.is_whitespace());
        match c {
            ':' if next_is_space => space_before(&mut out, '\u{a0}'),
            ';' | '!' | '?' if next_is_space => space_before(&mut out, '\u{202f}'),
            '»' => space_before(&mut out, '\u{a0}'),
            _ => {}
        }
        out.push(c);
        if c == '«' {
            if chars.peek().is_some_and(|n| *n == ' ' || *n == '\u{a0}') {
                chars.next();
            }
            out.push('\u{a0}');
        }
    }
    out
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// A date in `style` with its weekday in the long style (« lundi 14 janvier 2019 »); the
/// ISO style has none (2019-01-14).
pub fn day_with_weekday(d: crate::date::Date, style: DateStyle) -> String {
    match style {
        DateStyle::Long => {
            let weekday = WEEKDAYS[usize::from(d.weekday().to_monday_zero_offset().unsigned_abs())];
            format!("{weekday} {}", day(d, style))
        }
        DateStyle::Iso => day(d, style),
    }
}

/// Bodies that meet, by gender, for « la réunion du comité », « de la commission ».
const MASCULINE_BODIES: &[&str] = &[
    "bureau",
    "cabinet",
    "collège",
    "comité",
    "conseil",
    "consortium",
    "département",
    "directoire",
    "exécutif",
    "forum",
    "groupe",
    "jury",
    "secrétariat",
    "service",
];
const FEMININE_BODIES: &[&str] = &[
    "administration",
    "assemblée",
    "cellule",
    "commission",
    "coordination",
    "délégation",
    "direction",
    "équipe",
    "instance",
    "présidence",
    "table",
    "vice-présidence",
];

/// What follows « la réunion » for a meeting the inventory names, and whether the grammar
/// is sure of it: an article is contracted (« le comité » → « du comité », « la commission »
/// → « de la commission », « l’assemblée » → « de l’assemblée »); a known body takes its
/// article (« comité de direction » → « du comité de direction »); a proper name or an
/// acronym stands alone (« DRI », « Groupe TI » is a body: « du Groupe TI »). Anything else
/// stands alone too, and is not sure.
pub fn meeting_phrase(meeting: &str) -> (String, bool) {
    let m = meeting.trim();
    let lower = m.to_lowercase();
    for (article, with_de) in [("le ", "du "), ("les ", "des "), ("la ", "de la ")] {
        if lower.starts_with(article) {
            return (format!("{with_de}{}", &m[article.len()..]), true);
        }
    }
    for elided in ["l'", "l\u{2019}"] {
        if lower.starts_with(elided) {
            return (format!("de l{APOSTROPHE}{}", &m[elided.len()..]), true);
        }
    }
    let first = lower
        .split(|c: char| !(c.is_alphabetic() || c == '-'))
        .next()
        .unwrap_or("");
    if MASCULINE_BODIES.contains(&first) {
        return (elide("du", m), true);
    }
    if FEMININE_BODIES.contains(&first) {
        return (format!("de {}", elide("la", m)), true);
    }
    let proper = m
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric());
    (m.to_string(), proper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meetings_take_their_article() {
        let p = |m: &str| meeting_phrase(m);
        assert_eq!(p("DRI"), ("DRI".into(), true));
        assert_eq!(
            p("comité de direction"),
            ("du comité de direction".into(), true)
        );
        assert_eq!(
            p("Comité de direction"),
            ("du Comité de direction".into(), true)
        );
        assert_eq!(
            p("le comité de direction"),
            ("du comité de direction".into(), true)
        );
        assert_eq!(
            p("la commission des études"),
            ("de la commission des études".into(), true)
        );
        assert_eq!(
            p("commission des études"),
            ("de la commission des études".into(), true)
        );
        assert_eq!(
            p("assemblée générale"),
            ("de l’assemblée générale".into(), true)
        );
        assert_eq!(p("l’assemblée"), ("de l’assemblée".into(), true));
        assert_eq!(p("L'exécutif"), ("de l’exécutif".into(), true));
        assert_eq!(p("exécutif"), ("de l’exécutif".into(), true));
        assert_eq!(p("les directeurs"), ("des directeurs".into(), true));
        assert_eq!(p("réunionnite"), ("réunionnite".into(), false));
        assert_eq!(p("Groupe TI"), ("du Groupe TI".into(), true));
    }

    #[test]
    fn the_writers_prose_gets_french_spaces() {
        assert_eq!(
            typography("Note : voir ; vraiment ? oui !"),
            "Note\u{a0}: voir\u{202f}; vraiment\u{202f}? oui\u{202f}!"
        );
        assert_eq!(typography("Note: deux-points"), "Note\u{a0}: deux-points");
        assert_eq!(typography("« cité »"), "«\u{a0}cité\u{a0}»");
        assert_eq!(typography("«cité»"), "«\u{a0}cité\u{a0}»");
        assert_eq!(typography("«\u{a0}cité\u{a0}»"), "«\u{a0}cité\u{a0}»");
        assert_eq!(typography("https://x.ca et 10:30"), "https://x.ca et 10:30");
        assert_eq!(typography("`a : b` puis c : d"), "`a : b` puis c\u{a0}: d");
        assert_eq!(typography("déjà\u{a0}: bien"), "déjà\u{a0}: bien");
        assert_eq!(typography(": en tête"), ": en tête");
        assert_eq!(typography("- a :\n- b"), "- a\u{a0}:\n- b");
    }

    fn d(iso: &str) -> crate::date::Date {
        crate::date::parse(iso).unwrap()
    }

    #[test]
    fn times_the_quebec_way() {
        assert_eq!(clock(18 * 60), "18\u{a0}h");
        assert_eq!(clock(9 * 60 + 5), "9\u{a0}h\u{a0}05");
        assert_eq!(clock(25 * 60 + 30), "1\u{a0}h\u{a0}30");
    }

    #[test]
    fn long_dates_say_their_weekday() {
        assert_eq!(
            day_with_weekday(d("2019-01-14"), DateStyle::Long),
            "lundi 14\u{a0}janvier 2019"
        );
        assert_eq!(
            day_with_weekday(d("2024-06-01"), DateStyle::Long),
            "samedi 1ᵉʳ\u{a0}juin 2024"
        );
        assert_eq!(
            day_with_weekday(d("2019-01-20"), DateStyle::Long),
            "dimanche 20\u{a0}janvier 2019"
        );
        assert_eq!(
            day_with_weekday(d("2019-01-14"), DateStyle::Iso),
            "2019-01-14"
        );
    }

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
