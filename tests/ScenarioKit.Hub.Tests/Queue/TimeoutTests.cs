using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Queue;

/// <summary>The hub's timers on a fake clock: offers not accepted, agents gone, customers waiting too long or gone silent.</summary>
public sealed class TimeoutTests : HubServiceTests
{
    [Fact]
    public async Task An_offer_not_accepted_in_time_goes_back_to_the_queue_and_the_agent_is_set_away()
    {
        await Harness.OnlineAsync("sato");
        // lee is busy when the chat comes in, so it is offered to sato alone.
        var lee = await Harness.OnlineAsync("lee", maxChats: 1);
        Harness.PickMode();
        var busy = await Harness.EnqueueAsync("busy");
        await Harness.Hub.AcceptAsync(lee, busy.Id, Ct);
        Harness.Gateway.Settings.Clear();
        var entry = await Harness.EnqueueAsync("c1");
        Assert.Equal("sato", entry.Agent);

        await Harness.AdvanceAsync(Harness.Options.AcceptTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal((EntryStatus.Offered, "sato"), (Harness.Current("c1").Status, Harness.Current("c1").Agent));

        await Harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal((EntryStatus.Waiting, null), (Harness.Current("c1").Status, Harness.Current("c1").Agent));
        Assert.Equal(EntryStatus.Waiting, (await Harness.StoredAsync(entry.Id)).Status);
        Assert.Equal("away", Harness.Hub.GetAgentState("sato")!.Status);
        Assert.Contains("presence sato away", Harness.Notifier.Events);
        Assert.Contains(await Harness.Store.ReadAuditAsync(new AuditQuery(Actor: "system"), Ct), r => r.Action == AuditActions.Requeue && r.EntryId == entry.Id);
    }

    [Fact]
    public async Task An_offer_not_accepted_in_time_goes_to_the_next_agent()
    {
        await Harness.OnlineAsync("sato");
        Harness.Time.Advance(TimeSpan.FromSeconds(1));
        await Harness.OnlineAsync("lee");
        var entry = await Harness.EnqueueAsync("c1");
        Assert.Equal("sato", entry.Agent);

        await Harness.AdvanceAsync(Harness.Options.AcceptTimeout);

        Assert.Equal((EntryStatus.Offered, "lee"), (Harness.Current("c1").Status, Harness.Current("c1").Agent));
        Assert.Contains($"offered lee {entry.Id}", Harness.Notifier.Events);
    }

    [Fact]
    public async Task An_agent_who_missed_an_offer_gets_it_again_once_back_online_when_nobody_else_can()
    {
        var sato = await Harness.OnlineAsync("sato");
        var entry = await Harness.EnqueueAsync("c1");
        await Harness.AdvanceAsync(Harness.Options.AcceptTimeout);
        Assert.Equal(EntryStatus.Waiting, Harness.Current("c1").Status);

        await Harness.Hub.SetStatusAsync(sato, AgentStatus.Online, Ct);

        Assert.Equal((EntryStatus.Offered, "sato"), (Harness.Current("c1").Status, Harness.Current("c1").Agent));
        Assert.Equal(2, Harness.Notifier.Offers("sato").Count(e => e.EndsWith(entry.Id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_disconnected_agent_goes_offline_after_the_grace_and_their_chats_are_requeued()
    {
        var sato = await Harness.OnlineAsync("sato");
        var entry = await Harness.EnqueueAsync("c1");
        await Harness.Hub.AcceptAsync(sato, entry.Id, Ct);
        // lee is online but busy until sato's chat comes back, so the queue is never without agents.
        var lee = await Harness.OnlineAsync("lee", maxChats: 1);
        Harness.PickMode();
        var other = await Harness.EnqueueAsync("other");
        await Harness.Hub.AcceptAsync(lee, other.Id, Ct);
        Harness.Gateway.Settings.Clear();

        await Harness.Hub.DisconnectedAsync("sato", Ct);
        await Harness.AdvanceAsync(Harness.Options.PresenceGrace - TimeSpan.FromSeconds(1));
        Assert.Equal("online", Harness.Hub.GetAgentState("sato")!.Status);

        await Harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal("offline", Harness.Hub.GetAgentState("sato")!.Status);
        Assert.Equal((EntryStatus.Assigned, "sato"), (Harness.Current("c1").Status, Harness.Current("c1").Agent));

        await Harness.AdvanceAsync(Harness.Options.RequeueAfterAgentGone);

        Assert.Equal((EntryStatus.Waiting, null), (Harness.Current("c1").Status, Harness.Current("c1").Agent));
        Assert.Null((await Harness.StoredAsync(entry.Id)).AcceptedUtc);
        Assert.Contains($"queue support requeued {entry.Id}", Harness.Notifier.Events);

        await Harness.Hub.ReturnToBotAsync(lee, other.Id, null, null, null, resolved: true, Ct);
        Assert.Equal((EntryStatus.Offered, "lee"), (Harness.Current("c1").Status, Harness.Current("c1").Agent));
    }

    [Fact]
    public async Task A_console_reload_within_the_grace_keeps_the_agent_and_their_chats()
    {
        var sato = await Harness.OnlineAsync("sato");
        var entry = await Harness.EnqueueAsync("c1");
        await Harness.Hub.AcceptAsync(sato, entry.Id, Ct);

        await Harness.Hub.DisconnectedAsync("sato", Ct);
        await Harness.AdvanceAsync(Harness.Options.PresenceGrace / 2);
        await Harness.Hub.ConnectedAsync(sato, Ct);
        await Harness.AdvanceAsync(Harness.Options.PresenceGrace + Harness.Options.RequeueAfterAgentGone);

        Assert.Equal("online", Harness.Hub.GetAgentState("sato")!.Status);
        Assert.Equal((EntryStatus.Assigned, "sato"), (Harness.Current("c1").Status, Harness.Current("c1").Agent));
    }

    [Fact]
    public async Task Waiting_past_maxWait_returns_the_customer_to_the_bot_with_timeout()
    {
        Harness.Gateway.Settings["support"] = new QueueSettings(TimeSpan.FromMinutes(5), AutoAssign: false, []);
        await Harness.OnlineAsync("sato");
        var entry = await Harness.EnqueueAsync("c1");

        await Harness.AdvanceAsync(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Empty(Harness.Gateway.Returns);

        await Harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(new FakeConversationGateway.Returned(entry.Id, "failed", "timeout", null, null, null), Assert.Single(Harness.Gateway.Returns));
        Assert.Null(Harness.Hub.FindOpen("c1"));
        var stored = await Harness.StoredAsync(entry.Id);
        Assert.Equal(EntryStatus.TimedOut, stored.Status);
        Assert.Equal(Harness.Time.GetUtcNow(), stored.EndedUtc);
    }

    [Fact]
    public async Task The_default_max_wait_applies_to_queues_without_one()
    {
        Harness.Options.DefaultMaxWait = TimeSpan.FromMinutes(3);
        Harness.PickMode();
        await Harness.OnlineAsync("sato");
        var entry = await Harness.EnqueueAsync("c1");

        await Harness.AdvanceAsync(TimeSpan.FromMinutes(3));

        Assert.Equal("timeout", Assert.Single(Harness.Gateway.Returns).Reason);
        Assert.Equal(EntryStatus.TimedOut, (await Harness.StoredAsync(entry.Id)).Status);
    }

    [Fact]
    public async Task With_no_agent_of_the_queue_online_the_customer_goes_back_with_noAgents()
    {
        await Harness.OnlineAsync("abe", queues: "billing");
        var entry = await Harness.EnqueueAsync("c1");

        await Harness.AdvanceAsync(Harness.Options.PresenceGrace - TimeSpan.FromSeconds(1));
        Assert.Empty(Harness.Gateway.Returns);
        Assert.Equal(0, Harness.Hub.GetPosition("c1", "support").AgentsOnline);

        await Harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(new FakeConversationGateway.Returned(entry.Id, "failed", "noAgents", null, null, null), Assert.Single(Harness.Gateway.Returns));
        Assert.Equal(EntryStatus.TimedOut, (await Harness.StoredAsync(entry.Id)).Status);
        Assert.Contains(await Harness.Store.ReadAuditAsync(new AuditQuery(ConversationKey: "c1"), Ct), r => r.Action == "timeout" && r.Detail == "noAgents");
    }

    [Fact]
    public async Task A_waiting_customer_silent_too_long_is_abandoned_and_a_message_restarts_the_count()
    {
        Harness.PickMode();
        await Harness.OnlineAsync("sato");
        var entry = await Harness.EnqueueAsync("c1");

        Harness.Time.Advance(TimeSpan.FromMinutes(10));
        await Harness.Hub.OnLineAsync("c1", new TranscriptLine(1, TranscriptLine.Customer, null, "まだですか？", Harness.Time.GetUtcNow()), Ct);
        await Harness.AdvanceAsync(Harness.Options.AbandonAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(EntryStatus.Waiting, Harness.Current("c1").Status);

        await Harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Null(Harness.Hub.FindOpen("c1"));
        Assert.Equal(EntryStatus.Abandoned, (await Harness.StoredAsync(entry.Id)).Status);
        Assert.Empty(Harness.Gateway.Returns);
        Assert.Contains($"line {entry.Id} customer まだですか？", Harness.Notifier.Events);
    }

    [Fact]
    public async Task A_customer_who_leaves_abandons_the_entry()
    {
        var entry = await Harness.EnqueueAsync("c1");

        await Harness.Hub.OnCustomerLeftAsync("c1", Ct);

        Assert.Null(Harness.Hub.FindOpen("c1"));
        Assert.Equal((EntryStatus.Abandoned, "customer left"), ((await Harness.StoredAsync(entry.Id)).Status, (await Harness.StoredAsync(entry.Id)).Outcome));
    }

    [Fact]
    public async Task An_idle_online_agent_without_chats_is_set_away()
    {
        Harness.Options.IdleAway = TimeSpan.FromMinutes(10);
        await Harness.OnlineAsync("sato");
        Harness.PickMode();

        await Harness.AdvanceAsync(TimeSpan.FromMinutes(5));
        Harness.Hub.Touch("sato");
        await Harness.AdvanceAsync(TimeSpan.FromMinutes(9));
        Assert.Equal("online", Harness.Hub.GetAgentState("sato")!.Status);

        await Harness.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("away", Harness.Hub.GetAgentState("sato")!.Status);
    }
}
