using System.Collections.Immutable;
using System.Globalization;
using ScenarioKit.Language;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ScenarioKit.Testing.Syntax;

/// <summary>A YAML node with its source span. Built from parser events so duplicate keys are reported, not thrown.</summary>
internal abstract record YNode(SourceSpan Span);

internal sealed record YScalar(string Value, bool IsPlain, SourceSpan Span) : YNode(Span)
{
    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar: YAML 1.2 core-schema null.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed record YEntry(YScalar Key, YNode Value);

internal sealed record YMapping(ImmutableArray<YEntry> Entries, SourceSpan Span) : YNode(Span)
{
    public YNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key)?.Value;
    public YEntry? Entry(string key) => Entries.FirstOrDefault(e => e.Key.Value == key);
}

internal sealed record YSequence(ImmutableArray<YNode> Items, SourceSpan Span) : YNode(Span);

/// <summary>
/// Loads the first document of a YAML text into a <see cref="YNode"/> tree, collecting diagnostics.
/// Bounded like the scenario compiler (its <see cref="CompileOptions"/> defaults): nesting depth,
/// because <see cref="ReadNode"/> recurses and a stack overflow cannot be caught; and the node count
/// after alias expansion, because test values are converted to JSON with aliases expanded (billion laughs).
/// </summary>
internal static class YamlTree
{
    static readonly int MaxDepth = new CompileOptions().MaxDepth;
    static readonly long MaxNodes = new CompileOptions().MaxNodes;

    sealed class Limits
    {
        public long Nodes;
        public readonly Dictionary<YNode, long> Expanded = new(ReferenceEqualityComparer.Instance);
    }

    sealed class LimitExceeded(SourceSpan span, string message) : Exception(message)
    {
        public SourceSpan Span { get; } = span;
    }

    public static YNode? Load(string file, string text, DiagnosticBag diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var limits = new Limits();
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, file, anchors, diagnostics, limits, depth: 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current!;
                diagnostics.Add(TestDiagnostics.YamlSyntax, Span(file, next.Start, next.End),
                    "a test file holds one YAML document; a second document starts here");
            }
            return root;
        }
        catch (YamlException e)
        {
            diagnostics.Add(TestDiagnostics.YamlSyntax, Clamp(Span(file, e.Start, e.End), text), CleanMessage(e));
            return null;
        }
        catch (LimitExceeded e)
        {
            diagnostics.Add(TestDiagnostics.YamlSyntax, Clamp(e.Span, text), e.Message);
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this (without a position) on some malformed input; the last event read is the best place we know.
            var at = Clamp(parser.Current is { } current ? Span(file, current.End, current.End) : new SourceSpan(file, 1, 1, 1, 1), text);
            diagnostics.Add(TestDiagnostics.YamlSyntax, at, $"the YAML cannot be read after this point ({e.Message})");
            return null;
        }
    }

    static YNode ReadNode(IParser parser, string file, Dictionary<string, YNode> anchors, DiagnosticBag diagnostics, Limits limits, int depth)
    {
        var at = parser.Current!;
        if (depth > MaxDepth)
            throw new LimitExceeded(Span(file, at.Start, at.End), $"the YAML is nested more than {MaxDepth} levels deep");
        var node = ReadNodeCore(parser, file, anchors, diagnostics, limits, depth);
        // An alias counts again with everything under it: that is what converting it to JSON costs.
        long size;
        if (at is AnchorAlias) size = limits.Expanded.GetValueOrDefault(node, 1);
        else
        {
            size = 1 + node switch
            {
                YMapping m => m.Entries.Sum(e => limits.Expanded.GetValueOrDefault(e.Value, 1)),
                YSequence q => q.Items.Sum(i => limits.Expanded.GetValueOrDefault(i, 1)),
                _ => 0,
            };
            limits.Expanded[node] = size;
        }
        limits.Nodes += at is AnchorAlias ? size : 1;
        if (limits.Nodes > MaxNodes || size > MaxNodes)
            throw new LimitExceeded(Span(file, at.Start, at.End), $"the YAML expands to more than {MaxNodes:N0} nodes (aliases count with everything they repeat)");
        return node;
    }

    static YNode ReadNodeCore(IParser parser, string file, Dictionary<string, YNode> anchors, DiagnosticBag diagnostics, Limits limits, int depth)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var target)) return target;
            diagnostics.Add(TestDiagnostics.YamlSyntax, Span(file, alias.Start, alias.End), $"unknown alias *{alias.Value.Value}");
            return new YScalar("", true, Span(file, alias.Start, alias.End));
        }
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var node = new YScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, Span(file, scalar.Start, scalar.End));
            Remember(anchors, scalar.Anchor, node);
            return node;
        }
        if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var items = ImmutableArray.CreateBuilder<YNode>();
            SequenceEnd seqEnd;
            while (!parser.TryConsume(out seqEnd!))
                items.Add(ReadNode(parser, file, anchors, diagnostics, limits, depth + 1));
            var node = new YSequence(items.ToImmutable(), Span(file, seqStart.Start, seqEnd.End));
            Remember(anchors, seqStart.Anchor, node);
            return node;
        }
        if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            var entries = new List<YEntry>();
            var merged = new List<YEntry>();
            MappingEnd mapEnd;
            while (!parser.TryConsume(out mapEnd!))
            {
                var keyNode = ReadNode(parser, file, anchors, diagnostics, limits, depth + 1);
                var value = ReadNode(parser, file, anchors, diagnostics, limits, depth + 1);
                if (keyNode is not YScalar key)
                {
                    diagnostics.Add(TestDiagnostics.InvalidValue, keyNode.Span, "a mapping key must be a plain string");
                    continue;
                }
                // YAML merge key: `<<: *base` copies the entries of an anchored mapping that this one does not set.
                if (key.IsPlain && key.Value == "<<")
                {
                    foreach (var source in value is YSequence s ? s.Items : [value])
                    {
                        if (source is YMapping m) merged.AddRange(m.Entries);
                        else diagnostics.Add(TestDiagnostics.InvalidValue, source.Span, "`<<` merges a mapping (an alias such as *base)");
                    }
                    continue;
                }
                var existing = entries.FirstOrDefault(e => e.Key.Value == key.Value);
                if (existing is not null)
                {
                    diagnostics.Add(TestDiagnostics.DuplicateKey, key.Span, [existing.Key.Span], key.Value, existing.Key.Span.Line, existing.Key.Span.Column);
                    continue;
                }
                entries.Add(new YEntry(key, value));
            }
            foreach (var m in merged)
                if (!entries.Any(e => e.Key.Value == m.Key.Value)) entries.Add(m);
            var node = new YMapping([.. entries], Span(file, mapStart.Start, mapEnd.End));
            Remember(anchors, mapStart.Anchor, node);
            return node;
        }
        var ev = parser.Current!;
        throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
    }

    static void Remember(Dictionary<string, YNode> anchors, AnchorName anchor, YNode node)
    {
        if (!anchor.IsEmpty) anchors[anchor.Value] = node;
    }

    /// <summary>
    /// YamlDotNet reports an error at the end of input on the line after the last one; keep every span
    /// inside the text so editors and the caret printer can show it.
    /// </summary>
    static SourceSpan Clamp(SourceSpan span, string text)
    {
        var lines = text.Split('\n');
        var lastLine = lines.Length;
        var endOfText = (Line: lastLine, Column: lines[^1].TrimEnd('\r').Length + 1);
        (int, int) Fix(int line, int column) =>
            line > lastLine ? endOfText : (Math.Max(1, line), Math.Max(1, column));
        var (startLine, startColumn) = Fix(span.Line, span.Column);
        var (endLine, endColumn) = Fix(span.EndLine, span.EndColumn);
        return span with { Line = startLine, Column = startColumn, EndLine = endLine, EndColumn = endColumn };
    }

    internal static SourceSpan Span(string file, Mark start, Mark end) =>
        new(file, (int)start.Line, (int)start.Column, (int)end.Line, (int)end.Column);

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (…): "; the span already says where.
    static string CleanMessage(YamlException e)
    {
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(cut + 3)..] : message;
    }

    public static string Describe(YNode node) => node switch
    {
        YScalar { IsNull: true } => "null",
        YScalar s => $"'{s.Value}'",
        YMapping => "a mapping",
        YSequence => "a list",
        _ => "a node",
    };

    /// <summary>Interprets a plain scalar by the YAML 1.2 core schema; quoted scalars are strings.</summary>
    public static object? ScalarValue(YScalar s)
    {
        if (!s.IsPlain) return s.Value;
        if (s.IsNull) return null;
        switch (s.Value)
        {
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
        }
        if (long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
        if (s.Value.Length > 0 && (char.IsAsciiDigit(s.Value[0]) || s.Value[0] is '-' or '+' or '.')
            && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        return s.Value;
    }
}
