/// Bump allocation of Float scratch memory for one forward/backward pass; `reset` reuses it all.
///
/// A training step allocates every activation and gradient from here, so steady-state training does no `malloc`.
final class Arena {
    private var chunks: [UnsafeMutablePointer<Float>] = []
    private var sizes: [Int] = []
    private var chunk = 0
    private var used = 0
    private let chunkSize: Int

    init(chunkSize: Int = 1 << 20) { self.chunkSize = chunkSize }

    deinit { for c in chunks { c.deallocate() } }

    /// `count` floats, 64-byte aligned, uninitialised.
    func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let rounded = (count + 15) & ~15
        while true {
            if chunk < chunks.count {
                if used + rounded <= sizes[chunk] {
                    let p = chunks[chunk] + used
                    used += rounded
                    return p
                }
                if used == 0 && rounded > sizes[chunk] {
                    // Too small for this request even when empty: replace it with a bigger one.
                    chunks[chunk].deallocate()
                    let size = max(chunkSize, rounded)
                    chunks[chunk] = UnsafeMutableRawPointer.allocate(byteCount: size * 4, alignment: 64)
                        .bindMemory(to: Float.self, capacity: size)
                    sizes[chunk] = size
                    continue
                }
                chunk += 1
                used = 0
            } else {
                let size = max(chunkSize, rounded)
                chunks.append(
                    UnsafeMutableRawPointer.allocate(byteCount: size * 4, alignment: 64).bindMemory(
                        to: Float.self, capacity: size))
                sizes.append(size)
            }
        }
    }

    /// `count` zeroed floats.
    func zeros(_ count: Int) -> UnsafeMutablePointer<Float> {
        let p = allocate(count)
        p.initialize(repeating: 0, count: count)
        return p
    }

    /// Makes all memory available again (pointers handed out before become invalid).
    func reset() {
        chunk = 0
        used = 0
    }
}
