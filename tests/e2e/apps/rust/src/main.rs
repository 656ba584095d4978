fn main() {
    let words = ["built", "with", "cargo"];
    println!("hello from Rust: {}", words.join(" "));
}
