import Foundation

/// Files replaced atomically: written to a temporary unique to the writer, fsynced, renamed over the target, and the
/// directory fsynced — a crash at any moment leaves the old file or the new one, never a mix.
enum AtomicFile {
    /// Replaces `path` with `data`; with `previous`, the file it replaces is first renamed to that path.
    static func write(_ data: Data, to path: String, keepingPreviousAs previous: String? = nil) throws {
        try write(to: path, keepingPreviousAs: previous) { try $0.write(contentsOf: data) }
    }

    /// Replaces `path` with what `body` writes to the handle it is given (a new, empty file); nothing is replaced if
    /// `body` throws.
    static func write(
        to path: String, keepingPreviousAs previous: String? = nil, _ body: (FileHandle) throws -> Void
    ) throws {
        // Unique per writer: two processes on one folder never share a temporary.
        let temporary = path + ".\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw AtomicFileError("cannot create \(temporary)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        do {
            try body(handle)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        if let previous, FileManager.default.fileExists(atPath: path) {
            _ = rename(path, previous)
        }
        guard rename(temporary, path) == 0 else { throw AtomicFileError("cannot rename \(temporary)") }
        syncDirectory(of: path)
    }

    /// Makes the renames inside `path`'s directory durable.
    static func syncDirectory(of path: String) {
        let dir = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if dir >= 0 {
            _ = fsync(dir)
            _ = close(dir)
        }
    }

    /// Removes the temporaries that writers of `name` killed mid-write left in `directory`.
    static func removeTemporaries(of name: String, in directory: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for entry in names where entry.hasPrefix(name + ".") && entry.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(atPath: directory + "/" + entry)
        }
    }
}

/// A file that could not be written.
struct AtomicFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
