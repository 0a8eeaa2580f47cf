using System.Text.Json;

namespace ScenarioKit.Hub.Tickets;

/// <summary>
/// A request to contact the customer on another channel (callback, e-mail), raised by a scenario's <c>ticket</c>
/// step, typically on the out-of-hours or timeout path. Agents see it in the console and close it once done.
/// </summary>
public sealed record Ticket(
    string Number,
    string ConversationKey,
    string ScenarioId,
    string Kind,
    string? Contact,
    string? PreferredTime,
    string? Note,
    string? Queue,
    JsonElement Context,
    DateTimeOffset CreatedUtc,
    bool Closed,
    string? ClosedBy,
    DateTimeOffset? ClosedUtc,
    string? Resolution);
