import Foundation
import SparrowCore
import SparrowTensor

/// A saved model: `DIR/<name>/<version>/model.json` (kind, hyper-parameters, feature spec with vocabularies and
/// normalisers, training settings, metrics, and the weight layout with a checksum) and `weights.bin` (every tensor's
/// Float32 values, little-endian). Loading refuses a truncated or corrupted weights file with a clear error.
public struct ModelArtifact: Sendable, Codable {
    /// One tensor's place in `weights.bin`.
    public struct TensorEntry: Sendable, Codable, Equatable {
        /// Its name (`dense1.weight`, `emb.movieId`…).
        public var name: String
        /// Rows.
        public var rows: Int
        /// Columns.
        public var cols: Int
        /// Offset in floats.
        public var offset: Int
    }

    /// The weights file's description.
    public struct Weights: Sendable, Codable, Equatable {
        /// File name beside `model.json`.
        public var file: String
        /// Its exact size.
        public var bytes: Int
        /// 64-bit FNV-1a of its bytes, hex.
        public var fnv1a64: String
        /// Where each tensor lies.
        public var tensors: [TensorEntry]
    }

    /// Format version of this layout.
    public var format = 1
    /// The model kind.
    public var kind: ModelKind
    /// Model name (the directory above the version).
    public var name: String
    /// Version number (the directory name).
    public var version: Int
    /// When it was saved (ISO 8601).
    public var created: String
    /// Hyper-parameters.
    public var config: ModelConfig
    /// The feature encoding.
    public var spec: FeatureSpec
    /// How it was trained.
    public var training: TrainingConfig
    /// Metrics on the test set, when measured.
    public var testMetrics: BinaryMetrics?
    /// Per-epoch history.
    public var history: [EpochRecord]
    /// Training time in seconds.
    public var trainingSeconds: Double
    /// The weights.
    public var weights: Weights

    /// The next free version number under `root/name` (1 when none exists).
    public static func nextVersion(root: String, name: String) -> Int {
        let dir = (root as NSString).appendingPathComponent(name)
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.compactMap(Int.init) ?? []
        return (existing.max() ?? 0) + 1
    }

    /// The newest version under `root/name`, if any.
    public static func latestVersion(root: String, name: String) -> Int? {
        let dir = (root as NSString).appendingPathComponent(name)
        return (try? FileManager.default.contentsOfDirectory(atPath: dir))?.compactMap(Int.init).max()
    }

    /// Saves `model` as a new version; returns the version directory.
    @discardableResult
    public static func save(
        _ model: any RankingModel, kind: ModelKind, name: String, root: String, training: TrainingConfig,
        testMetrics: BinaryMetrics?, history: [EpochRecord], trainingSeconds: Double
    ) throws(DataError) -> String {
        let version = nextVersion(root: root, name: name)
        let dir = ((root as NSString).appendingPathComponent(name) as NSString).appendingPathComponent("\(version)")
        var bytes: [UInt8] = []
        var entries: [TensorEntry] = []
        var offset = 0
        for t in model.namedBuffers {
            entries.append(TensorEntry(name: t.name, rows: t.rows, cols: t.cols, offset: offset))
            for v in t.buffer { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            offset += t.rows * t.cols
        }
        let artifact = ModelArtifact(
            kind: kind, name: name, version: version, created: ISO8601DateFormatter().string(from: Date()),
            config: model.config, spec: model.spec, training: training, testMetrics: testMetrics, history: history,
            trainingSeconds: trainingSeconds,
            weights: Weights(file: "weights.bin", bytes: bytes.count, fnv1a64: hex(fnv1a(bytes)), tensors: entries))
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/weights.bin"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try encoder.encode(artifact).write(to: URL(fileURLWithPath: dir + "/model.json"))
        } catch {
            throw DataError(file: dir, message: "cannot save the model (\(error.localizedDescription))")
        }
        return dir
    }

    /// Loads the model in a version directory, verifying the weights' size and checksum.
    public static func load(directory dir: String) throws(DataError) -> (
        artifact: ModelArtifact, model: any RankingModel
    ) {
        let jsonPath = dir + "/model.json"
        let artifact: ModelArtifact
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            artifact = try decoder.decode(ModelArtifact.self, from: Data(contentsOf: URL(fileURLWithPath: jsonPath)))
        } catch let error as DecodingError {
            throw DataError(file: jsonPath, message: "is not a valid model description (\(error))")
        } catch {
            throw DataError(file: jsonPath, message: "cannot be read (\(error.localizedDescription))")
        }
        guard artifact.format == 1 else {
            throw DataError(file: jsonPath, message: "has unknown format \(artifact.format)")
        }
        let weightsPath = dir + "/" + artifact.weights.file
        let file = try MappedFile(path: weightsPath)
        guard file.bytes.count == artifact.weights.bytes else {
            throw DataError(
                file: weightsPath,
                message:
                    "is truncated or padded: \(file.bytes.count) bytes, the description says \(artifact.weights.bytes)")
        }
        guard hex(fnv1a(file.bytes)) == artifact.weights.fnv1a64 else {
            throw DataError(file: weightsPath, message: "is corrupted: its checksum does not match model.json")
        }
        let model = artifact.kind.make(spec: artifact.spec, config: artifact.config)
        let byName = Dictionary(uniqueKeysWithValues: artifact.weights.tensors.map { ($0.name, $0) })
        let raw = UnsafeRawBufferPointer(file.bytes)
        for t in model.namedBuffers {
            guard let entry = byName[t.name], entry.rows == t.rows, entry.cols == t.cols else {
                throw DataError(file: jsonPath, message: "has no tensor \(t.name) of shape \(t.rows)×\(t.cols)")
            }
            for i in 0..<(t.rows * t.cols) {
                let bits = UInt32(
                    littleEndian: raw.loadUnaligned(fromByteOffset: 4 * (entry.offset + i), as: UInt32.self))
                t.buffer[i] = Float(bitPattern: bits)
            }
        }
        return (artifact, model)
    }

    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 { BinaryChecksum.fnv1a(bytes) }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
