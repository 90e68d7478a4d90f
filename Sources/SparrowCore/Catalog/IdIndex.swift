/// Maps raw MovieLens ids (positive integers) to dense indices `0..<count`.
///
/// Uses a flat lookup table when the largest id is small enough (MovieLens ids are), and a dictionary otherwise.
/// - Complexity: O(1) lookups.
public struct IdIndex: Sendable {
    private var table: [Int32]
    private var dictionary: [Int32: Int32]
    private let useTable: Bool
    /// The number of ids.
    public let count: Int

    /// Largest id for which a flat table is used (64 MiB of `Int32`).
    static let tableLimit: Int32 = 16_000_000

    /// Builds the index for `ids`, whose positions become the dense indices.
    /// - Precondition: ids are distinct.
    public init(_ ids: [Int32]) {
        count = ids.count
        let maxId = ids.max() ?? 0
        let minId = ids.min() ?? 0
        if minId >= 0 && maxId <= IdIndex.tableLimit {
            useTable = true
            dictionary = [:]
            table = [Int32](repeating: -1, count: Int(maxId) + 1)
            for (i, id) in ids.enumerated() {
                precondition(table[Int(id)] == -1, "IdIndex: id \(id) occurs twice")
                table[Int(id)] = Int32(i)
            }
        } else {
            useTable = false
            table = []
            dictionary = Dictionary(minimumCapacity: ids.count)
            for (i, id) in ids.enumerated() {
                precondition(dictionary.updateValue(Int32(i), forKey: id) == nil, "IdIndex: id \(id) occurs twice")
            }
        }
    }

    /// The dense index of `id`, or `nil` when it is unknown.
    @inlinable
    public subscript(id: Int32) -> Int? {
        lookup(id)
    }

    @usableFromInline
    func lookup(_ id: Int32) -> Int? {
        if useTable {
            guard id >= 0 && Int(id) < table.count else { return nil }
            let v = table[Int(id)]
            return v < 0 ? nil : Int(v)
        }
        return dictionary[id].map(Int.init)
    }
}
