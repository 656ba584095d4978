fn main() { std::fs::create_dir_all("/srv/data").unwrap(); }
