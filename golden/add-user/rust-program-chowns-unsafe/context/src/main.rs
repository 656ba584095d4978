use std::fs;
use std::os::unix::fs::chown;

fn main() {
    fs::write("state.db", b"x").unwrap();
    chown("state.db", Some(0), Some(0)).expect("cannot chown");
}
