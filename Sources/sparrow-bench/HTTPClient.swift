import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal blocking HTTP/1.1 client on one keep-alive connection, for benchmarks and crash tests that need exact
/// control over timing (no pooling, no redirects, `Content-Length` bodies only — what Sparrow's server sends).
final class HTTPClient {
    /// A response.
    struct Response {
        var status: Int
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Failures, named by what was being done.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let host: String
    let port: Int
    private var fd: Int32 = -1
    private var buffer = [UInt8]()

    /// A client for `http://host:port` (connects on first use).
    init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `http://host:port`.
    convenience init(url: String) throws {
        guard let c = URLComponents(string: url), c.scheme == "http", let host = c.host else {
            throw Failure(description: "not an http://host:port URL: \(url)")
        }
        self.init(host: host, port: c.port ?? 80)
    }

    deinit { disconnect() }

    func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
        buffer.removeAll(keepingCapacity: true)
    }

    private func connect() throws {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &info) == 0, let first = info else {
            throw Failure(description: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(info) }
        let s = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard s >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        guard Glibc.connect(s, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            close(s)
            throw Failure(description: "connect \(host):\(port): \(String(cString: strerror(errno)))")
        }
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        fd = s
    }

    /// Sends one request and reads its response. A broken connection throws (the caller decides whether to retry).
    func request(_ method: String, _ path: String, body: String? = nil) throws -> Response {
        if fd < 0 { try connect() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        let message = Array((head + "\r\n" + (body ?? "")).utf8)
        var sent = 0
        while sent < message.count {
            let n = message[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else {
                disconnect()
                throw Failure(description: "send failed")
            }
            sent += n
        }
        do {
            return try readResponse()
        } catch {
            disconnect()
            throw error
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Failure(description: "connection closed") }
        buffer.append(contentsOf: chunk[0..<n])
    }

    private func readResponse() throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            if buffer.count >= 4 {
                for i in 0...(buffer.count - 4) where buffer[i] == 13 && Array(buffer[i..<i + 4]) == separator {
                    headerEnd = i
                    break
                }
            }
            if headerEnd == nil { try fill() }
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
        else {
            throw Failure(description: "bad status line")
        }
        var length = 0
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        let bodyStart = headerEnd! + 4
        while buffer.count < bodyStart + length { try fill() }
        let body = Data(buffer[bodyStart..<bodyStart + length])
        buffer.removeFirst(bodyStart + length)
        return Response(status: status, body: body)
    }
}

/// Runs `body(k)` for k in 0..<count on that many threads and waits for all (I/O-bound load generators).
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for k in 0..<count {
        group.enter()
        let thread = Thread {
            body(k)
            group.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    group.wait()
}
