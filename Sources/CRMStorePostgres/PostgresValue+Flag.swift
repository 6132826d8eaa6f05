import PostgresDB

extension PostgresValue {
    /// A flag as its smallint column holds it (0 or 1, as in the SQLite file, so that a copy moves it as is).
    init(flag: Bool) { self = .integer(flag ? 1 : 0) }
}
