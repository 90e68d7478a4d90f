import Foundation
import Testing

@testable import SparrowModels

@Suite("The movie timeline behind the ranker's point-in-time features")
struct MovieTimelineTests {
    static let day: Int64 = 86_400

    /// Movie 0: liked on day 10 (user A), not liked on day 10 (B), liked on day 30 (C). Movie 1: not liked on day 12
    /// (A), liked on day 20 (B). Movie 2: never rated.
    static let timeline = MovieTimeline(
        histories: [
            RatingHistory(movies: [0, 1], timestamps: [10 * day + 5, 12 * day], liked: [true, false]),
            RatingHistory(movies: [0, 1], timestamps: [10 * day + 900, 20 * day], liked: [false, true]),
            RatingHistory(movies: [0], timestamps: [30 * day + 1], liked: [true]),
        ], catalogSize: 3)

    @Test("rows hold each movie's rating days with running totals")
    func rows() {
        let t = Self.timeline
        #expect(t.start == [0, 2, 4, 4])
        #expect(t.days == [10, 30, 12, 20])
        #expect(t.rated == [2, 3, 1, 2])
        #expect(t.liked == [1, 2, 0, 1])
        #expect(t.lastDay == 30)
        #expect(t.likedShare == 0.6)
    }

    @Test("counts read only the days before the request day")
    func counts() {
        let t = Self.timeline
        #expect(t.counts(0, before: 10) == (0, 0))
        #expect(t.counts(0, before: 11) == (2, 1))
        #expect(t.counts(0, before: 30) == (2, 1))
        #expect(t.counts(0, before: 31) == (3, 2))
        #expect(t.counts(1, before: 20) == (1, 0))
        #expect(t.counts(2, before: 100) == (0, 0))
        #expect(t.firstDay(0, before: 10) == nil)
        #expect(t.firstDay(0, before: 11) == 10)
        #expect(t.firstDay(2, before: 100) == nil)
    }

    @Test("features: window counts, age and the smoothed like rate, by hand")
    func features() {
        let t = Self.timeline
        // Day 31, windows of 5 and 25 days: movie 0 has 1 rating in days 26–30, 3 in days 6–30, first rated on day
        // 10, 2 likes of 3 ratings with the prior 0.6 × 5: (2 + 3) / (3 + 5).
        let f = t.features(0, day: 31, window: 5, longWindow: 25)
        #expect(f.0 == log1p(1) && f.1 == log1p(3) && f.2 == log1p(21) && f.3 == 0.625)
        // Day 10: nothing before it — the same as a movie never rated, and the like rate is the prior.
        let early = t.features(0, day: 10, window: 5, longWindow: 25)
        #expect(early.0 == 0 && early.1 == 0 && early.2 == 0 && abs(early.3 - 0.6) < 1e-6)
        #expect(t.features(2, day: 31, window: 5, longWindow: 25) == early)
    }

    @Test("features: only the columns asked for are computed, each equal to its value in the full row")
    func featureColumns() {
        let t = Self.timeline
        let all = t.features(0, day: 31, window: 5, longWindow: 25)
        #expect(t.features(0, day: 31, window: 5, longWindow: 25, columns: 0b1000) == (0, 0, 0, all.3))
        #expect(t.features(0, day: 31, window: 5, longWindow: 25, columns: 0b0101) == (all.0, 0, all.2, 0))
        #expect(t.features(0, day: 31, window: 5, longWindow: 25, columns: 0b0010) == (0, all.1, 0, 0))
        #expect(t.features(0, day: 31, window: 5, longWindow: 25, columns: 0) == (0, 0, 0, 0))
    }

    @Test("the request day is the history's newest day, never past the day after the timeline's newest")
    func requestDay() {
        let t = Self.timeline
        #expect(t.requestDay(RatingHistory(movies: [1], timestamps: [12 * Self.day + 7])) == 12)
        #expect(t.requestDay(RatingHistory(movies: [1], timestamps: [400 * Self.day])) == 31)
        #expect(t.requestDay(RatingHistory()) == 31)
    }
}
