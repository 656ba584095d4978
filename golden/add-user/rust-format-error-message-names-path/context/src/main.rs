use std::fs;
use std::process::exit;

fn main() {
    if let Err(e) = fs::write("/tmp/server-state", "x").map_err(|e| format!("/tmp/server-state: {}", e)) {
        eprintln!("error: {}", e);
        exit(1);
    }
}
