namespace ScenarioKit.Insight.Outcomes;

/// <summary>
/// One intent's attempt within a session: from the turn its flow started to the flow's end, a handoff, or the session
/// going quiet. A repeat of the same intent within the session reopens the episode (the first attempt did not
/// resolve it), so the customer's need is counted once. <see cref="Intent"/> is null for a flow an event started.
/// </summary>
internal sealed class Episode(string? intent, string? flow)
{
    public string? Intent { get; } = intent;

    /// <summary>The flow running for the episode (a <c>goto</c> moves it on).</summary>
    public string? Flow { get; set; } = flow;

    /// <summary>Null while the flow runs; <see cref="Outcome.Contained"/> once it ended (final when the session closes without a repeat).</summary>
    public Outcome? Outcome { get; set; }

    /// <summary>An ask of the flow ran out of attempts (its <c>onFail</c> ran) or an action failed (a call's <c>onError</c> ran): the bot gave up, so the episode is not contained.</summary>
    public bool GaveUp { get; set; }
}
