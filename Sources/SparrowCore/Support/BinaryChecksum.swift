/// The 64-bit FNV-1a checksum used by Sparrow's binary files (samples, embeddings, model weights).
public enum BinaryChecksum {
    /// FNV-1a over `bytes`.
    public static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
