fn main() {
    let p = std::env::args().nth(1).unwrap();
    let (_, inv) = bascule::load::load_file(std::path::Path::new(&p)).unwrap();
    let plan = bascule::plan::plan(&inv);
    let t = bascule::templates::Templates::load(None).unwrap();
    match bascule::render::document::markdown(&plan, &t) {
        Ok(md) => print!("{md}"),
        Err(e) => print!("{}", e.human(None)),
    }
}
