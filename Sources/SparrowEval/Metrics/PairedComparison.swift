/// Two top-K methods compared case by case on the same test cases, by the hit at K (McNemar's test): the cases only
/// the first method hits, those only the second hits, and the two-sided p-value of a split at least this uneven if
/// either method were as likely to be the one that hits (`ABAnalysis.signTest`: exact up to 30 such cases). Cases
/// both hit, or both miss, say nothing about which is better; one or two hits among hundreds of users have a
/// p-value near 1.
public struct PairedComparison: Sendable, Codable, Equatable {
    /// Cases only the first method hits.
    public var onlyFirst: Int
    /// Cases only the second method hits.
    public var onlySecond: Int
    /// Two-sided p-value of the sign test over the cases only one method hits; 1 when there are none.
    public var pValue: Double

    /// Compares two methods' hits over the same cases, in the same order.
    /// - Complexity: O(n) in the cases.
    public init(_ first: [Bool], _ second: [Bool]) {
        precondition(first.count == second.count, "a paired comparison needs the same cases")
        onlyFirst = zip(first, second).filter { $0 && !$1 }.count
        onlySecond = zip(first, second).filter { !$0 && $1 }.count
        pValue = ABAnalysis.signTest(wins: onlyFirst, n: onlyFirst + onlySecond)
    }

    /// `+3 / −5 users, p 0.73`.
    public var line: String { String(format: "+%d / −%d users, p %.2f", onlyFirst, onlySecond, pValue) }
}
