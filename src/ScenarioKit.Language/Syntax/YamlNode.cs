using System.Globalization;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Syntax;

public enum ScalarKind { Null, Boolean, Integer, Float, String }

/// <summary>
/// Our YAML tree. Unlike YamlDotNet's representation model it keeps duplicate-key information out
/// (reported while reading) and every node knows its file and character range. Aliases share the
/// anchored node instance, so <see cref="Size"/> counts the expanded size.
/// </summary>
public abstract class YamlNode(SourceFile file, int start, int end)
{
    public SourceFile File { get; } = file;
    public int Start { get; } = start;
    public int End { get; internal set; } = end;
    /// <summary>Nodes in this subtree after alias expansion (this one included).</summary>
    public int Size { get; internal set; } = 1;
    /// <summary>Nesting levels below and including this node.</summary>
    public int Height { get; internal set; } = 1;

    SourceSpan? span;
    public SourceSpan Span => span ??= File.Span(Start, End);

    public abstract string KindName { get; }
}

public sealed class ScalarNode(SourceFile file, int start, int end, string value, ScalarKind kind, bool quoted) : YamlNode(file, start, end)
{
    public string Value { get; } = value;
    public ScalarKind Kind { get; } = kind;
    public bool Quoted { get; } = quoted;
    public override string KindName => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.Boolean => "boolean",
        ScalarKind.Integer or ScalarKind.Float => "number",
        _ => "string",
    };

    public bool IsString => Kind == ScalarKind.String;

    public bool? AsBoolean => Kind == ScalarKind.Boolean ? Value is "true" or "True" or "TRUE" : null;

    public double? AsNumber => Kind switch
    {
        ScalarKind.Integer => (double?)ParseInteger(Value) ?? double.Parse(Value, NumberStyles.Float, CultureInfo.InvariantCulture),
        ScalarKind.Float => CoreSchema.ParseFloat(Value),
        _ => null,
    };

    public static long? ParseInteger(string v)
    {
        var negative = v.StartsWith('-');
        var body = v.TrimStart('+', '-');
        long result;
        var ok = body.StartsWith("0x", StringComparison.Ordinal)
            ? long.TryParse(body.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result)
            : body.StartsWith("0o", StringComparison.Ordinal)
                ? TryParseOctal(body[2..], out result)
                : long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out result);
        return ok ? (negative ? -result : result) : null;
    }

    static bool TryParseOctal(string s, out long result)
    {
        result = 0;
        foreach (var c in s)
        {
            if (result > long.MaxValue / 8) return false;
            result = result * 8 + (c - '0');
        }
        return s.Length > 0;
    }

    /// <summary>
    /// The source range of characters [valueStart, valueEnd) of <see cref="Value"/>. Exact for plain and
    /// quoted one-line scalars and literal blocks; for escapes and folding it aligns value and source
    /// greedily and falls back to the whole scalar when they cannot be aligned.
    /// </summary>
    public SourceSpan SpanOf(int valueStart, int valueEnd)
    {
        var s = SourceIndexOf(valueStart);
        var e = valueEnd <= valueStart ? s : SourceIndexOf(valueEnd - 1) + 1;
        if (s < 0 || e < 0) return Span;
        return File.Span(s, Math.Max(s, e));
    }

    int SourceIndexOf(int valueIndex)
    {
        var text = File.Text;
        int r = Start, v = 0;
        var skipped = 0;
        while (r < End && r < text.Length && v < Value.Length)
        {
            if (text[r] == Value[v] && !(Quoted && v == 0 && r == Start))
            {
                if (v == valueIndex) return r;
                v++;
                r++;
                skipped = 0;
            }
            else
            {
                r++;
                if (++skipped > 512) return -1;
            }
        }
        return v == valueIndex && v == Value.Length ? Math.Min(r, End) : -1;
    }
}

public sealed class SequenceNode(SourceFile file, int start, int end, IReadOnlyList<YamlNode> items) : YamlNode(file, start, end)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;
    public override string KindName => "list";
}

public sealed class MappingNode(SourceFile file, int start, int end, IReadOnlyList<KeyValuePair<ScalarNode, YamlNode>> entries) : YamlNode(file, start, end)
{
    public IReadOnlyList<KeyValuePair<ScalarNode, YamlNode>> Entries { get; } = entries;
    public override string KindName => "mapping";

    public YamlNode? this[string key]
    {
        get
        {
            foreach (var e in Entries)
                if (string.Equals(e.Key.Value, key, StringComparison.Ordinal)) return e.Value;
            return null;
        }
    }

    public ScalarNode? KeyOf(string key)
    {
        foreach (var e in Entries)
            if (string.Equals(e.Key.Value, key, StringComparison.Ordinal)) return e.Key;
        return null;
    }
}

/// <summary>YAML 1.2 core schema resolution of plain scalars: 'on', 'yes', '1.0.0' stay strings.</summary>
internal static class CoreSchema
{
    public static ScalarKind Resolve(string v)
    {
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL": return ScalarKind.Null;
            case "true" or "True" or "TRUE" or "false" or "False" or "FALSE": return ScalarKind.Boolean;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN": return ScalarKind.Float;
        }
        if (IsInteger(v)) return ScalarKind.Integer;
        if (IsFloat(v)) return ScalarKind.Float;
        return ScalarKind.String;
    }

    static bool IsInteger(string v)
    {
        var s = v.AsSpan();
        if (s.StartsWith("0x") && s.Length > 2) return AllOf(s[2..], char.IsAsciiHexDigit);
        if (s.StartsWith("0o") && s.Length > 2) return AllOf(s[2..], c => c is >= '0' and <= '7');
        if (s.Length > 0 && s[0] is '+' or '-') s = s[1..];
        return s.Length > 0 && AllOf(s, char.IsAsciiDigit);
    }

    static bool AllOf(ReadOnlySpan<char> s, Func<char, bool> test)
    {
        foreach (var c in s) if (!test(c)) return false;
        return true;
    }

    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    static bool IsFloat(string v)
    {
        var i = 0;
        if (i < v.Length && v[i] is '+' or '-') i++;
        var digits = 0;
        while (i < v.Length && char.IsAsciiDigit(v[i])) { i++; digits++; }
        if (i < v.Length && v[i] == '.')
        {
            i++;
            var frac = 0;
            while (i < v.Length && char.IsAsciiDigit(v[i])) { i++; frac++; }
            if (digits == 0 && frac == 0) return false;
        }
        else if (digits == 0) return false;
        if (i < v.Length && v[i] is 'e' or 'E')
        {
            i++;
            if (i < v.Length && v[i] is '+' or '-') i++;
            var exp = 0;
            while (i < v.Length && char.IsAsciiDigit(v[i])) { i++; exp++; }
            if (exp == 0) return false;
        }
        return i == v.Length;
    }

    public static double ParseFloat(string v) => v.TrimStart('+') switch
    {
        ".inf" or ".Inf" or ".INF" => double.PositiveInfinity,
        "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
        ".nan" or ".NaN" or ".NAN" => double.NaN,
        var s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
