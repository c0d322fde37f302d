//! The command line's choices (`--paper`, `--format`, `--tls`) as clap reads them, each
//! turned into the library's own type: the library knows nothing of clap.

use bascule::model::Paper;
use bascule::send::smtp::TlsMode;

/// `--paper`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperArg {
    /// US Letter, 8.5 × 11 in
    Letter,
    /// ISO A4, 210 × 297 mm
    A4,
}

impl From<PaperArg> for Paper {
    fn from(p: PaperArg) -> Self {
        match p {
            PaperArg::Letter => Paper::Letter,
            PaperArg::A4 => Paper::A4,
        }
    }
}

/// `--lang`: the language of faults and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// French (the default, unless the locale names English)
    Fr,
    /// English
    En,
}

impl From<LangArg> for bascule::diag::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Fr => bascule::diag::Lang::Fr,
            LangArg::En => bascule::diag::Lang::En,
        }
    }
}

/// `bascule tickets --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TicketsFormat {
    #[default]
    Text,
    Json,
}

impl From<TicketsFormat> for bascule::render::tickets::Format {
    fn from(f: TicketsFormat) -> Self {
        match f {
            TicketsFormat::Text => Self::Text,
            TicketsFormat::Json => Self::Json,
        }
    }
}

/// `bascule diff --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiffFormat {
    /// Text for people, coloured on a terminal
    #[default]
    Human,
    /// Markdown tables, to paste in a merge-request comment
    Markdown,
    /// The comparison as JSON, keys sorted
    Json,
}

impl From<DiffFormat> for bascule::diff::Format {
    fn from(f: DiffFormat) -> Self {
        match f {
            DiffFormat::Human => Self::Human,
            DiffFormat::Markdown => Self::Markdown,
            DiffFormat::Json => Self::Json,
        }
    }
}

/// `bascule send --tls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TlsArg {
    /// Plain connection, then STARTTLS (refused if the server does not offer it)
    #[default]
    Starttls,
    /// TLS from the first byte (port 465)
    Tls,
    /// No encryption: only to a loopback address (a relay on this machine)
    None,
}

impl From<TlsArg> for TlsMode {
    fn from(t: TlsArg) -> Self {
        match t {
            TlsArg::Starttls => TlsMode::Starttls,
            TlsArg::Tls => TlsMode::Tls,
            TlsArg::None => TlsMode::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    /// Every choice the command line offers is one the library has, by the same name.
    #[test]
    fn each_choice_is_the_librarys_own() {
        for p in PaperArg::value_variants() {
            let name = p.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(Paper::from(*p).name(), name);
        }
        assert_eq!(TlsMode::from(TlsArg::Tls), TlsMode::Tls);
        assert_eq!(TlsMode::from(TlsArg::None), TlsMode::None);
        assert_eq!(TlsMode::from(TlsArg::default()), TlsMode::Starttls);
        assert_eq!(
            bascule::diff::Format::from(DiffFormat::Markdown),
            bascule::diff::Format::Markdown
        );
        assert_eq!(
            bascule::diff::Format::from(DiffFormat::default()),
            bascule::diff::Format::Human
        );
        assert_eq!(
            bascule::render::tickets::Format::from(TicketsFormat::Json),
            bascule::render::tickets::Format::Json
        );
    }
}
