using System.Collections.Immutable;
using System.Text.Json.Nodes;
using ScenarioKit.Engine;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Definitions;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Syntax;

namespace ScenarioKit.Testing.Mocks;

/// <summary>
/// A mocks file for <c>scenariokit serve --mocks</c>: <c>mocks:</c> in the test runner's format (docs/testing.md),
/// read and played by the same code as a test's mocks. Unlike a test, time passes for real (a <c>delayMs</c> is
/// waited), actions it does not name are really called, and successive calls are counted per process.
/// </summary>
public sealed class ActionMockFile
{
    readonly ImmutableArray<MockDefinition> _mocks;

    ActionMockFile(ImmutableArray<MockDefinition> mocks) => _mocks = mocks;

    /// <summary>The mocked action names, in file order.</summary>
    public IReadOnlyList<string> Actions => [.. _mocks.Select(m => m.Action)];

    /// <summary>Reads <paramref name="path"/>; the file is null when the diagnostics (SK5xxx, the test runner's) hold errors.</summary>
    public static (ActionMockFile? File, ImmutableArray<Diagnostic> Diagnostics) Read(string path)
    {
        var diagnostics = new DiagnosticBag();
        var mocks = TestFileReader.ReadMocksFile(path, diagnostics);
        return (mocks is { } m ? new ActionMockFile(m) : null, diagnostics.ToImmutable());
    }

    /// <summary>
    /// Answers the mocked actions and passes every other call to <paramref name="fallback"/>. A call the mock
    /// does not allow (arguments other than its <c>with</c>) fails, and <paramref name="problem"/> hears why.
    /// </summary>
    public IActionInvoker CreateInvoker(IActionInvoker fallback, TimeProvider time, Action<string>? problem = null) =>
        new Invoker(new MockPlayback(_mocks), fallback, time, problem);

    sealed class Invoker(MockPlayback mocks, IActionInvoker fallback, TimeProvider time, Action<string>? problem) : IActionInvoker
    {
        public ValueTask<ActionOutcome> InvokeAsync(ActionDef action, IReadOnlyDictionary<string, JsonNode?> arguments, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(action);
            ArgumentNullException.ThrowIfNull(arguments);
            if (!mocks.Mocks(action.Name)) return fallback.InvokeAsync(action, arguments, ct);
            return mocks.PlayAsync(action, arguments, (delay, token) => new ValueTask(Task.Delay(delay, time, token)),
                p => problem?.Invoke($"{p.Problem}: expected {p.Expected}, got {p.Actual}"), ct);
        }
    }
}
