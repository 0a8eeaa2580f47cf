using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Engine;
using ScenarioKit.Model;
using ScenarioKit.Testing.Binding;
using ScenarioKit.Testing.Definitions;

namespace ScenarioKit.Testing.Running;

/// <summary>
/// Answers a test's actions from its mocks. Successive calls of an action take the mock's successive
/// behaviours (the last repeats). A delay passes on the test's fake clock, never in wall time; a delay
/// at or beyond an HTTP action's <c>timeoutMs</c> is reported as that timeout, as the real HTTP invoker
/// would. Script actions without a mock run for real (sandboxed and pure); an HTTP action without a mock,
/// or a call whose arguments differ from the mock's <c>with</c>, fails and is recorded so the runner
/// fails the test naming it.
/// </summary>
internal sealed class TestActionInvoker(IEnumerable<MockDefinition> mocks, FakeTimeProvider clock, IActionInvoker? scripts) : IActionInvoker
{
    readonly FrozenDictionary<string, MockDefinition> _mocks = mocks.ToFrozenDictionary(m => m.Action, StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> _callCounts = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<(string Problem, string Expected, string Actual)> _problems = new();

    /// <summary>Calls the test did not allow (no mock, wrong arguments) since the last call of this method.</summary>
    public IReadOnlyList<(string Problem, string Expected, string Actual)> TakeProblems()
    {
        var list = new List<(string, string, string)>();
        while (_problems.TryDequeue(out var p)) list.Add(p);
        return list;
    }

    public ValueTask<ActionOutcome> InvokeAsync(ActionDef action, IReadOnlyDictionary<string, JsonNode?> arguments, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(arguments);
        ct.ThrowIfCancellationRequested();
        if (!_mocks.TryGetValue(action.Name, out var mock))
        {
            if (action.Script is not null && scripts is not null) return scripts.InvokeAsync(action, arguments, ct);
            _problems.Enqueue(($"the scenario called action '{action.Name}', which this test does not mock",
                $"a mock for '{action.Name}' under mocks: (HTTP actions never run in tests)", $"{action.Name}({ShowArguments(arguments)})"));
            return ValueTask.FromResult(ActionOutcome.Failure($"action '{action.Name}' is not mocked in this test"));
        }

        var call = _callCounts.AddOrUpdate(action.Name, 1, (_, n) => n + 1);
        var behaviour = mock.Calls[Math.Min(call, mock.Calls.Length) - 1];
        if (behaviour.With is { } with && Mismatch(with, arguments) is { } wrong)
        {
            _problems.Enqueue(($"action '{action.Name}' was called with other arguments than its mock expects ({wrong})",
                $"{action.Name}({TypedValues.Show(with)})", $"{action.Name}({ShowArguments(arguments)})"));
            return ValueTask.FromResult(ActionOutcome.Failure($"action '{action.Name}' was called with unexpected arguments"));
        }
        if (behaviour.Delay > TimeSpan.Zero)
        {
            if (action.Http is { TimeoutMs: > 0 } http && behaviour.Delay >= TimeSpan.FromMilliseconds(http.TimeoutMs))
            {
                clock.Advance(TimeSpan.FromMilliseconds(http.TimeoutMs));
                return ValueTask.FromResult(ActionOutcome.Failure($"action '{action.Name}' timed out after {http.TimeoutMs} ms"));
            }
            clock.Advance(behaviour.Delay);
        }
        if (behaviour.Fails is { } message) return ValueTask.FromResult(ActionOutcome.Failure(message));
        var value = behaviour.Returns is { } r ? JsonNode.Parse(r.GetRawText()) : null;
        return ValueTask.FromResult(ActionOutcome.Success(value));
    }

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

    static string ShowArguments(IReadOnlyDictionary<string, JsonNode?> arguments) =>
        string.Join(", ", arguments.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {TypedValues.Show(TypedValues.ToElement(a.Value))}"));
}
