// swift-tools-version: 6.0
import PackageDescription

/// Sparrow: a complete deep-learning movie recommender in one Swift package.
///
/// Modules follow the data flow; nothing reaches back up it:
/// `SparrowCore` → `SparrowFeatures` → `SparrowTensor` → `SparrowEmbedding` / `SparrowModels`
/// → `SparrowEval` → `SparrowStore` → `SparrowServing` (the online engine) → `SparrowServer` (HTTP) → `sparrow` (the CLI).
/// Offline work (artifact build, retraining, the served-path evaluation, import/export) is `SparrowOffline`, beside the
/// engine; the benchmarks are their own executable, `sparrow-bench`.
let package = Package(
    name: "Sparrow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sparrow", targets: ["sparrow"]),
        .executable(name: "sparrow-bench", targets: ["sparrow-bench"]),
        .library(name: "SparrowCore", targets: ["SparrowCore"]),
        .library(name: "SparrowFeatures", targets: ["SparrowFeatures"]),
        .library(name: "SparrowTensor", targets: ["SparrowTensor"]),
        .library(name: "SparrowModels", targets: ["SparrowModels"]),
        .library(name: "SparrowEmbedding", targets: ["SparrowEmbedding"]),
        .library(name: "SparrowEval", targets: ["SparrowEval"]),
        .library(name: "SparrowStore", targets: ["SparrowStore"]),
        .library(name: "SparrowServing", targets: ["SparrowServing"]),
        .library(name: "SparrowServer", targets: ["SparrowServer"]),
        .library(name: "SparrowOffline", targets: ["SparrowOffline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "SparrowCore",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(name: "SparrowFeatures", dependencies: ["SparrowCore"]),
        // The compute kernels: C with runtime CPU dispatch (AVX-512 / AVX2+FMA / portable), always optimised so
        // that debug builds (what `swift test` builds) train at a usable speed.
        .target(name: "CSparrowKernels", cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"])]),
        .target(
            name: "SparrowTensor",
            dependencies: ["CSparrowKernels"],
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .target(
            name: "SparrowModels",
            dependencies: ["SparrowCore", "SparrowFeatures", "SparrowTensor", "CSparrowKernels"],
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .target(
            name: "SparrowEval",
            dependencies: ["SparrowCore", "SparrowModels", "SparrowEmbedding"],
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .target(
            name: "SparrowStore",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The online engine: the serving snapshot, the live store, the stages (recall, ranking, re-ranking), event
        // application, the near-line and the model lifecycle. No HTTP, no training.
        .target(
            name: "SparrowServing",
            dependencies: [
                "SparrowCore", "SparrowFeatures", "SparrowTensor", "SparrowModels", "SparrowEmbedding",
                "SparrowStore", "CSparrowKernels", .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The offline pipeline beside the engine: the artifact build, retraining and its gate, the served-path
        // evaluation, import and export.
        .target(
            name: "SparrowOffline",
            dependencies: [
                "SparrowCore", "SparrowFeatures", "SparrowModels", "SparrowEmbedding", "SparrowEval", "SparrowStore",
                "SparrowServing",
            ]
        ),
        // The HTTP side only: app, routes, middleware, engine errors mapped to status codes.
        .target(
            name: "SparrowServer",
            dependencies: [
                "SparrowServing", "SparrowCore",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "SparrowEmbedding",
            dependencies: ["SparrowCore", "CSparrowKernels"],
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        // What the commands share: `--data`, one-sentence errors, sample files.
        .target(
            name: "SparrowCommandLine",
            dependencies: [
                "CSparrowKernels", "SparrowCore", "SparrowEmbedding", "SparrowFeatures", "SparrowModels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `sparrow-bench …`: every benchmark command and the real-server fleet they drive (a binary of its own).
        .executableTarget(
            name: "sparrow-bench",
            dependencies: [
                "SparrowCommandLine", "SparrowCore", "SparrowEmbedding", "SparrowEval", "SparrowFeatures",
                "SparrowModels", "SparrowOffline", "SparrowServer", "SparrowServing", "SparrowStore", "SparrowTensor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "sparrow",
            dependencies: [
                "SparrowCommandLine", "SparrowCore", "SparrowEmbedding", "SparrowEval", "SparrowFeatures",
                "SparrowModels", "SparrowOffline", "SparrowServer", "SparrowServing", "SparrowStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SparrowCoreTests",
            dependencies: ["SparrowCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(name: "SparrowFeaturesTests", dependencies: ["SparrowCore", "SparrowFeatures"]),
        .testTarget(name: "SparrowTensorTests", dependencies: ["SparrowTensor", "SparrowTestSupport"]),
        .testTarget(
            name: "SparrowModelsTests",
            dependencies: ["SparrowCore", "SparrowFeatures", "SparrowModels", "SparrowTensor", "SparrowTestSupport"]
        ),
        .testTarget(name: "SparrowEmbeddingTests", dependencies: ["SparrowCore", "SparrowEmbedding"]),
        .testTarget(
            name: "SparrowEvalTests", dependencies: ["SparrowCore", "SparrowEmbedding", "SparrowEval", "SparrowModels"]
        ),
        // Helpers shared by the test targets: a real redis-server, gradient expectations.
        .target(
            name: "SparrowTestSupport",
            dependencies: ["SparrowCore", "SparrowOffline", "SparrowServing", "SparrowTensor"],
            path: "Tests/SparrowTestSupport"
        ),
        .testTarget(
            name: "SparrowStoreTests",
            dependencies: ["SparrowStore", "SparrowTestSupport", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "SparrowCommandLineTests",
            dependencies: [
                "SparrowCommandLine", "SparrowEmbedding", "SparrowModels", "SparrowOffline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SparrowServingTests",
            dependencies: [
                "CSparrowKernels", "SparrowCore", "SparrowEmbedding", "SparrowFeatures", "SparrowModels",
                "SparrowOffline", "SparrowServing", "SparrowStore", "SparrowTestSupport",
            ]
        ),
        .testTarget(
            name: "SparrowServerTests",
            dependencies: [
                "SparrowCore", "SparrowModels", "SparrowOffline", "SparrowServer", "SparrowServing", "SparrowStore",
                "SparrowTensor", "SparrowTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
