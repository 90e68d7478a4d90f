import Foundation
import Testing
import ZIPFoundation

@testable import SparrowCore

@Suite("Synthetic data")
struct SyntheticTests {
    @Test("the same seed writes identical files; another seed does not")
    func determinism() throws {
        let a = try makeFolder([:])
        let b = try makeFolder([:])
        let c = try makeFolder([:])
        try SyntheticDataset(users: 50, movies: 300, ratings: 3000, seed: 7).write(to: a)
        try SyntheticDataset(users: 50, movies: 300, ratings: 3000, seed: 7).write(to: b)
        try SyntheticDataset(users: 50, movies: 300, ratings: 3000, seed: 8).write(to: c)
        for name in ["movies.csv", "ratings.csv", "links.csv", "tags.csv"] {
            let fa = try Data(contentsOf: URL(fileURLWithPath: a + "/" + name))
            let fb = try Data(contentsOf: URL(fileURLWithPath: b + "/" + name))
            #expect(fa == fb, "\(name) differs between two runs with one seed")
        }
        let ra = try Data(contentsOf: URL(fileURLWithPath: a + "/ratings.csv"))
        let rc = try Data(contentsOf: URL(fileURLWithPath: c + "/ratings.csv"))
        #expect(ra != rc)
    }

    @Test("it loads back with the exact counts and the awkward cases")
    func structure() throws {
        let dir = try makeFolder([:])
        try SyntheticDataset(users: 80, movies: 500, ratings: 6000, seed: 1).write(to: dir)
        let catalog = try MovieLensReader.load(directory: dir)
        #expect(catalog.ratings.count == 6000)
        #expect(catalog.movies.count == 500)
        #expect(catalog.userIds.count == 80)
        #expect(catalog.movies.contains { $0.title.contains(",") })
        #expect(catalog.movies.contains { $0.title.contains("\"") })
        #expect(catalog.movies.contains { $0.year == nil })
        #expect(catalog.movies.contains { $0.genres.isEmpty })
        #expect(catalog.movies.contains { $0.tmdbId == nil })
        // Popularity is skewed: the most rated movie has far more ratings than the median one.
        let stats = CatalogStats(catalog)
        #expect(stats.ratingsPerMovie.max > 5 * max(1, stats.ratingsPerMovie.median))
        // No rating lies after the data set's end (2018-09-15), however dense the user.
        #expect(catalog.ratings.timestamp.max()! <= 1_537_000_000)
        // Each user rates a movie at most once.
        var pairs = Set<Int64>()
        for i in 0..<catalog.ratings.count {
            #expect(pairs.insert(Int64(catalog.ratings.user[i]) << 32 | Int64(catalog.ratings.movie[i])).inserted)
        }
    }

    @Test("impossible sizes are refused with a sentence")
    func impossible() {
        #expect(throws: DataError.self) { try SyntheticDataset(users: 2, movies: 3, ratings: 100, seed: 1).validate() }
    }
}

@Suite("Download: checksum and unpacking")
struct DownloadTests {
    @Test(
        "MD5 test vectors of RFC 1321",
        arguments: [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a"
            ),
        ])
    func md5(text: String, hex: String) {
        #expect(MD5.hex(Array(text.utf8)) == hex)
        var streamed = MD5()
        Array(text.utf8).withUnsafeBytes { streamed.update($0) }
        #expect(streamed.finalizeHex() == hex)
    }

    @Test("the published checksum file formats parse")
    func checksumFile() {
        #expect(
            DatasetDownloader.parseChecksum("a3f9a0b2c8e1d4f5a6b7c8d9e0f1a2b3  ml-latest-small.zip\n")
                == "a3f9a0b2c8e1d4f5a6b7c8d9e0f1a2b3")
        #expect(
            DatasetDownloader.parseChecksum("MD5 (x.zip) = A3F9A0B2C8E1D4F5A6B7C8D9E0F1A2B3")
                == "a3f9a0b2c8e1d4f5a6b7c8d9e0f1a2b3")
        #expect(DatasetDownloader.parseChecksum("not found") == nil)
    }

    func makeZip() throws -> (zip: String, out: String) {
        let source = try makeFolder([:])
        try SyntheticDataset(users: 10, movies: 40, ratings: 100, seed: 3).write(to: source + "/ml-tiny")
        let zip = try makeFolder([:]) + "/ml-tiny.zip"
        try FileManager.default.zipItem(at: URL(fileURLWithPath: source + "/ml-tiny"), to: URL(fileURLWithPath: zip))
        return (zip, try makeFolder([:]))
    }

    @Test("a zip with the right checksum unpacks into a loadable folder")
    func install() throws {
        let (zip, out) = try makeZip()
        let md5 = try Data(contentsOf: URL(fileURLWithPath: zip)).withUnsafeBytes { raw in
            var m = MD5()
            m.update(raw)
            return m.finalizeHex()
        }
        let folder = try DatasetDownloader.install(zip: zip, expectedMD5: md5, to: out)
        #expect(folder.hasSuffix("/ml-tiny"))
        #expect(try MovieLensReader.load(directory: folder).ratings.count == 100)
    }

    @Test("a checksum mismatch is refused and nothing is unpacked")
    func mismatch() throws {
        let (zip, out) = try makeZip()
        let error = try #require(throws: DataError.self) {
            _ = try DatasetDownloader.install(zip: zip, expectedMD5: String(repeating: "0", count: 32), to: out)
        }
        #expect(error.message.hasPrefix("checksum mismatch"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }
}
