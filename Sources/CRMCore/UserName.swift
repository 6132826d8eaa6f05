extension Optional where Wrapped == String {
    /// A user name as given (`--as`, `--by`, an event's `by`): an empty name is no name, so the fallback
    /// applies (the element's responsible, else `system`) instead of an entry authored by nobody.
    public var userName: String? {
        guard let name = self, !name.isEmpty else { return nil }
        return name
    }
}
