/// The rating from which a rating counts as "liked" (a positive) everywhere in Sparrow: samples' labels, the users'
/// positive histories, the leave-last-out protocol and the user vectors.
public let likedThreshold: Float = 3.5
