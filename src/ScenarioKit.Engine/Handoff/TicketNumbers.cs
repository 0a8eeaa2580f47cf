using ScenarioKit.Engine.Runtime;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Handoff;

/// <summary>
/// Ticket numbers: a kind prefix (<c>CB</c> call-back, <c>EM</c> e-mail, <c>TK</c> other) and five
/// characters from a hash of (conversation, turn, step). Deterministic, so a retried turn gives the
/// same number and scenario tests can pin it; the alphabet leaves out 0/O and 1/I, which customers
/// read out on the phone confuse.
/// </summary>
internal static class TicketNumbers
{
    const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public static string Make(TicketKind kind, string conversationId, int turn, string stepId)
    {
        var hash = StableHash.Of(conversationId, turn, (int)StableHash.Of(stepId, 0, 0));
        Span<char> text = stackalloc char[8];
        var prefix = kind switch { TicketKind.Callback => "CB", TicketKind.Email => "EM", _ => "TK" };
        text[0] = prefix[0];
        text[1] = prefix[1];
        text[2] = '-';
        for (var i = 0; i < 5; i++)
        {
            text[3 + i] = Alphabet[(int)(hash & 31)];
            hash >>= 5;
        }
        return new string(text);
    }
}
