using System.Globalization;
using System.Text;

namespace ScenarioKit.Engine.Text;

/// <summary>
/// Input normalisation (DESIGN §4 step 1): NFKC turns full-width digits and letters into ASCII and
/// half-width kana into full-width kana; then trim. <see cref="Fold"/> adds case folding for
/// comparisons; the original text is what the transcript and the agent see.
/// </summary>
internal static class TextNormalizer
{
    public static string Normalize(string text)
    {
        if (!IsAscii(text))
            text = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        return text.Trim();
    }

    /// <summary>Case folding for matching: invariant lower case (Latin, Greek, Cyrillic; kana and kanji have no case).</summary>
    public static string Fold(string normalized) => normalized.ToLowerInvariant();

    public static string NormalizeAndFold(string text) => Fold(Normalize(text));

    static bool IsAscii(string s) => Ascii.IsValid(s);

    /// <summary>Drops sentence punctuation at the end ("はい。", "yes!") for yes/no and choice answers.</summary>
    public static string TrimPunctuation(string s)
    {
        var end = s.Length;
        while (end > 0 && (char.IsPunctuation(s[end - 1]) || char.IsWhiteSpace(s[end - 1]) || s[end - 1] == '~')) end--;
        var start = 0;
        while (start < end && char.IsWhiteSpace(s[start])) start++;
        return start == 0 && end == s.Length ? s : s[start..end];
    }

    public static bool IsLetterOrDigit(char c) => char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark;
}
