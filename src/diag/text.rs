//! The words of a diagnostic in the writer's language. A message is a key of the catalog
//! (`templates/diagnostics.yaml`, every key in French and English) with its arguments: a
//! [`Text`], made with [`msg!`](crate::msg). It is rendered only when printed, by the
//! [`Catalog`] of the language chosen ([`Lang::from_env`], `--lang`), so that the codes,
//! positions, order and equality of diagnostics never depend on the language. A
//! `diagnostics.yaml` in the templates folder overrides the keys it gives, like `labels.yaml`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;
use tera::{Context, Tera};

/// The file name, embedded and in the templates folder.
pub(super) const FILE: &str = "diagnostics.yaml";
const DEFAULT: &str = include_str!("../../templates/diagnostics.yaml");

/// A message: a catalog key and the values of its arguments, rendered when printed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// The value of an argument: a value of the inventory or of the machine, shown as it is,
/// or a text of the catalog, rendered in the same language as the message around it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arg {
    /// A value shown as it is, already displayed (a name, an address, a path).
    Value(String),
    /// A message of the catalog, rendered in the language of the message around it.
    Text(Text),
    /// A number the message agrees with (`{{ n | pluriel(…) }}`).
    Count(u64),
}

/// A number a message agrees with, for [`msg!`](crate::msg): `n = Count(3)`. Other
/// numbers are values, shown as they are.
#[derive(Debug, Clone, Copy)]
pub struct Count(pub u64);

impl Count {
    /// `n`, as a count (a `usize` always fits: it is at most 64 bits).
    pub fn of(n: usize) -> Count {
        Count(u64::try_from(n).unwrap_or(u64::MAX))
    }
}

/// What [`msg!`](crate::msg) takes as an argument: anything displayable, or a [`Text`].
pub trait IntoArg {
    /// As an argument: a [`Text`] or a [`Count`] as itself, anything else by its display.
    fn into_arg(self) -> Arg;
}

impl<T: std::fmt::Display> IntoArg for T {
    fn into_arg(self) -> Arg {
        Arg::Value(self.to_string())
    }
}

impl IntoArg for Text {
    fn into_arg(self) -> Arg {
        Arg::Text(self)
    }
}

impl IntoArg for Count {
    fn into_arg(self) -> Arg {
        Arg::Count(self.0)
    }
}

/// `msg!("key", name = value, …)`: the [`Text`] of catalog key `key`; a value is anything
/// displayable, or a [`Text`] (rendered in the message's language). A test reads every use
/// in the sources and renders it in both languages with the arguments it names.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::diag::Text::new(
            $key,
            vec![$((stringify!($name), $crate::diag::IntoArg::into_arg($value))),*],
        )
    };
}

impl Text {
    /// Prefer [`msg!`](crate::msg), which the catalog test reads.
    pub fn new(key: &'static str, args: Vec<(&'static str, Arg)>) -> Text {
        Text { key, args }
    }

    /// A text shown as it is, in every language: for the tests of the renderings only
    /// (every message bascule prints is a key of the catalog).
    #[cfg(test)]
    pub(crate) fn raw(text: impl Into<String>) -> Text {
        Text {
            key: "raw",
            args: vec![("text", Arg::Value(text.into()))],
        }
    }

    /// The catalog key.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The value of argument `name`, if given and not a text.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| match v {
                Arg::Value(v) => Some(v.as_str()),
                Arg::Text(_) | Arg::Count(_) => None,
            })
    }

    /// In English, with the embedded catalog (tests, logs, panics).
    pub fn en(&self) -> String {
        english().render(self)
    }

    /// In French, with the embedded catalog.
    pub fn fr(&self) -> String {
        french().render(self)
    }
}

/// The language of diagnostics and command-line messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// The language of the documents bascule writes, and the default.
    Fr,
    /// English, for `--lang en` or an English locale.
    En,
}

impl Lang {
    /// The language of the locale variables, read as gettext does: the first of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` that is set and not empty. English when it names English
    /// (`en`, `en_CA.UTF-8`), French otherwise (`fr_CA.UTF-8`, `C`, nothing set): the
    /// inventory and the documents are French.
    pub fn from_env() -> Lang {
        let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty());
        Lang::from_locale(value.as_deref().unwrap_or(""))
    }

    /// `en`, `en_US.UTF-8`, `en-CA` → English; anything else → French.
    pub fn from_locale(locale: &str) -> Lang {
        let language = locale.split(['_', '-', '.', '@']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Fr
        }
    }

    fn field(self) -> &'static str {
        match self {
            Lang::Fr => crate::locale::LANGUAGE,
            Lang::En => "en",
        }
    }
}

/// The messages of one language, ready to render.
pub struct Catalog {
    lang: Lang,
    tera: Tera,
}

/// Each key's texts, by language field (`en`, `fr`).
type Entries = BTreeMap<String, BTreeMap<String, String>>;

fn parse(text: &str) -> Result<Entries, String> {
    serde_saphyr::from_str(text).map_err(|e| e.without_snippet().to_string())
}

impl Catalog {
    /// The embedded catalog in `lang` (it is tested to load).
    pub fn embedded(lang: Lang) -> Catalog {
        Catalog::load(lang, None).unwrap_or_else(|_| Catalog {
            lang,
            tera: Tera::new(),
        })
    }

    /// The embedded catalog in `lang`, with the texts of `dir/diagnostics.yaml` (if it
    /// exists) replacing theirs. A key or a language the defaults do not have is refused,
    /// as is a text Tera cannot read: the error is a [`Text`] to print with the embedded
    /// catalog.
    pub fn load(lang: Lang, dir: Option<&Path>) -> Result<Catalog, Text> {
        let mut entries = parse(DEFAULT)
            .map_err(|e| crate::msg!("catalog.unreadable", file = FILE, reason = e))?;
        if let Some(path) = dir.map(|d| d.join(FILE)) {
            let file = path.display().to_string();
            let found = crate::overrides::read_override(&path)
                .map_err(|e| crate::msg!("catalog.unreadable", file = &file, reason = e))?;
            if let Some(text) = found {
                let own = parse(&text)
                    .map_err(|e| crate::msg!("catalog.unreadable", file = &file, reason = e))?;
                merge(&mut entries, own)
                    .map_err(|key| crate::msg!("catalog.unknown_key", file = &file, key = key))?;
            }
        }
        let texts: Vec<(String, String)> = entries
            .into_iter()
            .filter_map(|(k, mut langs)| Some((k, langs.remove(lang.field())?)))
            .collect();
        let mut tera = Tera::new();
        crate::locale::register_filters(&mut tera);
        tera.add_raw_templates(texts).map_err(|e| {
            crate::msg!(
                "catalog.unreadable",
                file = FILE,
                reason = super::chain(&e, ": ")
            )
        })?;
        Ok(Catalog { lang, tera })
    }

    /// The language of its texts.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// `text` in this catalog's language. A text the catalog cannot render (an overridden
    /// text naming an argument the message does not have) is shown as its key and
    /// arguments: a message is never lost.
    pub fn render(&self, text: &Text) -> String {
        self.try_render(text).unwrap_or_else(|_| {
            let shown: Vec<String> = (text.args.iter())
                .map(|(n, v)| format!("{n}={}", self.arg(v)))
                .collect();
            format!("{} ({})", text.key, shown.join(", "))
        })
    }

    /// `text` in this catalog's language, as a line (a message of the console).
    pub fn line(&self, text: &Text) -> String {
        format!("{}\n", self.render(text))
    }

    /// `text` in this catalog's language, or Tera's reason why not.
    pub fn try_render(&self, text: &Text) -> Result<String, String> {
        let mut ctx = Context::new();
        for (name, value) in &text.args {
            match value {
                Arg::Count(n) => ctx.insert(*name, n),
                other => ctx.insert(*name, &self.arg(other)),
            }
        }
        (self.tera.render(text.key, &ctx)).map_err(|e| super::chain(&e, ": "))
    }

    fn arg(&self, value: &Arg) -> String {
        match value {
            Arg::Value(v) => v.clone(),
            Arg::Text(t) => self.render(t),
            Arg::Count(n) => n.to_string(),
        }
    }
}

/// `own`'s texts into `entries`; the first key or language `entries` lacks is the error.
fn merge(entries: &mut Entries, own: Entries) -> Result<(), String> {
    for (key, langs) in own {
        let Some(known) = entries.get_mut(&key) else {
            return Err(key);
        };
        for (lang, text) in langs {
            match known.get_mut(&lang) {
                Some(t) => *t = text,
                None => return Err(format!("{key}.{lang}")),
            }
        }
    }
    Ok(())
}

/// The embedded English catalog, made once.
pub fn english() -> &'static Catalog {
    static EN: OnceLock<Catalog> = OnceLock::new();
    EN.get_or_init(|| Catalog::embedded(Lang::En))
}

/// The embedded French catalog, made once.
pub fn french() -> &'static Catalog {
    static FR: OnceLock<Catalog> = OnceLock::new();
    FR.get_or_init(|| Catalog::embedded(Lang::Fr))
}

#[cfg(test)]
mod tests;
