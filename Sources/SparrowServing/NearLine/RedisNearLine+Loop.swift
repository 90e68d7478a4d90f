import Foundation
import SparrowStore

extension RedisNearLine {
    /// Reads the group, flushes the outbox, re-syncs after an outage — until cancelled.
    func run() async {
        var backoff = 0.05
        while !Task.isCancelled {
            do {
                if !state.withLock({ $0.caughtUp }) { try await catchUp() }
                try await flushOutbox()
                let entries = try await groupStream.read(
                    group: group, consumer: options.name, count: 2000, blockMilliseconds: options.blockMilliseconds)
                try await consume(entries, acknowledge: true)
                backoff = 0.05
            } catch {
                if Task.isCancelled { return }
                markDown(error)
                try? await Task.sleep(nanoseconds: UInt64(backoff * 1e9))
                backoff = min(backoff * 2, 2)
            }
        }
    }

    /// Folds in every entry after the last one seen (the whole kept history — archive and stream — at start-up without
    /// a checkpoint), places the group after it and
    /// re-reads what this consumer had read but not acknowledged before a crash.
    func catchUp() async throws {
        var last = state.withLock { $0.lastId }
        var replayed = 0
        while true {
            let entries = try await stream.history(after: last, count: 5000)
            guard let end = entries.last else { break }
            try await consume(entries, acknowledge: false)
            last = end.id
            replayed += entries.count
        }
        try await stream.placeGroup(group, after: last)
        while true {
            let pending = try await groupStream.read(group: group, consumer: options.name, count: 1000, pending: true)
            if pending.isEmpty { break }
            try await consume(pending, acknowledge: true)
        }
        let wasUp = state.withLock { s -> Bool in
            defer {
                s.redisUp = true
                s.caughtUp = true
                s.lastError = nil
            }
            return s.redisUp
        }
        log("redis: caught up with \(options.stream) (\(replayed) entries replayed)" + (wasUp ? "" : ", connected"))
    }

    /// Applies entries (each event once), writes the changed users' features to Redis, acknowledges.
    func consume(_ entries: [RedisEventStream.Entry], acknowledge: Bool) async throws {
        guard let last = entries.last else { return }
        var events: [EventLog.Event] = []
        var lastEntry: [Int32: String] = [:]
        var malformed = 0
        for entry in entries {
            // A catalogue entry is applied at once: events after it in the stream may rate the movie.
            if let movie = ExchangeRecords.Movie(streamFields: entry.fields) {
                if !apply(movie: movie) { malformed += 1 }
                continue
            }
            guard let event = EventLog.Event(streamFields: entry.fields) else {
                malformed += 1
                log("redis: skipped stream entry \(entry.id): not an event \(entry.fields)")
                continue
            }
            events.append(event)
            lastEntry[event.userId] = entry.id
        }
        let result = recommender.apply(events)
        let records = result.users.compactMap { user -> RedisFeatureStore.UserRecord? in
            guard let record = recommender.featureRecord(userId: user), let id = lastEntry[user] else { return nil }
            return RedisFeatureStore.UserRecord(userId: user, fields: record.fields, vector: record.vector, eventId: id)
        }
        let ack = acknowledge ? [["XACK", options.stream, group] + entries.map(\.id)] : []
        try await store.putUserRecords(records, ttl: options.ttl, along: ack)
        state.withLock {
            $0.lastId = last.id
            $0.counters.consumed += entries.count
            $0.counters.duplicates += result.duplicates
            $0.counters.malformed += malformed
        }
    }

    /// Moves events buffered during an outage into the stream, oldest first; empties the outbox once all are there.
    /// A crash between the two leaves them to be published again: their ids make the second copy a no-op.
    func flushOutbox() async throws {
        let size = outbox.size()
        guard size > 0 else { return }
        let offset = state.withLock { $0.outboxRead }
        let (events, end) = EventLog.read(path: outbox.path, from: offset)
        if !events.isEmpty {
            for start in stride(from: 0, to: events.count, by: 1000) {
                _ = try await stream.publish(events[start..<min(events.count, start + 1000)].map(\.streamFields))
            }
        }
        state.withLock {
            $0.outboxRead = end
            $0.counters.flushed += events.count
        }
        let emptied = outbox.truncate(ifSize: end) { state.withLock { $0.outboxRead = 0 } }
        if emptied { log("redis: \(state.withLock { $0.counters.flushed }) buffered events now in the stream") }
    }
}
