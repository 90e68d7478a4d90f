import Foundation
import SparrowCore
import SparrowModels

/// The outcome of comparing an A/B test with interleaving on the same two rankers.
public struct ExperimentComparison: Sendable, Codable {
    /// Repetitions (random user orders).
    public var repetitions: Int
    /// The largest number of users tried.
    public var maxUsers: Int
    /// Median users needed by the A/B test to reach p < 0.05 (nil when most runs never did).
    public var abUsersNeeded: Int?
    /// Runs in which the A/B test detected the difference.
    public var abDetected: Int
    /// Median users needed by interleaving.
    public var interleavingUsersNeeded: Int?
    /// Runs in which interleaving detected it.
    public var interleavingDetected: Int
    /// What was compared.
    public var summary: String
}

/// A replay simulator: users "click" a recommended movie when it is among their held-out positive ratings. It runs an
/// A/B test (users split between the rankers, CTR per arm, two-proportion z-test) and team-draft interleaving (each
/// user sees both, per-user preference, sign test) and reports how many users each needs to detect the difference.
public struct ReplaySimulator: Sendable {
    /// Held-out positives per user (movie indices).
    let heldOut: [Int: Set<Int32>]
    /// Movies each user has seen in training (never recommended).
    let seen: [Int: Set<Int32>]
    /// Users that have held-out positives.
    let users: [Int]

    /// Splits each user's positives by time: the last `fraction` are held out.
    public init(catalog: Catalog, fraction: Double = 0.2) {
        var heldOut: [Int: Set<Int32>] = [:]
        var seen: [Int: Set<Int32>] = [:]
        for u in 0..<catalog.userIds.count {
            let rows = Array(catalog.ratingsOfUser(u))
            let cut = Int(Double(rows.count) * (1 - fraction))
            seen[u] = Set(rows[..<cut].map { catalog.ratings.movie[Int($0)] })
            let later = rows[cut...].filter { catalog.ratings.rating[Int($0)] >= likedThreshold }.map {
                catalog.ratings.movie[Int($0)]
            }
            if !later.isEmpty { heldOut[u] = Set(later) }
        }
        self.heldOut = heldOut
        self.seen = seen
        users = heldOut.keys.sorted()
    }

    /// The training interactions (positives before the cut) as a matrix.
    public func trainingMatrix(catalog: Catalog) -> InteractionMatrix {
        let positives = (0..<catalog.userIds.count).map { u -> (user: Int, items: [Int32]) in
            let rows = catalog.ratingsOfUser(u).filter {
                seen[u]?.contains(catalog.ratings.movie[Int($0)]) == true
                    && catalog.ratings.rating[Int($0)] >= likedThreshold
            }
            return (u, rows.map { catalog.ratings.movie[Int($0)] })
        }
        return InteractionMatrix(users: catalog.userIds.count, items: catalog.movies.count, interactions: positives)
    }

    /// The top `k` unseen movies of a score vector.
    func top(_ scores: [Float], user: Int, k: Int) -> [Int32] {
        let excluded = seen[user] ?? []
        var best: [(Float, Int32)] = []
        for (m, s) in scores.enumerated() where !excluded.contains(Int32(m)) {
            if best.count < k || s > best[best.count - 1].0 {
                let position = best.firstIndex { $0.0 < s } ?? best.count
                best.insert((s, Int32(m)), at: position)
                if best.count > k { best.removeLast() }
            }
        }
        return best.map(\.1)
    }

    /// Runs both designs for rankers A and B (user → scores over movies), `repetitions` random user orders.
    public func compare(
        a: (Int) -> [Float], b: (Int) -> [Float], names: (String, String), k: Int = 10, repetitions: Int = 20,
        step: Int = 10, seed: UInt64 = 1
    ) -> ExperimentComparison {
        // Precompute each user's lists and outcomes once.
        var listA: [Int: [Int32]] = [:]
        var listB: [Int: [Int32]] = [:]
        for u in users {
            listA[u] = top(a(u), user: u, k: k)
            listB[u] = top(b(u), user: u, k: k)
        }
        var rng = SplitRandom(seed: seed)
        var abNeeded: [Int] = []
        var ilNeeded: [Int] = []
        for _ in 0..<repetitions {
            var order = users
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            var armA = ABAnalysis.Arm(successes: 0, trials: 0)
            var armB = ABAnalysis.Arm(successes: 0, trials: 0)
            var wins = 0
            var decided = 0
            var abAt: Int?
            var ilAt: Int?
            for (n, u) in order.enumerated() {
                let truth = heldOut[u]!
                // A/B: alternate users between the arms (a random but balanced split).
                if rng.coin() {
                    armA.trials += k
                    armA.successes += listA[u]!.filter(truth.contains).count
                } else {
                    armB.trials += k
                    armB.successes += listB[u]!.filter(truth.contains).count
                }
                // Interleaving: the same user sees both.
                let (list, teams) = TeamDraft.interleave(listA[u]!, listB[u]!, length: k, rng: &rng)
                var credit = [0, 0]
                for (m, t) in zip(list, teams) where truth.contains(m) { credit[t] += 1 }
                if credit[0] != credit[1] {
                    decided += 1
                    if credit[1] > credit[0] { wins += 1 }
                }
                if (n + 1) % step == 0 {
                    if abAt == nil, ABAnalysis.zTest(armA, armB).p < 0.05 { abAt = n + 1 }
                    if ilAt == nil, ABAnalysis.signTest(wins: wins, n: decided) < 0.05 { ilAt = n + 1 }
                }
            }
            if let abAt { abNeeded.append(abAt) }
            if let ilAt { ilNeeded.append(ilAt) }
        }
        func median(_ v: [Int]) -> Int? { v.count * 2 > repetitions ? v.sorted()[v.count / 2] : nil }
        return ExperimentComparison(
            repetitions: repetitions, maxUsers: users.count, abUsersNeeded: median(abNeeded),
            abDetected: abNeeded.count,
            interleavingUsersNeeded: median(ilNeeded), interleavingDetected: ilNeeded.count,
            summary:
                "\(names.0) (A) against \(names.1) (B); a click is a recommended movie among the user's held-out later positives (last 20 % of each user's ratings); top \(k); users in random order, tested every \(step) users; p < 0.05 counts as detected."
        )
    }
}
