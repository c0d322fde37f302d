//! `bascule serve`: build, serve the site, rebuild and reload at every edit.

use super::{inventory_path, say, usage_of};
use crate::Common;
use bascule::serve::{self, ServeError};
use std::path::PathBuf;
use std::process::ExitCode;

pub(crate) fn serve(
    common: &Common,
    out: PathBuf,
    port: u16,
    bind: std::net::IpAddr,
    (open, allow_hosts): (bool, Vec<String>),
) -> ExitCode {
    let inventory = match inventory_path(common) {
        Ok(p) => p,
        Err(e) => return usage_of(&e),
    };
    let opts = serve::Options {
        inventory,
        templates: common.templates.clone(),
        out,
        render: common.render_options(),
        bind,
        port,
        open,
        allow_hosts,
        lang: super::words().lang(),
    };
    match serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(ServeError::Usage(e)) => usage_of(&e),
        Err(ServeError::Failed(e)) => {
            say(&format!("error: {e}\n"));
            ExitCode::from(1)
        }
    }
}
