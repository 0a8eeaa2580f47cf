using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScenarioKit.Engine.Extraction;
using ScenarioKit.Engine.Text;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Runtime;

// Forms that feel human (issue 11, docs/language.md "Slot filling", "Correcting an answer", "Cancel"):
// asks take values from any message of their flow, answers can be corrected, a form can be cancelled.
internal sealed partial class TurnRunner
{
    // Records of the waiting flows' asks (copied from the state; pruned in Finish to flows that still wait).
    readonly List<SlotRecord> _slots;
    List<FilledSlot>? _filled;
    bool _cancelled;

    /// <summary>The current message (normalised) while a message turn runs: flows it starts may be filled from it.</summary>
    string? _message;

    /// <summary>The scenario's local date: dates without a year and relative days are read in its time zone.</summary>
    // The scenario's local date, worked out once per turn and only when an ask needs it.
    DateOnly? _today;

    DateOnly Today => _today ??= _scenario.LocalDate(_now);

    // ---- cancel ----

    /// <summary>
    /// A cancel phrase while an ask waits ends every waiting flow and says so once; the interrupted ask is not
    /// asked again and no retry is counted. An answer the ask accepts wins ("キャンセル" as a choice).
    /// </summary>
    bool TryCancel(AskStep ask, string normalized, string folded)
    {
        var cancel = _scenario.CancelWords;
        if (!cancel.Enabled) return false;
        var hit = cancel.Matches(TextNormalizer.TrimPunctuation(folded));
        if (!hit && cancel.Intent is { } intent)
            hit = _scenario.Recognizer.Recognize(folded, i => i.Name == intent, _errors, _scenario.Recognizer.DigressionThreshold).Intent is not null;
        if (!hit || AcceptsAnswer(ask, normalized)) return false;
        _cancelled = true;
        _frames.Clear();
        _slots.Clear();
        _fallbackStreak = 0;
        if (cancel.Say is null || !Say(cancel.Say, expectingInput: false))
            Emit(_scenario.IsJapanese ? "かしこまりました。お手続きを中止しました。" : "OK, I've cancelled that.", [], expectingInput: false);
        return true;
    }

    // ---- correction ----

    /// <summary>
    /// "やっぱり12月9日で" / "actually 12/9": with a correction word, a value of the kind of an ask this flow already
    /// took (the most recent first) replaces it, and the flow runs again from the step after that ask. Asks
    /// answered since keep their answers (they are skipped); says, calls and conditions run again with the new
    /// value, and the ask that was waiting is asked again. False: not a correction, the message is normal input.
    /// </summary>
    async ValueTask<bool> TryCorrectAsync(FlowFrame frame, string normalized, string folded)
    {
        if (!Cancelling.IsMatch(CorrectionWords(), folded)) return false;
        for (var i = _slots.Count - 1; i >= 0; i--)
        {
            var slot = _slots[i];
            if (slot.Flow != frame.Flow || slot.Pending || !_scenario.Steps.TryGetValue(slot.StepId, out var node) || node.Step is not AskStep ask)
                continue;
            var search = _scenario.SlotPatterns.GetValueOrDefault(ask);
            foreach (var candidate in _scenario.Validators[ask].FindCandidates(normalized, Today, search))
            {
                if (JsonNode.DeepEquals(candidate.Value, slot.Value)) continue;
                var text = normalized.Substring(candidate.Start, candidate.Length);
                if (!TryTakeValue(ask, frame.Flow, candidate.Value, text, SlotSource.Correction)) return false;
                _frames.RemoveAt(_frames.Count - 1);
                _fallbackStreak = 0;
                await RunFlowAsync(node.Next, frame.Flow).ConfigureAwait(false);
                return true;
            }
        }
        return false;
    }

    // ---- filling ----

    /// <summary>
    /// Finds values for the flow's asks not taken yet in <paramref name="text"/> and keeps them until each ask is
    /// reached. Asks are served in source order, each with the first value of its kind not used by another
    /// (and not inside <paramref name="used"/>, the part that answered the waiting ask); a choice or yes/no with
    /// two different values in the message is ambiguous and left to its prompt. A later message's value
    /// replaces an earlier one still waiting.
    /// </summary>
    void FindValuesFor(string flow, string text, (int Start, int Length) used = default)
    {
        if (!_scenario.FlowAsks.TryGetValue(flow, out var asks) || asks.Length == 0 || text.Length == 0) return;
        var taken = new List<(int Start, int End)>(asks.Length + 1);
        if (used.Length > 0) taken.Add((used.Start, used.Start + used.Length));
        foreach (var ask in asks)
        {
            var existing = IndexOfSlot(flow, ask.Id);
            if (existing >= 0 && !_slots[existing].Pending) continue;
            var candidates = _scenario.Validators[ask].FindCandidates(text, Today, _scenario.SlotPatterns.GetValueOrDefault(ask));
            for (var i = candidates.Count - 1; i >= 0; i--)
                if (Overlaps(taken, candidates[i].Start, candidates[i].Start + candidates[i].Length)) candidates.RemoveAt(i);
            if (candidates.Count == 0) continue;
            var first = candidates[0];
            if (ask.Expect.Kind is ExpectKind.Choice or ExpectKind.YesNo && ask.Extract is null && !AllSame(candidates)) continue;
            taken.Add((first.Start, first.Start + first.Length));
            var record = new SlotRecord(flow, ask.Id, ask.Variable, _scope.Turn, text.Substring(first.Start, first.Length), first.Value, SlotSource.Filled, Pending: true);
            if (existing >= 0) _slots[existing] = record;
            else _slots.Add(record);
        }
    }

    static bool Overlaps(List<(int Start, int End)> taken, int start, int end)
    {
        foreach (var t in taken)
            if (t.Start < end && start < t.End) return true;
        return false;
    }

    /// <summary>Whether every candidate has the first one's value (else a choice or yes/no is ambiguous).</summary>
    static bool AllSame(List<Found<JsonNode?>> candidates)
    {
        for (var i = 1; i < candidates.Count; i++)
            if (!JsonNode.DeepEquals(candidates[i].Value, candidates[0].Value)) return false;
        return true;
    }

    /// <summary>
    /// An ask is reached: true when it need not be asked, because a message already gave its value (taken now)
    /// or, after a correction, it was answered earlier in this flow run (its answer is kept).
    /// </summary>
    bool TryFill(AskStep ask, string flow)
    {
        var index = IndexOfSlot(flow, ask.Id);
        if (index < 0) return false;
        var slot = _slots[index];
        if (!slot.Pending) return true;
        _slots.RemoveAt(index);
        // The value was found for this ask, but it must pass the same checks as an answer; if not, the ask is asked.
        return TryTakeValue(ask, flow, slot.Value, slot.Text, SlotSource.Filled, slot.Turn);
    }

    /// <summary>
    /// The one way an ask takes a value, whether answered, filled or corrected: the value must fit the
    /// variable's declared type, then it is stored and recorded (state and trace) with the message it came from.
    /// </summary>
    bool TryTakeValue(AskStep ask, string flow, JsonNode? value, string text, SlotSource source, int? turn = null)
    {
        // An answer was checked against the ask's validate rules already (their message is the retry); a value
        // filled from another message or a correction must pass them too, else the ask is asked as usual.
        if (source != SlotSource.Answer && FailedCheck(ask, value, Today) is not null) return false;
        if (!TrySetDeclared(ask.Variable, value, ask.Span, $"ask '{ask.Variable}': ")) return false;
        if (!_answers.Contains(ask.Variable) && _answers.Length < ConversationState.MaxAnswers) _answers = _answers.Add(ask.Variable);
        // INVARIANT: variable values are never mutated, so the record may share the node with the variable table.
        var record = new SlotRecord(flow, ask.Id, ask.Variable, turn ?? _scope.Turn, text, value, source, Pending: false);
        var index = IndexOfSlot(flow, ask.Id);
        if (index >= 0) _slots.RemoveAt(index);
        _slots.Add(record);
        (_filled ??= []).Add(record.ToFilled());
        return true;
    }

    /// <summary>
    /// An answer that is not a value as a whole may hold one ("12月5日がいいです", "3人です"): the first value of
    /// the ask's kind in it. Yes/no is not searched (「はいらない」 is not a yes), and a choice named twice
    /// differently is no answer.
    /// </summary>
    Found<JsonNode?>? FindAnswerInSentence(AskStep ask, string answer)
    {
        if (ask.Expect.Kind == ExpectKind.YesNo && ask.Extract is null) return null;
        var candidates = _scenario.Validators[ask].FindCandidates(answer, Today, _scenario.SlotPatterns.GetValueOrDefault(ask));
        if (candidates.Count == 0) return null;
        var first = candidates[0];
        if (ask.Expect.Kind == ExpectKind.Choice && !AllSame(candidates)) return null;
        return first;
    }

    /// <summary>A flow (re)starts or is left by goto: what its asks took before belongs to the old run.</summary>
    void ForgetSlots(string flow)
    {
        if (_slots.Count > 0) _slots.RemoveAll(s => s.Flow == flow);
    }

    // A loop rather than FindIndex with a lambda: this runs for every ask reached, and a closure per call adds up.
    int IndexOfSlot(string flow, string stepId)
    {
        for (var i = 0; i < _slots.Count; i++)
            if (_slots[i].StepId == stepId && _slots[i].Flow == flow) return i;
        return -1;
    }

    /// <summary>Only flows that still wait keep their records: a flow that ended, failed or handed off forgets them.</summary>
    System.Collections.Immutable.ImmutableArray<SlotRecord> RemainingSlots()
    {
        if (_slots.Count == 0) return [];
        // Loops rather than RemoveAll and Exists with lambdas: two closures on every turn that answers an ask.
        var kept = 0;
        for (var i = 0; i < _slots.Count; i++)
            if (IsWaiting(_slots[i].Flow)) _slots[kept++] = _slots[i];
        _slots.RemoveRange(kept, _slots.Count - kept);
        return [.. _slots];

        bool IsWaiting(string flow)
        {
            foreach (var frame in _frames)
                if (frame.Flow == flow) return true;
            return false;
        }
    }

    // Correction words (folded text): "やっぱり12月9日で", "12月9日に変更", "actually the 9th", "change the date to ...".
    [GeneratedRegex(@"やっぱ|やはり|変更|変えて|かえて|訂正|修正|間違え|まちがえ|じゃなくて|ではなく|でなくて|\b(?:actually|change|changed|instead|i\s+meant|make\s+it|correction|rather|not\s+\S+\s*,?\s*but)\b",
        RegexOptions.CultureInvariant, 100)]
    private static partial Regex CorrectionWords();
}
