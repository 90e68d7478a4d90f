import Foundation
import SparrowCore
import Testing

/// Fourteen ratings by hand. Sorted, the timestamps are 100 110 120 150 160 170 180 200 300 900 900 910 950 1000, so
/// holding out the newest 30 % (floor(14 · 0.7) = 9 → the 10th, 900) cuts at t = 900.
///
/// - user 1: positives 1, 2 before; 3 rated 2.0 before; 4 and 5 liked in the same second 900; 6 disliked at 950.
/// - user 2: everything before the cut-off. User 3: one rating, after it. User 4: two positives before, a dislike after.
@Suite("Hold-out splits")
struct HoldOutSplitTests {
    static let movies = """
        movieId,title,genres
        1,A (1990),Drama
        2,B (1991),Drama
        3,C (1992),Comedy
        4,D (1993),Comedy
        5,E (1994),Action
        6,F (1995),Action

        """
    static let ratings = """
        userId,movieId,rating,timestamp
        1,1,4.0,100
        1,2,5.0,200
        1,3,2.0,300
        1,4,4.5,900
        1,5,4.0,900
        1,6,1.0,950
        2,1,3.0,150
        2,2,4.0,160
        2,3,4.0,170
        2,6,5.0,180
        3,4,5.0,1000
        4,1,4.0,110
        4,5,4.0,120
        4,2,2.0,910

        """

    static func catalog() throws -> Catalog {
        let dir = try makeFolder(["movies.csv": movies, "ratings.csv": ratings])
        return try MovieLensReader.load(directory: dir)
    }

    func index(_ c: Catalog, movie id: Int32) -> Int32 { Int32(c.movieIndex(id: id)!) }

    @Test(
        "the timeline split cuts at the quantile, asks each user with a history for their next pick, and counts every positive of that second"
    )
    func timeline() throws {
        let c = try Self.catalog()
        let split = HoldOutSplit(catalog: c, heldOutFraction: 0.3)
        #expect(split.kind == .timeline)
        #expect(split.cutoff == 900)
        let u1 = try #require(c.userIndex(id: 1))
        #expect(split.cases.map(\.user) == [u1], "users 2 (nothing after), 3 (no history), 4 (only a dislike after)")
        let only = split.cases[0]
        #expect(only.history == [index(c, movie: 1), index(c, movie: 2)])
        #expect(only.relevant == [index(c, movie: 4), index(c, movie: 5)])
        #expect(only.relevant.contains(only.heldOut!))
        #expect(only.heldOutTime == 900, "the request replayed at the held-out second")
        #expect(split.users.filter { $0.heldOut == nil }.allSatisfy { $0.heldOutTime == nil })
        // Training data: every rating before t = 900, whoever made it.
        let training = split.trainingCatalog(c)
        #expect(training.ratings.count == 9)
        #expect(training.ratings.timestamp.allSatisfy { $0 < 900 })
        // Excluded from user 1's ranking: what they rated before the cut-off, the dislike included.
        #expect(split.excluded(c, user: u1) == Set([1, 2, 3].map { index(c, movie: $0) }))
        #expect(split.trainingCount == 2 + 3 + 0 + 2)
    }

    @Test("leave-last-out holds out each user's last positive and excludes everything else they rated")
    func leaveLastOut() throws {
        let c = try Self.catalog()
        let split = HoldOutSplit(catalog: c)
        #expect(split.kind == .leaveLastOut && split.cutoff == nil)
        let u1 = try #require(c.userIndex(id: 1))
        let case1 = try #require(split.cases.first { $0.user == u1 })
        let last = try #require(case1.heldOut)
        #expect(case1.relevant == [last])
        #expect(case1.heldOutTime == 900)
        let u2 = try #require(c.userIndex(id: 2))
        #expect(split.cases.first { $0.user == u2 }?.heldOutTime == 180, "user 2's last positive, movie 6 at 180")
        #expect([index(c, movie: 4), index(c, movie: 5)].contains(last))
        #expect(split.excluded(c, user: u1) == Set((1...6).map { index(c, movie: $0) }).subtracting([last]))
        #expect(split.trainingCatalog(c).ratings.count == c.ratings.count - split.cases.count)
    }

    @Test("a sample of test users: the rest become training users, their held-out movie back in their history")
    func sampled() throws {
        let c = try Self.catalog()
        let split = HoldOutSplit(catalog: c)
        #expect(split.cases.count == 2, "users 1 and 2 have three positives or more")
        #expect(split.sampled(maxCases: 2).cases.map(\.user) == split.cases.map(\.user))
        let one = split.sampled(maxCases: 1)
        #expect(one.cases.count == 1 && one.sampled(maxCases: 1).cases.map(\.user) == one.cases.map(\.user))
        #expect(split.sampled(maxCases: 1).cases.map(\.user) == one.cases.map(\.user), "a fixed sample")
        for u in split.users where u.heldOut != nil && u.user != one.cases[0].user {
            let back = try #require(one.users.first { $0.user == u.user })
            #expect(back.heldOut == nil && back.heldOutTime == nil && back.history == u.history + [u.heldOut!])
            #expect(!one.excluded(c, user: u.user).isEmpty && one.excluded(c, user: u.user).contains(u.heldOut!))
        }
        // Only the sampled user's held-out rating leaves the training data.
        #expect(one.trainingCatalog(c).ratings.count == c.ratings.count - 1)
        // On the timeline the cut-off stays: a user left out is no test case, and nothing after the cut-off trains.
        let timeline = HoldOutSplit(catalog: c, heldOutFraction: 0.3)
        let none = timeline.sampled(maxCases: 1)
        #expect(none.cases.count == 1 && none.trainingCatalog(c).ratings.count == 9)
    }
}
