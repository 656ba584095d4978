use std::fs;

fn main() {
    let base = "srv";
    fs::create_dir_all(format!("/{}/data", base)).expect("cannot make the folder");
}
