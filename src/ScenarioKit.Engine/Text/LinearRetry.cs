using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace ScenarioKit.Engine.Text;

/// <summary>
/// A second chance for a scenario's regular expression whose time limit fired. The limit counts wall-clock time, so
/// on a starved machine a harmless pattern can run out of it and a customer's message would fall back for no reason of
/// its own. The match is then done again by .NET's non-backtracking engine, which is linear in the length of the text
/// and so needs no limit, and gives the same answer. Only a pattern that engine cannot run (backreferences,
/// lookarounds, atomic groups) still times out, and its caller handles that as before.
/// </summary>
internal static class LinearRetry
{
    sealed class Twin(Regex? linear)
    {
        public Regex? Linear { get; } = linear;
    }

    static readonly ConditionalWeakTable<Regex, Twin> Twins = [];

    public static bool IsMatch(Regex regex, string input)
    {
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException) when (LinearTwin(regex) is { } linear)
        {
            return linear.IsMatch(input);
        }
    }

    /// <summary>Where the first match is (null when none), without allocating a <see cref="Match"/>; retried with the linear engine on a timeout.</summary>
    public static (int Index, int Length)? FirstMatch(Regex regex, string input)
    {
        try
        {
            return First(regex, input);
        }
        catch (RegexMatchTimeoutException) when (LinearTwin(regex) is { } linear)
        {
            return First(linear, input);
        }
    }

    static (int Index, int Length)? First(Regex regex, string input)
    {
        foreach (var match in regex.EnumerateMatches(input)) return (match.Index, match.Length);
        return null;
    }

    /// <summary>Every match, left to right; a timeout part way restarts the whole search with the linear engine.</summary>
    public static List<Match> Matches(Regex regex, string input)
    {
        try
        {
            return Collect(regex, input);
        }
        catch (RegexMatchTimeoutException) when (LinearTwin(regex) is { } linear)
        {
            return Collect(linear, input);
        }
    }

    static List<Match> Collect(Regex regex, string input)
    {
        var matches = new List<Match>();
        for (var m = regex.Match(input); m.Success; m = m.NextMatch()) matches.Add(m);
        return matches;
    }

    /// <summary>The same pattern for the non-backtracking engine, made once per regex on its first timeout; null when that engine cannot run it.</summary>
    internal static Regex? LinearTwin(Regex regex) => Twins.GetValue(regex, static r => new Twin(CreateLinear(r))).Linear;

    static Regex? CreateLinear(Regex regex)
    {
        try
        {
            return new Regex(regex.ToString(), (regex.Options & ~RegexOptions.Compiled) | RegexOptions.NonBacktracking, Regex.InfiniteMatchTimeout);
        }
        catch (NotSupportedException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            // RightToLeft or ECMAScript: not available to the non-backtracking engine.
            return null;
        }
    }
}
