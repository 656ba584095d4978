use std::net::TcpListener;

fn main() {
    let listener = TcpListener::bind("0.0.0.0:80").expect("cannot bind");
    for stream in listener.incoming() {
        drop(stream);
    }
}
