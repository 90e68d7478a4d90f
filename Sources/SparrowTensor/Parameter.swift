/// A dense trainable matrix (weights or biases) with its gradient accumulator.
///
/// Memory is owned here and survives graph resets; `Graph.param(_:)` exposes it to a pass, and the optimizer
/// reads `grad` and clears it after each step.
public final class Parameter: @unchecked Sendable {
    /// A name for artifacts and error messages (`dense1.weight`).
    public let name: String
    /// Rows.
    public let rows: Int
    /// Columns.
    public let cols: Int
    /// The values, row-major.
    public let value: UnsafeMutableBufferPointer<Float>
    /// The accumulated gradient, same layout.
    public let grad: UnsafeMutableBufferPointer<Float>

    /// Creates a zero-filled parameter.
    public init(name: String, rows: Int, cols: Int) {
        precondition(rows > 0 && cols > 0, "Parameter \(name): shape must be positive, got \(rows)×\(cols)")
        self.name = name
        self.rows = rows
        self.cols = cols
        value = .allocate(capacity: rows * cols)
        value.initialize(repeating: 0)
        grad = .allocate(capacity: rows * cols)
        grad.initialize(repeating: 0)
    }

    deinit {
        value.deallocate()
        grad.deallocate()
    }

    /// Number of scalars.
    public var count: Int { rows * cols }

    /// Copies `values` in.
    public func load(_ values: [Float]) {
        precondition(values.count == count, "Parameter \(name): expected \(count) values, got \(values.count)")
        _ = value.update(from: values)
    }

    /// The values as an array.
    public var values: [Float] { Array(value) }
}

/// An embedding table whose gradient is sparse: only rows looked up in a pass are touched, and optimizers update
/// just those rows (lazily), so a step costs O(batch) and not O(vocabulary).
public final class EmbeddingTable: @unchecked Sendable {
    /// A name for artifacts.
    public let name: String
    /// Vocabulary size (row 0 is conventionally the out-of-vocabulary row).
    public let rows: Int
    /// Vector width.
    public let dim: Int
    /// The table, row-major.
    public let value: UnsafeMutableBufferPointer<Float>
    /// Gradient rows (only the touched ones are non-zero).
    public let grad: UnsafeMutableBufferPointer<Float>
    /// Rows with a pending gradient, each once.
    public private(set) var touched: [Int32] = []
    private var isTouched: [Bool]

    /// Creates a zero-filled table.
    public init(name: String, rows: Int, dim: Int) {
        precondition(rows > 0 && dim > 0, "EmbeddingTable \(name): shape must be positive, got \(rows)×\(dim)")
        self.name = name
        self.rows = rows
        self.dim = dim
        value = .allocate(capacity: rows * dim)
        value.initialize(repeating: 0)
        grad = .allocate(capacity: rows * dim)
        grad.initialize(repeating: 0)
        isTouched = [Bool](repeating: false, count: rows)
    }

    deinit {
        value.deallocate()
        grad.deallocate()
    }

    /// Number of scalars.
    public var count: Int { rows * dim }

    /// Adds `scale · g` to the gradient of `row`.
    @inlinable
    public func accumulate(row: Int, _ g: UnsafePointer<Float>, scale: Float = 1) {
        markTouched(row)
        let base = grad.baseAddress! + row * dim
        for k in 0..<dim { base[k] += scale * g[k] }
    }

    @usableFromInline
    func markTouched(_ row: Int) {
        precondition(row >= 0 && row < rows, "EmbeddingTable \(name): row \(row) outside 0..<\(rows)")
        if !isTouched[row] {
            isTouched[row] = true
            touched.append(Int32(row))
        }
    }

    /// Clears the touched rows' gradients (called by optimizers after an update).
    public func clearGradient() {
        for r in touched {
            let base = grad.baseAddress! + Int(r) * dim
            base.initialize(repeating: 0, count: dim)
            isTouched[Int(r)] = false
        }
        touched.removeAll(keepingCapacity: true)
    }

    /// Copies `values` in.
    public func load(_ values: [Float]) {
        precondition(values.count == count, "EmbeddingTable \(name): expected \(count) values, got \(values.count)")
        _ = value.update(from: values)
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> [Float] { Array(value[(r * dim)..<((r + 1) * dim)]) }
}
