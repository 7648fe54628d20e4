//! `kb check`

use crate::Ctx;
use crate::exit::Exit;

pub fn run(ctx: &Ctx) -> anyhow::Result<Exit> {
    let kb = ctx.open_kb()?;
    let report = kb::check::check(&kb)?;
    if ctx.json {
        crate::render::print_json(&kb::ops::report::Checked {
            files: report.files,
            problems: &report.problems,
        })?;
    } else {
        for p in &report.problems {
            println!("{p}");
        }
        let n = report.problems.len();
        if n == 0 {
            eprintln!("{} files checked, no problems.", report.files);
        } else {
            eprintln!(
                "{} files checked, {n} problem{}.",
                report.files,
                if n == 1 { "" } else { "s" }
            );
        }
    }
    Ok(Exit::ok_if(report.problems.is_empty()))
}
