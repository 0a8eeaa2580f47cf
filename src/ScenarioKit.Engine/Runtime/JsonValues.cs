using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScenarioKit.Engine;

/// <summary>Conversions between JSON representations the engine meets (model literals, event values, variables).</summary>
internal static class JsonValues
{
    /// <summary>For JSON shown to people (templates, logs): Japanese unescaped.</summary>
    public static readonly JsonSerializerOptions DisplayOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static JsonNode? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => JsonValue.Create(element.GetString()!),
        JsonValueKind.True => JsonValue.Create(true),
        JsonValueKind.False => JsonValue.Create(false),
        // Element-backed, so readers may ask for int, long, double or decimal alike.
        JsonValueKind.Number => JsonValue.Create(element.Clone())!,
        JsonValueKind.Object or JsonValueKind.Array => JsonNode.Parse(element.GetRawText()),
        _ => null,
    };

    /// <summary>Reads a node's scalar as a CLR value kind without allocating: string, double, bool; other shapes report false.</summary>
    public static bool TryGetScalar(JsonNode? node, out object? scalar)
    {
        scalar = null;
        if (node is null) return true;
        if (node is not JsonValue value) return false;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String: scalar = value.GetValue<string>(); return true;
            case JsonValueKind.True: scalar = true; return true;
            case JsonValueKind.False: scalar = false; return true;
            case JsonValueKind.Number: scalar = ToDouble(value); return true;
            default: return false;
        }
    }

    public static double ToDouble(JsonValue value)
    {
        if (value.TryGetValue<double>(out var d)) return d;
        if (value.TryGetValue<long>(out var l)) return l;
        if (value.TryGetValue<int>(out var i)) return i;
        if (value.TryGetValue<decimal>(out var m)) return (double)m;
        if (value.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number) return e.GetDouble();
        return double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
    }

    /// <summary>A number as JSON: integral values within 2^53 become integers, so state stays readable ("3", not "3.0").</summary>
    /// <remarks>Element-backed (like numbers read from JSON), so <c>GetValue&lt;int&gt;()</c> works on 3 and <c>GetValue&lt;double&gt;()</c> on 2.5.</remarks>
    public static JsonNode Number(double d) =>
        JsonValue.Create(Math.Abs(d) <= 9007199254740992d && Math.Floor(d) == d && !(d == 0 && double.IsNegative(d))
            ? JsonSerializer.SerializeToElement((long)d)
            : JsonSerializer.SerializeToElement(d))!;
}
