import Foundation

extension SASRec {
    /// Writes `model.json` (settings, catalog size) and `weights.bin` (every parameter, an `ArrayArchive`).
    public func save(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try ArrayArchive.write(parameters.map { .float(Array($0.value)) }, to: directory + "/weights.bin")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(Description(catalogSize: catalogSize, config: config, outputs: outputs)).write(
            to: URL(fileURLWithPath: directory + "/model.json"), options: .atomic)
    }

    /// Loads a model written by `save(to:)`; every parameter's size is checked.
    public static func load(from directory: String) throws -> SASRec {
        let json = directory + "/model.json"
        guard let data = FileManager.default.contents(atPath: json) else {
            throw ArrayArchive.ReadError(path: json, reason: "cannot read the file")
        }
        let d = try JSONDecoder().decode(Description.self, from: data)
        let model = SASRec(catalogSize: d.catalogSize, config: d.config)
        if let outputs = d.outputs {
            guard outputs.allSatisfy({ $0 >= 0 && Int($0) < d.catalogSize }) else {
                throw ArrayArchive.ReadError(path: json, reason: "an output movie lies outside the catalogue")
            }
            model.outputs = outputs
        }
        let arrays = try ArrayArchive.read(directory + "/weights.bin")
        let parameters = model.parameters
        guard arrays.count == parameters.count else {
            throw ArrayArchive.ReadError(
                path: directory + "/weights.bin", reason: "expected \(parameters.count) arrays")
        }
        for (p, a) in zip(parameters, arrays) {
            guard case .float(let values) = a, values.count == p.count else {
                throw ArrayArchive.ReadError(path: directory + "/weights.bin", reason: "\(p.name) has the wrong size")
            }
            p.load(values)
        }
        return model
    }

    struct Description: Codable {
        var format = 1
        var catalogSize: Int
        var config: Config
        /// The softmax's movies when not the whole catalogue.
        var outputs: [Int32]?
    }
}
