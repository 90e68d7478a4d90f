/// The rating side of a synthetic dataset: who rates what, how much they like it, and when.
struct SyntheticRatings {
    let config: SyntheticDataset
    let movies: SyntheticMovies

    /// The newest timestamp a synthetic rating gets (2018-09-15, like ml-latest-small's last ratings).
    static let end: Int64 = 1_537_000_000
    static let tagWords = ["funny", "dark", "visually stunning", "slow, but rewarding", "classic", "twist ending"]

    /// Ratings per user: power-law activity, at least 1 (5 where the total allows), summing exactly to the total.
    func userCounts(rng: inout SeededGenerator) -> [Int] {
        let n = config.users
        let cap = max(1, config.movies / 2)
        let floor = min(5, max(1, config.ratings / max(1, n)), cap)
        var weights = (0..<n).map { _ in pow(rng.nextUnit() + 1e-9, -0.7) }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        let spare = max(0, config.ratings - floor * n)
        var counts = weights.map { min(cap, floor + Int(Double(spare) * $0)) }
        var remaining = config.ratings - counts.reduce(0, +)
        var u = 0
        while remaining != 0 {
            if remaining > 0, counts[u] < cap {
                counts[u] += 1
                remaining -= 1
            } else if remaining < 0, counts[u] > 0 {
                counts[u] -= 1
                remaining += 1
            }
            u = (u + 1) % n
        }
        return counts
    }

    func write(ratings path: String, tags tagPath: String, rng: inout SeededGenerator) throws(DataError) {
        let counts = userCounts(rng: &rng)
        let global = AliasTable(weights: movies.popularity)
        let byGenre = movies.moviesByGenre.map { list in
            list.isEmpty ? nil : AliasTable(weights: list.map { movies.popularity[$0] })
        }
        var out = try BufferedFile(path: path)
        try out.write("userId,movieId,rating,timestamp\n")
        var tags = try BufferedFile(path: tagPath)
        try tags.write("userId,movieId,tag,timestamp\n")
        let genreCount = SyntheticDataset.genreNames.count
        var chosen = Set<Int>()
        var picks: [(movie: Int, rating: Int, time: Int64)] = []
        for u in 0..<config.users {
            let n = counts[u]
            guard n > 0 else { continue }
            var favourites: [Int] = []
            let k = 2 + rng.nextInt(below: 2)
            while favourites.count < k {
                let g = rng.nextInt(below: min(genreCount, 12))
                if !favourites.contains(g) { favourites.append(g) }
            }
            let bias = rng.nextGaussian() * 0.35
            chosen.removeAll(keepingCapacity: true)
            picks.removeAll(keepingCapacity: true)
            var time = Int64(828_000_000 + rng.nextInt(below: 700_000_000))
            // Session gaps sized so the user's history ends before 2018-09 however many ratings they have.
            let span = max(Seconds.day, Self.end - time)
            let maxGap = max(3601, Int(2 * span / Int64(1 + n / 5)))
            while chosen.count < n {
                var m: Int
                let g = favourites[rng.nextInt(below: favourites.count)]
                if rng.nextUnit() < 0.6, let table = byGenre[g] {
                    m = movies.moviesByGenre[g][table.sample(&rng)]
                } else {
                    m = global.sample(&rng)
                }
                if chosen.contains(m) {
                    // Dense users: fall back to a uniform draw so the loop always ends.
                    m = rng.nextInt(below: movies.ids.count)
                    if chosen.contains(m) { continue }
                }
                chosen.insert(m)
                let match = movies.genres[m].contains(where: favourites.contains) ? 0.45 : -0.35
                let score = 3.4 + movies.quality[m] + match + bias + rng.nextGaussian() * 0.75
                let half = min(10, max(1, Int((score * 2).rounded())))
                // Sessions: several ratings seconds apart, then a gap of hours to weeks.
                time +=
                    rng.nextUnit() < 0.8
                    ? Int64(rng.nextInt(below: 90)) : Int64(3600 + rng.nextInt(below: maxGap - 3600))
                picks.append((m, half, time))
            }
            // Random gaps can overshoot: squeeze the history into [first, end] keeping its order (no future ratings).
            if let first = picks.first?.time, let last = picks.last?.time, last > Self.end {
                let scale = Double(Self.end - first) / Double(last - first)
                for i in picks.indices { picks[i].time = first + Int64(Double(picks[i].time - first) * scale) }
            }
            picks.sort { $0.movie < $1.movie }
            for p in picks {
                out.write(int: Int64(u + 1))
                out.byte(0x2C)
                out.write(int: Int64(movies.ids[p.movie]))
                out.byte(0x2C)
                out.write(int: Int64(p.rating / 2))
                out.byte(0x2E)
                out.byte(p.rating % 2 == 0 ? 0x30 : 0x35)
                out.byte(0x2C)
                out.write(int: p.time)
                out.byte(0x0A)
                if out.buffer.count >= 1 << 22 { try out.flush() }
                if rng.nextInt(below: 200) == 0 {
                    let word = Self.tagWords[rng.nextInt(below: Self.tagWords.count)]
                    try tags.write(
                        "\(u + 1),\(movies.ids[p.movie]),\(word.contains(",") ? "\"\(word)\"" : word),\(p.time + 5)\n")
                }
            }
        }
        try out.close()
        try tags.close()
    }
}

import Foundation
