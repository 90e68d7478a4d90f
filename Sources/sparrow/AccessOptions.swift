import ArgumentParser
import Foundation
import SparrowCommandLine
import SparrowCore
import SparrowServer

/// `serve`'s keys, admin token and quotas.
struct AccessOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Keys file (see `sparrow keys add`): every endpoint but health, metrics and the contract then needs "
                + "Authorization: Bearer <key> with the endpoint's scope (read, write, admin).",
            discussion: "The file is re-read when it changes. Without it, reads and writes are open."))
    var apiKeys: String?
    @Option(help: "Bearer token that works as a key with every scope (admin routes are off without it or a keys file).")
    var adminToken: String?
    @Option(help: "A key of the keys file for the web UI's page to send (the page is served with it).")
    var webKey: String?
    @Option(help: "Requests a second per client (a key, or an address without keys); 0: unlimited.")
    var quotaRequests = Quotas.Limits.default.requestsPerSecond
    @Option(help: "Events a second per client; 0: unlimited.")
    var quotaEvents = Quotas.Limits.default.eventsPerSecond

    /// The policy, after checking the options; `warn` gets a line for each thing left open.
    func accessControl(warn: (String) -> Void) throws -> AccessControl {
        guard quotaRequests >= 0, quotaEvents >= 0, quotaRequests.isFinite, quotaEvents.isFinite else {
            throw ValidationError("--quota-requests and --quota-events must be 0 (unlimited) or positive")
        }
        let keys: APIKeyStore?
        do {
            keys = try apiKeys.map(APIKeyStore.init(path:))
        } catch let error as DataError {
            throw CLIError("\(error)")
        }
        if let webKey {
            guard let keys else {
                throw ValidationError("--web-key needs --api-keys (without keys the page needs none)")
            }
            guard let principal = keys.principal(for: webKey) else {
                throw ValidationError("--web-key is not a key of \(keys.path)")
            }
            warn(
                "the web UI's page carries the key '\(principal.name)' (scopes: "
                    + "\(principal.scopes.sorted().map(\.rawValue).joined(separator: ", "))): anyone who loads the page can use it"
            )
        }
        if keys == nil {
            warn(
                "no --api-keys: reads and writes are open to anyone who reaches the port "
                    + "(see README, Security)")
        } else if keys?.count == 0 {
            warn("the keys file has no keys: only the admin token (if any) is accepted")
        }
        if quotaRequests == 0 || quotaEvents == 0 {
            warn("quotas are off for " + (quotaRequests == 0 ? "requests" : "events"))
        }
        return AccessControl(
            keys: keys, adminToken: adminToken, webKey: webKey,
            quotas: Quotas(.init(requestsPerSecond: quotaRequests, eventsPerSecond: quotaEvents, burstSeconds: 2)))
    }
}
