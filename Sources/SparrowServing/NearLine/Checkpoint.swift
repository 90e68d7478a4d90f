import Foundation
import SparrowCore

/// A snapshot of the live state and the event-log offset it includes, so that start-up reads the snapshot and
/// replays only the log after it instead of the server's whole history.
///
/// The file is a header line — `{"format":1,"logEnd":…,"fingerprint":…,"bytes":…,"checksum":…}` — then the state
/// as JSON. It is written to a temporary file, fsynced and renamed over `checkpoint.json` (the one before it kept as
/// `checkpoint.previous.json`), so a crash while writing leaves the last good one. On reading, a file whose length
/// or checksum does not match its header, or whose fingerprint (the catalogue and artifacts it was built on) is not
/// the server's, is refused and the previous one tried, then the full log.
public enum Checkpoint {
    struct Header: Codable, Equatable {
        var format = 1
        var logEnd: Int
        var fingerprint: String
        /// A checksum of the log's last 4 KiB before `logEnd`: the checkpoint belongs to this log, not to another
        /// one that has grown past the same offset.
        var logMark: String
        var bytes: Int
        var checksum: String
    }

    /// The newest file's name, and its predecessor's.
    public static let file = "checkpoint.json", previous = "checkpoint.previous.json"

    /// FNV-1a over `data` (the project's binary-file checksum), in hex.
    static func checksum(_ data: Data) -> String { String(BinaryChecksum.fnv1a(data), radix: 16) }

    /// The checksum of the up to 4 KiB of the log at `path` before `end` (nil when the log is shorter than `end`).
    static func logMark(path: String, end: Int) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return end == 0 ? checksum(Data()) : nil }
        defer { try? handle.close() }
        let start = max(0, end - 4096)
        guard (try? handle.seek(toOffset: UInt64(start))) != nil,
            let data = try? handle.read(upToCount: end - start), data.count == end - start
        else { return nil }
        return checksum(data)
    }

    /// Writes `state` (which includes every event of the log at `log` before `logEnd`) into `directory` atomically.
    static func write(_ state: LiveState, logEnd: Int, log: String, fingerprint: String, to directory: String) throws {
        let payload = try JSONEncoder().encode(state)
        guard let mark = logMark(path: log, end: logEnd) else {
            throw CheckpointError("\(log) is shorter than \(logEnd)")
        }
        let header = Header(
            logEnd: logEnd, fingerprint: fingerprint, logMark: mark, bytes: payload.count, checksum: checksum(payload))
        var data = try JSONEncoder().encode(header)
        data.append(0x0A)
        data.append(payload)
        try AtomicFile.write(data, to: directory + "/" + file, keepingPreviousAs: directory + "/" + previous)
    }

    /// Removes the temporaries a writer killed mid-write left behind.
    static func removeTemporaries(in directory: String) { AtomicFile.removeTemporaries(of: file, in: directory) }

    /// The newest valid checkpoint in `directory` for `fingerprint` and the log at `log`, with the reason each refused
    /// file was refused.
    static func read(from directory: String, log: String, fingerprint: String) -> (
        (state: LiveState, logEnd: Int)?, [String]
    ) {
        var refused: [String] = []
        for name in [file, previous] {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            guard let newline = data.firstIndex(of: 0x0A),
                let header = try? JSONDecoder().decode(Header.self, from: data[data.startIndex..<newline])
            else {
                refused.append("\(name): no header")
                continue
            }
            let payload = data[(newline + 1)...]
            guard header.format == 1, payload.count == header.bytes, checksum(Data(payload)) == header.checksum else {
                refused.append("\(name): length or checksum does not match (a torn or damaged file)")
                continue
            }
            guard header.fingerprint == fingerprint else {
                refused.append("\(name): made for other data or artifacts")
                continue
            }
            guard logMark(path: log, end: header.logEnd) == header.logMark else {
                refused.append("\(name): made for another event log")
                continue
            }
            guard let state = try? JSONDecoder().decode(LiveState.self, from: payload) else {
                refused.append("\(name): the state does not decode")
                continue
            }
            return ((state, header.logEnd), refused)
        }
        return (nil, refused)
    }
}

/// A checkpoint that could not be written.
struct CheckpointError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
