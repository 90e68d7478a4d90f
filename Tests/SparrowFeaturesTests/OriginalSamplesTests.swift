import Foundation
import SparrowCore
import Testing

@testable import SparrowFeatures

@Suite("The original's sample files", .enabled(if: RealData.samples != nil, "needs ../shared/data/sparrow-samples"))
struct OriginalSamplesTests {
    @Test("the reader loads both files with missing cells as missing")
    func read() throws {
        let train = try SampleCSV.read(path: RealData.samples! + "/trainingSamples.csv")
        let test = try SampleCSV.read(path: RealData.samples! + "/testSamples.csv", genres: train.genres)
        #expect(train.count == 79_755)
        #expect(test.count == 19_861)
        // First training row: 1,107,4.0,829322340,1,1995,Adventure,Animation,Children,215,3.92,0.83,141,140,5,11,,5,…
        #expect(train[.movieId][0] == 1 && train[.userId][0] == 107)
        #expect(train.timestamps[0] == 829_322_340)
        #expect(train[.movieAvgRating][0] == 3.92)
        #expect(train[.userRatedMovie4][0] == 11 && train[.userRatedMovie5][0] == 0)
        #expect(train[.userGenre4][0] == -1)
        #expect(train.genres[Int(train[.movieGenre1][0])] == "Adventure")
        #expect(train[.hourOfDay][0].isNaN)
    }

    @Test(
        "where the original's bugs cannot reach, our user features match it",
        .enabled(if: RealData.available, "needs ml-latest-small"))
    func match() throws {
        let catalog = try MovieLensReader.load(directory: RealData.directory!)
        var ours = SampleTable(genres: catalog.genres)
        SampleGenerator(catalog: catalog).run { ours.append($0, catalog: catalog) }
        var reference = try SampleCSV.read(path: RealData.samples! + "/trainingSamples.csv")
        let test = try SampleCSV.read(path: RealData.samples! + "/testSamples.csv", genres: reference.genres)
        reference.genres = test.genres
        for i in 0..<test.count { reference.append(row: i, of: test) }
        let comparison = SampleComparison(ours: ours, reference: reference, catalog: catalog)
        #expect(comparison.joined == 70_767)
        for column in comparison.columns {
            let unexplained = column.causes[.unexplained] ?? 0
            // Every disagreement but a handful in one user (see the closing note) has a known cause.
            #expect(Double(unexplained) / Double(column.compared) < 0.002, "\(column.column): \(unexplained)")
            if column.column == "userRatingCount" || column.column == "userAvgRating" { #expect(unexplained == 0) }
        }
    }
}
