import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowServer

/// `sparrow keys`: the keys file of `serve --api-keys` — add a key (printed once; the file keeps its SHA-256 digest),
/// list, remove. A running server picks the change up within a second.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Add, list and remove the API keys of `serve --api-keys`.",
        subcommands: [Add.self, List.self, Remove.self])

    /// Reads `path`, or an empty file when it does not exist yet.
    static func read(_ path: String) throws -> APIKeyFile {
        guard FileManager.default.fileExists(atPath: path) else { return APIKeyFile() }
        do {
            return try APIKeyFile.read(path: path)
        } catch let error as DataError {
            throw CLIError("\(error)")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new key, store its digest and print the key (shown this once).")
        @Option(help: "The keys file (created when missing).") var file: String
        @Option(help: "A unique name for the key.") var name: String
        @Option(help: "Comma-separated scopes: read, write, admin.") var scopes = "read"
        @Option(help: "The key's own request quota (per second).") var requestsPerSecond: Double?
        @Option(help: "The key's own event quota (per second).") var eventsPerSecond: Double?

        func run() throws {
            var keys = try KeysCommand.read(file)
            var parsed: [Scope] = []
            for text in scopes.split(separator: ",") {
                guard let scope = Scope(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--scopes: '\(text)' is not one of read, write, admin")
                }
                if !parsed.contains(scope) { parsed.append(scope) }
            }
            guard !keys.keys.contains(where: { $0.name == name }) else {
                throw ValidationError("--name: a key named '\(name)' exists already in \(file)")
            }
            let key = APIKeyFile.newKey()
            keys.keys.append(
                .init(
                    name: name, sha256: SHA256.hex(key), scopes: parsed.sorted(),
                    requestsPerSecond: requestsPerSecond, eventsPerSecond: eventsPerSecond))
            do {
                try keys.check(path: file)
            } catch let error as DataError {
                throw CLIError("\(error)")
            }
            try keys.write(path: file)
            print(key)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The keys' names, scopes and quotas.")
        @Option(help: "The keys file.") var file: String

        func run() throws {
            for key in try KeysCommand.read(file).keys {
                var line = "\(key.name)  \(key.scopes.map(\.rawValue).joined(separator: ","))"
                if let r = key.requestsPerSecond { line += "  requests/s \(r)" }
                if let e = key.eventsPerSecond { line += "  events/s \(e)" }
                print(line)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by name.")
        @Option(help: "The keys file.") var file: String
        @Option(help: "The key's name.") var name: String

        func run() throws {
            var keys = try KeysCommand.read(file)
            guard keys.keys.contains(where: { $0.name == name }) else {
                throw ValidationError("--name: no key named '\(name)' in \(file)")
            }
            keys.keys.removeAll { $0.name == name }
            try keys.write(path: file)
            print("removed '\(name)' from \(file)")
        }
    }
}
