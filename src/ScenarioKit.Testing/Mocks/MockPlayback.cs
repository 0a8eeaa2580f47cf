using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScenarioKit.Engine;
using ScenarioKit.Model;
using ScenarioKit.Testing.Binding;
using ScenarioKit.Testing.Definitions;

namespace ScenarioKit.Testing.Mocks;

/// <summary>A call a mock did not allow: what went wrong, what the mock expected, what the scenario sent.</summary>
internal readonly record struct MockProblem(string Problem, string Expected, string Actual);

/// <summary>
/// Plays mocks in the test runner's format (docs/testing.md "Mocks") for tests and for <c>serve --mocks</c>, so
/// both read a mock the same way: successive calls take successive behaviours (the last repeats); a call whose
/// arguments differ from <c>with</c> fails; a delay at or beyond an HTTP action's <c>timeoutMs</c> fails as
/// that timeout, as the real invoker would. The caller decides how time passes and what an unmocked action does.
/// </summary>
internal sealed class MockPlayback(IEnumerable<MockDefinition> mocks)
{
    readonly FrozenDictionary<string, MockDefinition> _mocks = mocks.ToFrozenDictionary(m => m.Action, StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> _callCounts = new(StringComparer.Ordinal);

    public IEnumerable<string> Actions => _mocks.Keys;

    public bool Mocks(string action) => _mocks.ContainsKey(action);

    /// <summary>Plays the next behaviour of <paramref name="action"/>'s mock, which must exist (<see cref="Mocks"/>).</summary>
    public async ValueTask<ActionOutcome> PlayAsync(
        ActionDef action,
        IReadOnlyDictionary<string, JsonNode?> arguments,
        Func<TimeSpan, CancellationToken, ValueTask> wait,
        Action<MockProblem> report,
        CancellationToken ct)
    {
        var mock = _mocks[action.Name];
        var call = _callCounts.AddOrUpdate(action.Name, 1, (_, n) => n + 1);
        var behaviour = mock.Calls[Math.Min(call, mock.Calls.Length) - 1];
        if (behaviour.With is { } with && Mismatch(with, arguments) is { } wrong)
        {
            report(new MockProblem($"action '{action.Name}' was called with other arguments than its mock expects ({wrong})",
                $"{action.Name}({TypedValues.Show(with)})", $"{action.Name}({ShowArguments(arguments)})"));
            return ActionOutcome.Failure($"action '{action.Name}' was called with unexpected arguments");
        }
        if (behaviour.Delay > TimeSpan.Zero)
        {
            if (action.Http is { TimeoutMs: > 0 } http && behaviour.Delay >= TimeSpan.FromMilliseconds(http.TimeoutMs))
            {
                await wait(TimeSpan.FromMilliseconds(http.TimeoutMs), ct);
                return ActionOutcome.Failure($"action '{action.Name}' timed out after {http.TimeoutMs} ms");
            }
            await wait(behaviour.Delay, ct);
        }
        if (behaviour.Fails is { } message) return ActionOutcome.Failure(message);
        return ActionOutcome.Success(behaviour.Returns is { } r ? JsonNode.Parse(r.GetRawText()) : null);
    }

    public static string ShowArguments(IReadOnlyDictionary<string, JsonNode?> arguments) =>
        string.Join(", ", arguments.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {TypedValues.Show(TypedValues.ToElement(a.Value))}"));

    /// <summary>The first expected argument that differs; a number written in YAML equals the same digits as text.</summary>
    static string? Mismatch(JsonElement expected, IReadOnlyDictionary<string, JsonNode?> arguments)
    {
        foreach (var p in expected.EnumerateObject())
        {
            var actual = arguments.TryGetValue(p.Name, out var node) ? TypedValues.ToElement(node) : null;
            if (TypedValues.JsonEquals(p.Value, actual)) continue;
            if (actual is { ValueKind: JsonValueKind.String } s && p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                && s.GetString() == p.Value.GetRawText()) continue;
            return $"{p.Name}: expected {TypedValues.Show(p.Value)}, got {TypedValues.Show(actual)}";
        }
        return null;
    }
}
