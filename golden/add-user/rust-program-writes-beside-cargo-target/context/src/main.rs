use std::fs;

fn main() {
    fs::create_dir_all("data").expect("cannot make the folder");
    fs::write("data/state.txt", "started").expect("cannot write the state");
}
