/// A document of an element (SPEC §2), as recorded.
public struct Document: Sendable, Equatable {
    public var id: Int64
    public var ref: String?
    public var element: Int64
    public var template: String
    public var title: String?
    public var createdBy: String?
    public var createdAt: Timestamp
    public var sentVia: String?
    public var sentAt: Timestamp?
    public var viewedAt: Timestamp?
    public var senderSignedAt: Timestamp?
    public var recipientSignedAt: Timestamp?

    public init(
        id: Int64, ref: String?, element: Int64, template: String, title: String?, createdBy: String?,
        createdAt: Timestamp, sentVia: String? = nil, sentAt: Timestamp? = nil, viewedAt: Timestamp? = nil,
        senderSignedAt: Timestamp? = nil, recipientSignedAt: Timestamp? = nil
    ) {
        self.id = id
        self.ref = ref
        self.element = element
        self.template = template
        self.title = title
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.sentVia = sentVia
        self.sentAt = sentAt
        self.viewedAt = viewedAt
        self.senderSignedAt = senderSignedAt
        self.recipientSignedAt = recipientSignedAt
    }
}

/// What is known of one chat of an element: its channel and the earliest client message.
public struct Chat: Sendable, Equatable {
    public var channel: String?
    public var firstMessageAt: Timestamp?

    public init(channel: String?, firstMessageAt: Timestamp?) {
        self.channel = channel
        self.firstMessageAt = firstMessageAt
    }
}
