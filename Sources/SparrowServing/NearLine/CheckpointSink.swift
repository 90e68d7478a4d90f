import Foundation
import SparrowCore

/// A checkpoint payload on its way to a file: bytes gathered in a buffer of `capacity` and written a buffer at a
/// time, counted and checksummed (FNV-1a) as they pass, so writing a payload of any size costs one buffer of memory
/// instead of the payload's size a few times over (the whole document, then its copies as it grows).
final class CheckpointSink {
    private let handle: FileHandle
    private let capacity: Int
    private var buffer: [UInt8] = []
    /// Bytes written so far (flushed or not).
    private(set) var count = 0
    private var hash = BinaryChecksum.fnv1a([UInt8]())

    /// A sink writing to `handle` at its current offset.
    /// - Precondition: `capacity > 0`.
    init(handle: FileHandle, capacity: Int = 1 << 20) {
        precondition(capacity > 0, "a sink buffers at least one byte")
        self.handle = handle
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    /// The checksum of every byte written so far, in hex (as `Checkpoint.checksum` gives it for the whole payload).
    func checksum() throws -> String {
        try flush()
        return String(hash, radix: 16)
    }

    /// Appends `bytes`.
    func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count > capacity {
            try write(buffer: Array(bytes))
        } else {
            buffer.append(contentsOf: bytes)
        }
        count += bytes.count
    }

    /// Appends `text` as UTF-8.
    func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Writes the buffered bytes to the file.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try write(buffer: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func write(buffer bytes: [UInt8]) throws {
        hash = BinaryChecksum.fnv1a(bytes, continuing: hash)
        try bytes.withUnsafeBytes { try handle.write(contentsOf: $0) }
    }

    /// Writes a JSON string holding the base64 of the bytes `body` emits, encoded 48 KiB at a time (a multiple of 3
    /// bytes, so the pieces' encodings join into the whole's) — the way `JSONEncoder` writes `Data`.
    func base64String(_ body: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let chunk = 3 << 14
        var pending = [UInt8]()
        pending.reserveCapacity(chunk)
        func encode() throws {
            try write(Data(pending).base64EncodedData())
            pending.removeAll(keepingCapacity: true)
        }
        try write(CollectionOfOne(UInt8(ascii: "\"")))
        try body { bytes in
            var rest = bytes[...]
            while !rest.isEmpty {
                let n = min(chunk - pending.count, rest.count)
                pending.append(contentsOf: rest.prefix(n))
                rest = rest.dropFirst(n)
                if pending.count == chunk { try encode() }
            }
        }
        if !pending.isEmpty { try encode() }
        try write(CollectionOfOne(UInt8(ascii: "\"")))
    }
}
