using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Cluster;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Tickets;

namespace ScenarioKit.Hub.Queue;

/// <summary>Position and estimated wait of a queued conversation, as the engine's waiting notice shows it.</summary>
public sealed record QueuePosition(int Position, TimeSpan EstimatedWait, int AgentsOnline, bool Assigned);

/// <summary>
/// The queue, routing and assignment. The store is the truth (entries survive a restart; <see cref="StartAsync"/>
/// reloads them); this object keeps the open entries and agent presence in memory for fast position answers.
/// Every mutation runs under one gate, so two agents accepting the same entry cannot both win. Under the gate an
/// operation only changes memory and starts its store writes; it awaits them after releasing the gate, and only then
/// answers its caller and pushes to consoles, so nobody is told about a change before it is durable while the gate
/// is held for microseconds, not for fsyncs, SignalR sends or conversation turns (docs/performance.md, "Agent hub").
/// </summary>
public sealed class HubService(IHubStore store, IConversationGateway gateway, IHubNotifier notifier, HubOptions options, TimeProvider time, ILogger<HubService> logger)
    : IHubOperations, IConsolePresence, IDisposable
{
    public void Dispose() => _gate.Dispose();

    readonly SemaphoreSlim _gate = new(1, 1);
    readonly Dictionary<string, HandoffEntry> _open = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _openByConversation = new(StringComparer.Ordinal);
    readonly Dictionary<string, AgentPresence> _presence = new(StringComparer.Ordinal);
    readonly Dictionary<string, AgentAccount> _accounts = new(StringComparer.Ordinal);
    readonly Dictionary<string, HashSet<string>> _declined = new(StringComparer.Ordinal);
    readonly Dictionary<string, TimeSpan> _waitEstimate = new(StringComparer.Ordinal);
    volatile QueueView _view = QueueView.Empty;
    // Entries whose return-to-bot turn runs outside the gate, and conversations a supervisor is joining (a turn as well).
    readonly HashSet<string> _closing = new(StringComparer.Ordinal);
    readonly HashSet<string> _joining = new(StringComparer.Ordinal);
    // The operation holding the gate, and the last write started under it (the store applies writes in order).
    Work? _work;
    Task _lastWrite = Task.CompletedTask;

    public IHubStore Store => store;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _open.Clear();
            _openByConversation.Clear();
            // A node that leads again after another led (docs/deploy.md, "Several nodes") starts from the store and the consoles' reports.
            _presence.Clear();
            foreach (var entry in await store.ListOpenEntriesAsync(cancellationToken).ConfigureAwait(false))
            {
                _open[entry.Id] = entry;
                _openByConversation[entry.ConversationKey] = entry.Id;
            }
            foreach (var account in await store.ListAgentsAsync(cancellationToken).ConfigureAwait(false))
                _accounts[account.Login] = account;
            // Agents with chats are presumed connected for the grace period after a restart: their consoles reconnect by themselves.
            var now = time.GetUtcNow();
            foreach (var login in _open.Values.Select(e => e.Agent).OfType<string>().Distinct())
                Presence(login).DisconnectedUtc = now;
            foreach (var login in _open.Values.Where(e => e.Agent is not null).Select(e => e.Agent!).Distinct())
                Presence(login).Chosen = AgentStatus.Online;
            RebuildView();
        }
        finally
        {
            _gate.Release();
        }
    }

    // ---- customer side ----

    /// <summary>As <see cref="GetPosition"/>, for the engine, which knows the conversation by its channel id.</summary>
    public QueuePosition GetPositionByConversationId(string conversationId, string queue) =>
        GetPosition(_view.KeyById.GetValueOrDefault(conversationId) ?? "", queue);

    ValueTask<QueuePosition> IHubOperations.GetPositionAsync(string conversationId, string queue, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetPositionByConversationId(conversationId, queue));

    Task<HubView> IHubOperations.GetViewAsync(AgentAccount agent, CancellationToken cancellationToken) =>
        Task.FromResult(new HubView(ListOpen(agent), ListAgents(), _view.Online));

    /// <summary>Online agents who take chats of <paramref name="queue"/> (from the current view).</summary>
    public int AgentsOnline(string queue) => _view.OnlineFor(queue);

    /// <summary>Where a conversation stands in its queue; for a conversation not queued yet, where it would enter <paramref name="queue"/>.</summary>
    public QueuePosition GetPosition(string conversationKey, string queue)
    {
        var view = _view;
        if (view.Assigned.Contains(conversationKey)) return new QueuePosition(0, TimeSpan.Zero, view.OnlineFor(queue), Assigned: true);
        var queued = view.Queued.GetValueOrDefault(queue, []);
        var index = queued.IndexOf(conversationKey);
        var position = index >= 0 ? index + 1 : queued.Length + 1;
        var online = view.OnlineFor(queue);
        var perChat = view.WaitEstimate.GetValueOrDefault(queue, options.InitialWaitEstimate);
        var rounds = (int)Math.Ceiling(position / (double)Math.Max(1, online));
        return new QueuePosition(position, perChat * rounds, online, Assigned: false);
    }

    public Task<HandoffEntry> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken) => WithGateAsync(now =>
    {
        if (_openByConversation.TryGetValue(request.ConversationKey, out var existingId) && _open.TryGetValue(existingId, out var existing))
        {
            // A second handoff while one is open (a rule fired again, a redelivered turn): keep the session, refresh its context.
            return existing;
        }
        var entry = NewEntry(request, now) with
        {
            Status = request.Unattended ? EntryStatus.Unattended : EntryStatus.Waiting,
            EndedUtc = request.Unattended ? now : null,
            Outcome = request.Unattended ? "no agent online" : null,
        };
        Insert(entry);
        if (!request.Unattended)
        {
            Track(entry);
            Assign(now);
        }
        entry = _open.GetValueOrDefault(entry.Id, entry);
        Push(() => notifier.QueueChangedAsync(entry.Queue, entry, "added"));
        return entry;
    }, cancellationToken);

    /// <summary>The open entry of a conversation, if it has one.</summary>
    public HandoffEntry? FindOpen(string conversationKey)
    {
        // Reads the immutable view: safe without the gate.
        return _view.ByConversation.GetValueOrDefault(conversationKey);
    }

    /// <summary>A customer message (or a bot line) reached a handed-off conversation: shown live in the console.</summary>
    public async Task OnLineAsync(string conversationKey, TranscriptLine line, CancellationToken cancellationToken)
    {
        if (FindOpen(conversationKey) is not { } entry) return;
        if (line.Role == TranscriptLine.Customer)
        {
            try
            {
                await WithGateAsync(_ =>
                {
                    if (!_open.TryGetValue(entry.Id, out var current)) return;
                    if (!current.IsQueued)
                    {
                        _open[entry.Id] = current with { LastCustomerActivityUtc = line.AtUtc };
                        return;
                    }
                    // Stored while queued: abandonment is measured from it, and a restart must not abandon a customer who just wrote
                    // (test: A_customer_who_wrote_while_waiting_is_not_abandoned_after_a_restart).
                    Update(current, current with { LastCustomerActivityUtc = line.AtUtc });
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (HubException e) when (e.Code == HubException.Conflict)
            {
                // Another node changed the entry first and it was reloaded; the activity time is only a hint.
            }
        }
        await notifier.LineAsync(entry, line).ConfigureAwait(false);
    }

    public Task OnCustomerTypingAsync(string conversationKey) =>
        FindOpen(conversationKey) is { } entry ? notifier.CustomerTypingAsync(entry) : Task.CompletedTask;

    /// <summary>The customer left (<c>endOfConversation</c>): a queued entry is abandoned; a chat with an agent is ended for the agent to see.</summary>
    public Task OnCustomerLeftAsync(string conversationKey, CancellationToken cancellationToken) =>
        EndByConversationAsync(conversationKey, EntryStatus.Abandoned, "customer left", cancellationToken);

    /// <summary>The conversation went back to the bot by other means (channel <c>handoff.status</c>, a reset).</summary>
    public Task OnReturnedElsewhereAsync(string conversationKey, CancellationToken cancellationToken) =>
        EndByConversationAsync(conversationKey, EntryStatus.ReturnedToBot, "returned outside the console", cancellationToken);

    Task EndByConversationAsync(string conversationKey, EntryStatus status, string outcome, CancellationToken cancellationToken) => WithGateAsync(now =>
    {
        // An entry being returned to the bot is ended by that operation once its turn has run.
        if (!_openByConversation.TryGetValue(conversationKey, out var id) || !_open.TryGetValue(id, out var entry) || _closing.Contains(id)) return;
        End(entry, status, outcome);
        Assign(now);
    }, cancellationToken);

    public async Task<Ticket> RecordTicketAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        if (await store.InsertTicketAsync(ticket, cancellationToken).ConfigureAwait(false))
            await notifier.TicketsChangedAsync().ConfigureAwait(false);
        return ticket;
    }

    // ---- agent side ----

    public async Task<AgentAccount> RefreshAccountAsync(string login, CancellationToken cancellationToken)
    {
        var account = (await store.GetAgentAsync(login, cancellationToken).ConfigureAwait(false))?.Account;
        if (account is { Disabled: false })
        {
            // Every console request comes through here: an unchanged account is answered from the view, without the gate.
            if (_view.Accounts.TryGetValue(login, out var known) && SameAccount(known, account)) return account;
            await WithGateAsync(_ => { _accounts[login] = account; }, cancellationToken).ConfigureAwait(false);
            return account;
        }
        await WithGateAsync(now =>
        {
            // Disabled (e.g. `scenariokit agents disable` on the shared database) or deleted: routing must stop now, not when
            // the console disconnects, and the customers it held go back to the queue for someone who can answer them.
            if (account is null) _accounts.Remove(login);
            else _accounts[login] = account;
            if (_presence.TryGetValue(login, out var p) && p.Chosen != AgentStatus.Offline)
            {
                p.Chosen = AgentStatus.Offline;
                Push(() => notifier.PresenceChangedAsync(login, "offline"));
            }
            ReturnOffers(login, "account disabled");
            foreach (var entry in _open.Values.Where(e => e.Status == EntryStatus.Assigned && e.Agent == login && !_closing.Contains(e.Id)).ToList())
            {
                var back = Update(entry, entry with { Status = EntryStatus.Waiting, Agent = null, OfferedUtc = null, AcceptedUtc = null });
                Audit("system", AuditActions.Requeue, back, $"{login} disabled");
                Push(() => notifier.QueueChangedAsync(back.Queue, back, "requeued"));
            }
            Assign(now);
        }, cancellationToken).ConfigureAwait(false);
        throw new HubException(HubException.Forbidden, account is null ? "The account no longer exists." : "The account is disabled.");
    }

    public Task ConnectedAsync(AgentAccount agent, CancellationToken cancellationToken) => WithGateAsync(now =>
    {
        _accounts[agent.Login] = agent;
        var p = Presence(agent.Login);
        p.Connections++;
        p.DisconnectedUtc = null;
        p.LastActiveUtc = now;
    }, cancellationToken);

    public Task DisconnectedAsync(string login, CancellationToken cancellationToken) => WithGateAsync(now =>
    {
        var p = Presence(login);
        p.Connections = Math.Max(0, p.Connections - 1);
        if (p.Connections == 0) p.DisconnectedUtc = now;
    }, cancellationToken);

    public Task SetStatusAsync(AgentAccount agent, AgentStatus status, CancellationToken cancellationToken) => WithGateAsync(now =>
    {
        _accounts[agent.Login] = agent;
        var p = Presence(agent.Login);
        if (p.Chosen == status) return;
        p.Chosen = status;
        p.LastActiveUtc = now;
        if (status == AgentStatus.Online) p.LastAssignedUtc = p.LastAssignedUtc == default ? now : p.LastAssignedUtc;
        Audit(agent.Login, AuditActions.Status, null, status.ToString().ToLowerInvariant());
        if (status != AgentStatus.Online) ReturnOffers(agent.Login, "agent not available");
        Push(() => notifier.PresenceChangedAsync(agent.Login, status.ToString().ToLowerInvariant()));
        Assign(now);
    }, cancellationToken);

    /// <summary>Any console action keeps the agent from being set away for idleness.</summary>
    public void Touch(string login)
    {
        // Benign race: a lost update only delays the idle check by one action.
        if (_presenceSnapshot.TryGetValue(login, out var p)) p.LastActiveUtc = time.GetUtcNow();
    }

    public async Task<HandoffEntry> AcceptAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken)
    {
        var accepted = await WithGateAsync(now => Take(agent, entryId, now), cancellationToken).ConfigureAwait(false);
        // After the gate and the durable write: the greeting is a conversation turn (a durable commit of the conversation
        // store), and holding the gate over it stalled every queue change behind it (docs/performance.md, "Agent hub").
        // The chat is the agent's already; their first message can only follow this call's answer, so the customer still
        // sees the greeting first.
        await gateway.SendToCustomerAsync(accepted, agent, JoinedText(accepted, agent), cancellationToken).ConfigureAwait(false);
        await notifier.QueueChangedAsync(accepted.Queue, accepted, "accepted").ConfigureAwait(false);
        return accepted;
    }

    HandoffEntry Take(AgentAccount agent, string entryId, DateTimeOffset now)
    {
        var entry = Open(entryId);
        CheckQueueAccess(agent, entry);
        if (entry.Status == EntryStatus.Assigned)
            throw new HubException(HubException.Conflict, entry.Agent == agent.Login ? "You have this chat already." : $"This chat was taken by {DisplayName(entry.Agent)}.");
        if (entry.Status == EntryStatus.Offered && entry.Agent != agent.Login && !agent.IsSupervisor)
            throw new HubException(HubException.Conflict, $"This chat is being offered to {DisplayName(entry.Agent)}.");
        if (ActiveChats(agent.Login) - (entry.Agent == agent.Login ? 1 : 0) >= agent.MaxChats && !agent.IsSupervisor)
            throw new HubException(HubException.Conflict, $"You have {agent.MaxChats} chats already (your limit).");
        var accepted = Update(entry, entry with { Status = EntryStatus.Assigned, Agent = agent.Login, AcceptedUtc = now, OfferedUtc = entry.OfferedUtc ?? now });
        var p = Presence(agent.Login);
        p.LastAssignedUtc = now;
        p.LastActiveUtc = now;
        LearnWait(entry.Queue, now - entry.WaitingSinceUtc);
        Audit(agent.Login, AuditActions.Accept, accepted, null);
        return accepted;
    }

    public async Task SendAsync(AgentAccount agent, string entryId, string text, CancellationToken cancellationToken)
    {
        text = CheckText(text);
        var entry = OwnedBy(agent, entryId);
        Touch(agent.Login);
        await gateway.SendToCustomerAsync(entry, agent, text, cancellationToken).ConfigureAwait(false);
        await AuditAsync(agent.Login, AuditActions.Message, entry, null, cancellationToken).ConfigureAwait(false);
    }

    public Task TypingAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken)
    {
        var entry = OwnedBy(agent, entryId);
        return gateway.SendTypingAsync(entry, agent, cancellationToken);
    }

    public async Task<EntryNote> AddNoteAsync(AgentAccount agent, string entryId, string text, bool whisper, CancellationToken cancellationToken)
    {
        text = CheckText(text);
        var entry = await GetVisibleAsync(agent, entryId, cancellationToken).ConfigureAwait(false);
        if (whisper && !agent.IsSupervisor) throw new HubException(HubException.Forbidden, "Only supervisors can whisper.");
        // Both queued before either is awaited: one commit for the two, the audit ordered after the note.
        var adding = store.AddNoteAsync(entry.Id, agent.Login, text, whisper, time.GetUtcNow(), cancellationToken);
        var audit = AuditAsync(agent.Login, whisper ? AuditActions.Whisper : AuditActions.Note, entry, null, cancellationToken);
        var note = await adding.ConfigureAwait(false);
        await audit.ConfigureAwait(false);
        await notifier.NoteAsync(entry, note).ConfigureAwait(false);
        return note;
    }

    /// <summary>Moves a chat to another queue (back to waiting, at its original place in line) or straight to another agent.</summary>
    public Task<HandoffEntry> TransferAsync(AgentAccount agent, string entryId, string? toQueue, string? toAgent, string? note, CancellationToken cancellationToken) => WithGateAsync(now =>
    {
        var entry = Open(entryId);
        if (entry.Agent != agent.Login && !agent.IsSupervisor) throw new HubException(HubException.Forbidden, "Only the assigned agent or a supervisor can transfer this chat.");
        if (string.IsNullOrWhiteSpace(toQueue) && string.IsNullOrWhiteSpace(toAgent)) throw new HubException(HubException.Invalid, "Choose a queue or an agent to transfer to.");
        var queue = string.IsNullOrWhiteSpace(toQueue) ? entry.Queue : toQueue.Trim();
        if (!gateway.ListQueues().Contains(queue, StringComparer.Ordinal)) throw new HubException(HubException.Invalid, $"There is no queue '{queue}'.");
        HandoffEntry moved;
        if (!string.IsNullOrWhiteSpace(toAgent))
        {
            var target = _accounts.GetValueOrDefault(toAgent.Trim()) ?? throw new HubException(HubException.Invalid, $"There is no agent '{toAgent}'.");
            if (target.Disabled || !target.Serves(queue)) throw new HubException(HubException.Invalid, $"{target.DisplayName} does not serve queue '{queue}'.");
            if (EffectiveStatus(target.Login, now) != AgentStatus.Online) throw new HubException(HubException.Conflict, $"{target.DisplayName} is not online.");
            moved = Update(entry, entry with { Queue = queue, Status = EntryStatus.Offered, Agent = target.Login, OfferedUtc = now, AcceptedUtc = null });
            Push(() => notifier.OfferedAsync(target.Login, moved));
        }
        else
        {
            moved = Update(entry, entry with { Queue = queue, Status = EntryStatus.Waiting, Agent = null, OfferedUtc = null, AcceptedUtc = null });
        }
        var detail = $"to {(toAgent is null ? "queue " + queue : toAgent + " (" + queue + ")")}";
        if (!string.IsNullOrWhiteSpace(note))
        {
            var adding = store.AddNoteAsync(entry.Id, agent.Login, $"[transfer {detail}] {note.Trim()}", false, now, CancellationToken.None);
            Write(Written(adding), null);
            Push(async () => await notifier.NoteAsync(moved, await adding.ConfigureAwait(false)).ConfigureAwait(false));
        }
        Audit(agent.Login, AuditActions.Transfer, moved, detail);
        Assign(now);
        Push(() => notifier.QueueChangedAsync(entry.Queue, moved, "transferred"));
        if (queue != entry.Queue) Push(() => notifier.QueueChangedAsync(queue, moved, "transferred"));
        return _open.GetValueOrDefault(moved.Id, moved);
    }, cancellationToken);

    /// <summary>Ends the human part: the conversation goes back to the bot, optionally into <paramref name="flow"/> with <paramref name="variables"/> set.</summary>
    public async Task<HandoffEntry> ReturnToBotAsync(AgentAccount agent, string entryId, string? flow, JsonObject? variables, string? message, bool resolved, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(flow)) flow = null;
        var entry = await WithGateAsync(async _ =>
        {
            var entry = Open(entryId);
            if (entry.Agent != agent.Login && !agent.IsSupervisor) throw new HubException(HubException.Forbidden, "Only the assigned agent or a supervisor can end this chat.");
            var errors = await gateway.ValidateHandbackAsync(entry, flow, variables, cancellationToken).ConfigureAwait(false);
            if (errors.Count > 0) throw new HubException(HubException.Invalid, string.Join(" ", errors));
            _closing.Add(entry.Id);
            return entry;
        }, cancellationToken).ConfigureAwait(false);
        var outcome = resolved ? "resolved" : flow is null ? "returned to bot" : $"returned to bot: flow {flow}";
        var detail = flow is null ? null : $"flow {flow}" + (variables is { Count: > 0 } ? " " + variables.ToJsonString() : "");
        return await EndAfterTurnAsync(
            entry, () => gateway.ReturnToBotAsync(entry, "completed", resolved ? "resolved" : "returned", flow, variables, string.IsNullOrWhiteSpace(message) ? null : message.Trim(), cancellationToken),
            resolved ? EntryStatus.Resolved : EntryStatus.ReturnedToBot, outcome, agent.Login, resolved ? AuditActions.Resolve : AuditActions.ReturnToBot, detail).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the conversation turn that gives the customer back to the bot outside the gate, then ends the entry. The
    /// caller marked the entry closing under the gate: meanwhile nothing else takes, moves, offers or ends it, and when
    /// the turn fails it stays open for the agent to try again, as when the turn ran under the gate.
    /// </summary>
    async Task<HandoffEntry> EndAfterTurnAsync(HandoffEntry entry, Func<Task> turn, EntryStatus status, string outcome, string actor, string action, string? detail)
    {
        try
        {
            await turn().ConfigureAwait(false);
        }
        catch (Exception)
        {
            await WithGateAsync(_ => { _closing.Remove(entry.Id); }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return await WithGateAsync(now =>
        {
            _closing.Remove(entry.Id);
            var current = _open.GetValueOrDefault(entry.Id) ?? throw new HubException(HubException.NotFound, "This chat is no longer open.");
            var ended = End(current, status, outcome);
            Audit(actor, action, ended, detail);
            Assign(now);
            return ended;
        }, CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<HandoffEntry> TakeOverAsync(AgentAccount supervisor, string entryId, CancellationToken cancellationToken)
    {
        if (!supervisor.IsSupervisor) throw new HubException(HubException.Forbidden, "Only supervisors can take over a chat.");
        string? previous = null;
        var taken = await WithGateAsync(now =>
        {
            var entry = Open(entryId);
            previous = entry.Agent;
            var taken = Update(entry, entry with { Status = EntryStatus.Assigned, Agent = supervisor.Login, AcceptedUtc = entry.AcceptedUtc ?? now });
            Audit(supervisor.Login, AuditActions.TakeOver, taken, previous is null ? null : $"from {previous}");
            return taken;
        }, cancellationToken).ConfigureAwait(false);
        // After the gate, as for AcceptAsync: the greeting is a conversation turn.
        await gateway.SendToCustomerAsync(taken, supervisor, JoinedText(taken, supervisor), cancellationToken).ConfigureAwait(false);
        await notifier.QueueChangedAsync(taken.Queue, taken, "takeover").ConfigureAwait(false);
        if (previous is not null && previous != supervisor.Login) await notifier.OfferedAsync(previous, taken).ConfigureAwait(false);
        return taken;
    }

    /// <summary>A supervisor (or agent) starts a chat with a customer who is still with the bot.</summary>
    public async Task<HandoffEntry> JoinAsync(AgentAccount agent, string conversationKey, CancellationToken cancellationToken)
    {
        if (!agent.IsSupervisor) throw new HubException(HubException.Forbidden, "Only supervisors can join a conversation with the bot.");
        await WithGateAsync(_ =>
        {
            if (_openByConversation.ContainsKey(conversationKey) || !_joining.Add(conversationKey)) throw new HubException(HubException.Conflict, "This conversation is already with the hub.");
        }, cancellationToken).ConfigureAwait(false);
        HandoffRequest request;
        try
        {
            // The join is a conversation turn: outside the gate, the conversation held in _joining meanwhile.
            request = await gateway.DescribeForJoinAsync(conversationKey, cancellationToken).ConfigureAwait(false)
                ?? throw new HubException(HubException.NotFound, "No such conversation.");
            await gateway.JoinAsync(conversationKey, agent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await WithGateAsync(_ => { _joining.Remove(conversationKey); }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        var entry = await WithGateAsync(now =>
        {
            _joining.Remove(conversationKey);
            var entry = NewEntry(request, now) with { Status = EntryStatus.Assigned, Agent = agent.Login, OfferedUtc = now, AcceptedUtc = now };
            Insert(entry);
            Track(entry);
            Audit(agent.Login, AuditActions.Join, entry, null);
            return entry;
        }, CancellationToken.None).ConfigureAwait(false);
        await gateway.SendToCustomerAsync(entry, agent, JoinedText(entry, agent), cancellationToken).ConfigureAwait(false);
        await notifier.QueueChangedAsync(entry.Queue, entry, "joined").ConfigureAwait(false);
        return entry;
    }

    public async Task<HandoffEntry> MonitorAsync(AgentAccount supervisor, string entryId, CancellationToken cancellationToken)
    {
        if (!supervisor.IsSupervisor) throw new HubException(HubException.Forbidden, "Only supervisors can monitor chats.");
        var entry = await GetVisibleAsync(supervisor, entryId, cancellationToken).ConfigureAwait(false);
        await AuditAsync(supervisor.Login, AuditActions.Monitor, entry, null, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    public async Task<Ticket> CloseTicketAsync(AgentAccount agent, string number, string? resolution, CancellationToken cancellationToken)
    {
        var ticket = await store.GetTicketAsync(number, cancellationToken).ConfigureAwait(false);
        if (ticket is null || ticket.Closed) throw new HubException(HubException.NotFound, $"No open ticket {number}.");
        if (ticket.Queue is { } q && !agent.Serves(q)) throw new HubException(HubException.Forbidden, "This ticket belongs to a queue you do not serve.");
        var closed = await store.CloseTicketAsync(number, agent.Login, string.IsNullOrWhiteSpace(resolution) ? null : resolution.Trim(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ?? throw new HubException(HubException.Conflict, $"Ticket {number} was closed already.");
        await store.AppendAuditAsync(new AuditRecord(0, time.GetUtcNow(), agent.Login, AuditActions.TicketClose, closed.ConversationKey, null, number), cancellationToken).ConfigureAwait(false);
        await notifier.TicketsChangedAsync().ConfigureAwait(false);
        return closed;
    }

    public async Task<IReadOnlyList<Ticket>> ListTicketsAsync(AgentAccount agent, bool includeClosed, CancellationToken cancellationToken)
    {
        var all = await store.ListTicketsAsync(includeClosed, 500, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(t => t.Queue is null || agent.Serves(t.Queue))];
    }

    // ---- reads for the console ----

    /// <summary>An entry the agent may see (their queues; supervisors all), open or ended.</summary>
    public async Task<HandoffEntry> GetVisibleAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken)
    {
        var entry = _view.ById.GetValueOrDefault(entryId) ?? await store.GetEntryAsync(entryId, cancellationToken).ConfigureAwait(false)
            ?? throw new HubException(HubException.NotFound, "No such chat.");
        CheckQueueAccess(agent, entry);
        return entry;
    }

    /// <summary>Open entries the agent may see, queued first by priority and waiting time, then assigned.</summary>
    public IReadOnlyList<HandoffEntry> ListOpen(AgentAccount agent) =>
        [.. _view.ById.Values.Where(e => agent.Serves(e.Queue) || e.Agent == agent.Login)
            .OrderBy(e => e.IsQueued ? 0 : 1).ThenByDescending(e => e.Priority).ThenBy(e => e.WaitingSinceUtc)];

    public IReadOnlyList<AgentState> ListAgents()
    {
        var view = _view;
        return [.. view.Agents.OrderBy(a => a.Login, StringComparer.Ordinal)];
    }

    public AgentState? GetAgentState(string login) => _view.Agents.FirstOrDefault(a => a.Login == login);

    public Task<IReadOnlyList<HandoffEntry>> EarlierSessionsAsync(HandoffEntry entry, CancellationToken cancellationToken) =>
        entry.UserId is null ? Task.FromResult<IReadOnlyList<HandoffEntry>>([]) : store.ListEndedEntriesAsync(entry.ScenarioId, entry.UserId, 20, cancellationToken);

    public QueueSettings Settings(HandoffEntry entry) => gateway.GetQueueSettings(entry.ScenarioId, entry.ScenarioVersion, entry.Queue);

    // ---- time ----

    /// <summary>Runs the timers: offers not accepted, customers waiting past maxWait or gone silent, agents gone or idle.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var timedOut = await WithGateAsync(now =>
        {
            foreach (var p in _presence.Values)
            {
                if (p.Chosen != AgentStatus.Offline && p.Connections == 0 && p.DisconnectedUtc is { } gone && now - gone >= options.PresenceGrace)
                {
                    p.Chosen = AgentStatus.Offline;
                    Audit(p.Login, AuditActions.Status, null, "offline (console disconnected)");
                    ReturnOffers(p.Login, "agent offline");
                    var login = p.Login;
                    Push(() => notifier.PresenceChangedAsync(login, "offline"));
                }
                else if (p.Chosen == AgentStatus.Online && options.IdleAway > TimeSpan.Zero && now - p.LastActiveUtc >= options.IdleAway && ActiveChats(p.Login) == 0)
                {
                    p.Chosen = AgentStatus.Away;
                    Audit(p.Login, AuditActions.Status, null, "away (idle)");
                    var login = p.Login;
                    Push(() => notifier.PresenceChangedAsync(login, "away"));
                }
            }
            foreach (var entry in _open.Values.Where(e => !_closing.Contains(e.Id)).ToList())
            {
                if (entry.Status == EntryStatus.Offered && entry.OfferedUtc is { } offered && now - offered >= options.AcceptTimeout)
                {
                    Declined(entry.Id).Add(entry.Agent!);
                    if (_presence.TryGetValue(entry.Agent!, out var p) && p.Chosen == AgentStatus.Online)
                    {
                        p.Chosen = AgentStatus.Away;
                        Push(() => notifier.PresenceChangedAsync(p.Login, "away"));
                    }
                    var back = Update(entry, entry with { Status = EntryStatus.Waiting, Agent = null, OfferedUtc = null });
                    Audit("system", AuditActions.Requeue, back, $"not accepted by {entry.Agent} within {options.AcceptTimeout.TotalSeconds:0} s");
                    Push(() => notifier.QueueChangedAsync(back.Queue, back, "requeued"));
                }
                else if (entry.Status == EntryStatus.Assigned && entry.Agent is { } agent && EffectiveStatus(agent, now) == AgentStatus.Offline
                         && _presence.TryGetValue(agent, out var ap) && ap.DisconnectedUtc is { } left && now - left >= options.PresenceGrace + options.RequeueAfterAgentGone)
                {
                    var back = Update(entry, entry with { Status = EntryStatus.Waiting, Agent = null, OfferedUtc = null, AcceptedUtc = null });
                    Audit("system", AuditActions.Requeue, back, $"{agent} went offline");
                    Push(() => notifier.QueueChangedAsync(back.Queue, back, "requeued"));
                }
            }
            var timedOut = new List<(HandoffEntry Entry, string Reason, string Outcome)>();
            foreach (var entry in _open.Values.Where(e => e.IsQueued && !_closing.Contains(e.Id)).ToList())
            {
                var settings = gateway.GetQueueSettings(entry.ScenarioId, entry.ScenarioVersion, entry.Queue);
                var maxWait = settings.MaxWait ?? options.DefaultMaxWait;
                var nobody = OnlineFor(entry.Queue, now) == 0;
                if (maxWait > TimeSpan.Zero && now - entry.WaitingSinceUtc >= maxWait || nobody && now - entry.WaitingSinceUtc >= options.PresenceGrace)
                {
                    // Ended after the gate, once the customer is back with the bot (EndAfterTurnAsync).
                    _closing.Add(entry.Id);
                    timedOut.Add((entry, nobody ? "noAgents" : "timeout", nobody ? "no agent online" : $"waited {maxWait.TotalMinutes:0.#} min (maxWait)"));
                }
                else if (options.AbandonAfter > TimeSpan.Zero && now - entry.LastCustomerActivityUtc >= options.AbandonAfter)
                {
                    var ended = End(entry, EntryStatus.Abandoned, $"customer silent for {options.AbandonAfter.TotalMinutes:0.#} min");
                    Audit("system", "abandoned", ended, null);
                }
            }
            Assign(now);
            return timedOut;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var (entry, reason, outcome) in timedOut)
        {
            try
            {
                await EndAfterTurnAsync(entry, () => gateway.ReturnToBotAsync(entry, "failed", reason, null, null, null, cancellationToken), EntryStatus.TimedOut, outcome, "system", "timeout", reason).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The entry stays open and the next tick tries again.
                logger.LogError(e, "Hub: returning timed-out entry {Entry} to the bot failed.", entry.Id);
            }
        }
    }

    // ---- internals (under the gate) ----

    /// <summary>
    /// Auto-assignment: each waiting entry of an auto queue, best first (priority, then waiting time), is offered to
    /// the online agent of that queue with free capacity who has been idle longest (fair balancing).
    /// </summary>
    void Assign(DateTimeOffset now)
    {
        var waiting = _open.Values.Where(e => e.Status == EntryStatus.Waiting && !_closing.Contains(e.Id))
            .OrderByDescending(e => e.Priority).ThenBy(e => e.WaitingSinceUtc).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        if (waiting.Count == 0) return;
        // Counted once, not per candidate and entry: a burst leaves hundreds waiting and open.
        var active = _open.Values.Where(e => e.Agent is not null && e.Status is EntryStatus.Assigned or EntryStatus.Offered)
            .CountBy(e => e.Agent!, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        foreach (var entry in waiting)
        {
            if (!gateway.GetQueueSettings(entry.ScenarioId, entry.ScenarioVersion, entry.Queue).AutoAssign) continue;
            var declined = _declined.GetValueOrDefault(entry.Id);
            // Agents who let this entry's offer lapse come last, not never: they are online again only by choosing so, and
            // leaving the customer waiting while they sit idle is worse (test: An_agent_who_missed_an_offer_gets_it_again…).
            var agent = _accounts.Values
                .Where(a => !a.Disabled && a.TakesChatsFrom(entry.Queue) && EffectiveStatus(a.Login, now) == AgentStatus.Online
                            && active.GetValueOrDefault(a.Login) < a.MaxChats)
                .OrderBy(a => declined is not null && declined.Contains(a.Login))
                .ThenBy(a => Presence(a.Login).LastAssignedUtc).ThenBy(a => a.Login, StringComparer.Ordinal)
                .FirstOrDefault();
            if (agent is null) continue;
            var offered = Update(entry, entry with { Status = EntryStatus.Offered, Agent = agent.Login, OfferedUtc = now });
            active[agent.Login] = active.GetValueOrDefault(agent.Login) + 1;
            Presence(agent.Login).LastAssignedUtc = now;
            Push(() => notifier.OfferedAsync(agent.Login, offered));
            Push(() => notifier.QueueChangedAsync(offered.Queue, offered, "offered"));
        }
    }

    void ReturnOffers(string login, string why)
    {
        foreach (var entry in _open.Values.Where(e => e.Status == EntryStatus.Offered && e.Agent == login && !_closing.Contains(e.Id)).ToList())
        {
            Declined(entry.Id).Add(login);
            var back = Update(entry, entry with { Status = EntryStatus.Waiting, Agent = null, OfferedUtc = null });
            Audit("system", AuditActions.Requeue, back, why);
            Push(() => notifier.QueueChangedAsync(back.Queue, back, "requeued"));
        }
    }

    HandoffEntry End(HandoffEntry entry, EntryStatus status, string outcome)
    {
        var ended = Update(entry, entry with { Status = status, EndedUtc = time.GetUtcNow(), Outcome = outcome });
        Push(() => notifier.QueueChangedAsync(ended.Queue, ended, "ended"));
        return ended;
    }

    /// <summary>Changes the entry in memory and starts its write; a conflict (another node wrote first) is found after the gate, by <see cref="CompleteAsync"/>.</summary>
    HandoffEntry Update(HandoffEntry current, HandoffEntry next)
    {
        next = next with { Version = current.Version + 1 };
        // Not cancellable: memory has changed, so the write must follow.
        Write(store.UpdateEntryAsync(next, current.Version, CancellationToken.None), next.Id);
        Track(next);
        return next;
    }

    void Insert(HandoffEntry entry) => Write(Written(store.InsertEntryAsync(entry, CancellationToken.None)), entry.Id);

    void Audit(string actor, string action, HandoffEntry? entry, string? detail) =>
        Write(Written(store.AppendAuditAsync(AuditOf(actor, action, entry, detail), CancellationToken.None)), null);

    void Write(Task<bool> write, string? entryId)
    {
        var work = _work ?? throw new InvalidOperationException("Hub writes start only under the gate.");
        work.Writes.Add((write, entryId));
        _lastWrite = write;
    }

    void Push(Func<Task> push) => (_work ?? throw new InvalidOperationException("Hub pushes are queued only under the gate.")).Pushes.Add(push);

    static async Task<bool> Written(Task write)
    {
        await write.ConfigureAwait(false);
        return true;
    }

    void Track(HandoffEntry entry)
    {
        if (entry.IsOpen)
        {
            _open[entry.Id] = entry;
            _openByConversation[entry.ConversationKey] = entry.Id;
        }
        else
        {
            _open.Remove(entry.Id);
            _declined.Remove(entry.Id);
            _closing.Remove(entry.Id);
            if (_openByConversation.TryGetValue(entry.ConversationKey, out var id) && id == entry.Id) _openByConversation.Remove(entry.ConversationKey);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> under the gate, then, with the gate released, awaits the writes it started and
    /// sends its pushes (<see cref="CompleteAsync"/>). A refusal thrown after some writes started still waits for them.
    /// </summary>
    async Task<T> WithGateAsync<T>(Func<DateTimeOffset, Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var work = _work = new Work();
        T result = default!;
        ExceptionDispatchInfo? refused = null;
        try
        {
            result = await action(time.GetUtcNow()).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            refused = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _work = null;
            RebuildView();
            _gate.Release();
        }
        await CompleteAsync(work).ConfigureAwait(false);
        refused?.Throw();
        return result;
    }

    Task<T> WithGateAsync<T>(Func<DateTimeOffset, T> action, CancellationToken cancellationToken) =>
        WithGateAsync(now => Task.FromResult(action(now)), cancellationToken);

    Task WithGateAsync(Action<DateTimeOffset> action, CancellationToken cancellationToken) =>
        WithGateAsync(now => { action(now); return true; }, cancellationToken);

    /// <summary>
    /// Awaits an operation's writes (the store commits them in the order they were started), then sends its pushes, so
    /// no console hears of a change before it is durable. A failed write is logged and its entry reloaded from the store;
    /// the failure (a conflict, or the store's error) is the caller's answer and nothing is pushed.
    /// </summary>
    async Task CompleteAsync(Work work)
    {
        HashSet<string>? reload = null;
        Exception? failure = null;
        var conflict = false;
        foreach (var (write, entryId) in work.Writes)
        {
            try
            {
                if (await write.ConfigureAwait(false)) continue;
                conflict = true;
                logger.LogWarning("Hub: entry {Entry} was changed by another writer; reloading it.", entryId);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Hub: a write (entry {Entry}) failed; reloading the entry from the store.", entryId);
                failure ??= e;
            }
            if (entryId is not null) (reload ??= new HashSet<string>(StringComparer.Ordinal)).Add(entryId);
        }
        if (failure is null && !conflict)
        {
            foreach (var push in work.Pushes) await push().ConfigureAwait(false);
            return;
        }
        if (reload is not null) await ReloadAsync(reload).ConfigureAwait(false);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        throw new HubException(HubException.Conflict, "The chat was changed by someone else; try again.");
    }

    async Task ReloadAsync(IReadOnlyCollection<string> entryIds)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // Writes started after the failed one chained on the version it did not store and fail too; once the last one
            // started is settled (the store keeps order), the stored entry is the truth.
            try
            {
                await _lastWrite.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Hub: a later write failed as well.");
            }
            foreach (var id in entryIds)
            {
                var fresh = await store.GetEntryAsync(id, CancellationToken.None).ConfigureAwait(false);
                if (fresh is not null) Track(fresh);
                else if (_open.GetValueOrDefault(id) is { } lost) Track(lost with { Status = EntryStatus.Abandoned });
            }
        }
        finally
        {
            RebuildView();
            _gate.Release();
        }
    }

    /// <summary>What one gated operation started: its writes (an entry's, to reload if it fails) and its pushes, in order.</summary>
    sealed class Work
    {
        public List<(Task<bool> Write, string? EntryId)> Writes { get; } = [];

        public List<Func<Task>> Pushes { get; } = [];
    }

    HandoffEntry Open(string entryId)
    {
        var entry = _open.GetValueOrDefault(entryId) ?? throw new HubException(HubException.NotFound, "This chat is no longer open.");
        if (_closing.Contains(entryId)) throw new HubException(HubException.Conflict, "This chat is being returned to the bot.");
        return entry;
    }

    HandoffEntry OwnedBy(AgentAccount agent, string entryId)
    {
        var entry = _view.ById.GetValueOrDefault(entryId) ?? throw new HubException(HubException.NotFound, "This chat is no longer open.");
        if (entry.Status != EntryStatus.Assigned || entry.Agent != agent.Login)
            throw new HubException(HubException.Forbidden, "Only the agent who has this chat can write to the customer.");
        return entry;
    }

    static void CheckQueueAccess(AgentAccount agent, HandoffEntry entry)
    {
        if (!agent.Serves(entry.Queue) && entry.Agent != agent.Login)
            throw new HubException(HubException.Forbidden, "This chat belongs to a queue you do not serve.");
    }

    AgentPresence Presence(string login)
    {
        if (!_presence.TryGetValue(login, out var p))
        {
            p = new AgentPresence(login) { LastActiveUtc = time.GetUtcNow() };
            _presence[login] = p;
        }
        return p;
    }

    AgentStatus EffectiveStatus(string login, DateTimeOffset now) =>
        _presence.TryGetValue(login, out var p) ? p.Chosen : AgentStatus.Offline;

    int ActiveChats(string login) => _open.Values.Count(e => e.Agent == login && e.Status is EntryStatus.Assigned or EntryStatus.Offered);

    int OnlineFor(string queue, DateTimeOffset now) =>
        _accounts.Values.Count(a => !a.Disabled && a.TakesChatsFrom(queue) && EffectiveStatus(a.Login, now) == AgentStatus.Online);

    HashSet<string> Declined(string entryId)
    {
        if (!_declined.TryGetValue(entryId, out var set)) _declined[entryId] = set = new HashSet<string>(StringComparer.Ordinal);
        return set;
    }

    string DisplayName(string? login) => login is not null && _accounts.TryGetValue(login, out var a) ? a.DisplayName : login ?? "another agent";

    // Exponentially weighted: recent waits count most, one slow afternoon fades out after ~10 chats.
    void LearnWait(string queue, TimeSpan waited)
    {
        var previous = _waitEstimate.GetValueOrDefault(queue, options.InitialWaitEstimate);
        _waitEstimate[queue] = TimeSpan.FromTicks((long)(previous.Ticks * 0.8 + Math.Max(0, waited.Ticks) * 0.2));
    }

    Dictionary<string, AgentPresence> _presenceSnapshot = new(StringComparer.Ordinal);

    void RebuildView()
    {
        var now = time.GetUtcNow();
        var queued = _open.Values.Where(e => e.IsQueued)
            .OrderByDescending(e => e.Priority).ThenBy(e => e.WaitingSinceUtc).ThenBy(e => e.Id, StringComparer.Ordinal)
            .GroupBy(e => e.Queue, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.Select(e => e.ConversationKey).ToImmutableArray(), StringComparer.Ordinal);
        var queues = _accounts.Values.SelectMany(a => a.Queues).Concat(_open.Values.Select(e => e.Queue)).Concat(gateway.ListQueues()).Distinct(StringComparer.Ordinal).ToList();
        var online = queues.ToImmutableDictionary(q => q, q => OnlineFor(q, now), StringComparer.Ordinal);
        var agents = _accounts.Values.Where(a => !a.Disabled).Select(a =>
        {
            var p = _presence.GetValueOrDefault(a.Login);
            return new AgentState(a.Login, a.DisplayName, a.Role.ToString().ToLowerInvariant(), EffectiveStatus(a.Login, now).ToString().ToLowerInvariant(),
                ActiveChats(a.Login), a.MaxChats, a.Queues, p is { Connections: > 0 });
        }).ToImmutableArray();
        _view = new QueueView(
            _open.Values.GroupBy(e => e.ConversationId, StringComparer.Ordinal).ToImmutableDictionary(g => g.Key, g => g.First().ConversationKey, StringComparer.Ordinal),
            _open.Values.ToImmutableDictionary(e => e.Id, StringComparer.Ordinal),
            _open.Values.ToImmutableDictionary(e => e.ConversationKey, StringComparer.Ordinal),
            queued,
            _open.Values.Where(e => e.Status == EntryStatus.Assigned).Select(e => e.ConversationKey).ToImmutableHashSet(StringComparer.Ordinal),
            online,
            _waitEstimate.ToImmutableDictionary(StringComparer.Ordinal),
            agents,
            _accounts.ToImmutableDictionary(StringComparer.Ordinal));
        _presenceSnapshot = new Dictionary<string, AgentPresence>(_presence, StringComparer.Ordinal);
    }

    string JoinedText(HandoffEntry entry, AgentAccount agent) =>
        IsJapanese(entry.Locale) ? $"担当の{agent.DisplayName}です。ここからは私がご対応いたします。" : $"Hi, this is {agent.DisplayName}. I'll take it from here.";

    static bool IsJapanese(string? locale) => locale is not null && locale.StartsWith("ja", StringComparison.OrdinalIgnoreCase);

    static string CheckText(string text)
    {
        text = (text ?? "").Trim();
        if (text.Length == 0) throw new HubException(HubException.Invalid, "The message is empty.");
        if (text.Length > 4000) throw new HubException(HubException.Invalid, "The message is longer than 4,000 characters.");
        return text;
    }

    /// <summary>An audit record outside the gate (messages, notes); under it, <see cref="Audit"/> orders it with the change.</summary>
    Task AuditAsync(string actor, string action, HandoffEntry? entry, string? detail, CancellationToken cancellationToken) =>
        store.AppendAuditAsync(AuditOf(actor, action, entry, detail), cancellationToken);

    AuditRecord AuditOf(string actor, string action, HandoffEntry? entry, string? detail)
    {
        if (actor == "system" && logger.IsEnabled(LogLevel.Information))
            logger.LogInformation("Hub: {Action} {Entry} ({Queue}, conversation {Conversation}): {Detail}", action, entry?.Id, entry?.Queue, entry?.ConversationId, detail);
        return new AuditRecord(0, time.GetUtcNow(), actor, action, entry?.ConversationKey, entry?.Id, detail);
    }

    static bool SameAccount(AgentAccount a, AgentAccount b) =>
        a with { Queues = [] } == b with { Queues = [] } && a.Queues.SequenceEqual(b.Queues, StringComparer.Ordinal);

    /// <summary>A new session for <paramref name="request"/>, waiting since <paramref name="now"/>; callers set its status.</summary>
    static HandoffEntry NewEntry(HandoffRequest request, DateTimeOffset now) => new(
        NewId(now), request.ConversationKey, request.ConversationId, request.ChannelId, request.ScenarioId, request.ScenarioVersion,
        request.UserId, request.Queue, request.RuleId, request.RuleLocation, request.Reason, request.Priority, request.CustomerName,
        request.Locale, request.Context.Clone(), now, EntryStatus.Waiting,
        Agent: null, OfferedUtc: null, AcceptedUtc: null, EndedUtc: null, LastCustomerActivityUtc: now, Outcome: null, Version: 1);

    static long _idSequence;

    // Fixed-width time, then a process-wide sequence, then randomness (unique across nodes): ids sort in enqueue order,
    // so two customers queued in the same millisecond keep their places (the queue breaks waiting-time ties by id).
    static string NewId(DateTimeOffset now) =>
        "h" + now.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture)
        + (Interlocked.Increment(ref _idSequence) & 0xFFFFFF).ToString("x6", System.Globalization.CultureInfo.InvariantCulture)
        + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();

    sealed record QueueView(
        ImmutableDictionary<string, string> KeyById,
        ImmutableDictionary<string, HandoffEntry> ById,
        ImmutableDictionary<string, HandoffEntry> ByConversation,
        ImmutableDictionary<string, ImmutableArray<string>> Queued,
        ImmutableHashSet<string> Assigned,
        ImmutableDictionary<string, int> Online,
        ImmutableDictionary<string, TimeSpan> WaitEstimate,
        ImmutableArray<AgentState> Agents,
        ImmutableDictionary<string, AgentAccount> Accounts)
    {
        public static readonly QueueView Empty = new(
            ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, HandoffEntry>.Empty, ImmutableDictionary<string, HandoffEntry>.Empty,
            ImmutableDictionary<string, ImmutableArray<string>>.Empty, [], ImmutableDictionary<string, int>.Empty,
            ImmutableDictionary<string, TimeSpan>.Empty, [], ImmutableDictionary<string, AgentAccount>.Empty);

        public int OnlineFor(string queue) => Online.GetValueOrDefault(queue);
    }
}
