using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Engine;
using ScenarioKit.Model;
using ScenarioKit.Testing.Definitions;
using ScenarioKit.Testing.Mocks;

namespace ScenarioKit.Testing.Running;

/// <summary>
/// Answers a test's actions from its mocks (<see cref="MockPlayback"/>). A delay passes on the test's fake
/// clock, never in wall time. Script actions without a mock run for real (sandboxed and pure); an HTTP
/// action without a mock, or a call whose arguments differ from the mock's <c>with</c>, fails and is
/// recorded so the runner fails the test naming it.
/// </summary>
internal sealed class TestActionInvoker(IEnumerable<MockDefinition> mocks, FakeTimeProvider clock, IActionInvoker? scripts) : IActionInvoker
{
    readonly MockPlayback _mocks = new(mocks);
    readonly ConcurrentQueue<MockProblem> _problems = new();

    /// <summary>Calls the test did not allow (no mock, wrong arguments) since the last call of this method.</summary>
    public IReadOnlyList<(string Problem, string Expected, string Actual)> TakeProblems()
    {
        var list = new List<(string, string, string)>();
        while (_problems.TryDequeue(out var p)) list.Add((p.Problem, p.Expected, p.Actual));
        return list;
    }

    public ValueTask<ActionOutcome> InvokeAsync(ActionDef action, IReadOnlyDictionary<string, JsonNode?> arguments, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(arguments);
        ct.ThrowIfCancellationRequested();
        if (_mocks.Mocks(action.Name))
            return _mocks.PlayAsync(action, arguments, Advance, _problems.Enqueue, ct);
        if (action.Script is not null && scripts is not null) return scripts.InvokeAsync(action, arguments, ct);
        _problems.Enqueue(new MockProblem($"the scenario called action '{action.Name}', which this test does not mock",
            $"a mock for '{action.Name}' under mocks: (HTTP actions never run in tests)", $"{action.Name}({MockPlayback.ShowArguments(arguments)})"));
        return ValueTask.FromResult(ActionOutcome.Failure($"action '{action.Name}' is not mocked in this test"));
    }

    ValueTask Advance(TimeSpan delay, CancellationToken ct)
    {
        clock.Advance(delay);
        return ValueTask.CompletedTask;
    }
}
