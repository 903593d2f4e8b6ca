fn main() {
    std::process::exit(logsift::app::main());
}
