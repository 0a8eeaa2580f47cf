using ScenarioKit.Insight.Privacy;
using ScenarioKit.Storage;

namespace ScenarioKit.Insight.Outcomes;

/// <summary>
/// Follows one conversation's turns, oldest first, and tells the scenario's totals what happened: outcomes of its
/// sessions' episodes, stages, proactive rules, steps, fallbacks and handoffs. Holds only this conversation's state.
/// </summary>
/// <remarks>
/// Between turns the engine keeps a flow only while it waits at an ask (a digression's flow sits above the ask it
/// interrupted), so the flow after a turn (<see cref="TurnSummary.Flow"/>) tells which open episodes have ended: every
/// open episode above the one whose flow still runs.
/// </remarks>
internal sealed class ConversationWalker(ScenarioTotals totals, ScenarioIndex? index, InsightOptions options, TextMasking masking)
{
    readonly List<Episode> _open = [];
    readonly List<Episode> _sessionEpisodes = [];
    readonly List<Episode> _all = [];
    readonly HashSet<string> _stepsReached = new(StringComparer.Ordinal);
    readonly HashSet<string> _onFailAsks = new(StringComparer.Ordinal);
    readonly HashSet<string> _stages = new(StringComparer.Ordinal);
    readonly HashSet<string> _proactiveShown = new(StringComparer.Ordinal);
    readonly List<string> _awaitingEngagement = [];
    string _key = "";
    DateTimeOffset? _last;
    string? _stage;
    string? _waitingStep;
    PendingHandoff? _handoff;
    bool _escalated;

    sealed record PendingHandoff(HandoffTotals Row, DateTimeOffset AtUtc, string Rule);

    public void Add(TurnLogEntry entry, TurnSummary turn)
    {
        _key = entry.Key;
        if (_last is { } last && entry.AtUtc - last > options.SessionTimeout) CloseSession(quiet: true);
        _last = entry.AtUtc;
        totals.Turns++;

        TrackStage(turn.Stage);
        TrackProactive(turn);
        TrackSteps(turn);
        if (turn.Input == "message") OnMessage(turn);
        else if (turn.FlowsStarted is { Count: > 0 } started && _open.Count == 0) Open(null, started);
        if (turn.HandoffRule is { } rule) OnHandoff(entry, turn, rule);
        else if (turn.Input == "handoff") OnHandoffStatus(entry, turn);
        CloseEndedEpisodes(turn);
        _waitingStep = turn.WaitingStep;
    }

    /// <summary>The conversation's last turn was read: judge what is still open and count the conversation.</summary>
    public void Complete()
    {
        var ongoing = _last is { } last && options.Now - last <= options.SessionTimeout && _open.Count > 0;
        CloseSession(quiet: !ongoing);
        var outcome = _escalated || _all.Any(e => e.Outcome == Outcome.Escalated) ? Outcome.Escalated
            : _all.Any(e => e.Outcome == Outcome.Abandoned) ? Outcome.Abandoned
            : _all.Any(e => e.Outcome == Outcome.Ongoing) ? Outcome.Ongoing
            : _all.Count > 0 ? Outcome.Contained
            : Outcome.Unengaged;
        totals.Conversations.Add(outcome);
        foreach (var id in _stepsReached) totals.Step(id).Reached++;
        foreach (var id in _onFailAsks) totals.Step(id).OnFail++;
        foreach (var stage in _stages) totals.StageReached(stage);
        foreach (var rule in _proactiveShown) totals.Proactive(rule).Followed(outcome, _stage);
    }

    void TrackStage(string? stage)
    {
        if (stage is null || stage == _stage) return;
        if (_stage is not null) totals.Transition(_stage, stage);
        _stages.Add(stage);
        _stage = stage;
    }

    void TrackProactive(TurnSummary turn)
    {
        if (turn.Input == "message")
        {
            foreach (var rule in _awaitingEngagement) totals.Proactive(rule).Engaged++;
            _awaitingEngagement.Clear();
        }
        if (turn.Proactive is null) return;
        foreach (var rule in turn.Proactive)
        {
            totals.Proactive(rule).Shown++;
            _proactiveShown.Add(rule);
            if (!_awaitingEngagement.Contains(rule)) _awaitingEngagement.Add(rule);
        }
    }

    void TrackSteps(TurnSummary turn)
    {
        if (turn.Steps is { } steps)
        {
            HashSet<string>? failedCalls = null;
            foreach (var id in steps)
            {
                _stepsReached.Add(id);
                if (index?.Step(id) is not { FailureOf: { } parent }) continue;
                switch (index.Step(parent)?.Kind)
                {
                    case "ask":
                        _onFailAsks.Add(parent);
                        if (_open.Count > 0) _open[^1].GaveUp = true;
                        break;
                    case "call":
                        (failedCalls ??= []).Add(parent);
                        if (_open.Count > 0) _open[^1].GaveUp = true;
                        break;
                }
            }
            // A call's failure shows as its error in the trace, or as its onError steps running (or both): count the turn once.
            foreach (var error in turn.Errors ?? [])
            {
                foreach (var id in steps)
                {
                    if (index?.Step(id) is { Kind: "call" } call && error.StartsWith(call.Span + ":", StringComparison.Ordinal)) (failedCalls ??= []).Add(id);
                }
            }
            foreach (var call in failedCalls ?? []) totals.Step(call).ActionFailures++;
        }
    }

    void OnMessage(TurnSummary turn)
    {
        var answered = _waitingStep is { } waiting ? index?.Step(waiting) : null;
        // Masked only where a text is kept (most messages are never shown): masking is the costliest per-turn work.
        string Masked() => turn.Text is { } raw ? masking.Apply(raw, answered?.AskVariable) : "";
        var startsEpisode = turn.Intent is not null && (turn.FlowsStarted is { Count: > 0 } || turn.HandoffRule is not null);
        if (answered is { Kind: "ask" } && !startsEpisode && turn.WaitingStep == answered.Id && turn.Steps?.Contains(answered.Id) == true)
        {
            var step = totals.Step(answered.Id);
            step.Retry(step.RetrySamples.Count < StepTotals.MaxSamples ? Masked() : "");
        }
        if (turn.Fallback && turn.Intent is null && !string.IsNullOrEmpty(turn.Text))
            totals.HotSpots.Add(Masked(), _waitingStep ?? "");
        if (startsEpisode) Open(turn.Intent, turn.FlowsStarted);
        else if (turn.FlowsStarted is { Count: > 0 } jumped && _open.Count > 0) _open[^1].Flow = jumped[^1];
        else if (turn.FlowsStarted is { Count: > 0 } started) Open(null, started);
    }

    void Open(string? intent, IReadOnlyList<string>? flows)
    {
        var flow = flows is { Count: > 0 } ? flows[^1] : null;
        var episode = intent is null ? null : _sessionEpisodes.FirstOrDefault(e => e.Intent == intent && e.Outcome != Outcome.Escalated);
        if (episode is null)
        {
            episode = new Episode(intent, flow);
            _sessionEpisodes.Add(episode);
            _all.Add(episode);
        }
        else
        {
            // The customer came back with the same need: the earlier attempt did not resolve it.
            _open.Remove(episode);
            episode.Flow = flow;
            episode.Outcome = null;
            episode.GaveUp = false;
        }
        _open.Add(episode);
    }

    void OnHandoff(TurnLogEntry entry, TurnSummary turn, string rule)
    {
        // The handoff ends every open flow; it is the outcome of the episode it interrupted, or of the one that just ended.
        var target = _open.Count > 0 ? _open[^1] : _sessionEpisodes.LastOrDefault();
        foreach (var episode in _open) episode.Outcome = Outcome.Escalated;
        _open.Clear();
        if (target is not null) target.Outcome = Outcome.Escalated;
        _escalated = true;
        var row = totals.Handoff(rule, turn.HandoffQueue ?? "");
        row.Count++;
        if (turn.Unattended) row.Unattended++;
        else if (turn.HandoffWithinHours == false) row.OutOfHours++;
        else row.WithinHours++;
        _handoff = turn.Unattended || turn.HandoffWithinHours == false ? null : new PendingHandoff(row, entry.AtUtc, rule);
        if (_handoff is not null && totals.AgentOutcomes?.Find(_key, rule, entry.AtUtc) is { } human)
        {
            row.AgentEnded(human.Outcome, human.WaitSeconds);
            _handoff = null;
        }
    }

    void OnHandoffStatus(TurnLogEntry entry, TurnSummary turn)
    {
        if (_handoff is not { } pending) return;
        switch (turn.Name)
        {
            case "accepted":
                pending.Row.Accepted++;
                pending.Row.WaitSeconds += (entry.AtUtc - pending.AtUtc).TotalSeconds;
                break;
            case "completed":
                pending.Row.Outcome("completed");
                _handoff = null;
                break;
            case "failed":
                pending.Row.Outcome(turn.Detail is { } reason ? $"failed: {reason}" : "failed");
                _handoff = null;
                break;
        }
    }

    void CloseEndedEpisodes(TurnSummary turn)
    {
        while (_open.Count > 0 && (_open[^1].Flow is null || _open[^1].Flow != turn.Flow))
        {
            var episode = _open[^1];
            _open.RemoveAt(_open.Count - 1);
            // A flow stopped by a runtime error, or ended through an ask's onFail, did not reach its end: the bot gave up.
            episode.Outcome = episode.GaveUp || turn.Fallback && turn.Errors is { Count: > 0 } ? Outcome.Abandoned : Outcome.Contained;
        }
    }

    void CloseSession(bool quiet)
    {
        foreach (var episode in _open)
        {
            episode.Outcome = quiet ? Outcome.Abandoned : Outcome.Ongoing;
        }
        if (quiet && _open.Count > 0 && _waitingStep is { } step) totals.Step(step).AbandonedHere++;
        foreach (var episode in _sessionEpisodes.Where(e => e.Intent is not null)) totals.Intent(episode.Intent!).Add(episode.Outcome ?? Outcome.Ongoing);
        _open.Clear();
        _sessionEpisodes.Clear();
        _awaitingEngagement.Clear();
        _handoff = null;
        _waitingStep = null;
    }
}
