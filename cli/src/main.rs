fn main() {
    println!("pacto {}", env!("CARGO_PKG_VERSION"));
}
