/// A handle to a 2-D Float32 value recorded on a `Graph`: `rows × cols`, row-major.
///
/// Sparrow keeps every tensor two-dimensional; a batch of sequences (`batch × length × dim`) is stored as
/// `(batch·length) × dim` and the sequence ops know their `length`. Handles are only valid on the graph that made them,
/// until that graph is reset.
public struct Tensor: Sendable, Equatable {
    /// Index of the node on its graph.
    public let id: Int
    /// Number of rows (usually the batch).
    public let rows: Int
    /// Number of columns (features).
    public let cols: Int
    /// rows × cols.
    public var count: Int { rows * cols }
}
