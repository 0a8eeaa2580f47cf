using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Engine;
using ScenarioKit.Model;
using ScenarioKit.Testing.Definitions;

namespace ScenarioKit.Testing.Running;

/// <summary>
/// Answers a test's actions from its mocks. A mock's delay passes on the test's fake clock, never in
/// wall time; a delay at or beyond an HTTP action's <c>timeoutMs</c> is reported as that timeout, as the
/// real HTTP invoker would. Script actions without a mock run for real (they are sandboxed and pure);
/// an HTTP action without a mock fails and is recorded so the runner fails the test with its name.
/// </summary>
internal sealed class TestActionInvoker(IEnumerable<MockDefinition> mocks, FakeTimeProvider clock, IActionInvoker? scripts) : IActionInvoker
{
    readonly FrozenDictionary<string, MockDefinition> _mocks = mocks.ToFrozenDictionary(m => m.Action, StringComparer.Ordinal);
    readonly ConcurrentQueue<string> _unmocked = new();

    /// <summary>HTTP actions the scenario called that the test does not mock, since the last <see cref="TakeUnmocked"/>.</summary>
    public IReadOnlyList<string> TakeUnmocked()
    {
        var list = new List<string>();
        while (_unmocked.TryDequeue(out var name)) list.Add(name);
        return list;
    }

    public ValueTask<ActionOutcome> InvokeAsync(ActionDef action, IReadOnlyDictionary<string, JsonNode?> arguments, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        ct.ThrowIfCancellationRequested();
        if (_mocks.TryGetValue(action.Name, out var mock))
        {
            if (mock.Delay > TimeSpan.Zero)
            {
                if (action.Http is { TimeoutMs: > 0 } http && mock.Delay >= TimeSpan.FromMilliseconds(http.TimeoutMs))
                {
                    clock.Advance(TimeSpan.FromMilliseconds(http.TimeoutMs));
                    return ValueTask.FromResult(ActionOutcome.Failure($"action '{action.Name}' timed out after {http.TimeoutMs} ms"));
                }
                clock.Advance(mock.Delay);
            }
            if (mock.Fails is { } message) return ValueTask.FromResult(ActionOutcome.Failure(message));
            var value = mock.Returns is { } r ? JsonNode.Parse(r.GetRawText()) : null;
            return ValueTask.FromResult(ActionOutcome.Success(value));
        }
        if (action.Script is not null && scripts is not null) return scripts.InvokeAsync(action, arguments, ct);
        _unmocked.Enqueue(action.Name);
        return ValueTask.FromResult(ActionOutcome.Failure($"action '{action.Name}' is not mocked in this test"));
    }
}
