using System.Buffers;
using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScenarioKit.Engine;

/// <summary>
/// One conversation's state: immutable. <see cref="ScenarioRuntime.RunTurnAsync"/> returns a new
/// state and never changes the one it was given, so a caller may retry a turn with the same state.
/// The state is pinned to the package (id and version) it started on. <see cref="Serialize"/> gives
/// compact versioned JSON (about 600 bytes for the reference conversation).
/// </summary>
public sealed class ConversationState
{
    /// <summary>The state JSON format version (<c>"v"</c>). Readers reject other versions.</summary>
    public const int FormatVersion = 1;

    internal ConversationState(
        string conversationId,
        string? userId,
        string packageId,
        string packageVersion,
        string? stage,
        int stageVisit,
        bool withAgent,
        int turn,
        int fallbackStreak,
        Dictionary<string, JsonNode?> variables,
        ImmutableArray<TranscriptEntry> transcript,
        ImmutableArray<FlowFrame> frames,
        ImmutableArray<string> recentActivityIds,
        ImmutableArray<string> clarify,
        ImmutableArray<ProactiveMark> proactive)
    {
        ConversationId = conversationId;
        UserId = userId;
        PackageId = packageId;
        PackageVersion = packageVersion;
        Stage = stage;
        StageVisit = stageVisit;
        WithAgent = withAgent;
        Turn = turn;
        FallbackStreak = fallbackStreak;
        VariableTable = variables;
        Transcript = transcript;
        Frames = frames;
        RecentActivityIds = recentActivityIds;
        Clarify = clarify;
        Proactive = proactive;
    }

    public string ConversationId { get; }
    public string? UserId { get; }
    public string PackageId { get; }
    public string PackageVersion { get; }

    /// <summary>The current customer-journey stage (null when the scenario has no journey).</summary>
    public string? Stage { get; }

    /// <summary>The flow waiting for the customer's answer, or null.</summary>
    public string? ActiveFlow => Frames.IsEmpty ? null : Frames[^1].Flow;

    /// <summary>The step (compiler-assigned id) waiting for an answer, or null.</summary>
    public string? WaitingStep => Frames.IsEmpty ? null : Frames[^1].StepId;

    /// <summary>True after a handoff to a human agent, until the agent hub reports it completed or failed.</summary>
    public bool WithAgent { get; }

    /// <summary>Turns processed (duplicates excluded).</summary>
    public int Turn { get; }

    /// <summary>Consecutive turns whose input was not understood.</summary>
    public int FallbackStreak { get; }

    /// <summary>Variable values by dotted name (defaults included). Treat the nodes as read-only.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Variables => _view ??= new System.Collections.ObjectModel.ReadOnlyDictionary<string, JsonNode?>(VariableTable);

    System.Collections.ObjectModel.ReadOnlyDictionary<string, JsonNode?>? _view;

    /// <summary>The message transcript, oldest first (at most <see cref="RuntimeOptions.MaxTranscriptEntries"/>).</summary>
    public ImmutableArray<TranscriptEntry> Transcript { get; }

    // INVARIANT: never mutated after construction; a turn copies it into its working state.
    internal Dictionary<string, JsonNode?> VariableTable { get; }
    internal int StageVisit { get; }
    internal ImmutableArray<FlowFrame> Frames { get; }
    internal ImmutableArray<string> RecentActivityIds { get; }
    internal ImmutableArray<string> Clarify { get; }
    internal ImmutableArray<ProactiveMark> Proactive { get; }

    static readonly JsonWriterOptions WriterOptions = new()
    {
        // State is stored, never embedded in HTML: keep Japanese as UTF-8 (3 bytes) rather than \uXXXX (6).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>Compact JSON (UTF-8). Property names are short on purpose; see <see cref="Deserialize"/>.</summary>
    public byte[] Serialize()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
            WriteTo(w);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the state JSON to <paramref name="writer"/>.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("v", FormatVersion);
        writer.WriteString("c", ConversationId);
        if (UserId is not null) writer.WriteString("u", UserId);
        writer.WriteString("p", PackageId);
        writer.WriteString("pv", PackageVersion);
        if (Stage is not null) writer.WriteString("s", Stage);
        if (StageVisit != 0) writer.WriteNumber("sv", StageVisit);
        if (WithAgent) writer.WriteBoolean("a", true);
        writer.WriteNumber("t", Turn);
        if (FallbackStreak != 0) writer.WriteNumber("fs", FallbackStreak);
        if (!Frames.IsEmpty)
        {
            writer.WriteStartArray("f");
            foreach (var frame in Frames)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(frame.Flow);
                writer.WriteStringValue(frame.StepId);
                writer.WriteNumberValue(frame.Attempts);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        if (VariableTable.Count > 0)
        {
            writer.WriteStartObject("var");
            // Sorted so that equal states serialise to equal bytes whatever order values were set in.
            foreach (var key in SortedKeys(VariableTable))
            {
                writer.WritePropertyName(key);
                var node = VariableTable[key];
                if (node is null) writer.WriteNullValue();
                else node.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        if (!Transcript.IsEmpty)
        {
            // Each entry is one string: a role letter ('u' user, 'b' bot) followed by the text.
            writer.WriteStartArray("tr");
            Span<char> small = stackalloc char[256];
            foreach (var entry in Transcript)
            {
                var role = entry.Role == TranscriptEntry.User ? 'u' : 'b';
                var length = entry.Text.Length + 1;
                if (length <= small.Length)
                {
                    small[0] = role;
                    entry.Text.AsSpan().CopyTo(small[1..]);
                    writer.WriteStringValue(small[..length]);
                }
                else
                {
                    writer.WriteStringValue(role + entry.Text);
                }
            }
            writer.WriteEndArray();
        }
        WriteStrings(writer, "ids", RecentActivityIds);
        WriteStrings(writer, "cl", Clarify);
        if (!Proactive.IsEmpty)
        {
            writer.WriteStartArray("px");
            foreach (var mark in Proactive)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(mark.RuleId);
                writer.WriteNumberValue(mark.LastFiredUnixMs);
                writer.WriteNumberValue(mark.StageVisit);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    static void WriteStrings(Utf8JsonWriter writer, string name, ImmutableArray<string> values)
    {
        if (values.IsDefaultOrEmpty) return;
        writer.WriteStartArray(name);
        foreach (var v in values) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }

    static string[] SortedKeys(Dictionary<string, JsonNode?> table)
    {
        var keys = new string[table.Count];
        table.Keys.CopyTo(keys, 0);
        Array.Sort(keys, StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Reads a state written by <see cref="Serialize"/>.</summary>
    /// <exception cref="InvalidDataException">Not a conversation state of this format version, or corrupt.</exception>
    public static ConversationState Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"conversation state is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            try
            {
                return Read(doc.RootElement);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or JsonException)
            {
                throw new InvalidDataException($"conversation state is corrupt: {e.Message}", e);
            }
        }
    }

    static ConversationState Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException("conversation state must be a JSON object.");
        var version = root.TryGetProperty("v", out var v) ? v.GetInt32() : 0;
        if (version != FormatVersion)
            throw new InvalidDataException($"conversation state format version {version} is not supported (expected {FormatVersion}).");
        string Required(string name) => root.TryGetProperty(name, out var p) && p.GetString() is { } s
            ? s : throw new InvalidDataException($"conversation state has no \"{name}\".");
        string? Optional(string name) => root.TryGetProperty(name, out var p) ? p.GetString() : null;
        int Int(string name) => root.TryGetProperty(name, out var p) ? p.GetInt32() : 0;

        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (root.TryGetProperty("var", out var vars))
            foreach (var p in vars.EnumerateObject())
                variables[p.Name] = JsonValues.FromElement(p.Value);

        var transcript = ImmutableArray.CreateBuilder<TranscriptEntry>();
        if (root.TryGetProperty("tr", out var tr))
            foreach (var e in tr.EnumerateArray())
            {
                var s = e.GetString();
                if (string.IsNullOrEmpty(s) || (s[0] != 'u' && s[0] != 'b'))
                    throw new InvalidDataException("conversation state has a transcript entry without a role.");
                transcript.Add(new TranscriptEntry(s[0] == 'u' ? TranscriptEntry.User : TranscriptEntry.Bot, s[1..]));
            }

        var frames = ImmutableArray.CreateBuilder<FlowFrame>();
        if (root.TryGetProperty("f", out var f))
            foreach (var e in f.EnumerateArray())
                frames.Add(new FlowFrame(e[0].GetString()!, e[1].GetString()!, e[2].GetInt32()));

        var proactive = ImmutableArray.CreateBuilder<ProactiveMark>();
        if (root.TryGetProperty("px", out var px))
            foreach (var e in px.EnumerateArray())
                proactive.Add(new ProactiveMark(e[0].GetString()!, e[1].GetInt64(), e[2].GetInt32()));

        return new ConversationState(
            Required("c"), Optional("u"), Required("p"), Required("pv"), Optional("s"), Int("sv"),
            root.TryGetProperty("a", out var a) && a.GetBoolean(), Int("t"), Int("fs"),
            variables, transcript.ToImmutable(), frames.ToImmutable(), Strings(root, "ids"), Strings(root, "cl"),
            proactive.ToImmutable());
    }

    static ImmutableArray<string> Strings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var p)) return [];
        var b = ImmutableArray.CreateBuilder<string>(p.GetArrayLength());
        foreach (var e in p.EnumerateArray()) b.Add(e.GetString() ?? throw new InvalidDataException($"conversation state \"{name}\" holds a non-string."));
        return b.MoveToImmutable();
    }
}

/// <summary>A flow waiting at an ask step; <see cref="Attempts"/> counts invalid answers so far. The last frame is the active one; earlier ones were interrupted by a digression.</summary>
internal readonly record struct FlowFrame(string Flow, string StepId, int Attempts);

/// <summary>When a proactive rule last fired (unix ms of the injected clock) and in which stage visit.</summary>
internal readonly record struct ProactiveMark(string RuleId, long LastFiredUnixMs, int StageVisit);
