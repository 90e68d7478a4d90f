import Foundation
import SparrowStore
import SparrowCore

/// A snapshot of the live state and the event-log offset it includes, so that start-up reads the snapshot and
/// replays only the log after it instead of the server's whole history.
///
/// The file is a header line — `{"format":1,"segment":…,"logEnd":…,"fingerprint":…,"bytes":…,"checksum":…}`,
/// padded with spaces to `headerWidth` — then the state as JSON, written as it is encoded. It is written to a
/// temporary file, fsynced and renamed over `checkpoint.json` (the one before it kept as
/// `checkpoint.previous.json`), so a crash while writing leaves the last good one. On reading, a file whose length
/// or checksum does not match its header, or whose fingerprint (the catalogue and artifacts it was built on) is not
/// the server's, is refused and the previous one tried, then the full log.
public enum Checkpoint {
    struct Header: Codable, Equatable {
        var format = 1
        /// The log segment `logEnd` is in (absent in checkpoints of logs that never rolled over: segment 0).
        var segment: Int?
        var logEnd: Int
        var fingerprint: String
        /// A checksum of the log's last 4 KiB before `logEnd`: the checkpoint belongs to this log, not to another
        /// one that has grown past the same offset.
        var logMark: String
        var bytes: Int
        var checksum: String
        /// Redis mode: the stream and the id of its last entry the state includes (the log fields are then unused).
        var stream: String?
        var streamId: String?
    }

    /// The newest file's name, and its predecessor's.
    public static let file = "checkpoint.json", previous = "checkpoint.previous.json"

    /// The newest file's name and its predecessor's for checkpoints called `base` (`checkpoint`, or a Redis-mode
    /// server's `checkpoint-redis-<name>`).
    static func names(_ base: String) -> [String] { [base + ".json", base + ".previous.json"] }

    /// FNV-1a over `data` (the project's binary-file checksum), in hex.
    static func checksum(_ data: Data) -> String { String(BinaryChecksum.fnv1a(data), radix: 16) }

    /// The checksum of the up to 4 KiB of the log at `path` before `end` (nil when the log is shorter than `end`).
    static func logMark(path: String, end: Int) -> String? {
        if end == 0 { return checksum(Data()) }  // the start of a segment (reading 0 bytes answers nil)
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let start = max(0, end - 4096)
        guard (try? handle.seek(toOffset: UInt64(start))) != nil,
            let data = try? handle.read(upToCount: end - start), data.count == end - start
        else { return nil }
        return checksum(data)
    }

    /// Writes `state` (which includes every event of the log at `log` before `end`) and its idempotency `keys` into
    /// `directory` atomically; returns the file's size.
    @discardableResult
    static func write(
        _ state: LiveState, keys: [String], end: EventLog.Position, log: String, fingerprint: String,
        to directory: String
    ) throws -> Int {
        let segment = EventLog.path(of: end.segment, log: log)
        guard let mark = logMark(path: segment, end: end.offset) else {
            throw CheckpointError("\(segment) is shorter than \(end.offset)")
        }
        return try write(to: directory, base: "checkpoint") { bytes, checksum in
            Header(
                segment: end.segment, logEnd: end.offset, fingerprint: fingerprint, logMark: mark, bytes: bytes,
                checksum: checksum)
        } payload: { sink in
            try state.writePayload(keys: keys, to: sink)
        }
    }

    /// The width of the header line, newline included: reserved before the payload is written, filled in (padded
    /// with spaces, which JSON ignores) once its length and checksum are known.
    static let headerWidth = 1024

    /// Writes the newest checkpoint `base` in `directory`, keeping the one before: a header line reserved, the
    /// payload streamed after it by `body`, then the header — made by `header` from the payload's length and
    /// checksum — written into the reserved line. The payload is never held in memory whole. Returns the file's size.
    @discardableResult
    static func write(
        to directory: String, base: String, header: (_ bytes: Int, _ checksum: String) -> Header,
        payload body: (CheckpointSink) throws -> Void
    ) throws -> Int {
        let (newest, before) = (names(base)[0], names(base)[1])
        var size = 0
        try AtomicFile.write(to: directory + "/" + newest, keepingPreviousAs: directory + "/" + before) { handle in
            try handle.write(contentsOf: Data(repeating: 0x20, count: headerWidth))
            let sink = CheckpointSink(handle: handle)
            try body(sink)
            let checksum = try sink.checksum()
            var line = try JSONEncoder().encode(header(sink.count, checksum))
            guard line.count < headerWidth else {
                throw CheckpointError("a checkpoint header of \(line.count) bytes does not fit in \(headerWidth)")
            }
            line.append(Data(repeating: 0x20, count: headerWidth - 1 - line.count))
            line.append(0x0A)
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: line)
            size = headerWidth + sink.count
        }
        return size
    }

    /// The oldest log segment a kept checkpoint starts replaying from — the newest or, should it be damaged, the
    /// previous one — so every segment before it may go. Nil without a readable checkpoint.
    static func coveredSegment(in directory: String) -> Int? {
        var segments: [Int] = []
        for name in [file, previous] where FileManager.default.fileExists(atPath: directory + "/" + name) {
            // An unreadable one might be needed by nothing, or by a fallback: keep everything.
            guard let header = header(at: directory + "/" + name) else { return nil }
            segments.append(header.segment ?? 0)
        }
        return segments.min()
    }

    /// The header of the checkpoint file at `path` (its first line only is read); nil when absent or unreadable.
    static func header(at path: String) -> Header? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        guard let newline = head.firstIndex(of: 0x0A) else { return nil }
        return try? JSONDecoder().decode(Header.self, from: head[head.startIndex..<newline])
    }

    /// Removes the temporaries a writer killed mid-write left behind.
    static func removeTemporaries(in directory: String) { AtomicFile.removeTemporaries(of: file, in: directory) }

    /// The newest valid checkpoint in `directory` for `fingerprint` and the log at `log`, with the reason each refused
    /// file was refused.
    /// With `fingerprint` nil, the fingerprint is not checked (a prefetch: the caller compares it with `found`'s).
    static func read(from directory: String, log: String, fingerprint: String?) -> (
        (state: LiveState, end: EventLog.Position, fingerprint: String)?, [String]
    ) {
        let (found, refused) = read(from: directory, base: "checkpoint", fingerprint: fingerprint) { header in
            let segment = header.segment ?? 0
            return logMark(path: EventLog.path(of: segment, log: log), end: header.logEnd) == header.logMark
                ? nil : "made for another event log"
        }
        guard let found else { return (nil, refused) }
        let end = EventLog.Position(segment: found.header.segment ?? 0, offset: found.header.logEnd)
        return ((found.state, end, found.header.fingerprint), refused)
    }

    /// The newest valid checkpoint `base` in `directory`: length, checksum, fingerprint (unless nil) and `accept`
    /// (nil: accepted; else the reason it is refused) checked, the state decoded — with why each file before it
    /// was refused.
    static func read(
        from directory: String, base: String, fingerprint: String?, accept: (Header) -> String?
    ) -> ((header: Header, state: LiveState)?, [String]) {
        var refused: [String] = []
        for name in names(base) {
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
            guard fingerprint == nil || header.fingerprint == fingerprint else {
                refused.append("\(name): made for other data or artifacts")
                continue
            }
            if let reason = accept(header) {
                refused.append("\(name): \(reason)")
                continue
            }
            guard let state = try? JSONDecoder().decode(LiveState.self, from: payload) else {
                refused.append("\(name): the state does not decode")
                continue
            }
            return ((header, state), refused)
        }
        return (nil, refused)
    }
}

/// A checkpoint that could not be written.
struct CheckpointError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The newest checkpoint read and decoded on a thread of its own, started before the recommender it is for exists, so
/// that start-up decodes the checkpoint while it loads the models (two cores, about half the wait). Its fingerprint
/// is compared once the recommender is built (`LocalEventIngest`).
public final class CheckpointPrefetch: Sendable {
    private let read: Prefetched<((state: LiveState, end: EventLog.Position, fingerprint: String)?, [String])>

    /// Starts reading the newest valid checkpoint in `directory` for the log at `log`.
    public init(directory: String, log: String) {
        read = Prefetched { Checkpoint.read(from: directory, log: log, fingerprint: nil) }
    }

    /// The checkpoint (waiting for the read to finish) and why files before it were refused.
    func result() -> ((state: LiveState, end: EventLog.Position, fingerprint: String)?, [String]) { read.value }
}
