using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Queue;

/// <summary>The hub's timers on a fake clock: offers not accepted, agents gone, customers waiting too long or gone silent.</summary>
public sealed class TimeoutTests : IDisposable
{
    readonly HubHarness _hub = new();

    public void Dispose() => _hub.Dispose();

    static CancellationToken Ct => HubHarness.Ct;

    [Fact]
    public async Task An_offer_not_accepted_in_time_goes_back_to_the_queue_and_the_agent_is_set_away()
    {
        await _hub.OnlineAsync("sato");
        // lee is busy when the chat comes in, so it is offered to sato alone.
        var lee = await _hub.OnlineAsync("lee", maxChats: 1);
        _hub.PickMode();
        var busy = await _hub.EnqueueAsync("busy");
        await _hub.Hub.AcceptAsync(lee, busy.Id, Ct);
        _hub.Gateway.Settings.Clear();
        var entry = await _hub.EnqueueAsync("c1");
        Assert.Equal("sato", entry.Agent);

        await _hub.AdvanceAsync(_hub.Options.AcceptTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal((EntryStatus.Offered, "sato"), (_hub.Current("c1").Status, _hub.Current("c1").Agent));

        await _hub.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal((EntryStatus.Waiting, null), (_hub.Current("c1").Status, _hub.Current("c1").Agent));
        Assert.Equal(EntryStatus.Waiting, (await _hub.StoredAsync(entry.Id)).Status);
        Assert.Equal("away", _hub.Hub.GetAgentState("sato")!.Status);
        Assert.Contains("presence sato away", _hub.Notifier.Events);
        Assert.Contains(await _hub.Store.ReadAuditAsync(new AuditQuery(Actor: "system"), Ct), r => r.Action == AuditActions.Requeue && r.EntryId == entry.Id);
    }

    [Fact]
    public async Task An_offer_not_accepted_in_time_goes_to_the_next_agent()
    {
        await _hub.OnlineAsync("sato");
        _hub.Time.Advance(TimeSpan.FromSeconds(1));
        await _hub.OnlineAsync("lee");
        var entry = await _hub.EnqueueAsync("c1");
        Assert.Equal("sato", entry.Agent);

        await _hub.AdvanceAsync(_hub.Options.AcceptTimeout);

        Assert.Equal((EntryStatus.Offered, "lee"), (_hub.Current("c1").Status, _hub.Current("c1").Agent));
        Assert.Contains($"offered lee {entry.Id}", _hub.Notifier.Events);
    }

    [Fact]
    public async Task An_agent_who_missed_an_offer_gets_it_again_once_back_online_when_nobody_else_can()
    {
        var sato = await _hub.OnlineAsync("sato");
        var entry = await _hub.EnqueueAsync("c1");
        await _hub.AdvanceAsync(_hub.Options.AcceptTimeout);
        Assert.Equal(EntryStatus.Waiting, _hub.Current("c1").Status);

        await _hub.Hub.SetStatusAsync(sato, AgentStatus.Online, Ct);

        Assert.Equal((EntryStatus.Offered, "sato"), (_hub.Current("c1").Status, _hub.Current("c1").Agent));
        Assert.Equal(2, _hub.Notifier.Offers("sato").Count(e => e.EndsWith(entry.Id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_disconnected_agent_goes_offline_after_the_grace_and_their_chats_are_requeued()
    {
        var sato = await _hub.OnlineAsync("sato");
        var entry = await _hub.EnqueueAsync("c1");
        await _hub.Hub.AcceptAsync(sato, entry.Id, Ct);
        // lee is online but busy until sato's chat comes back, so the queue is never without agents.
        var lee = await _hub.OnlineAsync("lee", maxChats: 1);
        _hub.PickMode();
        var other = await _hub.EnqueueAsync("other");
        await _hub.Hub.AcceptAsync(lee, other.Id, Ct);
        _hub.Gateway.Settings.Clear();

        await _hub.Hub.DisconnectedAsync("sato", Ct);
        await _hub.AdvanceAsync(_hub.Options.PresenceGrace - TimeSpan.FromSeconds(1));
        Assert.Equal("online", _hub.Hub.GetAgentState("sato")!.Status);

        await _hub.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal("offline", _hub.Hub.GetAgentState("sato")!.Status);
        Assert.Equal((EntryStatus.Assigned, "sato"), (_hub.Current("c1").Status, _hub.Current("c1").Agent));

        await _hub.AdvanceAsync(_hub.Options.RequeueAfterAgentGone);

        Assert.Equal((EntryStatus.Waiting, null), (_hub.Current("c1").Status, _hub.Current("c1").Agent));
        Assert.Null((await _hub.StoredAsync(entry.Id)).AcceptedUtc);
        Assert.Contains($"queue support requeued {entry.Id}", _hub.Notifier.Events);

        await _hub.Hub.ReturnToBotAsync(lee, other.Id, null, null, null, resolved: true, Ct);
        Assert.Equal((EntryStatus.Offered, "lee"), (_hub.Current("c1").Status, _hub.Current("c1").Agent));
    }

    [Fact]
    public async Task A_console_reload_within_the_grace_keeps_the_agent_and_their_chats()
    {
        var sato = await _hub.OnlineAsync("sato");
        var entry = await _hub.EnqueueAsync("c1");
        await _hub.Hub.AcceptAsync(sato, entry.Id, Ct);

        await _hub.Hub.DisconnectedAsync("sato", Ct);
        await _hub.AdvanceAsync(_hub.Options.PresenceGrace / 2);
        await _hub.Hub.ConnectedAsync(sato, Ct);
        await _hub.AdvanceAsync(_hub.Options.PresenceGrace + _hub.Options.RequeueAfterAgentGone);

        Assert.Equal("online", _hub.Hub.GetAgentState("sato")!.Status);
        Assert.Equal((EntryStatus.Assigned, "sato"), (_hub.Current("c1").Status, _hub.Current("c1").Agent));
    }

    [Fact]
    public async Task Waiting_past_maxWait_returns_the_customer_to_the_bot_with_timeout()
    {
        _hub.Gateway.Settings["support"] = new QueueSettings(TimeSpan.FromMinutes(5), AutoAssign: false, []);
        await _hub.OnlineAsync("sato");
        var entry = await _hub.EnqueueAsync("c1");

        await _hub.AdvanceAsync(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Empty(_hub.Gateway.Returns);

        await _hub.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(new FakeConversationGateway.Returned(entry.Id, "failed", "timeout", null, null, null), Assert.Single(_hub.Gateway.Returns));
        Assert.Null(_hub.Hub.FindOpen("c1"));
        var stored = await _hub.StoredAsync(entry.Id);
        Assert.Equal(EntryStatus.TimedOut, stored.Status);
        Assert.Equal(_hub.Time.GetUtcNow(), stored.EndedUtc);
    }

    [Fact]
    public async Task The_default_max_wait_applies_to_queues_without_one()
    {
        _hub.Options.DefaultMaxWait = TimeSpan.FromMinutes(3);
        _hub.PickMode();
        await _hub.OnlineAsync("sato");
        var entry = await _hub.EnqueueAsync("c1");

        await _hub.AdvanceAsync(TimeSpan.FromMinutes(3));

        Assert.Equal("timeout", Assert.Single(_hub.Gateway.Returns).Reason);
        Assert.Equal(EntryStatus.TimedOut, (await _hub.StoredAsync(entry.Id)).Status);
    }

    [Fact]
    public async Task With_no_agent_of_the_queue_online_the_customer_goes_back_with_noAgents()
    {
        await _hub.OnlineAsync("abe", queues: "billing");
        var entry = await _hub.EnqueueAsync("c1");

        await _hub.AdvanceAsync(_hub.Options.PresenceGrace - TimeSpan.FromSeconds(1));
        Assert.Empty(_hub.Gateway.Returns);
        Assert.Equal(0, _hub.Hub.GetPosition("c1", "support").AgentsOnline);

        await _hub.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(new FakeConversationGateway.Returned(entry.Id, "failed", "noAgents", null, null, null), Assert.Single(_hub.Gateway.Returns));
        Assert.Equal(EntryStatus.TimedOut, (await _hub.StoredAsync(entry.Id)).Status);
        Assert.Contains(await _hub.Store.ReadAuditAsync(new AuditQuery(ConversationKey: "c1"), Ct), r => r.Action == "timeout" && r.Detail == "noAgents");
    }

    [Fact]
    public async Task A_waiting_customer_silent_too_long_is_abandoned_and_a_message_restarts_the_count()
    {
        _hub.PickMode();
        await _hub.OnlineAsync("sato");
        var entry = await _hub.EnqueueAsync("c1");

        _hub.Time.Advance(TimeSpan.FromMinutes(10));
        await _hub.Hub.OnLineAsync("c1", new TranscriptLine(1, TranscriptLine.Customer, null, "まだですか？", _hub.Time.GetUtcNow()), Ct);
        await _hub.AdvanceAsync(_hub.Options.AbandonAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(EntryStatus.Waiting, _hub.Current("c1").Status);

        await _hub.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Null(_hub.Hub.FindOpen("c1"));
        Assert.Equal(EntryStatus.Abandoned, (await _hub.StoredAsync(entry.Id)).Status);
        Assert.Empty(_hub.Gateway.Returns);
        Assert.Contains($"line {entry.Id} customer まだですか？", _hub.Notifier.Events);
    }

    [Fact]
    public async Task A_customer_who_leaves_abandons_the_entry()
    {
        var entry = await _hub.EnqueueAsync("c1");

        await _hub.Hub.OnCustomerLeftAsync("c1", Ct);

        Assert.Null(_hub.Hub.FindOpen("c1"));
        Assert.Equal((EntryStatus.Abandoned, "customer left"), ((await _hub.StoredAsync(entry.Id)).Status, (await _hub.StoredAsync(entry.Id)).Outcome));
    }

    [Fact]
    public async Task An_idle_online_agent_without_chats_is_set_away()
    {
        _hub.Options.IdleAway = TimeSpan.FromMinutes(10);
        await _hub.OnlineAsync("sato");
        _hub.PickMode();

        await _hub.AdvanceAsync(TimeSpan.FromMinutes(5));
        _hub.Hub.Touch("sato");
        await _hub.AdvanceAsync(TimeSpan.FromMinutes(9));
        Assert.Equal("online", _hub.Hub.GetAgentState("sato")!.Status);

        await _hub.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("away", _hub.Hub.GetAgentState("sato")!.Status);
    }
}
