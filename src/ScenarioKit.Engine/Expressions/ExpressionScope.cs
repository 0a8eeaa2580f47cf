using System.Text.Json.Nodes;

namespace ScenarioKit.Engine.Expressions;

/// <summary>The values an expression can see (docs/language.md "Expressions"), for one turn. Mutable, never shared between turns.</summary>
internal sealed class ExpressionScope(VariableIndex index, Dictionary<string, JsonNode?> variables)
{
    public VariableIndex Index { get; } = index;
    public Dictionary<string, JsonNode?> Variables { get; set; } = variables;

    public bool HasEvent { get; set; }
    public JsonNode? Event { get; set; }
    public string? Stage { get; set; }
    public string? Text { get; set; }
    public string? IntentName { get; set; }
    public double IntentConfidence { get; set; }
    public string? IntentDigitalFit { get; set; }
    public int FallbackStreak { get; set; }
    public int Turn { get; set; }
    public string ConversationId { get; set; } = "";

    public bool HasAsk { get; set; }
    public int AskAttempt { get; set; }
    public int AskMaxRetries { get; set; }
    public int AskRetriesLeft { get; set; }

    /// <summary>Only while an ask's <c>validate</c> rules run: the candidate answer (<c>value</c>) and the scenario's date (<c>today</c>, yyyy-MM-dd).</summary>
    public bool HasValue { get; set; }
    public JsonNode? Candidate { get; set; }
    public string Today { get; set; } = "";

    /// <summary>Only while the waiting notice (<c>handoff.waiting</c>) renders.</summary>
    public bool HasQueue { get; set; }
    public int QueuePosition { get; set; }
    public int QueueWaitMinutes { get; set; }
    public string QueueName { get; set; } = "";

    public DateTimeOffset Now { get; set; }
    public CancellationToken CancellationToken { get; set; }

    public const string EventName = "event";
    public const string StageName = "stage";
    public const string TextName = "text";
    public const string IntentRoot = "intent";
    public const string ConversationRoot = "conversation";
    public const string AskRoot = "ask";
    public const string QueueRoot = "queue";
    public const string ValueRoot = "value";
    public const string TodayRoot = "today";

    public static bool IsBuiltIn(string root) => root is EventName or StageName or TextName or IntentRoot or ConversationRoot or AskRoot or QueueRoot;

    /// <summary>
    /// Resolves a dotted member path (<c>order.number</c>, <c>ask.attempt</c>) without Jint.
    /// False means "this needs the real interpreter" (an error to report, or a shape the fast
    /// path does not model); the caller then evaluates with Jint, which gives JS semantics exactly.
    /// </summary>
    public bool TryResolve(MemberPath path, out Value value)
    {
        value = Value.Undefined;
        var segments = path.Segments;
        switch (segments[0])
        {
            case StageName:
                if (segments.Length != 1) return false;
                value = Stage is null ? Value.Null : Value.Of(Stage);
                return true;
            case TextName:
                if (segments.Length != 1) return false;
                value = Text is null ? Value.Null : Value.Of(Text);
                return true;
            case EventName:
                if (!HasEvent) return false;
                return Walk(Event, segments, 1, out value);
            case IntentRoot:
                if (segments.Length != 2) return false;
                value = segments[1] switch
                {
                    "name" => IntentName is null ? Value.Null : Value.Of(IntentName),
                    "confidence" => Value.Of(IntentConfidence),
                    "digitalFit" => IntentDigitalFit is null ? Value.Null : Value.Of(IntentDigitalFit),
                    _ => Value.Undefined,
                };
                return true;
            case ConversationRoot:
                if (segments.Length != 2) return false;
                value = segments[1] switch
                {
                    "fallbackStreak" => Value.Of(FallbackStreak),
                    "turn" => Value.Of(Turn),
                    "id" => Value.Of(ConversationId),
                    _ => Value.Undefined,
                };
                return true;
            case AskRoot:
                if (!HasAsk || segments.Length != 2) return false;
                value = segments[1] switch
                {
                    "attempt" => Value.Of(AskAttempt),
                    "maxRetries" => Value.Of(AskMaxRetries),
                    "retriesLeft" => Value.Of(AskRetriesLeft),
                    _ => Value.Undefined,
                };
                return true;
            case ValueRoot when HasValue:
                return Walk(Candidate, segments, 1, out value);
            case TodayRoot when HasValue:
                if (segments.Length != 1) return false;
                value = Value.Of(Today);
                return true;
            case QueueRoot:
                if (!HasQueue || segments.Length != 2) return false;
                value = segments[1] switch
                {
                    "position" => Value.Of(QueuePosition),
                    "waitMinutes" => Value.Of(QueueWaitMinutes),
                    "name" => Value.Of(QueueName),
                    _ => Value.Undefined,
                };
                return true;
        }
        // Variables: the longest declared name that prefixes the path, then walk into its value.
        if (path.IsCompositeObject) return false;
        foreach (var (name, rest) in path.VariableCandidates)
        {
            if (!Index.IsDeclared(name)) continue;
            if (!Variables.TryGetValue(name, out var node))
            {
                // Declared but unset: JS sees a missing property (undefined); walking further would throw.
                if (rest == segments.Length) { value = Value.Undefined; return true; }
                return false;
            }
            return Walk(node, segments, rest, out value);
        }
        return false;
    }

    static bool Walk(JsonNode? node, string[] segments, int from, out Value value)
    {
        value = Value.Undefined;
        for (var i = from; i < segments.Length; i++)
        {
            if (node is not JsonObject o) return false; // member of a primitive/null/array: let Jint decide
            if (!o.TryGetPropertyValue(segments[i], out node))
            {
                if (i == segments.Length - 1) { value = Value.Undefined; return true; }
                return false;
            }
        }
        value = Value.FromNode(node);
        return true;
    }
}

/// <summary>A member path in an expression with its precomputed lookups.</summary>
internal sealed class MemberPath
{
    public MemberPath(string[] segments, VariableIndex index)
    {
        Segments = segments;
        var candidates = new List<(string, int)>();
        for (var k = segments.Length; k >= 1; k--)
            candidates.Add((string.Join('.', segments, 0, k), k));
        VariableCandidates = [.. candidates];
        IsCompositeObject = index.IsPrefixOfDeclared(string.Join('.', segments));
    }

    public string[] Segments { get; }

    /// <summary>(variable name, index of the first segment after it), longest name first.</summary>
    public (string Name, int RestIndex)[] VariableCandidates { get; }

    /// <summary>The path names an object made of several declared variables (<c>order</c> when <c>order.number</c> is declared).</summary>
    public bool IsCompositeObject { get; }
}

/// <summary>Declared variable names, by root, for building the nested objects expressions see.</summary>
internal sealed class VariableIndex
{
    readonly HashSet<string> _declared;
    readonly HashSet<string> _prefixes;

    public VariableIndex(IEnumerable<string> names)
    {
        _declared = new HashSet<string>(names, StringComparer.Ordinal);
        _prefixes = new HashSet<string>(StringComparer.Ordinal);
        var roots = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in _declared)
        {
            for (var i = name.IndexOf('.', StringComparison.Ordinal); i >= 0; i = name.IndexOf('.', i + 1))
                _prefixes.Add(name[..i]);
            var root = name.Split('.')[0];
            if (!roots.TryGetValue(root, out var list)) roots[root] = list = [];
            list.Add(name);
        }
        // Shorter names first so a whole-object variable is laid down before dotted ones refine it.
        Roots = roots.ToDictionary(kv => kv.Key, kv => kv.Value.OrderBy(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, string[]> Roots { get; }

    public bool IsDeclared(string name) => _declared.Contains(name);

    public bool IsPrefixOfDeclared(string path) => _prefixes.Contains(path);
}
