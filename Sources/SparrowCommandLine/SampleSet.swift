import Foundation
import SparrowFeatures

/// Reads a training/test pair from a folder: Sparrow's binary files when present, else the original's CSVs.
public enum SampleSet {
    /// The training and test tables of `dir`.
    public static func load(_ dir: String) throws -> (SampleTable, SampleTable) {
        let fm = FileManager.default
        if fm.fileExists(atPath: dir + "/trainingSamples.sparrow") {
            return (
                try SampleFile.read(path: dir + "/trainingSamples.sparrow"),
                try SampleFile.read(path: dir + "/testSamples.sparrow")
            )
        }
        guard fm.fileExists(atPath: dir + "/trainingSamples.csv") else {
            throw CLIError("\(dir) has no trainingSamples.sparrow or trainingSamples.csv; run `sparrow features` first")
        }
        let train = try SampleCSV.read(path: dir + "/trainingSamples.csv")
        var test = try SampleCSV.read(path: dir + "/testSamples.csv", genres: train.genres)
        var trainShared = train
        trainShared.genres = test.genres
        test.genres = trainShared.genres
        return (trainShared, test)
    }
}
