using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScenarioKit.Hub.Queue;
using static ScenarioKit.Hub.Cluster.HubWire;

namespace ScenarioKit.Hub.Cluster;

/// <summary>
/// The hub's pushes when several nodes serve consoles: each goes to this node's consoles (<paramref name="consoles"/>)
/// and, at the same time, to every other node, which hands it to its own (<see cref="DeliverAsync"/>). It also
/// remembers the last status pushed for each agent, which the node reports to a new leader (<see cref="ConsoleRoster"/>).
/// A push that cannot be relayed is logged and dropped: consoles reload their snapshot on reconnect (see <see cref="IHubNotifier"/>).
/// </summary>
public sealed class RelayHubNotifier(IHubBus bus, IHubNotifier consoles, ILogger<RelayHubNotifier> logger) : IHubNotifier
{
    readonly ConcurrentDictionary<string, string> _status = new(StringComparer.Ordinal);

    const string QueueChanged = "queueChanged", Offered = "offered", Line = "line", Typing = "typing", Note = "note", Presence = "presence", Tickets = "tickets";

    /// <summary>The status last pushed for <paramref name="login"/> from any node, if one was heard.</summary>
    public string? StatusOf(string login) => _status.GetValueOrDefault(login);

    public Task QueueChangedAsync(string queue, HandoffEntry? entry, string change) =>
        RelayAsync(consoles.QueueChangedAsync(queue, entry, change), QueueChanged, Element(queue), Element(entry), Element(change));

    public Task OfferedAsync(string login, HandoffEntry entry) =>
        RelayAsync(consoles.OfferedAsync(login, entry), Offered, Element(login), Element(entry));

    public Task LineAsync(HandoffEntry entry, TranscriptLine line) =>
        RelayAsync(consoles.LineAsync(entry, line), Line, Element(Addressing(entry)), Element(line));

    public Task CustomerTypingAsync(HandoffEntry entry) =>
        RelayAsync(consoles.CustomerTypingAsync(entry), Typing, Element(Addressing(entry)));

    public Task NoteAsync(HandoffEntry entry, EntryNote note) =>
        RelayAsync(consoles.NoteAsync(entry, note), Note, Element(Addressing(entry)), Element(note));

    static readonly JsonElement NoContext = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>
    /// Lines, typing and notes are addressed by the entry's queue, status and agent and carry only its id: the handoff
    /// context (the engine's decision with its transcript, often kilobytes) stays behind, so these frequent pushes fit in
    /// a notification instead of going through <c>hub_messages</c>.
    /// </summary>
    static HandoffEntry Addressing(HandoffEntry entry) => entry with { Context = NoContext };

    public Task PresenceChangedAsync(string login, string status)
    {
        _status[login] = status;
        return RelayAsync(consoles.PresenceChangedAsync(login, status), Presence, Element(login), Element(status));
    }

    public Task TicketsChangedAsync() => RelayAsync(consoles.TicketsChangedAsync(), Tickets);

    /// <summary>A push relayed by another node: to this node's consoles.</summary>
    internal Task DeliverAsync(HubPush push)
    {
        var a = push.Args;
        switch (push.Kind)
        {
            case QueueChanged: return consoles.QueueChangedAsync(Read<string>(a[0]), Read<HandoffEntry?>(a[1]), Read<string>(a[2]));
            case Offered: return consoles.OfferedAsync(Read<string>(a[0]), Read<HandoffEntry>(a[1]));
            case Line: return consoles.LineAsync(Read<HandoffEntry>(a[0]), Read<TranscriptLine>(a[1]));
            case Typing: return consoles.CustomerTypingAsync(Read<HandoffEntry>(a[0]));
            case Note: return consoles.NoteAsync(Read<HandoffEntry>(a[0]), Read<EntryNote>(a[1]));
            case Presence:
                _status[Read<string>(a[0])] = Read<string>(a[1]);
                return consoles.PresenceChangedAsync(Read<string>(a[0]), Read<string>(a[1]));
            case Tickets: return consoles.TicketsChangedAsync();
            default:
                logger.LogWarning("Hub: a push of unknown kind {Kind} from node {Node} was ignored (nodes of different versions?).", push.Kind, push.From);
                return Task.CompletedTask;
        }
    }

    async Task RelayAsync(Task local, string kind, params JsonElement[] args)
    {
        var relay = bus.SendAsync(HubChannel.Pushes, null, Write(new HubPush(bus.NodeId, kind, args)), CancellationToken.None);
        await local.ConfigureAwait(false);
        try
        {
            await relay.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Hub: a {Kind} push could not be relayed to the other nodes; their consoles catch up at their next reload.", kind);
        }
    }
}
