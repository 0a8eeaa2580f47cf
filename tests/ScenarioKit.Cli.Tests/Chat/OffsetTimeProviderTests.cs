using ScenarioKit.Cli.Chat;

namespace ScenarioKit.Cli.Tests.Chat;

public sealed class OffsetTimeProviderTests
{
    sealed class ManualTime : TimeProvider
    {
        public long Ticks;
        public override long GetTimestamp() => Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("the offset clock must not read the real date");
    }

    [Fact]
    public void Starts_at_the_given_instant_and_runs_on()
    {
        var real = new ManualTime { Ticks = 1_000 };
        var clock = new OffsetTimeProvider(DateTimeOffset.Parse("2026-11-24T10:00:00+09:00", System.Globalization.CultureInfo.InvariantCulture), real);

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
        real.Ticks += TimeSpan.FromSeconds(90).Ticks;
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 1, 1, 30, TimeSpan.Zero), clock.GetUtcNow());
    }

    [Fact]
    public void Advance_moves_the_date_but_not_the_timestamps()
    {
        var real = new ManualTime { Ticks = 5 };
        var clock = new OffsetTimeProvider(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero), real);

        clock.Advance(TimeSpan.FromMinutes(11));
        real.Ticks += TimeSpan.FromSeconds(2).Ticks;

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 1, 11, 2, TimeSpan.Zero), clock.GetUtcNow());
        Assert.Equal(5 + TimeSpan.FromSeconds(2).Ticks, clock.GetTimestamp());
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
    }
}
