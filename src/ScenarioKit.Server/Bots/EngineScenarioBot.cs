using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScenarioKit.Engine;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Bots;

/// <summary>Serves one loaded package through the engine; state crosses the seam as the engine's own JSON.</summary>
internal sealed class EngineScenarioBot(ScenarioRuntime runtime, IActionInvoker actions, TimeProvider time, ILogger logger, IHandoffQueue? queue = null) : IScenarioBot
{
    readonly TurnServices _services = new(time, actions, logger) { Queue = queue };

    public ScenarioRuntime Runtime => runtime;
    public string ScenarioId => runtime.Manifest.Id;
    public string Version => runtime.Manifest.Version;
    public string Locale => runtime.Manifest.Locale;
    public string ContentHash => runtime.Manifest.ContentHash;

    public byte[] Start(string conversationId, string userId) => runtime.Start(conversationId, userId).Serialize();

    public async ValueTask<BotTurnResult> RunTurnAsync(byte[] state, BotInput input, CancellationToken cancellationToken)
    {
        var current = ConversationState.Deserialize(state);
        TurnInput turnInput = input switch
        {
            BotMessageInput m => new MessageInput(m.Text, m.ActivityId, m.Value),
            BotEventInput e => new EventInput(e.Name, e.Value, e.ActivityId),
            BotConversationStartInput => new ConversationStartInput(),
            // §5: the hub's message may be any JSON; the engine shows only a string to the customer.
            BotHandoffStatusInput h => new HandoffStatusInput(h.State) { Value = h.Message, Reason = h.Reason, Flow = h.Flow, Variables = h.Variables },
            BotAgentMessageInput a => new AgentMessageInput(a.Text, a.AgentName),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.GetType().Name),
        };
        var result = await runtime.RunTurnAsync(current, turnInput, _services, cancellationToken).ConfigureAwait(false);
        foreach (var error in result.Trace.Errors)
        {
            if (logger.IsEnabled(LogLevel.Warning))
                logger.LogWarning("Scenario {Scenario} {Version}, conversation {Conversation}: {Error}", ScenarioId, Version, current.ConversationId, error.ToString());
        }
        var outputs = ImmutableArray.CreateBuilder<BotOutput>(result.Outputs.Length);
        foreach (var output in result.Outputs)
        {
            outputs.Add(output switch
            {
                BotMessage message => new BotTextOutput(message.Text, message.Suggestions, message.ExpectingInput),
                HandoffEventOutput handoff => new BotHandoffOutput(JsonSerializer.SerializeToElement(handoff.Decision.ToEventValue()), handoff.Decision.Queue),
                TicketOutput ticket => new BotTicketOutput(JsonSerializer.SerializeToElement(ticket.Ticket.ToJson())),
                _ => throw new InvalidOperationException($"Unknown engine output {output.GetType().Name}."),
            });
        }
        if (result.Handoff is { Unattended: true } unattended)
            outputs.Add(new BotUnattendedHandoffOutput(JsonSerializer.SerializeToElement(unattended.ToEventValue())));
        return new BotTurnResult(
            ReferenceEquals(result.State, current) ? state : result.State.Serialize(),
            outputs.ToImmutable(),
            new BotTurnInfo(result.Trace.Intent, result.Trace.Fallback, result.Trace.Duplicate, result.State.WithAgent) { Summary = Summarize(result) });
    }

    static TurnSummary Summarize(TurnResult result)
    {
        var trace = result.Trace;
        return new TurnSummary
        {
            Input = "",
            Intent = trace.Intent,
            Score = trace.Intent is null ? null : Math.Round(trace.Confidence, 3),
            Fallback = trace.Fallback,
            Stage = result.State.Stage,
            Flow = result.State.ActiveFlow,
            WaitingStep = result.State.WaitingStep,
            Steps = NullIfEmpty(trace.StepsRun),
            FlowsStarted = NullIfEmpty(trace.FlowsStarted),
            Proactive = NullIfEmpty(trace.ProactiveFired),
            HandoffRule = trace.HandoffRule,
            HandoffQueue = result.Handoff?.Queue,
            HandoffWithinHours = result.Handoff?.WithinHours,
            Unattended = result.Handoff?.Unattended ?? false,
            WaitingNotice = trace.WaitingNotice,
            TimeoutPath = trace.TimeoutPath,
            Errors = trace.Errors.IsEmpty ? null : [.. trace.Errors.Select(e => e.ToString())],
        };

        static IReadOnlyList<string>? NullIfEmpty(ImmutableArray<string> items) => items.IsDefaultOrEmpty ? null : items;
    }
}
