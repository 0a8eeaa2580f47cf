namespace ScenarioKit.Cli.Chat;

/// <summary>
/// <c>chat --clock</c>: time starts at the given instant and then runs at normal speed, so queue hours
/// can be tried at any moment while cooldowns still elapse as the designer waits.
/// </summary>
internal sealed class OffsetTimeProvider(DateTimeOffset start, TimeProvider real) : TimeProvider
{
    readonly long _startTimestamp = real.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start.ToUniversalTime() + real.GetElapsedTime(_startTimestamp);

    public override long GetTimestamp() => real.GetTimestamp();

    public override long TimestampFrequency => real.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => real.LocalTimeZone;
}
