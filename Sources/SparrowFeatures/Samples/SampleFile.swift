import Foundation
import SparrowCore

/// Sparrow's compact binary form of a `SampleTable`, for fast training.
///
/// Layout: the magic `SPRWSMP1`, a 4-byte length and a JSON header (version, genre vocabulary, column names), then
/// blocks of rows: `SPRB`, a 4-byte row count, every float column, every integer column, the timestamps (all
/// little-endian), and a 64-bit FNV-1a checksum of the block. Blocks let a writer stream any number of rows with
/// bounded memory; the checksum makes a truncated or corrupted file an error, not wrong data.
public enum SampleFile {
    static let magic = Array("SPRWSMP1".utf8)
    static let blockMagic = Array("SPRB".utf8)

    struct Header: Codable {
        var version: Int
        var genres: [String]
        var floatColumns: [String]
        var intColumns: [String]
    }

    /// Streams blocks of rows into a file.
    public final class Writer {
        let handle: FileHandle
        let path: String
        /// Rows written so far.
        public private(set) var rows = 0

        /// Creates the file and writes its header.
        public init(path: String, genres: [String]) throws(DataError) {
            self.path = path
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw DataError(file: path, message: "cannot create the file") }
            self.handle = handle
            let header = Header(
                version: 1, genres: genres, floatColumns: FloatColumn.allCases.map(\.name),
                intColumns: IntColumn.allCases.map(\.name))
            // Sorted keys: the same samples give the same bytes, run after run.
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let json = (try? encoder.encode(header)) ?? Data()
            var bytes = magic
            SampleFile.append(UInt32(json.count), to: &bytes)
            bytes.append(contentsOf: json)
            try write(bytes)
        }

        /// Appends every row of `table` as one block.
        public func append(_ table: SampleTable) throws(DataError) {
            guard table.count > 0 else { return }
            var payload: [UInt8] = []
            payload.reserveCapacity(table.count * (4 * (table.floats.count + table.ints.count) + 8))
            for column in table.floats { column.withUnsafeBytes { payload.append(contentsOf: $0) } }
            for column in table.ints { column.withUnsafeBytes { payload.append(contentsOf: $0) } }
            table.timestamps.withUnsafeBytes { payload.append(contentsOf: $0) }
            var block = blockMagic
            SampleFile.append(UInt32(table.count), to: &block)
            block.append(contentsOf: payload)
            SampleFile.append(fnv1a(payload), to: &block)
            try write(block)
            rows += table.count
        }

        /// Flushes and closes the file.
        public func close() throws(DataError) {
            do { try handle.close() } catch { throw DataError(file: path, message: "cannot close (\(error))") }
        }

        private func write(_ bytes: [UInt8]) throws(DataError) {
            do { try handle.write(contentsOf: bytes) } catch {
                throw DataError(file: path, message: "cannot write (\(error.localizedDescription))")
            }
        }
    }

    /// Writes a whole table.
    public static func write(_ table: SampleTable, to path: String) throws(DataError) {
        let writer = try Writer(path: path, genres: table.genres)
        try writer.append(table)
        try writer.close()
    }

    /// Reads a whole file, verifying every block's checksum — or, with `maxRows`, a fixed random sample of that many
    /// rows in file order (selection sampling: each row kept with probability rows still wanted / rows left, so
    /// exactly `maxRows` are kept), holding only those in memory.
    /// - Complexity: O(file size) time, O(kept rows) memory.
    public static func read(path: String, maxRows: Int? = nil, seed: UInt64 = 11) throws(DataError) -> SampleTable {
        precondition(maxRows.map { $0 >= 0 } ?? true, "a row count")
        let file = try MappedFile(path: path)
        let b = file.bytes
        guard b.count >= 12, Array(b[0..<8]) == magic else {
            throw DataError(file: path, message: "is not a Sparrow sample file (bad magic)")
        }
        let jsonLength = Int(readU32(b, 8))
        guard 12 + jsonLength <= b.count,
            let header = try? JSONDecoder().decode(Header.self, from: Data(b[12..<(12 + jsonLength)]))
        else { throw DataError(file: path, message: "has a truncated or corrupted header") }
        guard header.version == 1, header.floatColumns == FloatColumn.allCases.map(\.name),
            header.intColumns == IntColumn.allCases.map(\.name)
        else { throw DataError(file: path, message: "was written by an incompatible version (columns differ)") }
        var floats = [[Float]](repeating: [], count: FloatColumn.allCases.count)
        var ints = [[Int32]](repeating: [], count: IntColumn.allCases.count)
        var timestamps: [Int64] = []
        var offset = 12 + jsonLength
        var block = 0
        // Selection sampling needs the total first: the block headers give it.
        var total = 0
        var scan = offset
        while scan + 8 <= b.count, Array(b[scan..<(scan + 4)]) == blockMagic {
            let rows = Int(readU32(b, scan + 4))
            total += rows
            scan += 8 + rows * (4 * (floats.count + ints.count) + 8) + 8
        }
        var wanted = min(maxRows ?? total, total)
        var left = total
        var rng = SeededGenerator(seed: seed)
        var keep: [Int] = []
        while offset < b.count {
            block += 1
            guard offset + 8 <= b.count, Array(b[offset..<(offset + 4)]) == blockMagic else {
                throw DataError(file: path, message: "block \(block) is corrupted (bad block marker)")
            }
            let rows = Int(readU32(b, offset + 4))
            let payloadSize = rows * (4 * (floats.count + ints.count) + 8)
            let start = offset + 8
            guard start + payloadSize + 8 <= b.count else {
                throw DataError(file: path, message: "is truncated in block \(block)")
            }
            let payload = UnsafeBufferPointer(rebasing: b[start..<(start + payloadSize)])
            guard fnv1a(payload) == readU64(b, start + payloadSize) else {
                throw DataError(file: path, message: "block \(block) fails its checksum (the file is corrupted)")
            }
            let raw = UnsafeRawBufferPointer(payload)
            keep.removeAll(keepingCapacity: true)
            for r in 0..<rows {
                if wanted == left || (wanted > 0 && rng.nextUnit() * Double(left) < Double(wanted)) {
                    keep.append(r)
                    wanted -= 1
                }
                left -= 1
            }
            var p = 0
            for c in floats.indices {
                floats[c].append(contentsOf: keep.map { raw.loadUnaligned(fromByteOffset: p + 4 * $0, as: Float.self) })
                p += 4 * rows
            }
            for c in ints.indices {
                ints[c].append(contentsOf: keep.map { raw.loadUnaligned(fromByteOffset: p + 4 * $0, as: Int32.self) })
                p += 4 * rows
            }
            timestamps.append(contentsOf: keep.map { raw.loadUnaligned(fromByteOffset: p + 8 * $0, as: Int64.self) })
            offset = start + payloadSize + 8
        }
        var table = SampleTable(genres: header.genres)
        table.setColumns(floats: floats, ints: ints, timestamps: timestamps)
        return table
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func readU32(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawBufferPointer(b).loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    static func readU64(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawBufferPointer(b).loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 { BinaryChecksum.fnv1a(bytes) }
}
