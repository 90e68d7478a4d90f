import NIOCore

/// A RESP2 value (the Redis serialisation protocol).
public enum RESPValue: Sendable, Equatable {
    /// `+OK`.
    case simpleString(String)
    /// `-ERR …`.
    case error(String)
    /// `:42`.
    case integer(Int)
    /// `$3\r\nabc` (nil: `$-1`, the null bulk string).
    case bulkString(ByteBuffer?)
    /// `*2\r\n…` (nil: `*-1`).
    case array([RESPValue]?)

    /// The value as text (simple or bulk strings, integers), or nil.
    public var string: String? {
        switch self {
        case .simpleString(let s): return s
        case .bulkString(let b?): return String(buffer: b)
        case .integer(let i): return String(i)
        default: return nil
        }
    }

    /// The value as an integer, or nil.
    public var int: Int? {
        switch self {
        case .integer(let i): return i
        case .bulkString(let b?): return Int(String(buffer: b))
        case .simpleString(let s): return Int(s)
        default: return nil
        }
    }

    /// The elements of an array, or nil.
    public var array: [RESPValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// True for the null bulk string or null array.
    public var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): return true
        default: return false
        }
    }
}

/// RESP encoding of commands and incremental decoding of replies.
public enum RESP {
    /// Appends a command (an array of bulk strings) to `buffer`.
    public static func encode(_ command: [String], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(command.count)\r\n")
        for part in command {
            buffer.writeString("$\(part.utf8.count)\r\n")
            buffer.writeString(part)
            buffer.writeString("\r\n")
        }
    }

    /// Errors of malformed replies.
    public struct ProtocolError: Error, CustomStringConvertible {
        /// What was wrong.
        public let description: String
    }

    /// Decodes one complete value from the start of `buffer`, consuming it; nil (and nothing consumed) when the value
    /// is not complete yet.
    public static func decode(_ buffer: inout ByteBuffer) throws -> RESPValue? {
        var copy = buffer
        guard let value = try decodeValue(&copy) else { return nil }
        buffer = copy
        return value
    }

    static func readLine(_ buffer: inout ByteBuffer) -> String? {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: 0x0D), cr + 1 < view.endIndex, view[cr + 1] == 0x0A else { return nil }
        let line = buffer.readString(length: cr - view.startIndex)
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    static func decodeValue(_ buffer: inout ByteBuffer) throws -> RESPValue? {
        guard let type = buffer.readInteger(as: UInt8.self) else { return nil }
        guard let line = readLine(&buffer) else { return nil }
        switch type {
        case UInt8(ascii: "+"): return .simpleString(line)
        case UInt8(ascii: "-"): return .error(line)
        case UInt8(ascii: ":"):
            guard let i = Int(line) else { throw ProtocolError(description: "bad integer \"\(line)\"") }
            return .integer(i)
        case UInt8(ascii: "$"):
            guard let n = Int(line) else { throw ProtocolError(description: "bad bulk length \"\(line)\"") }
            if n < 0 { return .bulkString(nil) }
            guard buffer.readableBytes >= n + 2, let bytes = buffer.readSlice(length: n) else { return nil }
            buffer.moveReaderIndex(forwardBy: 2)
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            guard let n = Int(line) else { throw ProtocolError(description: "bad array length \"\(line)\"") }
            if n < 0 { return .array(nil) }
            var items: [RESPValue] = []
            items.reserveCapacity(n)
            for _ in 0..<n {
                guard let item = try decodeValue(&buffer) else { return nil }
                items.append(item)
            }
            return .array(items)
        default:
            throw ProtocolError(description: "unknown reply type byte \(type)")
        }
    }
}
