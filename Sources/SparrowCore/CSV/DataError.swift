/// A problem with an input file, located precisely enough for a person to open the file and fix it.
///
/// Its description names the file, the line and, where known, the field: `ratings.csv line 12, field 'rating':
/// "abc" is not a number`.
public struct DataError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file's name or path as given by the caller.
    public var file: String
    /// The 1-based line on which the offending record starts; `nil` for whole-file problems.
    public var line: Int?
    /// The column name of the offending field, when one field is at fault.
    public var field: String?
    /// What is wrong, in one sentence.
    public var message: String

    /// Creates an error for `file`, optionally pinned to a line and a field.
    public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `file line N, field 'f': message`.
    public var description: String {
        var location = file
        if let line { location += " line \(line)" }
        if let field { location += ", field '\(field)'" }
        return "\(location): \(message)"
    }
}
