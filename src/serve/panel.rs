//! The words of what the server adds to the site (the error panel over a page, the page
//! before the first build, the 404), in the run's language, made once per run.

/// The words of what the server adds to the site (the error panel, the page before the
/// first build, the 404), in the run's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Panel {
    /// The BCP 47 tag of the words.
    pub lang: String,
    /// The panel's heading over the last build's errors.
    pub failed: String,
    /// The page shown before a first build succeeded.
    pub no_page: String,
    /// The 404 page's text.
    pub not_found: String,
}

impl Panel {
    /// The panel's words in `words`' language.
    pub(crate) fn new(words: &crate::diag::Catalog) -> Panel {
        use crate::msg;
        Panel {
            lang: match words.lang() {
                crate::diag::Lang::Fr => crate::locale::tag(),
                crate::diag::Lang::En => "en".to_string(),
            },
            failed: words.render(&msg!("serve.failed")),
            no_page: words.render(&msg!("serve.no_page")),
            not_found: words.render(&msg!("serve.not_found")),
        }
    }
}
