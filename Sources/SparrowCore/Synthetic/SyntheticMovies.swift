/// The movie side of a synthetic dataset: ids, titles, years, genres, popularity and hidden quality.
struct SyntheticMovies {
    var ids: [Int32] = []
    var titles: [String] = []
    var genres: [[Int]] = []
    var quality: [Double] = []
    var popularity: [Double] = []
    var moviesByGenre: [[Int]] = Array(repeating: [], count: SyntheticDataset.genreNames.count)

    static let adjectives = [
        "Silent", "Last", "Red", "Broken", "Hidden", "Golden", "Lost", "Dark", "Wild", "Secret", "Electric", "Frozen",
        "Crimson", "Little", "Endless", "Burning", "Quiet", "Savage", "Velvet", "Iron",
    ]
    static let nouns = [
        "River", "Kingdom", "Summer", "Heart", "City", "Garden", "Storm", "Mirror", "Road", "Island", "Dream", "Empire",
        "Night", "Station", "Promise", "Horizon", "Machine", "Letter", "Forest", "Signal",
    ]
    static let accented = ["Amélie", "Señor", "Café", "Noël", "Über", "Crème", "Mañana", "Åsa"]

    init(count: Int, rng: inout SeededGenerator) {
        // Genre base rates roughly as in MovieLens (Drama and Comedy common, Film-Noir rare).
        let genreWeights = (0..<SyntheticDataset.genreNames.count).map { 1.0 / Double($0 + 2) }
        let genreTable = AliasTable(weights: genreWeights)
        // Popularity: a random permutation of Zipf ranks.
        var ranks = Array(1...count)
        ranks.shuffle(using: &rng)
        var nextId: Int32 = 1
        for i in 0..<count {
            ids.append(nextId)
            nextId += 1 + Int32(rng.nextInt(below: 4) == 0 ? rng.nextInt(below: 3) : 0)
            let a = Self.adjectives[rng.nextInt(below: Self.adjectives.count)]
            let n = Self.nouns[rng.nextInt(below: Self.nouns.count)]
            var name = "\(a) \(n)"
            switch i % 23 {
            case 3: name = "\(n), The"  // quoted in the file because of the comma
            case 7: name = "\(Self.accented[rng.nextInt(below: Self.accented.count)]) and the \(n)"
            case 11: name = "\"\(a)\" \(n)"  // embedded quotes, escaped as "" in the file
            default: name += i >= 400 ? " \(i / 400 + 1)" : ""
            }
            let year = 1930 + Int((rng.nextUnit().squareRoot()) * 89)
            if i % 97 == 5 {
                titles.append(name)  // no year at all
            } else if i % 131 == 9 {
                titles.append("\(name) (\(year)) ")  // year followed by a space
            } else {
                titles.append("\(name) (\(year))")
            }
            var g: [Int] = []
            if i % 211 != 17 {
                let k = 1 + rng.nextInt(below: 3)
                while g.count < k {
                    let x = genreTable.sample(&rng)
                    if !g.contains(x) { g.append(x) }
                }
            }
            genres.append(g)
            for x in g { moviesByGenre[x].append(i) }
            quality.append(rng.nextGaussian() * 0.45)
            popularity.append(1.0 / Double(ranks[i]))
        }
    }

    func writeMovies(to path: String) throws(DataError) {
        var out = try BufferedFile(path: path)
        try out.write("movieId,title,genres\n")
        for i in 0..<ids.count {
            out.write(int: Int64(ids[i]))
            out.byte(0x2C)
            let title = titles[i]
            if title.contains(",") || title.contains("\"") {
                try out.write("\"" + title.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
            } else {
                try out.write(title)
            }
            out.byte(0x2C)
            let names = genres[i].map { SyntheticDataset.genreNames[$0] }
            try out.write(names.isEmpty ? "(no genres listed)" : names.joined(separator: "|"))
            out.byte(0x0A)
        }
        try out.close()
    }

    func writeLinks(to path: String) throws(DataError) {
        var out = try BufferedFile(path: path)
        try out.write("movieId,imdbId,tmdbId\n")
        for i in 0..<ids.count {
            out.write(int: Int64(ids[i]))
            let imdb = String(100_000 + i * 37)
            try out.write("," + String(repeating: "0", count: max(0, 7 - imdb.count)) + imdb + ",")
            if i % 101 != 50 { out.write(int: Int64(800 + i * 3)) }
            out.byte(0x0A)
        }
        try out.close()
    }
}

import Foundation
