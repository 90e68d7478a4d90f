import Foundation
import SparrowCore

/// A file of numeric arrays: the magic `SPRWARR2`, the array count, then per array its element kind (0 = Float32,
/// 1 = Int32, 2 = Int64), length and little-endian values, and a closing checksum of everything before it
/// (`BinaryChecksum.wide`; files with the magic `SPRWARR1` carry a plain FNV-1a and are still read).
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

        /// An error about `path`.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    static let magic = Swift.Array("SPRWARR2".utf8)
    static let magicVersion1 = Swift.Array("SPRWARR1".utf8)

    /// Writes `arrays` to `path` atomically.
    public static func write(_ arrays: [Array], to path: String) throws {
        var data = Data(magic)
        // The whole size up front: one allocation, no copies as the buffer grows (the offline lists are ~0.5 GB).
        let sizes = arrays.map { a in
            switch a {
            case .float(let v): 16 + v.count * 4
            case .int32(let v): 16 + v.count * 4
            case .int64(let v): 16 + v.count * 8
            }
        }
        data.reserveCapacity(magic.count + 16 + sizes.reduce(0, +))
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
        append(data.withUnsafeBytes { BinaryChecksum.wide($0) }.littleEndian)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads the arrays of `path`, checking the magic, every length and the checksum.
    public static func read(_ path: String) throws -> [Array] {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            throw ReadError(path: path, reason: "cannot read the file")
        }
        let all = UnsafeRawBufferPointer(file.bytes)
        let head = Swift.Array(all.prefix(8))
        guard all.count >= 24, head == magic || head == magicVersion1 else {
            throw ReadError(path: path, reason: "not an array archive")
        }
        let raw = UnsafeRawBufferPointer(rebasing: all[0..<(all.count - 8)])
        let stored = UInt64(littleEndian: all.loadUnaligned(fromByteOffset: all.count - 8, as: UInt64.self))
        let checksum = head == magic ? BinaryChecksum.wide(raw) : BinaryChecksum.fnv1a(raw)
        guard checksum == stored else {
            throw ReadError(path: path, reason: "checksum mismatch (truncated or corrupt)")
        }
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
            return [T](unsafeUninitializedCapacity: n) { buffer, count in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + bytes)]))
                count = n
            }
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
