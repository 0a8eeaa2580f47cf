using System.Buffers;
using System.Text.Json;

namespace ScenarioKit.BotFramework.Schema;

/// <summary>
/// Writes an <see cref="Activity"/> by hand, byte for byte what <see cref="BotFrameworkJson"/> writes (the
/// properties in declaration order, nulls left out, extension data last, Japanese unescaped), at a fraction of the
/// cost: the serializer's generated fast path is off for these records (extension data and the custom encoder turn
/// it off), so it walks property metadata and converters per value. The server writes every activity it logs
/// through here, once per activity; a test holds both writers to the same bytes.
/// </summary>
public static class ActivityJsonWriter
{
    [ThreadStatic] static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] static Utf8JsonWriter? t_writer;

    static readonly JsonWriterOptions WriterOptions = new() { Encoder = BotFrameworkJson.Options.Encoder, SkipValidation = true };

    /// <summary>The activity's JSON (UTF-8). The buffer and writer are reused per thread; only the result is allocated.</summary>
    public static byte[] ToUtf8Bytes(Activity activity)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(2048);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            Write(writer, activity);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > 256 * 1024)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    public static void Write(Utf8JsonWriter writer, Activity a)
    {
        writer.WriteStartObject();
        String(writer, Names.Type, a.Type);
        String(writer, Names.Id, a.Id);
        if (a.Timestamp is { } timestamp)
        {
            Span<byte> text = stackalloc byte[UtcTimestampConverter.Length];
            writer.WriteString(Names.Timestamp, UtcTimestampConverter.FormatUtf8(timestamp, text));
        }
        if (a.LocalTimestamp is { } local) writer.WriteString(Names.LocalTimestamp, local);
        String(writer, Names.LocalTimezone, a.LocalTimezone);
        String(writer, Names.CallerId, a.CallerId);
        String(writer, Names.ServiceUrl, a.ServiceUrl);
        String(writer, Names.ChannelId, a.ChannelId);
        Account(writer, Names.From, a.From);
        Conversation(writer, Names.Conversation, a.Conversation);
        Account(writer, Names.Recipient, a.Recipient);
        String(writer, Names.TextFormat, a.TextFormat);
        String(writer, Names.AttachmentLayout, a.AttachmentLayout);
        Accounts(writer, Names.MembersAdded, a.MembersAdded);
        Accounts(writer, Names.MembersRemoved, a.MembersRemoved);
        String(writer, Names.Locale, a.Locale);
        String(writer, Names.Text, a.Text);
        String(writer, Names.Speak, a.Speak);
        String(writer, Names.InputHint, a.InputHint);
        if (a.SuggestedActions is { } suggested)
        {
            writer.WritePropertyName(Names.SuggestedActions);
            SuggestedActions(writer, suggested);
        }
        if (a.Attachments is { } attachments)
        {
            writer.WriteStartArray(Names.Attachments);
            foreach (var attachment in attachments) Attachment(writer, attachment);
            writer.WriteEndArray();
        }
        if (a.Entities is { } entities)
        {
            writer.WriteStartArray(Names.Entities);
            foreach (var entity in entities) entity.WriteTo(writer);
            writer.WriteEndArray();
        }
        Element(writer, Names.ChannelData, a.ChannelData);
        String(writer, Names.ReplyToId, a.ReplyToId);
        Element(writer, Names.Value, a.Value);
        String(writer, Names.Name, a.Name);
        if (a.RelatesTo is { } relatesTo)
        {
            writer.WritePropertyName(Names.RelatesTo);
            Reference(writer, relatesTo);
        }
        String(writer, Names.Code, a.Code);
        String(writer, Names.DeliveryMode, a.DeliveryMode);
        Extensions(writer, a.AdditionalProperties);
        writer.WriteEndObject();
    }

    static void Account(Utf8JsonWriter writer, JsonEncodedText name, ChannelAccount? account)
    {
        if (account is null) return;
        writer.WritePropertyName(name);
        Account(writer, account);
    }

    static void Account(Utf8JsonWriter writer, ChannelAccount account)
    {
        writer.WriteStartObject();
        String(writer, Names.Id, account.Id);
        String(writer, Names.Name, account.Name);
        String(writer, Names.AadObjectId, account.AadObjectId);
        String(writer, Names.Role, account.Role);
        Extensions(writer, account.AdditionalProperties);
        writer.WriteEndObject();
    }

    static void Accounts(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<ChannelAccount>? accounts)
    {
        if (accounts is null) return;
        writer.WriteStartArray(name);
        foreach (var account in accounts)
        {
            if (account is null) writer.WriteNullValue();
            else Account(writer, account);
        }
        writer.WriteEndArray();
    }

    static void Conversation(Utf8JsonWriter writer, JsonEncodedText name, ConversationAccount? conversation)
    {
        if (conversation is null) return;
        writer.WritePropertyName(name);
        writer.WriteStartObject();
        String(writer, Names.Id, conversation.Id);
        String(writer, Names.Name, conversation.Name);
        if (conversation.IsGroup is { } isGroup) writer.WriteBoolean(Names.IsGroup, isGroup);
        String(writer, Names.ConversationType, conversation.ConversationType);
        String(writer, Names.TenantId, conversation.TenantId);
        String(writer, Names.AadObjectId, conversation.AadObjectId);
        String(writer, Names.Role, conversation.Role);
        Extensions(writer, conversation.AdditionalProperties);
        writer.WriteEndObject();
    }

    static void Reference(Utf8JsonWriter writer, ConversationReference reference)
    {
        writer.WriteStartObject();
        String(writer, Names.ActivityId, reference.ActivityId);
        Account(writer, Names.User, reference.User);
        Account(writer, Names.Bot, reference.Bot);
        Conversation(writer, Names.Conversation, reference.Conversation);
        String(writer, Names.ChannelId, reference.ChannelId);
        String(writer, Names.Locale, reference.Locale);
        String(writer, Names.ServiceUrl, reference.ServiceUrl);
        Extensions(writer, reference.AdditionalProperties);
        writer.WriteEndObject();
    }

    static void SuggestedActions(Utf8JsonWriter writer, SuggestedActions suggested)
    {
        writer.WriteStartObject();
        if (suggested.To is { } to)
        {
            writer.WriteStartArray(Names.To);
            foreach (var id in to) writer.WriteStringValue(id);
            writer.WriteEndArray();
        }
        if (suggested.Actions is { } actions)
        {
            writer.WriteStartArray(Names.Actions);
            foreach (var action in actions)
            {
                if (action is null) writer.WriteNullValue();
                else CardAction(writer, action);
            }
            writer.WriteEndArray();
        }
        Extensions(writer, suggested.AdditionalProperties);
        writer.WriteEndObject();
    }

    static void CardAction(Utf8JsonWriter writer, CardAction action)
    {
        writer.WriteStartObject();
        String(writer, Names.Type, action.Type);
        String(writer, Names.Title, action.Title);
        String(writer, Names.Image, action.Image);
        String(writer, Names.ImageAltText, action.ImageAltText);
        String(writer, Names.Text, action.Text);
        String(writer, Names.DisplayText, action.DisplayText);
        Element(writer, Names.Value, action.Value);
        Element(writer, Names.ChannelData, action.ChannelData);
        Extensions(writer, action.AdditionalProperties);
        writer.WriteEndObject();
    }

    static void Attachment(Utf8JsonWriter writer, Attachment? attachment)
    {
        if (attachment is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        String(writer, Names.ContentType, attachment.ContentType);
        String(writer, Names.ContentUrl, attachment.ContentUrl);
        if (attachment.RawContent is { Length: > 0 } parts)
        {
            writer.WritePropertyName(Names.Content);
            if (parts.Length == 1) writer.WriteRawValue(parts[0].Span, skipInputValidation: true);
            else
            {
                // One raw value must be written in one call: the parts are joined in a pooled buffer for the copy.
                var length = JsonParts.Length(parts);
                var joined = ArrayPool<byte>.Shared.Rent(length);
                JsonParts.Join(parts, joined);
                writer.WriteRawValue(joined.AsSpan(0, length), skipInputValidation: true);
                ArrayPool<byte>.Shared.Return(joined);
            }
        }
        else Element(writer, Names.Content, attachment.Content);
        String(writer, Names.Name, attachment.Name);
        String(writer, Names.ThumbnailUrl, attachment.ThumbnailUrl);
        Extensions(writer, attachment.AdditionalProperties);
        writer.WriteEndObject();
    }

    static void String(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }

    static void Element(Utf8JsonWriter writer, JsonEncodedText name, JsonElement? value)
    {
        if (value is not { } element) return;
        writer.WritePropertyName(name);
        element.WriteTo(writer);
    }

    static void Extensions(Utf8JsonWriter writer, Dictionary<string, JsonElement>? properties)
    {
        if (properties is null) return;
        foreach (var (name, value) in properties)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }

    /// <summary>The wire names, encoded once.</summary>
    static class Names
    {
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
        public static readonly JsonEncodedText LocalTimestamp = JsonEncodedText.Encode("localTimestamp");
        public static readonly JsonEncodedText LocalTimezone = JsonEncodedText.Encode("localTimezone");
        public static readonly JsonEncodedText CallerId = JsonEncodedText.Encode("callerId");
        public static readonly JsonEncodedText ServiceUrl = JsonEncodedText.Encode("serviceUrl");
        public static readonly JsonEncodedText ChannelId = JsonEncodedText.Encode("channelId");
        public static readonly JsonEncodedText From = JsonEncodedText.Encode("from");
        public static readonly JsonEncodedText Conversation = JsonEncodedText.Encode("conversation");
        public static readonly JsonEncodedText Recipient = JsonEncodedText.Encode("recipient");
        public static readonly JsonEncodedText TextFormat = JsonEncodedText.Encode("textFormat");
        public static readonly JsonEncodedText AttachmentLayout = JsonEncodedText.Encode("attachmentLayout");
        public static readonly JsonEncodedText MembersAdded = JsonEncodedText.Encode("membersAdded");
        public static readonly JsonEncodedText MembersRemoved = JsonEncodedText.Encode("membersRemoved");
        public static readonly JsonEncodedText Locale = JsonEncodedText.Encode("locale");
        public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
        public static readonly JsonEncodedText Speak = JsonEncodedText.Encode("speak");
        public static readonly JsonEncodedText InputHint = JsonEncodedText.Encode("inputHint");
        public static readonly JsonEncodedText SuggestedActions = JsonEncodedText.Encode("suggestedActions");
        public static readonly JsonEncodedText Attachments = JsonEncodedText.Encode("attachments");
        public static readonly JsonEncodedText Entities = JsonEncodedText.Encode("entities");
        public static readonly JsonEncodedText ChannelData = JsonEncodedText.Encode("channelData");
        public static readonly JsonEncodedText ReplyToId = JsonEncodedText.Encode("replyToId");
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText RelatesTo = JsonEncodedText.Encode("relatesTo");
        public static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
        public static readonly JsonEncodedText DeliveryMode = JsonEncodedText.Encode("deliveryMode");
        public static readonly JsonEncodedText AadObjectId = JsonEncodedText.Encode("aadObjectId");
        public static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
        public static readonly JsonEncodedText IsGroup = JsonEncodedText.Encode("isGroup");
        public static readonly JsonEncodedText ConversationType = JsonEncodedText.Encode("conversationType");
        public static readonly JsonEncodedText TenantId = JsonEncodedText.Encode("tenantId");
        public static readonly JsonEncodedText ActivityId = JsonEncodedText.Encode("activityId");
        public static readonly JsonEncodedText User = JsonEncodedText.Encode("user");
        public static readonly JsonEncodedText Bot = JsonEncodedText.Encode("bot");
        public static readonly JsonEncodedText To = JsonEncodedText.Encode("to");
        public static readonly JsonEncodedText Actions = JsonEncodedText.Encode("actions");
        public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
        public static readonly JsonEncodedText Image = JsonEncodedText.Encode("image");
        public static readonly JsonEncodedText ImageAltText = JsonEncodedText.Encode("imageAltText");
        public static readonly JsonEncodedText DisplayText = JsonEncodedText.Encode("displayText");
        public static readonly JsonEncodedText ContentType = JsonEncodedText.Encode("contentType");
        public static readonly JsonEncodedText ContentUrl = JsonEncodedText.Encode("contentUrl");
        public static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
        public static readonly JsonEncodedText ThumbnailUrl = JsonEncodedText.Encode("thumbnailUrl");
    }
}
