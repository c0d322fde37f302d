//! The rows of a comparison being collected: a fact or a count when the two sides differ,
//! any other change as it is found, and the state it happens at.

use super::types::{Count, Fact, Key, Kind, Row};

/// The rows being collected.
#[derive(Default)]
pub(super) struct Rows(pub(super) Vec<Row>);

impl Rows {
    pub(super) fn push(
        &mut self,
        kind: Kind,
        key: Option<Key>,
        subject: Option<&str>,
        old: Option<String>,
        new: Option<String>,
    ) {
        self.0.push(Row {
            kind,
            key,
            subject: subject.map(str::to_string),
            state: None,
            old,
            new,
        });
    }

    /// A fact row, when the two sides differ.
    pub(super) fn fact<T: ToString + PartialEq>(
        &mut self,
        f: Fact,
        subject: Option<&str>,
        old: Option<T>,
        new: Option<T>,
    ) {
        if old != new {
            let s = |v: Option<T>| v.map(|v| v.to_string());
            self.push(Kind::Fact, Some(Key::Fact(f)), subject, s(old), s(new));
        }
    }

    pub(super) fn count(&mut self, c: Count, old: usize, new: usize) {
        if old != new {
            let key = Some(Key::Count(c));
            self.push(
                Kind::Count,
                key,
                None,
                Some(old.to_string()),
                Some(new.to_string()),
            );
        }
    }

    /// The last row happens at `state`.
    pub(super) fn at(&mut self, state: &str) {
        if let Some(r) = self.0.last_mut() {
            r.state = Some(state.to_string());
        }
    }
}
