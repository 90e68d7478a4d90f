import Foundation
import SparrowStore

extension RedisNearLine {
    /// This server's checkpoint files' base name.
    var checkpointBase: String { "checkpoint-redis-\(options.name)" }

    /// Restores this server's newest checkpoint — built on the same ratings and artifacts, for the same stream, at an
    /// entry the stream still holds (a deleted or recreated stream would otherwise skip events) — and sets the
    /// position the catch-up reads from. Returns what it did, nil without checkpoints.
    func restoreCheckpoint() async -> String? {
        guard let directory = options.checkpoints else { return nil }
        AtomicFile.removeTemporaries(of: checkpointBase + ".json", in: directory)
        let stream = options.stream
        let (found, refused) = Checkpoint.read(
            from: directory, base: checkpointBase, fingerprint: recommender.stateFingerprint
        ) { header in header.stream == stream && header.streamId != nil ? nil : "made for another stream" }
        let why = refused.isEmpty ? "" : " (refused: \(refused.joined(separator: "; ")))"
        guard let found, let id = found.header.streamId else {
            return "redis: no usable checkpoint; the whole stream is read" + why
        }
        do {
            guard try await self.stream.contains(id: id) else {
                return "redis: the stream no longer holds entry \(id) of the checkpoint; the whole stream is read" + why
            }
        } catch {
            return "redis: unreachable, the checkpoint is not used; the stream is read when it returns" + why
        }
        guard recommender.restore(found.state) else {
            return "redis: the checkpoint knows movies this catalogue lacks; the whole stream is read" + why
        }
        state.withLock { $0.lastId = id }
        return "redis: restored the checkpoint at stream entry \(id); reading the stream after it" + why
    }

    /// Writes a checkpoint of the live state unless nothing was consumed since the last one. The last consumed entry
    /// is read first, the state second: the state then includes at least every entry up to it (events applied
    /// beyond it — this server's own, or a batch in progress — are read again after a restart and skipped by id).
    /// Returns whether it wrote.
    @discardableResult
    public func checkpoint() throws -> Bool {
        guard let directory = options.checkpoints else { return false }
        return try checkpointWrites.withLock { _ in
            let id = state.withLock { $0.lastId }
            guard id != "0-0", id != lastCheckpointId.withLock({ $0 }) else { return false }
            let live = recommender.checkpointSnapshot()
            let (fingerprint, stream) = (recommender.stateFingerprint, options.stream)
            try Checkpoint.write(to: directory, base: checkpointBase) { bytes, checksum in
                Checkpoint.Header(
                    logEnd: 0, fingerprint: fingerprint, logMark: "", bytes: bytes, checksum: checksum,
                    stream: stream, streamId: id)
            } payload: { sink in
                try live.state.writePayload(keys: live.keys, to: sink)
            }
            lastCheckpointId.withLock { $0 = id }
            if options.retention != nil { Task { await retireCovered(in: directory) } }
            return true
        }
    }

    /// Records the oldest entry this server's kept checkpoints start after, then moves every entry all servers'
    /// checkpoints cover to the archive (`Options.retention`). One pass at a time; a failure is logged and the next
    /// checkpoint tries again.
    func retireCovered(in directory: String) async {
        guard let retention = options.retention else { return }
        let claimed = retiring.withLock { busy -> Bool in
            if busy { return false }
            busy = true
            return true
        }
        guard claimed else { return }
        defer { retiring.withLock { $0 = false } }
        var ids: [String] = []
        for name in Checkpoint.names(checkpointBase)
        where FileManager.default.fileExists(atPath: directory + "/" + name) {
            // An unreadable one might be the fallback a restart needs: keep everything.
            guard let header = Checkpoint.header(at: directory + "/" + name), header.stream == options.stream,
                let id = header.streamId
            else { return }
            ids.append(id)
        }
        guard let mine = ids.min(by: RedisEventStream.precedes) else { return }
        do {
            try await stream.recordCovered(server: options.name, id: mine)
            guard let covered = try await stream.covered() else { return }
            let removed = try await stream.retire(before: covered, compact: retention == .compact)
            if removed > 0 {
                let archive = stream.archive.stream
                log("redis: \(removed) stream entries before \(covered) moved to \(archive) (\(retention))")
            }
        } catch {
            log("redis: stream retention failed (\(error)); the next checkpoint retries")
        }
    }

    /// Checkpoints every `interval` on a thread of its own until `shutdown` (which writes a last one).
    public func checkpointEvery(_ interval: Duration) {
        let loop = BackgroundLoop(name: "sparrow-checkpoint", every: interval, niceness: 0) { [weak self] in
            try self?.checkpoint()
        }
        loop.start()
        checkpointLoop.withLock { $0 = loop }
    }
}
