using System.Text.Json.Nodes;
using ScenarioKit.Engine;

namespace ScenarioKit.Cli.Chat;

/// <summary>
/// A conversation between a person at a terminal (or a script) and a loaded scenario: reads a line,
/// runs a turn, shows the outputs. The welcome (<see cref="ConversationStartInput"/>) goes first.
/// Handoffs land in <see cref="ChatHub"/>, a simulated agent hub the designer plays with <c>/accept</c>,
/// <c>/agent</c>, <c>/timeout</c>, <c>/wait</c> and <c>/handback</c>.
/// </summary>
/// <param name="language">"en" or "ja": the language of a refused <c>/handback</c>'s reasons and of <c>/explain</c>.</param>
internal sealed class ChatSession(ScenarioRuntime runtime, IActionInvoker actions, IChatView view, ChatHub hub, OffsetTimeProvider clock, string language = "en")
{
    const string UserId = "chat-user";

    ConversationState _state = runtime.Start("chat-1", UserId);
    IReadOnlyList<string> _suggestions = [];
    string? _lastCustomerText;
    int _conversations = 1;
    readonly TurnServices _services = new(clock, actions) { Queue = hub };

    public ConversationState State => _state;

    public async Task RunAsync(TextReader input, bool echo, CancellationToken ct)
    {
        await TurnAsync(new ConversationStartInput(), ct);
        while (true)
        {
            view.Prompt();
            var line = await ReadLineAsync(input, ct);
            if (line is null)
                return;
            var parsed = ChatLine.Parse(line, _suggestions);
            if (echo && line.Trim().Length > 0)
                view.Echo(EchoText(line.Trim(), parsed));

            switch (parsed)
            {
                case ChatLine.Nothing:
                    break;
                case ChatLine.Quit:
                    return;
                case ChatLine.Say say:
                    _lastCustomerText = say.Text;
                    await TurnAsync(new MessageInput(say.Text), ct);
                    break;
                case ChatLine.Explain explain:
                    Explain(explain.Text);
                    break;
                case ChatLine.SendEvent e:
                    await TurnAsync(new EventInput(e.Name, e.Value), ct);
                    break;
                case ChatLine.ShowState:
                    view.State(_state, runtime.Model);
                    if (_state.WithAgent)
                        view.Hub(hub.Accepted ? "an agent has the conversation"
                            : $"waiting in queue {_state.HandoffQueue} since {hub.WaitingSince?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}");
                    break;
                case ChatLine.ShowHelp:
                    view.Help();
                    break;
                case ChatLine.Accept:
                    if (!RefuseUnlessWaiting("/accept"))
                        await AcceptAsync(ct);
                    break;
                case ChatLine.AgentSays agent:
                    await AgentSaysAsync(agent.Text, ct);
                    break;
                case ChatLine.HandBack back:
                    await HandBackAsync(back.Flow, back.Variables, ct);
                    break;
                case ChatLine.Timeout:
                    if (!RefuseUnlessWaiting("/timeout"))
                        await TimeOutAsync("the queue timed out: nobody accepted", ct);
                    break;
                case ChatLine.Wait wait:
                    await WaitAsync(wait.Duration, ct);
                    break;
                case ChatLine.Reset:
                    // A new conversation for the same customer: user-scoped variables follow, as across channels.
                    var carried = runtime.GetUserVariables(_state);
                    _conversations++;
                    _state = runtime.Start($"chat-{_conversations}", UserId, carried);
                    _suggestions = [];
                    hub.Clear();
                    view.Notice($"new conversation chat-{_conversations}");
                    await TurnAsync(new ConversationStartInput(), ct);
                    break;
                case ChatLine.Invalid invalid:
                    view.Invalid(invalid.Message);
                    break;
            }
        }
    }

    /// <summary><c>/explain [text]</c>: recognition's decision and evidence for the text, or for the customer's last message.</summary>
    void Explain(string? text)
    {
        text ??= _lastCustomerText;
        if (text is null)
        {
            view.Invalid(language == "ja"
                ? "/explain: まだお客様のメッセージがありません。/explain <テキスト> で任意の文を説明します"
                : "/explain: no customer message yet; /explain <text> explains any text");
            return;
        }
        view.Explanation(ChatText.Explanation(runtime.ExplainRecognition(text), language));
        if (_state.WaitingStep is not null)
            view.Notice(language == "ja"
                ? "質問への回答待ちの間は、割り込みインテントだけがより高いしきい値で認識され、それ以外は回答として扱われます"
                : "an ask is waiting: until it is answered, only interrupting intents are recognised, on a stricter threshold; other text is taken as the answer");
    }

    /// <summary>True (after saying why) unless a customer waits in the queue with no agent yet.</summary>
    bool RefuseUnlessWaiting(string command)
    {
        if (!_state.WithAgent)
        {
            view.Invalid($"{command}: no customer is waiting for an agent (the bot has the conversation)");
            return true;
        }
        if (hub.Accepted)
        {
            view.Invalid($"{command}: an agent has already accepted the conversation; /handback returns it to the bot");
            return true;
        }
        return false;
    }

    async Task AcceptAsync(CancellationToken ct)
    {
        hub.Accept();
        view.Hub("an agent accepted the conversation");
        await TurnAsync(new HandoffStatusInput(HandoffStatusInput.Accepted), ct);
        view.Notice("the agent has the conversation and the bot stays silent: /agent <text> writes as the agent, /handback [flow] [key=value …] returns it to the bot");
    }

    async Task AgentSaysAsync(string text, CancellationToken ct)
    {
        if (!_state.WithAgent)
        {
            view.Invalid("/agent: the bot has the conversation; an agent writes only after a handoff");
            return;
        }
        // An agent who writes has taken the conversation: the hub accepts it first, as the console does.
        if (!hub.Accepted)
            await AcceptAsync(ct);
        view.Agent(text);
        await TurnAsync(new AgentMessageInput(text), ct);
    }

    async Task HandBackAsync(string? flow, IReadOnlyDictionary<string, JsonNode?>? variables, CancellationToken ct)
    {
        if (!_state.WithAgent)
        {
            view.Invalid("the conversation is not with an agent");
            return;
        }
        // The hub checks a return before sending it; a refused one leaves the conversation with the agent.
        var problems = runtime.CheckHandback(flow, variables);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
                view.Invalid("/handback: " + (language == "ja" ? problem.Japanese : problem.English));
            return;
        }
        hub.Clear();
        view.Hub(ChatText.HandBack(flow, variables));
        await TurnAsync(new HandoffStatusInput(HandoffStatusInput.Completed) { Flow = flow, Variables = variables }, ct);
    }

    async Task TimeOutAsync(string why, CancellationToken ct)
    {
        hub.Clear();
        view.Hub(why + " (handoff.status failed, reason timeout)");
        await TurnAsync(new HandoffStatusInput(HandoffStatusInput.Failed) { Reason = HandoffStatusInput.Timeout }, ct);
    }

    /// <summary>Moves the clock; a customer still waiting past the queue's maxWait then times out, as in the server's hub.</summary>
    async Task WaitAsync(TimeSpan duration, CancellationToken ct)
    {
        clock.Advance(duration);
        var now = clock.GetUtcNow();
        view.Notice("the clock is now " + now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        var maxWait = _state.HandoffQueue is { } queue ? runtime.Queues.FirstOrDefault(q => q.Name == queue)?.MaxWait : null;
        if (_state.WithAgent && hub.HasTimedOut(now, maxWait))
            await TimeOutAsync($"nobody accepted within maxWait {Show(maxWait!.Value)}", ct);
    }

    static string Show(TimeSpan d) =>
        d.TotalHours >= 1 && d.TotalHours % 1 == 0 ? FormattableString.Invariant($"{d.TotalHours:0}h")
        : d.TotalMinutes >= 1 && d.TotalMinutes % 1 == 0 ? FormattableString.Invariant($"{d.TotalMinutes:0}m")
        : FormattableString.Invariant($"{d.TotalSeconds:0}s");

    /// <summary>
    /// The next line, or null at end of input or on Ctrl+C. Console reads ignore cancellation once blocked,
    /// so the read is raced against the token: Ctrl+C ends the chat at once instead of after the next Enter.
    /// </summary>
    static async Task<string?> ReadLineAsync(TextReader input, CancellationToken ct)
    {
        try
        {
            return await input.ReadLineAsync(CancellationToken.None).AsTask().WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>A number that picked a suggestion is echoed with the text it sent: <c>1 → Order status</c>.</summary>
    static string EchoText(string typed, ChatLine parsed) =>
        parsed is ChatLine.Say say && typed[0] != '/' && say.Text != typed ? $"{typed} → {say.Text}" : typed;

    async Task TurnAsync(TurnInput input, CancellationToken ct)
    {
        var result = await runtime.RunTurnAsync(_state, input, _services, ct);
        _state = result.State;
        foreach (var error in result.Trace.Errors)
            view.RuntimeError(error);
        foreach (var slot in result.Trace.Filled)
            if (slot.Source != SlotSource.Answer) view.Notice(ChatText.Filled(slot, _state.Turn));
        if (result.Trace.Cancelled) view.Notice("form cancelled");

        string? enqueued = null;
        foreach (var output in result.Outputs)
        {
            switch (output)
            {
                case BotMessage message:
                    view.Message(message);
                    break;
                case HandoffEventOutput handoff:
                    view.Handoff(handoff.Decision);
                    hub.Enqueue(clock.GetUtcNow());
                    enqueued = handoff.Decision.Queue;
                    break;
                case TicketOutput ticket:
                    view.Ticket(ticket.Ticket);
                    break;
            }
        }
        // Out of hours, or with nobody online, the engine emits no handoff event (no agent takes over) but still decides one: show it too.
        if (result.Handoff is { } decision && !result.Outputs.Any(o => o is HandoffEventOutput))
            view.Handoff(decision);

        // INVARIANT: a number typed next picks from the suggestions shown last; a turn that said nothing keeps them.
        var messages = result.Outputs.OfType<BotMessage>().ToList();
        if (messages.Count > 0)
            _suggestions = messages.LastOrDefault(m => !m.Suggestions.IsDefaultOrEmpty)?.Suggestions ?? [];

        if (enqueued is not null)
        {
            view.Hub(ChatText.Waiting(enqueued, hub.Status));
            view.Notice("the customer waits for an agent and the bot only repeats the waiting notice: /accept, /agent <text>, /timeout, /wait <duration>, /handback [flow] [key=value …]; /reset starts over");
        }
        else if (_state.WithAgent && input is MessageInput)
            view.Notice(hub.Accepted ? "(relayed to the human agent; the bot stays silent)" : "(relayed to the queue entry; no agent has accepted yet)");
    }
}
