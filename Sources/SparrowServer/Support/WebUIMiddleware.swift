import Foundation
import Hummingbird

/// Serves the web UI's files for every path the API contract does not own; an API path goes straight to the router,
/// so that the file server's own answers (a 400 for `..` in a path) never stand in for an endpoint's.
///
/// With a key for the page (`serve --web-key`), the page is served with it in its `sparrow-key` meta tag, which the
/// page's requests send as their bearer key. The page itself is always served with `Cache-Control: no-cache`, so a
/// browser never keeps a copy from before the server's keys changed.
struct WebUIMiddleware<Files: RouterMiddleware>: RouterMiddleware {
    typealias Context = Files.Context
    let files: Files
    let endpoints: [Endpoint]
    /// The UI's folder.
    var root: String
    /// The key the page sends (nil: none).
    var key: String?

    /// The placeholder in `index.html` that the key replaces.
    static var placeholder: String { #"<meta name="sparrow-key" content="">"# }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if endpoints.contains(where: { $0.match(request.uri.path) != nil }) {
            return try await next(request, context)
        }
        if request.method == .get, ["/", "/index.html"].contains(request.uri.path),
            let page = try? String(contentsOfFile: root + "/index.html", encoding: .utf8)
        {
            let escaped = (key ?? "").replacingOccurrences(of: "&", with: "&amp;")
                .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;")
            let tag = #"<meta name="sparrow-key" content="\#(escaped)">"#
            let body = page.replacingOccurrences(of: Self.placeholder, with: tag)
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return try await files.handle(request, context: context, next: next)
    }
}
