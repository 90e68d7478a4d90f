/// Splits a MovieLens title such as `Toy Story (1995)` into its name and release year.
public struct MovieTitle: Sendable, Equatable {
    /// The title without the trailing year group, trimmed.
    public var name: String
    /// The release year; for a range such as `(2006–2007)` its first year; `nil` when the title has no year.
    public var year: Int?
    /// True when the title ends with a plain `(YYYY)` group (after trailing spaces), as almost all MovieLens titles do.
    public var hasPlainYear: Bool

    /// Parses `raw`. Never fails: a title without a year keeps its whole text as the name.
    ///
    /// Accepted year groups at the end (trailing white space ignored): `(1995)`, `(2006–2007)`, `(2006-2007)`, `(2006-)`.
    public init(parsing raw: String) {
        let trimmed = Substring(raw).trimmingSpaces
        let scalars = Array(trimmed.unicodeScalars)
        guard scalars.count >= 6, scalars.last == ")",
            let open = scalars.lastIndex(of: "(")
        else {
            self.init(name: String(trimmed), year: nil, hasPlainYear: false)
            return
        }
        let inner = Array(scalars[(open + 1)..<(scalars.count - 1)])
        func fourDigits(_ s: ArraySlice<Unicode.Scalar>) -> Int? {
            guard s.count == 4 else { return nil }
            var v = 0
            for c in s {
                guard c.value >= 0x30 && c.value <= 0x39 else { return nil }
                v = v * 10 + Int(c.value - 0x30)
            }
            return v
        }
        var year: Int?
        var plain = false
        if let y = fourDigits(inner[...]) {
            year = y
            plain = true
        } else if inner.count >= 5, let y = fourDigits(inner[0..<4]), inner[4] == "–" || inner[4] == "-" {
            let rest = inner[5...]
            if rest.isEmpty || fourDigits(rest) != nil { year = y }
        }
        guard let year else {
            self.init(name: String(trimmed), year: nil, hasPlainYear: false)
            return
        }
        var nameScalars = String.UnicodeScalarView()
        nameScalars.append(contentsOf: scalars[0..<open])
        let name = Substring(String(nameScalars)).trimmingSpaces
        self.init(name: name.isEmpty ? String(trimmed) : String(name), year: year, hasPlainYear: plain)
    }

    /// Creates a parsed title from its parts.
    public init(name: String, year: Int?, hasPlainYear: Bool) {
        self.name = name
        self.year = year
        self.hasPlainYear = hasPlainYear
    }
}

extension Substring {
    /// The text without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return s
    }
}
