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
        TranscriptLog transcript,
        ImmutableArray<FlowFrame> frames,
        ImmutableArray<string> recentActivityIds,
        ImmutableArray<string> clarify,
        ImmutableArray<ProactiveMark> proactive,
        ImmutableArray<string> latchedRules = default,
        HandoffContextState? context = null,
        ImmutableArray<SlotRecord> slots = default)
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
        TranscriptLog = transcript;
        Frames = frames;
        RecentActivityIds = recentActivityIds;
        Clarify = clarify;
        Proactive = proactive;
        LatchedRules = latchedRules.IsDefault ? [] : latchedRules;
        Context = context ?? HandoffContextState.Empty;
        Slots = slots.IsDefault ? [] : slots;
    }

    /// <summary>Stage history entries kept (the oldest are dropped).</summary>
    public const int MaxStageHistory = 20;

    /// <summary>Recent site events kept (the oldest are dropped).</summary>
    public const int MaxRecentEvents = 10;

    /// <summary>Answered variable names kept.</summary>
    public const int MaxAnswers = 32;

    /// <summary>The queue of the current agent handoff while <see cref="WithAgent"/>, else null.</summary>
    public string? HandoffQueue => Context.HandoffQueue;

    /// <summary>The last stages entered (not the first stage a conversation starts in), oldest first.</summary>
    public ImmutableArray<StageEntry> StageHistory => Context.StageHistory;

    /// <summary>The last site events, oldest first, each with a compact value (top-level scalars, short strings).</summary>
    public ImmutableArray<SiteEvent> RecentEvents => Context.RecentEvents;

    /// <summary>The variables <c>ask</c> steps filled in this conversation, in the order first answered.</summary>
    public ImmutableArray<string> AnsweredVariables => Context.Answers;

    /// <summary>The intent recognised last in the conversation, and its confidence.</summary>
    public string? LastIntent => Context.LastIntent;

    public double LastConfidence => Context.LastConfidence;

    internal HandoffContextState Context { get; }

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
    public ImmutableArray<TranscriptEntry> Transcript => TranscriptLog.Entries;

    internal TranscriptLog TranscriptLog { get; }

    /// <summary>
    /// A copy with the given variables set (a scenario test's <c>given</c>, values restored from a
    /// CRM, …); null removes a value. Values are copied. This state is not changed.
    /// </summary>
    public ConversationState WithVariables(IEnumerable<KeyValuePair<string, JsonNode?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var table = new Dictionary<string, JsonNode?>(VariableTable, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(values));
            if (value is null) table.Remove(name);
            else table[name] = value.DeepClone();
        }
        return new ConversationState(ConversationId, UserId, PackageId, PackageVersion, Stage, StageVisit, WithAgent, Turn,
            FallbackStreak, table, TranscriptLog, Frames, RecentActivityIds, Clarify, Proactive, LatchedRules, Context, Slots);
    }

    // INVARIANT: never mutated after construction; a turn copies it into its working state.
    internal Dictionary<string, JsonNode?> VariableTable { get; }
    internal int StageVisit { get; }
    internal ImmutableArray<FlowFrame> Frames { get; }
    internal ImmutableArray<string> RecentActivityIds { get; }
    internal ImmutableArray<string> Clarify { get; }
    internal ImmutableArray<ProactiveMark> Proactive { get; }

    /// <summary>Condition-based handoff rules that handed off and whose condition has not been false since (they do not fire again until it has).</summary>
    internal ImmutableArray<string> LatchedRules { get; }

    /// <summary>The asks of the waiting flows that were answered or filled, and values found for asks not reached yet (docs/language.md "Slot filling").</summary>
    internal ImmutableArray<SlotRecord> Slots { get; }

    /// <summary>The values the waiting flows took so far (answered, filled or corrected), in the order taken: which message gave what.</summary>
    public IEnumerable<FilledSlot> FilledSlots => Slots.Where(s => !s.Pending).Select(s => s.ToFilled());

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
        // The buffer and writer are reused per thread: a state is written once per turn, so the
        // only allocation left is the result itself.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            WriteTo(writer);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > 64 * 1024)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    [ThreadStatic] static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] static Utf8JsonWriter? t_writer;

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
        TranscriptLog.WriteTo(writer);
        WriteStrings(writer, "ids", RecentActivityIds);
        WriteStrings(writer, "cl", Clarify);
        WriteStrings(writer, "hl", LatchedRules);
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
        if (!Slots.IsEmpty)
        {
            writer.WriteStartArray("sl");
            foreach (var slot in Slots) slot.WriteTo(writer);
            writer.WriteEndArray();
        }
        Context.WriteTo(writer);
        writer.WriteEndObject();
    }

    internal static void WriteStrings(Utf8JsonWriter writer, string name, ImmutableArray<string> values)
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

    /// <summary>Reads a state written by <see cref="Serialize"/>. Unknown properties are skipped (a newer writer may add some).</summary>
    /// <exception cref="InvalidDataException">Not a conversation state of this format version, or corrupt.</exception>
    public static ConversationState Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
            return Read(ref reader, utf8Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"conversation state is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"conversation state is corrupt: {e.Message}", e);
        }
    }

    // A hand-written reader: the server reads a state on every turn, and this is several times
    // faster and leaner than going through JsonDocument.
    static ConversationState Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Corrupt("conversation state must be a JSON object.");
        int version = 0, stageVisit = 0, turn = 0, fallbackStreak = 0;
        string? conversationId = null, userId = null, packageId = null, packageVersion = null, stage = null;
        var withAgent = false;
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var transcript = TranscriptLog.Empty;
        ImmutableArray<FlowFrame> frames = [];
        ImmutableArray<string> ids = [], clarify = [], latched = [];
        ImmutableArray<ProactiveMark> proactive = [];
        ImmutableArray<SlotRecord> slots = [];
        var context = HandoffContextState.Empty;
        while (true)
        {
            if (!reader.Read()) throw Corrupt("conversation state ends early.");
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (reader.TokenType != JsonTokenType.PropertyName) throw Corrupt($"conversation state has an unexpected {reader.TokenType}.");
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("v"u8)) version = reader.GetInt32();
            else if (name.SequenceEqual("c"u8)) conversationId = reader.GetString();
            else if (name.SequenceEqual("u"u8)) userId = reader.GetString();
            else if (name.SequenceEqual("p"u8)) packageId = reader.GetString();
            else if (name.SequenceEqual("pv"u8)) packageVersion = reader.GetString();
            else if (name.SequenceEqual("s"u8)) stage = reader.GetString();
            else if (name.SequenceEqual("sv"u8)) stageVisit = reader.GetInt32();
            else if (name.SequenceEqual("a"u8)) withAgent = reader.GetBoolean();
            else if (name.SequenceEqual("t"u8)) turn = reader.GetInt32();
            else if (name.SequenceEqual("fs"u8)) fallbackStreak = reader.GetInt32();
            else if (name.SequenceEqual("var"u8))
            {
                Expect(ref reader, JsonTokenType.StartObject, "var");
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    variables[key] = ReadNode(ref reader);
                }
            }
            else if (name.SequenceEqual("tr"u8)) transcript = TranscriptLog.Read(ref reader, json);
            else if (name.SequenceEqual("f"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray, "f");
                var b = ImmutableArray.CreateBuilder<FlowFrame>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartArray) throw Corrupt("conversation state has a malformed flow frame.");
                    reader.Read();
                    var flow = reader.GetString() ?? throw Corrupt("conversation state has a flow frame without a flow.");
                    reader.Read();
                    var step = reader.GetString() ?? throw Corrupt("conversation state has a flow frame without a step.");
                    reader.Read();
                    var attempts = reader.GetInt32();
                    if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) throw Corrupt("conversation state has a malformed flow frame.");
                    b.Add(new FlowFrame(flow, step, attempts));
                }
                frames = b.DrainToImmutable();
            }
            else if (name.SequenceEqual("px"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray, "px");
                var b = ImmutableArray.CreateBuilder<ProactiveMark>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartArray) throw Corrupt("conversation state has a malformed proactive mark.");
                    reader.Read();
                    var rule = reader.GetString() ?? throw Corrupt("conversation state has a proactive mark without a rule.");
                    reader.Read();
                    var last = reader.GetInt64();
                    reader.Read();
                    var visit = reader.GetInt32();
                    if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) throw Corrupt("conversation state has a malformed proactive mark.");
                    b.Add(new ProactiveMark(rule, last, visit));
                }
                proactive = b.DrainToImmutable();
            }
            else if (name.SequenceEqual("sl"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray, "sl");
                var b = ImmutableArray.CreateBuilder<SlotRecord>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) b.Add(SlotRecord.Read(ref reader));
                slots = b.DrainToImmutable();
            }
            else if (name.SequenceEqual("ids"u8)) ids = ReadStrings(ref reader, "ids");
            else if (name.SequenceEqual("cl"u8)) clarify = ReadStrings(ref reader, "cl");
            else if (name.SequenceEqual("hl"u8)) latched = ReadStrings(ref reader, "hl");
            else if (!context.TryRead(name, ref reader, out context)) reader.Skip();
        }
        if (version != FormatVersion)
            throw Corrupt($"conversation state format version {version} is not supported (expected {FormatVersion}).");
        return new ConversationState(
            conversationId ?? throw Corrupt("conversation state has no \"c\"."), userId,
            packageId ?? throw Corrupt("conversation state has no \"p\"."),
            packageVersion ?? throw Corrupt("conversation state has no \"pv\"."),
            stage, stageVisit, withAgent, turn, fallbackStreak, variables, transcript, frames, ids, clarify, proactive, latched, context, slots);
    }

    internal static JsonNode? ReadNode(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => JsonValue.Create(reader.GetString()!),
        JsonTokenType.True => JsonValue.Create(true),
        JsonTokenType.False => JsonValue.Create(false),
        // Element-backed numbers, as the engine creates them (readable as int, long, double alike).
        JsonTokenType.Number => JsonValue.Create(JsonElement.ParseValue(ref reader)),
        _ => JsonNode.Parse(ref reader),
    };

    internal static ImmutableArray<string> ReadStrings(ref Utf8JsonReader reader, string name)
    {
        Expect(ref reader, JsonTokenType.StartArray, name);
        // Every state read has a few of these lists (recent activity ids, answers, …): one builder per thread, not per list.
        var b = t_strings ??= ImmutableArray.CreateBuilder<string>();
        b.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            b.Add(reader.GetString() ?? throw Corrupt($"conversation state \"{name}\" holds a null."));
        var strings = b.ToImmutable();
        b.Clear();
        return strings;
    }

    [ThreadStatic] static ImmutableArray<string>.Builder? t_strings;

    internal static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string name)
    {
        if (reader.TokenType != type) throw Corrupt($"conversation state \"{name}\" must be {(type == JsonTokenType.StartArray ? "an array" : "an object")}.");
    }

    internal static InvalidDataException Corrupt(string message) => new(message);
}

/// <summary>A flow waiting at an ask step; <see cref="Attempts"/> counts invalid answers so far. The last frame is the active one; earlier ones were interrupted by a digression.</summary>
internal readonly record struct FlowFrame(string Flow, string StepId, int Attempts);

/// <summary>When a proactive rule last fired (unix ms of the injected clock) and in which stage visit.</summary>
internal readonly record struct ProactiveMark(string RuleId, long LastFiredUnixMs, int StageVisit);
