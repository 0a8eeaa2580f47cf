using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Queue;

/// <summary>Routing: who is offered a chat, limits, pick mode and two agents racing for one chat.</summary>
public sealed class AssignmentTests : HubServiceTests
{
    [Fact]
    public async Task A_new_entry_is_offered_to_the_longest_idle_online_agent_with_capacity()
    {
        await Harness.OnlineAsync("sato");
        Harness.Time.Advance(TimeSpan.FromMinutes(1));
        await Harness.OnlineAsync("lee");
        Harness.Time.Advance(TimeSpan.FromMinutes(1));
        await Harness.OnlineAsync("abe", queues: "billing");

        var first = await Harness.EnqueueAsync("c1");
        Harness.Time.Advance(TimeSpan.FromSeconds(5));
        var second = await Harness.EnqueueAsync("c2");
        Harness.Time.Advance(TimeSpan.FromSeconds(5));
        var third = await Harness.EnqueueAsync("c3");

        // sato has waited longest, then lee; abe serves another queue. Each offer makes its agent the most recently used.
        Assert.Equal((EntryStatus.Offered, "sato"), (first.Status, first.Agent));
        Assert.Equal((EntryStatus.Offered, "lee"), (second.Status, second.Agent));
        Assert.Equal((EntryStatus.Offered, "sato"), (third.Status, third.Agent));
        Assert.Equal(EntryStatus.Offered, (await Harness.StoredAsync(first.Id)).Status);
        Assert.Contains($"offered sato {first.Id}", Harness.Notifier.Events);
    }

    [Fact]
    public async Task Away_offline_and_disabled_agents_are_not_offered_chats()
    {
        var away = await Harness.OnlineAsync("away");
        await Harness.Hub.SetStatusAsync(away, AgentStatus.Away, Ct);
        await Harness.AccountAsync("never-online");
        var disabled = await Harness.OnlineAsync("disabled");
        await Harness.Hub.ConnectedAsync(disabled with { Disabled = true }, Ct);

        var entry = await Harness.EnqueueAsync("c1");

        Assert.Equal(EntryStatus.Waiting, entry.Status);
        Assert.Null(entry.Agent);
    }

    [Fact]
    public async Task An_agent_at_their_limit_gets_no_more_until_a_chat_ends()
    {
        var sato = await Harness.OnlineAsync("sato", maxChats: 2);

        var a = await Harness.EnqueueAsync("c1");
        var b = await Harness.EnqueueAsync("c2");
        var c = await Harness.EnqueueAsync("c3");
        await Harness.Hub.AcceptAsync(sato, a.Id, Ct);

        Assert.Equal("sato", b.Agent);
        Assert.Equal(EntryStatus.Waiting, Harness.Current("c3").Status);
        Assert.Equal(2, Harness.Hub.GetAgentState("sato")!.ActiveChats);

        await Harness.Hub.ReturnToBotAsync(sato, a.Id, null, null, null, resolved: true, Ct);

        Assert.Equal((EntryStatus.Offered, "sato"), (Harness.Current("c3").Status, Harness.Current("c3").Agent));
        Assert.Equal(c.Id, Harness.Current("c3").Id);
    }

    [Fact]
    public async Task Accepting_beyond_the_limit_is_a_conflict_but_a_supervisor_may()
    {
        Harness.PickMode();
        var sato = await Harness.OnlineAsync("sato", maxChats: 1);
        var boss = await Harness.OnlineAsync("boss", queues: "support", maxChats: 1, role: AgentRole.Supervisor);
        var a = await Harness.EnqueueAsync("c1");
        var b = await Harness.EnqueueAsync("c2");
        var c = await Harness.EnqueueAsync("c3");

        await Harness.Hub.AcceptAsync(sato, a.Id, Ct);
        var e = await Assert.ThrowsAsync<HubException>(() => Harness.Hub.AcceptAsync(sato, b.Id, Ct));
        await Harness.Hub.AcceptAsync(boss, b.Id, Ct);
        await Harness.Hub.AcceptAsync(boss, c.Id, Ct);

        Assert.Equal(HubException.Conflict, e.Code);
        Assert.Equal("boss", Harness.Current("c3").Agent);
    }

    [Fact]
    public async Task Higher_priority_is_offered_first_then_the_longest_waiting()
    {
        Harness.PickMode();
        var old = await Harness.EnqueueAsync("old");
        Harness.Time.Advance(TimeSpan.FromMinutes(1));
        var urgent = await Harness.EnqueueAsync("urgent", priority: 5);
        Harness.Gateway.Settings.Clear();

        await Harness.OnlineAsync("sato", maxChats: 1);

        Assert.Equal((EntryStatus.Offered, "sato"), (Harness.Current("urgent").Status, Harness.Current("urgent").Agent));
        Assert.Equal(EntryStatus.Waiting, Harness.Current("old").Status);
        Assert.Equal(urgent.Id, Harness.Current("urgent").Id);
        Assert.NotEqual(old.Id, urgent.Id);
    }

    [Fact]
    public async Task In_pick_mode_nothing_is_offered_and_an_agent_takes_from_the_list()
    {
        Harness.PickMode();
        var sato = await Harness.OnlineAsync("sato");

        var entry = await Harness.EnqueueAsync("c1");

        Assert.Equal(EntryStatus.Waiting, entry.Status);
        Assert.Empty(Harness.Notifier.Offers("sato"));
        Assert.Contains(Harness.Hub.ListOpen(sato), e => e.Id == entry.Id);

        var accepted = await Harness.Hub.AcceptAsync(sato, entry.Id, Ct);

        Assert.Equal((EntryStatus.Assigned, "sato"), (accepted.Status, accepted.Agent));
        Assert.Equal((EntryStatus.Assigned, "sato", 2L), ((await Harness.StoredAsync(entry.Id)).Status, (await Harness.StoredAsync(entry.Id)).Agent, (await Harness.StoredAsync(entry.Id)).Version));
        // The customer is told who is answering, in their language.
        Assert.Equal(new FakeConversationGateway.Sent(entry.Id, "sato", "担当のsatoさんです。ここからは私がご対応いたします。"), Assert.Single(Harness.Gateway.Messages));
        Assert.Contains((await Harness.Store.ReadAuditAsync(new AuditQuery(Actor: "sato"), Ct)), r => r.Action == AuditActions.Accept && r.EntryId == entry.Id && r.ConversationKey == "c1");
    }

    [Fact]
    public async Task An_English_customer_is_greeted_in_English()
    {
        Harness.PickMode();
        var sato = await Harness.OnlineAsync("sato");
        var entry = await Harness.EnqueueAsync("c1", locale: "en-US");

        await Harness.Hub.AcceptAsync(sato, entry.Id, Ct);

        Assert.Equal("Hi, this is satoさん. I'll take it from here.", Assert.Single(Harness.Gateway.Messages).Text);
    }

    [Fact]
    public async Task Two_agents_accepting_at_once_one_wins_and_the_other_gets_a_conflict()
    {
        Harness.PickMode();
        var sato = await Harness.OnlineAsync("sato");
        var lee = await Harness.OnlineAsync("lee");
        var entry = await Harness.EnqueueAsync("c1");

        var results = await Task.WhenAll(
            Attempt(() => Harness.Hub.AcceptAsync(sato, entry.Id, Ct)),
            Attempt(() => Harness.Hub.AcceptAsync(lee, entry.Id, Ct)));

        var winner = Assert.Single(results, r => r.Entry is not null).Entry!;
        var loser = Assert.Single(results, r => r.Error is not null).Error!;
        Assert.Equal(HubException.Conflict, loser.Code);
        Assert.Equal(winner.Agent, (await Harness.StoredAsync(entry.Id)).Agent);
        Assert.Single(Harness.Gateway.Messages);
    }

    [Fact]
    public async Task Two_nodes_accepting_the_same_entry_one_wins_through_the_stored_version()
    {
        Harness.PickMode();
        var sato = await Harness.OnlineAsync("sato");
        var entry = await Harness.EnqueueAsync("c1");
        var node2 = Harness.NewService();
        await node2.StartAsync(Ct);
        var lee = await Harness.OnlineAsync("lee", hub: node2);

        await Harness.Hub.AcceptAsync(sato, entry.Id, Ct);
        var e = await Assert.ThrowsAsync<HubException>(() => node2.AcceptAsync(lee, entry.Id, Ct));

        Assert.Equal(HubException.Conflict, e.Code);
        Assert.Equal("sato", (await Harness.StoredAsync(entry.Id)).Agent);
        // The losing node reloaded the entry: it now knows sato has it.
        Assert.Equal("sato", node2.FindOpen("c1")!.Agent);
    }

    [Fact]
    public async Task An_entry_offered_to_one_agent_cannot_be_taken_by_another()
    {
        var sato = await Harness.OnlineAsync("sato");
        var lee = await Harness.AccountAsync("lee");
        var entry = await Harness.EnqueueAsync("c1");

        var e = await Assert.ThrowsAsync<HubException>(() => Harness.Hub.AcceptAsync(lee, entry.Id, Ct));

        Assert.Equal(HubException.Conflict, e.Code);
        Assert.Equal("sato", Harness.Current("c1").Agent);
        Assert.Equal(EntryStatus.Assigned, (await Harness.Hub.AcceptAsync(sato, entry.Id, Ct)).Status);
    }

    [Fact]
    public async Task An_account_disabled_while_online_stops_taking_chats_once_the_server_refreshes_it()
    {
        var sato = await Harness.OnlineAsync("sato");
        await Harness.OnlineAsync("lee", maxChats: 1);
        Harness.PickMode();
        var busy = await Harness.EnqueueAsync("busy");
        await Harness.Hub.AcceptAsync((await Harness.Store.GetAgentAsync("lee", Ct))!.Account, busy.Id, Ct);
        Harness.Gateway.Settings.Clear();
        var live = await Harness.EnqueueAsync("live");
        await Harness.Hub.AcceptAsync(sato, live.Id, Ct);
        var offered = await Harness.EnqueueAsync("offered");
        Assert.Equal("sato", offered.Agent);
        // What `scenariokit agents disable sato` does to the shared database while the server runs.
        await new AgentDirectory(Harness.Store, Harness.Time).SetDisabledAsync("sato", true, "cli:root", Ct);

        var e = await Assert.ThrowsAsync<HubException>(() => Harness.Hub.RefreshAccountAsync("sato", Ct));

        Assert.Equal(HubException.Forbidden, e.Code);
        Assert.Equal((EntryStatus.Waiting, null), (Harness.Current("offered").Status, Harness.Current("offered").Agent));
        Assert.Equal((EntryStatus.Waiting, null), (Harness.Current("live").Status, Harness.Current("live").Agent));
        Assert.Null(Harness.Hub.GetAgentState("sato"));
        Assert.Contains("presence sato offline", Harness.Notifier.Events);
        var next = await Harness.EnqueueAsync("next");
        Assert.Null(next.Agent);
    }

    [Fact]
    public async Task A_second_handoff_of_an_open_conversation_keeps_the_session()
    {
        var first = await Harness.EnqueueAsync("c1");
        var again = await Harness.EnqueueAsync("c1");

        Assert.Equal(first.Id, again.Id);
        Assert.Single(await Harness.Store.ListOpenEntriesAsync(Ct));
    }

    [Fact]
    public async Task An_unattended_handoff_is_recorded_ended_and_never_queued()
    {
        await Harness.OnlineAsync("sato");

        var entry = await Harness.Hub.EnqueueAsync(HubData.Request("c1") with { Unattended = true }, Ct);

        Assert.Equal(EntryStatus.Unattended, (await Harness.StoredAsync(entry.Id)).Status);
        Assert.Null(Harness.Hub.FindOpen("c1"));
        Assert.Empty(Harness.Notifier.Offers("sato"));
    }

    static async Task<(HandoffEntry? Entry, HubException? Error)> Attempt(Func<Task<HandoffEntry>> action)
    {
        try
        {
            return (await action(), null);
        }
        catch (HubException e)
        {
            return (null, e);
        }
    }
}
