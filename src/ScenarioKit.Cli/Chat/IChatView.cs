using ScenarioKit.Engine;
using ScenarioKit.Model;

namespace ScenarioKit.Cli.Chat;

/// <summary>How <see cref="ChatSession"/> shows a conversation: styled on a terminal, plain lines when scripted.</summary>
internal interface IChatView
{
    void Intro(PackageManifest manifest, IReadOnlyCollection<string> mockedActions, DateTimeOffset? clock);

    /// <summary>Asks for the next line (the terminal prompt; nothing when scripted).</summary>
    void Prompt();

    /// <summary>A line read from redirected input, echoed so a scripted run reads as a transcript.</summary>
    void Echo(string line);

    /// <summary>A bot message; its suggestions are numbered from 1.</summary>
    void Message(BotMessage message);

    void Handoff(HandoffDecision decision);

    /// <summary>A human agent's message to the customer.</summary>
    void Agent(string text);

    /// <summary>A contact request a <c>ticket</c> step recorded (the customer does not see it; the agents do).</summary>
    void Ticket(Ticket ticket);

    /// <summary>What the simulated agent hub reports or does: queue place, accepted, timed out, returned to the bot.</summary>
    void Hub(string text);

    void RuntimeError(RuntimeError error);

    void Notice(string text);

    void Invalid(string text);

    void State(ConversationState state, ScenarioModel model);

    void Help();

    /// <summary><c>/explain</c>: labelled lines (input, normalised, vocabulary, the top intents, threshold, decision).</summary>
    void Explanation(IReadOnlyList<(string Label, string Value)> lines);
}
