using System.Collections.Immutable;
using System.Globalization;
using ScenarioKit.Language;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;
using ScenarioKit.Testing.Diagnostics;

namespace ScenarioKit.Testing.Syntax;

/// <summary>A YAML node of a test file with its source span (converted from the compiler's tree by <see cref="YamlTree"/>).</summary>
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
/// A test or accuracy file as <see cref="YNode"/> records. Parsing is the compiler's
/// (<see cref="YamlDocument"/>: its reader, limits, positions); this maps its tree onto the records the test
/// reader works with, resolves YAML merge keys, and maps the compiler's SK1xxx ids onto the SK50xx range with
/// the test runner's messages (golden: tests/ScenarioKit.Testing.Tests/Fixtures/Invalid/yaml-syntax, duplicate-key).
/// </summary>
internal static class YamlTree
{
    public static YNode? Load(string file, string text, DiagnosticBag diagnostics)
    {
        var options = CompileOptions.Default;
        var (root, found) = YamlDocument.Read(file, text, options);
        diagnostics.AddRange(found.Select(d => Map(d, options)));
        if (found.Any(d => d.IsError)) return null;
        return root is null ? null : new Converter(diagnostics).Convert(root);
    }

    static Diagnostic Map(Diagnostic d, CompileOptions options)
    {
        string Arg(int i) => i < d.Arguments.Length ? d.Arguments[i] : "";
        var (descriptor, args) = d.Id switch
        {
            "SK1001" => (TestDiagnostics.YamlSyntax, new object[] { Arg(0) }),
            "SK1002" when d.Related.Length > 0 => (TestDiagnostics.DuplicateKey, [Arg(0), d.Related[0].Line, d.Related[0].Column]),
            "SK1003" => (TestDiagnostics.YamlSyntax, [string.Create(CultureInfo.InvariantCulture, $"the YAML expands to more than {options.MaxNodes:N0} nodes (aliases count with everything they repeat)")]),
            "SK1004" => (TestDiagnostics.YamlSyntax, [$"the YAML is nested more than {options.MaxDepth} levels deep"]),
            "SK1006" => (TestDiagnostics.InvalidValue, ["a mapping key must be a plain string"]),
            "SK1008" => (TestDiagnostics.YamlSyntax, ["a test file holds one YAML document; a second document starts here"]),
            // Anything else (an unsupported tag's warning) keeps the compiler's id and message.
            _ => (null, []),
        };
        if (descriptor is null) return d;
        return new Diagnostic(descriptor, descriptor.DefaultSeverity, d.Span,
            string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args), descriptor.Hint) { Related = d.Related };
    }

    /// <summary>Compiler nodes → records. An alias shares its anchor's node, so each node converts once (no expansion here).</summary>
    sealed class Converter(DiagnosticBag diagnostics)
    {
        readonly Dictionary<YamlNode, YNode> done = new(ReferenceEqualityComparer.Instance);

        public YNode Convert(YamlNode node)
        {
            if (done.TryGetValue(node, out var converted)) return converted;
            converted = node switch
            {
                ScalarNode s => Scalar(s),
                SequenceNode q => new YSequence([.. q.Items.Select(Convert)], q.Span),
                MappingNode m => Mapping(m),
                _ => throw new ArgumentOutOfRangeException(nameof(node), node.GetType().Name, "a YAML node is a scalar, a sequence or a mapping"),
            };
            done[node] = converted;
            return converted;
        }

        static YScalar Scalar(ScalarNode s) => new(s.Value, !s.Quoted, s.Span);

        YMapping Mapping(MappingNode m)
        {
            var entries = new List<YEntry>();
            var merged = new List<YEntry>();
            foreach (var (key, value) in m.Entries)
            {
                var converted = Convert(value);
                // YAML merge key: `<<: *base` copies the entries of an anchored mapping that this one does not set.
                if (!key.Quoted && key.Value == "<<")
                {
                    foreach (var source in converted is YSequence s ? s.Items : [converted])
                    {
                        if (source is YMapping sm) merged.AddRange(sm.Entries);
                        else diagnostics.Add(TestDiagnostics.InvalidValue, source.Span, "`<<` merges a mapping (an alias such as *base)");
                    }
                    continue;
                }
                entries.Add(new YEntry(Scalar(key), converted));
            }
            foreach (var e in merged)
                if (!entries.Any(x => x.Key.Value == e.Key.Value)) entries.Add(e);
            return new YMapping([.. entries], m.Span);
        }
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
