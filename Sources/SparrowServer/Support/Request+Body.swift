import Hummingbird
import NIOCore

extension Request {
    /// The whole body, at most `limit` bytes; a longer one is answered 413 with the JSON error body every other
    /// error has (Hummingbird's own 413 has an empty body).
    mutating func collectBody(atMost limit: Int) async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "the body is over \(Self.size(limit))")
        }
    }

    /// `limit` bytes in words: "1 MiB", "64 KiB".
    private static func size(_ limit: Int) -> String {
        limit >= 1 << 20 && limit % (1 << 20) == 0
            ? "\(limit >> 20) MiB"
            : limit >= 1 << 10 && limit % (1 << 10) == 0 ? "\(limit >> 10) KiB" : "\(limit) bytes"
    }
}
