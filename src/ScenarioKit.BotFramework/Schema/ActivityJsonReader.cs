using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ScenarioKit.BotFramework.Schema;

/// <summary>
/// Reads the usual incoming activity by hand, giving what <see cref="BotFrameworkJson"/> gives for it, in one forward
/// pass: the serializer's metadata-driven read was the largest JSON cost of a server turn. It declines
/// (<see cref="TryRead"/> is false) whatever it is not sure to read exactly as the serializer does: an escaped or
/// non-ASCII property name, a token of an unexpected kind, a <c>null</c> payload, a repeated unknown field. The
/// caller then uses the serializer, which also names the bad field. Fields that are rare in incoming activities
/// (attachments, suggested actions, <c>relatesTo</c>) are handed to the serializer as they come; a test holds
/// both readers to the same result.
/// </summary>
public static class ActivityJsonReader
{
    /// <summary>The activity in <paramref name="utf8Json"/>, or false when the serializer must read it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8Json, out Activity? activity)
    {
        activity = null;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !TryReadActivity(ref reader, out activity)) return false;
            return !reader.Read();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            activity = null;
            return false;
        }
    }

    // On StartObject; ends on its EndObject.
    static bool TryReadActivity(ref Utf8JsonReader reader, out Activity? activity)
    {
        activity = null;
        string? type = null, id = null, localTimezone = null, callerId = null, serviceUrl = null, channelId = null, textFormat = null,
            attachmentLayout = null, locale = null, text = null, speak = null, inputHint = null, replyToId = null, name = null, code = null, deliveryMode = null;
        DateTimeOffset? timestamp = null, localTimestamp = null;
        ChannelAccount? from = null, recipient = null;
        ConversationAccount? conversation = null;
        IReadOnlyList<ChannelAccount>? membersAdded = null, membersRemoved = null;
        SuggestedActions? suggestedActions = null;
        IReadOnlyList<Attachment>? attachments = null;
        IReadOnlyList<JsonElement>? entities = null;
        JsonElement? channelData = null, value = null;
        ConversationReference? relatesTo = null;
        Dictionary<string, JsonElement>? extra = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                activity = new Activity
                {
                    Type = type, Id = id, Timestamp = timestamp, LocalTimestamp = localTimestamp, LocalTimezone = localTimezone,
                    CallerId = callerId, ServiceUrl = serviceUrl, ChannelId = channelId, From = from, Conversation = conversation,
                    Recipient = recipient, TextFormat = textFormat, AttachmentLayout = attachmentLayout, MembersAdded = membersAdded,
                    MembersRemoved = membersRemoved, Locale = locale, Text = text, Speak = speak, InputHint = inputHint,
                    SuggestedActions = suggestedActions, Attachments = attachments, Entities = entities, ChannelData = channelData,
                    ReplyToId = replyToId, Value = value, Name = name, RelatesTo = relatesTo, Code = code, DeliveryMode = deliveryMode,
                    AdditionalProperties = extra,
                };
                return true;
            }
            if (!TryName(ref reader, out var property, out var known)) return false;
            reader.Read();
            var ok = property switch
            {
                "type" => TryKnown(ref reader, KnownTypes, out type),
                "id" => TryString(ref reader, out id),
                "timestamp" => TryTimestamp(ref reader, out timestamp),
                "localtimestamp" => TryLocalTimestamp(ref reader, out localTimestamp),
                "localtimezone" => TryString(ref reader, out localTimezone),
                "callerid" => TryString(ref reader, out callerId),
                "serviceurl" => TryString(ref reader, out serviceUrl),
                "channelid" => TryString(ref reader, out channelId),
                "from" => TryAccount(ref reader, out from),
                "conversation" => TryConversation(ref reader, out conversation),
                "recipient" => TryAccount(ref reader, out recipient),
                "textformat" => TryString(ref reader, out textFormat),
                "attachmentlayout" => TryString(ref reader, out attachmentLayout),
                "membersadded" => TryAccounts(ref reader, out membersAdded),
                "membersremoved" => TryAccounts(ref reader, out membersRemoved),
                "locale" => TryString(ref reader, out locale),
                "text" => TryString(ref reader, out text),
                "speak" => TryString(ref reader, out speak),
                "inputhint" => TryKnown(ref reader, KnownInputHints, out inputHint),
                "suggestedactions" => Serializer(ref reader, out suggestedActions),
                "attachments" => Serializer(ref reader, out attachments),
                "entities" => TryElements(ref reader, out entities),
                "channeldata" => TryElement(ref reader, out channelData),
                "replytoid" => TryString(ref reader, out replyToId),
                "value" => TryElement(ref reader, out value),
                "name" => TryString(ref reader, out name),
                "relatesto" => Serializer(ref reader, out relatesTo),
                "code" => TryString(ref reader, out code),
                "deliverymode" => TryKnown(ref reader, KnownDeliveryModes, out deliveryMode),
                _ => !known && TryExtra(ref reader, property, ref extra),
            };
            if (!ok) return false;
        }
        return false;
    }

    static bool TryAccount(ref Utf8JsonReader reader, out ChannelAccount? account)
    {
        account = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        string? id = null, name = null, aadObjectId = null, role = null;
        Dictionary<string, JsonElement>? extra = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!TryName(ref reader, out var property, out var known)) return false;
            reader.Read();
            var ok = property switch
            {
                "id" => TryString(ref reader, out id),
                "name" => TryString(ref reader, out name),
                "aadobjectid" => TryString(ref reader, out aadObjectId),
                "role" => TryKnown(ref reader, KnownRoles, out role),
                _ => !known && TryExtra(ref reader, property, ref extra),
            };
            if (!ok) return false;
        }
        account = new ChannelAccount { Id = id, Name = name, AadObjectId = aadObjectId, Role = role, AdditionalProperties = extra };
        return true;
    }

    static bool TryAccounts(ref Utf8JsonReader reader, out IReadOnlyList<ChannelAccount>? accounts)
    {
        accounts = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        var list = new List<ChannelAccount>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !TryAccount(ref reader, out var account)) return false;
            list.Add(account!);
        }
        accounts = list;
        return true;
    }

    static bool TryConversation(ref Utf8JsonReader reader, out ConversationAccount? conversation)
    {
        conversation = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        string? id = null, name = null, conversationType = null, tenantId = null, aadObjectId = null, role = null;
        bool? isGroup = null;
        Dictionary<string, JsonElement>? extra = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!TryName(ref reader, out var property, out var known)) return false;
            reader.Read();
            var ok = property switch
            {
                "id" => TryString(ref reader, out id),
                "name" => TryString(ref reader, out name),
                "isgroup" => TryBoolean(ref reader, out isGroup),
                "conversationtype" => TryString(ref reader, out conversationType),
                "tenantid" => TryString(ref reader, out tenantId),
                "aadobjectid" => TryString(ref reader, out aadObjectId),
                "role" => TryKnown(ref reader, KnownRoles, out role),
                _ => !known && TryExtra(ref reader, property, ref extra),
            };
            if (!ok) return false;
        }
        conversation = new ConversationAccount
        {
            Id = id, Name = name, IsGroup = isGroup, ConversationType = conversationType, TenantId = tenantId,
            AadObjectId = aadObjectId, Role = role, AdditionalProperties = extra,
        };
        return true;
    }

    /// <summary>
    /// A known name lower-cased for matching (the serializer matches names case-insensitively), any other as written
    /// (an extension data key). Declines an escaped or non-ASCII name, whose spelling and matching are the serializer's
    /// business. A known name in the wrong place (<c>"type"</c> in an account) is declined too: its key would need the
    /// spelling on the wire.
    /// </summary>
    static bool TryName(ref Utf8JsonReader reader, out string name, out bool known)
    {
        name = "";
        known = false;
        if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped || reader.HasValueSequence) return false;
        var raw = reader.ValueSpan;
        if (raw.Length > 64 || !Ascii.IsValid(raw)) return false;
        Span<byte> lower = stackalloc byte[raw.Length];
        Ascii.ToLower(raw, lower, out _);
        var knownName = KnownNames.Lookup(lower);
        known = knownName is not null;
        name = knownName ?? Encoding.ASCII.GetString(raw);
        return true;
    }

    static bool TryString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.String) return false;
        value = reader.GetString();
        return true;
    }

    static readonly string[] KnownTypes =
    [
        ActivityTypes.Message, ActivityTypes.Event, ActivityTypes.ConversationUpdate, ActivityTypes.Typing,
        ActivityTypes.EndOfConversation, ActivityTypes.Invoke, ActivityTypes.Trace, ActivityTypes.Handoff,
    ];
    static readonly string[] KnownRoles = [RoleTypes.User, RoleTypes.Bot, RoleTypes.Skill];
    static readonly string[] KnownDeliveryModes = [DeliveryModes.ExpectReplies, DeliveryModes.Normal, DeliveryModes.Notification, DeliveryModes.Ephemeral];
    static readonly string[] KnownInputHints = [InputHints.AcceptingInput, InputHints.ExpectingInput, InputHints.IgnoringInput];

    /// <summary>
    /// A string that is usually one of the protocol's own values: the constant itself when it is one (compared without
    /// decoding), so an activity's type, roles and delivery mode are not new strings on every request
    /// (docs/performance.md, "Session 9"); any other string as <see cref="TryString"/> reads it.
    /// </summary>
    static bool TryKnown(ref Utf8JsonReader reader, string[] known, out string? value)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            foreach (var candidate in known)
            {
                if (!reader.ValueTextEquals(candidate)) continue;
                value = candidate;
                return true;
            }
        }
        return TryString(ref reader, out value);
    }

    static bool TryBoolean(ref Utf8JsonReader reader, out bool? value)
    {
        value = reader.TokenType switch { JsonTokenType.True => true, JsonTokenType.False => false, _ => null };
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }

    static bool TryTimestamp(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.String) return false;
        if (!UtcTimestampConverter.TryParse(reader.GetString(), out var parsed)) return false;
        value = parsed;
        return true;
    }

    static bool TryLocalTimestamp(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var parsed)) return false;
        value = parsed;
        return true;
    }

    // A payload's JSON null is left to the serializer (whether it becomes no value or a null element is its rule).
    static bool TryElement(ref Utf8JsonReader reader, out JsonElement? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return false;
        value = JsonElement.ParseValue(ref reader);
        return true;
    }

    static bool TryElements(ref Utf8JsonReader reader, out IReadOnlyList<JsonElement>? values)
    {
        values = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        var list = new List<JsonElement>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(JsonElement.ParseValue(ref reader));
        values = list;
        return true;
    }

    static bool TryExtra(ref Utf8JsonReader reader, string name, ref Dictionary<string, JsonElement>? extra) =>
        reader.TokenType != JsonTokenType.Null && (extra ??= []).TryAdd(name, JsonElement.ParseValue(ref reader));

    static bool Serializer<T>(ref Utf8JsonReader reader, out T? value) where T : class
    {
        value = JsonSerializer.Deserialize<T>(ref reader, BotFrameworkJson.Options);
        return true;
    }

    /// <summary>The lower-cased known names, so matching them allocates nothing.</summary>
    static class KnownNames
    {
        static readonly string[] Names =
        [
            "type", "id", "timestamp", "localtimestamp", "localtimezone", "callerid", "serviceurl", "channelid", "from",
            "conversation", "recipient", "textformat", "attachmentlayout", "membersadded", "membersremoved", "locale", "text",
            "speak", "inputhint", "suggestedactions", "attachments", "entities", "channeldata", "replytoid", "value", "name",
            "relatesto", "code", "deliverymode", "aadobjectid", "role", "isgroup", "conversationtype", "tenantid",
        ];

        static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByName =
            Names.ToDictionary(n => n, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

        public static string? Lookup(ReadOnlySpan<byte> lowerAscii)
        {
            Span<char> chars = stackalloc char[lowerAscii.Length];
            Ascii.ToUtf16(lowerAscii, chars, out _);
            return ByName.TryGetValue(chars, out var name) ? name : null;
        }
    }
}
