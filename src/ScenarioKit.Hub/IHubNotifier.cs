using ScenarioKit.Hub.Queue;

namespace ScenarioKit.Hub;

/// <summary>
/// Real-time pushes to the console (SignalR in the server). Each is a hint with the data to show; a console that
/// missed one (reconnecting) reloads its snapshot, so a lost push delays the view and never corrupts it.
/// </summary>
public interface IHubNotifier
{
    /// <summary>The queue or an assignment changed: every console of <paramref name="queue"/> refreshes its lists.</summary>
    Task QueueChangedAsync(string queue, HandoffEntry? entry, string change);

    /// <summary>An entry is offered to (or assigned to) one agent: alert them.</summary>
    Task OfferedAsync(string login, HandoffEntry entry);

    /// <summary>A line was added to the conversation of <paramref name="entry"/> (customer, agent or bot).</summary>
    Task LineAsync(HandoffEntry entry, TranscriptLine line);

    Task CustomerTypingAsync(HandoffEntry entry);

    /// <summary>A private note or a supervisor's whisper; only agents of the entry see it.</summary>
    Task NoteAsync(HandoffEntry entry, EntryNote note);

    Task PresenceChangedAsync(string login, string status);

    Task TicketsChangedAsync();
}
