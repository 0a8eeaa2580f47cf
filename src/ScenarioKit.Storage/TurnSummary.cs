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
        // Source-generated: written once per turn on the server's hot path. The context is generated with the same
        // naming and ignore settings, so the serializer takes its generated writer instead of walking metadata.
        TypeInfoResolver = TurnSummaryJsonContext.Default,
    };

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    public static TurnSummary FromUtf8Json(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<TurnSummary>(json, Options) ?? throw new JsonException("The turn log entry is empty.");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(TurnSummary))]
internal sealed partial class TurnSummaryJsonContext : JsonSerializerContext;
