import Foundation
import Testing

@testable import SparrowModels

@Suite("Genre lift: how much more than everyone a user watches a movie's genres")
struct GenreLiftTests {
    /// Movie 0 is genre 0, movie 1 genre 1, movie 2 both, movie 3 none; rated 3, 1, 2 and 0 times.
    static let genres: [UInt64] = [0b01, 0b10, 0b11, 0]
    static let histories = [
        RatingHistory(movies: [0, 2], timestamps: [10, 20]),
        RatingHistory(movies: [0, 1], timestamps: [10, 20]),
        RatingHistory(movies: [0, 2], timestamps: [10, 20]),
    ]

    static func signals(lift: Bool = true) throws -> NextItemSignals {
        var config = NextItemSignals.Config()
        (config.sasrec, config.genreLiftColumns) = (nil, lift)
        return try NextItemSignals.fit(histories: histories, genres: genres, config: config)
    }

    @Test("a genre's lift is its share of the user's movies over its share of every rating, pulled toward 1")
    func liftByHand() throws {
        let signals = try Self.signals()
        // Six ratings: genre 0 holds 3 + 2 of them (share 5/6), genre 1 holds 1 + 2 (share 1/2).
        #expect(abs(signals.genreShares[0] - 5.0 / 6) < 1e-6 && abs(signals.genreShares[1] - 0.5) < 1e-6)
        let user = RatingHistory(movies: [0], timestamps: [30], liked: [false])
        let lift = signals.genreLift(user)
        // (1 + 5 · 5/6) / ((1 + 5) · 5/6) = 31/30; (0 + 5 · 1/2) / (6 · 1/2) = 5/6; nobody's genre 5: 1.
        #expect(abs(lift[0] - 31.0 / 30) < 1e-6)
        #expect(abs(lift[1] - 5.0 / 6) < 1e-6)
        #expect(lift[5] == 1)
        let both = signals.genreLift(of: 2, lift)
        #expect(abs(both.mean - 14.0 / 15) < 1e-6 && abs(both.top - 31.0 / 30) < 1e-6)
        #expect(signals.genreLift(of: 3, lift) == (1, 1), "a movie without genres is neither lifted nor lowered")
        // An empty history: every lift exactly 1.
        #expect(signals.genreLift(RatingHistory()).allSatisfy { abs($0 - 1) < 1e-6 })
    }

    @Test("the ranker's genre-lift columns hold log of the mean and the largest lift; zero when switched off")
    func columns() throws {
        let user = RatingHistory(movies: [0], timestamps: [30])
        let c = NextItemSignals.genreLiftColumn
        let signals = try Self.signals()
        let row = signals.features([2, 1], signals.scores(user), history: user)
        let width = NextItemSignals.featureCount
        #expect(abs(row[c] - log(14.0 / 15)) < 1e-6 && abs(row[c + 1] - log(31.0 / 30)) < 1e-6)
        #expect(abs(row[width + c] - log(5.0 / 6)) < 1e-6 && abs(row[width + c + 1] - log(5.0 / 6)) < 1e-6)
        let off = try Self.signals(lift: false)
        #expect(
            off.features([2, 1], off.scores(user), history: user).enumerated().allSatisfy { i, v in
                i % width < c || i % width > c + 1 || v == 0
            })
    }
}
