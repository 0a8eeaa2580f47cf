using System.Collections.Frozen;
using System.Text.Json.Nodes;
using ScenarioKit.Model;

namespace ScenarioKit.Engine;

/// <summary>
/// Answers actions from a table (action name → outcome) for scenario tests and <c>chat --mock</c>.
/// An action missing from the table goes to <paramref name="fallback"/>, or fails with a message
/// naming it when there is none.
/// </summary>
public sealed class MockActionInvoker(IReadOnlyDictionary<string, ActionOutcome> outcomes, IActionInvoker? fallback = null) : IActionInvoker
{
    readonly FrozenDictionary<string, ActionOutcome> _outcomes = outcomes.ToFrozenDictionary(StringComparer.Ordinal);
    readonly List<(string Action, IReadOnlyDictionary<string, JsonNode?> Arguments)> _calls = [];
    readonly Lock _gate = new();

    /// <summary>Mocks that return values (action name → result).</summary>
    public static MockActionInvoker Returning(IReadOnlyDictionary<string, JsonNode?> results, IActionInvoker? fallback = null) =>
        new(results.ToDictionary(kv => kv.Key, kv => ActionOutcome.Success(kv.Value), StringComparer.Ordinal), fallback);

    /// <summary>The calls seen so far (action name and its arguments), in order.</summary>
    public IReadOnlyList<(string Action, IReadOnlyDictionary<string, JsonNode?> Arguments)> Calls
    {
        get { lock (_gate) return [.. _calls]; }
    }

    public ValueTask<ActionOutcome> InvokeAsync(ActionDef action, IReadOnlyDictionary<string, JsonNode?> arguments, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate) _calls.Add((action.Name, arguments));
        if (_outcomes.TryGetValue(action.Name, out var outcome))
            return ValueTask.FromResult(outcome.Succeeded ? ActionOutcome.Success(outcome.Value?.DeepClone()) : outcome);
        if (fallback is not null) return fallback.InvokeAsync(action, arguments, ct);
        return ValueTask.FromResult(ActionOutcome.Failure($"action '{action.Name}' has no mock"));
    }
}
