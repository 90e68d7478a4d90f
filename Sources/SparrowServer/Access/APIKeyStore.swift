import Foundation
import SparrowCore
import Synchronization

/// The keys of `serve --api-keys FILE`, looked up by the key a request presents: its SHA-256 digest is compared with
/// every stored digest in constant time. The file is re-read when it changes (checked at most once a second, on the
/// next lookup), so keys are added and revoked without a restart; a file that no longer parses keeps the previous
/// keys and says why (`lastError`).
public final class APIKeyStore: Sendable {
    /// The keys file.
    public let path: String

    struct Loaded: Sendable {
        var keys: [(digest: [UInt8], principal: Principal)] = []
        var modified: Date?
        var size: Int?
        var checked = ContinuousClock.now
        var error: String?
    }

    private let loaded: Mutex<Loaded>

    /// Reads `path`; a missing or malformed file is an error naming the file and field.
    public init(path: String) throws {
        self.path = path
        var state = Loaded()
        try Self.load(path: path, into: &state)
        loaded = Mutex(state)
    }

    /// The number of keys.
    public var count: Int { loaded.withLock { $0.keys.count } }

    /// Why the last reload failed (nil when it did not).
    public var lastError: String? { loaded.withLock { $0.error } }

    /// The principal of `key`, or nil for a key that is not in the file.
    /// - Complexity: O(keys) digest comparisons, every one made in full.
    public func principal(for key: String) -> Principal? {
        let digest = SHA256.digest(Array(key.utf8))
        return loaded.withLock { state in
            refreshIfChanged(&state)
            var found: Principal?
            for entry in state.keys {
                var difference: UInt8 = 0
                for i in 0..<32 { difference |= entry.digest[i] ^ digest[i] }
                if difference == 0 { found = entry.principal }
            }
            return found
        }
    }

    /// Re-reads the file now; returns the number of keys.
    @discardableResult
    public func reload() throws -> Int {
        try loaded.withLock { state in
            try Self.load(path: path, into: &state)
            return state.keys.count
        }
    }

    private func refreshIfChanged(_ state: inout Loaded) {
        let now = ContinuousClock.now
        guard now - state.checked >= .seconds(1) else { return }
        state.checked = now
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let (modified, size) = (attributes?[.modificationDate] as? Date, attributes?[.size] as? Int)
        guard modified != state.modified || size != state.size else { return }
        do {
            try Self.load(path: path, into: &state)
        } catch {
            state.error = "\(error)"
            (state.modified, state.size) = (modified, size)  // not retried until it changes again
        }
    }

    private static func load(path: String, into state: inout Loaded) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let file = try APIKeyFile.read(path: path)
        state.keys = file.keys.map { entry in
            let digest = stride(from: 0, to: 64, by: 2).map { k -> UInt8 in
                let start = entry.sha256.index(entry.sha256.startIndex, offsetBy: k)
                return UInt8(entry.sha256[start...entry.sha256.index(after: start)], radix: 16)!
            }
            return (
                digest,
                Principal(
                    name: entry.name, scopes: Set(entry.scopes), requestsPerSecond: entry.requestsPerSecond,
                    eventsPerSecond: entry.eventsPerSecond)
            )
        }
        state.modified = attributes?[.modificationDate] as? Date
        state.size = attributes?[.size] as? Int
        state.error = nil
    }
}
