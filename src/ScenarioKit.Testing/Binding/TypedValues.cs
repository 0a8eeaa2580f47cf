using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScenarioKit.Model;
using ScenarioKit.Testing.Syntax;

namespace ScenarioKit.Testing.Binding;

/// <summary>
/// Types YAML values against a variable's declared type (so <c>order.number: 12345678</c> is the string
/// "12345678" for a string variable) and compares engine values with expectations.
/// </summary>
internal static class TypedValues
{
    /// <summary>The JSON value of <paramref name="node"/> for <paramref name="variable"/>; null with a reason when it does not fit.</summary>
    public static JsonElement? Convert(YNode node, VariableDef? variable, out string? problem)
    {
        problem = null;
        if (node is YScalar { IsNull: true }) return JsonSerializer.SerializeToElement<object?>(null);
        if (variable is null) return YamlJson.ToJson(node);
        JsonElement? value = (variable.Type, node) switch
        {
            (VariableType.String, YScalar s) => YamlJson.StringOf(s),
            (VariableType.Number, YScalar s) when YamlTree.ScalarValue(s) is long or double => YamlJson.ToJson(s),
            (VariableType.Number, YScalar s) when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => YamlJson.ToJson(s with { IsPlain = true }),
            (VariableType.Integer, YScalar s) when YamlTree.ScalarValue(s) is long || long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => YamlJson.ToJson(s with { IsPlain = true }),
            (VariableType.Boolean, YScalar s) when YamlTree.ScalarValue(s with { IsPlain = true }) is bool => YamlJson.ToJson(s with { IsPlain = true }),
            (VariableType.Object, YMapping) => YamlJson.ToJson(node),
            (VariableType.List, YSequence) => YamlJson.ToJson(node),
            _ => null,
        };
        if (value is null)
        {
            problem = $"{YamlTree.Describe(node)} is not {Article(variable.Type)}";
            return null;
        }
        if (!variable.Enum.IsDefaultOrEmpty && !variable.Enum.Any(e => JsonEquals(e, value.Value)))
        {
            problem = $"{YamlTree.Describe(node)} is not one of [{string.Join(", ", variable.Enum.Select(e => e.GetRawText()))}]";
            return null;
        }
        return value;
    }

    public static string TypeName(VariableDef variable) =>
        variable.Enum.IsDefaultOrEmpty
            ? variable.Type.ToString().ToLowerInvariant()
            : $"{variable.Type.ToString().ToLowerInvariant()} in [{string.Join(", ", variable.Enum.Select(e => e.GetRawText()))}]";

    static string Article(VariableType type) => type switch
    {
        VariableType.Integer => "an integer",
        VariableType.Object => "an object (mapping)",
        VariableType.List => "a list",
        _ => "a " + type.ToString().ToLowerInvariant(),
    };

    public static JsonElement? ToElement(JsonNode? node) =>
        node is null ? null : JsonSerializer.SerializeToElement(node);

    /// <summary>Deep equality where numbers compare by value (1 equals 1.0) and a missing value equals null.</summary>
    public static bool JsonEquals(JsonElement? a, JsonElement? b)
    {
        var ak = a?.ValueKind ?? JsonValueKind.Null;
        var bk = b?.ValueKind ?? JsonValueKind.Null;
        if (ak is JsonValueKind.Undefined) ak = JsonValueKind.Null;
        if (bk is JsonValueKind.Undefined) bk = JsonValueKind.Null;
        if (ak != bk) return false;
        if (ak == JsonValueKind.Null) return true;
        var x = a!.Value;
        var y = b!.Value;
        switch (ak)
        {
            case JsonValueKind.Number:
                return x.TryGetDecimal(out var dx) && y.TryGetDecimal(out var dy) ? dx == dy : x.GetDouble().Equals(y.GetDouble());
            case JsonValueKind.String:
                return string.Equals(x.GetString(), y.GetString(), StringComparison.Ordinal);
            case JsonValueKind.True or JsonValueKind.False:
                return true;
            case JsonValueKind.Array:
                return x.GetArrayLength() == y.GetArrayLength()
                    && x.EnumerateArray().Zip(y.EnumerateArray()).All(p => JsonEquals(p.First, p.Second));
            default:
                var xs = x.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var ys = y.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                return xs.Count == ys.Count && xs.All(p => ys.TryGetValue(p.Key, out var other) && JsonEquals(p.Value, other));
        }
    }

    /// <summary>A value as a report shows it: JSON, with non-ASCII text kept readable.</summary>
    public static string Show(JsonElement? value) =>
        value is null || value.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            ? "null"
            : JsonSerializer.Serialize(value.Value, ReportJson);

    static readonly JsonSerializerOptions ReportJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
