using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScenarioKit.Engine.Expressions;
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
    readonly List<TranscriptEntry> _transcript;
    readonly List<FlowFrame> _frames;
    readonly List<ProactiveMark> _proactive;
    string? _stage;
    int _stageVisit;
    bool _withAgent;
    int _fallbackStreak;
    ImmutableArray<string> _clarify;
    ImmutableArray<string> _latched;

    // Turn results.
    readonly List<BotOutput> _outputs = new(4);
    readonly List<string> _stepsRun = new(8);
    readonly List<string> _flowsStarted = new(2);
    readonly List<string> _proactiveFired = [];
    readonly List<RuntimeError> _errors = [];
    HandoffDecision? _handoff;
    string? _handoffRule;
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
        _transcript = new List<TranscriptEntry>(state.Transcript.Length + 4);
        _transcript.AddRange(state.Transcript);
        _frames = [.. state.Frames];
        _proactive = [.. state.Proactive];
        _stage = state.Stage;
        _stageVisit = state.StageVisit;
        _withAgent = state.WithAgent;
        _fallbackStreak = state.FallbackStreak;
        _clarify = state.Clarify;
        _latched = state.LatchedRules;
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
                OnHandoffStatus(h);
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
        _transcript.Add(new TranscriptEntry(TranscriptEntry.User, raw.Trim()));
        if (_withAgent) return; // the agent hub relays; the bot stays silent (DESIGN §4 step 2)

        if (!_clarify.IsDefaultOrEmpty)
        {
            var candidates = _clarify;
            _clarify = [];
            foreach (var name in candidates)
            {
                if (_scenario.Intents.Find(name) is { } chosen && (folded == chosen.FoldedSuggestion || folded == chosen.FoldedName))
                {
                    await OnIntentAsync(new RecognitionResult(chosen, 1, null), digression: false).ConfigureAwait(false);
                    CheckHandoffRules();
                    return;
                }
            }
        }

        if (_frames.Count > 0)
        {
            var frame = _frames[^1];
            if (_scenario.Steps.TryGetValue(frame.StepId, out var node) && node.Step is AskStep ask)
            {
                // While an ask waits, only interrupting intents and handoff intents are recognised (digressions),
                // and only on strong evidence: a pattern, a keyword, or similarity above the stricter digression
                // threshold. Even then, similarity alone loses to an answer the ask can accept ("let me think"
                // must not hand off mid-form; a choice synonym that resembles an example is still the answer).
                if (_scenario.DigressionIntents.Count > 0)
                {
                    var digression = _scenario.Recognizer.Recognize(folded, i => _scenario.DigressionIntents.Contains(i.Name), _errors,
                        _scenario.Recognizer.DigressionThreshold);
                    if (digression.Intent is not null && !(digression.BySimilarity && AcceptsAnswer(ask, normalized)))
                    {
                        await OnIntentAsync(digression, digression: true).ConfigureAwait(false);
                        CheckHandoffRules();
                        return;
                    }
                }
                await AnswerAsync(node, ask, frame, normalized).ConfigureAwait(false);
                CheckHandoffRules();
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
        CheckHandoffRules();
    }

    async ValueTask OnIntentAsync(RecognitionResult recognition, bool digression)
    {
        var intent = recognition.Intent!;
        _fallbackStreak = 0;
        _scope.IntentName = intent.Name;
        _scope.IntentConfidence = recognition.Confidence;
        _scope.IntentDigitalFit = intent.DigitalFitText;
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
        return validator.TryValidate(answer, DateOnly.FromDateTime(_now.UtcDateTime), out _, out _);
    }

    async ValueTask AnswerAsync(StepNode node, AskStep ask, FlowFrame frame, string answer)
    {
        var validator = _scenario.Validators[ask];
        var today = DateOnly.FromDateTime(_now.UtcDateTime);
        var valid = validator.TryValidate(answer, today, out var value, out var timedOut);
        if (timedOut) _errors.Add(new RuntimeError($"ask '{ask.Variable}': pattern timed out on the answer", ask.Expect?.Span is { Line: > 0 } s ? s : ask.Span));
        _frames.RemoveAt(_frames.Count - 1);
        if (valid)
        {
            SetVariable(ask.Variable, value);
            _fallbackStreak = 0;
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
        var retry = ask.Retry ?? ask.Prompt;
        if (!Say(retry, expectingInput: true)) AbortFlow(node.Flow);
        _scope.HasAsk = false;
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

        foreach (var stage in _scenario.Model.Journey)
        {
            var entered = false;
            foreach (var trigger in stage.EntersOn)
            {
                if (trigger.Event == input.Name && Condition(trigger.When))
                {
                    EnterStage(stage.Name);
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
        CheckHandoffRules();
    }

    void EnterStage(string stage)
    {
        if (stage == _stage) return;
        _stage = stage;
        _stageVisit++;
        _scope.Stage = stage;
    }

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

    void OnHandoffStatus(HandoffStatusInput input)
    {
        switch (input.State)
        {
            case HandoffStatusInput.Accepted:
                break;
            case HandoffStatusInput.Completed:
            case HandoffStatusInput.Failed:
                _withAgent = false;
                _fallbackStreak = 0;
                _frames.Clear();
                break;
            default:
                _errors.Add(new RuntimeError($"unknown handoff status '{input.State}' (expected accepted, failed or completed)", SourceSpan.None));
                return;
        }
        if (input.CustomerText is { } text)
            Emit(text, [], expectingInput: false);
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
                            SetVariable(assignment.Variable, value);
                        }
                        else
                        {
                            SetVariable(assignment.Variable, assignment.Literal is { } literal ? JsonValues.FromElement(literal) : null);
                        }
                    }
                    node = node.Next;
                    break;

                case IfStep branch:
                    if (!TryCondition(branch.Condition, out var truth)) { AbortFlow(flow); return; }
                    node = truth ? node.Then : node.Else;
                    break;

                case GotoStep jump:
                    if (jump.Stage is not null) EnterStage(jump.Stage);
                    if (jump.Flow is not null)
                    {
                        _flowsStarted.Add(jump.Flow);
                        flow = jump.Flow;
                        node = _scenario.FirstSteps.GetValueOrDefault(jump.Flow);
                    }
                    else node = node.Next;
                    break;

                case HandoffStep handoff:
                    HandOff(handoff.Queue, handoff.Id, handoff.Reason ?? $"flow {flow}", handoff.Say, handoff.Offer);
                    return;

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
        if (call.Into is not null) SetVariable(call.Into, outcome.Value);
        return true;
    }

    // ---- handoff ----

    void CheckHandoffRules()
    {
        if (_handoff is not null || _withAgent) return;
        _scope.FallbackStreak = _fallbackStreak;
        _scope.Stage = _stage;
        foreach (var rule in _scenario.Handoff.Rules)
        {
            if (rule.Intent is not null)
            {
                if (_scope.IntentName != rule.Intent) continue;
                HandOff(rule.Queue, rule.Id, $"intent {rule.Intent}", rule.Say, rule.Offer);
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
            HandOff(rule.Queue, rule.Id, rule.When.Source, rule.Say, rule.Offer);
            return;
        }
    }

    void HandOff(string queueName, string ruleId, string reason, Message? say, ImmutableArray<string> offer)
    {
        var withinHours = !_scenario.Queues.TryGetValue(queueName, out var queue) || queue.IsOpen(_now);
        var shared = ImmutableArray.CreateBuilder<KeyValuePair<string, JsonNode?>>(_scenario.Handoff.Share.Length);
        foreach (var s in _scenario.Handoff.Share)
            shared.Add(new(s.Key, _variables.GetValueOrDefault(s.Variable)?.DeepClone()));
        var outOfHours = _scenario.Handoff.OutOfHours;
        var decision = new HandoffDecision(
            queueName, ruleId, reason, withinHours,
            withinHours ? offer.IsDefault ? [] : offer : outOfHours?.Offer is { IsDefault: false } o ? o : [],
            shared.MoveToImmutable(),
            [.. _transcript]);
        _handoff = decision;
        _handoffRule = ruleId;
        _pendingFallback = false;
        _fallbackStreak = 0;
        _frames.Clear();
        _clarify = [];
        if (withinHours)
        {
            _withAgent = true;
            _outputs.Add(new HandoffEventOutput(decision));
            var message = say ?? _scenario.Handoff.Say;
            if (message is not null) Say(message, expectingInput: false);
        }
        else
        {
            var message = outOfHours?.Say;
            if (message is not null && TryRenderMessage(message, out var text, out var suggestions))
                Emit(text, suggestions.IsEmpty ? decision.Offer : suggestions, expectingInput: !decision.Offer.IsEmpty);
            else if (message is null)
                Emit(_scenario.IsJapanese ? "ただいま担当者が対応できる時間外です。" : "Our agents are not available right now.", decision.Offer, expectingInput: !decision.Offer.IsEmpty);
        }
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
        _transcript.Add(new TranscriptEntry(TranscriptEntry.Bot, text));
    }

    void Fail(RuntimeError error) => _errors.Add(error);

    void SetVariable(string name, JsonNode? value)
    {
        OwnVariables();
        _variables[name] = value;
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
        var transcript = _transcript.Count > _options.MaxTranscriptEntries
            ? [.. _transcript.Skip(_transcript.Count - _options.MaxTranscriptEntries)]
            : ImmutableArray.CreateRange(_transcript);
        var ids = _input.RecentActivityIds;
        if (input.ActivityId is { } id)
        {
            ids = ids.Add(id);
            if (ids.Length > _options.RecentActivityIds) ids = ids.RemoveRange(0, ids.Length - _options.RecentActivityIds);
        }
        var state = new ConversationState(
            _input.ConversationId, _input.UserId, _input.PackageId, _input.PackageVersion,
            _stage, _stageVisit, _withAgent, _input.Turn + 1, _fallbackStreak,
            _variables, transcript, [.. _frames], ids, _clarify.IsDefault ? [] : _clarify, [.. _proactive], _latched);
        if (_services.Logger is { } logger && logger.IsEnabled(LogLevel.Warning))
            foreach (var error in _errors)
                LogRuntimeError(logger, _input.ConversationId, error.Span.ToString(), error.Message);
        var trace = new TurnTrace(
            _scope.IntentName, _scope.IntentConfidence, _fallback, _stage,
            [.. _stepsRun], [.. _flowsStarted], [.. _proactiveFired], _handoffRule, [.. _errors], Duplicate: false);
        return new TurnResult(state, [.. _outputs], _handoff, trace);
    }
}
