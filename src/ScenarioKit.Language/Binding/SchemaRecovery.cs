using System.Collections.Frozen;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

/// <summary>
/// Binding and the semantic checks run even when the schema check failed, so that one run reports every
/// error (a misspelt key and an unknown intent together). The binder skips what has the wrong shape; this
/// drops what it and the checks then say again or only as a consequence of that shape: a shape diagnostic
/// (SK2xxx) or a structural one (a missing prompt, an unreachable step or flow) inside the smallest node
/// that holds a schema error. References, expressions, patterns and values are still checked everywhere.
/// </summary>
internal static class SchemaRecovery
{
    // Structural findings that a wrong shape causes: the binder skipped the step, trigger or list that would have satisfied them.
    static readonly FrozenSet<string> Consequential = FrozenSet.Create(StringComparer.Ordinal,
        "SK3008", "SK3009", "SK3010", "SK3011", "SK3012", "SK3013", "SK3016", "SK3025", "SK3027", "SK3028", "SK3101", "SK3102");

    /// <param name="later">What binding and the semantic checks reported.</param>
    /// <param name="schema">What the schema check reported (errors and warnings).</param>
    public static IEnumerable<Diagnostic> Filter(IReadOnlyList<Diagnostic> later, IReadOnlyList<Diagnostic> schema, MappingNode root)
    {
        var schemaErrors = schema.Where(x => x.IsError).ToList();
        // The binder reports shapes too (it does not trust the schema), so its own shape errors also explain structural findings.
        List<SourceSpan> shapeErrors = [.. schemaErrors.Select(x => x.Span), .. later.Where(x => x.IsError && IsShape(x.Id)).Select(x => x.Span)];
        if (shapeErrors.Count == 0) return later;
        // Errors on one scalar or key (a wrong type, an empty text, an unknown key): nothing more is said about that span.
        var leafErrors = schemaErrors.Where(x => Innermost(root, x.Span).Node is null or ScalarNode).Select(x => x.Span).ToList();
        return later.Where(x => !IsSuppressed(x, schemaErrors, leafErrors, shapeErrors, root));
    }

    static bool IsShape(string id) => id.StartsWith("SK2", StringComparison.Ordinal);

    static bool IsSuppressed(Diagnostic x, List<Diagnostic> schemaErrors, List<SourceSpan> leafErrors, List<SourceSpan> shapeErrors, MappingNode root)
    {
        if (leafErrors.Any(s => Contains(s, x.Span))) return true;
        // Said twice: the schema reported the same finding here or on the node around it (a missing key is reported on its mapping).
        if (schemaErrors.Any(s => s.Id == x.Id && Contains(s.Span, x.Span))) return true;
        if (IsShape(x.Id))
        {
            var own = Innermost(root, x.Span).Region;
            return schemaErrors.Any(s => Contains(own, s.Span));
        }
        if (!Consequential.Contains(x.Id)) return false;
        var block = Block(root, x.Span);
        return shapeErrors.Any(s => Contains(block, s));
    }

    /// <summary>
    /// The smallest value node, or key-plus-value region of a mapping entry (Node null), that holds
    /// <paramref name="span"/>. Iterative: trees may be thousands of levels deep.
    /// </summary>
    internal static (SourceSpan Region, YamlNode? Node) Innermost(MappingNode root, SourceSpan span)
    {
        var path = Path(root, span);
        return path[^1];
    }

    /// <summary>The block a structural finding is about: the smallest mapping or list around it, or the entry when it points at a key (a flow at its name).</summary>
    static SourceSpan Block(MappingNode root, SourceSpan span)
    {
        var path = Path(root, span);
        for (var i = path.Count - 1; i >= 0; i--)
            if (path[i].Node is null or MappingNode or SequenceNode) return path[i].Region;
        return path[0].Region;
    }

    static List<(SourceSpan Region, YamlNode? Node)> Path(MappingNode root, SourceSpan span)
    {
        var path = new List<(SourceSpan, YamlNode?)> { (root.Span, root) };
        YamlNode node = root;
        while (true)
        {
            // A span covering the whole node is about the node (a missing key is reported on its mapping), not about its only entry.
            if (Contains(span, node.Span)) return path;
            YamlNode? next = null;
            switch (node)
            {
                case MappingNode m:
                    foreach (var (key, value) in m.Entries)
                    {
                        if (key.File != value.File) continue;
                        var entry = key.File.Span(key.Start, Math.Max(key.End, value.End));
                        if (!Contains(entry, span)) continue;
                        if (Contains(value.Span, span) && !Contains(key.Span, span))
                        {
                            path.Add((value.Span, value));
                            next = value;
                        }
                        else path.Add((entry, null));
                        break;
                    }
                    break;
                case SequenceNode s:
                    foreach (var item in s.Items)
                        if (Contains(item.Span, span))
                        {
                            path.Add((item.Span, item));
                            next = item;
                            break;
                        }
                    break;
            }
            if (next is null || ReferenceEquals(next, node)) return path;
            node = next;
        }
    }

    internal static bool Contains(SourceSpan outer, SourceSpan inner) =>
        string.Equals(outer.File, inner.File, StringComparison.Ordinal)
        && Compare(outer.Line, outer.Column, inner.Line, inner.Column) <= 0
        && Compare(inner.EndLine, inner.EndColumn, outer.EndLine, outer.EndColumn) <= 0;

    static int Compare(int line1, int column1, int line2, int column2) => line1 != line2 ? line1.CompareTo(line2) : column1.CompareTo(column2);

    /// <summary>Names written as keys of a definition block, whatever shape their value has: a reference to one of them is not "unknown".</summary>
    internal static HashSet<string> DeclaredNames(MappingNode root, string block)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (root[block] is MappingNode m)
            foreach (var (key, _) in m.Entries) names.Add(key.Value);
        return names;
    }
}
