/// A minimal, fast JSON text writer for the hot responses (Foundation's `JSONEncoder` spends more time than the whole
/// recommendation pipeline on a list of 32 movies).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(bytes other: [UInt8]) { bytes.append(contentsOf: other) }

    mutating func key(_ name: StaticString) {
        if let last = bytes.last, last != UInt8(ascii: "{") && last != UInt8(ascii: "[") {
            bytes.append(UInt8(ascii: ","))
        }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 15)])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    /// An integer, digits written straight into the buffer.
    mutating func number<T: BinaryInteger>(_ v: T) {
        var magnitude = UInt64(v.magnitude)
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var k = 20
            repeat {
                k -= 1
                digits[k] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
        }
    }

    mutating func number(_ v: Double) {
        bytes.append(contentsOf: (v.isFinite ? v.description : "null").utf8)
    }

    mutating func number(_ v: Float) {
        // Ratings are half stars: "4.5" without going through a String.
        let doubled = v * 2
        if doubled == doubled.rounded(), abs(v) < 1_000_000 {
            let whole = Int(v.rounded(.towardZero))
            if v < 0 && whole == 0 { bytes.append(UInt8(ascii: "-")) }
            number(whole)
            bytes.append(UInt8(ascii: "."))
            bytes.append(doubled.truncatingRemainder(dividingBy: 2) == 0 ? UInt8(ascii: "0") : UInt8(ascii: "5"))
            return
        }
        bytes.append(contentsOf: (v.isFinite ? v.description : "null").utf8)
    }

    /// A comma before the next array element (not before the first).
    mutating func separator() {
        if let last = bytes.last, last != UInt8(ascii: "[") && last != UInt8(ascii: "{") {
            bytes.append(UInt8(ascii: ","))
        }
    }
}
