/// keyreach's version, in one place: `keyreach --version` prints it.
enum KeyreachVersion {
    static let current = "0.9.0"
}
