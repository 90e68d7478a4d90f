import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowOffline
import SparrowServing
import SparrowStore

/// `sparrow retrain`: the next version of the served model from the data folder plus every event since, gated
/// against the version being served and promoted only if it is not worse.
struct RetrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrain",
        abstract:
            "Train the next version of the served model on ratings.csv + logged events; promote it if it is not worse.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Artifacts folder (its events.log is read in embedded mode; versions go to next-item-versions/).")
    var artifacts = "artifacts"
    @Option(help: "Read the events from this Redis's stream, and announce a promotion to its servers.") var redis:
        String?
    @Option(help: "The Redis Stream of events (Redis mode).") var stream = "sparrow:events"
    @Option(help: "Promote when the candidate's NDCG@10 is at least the served version's minus this.")
    var margin = 0.0
    @Option(help: "The fewest users with new feedback the gate decides on.") var minGateUsers = 20
    @Option(help: "Retrained versions kept on disk besides the promoted one (older ones are deleted).")
    var keepVersions = 3

    func run() async throws {
        // The movies added while serving are part of the catalogue the next version learns.
        var catalog = try MovieAdditions(artifacts: artifacts).applied(to: dataOptions.load())
        var options = Retraining.Options()
        options.margin = margin
        options.minimumGateUsers = minGateUsers
        guard keepVersions >= 1 else { throw CLIError("--keep-versions must be at least 1") }
        options.keepVersions = keepVersions
        let record: VersionRecord
        if let redis {
            let pool = try RedisConnectionPool(url: redis, size: 1)
            let (events, movies) = try await FleetEvents.contents(
                stream: RedisEventStream(connection: pool, stream: stream))
            // Movies added on any server of the fleet.
            for record in movies { catalog = try catalog.upserting(record.movie(in: catalog)).catalog }
            record = try Retraining.run(catalog: catalog, events: events, artifacts: artifacts, options: options) {
                print($0)
            }
            if record.promoted { try await FleetEvents.announce(record.version, on: pool) }
            await pool.close()
        } else {
            let events = FleetEvents.events(log: artifacts + "/events.log")
            record = try Retraining.run(catalog: catalog, events: events, artifacts: artifacts, options: options) {
                print($0)
            }
        }
        guard record.version > 0 else {
            print(record.reason)
            return
        }
        print(
            "version \(record.version): \(record.promoted ? "promoted" : "not promoted") — \(record.reason); "
                + "written to \(NextItemVersions(artifacts: artifacts).path(of: record.version))/version.json")
    }
}
