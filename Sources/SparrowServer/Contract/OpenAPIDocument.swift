import Foundation
import Hummingbird

/// `/openapi.json`, written from `API.all` and the named schemas; the live vocabularies (loaded models, embeddings,
/// genres) fill the enums, so the document lists what the server accepts at the moment it is fetched.
enum OpenAPIDocument {
    /// The document as a JSON value.
    static func object(_ live: Vocabulary.Live, endpoints: [Endpoint] = API.all) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for e in endpoints {
            let replies = e.replies(requiresKeys: live.requiresKeys, quotas: live.quotas)
            var operation: [String: Any] = [
                "operationId": e.operationId, "summary": e.summary, "tags": [e.tag],
                "responses": Dictionary(
                    uniqueKeysWithValues: replies.map { status, reply in
                        var r: [String: Any] = ["description": reply.description]
                        if status == 429 {
                            r["headers"] = [
                                "Retry-After": [
                                    "description": "seconds to wait", "schema": ["type": "integer", "minimum": 1],
                                ]
                            ]
                        }
                        if let schema = reply.schema { r["content"] = [reply.contentType: ["schema": schema.json]] }
                        if !reply.links.isEmpty {
                            r["links"] = reply.links.mapValues {
                                ["operationId": $0.operationId, "parameters": $0.parameters] as [String: Any]
                            }
                        }
                        return (String(status), r as Any)
                    }),
            ]
            if !e.parameters.isEmpty { operation["parameters"] = e.parameters.map { $0.json(live) } }
            if let body = e.body {
                var content: [String: Any] = ["schema": body.json]
                if let example = e.bodyExample { content["example"] = example.json(live) }
                operation["requestBody"] = ["required": true, "content": ["application/json": content]]
            }
            if e.needsKey(requiresKeys: live.requiresKeys) { operation["security"] = [["bearer": [String]()]] }
            paths[e.path, default: [:]][e.method.rawValue.lowercased()] = operation
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "Sparrow recommender API", "version": "1",
                "description":
                    "Errors are {\"error\": \"…\"} with a 4xx status; a method a path does not serve is 405 with Allow.",
            ],
            "paths": paths,
            "components": [
                "schemas": Schemas.components(live).mapValues(\.json),
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            ],
        ]
    }

    /// The document as JSON text (keys sorted, so that two fetches of one state are byte-identical).
    static func data(_ live: Vocabulary.Live) -> Data {
        // The document is built from literals of JSON types only, so serialising it cannot fail.
        (try? JSONSerialization.data(withJSONObject: object(live), options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
    }
}
