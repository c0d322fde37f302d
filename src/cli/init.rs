//! `bascule init`: a new migration project.

use super::*;
use std::path::Path;
use std::process::ExitCode;

pub fn init(dir: &Path, organisation: Option<String>, instances: Vec<String>) -> ExitCode {
    use bascule::init::{self, InitError};
    let opts = init::Options {
        organisation,
        instances,
    };
    let result = init::files(&opts).and_then(|files| init::write(dir, &files));
    match result {
        Ok(written) => {
            for p in &written {
                say(&format!("created {}\n", p.display()));
            }
            say(&format!(
                "next: fill every `{}` of {} and change every value marked `# {}` (then remove its mark), then run `bascule check`\n",
                init::PLACEHOLDER,
                dir.join(init::INVENTORY_PATH).display(),
                bascule::validate::EXAMPLE_MARK
            ));
            ExitCode::SUCCESS
        }
        Err(InitError::Usage(e)) => usage(&e),
        Err(InitError::Exists(found)) => {
            let names: Vec<String> = found.iter().map(|p| p.display().to_string()).collect();
            say(&format!(
                "error: nothing was written: {} already exist(s); move them away or choose another folder\n",
                names.join(", ")
            ));
            ExitCode::from(1)
        }
        Err(InitError::Io(e)) => {
            say(&format!("error: {e}; nothing was written\n"));
            ExitCode::from(1)
        }
    }
}
