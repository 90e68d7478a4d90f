import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowFeatures
import SparrowModels
import SparrowTensor

extension BenchCommand {
    /// `sparrow-bench gemm`: the matrix-multiply kernel at the models' shapes and at a large shape.
    struct Gemm: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "GFLOP/s of the matrix-multiply kernel (one thread).")
        @Option(help: "Append the results to this file.") var out: String?
        @Option(help: "Cap the instruction set: 2 AVX-512, 1 AVX2, 0 portable.") var level = 2

        func run() throws {
            Kernels.limitLevel(level)
            var lines = ["bench gemm (\(Kernels.level), one thread)"]
            let shapes: [(String, Bool, Bool, Int, Int, Int)] = [
                ("forward  x·W     batch 12, 107→128", false, false, 12, 128, 107),
                ("forward  x·W     batch 12, 128→128", false, false, 12, 128, 128),
                ("backward dY·Wᵀ   batch 12, 128→128", false, true, 12, 128, 128),
                ("backward Xᵀ·dY   batch 12, 107×128", true, false, 107, 128, 12),
                ("forward  x·W     batch 256, 107→128", false, false, 256, 128, 107),
                ("forward  x·W     batch 256, 128→128", false, false, 256, 128, 128),
                ("backward dY·Wᵀ   batch 256, 128→128", false, true, 256, 128, 128),
                ("backward Xᵀ·dY   batch 256, 128×128", true, false, 128, 128, 256),
                ("peak             512×512×512", false, false, 512, 512, 512),
                ("softmax logits   H·Tᵀ 512×9742, d 64", false, true, 512, 9742, 64),
                ("softmax dH       G·T  512×64, V 9742", false, false, 512, 64, 9742),
                ("softmax dT       Gᵀ·H 9742×64, n 512", true, false, 9742, 64, 512),
                // The fused table softmax's three products on one chunk of 64 rows (the table pre-transposed).
                ("chunk logits     H·T  64×9742, d 64", false, false, 64, 9742, 64),
                ("chunk dH         Z·T  64×64, V 9742", false, false, 64, 64, 9742),
                ("chunk dT         Hᵀ·Z 64×9742, n 64", true, false, 64, 9742, 64),
            ]
            for (name, ta, tb, m, n, k) in shapes {
                let gflops = GemmBench.measure(transposeA: ta, transposeB: tb, m: m, n: n, k: k)
                lines.append(String(format: "  %@  %7.1f GFLOP/s", name, gflops))
            }
            let text = lines.joined(separator: "\n")
            print(text)
            try appendResult(out, text)
        }
    }

    /// `sparrow-bench train`: training throughput of a model at two batch sizes.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Training speed of a model (samples/s, dense GFLOP/s).")
        @Option(help: "Folder with the sample files.") var samples = "artifacts/samples"
        @Option(help: "Model.") var model = "embedding-mlp"
        @Option(help: "Batch sizes to measure.") var batches = "12,256"
        @Option(help: "Epochs per measurement.") var epochs = 1
        @Option(help: "Append the results to this file.") var out: String?

        func run() throws {
            guard let kind = ModelKind(name: model) else { throw CLIError("unknown model '\(model)'") }
            let (train, _) = try SampleSet.load(samples)
            let spec = FeatureSpec(fitting: train)
            let encoded = EncodedSamples(train, spec: spec)
            let peak = max(
                GemmBench.measure(transposeA: false, transposeB: false, m: 512, n: 512, k: 512),
                GemmBench.measure(transposeA: false, transposeB: false, m: 256, n: 128, k: 128))
            var lines = ["bench train \(kind.rawValue) on \(samples) (\(train.count) samples, kernel \(Kernels.level))"]
            for batch in batches.split(separator: ",").compactMap({ Int($0) }) {
                let net = kind.make(spec: spec, config: ModelConfig())
                var config = TrainingConfig()
                config.batchSize = batch
                config.epochs = epochs
                let start = ProcessStats.now()
                _ = Trainer(config: config, log: { _ in }).fit(net, train: encoded)
                let seconds = ProcessStats.now() - start
                let rate = Double(train.count * epochs) / seconds
                // Dense FLOPs per sample: forward 2·in·out, backward 2·in·out for dW and (but for the first layer)
                // 2·in·out for dX.
                let dense = net.parameters.filter { $0.name.hasSuffix(".weight") }
                let flops = dense.enumerated().reduce(0.0) { acc, item in
                    let size = Double(item.element.rows * item.element.cols)
                    return acc + size * (item.offset == 0 ? 4 : 6)
                }
                let gflops = rate * flops / 1e9
                lines.append(
                    String(
                        format:
                            "  batch %4d: %9.0f samples/s, %.2f s/epoch, dense layers %.1f GFLOP/s = %.0f%% of the kernel's %.0f GFLOP/s peak",
                        batch, rate, seconds / Double(epochs), gflops, 100 * gflops / peak, peak))
            }
            let text = lines.joined(separator: "\n")
            print(text)
            try appendResult(out, text)
        }
    }
}

/// Times the kernel on one shape.
enum GemmBench {
    static func measure(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int) -> Double {
        var rng = SeededGeneratorLite(seed: 1)
        let a = (0..<(m * k)).map { _ in rng.unit() - 0.5 }
        let b = (0..<(k * n)).map { _ in rng.unit() - 0.5 }
        var c = [Float](repeating: 0, count: m * n)
        let flops = 2.0 * Double(m * n * k)
        let iterations = max(3, Int(2e9 / flops))
        var best = Double.infinity
        for _ in 0..<5 {
            let start = ProcessStats.now()
            for _ in 0..<(iterations / 5 + 1) {
                Kernels.gemm(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1, a: a,
                    lda: transposeA ? m : k, b: b, ldb: transposeB ? k : n, beta: 0, c: &c, ldc: n)
            }
            best = min(best, (ProcessStats.now() - start) / Double(iterations / 5 + 1))
        }
        return flops / best / 1e9
    }
}
