using System.Collections.Immutable;
using System.Text.Json.Nodes;
using ScenarioKit.Engine.Handoff;
using ScenarioKit.Engine.Runtime;
using ScenarioKit.Model;

namespace ScenarioKit.Engine;

/// <summary>
/// Runs one loaded package turn by turn. Everything derived from the package (regexes, example
/// vectors, prepared Jint scripts, time zones, step graph) is built once in <see cref="Load"/>;
/// the runtime is immutable afterwards and thread-safe: any number of conversations may run
/// turns concurrently. A turn is pure given (package, state, input, clock, action results).
/// </summary>
public sealed partial class ScenarioRuntime
{
    readonly CompiledScenario _scenario;

    ScenarioRuntime(CompiledScenario scenario)
    {
        _scenario = scenario;
    }

    public PackageManifest Manifest => _scenario.Manifest;
    public ScenarioModel Model => _scenario.Model;
    public RuntimeOptions Options => _scenario.Options;

    /// <summary>Prepares a package for running.</summary>
    /// <exception cref="ScenarioLoadException">The package has an invalid regex, expression, time zone or reference (each with its YAML span).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static ScenarioRuntime Load(ScenarioPackage package, RuntimeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        options = (options ?? RuntimeOptions.Default).Validate();
        var errors = new List<RuntimeError>();
        var scenario = new CompiledScenario(package, options, errors);
        if (errors.Count > 0) throw new ScenarioLoadException(package.Manifest, [.. errors]);
        return new ScenarioRuntime(scenario);
    }

    /// <summary>The scenario's handoff queues with what the agent hub needs: hours, <c>MaxWait</c>, <c>Assignment</c>, <c>Canned</c>.</summary>
    public ImmutableArray<QueueDef> Queues => Model.Handoff.Queues;

    /// <summary>Whether <paramref name="queue"/> is within its opening hours at <paramref name="at"/> (a queue without hours is always open).</summary>
    /// <exception cref="ArgumentException">The scenario has no such queue.</exception>
    public bool IsQueueOpen(string queue, DateTimeOffset at) =>
        _scenario.Queues.TryGetValue(queue, out var hours) ? hours.IsOpen(at) : throw new ArgumentException($"unknown queue '{queue}'", nameof(queue));

    /// <summary>
    /// Checks a return to the bot before the hub sends it (<see cref="HandoffStatusInput.Flow"/>,
    /// <see cref="HandoffStatusInput.Variables"/>): unknown flow, undeclared variable, a value that does
    /// not fit the declared type or enum. Empty when fine. Messages in English; see
    /// <see cref="CheckHandback"/> for error codes and Japanese text.
    /// </summary>
    public IReadOnlyList<string> ValidateHandback(string? flow, IReadOnlyDictionary<string, JsonNode?>? variables) =>
        [.. HandbackValidator.Check(_scenario, flow, variables).Select(e => e.English)];

    /// <summary>As <see cref="ValidateHandback"/>, with a stable code, the name concerned, and English and Japanese text per error.</summary>
    public IReadOnlyList<HandbackError> CheckHandback(string? flow, IReadOnlyDictionary<string, JsonNode?>? variables) =>
        HandbackValidator.Check(_scenario, flow, variables);

    /// <summary>A fresh conversation: first journey stage, variable defaults, no output.</summary>
    public ConversationState Start(string conversationId, string? userId = null) => Start(conversationId, userId, null);

    /// <summary>A fresh conversation carrying the customer's user-scoped variables from earlier conversations (see <see cref="GetUserVariables"/>).</summary>
    public ConversationState Start(string conversationId, string? userId, IReadOnlyDictionary<string, JsonNode?>? userVariables)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in _scenario.Defaults)
            variables[name] = value?.DeepClone();
        if (userVariables is not null)
            foreach (var (name, value) in userVariables)
                if (_scenario.UserScoped.Contains(name))
                    variables[name] = value?.DeepClone();
        var stage = Model.Journey.IsDefaultOrEmpty ? null : Model.Journey[0].Name;
        return new ConversationState(conversationId, userId, Manifest.Id, Manifest.Version, stage, stage is null ? 0 : 1,
            withAgent: false, turn: 0, fallbackStreak: 0, variables, TranscriptLog.Empty, [], [], [], []);
    }

    /// <summary>The variables declared with <c>scope: user</c> that have a value: what follows the customer to the next conversation.</summary>
    public IReadOnlyDictionary<string, JsonNode?> GetUserVariables(ConversationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Variables.Where(kv => _scenario.UserScoped.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Runs one turn. Returns a new state; <paramref name="state"/> is not modified, so a failed
    /// delivery can be retried with it. An activity id seen recently gives a duplicate result with
    /// no outputs and the state unchanged. Runtime failures (expressions, actions) are reported in
    /// <see cref="TurnTrace.Errors"/>, never thrown.
    /// </summary>
    /// <exception cref="ArgumentException">The state belongs to another package or version (conversations stay on the version they started on).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<TurnResult> RunTurnAsync(ConversationState state, TurnInput input, TurnServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(services);
        if (!string.Equals(state.PackageId, Manifest.Id, StringComparison.Ordinal) || !string.Equals(state.PackageVersion, Manifest.Version, StringComparison.Ordinal))
            throw new ArgumentException($"conversation '{state.ConversationId}' runs on {state.PackageId} {state.PackageVersion}, not {Manifest.Id} {Manifest.Version}", nameof(state));
        cancellationToken.ThrowIfCancellationRequested();
        if (input.ActivityId is { } id && state.RecentActivityIds.Contains(id))
            return ValueTask.FromResult(Duplicate(state));
        return new TurnRunner(_scenario, state, services, cancellationToken).RunAsync(input);
    }

    static TurnResult Duplicate(ConversationState state) =>
        new(state, [], null, new TurnTrace(null, 0, false, state.Stage, [], [], [], null, [], Duplicate: true));
}

/// <summary>A package the runtime cannot run; <see cref="Errors"/> point into the YAML.</summary>
public sealed class ScenarioLoadException : Exception
{
    public ScenarioLoadException(PackageManifest manifest, ImmutableArray<RuntimeError> errors)
        : base($"package {manifest.Id} {manifest.Version} cannot be loaded:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
    {
        Errors = errors;
    }

    public ScenarioLoadException() : this("package cannot be loaded") { }

    public ScenarioLoadException(string message) : base(message) { Errors = []; }

    public ScenarioLoadException(string message, Exception inner) : base(message, inner) { Errors = []; }

    public ImmutableArray<RuntimeError> Errors { get; }
}
