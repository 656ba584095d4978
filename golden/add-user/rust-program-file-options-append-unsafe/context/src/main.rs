#![allow(unused_imports)]
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::net::{TcpListener, SocketAddr, UdpSocket};

fn main() {
    let mut f = File::options().append(true).create(true).open("/srv/app.log").unwrap();
    writeln!(f, "x").unwrap();
}
