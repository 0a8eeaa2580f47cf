using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Queue;

/// <summary>What the waiting customer is told: their place in line and an estimate that learns from accepted chats.</summary>
public sealed class PositionTests : HubServiceTests
{
    [Fact]
    public async Task Positions_follow_priority_then_waiting_time()
    {
        Harness.PickMode();
        await Harness.EnqueueAsync("first");
        Harness.Time.Advance(TimeSpan.FromSeconds(10));
        await Harness.EnqueueAsync("second");
        Harness.Time.Advance(TimeSpan.FromSeconds(10));
        await Harness.EnqueueAsync("vip", priority: 1);
        await Harness.EnqueueAsync("elsewhere", queue: "billing");

        Assert.Equal(1, Harness.Hub.GetPosition("vip", "support").Position);
        Assert.Equal(2, Harness.Hub.GetPosition("first", "support").Position);
        Assert.Equal(3, Harness.Hub.GetPosition("second", "support").Position);
        Assert.Equal(1, Harness.Hub.GetPosition("elsewhere", "billing").Position);
        // A conversation not in line yet would join at the end.
        Assert.Equal(4, Harness.Hub.GetPosition("new", "support").Position);
    }

    [Fact]
    public async Task The_estimate_is_rounds_of_the_per_chat_wait_shared_by_the_agents_online()
    {
        Harness.PickMode();
        foreach (var key in new[] { "c1", "c2", "c3" })
        {
            await Harness.EnqueueAsync(key);
            Harness.Time.Advance(TimeSpan.FromSeconds(1));
        }
        var initial = Harness.Options.InitialWaitEstimate;

        // Nobody online: one round per customer ahead (and the count says 0 agents).
        Assert.Equal(new Hub.Queue.QueuePosition(3, initial * 3, 0, false), Harness.Hub.GetPosition("c3", "support"));

        await Harness.OnlineAsync("sato");
        await Harness.OnlineAsync("lee");

        Assert.Equal(new Hub.Queue.QueuePosition(3, initial * 2, 2, false), Harness.Hub.GetPosition("c3", "support"));
        Assert.Equal(new Hub.Queue.QueuePosition(2, initial, 2, false), Harness.Hub.GetPosition("c2", "support"));
    }

    [Fact]
    public async Task Accepted_chats_teach_the_estimate_and_an_assigned_customer_has_no_position()
    {
        Harness.PickMode();
        var sato = await Harness.OnlineAsync("sato");
        var c1 = await Harness.EnqueueAsync("c1");
        await Harness.EnqueueAsync("c2");
        Harness.Time.Advance(TimeSpan.FromMinutes(1));

        await Harness.Hub.AcceptAsync(sato, c1.Id, Ct);

        Assert.Equal(new Hub.Queue.QueuePosition(0, TimeSpan.Zero, 1, true), Harness.Hub.GetPosition("c1", "support"));
        // 0.8 × 2 min (initial) + 0.2 × 1 min (the wait just seen) = 1.8 min.
        Assert.Equal(new Hub.Queue.QueuePosition(1, TimeSpan.FromMinutes(1.8), 1, false), Harness.Hub.GetPosition("c2", "support"));
    }
}
