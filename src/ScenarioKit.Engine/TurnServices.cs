using Microsoft.Extensions.Logging;

namespace ScenarioKit.Engine;

/// <summary>
/// What a turn may use from the outside world: the clock (queue hours, cooldowns, dates), the
/// action invoker (HTTP, scripts, or mocks) and a logger for runtime errors (which are also in
/// <see cref="TurnTrace.Errors"/>).
/// </summary>
public sealed record TurnServices(TimeProvider Clock, IActionInvoker Actions, ILogger? Logger = null)
{
    /// <summary>The agent hub's queue (hub mode); null in channel mode, where the channel handles the handoff.</summary>
    public IHandoffQueue? Queue { get; init; }
}
