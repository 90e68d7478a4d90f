import Foundation
import SparrowCore

/// Reads and writes samples in the original SparrowRecSys 27-column CSV layout.
///
/// Writing: ids raw, genres by name, missing values as empty cells, averages and standard deviations with two
/// decimals (as the original's `format_number`). The four context columns are appended only when asked for.
/// Reading: the original's files (`../shared/data/sparrow-samples/`) or ours; empty cells are missing values.
public enum SampleCSV {
    /// Decimals written for a float column.
    static func decimals(_ c: FloatColumn) -> Int {
        switch c {
        case .rating: return 1
        case .movieAvgRating, .movieRatingStddev, .userReleaseYearStddev, .userAvgRating, .userRatingStddev,
            .daysSinceMovieFirstRating:
            return 2
        default: return 0
        }
    }

    /// The header line.
    public static func header(extraColumns: Bool) -> String {
        (OriginalColumn.layout + (extraColumns ? OriginalColumn.extra : [])).map(\.name).joined(separator: ",")
    }

    /// Appends `table`'s rows to `out` as CSV text (no header).
    public static func encode(_ table: SampleTable, extraColumns: Bool, into out: inout [UInt8]) {
        let columns = OriginalColumn.layout + (extraColumns ? OriginalColumn.extra : [])
        let genreBytes = table.genres.map { Array($0.utf8) }
        for i in 0..<table.count {
            for (k, column) in columns.enumerated() {
                if k > 0 { out.append(0x2C) }
                switch column {
                case .timestamp:
                    appendInt(Int64(table.timestamps[i]), &out)
                case .int(let c):
                    let v = table[c][i]
                    if c.isGenre {
                        if v >= 0 { out.append(contentsOf: genreBytes[Int(v)]) }
                    } else if v != 0 {
                        appendInt(Int64(v), &out)
                    }
                case .float(let c):
                    let v = table[c][i]
                    if !v.isNaN { appendFixed(Double(v), decimals: decimals(c), &out) }
                }
            }
            out.append(0x0A)
        }
    }

    /// Writes `table` to `path` with a header.
    public static func write(_ table: SampleTable, to path: String, extraColumns: Bool = false) throws(DataError) {
        var bytes = Array((header(extraColumns: extraColumns) + "\n").utf8)
        encode(table, extraColumns: extraColumns, into: &bytes)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw DataError(file: path, message: "cannot write (\(error.localizedDescription))")
        }
    }

    static func appendInt(_ value: Int64, _ out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        var v = value.magnitude
        if v < 10 {
            out.append(UInt8(0x30 + v))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 20 digits packed 5 per word
        var n = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while v > 0 {
                raw[n] = UInt8(0x30 + v % 10)
                v /= 10
                n += 1
            }
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(raw[k]) }
        }
    }

    static func appendFixed(_ value: Double, decimals: Int, _ out: inout [UInt8]) {
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        var scaled = Int64(roundedScaled(abs(value), scale: Double(scale)))
        if value < 0 && scaled != 0 { out.append(0x2D) }
        let whole = scaled / scale
        appendInt(whole, &out)
        guard decimals > 0 else { return }
        out.append(0x2E)
        scaled %= scale
        var digits = [UInt8](repeating: 0x30, count: decimals)
        for k in stride(from: decimals - 1, through: 0, by: -1) {
            digits[k] = UInt8(0x30 + scaled % 10)
            scaled /= 10
        }
        out.append(contentsOf: digits)
    }

    /// `x·scale` rounded half-to-even on the exact binary value (as Java's DecimalFormat behind Spark's
    /// `format_number` does): the product's rounding error is recovered with a fused multiply-add, so 2.955
    /// (binary 2.95500000000000007…) rounds up and 4.215 (binary 4.21499999999999986…) rounds down.
    static func roundedScaled(_ x: Double, scale: Double) -> Double {
        let p = x * scale
        let error = fmaRemainder(x, scale, p)
        let floorP = p.rounded(.down)
        let fraction = (p - floorP) + error
        if fraction > 0.5 || (fraction == 0.5 && Int64(floorP) & 1 == 1) { return floorP + 1 }
        return floorP
    }

    /// `x` rounded to two decimals the way the original's sample files print it. Sample tables store the
    /// two-decimal columns rounded like this, so the CSV, the binary form and online encoding agree exactly.
    public static func twoDecimals(_ x: Double) -> Float {
        Float((x < 0 ? -1 : 1) * roundedScaled(abs(x), scale: 100) / 100)
    }

    /// The exact `x·s − p` for `p = fl(x·s)`, by a fused multiply-add.
    static func fmaRemainder(_ x: Double, _ s: Double, _ p: Double) -> Double {
        (-p).addingProduct(x, s)
    }

    /// Reads a sample CSV in the original layout (optionally with the extra context columns).
    ///
    /// - Parameter genres: an existing vocabulary to extend (so a test file shares its training file's indices).
    /// - Throws: `DataError` naming the file, line and column for a malformed cell.
    public static func read(path: String, genres: [String] = []) throws(DataError) -> SampleTable {
        let file = try MappedFile(path: path)
        var scanner = CSVScanner(bytes: file.bytes, file: path)
        var fields: [CSVField] = []
        guard try scanner.next(into: &fields) else { throw DataError(file: path, message: "is empty") }
        let names = fields.map { scanner.string($0) ?? "" }
        let columns: [OriginalColumn]
        if names == OriginalColumn.layout.map(\.name) {
            columns = OriginalColumn.layout
        } else if names == (OriginalColumn.layout + OriginalColumn.extra).map(\.name) {
            columns = OriginalColumn.layout + OriginalColumn.extra
        } else {
            throw DataError(
                file: path, line: 1,
                message: "unexpected header; expected the 27 columns \(header(extraColumns: false))")
        }
        var vocabulary = genres
        var genreIndex = Dictionary(uniqueKeysWithValues: genres.enumerated().map { ($1, Int32($0)) })
        var floats = [[Float]](repeating: [], count: FloatColumn.allCases.count)
        var ints = [[Int32]](repeating: [], count: IntColumn.allCases.count)
        var timestamps: [Int64] = []
        let missingFloat = Set(FloatColumn.allCases).subtracting(
            columns.compactMap { if case .float(let c) = $0 { c } else { nil } })
        let missingInt = Set(IntColumn.allCases).subtracting(
            columns.compactMap { if case .int(let c) = $0 { c } else { nil } })
        while try scanner.next(into: &fields) {
            guard fields.count == columns.count else {
                throw DataError(
                    file: path, line: scanner.line, message: "expected \(columns.count) fields, found \(fields.count)")
            }
            for (k, column) in columns.enumerated() {
                let f = fields[k]
                switch column {
                case .timestamp:
                    guard let t = scanner.int64(f) else {
                        throw DataError(
                            file: path, line: scanner.line, field: "timestamp",
                            message: "\"\(scanner.preview(f))\" is not an integer")
                    }
                    timestamps.append(t)
                case .float(let c):
                    if f.count == 0 {
                        floats[c.rawValue].append(.nan)
                    } else if let v = scanner.double(f) {
                        floats[c.rawValue].append(Float(v))
                    } else {
                        throw DataError(
                            file: path, line: scanner.line, field: c.name,
                            message: "\"\(scanner.preview(f))\" is not a number")
                    }
                case .int(let c) where c.isGenre:
                    if f.count == 0 {
                        ints[c.rawValue].append(-1)
                    } else {
                        let name = scanner.string(f) ?? ""
                        if let g = genreIndex[name] {
                            ints[c.rawValue].append(g)
                        } else {
                            let g = Int32(vocabulary.count)
                            vocabulary.append(name)
                            genreIndex[name] = g
                            ints[c.rawValue].append(g)
                        }
                    }
                case .int(let c):
                    if f.count == 0 {
                        ints[c.rawValue].append(0)
                    } else if let v = scanner.int64(f), v >= 0, v <= Int64(Int32.max) {
                        ints[c.rawValue].append(Int32(v))
                    } else {
                        throw DataError(
                            file: path, line: scanner.line, field: c.name,
                            message: "\"\(scanner.preview(f))\" is not a non-negative integer id")
                    }
                }
            }
            for c in missingFloat { floats[c.rawValue].append(.nan) }
            for c in missingInt { ints[c.rawValue].append(c.isGenre ? -1 : 0) }
        }
        var table = SampleTable(genres: vocabulary)
        table.setColumns(floats: floats, ints: ints, timestamps: timestamps)
        return table
    }
}
