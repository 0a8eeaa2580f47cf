using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScenarioKit.Engine;

/// <summary>
/// The part of a conversation's state that exists for the agent's context (issue 9): the queue of the
/// current handoff, stage history, recent site events, answered variables, last intent. Bounded
/// (<see cref="ConversationState.MaxStageHistory"/>, …) and written with short keys, because the
/// state is stored on every turn.
/// </summary>
internal sealed record HandoffContextState(
    string? HandoffQueue,
    ImmutableArray<StageEntry> StageHistory,
    ImmutableArray<SiteEvent> RecentEvents,
    ImmutableArray<string> Answers,
    string? LastIntent,
    double LastConfidence)
{
    public static readonly HandoffContextState Empty = new(null, [], [], [], null, 0);

    /// <summary>
    /// A confidence as the state keeps it (4 decimals). Rounded when it enters the state, not when it is written, so a
    /// conversation continued from memory and one continued from its stored state see the same value.
    /// </summary>
    public static double StoredConfidence(double confidence) => Math.Round(confidence, 4);

    public void WriteTo(Utf8JsonWriter writer)
    {
        if (HandoffQueue is not null) writer.WriteString("hq", HandoffQueue);
        if (!StageHistory.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("sh");
            foreach (var s in StageHistory)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(s.Stage);
                writer.WriteNumberValue(s.EnteredAt.ToUnixTimeMilliseconds());
                writer.WriteStringValue(s.Event);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        if (!RecentEvents.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("ev");
            foreach (var e in RecentEvents)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(e.Name);
                writer.WriteNumberValue(e.At.ToUnixTimeMilliseconds());
                if (e.Value is null) writer.WriteNullValue();
                else e.Value.WriteTo(writer);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        ConversationState.WriteStrings(writer, "an", Answers);
        if (LastIntent is not null)
        {
            writer.WriteStartArray("li");
            writer.WriteStringValue(LastIntent);
            writer.WriteNumberValue(LastConfidence);
            writer.WriteEndArray();
        }
    }

    /// <summary>Reads one of this record's properties; false when <paramref name="name"/> is not one of them.</summary>
    public bool TryRead(ReadOnlySpan<byte> name, ref Utf8JsonReader reader, out HandoffContextState result)
    {
        result = this;
        if (name.SequenceEqual("hq"u8)) result = this with { HandoffQueue = reader.GetString() };
        else if (name.SequenceEqual("an"u8)) result = this with { Answers = ConversationState.ReadStrings(ref reader, "an") };
        else if (name.SequenceEqual("sh"u8))
        {
            ConversationState.Expect(ref reader, JsonTokenType.StartArray, "sh");
            var b = ImmutableArray.CreateBuilder<StageEntry>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartArray) throw ConversationState.Corrupt("conversation state has a malformed stage entry.");
                reader.Read();
                var stage = reader.GetString() ?? throw ConversationState.Corrupt("conversation state has a stage entry without a stage.");
                reader.Read();
                var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());
                reader.Read();
                var ev = reader.GetString() ?? "";
                if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) throw ConversationState.Corrupt("conversation state has a malformed stage entry.");
                b.Add(new StageEntry(stage, at, ev));
            }
            result = this with { StageHistory = b.DrainToImmutable() };
        }
        else if (name.SequenceEqual("ev"u8))
        {
            ConversationState.Expect(ref reader, JsonTokenType.StartArray, "ev");
            var b = ImmutableArray.CreateBuilder<SiteEvent>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartArray) throw ConversationState.Corrupt("conversation state has a malformed event entry.");
                reader.Read();
                var ev = reader.GetString() ?? throw ConversationState.Corrupt("conversation state has an event entry without a name.");
                reader.Read();
                var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());
                reader.Read();
                var value = ConversationState.ReadNode(ref reader) as JsonObject;
                if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) throw ConversationState.Corrupt("conversation state has a malformed event entry.");
                b.Add(new SiteEvent(ev, at, value));
            }
            result = this with { RecentEvents = b.DrainToImmutable() };
        }
        else if (name.SequenceEqual("li"u8))
        {
            ConversationState.Expect(ref reader, JsonTokenType.StartArray, "li");
            reader.Read();
            var intent = reader.GetString();
            reader.Read();
            var confidence = reader.GetDouble();
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) throw ConversationState.Corrupt("conversation state has a malformed last intent.");
            result = this with { LastIntent = intent, LastConfidence = confidence };
        }
        else return false;
        return true;
    }

    const int MaxEventProperties = 8;
    const int MaxEventString = 80;

    /// <summary>
    /// A compact copy of an event's value for <see cref="RecentEvents"/>: top-level strings (cut to
    /// 80 characters), numbers and booleans, at most 8 of them; nested values are dropped. Keeps the
    /// state small whatever a site sends.
    /// </summary>
    public static JsonObject? Compact(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } o) return null;
        JsonObject? result = null;
        foreach (var p in o.EnumerateObject())
        {
            JsonNode? node = p.Value.ValueKind switch
            {
                JsonValueKind.String => JsonValue.Create(p.Value.GetString() is { Length: > MaxEventString } s ? s[..MaxEventString] : p.Value.GetString()),
                JsonValueKind.Number => JsonValue.Create(p.Value),
                JsonValueKind.True => JsonValue.Create(true),
                JsonValueKind.False => JsonValue.Create(false),
                _ => null,
            };
            if (node is null) continue;
            result ??= [];
            result[p.Name] = node;
            if (result.Count >= MaxEventProperties) break;
        }
        return result;
    }
}
