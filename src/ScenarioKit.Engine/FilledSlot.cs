using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ScenarioKit.Engine;

/// <summary>How an ask got its value.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SlotSource>))]
public enum SlotSource
{
    /// <summary>The customer answered the ask's prompt.</summary>
    Answer,

    /// <summary>A message carried the value before the ask was reached, so the ask was skipped.</summary>
    Filled,

    /// <summary>The customer corrected an earlier value ("やっぱり12月9日で", "actually 12/9").</summary>
    Correction,
}

/// <summary>
/// An ask's value and the message it came from: <see cref="Turn"/> is the conversation turn of that message
/// (<see cref="ConversationState.Turn"/> after it), <see cref="Text"/> the part of it that was taken.
/// </summary>
public sealed record FilledSlot(string Variable, JsonNode? Value, string StepId, int Turn, string Text, SlotSource Source);

/// <summary>
/// One ask of a waiting flow in the state: taken (<see cref="Pending"/> false: answered, filled or corrected)
/// or found in a message before the ask was reached (<see cref="Pending"/> true). Records live as long as
/// their flow waits; a flow that ends or starts again forgets them.
/// </summary>
internal sealed record SlotRecord(string Flow, string StepId, string Variable, int Turn, string Text, JsonNode? Value, SlotSource Source, bool Pending)
{
    public FilledSlot ToFilled() => new(Variable, Value, StepId, Turn, Text, Source);

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(Flow);
        writer.WriteStringValue(StepId);
        writer.WriteStringValue(Variable);
        writer.WriteNumberValue(Turn);
        writer.WriteStringValue(Text);
        if (Value is null) writer.WriteNullValue();
        else Value.WriteTo(writer);
        writer.WriteNumberValue((int)Source);
        writer.WriteBooleanValue(Pending);
        writer.WriteEndArray();
    }

    public static SlotRecord Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw ConversationState.Corrupt("conversation state has a malformed slot.");
        reader.Read();
        var flow = reader.GetString() ?? throw ConversationState.Corrupt("conversation state has a slot without a flow.");
        reader.Read();
        var step = reader.GetString() ?? throw ConversationState.Corrupt("conversation state has a slot without a step.");
        reader.Read();
        var variable = reader.GetString() ?? throw ConversationState.Corrupt("conversation state has a slot without a variable.");
        reader.Read();
        var turn = reader.GetInt32();
        reader.Read();
        var text = reader.GetString() ?? "";
        reader.Read();
        var value = ConversationState.ReadNode(ref reader);
        reader.Read();
        var source = reader.GetInt32();
        if (source is < 0 or > (int)SlotSource.Correction) throw ConversationState.Corrupt("conversation state has a slot of unknown source.");
        reader.Read();
        var pending = reader.GetBoolean();
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) throw ConversationState.Corrupt("conversation state has a malformed slot.");
        return new SlotRecord(flow, step, variable, turn, text, value, (SlotSource)source, pending);
    }
}
