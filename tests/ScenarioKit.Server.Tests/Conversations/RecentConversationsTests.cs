using ScenarioKit.Server.Conversations;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Tests.Conversations;

/// <summary>Issue 14: the recent-rows cache counts its entries itself (no map-wide lock per turn) and stays bounded.</summary>
public sealed class RecentConversationsTests
{
    [Fact]
    public void Stays_within_its_capacity_however_many_conversations_pass()
    {
        var recent = new RecentConversations(capacity: 100);
        for (var i = 0; i < 1_000; i++) recent.Set(Row($"k{i}", version: 1));
        Assert.InRange(recent.Count, 1, 100);
        Assert.NotNull(recent.Get("k999"));
    }

    [Fact]
    public void A_conversations_newer_rows_replace_its_entry_and_forgotten_entries_free_their_place()
    {
        var recent = new RecentConversations(capacity: 10);
        for (var version = 1; version <= 50; version++) recent.Set(Row("same", version));
        Assert.Equal(1, recent.Count);
        Assert.Equal(50, recent.Get("same")!.Version);

        // Conversations come and go many times: forgetting gives the place back, so a full cache is not trimmed (a
        // trim would drop one of the ten held below).
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 9; i++) recent.Set(Row($"c{i}", version: 1));
            for (var i = 0; i < 9; i++) recent.Forget($"c{i}");
        }
        for (var i = 0; i < 9; i++) recent.Set(Row($"c{i}", version: 2));
        Assert.Equal(10, recent.Count);
        Assert.NotNull(recent.Get("same"));
        for (var i = 0; i < 9; i++) Assert.NotNull(recent.Get($"c{i}"));
    }

    static ConversationRecord Row(string key, long version) => new(
        key, key, "test", "scenario", "1.0.0", "user", new byte[] { 1 }, version, version, true, false,
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
