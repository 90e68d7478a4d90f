import Testing

@testable import SparrowCore

@Suite("CSV scanner")
struct CSVScannerTests {
    @Test("plain fields and a last line without a line end")
    func plain() throws {
        #expect(try scanAll("a,b,c\n1,2,3") == [["a", "b", "c"], ["1", "2", "3"]])
    }

    @Test("quoted fields with commas, doubled quotes and line breaks")
    func quoted() throws {
        let rows = try scanAll("1,\"Matrix, The (1999)\",x\n2,\"\"\"Great\"\" Day\",y\n3,\"two\nlines\",z\n")
        #expect(rows == [["1", "Matrix, The (1999)", "x"], ["2", "\"Great\" Day", "y"], ["3", "two\nlines", "z"]])
    }

    @Test("empty fields, including a trailing one")
    func empty() throws {
        #expect(try scanAll("1,,\n,2,\"\"\n") == [["1", "", ""], ["", "2", ""]])
    }

    @Test("CRLF and lone CR line ends, BOM, blank lines")
    func lineEnds() throws {
        let rows = try scanAll("\u{FEFF}id,name\r\n1,Amélie\r\n\r\n2,Señor\r3,x\n")
        #expect(rows == [["id", "name"], ["1", "Amélie"], ["2", "Señor"], ["3", "x"]])
    }

    @Test("line numbers count line breaks inside quotes and blank lines")
    func lineNumbers() throws {
        let bytes = Array("h\n\"a\nb\"\n\nc\n".utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(bytes: buffer, file: "t.csv")
            var fields: [CSVField] = []
            var lines: [Int] = []
            while try scanner.next(into: &fields) { lines.append(scanner.line) }
            #expect(lines == [1, 2, 5])
        }
    }

    @Test("an unterminated quote names the file and the line")
    func brokenQuote() {
        #expect(
            throws: DataError(file: "t.csv", line: 2, message: "unterminated quoted field (a '\"' is never closed)")
        ) {
            _ = try scanAll("a,b\n1,\"never closed\n2,3\n")
        }
    }

    @Test("text after a closing quote is an error")
    func textAfterQuote() {
        #expect(throws: DataError.self) { _ = try scanAll("1,\"a\"b,2\n") }
    }

    @Test(
        "integer and decimal parsing",
        arguments: [
            ("964982703", Int64?(964_982_703)), ("-12", -12), ("", nil), ("12a", nil), ("99999999999999999999", nil),
            ("4.0", nil),
        ])
    func integers(text: String, expected: Int64?) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let scanner = CSVScanner(bytes: buffer, file: "t")
            #expect(scanner.int64(CSVField(start: 0, end: buffer.count, hasEscapedQuotes: false)) == expected)
        }
    }

    @Test(
        "decimals",
        arguments: [
            ("4.0", Double?(4)), ("0.5", 0.5), ("5", 5), ("-0.25", -0.25), ("1e1", 10), ("abc", nil), ("", nil),
            ("4.", 4), ("3.25", 3.25),
        ])
    func decimals(text: String, expected: Double?) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let scanner = CSVScanner(bytes: buffer, file: "t")
            #expect(scanner.double(CSVField(start: 0, end: buffer.count, hasEscapedQuotes: false)) == expected)
        }
    }
}
