use std::fs::OpenOptions;
use std::io::Write;

fn main() {
    let mut log = OpenOptions::new().create(true).append(true).open("/opt/server/server.log").expect("cannot open the log");
    writeln!(log, "started").unwrap();
}
