/// What lenient loading skipped: a count per reason and the first few errors with their lines.
public struct SkipReport: Sendable, Equatable {
    /// Skipped rows per reason (the error message without its location).
    public private(set) var countsByReason: [String: Int] = [:]
    /// The first `exampleLimit` errors, in the order met.
    public private(set) var examples: [DataError] = []
    /// How many examples are kept.
    public let exampleLimit: Int

    /// Creates an empty report keeping up to `exampleLimit` examples.
    public init(exampleLimit: Int = 5) { self.exampleLimit = exampleLimit }

    /// Total number of skipped rows.
    public var total: Int { countsByReason.values.reduce(0, +) }

    /// Records one skipped row.
    public mutating func record(_ error: DataError) {
        let reason = "\(error.file): \(error.field.map { "field '\($0)': " } ?? "")\(error.message.reasonKey)"
        countsByReason[reason, default: 0] += 1
        if examples.count < exampleLimit { examples.append(error) }
    }

    /// A multi-line human summary, or `nil` when nothing was skipped.
    public var summary: String? {
        guard total > 0 else { return nil }
        var lines = ["skipped \(total) malformed row\(total == 1 ? "" : "s") (--lenient):"]
        for (reason, n) in countsByReason.sorted(by: { MovieOrder.precedes(($0.key, $0.value), ($1.key, $1.value)) }) {
            lines.append("  \(n) × \(reason)")
        }
        lines.append("  first \(examples.count):")
        lines += examples.map { "    \($0)" }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// The message with quoted values removed, so rows failing for the same reason group together.
    var reasonKey: String {
        var out = ""
        var inQuote = false
        for c in self {
            if c == "\"" {
                inQuote.toggle()
                if !inQuote { out += "…" }
                continue
            }
            if !inQuote { out.append(c) }
        }
        return out
    }
}
