/// The name of a recall channel, as candidates, responses, metrics and the evaluation carry it.
///
/// An open set of names: the built-in channels are static members, and a channel written outside the engine names
/// itself with a literal (`let name: ChannelName = "fixed"`).
public struct ChannelName: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The name as text.
    public var rawValue: String

    /// A channel name from text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A channel name from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// One sentence for logs and the command line.
    public var description: String { rawValue }

    /// The nearest movies of the user's recent liked movies (item2vec).
    public static let itemToItem: ChannelName = "item2item"
    /// The user vector's nearest movies (LSH over item2vec).
    public static let embedding: ChannelName = "ann"
    /// The Two-Tower model's user vector.
    public static let twoTower: ChannelName = "two-tower"
    /// The best movies of the user's favourite genres.
    public static let genre: ChannelName = "genre"
    /// The newest movies.
    public static let fresh: ChannelName = "fresh"
    /// The most rated movies.
    public static let popular: ChannelName = "popular"
}
