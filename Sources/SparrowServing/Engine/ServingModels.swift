import Foundation
import Synchronization
import SparrowCore
import SparrowModels
import SparrowTensor

/// The ranking models the server can use: every kind found under `artifacts/models/<name>/<version>/`, newest version
/// serving, older ones kept for version-pinned requests. A new version dropped in is loaded by `reload()`; a broken
/// one is refused and the previous version keeps serving. What is loaded is handed to requests as a value (`Set`,
/// part of the serving snapshot).
public final class ServingModels: Sendable {
    /// One loaded version.
    public struct Loaded: Sendable {
        /// Its description.
        public let artifact: ModelArtifact
        /// The model.
        public let model: any RankingModel
    }

    let root: String
    let state = Mutex<[String: [Int: Loaded]]>([:])
    let refused = Mutex<[String: String]>([:])

    /// Loads every model under `root` (may be none).
    public init(root: String) {
        self.root = root
        _ = reload()
    }

    /// Loads versions not loaded yet; returns a line per change (loaded or refused).
    @discardableResult
    public func reload() -> [String] {
        var changes: [String] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root))?.sorted() ?? []
        for name in names {
            let versions =
                (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + name))?.compactMap(Int.init) ?? []
            for version in versions.sorted() {
                let key = "\(name)/\(version)"
                if state.withLock({ $0[name]?[version] != nil }) || refused.withLock({ $0[key] != nil }) { continue }
                do {
                    let (artifact, model) = try ModelArtifact.load(directory: root + "/" + key)
                    state.withLock { $0[name, default: [:]][version] = Loaded(artifact: artifact, model: model) }
                    changes.append("loaded model \(key) (\(artifact.kind.rawValue))")
                } catch {
                    refused.withLock { $0[key] = "\(error)" }
                    changes.append("refused model \(key): \(error)")
                }
            }
        }
        return changes
    }

    /// Every version loaded now, as a value.
    public var loaded: Set { Set(versions: state.withLock { $0 }) }

    /// The newest version of `name`, or a given version.
    public func model(_ name: String, version: Int? = nil) -> Loaded? { loaded.model(name, version: version) }

    /// Names and versions loaded.
    public var available: [String: [Int]] { loaded.available }

    /// The loaded versions of every model, by name and version.
    public struct Set: Sendable {
        /// Each name's versions.
        let versions: [String: [Int: Loaded]]

        /// The newest version of `name`, or a given version.
        public func model(_ name: String, version: Int? = nil) -> Loaded? {
            guard let versions = versions[name] else { return nil }
            if let version { return versions[version] }
            return versions.max { $0.key < $1.key }?.value
        }

        /// Names and versions loaded.
        public var available: [String: [Int]] { versions.mapValues { $0.keys.sorted() } }
    }

    /// Versions that failed to load, with the reason.
    public var refusals: [String: String] { refused.withLock { $0 } }
}
