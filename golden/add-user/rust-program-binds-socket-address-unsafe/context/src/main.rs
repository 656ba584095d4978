#![allow(unused_imports)]
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::net::{TcpListener, SocketAddr, UdpSocket};

fn main() {
    let addr = SocketAddr::from(([0, 0, 0, 0], 80));
    TcpListener::bind(addr).unwrap();
}
