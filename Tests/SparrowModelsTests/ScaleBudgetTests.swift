import SparrowCore
import Testing

@testable import SparrowModels

@Suite("The bounds that keep a 25 M build in minutes")
struct ScaleBudgetTests {
    /// `NextItemTests.matrix`: three users over four items (item 3 never picked); item 1 is the most interacted.
    static let matrix = NextItemTests.matrix

    @Test("the Gram matrix keeps the most interacted items, ties to the lower index")
    func gramVocabulary() {
        let full = GramMatrix(Self.matrix)
        #expect(full.items == [0, 1, 2] && full.userCap == nil)
        #expect(full.values == [2, 2, 1, 2, 3, 2, 1, 2, 2])
        let cut = GramMatrix(Self.matrix, maxItems: 2)
        #expect(cut.items == [0, 1], "item 1 (3 users), then item 0 over item 2 (2 users each)")
        #expect(cut.values == [2, 2, 2, 3])
    }

    @Test("the pair budget caps each user's items at the largest count that fits, light users untouched")
    func gramPairs() {
        // Users of 2, 2 and 3 items: 3 + 3 + 6 = 12 pairs (a pair per unordered couple and one per item).
        #expect(GramMatrix.cap(lengths: [2, 2, 3], maxPairs: 12) == nil)
        #expect(GramMatrix.cap(lengths: [2, 2, 3], maxPairs: 11) == 2)
        #expect(GramMatrix.cap(lengths: [2, 2, 3], maxPairs: 9) == 2)
        #expect(GramMatrix.cap(lengths: [2, 2, 3], maxPairs: 8) == 1)
        #expect(GramMatrix.cap(lengths: [4, 1], maxPairs: 7) == 3, "6 + 1 fits, 10 + 1 does not")
        let capped = GramMatrix(Self.matrix, maxPairs: 9)
        #expect(capped.userCap == 2)
        let n = capped.items.count
        // Every user counts 2 items: the diagonal sums to 6, the whole matrix to 3 × 2², and it stays symmetric.
        #expect((0..<n).reduce(Float(0)) { $0 + capped.values[$1 * n + $1] } == 6)
        #expect(capped.values.reduce(0, +) == 12)
        for a in 0..<n { for b in 0..<n { #expect(capped.values[a * n + b] == capped.values[b * n + a]) } }
        // Users 0 and 1 (two items each) count exactly as before.
        #expect(capped.values[0 * n + 0] >= 1 && capped.values[1 * n + 1] >= 2)
    }

    @Test("SASRec's token budget: fewer epochs, then a random share of the windows per epoch")
    func sasrecTokens() {
        // 40 histories of 12: windows of 11 and 2 movies, 10 + 1 targets each, 440 per epoch.
        let histories = (0..<40).map { u -> RatingHistory in
            RatingHistory(movies: (0..<12).map { Int32((u + $0) % 8) }, timestamps: (0..<12).map { Int64($0) })
        }
        var config = SASRecTests.small(epochs: 5)
        config.dim = 8
        func epochs(_ maxTokens: Int?) -> (epochs: Int, header: String) {
            var lines: [String] = []
            _ = SASRec.fit(histories: histories, catalogSize: 8, config: config, maxTokens: maxTokens) {
                lines.append($0)
            }
            return (lines.filter { $0.hasPrefix("sasrec epoch") }.count, lines.first ?? "")
        }
        #expect(epochs(nil).epochs == 5)
        #expect(epochs(10_000).epochs == 5)
        let two = epochs(880)
        #expect(two.epochs == 2 && two.header.contains("2 epochs (the budget of 880 targets)"))
        let share = epochs(220)
        #expect(share.epochs == 1 && share.header.contains("1 epochs of 40 random windows each"), "\(share.header)")
    }

    @Test("the ranker's list users: every eligible one under the bound, a fixed sample over it")
    func listUsers() {
        let h = RatingHistory(movies: [0, 1, 2], timestamps: [0, 1, 2])
        let data = NextItemModel.TrainingData(
            histories: Array(repeating: h, count: 8), positives: [3, 1, 3, 3, 2, 3, 3, 3], genres: [1, 1, 1])
        #expect(NextItemModel.listUsers(data, minimumLength: 3, maxUsers: 10) == [0, 2, 3, 5, 6, 7])
        let sample = NextItemModel.listUsers(data, minimumLength: 3, maxUsers: 4)
        #expect(sample.count == 4 && sample == sample.sorted() && Set(sample).isSubset(of: [0, 2, 3, 5, 6, 7]))
        #expect(sample == NextItemModel.listUsers(data, minimumLength: 3, maxUsers: 4), "the same sample every time")
    }

    @Test("a sampled softmax above the class bound, the full one below")
    func sampledAbove() {
        var budget = NextItemModel.Budget()
        budget.sampledSoftmaxAbove = 100
        #expect(budget.sasrec(SASRec.Config(), classes: 100).negatives == 0)
        #expect(budget.sasrec(SASRec.Config(), classes: 101).negatives == budget.sampledNegatives)
    }
}
