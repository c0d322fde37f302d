//! `bascule tickets`: the tickets for copy-paste.

use super::*;
use crate::Common;
use bascule::pipeline::Failure;
use std::process::ExitCode;

pub(crate) fn tickets(
    common: &Common,
    instance: Option<&str>,
    ticket: Option<&str>,
    format: bascule::render::tickets::Format,
) -> ExitCode {
    use bascule::render::tickets as t;
    let (templates, prepared) = match prepare_or_exit(common) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let list = match t::tickets(&prepared.plan, &templates) {
        Ok(l) => l,
        Err(d) => return fail(Failure::from(d)),
    };
    match t::print(&list, instance, ticket, format, &templates.labels) {
        Ok(text) => print_out(&text).map_or_else(|code| code, |()| ExitCode::SUCCESS),
        Err(e) => usage(&e),
    }
}
