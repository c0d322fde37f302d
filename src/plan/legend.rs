//! The plan's types for what a box and the legend show: the four colours with their
//! words and shades, and the actions a VM undergoes at a state, with their symbols.

use serde::Serialize;

/// The four colours of the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    /// No intervention at any state.
    Green,
    /// No intervention requested at this state.
    Black,
    /// Intervention requested at this state (deactivation, deletion, DNS change).
    Red,
    /// Creation requested.
    Blue,
}

impl Colour {
    /// Every colour, in the legend's order: green, black, red, blue.
    pub const ALL: [Colour; 4] = [Colour::Green, Colour::Black, Colour::Red, Colour::Blue];

    /// The key of the colour in labels, CSS classes and SVG classes.
    pub fn key(self) -> &'static str {
        match self {
            Colour::Green => "green",
            Colour::Black => "black",
            Colour::Red => "red",
            Colour::Blue => "blue",
        }
    }

    /// Shades chosen for contrast on white and between each other (also in grayscale,
    /// helped by the symbols).
    pub fn hex(self) -> &'static str {
        match self {
            Colour::Green => "#1b7f3b",
            Colour::Black => "#1a1a1a",
            Colour::Red => "#c62828",
            Colour::Blue => "#1f5fbf",
        }
    }

    /// The same colour on the site's dark background (`prefers-color-scheme: dark`), where
    /// the shades for white would be dark on dark; each keeps at least 4.5:1 against it.
    pub fn hex_on_dark(self) -> &'static str {
        match self {
            Colour::Green => "#4caf6a",
            Colour::Black => "#e8e8e8",
            Colour::Red => "#f26b6b",
            Colour::Blue => "#6ea8fe",
        }
    }
}

/// A colour with its words, as the legend and every box show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColourPlan {
    /// Which of the four colours.
    pub colour: Colour,
    /// `green`, `black`, `red`, `blue`.
    pub key: &'static str,
    /// The shade on white, `#rrggbb` ([`Colour::hex`]), as the annexes and exports draw it.
    pub hex: &'static str,
    /// [`Colour::hex_on_dark`]
    pub hex_on_dark: &'static str,
    /// « rouge »
    pub word: String,
    /// « ▲ »
    pub symbol: String,
    /// « intervention demandée (…) à cet état »
    pub meaning: String,
}

/// What happens to a VM at a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// The VM is created at this state, asked for by an Octopus creation request.
    Create,
    /// Takes a DNS name from another VM.
    DnsIn,
    /// Gives a DNS name to another VM.
    DnsOut,
    /// Gives a DNS name up.
    DnsRelease,
    /// The VM is deactivated: kept, but it no longer serves the instance.
    Deactivate,
    /// The VM is deleted.
    Delete,
}

/// One action on a VM at a state, worded for a box and the operations table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionPlan {
    /// What happens (`create`, `dns-in`, `dns-out`, `dns-release`, `deactivate`, `delete`).
    pub kind: ActionKind,
    /// The symbol of its family, from the labels file (`action.FAMILY.symbol`): « + », « ↔ »…
    pub symbol: String,
    /// « désactivation », « changement DNS »…
    pub word: String,
    /// The line shown in a box: « ↔ DNS examens.exemple.ca ← examensweb ».
    pub text: String,
    /// The DNS name, for DNS actions.
    pub dns: Option<String>,
    /// The other machine of a DNS move.
    pub peer: Option<String>,
    /// A creation: its request's Octopus number, once known (the inventory's `ticket`).
    /// `None` for any other action.
    pub ticket: Option<u32>,
}

/// One kind of action in the legend of an annexe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionLegend {
    /// The family's symbol (`action.FAMILY.symbol`): « + », « ○ », « × », « ↔ ».
    pub symbol: String,
    /// The family's word (`action.FAMILY.word`): « création », « changement DNS »…
    pub word: String,
}
