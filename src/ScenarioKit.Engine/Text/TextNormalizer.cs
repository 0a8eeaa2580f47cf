using System.Globalization;
using System.Text;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Text;

/// <summary>
/// Input normalisation, as <see cref="MatchText"/> defines it for the engine and the compiler's checks;
/// the original text is what the transcript and the agent see.
/// </summary>
internal static class TextNormalizer
{
    public static string Normalize(string text) => MatchText.Normalize(text);

    /// <inheritdoc cref="MatchText.Fold"/>
    public static string Fold(string normalized) => MatchText.Fold(normalized);

    public static string NormalizeAndFold(string text) => MatchText.NormalizeAndFold(text);

    /// <summary>Drops sentence punctuation at the end ("はい。", "yes!") for yes/no and choice answers.</summary>
    public static string TrimPunctuation(string s)
    {
        var end = s.Length;
        while (end > 0 && (char.IsPunctuation(s[end - 1]) || char.IsWhiteSpace(s[end - 1]) || s[end - 1] == '~')) end--;
        var start = 0;
        while (start < end && char.IsWhiteSpace(s[start])) start++;
        return start == 0 && end == s.Length ? s : s[start..end];
    }
}
