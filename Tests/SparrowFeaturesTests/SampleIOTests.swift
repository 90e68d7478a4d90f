import Foundation
import SparrowCore
import Testing

@testable import SparrowFeatures

@Suite("Sample files: CSV, binary, splits")
struct SampleIOTests {
    func fixtureTable() throws -> (Catalog, SampleTable) {
        let catalog = try FeatureFixture.catalog()
        var table = SampleTable(genres: catalog.genres)
        SampleGenerator(catalog: catalog).run { table.append($0, catalog: catalog) }
        return (catalog, table)
    }

    func same(_ a: SampleTable, _ b: SampleTable) -> Bool {
        guard a.count == b.count, a.timestamps == b.timestamps, a.ints == b.ints else { return false }
        for c in FloatColumn.allCases {
            for (x, y) in zip(a[c], b[c]) where !(x == y || (x.isNaN && y.isNaN)) { return false }
        }
        return true
    }

    @Test("CSV in the original layout: exact text and a lossless round trip")
    func csv() throws {
        let (_, table) = try fixtureTable()
        let dir = try FeatureFixture.folder()
        try SampleCSV.write(table, to: dir + "/s.csv")
        let lines = try String(contentsOfFile: dir + "/s.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines[0].split(separator: ",").count == 27)
        #expect(lines[1] == "3,1,5.0,200,1,,Drama,,,1,1.00,,1,,,,,2,1995,7.07,3.50,0.71,Drama,Comedy,,,")
        let back = try SampleCSV.read(path: dir + "/s.csv", genres: table.genres)
        #expect(same(back, table.droppingContext()))
        try SampleCSV.write(table, to: dir + "/x.csv", extraColumns: true)
        #expect(same(try SampleCSV.read(path: dir + "/x.csv", genres: table.genres), table))
    }

    @Test("two-decimal rounding follows the exact binary value, half to even")
    func rounding() {
        #expect(SampleCSV.twoDecimals(4.215) == Float(4.21))  // binary 4.21499…
        #expect(SampleCSV.twoDecimals(2.955) == Float(2.96))  // binary 2.95500…
        #expect(SampleCSV.twoDecimals(3.125) == Float(3.12))  // exact tie → even
        #expect(SampleCSV.twoDecimals(3.375) == Float(3.38))
    }

    @Test("binary form: a sampled read keeps exactly the asked rows, in file order, the same ones every time")
    func sampledRead() throws {
        let (_, table) = try fixtureTable()
        let dir = try FeatureFixture.folder()
        let path = dir + "/blocks.sparrow"
        // Three blocks of the same rows: the sample spans block boundaries.
        let writer = try SampleFile.Writer(path: path, genres: table.genres)
        for _ in 0..<3 { try writer.append(table) }
        try writer.close()
        let all = try SampleFile.read(path: path)
        #expect(all.count == 3 * table.count)
        #expect(same(try SampleFile.read(path: path, maxRows: all.count), all))
        #expect(same(try SampleFile.read(path: path, maxRows: all.count + 5), all))
        #expect(try SampleFile.read(path: path, maxRows: 0).count == 0)
        let k = all.count / 2
        let sample = try SampleFile.read(path: path, maxRows: k)
        #expect(sample.count == k)
        #expect(same(sample, try SampleFile.read(path: path, maxRows: k)))
        // Every sampled row is a row of the file, and they come in file order: match them greedily.
        var next = 0
        for r in 0..<sample.count {
            while next < all.count && !same(all.rows([next]), sample.rows([r])) { next += 1 }
            #expect(next < all.count, "sampled row \(r) is not a later row of the file")
            next += 1
        }
    }

    @Test("binary form: round trip, and corruption or truncation is an error")
    func binary() throws {
        let (_, table) = try fixtureTable()
        let dir = try FeatureFixture.folder()
        let path = dir + "/s.sparrow"
        try SampleFile.write(table, to: path)
        #expect(same(try SampleFile.read(path: path), table))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 20] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: DataError.self) { _ = try SampleFile.read(path: path) }
        try bytes.prefix(bytes.count - 30).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: DataError.self) { _ = try SampleFile.read(path: path) }
        #expect(error.message.contains("truncated"))
    }

    @Test("a malformed sample CSV names the line and column")
    func badCSV() throws {
        let dir = try FeatureFixture.folder()
        let header = SampleCSV.header(extraColumns: false)
        try (header + "\n1,2,x,4,1,1995,,,,1,1,1,,,,,,2,1,1,1,1,,,,,\n").write(
            toFile: dir + "/b.csv", atomically: true, encoding: .utf8)
        let error = try #require(throws: DataError.self) { _ = try SampleCSV.read(path: dir + "/b.csv") }
        #expect(error.line == 2 && error.field == "rating")
    }

    @Test("splits: random is seeded, time puts the future in test, last-out holds one rating per user")
    func splits() throws {
        let dir = try FeatureFixture.folder()
        try SyntheticDataset(users: 40, movies: 200, ratings: 3000, seed: 5).write(to: dir)
        let catalog = try MovieLensReader.load(directory: dir)
        for split in [SampleSplit.random(seed: 3, testFraction: 0.2), .time(testFraction: 0.2), .lastOut] {
            let out = try FeatureFixture.folder()
            let summary = try FeaturePipeline(catalog: catalog, split: split).run(to: out)
            let train = try SampleFile.read(path: out + "/trainingSamples.sparrow")
            let test = try SampleFile.read(path: out + "/testSamples.sparrow")
            #expect(train.count + test.count == 3000 - 2 * 40)
            #expect(summary.trainRows == train.count)
            switch split {
            case .random:
                #expect(abs(Double(test.count) / Double(train.count + test.count) - 0.2) < 0.03)
                let again = try FeatureFixture.folder()
                _ = try FeaturePipeline(catalog: catalog, split: split).run(to: again)
                #expect(try SampleFile.read(path: again + "/testSamples.sparrow").timestamps == test.timestamps)
            case .time:
                #expect(train.timestamps.max()! <= test.timestamps.min()!)
            case .lastOut:
                #expect(test.count == 40)
                #expect(Set(test[.userId]).count == 40)
            }
        }
    }
}

extension SampleTable {
    /// The table with the context columns blanked (what a 27-column CSV can carry).
    func droppingContext() -> SampleTable {
        var copy = SampleTable(genres: genres)
        for i in 0..<count {
            copy.append(
                timestamp: timestamps[i],
                float: { c in
                    [.hourOfDay, .dayOfWeek, .daysSinceMovieFirstRating, .secondsSinceUserPrevious].contains(c)
                        ? .nan : self[c][i]
                }, int: { self[$0][i] })
        }
        return copy
    }
}
