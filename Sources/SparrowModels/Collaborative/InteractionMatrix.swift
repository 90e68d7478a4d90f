/// A binary user × item matrix (implicit feedback) in both row (user) and column (item) compressed form.
public struct InteractionMatrix: Sendable {
    /// Number of users (rows).
    public let users: Int
    /// Number of items (columns).
    public let items: Int
    /// `userItems[userStart[u]..<userStart[u+1]]`: user u's items, sorted.
    public let userStart: [Int]
    /// Items per user.
    public let userItems: [Int32]
    /// `itemUsers[itemStart[i]..<itemStart[i+1]]`: item i's users, sorted.
    public let itemStart: [Int]
    /// Users per item.
    public let itemUsers: [Int32]

    /// Builds the matrix from each user's item list (duplicates are merged).
    public init(users: Int, items: Int, interactions: [(user: Int, items: [Int32])]) {
        var rows = [[Int32]](repeating: [], count: users)
        for (u, list) in interactions { rows[u] = Array(Set(list)).sorted() }
        var userStart = [0]
        var userItems: [Int32] = []
        var columns = [[Int32]](repeating: [], count: items)
        for u in 0..<users {
            userItems += rows[u]
            userStart.append(userItems.count)
            for i in rows[u] { columns[Int(i)].append(Int32(u)) }
        }
        var itemStart = [0]
        var itemUsers: [Int32] = []
        for i in 0..<items {
            itemUsers += columns[i]
            itemStart.append(itemUsers.count)
        }
        self.users = users
        self.items = items
        self.userStart = userStart
        self.userItems = userItems
        self.itemStart = itemStart
        self.itemUsers = itemUsers
    }

    /// Number of stored interactions.
    public var count: Int { userItems.count }

    /// User u's items.
    public func items(of u: Int) -> ArraySlice<Int32> { userItems[userStart[u]..<userStart[u + 1]] }

    /// Item i's users.
    public func users(of i: Int) -> ArraySlice<Int32> { itemUsers[itemStart[i]..<itemStart[i + 1]] }

    /// The transposed matrix (items as rows).
    public var transposed: InteractionMatrix {
        InteractionMatrix(users: items, items: users, interactions: (0..<items).map { ($0, Array(users(of: $0))) })
    }
}

/// Latent factors of users and items; a user's score for an item is their dot product (plus an item bias).
public struct FactorModel: Sendable {
    /// Factor width.
    public let factors: Int
    /// users × factors.
    public var userFactors: [Float]
    /// items × factors.
    public var itemFactors: [Float]
    /// Item biases (zeros when the model has none).
    public var itemBias: [Float]

    /// Scores of every item for user `u`.
    public func scores(user u: Int) -> [Float] {
        let k = factors
        let items = itemFactors.count / k
        var out = itemBias.isEmpty ? [Float](repeating: 0, count: items) : itemBias
        userFactors.withUnsafeBufferPointer { uf in
            itemFactors.withUnsafeBufferPointer { itf in
                let x = uf.baseAddress! + u * k
                for i in 0..<items {
                    var s: Float = 0
                    let y = itf.baseAddress! + i * k
                    for f in 0..<k { s += x[f] * y[f] }
                    out[i] += s
                }
            }
        }
        return out
    }
}
