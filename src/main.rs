fn main() {
    let p = std::env::args().nth(1).unwrap();
    match bascule::load::load_file(std::path::Path::new(&p)) {
        Ok((_, inv)) => println!("{:#?}", inv.instances[0].vms[2]),
        Err(d) => print!("{}", d.human(std::fs::read_to_string(&p).ok().as_deref())),
    }
}
