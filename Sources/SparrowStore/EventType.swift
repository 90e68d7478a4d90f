/// What a user did to a movie. Only ratings change features; clicks and impressions are stored for training.
public enum EventType: String, Sendable, Codable, CaseIterable {
    case rating, click, impression
}
