using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScenarioKit.Storage;

/// <summary>
/// What one turn was, in the turn log (<see cref="TurnLogEntry.Json"/>): the input, what the engine made of it and
/// what the customer was sent. Only what analytics and transcripts need - the full Bot Framework activities stay in
/// the activity log for as long as a Direct Line client may replay them. Unset members are left out of the JSON.
/// </summary>
public sealed record TurnSummary
{
    /// <summary><c>message</c>, <c>event</c>, <c>start</c> (conversation start), <c>handoff</c> (a status from the hub or channel) or <c>agent</c> (a human agent's line).</summary>
    public required string Input { get; init; }

    /// <summary>The customer's text (message) or the agent's text (agent).</summary>
    public string? Text { get; init; }

    /// <summary>The event name (event), or the handoff state (handoff: accepted, completed, failed…).</summary>
    public string? Name { get; init; }

    /// <summary>Why a handoff status came (failed: timeout, noAgents, abandoned), or the agent's display name (agent).</summary>
    public string? Detail { get; init; }

    public string? Intent { get; init; }
    public double? Score { get; init; }

    /// <summary>The message was not understood (the fallback answer was given).</summary>
    public bool Fallback { get; init; }

    /// <summary>The journey stage after the turn.</summary>
    public string? Stage { get; init; }

    /// <summary>The flow running after the turn and the step it waits at (an <c>ask</c>), if any.</summary>
    public string? Flow { get; init; }
    public string? WaitingStep { get; init; }

    public IReadOnlyList<string>? Steps { get; init; }
    public IReadOnlyList<string>? FlowsStarted { get; init; }
    public IReadOnlyList<string>? Proactive { get; init; }

    /// <summary>The handoff rule that fired this turn and its queue.</summary>
    public string? HandoffRule { get; init; }
    public string? HandoffQueue { get; init; }

    /// <summary>For a handoff: false when the queue was closed (the customer got the out-of-hours answer); true when it
    /// went to a human, or to nobody because nobody was online (<see cref="Unattended"/>).</summary>
    public bool? HandoffWithinHours { get; init; }
    public bool Unattended { get; init; }

    /// <summary>The customer was sent the waiting notice, or the no-agent/timeout answer, this turn.</summary>
    public bool WaitingNotice { get; init; }
    public bool TimeoutPath { get; init; }

    /// <summary>Runtime errors of the turn as <c>file(line,col): message</c>.</summary>
    public IReadOnlyList<string>? Errors { get; init; }

    /// <summary>The texts the customer was sent, in order.</summary>
    public IReadOnlyList<string>? Replies { get; init; }

    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Source-generated (reading); writing is by hand, below.
        TypeInfoResolver = TurnSummaryJsonContext.Default,
    };

    /// <summary>
    /// The serializer's bytes for <see cref="Options"/> (members in declaration order, camel-case names, defaults left
    /// out), written by hand: the generated fast path does not apply with a custom encoder, and the metadata path
    /// cost a server turn several microseconds (docs/performance.md, "Session 6: the server turn").
    /// </summary>
    public byte[] ToUtf8Json()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder, SkipValidation = true });
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString(Names.Input, Input);
        String(writer, Names.Text, Text);
        String(writer, Names.Name, Name);
        String(writer, Names.Detail, Detail);
        String(writer, Names.Intent, Intent);
        if (Score is { } score) writer.WriteNumber(Names.Score, score);
        if (Fallback) writer.WriteBoolean(Names.Fallback, true);
        String(writer, Names.Stage, Stage);
        String(writer, Names.Flow, Flow);
        String(writer, Names.WaitingStep, WaitingStep);
        Strings(writer, Names.Steps, Steps);
        Strings(writer, Names.FlowsStarted, FlowsStarted);
        Strings(writer, Names.Proactive, Proactive);
        String(writer, Names.HandoffRule, HandoffRule);
        String(writer, Names.HandoffQueue, HandoffQueue);
        if (HandoffWithinHours is { } within) writer.WriteBoolean(Names.HandoffWithinHours, within);
        if (Unattended) writer.WriteBoolean(Names.Unattended, true);
        if (WaitingNotice) writer.WriteBoolean(Names.WaitingNotice, true);
        if (TimeoutPath) writer.WriteBoolean(Names.TimeoutPath, true);
        Strings(writer, Names.Errors, Errors);
        Strings(writer, Names.Replies, Replies);
        writer.WriteEndObject();
        writer.Flush();
        var json = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 64 * 1024)
        {
            t_buffer = null;
            t_writer = null;
        }
        return json;

        static void String(Utf8JsonWriter writer, JsonEncodedText name, string? value)
        {
            if (value is not null) writer.WriteString(name, value);
        }

        static void Strings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string>? values)
        {
            if (values is null) return;
            writer.WriteStartArray(name);
            // Indexed: a foreach over the interface allocated an enumerator per list on every turn.
            for (var i = 0; i < values.Count; i++)
            {
                var value = values[i];
                if (value is null) writer.WriteNullValue();
                else writer.WriteStringValue(value);
            }
            writer.WriteEndArray();
        }
    }

    [ThreadStatic] static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] static Utf8JsonWriter? t_writer;

    static class Names
    {
        public static readonly JsonEncodedText Input = JsonEncodedText.Encode("input");
        public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Detail = JsonEncodedText.Encode("detail");
        public static readonly JsonEncodedText Intent = JsonEncodedText.Encode("intent");
        public static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
        public static readonly JsonEncodedText Fallback = JsonEncodedText.Encode("fallback");
        public static readonly JsonEncodedText Stage = JsonEncodedText.Encode("stage");
        public static readonly JsonEncodedText Flow = JsonEncodedText.Encode("flow");
        public static readonly JsonEncodedText WaitingStep = JsonEncodedText.Encode("waitingStep");
        public static readonly JsonEncodedText Steps = JsonEncodedText.Encode("steps");
        public static readonly JsonEncodedText FlowsStarted = JsonEncodedText.Encode("flowsStarted");
        public static readonly JsonEncodedText Proactive = JsonEncodedText.Encode("proactive");
        public static readonly JsonEncodedText HandoffRule = JsonEncodedText.Encode("handoffRule");
        public static readonly JsonEncodedText HandoffQueue = JsonEncodedText.Encode("handoffQueue");
        public static readonly JsonEncodedText HandoffWithinHours = JsonEncodedText.Encode("handoffWithinHours");
        public static readonly JsonEncodedText Unattended = JsonEncodedText.Encode("unattended");
        public static readonly JsonEncodedText WaitingNotice = JsonEncodedText.Encode("waitingNotice");
        public static readonly JsonEncodedText TimeoutPath = JsonEncodedText.Encode("timeoutPath");
        public static readonly JsonEncodedText Errors = JsonEncodedText.Encode("errors");
        public static readonly JsonEncodedText Replies = JsonEncodedText.Encode("replies");
    }

    public static TurnSummary FromUtf8Json(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<TurnSummary>(json, Options) ?? throw new JsonException("The turn log entry is empty.");
}

[JsonSerializable(typeof(TurnSummary))]
internal sealed partial class TurnSummaryJsonContext : JsonSerializerContext;
