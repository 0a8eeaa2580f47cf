namespace ScenarioKit.Engine;

/// <summary>
/// Limits for one loaded package. Every limit must be positive: Jint reads 0 (and MaxValue) as
/// "no limit", so a zero here would silently switch a sandbox limit off; <see cref="Validate"/>
/// rejects it instead.
/// </summary>
public sealed record RuntimeOptions
{
    public static readonly RuntimeOptions Default = new();

    /// <summary>Statements one expression or script action may run.</summary>
    public int MaxStatements { get; init; } = 10_000;

    /// <summary>Wall-clock time one expression or script action may run.</summary>
    public TimeSpan ExpressionTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Bytes one expression or script action may allocate.</summary>
    public long MemoryLimitBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>JavaScript call depth.</summary>
    public int MaxRecursionDepth { get; init; } = 64;

    /// <summary>Largest JavaScript array.</summary>
    public uint MaxArraySize { get; init; } = 100_000;

    /// <summary>Match timeout for intent patterns, ask patterns and regular expressions inside scripts.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Steps one turn may run; stops flows that jump in a circle without waiting for input.</summary>
    public int MaxStepsPerTurn { get; init; } = 256;

    /// <summary>Transcript entries kept in the conversation state (the oldest are dropped).</summary>
    public int MaxTranscriptEntries { get; init; } = 100;

    /// <summary>Activity ids remembered per conversation to ignore redeliveries.</summary>
    public int RecentActivityIds { get; init; } = 8;

    /// <summary>Characters of user text considered per turn (longer input is cut, protecting recognition and validation).</summary>
    public int MaxInputLength { get; init; } = 2_000;

    /// <exception cref="ArgumentOutOfRangeException">A limit is zero, negative or too large to enforce.</exception>
    public RuntimeOptions Validate()
    {
        Positive(MaxStatements, nameof(MaxStatements), int.MaxValue - 1);
        Positive(MaxRecursionDepth, nameof(MaxRecursionDepth), 10_000);
        Positive(MaxStepsPerTurn, nameof(MaxStepsPerTurn), 100_000);
        Positive(MaxTranscriptEntries, nameof(MaxTranscriptEntries), 100_000);
        Positive(RecentActivityIds, nameof(RecentActivityIds), 1_000);
        Positive(MaxInputLength, nameof(MaxInputLength), 1_000_000);
        if (MemoryLimitBytes <= 0 || MemoryLimitBytes >= long.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(MemoryLimitBytes), MemoryLimitBytes, "must be positive");
        if (MaxArraySize == 0 || MaxArraySize == uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(MaxArraySize), MaxArraySize, "must be between 1 and UInt32.MaxValue - 1");
        Time(ExpressionTimeout, nameof(ExpressionTimeout));
        Time(RegexTimeout, nameof(RegexTimeout));
        return this;
    }

    static void Positive(int value, string name, int max)
    {
        if (value <= 0 || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"must be between 1 and {max}");
    }

    static void Time(TimeSpan value, string name)
    {
        // Regex accepts at most Int32.MaxValue ms; a longer "timeout" would be no timeout at all.
        if (value <= TimeSpan.Zero || value > TimeSpan.FromMinutes(10))
            throw new ArgumentOutOfRangeException(name, value, "must be more than zero and at most 10 minutes");
    }
}
