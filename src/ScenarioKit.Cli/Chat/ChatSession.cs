using ScenarioKit.Engine;

namespace ScenarioKit.Cli.Chat;

/// <summary>
/// A conversation between a person at a terminal (or a script) and a loaded scenario: reads a line,
/// runs a turn, shows the outputs. The welcome (<see cref="ConversationStartInput"/>) goes first.
/// </summary>
internal sealed class ChatSession(ScenarioRuntime runtime, TurnServices services, IChatView view)
{
    const string UserId = "chat-user";

    ConversationState _state = runtime.Start("chat-1", UserId);
    IReadOnlyList<string> _suggestions = [];
    int _conversations = 1;

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
                    await TurnAsync(new MessageInput(say.Text), ct);
                    break;
                case ChatLine.SendEvent e:
                    await TurnAsync(new EventInput(e.Name, e.Value), ct);
                    break;
                case ChatLine.ShowState:
                    view.State(_state, runtime.Model);
                    break;
                case ChatLine.ShowHelp:
                    view.Help();
                    break;
                case ChatLine.HandBack:
                    if (!_state.WithAgent)
                    {
                        view.Invalid("the conversation is not with an agent");
                        break;
                    }
                    await TurnAsync(new HandoffStatusInput(HandoffStatusInput.Completed), ct);
                    if (!_state.WithAgent)
                        view.Notice("the agent handed the conversation back to the bot");
                    break;
                case ChatLine.Reset:
                    // A new conversation for the same customer: user-scoped variables follow, as across channels.
                    var carried = runtime.GetUserVariables(_state);
                    _conversations++;
                    _state = runtime.Start($"chat-{_conversations}", UserId, carried);
                    _suggestions = [];
                    view.Notice($"new conversation chat-{_conversations}");
                    await TurnAsync(new ConversationStartInput(), ct);
                    break;
                case ChatLine.Invalid invalid:
                    view.Invalid(invalid.Message);
                    break;
            }
        }
    }

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
        var wasWithAgent = _state.WithAgent;
        var result = await runtime.RunTurnAsync(_state, input, services, ct);
        _state = result.State;
        foreach (var error in result.Trace.Errors)
            view.RuntimeError(error);

        foreach (var output in result.Outputs)
        {
            if (output is BotMessage message)
                view.Message(message);
            else if (output is HandoffEventOutput handoff)
                view.Handoff(handoff.Decision);
        }
        // Out of hours the engine emits no handoff event (no agent takes over) but still decides one: show it too.
        if (result.Handoff is { } decision && !result.Outputs.Any(o => o is HandoffEventOutput))
            view.Handoff(decision);

        // INVARIANT: a number typed next picks from the suggestions shown last; a turn that said nothing keeps them.
        var messages = result.Outputs.OfType<BotMessage>().ToList();
        if (messages.Count > 0)
            _suggestions = messages.LastOrDefault(m => !m.Suggestions.IsDefaultOrEmpty)?.Suggestions ?? [];

        if (_state.WithAgent && !wasWithAgent)
            view.Notice("a human agent has the conversation now and the bot stays silent: /handback returns it to the bot, /reset starts over");
        else if (_state.WithAgent && input is MessageInput)
            view.Notice("(relayed to the human agent; the bot stays silent)");
    }
}
