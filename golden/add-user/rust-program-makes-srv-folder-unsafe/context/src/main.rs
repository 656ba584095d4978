use std::fs;

fn main() {
    fs::create_dir_all("/srv/data").expect("cannot make the data folder");
    println!("started");
}
