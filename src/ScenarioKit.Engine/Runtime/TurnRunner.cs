using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScenarioKit.Engine.Expressions;
using ScenarioKit.Engine.Handoff;
using ScenarioKit.Engine.Recognition;
using ScenarioKit.Engine.Text;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Runtime;

/// <summary>
/// Runs one turn (DESIGN §4) on a private working copy of the state; the input state is never
/// touched. One instance per turn, single-threaded.
/// </summary>
internal sealed partial class TurnRunner
{
    const int MaxSuspendedFrames = 8;

    readonly CompiledScenario _scenario;
    readonly RuntimeOptions _options;
    readonly TurnServices _services;
    readonly CancellationToken _ct;
    readonly ConversationState _input;

    // Working state.
    // Copy-on-write: most turns set no variable, so the state's table is shared until the first write.
    Dictionary<string, JsonNode?> _variables;
    bool _ownsVariables;
    // This turn's messages; the state's transcript comes before them.
    readonly List<TranscriptEntry> _turnTranscript = new(4);
    readonly List<FlowFrame> _frames;
    readonly List<ProactiveMark> _proactive;
    string? _stage;
    int _stageVisit;
    bool _withAgent;
    int _fallbackStreak;
    ImmutableArray<string> _clarify;
    ImmutableArray<string> _latched;
    // The agent's context (issue 9); rebuilt into a HandoffContextState only when something changed.
    string? _handoffQueue;
    ImmutableArray<StageEntry> _stageHistory;
    ImmutableArray<SiteEvent> _recentEvents;
    ImmutableArray<string> _answers;
    string? _lastIntent;
    double _lastConfidence;

    // Turn results.
    readonly List<BotOutput> _outputs = new(4);
    readonly List<string> _stepsRun = new(8);
    readonly List<string> _flowsStarted = new(2);
    readonly List<string> _proactiveFired = [];
    readonly List<RuntimeError> _errors = [];
    HandoffDecision? _handoff;
    string? _handoffRule;
    bool _waitingNotice;
    bool _timeoutPath;
    bool _fallback;
    bool _pendingFallback;
    int _stepBudget;
    readonly ExpressionScope _scope;
    readonly DateTimeOffset _now;

    public TurnRunner(CompiledScenario scenario, ConversationState state, TurnServices services, CancellationToken ct)
    {
        _scenario = scenario;
        _options = scenario.Options;
        _services = services;
        _ct = ct;
        _input = state;
        _variables = state.VariableTable;
        _frames = [.. state.Frames];
        _proactive = [.. state.Proactive];
        _stage = state.Stage;
        _stageVisit = state.StageVisit;
        _withAgent = state.WithAgent;
        _fallbackStreak = state.FallbackStreak;
        _clarify = state.Clarify;
        _latched = state.LatchedRules;
        _slots = [.. state.Slots];
        var context = state.Context;
        _handoffQueue = context.HandoffQueue;
        _stageHistory = context.StageHistory;
        _recentEvents = context.RecentEvents;
        _answers = context.Answers;
        _lastIntent = context.LastIntent;
        _lastConfidence = context.LastConfidence;
        _stepBudget = _options.MaxStepsPerTurn;
        _now = services.Clock.GetUtcNow();
        _scope = new ExpressionScope(scenario.Variables, _variables)
        {
            Stage = _stage,
            FallbackStreak = _fallbackStreak,
            Turn = state.Turn + 1,
            ConversationId = state.ConversationId,
            Now = _now,
            CancellationToken = ct,
        };
    }

    public async ValueTask<TurnResult> RunAsync(TurnInput input)
    {
        switch (input)
        {
            case MessageInput m:
                await OnMessageAsync(m).ConfigureAwait(false);
                break;
            case EventInput e:
                await OnEventAsync(e).ConfigureAwait(false);
                break;
            case ConversationStartInput:
                if (!_withAgent && _scenario.Model.Welcome is { } welcome) Say(welcome, expectingInput: false);
                break;
            case HandoffStatusInput h:
                await OnHandoffStatusAsync(h).ConfigureAwait(false);
                break;
            case AgentMessageInput a:
                OnAgentMessage(a);
                break;
            default:
                throw new ArgumentException($"unsupported input {input.GetType().Name}", nameof(input));
        }
        return Finish(input);
    }

    // ---- messages ----

    async ValueTask OnMessageAsync(MessageInput input)
    {
        var raw = input.Text ?? "";
        // A postBack suggested action (or a card submit) may carry its choice only as a string value.
        if (string.IsNullOrWhiteSpace(raw) && input.Value is { ValueKind: System.Text.Json.JsonValueKind.String } value)
            raw = value.GetString() ?? "";
        if (raw.Length > _options.MaxInputLength) raw = raw[.._options.MaxInputLength];
        var normalized = TextNormalizer.Normalize(raw);
        var folded = TextNormalizer.Fold(normalized);
        _scope.Text = normalized;
        _message = normalized;
        _turnTranscript.Add(new TranscriptEntry(TranscriptEntry.User, raw.Trim()));
        if (_withAgent)
        {
            // The agent hub relays; the bot stays silent (DESIGN §4 step 2), except that a customer still
            // waiting for an agent is told their place again rather than left in silence (issue 9).
            if (_services.Queue is { } hub && _handoffQueue is { } queue
                && await hub.GetStatusAsync(_input.ConversationId, queue, _ct).ConfigureAwait(false) is { Assigned: false } status)
                EmitWaiting(queue, status);
            return;
        }

        if (!_clarify.IsDefaultOrEmpty)
        {
            var candidates = _clarify;
            _clarify = [];
            foreach (var name in candidates)
            {
                if (_scenario.Intents.Find(name) is { } chosen && (folded == chosen.FoldedSuggestion || folded == chosen.FoldedName))
                {
                    await OnIntentAsync(new RecognitionResult(chosen, 1, null), digression: false).ConfigureAwait(false);
                    await CheckHandoffRulesAsync().ConfigureAwait(false);
                    return;
                }
            }
        }

        if (_frames.Count > 0)
        {
            var frame = _frames[^1];
            if (_scenario.Steps.TryGetValue(frame.StepId, out var node) && node.Step is AskStep ask)
            {
                if (TryCancel(ask, normalized, folded) || await TryCorrectAsync(frame, normalized, folded).ConfigureAwait(false))
                {
                    await CheckHandoffRulesAsync().ConfigureAwait(false);
                    return;
                }
                // While an ask waits, only interrupting intents and handoff intents are recognised (digressions),
                // and only on strong evidence: a pattern, a keyword, or similarity above the stricter digression
                // threshold. Even then, similarity alone loses to an answer the ask can accept ("let me think"
                // must not hand off mid-form; a choice synonym that resembles an example is still the answer).
                if (_scenario.DigressionIntents.Count > 0)
                {
                    var digression = _scenario.Recognizer.Recognize(folded, _scenario.IsDigression, _errors,
                        _scenario.Recognizer.DigressionThreshold);
                    if (digression.Intent is not null && !(digression.BySimilarity && AcceptsAnswer(ask, normalized)))
                    {
                        await OnIntentAsync(digression, digression: true).ConfigureAwait(false);
                        await CheckHandoffRulesAsync().ConfigureAwait(false);
                        return;
                    }
                }
                await AnswerAsync(node, ask, frame, normalized).ConfigureAwait(false);
                await CheckHandoffRulesAsync().ConfigureAwait(false);
                return;
            }
            // The package no longer has this step (state from elsewhere): forget the position.
            _errors.Add(new RuntimeError($"conversation was waiting at unknown step '{frame.StepId}'; the flow was dropped", SourceSpan.None));
            _frames.Clear();
        }

        var recognition = _scenario.Recognizer.Recognize(folded, null, _errors);
        if (recognition.Candidates is { } ambiguous)
        {
            Clarify(ambiguous, recognition.Confidence);
        }
        else if (recognition.Intent is not null)
        {
            await OnIntentAsync(recognition, digression: false).ConfigureAwait(false);
        }
        else
        {
            _fallbackStreak++;
            _fallback = true;
            _pendingFallback = true;
        }
        await CheckHandoffRulesAsync().ConfigureAwait(false);
    }

    async ValueTask OnIntentAsync(RecognitionResult recognition, bool digression)
    {
        var intent = recognition.Intent!;
        _fallbackStreak = 0;
        _scope.IntentName = intent.Name;
        _scope.IntentConfidence = recognition.Confidence;
        _scope.IntentDigitalFit = intent.DigitalFitText;
        _lastIntent = intent.Name;
        _lastConfidence = HandoffContextState.StoredConfidence(recognition.Confidence);
        // A handoff rule for this intent wins over its flow: the rule check after the turn hands off.
        if (_scenario.HandoffIntents.Contains(intent.Name)) return;
        if (_scenario.IntentFlows.TryGetValue(intent.Name, out var flow))
        {
            await StartFlowAsync(flow).ConfigureAwait(false);
            return;
        }
        if (!digression) _pendingFallback = true; // understood, but the scenario has nothing to say about it
    }

    void Clarify(CompiledIntent[] candidates, double confidence)
    {
        _scope.IntentConfidence = confidence;
        _clarify = [.. candidates.Select(c => c.Name)];
        var suggestions = candidates.Select(c => c.Suggestion).ToImmutableArray();
        var message = _scenario.Model.Recognizer?.Clarify;
        if (message is null || !TryRenderMessage(message, out var text, out _))
            text = _scenario.IsJapanese ? "次のどれについてのご用件でしょうか？" : "Which of these did you mean?";
        Emit(text, suggestions, expectingInput: true);
    }

    /// <summary>Whether the waiting ask would take this answer as valid; an ask that takes any text does not count as evidence.</summary>
    bool AcceptsAnswer(AskStep ask, string answer)
    {
        var validator = _scenario.Validators[ask];
        if (validator.AcceptsAnyText) return false;
        return validator.TryValidate(answer, Today, out _, out _);
    }

    async ValueTask AnswerAsync(StepNode node, AskStep ask, FlowFrame frame, string answer)
    {
        var validator = _scenario.Validators[ask];
        var today = Today;
        var valid = validator.TryValidate(answer, today, out var value, out var timedOut);
        if (timedOut) _errors.Add(new RuntimeError($"ask '{ask.Variable}': pattern timed out on the answer", ask.Expect?.Span is { Line: > 0 } s ? s : ask.Span));
        var used = (Start: 0, answer.Length);
        if (!valid && !timedOut && FindAnswerInSentence(ask, answer) is { } inSentence)
        {
            (valid, value, used) = (true, inSentence.Value, (inSentence.Start, inSentence.Length));
        }
        else if (valid && ask.Expect?.Kind is ExpectKind.Date or ExpectKind.Time && FindAnswerInSentence(ask, answer) is { } located)
        {
            // A date or time answer is accepted inside a sentence: the rest of it may fill the flow's later asks.
            used = (located.Start, located.Length);
        }
        var failed = valid ? FailedCheck(ask, value, today) : null;
        valid &= failed is null;
        _frames.RemoveAt(_frames.Count - 1);
        if (valid && TryTakeValue(ask, node.Flow, value, answer.Substring(used.Start, used.Length), SlotSource.Answer))
        {
            _fallbackStreak = 0;
            // The rest of the answer may carry values for the flow's later asks (slot filling).
            FindValuesFor(node.Flow, answer, used);
            await RunFlowAsync(node.Next, node.Flow).ConfigureAwait(false);
            return;
        }
        var attempts = frame.Attempts + 1;
        if (attempts >= ask.MaxAttempts)
        {
            await RunFlowAsync(node.Alternative, node.Flow).ConfigureAwait(false);
            return;
        }
        _frames.Add(frame with { Attempts = attempts });
        _stepsRun.Add(ask.Id);
        SetAskScope(ask, attempts);
        var retry = failed?.Message ?? ask.Retry ?? ask.Prompt;
        if (!Say(retry, expectingInput: true)) AbortFlow(node.Flow);
        _scope.HasAsk = false;
    }

    /// <summary>The first <c>validate</c> rule the candidate answer breaks, or null when it passes them all (a rule that fails to evaluate counts as broken).</summary>
    AnswerCheck? FailedCheck(AskStep ask, JsonNode? value, DateOnly today)
    {
        if (ask.Validate.IsDefaultOrEmpty) return null;
        _scope.HasValue = true;
        _scope.Candidate = value;
        _scope.Today = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            foreach (var check in ask.Validate)
                if (!Condition(check.Must)) return check;
            return null;
        }
        finally
        {
            _scope.HasValue = false;
            _scope.Candidate = null;
        }
    }

    void SetAskScope(AskStep ask, int attempts)
    {
        _scope.HasAsk = true;
        _scope.AskAttempt = attempts;
        _scope.AskMaxRetries = Math.Max(ask.MaxAttempts - 1, 0);
        _scope.AskRetriesLeft = Math.Max(ask.MaxAttempts - attempts, 0);
    }

    // ---- events ----

    async ValueTask OnEventAsync(EventInput input)
    {
        _scope.HasEvent = true;
        _scope.Event = input.Value is { } v ? JsonValues.FromElement(v) : null;
        _recentEvents = Bounded(_recentEvents, new SiteEvent(input.Name, _now.ToUniversalTime(), HandoffContextState.Compact(input.Value)), ConversationState.MaxRecentEvents);

        foreach (var stage in _scenario.Model.Journey)
        {
            var entered = false;
            foreach (var trigger in stage.EntersOn)
            {
                if (trigger.Event == input.Name && Condition(trigger.When))
                {
                    EnterStage(stage.Name, input.Name);
                    entered = true;
                    break;
                }
            }
            if (entered) break;
        }
        if (_withAgent) return; // the journey is still tracked, but the agent has the conversation

        var startedFlow = false;
        if (_stage is not null && _scenario.Stages.TryGetValue(_stage, out var current))
        {
            foreach (var rule in current.Proactive)
            {
                if (rule.On.Event != input.Name || !CapAllows(rule) || !Condition(rule.On.When)) continue;
                MarkFired(rule);
                _proactiveFired.Add(rule.Id);
                if (rule.Say is not null) Say(rule.Say, expectingInput: rule.Flow is null && !rule.Say.Suggestions.IsDefaultOrEmpty);
                if (rule.Flow is not null)
                {
                    await StartFlowAsync(rule.Flow).ConfigureAwait(false);
                    startedFlow = true;
                }
                break; // one proactive nudge per event: a customer should not be talked at twice
            }
        }
        if (!startedFlow)
        {
            foreach (var flow in _scenario.EventFlows)
            {
                var trigger = flow.Trigger!.Event!;
                if (trigger.Event == input.Name && Condition(trigger.When))
                {
                    await StartFlowAsync(flow.Name).ConfigureAwait(false);
                    break;
                }
            }
        }
        await CheckHandoffRulesAsync().ConfigureAwait(false);
    }

    void EnterStage(string stage, string cause)
    {
        if (stage == _stage) return;
        _stage = stage;
        _stageVisit++;
        _scope.Stage = stage;
        _stageHistory = Bounded(_stageHistory, new StageEntry(stage, _now.ToUniversalTime(), cause), ConversationState.MaxStageHistory);
    }

    static ImmutableArray<T> Bounded<T>(ImmutableArray<T> list, T item, int max) =>
        list.Length >= max ? list.RemoveRange(0, list.Length - max + 1).Add(item) : list.Add(item);

    bool CapAllows(ProactiveRule rule)
    {
        var index = _proactive.FindIndex(m => m.RuleId == rule.Id);
        if (index < 0) return true;
        var mark = _proactive[index];
        return rule.Cap.Kind switch
        {
            CapKind.OncePerConversation => false,
            CapKind.OncePerStage => mark.StageVisit != _stageVisit,
            CapKind.Cooldown => _now.ToUnixTimeMilliseconds() - mark.LastFiredUnixMs >= (long)(rule.Cap.Cooldown ?? TimeSpan.Zero).TotalMilliseconds,
            _ => true,
        };
    }

    void MarkFired(ProactiveRule rule)
    {
        var mark = new ProactiveMark(rule.Id, _now.ToUnixTimeMilliseconds(), _stageVisit);
        var index = _proactive.FindIndex(m => m.RuleId == rule.Id);
        if (index < 0) _proactive.Add(mark);
        else _proactive[index] = mark;
    }

    // ---- handoff status ----

    async ValueTask OnHandoffStatusAsync(HandoffStatusInput input)
    {
        var wasWithAgent = _withAgent;
        switch (input.State)
        {
            case HandoffStatusInput.Accepted:
                // A human has the conversation from now on, also when they joined without a handoff (a supervisor's
                // proactive join): the bot falls silent and drops a half-done form, as at a handoff.
                if (!_withAgent)
                {
                    _withAgent = true;
                    _frames.Clear();
                    _clarify = [];
                    _pendingFallback = false;
                }
                break;
            case HandoffStatusInput.Completed:
            case HandoffStatusInput.Failed:
                _withAgent = false;
                _handoffQueue = null;
                _fallbackStreak = 0;
                _frames.Clear();
                break;
            default:
                _errors.Add(new RuntimeError($"unknown handoff status '{input.State}' (expected accepted, failed or completed)", SourceSpan.None));
                return;
        }
        if (input.CustomerText is { } text)
            Emit(text, [], expectingInput: false);
        if (input.State == HandoffStatusInput.Failed && wasWithAgent && input.Reason is HandoffStatusInput.Timeout or HandoffStatusInput.NoAgents)
        {
            // Nobody took the conversation in time: the customer gets the scenario's timeout path (issue 9).
            EmitTimeoutPath(_scenario.Handoff.OnTimeout?.Offer is { IsDefault: false } o ? o : []);
            return;
        }
        if (input.State != HandoffStatusInput.Completed) return;
        if (input.Variables is { Count: > 0 } values)
        {
            foreach (var (name, value) in values)
            {
                if (HandbackValidator.CheckVariable(_scenario, name, value) is { } problem)
                {
                    _errors.Add(new RuntimeError($"handback variable ignored: {problem.English}", SourceSpan.None));
                    continue;
                }
                SetVariable(name, value?.DeepClone());
            }
        }
        if (input.Flow is { Length: > 0 } flow)
        {
            if (_scenario.FirstSteps.ContainsKey(flow)) await StartFlowAsync(flow).ConfigureAwait(false);
            else _errors.Add(new RuntimeError($"handback into unknown flow '{flow}' ignored", SourceSpan.None));
        }
    }

    void OnAgentMessage(AgentMessageInput input)
    {
        if (!_withAgent)
        {
            // One writer: while the bot has the conversation an agent message is out of protocol.
            _errors.Add(new RuntimeError("agent message while the bot has the conversation: ignored", SourceSpan.None));
            return;
        }
        var text = input.Text ?? "";
        if (text.Length > _options.MaxInputLength) text = text[.._options.MaxInputLength];
        _turnTranscript.Add(new TranscriptEntry(TranscriptEntry.Agent, text.Trim()));
    }

    // ---- flows ----

    async ValueTask StartFlowAsync(string flow)
    {
        if (!_scenario.FirstSteps.TryGetValue(flow, out var first))
        {
            _errors.Add(new RuntimeError($"unknown flow '{flow}'", SourceSpan.None));
            return;
        }
        _flowsStarted.Add(flow);
        // A flow started while an ask waits is a digression: the waiting frame stays below it.
        if (_frames.Count >= MaxSuspendedFrames) _frames.RemoveAt(0);
        ForgetSlots(flow);
        if (_message is not null) FindValuesFor(flow, _message);
        await RunFlowAsync(first, flow).ConfigureAwait(false);
    }

    /// <summary>Runs steps from <paramref name="node"/> until one waits, the flow ends, or the turn hands off.</summary>
    async ValueTask RunFlowAsync(StepNode? node, string flow)
    {
        while (node is not null)
        {
            _ct.ThrowIfCancellationRequested();
            if (--_stepBudget < 0)
            {
                _errors.Add(new RuntimeError($"more than {_options.MaxStepsPerTurn} steps in one turn: flow '{flow}' stopped (a loop without input?)", node.Step.Span));
                AbortFlow(flow);
                return;
            }
            var step = node.Step;
            _stepsRun.Add(step.Id);
            switch (step)
            {
                case SayStep say:
                    if (!Say(say.Message, expectingInput: false)) { AbortFlow(flow); return; }
                    node = node.Next;
                    break;

                case AskStep ask:
                    if (TryFill(ask, flow))
                    {
                        node = node.Next;
                        break;
                    }
                    _frames.Add(new FlowFrame(flow, ask.Id, 0));
                    SetAskScope(ask, 0);
                    var prompted = Say(ask.Prompt, expectingInput: true);
                    _scope.HasAsk = false;
                    if (!prompted)
                    {
                        _frames.RemoveAt(_frames.Count - 1);
                        AbortFlow(flow);
                    }
                    return;

                case CallStep call:
                    if (await CallAsync(call).ConfigureAwait(false))
                        node = node.Next;
                    else if (node.Alternative is not null)
                        node = node.Alternative;
                    else
                    {
                        if (call.Into is not null) RemoveVariable(call.Into);
                        node = node.Next;
                    }
                    break;

                case SetStep set:
                    foreach (var assignment in set.Assignments)
                    {
                        if (assignment.Value is { } template)
                        {
                            if (!_scenario.Templates[template].TryEvaluateValue(_scope, _options, out var value, out var error))
                            {
                                Fail(error!);
                                AbortFlow(flow);
                                return;
                            }
                            if (!TrySetDeclared(assignment.Variable, value, assignment.Span))
                            {
                                AbortFlow(flow);
                                return;
                            }
                        }
                        else if (!TrySetDeclared(assignment.Variable, assignment.Literal is { } literal ? JsonValues.FromElement(literal) : null, assignment.Span))
                        {
                            AbortFlow(flow);
                            return;
                        }
                    }
                    node = node.Next;
                    break;

                case IfStep branch:
                    if (!TryCondition(branch.Condition, out var truth)) { AbortFlow(flow); return; }
                    node = truth ? node.Then : node.Else;
                    break;

                case GotoStep jump:
                    if (jump.Stage is not null) EnterStage(jump.Stage, "goto");
                    if (jump.Flow is not null)
                    {
                        _flowsStarted.Add(jump.Flow);
                        ForgetSlots(flow);
                        ForgetSlots(jump.Flow);
                        if (_message is not null) FindValuesFor(jump.Flow, _message);
                        flow = jump.Flow;
                        node = _scenario.FirstSteps.GetValueOrDefault(jump.Flow);
                    }
                    else node = node.Next;
                    break;

                case HandoffStep handoff:
                    await HandOffAsync(handoff.Queue, handoff.Id, handoff.Reason ?? $"flow {flow}", handoff.Say, handoff.Offer,
                        handoff.Span, handoff.Priority, []).ConfigureAwait(false);
                    return;

                case TicketStep ticket:
                    if (!RecordTicket(ticket)) { AbortFlow(flow); return; }
                    node = node.Next;
                    break;

                case EndStep end:
                    if (end.Say is not null) Say(end.Say, expectingInput: false);
                    node = null;
                    break;

                default:
                    node = node.Next;
                    break;
            }
        }
        FlowEnded();
    }

    /// <summary>A flow finished: if it was a digression, the interrupted ask asks again.</summary>
    void FlowEnded()
    {
        if (_frames.Count == 0 || _withAgent) return;
        var frame = _frames[^1];
        if (_scenario.Steps.TryGetValue(frame.StepId, out var node) && node.Step is AskStep ask)
        {
            _stepsRun.Add(ask.Id);
            SetAskScope(ask, frame.Attempts);
            var prompted = Say(ask.Prompt, expectingInput: true);
            _scope.HasAsk = false;
            if (!prompted) AbortFlow(frame.Flow);
        }
    }

    /// <summary>An expression failed inside a flow: the flow stops and the turn falls back (the failure is in the trace).</summary>
    void AbortFlow(string flow)
    {
        _frames.RemoveAll(f => f.Flow == flow);
        _pendingFallback = true;
    }

    async ValueTask<bool> CallAsync(CallStep call)
    {
        if (!_scenario.Actions.TryGetValue(call.Action, out var action))
        {
            Fail(new RuntimeError($"unknown action '{call.Action}'", call.Span));
            return false;
        }
        var arguments = new Dictionary<string, JsonNode?>(call.With.Length, StringComparer.Ordinal);
        foreach (var argument in call.With)
        {
            if (!_scenario.Templates[argument.Value].TryEvaluateValue(_scope, _options, out var value, out var error))
            {
                Fail(error!);
                return false;
            }
            arguments[argument.Name] = value;
        }
        ActionOutcome outcome;
        try
        {
            outcome = await _services.Actions.InvokeAsync(action, arguments, _ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_ct.IsCancellationRequested)
        {
            outcome = ActionOutcome.Failure($"action '{call.Action}' threw {e.GetType().Name}: {e.Message}");
        }
        if (!outcome.Succeeded)
        {
            Fail(new RuntimeError(outcome.Error ?? $"action '{call.Action}' failed", call.Span));
            return false;
        }
        // A result that does not fit the declared variable is the action's failure: onError runs.
        return call.Into is null || TrySetDeclared(call.Into, outcome.Value, call.Span, $"action '{call.Action}' returned a value that does not fit: ");
    }

    // ---- handoff ----

    async ValueTask CheckHandoffRulesAsync()
    {
        if (_handoff is not null || _withAgent) return;
        _scope.FallbackStreak = _fallbackStreak;
        _scope.Stage = _stage;
        foreach (var rule in _scenario.Handoff.Rules)
        {
            if (rule.Intent is not null)
            {
                if (_scope.IntentName != rule.Intent) continue;
                await HandOffAsync(rule.Queue, rule.Id, $"intent {rule.Intent}", rule.Say, rule.Offer, rule.Span, rule.Priority,
                    [new("intent", JsonValue.Create(rule.Intent)), new("confidence", JsonValue.Create(_scope.IntentConfidence))]).ConfigureAwait(false);
                return;
            }
            if (rule.When is null) continue;
            var latched = _latched.Contains(rule.Id);
            if (!TryCondition(rule.When, out var truth)) continue; // failed: reported, rule not matched, latch kept
            if (!truth)
            {
                // Condition rules are edge-triggered: once the condition is false again, the rule may fire again.
                if (latched) _latched = _latched.Remove(rule.Id);
                continue;
            }
            // Still true since it last handed off (e.g. the agent gave the conversation back while the
            // cart is still big at checkout): firing again would hand off on every turn.
            if (latched) continue;
            _latched = _latched.Add(rule.Id);
            await HandOffAsync(rule.Queue, rule.Id, rule.When.Source, rule.Say, rule.Offer, rule.Span, rule.Priority,
                ConditionValues(rule.When)).ConfigureAwait(false);
            return;
        }
    }

    /// <summary>The values the condition read, now (issue 9: the agent sees why the rule fired).</summary>
    ImmutableArray<KeyValuePair<string, JsonNode?>> ConditionValues(Expression when)
    {
        var reads = _scenario.Expressions[when].Reads;
        var values = ImmutableArray.CreateBuilder<KeyValuePair<string, JsonNode?>>(reads.Length);
        foreach (var prefixes in reads)
        {
            foreach (var path in prefixes)
            {
                if (!_scope.TryResolve(path, out var value)) continue;
                values.Add(new(string.Join('.', path.Segments), value.ToNode()?.DeepClone()));
                break;
            }
        }
        return values.DrainToImmutable();
    }

    async ValueTask HandOffAsync(string queueName, string ruleId, string reason, Message? say, ImmutableArray<string> offer,
        SourceSpan span, int priority, ImmutableArray<KeyValuePair<string, JsonNode?>> conditionValues)
    {
        var withinHours = !_scenario.Queues.TryGetValue(queueName, out var queue) || queue.IsOpen(_now);
        QueueStatus? status = null;
        if (withinHours && _services.Queue is { } hub)
            status = await hub.GetStatusAsync(_input.ConversationId, queueName, _ct).ConfigureAwait(false);
        // The hub has nobody online for this queue: waiting would be waiting for nobody (issue 9).
        var unattended = status is { AgentsOnline: <= 0 };
        var outOfHours = queue?.Def.OutOfHours ?? _scenario.Handoff.OutOfHours;
        var onTimeout = _scenario.Handoff.OnTimeout;
        ImmutableArray<string> decisionOffer =
            !withinHours ? outOfHours?.Offer is { IsDefault: false } o ? o : []
            : unattended ? onTimeout?.Offer is { IsDefault: false } t ? t : []
            : offer.IsDefault ? [] : offer;
        var decision = new HandoffDecision(queueName, ruleId, reason, withinHours, decisionOffer, SharedValues(), Transcript())
        {
            RuleSpan = span,
            ConditionValues = conditionValues.IsDefault ? [] : conditionValues,
            Stage = _stage,
            StageHistory = _stageHistory,
            RecentEvents = _recentEvents,
            Intent = _lastIntent,
            Confidence = _lastConfidence,
            Answers = AnswerValues(),
            Priority = priority,
            ScenarioId = _input.PackageId,
            PackageVersion = _input.PackageVersion,
            Unattended = unattended,
            UnattendedReason = unattended ? HandoffDecision.NoAgents : null,
        };
        _handoff = decision;
        _handoffRule = ruleId;
        _pendingFallback = false;
        _fallbackStreak = 0;
        _frames.Clear();
        _clarify = [];
        if (!withinHours)
        {
            EmitPath(outOfHours?.Say, decision.Offer, "ただいま担当者が対応できる時間外です。", "Our agents are not available right now.");
            return;
        }
        if (unattended)
        {
            EmitTimeoutPath(decision.Offer);
            return;
        }
        _withAgent = true;
        _handoffQueue = queueName;
        _outputs.Add(new HandoffEventOutput(decision));
        var message = say ?? _scenario.Handoff.Say;
        if (message is not null) Say(message, expectingInput: false);
        if (status is { Assigned: false }) EmitWaiting(queueName, status);
    }

    ImmutableArray<KeyValuePair<string, JsonNode?>> SharedValues()
    {
        var shared = ImmutableArray.CreateBuilder<KeyValuePair<string, JsonNode?>>(_scenario.Handoff.Share.Length);
        foreach (var s in _scenario.Handoff.Share)
            shared.Add(new(s.Key, _variables.GetValueOrDefault(s.Variable)?.DeepClone()));
        return shared.MoveToImmutable();
    }

    ImmutableArray<KeyValuePair<string, JsonNode?>> AnswerValues()
    {
        var answers = ImmutableArray.CreateBuilder<KeyValuePair<string, JsonNode?>>(_answers.Length);
        foreach (var name in _answers)
            answers.Add(new(name, _variables.GetValueOrDefault(name)?.DeepClone()));
        return answers.MoveToImmutable();
    }

    /// <summary><c>handoff.onTimeout</c>: nobody took (or could take) the conversation.</summary>
    void EmitTimeoutPath(ImmutableArray<string> offer)
    {
        _timeoutPath = true;
        EmitPath(_scenario.Handoff.OnTimeout?.Say, offer, "申し訳ございません、ただいま担当者におつなぎできません。", "Sorry, no agent can take your conversation right now.");
    }

    /// <summary>An out-of-hours or timeout message: its suggestions, else the offered channels as buttons.</summary>
    void EmitPath(Message? message, ImmutableArray<string> offer, string japanese, string english)
    {
        if (message is not null && TryRenderMessage(message, out var text, out var suggestions))
            Emit(text, suggestions.IsEmpty ? offer : suggestions, expectingInput: !offer.IsEmpty);
        else if (message is null)
            Emit(_scenario.IsJapanese ? japanese : english, offer, expectingInput: !offer.IsEmpty);
    }

    /// <summary>The waiting notice: <c>handoff.waiting</c> with <c>queue.*</c> in scope, or the built-in text.</summary>
    void EmitWaiting(string queue, QueueStatus status)
    {
        _waitingNotice = true;
        _scope.HasQueue = true;
        _scope.QueuePosition = status.Position;
        _scope.QueueWaitMinutes = status.WaitMinutes;
        _scope.QueueName = queue;
        var message = _scenario.Handoff.Waiting;
        if (message is null || !Say(message, expectingInput: false))
        {
            Emit(_scenario.IsJapanese
                ? FormattableString.Invariant($"現在{status.Position}番目にお待ちいただいています（目安：約{status.WaitMinutes}分）。")
                : FormattableString.Invariant($"You are number {status.Position} in the queue (about {status.WaitMinutes} min)."), [], expectingInput: false);
        }
        _scope.HasQueue = false;
    }

    /// <summary>A <c>ticket</c> step: renders the request, numbers it, stores the number, emits it. False when a template failed.</summary>
    bool RecordTicket(TicketStep step)
    {
        if (!Render(step.Contact, out var contact)) return false;
        string? time = null, note = null;
        if (step.Time is not null && !Render(step.Time, out time)) return false;
        if (step.Note is not null && !Render(step.Note, out note)) return false;
        var number = TicketNumbers.Make(step.Kind, _input.ConversationId, _scope.Turn, step.Id);
        if (step.Into is not null) SetVariable(step.Into, JsonValue.Create(number));
        _outputs.Add(new TicketOutput(new Ticket(step.Kind, number, contact, time, note, step.Queue, step.Id, step.Span)
        {
            Stage = _stage,
            StageHistory = _stageHistory,
            RecentEvents = _recentEvents,
            Intent = _lastIntent,
            Confidence = _lastConfidence,
            Shared = SharedValues(),
            Answers = AnswerValues(),
            Transcript = Transcript(),
            ScenarioId = _input.PackageId,
            PackageVersion = _input.PackageVersion,
        }));
        return true;
    }

    bool Render(Template template, out string text)
    {
        if (_scenario.Templates[template].TryRender(_scope, _options, out text, out var error)) return true;
        Fail(error!);
        return false;
    }

    // ---- messages and expressions ----

    bool Condition(Expression? expression) => expression is null || TryCondition(expression, out var truth) && truth;

    bool TryCondition(Expression expression, out bool truth)
    {
        truth = false;
        if (!_scenario.Expressions[expression].TryEvaluate(_scope, _options, out var value, out var error))
        {
            Fail(error!);
            return false;
        }
        truth = value.IsTruthy;
        return true;
    }

    /// <summary>Renders and sends a message; false (and an error in the trace) when a template failed.</summary>
    bool Say(Message message, bool expectingInput)
    {
        if (!TryRenderMessage(message, out var text, out var suggestions)) return false;
        Emit(text, suggestions, expectingInput);
        return true;
    }

    bool TryRenderMessage(Message message, out string text, out ImmutableArray<string> suggestions)
    {
        suggestions = [];
        text = "";
        var variations = message.Variations;
        if (variations.IsDefaultOrEmpty) return false;
        // Variation chosen by a stable hash of (conversation, turn, output index): deterministic, yet varied.
        var template = variations.Length == 1
            ? variations[0]
            : variations[(int)(StableHash.Of(_input.ConversationId, _scope.Turn, _outputs.Count) % (uint)variations.Length)];
        if (!_scenario.Templates[template].TryRender(_scope, _options, out text, out var error))
        {
            Fail(error!);
            return false;
        }
        if (!message.Suggestions.IsDefaultOrEmpty)
        {
            var builder = ImmutableArray.CreateBuilder<string>(message.Suggestions.Length);
            foreach (var s in message.Suggestions)
            {
                if (!_scenario.Templates[s].TryRender(_scope, _options, out var suggestion, out error))
                {
                    Fail(error!);
                    return false;
                }
                builder.Add(suggestion);
            }
            suggestions = builder.MoveToImmutable();
        }
        return true;
    }

    void Emit(string text, ImmutableArray<string> suggestions, bool expectingInput)
    {
        _outputs.Add(new BotMessage(text, suggestions.IsDefault ? [] : suggestions, expectingInput));
        _turnTranscript.Add(new TranscriptEntry(TranscriptEntry.Bot, text));
    }

    ImmutableArray<TranscriptEntry> Transcript() => _input.TranscriptLog.With(_turnTranscript);

    void Fail(RuntimeError error) => _errors.Add(error);

    void SetVariable(string name, JsonNode? value)
    {
        OwnVariables();
        _variables[name] = value;
    }

    /// <summary>
    /// Stores a value from a call, a script or <c>set</c>: a declared variable only takes a value of its type and
    /// enum (docs/language.md "Variables"); anything else is a runtime error at <paramref name="span"/>, never stored.
    /// </summary>
    bool TrySetDeclared(string name, JsonNode? value, SourceSpan span, string context = "")
    {
        if (_scenario.DeclaredVariables.ContainsKey(name) && HandbackValidator.CheckVariable(_scenario, name, value) is { } problem)
        {
            Fail(new RuntimeError(context + problem.English, span));
            return false;
        }
        SetVariable(name, value);
        return true;
    }

    void RemoveVariable(string name)
    {
        if (!_variables.ContainsKey(name)) return;
        OwnVariables();
        _variables.Remove(name);
    }

    void OwnVariables()
    {
        if (_ownsVariables) return;
        // INVARIANT: the input state's table is never written; the new state gets this copy.
        _variables = new Dictionary<string, JsonNode?>(_variables, StringComparer.Ordinal);
        _scope.Variables = _variables;
        _ownsVariables = true;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "conversation {ConversationId}: {Span}: {Error}")]
    static partial void LogRuntimeError(ILogger logger, string conversationId, string span, string error);

    // ---- result ----

    TurnResult Finish(TurnInput input)
    {
        if (_pendingFallback && _handoff is null && !_withAgent)
        {
            var fallback = _scenario.Model.Fallback;
            if (fallback is null || !Say(fallback, expectingInput: false))
                Emit(_scenario.IsJapanese ? "申し訳ありません、よく分かりませんでした。" : "Sorry, I didn't understand that.", [], expectingInput: false);
        }
        var transcript = _input.TranscriptLog.Append(_turnTranscript, _options.MaxTranscriptEntries);
        var ids = _input.RecentActivityIds;
        if (input.ActivityId is { } id)
        {
            ids = ids.Add(id);
            if (ids.Length > _options.RecentActivityIds) ids = ids.RemoveRange(0, ids.Length - _options.RecentActivityIds);
        }
        var context = _input.Context;
        if (_handoffQueue != context.HandoffQueue || _stageHistory != context.StageHistory || _recentEvents != context.RecentEvents
            || _answers != context.Answers || _lastIntent != context.LastIntent || _lastConfidence != context.LastConfidence)
            context = new HandoffContextState(_handoffQueue, _stageHistory, _recentEvents, _answers, _lastIntent, _lastConfidence);
        var state = new ConversationState(
            _input.ConversationId, _input.UserId, _input.PackageId, _input.PackageVersion,
            _stage, _stageVisit, _withAgent, _input.Turn + 1, _fallbackStreak,
            _variables, transcript, [.. _frames], ids, _clarify.IsDefault ? [] : _clarify, [.. _proactive], _latched, context, RemainingSlots());
        if (_services.Logger is { } logger && logger.IsEnabled(LogLevel.Warning))
            foreach (var error in _errors)
                LogRuntimeError(logger, _input.ConversationId, error.Span.ToString(), error.Message);
        var trace = new TurnTrace(
            _scope.IntentName, _scope.IntentConfidence, _fallback, _stage,
            [.. _stepsRun], [.. _flowsStarted], [.. _proactiveFired], _handoffRule, [.. _errors], Duplicate: false)
        {
            WaitingNotice = _waitingNotice,
            TimeoutPath = _timeoutPath,
            Filled = _filled is null ? [] : [.. _filled],
            Cancelled = _cancelled,
        };
        return new TurnResult(state, [.. _outputs], _handoff, trace);
    }
}
