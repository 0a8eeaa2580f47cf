namespace ScenarioKit.Cli.Chat;

/// <summary>
/// The chat's clock: time starts at the given instant (<c>chat --clock</c>, else now) and then runs at
/// normal speed, so queue hours can be tried at any moment while cooldowns still elapse as the designer
/// waits; <c>/wait</c> moves it forward at once (<see cref="Advance"/>), e.g. past a queue's maxWait.
/// </summary>
internal sealed class OffsetTimeProvider(DateTimeOffset start, TimeProvider real) : TimeProvider
{
    readonly long _startTimestamp = real.GetTimestamp();
    TimeSpan _skipped;

    public override DateTimeOffset GetUtcNow() => start.ToUniversalTime() + _skipped + real.GetElapsedTime(_startTimestamp);

    /// <summary>Moves the wall clock forward. Timestamps (elapsed-time measurements) are left alone: they measure real work.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        _skipped += by;
    }

    public override long GetTimestamp() => real.GetTimestamp();

    public override long TimestampFrequency => real.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => real.LocalTimeZone;
}
