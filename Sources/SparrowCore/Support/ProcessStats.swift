import Foundation

/// Resource figures of the running process, for benchmarks.
public enum ProcessStats {
    /// Peak resident set size in bytes (`VmHWM` from `/proc/self/status`), or `nil` where unavailable.
    public static func peakResidentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return nil
    }

    /// Resets the peak resident set size to the current one (Linux: writes `5` to `/proc/self/clear_refs`), so the
    /// next `peakResidentBytes()` is the peak since now; false where that is unavailable.
    @discardableResult
    public static func resetPeakResident() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// Monotonic time in seconds, for measuring durations.
    public static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
