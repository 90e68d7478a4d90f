/// Time units in seconds, the unit of every timestamp in Sparrow (Unix seconds, UTC): defined once, used by the
/// features, the timeline of the next-item signals, event validation and the CLI.
public enum Seconds {
    /// Seconds per minute.
    public static let minute: Int64 = 60
    /// Seconds per hour.
    public static let hour: Int64 = 3_600
    /// Seconds per day (UTC days: no leap seconds, as Unix time).
    public static let day: Int64 = 86_400
    /// Seconds per week.
    public static let week: Int64 = 7 * day
}
