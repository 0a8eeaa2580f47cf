using System.Text.Json;
using System.Text.Json.Nodes;
using ScenarioKit.Engine;
using ScenarioKit.Language;
using ScenarioKit.Model;

namespace ScenarioKit.Testing.Running;

/// <summary>The one place the runner touches the compiler's and the engine's entry points.</summary>
internal static class EngineAdapter
{
    public static CompilationResult Compile(string path) => ScenarioCompiler.Compile(path);

    public static ScenarioRuntime Load(ScenarioPackage package) => ScenarioRuntime.Load(package);

    /// <summary>Runs script actions for real in tests; HTTP actions are never called from a test.</summary>
    public static IActionInvoker? ScriptInvoker(ScenarioPackage package) => null;

    /// <summary>A new conversation with the test's <c>given</c> values set over the defaults.</summary>
    public static ConversationState Start(
        ScenarioRuntime runtime, string conversationId, IEnumerable<KeyValuePair<string, JsonElement?>> given, string? locale, string? channel)
    {
        var state = runtime.Start(conversationId, "test-user");
        var values = given.ToList();
        if (values.Count == 0) return state;
        // The state's JSON form is the engine's documented, versioned format: variables live under "var".
        var json = JsonNode.Parse(state.Serialize())!.AsObject();
        if (json["var"] is not JsonObject vars) json["var"] = vars = [];
        foreach (var (name, value) in values)
            vars[name] = value is { } v ? JsonNode.Parse(v.GetRawText()) : null;
        return ConversationState.Deserialize(JsonSerializer.SerializeToUtf8Bytes(json));
    }
}
