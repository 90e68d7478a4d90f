import CoreMetrics
import Foundation
import Hummingbird
import Prometheus
import SparrowServing
import Synchronization

/// The server's metrics through swift-metrics, exposed by swift-prometheus at `/metrics`: request counts by route and
/// status, latency histograms by route, model inference time, recall sizes, accepted events and the near-line
/// counters. Each server has its own registry (no process-global bootstrap), so several servers in one process —
/// the tests — keep their numbers apart.
public final class ServerMetrics: Sendable {
    /// Latency buckets from 0.5 ms to 2.5 s.
    static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500),
    ]

    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    /// The near-line counters' values at the last scrape (they are read from the ingest, which counts on its own).
    let nearLineSeen = Mutex([String: Int]())

    /// Creates an empty registry.
    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.buckets
        factory.defaultValueHistogramBuckets = [1, 5, 10, 25, 50, 100, 200, 500, 1000]
        self.factory = factory
    }

    func request(route: String, status: Int, nanoseconds: Int64) {
        Counter(
            label: "sparrow_http_requests_total", dimensions: [("route", route), ("status", String(status))],
            factory: factory
        ).increment()
        Timer(label: "sparrow_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(nanoseconds)
    }

    func inference(model: String, seconds: Double) {
        Timer(label: "sparrow_model_inference_seconds", dimensions: [("model", model)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Each channel's candidates of one request: a running total and a histogram of the per-request size.
    func recall(_ sizes: [String: Int]) {
        for (channel, n) in sizes {
            Counter(label: "sparrow_recall_candidates_total", dimensions: [("channel", channel)], factory: factory)
                .increment(by: n)
            Recorder(
                label: "sparrow_recall_size", dimensions: [("channel", channel)], aggregate: true, factory: factory
            )
            .record(n)
        }
    }

    func events(_ n: Int) {
        Counter(label: "sparrow_events_total", factory: factory).increment(by: n)
    }

    /// Brings the near-line counters (`kind` → cumulative value) and the degraded flag up to date before a scrape.
    func nearLine(_ counters: [(name: String, value: Int)], degraded: Bool) {
        nearLineSeen.withLock { seen in
            for c in counters {
                let delta = c.value - seen[c.name, default: 0]
                seen[c.name] = c.value
                if delta > 0 {
                    Counter(
                        label: "sparrow_nearline_events_total", dimensions: [("kind", c.name)], factory: factory
                    ).increment(by: delta)
                }
            }
        }
        Gauge(label: "sparrow_nearline_degraded", factory: factory).record(degraded ? 1 : 0)
    }

    /// The Prometheus text exposition.
    public func text() -> String { registry.emitToString() }
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
                route: route, status: status, nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - start))
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
