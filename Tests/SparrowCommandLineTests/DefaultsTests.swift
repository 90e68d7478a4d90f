import ArgumentParser
import SparrowCommandLine
import SparrowEmbedding
import SparrowModels
import SparrowOffline
import Testing

/// The commands' defaults are the pipeline's: `sparrow embed` trains the served embeddings' settings and
/// `sparrow train ease|ranker` the served EASE weight unless told otherwise.
@Suite("Command-line defaults")
struct DefaultsTests {
    @Test("sparrow embed's skip-gram defaults equal the artifact build's")
    func embedDefaults() throws {
        let options = try SkipGramOptions.parse([])
        #expect(options.config == ArtifactBuilder(root: "artifacts").embedding)
        #expect(options.config == SkipGramConfig.serving)
        #expect(options.config.dimension == 32 && options.config.window == 20 && options.config.epochs == 20)
        let given = try SkipGramOptions.parse(["--dim", "8", "--epochs", "3", "--seed", "9"]).config
        #expect(given.dimension == 8 && given.epochs == 3 && given.seed == 9 && given.window == 20)
    }

    @Test("sparrow train's EASE λ equals the served next-item signal's")
    func easeDefaults() throws {
        #expect(try EASEOptions.parse([]).lambda == NextItemSignals.Config().lambda)
        #expect(EASE.defaultLambda == NextItemSignals.Config().lambda)
        #expect(try EASEOptions.parse(["--lambda", "250"]).lambda == 250)
    }
}
