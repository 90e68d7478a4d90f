import SparrowServing
import Hummingbird

/// One query or path parameter of an endpoint: its name, type and range, documented in `/openapi.json` and enforced
/// by `Endpoint.arguments` from this one value — a handler reads only parameters its endpoint declares.
struct Parameter: Sendable {
    /// Where the parameter travels.
    enum Location: String, Sendable {
        case query, path
    }

    /// The parameter's type and its allowed values.
    enum Kind: Sendable {
        /// An integer in a closed range.
        case integer(ClosedRange<Int64>, default: Int64?)
        /// `true` or `false`.
        case boolean(default: Bool)
        /// Free text up to a length.
        case text(maxLength: Int)
        /// One of a set of names (fixed, or read from the live server: loaded models, genres…).
        case choice(Vocabulary, default: String?)
    }

    /// Which live id the document gives as the parameter's example.
    enum Example: Sendable {
        case user, movie
    }

    let name: String
    let location: Location
    let kind: Kind
    let required: Bool
    let description: String
    let example: Example?

    init(
        _ name: String, in location: Location = .query, _ kind: Kind, required: Bool = false, _ description: String,
        example: Example? = nil
    ) {
        self.name = name
        self.location = location
        self.kind = kind
        self.required = required || location == .path
        self.description = description
        self.example = example
    }

    /// The range of every user and movie id the API accepts: MovieLens ids are positive 32-bit integers.
    static let idRange = PredictFeature.idRange

    /// A required id (`user`, `movie`, `id`…) in the query or the path.
    static func id(_ name: String, in location: Location = .query, _ description: String, example: Example) -> Parameter
    {
        Parameter(name, in: location, .integer(idRange, default: nil), required: true, description, example: example)
    }

    /// An optional list size from 1 to `max`.
    static func size(_ name: String, default value: Int64, max: Int64) -> Parameter {
        Parameter(name, .integer(1...max, default: value), "how many (1–\(max), default \(value))")
    }

    /// The parameter's schema, with the live vocabulary's names where it has one.
    func schema(_ live: Vocabulary.Live) -> JSONSchema {
        switch kind {
        case .integer(let range, _): .integer(min: range.lowerBound, max: range.upperBound)
        case .boolean: .boolean
        case .text(let maxLength): .string(minLength: 1, maxLength: maxLength, pattern: "^[^\\u0000-\\u001F\\u007F]*$")
        case .choice(let vocabulary, _): .string(values: vocabulary.names(live))
        }
    }

    /// The OpenAPI parameter object.
    func json(_ live: Vocabulary.Live) -> [String: Any] {
        var schema = schema(live).json
        switch kind {
        case .integer(_, let value?): schema["default"] = value
        case .boolean(let value): schema["default"] = value
        case .choice(_, let value?): schema["default"] = value
        default: break
        }
        var out: [String: Any] = [
            "name": name, "in": location.rawValue, "required": required, "description": description,
            "schema": schema,
        ]
        switch example {
        case .user?: out["example"] = live.exampleUser
        case .movie?: out["example"] = live.exampleMovie
        case nil: break
        }
        return out
    }

    /// The parameter's value in a request, checked against its kind: 400 naming the parameter and what was expected
    /// when it is malformed or out of range, or missing and required; the default (or nil) when absent.
    func value(_ text: String?, live: () -> Vocabulary.Live) throws -> Endpoint.Value? {
        guard let text else {
            if required { throw APIError.badRequest("missing parameter '\(name)'") }
            switch kind {
            case .integer(_, let value?): return .integer(value)
            case .boolean(let value): return .boolean(value)
            case .choice(_, let value?): return .text(value)
            default: return nil
            }
        }
        switch kind {
        case .integer(let range, _):
            guard let v = Int64(text), range.contains(v) else {
                throw APIError.badRequest(
                    "parameter '\(name)' must be an integer in \(range.lowerBound)…\(range.upperBound), got \"\(text)\""
                )
            }
            return .integer(v)
        case .boolean:
            guard let v = Bool(text) else {
                throw APIError.badRequest("parameter '\(name)' must be true or false, got \"\(text)\"")
            }
            return .boolean(v)
        case .text(let maxLength):
            guard (1...maxLength).contains(text.unicodeScalars.count) else {
                throw APIError.badRequest("parameter '\(name)' must be 1–\(maxLength) characters")
            }
            guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw APIError.badRequest("parameter '\(name)' must not contain control characters")
            }
            return .text(text)
        case .choice(let vocabulary, _):
            guard vocabulary.accepts(text, live()) else {
                let names = vocabulary.names(live())
                // A path names a resource: an unknown one is not found.
                if location == .path { throw APIError.notFound("unknown \(name) \"\(text)\"") }
                throw APIError.badRequest(
                    "parameter '\(name)' must be one of \(names.joined(separator: ", ")), got \"\(text)\"")
            }
            return .text(text)
        }
    }
}
