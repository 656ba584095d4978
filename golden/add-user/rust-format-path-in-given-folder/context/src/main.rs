use std::fs;

fn main() {
    let name = "db";
    fs::create_dir_all(format!("/data/{}", name)).expect("cannot make the folder");
}
