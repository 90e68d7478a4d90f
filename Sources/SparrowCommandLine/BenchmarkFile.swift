import Foundation

/// Appends one result line (with the date) to a benchmark file.
public func appendResult(_ path: String?, _ line: String) throws {
    guard let path else { return }
    let stamped = ISO8601DateFormatter().string(from: Date()) + "  " + line + "\n"
    if let handle = FileHandle(forWritingAtPath: path) {
        handle.seekToEndOfFile()
        handle.write(Data(stamped.utf8))
        try handle.close()
    } else {
        try stamped.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
