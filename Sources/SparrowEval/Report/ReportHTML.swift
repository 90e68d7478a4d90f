import Foundation
import SparrowCore

/// Renders a report as one self-contained HTML page (inline CSS and SVG, no external assets).
public enum ReportHTML {
    static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
        "#17becf", "#393b79", "#ad494a", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354",
        "#756bb1",
    ]

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func f(_ v: Double, _ digits: Int = 4) -> String { v.isFinite ? String(format: "%.\(digits)f", v) : "–" }

    /// A line chart of several series in [0,1]×[0,1] (or given bounds).
    static func lineChart(
        title: String, series: [(String, [[Double]])], xLabel: String, yLabel: String,
        xRange: ClosedRange<Double> = 0...1, yRange: ClosedRange<Double> = 0...1, diagonal: Bool = false
    ) -> String {
        let (w, h, m) = (420.0, 300.0, 40.0)
        func px(_ x: Double) -> Double {
            m + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (w - 2 * m)
        }
        func py(_ y: Double) -> Double {
            h - m - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * (h - 2 * m)
        }
        var svg = "<figure><svg viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(esc(title))\">"
        svg +=
            "<rect x=\"\(m)\" y=\"\(m)\" width=\"\(w - 2 * m)\" height=\"\(h - 2 * m)\" fill=\"none\" stroke=\"#999\"/>"
        if diagonal {
            svg +=
                "<line x1=\"\(px(xRange.lowerBound))\" y1=\"\(py(yRange.lowerBound))\" x2=\"\(px(xRange.upperBound))\" y2=\"\(py(yRange.upperBound))\" stroke=\"#ccc\" stroke-dasharray=\"4\"/>"
        }
        for (k, (name, points)) in series.enumerated() {
            let path = points.map { String(format: "%.1f,%.1f", px($0[0]), py($0[1])) }.joined(separator: " ")
            let color = palette[k % palette.count]
            svg +=
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\" points=\"\(path)\"><title>\(esc(name))</title></polyline>"
            svg +=
                "<text x=\"\(w - m - 4)\" y=\"\(m + 14 + Double(k) * 13)\" text-anchor=\"end\" font-size=\"11\" fill=\"\(color)\">\(esc(name))</text>"
        }
        svg += "<text x=\"\(w / 2)\" y=\"\(h - 8)\" text-anchor=\"middle\" font-size=\"12\">\(esc(xLabel))</text>"
        svg +=
            "<text x=\"12\" y=\"\(h / 2)\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 12 \(h / 2))\">\(esc(yLabel))</text>"
        svg +=
            "<text x=\"\(m)\" y=\"\(h - m + 14)\" font-size=\"10\">\(f(xRange.lowerBound, 2))</text><text x=\"\(w - m)\" y=\"\(h - m + 14)\" font-size=\"10\" text-anchor=\"end\">\(f(xRange.upperBound, 2))</text>"
        svg +=
            "<text x=\"\(m - 4)\" y=\"\(h - m)\" font-size=\"10\" text-anchor=\"end\">\(f(yRange.lowerBound, 2))</text><text x=\"\(m - 4)\" y=\"\(m + 8)\" font-size=\"10\" text-anchor=\"end\">\(f(yRange.upperBound, 2))</text>"
        return svg + "</svg><figcaption>\(esc(title))</figcaption></figure>"
    }

    /// A horizontal bar chart.
    static func barChart(title: String, bars: [(String, Double)], reference: [String: Double] = [:]) -> String {
        let top = max(bars.map(\.1).max() ?? 1, reference.values.max() ?? 0, 1e-9)
        let (w, row, label) = (760.0, 22.0, 330.0)
        let h = row * Double(bars.count) + 20
        var svg =
            "<figure style=\"width:760px\"><svg viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(esc(title))\">"
        for (k, (name, value)) in bars.enumerated() {
            let y = Double(k) * row + 4
            let width = value / top * (w - label - 70)
            svg += "<text x=\"\(label - 6)\" y=\"\(y + 14)\" text-anchor=\"end\" font-size=\"12\">\(esc(name))</text>"
            svg +=
                "<rect x=\"\(label)\" y=\"\(y + 2)\" width=\"\(width)\" height=\"\(row - 6)\" fill=\"\(palette[k % palette.count])\"/>"
            svg += "<text x=\"\(label + 4 + width)\" y=\"\(y + 14)\" font-size=\"11\">\(f(value))</text>"
            if let r = reference[name] {
                let x = label + r / top * (w - label - 70)
                svg +=
                    "<line x1=\"\(x)\" y1=\"\(y)\" x2=\"\(x)\" y2=\"\(y + row - 2)\" stroke=\"#000\" stroke-width=\"2\"><title>reference \(f(r))</title></line>"
            }
        }
        return svg + "</svg><figcaption>\(esc(title))</figcaption></figure>"
    }

    /// Renders the page.
    public static func render(_ report: EvaluationReport) -> String {
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sparrow evaluation report</title><style>
            body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:1100px;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
            td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
            figure{display:inline-block;margin:.5rem;width:420px;max-width:100%}svg{width:100%;height:auto;background:#fff}figcaption{font-size:.85rem;color:#555}
            .better{color:#0a6d2c;font-weight:600}</style></head><body>
            <h1>Sparrow evaluation report</h1>
            """
        html +=
            "<p>Created \(esc(report.created)). Data: "
            + report.dataset.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            + ".</p>"
        html +=
            "<h2>Ranking models (CTR: like = rating ≥ \(likedThreshold))</h2><table><tr><th>model</th><th>samples</th><th>ROC AUC</th><th>PR AUC</th><th>LogLoss</th><th>accuracy</th><th>ECE</th><th>train s</th><th>TensorFlow reference</th></tr>"
        for e in report.ranking {
            html +=
                "<tr><td>\(esc(e.model))</td><td>\(esc(e.samples))</td><td>\(f(e.metrics.rocAUC))</td><td>\(f(e.metrics.prAUC))</td><td>\(f(e.metrics.logLoss))</td><td>\(f(e.metrics.accuracy))</td><td>\(f(e.curves.expectedCalibrationError))</td><td>\(f(e.trainingSeconds, 2))</td><td>\(esc(e.reference ?? "–"))</td></tr>"
        }
        html += "</table>"
        for samples in Array(Set(report.ranking.map(\.samples))).sorted() {
            let entries = report.ranking.filter { $0.samples == samples }
            html += "<h3>Curves on \(esc(samples)) samples</h3>"
            html += lineChart(
                title: "ROC (\(samples))", series: entries.map { ($0.model, $0.curves.roc) },
                xLabel: "false-positive rate", yLabel: "true-positive rate", diagonal: true)
            html += lineChart(
                title: "Precision–recall (\(samples))", series: entries.map { ($0.model, $0.curves.pr) },
                xLabel: "recall", yLabel: "precision")
            html += lineChart(
                title: "Calibration (\(samples))",
                series: entries.map { ($0.model, $0.curves.calibration.map { [$0[0], $0[1]] }) }, xLabel: "predicted",
                yLabel: "observed", diagonal: true)
            let losses = entries.map { e in (e.model, e.history.map { [Double($0.epoch), $0.trainLoss] }) }
            let maxEpoch = Double(entries.map { $0.history.count }.max() ?? 1)
            let lossValues = losses.flatMap { $0.1.map { $0[1] } }
            html += lineChart(
                title: "Training loss per epoch (\(samples))", series: losses, xLabel: "epoch", yLabel: "log loss",
                xRange: 1...max(2, maxEpoch),
                yRange: (lossValues.min() ?? 0)
                    * 0.95...max((lossValues.max() ?? 1) * 1.05, (lossValues.min() ?? 0) + 0.01))
        }
        html +=
            "<h2>Top-K recommendation (\(esc(report.topKProtocol ?? "leave-last-out")), full ranking, seen excluded)</h2><table><tr><th>method</th><th>HR@10</th><th>NDCG@10</th><th>MRR</th><th>coverage</th><th>novelty</th><th>genre diversity</th><th>popularity pct</th><th>long tail</th><th>fit s</th><th>served vs this (users only served hits / only this hits, sign-test p)</th><th>reference</th></tr>"
        for e in report.topK {
            html +=
                "<tr><td>\(esc(e.method))</td><td>\(f(e.metrics.hitRate))</td><td>\(f(e.metrics.ndcg))</td><td>\(f(e.metrics.mrr))</td><td>\(f(e.metrics.coverage, 3))</td><td>\(f(e.metrics.novelty, 2))</td><td>\(e.metrics.diversity.map { f($0, 3) } ?? "–")</td><td>\(e.metrics.popularityPercentile.map { f($0, 3) } ?? "–")</td><td>\(e.metrics.longTailShare.map { f($0, 3) } ?? "–")</td><td>\(e.fitSeconds.map { f($0, 2) } ?? "–")</td><td>\(esc(e.versusServed?.line ?? "–"))</td><td>\(esc(e.reference ?? "–"))</td></tr>"
        }
        html += "</table>"
        var refs: [String: Double] = [:]
        for e in report.topK {
            if let r = e.reference, let hr = r.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
                refs[e.method] = hr
            }
        }
        html += barChart(
            title: "HR@10 by method (black tick: reference)", bars: report.topK.map { ($0.method, $0.metrics.hitRate) },
            reference: refs)
        if !report.embeddings.isEmpty {
            html += "<h2>Embeddings</h2><table><tr><th>method</th><th>HR@10</th><th>NDCG@10</th><th>genre kNN</th></tr>"
            for (m, v) in report.embeddings.sorted(by: { $0.key < $1.key }) {
                html +=
                    "<tr><td>\(esc(m))</td><td>\(f(v["hr10"] ?? .nan))</td><td>\(f(v["ndcg10"] ?? .nan))</td><td>\(f(v["genreKNN"] ?? .nan))</td></tr>"
            }
            html += "</table>"
        }
        if !report.embeddingMap.isEmpty {
            let xs = report.embeddingMap.map(\.x)
            let ys = report.embeddingMap.map(\.y)
            let (x0, x1, y0, y1) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
            let genres = Array(Set(report.embeddingMap.map(\.genre))).sorted()
            var svg =
                "<figure style=\"width:640px\"><svg viewBox=\"0 0 640 480\" role=\"img\" aria-label=\"movie embedding map\">"
            for p in report.embeddingMap {
                let cx = 20 + (p.x - x0) / max(1e-9, x1 - x0) * 500
                let cy = 20 + (p.y - y0) / max(1e-9, y1 - y0) * 440
                let color = palette[(genres.firstIndex(of: p.genre) ?? 0) % palette.count]
                svg += String(
                    format:
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%@\" fill-opacity=\"0.75\"><title>%@</title></circle>",
                    cx, cy, color, esc("\(p.title) (\(p.genre))"))
            }
            for (k, g) in genres.enumerated() {
                svg +=
                    "<text x=\"532\" y=\"\(24 + k * 14)\" font-size=\"11\" fill=\"\(palette[k % palette.count])\">\(esc(g))</text>"
            }
            html +=
                "<h2>Movie embedding map (item2vec, first two principal components, coloured by first genre)</h2>" + svg
                + "</svg></figure>"
        }
        if let x = report.experiments {
            html += "<h2>A/B test versus interleaving (replay simulation)</h2><p>\(esc(x.summary))</p>"
            html +=
                "<table><tr><th>design</th><th>users needed (median over \(x.repetitions) orders)</th><th>detected in</th></tr>"
            html +=
                "<tr><td>A/B (two-proportion z-test on CTR)</td><td>\(x.abUsersNeeded.map(String.init) ?? "not within \(x.maxUsers)")</td><td>\(x.abDetected)/\(x.repetitions)</td></tr>"
            html +=
                "<tr><td>team-draft interleaving (sign test on per-user preference)</td><td>\(x.interleavingUsersNeeded.map(String.init) ?? "not within \(x.maxUsers)")</td><td>\(x.interleavingDetected)/\(x.repetitions)</td></tr></table>"
        }
        if !report.timings.isEmpty {
            html +=
                "<h2>Timings</h2><table><tr><th>stage</th><th>seconds</th></tr>"
                + report.timings.sorted { $0.key < $1.key }.map {
                    "<tr><td>\(esc($0.key))</td><td>\(f($0.value, 2))</td></tr>"
                }.joined() + "</table>"
        }
        return html + "</body></html>\n"
    }
}
