/// The one order of every ranked list in Sparrow: by a key, highest first, ties by the smaller id — so that equal
/// keys give the same list on every run and every machine.
public enum MovieOrder {
    /// Whether `a` comes before `b`: the higher key first, ties by the smaller id.
    @inlinable
    public static func precedes<Id: Comparable, Key: Comparable>(_ a: (Id, Key), _ b: (Id, Key)) -> Bool {
        a.1 > b.1 || (a.1 == b.1 && a.0 < b.0)
    }

    /// `keyed` sorted by `precedes`.
    /// - Complexity: O(n log n).
    @inlinable
    public static func sorted<Id: Comparable, Key: Comparable>(_ keyed: [(Id, Key)]) -> [(Id, Key)] {
        keyed.sorted(by: precedes)
    }

    /// Movie indices by descending key, ties by index, at most `limit`.
    /// - Complexity: O(n log n).
    public static func ranked(_ keyed: [(Int, Double)], limit: Int) -> [Int32] {
        keyed.sorted(by: precedes).prefix(limit).map { Int32($0.0) }
    }
}
