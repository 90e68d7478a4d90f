import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension EventLog {
    /// A place in a log: a segment number and a byte offset in that segment.
    public struct Position: Codable, Comparable, Hashable, Sendable, CustomStringConvertible {
        /// The segment (0 for a log that never rolled over).
        public var segment: Int
        /// Bytes into it.
        public var offset: Int

        /// Creates a position.
        public init(segment: Int, offset: Int) {
            self.segment = segment
            self.offset = offset
        }

        /// Earlier in the log.
        public static func < (a: Position, b: Position) -> Bool { (a.segment, a.offset) < (b.segment, b.offset) }

        /// `segment 3, byte 1024`.
        public var description: String { "segment \(segment), byte \(offset)" }
    }

    /// The path of sealed segment `number` of the log at `path`: `events.log.000003`.
    public static func segmentPath(_ path: String, number: Int) -> String {
        path + "." + String(format: "%06d", number)
    }

    /// The sealed segments of the log at `path`, oldest first.
    public static func sealedSegments(path: String) -> [(number: Int, path: String)] {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        return entries.compactMap { entry -> (Int, String)? in
            guard entry.hasPrefix(name + "."), let n = Int(entry.dropFirst(name.count + 1)), n >= 0,
                entry.count == name.count + 7
            else { return nil }
            return (n, segmentPath(path, number: n))
        }.sorted { $0.0 < $1.0 }
    }

    /// The active file's segment number: one after the newest sealed segment (0 when none).
    static func activeSegment(path: String) -> Int { (sealedSegments(path: path).last?.number ?? -1) + 1 }

    /// The number of the active file of the log at `path`.
    public static func activeSegmentNumber(path: String) -> Int { activeSegment(path: path) }

    /// The path of segment `number` (the active file when it is the active segment).
    public static func path(of number: Int, log path: String) -> String {
        number == activeSegment(path: path) ? path : segmentPath(path, number: number)
    }

    /// Seals the active segment when it has reached `segmentBytes`: renamed to its numbered name, a new empty file
    /// opened, both renames made durable. Called with `io` held, after a write.
    func rollIfFull() {
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int(info.st_size) >= segmentBytes else { return }
        let sealed = EventLog.segmentPath(path, number: segment)
        guard rename(path, sealed) == 0 else { return }
        EventLog.syncDirectory(of: path)
        let next = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard next >= 0 else {
            // Keep appending to the sealed file under its new name rather than lose events; try again next write.
            _ = rename(sealed, path)
            return
        }
        close(descriptor)
        descriptor = next
        segment += 1
        EventLog.syncDirectory(of: path)
    }

    /// fsyncs `path`'s directory, so renames and creations in it survive a crash.
    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            _ = close(fd)
        }
    }

    /// The complete events from `position` on, across the sealed segments and the active file, and the position
    /// just after the last complete line. Segments before `position.segment` are not read (they may be gone).
    public static func read(path: String, from position: Position) -> (events: [Event], end: Position) {
        let active = activeSegment(path: path)
        var events: [Event] = []
        var end = position
        let sealed = sealedSegments(path: path).filter { $0.number >= position.segment }
        for (number, file) in sealed + [(active, path)] where number >= position.segment {
            let start = number == position.segment ? position.offset : 0
            let part = read(path: file, from: start)
            events += part.events
            end = Position(segment: number, offset: part.end)
        }
        return (events, end)
    }

    /// Hands each sealed segment numbered below `segment` (every event in them covered by a checkpoint) to
    /// `dispose`, which must move or remove the file; the newest sealed segment is then re-created empty, so the
    /// numbering continues. Returns the segments retired.
    @discardableResult
    public static func retire(
        path: String, before segment: Int, dispose: (_ number: Int, _ file: String) throws -> Void
    ) throws -> [Int] {
        let sealed = sealedSegments(path: path)
        let newest = sealed.last?.number
        var retired: [Int] = []
        for (number, file) in sealed where number < segment {
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            guard size > 0 else {
                // An empty placeholder: only the newest one is needed (it carries the numbering).
                if number != newest { unlink(file) }
                continue
            }
            try dispose(number, file)
            if number == newest {
                let fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
                if fd >= 0 { close(fd) }
            }
            retired.append(number)
        }
        if !retired.isEmpty { syncDirectory(of: path) }
        return retired
    }
}
