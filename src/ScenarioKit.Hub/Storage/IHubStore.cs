using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Tickets;

namespace ScenarioKit.Hub.Storage;

/// <summary>
/// Durable hub state: accounts, handoff entries, notes, tickets, audit. The SQLite implementation shares the
/// server's database file; a PostgreSQL one can carry the same contract. Every method completes only once
/// the change is durable. Writes are applied in the order the calls were made, also when a caller starts the next
/// before the previous one completed (the hub starts its writes under its gate and awaits them after releasing it).
/// </summary>
public interface IHubStore
{
    /// <returns>false when the login exists already.</returns>
    Task<bool> AddAgentAsync(AgentCredentials agent, CancellationToken cancellationToken);

    Task<AgentCredentials?> GetAgentAsync(string login, CancellationToken cancellationToken);

    Task<IReadOnlyList<AgentAccount>> ListAgentsAsync(CancellationToken cancellationToken);

    Task UpdateAgentAsync(AgentCredentials agent, CancellationToken cancellationToken);

    Task InsertEntryAsync(HandoffEntry entry, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="entry"/> (whose <c>Version</c> is <paramref name="expectedVersion"/> + 1) if the stored version is still <paramref name="expectedVersion"/>.</summary>
    /// <returns>false when another writer changed the entry first.</returns>
    Task<bool> UpdateEntryAsync(HandoffEntry entry, long expectedVersion, CancellationToken cancellationToken);

    Task<HandoffEntry?> GetEntryAsync(string id, CancellationToken cancellationToken);

    /// <summary>Entries that are waiting, offered or assigned, oldest first.</summary>
    Task<IReadOnlyList<HandoffEntry>> ListOpenEntriesAsync(CancellationToken cancellationToken);

    /// <summary>Ended entries, newest first, at most <paramref name="limit"/>; of one customer when <paramref name="userId"/> is given.</summary>
    Task<IReadOnlyList<HandoffEntry>> ListEndedEntriesAsync(string? scenarioId, string? userId, int limit, CancellationToken cancellationToken);

    Task<EntryNote> AddNoteAsync(string entryId, string author, string text, bool whisper, DateTimeOffset atUtc, CancellationToken cancellationToken);

    Task<IReadOnlyList<EntryNote>> ListNotesAsync(string entryId, CancellationToken cancellationToken);

    /// <returns>false when a ticket with that number exists already (a redelivered turn).</returns>
    Task<bool> InsertTicketAsync(Ticket ticket, CancellationToken cancellationToken);

    Task<Ticket?> GetTicketAsync(string number, CancellationToken cancellationToken);

    Task<IReadOnlyList<Ticket>> ListTicketsAsync(bool includeClosed, int limit, CancellationToken cancellationToken);

    /// <returns>the closed ticket, or null when it does not exist or was closed already.</returns>
    Task<Ticket?> CloseTicketAsync(string number, string closedBy, string? resolution, DateTimeOffset atUtc, CancellationToken cancellationToken);

    Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>Filters for reading the audit log, newest first.</summary>
public sealed record AuditQuery(string? Actor = null, string? ConversationKey = null, DateTimeOffset? SinceUtc = null, int Limit = 200);
