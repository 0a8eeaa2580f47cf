using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Server.Conversations;

namespace ScenarioKit.Server.Tests.Conversations;

/// <summary>Issue 14, soak: the feed keeps a signal per watched conversation, not per conversation ever streamed.</summary>
public sealed class ConversationFeedTests
{
    [Fact]
    public async Task Signals_of_conversations_nobody_watches_any_more_are_dropped_and_watched_ones_still_wake()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var feed = new ConversationFeed(time);
        for (var i = 0; i < 50; i++) await feed.WaitAsync($"done-{i}", afterSeq: 0, TimeSpan.Zero, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var watching = feed.WaitAsync("live", afterSeq: 3, TimeSpan.FromHours(1), stop.Token);
        Assert.Equal(51, feed.Count);

        // Idle for less than the lifetime: kept, so a reader between two waits still sees what was published.
        time.Advance(TimeSpan.FromMinutes(1));
        feed.Sweep();
        Assert.Equal(51, feed.Count);
        feed.Publish("done-7", 9);
        await feed.WaitAsync("done-7", afterSeq: 4, TimeSpan.FromHours(1), CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(5));
        feed.Sweep();
        Assert.Equal(1, feed.Count);
        Assert.False(watching.IsCompleted);
        feed.Publish("live", 4);
        await watching.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
