use std::fs;
use std::path::Path;

const DATA_DIR: &str = "/srv/data";

fn main() {
    fs::create_dir_all(Path::new(DATA_DIR).join("uploads")).expect("cannot make the data folder");
    println!("started");
}
