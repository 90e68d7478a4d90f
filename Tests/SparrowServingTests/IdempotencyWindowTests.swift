import Testing

@testable import SparrowServing

@Suite("Idempotency window")
struct IdempotencyWindowTests {
    @Test("a key is a duplicate while it is among the last N; then it is forgotten, oldest first")
    func window() {
        var w = IdempotencyWindow(capacity: 3)
        let first = ["a", "b", "c"].map { w.insert($0) }
        #expect(first == [true, true, true])
        let again = w.insert("a")
        #expect(!again, "still remembered")
        let fourth = w.insert("d")
        #expect(fourth, "a fourth key")
        #expect(!w.contains("a") && w.contains("b") && w.count == 3, "the oldest went first")
        let forgotten = w.insert("a")
        #expect(forgotten, "a forgotten key is new again")
        w.resize(1)
        #expect(w.count == 1 && w.contains("a") && !w.contains("d"))
        for k in 0..<10_000 { _ = w.insert("k\(k)") }
        #expect(w.count == 1 && w.contains("k9999"))
    }
}
