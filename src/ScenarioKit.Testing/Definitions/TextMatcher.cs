using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;

namespace ScenarioKit.Testing.Definitions;

/// <summary>
/// An expected bot text: exact (after line-ending normalisation and trimming), a <c>*</c> wildcard
/// pattern (<c>\*</c> is a literal star), a <c>/regex/</c> (.NET syntax, must match the whole text), or
/// one of several alternatives.
/// </summary>
internal abstract record TextMatcher
{
    static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public abstract bool IsMatch(string actual);

    internal static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    /// <summary>Reads one YAML string form; returns null with an error text when the regex does not parse.</summary>
    public static TextMatcher Parse(string text, out string? error)
    {
        error = null;
        if (text.Length >= 2 && text[0] == '/' && text[^1] == '/')
        {
            var source = text[1..^1];
            try
            {
                _ = new Regex(source, RegexOptions.CultureInvariant);
                return new RegexMatcher(new Regex(@"\A(?:" + source + @")\z", RegexOptions.CultureInvariant, RegexTimeout), text);
            }
            catch (ArgumentException e)
            {
                error = e.Message;
                return new ExactMatcher(text);
            }
        }
        var normalized = Normalize(text);
        if (!normalized.Contains('*', StringComparison.Ordinal)) return new ExactMatcher(text);
        var pattern = new StringBuilder(@"\A");
        var hasWildcard = false;
        for (var i = 0; i < normalized.Length; i++)
        {
            if (normalized[i] == '\\' && i + 1 < normalized.Length && normalized[i + 1] == '*')
            {
                pattern.Append(@"\*");
                i++;
            }
            else if (normalized[i] == '*')
            {
                pattern.Append(".*");
                hasWildcard = true;
            }
            else pattern.Append(Regex.Escape(normalized[i].ToString()));
        }
        pattern.Append(@"\z");
        return hasWildcard
            ? new RegexMatcher(new Regex(pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, RegexTimeout), text)
            : new ExactMatcher(normalized.Replace(@"\*", "*", StringComparison.Ordinal));
    }
}

internal sealed record ExactMatcher(string Text) : TextMatcher
{
    public override bool IsMatch(string actual) => string.Equals(Normalize(actual), Normalize(Text), StringComparison.Ordinal);
    public override string ToString() => Text;
}

internal sealed record RegexMatcher(Regex Regex, string Source) : TextMatcher
{
    public override bool IsMatch(string actual)
    {
        try
        {
            return Regex.IsMatch(Normalize(actual));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public override string ToString() => Source;
}

internal sealed record OneOfMatcher(ImmutableArray<TextMatcher> Options) : TextMatcher
{
    public override bool IsMatch(string actual) => Options.Any(o => o.IsMatch(actual));
    public override string ToString() => "oneOf[" + string.Join(" | ", Options.Select(o => o.ToString())) + "]";
}
