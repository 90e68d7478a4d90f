/// 64-bit FNV-1a, the one hash of Sparrow: file checksums (`BinaryChecksum`), A/B buckets, hashed feature crosses, the
/// live state's fingerprint and the offline lists' key all use it, so their values agree across modules and runs.
public struct FNV1a: Sendable, Equatable {
    /// The FNV-1a offset basis (the hash of no bytes).
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The 64-bit FNV prime.
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The hash of what was added so far.
    public var value: UInt64

    /// A hash continuing from `value` (by default: nothing added yet).
    @inlinable
    public init(continuing value: UInt64 = FNV1a.offsetBasis) { self.value = value }

    /// Adds one byte.
    @inlinable
    public mutating func add(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* FNV1a.prime
    }

    /// Adds `bytes` in order.
    /// - Complexity: O(n).
    @inlinable
    public mutating func add<C: Collection>(bytes: C) where C.Element == UInt8 {
        for b in bytes { add(b) }
    }

    /// Adds the four bytes of `v`, least significant first.
    @inlinable
    public mutating func add(littleEndian v: UInt32) {
        for k in 0..<4 { add(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) }
    }

    /// Folds a whole 64-bit word in at once (xor, then one multiply): the word-wise variant the live state's
    /// fingerprint uses, one step per value instead of eight.
    @inlinable
    public mutating func mix(word v: UInt64) {
        value ^= v
        value = value &* FNV1a.prime
    }

    /// The hash of `bytes`.
    @inlinable
    public static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h = FNV1a()
        h.add(bytes: bytes)
        return h.value
    }
}
