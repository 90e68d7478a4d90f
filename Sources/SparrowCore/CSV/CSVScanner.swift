import Foundation

/// One field of a CSV record: a byte range into the scanned buffer.
public struct CSVField: Sendable, Equatable {
    /// Offset of the field's first content byte (after an opening quote).
    public var start: Int
    /// Offset one past the field's last content byte (before a closing quote).
    public var end: Int
    /// The field was quoted and contains doubled quotes (`""`) that must be collapsed when decoded.
    public var hasEscapedQuotes: Bool

    /// Number of content bytes.
    @inlinable public var count: Int { end - start }
}

/// A byte-level RFC 4180 CSV scanner over a buffer it does not own.
///
/// It handles quoted fields (with commas, doubled quotes and line breaks inside), an optional UTF-8 byte-order mark,
/// `\n`, `\r\n` and lone `\r` line ends, and a last record without a line end. Blank lines are skipped. It never
/// copies field bytes: callers decode only the fields they need (`string(_:)`, `int64(_:)`, `double(_:)`).
///
/// - Complexity: O(n) in the buffer length; each byte is looked at once.
public struct CSVScanner {
    /// The name used in error messages.
    public let file: String
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var position: Int
    @usableFromInline var nextLine = 1
    /// The 1-based line on which the record returned last starts.
    public private(set) var line = 0

    /// Creates a scanner over `bytes` (which must outlive it); `file` names the input in errors.
    public init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        position = bom ? 3 : 0
    }

    /// Reads the next non-blank record's fields into `fields` (replacing its contents).
    ///
    /// - Returns: `false` at the end of input.
    /// - Throws: `DataError` for an unterminated quoted field or text after a closing quote.
    public mutating func next(into fields: inout [CSVField]) throws(DataError) -> Bool {
        fields.removeAll(keepingCapacity: true)
        let n = bytes.count
        // Skip blank lines.
        while position < n, bytes[position] == 0x0A || bytes[position] == 0x0D {
            consumeLineEnd()
        }
        guard position < n else { return false }
        line = nextLine
        while true {
            if position < n, bytes[position] == 0x22 {
                try scanQuoted(into: &fields)
            } else {
                let start = position
                while position < n {
                    let b = bytes[position]
                    if b == 0x2C || b == 0x0A || b == 0x0D { break }
                    position += 1
                }
                fields.append(CSVField(start: start, end: position, hasEscapedQuotes: false))
            }
            if position >= n { return true }
            let b = bytes[position]
            if b == 0x2C {
                position += 1
                continue
            }
            consumeLineEnd()
            return true
        }
    }

    @usableFromInline
    mutating func consumeLineEnd() {
        if bytes[position] == 0x0D, position + 1 < bytes.count, bytes[position + 1] == 0x0A { position += 1 }
        position += 1
        nextLine += 1
    }

    mutating func scanQuoted(into fields: inout [CSVField]) throws(DataError) {
        let n = bytes.count
        position += 1
        let start = position
        var escaped = false
        while true {
            guard position < n else {
                throw DataError(file: file, line: line, message: "unterminated quoted field (a '\"' is never closed)")
            }
            let b = bytes[position]
            if b == 0x22 {
                if position + 1 < n, bytes[position + 1] == 0x22 {
                    escaped = true
                    position += 2
                    continue
                }
                fields.append(CSVField(start: start, end: position, hasEscapedQuotes: escaped))
                position += 1
                if position < n {
                    let after = bytes[position]
                    if after != 0x2C && after != 0x0A && after != 0x0D {
                        throw DataError(
                            file: file, line: line,
                            message: "unexpected text after the closing quote of field \(fields.count)")
                    }
                }
                return
            }
            if b == 0x0A || (b == 0x0D && !(position + 1 < n && bytes[position + 1] == 0x0A)) { nextLine += 1 }
            position += 1
        }
    }

    // MARK: Decoding fields

    /// The field as a `String`, with doubled quotes collapsed; `nil` when the bytes are not valid UTF-8.
    public func string(_ field: CSVField) -> String? {
        let slice = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        guard let text = String(validating: slice, as: UTF8.self) else { return nil }
        return field.hasEscapedQuotes ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }

    /// The field as raw text for error messages (lossy, at most 40 characters).
    public func preview(_ field: CSVField) -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]), as: UTF8.self)
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    /// Parses the field as a signed decimal integer; `nil` for empty, non-digit or overflowing text.
    @inlinable
    public func int64(_ field: CSVField) -> Int64? {
        var i = field.start
        let end = field.end
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == 0x2D {
            negative = true
            i += 1
            guard i < end else { return nil }
        }
        var value: Int64 = 0
        while i < end {
            let d = Int64(bytes[i]) &- 0x30
            guard d >= 0 && d <= 9 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(d)
            guard !o1 && !o2 else { return nil }
            value = a
            i += 1
        }
        return negative ? -value : value
    }

    /// Parses the field as a decimal number (`4`, `4.5`, `-0.25`, `1e3`); `nil` when it is not one.
    @inlinable
    public func double(_ field: CSVField) -> Double? {
        // Fast path: [-]digits[.digits] with at most 15 significant digits.
        var i = field.start
        let end = field.end
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == 0x2D {
            negative = true
            i += 1
        }
        var mantissa: Int64 = 0
        var digits = 0
        var scale = 0
        var seenDot = false
        var fast = i < end
        while i < end {
            let b = bytes[i]
            if b == 0x2E, !seenDot {
                seenDot = true
            } else if b >= 0x30 && b <= 0x39 {
                mantissa = mantissa * 10 + Int64(b - 0x30)
                digits += 1
                if seenDot { scale += 1 }
                if digits > 15 {
                    fast = false
                    break
                }
            } else {
                fast = false
                break
            }
            i += 1
        }
        if fast && digits > 0 {
            let value = Double(mantissa) / CSVScanner.powersOfTen[scale]
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    @usableFromInline
    static let powersOfTen: [Double] = (0...16).map { p in (0..<p).reduce(1.0) { acc, _ in acc * 10 } }

    /// True when the field is exactly `text` (ASCII comparison of bytes).
    public func fieldEquals(_ field: CSVField, _ text: StaticString) -> Bool {
        guard field.count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        for k in 0..<field.count where bytes[field.start + k] != p[k] { return false }
        return true
    }
}
