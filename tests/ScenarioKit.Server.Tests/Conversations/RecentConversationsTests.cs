using ScenarioKit.Server.Conversations;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Tests.Conversations;

/// <summary>Issue 14: the recent-rows cache counts its entries itself (no map-wide lock per turn) and stays bounded, its logs too.</summary>
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

    [Fact]
    public void A_log_is_given_only_for_the_row_it_was_saved_with()
    {
        var recent = new RecentConversations(capacity: 10);
        var row = Row("c", version: 1);
        recent.Set(row, [Activity(1, 100)]);
        Assert.Single(recent.LogOf(row)!);
        // An equal row read from the store is not the row the log was saved with: another node may have written since.
        Assert.Null(recent.LogOf(Row("c", version: 1)));
        var next = Row("c", version: 2);
        recent.Set(next);
        Assert.Null(recent.LogOf(next));
        Assert.Null(recent.LogOf(row));
        Assert.Equal(0, recent.LogBytes);
    }

    [Fact]
    public void Logs_stay_within_their_byte_budget_and_the_rows_stay_when_their_logs_go()
    {
        var recent = new RecentConversations(capacity: 1_000, logBudgetBytes: 100_000);
        for (var i = 0; i < 500; i++) recent.Set(Row($"k{i}", version: 1), [Activity(1, 600), Activity(2, 400)]);
        Assert.InRange(recent.LogBytes, 1, 100_000);
        Assert.Equal(500, recent.Count);
        Assert.All(Enumerable.Range(0, 500), i => Assert.NotNull(recent.Get($"k{i}")));
        var held = Enumerable.Range(0, 500).Where(i => recent.LogOf(recent.Get($"k{i}")!) is not null).ToList();
        Assert.Equal(recent.LogBytes, held.Count * 1_000L);
        // The logs saved last are the ones held.
        Assert.Equal(Enumerable.Range(500 - held.Count, held.Count), held);

        for (var i = 0; i < 500; i++) recent.Forget($"k{i}");
        Assert.Equal(0, recent.LogBytes);
    }

    [Fact]
    public void A_log_too_long_for_the_transcript_or_too_big_is_not_kept()
    {
        var recent = new RecentConversations(capacity: 10);
        var many = Row("many", version: 1);
        recent.Set(many, [.. Enumerable.Range(1, RecentConversations.MaxLogActivities + 1).Select(seq => Activity(seq, 10))]);
        Assert.Null(recent.LogOf(many));
        var big = Row("big", version: 1);
        recent.Set(big, [Activity(1, RecentConversations.MaxLogBytes + 1)]);
        Assert.Null(recent.LogOf(big));
        Assert.Equal(0, recent.LogBytes);
        Assert.NotNull(recent.Get("many"));
    }

    [Fact]
    public void A_conversation_saved_again_keeps_its_log_as_the_newest_and_old_places_in_the_order_are_skipped()
    {
        var recent = new RecentConversations(capacity: 1_000, logBudgetBytes: 10_000);
        var busy = Row("busy", version: 1);
        recent.Set(busy, [Activity(1, 1_000)]);
        for (var i = 0; i < 50; i++)
        {
            recent.Set(Row($"k{i}", version: 1), [Activity(1, 1_000)]);
            // The busy conversation takes a turn between every other one, so its log is always among the newest.
            busy = Row("busy", version: busy.Version + 1);
            recent.Set(busy, [Activity(1, 1_000)]);
        }
        Assert.NotNull(recent.LogOf(busy));
        Assert.Null(recent.LogOf(recent.Get("k0")!));
        Assert.InRange(recent.LogBytes, 1, 10_000);
    }

    [Fact]
    public void The_order_of_logs_stays_bounded_when_the_budget_is_never_reached()
    {
        var recent = new RecentConversations(capacity: 100, logBudgetBytes: long.MaxValue);
        var row = Row("one", version: 1);
        for (var v = 1; v <= 10_000; v++) recent.Set(row = Row("one", v), [Activity(1, 10)]);
        Assert.InRange(recent.QueuedLogs, 0, 101);
        Assert.NotNull(recent.LogOf(row));
    }

    static StoredActivity Activity(long seq, int bytes) => new(seq, "message", new byte[bytes]);

    static ConversationRecord Row(string key, long version) => new(
        key, key, "test", "scenario", "1.0.0", "user", new byte[] { 1 }, version, version, true, false,
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
