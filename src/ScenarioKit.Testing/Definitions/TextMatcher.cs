using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;

namespace ScenarioKit.Testing.Definitions;

/// <summary>
/// An expected bot text: exact (after line-ending normalisation), a <c>*</c> wildcard pattern, a
/// <c>/regex/</c> (unanchored, .NET syntax), or one of several alternatives.
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
                return new RegexMatcher(new Regex(source, RegexOptions.CultureInvariant, RegexTimeout), text);
            }
            catch (ArgumentException e)
            {
                error = e.Message;
                return new ExactMatcher(text);
            }
        }
        if (text.Contains('*', StringComparison.Ordinal))
        {
            var pattern = new StringBuilder("^");
            foreach (var piece in Normalize(text).Split('*'))
            {
                if (pattern.Length > 1) pattern.Append(".*");
                pattern.Append(Regex.Escape(piece));
            }
            pattern.Append('$');
            return new RegexMatcher(new Regex(pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, RegexTimeout), text);
        }
        return new ExactMatcher(text);
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
