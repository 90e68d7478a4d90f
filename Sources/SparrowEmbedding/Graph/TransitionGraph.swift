import SparrowCore

/// The weighted directed item graph of consecutive pairs (a → b) in the item sequences, with alias tables for O(1)
/// weighted steps (the original samples by walking a hash map's cumulative sum, and its step sampling was wrong).
public struct TransitionGraph: Sendable {
    /// Node ids (movie ids), in node order.
    public let nodes: [Int32]
    /// CSR offsets: the out-edges of node i are `targets[offsets[i]..<offsets[i+1]]`.
    public let offsets: [Int]
    /// Target node of each edge, sorted within a node.
    public let targets: [Int32]
    /// Pair count of each edge.
    public let weights: [Double]
    let alias: [AliasTable?]
    /// Start distribution: each node's total out-weight (as the original's `itemDistribution`).
    let start: AliasTable?

    /// Builds the graph of `sequences`.
    public init(sequences: [[Int32]]) {
        var counts: [Int32: [Int32: Int]] = [:]
        var nodeSet = Set<Int32>()
        for s in sequences {
            for id in s { nodeSet.insert(id) }
            for (a, b) in zip(s, s.dropFirst()) where a != b { counts[a, default: [:]][b, default: 0] += 1 }
        }
        let nodes = nodeSet.sorted()
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, Int32($0)) })
        var offsets = [0]
        var targets: [Int32] = []
        var weights: [Double] = []
        var alias: [AliasTable?] = []
        var outWeight: [Double] = []
        for id in nodes {
            let edges = (counts[id] ?? [:]).map { (index[$0.key]!, Double($0.value)) }.sorted { $0.0 < $1.0 }
            targets += edges.map(\.0)
            weights += edges.map(\.1)
            offsets.append(targets.count)
            alias.append(edges.isEmpty ? nil : AliasTable(weights: edges.map(\.1)))
            outWeight.append(edges.reduce(0) { $0 + $1.1 })
        }
        self.nodes = nodes
        self.offsets = offsets
        self.targets = targets
        self.weights = weights
        self.alias = alias
        start = outWeight.contains { $0 > 0 } ? AliasTable(weights: outWeight) : nil
    }

    /// Number of edges.
    public var edgeCount: Int { targets.count }

    /// True when the edge a → b exists (binary search in a's sorted targets).
    public func hasEdge(_ a: Int32, _ b: Int32) -> Bool {
        var lo = offsets[Int(a)]
        var hi = offsets[Int(a) + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if targets[mid] < b { lo = mid + 1 } else { hi = mid }
        }
        return lo < offsets[Int(a) + 1] && targets[lo] == b
    }

    /// A weighted random out-neighbour of `node`, or nil for a node without out-edges.
    public func step(from node: Int32, _ rng: inout SeededGenerator) -> Int32? {
        guard let table = alias[Int(node)] else { return nil }
        return targets[offsets[Int(node)] + table.sample(&rng)]
    }

    /// DeepWalk-style walks as the original: start node drawn by out-weight, then weighted steps, stopping early at
    /// a node without out-edges. Returns walks of movie ids.
    public func deepWalks(count: Int, length: Int, seed: UInt64) -> [[Int32]] {
        guard let start else { return [] }
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            var node = Int32(start.sample(&rng))
            var walk = [nodes[Int(node)]]
            while walk.count < length, let next = step(from: node, &rng) {
                node = next
                walk.append(nodes[Int(node)])
            }
            return walk
        }
    }

    /// Node2vec second-order walks with return parameter `p` and in-out parameter `q` on the weighted graph: from
    /// (t → v), the next node x is weighted w(v,x)·α with α = 1/p if x = t, 1 if t → x exists, 1/q otherwise — drawn
    /// by rejection from v's first-order alias table, so no per-edge tables are needed.
    public func node2vecWalks(count: Int, length: Int, p: Double, q: Double, seed: UInt64) -> [[Int32]] {
        guard let start else { return [] }
        var rng = SeededGenerator(seed: seed)
        let maxAlpha = max(1 / p, 1, 1 / q)
        return (0..<count).map { _ in
            var previous = Int32(start.sample(&rng))
            var walk = [nodes[Int(previous)]]
            guard var current = step(from: previous, &rng) else { return walk }
            walk.append(nodes[Int(current)])
            while walk.count < length {
                var next: Int32?
                for _ in 0..<64 {  // expected tries ≤ maxAlpha / min alpha; 64 is a safe cap
                    guard let x = step(from: current, &rng) else { break }
                    let alpha = x == previous ? 1 / p : hasEdge(previous, x) ? 1 : 1 / q
                    if rng.nextUnit() * maxAlpha < alpha {
                        next = x
                        break
                    }
                }
                guard let chosen = next else { break }
                previous = current
                current = chosen
                walk.append(nodes[Int(current)])
            }
            return walk
        }
    }
}
