using ScenarioKit.Server.Bots;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Conversations;

/// <summary>A saved turn as an observer sees it: the row before (null for a new conversation) and after, the input and the outcome.</summary>
internal sealed record TurnObservation(ChannelContext Channel, ConversationRecord? Before, ConversationRecord After, BotInput? Input, TurnOutcome Outcome);

/// <summary>
/// Told about every saved turn, after it is durable (the agent hub: enqueue handoffs, relay customer lines to the
/// console). An observer must not throw for ordinary conditions; a failure is logged and the turn still stands.
/// </summary>
internal interface IConversationObserver
{
    Task OnTurnAsync(TurnObservation turn, CancellationToken cancellationToken);

    /// <summary>The customer is typing (Direct Line typing activity); not logged.</summary>
    Task OnCustomerTypingAsync(string conversationKey, CancellationToken cancellationToken);
}
