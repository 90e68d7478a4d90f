import Foundation
import SparrowStore

/// What happens to the event-log segments that every kept checkpoint covers (a restart never replays them).
///
/// Either way they move to `events-archive/` beside the log, so that retraining and export — which need every rating
/// ever posted — still read them (`LogRetention.history`); the live log folder holds only the segments since the
/// older of the two kept checkpoints.
/// - `archive`: the segment as it was (every event).
/// - `compact`: only its rating events (clicks and impressions — which change no feature and no model — are
///   dropped), so the disk the log uses grows with the ratings alone.
public enum LogRetention: String, Sendable, CaseIterable {
    case archive, compact

    /// The archive folder of the log at `log`.
    public static func archive(of log: String) -> String {
        ((log as NSString).deletingLastPathComponent as NSString).appendingPathComponent("events-archive")
    }

    /// Moves (or compacts) the sealed segments of `log` numbered below `segment` into the archive. Safe to repeat
    /// after a crash at any point: a segment is written to the archive atomically before it leaves the log.
    /// Returns the segments retired.
    @discardableResult
    public func retire(log: String, before segment: Int) throws -> [Int] {
        let archive = Self.archive(of: log)
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        return try EventLog.retire(path: log, before: segment) { _, file in
            let target = (archive as NSString).appendingPathComponent((file as NSString).lastPathComponent)
            switch self {
            case .archive:
                if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
                try FileManager.default.moveItem(atPath: file, toPath: target)
            case .compact:
                try AtomicFile.write(to: target) { try Self.copyRatingLines(of: file, to: $0) }
                try FileManager.default.removeItem(atPath: file)
            }
            AtomicFile.syncDirectory(of: target)
        }
    }

    /// Copies the rating lines of the segment `file`, as they are, to `out`, reading 1 MiB at a time (a segment is
    /// tens of MiB: read whole, it would sit in the server's memory until the next trim). The log writes sorted-key
    /// JSON, so a rating's line holds `"type":"rating"`: lines are picked by that text, without decoding every click
    /// and impression (a segment of 64 MiB is ~700,000 events); a line without any `"type":"` is decoded to be sure.
    static func copyRatingLines(of file: String, to out: FileHandle) throws {
        guard let input = FileHandle(forReadingAtPath: file) else {
            throw StoreError("cannot read the segment \(file)")
        }
        defer { try? input.close() }
        let rating = Data(#""type":"rating""#.utf8)
        let anyType = Data(#""type":""#.utf8)
        var pending = Data()  // the start of a line the last read cut
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(chunk)
            var kept = Data()
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                let line = pending[start..<newline]
                let keep: Bool
                if line.range(of: rating) != nil {
                    keep = true
                } else if line.range(of: anyType) != nil {
                    keep = false
                } else {
                    keep = (try? JSONDecoder().decode(EventLog.Event.self, from: line))?.type == .rating
                }
                if keep { kept.append(pending[start...newline]) }
                start = newline + 1
            }
            try out.write(contentsOf: kept)
            pending = Data(pending[start...])
        }
        // A torn last line (a crash mid-append) is not an event: the log's reader skips it too.
    }

    /// Every event still kept for the log at `log`, oldest first: the archived segments (as archived: compacted
    /// ones hold only ratings), then the log's own segments.
    public static func history(log: String) -> [EventLog.Event] {
        let archived = EventLog.sealedSegments(
            path: (archive(of: log) as NSString).appendingPathComponent((log as NSString).lastPathComponent))
        // A segment still in the log (a crash between archiving it and removing it) is read from there.
        let live = Set(
            EventLog.sealedSegments(path: log).filter {
                ((try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? 0) > 0
            }.map(\.number))
        var events: [EventLog.Event] = []
        for (number, file) in archived where !live.contains(number) {
            events += EventLog.read(path: file, from: 0).events
        }
        return events + EventLog.read(path: log)
    }
}
