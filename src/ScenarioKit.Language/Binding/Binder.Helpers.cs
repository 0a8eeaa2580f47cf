using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;

namespace ScenarioKit.Language.Binding;

/// <summary>Checked accessors: each reports the SK2xxx diagnostic for a wrong shape and returns null.</summary>
internal sealed partial class Binder
{
    void CheckKeys(MappingNode m, string path, params string[] allowed)
    {
        foreach (var (key, _) in m.Entries)
            if (key.Value == "pii" && !allowed.Contains("pii"))
                d.Report(DiagnosticCatalog.PiiOutsideVariable, key.Span, Names.At(path));
            else if (!allowed.Contains(key.Value))
                d.Report(DiagnosticCatalog.UnknownKey, key.Span, key.Value, Names.At(path), Localized.DidYouMean(Suggest.Closest(key.Value, allowed)));
    }

    static YamlNode? Optional(MappingNode m, string key) => m[key] is { } v and not ScalarNode { Kind: ScalarKind.Null } ? v : null;

    YamlNode? Required(MappingNode m, string key, string path)
    {
        var v = m[key];
        if (v is null || v is ScalarNode { Kind: ScalarKind.Null })
        {
            if (v is null) d.Report(DiagnosticCatalog.MissingKey, m.Span, Names.At(path), key);
            else d.Report(DiagnosticCatalog.TypeMismatch, v.Span, Names.At(Join(path, key)), Names.TypeName("string"), Names.TypeName("null"));
            return null;
        }
        return v;
    }

    static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    void TypeMismatch(YamlNode node, string path, string expected) =>
        d.Report(DiagnosticCatalog.TypeMismatch, node.Span, Names.At(path), Names.TypeName(expected), Names.TypeName(node.KindName));

    MappingNode? Map(YamlNode node, string path)
    {
        if (node is MappingNode m) return m;
        TypeMismatch(node, path, "mapping");
        return null;
    }

    SequenceNode? Seq(YamlNode node, string path)
    {
        if (node is SequenceNode s) return s;
        TypeMismatch(node, path, "list");
        return null;
    }

    string? Str(YamlNode node, string path)
    {
        if (node is ScalarNode { IsString: true } s && s.Value.Length > 0) return s.Value;
        if (node is ScalarNode { IsString: true }) d.Report(DiagnosticCatalog.BadLength, node.Span, Names.At(path), new Localized("short", "短すぎ"), new Localized("it is empty", "空です"));
        else TypeMismatch(node, path, "string");
        return null;
    }

    string? RequiredString(MappingNode m, string key, string path) =>
        Required(m, key, path) is { } v ? Str(v, Join(path, key)) : null;

    string? StringOf(MappingNode m, string key, string path = "") =>
        Optional(m, key) is { } v ? Str(v, Join(path, key)) : null;

    string? OneOf(MappingNode m, string key, string path, string[] allowed)
    {
        if (StringOf(m, key, path) is not { } v) return null;
        if (allowed.Contains(v)) return v;
        d.Report(DiagnosticCatalog.NotInEnum, m[key]!.Span, Names.At(Join(path, key)), v, string.Join(", ", allowed), Localized.DidYouMean(Suggest.Closest(v, allowed)));
        return null;
    }

    bool? Bool(MappingNode m, string key, string path)
    {
        if (Optional(m, key) is not { } v) return null;
        if (v is ScalarNode { Kind: ScalarKind.Boolean } b) return b.AsBoolean;
        TypeMismatch(v, Join(path, key), "boolean");
        return null;
    }

    double? Number(MappingNode m, string key, string path, double? min, double? max)
    {
        if (Optional(m, key) is not { } v) return null;
        if (v is not ScalarNode { Kind: ScalarKind.Integer or ScalarKind.Float } s || s.AsNumber is not { } n || double.IsNaN(n))
        {
            TypeMismatch(v, Join(path, key), "number");
            return null;
        }
        if ((min is { } lo && n < lo) || (max is { } hi && n > hi))
        {
            d.Report(DiagnosticCatalog.OutOfRange, v.Span, Names.At(Join(path, key)), s.Value, RangeText(min, max));
            return null;
        }
        return n;
    }

    long? Integer(MappingNode m, string key, string path, long min, long max)
    {
        if (Optional(m, key) is not { } v) return null;
        if (v is not ScalarNode { Kind: ScalarKind.Integer } s || ScalarNode.ParseInteger(s.Value) is not { } n)
        {
            TypeMismatch(v, Join(path, key), "integer");
            return null;
        }
        if (n < min || n > max)
        {
            d.Report(DiagnosticCatalog.OutOfRange, v.Span, Names.At(Join(path, key)), s.Value, RangeText(min, max));
            return null;
        }
        return n;
    }

    internal static Localized RangeText(double? min, double? max) => (min, max) switch
    {
        ({ } lo, { } hi) => new(FormattableString.Invariant($"allowed: {lo} to {hi}"), FormattableString.Invariant($"{lo}〜{hi}")),
        ({ } lo, null) => new(FormattableString.Invariant($"at least {lo}"), FormattableString.Invariant($"{lo} 以上")),
        (null, { } hi) => new(FormattableString.Invariant($"at most {hi}"), FormattableString.Invariant($"{hi} 以下")),
        _ => Localized.Empty,
    };

    /// <summary>A list of non-empty strings; wrong items are reported and skipped.</summary>
    List<ScalarNode> StringNodes(MappingNode m, string key, string path)
    {
        var result = new List<ScalarNode>();
        if (Optional(m, key) is not { } v || Seq(v, Join(path, key)) is not { } seq) return result;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (Str(seq.Items[i], $"{Join(path, key)}[{i}]") is null) continue;
            var item = (ScalarNode)seq.Items[i];
            if (!seen.Add(item.Value)) d.Report(DiagnosticCatalog.NotUnique, item.Span, Names.At(Join(path, key)));
            else result.Add(item);
        }
        return result;
    }

    static string Text(YamlNode node) => node is ScalarNode s ? s.Value : node.KindName;
}
