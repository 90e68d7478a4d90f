import Foundation
import Hummingbird
import HummingbirdTesting
import SparrowCore
@testable import SparrowServer
import SparrowTestSupport
import Testing

/// Keys, scopes and quotas through a real server (`serve --api-keys`, `--admin-token`, `--web-key`).
@Suite("Keys, scopes and quotas")
struct AccessTests {
    /// A keys file with a read, a write and an admin key (the write key with a tiny request quota: one request, then
    /// one every 20 s, so that a test's timing cannot matter); the keys.
    static func keysFile() throws -> (path: String, read: String, write: String, admin: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).json").path
        let (read, write, admin) = (APIKeyFile.newKey(), APIKeyFile.newKey(), APIKeyFile.newKey())
        try APIKeyFile(keys: [
            .init(name: "reader", sha256: SHA256.hex(read), scopes: [.read]),
            .init(name: "writer", sha256: SHA256.hex(write), scopes: [.read, .write], requestsPerSecond: 0.05),
            .init(name: "operator", sha256: SHA256.hex(admin), scopes: [.admin]),
        ]).write(path: path)
        return (path, read, write, admin)
    }

    static func call(
        _ client: some TestClientProtocol, _ uri: String, _ method: HTTPRequest.Method = .get, key: String? = nil,
        body: String? = nil
    ) async throws -> (status: Int, text: String, headers: HTTPFields) {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { (Int($0.status.code), $0.text, $0.headers) }
    }

    @Test("with a keys file: no key 401, a read key writes 403, a write key 202; open health; keys reload live")
    func scopes() async throws {
        let keys = try Self.keysFile()
        let access = AccessControl(
            keys: try APIKeyStore(path: keys.path), adminToken: "secret", quotas: Quotas(.unlimited))
        let service = try ServerFixture.service(access: access)
        let catalog = ServerFixture.data.catalog
        let event = "{\"userId\":\(catalog.userIds[1]),\"movieId\":\(catalog.movies[5].id),\"rating\":4}"
        try await ServerFixture.app(service).test(.live) { client in
            let anonymous = try await Self.call(client, "/api/v1/recommend?user=1", .get)
            #expect(anonymous.status == 401 && anonymous.text.contains("'read' scope"))
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer realm=\"sparrow\"")
            #expect(
                try await Self.call(client, "/api/v1/recommend?user=1", key: "sk_nonsense").text.contains(
                    "unknown API key"))
            #expect(try await Self.call(client, "/getrecforyou?id=1", key: keys.read).status == 200)
            #expect(try await Self.call(client, "/api/v1/events", .post, body: event).status == 401)
            let readOnly = try await Self.call(client, "/api/v1/events", .post, key: keys.read, body: event)
            #expect(readOnly.status == 403 && readOnly.text.contains("'reader' lacks the 'write' scope"))
            #expect(try await Self.call(client, "/api/v1/events", .post, key: keys.write, body: event).status == 202)
            #expect(try await Self.call(client, "/api/v1/events", .post, key: keys.write, body: event).status == 429)
            // Scoring is a read; reloading is admin's, whose token works as a key with every scope.
            let instances = "{\"instances\":[{\"userId\":1,\"movieId\":\(catalog.movies[5].id)}]}"
            let model = try #require(service.recommender.models.available.keys.sorted().first)
            #expect(
                try await Self.call(client, "/v1/models/\(model):predict", .post, key: keys.read, body: instances)
                    .status == 200)
            #expect(try await Self.call(client, "/admin/reload", .post, key: keys.write).status == 403)
            #expect(try await Self.call(client, "/admin/reload", .post, key: keys.admin).status == 200)
            #expect(try await Self.call(client, "/admin/reload", .post, key: "secret").status == 200)
            #expect(try await Self.call(client, "/api/v1/events", .post, key: "secret", body: event).status == 202)
            for open in ["/health/live", "/health/ready", "/metrics", "/openapi.json"] {
                #expect(try await Self.call(client, open).status == 200, "\(open)")
            }
            // The contract says so: bearer security and 401/403 on every guarded operation.
            let document = try await Self.call(client, "/openapi.json").text
            let paths = try #require(
                (try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])?["paths"]
                    as? [String: [String: [String: Any]]])
            let recommend = try #require(paths["/api/v1/recommend"]?["get"])
            #expect(recommend["security"] != nil)
            #expect((recommend["responses"] as? [String: Any])?.keys.sorted() == ["200", "400", "401", "403"])
            #expect(paths["/health/live"]?["get"]?["security"] == nil)

            // A key added to the file works within a couple of seconds, a removed one stops working.
            var file = try APIKeyFile.read(path: keys.path)
            let late = APIKeyFile.newKey()
            file.keys.append(.init(name: "late", sha256: SHA256.hex(late), scopes: [.read]))
            file.keys.removeAll { $0.name == "reader" }
            try file.write(path: keys.path)
            let picked = try await waitUntil(seconds: 5) {
                try await Self.call(client, "/api/v1/genres", key: late).status == 200
            }
            #expect(picked != nil, "the new key is accepted without a restart")
            #expect(try await Self.call(client, "/api/v1/genres", key: keys.read).status == 401, "revoked")
        }
    }

    @Test("without keys: reads and writes open, admin needs the token (401 without it, also when it is off)")
    func openByDefault() async throws {
        let catalog = ServerFixture.data.catalog
        let event = "{\"userId\":\(catalog.userIds[1]),\"movieId\":\(catalog.movies[5].id),\"rating\":4}"
        for token in [nil, "secret"] as [String?] {
            let service = try ServerFixture.service(adminToken: token)
            try await ServerFixture.app(service).test(.live) { client in
                #expect(try await Self.call(client, "/api/v1/recommend?user=1").status == 200)
                #expect(try await Self.call(client, "/api/v1/events", .post, body: event).status == 202)
                let admin = try await Self.call(client, "/admin/reload", .post)
                #expect(admin.status == 401)
                #expect(admin.text.contains(token == nil ? "admin operations are off" : "'admin' scope"))
                #expect(try await Self.call(client, "/admin/reload", .post, key: "wrong").status == 401)
                if let token { #expect(try await Self.call(client, "/admin/reload", .post, key: token).status == 200) }
            }
        }
    }

    @Test("over its quota a key gets 429 with Retry-After; other keys and addresses are not slowed")
    func quotas() async throws {
        let keys = try Self.keysFile()
        let access = AccessControl(
            keys: try APIKeyStore(path: keys.path),
            quotas: Quotas(.init(requestsPerSecond: 1000, eventsPerSecond: 1000, burstSeconds: 2)))
        let service = try ServerFixture.service(access: access)
        try await ServerFixture.app(service).test(.live) { client in
            // The writer's own quota: one request (a full bucket), then one every 20 s.
            var statuses: [Int] = []
            var retry: [Int] = []
            for _ in 0..<4 {
                let r = try await Self.call(client, "/api/v1/genres", key: keys.write)
                statuses.append(r.status)
                if r.status == 429, let seconds = r.headers[.retryAfter].flatMap({ Int($0) }) { retry.append(seconds) }
            }
            #expect(statuses == [200, 429, 429, 429])
            #expect(retry.count == 3 && retry.allSatisfy { (15...20).contains($0) }, "\(retry)")
            #expect(try await Self.call(client, "/api/v1/genres", key: keys.read).status == 200, "another key")
            #expect(try await Self.call(client, "/health/live", key: keys.write).status == 200, "health is not metered")
        }
    }

    @Test("token buckets: the burst, the refill rate, Retry-After, events in batches, and idle clients dropped")
    func buckets() {
        let quotas = Quotas(.init(requestsPerSecond: 10, eventsPerSecond: 100, burstSeconds: 2), maximumClients: 3)
        let t0 = ContinuousClock.now
        for _ in 0..<20 { #expect(quotas.take(1, of: .requests, client: "a", rate: nil, now: t0) == nil) }
        #expect(quotas.take(1, of: .requests, client: "a", rate: nil, now: t0) == 1)
        #expect(quotas.take(1, of: .requests, client: "b", rate: nil, now: t0) == nil, "each client its own bucket")
        // 0.25 s later: 2.5 tokens back.
        let t1 = t0 + .milliseconds(250)
        #expect(quotas.take(2, of: .requests, client: "a", rate: nil, now: t1) == nil)
        #expect(quotas.take(1, of: .requests, client: "a", rate: nil, now: t1) == 1)
        // Events: a bucket holds at least one full batch; the next batch waits for its tokens.
        #expect(quotas.take(10_000, of: .events, client: "a", rate: nil, now: t0) == nil)
        #expect(quotas.take(500, of: .events, client: "a", rate: nil, now: t0) == 5)
        #expect(quotas.take(1, of: .requests, client: "c", rate: 1000, now: t0) == nil, "a key's own rate")
        // Past `maximumClients`, buckets idle long enough to be full again are dropped.
        let later = t0 + .seconds(60)
        #expect(quotas.take(1, of: .requests, client: "d", rate: nil, now: later) == nil)
        #expect(quotas.clients == 1)
    }

    @Test("the web UI's page carries the configured key; a keys file with a bad field is refused with its name")
    func webKeyAndFileErrors() async throws {
        let keys = try Self.keysFile()
        let web = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: web, withIntermediateDirectories: true)
        try "<html><head>\(#"<meta name="sparrow-key" content="">"#)</head></html>".write(
            toFile: web + "/index.html", atomically: true, encoding: .utf8)
        let access = AccessControl(keys: try APIKeyStore(path: keys.path), webKey: keys.read)
        let service = try ServerFixture.service(access: access)
        let app = Application(
            router: SparrowServerApp.router(service: service, webRoot: web),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let page = try await Self.call(client, "/")
            #expect(page.status == 200 && page.text.contains("content=\"\(keys.read)\""))
        }
        let bad = keys.path + ".bad"
        try #"{"keys":[{"name":"x","sha256":"abc","scopes":["read"]}]}"#.write(
            toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: DataError.self) { try APIKeyStore(path: bad) }
        do {
            _ = try APIKeyStore(path: bad)
        } catch {
            #expect("\(error)".contains("keys[0].sha256"), "\(error)")
        }
    }
}
