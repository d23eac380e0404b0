import SeededRandom

/// Fake values with the shape of real ones: UIDs, timestamps, base64, PEM
/// blocks whose bodies are random bytes (never a real key or certificate:
/// they start with the base64 of `KEYREACH-FAKE-` so nobody mistakes them),
/// JWT-like tokens. Everything comes from the caller's `SplitMix64`.
enum FakeData {
    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let hexAlphabet = Array("0123456789abcdef".utf8)
    /// Kubernetes' name-suffix alphabet (k8s.io/apimachinery/pkg/util/rand:
    /// no vowels, no confusable digits).
    static let suffixAlphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

    /// A random UUID-shaped string (version-4 layout, like object UIDs).
    static func uid(_ rng: inout SplitMix64) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(36)
        var word = rng.next()
        var used = 0
        for position in 0..<36 {
            if position == 8 || position == 13 || position == 18 || position == 23 {
                bytes.append(UInt8(ascii: "-"))
                continue
            }
            if used == 16 {
                word = rng.next()
                used = 0
            }
            bytes.append(hexAlphabet[Int(word & 0xF)])
            word >>= 4
            used += 1
        }
        bytes[14] = UInt8(ascii: "4")
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex(_ rng: inout SplitMix64, count: Int) -> String {
        rng.string(count, from: hexAlphabet)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(base64Alphabet[Int(n >> 18 & 63)])
            out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(base64Alphabet[Int(n >> 6 & 63)])
            out.append(base64Alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(base64Alphabet[Int(n >> 18 & 63)])
            out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? base64Alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func base64(_ text: String) -> String {
        base64(Array(text.utf8))
    }

    /// A PEM block of `type` (`CERTIFICATE`, `PRIVATE KEY`, ...) whose body is
    /// `bodyBytes` random bytes, base64 in 64-column lines as PEM writers do.
    /// The first bytes spell `KEYREACH-FAKE-`: no parser will take it for a key.
    static func pem(_ type: String, bodyBytes: Int, _ rng: inout SplitMix64) -> String {
        var der = Array("KEYREACH-FAKE-\(type)-".utf8)
        der += rng.bytes(max(bodyBytes - der.count, 0))
        let body = Array(base64(der).utf8)
        var text = "-----BEGIN \(type)-----\n"
        var start = 0
        while start < body.count {
            let end = min(start + 64, body.count)
            text += String(decoding: body[start..<end], as: UTF8.self)
            text += "\n"
            start = end
        }
        text += "-----END \(type)-----\n"
        return text
    }

    /// A JWT-shaped service-account token (three base64url-ish parts).
    static func token(_ rng: inout SplitMix64, namespace: String, serviceAccount: String) -> String {
        let header = base64("{\"alg\":\"RS256\",\"kid\":\"KEYREACH-FAKE\"}")
        let claims = base64("{\"iss\":\"kubernetes/serviceaccount\",\"kubernetes.io/serviceaccount/namespace\":\"\(namespace)\",\"kubernetes.io/serviceaccount/service-account.name\":\"\(serviceAccount)\",\"sub\":\"system:serviceaccount:\(namespace):\(serviceAccount)\"}")
        let signature = rng.string(342, from: base64Alphabet)
        return header + "." + claims + "." + signature
    }

    /// RFC 3339 UTC time (`2025-03-01T09:10:02Z`) for `secondsSinceEpoch`,
    /// computed with the civil-from-days algorithm (H. Hinnant) instead of
    /// Foundation's formatters, which would dominate the run time.
    static func timestamp(_ secondsSinceEpoch: Int) -> String {
        let days = secondsSinceEpoch / 86_400
        let secondsOfDay = secondsSinceEpoch % 86_400
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var bytes = [UInt8]()
        bytes.reserveCapacity(20)
        func two(_ v: Int) {
            bytes.append(UInt8(ascii: "0") + UInt8(v / 10))
            bytes.append(UInt8(ascii: "0") + UInt8(v % 10))
        }
        two(year / 100)
        two(year % 100)
        bytes.append(UInt8(ascii: "-"))
        two(month)
        bytes.append(UInt8(ascii: "-"))
        two(day)
        bytes.append(UInt8(ascii: "T"))
        two(secondsOfDay / 3600)
        bytes.append(UInt8(ascii: ":"))
        two(secondsOfDay / 60 % 60)
        bytes.append(UInt8(ascii: ":"))
        two(secondsOfDay % 60)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
