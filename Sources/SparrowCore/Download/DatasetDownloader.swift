import Foundation
import ZIPFoundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The MovieLens datasets GroupLens publishes, with where to fetch them.
public enum MovieLensDataset: String, CaseIterable, Sendable {
    /// 100,836 ratings, 9,742 movies, 610 users (about 1 MB zipped).
    case mlLatestSmall = "ml-latest-small"
    /// 25 million ratings.
    case ml25m = "ml-25m"
    /// 32 million ratings.
    case ml32m = "ml-32m"

    /// The official zip.
    public var url: URL { URL(string: "https://files.grouplens.org/datasets/movielens/\(rawValue).zip")! }
    /// The published MD5 checksum file next to the zip.
    public var checksumURL: URL { URL(string: url.absoluteString + ".md5")! }
}

/// Downloads a MovieLens zip, verifies its published MD5 checksum and unpacks it.
public enum DatasetDownloader {
    /// Downloads `dataset` into `directory` (creating `directory/<name>/`) and returns the unpacked folder.
    ///
    /// - Throws: `DataError` with one sentence when the network is unreachable (telling how to use a local copy),
    ///   when the checksum does not match, or when the zip cannot be unpacked.
    public static func download(
        _ dataset: MovieLensDataset, to directory: String, progress: (String) -> Void = { _ in }
    ) throws(DataError) -> String {
        progress("downloading \(dataset.url.absoluteString)")
        let zipData: Data
        let checksumText: String
        do {
            zipData = try fetch(dataset.url)
            checksumText = String(decoding: try fetch(dataset.checksumURL), as: UTF8.self)
        } catch {
            throw DataError(
                file: dataset.url.absoluteString,
                message: "cannot download (\(error.localizedDescription)); this machine may be offline — fetch the "
                    + "zip elsewhere and run `sparrow data download --from-zip FILE --to DIR`, or point --data at an "
                    + "unpacked \(dataset.rawValue) folder")
        }
        guard let expected = parseChecksum(checksumText) else {
            throw DataError(file: dataset.checksumURL.absoluteString, message: "does not contain an MD5 checksum")
        }
        let zipPath = (directory as NSString).appendingPathComponent("\(dataset.rawValue).zip")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try zipData.write(to: URL(fileURLWithPath: zipPath))
        } catch {
            throw DataError(file: zipPath, message: "cannot write the download (\(error.localizedDescription))")
        }
        return try install(zip: zipPath, expectedMD5: expected, to: directory, progress: progress)
    }

    /// Verifies `zip` against `expectedMD5` (when given) and unpacks it into `directory`.
    ///
    /// - Returns: the unpacked dataset folder (the zip's top folder, e.g. `DIR/ml-latest-small`).
    public static func install(
        zip: String, expectedMD5: String?, to directory: String, progress: (String) -> Void = { _ in }
    ) throws(DataError) -> String {
        let file = try MappedFile(path: zip)
        if let expectedMD5 {
            var md5 = MD5()
            md5.update(UnsafeRawBufferPointer(file.bytes))
            let actual = md5.finalizeHex()
            guard actual == expectedMD5.lowercased() else {
                throw DataError(
                    file: zip,
                    message: "checksum mismatch: MD5 is \(actual), the publisher's is \(expectedMD5.lowercased()); "
                        + "the download is corrupt — delete it and try again")
            }
            progress("checksum OK (MD5 \(actual))")
        }
        let destination = URL(fileURLWithPath: directory)
        var topFolder: String?
        do {
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .read)
            for entry in archive {
                let path = entry.path
                guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                    throw DataError(file: zip, message: "refusing the unsafe path \"\(path)\" in the archive")
                }
                if topFolder == nil, let first = path.split(separator: "/").first, path.contains("/") {
                    topFolder = String(first)
                }
                let target = destination.appendingPathComponent(path)
                if FileManager.default.fileExists(atPath: target.path), entry.type == .file {
                    try FileManager.default.removeItem(at: target)
                }
                _ = try archive.extract(entry, to: target)
            }
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError(file: zip, message: "cannot unpack the archive (\(error))")
        }
        let folder = topFolder.map { destination.appendingPathComponent($0).path } ?? destination.path
        progress("unpacked into \(folder)")
        return folder
    }

    /// Extracts the 32-hex-digit checksum from a `.md5` file (`<hex>  <name>` or `MD5 (<name>) = <hex>`).
    public static func parseChecksum(_ text: String) -> String? {
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "=" }) {
            if token.count == 32, token.allSatisfy(\.isHexDigit) { return token.lowercased() }
        }
        return nil
    }

    private static func fetch(_ url: URL) throws -> Data {
        final class Box: @unchecked Sendable {
            var data: Data?
            var error: Error?
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        var request = URLRequest(url: url)
        request.timeoutInterval = 30
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                box.error = error
            } else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                box.error = CocoaError(
                    .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "HTTP \(http.statusCode)"])
            } else {
                box.data = data
            }
            done.signal()
        }
        task.resume()
        done.wait()
        if let error = box.error { throw error }
        return box.data ?? Data()
    }
}
