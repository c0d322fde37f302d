//! The Typst `World` of the PDF export: the template and its virtual files in memory, the
//! bundled DejaVu fonts only, a fixed date, and no access to the file system or packages.

use std::collections::HashMap;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// DejaVu Sans Oblique, Bold Oblique and Sans Mono: the PDF's italics and code
/// (licence in `assets/fonts/LICENSE-DejaVu.txt`).
const OBLIQUE: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Oblique.ttf");
const BOLD_OBLIQUE: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-BoldOblique.ttf");
const MONO: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansMono.ttf");

/// The name the template is compiled under (diagnostics name it).
pub const MAIN: &str = "document.typ";

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// The bundled faces, parsed once per process.
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let faces: [&'static [u8]; 5] = [
            crate::font::REGULAR,
            crate::font::BOLD,
            OBLIQUE,
            BOLD_OBLIQUE,
            MONO,
        ];
        let fonts: Vec<Font> = faces
            .into_iter()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

/// Typst's standard library, built once per process.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

/// One compilation: the template as main source, plus virtual files by path.
pub struct DocWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl DocWorld {
    /// `files` are served by their path relative to the template (`data.json`,
    /// `annexes/annexe-1.svg`); `today` is the date `datetime.today()` gives, if any.
    pub fn new(template: &str, files: Vec<(String, Vec<u8>)>, today: Option<Datetime>) -> Self {
        let main_id = file_id(MAIN).expect("a valid constant path");
        let files = files
            .into_iter()
            .filter_map(|(path, bytes)| Some((file_id(&path)?, Bytes::new(bytes))))
            .collect();
        DocWorld {
            main: Source::new(main_id, template.to_string()),
            files,
            today,
        }
    }

    /// The template, as the Typst source of [`MAIN`].
    pub fn main_source(&self) -> &Source {
        &self.main
    }
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        if let VirtualRoot::Package(_) = id.root() {
            return Err(FileError::Other(Some(
                "bascule's templates cannot load packages".into(),
            )));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bundled_faces() {
        let f = fonts();
        assert_eq!(f.fonts.len(), 5);
        assert!(
            f.fonts
                .iter()
                .all(|x| x.info().family.starts_with("DejaVu Sans"))
        );
        assert!(std::ptr::eq(f, fonts()), "built once");
    }

    #[test]
    fn serves_virtual_files_and_nothing_else() {
        let w = DocWorld::new("x", vec![("data.json".into(), b"{}".to_vec())], None);
        let data = file_id("data.json").unwrap();
        assert_eq!(w.file(data).unwrap().as_slice(), b"{}");
        assert_eq!(w.source(w.main()).unwrap().text(), "x");
        for path in ["/etc/passwd", "../Cargo.toml", "src/main.rs"] {
            // A path that leaves the root cannot even be named.
            if let Some(id) = file_id(path) {
                assert!(w.file(id).is_err(), "{path}");
            }
        }
        assert!(w.today(None).is_none());
    }
}
