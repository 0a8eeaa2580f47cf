using System.Text.Json.Nodes;
using ScenarioKit.Model;

namespace ScenarioKit.Engine;

/// <summary>
/// Runs a scenario action (<c>call</c> step). Implementations: <see cref="DefaultActionInvoker"/>
/// (HTTP and sandboxed scripts) and <see cref="MockActionInvoker"/> (fixed results for tests and
/// <c>chat --mock</c>). An invoker reports failures as <see cref="ActionOutcome.Failure"/>, not by throwing;
/// an exception other than cancellation is turned into a failure by the engine.
/// </summary>
public interface IActionInvoker
{
    ValueTask<ActionOutcome> InvokeAsync(ActionDef action, IReadOnlyDictionary<string, JsonNode?> arguments, CancellationToken ct);
}

/// <summary>The result of an action: a value (possibly null) or a failure message.</summary>
public sealed record ActionOutcome
{
    ActionOutcome(bool succeeded, JsonNode? value, string? error)
    {
        Succeeded = succeeded;
        Value = value;
        Error = error;
    }

    public bool Succeeded { get; }
    public JsonNode? Value { get; }
    public string? Error { get; }

    public static ActionOutcome Success(JsonNode? value) => new(true, value, null);
    public static ActionOutcome Failure(string message) => new(false, null, message);

    public override string ToString() => Succeeded ? $"ok {Value?.ToJsonString() ?? "null"}" : $"failed: {Error}";
}
