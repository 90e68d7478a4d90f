import Foundation

/// A best-effort JSON-lines file (exposures: losing the last few on a crash is acceptable, unlike events). Lines are
/// encoded by the caller's thread and written in order by one background queue through a handle kept open.
final class EventLogFile: Sendable {
    let path: String
    let queue = DispatchQueue(label: "sparrow.exposures")
    /// Opened once; written only on `queue`.
    let handle: FileHandle?

    init(path: String) {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
        self.handle = handle
    }

    deinit { try? handle?.close() }

    func append(_ record: [String: String]) {
        var writer = JSONWriter(capacity: 256)
        writer.raw("{")
        for (key, value) in record.sorted(by: { $0.key < $1.key }) {
            writer.separator()
            writer.string(key)
            writer.raw(":")
            writer.string(value)
        }
        writer.raw("}\n")
        let data = Data(writer.bytes)
        queue.async { [self] in try? handle?.write(contentsOf: data) }
    }
}
