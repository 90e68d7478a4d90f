import Foundation

/// A JSON Schema (the OpenAPI 3.0 subset the API uses): rendered into `/openapi.json` and used by the tests to check
/// real responses against the document, so that a response type and its schema cannot drift apart.
indirect enum JSONSchema: Sendable {
    /// An object with exactly these properties (no others), the `required` ones always present.
    case object([(String, JSONSchema)], required: [String])
    /// An object whose values all have one schema (a map).
    case map(JSONSchema)
    /// An array of one item schema, with bounds on its length.
    case array(JSONSchema, minItems: Int? = nil, maxItems: Int? = nil)
    /// An integer within bounds.
    case integer(min: Int64? = nil, max: Int64? = nil)
    /// A number within bounds (`multipleOf` for half stars).
    case number(min: Double? = nil, max: Double? = nil, multipleOf: Double? = nil)
    /// A string: one of `values` when given, else within the length bounds and matching `pattern`.
    case string(values: [String]? = nil, minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil)
    /// `true` or `false`.
    case boolean
    /// One of several schemas.
    case oneOf([JSONSchema])
    /// The schema or `null`.
    case nullable(JSONSchema)
    /// A named schema under `components/schemas`.
    case ref(String)
    /// Any JSON value.
    case any

    /// The schema as a JSON value in OpenAPI 3.0 form.
    var json: [String: Any] {
        switch self {
        case .object(let properties, let required):
            var out: [String: Any] = [
                "type": "object", "additionalProperties": false,
                "properties": Dictionary(uniqueKeysWithValues: properties.map { ($0.0, $0.1.json) }),
            ]
            if !required.isEmpty { out["required"] = required }
            return out
        case .map(let value):
            return ["type": "object", "additionalProperties": value.json]
        case .array(let item, let minItems, let maxItems):
            var out: [String: Any] = ["type": "array", "items": item.json]
            if let minItems { out["minItems"] = minItems }
            if let maxItems { out["maxItems"] = maxItems }
            return out
        case .integer(let min, let max):
            var out: [String: Any] = ["type": "integer", "format": "int64"]
            if let min { out["minimum"] = min }
            if let max { out["maximum"] = max }
            return out
        case .number(let min, let max, let multipleOf):
            var out: [String: Any] = ["type": "number"]
            if let min { out["minimum"] = min }
            if let max { out["maximum"] = max }
            if let multipleOf { out["multipleOf"] = multipleOf }
            return out
        case .string(let values, let minLength, let maxLength, let pattern):
            var out: [String: Any] = ["type": "string"]
            if let values { out["enum"] = values }
            if let minLength { out["minLength"] = minLength }
            if let maxLength { out["maxLength"] = maxLength }
            if let pattern { out["pattern"] = pattern }
            return out
        case .boolean:
            return ["type": "boolean"]
        case .oneOf(let options):
            return ["oneOf": options.map(\.json)]
        case .nullable(let schema):
            var out = schema.json
            out["nullable"] = true
            return out
        case .ref(let name):
            return ["$ref": "#/components/schemas/\(name)"]
        case .any:
            return [:]
        }
    }
}

extension JSONSchema {
    /// Every way `value` (as `JSONSerialization` reads it) breaks this schema, each named by its JSON path; empty
    /// when it conforms. `components` resolves `.ref`s.
    func problems(_ value: Any, at path: String = "$", components: [String: JSONSchema]) -> [String] {
        func isInteger(_ n: NSNumber) -> Bool { !n.isJSONBoolean && n.doubleValue.rounded() == n.doubleValue }
        switch self {
        case .any:
            return []
        case .ref(let name):
            guard let schema = components[name] else { return ["\(path): unknown schema \(name)"] }
            return schema.problems(value, at: path, components: components)
        case .nullable(let schema):
            return value is NSNull ? [] : schema.problems(value, at: path, components: components)
        case .oneOf(let options):
            let matching = options.filter { $0.problems(value, at: path, components: components).isEmpty }
            return matching.count == 1 ? [] : ["\(path): matches \(matching.count) of \(options.count) schemas"]
        case .object(let properties, let required):
            guard let object = value as? [String: Any] else { return ["\(path): expected an object"] }
            var out = required.filter { object[$0] == nil }.map { "\(path).\($0): missing" }
            let known = Dictionary(uniqueKeysWithValues: properties)
            for (key, v) in object {
                guard let schema = known[key] else {
                    out.append("\(path).\(key): not in the schema")
                    continue
                }
                out += schema.problems(v, at: "\(path).\(key)", components: components)
            }
            return out
        case .map(let schema):
            guard let object = value as? [String: Any] else { return ["\(path): expected an object"] }
            return object.flatMap { schema.problems($0.value, at: "\(path).\($0.key)", components: components) }
        case .array(let item, let minItems, let maxItems):
            guard let array = value as? [Any] else { return ["\(path): expected an array"] }
            if let minItems, array.count < minItems { return ["\(path): fewer than \(minItems) items"] }
            if let maxItems, array.count > maxItems { return ["\(path): more than \(maxItems) items"] }
            return array.enumerated().flatMap {
                item.problems($0.element, at: "\(path)[\($0.offset)]", components: components)
            }
        case .integer(let min, let max):
            guard let n = value as? NSNumber, isInteger(n) else { return ["\(path): expected an integer"] }
            if let min, n.int64Value < min { return ["\(path): \(n) < \(min)"] }
            if let max, n.int64Value > max { return ["\(path): \(n) > \(max)"] }
            return []
        case .number(let min, let max, _):
            guard let n = value as? NSNumber, !n.isJSONBoolean else { return ["\(path): expected a number"] }
            if let min, n.doubleValue < min { return ["\(path): \(n) < \(min)"] }
            if let max, n.doubleValue > max { return ["\(path): \(n) > \(max)"] }
            return []
        case .string(let values, let minLength, let maxLength, _):
            guard let s = value as? String else { return ["\(path): expected a string"] }
            if let values, !values.contains(s) { return ["\(path): \"\(s)\" not one of \(values)"] }
            if let minLength, s.count < minLength { return ["\(path): shorter than \(minLength)"] }
            if let maxLength, s.count > maxLength { return ["\(path): longer than \(maxLength)"] }
            return []
        case .boolean:
            guard let n = value as? NSNumber, n.isJSONBoolean else { return ["\(path): expected true or false"] }
            return []
        }
    }
}

extension NSNumber {
    /// Whether `JSONSerialization` read this from `true`/`false` (Foundation gives booleans as numbers too).
    var isJSONBoolean: Bool { String(cString: objCType) == "c" }
}
