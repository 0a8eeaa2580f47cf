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

    /// <exception cref="ScenarioLoadException">The package cannot run (each error has its YAML span).</exception>
    public static ScenarioRuntime Load(ScenarioPackage package) => ScenarioRuntime.Load(package);

    /// <summary>
    /// Runs a test's unmocked script actions for real, on the test's clock (what <c>Date.now()</c> reads).
    /// HTTP actions never get here (<see cref="TestActionInvoker"/> fails them), and the client refuses
    /// to send anything should one slip through: tests never reach the network.
    /// </summary>
    public static IActionInvoker ScriptInvoker(TimeProvider clock) => new DefaultActionInvoker(NoNetwork, clock);

    static readonly HttpClient NoNetwork = new(new RefusingHandler());

    sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException($"scenario tests never reach the network (request to {request.RequestUri})");
    }

    /// <summary>A new conversation with the test's <c>given</c> values set over the defaults (any scope); a null value unsets the variable.</summary>
    public static ConversationState Start(ScenarioRuntime runtime, string conversationId, IEnumerable<KeyValuePair<string, JsonElement?>> given)
    {
        var state = runtime.Start(conversationId, "test-user");
        var values = given.Select(g => KeyValuePair.Create(g.Key, g.Value is { } v ? JsonNode.Parse(v.GetRawText()) : null)).ToList();
        return values.Count == 0 ? state : state.WithVariables(values);
    }
}
