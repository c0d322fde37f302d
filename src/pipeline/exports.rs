//! The export step of the render stage: `document.pdf` (typeset, or taken again when made
//! from the same source) and `document.docx` (streamed into the sink), each from the
//! exports' shared input (`render::exports`). The renderers read that input only; this
//! step is what calls them.

use crate::diag::Diagnostic;
use crate::files::Sink;
use crate::render::{self, exports::ExportInput};
use crate::templates::Templates;

/// `document.pdf` and the digest of everything it is made from.
pub(super) struct Pdf {
    pub bytes: Vec<u8>,
    pub source: String,
    /// The text it shows, when it was typeset here (not when taken from the previous
    /// output).
    pub text: Option<String>,
}

/// `document.pdf` (with the `pdf` feature; `None` without it): `previous` gives the bytes
/// of a PDF made from the same source when one is at hand, else it is typeset. It reads
/// only the input, so it can run beside the other outputs.
pub(super) fn pdf(
    templates: &Templates,
    input: &ExportInput,
    previous: &(dyn Fn(&str) -> Option<Vec<u8>> + Sync),
) -> Result<Option<Pdf>, Box<Diagnostic>> {
    #[cfg(feature = "pdf")]
    {
        let template = templates.asset("document.typ").unwrap_or_default();
        let job = render::pdf::Job::new(template, input)?;
        let source = job.source();
        let (bytes, text) = match previous(&source) {
            Some(bytes) => (bytes, None),
            None => {
                let done = job.typeset()?;
                (done.bytes, Some(done.text))
            }
        };
        Ok(Some(Pdf {
            bytes,
            source,
            text,
        }))
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = (templates, input, previous);
        Ok(None)
    }
}

/// `document.docx`, into `sink`. The package is streamed: each picture is read from the
/// sink as it is written, and none is held longer.
pub(super) fn docx(input: &ExportInput, sink: &mut dyn Sink) -> Result<(), Box<Diagnostic>> {
    let docx = render::docx::package(input)?;
    sink.put_with("document.docx", &mut |out, read| docx.write_to(out, read))
}
