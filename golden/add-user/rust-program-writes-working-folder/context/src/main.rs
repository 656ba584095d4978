use std::fs;

fn main() {
    fs::create_dir_all("data").expect("cannot make the data folder");
    fs::write("data/state.db", b"x").expect("cannot write the state");
    fs::write("/tmp/server.pid", b"1").expect("cannot write the pid");
    println!("{}", fs::read_to_string("/etc/hostname").unwrap_or_default());
}
