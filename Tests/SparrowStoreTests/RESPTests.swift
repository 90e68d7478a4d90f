import NIOCore
import Testing

@testable import SparrowStore

@Suite("RESP codec")
struct RESPTests {
    @Test("commands encode as arrays of bulk strings")
    func encode() {
        var buffer = ByteBuffer()
        RESP.encode(["SET", "k", "héllo"], into: &buffer)
        #expect(String(buffer: buffer) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\nhéllo\r\n")
    }

    @Test("every reply type decodes; incomplete input waits for more")
    func decode() throws {
        var buffer = ByteBuffer(string: "+OK\r\n-ERR bad\r\n:42\r\n$3\r\nabc\r\n$-1\r\n*2\r\n$1\r\na\r\n:7\r\n*-1\r\n")
        #expect(try RESP.decode(&buffer) == .simpleString("OK"))
        #expect(try RESP.decode(&buffer) == .error("ERR bad"))
        #expect(try RESP.decode(&buffer) == .integer(42))
        #expect(try RESP.decode(&buffer)?.string == "abc")
        #expect(try RESP.decode(&buffer)?.isNull == true)
        let array = try #require(try RESP.decode(&buffer)?.array)
        #expect(array.count == 2 && array[0].string == "a" && array[1].int == 7)
        #expect(try RESP.decode(&buffer)?.isNull == true)
        var partial = ByteBuffer(string: "$10\r\nabc")
        #expect(try RESP.decode(&partial) == nil)
        #expect(partial.readableBytes == 8)  // nothing consumed
        var nested = ByteBuffer(string: "*2\r\n:1\r\n")
        #expect(try RESP.decode(&nested) == nil)
        var bad = ByteBuffer(string: "?x\r\n")
        #expect(throws: RESP.ProtocolError.self) { _ = try RESP.decode(&bad) }
    }

    @Test("the scanner finds where each reply ends however the bytes are split, looking at each byte once")
    func scanner() throws {
        let replies = [
            "+OK\r\n", "$3\r\nabc\r\n", "*0\r\n", "*2\r\n*2\r\n$1\r\na\r\n:7\r\n*-1\r\n", "$-1\r\n",
            "*3\r\n:1\r\n*1\r\n$2\r\nxy\r\n-E\r\n",
        ]
        let whole = replies.joined()
        let lengths = replies.map(\.utf8.count)
        for split in [1, 2, 3, 5, 7, whole.utf8.count] {
            var scanner = RESPScanner()
            var buffer = ByteBuffer()
            var found: [Int] = []
            var rest = Array(whole.utf8)[...]
            while !rest.isEmpty {
                buffer.writeBytes(rest.prefix(split))
                rest = rest.dropFirst(split)
                while let n = try scanner.completeLength(in: buffer) {
                    found.append(n)
                    buffer.moveReaderIndex(forwardBy: n)
                }
            }
            #expect(found == lengths, "chunks of \(split) bytes")
            #expect(buffer.readableBytes == 0)
        }
        var scanner = RESPScanner()
        #expect(throws: RESP.ProtocolError.self) { _ = try scanner.completeLength(in: ByteBuffer(string: "?x\r\n")) }
    }
}
