import Testing

@testable import SparrowCore

@Suite("Movie titles")
struct MovieTitleTests {
    @Test(
        "titles and years",
        arguments: [
            ("Toy Story (1995)", "Toy Story", Int?(1995), true),
            (
                "From Dusk Till Dawn 2: Texas Blood Money (1999) ", "From Dusk Till Dawn 2: Texas Blood Money", 1999,
                true
            ),
            ("Babylon 5", "Babylon 5", nil, false),
            ("Black Mirror", "Black Mirror", nil, false),
            ("Death Note: Desu nôto (2006–2007)", "Death Note: Desu nôto", 2006, false),
            ("Assembly (Ji jie hao) (2007) ", "Assembly (Ji jie hao)", 2007, true),
            ("Mirror (Zerkalo) (1975)", "Mirror (Zerkalo)", 1975, true),
            ("Short (12)", "Short (12)", nil, false),
            ("(2000)", "(2000)", 2000, true),
        ])
    func parse(raw: String, name: String, year: Int?, plain: Bool) {
        let title = MovieTitle(parsing: raw)
        #expect(title.name == name)
        #expect(title.year == year)
        #expect(title.hasPlainYear == plain)
    }
}
