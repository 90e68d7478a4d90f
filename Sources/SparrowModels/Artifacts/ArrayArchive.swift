import Foundation
import SparrowCore

/// A file of numeric arrays: the magic `SPRWARR1`, the array count, then per array its element kind (0 = Float32,
/// 1 = Int32, 2 = Int64), length and little-endian values, and a closing FNV-1a checksum of everything before it.
public enum ArrayArchive {
    /// One array.
    public enum Array: Sendable, Equatable {
        case float([Float])
        case int32([Int32])
        case int64([Int64])
    }

    /// Why a file could not be read.
    public struct ReadError: Error, CustomStringConvertible {
        /// The file.
        public let path: String
        /// What is wrong with it.
        public let reason: String
        /// One sentence for logs and the command line.
        public var description: String { "\(path): \(reason)" }
    }

    static let magic = Swift.Array("SPRWARR1".utf8)

    /// Writes `arrays` to `path` atomically.
    public static func write(_ arrays: [Array], to path: String) throws {
        var data = Data(magic)
        func append<T>(_ value: T) { withUnsafeBytes(of: value) { data.append(contentsOf: $0) } }
        func append<T>(contentsOf values: [T]) { values.withUnsafeBytes { data.append(contentsOf: $0) } }
        append(UInt64(arrays.count).littleEndian)
        for a in arrays {
            switch a {
            case .float(let v):
                append(UInt64(0).littleEndian)
                append(UInt64(v.count).littleEndian)
                append(contentsOf: v)
            case .int32(let v):
                append(UInt64(1).littleEndian)
                append(UInt64(v.count).littleEndian)
                append(contentsOf: v)
            case .int64(let v):
                append(UInt64(2).littleEndian)
                append(UInt64(v.count).littleEndian)
                append(contentsOf: v)
            }
        }
        append(BinaryChecksum.fnv1a(data).littleEndian)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads the arrays of `path`, checking the magic, every length and the checksum.
    public static func read(_ path: String) throws -> [Array] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(path: path, reason: "cannot read the file")
        }
        guard data.count >= 24, Swift.Array(data.prefix(8)) == magic else {
            throw ReadError(path: path, reason: "not an array archive")
        }
        let body = data.prefix(data.count - 8)
        let stored = data.suffix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        guard BinaryChecksum.fnv1a(body) == UInt64(littleEndian: stored) else {
            throw ReadError(path: path, reason: "checksum mismatch (truncated or corrupt)")
        }
        return try body.withUnsafeBytes { raw -> [Array] in
            var offset = 8
            func word() throws -> Int {
                guard offset + 8 <= raw.count else { throw ReadError(path: path, reason: "truncated header") }
                defer { offset += 8 }
                return Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            }
            func values<T>(_ n: Int, _ type: T.Type) throws -> [T] {
                let bytes = n * MemoryLayout<T>.size
                guard n >= 0, offset + bytes <= raw.count else {
                    throw ReadError(path: path, reason: "truncated array")
                }
                defer { offset += bytes }
                return (0..<n).map { raw.loadUnaligned(fromByteOffset: offset + $0 * MemoryLayout<T>.size, as: T.self) }
            }
            var out: [Array] = []
            for _ in 0..<(try word()) {
                let kind = try word()
                let n = try word()
                switch kind {
                case 0: out.append(.float(try values(n, Float.self)))
                case 1: out.append(.int32(try values(n, Int32.self)))
                case 2: out.append(.int64(try values(n, Int64.self)))
                default: throw ReadError(path: path, reason: "unknown array kind \(kind)")
                }
            }
            return out
        }
    }
}
