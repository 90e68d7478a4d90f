import Foundation
import Hummingbird
import SparrowServing
import Synchronization

/// Prometheus metrics kept in process: request counts by route and status, latency histograms by route, model
/// inference time, recall sizes. Served as text at `/metrics`.
public final class ServerMetrics: Sendable {
    static let buckets: [Double] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    struct Histogram {
        var counts = [Int](repeating: 0, count: ServerMetrics.buckets.count)
        var sum = 0.0
        var count = 0

        mutating func observe(_ v: Double) {
            for (i, b) in ServerMetrics.buckets.enumerated() where v <= b { counts[i] += 1 }
            sum += v
            count += 1
        }
    }

    struct State {
        var requests: [String: Int] = [:]  // "route|status"
        var latency: [String: Histogram] = [:]
        var inference: [String: Histogram] = [:]
        var recall: [String: Int] = [:]
        var events = 0
    }

    let state = Mutex(State())

    /// Creates an empty registry.
    public init() {}

    func request(route: String, status: Int, seconds: Double) {
        state.withLock {
            $0.requests["\(route)|\(status)", default: 0] += 1
            $0.latency[route, default: Histogram()].observe(seconds)
        }
    }

    func inference(model: String, seconds: Double) {
        state.withLock { $0.inference[model, default: Histogram()].observe(seconds) }
    }

    func recall(_ sizes: [String: Int]) {
        state.withLock { for (k, v) in sizes { $0.recall[k, default: 0] += v } }
    }

    func events(_ n: Int) { state.withLock { $0.events += n } }

    /// The Prometheus text exposition.
    public func text() -> String {
        let s = state.withLock { $0 }
        var lines: [String] = []
        lines.append("# HELP sparrow_http_requests_total HTTP requests by route and status.")
        lines.append("# TYPE sparrow_http_requests_total counter")
        for (key, n) in s.requests.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|")
            lines.append("sparrow_http_requests_total{route=\"\(parts[0])\",status=\"\(parts[1])\"} \(n)")
        }
        func histogram(_ name: String, _ help: String, _ label: String, _ values: [String: Histogram]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) histogram")
            for (key, h) in values.sorted(by: { $0.key < $1.key }) {
                for (i, b) in ServerMetrics.buckets.enumerated() {
                    lines.append("\(name)_bucket{\(label)=\"\(key)\",le=\"\(b)\"} \(h.counts[i])")
                }
                lines.append("\(name)_bucket{\(label)=\"\(key)\",le=\"+Inf\"} \(h.count)")
                lines.append("\(name)_sum{\(label)=\"\(key)\"} \(h.sum)")
                lines.append("\(name)_count{\(label)=\"\(key)\"} \(h.count)")
            }
        }
        histogram("sparrow_http_request_duration_seconds", "Request latency by route.", "route", s.latency)
        histogram("sparrow_model_inference_seconds", "Model inference time per request.", "model", s.inference)
        lines.append("# HELP sparrow_recall_candidates_total Candidates produced by each recall channel.")
        lines.append("# TYPE sparrow_recall_candidates_total counter")
        for (k, v) in s.recall.sorted(by: { $0.key < $1.key }) {
            lines.append("sparrow_recall_candidates_total{channel=\"\(k)\"} \(v)")
        }
        lines.append("# HELP sparrow_events_total Events accepted.")
        lines.append("# TYPE sparrow_events_total counter")
        lines.append("sparrow_events_total \(s.events)")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Records every request's route, status and latency.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = DispatchTime.now().uptimeNanoseconds
        func record(_ status: Int) {
            let route = context.endpointPath ?? "unmatched"
            metrics.request(
                route: route, status: status, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        do {
            let response = try await next(request, context)
            record(response.status.code)
            return response
        } catch let error as HTTPResponseError {
            record(error.status.code)
            throw error
        } catch {
            record(500)
            throw error
        }
    }
}
