using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Queue;

/// <summary>A new service over the same file (a restarted server) picks up where the old one stopped.</summary>
public sealed class RestartTests : HubServiceTests
{
    [Fact]
    public async Task A_restarted_hub_has_the_same_queue_and_assignments_and_the_live_chat_continues()
    {
        Harness.PickMode();
        var sato = await Harness.OnlineAsync("sato");
        var live = await Harness.EnqueueAsync("live");
        await Harness.Hub.AcceptAsync(sato, live.Id, Ct);
        Harness.Time.Advance(TimeSpan.FromSeconds(5));
        var waiting = await Harness.EnqueueAsync("waiting");
        Harness.Time.Advance(TimeSpan.FromSeconds(5));
        await Harness.EnqueueAsync("behind");

        var hub = await Harness.RestartAsync();

        Assert.Equal((EntryStatus.Assigned, "sato"), (hub.FindOpen("live")!.Status, hub.FindOpen("live")!.Agent));
        Assert.Equal(waiting.Id, hub.FindOpen("waiting")!.Id);
        Assert.Equal(1, hub.GetPosition("waiting", "support").Position);
        Assert.Equal(2, hub.GetPosition("behind", "support").Position);
        Assert.True(hub.GetPosition("live", "support").Assigned);
        Assert.Equal(["waiting", "behind", "live"], hub.ListOpen(sato).Select(e => e.ConversationKey));
        Assert.Equal("online", hub.GetAgentState("sato")!.Status);

        await hub.ConnectedAsync(sato, Ct);
        await hub.SendAsync(sato, live.Id, "お待たせしました", Ct);
        Assert.Equal("お待たせしました", Harness.Gateway.Messages.Last().Text);
    }

    [Fact]
    public async Task After_a_restart_an_agent_who_never_reconnects_loses_their_chats_to_the_queue()
    {
        Harness.PickMode();
        var sato = await Harness.OnlineAsync("sato");
        var live = await Harness.EnqueueAsync("live");
        await Harness.Hub.AcceptAsync(sato, live.Id, Ct);
        var lee = await Harness.OnlineAsync("lee");

        var hub = await Harness.RestartAsync();
        await hub.ConnectedAsync(lee, Ct);
        await hub.SetStatusAsync(lee, AgentStatus.Online, Ct);
        await Harness.AdvanceAsync(Harness.Options.PresenceGrace + Harness.Options.RequeueAfterAgentGone);

        Assert.Equal("offline", hub.GetAgentState("sato")!.Status);
        Assert.Equal((EntryStatus.Waiting, null), (hub.FindOpen("live")!.Status, hub.FindOpen("live")!.Agent));
        Assert.Equal(EntryStatus.Waiting, (await Harness.StoredAsync(live.Id)).Status);
    }

    [Fact]
    public async Task A_customer_who_wrote_while_waiting_is_not_abandoned_after_a_restart()
    {
        Harness.PickMode();
        await Harness.OnlineAsync("sato");
        var entry = await Harness.EnqueueAsync("c1");
        Harness.Time.Advance(TimeSpan.FromMinutes(10));
        await Harness.Hub.OnLineAsync("c1", new TranscriptLine(1, TranscriptLine.Customer, null, "まだですか？", Harness.Time.GetUtcNow()), Ct);
        Harness.Time.Advance(TimeSpan.FromMinutes(2));

        var hub = await Harness.RestartAsync();
        await Harness.OnlineAsync("lee", hub: hub);
        await Harness.AdvanceAsync(TimeSpan.FromMinutes(4));

        Assert.Equal(EntryStatus.Waiting, hub.FindOpen("c1")!.Status);
        Assert.Equal(HubData.Start.AddMinutes(10), (await Harness.StoredAsync(entry.Id)).LastCustomerActivityUtc);
    }
}
