import Foundation
import Hummingbird
import SparrowServing

/// An error answered as a JSON body `{"error": "..."}` with a real status code (the original answers 200 with an
/// empty body for every error, B10).
public struct APIError: HTTPResponseError, Sendable {
    /// The status.
    public let status: HTTPResponse.Status
    /// One sentence for the client.
    public let message: String
    /// Extra response headers (`Allow` on a 405).
    public var headers: HTTPFields = [:]

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// 405 with the `Allow` header listing the methods the path serves.
    public static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIError {
        let names = allowed.map(\.rawValue).joined(separator: ", ")
        var error = APIError(.methodNotAllowed, "\(method.rawValue) is not served here; use \(names)")
        error.headers[.allow] = names
        return error
    }

    /// 400 for a missing or malformed parameter.
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    /// 404 for an unknown id.
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }

    /// The status code of each engine error: a malformed input is 400, a well-formed one naming an unknown movie 404.
    public init(_ error: EngineError) {
        switch error {
        case .unknownModel, .invalidInput: self.init(.badRequest, error.description)
        case .notFound: self.init(.notFound, error.description)
        }
    }

    /// A decoding error as one sentence: where in the body (a coding path such as `events[2].rating`) and what was
    /// expected there.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text.isEmpty ? "the body" : text
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is Int.Type, is Int32.Type, is Int64.Type, is UInt.Type, is UInt32.Type, is UInt64.Type: "an integer"
            case is Float.Type, is Double.Type: "a number"
            case is String.Type: "a string"
            case is Bool.Type: "true or false"
            default: "\(type)"
            }
        }
        switch error {
        case .typeMismatch(let type, let c):
            return "\(path(c.codingPath)): expected \(kind(type))"
        case .valueNotFound(let type, let c):
            return "\(path(c.codingPath)): expected \(kind(type)), found null"
        case .keyNotFound(let key, let c):
            return "\(path(c.codingPath + [key])): missing"
        case .dataCorrupted(let c):
            return "\(path(c.codingPath)): \(c.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// Runs `body`, turning an engine error into its HTTP answer.
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as EngineError { throw APIError(error) }
    }

    /// The JSON error body with this status.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = (try? JSONEncoder().encode(["error": message])) ?? Data("{\"error\":\"\"}".utf8)
        var fields: HTTPFields = [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// JSON responses.
enum JSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// A 200 (or `status`) response with an encoded body and CORS open, as the original.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
