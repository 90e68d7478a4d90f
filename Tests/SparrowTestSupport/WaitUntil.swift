import Foundation

/// Polls `condition` every 2 ms until it holds or `seconds` pass; returns the seconds it took (nil: timed out).
public func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async rethrows -> Double? {
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
        if try await condition() { return Date().timeIntervalSince(start) }
        try? await Task.sleep(nanoseconds: 2_000_000)
    }
    return nil
}
