import Foundation
import SparrowCore

/// The keys file of `serve --api-keys`: `{"keys": [{"name", "sha256", "scopes", "requestsPerSecond"?,
/// "eventsPerSecond"?}, …]}`. Keys are stored as their SHA-256 digest, so the file holds no usable key;
/// `sparrow keys add` makes a key, prints it once and stores its digest.
public struct APIKeyFile: Codable, Sendable, Equatable {
    /// One key.
    public struct Entry: Codable, Sendable, Equatable {
        /// A unique name (what quotas, logs and metrics show).
        public var name: String
        /// The key's SHA-256 digest, 64 lowercase hexadecimal digits.
        public var sha256: String
        /// What the key may do.
        public var scopes: [Scope]
        /// Requests a second for this key (default: the server's `--quota-requests`).
        public var requestsPerSecond: Double?
        /// Events a second for this key (default: the server's `--quota-events`).
        public var eventsPerSecond: Double?

        /// Creates an entry.
        public init(
            name: String, sha256: String, scopes: [Scope], requestsPerSecond: Double? = nil,
            eventsPerSecond: Double? = nil
        ) {
            self.name = name
            self.sha256 = sha256
            self.scopes = scopes
            self.requestsPerSecond = requestsPerSecond
            self.eventsPerSecond = eventsPerSecond
        }
    }

    /// The keys.
    public var keys: [Entry]

    /// A file holding `keys`.
    public init(keys: [Entry] = []) { self.keys = keys }

    /// Reads and checks `path`: a `DataError` names the file and the field (`keys[2].scopes`) that is wrong.
    public static func read(path: String) throws -> APIKeyFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, message: "cannot read the keys file")
        }
        let file: APIKeyFile
        do {
            file = try JSONDecoder().decode(APIKeyFile.self, from: data)
        } catch let error as DecodingError {
            throw DataError(file: path, message: "not a keys file: \(Self.describe(error))")
        }
        try file.check(path: path)
        return file
    }

    /// Every rule (a `DataError` naming `path` and the field): unique non-empty names, a digest of 64 hexadecimal digits, at least one scope, positive rates.
    public func check(path: String) throws {
        var names = Set<String>()
        for (k, key) in keys.enumerated() {
            func fail(_ field: String, _ message: String) -> DataError {
                DataError(file: path, field: "keys[\(k)].\(field)", message: message)
            }
            guard !key.name.isEmpty, key.name.count <= 100 else { throw fail("name", "must be 1–100 characters") }
            guard names.insert(key.name).inserted else { throw fail("name", "\"\(key.name)\" appears twice") }
            guard key.sha256.count == 64, key.sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw fail("sha256", "must be the key's SHA-256 digest: 64 lowercase hexadecimal digits")
            }
            guard !key.scopes.isEmpty else { throw fail("scopes", "needs at least one of read, write, admin") }
            let rates = [("requestsPerSecond", key.requestsPerSecond), ("eventsPerSecond", key.eventsPerSecond)]
            for (field, rate) in rates {
                if let rate, !(rate > 0 && rate.isFinite) { throw fail(field, "must be a positive number") }
            }
        }
    }

    /// Writes the file (atomically: a server reloading it reads the old file or the new one).
    public func write(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// A new random key: `sk_` and 43 characters of base62 (256 bits from the system's random source).
    public static func newKey() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var rng = SystemRandomNumberGenerator()
        return "sk_" + String((0..<43).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let c):
            "\((c.codingPath + [key]).map(\.stringValue).joined(separator: ".")) is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            "\(c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")): "
                + c.debugDescription
        @unknown default: "\(error)"
        }
    }
}
