using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Engine;
using ScenarioKit.Model;
using ScenarioKit.Testing.Binding;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Definitions;
using ScenarioKit.Testing.Results;

namespace ScenarioKit.Testing.Running;

/// <summary>
/// Runs one test: one conversation on the shared (thread-safe) runtime, with the test's own fake clock
/// and mocks. Bot messages of each turn queue up and <c>bot</c> steps consume them in order; every
/// message must be matched before the next <c>user</c> or <c>event</c> step and by the end of the test,
/// so a test pins everything the bot says.
/// </summary>
internal sealed class TestExecution
{
    readonly LoadedScenario _scenario;
    readonly TestDefinition _test;
    readonly string _conversationId;
    readonly FakeTimeProvider _clock;
    readonly TestActionInvoker _actions;
    readonly TurnServices _services;
    readonly List<string> _conversation = [];
    readonly List<string> _runtimeErrors = [];
    ConversationState _state = null!;
    TurnResult? _lastTurn;
    ImmutableArray<BotMessage> _pending = [];
    int _consumed;
    BotMessage? _lastMessage;
    readonly SimulatedHub? _hub;
    /// <summary>The customer's text of the last turn, when that turn was a user message, and whether an ask was waiting for it.</summary>
    (string Text, bool AskWaiting)? _lastUser;
    // What asks took so far (latest per variable), and which user step (1-based) each conversation turn was.
    readonly Dictionary<string, FilledSlot> _filled = new(StringComparer.Ordinal);
    readonly Dictionary<int, int> _userMessageOfTurn = [];
    int _userMessages;

    public TestExecution(LoadedScenario scenario, TestDefinition test, string conversationId)
    {
        _scenario = scenario;
        _test = test;
        _conversationId = conversationId;
        _clock = new FakeTimeProvider(test.Clock);
        _clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        _actions = new TestActionInvoker(test.Mocks, _clock, EngineAdapter.ScriptInvoker(_clock));
        // A test that plays the agent hub's part gets a simulated hub from its first step (issue 9).
        _hub = test.Steps.Any(s => s is QueueStep or AgentStep) ? new SimulatedHub() : null;
        _services = new TurnServices(_clock, _actions) { Queue = _hub };
    }

    /// <summary>The agent hub as a test sees it: what the last <c>queue</c> step said, whether an agent accepted, since when the customer waits.</summary>
    sealed class SimulatedHub : IHandoffQueue
    {
        public QueueStatus Status { get; set; } = new(1, TimeSpan.FromMinutes(2), 1, false);
        public bool Assigned { get; set; }
        public DateTimeOffset? WaitingSince { get; set; }

        public ValueTask<QueueStatus?> GetStatusAsync(string conversationId, string queue, CancellationToken cancellationToken) =>
            ValueTask.FromResult<QueueStatus?>(Status with { Assigned = Assigned });
    }

    public IReadOnlyList<string> RuntimeErrors => _runtimeErrors;

    public async Task<StepFailure?> RunAsync(CancellationToken ct)
    {
        var model = _scenario.Package.Model;
        var given = _test.Given.Select(g => KeyValuePair.Create(g.Variable,
            TypedValues.Convert(g.Value, model.Variables.FirstOrDefault(v => v.Name == g.Variable), out _)));
        _state = EngineAdapter.Start(_scenario.Runtime, _conversationId, given);
        _scenario.Coverage.Hit(CoverageKind.Stages, _state.Stage);

        if (_test.Welcome && await TurnAsync(new ConversationStartInput(), null, ct) is { } startFailure) return startFailure;
        foreach (var step in _test.Steps)
        {
            ct.ThrowIfCancellationRequested();
            if (step is UserStep or EventStep or AgentStep && Unmatched(step, "before this step") is { } unmatched) return unmatched;
            var failure = step switch
            {
                UserStep u => await UserAsync(u, ct),
                EventStep e => await EventAsync(e, ct),
                BotStep b => Explained(Bot(b)),
                SuggestionsStep s => Suggestions(s),
                ExpectStep x => Expect(x),
                HandoffExpectStep h => Handoff(h),
                NoReplyStep n => Explained(NoReply(n)),
                WaitStep w => await WaitAsync(w, ct),
                QueueStep q => Queue(q),
                AgentStep a => await AgentAsync(a, ct),
                TicketExpectStep t => Ticket(t),
                _ => throw new InvalidOperationException($"unknown step {step.GetType().Name}"),
            };
            if (failure is not null) return failure;
        }
        return _test.Steps.IsEmpty ? null : Unmatched(_test.Steps[^1], "by the end of the test");
    }

    StepFailure? Unmatched(TestStep step, string when)
    {
        if (_consumed >= _pending.Length) return null;
        var left = _pending.Skip(_consumed).Select(m => m.Text).ToList();
        var failure = Explained(Fail(step, $"the bot sent {left.Count} message(s) no bot step matched {when}",
            "a bot step for each message", string.Join("\n", left)));
        _consumed = _pending.Length;
        return failure;
    }

    Task<StepFailure?> UserAsync(UserStep step, CancellationToken ct)
    {
        _conversation.Add($"user: {step.Text}");
        _userMessages++;
        _userMessageOfTurn[_state.Turn + 1] = _userMessages;
        return TurnAsync(new MessageInput(step.Text), step, ct);
    }

    Task<StepFailure?> EventAsync(EventStep step, CancellationToken ct)
    {
        _conversation.Add($"event: {step.Name}{(step.Value is { } v ? " " + TypedValues.Show(v) : "")}");
        return TurnAsync(new EventInput(step.Name, step.Value), step, ct);
    }

    async Task<StepFailure?> TurnAsync(TurnInput input, TestStep? step, CancellationToken ct)
    {
        _lastUser = input is MessageInput { Text: { } typed } ? (typed, _state.WaitingStep is not null) : null;
        var result = await _scenario.Runtime.RunTurnAsync(_state, input, _services, ct);
        _state = result.State;
        _lastTurn = result;
        var trace = result.Trace;
        foreach (var slot in trace.Filled) _filled[slot.Variable] = slot;
        var coverage = _scenario.Coverage;
        coverage.Hit(CoverageKind.Stages, trace.Stage ?? _state.Stage);
        coverage.HitAll(CoverageKind.Steps, trace.StepsRun);
        coverage.HitAll(CoverageKind.Flows, trace.FlowsStarted);
        coverage.Hit(CoverageKind.Intents, trace.Intent);
        coverage.HitAll(CoverageKind.ProactiveRules, trace.ProactiveFired);
        coverage.Hit(CoverageKind.HandoffRules, trace.HandoffRule);
        if (trace.WaitingNotice) coverage.Hit(CoverageKind.HubPaths, CoverageCollector.Waiting);
        if (trace.TimeoutPath) coverage.Hit(CoverageKind.HubPaths, CoverageCollector.OnTimeout);

        var messages = ImmutableArray.CreateBuilder<BotMessage>();
        foreach (var output in result.Outputs)
        {
            switch (output)
            {
                case BotMessage m:
                    messages.Add(m);
                    _conversation.Add("bot:  " + ShowMessage(m));
                    break;
                case HandoffEventOutput h:
                    _conversation.Add("handoff: " + ShowHandoff(h.Decision));
                    if (_hub is not null)
                    {
                        _hub.WaitingSince = _clock.GetUtcNow();
                        _hub.Assigned = false;
                    }
                    break;
                case TicketOutput t:
                    coverage.Hit(CoverageKind.Tickets, t.Ticket.StepId);
                    _conversation.Add($"ticket: {t.Ticket.KindName} {t.Ticket.Number} contact={t.Ticket.Contact}" + (t.Ticket.Time is { } time ? $" time={time}" : ""));
                    break;
            }
        }
        foreach (var error in trace.Errors)
        {
            var text = _scenario.Show(error);
            _runtimeErrors.Add(text);
            _conversation.Add("! runtime error: " + text);
        }
        _pending = messages.ToImmutable();
        _consumed = 0;
        _lastMessage = null;

        var problems = _actions.TakeProblems();
        return problems.Count > 0 ? Fail(step, problems[0].Problem, problems[0].Expected, problems[0].Actual) : null;
    }

    StepFailure? Bot(BotStep step)
    {
        for (var i = 0; i < step.Messages.Length; i++)
        {
            var expected = step.Messages[i];
            var which = step.Messages.Length > 1 ? $" (message {i + 1} of {step.Messages.Length})" : "";
            if (_consumed >= _pending.Length)
            {
                var sent = _pending.IsEmpty ? "(the bot sent nothing)" : "(no more messages; this turn sent: " + string.Join(" / ", _pending.Select(p => p.Text)) + ")";
                return Fail(step, $"expected a bot message{which}, but the bot sent no more", expected.ToString()!, sent);
            }
            var actual = _pending[_consumed];
            if (!expected.IsMatch(actual.Text))
                return Fail(step, $"the bot's message{which} does not match", expected.ToString()!, actual.Text);
            _consumed++;
            _lastMessage = actual;
        }
        return null;
    }

    StepFailure? Suggestions(SuggestionsStep step)
    {
        var actual = _lastMessage?.Suggestions ?? [];
        if (actual.IsDefault) actual = [];
        var ok = actual.Length == step.Expected.Length && step.Expected.Zip(actual).All(p => p.First.IsMatch(p.Second));
        return ok ? null : Fail(step, _lastMessage is null ? "there is no bot message whose suggestions could be checked" : "the suggestions differ",
            "[" + string.Join(", ", step.Expected.Select(e => e.ToString())) + "]",
            "[" + string.Join(", ", actual) + "]");
    }

    StepFailure? Expect(ExpectStep step)
    {
        if (step.Stage is not null && !string.Equals(step.Stage, _state.Stage, StringComparison.Ordinal))
            return Fail(step, "the journey stage differs", step.Stage, _state.Stage ?? "(no stage)", step.StageSpan);
        if (step.ChecksFlow && !string.Equals(step.Flow, _state.ActiveFlow, StringComparison.Ordinal))
            return Fail(step, "the active flow differs", step.Flow ?? "(no active flow)", _state.ActiveFlow ?? "(no active flow)", step.FlowSpan);
        if (step.Intent is not null || step.MinConfidence is not null)
        {
            var trace = _lastTurn?.Trace;
            // `none` means "not understood", unless the scenario really has an intent of that name.
            var expectedIntent = step.Intent == NoIntent && !_scenario.Package.Model.Intents.Any(i => i.Name == NoIntent) ? null : step.Intent;
            var expected = (step.Intent ?? "(any intent)") + (step.MinConfidence is { } m ? $" with confidence ≥ {m.ToString("0.##", CultureInfo.InvariantCulture)}" : "");
            var actual = trace?.Intent is { } i ? $"{i} with confidence {trace.Confidence.ToString("0.##", CultureInfo.InvariantCulture)}" : "(no intent recognised)";
            if (step.Intent is not null && !string.Equals(expectedIntent, trace?.Intent, StringComparison.Ordinal))
                return Explained(Fail(step, "the recognised intent differs", expected, actual, step.IntentSpan));
            if (step.MinConfidence is { } min && (trace?.Intent is null || trace.Confidence < min))
                return Fail(step, "the recognition confidence is too low", expected, actual);
        }
        foreach (var v in step.Vars)
        {
            var def = _scenario.Package.Model.Variables.FirstOrDefault(d => d.Name == v.Name);
            var expected = TypedValues.Convert(v.Value, def, out _);
            var actual = _state.Variables.TryGetValue(v.Name, out var node) ? TypedValues.ToElement(node) : null;
            if (!TypedValues.JsonEquals(expected, actual))
                return Fail(step, $"variable '{v.Name}' differs", TypedValues.Show(expected), TypedValues.Show(actual), v.Span);
        }
        foreach (var f in step.Filled)
            if (Filled(step, f) is { } failure) return failure;
        if (step.Cancelled is { } cancelled && cancelled != (_lastTurn?.Trace.Cancelled ?? false))
            return Fail(step, cancelled ? "the last turn did not cancel a form" : "the last turn cancelled a form",
                $"cancelled: {(cancelled ? "true" : "false")}", $"cancelled: {(cancelled ? "false" : "true")}");
        return null;
    }

    StepFailure? Filled(ExpectStep step, FillExpectation f)
    {
        if (!_filled.TryGetValue(f.Variable, out var slot))
            return Fail(step, $"no ask took a value for '{f.Variable}'", Describe(f), "(not filled)", f.Span);
        var from = _userMessageOfTurn.TryGetValue(slot.Turn, out var n) ? n : (int?)null;
        var actual = $"{TypedValues.Show(TypedValues.ToElement(slot.Value))} from user message {from?.ToString(CultureInfo.InvariantCulture) ?? "?"} "
            + $"(\"{slot.Text}\"), {slot.Source.ToString().ToLowerInvariant()}";
        var def = _scenario.Package.Model.Variables.FirstOrDefault(d => d.Name == f.Variable);
        var ok = (f.Value is null || TypedValues.JsonEquals(TypedValues.Convert(f.Value, def, out _), TypedValues.ToElement(slot.Value)))
            && (f.From is null || f.From == from)
            && (f.Text is null || f.Text.IsMatch(slot.Text))
            && (f.How is null || f.How == slot.Source);
        return ok ? null : Fail(step, $"what '{f.Variable}' was filled with differs", Describe(f), actual, f.Span);
    }

    static string Describe(FillExpectation f)
    {
        var parts = new List<string>();
        if (f.Value is { } v) parts.Add(v is Syntax.YScalar s ? s.Value : "(value)");
        if (f.From is { } from) parts.Add($"from user message {from}");
        if (f.Text is { } t) parts.Add($"(\"{t}\")");
        if (f.How is { } how) parts.Add(how.ToString().ToLowerInvariant());
        return parts.Count == 0 ? "filled" : string.Join(" ", parts);
    }

    StepFailure? Handoff(HandoffExpectStep step)
    {
        if (_lastTurn?.Handoff is not { } decision)
            return Fail(step, "expected a handoff in the last turn, but there was none", step.Describe(), "(no handoff)");
        if (step.Queue is not null && step.Queue != decision.Queue)
            return Fail(step, "the handoff queue differs", step.Queue, decision.Queue, step.QueueSpan);
        // A flow's handoff step reports its step id where a rule reports the rule id: only rule ids count as rules.
        // `rule: null` accepts any flow handoff step (which reports its step id where a rule reports the rule id).
        var isRule = _scenario.Package.Model.Handoff.Rules.Any(r => r.Id == decision.RuleId);
        if (step.ChecksRule && (step.Rule is null ? isRule : step.Rule != decision.RuleId))
            return Fail(step, "the handoff rule differs", step.Rule ?? "null (a flow's handoff step)",
                isRule ? decision.RuleId : $"{decision.RuleId} (a flow's handoff step)", step.RuleSpan);
        if (step.Reason is { } reason && !reason.IsMatch(decision.Reason ?? ""))
            return Fail(step, "the handoff reason differs", reason.ToString()!, decision.Reason ?? "");
        if (step.Offer is { } offer && !offer.SequenceEqual(decision.Offer, StringComparer.Ordinal))
            return Fail(step, "the offered channels differ", "[" + string.Join(", ", offer) + "]", "[" + string.Join(", ", decision.Offer) + "]");
        if (step.Stage is not null && step.Stage != decision.Stage)
            return Fail(step, "the stage at the handoff differs", step.Stage, decision.Stage ?? "(no stage)", step.StageSpan);
        if (step.Priority is { } priority && priority != decision.Priority)
            return Fail(step, "the handoff priority differs", priority.ToString(CultureInfo.InvariantCulture), decision.Priority.ToString(CultureInfo.InvariantCulture));
        if (step.Unattended is { } unattended && unattended != decision.Unattended)
            return Fail(step, unattended ? "an agent was online (the customer waits)" : "no agent was online (the onTimeout path was taken)",
                $"unattended: {(unattended ? "true" : "false")}", $"unattended: {(decision.Unattended ? "true" : "false")}");
        foreach (var c in step.ConditionValues)
        {
            var expected = TypedValues.Convert(c.Value, _scenario.Package.Model.Variables.FirstOrDefault(d => d.Name == c.Name), out _);
            var found = decision.ConditionValues.FirstOrDefault(p => p.Key == c.Name);
            var actual = found.Key is null ? null : TypedValues.ToElement(found.Value);
            if (found.Key is null || !TypedValues.JsonEquals(expected, actual))
                return Fail(step, $"condition value '{c.Name}' differs", TypedValues.Show(expected),
                    found.Key is null ? "(the condition does not read it; it read: " + string.Join(", ", decision.ConditionValues.Select(p => p.Key)) + ")" : TypedValues.Show(actual), c.Span);
        }
        if (step.WithinHours is { } within && within != decision.WithinHours)
            return Fail(step, within ? "the queue was closed (out of hours)" : "the queue was open (within hours)",
                $"withinHours: {(within ? "true" : "false")}", $"withinHours: {(decision.WithinHours ? "true" : "false")} at {ShowQueueTime(decision.Queue)}");
        foreach (var s in step.Shared)
        {
            var variable = _scenario.Package.Model.Handoff.Share.FirstOrDefault(x => x.Key == s.Name)?.Variable;
            var def = _scenario.Package.Model.Variables.FirstOrDefault(d => d.Name == variable);
            var expected = TypedValues.Convert(s.Value, def, out _);
            var found = decision.Shared.FirstOrDefault(p => p.Key == s.Name);
            var actual = found.Key is null ? null : TypedValues.ToElement(found.Value);
            if (!TypedValues.JsonEquals(expected, actual))
                return Fail(step, $"shared value '{s.Name}' differs", TypedValues.Show(expected), TypedValues.Show(actual), s.Span);
        }
        return null;
    }

    /// <summary>Now in the queue's own zone, with its hours: what "within hours" was decided on.</summary>
    string ShowQueueTime(string queueName)
    {
        var queue = _scenario.Package.Model.Handoff.Queues.FirstOrDefault(q => q.Name == queueName);
        var now = InstantText.InZone(_clock.GetUtcNow(), queue?.TimeZone);
        return queue?.Hours is { } hours ? $"{now}; queue '{queue.Name}' hours: {hours}" : now;
    }

    StepFailure? NoReply(NoReplyStep step) =>
        _pending.IsEmpty ? null : Fail(step, "expected no reply, but the bot answered", "(no reply)", string.Join("\n", _pending.Select(p => p.Text)));

    async Task<StepFailure?> WaitAsync(WaitStep step, CancellationToken ct)
    {
        _clock.Advance(step.Duration);
        _conversation.Add($"wait: {Durations.Show(step.Duration)}");
        // Like the hub: a customer still waiting past the queue's maxWait is given back with a timeout.
        if (_hub is { Assigned: false, WaitingSince: { } since } && _state.WithAgent && _state.HandoffQueue is { } queue
            && _scenario.Package.Model.Handoff.Queues.FirstOrDefault(q => q.Name == queue)?.MaxWait is { } maxWait
            && _clock.GetUtcNow() - since >= maxWait)
        {
            if (Unmatched(step, "before the wait timed out") is { } unmatched) return unmatched;
            _hub.WaitingSince = null;
            _conversation.Add($"hub: nobody accepted within {Durations.Show(maxWait)} (timeout)");
            return await TurnAsync(new HandoffStatusInput(HandoffStatusInput.Failed) { Reason = HandoffStatusInput.Timeout }, step, ct);
        }
        return null;
    }

    StepFailure? Queue(QueueStep step)
    {
        _hub!.Status = new QueueStatus(step.Position, step.Wait, step.AgentsOnline, false);
        _conversation.Add(step.Describe());
        return null;
    }

    async Task<StepFailure?> AgentAsync(AgentStep step, CancellationToken ct)
    {
        var hub = _hub!;
        switch (step.Action)
        {
            case AgentAction.Accept:
                if (!_state.WithAgent) return Fail(step, "no conversation is waiting for an agent", "a handoff before 'agent: accept'", "(the bot has the conversation)");
                hub.Assigned = true;
                hub.WaitingSince = null;
                _conversation.Add("agent: (accepts)");
                return await TurnAsync(new HandoffStatusInput(HandoffStatusInput.Accepted), step, ct);
            case AgentAction.Say:
            {
                _conversation.Add($"agent: {step.Text}");
                var failure = await TurnAsync(new AgentMessageInput(step.Text!), step, ct);
                // One writer: an agent's message must never make the bot speak.
                if (failure is null && !_pending.IsEmpty)
                    return Fail(step, "the bot answered an agent's message", "(the bot stays silent)", string.Join("\n", _pending.Select(p => p.Text)));
                if (failure is null && !_state.WithAgent)
                    return Fail(step, "the agent wrote while the bot had the conversation", "a handoff before 'agent: { say }'", "(the bot has the conversation)");
                return failure;
            }
            default:
            {
                if (!_state.WithAgent) return Fail(step, "no conversation is with an agent", "a handoff before the agent ends it", "(the bot has the conversation)");
                var model = _scenario.Package.Model;
                Dictionary<string, System.Text.Json.Nodes.JsonNode?>? values = null;
                foreach (var v in step.Set)
                {
                    var element = TypedValues.Convert(v.Value, model.Variables.FirstOrDefault(d => d.Name == v.Name), out _);
                    (values ??= new(StringComparer.Ordinal))[v.Name] = element is { } e ? System.Text.Json.Nodes.JsonNode.Parse(e.GetRawText()) : null;
                }
                if (_scenario.Runtime.ValidateHandback(step.Flow, values) is { Count: > 0 } problems)
                    return Fail(step, "the hub would refuse this return to the bot", "a flow and values the scenario declares", string.Join("\n", problems));
                hub.Assigned = false;
                hub.WaitingSince = null;
                _conversation.Add(step.Action == AgentAction.Resolve ? "agent: (resolves)" : $"agent: (returns to the bot{(step.Flow is null ? "" : " into " + step.Flow)})");
                return await TurnAsync(new HandoffStatusInput(HandoffStatusInput.Completed) { Flow = step.Flow, Variables = values }, step, ct);
            }
        }
    }

    StepFailure? Ticket(TicketExpectStep step)
    {
        var tickets = _lastTurn?.Outputs.OfType<TicketOutput>().Select(t => t.Ticket).ToList() ?? [];
        if (tickets.Count == 0) return Fail(step, "expected a ticket in the last turn, but there was none", step.Describe(), "(no ticket)");
        string Show(Engine.Ticket t) => $"{t.KindName} {t.Number} contact={t.Contact} time={t.Time ?? "null"} note={t.Note ?? "null"} queue={t.Queue ?? "null"}";
        foreach (var t in tickets)
        {
            if (step.Kind is not null && step.Kind != t.KindName) continue;
            if (step.Contact is { } c && !c.IsMatch(t.Contact)) continue;
            if (step.Time is { } time && !time.IsMatch(t.Time ?? "")) continue;
            if (step.Note is { } note && !note.IsMatch(t.Note ?? "")) continue;
            if (step.Number is { } number && !number.IsMatch(t.Number)) continue;
            if (step.Queue is not null && step.Queue != t.Queue) continue;
            return null;
        }
        return Fail(step, "no ticket of the last turn matches", step.Describe(), string.Join("\n", tickets.Select(Show)));
    }

    internal const string NoIntent = "none";

    /// <summary>
    /// A failure about the bot's reply or the intent, after a user message, with why recognition decided as it
    /// did (issue 12): an unexpected reply is most often a fallback or the wrong intent.
    /// </summary>
    StepFailure? Explained(StepFailure? failure) =>
        failure is not null && _lastUser is var (text, askWaiting)
            ? failure with { Recognition = RecognitionText.Lines(_scenario.Runtime.ExplainRecognition(text), askWaiting) }
            : failure;

    StepFailure Fail(TestStep? step, string message, string expected, string actual, SourceSpan? at = null) =>
        new(step?.Describe() ?? "(conversation start)", at ?? step?.Span ?? _test.Span, message, expected, actual, [.. _conversation]);

    static string ShowMessage(BotMessage m) =>
        m.Suggestions.IsDefaultOrEmpty ? m.Text : $"{m.Text}  [{string.Join(" | ", m.Suggestions)}]";

    static string ShowHandoff(HandoffDecision d) =>
        $"queue={d.Queue} rule={d.RuleId} withinHours={(d.WithinHours ? "true" : "false")}"
        + (d.Offer.IsDefaultOrEmpty ? "" : $" offer=[{string.Join(", ", d.Offer)}]")
        + (d.Shared.IsDefaultOrEmpty ? "" : " shared={" + string.Join(", ", d.Shared.Select(p => $"{p.Key}: {(p.Value is null ? "null" : p.Value.ToJsonString(ShowJson))}")) + "}");

    static readonly JsonSerializerOptions ShowJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

internal static class Durations
{
    public static string Show(TimeSpan d)
    {
        var (value, unit) =
            d.TotalDays >= 1 && d.TotalDays % 1 == 0 ? (d.TotalDays, "d")
            : d.TotalHours >= 1 && d.TotalHours % 1 == 0 ? (d.TotalHours, "h")
            : d.TotalMinutes >= 1 && d.TotalMinutes % 1 == 0 ? (d.TotalMinutes, "m")
            : d.TotalSeconds >= 1 && d.TotalSeconds % 1 == 0 ? (d.TotalSeconds, "s")
            : (d.TotalMilliseconds, "ms");
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.###}{unit}");
    }
}
