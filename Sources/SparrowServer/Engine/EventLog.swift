import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An append-only file of JSON lines, one per event, written and fsynced before the server answers 202: an event that
/// was acknowledged survives a crash. On start-up the server replays it into the live state.
public final class EventLog: Sendable {
    /// One rating or click event.
    public struct Event: Sendable, Codable, Equatable {
        /// `rating`, `click` or `impression`.
        public var type: String
        /// The user.
        public var userId: Int32
        /// The movie.
        public var movieId: Int32
        /// The rating (ratings only).
        public var rating: Float?
        /// Unix seconds.
        public var timestamp: Int64
    }

    let path: String
    let fd: Mutex<Int32>

    /// Opens (creating) the log.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw APIError(.internalServerError, "cannot open the event log \(path)") }
        fd = Mutex(descriptor)
    }

    deinit { fd.withLock { _ = close($0) } }

    /// Appends events and waits until they are on disk.
    public func append(_ events: [Event]) throws {
        var data = Data()
        for e in events {
            data.append(try JSONEncoder().encode(e))
            data.append(0x0A)
        }
        try fd.withLock { descriptor in
            let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == data.count, fsync(descriptor) == 0 else {
                throw APIError(.internalServerError, "could not write the event log")
            }
        }
    }

    /// Every complete event in a log file (a torn last line from a crash is skipped).
    public static func read(path: String) -> [Event] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Event.self, from: Data($0.utf8)) }
    }
}
