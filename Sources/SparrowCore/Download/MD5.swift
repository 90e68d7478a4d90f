/// MD5 (RFC 1321), used only to verify the checksums GroupLens publishes next to its zip files.
///
/// Not for security: MD5 is broken for that, but it is what the dataset's publisher provides.
public struct MD5: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14,
        20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6,
        10, 15, 21,
    ]
    private static let table: [UInt32] = (0..<64).map { i in
        UInt32(truncatingIfNeeded: Int64(abs(sin(Double(i + 1))) * 4_294_967_296.0))
    }

    /// Creates an empty digest.
    public init() {}

    /// Feeds bytes.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for b in bytes {
            buffer.append(b)
            length &+= 1
            if buffer.count == 64 {
                processBlock()
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Feeds a raw buffer (fast path for large files: whole blocks skip the byte-wise path).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        while i < bytes.count && !buffer.isEmpty {
            update(CollectionOfOne(bytes[i]))
            i += 1
        }
        while bytes.count - i >= 64 {
            buffer.append(contentsOf: bytes[i..<(i + 64)])
            processBlock()
            buffer.removeAll(keepingCapacity: true)
            length &+= 64
            i += 64
        }
        update(bytes[i...])
    }

    /// Finishes and returns the digest as 32 lowercase hex digits.
    public mutating func finalizeHex() -> String {
        let bitLength = length &* 8
        update([0x80])
        length &-= 1
        while buffer.count != 56 { update([0]); length &-= 1 }
        for k in 0..<8 { buffer.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(k)))) }
        processBlock()
        buffer.removeAll()
        let words = [state.0, state.1, state.2, state.3]
        var hex = ""
        for w in words {
            for k in 0..<4 {
                let byte = UInt8(truncatingIfNeeded: w >> (8 * UInt32(k)))
                hex += String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
            }
        }
        return hex
    }

    /// The MD5 of `bytes` as hex.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var md5 = MD5()
        md5.update(bytes)
        return md5.finalizeHex()
    }

    private mutating func processBlock() {
        var m = [UInt32](repeating: 0, count: 16)
        for i in 0..<16 {
            m[i] =
                UInt32(buffer[4 * i]) | UInt32(buffer[4 * i + 1]) << 8 | UInt32(buffer[4 * i + 2]) << 16
                | UInt32(buffer[4 * i + 3]) << 24
        }
        var (a, b, c, d) = state
        for i in 0..<64 {
            var f: UInt32
            var g: Int
            switch i {
            case 0..<16:
                f = (b & c) | (~b & d)
                g = i
            case 16..<32:
                f = (d & b) | (~d & c)
                g = (5 * i + 1) % 16
            case 32..<48:
                f = b ^ c ^ d
                g = (3 * i + 5) % 16
            default:
                f = c ^ (b | ~d)
                g = (7 * i) % 16
            }
            f = f &+ a &+ MD5.table[i] &+ m[g]
            a = d
            d = c
            c = b
            b = b &+ ((f << MD5.shifts[i]) | (f >> (32 - MD5.shifts[i])))
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
