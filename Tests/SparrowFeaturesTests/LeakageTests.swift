import Foundation
import SparrowCore
import Testing

@testable import SparrowFeatures

@Suite("No leakage from the future")
struct LeakageTests {
    static func synthetic() throws -> (String, String) {
        let dir = try FeatureFixture.folder()
        try SyntheticDataset(users: 60, movies: 150, ratings: 4000, seed: 11).write(to: dir)
        return (dir, try String(contentsOfFile: dir + "/ratings.csv", encoding: .utf8))
    }

    static func catalog(_ dir: String, ratings: String) throws -> Catalog {
        try ratings.write(toFile: dir + "/ratings.csv", atomically: true, encoding: .utf8)
        return try MovieLensReader.load(directory: dir)
    }

    @Test("changing or deleting a rating at time t changes no feature of any sample before t")
    func editDoesNotReachThePast() throws {
        let (dir, text) = try Self.synthetic()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let base = FeatureFixture.samples(try Self.catalog(dir, ratings: text))
        let target = lines.count / 2
        let fields = lines[target].split(separator: ",")
        let t = Int64(fields[3])!
        // Change the rating…
        lines[target] = "\(fields[0]),\(fields[1]),\(fields[2] == "0.5" ? "5.0" : "0.5"),\(fields[3])"
        let changed = FeatureFixture.samples(try Self.catalog(dir, ratings: lines.joined(separator: "\n")))
        // …and delete it.
        lines.remove(at: target)
        let deleted = FeatureFixture.samples(try Self.catalog(dir, ratings: lines.joined(separator: "\n")))
        var before = 0
        var after = 0
        for (key, row) in base {
            if row.timestamp < t {
                before += 1
                for other in [changed, deleted] {
                    let o = try #require(other[key])
                    #expect(o.movieFeatures == row.movieFeatures && o.userFeatures == row.userFeatures, "sample \(key)")
                }
            } else if changed[key]?.userFeatures != row.userFeatures || changed[key]?.movieFeatures != row.movieFeatures
            {
                after += 1
            }
        }
        #expect(before > 100)
        #expect(after > 0, "the edit should change some later sample")
    }

    @Test(
        "every sample's movie count is the number of strictly earlier ratings (real data)",
        .enabled(if: RealData.available, "needs ml-latest-small: set SPARROW_DATA"))
    func movieCounts() throws {
        let catalog = try MovieLensReader.load(directory: RealData.directory!)
        var times = [[Int64]](repeating: [], count: catalog.movies.count)
        for i in 0..<catalog.ratings.count { times[Int(catalog.ratings.movie[i])].append(catalog.ratings.timestamp[i]) }
        for m in times.indices { times[m].sort() }
        var samples = 0
        var firsts = 0
        var wrong = 0
        SampleGenerator(catalog: catalog).run { row in
            samples += 1
            let ts = times[row.movie]
            let earlier = ts.firstIndex { $0 >= row.timestamp } ?? ts.count
            if row.movieFeatures.ratingCount != earlier { wrong += 1 }
            if row.timestamp == ts[0] {
                firsts += 1
                if row.movieFeatures.ratingCount != 0 { wrong += 1 }
            }
        }
        #expect(samples == 99_616)
        #expect(firsts > 5000)
        #expect(wrong == 0)
    }
}
