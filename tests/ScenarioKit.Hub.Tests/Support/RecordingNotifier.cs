using System.Collections.Concurrent;
using ScenarioKit.Hub.Queue;

namespace ScenarioKit.Hub.Tests.Support;

/// <summary>Every push the hub made to consoles, as one line each ("offered sato h1…"), in order.</summary>
internal sealed class RecordingNotifier : IHubNotifier
{
    public ConcurrentQueue<string> Events { get; } = new();

    public IEnumerable<string> Offers(string login) => Events.Where(e => e.StartsWith("offered " + login + " ", StringComparison.Ordinal));

    public Task QueueChangedAsync(string queue, HandoffEntry? entry, string change) => Record($"queue {queue} {change} {entry?.Id}");

    public Task OfferedAsync(string login, HandoffEntry entry) => Record($"offered {login} {entry.Id}");

    public Task LineAsync(HandoffEntry entry, TranscriptLine line) => Record($"line {entry.Id} {line.Role} {line.Text}");

    public Task CustomerTypingAsync(HandoffEntry entry) => Record($"typing {entry.Id}");

    public Task NoteAsync(HandoffEntry entry, EntryNote note) => Record($"note {entry.Id} {note.Author} {note.Text}");

    public Task PresenceChangedAsync(string login, string status) => Record($"presence {login} {status}");

    public Task TicketsChangedAsync() => Record("tickets");

    Task Record(string e)
    {
        Events.Enqueue(e);
        return Task.CompletedTask;
    }
}
