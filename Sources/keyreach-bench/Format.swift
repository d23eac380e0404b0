import Foundation

/// How the report prints numbers: short, fixed decimals, thousands grouped.
enum Format {
    static func decimal(_ value: Double, _ places: Int) -> String {
        String(format: "%.\(places)f", value)
    }

    /// `412 ms` under a second, `1.23 s` above.
    static func duration(_ seconds: Double) -> String {
        seconds < 1 ? decimal(seconds * 1000, seconds < 0.01 ? 2 : 0) + " ms" : decimal(seconds, 2) + " s"
    }

    /// Decimal megabytes, as `ls -l --si` and the "120 MB" count them.
    static func megabytes(_ bytes: Int) -> String {
        decimal(Double(bytes) / 1e6, 1) + " MB"
    }

    /// `123,816`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}
