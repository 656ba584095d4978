use std::fs;

fn main() {
    fs::create_dir_all("target").expect("cannot make the folder");
    fs::write("target/run-state.txt", "started").expect("cannot write the state");
}
