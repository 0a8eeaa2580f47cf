using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ScenarioKit.Language.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ScenarioKit.Language.Syntax;

/// <summary>
/// The one YAML reader, for the compiler and the test runner alike: a tree with spans, duplicate keys reported
/// (SK1002) instead of thrown, the compiler's limits (<see cref="CompileOptions.MaxDepth"/>, <see cref="CompileOptions.MaxNodes"/>).
/// Diagnostics are English, with <see cref="Diagnostic.Arguments"/> for callers that map ids onto their own.
/// </summary>
public static class YamlDocument
{
    public static (YamlNode? Root, ImmutableArray<Diagnostic> Diagnostics) Read(string path, string text, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var bag = new DiagnosticBag("en");
        var root = YamlReader.Read(new SourceFile(path, text), bag, options ?? CompileOptions.Default, new YamlReader.NodeBudget());
        return (root, [.. bag.Items]);
    }
}

/// <summary>
/// Builds our tree from YamlDotNet's parser events. Iterative (no recursion), so nesting depth is
/// bounded only by <see cref="CompileOptions.MaxDepth"/>, which it enforces; alias expansion is counted
/// against <see cref="CompileOptions.MaxNodes"/> (billion-laughs guard), shared across the files of a scenario.
/// </summary>
internal sealed partial class YamlReader
{
    readonly SourceFile file;
    readonly DiagnosticBag diagnostics;
    readonly CompileOptions options;
    readonly NodeBudget budget;
    readonly Dictionary<string, YamlNode> anchors = new(StringComparer.Ordinal);

    YamlReader(SourceFile file, DiagnosticBag diagnostics, CompileOptions options, NodeBudget budget)
    {
        this.file = file;
        this.diagnostics = diagnostics;
        this.options = options;
        this.budget = budget;
    }

    internal sealed class NodeBudget
    {
        public long Used;
    }

    sealed class Frame(int start, bool flow, bool isMapping)
    {
        public readonly int Start = start;
        public readonly bool Flow = flow;
        public readonly bool IsMapping = isMapping;
        public readonly List<YamlNode> Items = [];
        public readonly List<KeyValuePair<ScalarNode, YamlNode>> Entries = [];
        public readonly Dictionary<string, ScalarNode> Keys = new(StringComparer.Ordinal);
        public ScalarNode? PendingKey;
        public bool SkipValue; // the key was invalid or a duplicate: drop the value that follows
        public bool ExpectingKey = true;
        public string? Anchor;
    }

    /// <summary>Reads one file. Returns null when nothing usable could be read (the reason is reported).</summary>
    public static YamlNode? Read(SourceFile file, DiagnosticBag diagnostics, CompileOptions options, NodeBudget budget) =>
        new YamlReader(file, diagnostics, options, budget).Read();

    YamlNode? Read()
    {
        var parser = new Parser(new StringReader(file.Text));
        var stack = new List<Frame>();
        YamlNode? root = null;
        var documents = 0;
        var lastEnd = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var ev = parser.Current!;
                lastEnd = ev.End;
                switch (ev)
                {
                    case DocumentStart ds:
                        if (++documents > 1)
                        {
                            diagnostics.Report(DiagnosticCatalog.MultipleDocuments, SpanAt(ds.Start, ds.End));
                            return root;
                        }
                        break;
                    case MappingStart ms:
                        CheckTag(ms.Tag, ms.Start, ms.End, "tag:yaml.org,2002:map");
                        if (stack.Count >= options.MaxDepth) return TooDeep(ms.Start, ms.End);
                        if (!Count(1, ms.Start, ms.End)) return null;
                        stack.Add(new Frame(Index(ms.Start), ms.Style == MappingStyle.Flow, isMapping: true) { Anchor = AnchorOf(ms.Anchor) });
                        break;
                    case SequenceStart ss:
                        CheckTag(ss.Tag, ss.Start, ss.End, "tag:yaml.org,2002:seq");
                        if (stack.Count >= options.MaxDepth) return TooDeep(ss.Start, ss.End);
                        if (!Count(1, ss.Start, ss.End)) return null;
                        stack.Add(new Frame(Index(ss.Start), ss.Style == SequenceStyle.Flow, isMapping: false) { Anchor = AnchorOf(ss.Anchor) });
                        break;
                    case MappingEnd or SequenceEnd:
                    {
                        var frame = stack[^1];
                        stack.RemoveAt(stack.Count - 1);
                        var end = frame.Flow ? Index(ev.End) : LastEnd(frame, Index(ev.Start));
                        YamlNode node = frame.IsMapping
                            ? new MappingNode(file, frame.Start, end, frame.Entries)
                            : new SequenceNode(file, frame.Start, end, frame.Items);
                        var children = frame.IsMapping ? frame.Entries.Select(e => e.Value) : frame.Items;
                        foreach (var c in children)
                        {
                            node.Size += c.Size;
                            node.Height = Math.Max(node.Height, c.Height + 1);
                        }
                        if (frame.Anchor is not null) anchors[frame.Anchor] = node;
                        if (!Attach(stack, node, ref root)) return null;
                        break;
                    }
                    case Scalar sc:
                    {
                        var node = MakeScalar(sc);
                        if (!Count(1, sc.Start, sc.End)) return null;
                        var anchor = AnchorOf(sc.Anchor);
                        if (anchor is not null) anchors[anchor] = node;
                        if (!Attach(stack, node, ref root)) return null;
                        break;
                    }
                    case AnchorAlias alias:
                    {
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            diagnostics.Report(DiagnosticCatalog.YamlSyntax, SpanAt(alias.Start, alias.End),
                                new Localized($"the alias '*{alias.Value.Value}' refers to no anchor defined before it",
                                    $"エイリアス '*{alias.Value.Value}' に対応するアンカーが前にありません"));
                            return null;
                        }
                        if (!Count(target.Size, alias.Start, alias.End)) return null;
                        if (stack.Count + target.Height > options.MaxDepth) return TooDeep(alias.Start, alias.End);
                        if (!Attach(stack, target, ref root)) return null;
                        break;
                    }
                }
            }
        }
        catch (YamlException e)
        {
            var message = CleanMessage(e.Message);
            var span = SpanAt(e.Start, e.End);
            if (e.Start.Line > 0)
            {
                var (start, end) = YamlErrorPosition.Refine(file.Text, message, Index(e.Start), Index(e.End));
                span = file.Span(start, Math.Max(start, end));
            }
            diagnostics.Report(DiagnosticCatalog.YamlSyntax, span, new Localized(message, message));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner occasionally fails with a non-YAML exception on malformed input
            // (found by RobustnessTests); it is still a syntax error after the last event read.
            var at = lastEnd.Line > 0 ? SpanAt(lastEnd, lastEnd) : file.Start;
            diagnostics.Report(DiagnosticCatalog.YamlSyntax, at,
                new Localized("the YAML after this point cannot be read (check quotes, brackets and indentation)", "ここから後の YAML を読み取れません（引用符・括弧・インデントを確認してください）"));
            return null;
        }
        return root;
    }

    YamlNode? TooDeep(Mark start, Mark end)
    {
        diagnostics.Report(DiagnosticCatalog.TooDeep, SpanAt(start, end), options.MaxDepth);
        return null;
    }

    bool Count(int nodes, Mark start, Mark end)
    {
        budget.Used += nodes;
        if (budget.Used <= options.MaxNodes) return true;
        diagnostics.Report(DiagnosticCatalog.TooManyNodes, SpanAt(start, end), options.MaxNodes);
        return false;
    }

    static int LastEnd(Frame frame, int fallback)
    {
        if (frame.IsMapping)
            return frame.Entries.Count > 0 ? Math.Max(frame.Entries[^1].Value.End, frame.Entries[^1].Key.End) : frame.PendingKey?.End ?? fallback;
        return frame.Items.Count > 0 ? frame.Items[^1].End : fallback;
    }

    bool Attach(List<Frame> stack, YamlNode node, ref YamlNode? root)
    {
        if (stack.Count == 0)
        {
            root = node;
            return true;
        }
        var parent = stack[^1];
        if (!parent.IsMapping)
        {
            parent.Items.Add(node);
            return true;
        }
        if (parent.ExpectingKey)
        {
            parent.ExpectingKey = false;
            parent.PendingKey = null;
            parent.SkipValue = false;
            if (node is not ScalarNode key)
            {
                diagnostics.Report(DiagnosticCatalog.NonScalarKey, node.Span, new Localized(node.KindName, JaKind(node.KindName)));
                parent.SkipValue = true;
                return true;
            }
            if (parent.Keys.TryGetValue(key.Value, out var first))
            {
                diagnostics.ReportRelated(DiagnosticCatalog.DuplicateKey, key.Span, first.Span, key.Value, first.Span);
                parent.SkipValue = true;
                return true;
            }
            parent.Keys[key.Value] = key;
            parent.PendingKey = key;
            return true;
        }
        parent.ExpectingKey = true;
        if (!parent.SkipValue && parent.PendingKey is { } k) parent.Entries.Add(new(k, node));
        return true;
    }

    internal static string JaKind(string kind) => kind switch
    {
        "mapping" => "マッピング",
        "list" => "リスト",
        "string" => "文字列",
        "number" => "数値",
        "integer" => "整数",
        "boolean" => "真偽値",
        "null" => "null",
        _ => kind,
    };

    ScalarNode MakeScalar(Scalar sc)
    {
        var quoted = sc.Style is not ScalarStyle.Plain;
        ScalarKind kind;
        var tag = sc.Tag.IsEmpty ? null : sc.Tag.Value;
        switch (tag)
        {
            case null or "!":
                kind = quoted ? ScalarKind.String : CoreSchema.Resolve(sc.Value);
                break;
            case "tag:yaml.org,2002:str":
                kind = ScalarKind.String;
                break;
            case "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:null":
                var resolved = CoreSchema.Resolve(sc.Value);
                kind = (tag, resolved) switch
                {
                    ("tag:yaml.org,2002:int", ScalarKind.Integer) => ScalarKind.Integer,
                    ("tag:yaml.org,2002:float", ScalarKind.Integer or ScalarKind.Float) => ScalarKind.Float,
                    ("tag:yaml.org,2002:bool", ScalarKind.Boolean) => ScalarKind.Boolean,
                    ("tag:yaml.org,2002:null", ScalarKind.Null) => ScalarKind.Null,
                    _ => ScalarKind.String,
                };
                break;
            default:
                diagnostics.Report(DiagnosticCatalog.UnsupportedTag, SpanAt(sc.Start, sc.End), tag);
                kind = quoted ? ScalarKind.String : CoreSchema.Resolve(sc.Value);
                break;
        }
        return new ScalarNode(file, Index(sc.Start), Index(sc.End), sc.Value, kind, quoted);
    }

    void CheckTag(TagName tag, Mark start, Mark end, string expected)
    {
        if (tag.IsEmpty || tag.Value == "!" || tag.Value == expected) return;
        diagnostics.Report(DiagnosticCatalog.UnsupportedTag, SpanAt(start, end), tag.Value);
    }

    static string? AnchorOf(AnchorName anchor) => anchor.IsEmpty ? null : anchor.Value;

    int Index(Mark mark) => (int)Math.Clamp(mark.Index, 0, file.Text.Length);

    Model.SourceSpan SpanAt(Mark start, Mark end)
    {
        // Marks from YamlException may be Mark.Empty (index 0, line 0); fall back to the line/column they carry.
        if (start.Line <= 0) return file.Start;
        var s = Index(start);
        var e = end.Line > 0 ? Math.Max(s, Index(end)) : s;
        return file.Span(s, e);
    }

    [GeneratedRegex(@"^\s*\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();

    static string CleanMessage(string message) => MarkPrefix().Replace(message, "").Trim();
}
