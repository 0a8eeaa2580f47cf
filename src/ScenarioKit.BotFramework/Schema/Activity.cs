using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScenarioKit.BotFramework.Schema;

/// <summary>
/// A Bot Framework activity (protocol notes §1). Only the fields ScenarioKit reads or writes are typed;
/// everything else lands in <see cref="AdditionalProperties"/> so it survives a round trip unchanged.
/// Payload fields (<c>value</c>, <c>channelData</c>, <c>entities</c>) stay raw JSON.
/// <c>AdditionalProperties</c> has a setter on every model because System.Text.Json's source generator
/// cannot fill extension data through an init accessor.
/// </summary>
public sealed record Activity
{
    public string? Type { get; init; }
    public string? Id { get; init; }

    /// <summary>Set by the channel; always written in UTC with <c>Z</c> (Web Chat orders by it).</summary>
    [JsonConverter(typeof(UtcTimestampConverter))]
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Sender-local time; keeps its original offset.</summary>
    public DateTimeOffset? LocalTimestamp { get; init; }
    public string? LocalTimezone { get; init; }
    public string? CallerId { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ChannelId { get; init; }
    public ChannelAccount? From { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public string? TextFormat { get; init; }
    public string? AttachmentLayout { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersRemoved { get; init; }
    public string? Locale { get; init; }
    public string? Text { get; init; }
    public string? Speak { get; init; }
    public string? InputHint { get; init; }
    public SuggestedActions? SuggestedActions { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public IReadOnlyList<JsonElement>? Entities { get; init; }
    public JsonElement? ChannelData { get; init; }
    public string? ReplyToId { get; init; }
    public JsonElement? Value { get; init; }
    public string? Name { get; init; }
    public ConversationReference? RelatesTo { get; init; }
    public string? Code { get; init; }
    public string? DeliveryMode { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The <c>type</c> values ScenarioKit acts on; others are ignored (§1).</summary>
public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string Typing = "typing";
    public const string EndOfConversation = "endOfConversation";
    public const string Event = "event";
    public const string Invoke = "invoke";
    public const string Trace = "trace";
    public const string Handoff = "handoff";
}

/// <summary>Wire values are the long forms (§1, mistake 1).</summary>
public static class InputHints
{
    public const string AcceptingInput = "acceptingInput";
    public const string ExpectingInput = "expectingInput";
    public const string IgnoringInput = "ignoringInput";
}

public static class DeliveryModes
{
    public const string Normal = "normal";
    public const string Notification = "notification";
    public const string ExpectReplies = "expectReplies";
    public const string Ephemeral = "ephemeral";
}

public static class RoleTypes
{
    public const string User = "user";
    public const string Bot = "bot";
    public const string Skill = "skill";
}

public static class ActionTypes
{
    public const string ImBack = "imBack";
    public const string PostBack = "postBack";
    public const string MessageBack = "messageBack";
    public const string OpenUrl = "openUrl";
}

public static class EndOfConversationCodes
{
    public const string Unknown = "unknown";
    public const string CompletedSuccessfully = "completedSuccessfully";
    public const string UserCancelled = "userCancelled";
    public const string BotTimedOut = "botTimedOut";
    public const string BotIssuedInvalidMessage = "botIssuedInvalidMessage";
    public const string ChannelFailed = "channelFailed";
}

public sealed record ChannelAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
    public string? Role { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

public sealed record ConversationAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public bool? IsGroup { get; init; }
    public string? ConversationType { get; init; }
    public string? TenantId { get; init; }
    public string? AadObjectId { get; init; }
    public string? Role { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

public sealed record ConversationReference
{
    public string? ActivityId { get; init; }
    public ChannelAccount? User { get; init; }
    public ChannelAccount? Bot { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public string? ChannelId { get; init; }
    public string? Locale { get; init; }
    public string? ServiceUrl { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

public sealed record SuggestedActions
{
    public IReadOnlyList<string>? To { get; init; }
    public IReadOnlyList<CardAction>? Actions { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

public sealed record CardAction
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public string? Image { get; init; }
    public string? ImageAltText { get; init; }
    public string? Text { get; init; }
    public string? DisplayText { get; init; }
    public JsonElement? Value { get; init; }
    public JsonElement? ChannelData { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

public sealed record Attachment
{
    readonly JsonElement? _content;

    public string? ContentType { get; init; }
    public string? ContentUrl { get; init; }

    /// <summary>The content; for an attachment built from <see cref="ContentJsonParts"/>, parsed from them at each read.</summary>
    public JsonElement? Content
    {
        get => _content ?? (ContentJsonParts is { Length: > 0 } parts ? JsonElement.Parse(JsonParts.ToArray(parts)) : null);
        init => _content = value;
    }

    /// <summary>
    /// The content as one JSON value already written the way <see cref="ActivityJsonWriter"/> writes (no whitespace, its
    /// encoder), in parts to be joined, such as the logged activities of the handoff's transcript with the brackets and
    /// commas between them: the writer copies them as they are instead of parsing and writing them again (docs/performance.md,
    /// "Session 8"), and nothing joins them into one array of their own (a copy of the whole transcript on every handoff,
    /// "Session 9"). Used when <see cref="Content"/> was not given.
    /// </summary>
    [JsonIgnore]
    internal ReadOnlyMemory<byte>[]? ContentJsonParts { get; init; }

    /// <summary><see cref="ContentJsonParts"/> when they are what <see cref="Content"/> reads (no content given besides them), else null.</summary>
    internal ReadOnlyMemory<byte>[]? RawContent => _content is null ? ContentJsonParts : null;

    public string? Name { get; init; }
    public string? ThumbnailUrl { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Answer of the Connector and Direct Line send operations (§2.2, §4.1).</summary>
public sealed record ResourceResponse
{
    public string? Id { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The <c>{"activities":[...]}</c> body of an <c>expectReplies</c> answer (§2.3) and of a Direct Line ActivitySet.</summary>
public sealed record ActivitySet
{
    public IReadOnlyList<Activity> Activities { get; init; } = [];

    /// <summary>Direct Line only; opaque to clients.</summary>
    public string? Watermark { get; init; }
}

public sealed record ErrorResponse
{
    public Error? Error { get; init; }

    public static ErrorResponse Create(string code, string message) => new() { Error = new Error { Code = code, Message = message } };
}

public sealed record Error
{
    public string? Code { get; init; }
    public string? Message { get; init; }
    public InnerHttpError? InnerHttpError { get; init; }
}

public sealed record InnerHttpError
{
    public int StatusCode { get; init; }
    public JsonElement? Body { get; init; }
}
