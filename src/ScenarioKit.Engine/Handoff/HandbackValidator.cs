using System.Text.Json;
using System.Text.Json.Nodes;
using ScenarioKit.Engine.Runtime;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Handoff;

/// <summary>Checks a return to the bot (flow and agent-set values) against the scenario's declarations.</summary>
internal static class HandbackValidator
{
    public static List<HandbackError> Check(CompiledScenario scenario, string? flow, IReadOnlyDictionary<string, JsonNode?>? variables)
    {
        var errors = new List<HandbackError>();
        if (!string.IsNullOrEmpty(flow) && !scenario.Flows.ContainsKey(flow))
            errors.Add(new(HandbackError.UnknownFlow, flow, $"unknown flow '{flow}'", $"フロー '{flow}' はありません"));
        if (variables is not null)
            foreach (var (name, value) in variables.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                if (CheckVariable(scenario, name, value) is { } error) errors.Add(error);
        return errors;
    }

    public static HandbackError? CheckVariable(CompiledScenario scenario, string name, JsonNode? value)
    {
        if (!scenario.DeclaredVariables.TryGetValue(name, out var def))
            return new(HandbackError.UnknownVariable, name, $"unknown variable '{name}'", $"変数 '{name}' はありません");
        if (value is null) return null; // clears the value
        var kind = value.GetValueKind();
        var fits = (def.Type, kind) switch
        {
            (VariableType.String, JsonValueKind.String) => true,
            (VariableType.Number, JsonValueKind.Number) => true,
            (VariableType.Integer, JsonValueKind.Number) => IsWhole(value),
            (VariableType.Boolean, JsonValueKind.True or JsonValueKind.False) => true,
            (VariableType.Object, JsonValueKind.Object) => true,
            (VariableType.List, JsonValueKind.Array) => true,
            _ => false,
        };
        if (!fits)
        {
            var type = def.Type.ToString().ToLowerInvariant();
            return new(HandbackError.WrongType, name, $"variable '{name}' is of type {type}; {value.ToJsonString()} does not fit",
                $"変数 '{name}' の型は {type} です。{value.ToJsonString()} は代入できません");
        }
        if (def.Enum.Length > 0)
        {
            using var doc = JsonDocument.Parse(value.ToJsonString());
            if (!def.Enum.Any(e => JsonElement.DeepEquals(e, doc.RootElement)))
            {
                var allowed = string.Join(", ", def.Enum.Select(e => e.GetRawText()));
                return new(HandbackError.NotInEnum, name, $"variable '{name}' must be one of {allowed}; {value.ToJsonString()} is not",
                    $"変数 '{name}' は {allowed} のいずれかでなければなりません（{value.ToJsonString()}）");
            }
        }
        return null;
    }

    // A JsonValue may hold an int, a long, a double or a JsonElement: read the number from its JSON text.
    static bool IsWhole(JsonNode value) =>
        double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
        && Math.Floor(d) == d && !double.IsInfinity(d);
}
