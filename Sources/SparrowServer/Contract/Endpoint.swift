import Hummingbird

/// One operation of the HTTP API — method, path, parameters, body and every status it answers — from which the
/// router registers the handler and `/openapi.json` is written, so the document and the server cannot disagree.
struct Endpoint: Sendable {
    /// A response the endpoint gives: what it means and its body's schema (JSON unless `contentType` says otherwise).
    struct Reply: Sendable {
        var description: String
        var schema: JSONSchema?
        var contentType = "application/json"
        /// OpenAPI links: follow-up operations and where their parameters come from (`$request.body#/userId`);
        /// schemathesis's stateful phase chains requests along them.
        var links: [String: Link] = [:]
    }

    /// A follow-up operation of a reply.
    struct Link: Sendable {
        var operationId: String
        var parameters: [String: String]
    }

    /// An example request body, filled with live ids.
    enum BodyExample: Sendable {
        case event, instances, movie

        func json(_ live: Vocabulary.Live) -> [String: Any] {
            switch self {
            case .movie: ["title": "A New Film", "year": 2026, "genres": Array(live.genres.prefix(2))]
            case .event: ["userId": live.exampleUser, "movieId": live.exampleMovie, "rating": 4.5]
            case .instances: ["instances": [["userId": live.exampleUser, "movieId": live.exampleMovie]]]
            }
        }
    }

    /// A parameter's checked value.
    enum Value: Sendable {
        case integer(Int64), boolean(Bool), text(String)
    }

    /// The checked parameters of one request; reading a name the endpoint does not declare is a programming error.
    struct Arguments: Sendable {
        let endpoint: Endpoint
        let values: [String: Value]

        private func value(_ name: String) -> Value? {
            precondition(endpoint.parameters.contains { $0.name == name }, "\(endpoint.operationId) has no \(name)")
            return values[name]
        }

        /// An integer parameter (its default when absent; nil when absent without a default).
        func int(_ name: String) -> Int? {
            if case .integer(let v)? = value(name) { return Int(v) }
            return nil
        }

        /// A boolean parameter.
        func bool(_ name: String) -> Bool? {
            if case .boolean(let v)? = value(name) { return v }
            return nil
        }

        /// A text or choice parameter.
        func string(_ name: String) -> String? {
            if case .text(let v)? = value(name) { return v }
            return nil
        }
    }

    let method: HTTPRequest.Method
    /// The OpenAPI path template (`/api/v1/movies/{id}`).
    let path: String
    /// The router's path (`/api/v1/movies/:id`); differs for TF Serving's `{name}:predict` segments.
    let routerPath: String
    let operationId: String
    let tag: String
    let summary: String
    let parameters: [Parameter]
    let body: JSONSchema?
    /// The body the document shows as an example (live ids).
    let bodyExample: BodyExample?
    let replies: [Int: Reply]
    /// Who may call it (`AccessControl`).
    let access: Access

    init(
        _ method: HTTPRequest.Method, _ path: String, routerPath: String? = nil, id operationId: String, tag: String,
        _ summary: String, parameters: [Parameter] = [], body: JSONSchema? = nil, bodyExample: BodyExample? = nil,
        replies: [Int: Reply], access: Access? = nil
    ) {
        self.method = method
        self.path = path
        self.routerPath =
            routerPath ?? path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
        self.operationId = operationId
        self.tag = tag
        self.summary = summary
        self.parameters = parameters
        self.body = body
        self.bodyExample = bodyExample
        self.replies = replies
        // Reading is `read`, changing is `write`, unless the declaration says otherwise.
        self.access = access ?? .scope(method == .get ? .read : .write)
    }

    /// The replies with those every guarded endpoint may give: 401 and 403 when `access` asks for a key here
    /// (`requiresKeys`: the server has a keys file), 429 when quotas are on.
    func replies(requiresKeys: Bool, quotas: Bool) -> [Int: Reply] {
        guard case .scope(let scope) = access else { return replies }
        var all = replies
        if scope == .admin || requiresKeys {
            all[401] = all[401] ?? .init(description: "no key, or an unknown one", schema: .ref("Error"))
            all[403] =
                all[403] ?? .init(description: "the key lacks the '\(scope.rawValue)' scope", schema: .ref("Error"))
        }
        if quotas {
            all[429] = .init(description: "over the client's quota (Retry-After: seconds)", schema: .ref("Error"))
        }
        return all
    }

    /// Whether the document lists a bearer key for it.
    func needsKey(requiresKeys: Bool) -> Bool {
        guard case .scope(let scope) = access else { return false }
        return scope == .admin || requiresKeys
    }

    /// Every declared parameter of a request, checked: 400 for the first that is malformed, out of range or missing.
    /// `live` is read only when a parameter is a choice.
    func arguments(
        _ request: Request, _ context: some RequestContext, live: @autoclosure () -> Vocabulary.Live
    ) throws -> Arguments {
        var values: [String: Value] = [:]
        var names: Vocabulary.Live?
        func vocabulary() -> Vocabulary.Live {
            if let names { return names }
            names = live()
            return names!
        }
        for p in parameters {
            var text = p.location == .path ? context.parameters.get(p.name) : request.uri.queryParameters.get(p.name)
            // A template segment such as `{name}:predict`: the router captures the whole segment.
            if p.location == .path, let suffix = pathSuffix(of: p.name), let t = text {
                guard t.hasSuffix(suffix) else { throw APIError.notFound("no such path; use \(path)") }
                text = String(t.dropLast(suffix.count))
            }
            values[p.name] = try p.value(text.map { String($0) }, live: vocabulary)
        }
        return Arguments(endpoint: self, values: values)
    }

    /// The literal text after `{name}` in its path segment (`:predict`), if any.
    func pathSuffix(of name: String) -> String? {
        guard let segment = path.split(separator: "/").first(where: { $0.contains("{\(name)}") }) else { return nil }
        let suffix = segment[segment.index(segment.firstIndex(of: "}")!, offsetBy: 1)...]
        return suffix.isEmpty ? nil : String(suffix)
    }

    /// Whether a request path matches this endpoint's template, and how specifically (literal characters matched).
    func match(_ requestPath: String) -> Int? {
        let want = path.split(separator: "/", omittingEmptySubsequences: true)
        let have = requestPath.split(separator: "/", omittingEmptySubsequences: true)
        guard want.count == have.count else { return nil }
        var literal = 0
        for (w, h) in zip(want, have) {
            if let open = w.firstIndex(of: "{"), let close = w.firstIndex(of: "}") {
                let prefix = w[..<open]
                let suffix = w[w.index(after: close)...]
                guard h.count > prefix.count + suffix.count, h.hasPrefix(prefix), h.hasSuffix(suffix) else {
                    return nil
                }
                literal += prefix.count + suffix.count
            } else {
                guard w == h else { return nil }
                literal += w.count
            }
        }
        return literal
    }
}
