//! Each ticket e-mail read back as a mail reader reads it (mail-parser): its subject, its
//! text and its attachments are the ticket's, byte for byte, whatever the inventory's texts
//! hold; a message that splits into other parts is caught here.

use super::tickets::{Entry, entries};
use crate::diag::{Code, Diagnostic, Pos};
use crate::files::Outputs;
use crate::render::tickets::eml::enclose;
use mail_parser::{Message, MessageParser, MimeHeaders};

/// What differs between the e-mail `m` as read and its ticket, if anything.
fn fault(
    m: &Message,
    txt: &str,
    e: &Entry,
    outputs: &Outputs,
    token: Option<&str>,
) -> Option<crate::diag::Text> {
    use crate::diag::Count;
    use crate::msg;
    if m.subject() != Some(e.subject.as_str()) {
        return Some(msg!("eml.subject"));
    }
    let description = txt.split_once("\n\n").map_or("", |(_, b)| b);
    let expected = enclose(description, token);
    let text = m.body_text(0).map(|t| t.replace("\r\n", "\n"));
    if m.text_body_count() != 1 || text.as_deref() != Some(expected.as_str()) {
        return Some(msg!("eml.text"));
    }
    let got: Vec<(Option<&str>, &[u8])> = m
        .attachments()
        .map(|p| (p.attachment_name(), p.contents()))
        .collect();
    if got.len() != e.attachments.len() {
        let (got, want) = (Count::of(got.len()), Count::of(e.attachments.len()));
        return Some(msg!("eml.attachments", got = got, want = want));
    }
    for ((name, bytes), path) in got.iter().zip(&e.attachments) {
        let file = path.rsplit('/').next().unwrap_or(path);
        if *name != Some(file) || outputs.get(path).map(Vec::as_slice) != Some(*bytes) {
            return Some(msg!("eml.attachment", file = file, path = path));
        }
    }
    None
}

pub(super) fn check(
    outputs: &Outputs,
    out_label: &str,
    token: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(entries) = entries(outputs) else {
        return; // E0530, from the tickets' own check
    };
    for e in &entries {
        let (Some(eml), Some(txt)) = (outputs.get(&e.eml), outputs.get(&e.txt)) else {
            continue; // E0531
        };
        let txt = String::from_utf8_lossy(txt);
        let why = match MessageParser::default().parse(eml.as_slice()) {
            None => Some(crate::msg!("eml.unreadable")),
            Some(m) => fault(&m, &txt, e, outputs, token),
        };
        if let Some(why) = why {
            diags.push(
                Diagnostic::error(
                    Code::E0537,
                    &format!("{out_label}/{}", e.eml),
                    Pos::default(),
                    crate::msg!("eml.differs", why = why),
                )
                .with_help(crate::msg!("eml.differs.help")),
            );
        }
    }
}
