fn main() { println!("{}", greet::word()); }
