/// The checksums of Sparrow's binary files: 64-bit FNV-1a (samples, embeddings, model weights, version-1 array
/// archives) and a four-lane word-wise variant for large files (`wide`).
public enum BinaryChecksum {
    static let offsetBasis = FNV1a.offsetBasis
    static let prime = FNV1a.prime

    /// FNV-1a over `bytes`.
    ///
    /// Inlinable, so that each caller gets a version specialised to its collection (an unspecialised generic loop
    /// costs several nanoseconds a byte: seconds on a model file of a few hundred megabytes).
    /// - Complexity: O(n), one multiply a byte in a dependent chain.
    @inlinable
    public static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        FNV1a.hash(bytes)
    }

    /// FNV-1a over `bytes`, continuing from `h` — the value `fnv1a` gave for the bytes before them — so a stream
    /// can be checksummed piece by piece: `fnv1a(b, continuing: fnv1a(a)) == fnv1a(a + b)`.
    /// - Complexity: O(n).
    @inlinable
    public static func fnv1a<C: Collection>(_ bytes: C, continuing h: UInt64) -> UInt64 where C.Element == UInt8 {
        var hash = FNV1a(continuing: h)
        hash.add(bytes: bytes)
        return hash.value
    }

    /// A checksum for large files: four interleaved FNV-1a lanes over little-endian 64-bit words (lane k takes
    /// words k, k+4, …), the bytes after the last whole 32-byte group folded byte by byte into lane 0, then the four
    /// lanes' values FNV-1a-combined. Four independent multiply chains over words, rather than one a byte.
    /// - Complexity: O(n).
    public static func wide(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (offsetBasis, offsetBasis ^ 1, offsetBasis ^ 2, offsetBasis ^ 3)
        let groups = bytes.count / 32
        var offset = 0
        func word(_ k: Int) -> UInt64 {
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8 * k, as: UInt64.self))
        }
        for _ in 0..<groups {
            lanes.0 = (lanes.0 ^ word(0)) &* prime
            lanes.1 = (lanes.1 ^ word(1)) &* prime
            lanes.2 = (lanes.2 ^ word(2)) &* prime
            lanes.3 = (lanes.3 ^ word(3)) &* prime
            offset += 32
        }
        while offset < bytes.count {
            lanes.0 = (lanes.0 ^ UInt64(bytes[offset])) &* prime
            offset += 1
        }
        var h = offsetBasis
        for lane in [lanes.0, lanes.1, lanes.2, lanes.3] {
            for shift in stride(from: 0, to: 64, by: 8) { h = (h ^ ((lane >> UInt64(shift)) & 0xFF)) &* prime }
        }
        return h
    }
}
