import Foundation
import SparrowCore

/// Vectors for a set of ids (movies or users), row-major, with text and binary forms.
///
/// Text is the original's `id:v1 v2 …` (one line per id); binary is `SPRWEMB1`, id count, dimension, the ids
/// (Int32), the vectors (Float32) and a 64-bit FNV-1a checksum.
public struct EmbeddingSet: Sendable, Equatable {
    /// The ids, in row order.
    public let ids: [Int32]
    /// Vector width.
    public let dimension: Int
    /// count × dimension values.
    public let vectors: [Float]
    private let rowById: [Int32: Int]

    /// Creates a set.
    /// - Precondition: `vectors.count == ids.count × dimension` and ids are distinct.
    public init(ids: [Int32], dimension: Int, vectors: [Float]) {
        precondition(
            vectors.count == ids.count * dimension,
            "EmbeddingSet: \(vectors.count) values for \(ids.count)×\(dimension)")
        self.ids = ids
        self.dimension = dimension
        self.vectors = vectors
        rowById = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
    }

    /// Number of vectors.
    public var count: Int { ids.count }

    /// The row of `id`, if present.
    public func row(of id: Int32) -> Int? { rowById[id] }

    /// The vector of `id`, if present.
    public func vector(_ id: Int32) -> ArraySlice<Float>? {
        rowById[id].map { vectors[($0 * dimension)..<(($0 + 1) * dimension)] }
    }

    /// A copy with every vector scaled to unit length (zero vectors stay zero), for cosine search by dot product.
    public func normalized() -> EmbeddingSet {
        var out = vectors
        for r in 0..<count {
            var norm: Float = 0
            for k in 0..<dimension { norm += out[r * dimension + k] * out[r * dimension + k] }
            norm = norm.squareRoot()
            if norm > 0 { for k in 0..<dimension { out[r * dimension + k] /= norm } }
        }
        return EmbeddingSet(ids: ids, dimension: dimension, vectors: out)
    }

    /// The original's text format.
    public func text() -> String {
        var lines: [String] = []
        lines.reserveCapacity(count)
        for r in 0..<count {
            let v = vectors[(r * dimension)..<((r + 1) * dimension)].map { String($0) }.joined(separator: " ")
            lines.append("\(ids[r]):\(v)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses the original's text format; errors name the line.
    public static func parse(text: String, file: String) throws(DataError) -> EmbeddingSet {
        var ids: [Int32] = []
        var values: [Float] = []
        var dimension: Int?
        var seen = Set<Int32>()
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty
        {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let id = Int32(parts[0].trimmingCharacters(in: .whitespaces)) else {
                throw DataError(file: file, line: n + 1, message: "expected id:v1 v2 …")
            }
            let v = parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).map { Float($0) }
            guard !v.isEmpty, v.allSatisfy({ $0 != nil && $0!.isFinite }) else {
                throw DataError(
                    file: file, line: n + 1, message: "the vector of \(id) has a value that is not a number")
            }
            if dimension == nil { dimension = v.count }
            guard v.count == dimension else {
                throw DataError(
                    file: file, line: n + 1,
                    message: "vector of \(id) has \(v.count) values, earlier ones \(dimension!)")
            }
            guard seen.insert(id).inserted else {
                throw DataError(file: file, line: n + 1, message: "id \(id) occurs twice")
            }
            ids.append(id)
            values += v.map { $0! }
        }
        return EmbeddingSet(ids: ids, dimension: dimension ?? 0, vectors: values)
    }

    /// Writes the text form.
    public func writeText(to path: String) throws(DataError) {
        do { try text().write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw DataError(file: path, message: "cannot write (\(error.localizedDescription))")
        }
    }

    static let magic = Array("SPRWEMB1".utf8)

    /// Writes the binary form.
    public func writeBinary(to path: String) throws(DataError) {
        var bytes = EmbeddingSet.magic
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        put(UInt32(count))
        put(UInt32(dimension))
        for id in ids { put(id) }
        for v in vectors { put(v.bitPattern) }
        put(BinaryChecksum.fnv1a(bytes))
        do { try Data(bytes).write(to: URL(fileURLWithPath: path)) } catch {
            throw DataError(file: path, message: "cannot write (\(error.localizedDescription))")
        }
    }

    /// Reads the binary form, verifying size and checksum.
    public static func readBinary(path: String) throws(DataError) -> EmbeddingSet {
        let file = try MappedFile(path: path)
        let b = UnsafeRawBufferPointer(file.bytes)
        guard b.count >= 24, Array(file.bytes[0..<8]) == magic else {
            throw DataError(file: path, message: "is not a Sparrow embedding file")
        }
        let n = Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        let d = Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
        let size = 16 + 4 * n + 4 * n * d
        guard b.count == size + 8 else {
            throw DataError(file: path, message: "is truncated (\(b.count) of \(size + 8) bytes)")
        }
        guard
            BinaryChecksum.fnv1a(file.bytes[0..<size])
                == UInt64(littleEndian: b.loadUnaligned(fromByteOffset: size, as: UInt64.self))
        else {
            throw DataError(file: path, message: "is corrupted (checksum mismatch)")
        }
        let ids = (0..<n).map { Int32(littleEndian: b.loadUnaligned(fromByteOffset: 16 + 4 * $0, as: Int32.self)) }
        let values = (0..<(n * d)).map {
            Float(
                bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 16 + 4 * n + 4 * $0, as: UInt32.self)))
        }
        return EmbeddingSet(ids: ids, dimension: d, vectors: values)
    }
}
