using System.Text.RegularExpressions;

namespace ScenarioKit.Engine.Extraction;

/// <summary>
/// One way of writing a value: a pattern and how to read a match. A match that reads as null
/// (13/40, a weekday that disagrees with its date) still claims its text, so no shorter rule
/// finds a value inside it.
/// </summary>
internal sealed class TextRule<T>(Regex pattern, Func<Match, DateOnly, T?> read) where T : struct
{
    public Regex Pattern { get; } = pattern;

    public Func<Match, DateOnly, T?> Read { get; } = read;

    /// <summary>Every rule's matches, earliest first and then longest, without overlaps; unreadable matches are dropped after they claimed their text.</summary>
    public static IReadOnlyList<Found<T>> FindAll(TextRule<T>[] rules, string text, DateOnly today)
    {
        if (text.Length == 0) return [];
        List<(int Start, int Length, T? Value)>? candidates = null;
        foreach (var rule in rules)
            for (var m = rule.Pattern.Match(text); m.Success; m = m.NextMatch())
                if (m.Length > 0) (candidates ??= []).Add((m.Index, m.Length, rule.Read(m, today)));
        if (candidates is null) return [];
        candidates.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var found = new List<Found<T>>(candidates.Count);
        var end = 0;
        foreach (var (start, length, value) in candidates)
        {
            if (start < end) continue;
            end = start + length;
            if (value is { } v) found.Add(new Found<T>(start, length, v));
        }
        return found;
    }
}
