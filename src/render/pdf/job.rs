//! Typesetting `document.pdf`: a [`Job`] holds the template and the document's data, says
//! what the PDF is made from ([`Job::source`], so a build may take the previous PDF
//! again), and typesets it part by part (`parts.rs`), one Typst compile and one tagged PDF
//! per part ([`compile`]). Template faults become E0402 at the template's line and column.

use super::{DocWorld, MAIN, View, data};
use crate::diag::{Code, Diagnostic, Pos};
use crate::render::exports::ExportInput;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::{World, WorldExt};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// `datetime.today()` in the template: the reference date.
fn today(d: crate::date::Date) -> Option<Datetime> {
    Datetime::from_ymd(
        i32::from(d.year()),
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
}

/// The PDF's creation date: only when one is given (`SOURCE_DATE_EPOCH`), so that the
/// default build is the same every time.
fn timestamp(epoch: Option<i64>) -> Option<Timestamp> {
    let t = jiff::Timestamp::from_second(epoch?).ok()?;
    let d = jiff::tz::Offset::UTC.to_datetime(t);
    let dt = Datetime::from_ymd_hms(
        i32::from(d.year()),
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
        u8::try_from(d.hour()).ok()?,
        u8::try_from(d.minute()).ok()?,
        u8::try_from(d.second()).ok()?,
    )?;
    Some(Timestamp::new_utc(dt))
}

/// A typeset PDF: its bytes, Typst's warnings, and the text it shows.
pub struct Typeset {
    /// The PDF file's bytes.
    pub bytes: Vec<u8>,
    /// Typst's warnings, one text each with its hints (and the file when not the template).
    pub warnings: Vec<String>,
    /// Every run of text of every page, as laid out (a line per run): what `check` reads,
    /// so that no PDF is ever parsed.
    pub text: String,
}

/// Compiles `template` with the input's data into PDF bytes. Template faults are E0402
/// diagnostics at the template's line and column; warnings are returned.
pub fn pdf(template: &str, input: &ExportInput) -> Result<Typeset, Box<Diagnostic>> {
    Job::new(template, input)?.typeset()
}

/// The text of every page of `doc`, a run per line, in layout order.
fn laid_out_text(doc: &typst_layout::PagedDocument) -> String {
    fn walk(frame: &typst::layout::Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => walk(&g.frame, out),
                typst::layout::FrameItem::Text(t) => {
                    out.push_str(&t.text);
                    out.push('\n');
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    for page in doc.pages() {
        walk(&page.frame, &mut out);
    }
    out
}

/// Changes when something that shapes the PDF changes outside the template and its data:
/// the World, the options, the fonts, the way parts are cut and joined. It goes into
/// [`Job::source`], with Typst's version.
pub const PDF_REVISION: u32 = 2;

/// A PDF ready to typeset: the template, the document's data and the pictures it may
/// read, and the input's options.
pub struct Job<'a> {
    template: &'a str,
    input: &'a ExportInput,
    data: super::Data<'a>,
    pictures: Vec<(String, Vec<u8>)>,
}

/// A writer that feeds a hasher and counts what it fed.
struct Digest<'h, H>(&'h mut H, u64);

impl<H: sha2::Digest> std::io::Write for Digest<'_, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        self.1 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> Job<'a> {
    /// A job for `template` (the text of `document.typ`) and `input`'s data.
    pub fn new(template: &'a str, input: &'a ExportInput) -> Result<Job<'a>, Box<Diagnostic>> {
        let (data, pictures) = data(input);
        Ok(Job {
            template,
            input,
            data,
            pictures,
        })
    }

    /// The SHA-256 (`sha256:` and hex) of everything the PDF is made from: two jobs with
    /// the same source give the same bytes, so a build may take the previous PDF again.
    /// The whole document's `data.json` is streamed into it, never held.
    pub fn source(&self) -> String {
        use sha2::{Digest as _, Sha256};
        let mut h = Sha256::new();
        let field = |h: &mut Sha256, bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        let typst = typst::syntax::package::PackageVersion::compiler().to_string();
        let version = format!(
            "bascule {} pdf {PDF_REVISION} typst {typst}",
            env!("CARGO_PKG_VERSION")
        );
        field(&mut h, version.as_bytes());
        field(&mut h, self.template.as_bytes());
        for (name, bytes) in &self.pictures {
            field(&mut h, name.as_bytes());
            field(&mut h, bytes);
        }
        field(&mut h, b"data.json");
        let mut json = Digest(&mut h, 0);
        // Serialising strings and maps with string keys into a writer that cannot fail.
        let _ = serde_json::to_writer(&mut json, &self.data.whole());
        let len = json.1;
        h.update(len.to_le_bytes());
        let i = self.input;
        let date = Some(crate::date::iso(i.date));
        field(
            &mut h,
            format!("{:?} {date:?} {:?}", i.title, i.timestamp).as_bytes(),
        );
        format!("sha256:{:x}", h.finalize())
    }

    /// Typesets the PDF in parts and joins them: its bytes, Typst's warnings and the text
    /// it shows.
    pub fn typeset(self) -> Result<Typeset, Box<Diagnostic>> {
        let _bounded = crate::bounds::guard(MAIN);
        let part = Compiler {
            template: self.template,
            pictures: &self.pictures,
            today: today(self.input.date),
            options: options(self.input),
        };
        super::parts::typeset(&self.data, &part)
    }
}

/// What every part's compile shares: the template, the pictures, the date and the PDF's
/// options.
pub(super) struct Compiler<'j> {
    template: &'j str,
    pictures: &'j [(String, Vec<u8>)],
    today: Option<Datetime>,
    options: PdfOptions,
}

/// One part typeset: its PDF, its page count, Typst's warnings, its text, and the page
/// (from 1) each heading asked for was found on.
pub(super) struct Compiled {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<String>,
    pub text: String,
    pub found: Vec<Option<usize>>,
}

impl Compiler<'_> {
    /// The template's text.
    pub(super) fn template(&self) -> &str {
        self.template
    }

    /// Compiles one part's `view` into a tagged PDF (or only lays it out, unless `export`),
    /// and finds the pages of the headings labelled `ids`. Typst's memo is emptied afterwards: the next part shares nothing
    /// with this one, and keeping it would hold every part's layout at once.
    pub(super) fn compile(
        &self,
        view: &View,
        ids: &[&str],
        export: bool,
    ) -> Result<Compiled, Box<Diagnostic>> {
        let json =
            serde_json::to_vec(view).map_err(|e| template_error(format!("{e}"), Pos::default()))?;
        let mut files = self.pictures.to_vec();
        files.push(("data.json".into(), json));
        let world = DocWorld::new(self.template, files, self.today);
        let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let warned = typst::compile::<typst_layout::PagedDocument>(&world);
            let doc = warned.output?;
            let bytes = match export {
                true => typst_pdf::pdf(&doc, &self.options)?,
                false => Vec::new(),
            };
            let found = ids.iter().map(|id| page_of(&doc, id)).collect();
            let done = (bytes, doc.pages().len(), laid_out_text(&doc), found);
            Ok::<_, typst::ecow::EcoVec<SourceDiagnostic>>((done, warned.warnings))
        }));
        typst::comemo::evict(0);
        let ((bytes, pages, text, found), warnings) = match compiled {
            Ok(Ok(x)) => x,
            Ok(Err(errors)) => return Err(first_error(&world, &errors)),
            Err(_) => return Err(internal()),
        };
        let warnings = warnings.iter().map(|w| describe(&world, w)).collect();
        Ok(Compiled {
            bytes,
            pages,
            warnings,
            text,
            found,
        })
    }
}

/// The page (from 1) of the element labelled `id`, if there is exactly one.
fn page_of(doc: &typst_layout::PagedDocument, id: &str) -> Option<usize> {
    use typst::introspection::Introspector as _;
    let label = typst::foundations::Label::new(typst::utils::PicoStr::intern(id))?;
    let intro = doc.introspector();
    let loc = intro.query_label(label).ok()?.location()?;
    Some(intro.position(loc)?.page.get())
}

fn internal() -> Box<Diagnostic> {
    template_error("Typst stopped on an internal error".into(), Pos::default())
}

/// A fault of the parts themselves (pages that do not settle, a PDF that cannot be
/// joined): E0402 on the template, since only a template can make them.
pub(super) fn part_error(message: String) -> Box<Diagnostic> {
    template_error(message, Pos::default())
}

fn options(input: &ExportInput) -> PdfOptions {
    PdfOptions {
        ident: Smart::Custom(format!("bascule:{}", input.title)),
        creator: Smart::Custom(Some("bascule".into())),
        timestamp: timestamp(input.timestamp),
        standards: PdfStandards::new(&[PdfStandard::Ua_1]).unwrap_or_default(),
        tagged: true,
        ..PdfOptions::default()
    }
}

fn first_error(world: &DocWorld, errors: &[SourceDiagnostic]) -> Box<Diagnostic> {
    let first = errors
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or(errors.first());
    match first {
        Some(d) => template_error(describe(world, d), position(world, d)),
        None => template_error("Typst failed without a message".into(), Pos::default()),
    }
}

/// The message with its hints.
fn describe(world: &DocWorld, d: &SourceDiagnostic) -> String {
    let mut text = d.message.to_string();
    for hint in &d.hints {
        text.push_str(&format!("\n  = hint: {}", hint.v));
    }
    if let Some(id) = d.span.id().filter(|id| *id != world.main()) {
        text.push_str(&format!(" (in {})", id.vpath().get_without_slash()));
    }
    text
}

/// Line and column (1-based) in the template.
fn position(world: &DocWorld, d: &SourceDiagnostic) -> Pos {
    if d.span.id() != Some(world.main()) {
        return Pos::default();
    }
    let lines = world.main_source().lines();
    world
        .range(d.span)
        .and_then(|r| lines.byte_to_line_column(r.start))
        .map_or_else(Pos::default, |(l, c)| {
            Pos::new(
                u32::try_from(l + 1).unwrap_or(u32::MAX),
                u32::try_from(c + 1).unwrap_or(u32::MAX),
            )
        })
}

fn template_error(message: String, pos: Pos) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            Code::E0402,
            MAIN,
            pos,
            crate::msg!("template.error", reason = message),
        )
        .with_help(crate::msg!("template.help")),
    )
}
