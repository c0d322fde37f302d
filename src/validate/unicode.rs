//! Text that cannot lie (Unicode's security rules, UTS #39, through unicode-security):
//! no invisible or direction-changing character, no pile of combining marks, no two
//! instances whose names look alike, no URL host that mixes scripts.

use super::texts::{all_texts, blocks};
use super::{Code, Report};
use crate::diag::shown;
use crate::model::{Inventory, S};
use crate::msg;
use std::collections::BTreeMap;
use unicode_security::general_security_profile::{GeneralSecurityProfile, IdentifierType};
use unicode_security::{MixedScript, skeleton};

/// More combining marks than this on one letter overprint the line above.
pub(super) const MAX_MARKS: usize = 2;

pub(super) fn unicode_rules(r: &mut Report, inv: &Inventory) {
    let texts = all_texts(inv).into_iter().map(|(s, _)| s);
    for s in texts.chain(blocks(inv)) {
        invisible_rule(r, s);
        marks_rule(r, s);
    }
    look_alike_rule(r, inv);
    if let Some(url) = &inv.document.site_url {
        host_rule(r, url);
    }
    for inst in &inv.instances {
        host_rule(r, &inst.url);
        for h in &inst.hosted_sites {
            host_rule(r, &h.url);
        }
    }
}

/// Bidirectional controls reorder what is read (U+202E turns a sentence around);
/// zero-width and other default-ignorable characters hide in a name.
fn invisible_rule(r: &mut Report, s: &S<String>) {
    let hidden = |c: &char| c.identifier_type() == Some(IdentifierType::Default_Ignorable);
    if let Some(c) = s.value.chars().find(hidden) {
        let what = if is_bidi_control(c) {
            msg!("unicode.bidi")
        } else {
            msg!("unicode.invisible")
        };
        r.err(
            Code::E0143,
            s,
            msg!(
                "unicode.hidden",
                code = format!("U+{:04X}", c as u32),
                what = what
            ),
            msg!("unicode.hidden.help"),
        );
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Combining marks beyond [`MAX_MARKS`] in a row stack above the text and over the line
/// (or the box) above it.
fn marks_rule(r: &mut Report, s: &S<String>) {
    let mut run = 0;
    for c in s.value.chars() {
        run = if unicode_normalization::char::is_combining_mark(c) {
            run + 1
        } else {
            0
        };
        if run > MAX_MARKS {
            r.err(
                Code::E0144,
                s,
                msg!("unicode.marks", value = shown(&s.value), n = MAX_MARKS + 1),
                msg!("unicode.marks.help"),
            );
            return;
        }
    }
}

/// Two instances whose names are the same, or look the same (`Atelier` and `Аtelier` with a
/// Cyrillic А): two sections, two annexes and two tickets a reader cannot tell apart.
fn look_alike_rule(r: &mut Report, inv: &Inventory) {
    let mut seen: BTreeMap<String, &S<String>> = BTreeMap::new();
    for inst in &inv.instances {
        let key: String = skeleton(&inst.name.value.to_lowercase()).collect();
        if let Some(first) = seen.get(&key) {
            let same = first.value == inst.name.value;
            r.err(
                Code::E0145,
                &inst.name,
                if same {
                    msg!(
                        "unicode.same_name",
                        name = shown(&inst.name.value),
                        line = first.referenced.line()
                    )
                } else {
                    msg!(
                        "unicode.look_alike",
                        name = shown(&inst.name.value),
                        other = shown(&first.value),
                        line = first.referenced.line()
                    )
                },
                msg!("unicode.names.help"),
            );
        } else {
            seen.insert(key, &inst.name);
        }
    }
}

/// A URL whose host is internationalised: refused when a label mixes scripts (a Cyrillic
/// `е` in a Latin name), else a warning that shows the host as DNS knows it (punycode).
fn host_rule(r: &mut Report, url: &S<String>) {
    let Ok(parsed) = url::Url::parse(&url.value) else {
        return;
    };
    let Some(ascii) = parsed.host_str() else {
        return;
    };
    if !ascii.split('.').any(|l| l.starts_with("xn--")) {
        return;
    }
    let (unicode, _) = idna::domain_to_unicode(ascii);
    if let Some(label) = unicode.split('.').find(|l| !l.is_single_script()) {
        r.err(
            Code::E0146,
            url,
            msg!(
                "unicode.mixed_host",
                url = shown(&url.value),
                label = shown(label),
                ascii = ascii
            ),
            msg!("unicode.mixed_host.help"),
        );
    } else {
        r.err(
            Code::W0147,
            url,
            msg!("unicode.idn", url = shown(&url.value), ascii = ascii),
            msg!("unicode.idn.help"),
        );
    }
}
