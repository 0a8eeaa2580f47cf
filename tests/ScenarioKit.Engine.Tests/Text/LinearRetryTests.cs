using System.Text.RegularExpressions;
using ScenarioKit.Engine.Text;

namespace ScenarioKit.Engine.Tests.Text;

/// <summary>
/// A pattern whose time limit fires is matched again by the non-backtracking engine. The patterns here backtrack
/// exponentially on the given text, so the backtracking engine certainly runs out of its one millisecond, just as a
/// harmless pattern can on a starved machine.
/// </summary>
public sealed class LinearRetryTests
{
    static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);
    static readonly string Catastrophic = new string('a', 40) + "!";

    [Fact]
    public void A_timed_out_pattern_that_does_not_match_answers_false_instead_of_throwing()
    {
        var regex = new Regex("^(a+)+$", RegexOptions.CultureInvariant, OneMillisecond);
        Assert.Throws<RegexMatchTimeoutException>(() => regex.IsMatch(Catastrophic));

        Assert.False(LinearRetry.IsMatch(regex, Catastrophic));
    }

    [Fact]
    public void A_timed_out_pattern_that_matches_further_on_answers_true()
    {
        // At the start the first branch backtracks without end; the second branch matches at the '!'.
        var regex = new Regex("^(a|aa)+b|!", RegexOptions.CultureInvariant, OneMillisecond);
        Assert.Throws<RegexMatchTimeoutException>(() => regex.IsMatch(Catastrophic));

        Assert.True(LinearRetry.IsMatch(regex, Catastrophic));
    }

    [Fact]
    public void Every_match_and_its_named_group_survive_a_timeout_part_way()
    {
        var regex = new Regex(@"^(a|aa)+b|(?<value>\d+)", RegexOptions.CultureInvariant, OneMillisecond);
        var text = new string('a', 40) + " 注文 12345678 と 87654321";

        var matches = LinearRetry.Matches(regex, text);

        Assert.Equal(["12345678", "87654321"], matches.Select(m => m.Groups["value"].Value));
        Assert.Equal(text.IndexOf("12345678", StringComparison.Ordinal), matches[0].Groups["value"].Index);
    }

    [Fact]
    public void A_pattern_the_linear_engine_cannot_run_still_times_out()
    {
        // A backreference: only the backtracking engine runs it, so the caller's timeout handling stays in charge.
        var regex = new Regex(@"^(a+)+\1$", RegexOptions.CultureInvariant, OneMillisecond);

        Assert.Null(LinearRetry.LinearTwin(regex));
        Assert.Throws<RegexMatchTimeoutException>(() => LinearRetry.IsMatch(regex, Catastrophic));
    }

    [Fact]
    public void Japanese_text_and_case_insensitive_patterns_keep_their_meaning()
    {
        var regex = new Regex("^(a|aa)+b|(担当者|operator)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, OneMillisecond);

        Assert.True(LinearRetry.IsMatch(regex, Catastrophic + "担当者と話したい"));
        Assert.True(LinearRetry.IsMatch(regex, Catastrophic + " OPERATOR please"));
        Assert.False(LinearRetry.IsMatch(regex, Catastrophic + "注文状況"));
    }
}
