import NIOCore

/// Finds where the first complete RESP value of a growing buffer ends, resuming where the last call stopped.
///
/// A large reply (`XREAD` of 5,000 entries is ~1 MB) arrives in many reads. Decoding from the start on every read
/// would walk the reply once per read — quadratic, and slow enough in a debug build to hit the command timeout. The
/// scanner keeps its position and the element counts of the arrays it is inside, so every byte is looked at once;
/// the value is decoded once, when it is complete.
struct RESPScanner {
    /// Bytes of the value already scanned, from the buffer's reader index.
    private var scanned = 0
    /// Elements still expected by each enclosing array, innermost last.
    private var open: [Int] = []

    /// The length in bytes of the first complete value in `buffer`, or nil when more bytes are needed. After a
    /// non-nil answer the scanner starts afresh; between nil answers `buffer` may only grow at its end.
    ///
    /// - Complexity: O(bytes added since the last call), amortised.
    mutating func completeLength(in buffer: ByteBuffer) throws -> Int? {
        let view = buffer.readableBytesView
        while true {
            let start = view.startIndex + scanned
            guard start < view.endIndex else { return nil }
            let type = view[start]
            guard let cr = view[(start + 1)...].firstIndex(of: 0x0D), cr + 1 < view.endIndex else { return nil }
            guard view[cr + 1] == 0x0A else { throw RESP.ProtocolError(description: "a line without \\r\\n") }
            var end = cr + 2
            let header = { () -> Int? in
                Int(String(decoding: view[(start + 1)..<cr], as: UTF8.self))
            }
            switch type {
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"):
                break
            case UInt8(ascii: "$"):
                guard let n = header() else { throw RESP.ProtocolError(description: "bad bulk length") }
                if n >= 0 {
                    guard view.endIndex - end >= n + 2 else { return nil }
                    end += n + 2
                }
            case UInt8(ascii: "*"):
                guard let n = header() else { throw RESP.ProtocolError(description: "bad array length") }
                if n > 0 {
                    scanned = end - view.startIndex
                    open.append(n)
                    continue
                }
            default:
                throw RESP.ProtocolError(description: "unknown reply type byte \(type)")
            }
            scanned = end - view.startIndex
            // One element done: close every array it completes.
            while let last = open.last {
                if last > 1 {
                    open[open.count - 1] = last - 1
                    break
                }
                open.removeLast()
            }
            if open.isEmpty {
                defer { scanned = 0 }
                return scanned
            }
        }
    }
}
