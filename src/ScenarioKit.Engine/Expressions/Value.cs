using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScenarioKit.Engine.Expressions;

internal enum ValueKind : byte { Undefined, Null, Boolean, Number, String, Node }

/// <summary>
/// A JavaScript value as the engine sees it outside Jint: primitives unboxed, objects and arrays as
/// JSON nodes. The fast-path evaluator and template rendering use it so a plain <c>${order.number}</c>
/// needs neither Jint nor an allocation.
/// </summary>
internal readonly struct Value
{
    Value(ValueKind kind, double number = 0, string? text = null, JsonNode? node = null)
    {
        Kind = kind;
        Number = number;
        Text = text;
        Node = node;
    }

    public ValueKind Kind { get; }
    public double Number { get; }
    public string? Text { get; }
    public JsonNode? Node { get; }

    public static readonly Value Undefined = new(ValueKind.Undefined);
    public static readonly Value Null = new(ValueKind.Null);
    public static readonly Value True = new(ValueKind.Boolean, 1);
    public static readonly Value False = new(ValueKind.Boolean, 0);

    public static Value Of(bool b) => b ? True : False;
    public static Value Of(double d) => new(ValueKind.Number, d);
    public static Value Of(string s) => new(ValueKind.String, text: s);
    public static Value Of(JsonNode node) => new(ValueKind.Node, node: node);

    public bool IsNullish => Kind is ValueKind.Undefined or ValueKind.Null;

    /// <summary>JavaScript ToBoolean.</summary>
    public bool IsTruthy => Kind switch
    {
        ValueKind.Boolean => Number != 0,
        ValueKind.Number => Number != 0 && !double.IsNaN(Number),
        ValueKind.String => Text!.Length > 0,
        ValueKind.Node => true,
        _ => false,
    };

    public static Value FromNode(JsonNode? node)
    {
        if (node is null) return Null;
        if (node is not JsonValue v) return Of(node);
        return v.GetValueKind() switch
        {
            JsonValueKind.String => Of(v.GetValue<string>()),
            JsonValueKind.Number => Of(JsonValues.ToDouble(v)),
            JsonValueKind.True => True,
            JsonValueKind.False => False,
            JsonValueKind.Null => Null,
            _ => Of(node),
        };
    }

    /// <summary>As a JSON node for storing in a variable (undefined becomes null).</summary>
    public JsonNode? ToNode() => Kind switch
    {
        ValueKind.Boolean => JsonValue.Create(Number != 0),
        ValueKind.Number => double.IsFinite(Number) ? JsonValues.Number(Number) : null,
        ValueKind.String => JsonValue.Create(Text),
        ValueKind.Node => Node!.DeepClone(),
        _ => null,
    };

    /// <summary>
    /// Text for a template hole: strings as they are, numbers as JavaScript prints them, booleans
    /// as true/false, null and undefined as nothing (a customer should never read "undefined"),
    /// objects and arrays as JSON.
    /// </summary>
    public void AppendTo(StringBuilder sb)
    {
        switch (Kind)
        {
            case ValueKind.String: sb.Append(Text); break;
            case ValueKind.Number: JsNumberFormat.Append(sb, Number); break;
            case ValueKind.Boolean: sb.Append(Number != 0 ? "true" : "false"); break;
            case ValueKind.Node: sb.Append(Node!.ToJsonString(JsonValues.DisplayOptions)); break;
        }
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        AppendTo(sb);
        return sb.ToString();
    }
}

/// <summary>Number::toString (ECMA-262 6.1.6.1.20) for finite and non-finite doubles.</summary>
internal static class JsNumberFormat
{
    public static void Append(StringBuilder sb, double d)
    {
        if (double.IsNaN(d)) { sb.Append("NaN"); return; }
        if (double.IsPositiveInfinity(d)) { sb.Append("Infinity"); return; }
        if (double.IsNegativeInfinity(d)) { sb.Append("-Infinity"); return; }
        if (d == 0) { sb.Append('0'); return; }
        if (Math.Floor(d) == d && Math.Abs(d) < 1e15)
        {
            sb.Append(((long)d).ToString(CultureInfo.InvariantCulture));
            return;
        }
        // Shortest round-trip digits, then JavaScript's layout rules for the exponent.
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        // value = 0.digits × 10^exponent (k digits, n = exponent in the spec's terms)
        var ePos = shortest.IndexOfAny(['E', 'e']);
        var mantissa = ePos >= 0 ? shortest[..ePos] : shortest;
        var exp10 = ePos >= 0 ? int.Parse(shortest[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var all = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - all.Length;
        var digits = all.TrimEnd('0');
        var exponent = intPart.Length - leadingZeros + exp10;
        if (digits.Length == 0) { sb.Append('0'); return; }

        if (d < 0) sb.Append('-');
        var k = digits.Length;
        var n = exponent;
        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1) sb.Append('.').Append(digits, 1, k - 1);
            sb.Append('e').Append(n - 1 >= 0 ? '+' : '-').Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }
    }
}
